"""Load: YAML files → plain data, with the source position of every key and value.

The reader is strict on purpose (after strictyaml): duplicate keys, anchors and aliases,
and YAML 1.1's guesses (``no`` → false, ``12:30`` → 750, ``0o17``) are errors, not values.
Plain scalars resolve as in YAML 1.2's core schema; a bare date stays a :class:`BareDate`
so that a date field can take it and a text field can refuse it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location, display_path
from generator.read.strict_yaml import (
    NOT_SPACE,
    Composer,
    LoadError,
    PathKey,
    Position,
    Retry,
    syntax_error,
)

MAX_FILE_BYTES = 1024 * 1024


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
            composer = Composer(self.display, self.text)
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


def load_file(path: Path, display: str | None = None) -> Document:
    """Read one YAML file, shown in diagnostics as ``display`` (by default, as display_path
    shows it). Raises :class:`LoadError` with a located diagnostic."""
    display = display_path(path) if display is None else display
    raw = read_regular(path, display)
    text = _decode(raw, display)
    first = NOT_SPACE.search(text)  # most files start with a field: no line is looked at
    if (
        first is None
        or first.group() == "#"
        and all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
    ):
        raise LoadError(
            syntax_error(
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
    return syntax_error(
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
        return syntax_error(display, 1, 1, f"'{name}' is a symbolic link", _LINK_HINT)
    if stat.S_ISDIR(mode):
        return syntax_error(
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
    return syntax_error(
        display,
        1,
        1,
        f"'{name}' is not a regular file (it is {what})",
        "content is read only from regular files: remove it, and save the item as a .yaml file",
    )


def _compose(display: str, text: str) -> Any:
    """A file's data: read quickly, without positions, unless it has a problem to locate."""
    try:
        return Composer(display, text, quick=True).compose()
    except Retry:
        return Composer(display, text).compose()


def _decode(raw: bytes, display: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise LoadError(
            syntax_error(
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
            syntax_error(
                display,
                line,
                1,
                "file contains a NUL character",
                "save the file as plain UTF-8 text",
            )
        )
    return text
