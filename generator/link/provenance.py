"""Provenance: what a reader can check against the source's own words.

Three rules, checked when references are resolved (they need the cited story's text):

- A fact's ``quote`` is the source's exact words: each span occurs in the cited segment
  (in the whole story when the fact names no segment), word for word. Only whitespace may
  differ (a YAML line break, a double space); case, punctuation, quotation marks and
  Markdown markers all count, so what the site shows as the source's words is what the
  source says. A span that is not there is an error located at the span, naming the word
  where it departs from the source, with the closest passage of the segment as the hint.
- A date the source does not state needs a ``date_basis`` saying how it was inferred: a
  fact's ``as_of`` (against its cited segment), an event's ``date`` (against the segments
  its facts cite, else its source stories), a role's ``as_of`` (against the segments of its
  source story where the person speaks or is named). A story's ``date`` is the report's own
  and may carry a basis, never needs one. "States" means the date's text is there: 2023;
  May 2023 or 2023-05; 17 May 2023, May 17, 2023 or 2023-05-17.
- An insight's analysis block (``!!! analysis``) is the editors' reading, never a source's:
  a citation inside one is an error (see generator.link.citations).

Checking works from the records' outlines (generator.link.resolve.Outline), which carry the
quotes, the dates and each story's flattened segment text: a re-check after one edit does
not rebuild every story and fact. Only an error reads the items again, for its hint.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.link.quotes import (
    MIN_QUOTE_WORDS,
    _figure_not_quoted,
    _matched_words,
    _short_quote,
    _word_location,
    closest,
    occurs,
    quote_words,
)
from generator.read.load import Document
from generator.read.model.types import PartialDate
from generator.read.outline import Dated
from generator.read.strict_yaml import PathKey

# --- dates -------------------------------------------------------------------------------

_MONTHS = tuple(calendar.month_name)


def date_patterns(date: PartialDate) -> re.Pattern[str]:
    """How a source may write ``date`` at its own precision, as one pattern."""
    year = f"{date.year:04d}"
    if date.month is None:
        forms = [year]
    else:
        month = _MONTHS[date.month]
        if date.day is None:
            forms = [f"{month},? {year}", f"{year}-{date.month:02d}"]
        else:
            day = str(date.day)
            forms = [
                f"{day} {month},? {year}",
                f"{month} {day},? {year}",
                f"{year}-{date.month:02d}-{date.day:02d}",
            ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(forms) + r")(?![\w-])")


def states(date: PartialDate, passages: Iterable[str]) -> bool:
    """Whether any of the passages states the date (its text is in it)."""
    pattern = date_patterns(date)
    return any(pattern.search(passage) for passage in passages)


def _where_stated(
    date: PartialDate, story: str, anchors: tuple[str, ...], passages: tuple[str, ...]
) -> str:
    """A hint naming where in the story the date's text is, if anywhere: what a basis quotes."""
    pattern = date_patterns(date)
    for anchor, passage in zip(anchors, passages, strict=False):
        found = pattern.search(passage)
        if found:
            # The words up to and including the one the date is in: "this year (2023)".
            last = passage[: found.end()].split(" ")[-3:]
            last[-1] += passage[found.end() :].split(" ", 1)[0]
            words = " ".join(last).rstrip(",.;:")
            return (
                f"the story says \"{words}\" in segment '{anchor}': if the date rests on it, "
                f"say so, e.g. date_basis: '\"{words}\" in segment {anchor}'"
            )
    return (
        "name what the date rests on in date_basis (the words and where they are), "
        "or remove the date"
    )


# --- the check ---------------------------------------------------------------------------


class Sources:
    """What the checks read of the index: outlines and anchors, and items for hints only."""

    def __init__(
        self,
        outline: Callable[[str, str], Any],
        anchors: dict[str, list[str]],
    ) -> None:
        self.outline = outline
        """(folder, id) → that item's Outline, or None when it is not a valid item."""
        self.anchors = anchors

    def passages(self, story: str) -> tuple[str, ...] | None:
        found = self.outline("stories", story)
        return None if found is None else found.passages


def check_record(
    record: Any, outline: Any, sources: Sources, diagnostics: list[Diagnostic]
) -> None:
    """Check one record's quote and dates against its sources; problems go to diagnostics."""
    folder = record.kind.folder
    if folder == "facts":
        _check_fact(record, outline, sources, diagnostics)
    elif folder == "events":
        _check_event(record, outline, sources, diagnostics)
    elif folder == "people":
        _check_roles(record, outline, sources, diagnostics)


def _fact_passages(
    source: tuple[str, str | None] | None, sources: Sources
) -> tuple[list[str], list[str], str] | None:
    """The passages a fact cites (their anchors and text) and how to name them, or None when
    its story or segment is unknown (resolve reports that)."""
    if source is None:
        return None
    story, segment = source
    passages = sources.passages(story)
    anchors = sources.anchors.get(story)
    if passages is None or anchors is None or len(anchors) != len(passages):
        return None
    if segment is None:
        return list(anchors), list(passages), f"story '{story}'"
    if segment not in anchors:
        return None
    number = anchors.index(segment)
    return [segment], [passages[number]], f"segment '{segment}' of story '{story}'"


