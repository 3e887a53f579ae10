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

import functools
import html
import re
import typing
from collections.abc import Iterator
from typing import Any

import yaml
from pydantic import BaseModel

from generator.diagnostics import Diagnostic, Location, Severity
from generator.read.load import Document
from generator.read.markdown_scan import (
    MARKER,
    URL_ATTRIBUTES,
    AnyTagLoader,
    Scan,
    Target,
    scan_markdown,
)
from generator.read.model.types import Markdown
from generator.read.strict_yaml import PathKey

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})


# Browsers remove tabs and newlines anywhere in a URL and ignore leading spaces and control
# characters, so `java\tscript:` still runs: the scheme is read with those removed. A '<'
# in front (angle brackets, which the page shows as text) is ignored too: it leaves no doubt.
_REMOVED = re.compile(r"[\t\n\r]+")
_LEADING = re.compile(r"^[\x00-\x20<]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


AnyTagLoader.add_multi_constructor(
    "",
    lambda loader, suffix, node: (
        loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None
    ),
)


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
        if scan_markdown(value).too_deep:
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
    scan = scan_markdown(value)
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
    target: Target, scan: Scan, finder: _Finder
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
    if url.startswith(MARKER):
        if target.navigated:
            return None  # its definition is checked wherever it is written
        label = scan.used[int(url[len(MARKER) :])]
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
        for target in scan_markdown(value).targets:
            url = target.url
            if target.attribute not in URL_ATTRIBUTES or url.startswith(MARKER):
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
