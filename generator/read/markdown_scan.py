"""The render walk: a Markdown field rendered as the site renders it (the project's own Markdown
extensions, read from mkdocs.yml), and every URL in the HTML it makes collected, where it is."""

from __future__ import annotations

import copy
import functools
import html
import secrets
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from generator.read import markup

PROJECT = Path(__file__).resolve().parents[2]


CONFIG = PROJECT / "mkdocs.yml"
"""The site's MkDocs configuration: the Markdown extensions pages are rendered with, and
docs_dir. mkdocs.offline.yml inherits them (tests/test_links_rendered.py checks it)."""


# Attributes whose value a browser follows (on a click) rather than fetches by itself.
# Every other URL-bearing attribute makes the page load something.
_NAVIGATED = frozenset({("a", "href"), ("area", "href"), ("q", "cite"), ("blockquote", "cite")})


URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "srcset",
        "imagesrcset",
        "poster",
        "action",
        "formaction",
        "cite",
        "data",
        "background",
        "xlink:href",
        "longdesc",
        "usemap",
        "manifest",
        "codebase",
        "archive",
        "classid",
        "profile",
        "icon",
        "dynsrc",
        "lowsrc",
        "ping",
        "itemtype",
    }
)


# Extensions (as mkdocs.yml names them, MkDocs' own built-ins included) that make a URL
# attribute only from Markdown that needs a '[' — links, images, reference definitions and
# footnotes all start with one — or from raw HTML, autolinks '<…>' and attribute lists
# '{…}', which markup.markdown writes as entities ('<' '&' '{' '}'), so no field can use
# them. toc's permalinks are '#anchors' of the page itself. A field without '[' renders
# with no link to check, so it is not rendered at all (most fields: see _needs_render).
# An extension not listed here (pymdownx.magiclink links bare addresses, say) could make a
# link from other text: with one configured, every field is rendered.
_BRACKET_ONLY = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "tables",
        "toc",
        "pymdownx.details",
        "pymdownx.superfences",
    }
)


@dataclass(frozen=True)
class SiteMarkdown:
    """How the site renders Markdown, read once from mkdocs.yml."""

    extensions: tuple[str, ...]
    configs: dict[str, Any]
    docs_dir: Path
    bracket_only: bool
    """Whether only text with a '[' can make a link (see _BRACKET_ONLY)."""


@functools.cache
def site_markdown(config_file: Path = CONFIG) -> SiteMarkdown:
    """The Markdown extensions and their settings, as MkDocs reads them from the config file
    (its INHERIT followed, its built-in toc, tables and fenced_code added)."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as stream:
        raw = yaml_load(stream)
    # MkDocs' own option reads the list: built-ins, names and settings exactly as a build.
    option = copy.deepcopy(MkDocsConfig.markdown_extensions)
    extensions = tuple(option.run_validation(raw.get("markdown_extensions") or []))
    return SiteMarkdown(
        extensions,
        getattr(option, "configdata", {}),
        (config_file.parent / raw.get("docs_dir", "docs")).resolve(),
        all(isinstance(e, str) and e in _BRACKET_ONLY for e in extensions),
    )


class _AnyReference(dict[str, tuple[str, str | None]]):
    """``Markdown.references`` that resolves every label, to a marker.

    Reference definitions apply to the whole page, not the field they are written in: a
    ``[x][label]`` in one field can take its target from a ``[label]: …`` in another field of
    the page. So a reference is checked where it is defined (every definition of every field,
    used or not), and a use of one is rendered as a link to a marker, which stands for
    whatever definition the page has. An image must not be written by reference: another
    field on its page could define the same label with another server's address.
    """

    def __init__(self) -> None:
        super().__init__()
        self.used: list[str] = []

    def __contains__(self, label: object) -> bool:
        return True

    def __getitem__(self, label: str) -> tuple[str, str | None]:
        self.used.append(label)
        return (f"{MARKER}{len(self.used) - 1}", None)

    def clear(self) -> None:
        super().clear()
        self.used = []


# Random, so no text can pass for it.
MARKER = f"sc-reference-{secrets.token_hex(8)}:"


@dataclass(frozen=True)
class Target:
    """A URL the rendered field holds, as the browser reads it."""

    url: str
    element: str
    """The HTML element it is on; '' for a reference definition."""
    attribute: str

    @property
    def navigated(self) -> bool:
        """Followed on a click (a link), rather than fetched by the page (an image)."""
        return (self.element, self.attribute) in _NAVIGATED or not self.element


class _Renderer:
    """One Python-Markdown instance for every field, reset between them."""

    def __init__(self, site: SiteMarkdown) -> None:
        import markdown as python_markdown  # only when a field has a link: most checks none

        self.md = python_markdown.Markdown(
            extensions=list(site.extensions), extension_configs=site.configs
        )
        self.references = _AnyReference()
        self.md.references = self.references

    def targets(self, value: str) -> tuple[list[Target], list[str]]:
        """Every URL the field's HTML holds and every reference definition's target, and the
        labels of the references used (marker n is used[n])."""
        self.md.reset()
        page = self.md.convert(markup.markdown(value))
        collector = _Collector()
        collector.feed(page)
        collector.close()
        found = collector.found
        # A definition's target is written into an attribute when it is used: read as the
        # browser would read it there.
        found.extend(
            Target(html.unescape(url), "", "href") for url, _ in dict.values(self.references)
        )
        return found, list(self.references.used)


class _Collector(HTMLParser):
    """The URL-bearing attributes of an HTML fragment, entities decoded as a browser does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Target] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    url = candidate.strip().split(" ", 1)[0]
                    if url:
                        self.found.append(Target(url, tag, name))
            elif name in URL_ATTRIBUTES or name.startswith("on") or name == "style":
                self.found.append(Target(value, tag, name))

    handle_startendtag = handle_starttag


