"""Field types shared by the content models: ids, references, text, dates, links."""

from __future__ import annotations

import calendar
import math
import re
import typing
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from generator.read.strict_yaml import BareDate

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
MAX_ID_LENGTH = 80


def check_id(value: str) -> str | None:
    """Why ``value`` is not a valid id, or None when it is."""
    if not value:
        return "an id cannot be empty"
    if len(value) > MAX_ID_LENGTH:
        return f"an id is at most {MAX_ID_LENGTH} characters"
    if not _ID.fullmatch(value):  # match would let "chengdu\n" through: $ matches before \n
        return "an id is lowercase ASCII letters and digits joined by single hyphens"
    return None


def _text(value: Any) -> Any:
    """Markdown: any characters but those refused (see character_problem), line ends as LF."""
    if isinstance(value, BareDate):
        raise PydanticCustomError(
            "bare_date_text", "expected text, received a date; quote it to keep it as text"
        )
    if isinstance(value, str):
        _refuse_characters(value, one_line=False)
        if not value.strip():
            raise PydanticCustomError("empty_text", "text cannot be empty")
        if "\r" in value:  # only a "\r" escape gets one here: YAML reads line ends as LF
            value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _stripped_text(value: Any) -> Any:
    """One paragraph of text: _text's checks, then every run of whitespace (line breaks and
    tabs included) one space, none around it, as the site has always shown it. One call a
    field, and for most values (printable ASCII with single spaces) no more than a strip."""
    if value.__class__ is str:
        if value.isascii() and value.isprintable() and "  " not in value:
            stripped = value.strip()
            if stripped:
                return stripped
        else:
            _refuse_characters(value, one_line=False)
            collapsed = " ".join(value.split())
            if collapsed:
                return collapsed
    return _text(value)  # what is wrong with it, or a value the type then refuses


def one_line(value: Any) -> Any:
    """A value of one line (a choice, a date written as text): no line break, tab or other
    refused character."""
    if isinstance(value, str) and not (value.isascii() and value.isprintable()):
        _refuse_characters(value, one_line=True)
    return value


def _id(value: Any) -> Any:
    if value.__class__ is str and len(value) <= MAX_ID_LENGTH and _ID.fullmatch(value):
        return value  # most values: no call to work out what is wrong
    if isinstance(value, str):
        _refuse_characters(value, one_line=True)
        problem = check_id(value)
        if problem:
            raise PydanticCustomError(
                "invalid_id",
                "'{value}' is not a valid id: {problem}",
                {"value": value, "problem": problem},
            )
    return value


Text = Annotated[str, BeforeValidator(_stripped_text)]
"""One line or paragraph of plain text: never interpreted as Markdown or HTML. Line breaks and
tabs in it read as spaces (a long text may be folded over lines in YAML)."""

Markdown = Annotated[str, BeforeValidator(_text)]
"""Markdown text; raw HTML in it is shown as text, never passed through."""

Id = Annotated[str, BeforeValidator(_id)]


def no_items() -> Any:
    """A list field's default, empty: made by a factory, as a default list would be
    deep-copied for each item validated. The schema still shows editors the default."""
    return Field(default_factory=list, json_schema_extra={"default": []})


@dataclass(frozen=True)
class Reference:
    """Marks a field whose value is the id of an item of ``folder``'s kind."""

    folder: str


def referenced_folder(annotation: Any) -> str | None:
    """The folder a field's annotation refers to (through lists and optionals), if any."""
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, Reference):
            return meta.folder
    for arg in typing.get_args(annotation):
        folder = referenced_folder(arg)
        if folder:
            return folder
    return None


PersonRef = Annotated[Id, Reference("people")]
OrganizationRef = Annotated[Id, Reference("organizations")]
PlaceRef = Annotated[Id, Reference("places")]
TopicRef = Annotated[Id, Reference("topics")]
FactRef = Annotated[Id, Reference("facts")]
StoryRef = Annotated[Id, Reference("stories")]


# A whole web address: http or https, a host (a name, or an IP address in brackets), an
# optional port, then a path, query or fragment without spaces or the characters RFC 3986
# leaves out of URLs (quotes, <>, backslash, ^, `, {, |, }), which would end the address early
# in HTML, Markdown or XML, or make browsers read it otherwise (they take a backslash for '/').
_URL = re.compile(
    r"https?://"
    r"(?:[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.?|\[[0-9A-Fa-f:.]+\])"
    r"(?::[0-9]{1,5})?"
    r"(?:[/?#][^\s\"<>\\^`{|}]*)?"
)


