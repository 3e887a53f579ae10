"""Links inside Markdown fields: only web, mail and internal targets may be written.

Python-Markdown passes a link's target through as written, so ``[x](javascript:alert(1))``
in a narration would become a link that runs script when clicked. The check runs on the
validated items and points at the link inside the (often multi-line) field, so an editor
sees ``content/stories/x.yaml:12:9: error: …`` rather than the start of the block.
Images must come from the site itself: one from another server would make every reader's
browser call that server.
"""

from __future__ import annotations

import functools
import html
import re
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from generator.diagnostics import Diagnostic, Location, Severity
from generator.load import Document, PathKey
from generator.model.types import Markdown

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})

# Where Markdown takes a link target: inline links and images `[text](target)`, reference
# definitions `[label]: target` and autolinks `<scheme:...>`. Footnote definitions `[^n]:`
# are text, not links.
_INLINE = re.compile(r"\]\(\s*<?")
_REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?", re.M)
_AUTOLINK = re.compile(r"<(?=[A-Za-z][A-Za-z0-9+.\-]*:)")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?")
# Browsers remove tabs and newlines anywhere in a URL and ignore leading spaces and control
# characters, so `java\tscript:` still runs: the scheme is read with those removed.
_REMOVED = re.compile(r"[\t\n\r]+")
_LEADING = re.compile(r"^[\x00-\x20]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# A target ends at a space, a line break, or a closing bracket or quote.
_TARGET = re.compile(r"[^)>\"' \n]*")


def check_links(item: BaseModel, document: Document) -> list[Diagnostic]:
    """A located error for each link in a Markdown field whose scheme is not allowed."""
    found = []
    for path, value in markdown_fields(item):
        if "](" not in value and "]:" not in value and "<" not in value:
            continue  # no link, reference or image can start without one of these (most text)
        for offset, target, scheme in unsafe_links(value):
            location = _locate(document, path, value, offset, target)
            why = (
                "could run script in a reader's browser"
                if scheme in SCRIPT_SCHEMES
                else "is not a web, mail or internal link"
            )
            found.append(
                Diagnostic(
                    location,
                    Severity.ERROR,
                    f"'{scheme}:' links are not allowed: '{_shorten(target)}' {why}",
                    "links may go to http:// or https:// addresses, mailto: addresses, or "
                    "pages of this site (a relative path such as ../people/he-lixia.md)",
                )
            )
        for offset, target in remote_images(value):
            location = _locate(document, path, value, offset, target)
            found.append(
                Diagnostic(
                    location,
                    Severity.ERROR,
                    f"image '{_shorten(target)}' is on another server: readers' browsers would "
                    "fetch it from there",
                    "the site makes no request to other servers: put the image in docs/assets/ "
                    "and give its relative path",
                )
            )
    return found


def remote_images(value: str) -> Iterator[tuple[int, str]]:
    """(offset, target) of each Markdown image that would load from another server."""
    for match in _IMAGE.finditer(value):
        target = _target_at(value, match.end())
        cleaned = _LEADING.sub("", _REMOVED.sub("", html.unescape(target)))
        if link_scheme(target) in ("http", "https") or cleaned.startswith(("//", "\\\\")):
            yield match.end(), target


def unsafe_links(value: str) -> Iterator[tuple[int, str, str]]:
    """(offset of the target in ``value``, target as written, its scheme) for each bad link."""
    starts = sorted(
        {m.end() for pattern in (_INLINE, _REFERENCE, _AUTOLINK) for m in pattern.finditer(value)}
    )
    for start in starts:
        target = _target_at(value, start)
        scheme = link_scheme(target)
        if scheme is not None and scheme not in ALLOWED_SCHEMES:
            yield start, target, scheme


def link_scheme(target: str) -> str | None:
    """The lower-cased scheme a browser would see in ``target``, or None for a relative link."""
    cleaned = _LEADING.sub("", _REMOVED.sub("", html.unescape(target)))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def _target_at(value: str, start: int) -> str:
    target = _TARGET.match(value, start).group(0)  # type: ignore[union-attr]  # matches ""
    if target.count("(") > target.count(")") and value.startswith(")", start + len(target)):
        target += ")"  # javascript:alert(1) reads better whole
    return target


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


def _shorten(target: str) -> str:
    flat = " ".join(target.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."
