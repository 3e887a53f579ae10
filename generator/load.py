"""Load: YAML files → plain data, with the source position of every key and value.

The reader is strict on purpose (after strictyaml): duplicate keys, anchors and aliases,
and YAML 1.1's guesses (``no`` → false, ``12:30`` → 750, ``0o17``) are errors, not values.
Plain scalars resolve as in YAML 1.2's core schema; a bare date stays a :class:`BareDate`
so that a date field can take it and a text field can refuse it.
"""

from __future__ import annotations

import errno
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
        return _error(self.display, mark.line + 1, mark.column + 1, message, hint)

    def _syntax(self, exc: yaml.MarkedYAMLError) -> Diagnostic:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        hint = "check the indentation and the quotes around this place"
        if mark is not None and self._char(mark) == "\t" or "'\\t'" in problem:
            return self._at(
                mark,
                "YAML syntax error: tab character used for indentation",
                "YAML indents with spaces only: replace the tab with spaces",
            )
            hint = "YAML indents with spaces only: replace the tab with spaces"
        elif "mapping values are not allowed" in problem:
            hint = "a value that contains ': ' must be quoted, or written as a block with '|'"
        elif "could not find expected ':'" in problem:
            hint = "each field is written 'name: value'; a long text needs quotes or '|'"
        elif "found undefined alias" in problem or "anchor" in problem:
            hint = "anchors (&) and aliases (*) are not allowed in content"
        if mark is None:
            return _error(self.display, 1, 1, f"YAML syntax error: {problem}", hint)
        if exc.context and exc.context not in problem:
            problem = f"{problem} ({exc.context})"
        return self._at(mark, f"YAML syntax error: {problem}", hint)

    def _char(self, mark: Any) -> str:
        lines = self.text.splitlines()
        if mark.line < len(lines):
            line = lines[mark.line]
            if mark.column < len(line):
                return line[mark.column]
        return ""

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
        self.values[key] = (mark.line + 1, mark.column + 1)
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
                self.keys[path] = (mark.line + 1, mark.column + 1)
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