def _url(value: Any) -> Any:
    if isinstance(value, str):
        if not (value.isascii() and value.isprintable()):
            _refuse_characters(value, one_line=True)
        if not _URL.fullmatch(value):
            problem, offset = _url_problem(value)
            raise PydanticCustomError("url", "{problem}", {"problem": problem, "offset": offset})
    return value


def _url_problem(value: str) -> tuple[str, int]:
    """What is wrong with an address, and where in it (-1: the whole address)."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    if not re.match(r"https?://", value):
        return f"'{shown}' is not a web address: only http:// and https:// links are allowed", -1
    if "@" in value.split("/", 3)[2]:
        return (
            f"'{shown}' is not a web address this site links to: a name before '@' "
            "(user@host) hides the host it leads to"
        ), value.index("@")
    bad = re.search(r"[\s\"<>\\^`{|}]", value)
    if bad:
        return (
            f"'{shown}' is not a web address: it holds {character_name(bad.group())}, "
            "which an address cannot hold (encode a space as %20)"
        ), bad.start()
    return f"'{shown}' is not a web address: it needs a host name after '//', e.g. example.org", -1


Url = Annotated[str, BeforeValidator(_text), BeforeValidator(_url)]
"""A whole http or https address (checked as a whole: nothing before or after it)."""


def _base_url(value: Any) -> Any:
    if isinstance(value, str) and ("?" in value or "#" in value):
        raise PydanticCustomError(
            "url",
            "'{value}' cannot be the site's address: every page's address is made by adding "
            "its path to it, so it cannot hold a query ('?') or a fragment ('#')",
            {"value": value},
        )
    return value


BaseUrl = Annotated[str, BeforeValidator(_text), BeforeValidator(_base_url), BeforeValidator(_url)]
"""The address the site is published at: a web address without query or fragment."""


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        shown = (
            "not a number (.nan)"
            if math.isnan(value)
            else ("infinity (.inf, or a number too large to hold, such as 1e400)")
        )
        raise PydanticCustomError(
            "not_finite", "expected a finite number, received {shown}", {"shown": shown}
        )
    return value


Number = Annotated[int | float, BeforeValidator(_finite)]
"""A whole or decimal number, finite: JSON and the data files can hold no other."""

HIDDEN_DIGITS = re.compile(r"<\s*>|\uff1c\s*\uff1e")
"""How the sources print withheld digits: <> (or its full-width form)."""


_MONTH_NAMES = tuple(calendar.month_name)  # calendar's looks each up through strftime


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date with the precision the source gives: a year, a year and month, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        if isinstance(value, bool):
            raise ValueError(
                "expected a date such as 2023, 2023-05 or 2023-05-17, received true/false"
            )
        if isinstance(value, int):
            return cls._make(value, None, None, str(value))
        if not isinstance(value, str):
            raise ValueError(
                f"expected a date such as 2023, 2023-05 or 2023-05-17, received {describe(value)}"
            )
        match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
        if not match:
            raise ValueError(f"'{value}' is not a date: write 2023, 2023-05 or 2023-05-17")
        year, month, day = (int(part) if part else None for part in match.groups())
        return cls._make(year or 0, month, day, value)

    @classmethod
    def _make(cls, year: int, month: int | None, day: int | None, text: str) -> PartialDate:
        if not 1000 <= year <= 2999:
            raise ValueError(f"'{text}' is not a plausible year")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month}: months run from 01 to 12")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(
                    f"'{text}' has no day {day}: "
                    f"{calendar.month_name[month]} {year} has {last} days"
                )
        return cls.of(year, month, day)

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
        """The one PartialDate for these parts: a site has a few thousand dates, shared by tens
        of thousands of items, so lists of them read a few objects, not one per item."""
        key = (year, month, day)
        found = _DATES.get(key)
        if found is None:
            found = _DATES[key] = cls(year, month, day)
        return found

    def __reduce__(self) -> tuple[Any, ...]:  # unpickled from the cache, shared all the same
        return (PartialDate.of, (self.year, self.month, self.day))

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        """ISO 8601 at the date's own precision: 2023, 2023-05 or 2023-05-17."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        """For readers: 2023, May 2023, 17 May 2023."""
        if self.month is None:
            return str(self.year)
        name = _MONTH_NAMES[self.month]
        return f"{self.day} {name} {self.year}" if self.day else f"{name} {self.year}"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: Any) -> PartialDate:
            if isinstance(value, PartialDate):
                return value
            one_line(value)
            try:
                return cls.parse(value)
            except ValueError as exc:
                raise PydanticCustomError("partial_date", str(exc)) from None

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 2999},
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
            ],
            "description": "A date at the precision the source gives: 2023, 2023-05 or 2023-05-17.",
        }


