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

from generator.load import BareDate

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
MAX_ID_LENGTH = 80


def check_id(value: str) -> str | None:
    """Why ``value`` is not a valid id, or None when it is."""
    if not value:
        return "an id cannot be empty"
    if len(value) > MAX_ID_LENGTH:
        return f"an id is at most {MAX_ID_LENGTH} characters"
    if not _ID.match(value):
        return "an id is lowercase ASCII letters and digits joined by single hyphens"
    return None


def _text(value: Any) -> Any:
    if isinstance(value, BareDate):
        raise PydanticCustomError(
            "bare_date_text", "expected text, received a date; quote it to keep it as text"
        )
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("empty_text", "text cannot be empty")
    return value


def _stripped_text(value: Any) -> Any:
    """_text, and the text without the space around it: one call a field, not two."""
    if value.__class__ is str:
        stripped = value.strip()
        if stripped:
            return stripped
    return _text(value)  # what is wrong with it, or a value the type then refuses


def _id(value: Any) -> Any:
    if value.__class__ is str and len(value) <= MAX_ID_LENGTH and _ID.match(value):
        return value  # most values: no call to work out what is wrong
    if isinstance(value, str):
        problem = check_id(value)
        if problem:
            raise PydanticCustomError(
                "invalid_id",
                "'{value}' is not a valid id: {problem}",
                {"value": value, "problem": problem},
            )
    return value


Text = Annotated[str, BeforeValidator(_stripped_text)]
"""One line or paragraph of plain text: never interpreted as Markdown or HTML."""

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


def _url(value: Any) -> Any:
    if isinstance(value, str) and not re.match(r"^https?://[^\s<>\"]+$", value):
        raise PydanticCustomError(
            "url_scheme",
            "'{value}' is not a web address: only http:// and https:// links are allowed",
            {"value": value},
        )
    return value


Url = Annotated[str, BeforeValidator(_text), BeforeValidator(_url)]


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
