"""Quotes against their source: whether a span occurs in a passage word for word, how much of it
does, the closest passage for a hint, and where in the file a departing word is."""

from __future__ import annotations

import difflib
import re
from typing import Any

from generator.diagnostics import Diagnostic, Location, Severity
from generator.read.load import Document

MIN_QUOTE_WORDS = 3
"""Fewer words than this state nothing a reader could check a fact against."""

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+")


def quote_words(span: str) -> int:
    """How many words a span has: runs between spaces, and each Chinese character, which is
    a word of its own in a script written without spaces."""
    return len(_WORD.findall(span))


def occurs(span: str, passage: str) -> bool:
    """Whether the span is in the passage as whole words: "reduces the trade link" is not in
    "reduces the trade links", nor "educes" in "reduces". A Chinese character is a word of its
    own: Chinese text has no spaces, so a span may start or end at any of them."""
    start = passage.find(span)
    while start >= 0:
        end = start + len(span)
        if (start == 0 or _apart(passage[start - 1], span[0])) and (
            end == len(passage) or _apart(span[-1], passage[end])
        ):
            return True
        start = passage.find(span, start + 1)
    return False


def _apart(before: str, after: str) -> bool:
    """Whether two neighbouring characters may belong to different words."""
    return not (before.isalnum() and after.isalnum()) or bool(
        _CJK.match(before) or _CJK.match(after)
    )


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
