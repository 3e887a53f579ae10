"""What a plain YAML scalar means, by YAML 1.2's core schema: null, a boolean, a number, a
bare date, or text; and the values YAML 1.1 would read otherwise, which are ambiguous."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_NUMBER_CHARS = 30  # int() refuses over 4,300 digits; no real figure has 30
"""The longest number a file may hold unquoted."""


class BareDate(str):
    """An unquoted scalar that YAML 1.1 would have turned into a date."""


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """A plain value YAML 1.1 (or a careless reader) would take for something else."""

    message: str
    hint: str


_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")


_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")


_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


_SPECIAL_FLOAT = {
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}


_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")


_OTHER_NUMBER = re.compile(
    r"^[-+]?(?:0[0-9_]+|0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?)$"
)


_MAY_BE_SPECIAL = frozenset("~nNtTfFyYoO0123456789+-.")
"""What a plain scalar that is more than text (any pattern above) can start with; of those
that start with a letter (null, booleans), none is longer than five characters."""


_DATE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+).*)?$")


def is_word(value: str) -> bool:
    """Whether a plain scalar is text by its first character and length alone: no null,
    boolean, number or date starts so, or is so long."""
    return bool(value) and (
        value[0] not in _MAY_BE_SPECIAL or len(value) > 5 and value[0].isalpha()
    )


def is_text(event: Any) -> bool:
    """Whether a scalar is text by the first of Composer._scalar's rules: untagged, and
    quoted, a block, or a plain word (is_word)."""
    if event.tag is not None:
        return False
    return not event.implicit[0] or is_word(event.value)


_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


def plain_value(value: str) -> Any:
    """What an untagged plain scalar means: None, a bool, an int, a float, a BareDate or the
    text itself; Ambiguous for a value YAML 1.1 would misread."""
    if is_word(value):
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _YAML11_BOOL.match(value):
        return Ambiguous(
            f"'{value}' is ambiguous: YAML 1.1 reads it as a boolean",
            f'write "{value}" in quotes for text, or true/false for a yes-or-no field',
        )
    if _OTHER_NUMBER.match(value):
        return Ambiguous(
            f"'{value}' is ambiguous: YAML reads it as an octal, hexadecimal or grouped number",
            f'write "{value}" in quotes for text, or the plain decimal number',
        )
    if len(value) > MAX_NUMBER_CHARS and (_INT.match(value) or _FLOAT.match(value)):
        return Ambiguous(
            f"a number of {len(value):,} characters is too long (at most {MAX_NUMBER_CHARS})",
            "put it in quotes if it is text, or shorten it",
        )
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if value.lower() in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[value.lower()]
    if _SEXAGESIMAL.match(value):
        return Ambiguous(
            f"'{value}' is ambiguous: YAML 1.1 reads it as a base-60 number",
            f'write "{value}" in quotes to keep it as text',
        )
    if _DATE.match(value):
        return BareDate(value)
    return value
