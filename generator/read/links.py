"""Links inside Markdown fields: checked on what the page will contain.

Python-Markdown passes a link's target through as written, so ``[x](javascript:alert(1))``
in a narration would become a link that runs script when clicked, and a link target can be
written in many places (inline, a reference definition in a quote, a list, an admonition, a
footnote, on the line after its label …). So nothing here reads link syntax: each Markdown
field is rendered as the page will render it (the text as ``markup.markdown`` writes it
into the page, with the Markdown extensions and settings of ``mkdocs.yml``), and every
attribute of the HTML that a browser would follow or fetch is checked: links may go to
http(s), mailto or the site's own pages; images (and anything else fetched) must be files
of the site itself, since one from another server would make every reader's browser call
that server. The check runs on the validated items and points at the target inside the
(often multi-line) field, so an editor sees ``content/stories/x.yaml:12:9: error: …``.

An insight's body is rendered as written: on its page each citation ``[@id]`` is a footnote
mark ``[^n]`` instead (and the space before it goes), which makes no link the body lacks.

The relative links found are kept (``internal_links``) for the resolve stage, which knows
every page and checks that each leads to one (generator.link.resolve.check_internal_links, with
``broken_links`` here).
"""

from __future__ import annotations

import copy
import functools
import html
import posixpath
import re
import secrets
import sys
import typing
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.diagnostics import Diagnostic, Location, Severity, did_you_mean
from generator.read import markup
from generator.read.load import Document
from generator.read.model.types import Markdown
from generator.read.strict_yaml import PathKey

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})

PROJECT = Path(__file__).resolve().parents[2]
CONFIG = PROJECT / "mkdocs.yml"
"""The site's MkDocs configuration: the Markdown extensions pages are rendered with, and
docs_dir. mkdocs.offline.yml inherits them (tests/test_links_rendered.py checks it)."""

# Browsers remove tabs and newlines anywhere in a URL and ignore leading spaces and control
# characters, so `java\tscript:` still runs: the scheme is read with those removed. A '<'
# in front (angle brackets, which the page shows as text) is ignored too: it leaves no doubt.
_REMOVED = re.compile(r"[\t\n\r]+")
_LEADING = re.compile(r"^[\x00-\x20<]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")