_DATES: dict[tuple[int, int | None, int | None], PartialDate] = {}


def describe(value: object) -> str:
    """How a received value reads in an error message."""
    if isinstance(value, BareDate):
        return "a date"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    return type(value).__name__


# ---------------------------------------------------------------------------------------------
# Characters a text may hold.
#
# Every string of the content (text, Markdown, web addresses, ids, choices, dates written as
# text, field names) is refused when it holds a character that breaks a page's front matter,
# the feed's XML, the data files or the reader's view of the text:
# - C0 controls, DEL and C1 controls (U+0000–U+001F, U+007F–U+009F). XML 1.0 and YAML cannot
#   carry most of them, and none shows as anything. Tab and line breaks are whitespace in text
#   (a Text reads them as one space, Markdown keeps them, a carriage return becoming a line
#   feed as YAML makes it of a file's own line ends); a one-line value (id, web address,
#   choice, date) refuses them too. NEL (U+0085) is a C1 control, and YAML 1.1 readers take
#   it for a line break: refused.
# - Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
#   reorder what follows them on screen, so a name or figure can show other than it is stored
#   ("Trojan Source"). The marks U+200E, U+200F and U+061C are allowed: they only set the
#   direction of neutral characters next to them, reorder nothing beyond, and mixed Arabic
#   or Hebrew and Latin text needs them; a value of nothing but marks is refused below.
# - Surrogates (YAML's parser refuses them already) and noncharacters (U+FDD0–U+FDEF and the
#   last two code points of every plane, U+FFFE and U+FFFF among them, which XML forbids).
# - A value made only of invisible characters (zero-width spaces and joiners, the word joiner,
#   U+FEFF, Hangul fillers, variation selectors …, with or without whitespace): it would show
#   as nothing, a link with no text.

_C0_NAMES = (
    "NULL|START OF HEADING|START OF TEXT|END OF TEXT|END OF TRANSMISSION|ENQUIRY|ACKNOWLEDGE|"
    "BELL|BACKSPACE|CHARACTER TABULATION|LINE FEED|LINE TABULATION|FORM FEED|CARRIAGE RETURN|"
    "SHIFT OUT|SHIFT IN|DATA LINK ESCAPE|DEVICE CONTROL ONE|DEVICE CONTROL TWO|"
    "DEVICE CONTROL THREE|DEVICE CONTROL FOUR|NEGATIVE ACKNOWLEDGE|SYNCHRONOUS IDLE|"
    "END OF TRANSMISSION BLOCK|CANCEL|END OF MEDIUM|SUBSTITUTE|ESCAPE|INFORMATION SEPARATOR FOUR|"
    "INFORMATION SEPARATOR THREE|INFORMATION SEPARATOR TWO|INFORMATION SEPARATOR ONE"
).split("|")
_C1_NAMES = (
    "PADDING CHARACTER|HIGH OCTET PRESET|BREAK PERMITTED HERE|NO BREAK HERE|INDEX|NEXT LINE|"
    "START OF SELECTED AREA|END OF SELECTED AREA|CHARACTER TABULATION SET|"
    "CHARACTER TABULATION WITH JUSTIFICATION|LINE TABULATION SET|PARTIAL LINE FORWARD|"
    "PARTIAL LINE BACKWARD|REVERSE LINE FEED|SINGLE SHIFT TWO|SINGLE SHIFT THREE|"
    "DEVICE CONTROL STRING|PRIVATE USE ONE|PRIVATE USE TWO|SET TRANSMIT STATE|CANCEL CHARACTER|"
    "MESSAGE WAITING|START OF GUARDED AREA|END OF GUARDED AREA|START OF STRING|"
    "SINGLE GRAPHIC CHARACTER INTRODUCER|SINGLE CHARACTER INTRODUCER|CONTROL SEQUENCE INTRODUCER|"
    "STRING TERMINATOR|OPERATING SYSTEM COMMAND|PRIVACY MESSAGE|APPLICATION PROGRAM COMMAND"
).split("|")

