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
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, Location, Severity
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
        if span.count(" ") + 1 < MIN_QUOTE_WORDS:
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


MIN_QUOTE_WORDS = 3
"""Fewer words than this state nothing a reader could check a fact against."""


def occurs(span: str, passage: str) -> bool:
    """Whether the span is in the passage as whole words: "reduces the trade link" is not in
    "reduces the trade links", nor "educes" in "reduces"."""
    start = passage.find(span)
    while start >= 0:
        end = start + len(span)
        if (start == 0 or not (span[0].isalnum() and passage[start - 1].isalnum())) and (
            end == len(passage) or not (span[-1].isalnum() and passage[end].isalnum())
        ):
            return True
        start = passage.find(span, start + 1)
    return False


def _figure_not_quoted(record: Any, forms: list[str]) -> Diagnostic:
    figure = record.item.figure
    field = "as_printed" if figure.as_printed else "value"
    shown = " or ".join(f'"{f}"' for f in forms)
    return Diagnostic(
        record.document.locate(("figure", field)),
        Severity.ERROR,
        f"the figure is not in the quote: {shown} is in none of its spans",
        "quote the words that print the figure, as the source prints them, "
        "or correct the figure to what the source prints",
    )


def _short_quote(record: Any, number: int) -> Diagnostic:
    label = f"quote {number + 1}" if len(record.item.quote) > 1 else "the quote"
    return Diagnostic(
        record.document.locate(("quote", number)),
        Severity.ERROR,
        f"{label} is too short to check the fact against: fewer than {MIN_QUOTE_WORDS} words",
        "quote the words of the segment that state the fact, not a word or two of them",
    )


def _matched_words(words: list[str], passages: list[str]) -> int:
    """How many of the span's first words occur, in order and together, in one passage."""
    low, high = 0, len(words)
    while low < high:  # a longer prefix found implies every shorter one is
        middle = (low + high + 1) // 2
        prefix = " ".join(words[:middle])
        if any(occurs(prefix, passage) for passage in passages):
            low = middle
        else:
            high = middle - 1
    return low


def closest(span: str, passages: list[str]) -> str:
    """The run of words in the passages most like ``span``: as long as it, give or take."""
    size = len(span.split(" "))
    best, best_ratio = "", -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(span)
    for passage in passages:
        words = passage.split(" ")
        for start in range(max(1, len(words) - size + 1)):
            window = " ".join(words[start : start + size])
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = window, ratio
    return best


_OPENING = re.compile(r"(?:[>|][+-]?[0-9]?[+-]?)?[ \t\r\n\"']*")
"""What may stand between where a value starts and its first word: a block scalar's
indicator, line breaks and indentation, an opening quotation mark."""
_BETWEEN = re.compile(r"[ \t\r\n\\]*")
"""What may stand between two words of a value in the file: spaces, line breaks, and the
backslash that continues a double-quoted line."""


def _raw(word: str) -> re.Pattern[str]:
    """A word as YAML may write it: an escaped double quote, a doubled single quote."""
    return re.compile(
        "".join(r'\\?"' if c == '"' else "'{1,2}" if c == "'" else re.escape(c) for c in word)
    )


def _word_location(document: Document, start: Location, words: list[str], matched: int) -> Location:
    """Where the word the span departs at stands in the file, or ``start`` when the file's
    text there is not the span's words one after another (an escape we do not follow)."""
    text = document.text
    lines = text.split("\n")
    if start.line > len(lines):
        return start
    at = sum(len(line) + 1 for line in lines[: start.line - 1]) + start.column - 1
    gap = _OPENING
    target = at
    for word in words[: matched + 1]:
        at = gap.match(text, at).end()  # type: ignore[union-attr]  # both match ""
        found = _raw(word).match(text, at)
        if found is None:
            return start
        target, at = at, found.end()
        gap = _BETWEEN
    line = text.count("\n", 0, target) + 1
    column = target - (text.rfind("\n", 0, target) + 1) + 1
    return Location(start.path, line, column)


# --- analysis blocks in insights -------------------------------------------------------

ANALYSIS_LABEL = "Analysis"
_ANALYSIS_START = re.compile(r"^([ \t]*)(!!!|\?\?\?\+?)[ \t]*([\w-]*)(.*)$", re.M)


@dataclass(frozen=True)
class AnalysisBlock:
    start: int
    """Offset of the block's first line in the body."""
    end: int
    """Offset just past its last indented line."""
    header: str
    """The block's first line, without its indent."""
    header_start: int
    """Where that line's text starts in the body."""
    header_problem: str
    """Why the block's first line is not ``!!! analysis`` as written, or empty."""


def _indent(line: str) -> int:
    return len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))


def analysis_blocks(body: str) -> list[AnalysisBlock]:
    """The analysis blocks of an insight's body: a line ``!!! analysis`` (at any indent, as
    inside a list) and the lines after it indented deeper, or blank."""
    blocks: list[AnalysisBlock] = []
    for match in _ANALYSIS_START.finditer(body):
        if match.group(3).lower() != "analysis":
            continue
        indent = _indent(match.group(1))
        end = match.end()
        position = end + 1
        while position < len(body):
            line_end = body.find("\n", position)
            line_end = len(body) if line_end < 0 else line_end
            line = body[position:line_end]
            if line.strip():
                if _indent(line) <= indent:
                    break
                end = line_end
            position = line_end + 1
        before = body[: match.start()].split("\n")  # [..., line above, this line's indent]
        problem = ""
        if match.group(2) != "!!!" or match.group(3) != "analysis" or match.group(4).strip():
            problem = (
                "write the block's first line as '!!! analysis', nothing more: it is shown "
                f'to readers, open, under the label "{ANALYSIS_LABEL}"'
            )
        elif len(before) > 1 and before[-2].strip():
            problem = (
                "leave a blank line before '!!! analysis': without one it is read as part "
                "of the paragraph above, and readers would not see the block"
            )
        elif end == match.end():
            problem = (
                "an analysis block holds the paragraphs under '!!! analysis', indented by "
                "four spaces: this one has none"
            )
        header = match.group(0)[len(match.group(1)) :].rstrip()
        blocks.append(AnalysisBlock(match.start(), end, header, match.start(2), problem))
    return blocks


__all__ = [
    "ANALYSIS_LABEL",
    "AnalysisBlock",
    "Dated",
    "Sources",
    "analysis_blocks",
    "check_record",
    "closest",
    "date_patterns",
    "states",
]
