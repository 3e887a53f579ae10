"""Outlines: what checking references needs of a record, worked out once and kept in the record
cache (generator.read.cache), so a re-check does not rebuild the items themselves."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.diagnostics import Diagnostic, Severity
from generator.read.links import internal_links
from generator.read.model.items import Event, Fact, Person, Story
from generator.read.model.types import PartialDate, check_id, referenced_folder
from generator.read.record import Content, Record
from generator.read.strict_yaml import PathKey


@dataclass(frozen=True)
class Outline:
    """What resolve needs of a record: small, and kept in the cache beside the item, so
    checking references does not need the item itself."""

    refs: tuple[tuple[PathKey, str, str, str | None], ...]
    """Every (path, folder, id, speaker) reference; ``speaker`` is who speaks in the story
    segment the reference sits in, if anyone."""
    anchors: tuple[str, ...] = ()
    """A story's segment anchors, as written or numbered."""
    source: tuple[str, str | None] | None = None
    """A fact's source story and segment."""
    links: tuple[tuple[PathKey, str, bool], ...] = ()
    """Relative URLs in its Markdown fields, as rendered: (field path, URL, whether followed
    rather than fetched), from generator.read.links.internal_links."""
    quotes: tuple[str, ...] = ()
    """A fact's quote spans, whitespace flattened (generator.link.provenance)."""
    dates: tuple[Any, ...] = ()
    """The dates a source should state (generator.link.Dated)."""
    passages: tuple[str, ...] = ()
    """A story's segments' text, whitespace flattened, in order: what quotes and dates are
    checked against."""
    figure: str = ""
    """How a fact's figure may be printed, one form a line: one must be in its quote."""
    draft: bool = False
    """Whether the item is a draft (generator.read.model.items.Item.draft)."""


def outline_of(record: Record) -> Outline:
    """The record's outline, worked out once per record (a cached record brings its own)."""
    if record.outline is None:
        item = record.item
        refs = tuple((*ref, _speaker(item, ref[0])) for ref in references(item))
        anchors: tuple[str, ...] = ()
        source = None
        if isinstance(item, Story):
            anchors = tuple(s.id or f"segment-{n + 1}" for n, s in enumerate(item.segments))
        elif isinstance(item, Fact):
            source = (item.source.story, item.source.segment)
        quotes, figure, dates, passages = outline_parts(item)
        record.outline = Outline(
            refs,
            anchors,
            source,
            links=internal_links(item),
            quotes=quotes,
            dates=dates,
            passages=passages,
            figure=figure,
            draft=getattr(item, "draft", False),
        )
    return record.outline


def is_draft(record: Record) -> bool:
    """Whether a record is a draft: left out of a published site."""
    return outline_of(record).draft


def published(content: Content) -> Content:
    """The content a published site shows: every draft moved to ``content.drafts``."""
    records: dict[str, dict[str, Record]] = {}
    drafts: dict[str, dict[str, Record]] = {}
    for folder, found in content.records.items():
        records[folder] = {i: r for i, r in found.items() if not is_draft(r)}
        if len(records[folder]) < len(found):
            drafts[folder] = {i: r for i, r in found.items() if i not in records[folder]}
    return Content(content.root, content.site, records, content.invalid, content.broken, drafts)


def draft_notices(content: Content) -> list[Diagnostic]:
    """A notice for each draft: `check` lists what a build will leave out."""
    return [
        Diagnostic(
            record.document.locate(("draft",), at_key=True),
            Severity.NOTICE,
            f"{record.kind.name} '{record.id}' is a draft: the preview shows it, a build leaves "
            "it out",
            "remove 'draft: true' when it is ready to publish",
        )
        for found in content.records.values()
        for record in found.values()
        if is_draft(record)
    ]


def record_references(record: Record) -> tuple[tuple[PathKey, str, str, str | None], ...]:
    """Every (path, folder, id, speaker) reference of a record (see Outline.refs)."""
    return outline_of(record).refs


def references(item: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, str, str]]:
    """Every (path, folder, id) reference inside a model, in field order."""
    for name, folder, nested in _reference_fields(type(item)):
        value = getattr(item, name)
        if value is None:
            continue
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, element in values:
            where = (*path, name) if index is None else (*path, name, index)
            if folder is not None:
                yield where, folder, element
            elif nested and isinstance(element, BaseModel):
                yield from references(element, where)


