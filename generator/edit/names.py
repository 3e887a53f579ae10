"""Names in a script matched against the content folder, and ids for what is new.

People match by name or native name, organizations and places by name, ignoring case and
punctuation ("Co., Ltd" is "Co. Ltd"). A name that matches two items is reported, never
decided. A speaker's role may name an organization: it does so unambiguously when the words
after "of" (or before a Chinese title) end in a word organizations end in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.read.load import load_file
from generator.read.model.types import check_id
from generator.read.strict_yaml import LoadError
from generator.read.yaml_scalars import plain_value

ORGANIZATION_ENDINGS: dict[str, str] = {
    "association": "association",
    "federation": "federation",
    "chamber of commerce": "association",
    "industrial park": "industrial-park",
    "park": "industrial-park",
    "co., ltd": "company",
    "co. ltd": "company",
    "co., ltd.": "company",
    "company": "company",
    "corporation": "company",
    "group": "company",
    "factory": "company",
    "bureau": "government-body",
    "commission": "government-body",
    "committee": "government-body",
    "government": "government-body",
    "department": "government-body",
    "administration": "government-body",
    "platform": "platform",
    "television": "media",
    "news": "media",
    "协会": "association",
    "商会": "association",
    "联合会": "federation",
    "产业园": "industrial-park",
    "园区": "industrial-park",
    "有限公司": "company",
    "公司": "company",
    "集团": "company",
    "鞋厂": "company",
    "局": "government-body",
    "委员会": "government-body",
    "政府": "government-body",
    "平台": "platform",
}
"""How an organization's name ends, and the kind it suggests (Organization.kind)."""

_ENDING = re.compile(
    "(?:"
    + "|".join(re.escape(e) for e in sorted(ORGANIZATION_ENDINGS, key=len, reverse=True))
    + r")\.?$",
    re.IGNORECASE,
)
_CJK_ENDING = re.compile(
    "(?P<org>.+?(?:"
    + "|".join(e for e in ORGANIZATION_ENDINGS if not e.isascii())
    + "))(?P<title>.+)$"
)


def key(name: str) -> str:
    """A name as matching compares it: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


_YAML_WORDS = frozenset("y n yes no on off true false null".split())


def safe_id(base: str, fallback: str) -> str:
    """``base`` as an id YAML reads as text, unquoted (not 000, 2005, 0e0, no or null); else
    ``fallback`` before it."""
    if check_id(base) is not None:
        return fallback
    value = plain_value(base)  # what the content's own YAML reader makes of it, unquoted
    if type(value) is not str or base in _YAML_WORDS:
        return f"{fallback}-{base}"
    return base


def key_words(text: str, count: int) -> list[str]:
    """The first ``count`` words of ``text`` that an id can be made of: Latin, three letters
    or more ("In 2005, the China Light" → in, the, china, light)."""
    return [w for w in slug(text).split("-") if len(w) > 2 and re.search("[a-z]", w)][:count]


def slug(name: str) -> str:
    """An id made from a name ("Tan Qijian" → tan-qijian); empty without Latin letters."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:60].rstrip("-")