def _check_fact(record: Any, outline: Any, sources: Sources, diagnostics: list[Diagnostic]) -> None:
    cited = _fact_passages(outline.source, sources)
    if cited is None:
        return
    anchors, passages, named = cited
    quotes, figure = outline.quotes, outline.figure
    for number, span in enumerate(quotes):
        if quote_words(span) < MIN_QUOTE_WORDS:
            diagnostics.append(_short_quote(record, number))
            continue
        if any(occurs(span, passage) for passage in passages):
            continue
        diagnostics.append(
            _quote_error(record, number, span, anchors, passages, named, outline.source, sources)
        )
    if figure and not any(occurs(f, q) for f in figure.split("\n") for q in quotes):
        diagnostics.append(_figure_not_quoted(record, figure.split("\n")))
    for dated in outline.dates:
        if not dated.has_basis and not states(dated.date, passages):
            story = outline.source[0]
            all_anchors = tuple(sources.anchors.get(story, ()))
            diagnostics.append(
                _no_basis(
                    record.document,
                    dated,
                    f"not in {named}",
                    _where_stated(dated.date, story, all_anchors, sources.passages(story) or ()),
                )
            )


def _check_event(
    record: Any, outline: Any, sources: Sources, diagnostics: list[Diagnostic]
) -> None:
    facts = [target for path, folder, target, _ in outline.refs if folder == "facts"]
    stories = [target for path, folder, target, _ in outline.refs if path[0] == "sources"]
    passages: list[str] = []
    if facts:
        named = "the segments its facts cite"
        for fact in facts:
            fact_outline = sources.outline("facts", fact)
            cited = _fact_passages(fact_outline.source if fact_outline else None, sources)
            if cited is None:
                return  # an unknown fact or segment: resolve reports it, not a missing basis
            passages += cited[1]
    else:
        named = "its source stories"
        for story in stories:
            found = sources.passages(story)
            if found is None:
                return
            passages += found
    for dated in outline.dates:
        if not dated.has_basis and not states(dated.date, passages):
            story = stories[0] if stories else ""
            hint = _where_stated(
                dated.date,
                story,
                tuple(sources.anchors.get(story, ())),
                sources.passages(story) or (),
            )
            diagnostics.append(_no_basis(record.document, dated, f"in none of {named}", hint))


def _check_roles(
    record: Any, outline: Any, sources: Sources, diagnostics: list[Diagnostic]
) -> None:
    role_sources = {
        path[1]: target
        for path, folder, target, _ in outline.refs
        if len(path) == 3 and path[0] == "roles" and path[2] == "source"
    }
    for dated in outline.dates:
        story = role_sources.get(dated.path[1])
        if dated.has_basis:
            continue
        if story is None:
            diagnostics.append(
                _no_basis(
                    record.document,
                    dated,
                    "stated by no source: the role names no source story",
                    "add the story that states the role as source, "
                    "or say in date_basis how the date was inferred",
                )
            )
            continue
        story_outline = sources.outline("stories", story)
        anchors = sources.anchors.get(story)
        if story_outline is None or anchors is None:
            return
        naming = sorted(
            {
                path[1]
                for path, folder, target, speaker in story_outline.refs
                if target == record.id and folder == "people" and path[0] == "segments"
            }
        )
        passages = [story_outline.passages[n] for n in naming if n < len(story_outline.passages)]
        if not states(dated.date, passages):
            where = (
                f"in none of the segments of story '{story}' where they speak or are named"
                if naming
                else f"in story '{story}', which names them in none of its segments"
            )
            diagnostics.append(
                _no_basis(
                    record.document,
                    dated,
                    where,
                    _where_stated(dated.date, story, tuple(anchors), story_outline.passages),
                )
            )


def _no_basis(document: Document, dated: Dated, where: str, hint: str) -> Diagnostic:
    name = str(dated.path[-1])
    return Diagnostic(
        document.locate(dated.path),
        Severity.ERROR,
        f"{name} {dated.date} is {where}, and no date_basis says how it was inferred",
        hint,
    )


# --- quotes ------------------------------------------------------------------------------


def _quote_error(
    record: Any,
    number: int,
    span: str,
    anchors: list[str],
    passages: list[str],
    named: str,
    source: tuple[str, str | None],
    sources: Sources,
) -> Diagnostic:
    words = span.split(" ")
    matched = _matched_words(words, passages)
    path: PathKey = ("quote", number)
    document: Document = record.document
    location = document.locate(path)
    label = f"quote {number + 1}" if len(record.item.quote) > 1 else "the quote"
    if matched == len(words):  # pragma: no cover - then the span is in a passage
        matched = 0
    location = _word_location(document, location, words, matched)
    if matched:
        message = (
            f"{label} is not the source's words: {named} reads otherwise from "
            f'"{words[matched]}" on'
        )
    else:
        message = f"{label} is not in {named}: not even its first word is there"
    story, segment = source
    elsewhere = [
        anchor
        for anchor, passage in zip(
            sources.anchors.get(story, ()), sources.passages(story) or (), strict=False
        )
        if occurs(span, passage) and anchor not in anchors
    ]
    if segment is not None and elsewhere:
        hint = (
            f"these words are in segment '{elsewhere[0]}' of the story: cite that segment "
            "as source.segment, or quote the words of segment "
            f"'{segment}'"
        )
    else:
        hint = f'the closest passage reads: "{closest(span, passages)}"'
    return Diagnostic(location, Severity.ERROR, message, hint)


# --- analysis blocks in insights -------------------------------------------------------
