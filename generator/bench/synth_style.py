"""How the synthetic newsroom reads: the words its text and names are drawn from, the kinds of
organization, the units of its figures and the titles of its people; and a YAML dumper that
writes its files as an editor would."""

import yaml

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper


class BlockDumper(_Dumper):
    """Writes multi-line text as literal blocks (``|``), as an editor would."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


BlockDumper.add_representer(str, _represent_str)


WORDS = (
    "footwear industry park brand order market export design factory platform channel "
    "customer season sample leather heel sole workshop supplier distributor retail online "
    "overseas domestic production capacity line worker training research development quality "
    "price cost margin logistics warehouse container fair exhibition buyer agent contract "
    "cluster association policy service craft pattern style collection launch trend growth"
).split()
SYLLABLES = (
    "an ba chen de fang gu hai jin kai lan ming ning pei qing rui shan tao wei xin "
    "yang zhi bo cui dong feng hua li mei ping song"
).split()
ORG_KINDS = (
    "association",
    "industrial-park",
    "company",
    "company",
    "company",
    "government-body",
    "platform",
    "media",
)
UNITS = (
    "enterprises",
    "million pairs",
    "workers",
    "percent",
    "production lines",
    "million yuan",
    "brands",
    "stores",
)
TITLES = (
    "president",
    "general manager",
    "director",
    "head of design",
    "sales manager",
    "secretary-general",
    "founder",
    "chief engineer",
)
