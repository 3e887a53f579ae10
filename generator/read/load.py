"""Load: YAML files → plain data, with the source position of every key and value.

The reader is strict on purpose (after strictyaml): duplicate keys, anchors and aliases,
and YAML 1.1's guesses (``no`` → false, ``12:30`` → 750, ``0o17``) are errors, not values.
Plain scalars resolve as in YAML 1.2's core schema; a bare date stays a :class:`BareDate`
so that a date field can take it and a text field can refuse it.
"""

from __future__ import annotations

import bisect
import errno
import functools
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, Location, Severity, display_path

try:  # the C parser is 8x faster and gives the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is part of PyYAML's wheels
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 100_000
MAX_NUMBER_CHARS = 30  # int() refuses over 4,300 digits; no real figure has 30

PathKey = tuple[str | int, ...]
Position = tuple[int, int]
"""A line and a column, from 1, in the file."""


class BareDate(str):
    """An unquoted scalar that YAML 1.1 would have turned into a date."""


class Document:
    """One content file: its data, its text, and where each value and key stands in it.

    The positions are worked out only when something asks for one (to locate a diagnostic),
    by reading the text again: a file without a problem never needs them, and building them
    for every value of every file was a seventh of reading the content.
    """

    def __init__(self, path: Path, display: str, data: Any, text: str) -> None:
        self.path = path
        self.display = display
        self.data = data
        """The file's plain data; None once validation has made it into an item."""
        self.text = text
        """The file's text as read (a leading byte-order mark removed)."""
        self._positions: tuple[dict[PathKey, Position], dict[PathKey, Position]] | None = None

    @property
    def values(self) -> dict[PathKey, Position]:
        """Where each value starts, by its path of keys and list indexes."""
        return self._tables()[0]

    @property
    def keys(self) -> dict[PathKey, Position]:
        """Where each mapping key starts, by the path of the value it names."""
        return self._tables()[1]

    def _tables(self) -> tuple[dict[PathKey, Position], dict[PathKey, Position]]:
        if self._positions is None:
            composer = _Composer(self.display, self.text)
            try:
                composer.compose()
            except LoadError:  # pragma: no cover - the text was read without one before
                pass
            self._positions = composer.values, composer.keys
        return self._positions

    def locate(self, key: PathKey, *, at_key: bool = False) -> Location:
        """The location of the value at ``key``, or of its nearest enclosing value."""
        table = self.keys if at_key else self.values
        while True:
            if key in table:
                return Location(self.display, *table[key])
            if at_key and key in self.values:
                return Location(self.display, *self.values[key])
            if not key:
                return Location(self.display, 1, 1)
            key = key[:-1]


class LoadError(Exception):
    """A file that cannot be read as content; carries every problem found in it, in order.

    A syntax error stops the parser, so it comes alone; the traps the parser survives
    (YAML 1.1 guesses, duplicate keys) are all collected, so one run reports them all.
    """

    def __init__(self, diagnostic: Diagnostic, *more: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.diagnostics = [diagnostic, *more]


_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
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

_NOT_SPACE = re.compile(r"\S")
_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


def _is_word(value: str) -> bool:
    """Whether a plain scalar is text by its first character and length alone: no null,
    boolean, number or date starts so, or is so long."""
    return bool(value) and (
        value[0] not in _MAY_BE_SPECIAL or len(value) > 5 and value[0].isalpha()
    )


def _is_text(event: Any) -> bool:
    """Whether a scalar is text by the first of _Composer._scalar's rules: untagged, and
    quoted, a block, or a plain word (_is_word)."""
    if event.tag is not None:
        return False
    return not event.implicit[0] or _is_word(event.value)


def load_file(path: Path, display: str | None = None) -> Document:
    """Read one YAML file, shown in diagnostics as ``display`` (by default, as display_path
    shows it). Raises :class:`LoadError` with a located diagnostic."""
    display = display_path(path) if display is None else display
    raw = read_regular(path, display)
    text = _decode(raw, display)
    first = _NOT_SPACE.search(text)  # most files start with a field: no line is looked at
    if (
        first is None
        or first.group() == "#"
        and all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
    ):
        raise LoadError(
            _error(
                display,
                1,
                1,
                "file is empty",
                "write the item's fields, or delete the file; `python -m generator new KIND ID` "
                "writes a template",
            )
        )
    return Document(path, display, _compose(display, text), text)


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a symbolic link as the last part of the path fails
    | getattr(os, "O_NONBLOCK", 0)  # a named pipe opens at once instead of waiting for a writer
    | getattr(os, "O_CLOEXEC", 0)
)