@dataclass
class Directory:
    """The ids of the people, organizations and places a content folder holds, by name key."""

    by_key: dict[str, dict[str, list[str]]]
    names: dict[str, dict[str, str]]
    """Each item's name, by folder and id."""
    taken: set[str]
    """Every ``folder/id`` that exists, or that this import has claimed."""

    @classmethod
    def of(cls, content: Path) -> Directory:
        by_key: dict[str, dict[str, list[str]]] = {}
        names: dict[str, dict[str, str]] = {}
        taken: set[str] = set()
        for folder in ("people", "organizations", "places", "stories", "facts", "events"):
            by_key[folder], names[folder] = {}, {}
            for path in sorted((content / folder).glob("*.yaml")):
                taken.add(f"{folder}/{path.stem}")
                data = _fields(path)
                for field in ("name", "native_name"):
                    value = data.get(field)
                    if isinstance(value, str) and value.strip():
                        by_key[folder].setdefault(key(value), []).append(path.stem)
                        names[folder].setdefault(path.stem, value)
        return cls(by_key, names, taken)

    def find(self, folder: str, name: str) -> list[str]:
        """The ids of the items of ``folder`` named ``name``: none, one, or several."""
        return list(dict.fromkeys(self.by_key.get(folder, {}).get(key(name), [])))

    def mentioned(self, folder: str, text: str) -> list[str]:
        """Ids of the items of ``folder`` whose name appears in ``text`` as whole words, each
        name naming one item only, in the order they appear."""
        flat = f" {key(text)} "
        found: list[tuple[int, str]] = []
        for name, ids in self.by_key.get(folder, {}).items():
            if len(ids) == 1 and len(name) > 2:
                at = flat.find(f" {name} ")
                if at >= 0:
                    found.append((at, ids[0]))
        return list(dict.fromkeys(i for _, i in sorted(found)))

    def new_id(self, folder: str, name: str, fallback: str) -> str:
        """A free id for a new item named ``name`` (claimed at once)."""
        base = safe_id(slug(name) or fallback, fallback)
        item_id, number = base, 2
        while f"{folder}/{item_id}" in self.taken:
            item_id, number = f"{base}-{number}", number + 1
        self.taken.add(f"{folder}/{item_id}")
        self.by_key.setdefault(folder, {}).setdefault(key(name), []).append(item_id)
        self.names.setdefault(folder, {})[item_id] = name
        return item_id


@dataclass(frozen=True)
class Role:
    """A speaker's role read from a caption: a title, and the organization it names, if any."""

    title: str
    organization: str = ""
    """The organization's name as captioned, when the role names one unambiguously."""
    affiliation: str = ""
    """What the role says of an organization it does not name ("a shoe company in Sichuan")."""
    unsure: str = ""
    """Words that may or may not name an organization: for the editor to decide."""


def read_role(role: str) -> list[Role]:
    """The roles in a caption: "director of A and president of B" is two."""
    parts = re.split(r"\s+and\s+(?=[a-z][\w -]* of )|[;；、]", role)
    return [_one_role(part.strip()) for part in parts if part.strip()]


def _one_role(text: str) -> Role:
    cjk = _CJK_ENDING.match(text)
    if cjk:
        return Role(cjk.group("title"), organization=cjk.group("org"))
    cuts = [m.start() for m in re.finditer(" of ", text)]
    for cut in reversed(cuts):  # "head of the operation center of a shoe company": the last
        title, rest = text[:cut], text[cut + 4 :]
        if rest.lower().startswith(("a ", "an ")):
            return Role(title, affiliation=rest)
        if rest.startswith("the ") and rest[4:5].isupper() and _ENDING.search(rest):
            rest = rest[4:]  # "deputy director of the Wenjiang District Commerce Bureau"
        if rest[:1].isupper():
            return (
                Role(title, organization=rest) if _ENDING.search(rest) else Role(title, unsure=rest)
            )
    if cuts:
        title, rest = text[: cuts[0]], text[cuts[0] + 4 :]
        if _ENDING.search(rest):  # "the industrial park": which one, the editor knows
            return Role(title, unsure=rest)
    return Role(text)


def organization_kind(name: str) -> str:
    """The kind an organization's name suggests, or "other"."""
    found = _ENDING.search(name.strip())
    if found:
        ending = found.group().lower()
        return ORGANIZATION_ENDINGS.get(ending) or ORGANIZATION_ENDINGS.get(
            ending.rstrip("."), "other"
        )
    return next(
        (
            kind
            for end, kind in ORGANIZATION_ENDINGS.items()
            if not end.isascii() and name.endswith(end)
        ),
        "other",
    )


def _fields(path: Path) -> dict[str, Any]:
    try:
        data = load_file(path).data
    except (LoadError, OSError):
        return {}  # `check` reports it; an unreadable file names nobody
    return data if isinstance(data, dict) else {}