_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Searched only in a value Python does not find printable (every refused character is of a
# category it does not print: Cc, Cf, Cs or Cn). The noncharacters beyond U+FFFF are looked
# for apart: a class of the last two code points of every plane made every search 20 times
# slower.
_FORBIDDEN = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CONTROLS}\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_FORBIDDEN_ONE_LINE = re.compile(f"[\t\n\r]|{_FORBIDDEN.pattern}")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _forbidden(value: str, one_line: bool) -> re.Match[str] | None:
    """The first refused character of ``value``, if any."""
    if value.isprintable() or (
        not one_line and value.replace("\n", " ").replace("\t", " ").isprintable()
    ):
        return None
    found = (_FORBIDDEN_ONE_LINE if one_line else _FORBIDDEN).search(value)
    if not value.isascii() and max(value) > "\uffff":  # U+1FFFE, U+1FFFF … U+10FFFF
        for astral in _ASTRAL.finditer(value, 0, found.start() if found else len(value)):
            if ord(astral.group()) & 0xFFFE == 0xFFFE:
                return astral
    return found


# Letters and symbols that show as blank space (Unicode's Default_Ignorable_Code_Point list
# and the Hangul fillers and braille blank often used to fake an empty name).
_BLANK = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def character_name(char: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE: a character as an error message names it."""
    code = ord(char)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DELETE"
    elif 0x80 <= code <= 0x9F:
        name = _C1_NAMES[code - 0x80]
    else:  # a surrogate or a noncharacter has no name
        name = unicodedata.name(char, "")
    return f"U+{code:04X} {name}".rstrip()


def _invisible(char: str) -> bool:
    return char.isspace() or char in _BLANK or unicodedata.category(char) in ("Cf", "Cc", "Zs")


@dataclass(frozen=True)
class CharacterProblem:
    """What is wrong with the characters of a value: ``holds …``, said of the field."""

    offset: int
    """Where in the value the character is; -1 for the whole value."""
    message: str
    hint: str


def character_problem(value: str, *, one_line: bool) -> CharacterProblem | None:
    """Why ``value`` cannot be content text, or None. ``one_line``: tab and line breaks too."""
    found = _forbidden(value, one_line)
    if found is not None:
        char = found.group()
        name = character_name(char)
        code = ord(char)
        if char in "\t\n\r":
            why = (
                f"holds {name}: this field is one line",
                "write the value on one line, with "
                "nothing before or after it (no '|' or '>' block)",
            )
        elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            why = (
                f"holds {name}, a bidirectional control character that can make the text show "
                "in another order than it is stored",
                "delete it (it is invisible: retype the text around it); right-to-left text "
                "shows in its own direction without it (the marks U+200E and U+200F are allowed)",
            )
        elif 0xD800 <= code <= 0xDFFF:
            why = (
                f"holds {name}, half of a UTF-16 pair, not a character",
                "write the character itself",
            )
        elif code > 0x9F:
            why = (
                f"holds {name}, a noncharacter that Unicode reserves for programs' own use "
                "and XML cannot carry",
                "delete it (it is invisible: retype the text around it)",
            )
        else:
            why = (
                f"holds {name}, a control character that pages, feeds and data files cannot carry",
                "delete it (it is invisible: retype the text around it)",
            )
        return CharacterProblem(found.start(), *why)
    if not value.isascii() and all(map(_invisible, value)) and not value.isspace():
        shown = ", ".join(character_name(c) for c in dict.fromkeys(value) if not c.isspace())
        return CharacterProblem(
            -1,
            f"holds only invisible characters ({shown[:200]})",
            "write the text, or remove the field",
        )
    return None


def _refuse_characters(value: str, *, one_line: bool) -> None:
    problem = character_problem(value, one_line=one_line)
    if problem is not None:
        raise PydanticCustomError(
            "text_character",
            "the text {problem}",
            {"problem": problem.message, "hint": problem.hint, "offset": problem.offset},
        )
