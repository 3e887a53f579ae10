"""The figures a script prints, found in its sentences, for draft facts and candidate events.

A figure is a number with what it counts ("more than 150 enterprises", "<>.<> million pairs");
digits the source hides are printed as <>, and such a figure is withheld: the digits shown are
not the number, so it gets no value. A year is a fact (and a candidate event) only when its
sentence says something happened then ("In 2005, … awarded …"), not in "this year (2023)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUALIFIERS: dict[str, str] = {
    "more than": "more-than",
    "over": "more-than",
    "above": "more-than",
    "nearly": "less-than",
    "almost": "less-than",
    "less than": "less-than",
    "fewer than": "less-than",
    "under": "less-than",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "some": "about",
    "at least": "at-least",
    "at most": "at-most",
    "up to": "at-most",
    "超过": "more-than",
    "逾": "more-than",
    "近": "less-than",
    "约": "about",
    "至少": "at-least",
}
"""Words before a number and the qualifier they give it (Figure.qualifier)."""

SCALES = ("million", "billion", "thousand", "hundred", "trillion", "万", "亿", "千")
"""Words after the digits that belong to the unit ("<>.<> million pairs")."""

_QUALIFIER = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
_NUMBER = r"(?:\d|<>)(?:[\d,.]|<>)*(?<![,.])"
FIGURE = re.compile(
    rf"(?:(?P<qualifier>{_QUALIFIER})\s*)?(?P<number>{_NUMBER})"
    rf"(?P<unit>\s*(?:%|percent\b|%|(?:(?:{'|'.join(SCALES)})\s*)?[^\W\d_]+(?:\s+[^\W\d_']+){{0,2}}))?",
    re.IGNORECASE,
)
YEAR = re.compile(r"^(?:19|20)\d\d$")
HAPPENED = re.compile(
    r"(?:^|\b)(?:in|since|by|from)\s+(?P<year>(?:19|20)\d\d)\b|(?P<cjk>(?:19|20)\d\d)年",
    re.IGNORECASE,
)
"""A year the sentence puts something in: "In 2005, …", "since 2019", "2005年"."""
_PAST = re.compile(r"\b\w+ed\b|\b(?:won|began|became|held|set up|built|made|took|got)\b|了")
SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*(?=\s|$)|[。！？]+[”’）)]*")
"""The end of a sentence: a full stop before a space (not the one in 3.5 or <>.<>)."""
_STOP_UNITS = frozenset(
    "the a an and or of in to with this that is are was were has have had for from by on at "
    "as its their it which who last next this every each per".split()
)
_UNIT_WORDS = 3


@dataclass(frozen=True)
class Found:
    """A figure (or a dated happening) in one sentence of a segment."""

    sentence: str
    """The sentence, exactly as printed: the fact's statement and its quote."""
    as_printed: str
    """The figure as printed, e.g. "more than 1700,<>"; for a year, the year."""
    value: int | float | None
    unit: str
    qualifier: str
    withheld: str
    """none, partly (some digits shown) or fully (no digit shown)."""
    year: int | None = None
    """For a dated happening: its year (a fact's as_of, a candidate event's date)."""


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, whitespace flattened, each exactly as printed."""
    flat = " ".join(text.split())
    found, start = [], 0
    for end in SENTENCE_END.finditer(flat):
        found.append(flat[start : end.end()].strip())
        start = end.end()
    found.append(flat[start:].strip())
    return [s for s in found if s]


def figures_in(text: str) -> list[Found]:
    """Every figure and every dated happening in ``text``, sentence by sentence, in order."""
    found: list[Found] = []
    for sentence in sentences(text):
        for match in HAPPENED.finditer(sentence):
            year = int(match.group("year") or match.group("cjk"))
            if _PAST.search(sentence):
                found.append(Found(sentence, str(year), None, "", "exact", "none", year))
        for match in FIGURE.finditer(sentence):
            number = match.group("number")
            if YEAR.match(number) or _inside_word(sentence, match.start()):
                continue  # a year (dated happenings above), or digits inside a name
            if re.fullmatch(r"[\d,.]*", number) and not re.search(r"\d", number):
                continue
            unit = _unit(match.group("unit") or "")
            if not unit:
                continue  # a number that counts nothing the sentence names: left to editors
            withheld = (
                "fully" if not re.search(r"\d", number) else "partly" if "<>" in number else "none"
            )
            qualifier = QUALIFIERS.get((match.group("qualifier") or "").lower(), "exact")
            printed = sentence[match.start() : match.end("number")] + (
                match.group("unit")[: len(match.group("unit")) - len(match.group("unit").lstrip())]
                + unit
                if unit
                else ""
            )
            found.append(
                Found(sentence, printed, _value(number, withheld), unit, qualifier, withheld)
            )
    return found


def _inside_word(sentence: str, start: int) -> bool:
    before = sentence[start - 1] if start > 0 else " "
    return before.isascii() and (before.isalnum() or before in "-_/")


_CJK_UNIT = re.compile(r"[\u3400-\u9fff]{1,4}")
_CJK_STOP = re.compile("[的了在是有到展向和与及为将被]")


def _unit(text: str) -> str:
    """What a number counts: the words after it, up to a word that starts a new phrase (in
    Chinese, a measure word and a noun: at most four characters, before a particle or verb)."""
    if text.strip() in ("%", "%", "percent"):
        return text.strip()
    cjk = _CJK_UNIT.match(text.strip())
    if cjk:
        stop = _CJK_STOP.search(cjk.group(), 1)
        return cjk.group()[: stop.start()] if stop else cjk.group()
    kept: list[str] = []
    for word in text.split()[:_UNIT_WORDS]:
        lower = word.lower()
        if lower in _STOP_UNITS or (kept and lower.endswith(("ed", "ing"))) or "'" in word:
            break
        kept.append(word)
    if kept and kept[0].lower() in SCALES and len(kept) == 1 and len(text.split()) > 1:
        return ""  # "3 million" of what: the sentence says, not the figure
    return " ".join(kept)


def _value(number: str, withheld: str) -> int | float | None:
    """The number a figure's digits give; None for a withheld figure (its shown digits are
    not the number) or digits that read two ways (1,700 or 1.700)."""
    if withheld != "none":
        return None
    plain = number.replace(",", "")
    if number.count(",") and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", number):
        return None
    try:
        return int(plain) if "." not in plain else float(plain)
    except ValueError:
        return None