# Attributes whose value a browser follows (on a click) rather than fetches by itself.
# Every other URL-bearing attribute makes the page load something.
_NAVIGATED = frozenset({("a", "href"), ("area", "href"), ("q", "cite"), ("blockquote", "cite")})
_URL_ATTRIBUTES = frozenset(
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
        return (f"{_MARKER}{len(self.used) - 1}", None)

    def clear(self) -> None:
        super().clear()
        self.used = []


# Random, so no text can pass for it.
_MARKER = f"sc-reference-{secrets.token_hex(8)}:"


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
            elif name in _URL_ATTRIBUTES or name.startswith("on") or name == "style":
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
        raw = yaml.load(config_file.read_bytes(), Loader=_AnyTagLoader)
        names = raw.get("markdown_extensions")
        if names is None and raw.get("INHERIT"):
            return _bracket_only((config_file.parent / raw["INHERIT"]).resolve())
        return all(
            (e if isinstance(e, str) else next(iter(e))) in _BRACKET_ONLY for e in names or []
        )
    except Exception:  # noqa: BLE001 - unreadable here: MkDocs will say why; render all
        return False


class _AnyTagLoader(yaml.SafeLoader):
    """Reads MkDocs' own tags (!ENV, !relative, !!python/name:…) as their plain value."""


_AnyTagLoader.add_multi_constructor(
    "",
    lambda loader, suffix, node: (
        loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None
    ),
)


@dataclass(frozen=True)
class _Scan:
    """What rendering one field found: its URLs, and the labels of references used."""

    targets: tuple[Target, ...]
    used: tuple[str, ...]
    too_deep: bool = False
    """Python-Markdown could not render it: nested too deeply (the build could not either)."""


_EMPTY = _Scan((), ())

# Python-Markdown recurses once a level of nested lists or quotes (a few hundred levels fit
# in a 1 MiB file). The build renders a page deeper in the stack than check renders a field,
# so check keeps this many frames spare: what it renders, the build can.
_SPARE_FRAMES = 200


def _scan(value: str) -> _Scan:
    """The field's URLs, rendered once: validate checks them and the outline keeps the
    internal ones (resolve.outline_of asks again for the same text)."""
    if not _needs_render(value):
        return _EMPTY
    found = _SCANS.get(value)
    if found is None:
        limit = sys.getrecursionlimit()
        try:
            sys.setrecursionlimit(limit - _SPARE_FRAMES)
            targets, used = _renderer().targets(value)
            found = _Scan(tuple(targets), tuple(used))
        except RecursionError:
            _renderer.cache_clear()  # its state is whatever the error left: a new one
            found = _Scan((), (), too_deep=True)
        finally:
            sys.setrecursionlimit(limit)
        if len(_SCANS) >= _SCANS_SIZE:
            _SCANS.clear()
        _SCANS[value] = found
    return found


_SCANS: dict[str, _Scan] = {}
_SCANS_SIZE = 20_000


MAX_BRACKETS = 2000
"""The most '[' the Markdown fields of one file may hold. Python-Markdown reads brackets in
quadratic time (20 000 unclosed '[' in one paragraph take it most of a minute, in check as
in the build); a long insight with its citations, links and footnotes holds a few hundred."""


def _too_many_brackets(fields: list[tuple[PathKey, str]]) -> tuple[PathKey, int] | None:
    """The field with the most '[' and the file's count, if over MAX_BRACKETS."""
    counts = [(value.count("["), path) for path, value in fields]
    total = sum(count for count, _ in counts)
    return (max(counts)[1], total) if total > MAX_BRACKETS else None


def check_links(item: BaseModel, document: Document) -> list[Diagnostic]:
    """A located error for each URL in a Markdown field's rendering that is not allowed."""
    fields = list(markdown_fields(item))
    too_many = _too_many_brackets(fields)
    if too_many is not None:  # not rendered: no link is checked, and the file is refused
        return [
            Diagnostic(
                document.locate(too_many[0]),
                Severity.ERROR,
                f"too many '[' in this file's Markdown: {too_many[1]:,} (at most {MAX_BRACKETS:,})",
                "links, citations and footnotes take one each; brackets by the thousand would "
                "make the site slow to build",
            )
        ]
    found = []
    for path, value in fields:
        if _scan(value).too_deep:
            found.append(
                Diagnostic(
                    document.locate(path),
                    Severity.ERROR,
                    "this Markdown is nested too deeply to be made into a page",
                    "lists and quotes inside each other may go a few levels deep, not hundreds",
                )
            )
            continue
        for offset, written, message, hint in problems(value):
            location = (
                _locate(document, path, value, offset, written)
                if offset is not None
                else document.locate(path)
            )
            found.append(Diagnostic(location, Severity.ERROR, message, hint))
    return found


def problems(value: str) -> list[tuple[int | None, str, str, str]]:
    """(offset of the target in ``value`` or None, the target as written, message, hint) of
    each URL not allowed in the rendering of one Markdown text."""
    scan = _scan(value)
    if not scan.targets:
        return []
    finder = _Finder(value)
    return [p for target in scan.targets if (p := _problem(target, scan, finder)) is not None]


_LINK_HINT = (
    "links may go to http:// or https:// addresses, mailto: addresses, or "
    "pages of this site (a relative path such as ../people/he-lixia.md)"
)
_IMAGE_HINT = (
    "the site makes no request to other servers: put the image in docs/assets/ "
    "and give its relative path"
)


def _problem(
    target: Target, scan: _Scan, finder: _Finder
) -> tuple[int | None, str, str, str] | None:
    """(offset in the field or None, the target as written, message, hint), if not allowed."""
    url = target.url
    if target.attribute == "style" or target.attribute.startswith("on"):
        # Never made from Markdown (attribute lists are written as text): a last guard.
        if target.attribute == "style" and not _URL_IN_STYLE.search(url):
            return None
        return (
            None,
            url,
            f"'{target.attribute}' attribute '{shorten(url)}' is not allowed in text",
            "write the text without HTML or attribute lists",
        )
    if url.startswith(_MARKER):
        if target.navigated:
            return None  # its definition is checked wherever it is written
        label = scan.used[int(url[len(_MARKER) :])]
        offset, written = finder.label(label)
        return (
            offset,
            written,
            f"image '{shorten(written)}' takes its address from a reference definition, "
            "which any field on the page could set",
            "write the image's path in place, as ![what it shows](../assets/picture.png)",
        )
    scheme = link_scheme(url)
    if scheme is not None and scheme not in ALLOWED_SCHEMES:
        offset, written = finder.find(url)
        why = (
            "could run script in a reader's browser"
            if scheme in SCRIPT_SCHEMES
            else "is not a web, mail or internal link"
        )
        return (
            offset,
            written,
            f"'{scheme}:' links are not allowed: '{shorten(written)}' {why}",
            _LINK_HINT,
        )
    if not target.navigated and (scheme is not None or is_other_server(url)):
        offset, written = finder.find(url)
        return (
            offset,
            written,
            f"image '{shorten(written)}' is on another server: readers' browsers would "
            "fetch it from there",
            _IMAGE_HINT,
        )
    return None


_URL_IN_STYLE = re.compile(r"url\s*\(|@import|expression\s*\(|\\", re.I)


class _Finder:
    """Where each URL of the rendering is written in the field: the n-th time a URL is
    asked for, its n-th place. Rendering changes a target a little (tabs become spaces, a
    backslash escape goes), so each character may have been escaped and each run of spaces
    may have been any white space."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.next: dict[str, int] = {}

    def find(self, url: str) -> tuple[int | None, str]:
        return self._search(url, re.compile(_fuzzy(url)))

    def label(self, label: str) -> tuple[int | None, str]:
        """Where a reference's label is written: '[label]', in any case."""
        pattern = re.compile(r"\[\s*" + _fuzzy(label) + r"\s*\]", re.I)
        offset, written = self._search("[" + label, pattern)
        return offset, written if offset is not None else f"[{label}]"

    def _search(self, key: str, pattern: re.Pattern[str]) -> tuple[int | None, str]:
        match = pattern.search(self.value, self.next.get(key, 0))
        if match is None:
            return None, key
        self.next[key] = match.start() + 1
        return match.start(), match.group(0)


def _fuzzy(text: str) -> str:
    parts = []
    for run in re.split(r"(\s+)", text):
        if not run:
            continue
        if run.isspace():
            parts.append(r"\s+")
        else:
            parts.append("".join(r"\\?" + re.escape(c) for c in run))
    return "".join(parts)


def is_other_server(url: str) -> bool:
    """Whether a relative-looking URL names another server (``//host/…``, ``\\\\host``)."""
    cleaned = _LEADING.sub("", _REMOVED.sub("", html.unescape(url)))
    return cleaned.startswith(("//", "\\\\", "/\\", "\\/"))


def link_scheme(target: str) -> str | None:
    """The lower-cased scheme a browser would see in ``target``, or None for a relative link.

    Spaces inside are removed too: a browser would not read ``java  script:`` as a scheme,
    but refusing it costs nothing and leaves no doubt."""
    cleaned = _LEADING.sub("", _REMOVED.sub("", html.unescape(target))).replace(" ", "")
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def internal_links(item: BaseModel) -> tuple[tuple[PathKey, str, bool], ...]:
    """(field path, URL, whether it is followed rather than fetched) of every relative URL in
    the Markdown fields' rendering: a page or file of the site, checked by resolve.

    Reference definitions count as links (one could be used by an image, but images by
    reference are refused). Anchors on the page itself ('#x') and absolute paths are left out.
    """
    fields = list(markdown_fields(item))
    if _too_many_brackets(fields):
        return ()  # refused by check_links, not rendered
    found = []
    for path, value in fields:
        for target in _scan(value).targets:
            url = target.url
            if target.attribute not in _URL_ATTRIBUTES or url.startswith(_MARKER):
                continue
            if link_scheme(url) is not None or is_other_server(url):
                continue
            cleaned = _LEADING.sub("", _REMOVED.sub("", url))
            if not cleaned or cleaned.startswith(("#", "/", "?")):
                continue
            found.append((path, url, target.navigated))
    return tuple(found)


def locate_url(document: Document, path: PathKey, value: str, url: str, nth: int = 0) -> Location:
    """Where the n-th occurrence of a rendered URL is written in the field (else the field)."""
    finder = _Finder(value)
    offset, written = None, url
    for _ in range(nth + 1):
        offset, written = finder.find(url)
    if offset is None:
        return document.locate(path)
    return _locate(document, path, value, offset, written)


def broken_links(
    document: Document,
    item: Callable[[], Any],
    links: Iterable[tuple[PathKey, str, bool]],
    shown_on: Callable[[PathKey], list[str]],
    pages: set[str],
) -> list[Diagnostic]:
    """A located error for each relative link (internal_links) that leads to no page, or for
    an image no file, among ``pages`` (every page and file of the site, by its path from the
    site's root, as 'people/he-lixia.md'), from any page ``shown_on`` says its field is on.

    Anchors ('page.md#x') are not checked: a page's anchors are made by its template and by
    the Markdown headings in it, known only once it is rendered (MkDocs checks them then).
    ``item`` gives the item, to find a broken link in its field: only then is it needed.
    """
    found = []
    seen: dict[tuple[PathKey, str], int] = {}
    for path, url, navigated in links:
        nth = seen[(path, url)] = seen.get((path, url), -1) + 1
        shown = shown_on(path)
        missing = [
            (page, target)
            for page in shown
            if (target := _link_target(page, url)) is None
            or target not in pages
            or (not navigated and target.endswith(".md"))
        ]
        if not missing:
            continue
        value: Any = item()
        for part in path:
            value = value[part] if isinstance(part, int) else getattr(value, part)
        location = locate_url(document, path, str(value), url, nth)
        message, hint = _broken(url, navigated, shown, missing, pages)
        found.append(Diagnostic(location, Severity.ERROR, message, hint))
    return found


def _link_target(page: str, url: str) -> str | None:
    """The site path a relative URL on ``page`` leads to, as MkDocs resolves it (from the
    page's Markdown file, unquoted), or None if it leaves the site. A folder ends in '/'."""
    path = urllib.parse.unquote(url.strip().split("#", 1)[0].split("?", 1)[0])
    if not path:
        return page  # '?x' or '#x' alone: the page itself
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined + "/" if path.endswith("/") else joined


def _broken(
    url: str,
    navigated: bool,
    shown: list[str],
    missing: list[tuple[str, str | None]],
    pages: set[str],
) -> tuple[str, str]:
    page, target = missing[0]
    where = f"it is '{target}'" if target else "it leads outside the site"
    if not navigated and target in pages:
        message = f"image '{shorten(url)}' is a page of the site, not an image file"
    elif not navigated:
        message = f"image '{shorten(url)}' is no file of the site: from {page} {where}"
    else:
        message = f"link '{shorten(url)}' leads to no page of the site: from {page} {where}"
    if len(missing) < len(shown):
        fine = ", ".join(p for p in shown if p not in {m[0] for m in missing})
        return f"{message} (from {fine} it works)", (
            f"these words are shown on {', '.join(shown)}: a path such as "
            "../people/he-lixia.md leads to the same page from each"
        )
    return message, _closest(page, target, pages) or (
        "link to a page's Markdown file, relative to this page: ../people/he-lixia.md, "
        "../about.md; images to a file in docs/assets/"
    )


def _closest(page: str, target: str | None, pages: set[str]) -> str:
    """'did you mean' the page meant, written from ``page``."""
    if target is None:
        return ""
    best = None
    if target.endswith("/"):  # a folder: its page, or its list page
        best = next((p for p in (target[:-1] + ".md", target + "index.md") if p in pages), None)
    else:
        # The page of that name in another folder ('chengdu.md' from a story means
        # places/chengdu.md), else the closest name in the folder it leads to, by name:
        # 'people/nobody.md' is not close to 'people/index.md' for the letters they share.
        folder, name = posixpath.split(target)
        elsewhere = sorted(p for p in pages if posixpath.basename(p) == name and p != target)
        near = {posixpath.basename(p): p for p in pages if posixpath.dirname(p) == folder}
        hint = did_you_mean(name, near)
        best = elsewhere[0] if elsewhere else near[hint.split("'")[1]] if hint else None
    if best is None:
        return ""
    return f"did you mean '{posixpath.relpath(best, posixpath.dirname(page) or '.')}'?"


def markdown_fields(item: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """(path, text) of every Markdown field set in ``item`` and the models inside it."""
    for name, markdown in _fields(type(item)):
        value = getattr(item, name)
        if value is None:
            continue
        if isinstance(value, str):
            if markdown:
                yield (*path, name), value
        elif isinstance(value, BaseModel):
            yield from markdown_fields(value, (*path, name))
        elif isinstance(value, list):
            for index, element in enumerate(value):
                if isinstance(element, BaseModel):
                    yield from markdown_fields(element, (*path, name, index))


@functools.cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """The fields of the model that hold Markdown, or models that do (directly or deeper),
    and whether each holds Markdown itself: worked out once a model. Others are not visited."""
    hints = typing.get_type_hints(model, include_extras=True)
    found = []
    for name in model.model_fields:
        if _is_markdown(hints[name]):
            found.append((name, True))
        elif any(_fields(inner) for inner in _models_in(hints[name])):
            found.append((name, False))
    return tuple(found)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def _is_markdown(annotation: Any) -> bool:
    if annotation == Markdown:
        return True
    return any(
        _is_markdown(arg)
        for arg in typing.get_args(annotation)
        if typing.get_origin(annotation) is not typing.Annotated
    )


def _locate(document: Document, path: PathKey, value: str, offset: int, target: str) -> Location:
    """The target's line and column in the file, found from where the field's value starts.

    The value of a block scalar is the file's text with indentation removed, so the target
    is searched for in the file after the value's start; the n-th occurrence in the value
    is the n-th in the file. Where quoting changed the text, the value's start is used.
    """
    start = document.locate(path)
    needle = target.split("\n", 1)[0] or target
    occurrence = value.count(needle, 0, offset)
    text = document.text
    lines = text.split("\n")
    position = sum(len(line) + 1 for line in lines[: start.line - 1]) + start.column - 1
    for _ in range(occurrence + 1):
        position = text.find(needle, position)
        if position < 0:
            return start
        position += 1
    position -= 1
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Location(start.path, line, column)


def shorten(target: str) -> str:
    flat = " ".join(target.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."