def read_regular(path: Path, display: str | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file, at most MAX_FILE_BYTES of them.

    Never through a symbolic link, never from a pipe, socket, device or folder: the file is
    opened without following a link and without waiting, then checked for what it is before
    anything is read, so a file swapped for a link or a pipe after the folder was listed is
    still refused. Raises :class:`LoadError` (located at 1:1) for what is not a regular
    file or is too big, OSError for what cannot be read.
    """
    display = display_path(path) if display is None else display
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            raise exc from None
        if not stat.S_ISREG(mode) or exc.errno in (errno.ELOOP, errno.ENXIO):
            raise LoadError(refusal(display, mode)) from None
        raise
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            raise LoadError(refusal(display, found.st_mode))
        if found.st_size > MAX_FILE_BYTES:
            raise LoadError(_too_big(display, found.st_size))
        chunks = []
        left = MAX_FILE_BYTES + 1  # a file that grows while it is read is still cut off
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(handle)
    raw = b"".join(chunks)
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(_too_big(display, len(raw)))
    return raw


def _too_big(display: str, size: int) -> Diagnostic:
    return _error(
        display,
        1,
        1,
        f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes",
        "split the item into smaller files, or shorten its text",
    )


_LINK_HINT = (
    "content is read only from regular files inside the content folder, never through a "
    "link: put the file itself here, or remove the link"
)


def refusal(display: str, mode: int, folder_hint: str = "") -> Diagnostic:
    """The error for a content path whose own mode (from lstat, never following a link) is
    not a regular file's. ``folder_hint`` says what to do when it is a folder where a file
    is expected."""
    name = display.rstrip("/").rsplit("/", 1)[-1]
    if stat.S_ISLNK(mode):
        return _error(display, 1, 1, f"'{name}' is a symbolic link", _LINK_HINT)
    if stat.S_ISDIR(mode):
        return _error(
            display,
            1,
            1,
            f"'{name}' is a folder, not a file",
            folder_hint or "an item is one .yaml file: move what the folder holds out of it",
        )
    what = (
        "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a special file"
    )
    return _error(
        display,
        1,
        1,
        f"'{name}' is not a regular file (it is {what})",
        "content is read only from regular files: remove it, and save the item as a .yaml file",
    )


def _compose(display: str, text: str) -> Any:
    """A file's data: read quickly, without positions, unless it has a problem to locate."""
    try:
        return _Composer(display, text, quick=True).compose()
    except _Retry:
        return _Composer(display, text).compose()


class _Retry(Exception):
    """The quick reading met something to report: read the file again, noting positions."""


def _decode(raw: bytes, display: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise LoadError(
            _error(
                display,
                line,
                column,
                f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be decoded)",
                "save the file as UTF-8 in your editor",
            )
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise LoadError(
            _error(
                display,
                line,
                1,
                "file contains a NUL character",
                "save the file as plain UTF-8 text",
            )
        )
    return text


def _error(display: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Location(display, line, column), Severity.ERROR, message, hint)


class _Composer:
    """Builds plain data from the parser's events, checking as it goes.

    With ``quick``, notes no positions and stops at the first problem (raising _Retry) that
    needs them or that more problems may follow; a file without one is read in one pass.
    """

    def __init__(self, display: str, text: str, *, quick: bool = False) -> None:
        self.display = display
        self.text = text
        self.quick = quick
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.nodes = 0
        self.problems: list[Diagnostic] = []
        self.lines = _Lines(text) if _ODD_BREAK.search(text) else None
        """Set when the parser counts lines otherwise than editors (see _Lines)."""

    def compose(self) -> Any:
        """The file's data; raises LoadError with every problem found, in order."""
        loader = _Loader(self.text)
        # The parser's events, up to None once the stream has ended: a loop in C.
        events: Iterator[yaml.Event] = iter(loader.get_event, None)
        try:
            next(events)  # StreamStart
            start = next(events)
            if isinstance(start, yaml.StreamEndEvent):  # only comments
                raise LoadError(
                    _error(
                        self.display,
                        1,
                        1,
                        "file is empty",
                        "write the item's fields, or delete the file",
                    )
                )
            if self.quick:
                data = self._quick_node(events, next(events), 0)
                if self.nodes > MAX_NODES:
                    raise _Retry
            else:
                data = self._node(events, next(events), (), 0)
            next(events)  # DocumentEnd
            extra = next(events)
            if not isinstance(extra, yaml.StreamEndEvent):
                raise LoadError(
                    self._at(
                        extra.start_mark,
                        "file holds more than one YAML document",
                        "one item a file: remove the '---' and what follows, "
                        "or move it to its own file",
                    )
                )
        except yaml.MarkedYAMLError as exc:
            raise LoadError(self._syntax(exc)) from None
        except yaml.YAMLError as exc:
            raise LoadError(_error(self.display, 1, 1, f"YAML error: {exc}")) from None
        finally:
            loader.dispose()
        if self.problems:
            raise LoadError(*self.problems)
        return data

    def _at(self, mark: Any, message: str, hint: str = "") -> Diagnostic:
        return _error(self.display, *self._position(mark), message, hint)

    def _position(self, mark: Any) -> Position:
        """Where a mark is, as an editor counts lines and columns (from 1)."""
        if self.lines is None:
            return mark.line + 1, mark.column + 1
        return self.lines.at(mark.index)

    def _syntax(self, exc: yaml.MarkedYAMLError) -> Diagnostic:
        try:
            cause = _Cause(self.text, exc, self.lines).find()
        except Exception:  # pragma: no cover - a guess that fails must not cost the error
            cause = None
        if cause is not None:
            line, column, message, hint = cause
            if self.lines is not None:
                line, column = self.lines.of(line, column)
            else:
                line, column = line + 1, column + 1
            return _error(self.display, line, column, f"YAML syntax error: {message}", hint)
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        hint = "check the indentation and the quotes around this place"
        if "mapping values are not allowed" in problem:
            hint = "a value that contains ': ' must be quoted, or written as a block with '|'"
        elif "could not find expected ':'" in problem:
            hint = "each field is written 'name: value'; a long text needs quotes or '|'"
        elif any(word in f"{problem} {exc.context}" for word in ("alias", "anchor")):
            hint = "anchors (&) and aliases (*) are not allowed in content"
        if mark is None:
            return _error(self.display, 1, 1, f"YAML syntax error: {problem}", hint)
        if exc.context and exc.context not in problem:
            problem = f"{problem} ({exc.context})"
        return self._at(mark, f"YAML syntax error: {problem}", hint)

    def _too_much(self, event: yaml.Event, depth: int) -> None:
        if self.nodes > MAX_NODES:
            raise LoadError(
                self._at(
                    event.start_mark,
                    f"file has more than {MAX_NODES:,} values",
                    "a content item is small; split this list into separate items",
                )
            )
        if depth > MAX_DEPTH:
            raise LoadError(
                self._at(
                    event.start_mark,
                    f"nesting is deeper than {MAX_DEPTH} levels",
                    "content items are shallow: check the indentation",
                )
            )

    def _quick_node(self, events: Iterator[yaml.Event], event: yaml.Event, depth: int) -> Any:
        """As _node, noting no positions; anything unusual is read again by _node.

        Most values are text: a mapping or list takes those in its own loop, with no call.
        How many values there were is checked once the file is read (see compose).
        """
        self.nodes += 1
        kind = event.__class__
        # At the deepest level allowed, a container's values would be too deep: let _node say.
        if depth >= MAX_DEPTH or kind is _ALIAS or event.anchor:
            raise _Retry
        if kind is _SCALAR:
            return event.value if _is_text(event) else self._scalar(event)
        if kind is _MAPPING:
            mapping: dict[str, Any] = {}
            for child in events:
                if child.__class__ is _MAPPING_END:
                    return mapping
                if child.__class__ is _SCALAR and child.value and not child.anchor:
                    name = child.value  # a plain key, as _key reads it
                else:
                    name = self._key(child)
                if name in mapping:
                    raise _Retry
                value = next(events)
                if value.__class__ is _SCALAR and not value.anchor and _is_text(value):
                    self.nodes += 1
                    mapping[name] = value.value
                else:
                    mapping[name] = self._quick_node(events, value, depth + 1)
        if kind is _SEQUENCE:
            items: list[Any] = []
            for child in events:
                if child.__class__ is _SEQUENCE_END:
                    return items
                if child.__class__ is _SCALAR and not child.anchor and _is_text(child):
                    self.nodes += 1
                    items.append(child.value)
                else:
                    items.append(self._quick_node(events, child, depth + 1))
        raise _Retry  # pragma: no cover

    def _node(
        self, events: Iterator[yaml.Event], event: yaml.Event, key: PathKey, depth: int
    ) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            self._too_much(event, depth)
        kind = event.__class__
        if kind is yaml.AliasEvent:
            raise LoadError(
                self._at(
                    event.start_mark,
                    "aliases (*name) are not allowed in content",
                    "write the value out in full",
                )
            )
        if getattr(event, "anchor", None):
            raise LoadError(
                self._at(
                    event.start_mark,
                    "anchors (&name) are not allowed in content",
                    "remove the anchor and write each value out in full",
                )
            )
        mark = event.start_mark
        self.values[key] = self._position(mark)
        if kind is yaml.ScalarEvent:
            return self._scalar(event)
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            for child in events:
                if child.__class__ is yaml.SequenceEndEvent:
                    return items
                items.append(self._node(events, child, (*key, len(items)), depth + 1))
        if kind is yaml.MappingStartEvent:
            mapping: dict[str, Any] = {}
            for child in events:
                if child.__class__ is yaml.MappingEndEvent:
                    return mapping
                name = self._key(child)
                path = (*key, name)
                if name in mapping:
                    first = self.keys[path]
                    self.problems.append(
                        self._at(
                            child.start_mark,
                            f"duplicate key '{name}'",
                            f"'{name}' is already set at line {first[0]}; keep one of them",
                        )
                    )
                    self._node(events, next(events), (*key, f"{name} (again)"), depth + 1)
                    continue
                mark = child.start_mark
                self.keys[path] = self._position(mark)
                mapping[name] = self._node(events, next(events), path, depth + 1)
        raise LoadError(self._at(event.start_mark, "unexpected YAML structure"))  # pragma: no cover

    def _key(self, event: yaml.Event) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            raise LoadError(
                self._at(
                    event.start_mark, "a key must be a plain name", "write keys as 'name: value'"
                )
            )
        if getattr(event, "anchor", None):
            raise LoadError(
                self._at(event.start_mark, "anchors (&name) are not allowed in content")
            )
        value = event.value
        if not value:
            raise LoadError(self._at(event.start_mark, "empty key", "write keys as 'name: value'"))
        return value

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        value = event.value
        if event.tag not in (None, "!"):
            raise LoadError(
                self._at(
                    event.start_mark,
                    f"YAML tags such as '{event.tag}' are not allowed",
                    "remove the tag; write the plain value",
                )
            )
        if not event.implicit[0]:  # quoted or block: always text
            return value
        if _is_word(value):
            return value
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _YAML11_BOOL.match(value):
            return self._trap(
                event,
                self._at(
                    event.start_mark,
                    f"'{value}' is ambiguous: YAML 1.1 reads it as a boolean",
                    f'write "{value}" in quotes for text, or true/false for a yes-or-no field',
                ),
            )
        if _OTHER_NUMBER.match(value):
            return self._trap(
                event,
                self._at(
                    event.start_mark,
                    f"'{value}' is ambiguous: YAML reads it as an octal, hexadecimal "
                    "or grouped number",
                    f'write "{value}" in quotes for text, or the plain decimal number',
                ),
            )
        if len(value) > MAX_NUMBER_CHARS and (_INT.match(value) or _FLOAT.match(value)):
            return self._trap(
                event,
                self._at(
                    event.start_mark,
                    f"a number of {len(value):,} characters is too long "
                    f"(at most {MAX_NUMBER_CHARS})",
                    "put it in quotes if it is text, or shorten it",
                ),
            )
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        if value.lower() in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[value.lower()]
        if _SEXAGESIMAL.match(value):
            return self._trap(
                event,
                self._at(
                    event.start_mark,
                    f"'{value}' is ambiguous: YAML 1.1 reads it as a base-60 number",
                    f'write "{value}" in quotes to keep it as text',
                ),
            )
        if _DATE.match(value):
            return BareDate(value)
        return value

    def _trap(self, event: yaml.ScalarEvent, problem: Diagnostic) -> str:
        """Note a value YAML 1.1 would misread, and read on so the rest of the file is checked."""
        if self.quick:
            raise _Retry
        self.problems.append(problem)
        return str(event.value)


_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_ODD_NAMES = {
    "\x85": "NEXT LINE (U+0085)",
    "\u2028": "LINE SEPARATOR (U+2028)",
    "\u2029": "PARAGRAPH SEPARATOR (U+2029)",
}
_EDITOR_BREAK = re.compile("\r\n|[\r\n]")


class _Lines:
    """Lines and columns as editors count them, for a text with a NEL, LS or PS character.

    The parser (YAML 1.1) breaks lines at those too; editors, git and YAML 1.2 do not. A
    position is worked out from the character's index instead, so that a diagnostic points
    where the editor shows the mistake.
    """

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _EDITOR_BREAK.finditer(text))]
        self.parser_starts = [0, *(m.end() for m in _BREAK.finditer(text))]

    def at(self, index: int) -> Position:
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1, index - self.starts[line] + 1

    def of(self, line: int, column: int) -> Position:
        """A line and column (from 0) as the parser counts them, as an editor does."""
        if line >= len(self.parser_starts):
            return line + 1, column + 1
        return self.at(self.parser_starts[line] + column)


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""Line breaks as the YAML parser counts lines."""
_KEY_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?([^\s:#'\"\[\]{},&*!|>%@`-][^:#]*?):(?:[ \t]|$)")
"""A line that starts with a plain key, 'name:' (or '- name:'); group 1 is the key."""
_KEY_BEFORE = re.compile(r"([^\s:#'\"\[\]{},-][^:#]*?):[ \t]*$")
"""The key that a value starting at the end of this text belongs to: '  - title: '."""
_BLOCK_SCALAR = re.compile(r"[ \t]*(?:-[ \t]+)?([^:#]+?):[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")
"""A line whose value is a block of text ('summary: |'); group 1 is the key."""
_QUOTE_HINT = {
    "'": "an apostrophe inside '…' is written twice (''), or quote the text with \"…\"",
    '"': 'a quote mark inside "…" is written \\", or quote the text with \'…\'',
}
Cause = tuple[int, int, str, str]
"""Line and column (from 0) of a syntax error's root cause, its message and hint."""


