"""Characters a field may not hold: controls, bidirectional overrides and invisible characters, each
refused with its code point and name so the editor can find what they cannot see."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pydantic_core import PydanticCustomError

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


def refuse_characters(value: str, *, one_line: bool) -> None:
    problem = character_problem(value, one_line=one_line)
    if problem is not None:
        raise PydanticCustomError(
            "text_character",
            "the text {problem}",
            {"problem": problem.message, "hint": problem.hint, "offset": problem.offset},
        )


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
