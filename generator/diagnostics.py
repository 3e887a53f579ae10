"""Diagnostics: every problem in the content, with the place it comes from.

The library collects diagnostics and raises :class:`ContentError` carrying all of them;
only the CLI and the MkDocs plugin turn them into text and exit codes.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file; line and column are 1-based."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    location: Location
    severity: Severity = field(compare=False)
    message: str
    hint: str = ""

    def format(self) -> str:
        """``path:line:col: error: message`` and ``  hint: …``, each one line of printable
        text: a control character in a file name or message is shown as ``\x1b``, never sent
        to the terminal."""
        text = _printable(f"{self.location}: {self.severity.value}: {self.message}")
        if self.hint:
            text += f"\n  hint: {_printable(self.hint)}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, escaped as the runner unescapes it: nothing in a
        file name or message can end the command early or start another annotation."""
        loc = self.location
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        return (
            f"::{self.severity.value} file={_github_property(loc.path)},line={loc.line},"
            f"col={loc.column}::{_github_data(message)}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


# C0 and C1 controls and DEL (line breaks and tabs included: a diagnostic is one line) and the
# bidirectional controls that would reorder the line on screen.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class ContentError(Exception):
    """Raised when the content has errors; carries every diagnostic found, sorted."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        errors = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        super().__init__(f"{errors} error(s) in the content")

    def format(self) -> str:
        return format_text(self.diagnostics)


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(d.format() for d in diagnostics)


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(d.format_github() for d in diagnostics)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.as_dict() for d in diagnostics], indent=2, ensure_ascii=False)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choice, or an empty string."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


def a_or_an(noun: str) -> str:
    """'a person', 'an organization': the kinds' names read as English in messages."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def display_path(path: Path) -> str:
    """The path as an editor types it: relative to the working directory when inside it."""
    path = path.absolute()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