class _Cause:
    """Where a YAML syntax error comes from.

    The parser reports where it got stuck, which is often a line or more after the mistake:
    a key without its colon is noticed at the next line, a quote left open at the next
    quote or the end of the file. This works back to the mistake from the error, the text
    and the tokens read before it, for the mistakes editors make; anything else is
    reported where the parser stopped.
    """

    def __init__(self, text: str, exc: yaml.MarkedYAMLError, lines: _Lines | None) -> None:
        self.converter = lines
        self.lines = _BREAK.split(text)
        self.text = text
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        mark, context = exc.problem_mark, exc.context_mark
        self.at = (mark.line, mark.column) if mark is not None else None
        self.index: int | None = mark.index if mark is not None else None
        self.opened = (context.line, context.column) if context is not None else None

    def find(self) -> Cause | None:
        for rule in (
            self._odd_break,
            self._tab,
            self._open_quote,
            self._text_after_quote,
            self._open_bracket,
            self._stray_closer,
            self._missing_colon,
            self._colon_in_text,
            self._out_of_line,
            self._reserved,
            self._escape,
            self._block_indicator,
        ):
            found = rule()
            if found is not None:
                return found
        return None

    def _place(self, line: int, column: int) -> tuple[int, int]:
        """A line and column (from 0) as the parser counts them, as an editor counts them
        (from 1)."""
        if self.converter is None:
            return line + 1, column + 1
        return self.converter.of(line, column)

    def _line_no(self, line: int) -> int:
        return self._place(line, 0)[0]

    # What the text holds

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
            match = _KEY_LINE.match(rest)
            return "- " + (match.group(1).strip() if match else self._first(rest))
        match = _KEY_LINE.match(text)
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
        loader = _Loader(self.text)
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

    # The rules, most certain first

    def _odd_break(self) -> Cause | None:
        """A NEL, LS or PS character that the parser took for a line break, where an editor
        shows none: the text after it is read as a line of its own."""
        if self.converter is None:
            return None
        for mark in (self.opened, self.at):
            if mark is None or mark[0] >= len(self.converter.parser_starts):
                continue
            start = self.converter.parser_starts[mark[0]]
            if start and self.text[start - 1] in _ODD_NAMES:
                line, column = mark[0] - 1, len(self.lines[mark[0] - 1])
                return (
                    line,
                    column,
                    f"an invisible {_ODD_NAMES[self.text[start - 1]]} breaks this line",
                    "YAML reads it as a line break, though editors show none: delete it, or "
                    "put the text in quotes",
                )
        return None

    def _tab(self) -> Cause | None:
        if self.at is None:
            return None
        line, column = self.at
        if self._char(line, column) != "\t":
            return None
        if not self.lines[line][:column].strip(" \t"):
            return (
                line,
                column,
                "tab character used for indentation",
                "YAML indents with spaces only: replace the tab with spaces",
            )
        return (
            line,
            column,
            "tab character where a space is needed",
            "YAML separates with spaces: replace the tab with a space",
        )

    def _open_quote(self) -> Cause | None:
        """A quote never closed: read up to the next quote mark (which was meant to open
        another text) or to the end of the file."""
        for token in self._quoted:
            start, end = token.start_mark, token.end_mark
            if start.line == end.line:
                continue
            opening = self._indent(start.line)
            swallowed = range(start.line + 1, end.line + 1)
            if any(
                _KEY_LINE.match(self.lines[n]) and self._indent(n) <= opening for n in swallowed
            ):
                return self._unclosed(start.line, start.column, token.style, end.line)
        if self.context == "while scanning a quoted scalar" and self.opened is not None:
            line, column = self.opened
            return self._unclosed(line, column, self._char(line, column), None)
        return None

    def _unclosed(self, line: int, column: int, quote: str, until: int | None) -> Cause:
        to = "the end of the file" if until is None else f"line {self._line_no(until)}"
        return (
            line,
            column,
            "unclosed quote",
            f"the quote opened here is never closed: end the text with {quote} "
            f"(as it is, the text runs on to {to})",
        )

    def _text_after_quote(self) -> Cause | None:
        """A text that goes on after its closing quote: most often an apostrophe or a quote
        mark inside the text, which closed it early."""
        if self.at is None:
            return None
        line, column = self.at
        for token in reversed(self._quoted):
            end = token.end_mark
            if end.line == line and not self.lines[line][end.column : column].strip():
                if column >= len(self.lines[line]) or self._char(line, column) in "#,]}:":
                    return None
                opened = token.start_mark
                where = "" if opened.line == line else f" on line {self._line_no(opened.line)}"
                return (
                    line,
                    end.column - 1,
                    "text goes on after its closing quote",
                    "this quote ends the text quoted at column "
                    f"{self._place(opened.line, opened.column)[1]}{where}: "
                    + _QUOTE_HINT[token.style],
                )
            break
        return None

    def _open_bracket(self) -> Cause | None:
        """A '[' or '{' not closed on its line: the lines after it are read into it."""
        if self.opened is None or "flow" not in self.context:
            return None
        line, column = self.opened
        bracket = self._char(line, column)
        if bracket not in ("[", "{") or self.at is None or self.at[0] == line:
            return None
        if _closes_on_its_line(self.lines[line][column:]):
            return None
        closer, what = ("]", "the list") if bracket == "[" else ("}", "the mapping")
        example = "[a, b]" if bracket == "[" else "{medium: TV news report}"
        return (
            line,
            column,
            f"unclosed '{bracket}'",
            f"the '{bracket}' opened here is never closed: end {what} with '{closer}' on "
            f"this line, e.g. {example}",
        )

    def _stray_closer(self) -> Cause | None:
        if self.at is None:
            return None
        line, column = self.at
        closer = self._char(line, column)
        if closer not in ("]", "}"):
            return None
        opener = "[" if closer == "]" else "{"
        if "flow" in self.context and self.opened is not None:
            other = self._char(*self.opened)
            if other == opener or other not in ("[", "{"):
                return None
            return (
                line,
                column,
                f"'{closer}' does not close the '{other}' at column {self._place(*self.opened)[1]}",
                f"remove it, or end with '{']' if other == '[' else '}'}'",
            )
        return (
            line,
            column,
            f"'{closer}' closes nothing",
            f"remove it, or open it with '{opener}' before the values",
        )

    def _missing_colon(self) -> Cause | None:
        """A line that should be a key: the parser notices only at the next line."""
        if "could not find expected ':'" not in self.problem or self.opened is None:
            return None
        line, column = self.opened
        return self._not_a_key(line, column)

    def _not_a_key(self, line: int, column: int) -> Cause:
        """What is wrong with a line that starts (at ``column``) where a key should be."""
        text = self.lines[line][column:]
        word = self._word(line, column)
        for above in self._content_before(line):
            block = _BLOCK_SCALAR.match(self.lines[above])
            if block and self._indent(above) >= column:
                return (
                    line,
                    column,
                    "the text of a '|' or '>' block is not indented",
                    f"indent every line of the text more than '{block.group(1).strip()}' "
                    f"on line {self._line_no(above)}",
                )
            break
        if len(text) > 1 and text[0] == "-" and not text[1].isspace():
            return (
                line,
                column,
                f"'{word}' is not a list item",
                f"a list item needs a space after '-': write '- {text[1:].split()[0]}'",
            )
        colon = word.find(":")
        if 0 < colon < len(word) - 1:
            return (
                line,
                column + colon,
                "':' without a space after it",
                f"a field is written 'name: value', with a space: '{word[:colon]}: "
                f"{word[colon + 1 :]}'",
            )
        for above in self._content_before(line):
            indent = self._indent(above)
            if indent == column and self.lines[above][indent:].startswith("- "):
                return (
                    line,
                    column,
                    f"'{word}' is neither a list item nor a field",
                    f"missing '- ' before '{word}'? Or ':' after it?",
                )
            if indent <= column:
                break
        return (
            line,
            column + len(word),
            f"'{word}' is not followed by ':'",
            f"missing ':' after '{word}'? Each field is written 'name: value'",
        )

    def _colon_in_text(self) -> Cause | None:
        """A ': ' inside a text that began on an earlier line: a key without its colon
        above, or a key indented deeper than the one before it."""
        if "mapping values are not allowed" not in self.problem or self.at is None:
            return None
        line, column = self.at
        plain = [t for t in self._tokens if not t.style]
        if not plain or plain[-1].end_mark.line != line or plain[-1].start_mark.line == line:
            return None
        start = plain[-1].start_mark
        before = self.lines[start.line][: start.column]
        if not before.strip():
            return self._not_a_key(start.line, start.column)
        indent = self._indent(line)
        key = self.lines[line][indent:column].strip()
        first = self.lines[start.line]
        opening = self._indent(start.line)
        if first[opening : opening + 1] == "-" and first[opening + 1 : opening + 2].strip():
            return self._not_a_key(start.line, opening)  # '-key: value': no space after '-'
        if before.strip() == "-":
            if indent == start.column:  # lined up with the item's text: a field, its colon lost
                return self._not_a_key(start.line, start.column)
            return (
                line,
                indent,
                f"'{key}' is indented under the list item on line {self._line_no(start.line)}",
                "line it up with the fields above it; if the line goes on the item's text, "
                "put that text in quotes",
            )
        named = _KEY_BEFORE.search(before)
        parent = named.group(1).strip() if named else self._label(start.line)
        after = next(self._content_after(line), None)
        if after is not None and self._indent(after) == indent and opening < indent:
            # The fields below line up with this one: the line above is the one out of line.
            return (
                start.line,
                opening,
                f"'{parent}' is indented less than the fields below it",
                f"line it up with '{key}' on line {self._line_no(line)} ({_spaces(indent)})",
            )
        return (
            line,
            indent,
            f"'{key}' is indented more than '{parent}' on line {self._line_no(start.line)}",
            f"fields of one mapping line up: indent '{key}' as '{parent}' is; if the line "
            f"goes on the text of '{parent}', put that text in quotes",
        )

    def _out_of_line(self) -> Cause | None:
        """A line the parser cannot place: indented between two levels, a '- ' item where
        a field is expected, or a first line with spaces before it."""
        if self.at is None or "flow" in self.context:
            return None
        line, column = self.at
        if line >= len(self.lines) or column != self._indent(line) or not self._is_content(line):
            return None
        earlier = list(self._content_before(line))
        if not earlier:
            return None
        if all(self._indent(n) > column for n in earlier):
            first = earlier[-1]
            return (
                first,
                self._indent(first),
                "the first line is indented",
                "an item's fields start at the left margin, with no space before them",
            )
        scope: list[tuple[int, int, str]] = []
        """Where the lines of this block and the one that holds it start: (column, line,
        label); a list item's line starts twice, at its '- ' and at what follows it."""
        shapes: set[tuple[int, bool]] = set()
        for n in earlier:
            indent = self._indent(n)
            shape = (indent, self.lines[n][indent : indent + 2] == "- ")
            if shape not in shapes:  # the nearest line of each shape is the one a hint names
                shapes.add(shape)
                scope.extend((start, n, label) for start, label in self._starts(n))
            if indent < column:
                break
        if all(start != column for start, _, _ in scope):
            inner = [s for s in scope if s[0] > column]
            outer = [s for s in scope if s[0] < column]
            nearest = [min(inner, key=lambda s: (s[0], -s[1]))] if inner else []
            after = next(self._content_after(line), None)
            if (
                nearest
                and nearest[0][1] == earlier[0]
                and after is not None
                and self._indent(after) == column
            ):  # the lines below line up with this one: the line above is the one out of line
                start, above, label = nearest[0]
                shift = start - column
                return (
                    above,
                    self._indent(above),
                    f"'{self._label(above)}' does not line up with the lines below it",
                    f"move it {_spaces(shift).replace('space', 'column')} left, so that "
                    f"'{label}' lines up with '{self._label(line)}' on line {self._line_no(line)}",
                )
            if outer:
                nearest.append(max(outer))
            choices = [
                f"as '{label}' on line {self._line_no(n)} ({_spaces(start)})"
                for start, n, label in nearest
            ]
            return (
                line,
                column,
                f"'{self._label(line)}' does not line up with the lines above it",
                f"indent it {', or '.join(choices)}",
            )
        text = self.lines[line]
        if text[column : column + 1] == "-" and text[column + 1 : column + 2].strip():
            return self._not_a_key(line, column)  # '-item': a list item needs its space
        if "expected '-' indicator" in self.problem:
            item = next((n for n in earlier if self.lines[n][column:].startswith("- ")), None)
            if item is not None:
                field = self._starts(item)[-1]
                return (
                    line,
                    column,
                    f"'{self._label(line)}' is in a list but is not a list item",
                    f"indent it as '{field[1]}' on line {self._line_no(item)} "
                    f"({_spaces(field[0])}) if it "
                    "belongs to that item, or start it with '- ' if it is an item of its own",
                )
        if self._char(line, column) != "-":
            return None
        for n in earlier:
            if self._indent(n) < column:
                break
            text = self.lines[n][column:]
            if self._indent(n) == column and len(text) > 1 and text[0] == "-" and text[1] != " ":
                return self._not_a_key(n, column)
        return (
            line,
            column,
            "a list item where a field is expected",
            "a '- ' item belongs in a list, indented under its field (such as 'topics:'): "
            "put it there, or remove the '- '",
        )

    def _reserved(self) -> Cause | None:
        """A plain value that starts with a character YAML keeps for itself."""
        if self.at is None:
            return None
        line, column = self.at
        char = self._char(line, column)
        if "block sequence entries are not allowed" in self.problem and char == "-":
            return (
                line,
                column,
                "a list on the line of its field",
                "start the list on the next line, each '- ' item on its own line and indented "
                "under the field; or write it in brackets: [a, b]",
            )
        if not (
            "cannot start any token" in self.problem
            and char in ("@", "`")
            or "expected node content" in self.problem
            and char == ","
            and "flow" not in self.context
        ):
            return None
        return (
            line,
            column,
            f"a value cannot start with '{char}'",
            f'put the text in quotes: "{char}…"',
        )

    def _escape(self) -> Cause | None:
        if self.at is None or "unknown escape character" not in self.problem:
            return None
        return (
            *self.at,
            'unknown escape in a "…" text',
            'in "…" a backslash starts an escape such as \\n: write \\\\ for a backslash '
            "itself, or quote the text with '…'",
        )

    def _block_indicator(self) -> Cause | None:
        if self.at is None or self.context != "while scanning a block scalar":
            return None
        return (
            *self.at,
            "text after '|' or '>' on its line",
            "'|' and '>' start a block of text on the lines below, indented; a value that "
            "starts with '|' or '>' must be put in quotes",
        )


def _spaces(count: int) -> str:
    return "no space" if count == 0 else f"{count} space" + ("s" if count > 1 else "")


def _closes_on_its_line(text: str) -> bool:
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
