"""A YAML file's text as its editor sees it: lines, indents, words and the tokens before an
error, to work back from where the parser stopped to the mistake (see yaml_causes)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from typing import Any

import yaml

try:  # the C parser is 8x faster and gives the same marks
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - libyaml is part of PyYAML's wheels
    from yaml import SafeLoader as Loader

Position = tuple[int, int]
"""A line and a column, from 1, in the file."""


ODD_BREAK = re.compile("[\x85\u2028\u2029]")


ODD_NAMES = {
    "\x85": "NEXT LINE (U+0085)",
    "\u2028": "LINE SEPARATOR (U+2028)",
    "\u2029": "PARAGRAPH SEPARATOR (U+2029)",
}


EDITOR_BREAK = re.compile("\r\n|[\r\n]")


class Lines:
    """Lines and columns as editors count them, for a text with a NEL, LS or PS character.

    The parser (YAML 1.1) breaks lines at those too; editors, git and YAML 1.2 do not. A
    position is worked out from the character's index instead, so that a diagnostic points
    where the editor shows the mistake.
    """

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in EDITOR_BREAK.finditer(text))]
        self.parser_starts = [0, *(m.end() for m in BREAK.finditer(text))]

    def at(self, index: int) -> Position:
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1, index - self.starts[line] + 1

    def of(self, line: int, column: int) -> Position:
        """A line and column (from 0) as the parser counts them, as an editor does."""
        if line >= len(self.parser_starts):
            return line + 1, column + 1
        return self.at(self.parser_starts[line] + column)


BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""Line breaks as the YAML parser counts lines."""


KEY_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?([^\s:#'\"\[\]{},&*!|>%@`-][^:#]*?):(?:[ \t]|$)")
"""A line that starts with a plain key, 'name:' (or '- name:'); group 1 is the key."""


KEY_BEFORE = re.compile(r"([^\s:#'\"\[\]{},-][^:#]*?):[ \t]*$")
"""The key that a value starting at the end of this text belongs to: '  - title: '."""


BLOCK_SCALAR = re.compile(r"[ \t]*(?:-[ \t]+)?([^:#]+?):[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")
"""A line whose value is a block of text ('summary: |'); group 1 is the key."""


QUOTE_HINT = {
    "'": "an apostrophe inside '…' is written twice (''), or quote the text with \"…\"",
    '"': 'a quote mark inside "…" is written \\", or quote the text with \'…\'',
}


Cause = tuple[int, int, str, str]
"""Line and column (from 0) of a syntax error's root cause, its message and hint."""


class SourceText:
    """The text around a YAML syntax error, and where the parser stopped in it."""

    def __init__(self, text: str, exc: yaml.MarkedYAMLError, lines: Lines | None) -> None:
        self.converter = lines
        self.lines = BREAK.split(text)
        self.text = text
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        mark, context = exc.problem_mark, exc.context_mark
        self.at = (mark.line, mark.column) if mark is not None else None
        self.index: int | None = mark.index if mark is not None else None
        self.opened = (context.line, context.column) if context is not None else None

    def _place(self, line: int, column: int) -> tuple[int, int]:
        """A line and column (from 0) as the parser counts them, as an editor counts them
        (from 1)."""
        if self.converter is None:
            return line + 1, column + 1
        return self.converter.of(line, column)

    def _line_no(self, line: int) -> int:
        return self._place(line, 0)[0]

    def _char(self, line: int, column: int) -> str:
        if line < len(self.lines) and column < len(self.lines[line]):
            return self.lines[line][column]
        return ""

    def _indent(self, line: int) -> int:
        text = self.lines[line]
        return len(text) - len(text.lstrip(" "))

    def _is_content(self, line: int) -> bool:
        stripped = self.lines[line].strip()
        return bool(stripped) and not stripped.startswith("#")

    def _content_before(self, line: int) -> Iterator[int]:
        """The lines before ``line`` that hold something, nearest first."""
        return (n for n in range(min(line, len(self.lines)) - 1, -1, -1) if self._is_content(n))

    def _content_after(self, line: int) -> Iterator[int]:
        """The lines after ``line`` that hold something, nearest first."""
        return (n for n in range(line + 1, len(self.lines)) if self._is_content(n))

    def _word(self, line: int, column: int) -> str:
        words = self.lines[line][column:].split(maxsplit=1)
        return words[0] if words else ""

    def _label(self, line: int, column: int | None = None) -> str:
        """How a hint names a line (or what starts at ``column`` in it): its key, or its
        first word; a list item as '- ' and that."""
        text = self.lines[line][self._indent(line) if column is None else column :]
        if text.startswith("- "):
            rest = text[2:].lstrip(" ")
            match = KEY_LINE.match(rest)
            return "- " + (match.group(1).strip() if match else self._first(rest))
        match = KEY_LINE.match(text)
        return match.group(1).strip() if match else self._first(text)

    @staticmethod
    def _first(text: str) -> str:
        words = text.split(maxsplit=1)
        return words[0].rstrip(":") if words else ""

    def _starts(self, line: int) -> list[tuple[int, str]]:
        """Where a line's nodes start, with how a hint names each: '  - title: x' starts
        a list item at column 2 ('- title') and a field at column 4 ('title')."""
        text = self.lines[line]
        column = self._indent(line)
        found = []
        while text[column : column + 2] == "- ":
            found.append((column, self._label(line, column)))
            column += 2 + len(text[column + 2 :]) - len(text[column + 2 :].lstrip(" "))
        return [*found, (column, self._label(line, column))]

    @functools.cached_property
    def _tokens(self) -> list[Any]:
        """The scalars the scanner reads before the place of the error (or all, without one)."""
        found: list[Any] = []
        loader = Loader(self.text)
        try:
            while True:
                token = loader.get_token()
                if token is None:
                    break
                start = token.start_mark
                if self.at is not None and (start.line, start.column) >= self.at:
                    break
                if token.__class__ is yaml.ScalarToken:
                    found.append(token)
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()
        return found

    @functools.cached_property
    def _quoted(self) -> list[Any]:
        """The quoted texts read before the place of the error."""
        before = self.text if self.index is None else self.text[: self.index]
        if "'" not in before and '"' not in before:  # no need to read the file again
            return []
        return [t for t in self._tokens if t.style in ("'", '"')]


def spaces(count: int) -> str:
    return "no space" if count == 0 else f"{count} space" + ("s" if count > 1 else "")


def closes_on_its_line(text: str) -> bool:
    """Whether the '[' or '{' that ``text`` starts with is closed on the same line."""
    depth = 0
    quote = ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return True
        elif char == "#":
            return False
    return False