def raw_references(
    model: type[BaseModel], data: Any, path: PathKey = ()
) -> Iterator[tuple[PathKey, str, str]]:
    """Every (path, folder, id) reference in a file's data that ``model`` refused: what the
    fields that are references hold, where they hold an id (the rest has its own errors)."""
    if not isinstance(data, dict):
        return
    for name, folder, nested in _reference_fields(model):
        value = data.get(name)
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, element in values:
            where = (*path, name) if index is None else (*path, name, index)
            if folder is not None:
                if isinstance(element, str) and check_id(element) is None:
                    yield where, folder, element
            elif nested and isinstance(element, dict):
                inner = _nested_model(model, name)
                if inner is not None:
                    yield from raw_references(inner, element, where)


def _nested_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    hints = typing.get_type_hints(model, include_extras=True)
    stack = [hints[name]]
    while stack:
        annotation = stack.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        stack.extend(typing.get_args(annotation))
    return None


def _reference_fields(model: type[BaseModel]) -> list[tuple[str, str | None, bool]]:
    """(field, folder it refers to or None, has nested models) for each relevant field."""
    if model not in _FIELDS_CACHE:
        found = []
        hints = typing.get_type_hints(model, include_extras=True)
        for name in model.model_fields:
            folder = referenced_folder(hints[name])
            nested = _has_model(hints[name])
            if folder or nested:
                found.append((name, folder, nested))
        _FIELDS_CACHE[model] = found
    return _FIELDS_CACHE[model]


def _has_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_has_model(arg) for arg in typing.get_args(annotation))


def _speaker(item: Any, path: PathKey) -> str | None:
    if not isinstance(item, Story) or len(path) < 2 or path[0] != "segments":
        return None
    segment = item.segments[path[1]]  # type: ignore[index]
    return segment.soundbite.speaker if segment.soundbite else None


_FIELDS_CACHE: dict[type[BaseModel], list[tuple[str, str | None, bool]]] = {}


def flat(text: str) -> str:
    """Text with every run of whitespace one space, none at either end: what is compared."""
    return " ".join(text.split())


_ESCAPED = re.compile(r"\\([\\\[\]])")


def as_read(markdown: str) -> str:
    """The backslash escapes of [, ] and \\ undone (``\\[`` reads "["): a segment escapes
    them so a script's words never become a link (generator.edit.drafts.as_markdown), and a
    quote is compared with it as both read, so "[b]" quotes "\\[b\\]" and the other way
    round. Other escapes stay: what a reader sees of them depends on the field's kind."""
    return _ESCAPED.sub(r"\1", markdown) if "\\" in markdown else markdown


@dataclass(frozen=True)
class Dated:
    """A date a source should state: where it is in its file, the date, whether it says how
    it was inferred (``date_basis``), and which field that is."""

    path: PathKey
    date: PartialDate
    has_basis: bool


Parts = tuple[tuple[str, ...], str, tuple[Dated, ...], tuple[str, ...]]


def outline_parts(item: Any) -> Parts:
    """What the checks need of an item: a fact's quote spans (flattened) and how its figure
    may be printed (figure_forms); the dates to check; a story's segments' text (flattened,
    in order)."""
    if isinstance(item, Fact):
        dates = (Dated(("as_of",), item.as_of, bool(item.date_basis)),) if item.as_of else ()
        return tuple(flat(as_read(span)) for span in item.quote), figure_forms(item), dates, ()
    if isinstance(item, Event):
        return (), "", (Dated(("date",), item.date, bool(item.date_basis)),), ()
    if isinstance(item, Person):
        roles = tuple(
            Dated(("roles", number, "as_of"), role.as_of, bool(role.date_basis))
            for number, role in enumerate(item.roles)
            if role.as_of is not None
        )
        return (), "", roles, ()
    if isinstance(item, Story):
        # A story's date is the report's own (when it was published), which its script need
        # not state: its date_basis is shown when given, never required.
        passages = tuple(
            flat(as_read(s.narration if s.narration is not None else s.soundbite.text))  # type: ignore[union-attr]
            for s in item.segments
        )
        return (), "", (), passages
    return (), "", (), ()


def figure_forms(fact: Fact) -> str:
    """How the source may print the fact's figure, one form a line: as printed when the fact
    records it, else its digits (1700 or 1,700). Empty when the fact has no figure."""
    figure = fact.figure
    if figure is None:
        return ""
    if figure.as_printed:
        return flat(figure.as_printed)
    if figure.value is None:  # pragma: no cover - a figure has a value or is printed
        return ""
    value = figure.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    forms = {str(value), f"{value:,}"}
    return "\n".join(sorted(forms))