@functools.cache
def _renderer() -> _Renderer:
    return _Renderer(site_markdown())


def _needs_render(value: str) -> bool:
    return "[" in value or not _bracket_only()


@functools.cache
def _bracket_only(config_file: Path = CONFIG) -> bool:
    """site_markdown().bracket_only, read without MkDocs (whose import and extension loading
    would cost a tenth of a check that meets no '[': most do). The names are read as MkDocs
    merges them (a list in the inheriting file replaces the inherited one); anything this
    cannot read counts as an extension that could link any text."""
    try:
        raw = yaml.load(config_file.read_bytes(), Loader=AnyTagLoader)
        names = raw.get("markdown_extensions")
        if names is None and raw.get("INHERIT"):
            return _bracket_only((config_file.parent / raw["INHERIT"]).resolve())
        return all(
            (e if isinstance(e, str) else next(iter(e))) in _BRACKET_ONLY for e in names or []
        )
    except Exception:  # noqa: BLE001 - unreadable here: MkDocs will say why; render all
        return False


class AnyTagLoader(yaml.SafeLoader):
    """Reads MkDocs' own tags (!ENV, !relative, !!python/name:…) as their plain value."""


@dataclass(frozen=True)
class Scan:
    """What rendering one field found: its URLs, and the labels of references used."""

    targets: tuple[Target, ...]
    used: tuple[str, ...]
    too_deep: bool = False
    """Python-Markdown could not render it: nested too deeply (the build could not either)."""


_EMPTY = Scan((), ())


# Python-Markdown recurses once a level of nested lists or quotes (a few hundred levels fit
# in a 1 MiB file). The build renders a page deeper in the stack than check renders a field,
# so check keeps this many frames spare: what it renders, the build can.
_SPARE_FRAMES = 200


def scan_markdown(value: str) -> Scan:
    """The field's URLs, rendered once: validate checks them and the outline keeps the
    internal ones (resolve.outline_of asks again for the same text)."""
    if not _needs_render(value):
        return _EMPTY
    found = SCANS.get(value)
    if found is None:
        limit = sys.getrecursionlimit()
        try:
            sys.setrecursionlimit(limit - _SPARE_FRAMES)
            targets, used = _renderer().targets(value)
            found = Scan(tuple(targets), tuple(used))
        except RecursionError:
            _renderer.cache_clear()  # its state is whatever the error left: a new one
            found = Scan((), (), too_deep=True)
        finally:
            sys.setrecursionlimit(limit)
        if len(SCANS) >= _SCANS_SIZE:
            SCANS.clear()
        SCANS[value] = found
    return found


_SCANS_SIZE = 20_000


SCANS: dict[str, Scan] = {}
