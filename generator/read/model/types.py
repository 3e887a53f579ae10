"""Field types shared by the content models: ids, references, text, dates, links."""

from __future__ import annotations

import calendar
import re
import typing
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

from generator.read.model.characters import character_name, refuse_characters
from generator.read.yaml_scalars import BareDate

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
        refuse_characters(value, one_line=False)
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
            refuse_characters(value, one_line=False)
            collapsed = " ".join(value.split())
            if collapsed:
                return collapsed
    return _text(value)  # what is wrong with it, or a value the type then refuses


def one_line(value: Any) -> Any:
    """A value of one line (a choice, a date written as text): no line break, tab or other
    refused character."""
    if isinstance(value, str) and not (value.isascii() and value.isprintable()):
        refuse_characters(value, one_line=True)
    return value


def _id(value: Any) -> Any:
    if value.__class__ is str and len(value) <= MAX_ID_LENGTH and _ID.fullmatch(value):
        return value  # most values: no call to work out what is wrong
    if isinstance(value, str):
        refuse_characters(value, one_line=True)
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
            refuse_characters(value, one_line=True)
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
