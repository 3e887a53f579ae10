"""A cache of valid records, keyed by each file's bytes, so a re-check reads only what changed.

Parsing and validating is most of ``check``'s cost; with 10 000 stories it is tens of seconds
while an editor changed one file. Each valid record is stored with the hash of the bytes it
came from, of its path as shown in diagnostics, and of the generator code that read it. A file
whose key does not match is read again from scratch. Only files that were valid are cached,
so every error is found by a fresh read and reported every time: the cache can make a check
faster, never quieter. Resolving references always runs over everything.

One pickle per content folder in ``.cache/`` (git-ignored); written atomically, so parallel
runs at worst redo work. ``SHOE_CAPITAL_CACHE=off`` turns the cache off; another value is the
folder to use.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.read.load import Document, read_regular
from generator.read.model import Kind
from generator.read.outline import outline_of
from generator.read.record import Record
from generator.read.strict_yaml import LoadError
from generator.read.validate import read_file

CACHE_ENV = "SHOE_CAPITAL_CACHE"
DEFAULT_DIR = Path(".cache")
_FORMAT = 7  # 7: signatures hold the change time
# The code whose behaviour a cached record depends on, relative to generator/: everything of the
# reading stage (loading, the models, validation, the link check, outlines, markup as the link
# check renders it) and the diagnostics: a change to any of it empties the cache.
_CODE = (
    "diagnostics.py",
    *sorted(
        path.relative_to(Path(__file__).parents[1]).as_posix()
        for path in Path(__file__).parent.rglob("*.py")
    ),
)
# And the Markdown extensions the link check renders with (markdown_scan.site_markdown),
# read from the project's mkdocs.yml: its bytes are part of the cache's version.
_CONFIGS = ("../mkdocs.yml",)


@contextlib.contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Pause Python's cycle collector while the pipeline builds its many long-lived objects.

    Each collection walks every object alive, so with tens of thousands of items the collector
    runs ever longer as the heap grows: a third of a warm check's time at 10 000 stories.
    Nothing made here is garbage in a cycle until the build is over; collection resumes after.

    With ``freeze``, what exists at the end is moved out of the collector's sight for good
    (``gc.freeze``): for a process that keeps it, like the live preview, whose later
    rebuilds would otherwise each spend seconds walking it. The keeper must then free it
    without the collector's help, by breaking its cycles (see generator.pipeline.session).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()


def _code_version() -> str:
    digest = hashlib.blake2b(str(_FORMAT).encode(), digest_size=16)
    root = Path(__file__).parents[1]  # generator/
    for name in _CODE:
        try:
            digest.update((root / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    for name in _CONFIGS:
        try:
            digest.update((root / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


def signature(path: Path) -> Signature | None:
    """A file's modification time (ns), size, inode and change time (ns): what a save changes.

    The change time is the one a program cannot set: a file rewritten and given back its old
    modification time (``os.utime``, ``cp -p``, ``tar``, ``rsync -t``) has a new one.
    """
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size, found.st_ino, found.st_ctime_ns)


RACY_NS = 2_000_000_000
"""A file modified (or its times set) this recently may be modified again within the clock's
granularity (a coarse tick, or a whole second on some file systems) with the same size, and
so the same signature: it is trusted by its hash only, as git does with such "racy" files.
Judged when the signature is stored, which is after the file was read: any later save gets
a time at least this close to now, so a stored signature can never match it."""


def _settled(found: Signature | None) -> Signature | None:
    """``found``, if it is old enough to trust on a later read (see RACY_NS); else None."""
    if found is None or time.time_ns() - max(found[0], found[3]) < RACY_NS:
        return None
    return found


class RecordMemory:
    """Valid records kept in memory between the rebuilds of one process (the live preview).

    Found by each file's signature (modification and change times, size, inode), so a rebuild
    does not even read the files that were not saved since: at 10 000 stories,
    reading and hashing every file would cost a second the editor waits for. A file saved
    too recently for its signature to be trusted is compared by its hash instead; either way
    an unchanged file gives back the very same record.
    """

    def __init__(self) -> None:
        self.old: dict[str, tuple[Signature | None, bytes, Any]] = {}
        self.new: dict[str, tuple[Signature | None, bytes, Any]] = {}

    def get(self, display: str, path: Path, found: Signature | None) -> Any | None:
        entry = self.old.get(display)
        if entry is None or found is None:
            return None
        if entry[0] != found:
            try:  # never through a link, nor from a pipe: see read_regular
                if _digest(read_regular(path, display)) != entry[1]:
                    return None
            except (OSError, LoadError):
                return None
            entry = (_settled(found), entry[1], entry[2])
        self.new[display] = entry
        return entry[2]

    def recall(self, display: str, path: str) -> Any | None:
        """The record of a file whose signature is as it was when last read, if any: one
        stat, no Path. Anything else (a save, a file too recent to trust) is for get()."""
        entry = self.old.get(display)
        if entry is None or entry[0] is None:
            return None
        try:
            found = os.stat(path)
        except OSError:
            return None
        if entry[0] != (found.st_mtime_ns, found.st_size, found.st_ino, found.st_ctime_ns):
            return None
        self.new[display] = entry
        return entry[2]

    def put(self, display: str, path: Path, found: Signature | None, record: Any) -> None:
        """Keep a record read from the file as it was at ``found`` (taken before reading)."""
        try:
            digest = _digest(read_regular(path, display))
        except (OSError, LoadError):
            return
        if found is not None and signature(path) == found:  # not saved again meanwhile
            self.new[display] = (_settled(found), digest, record)

    def keep_unread(self) -> None:
        """Keep also what this read did not look at (it read only the files known saved)."""
        for display, entry in self.old.items():
            self.new.setdefault(display, entry)

    def turn(self) -> None:
        """Keep only what this read used or made: a deleted or broken file is forgotten."""
        self.old, self.new = self.new, {}


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


class RecordCache:
    """Valid records of one content folder, by path and content hash."""

    def __init__(
        self, content_dir: Path, cache_dir: Path | None, memory: RecordMemory | None = None
    ) -> None:
        self.memory = memory
        self.enabled = cache_dir is not None
        name = hashlib.blake2b(str(content_dir.resolve()).encode(), digest_size=8).hexdigest()
        self.folder = (cache_dir or DEFAULT_DIR) / f"records-{name}"
        self.version = _code_version() if self.enabled else ""
        self.old: dict[str, Entry] = self._load() if self.enabled else {}
        self.new: dict[str, Entry] = {}
        self.hits = 0

    @classmethod
    def from_environment(cls, content_dir: Path) -> RecordCache:
        setting = os.environ.get(CACHE_ENV, "")
        if setting.lower() in ("off", "0", "no", "false"):
            return cls(content_dir, None)
        return cls(content_dir, Path(setting) if setting else DEFAULT_DIR)

    def known_key(self, display: str, signature: Signature | None) -> bytes | None:
        """The content hash stored for a file whose signature has not changed since: the
        file need not be read and hashed again (a git checkout gives new signatures)."""
        entry = self.old.get(display)
        if entry is None or signature is None or entry[3] != signature:
            return None
        return entry[0]

    def key(self, display: str, raw: bytes) -> bytes:
        return hashlib.blake2b(
            raw,
            digest_size=20,
            person=b"shoe-capital",
            salt=hashlib.blake2b(display.encode(), digest_size=16).digest(),
        ).digest()

    def get(
        self,
        display: str,
        key: bytes,
        path: Path,
        kind: Any,
        item_id: str,
        signature: Signature | None = None,
    ) -> Any | None:
        """The record read earlier from these exact bytes under this path, if any.

        Its document's text (whence its positions) is unpickled only if asked for (to locate
        a diagnostic), which is most of the cost of a record.
        """
        if not self.enabled:
            return None
        entry = self.old.get(display)
        if entry is None or entry[0] != key:
            return None
        try:
            outline = pickle.loads(entry[4])
        except Exception:  # a damaged entry is only a miss
            return None
        signature = _settled(signature)
        self.new[display] = entry if entry[3] == signature else (*entry[:3], signature, entry[4])
        self.hits += 1
        document = _LazyDocument(path, display, entry[2])
        return Record(kind, item_id, None, document, pickled=entry[1], outline=outline)

    def put(self, display: str, key: bytes, record: Any, signature: Signature | None) -> None:
        if self.enabled:
            self.new[display] = (
                key,
                pickle.dumps(record.item, protocol=pickle.HIGHEST_PROTOCOL),
                pickle.dumps(record.document.text, protocol=pickle.HIGHEST_PROTOCOL),
                _settled(signature),
                pickle.dumps(outline_of(record), protocol=pickle.HIGHEST_PROTOCOL),
            )

    def save(self) -> None:
        """Keep the entries used or made by this run; rewrite only the shards that changed."""
        if self.memory is not None:
            self.memory.turn()
        if not self.enabled or self.new == self.old:
            return
        old, new = _shards(self.old), _shards(self.new)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard in range(SHARDS):
                if shard in old and new.get(shard) == old[shard]:
                    continue
                handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".shard-")
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(
                        (self.version, new.get(shard, {})), out, protocol=pickle.HIGHEST_PROTOCOL
                    )
                os.replace(temporary, self.folder / f"{shard:02x}.pickle")
        except OSError:  # a cache that cannot be written only costs time
            pass

    def read(
        self,
        path: Path,
        display: str,
        kind: Kind,
        item_id: str,
        diagnostics: list[Diagnostic],
    ) -> Record | None:
        """read_file, skipped for a file whose exact bytes were read before without a word."""
        memory = self.memory
        if memory is None:
            return self._read_stored(path, display, kind, item_id, diagnostics)
        found = signature(path)  # before reading: a save during the read shows next time
        record: Record | None = memory.get(display, path, found)
        if record is not None:
            return record
        before = len(diagnostics)
        record = self._read_stored(path, display, kind, item_id, diagnostics)
        if record is not None and len(diagnostics) == before:
            memory.put(display, path, found, record)
        return record

    def _read_stored(
        self,
        path: Path,
        display: str,
        kind: Kind,
        item_id: str,
        diagnostics: list[Diagnostic],
    ) -> Record | None:
        """read_file, or the record stored in the cache for these exact bytes."""
        if not self.enabled:
            return read_file(path, display, kind, item_id, diagnostics)
        found = signature(path)
        key = self.known_key(display, found)
        try:
            if key is None:
                key = self.key(display, read_regular(path, display))
        except (OSError, LoadError):  # read_file reports it
            return read_file(path, display, kind, item_id, diagnostics)
        record: Record | None = self.get(display, key, path, kind, item_id, found)
        if record is not None:
            return record
        before = len(diagnostics)
        record = read_file(path, display, kind, item_id, diagnostics)
        try:  # cache only what was read without a word, from bytes that did not change meanwhile
            unchanged = record is not None and self.key(display, read_regular(path, display)) == key
            if unchanged and len(diagnostics) == before:
                self.put(display, key, record, found)
        except (OSError, LoadError):
            pass
        return record

    @property
    def remembers(self) -> bool:
        return self.memory is not None

    def recall(self, display: str, os_path: str) -> Record | None:
        return self.memory.recall(display, os_path) if self.memory is not None else None

    def done(self, *, partial: bool = False) -> None:
        if partial and self.memory is not None:
            self.memory.keep_unread()
        self.save()

    def _load(self) -> dict[str, Entry]:
        entries: dict[str, Entry] = {}
        for shard in range(SHARDS):
            try:
                with (self.folder / f"{shard:02x}.pickle").open("rb") as handle:
                    version, found = pickle.load(handle)
            except Exception:  # missing, damaged: that shard starts empty
                continue
            if version == self.version and isinstance(found, dict):
                entries.update(found)
        return entries


Signature = tuple[int, int, int, int]
"""A file's modification time (ns), size, inode and change time (ns): see signature()."""
Entry = tuple[bytes, bytes, bytes, Signature | None, bytes]
"""Content hash, pickled item, pickled file text, file signature, pickled outline."""
SHARDS = 32
"""Files the cache is split into, by path, so one changed file rewrites a thirty-second."""


def _shards(entries: dict[str, Entry]) -> dict[int, dict[str, Entry]]:
    found: dict[int, dict[str, Entry]] = {}
    for display, entry in entries.items():
        shard = zlib.crc32(display.encode()) % SHARDS
        found.setdefault(shard, {})[display] = entry
    return found


class _LazyDocument(Document):
    """A cached file's document, its text unpickled on first use (to locate a diagnostic)."""

    def __init__(self, path: Path, display: str, text: bytes) -> None:  # noqa: D107
        self.path = path
        self.display = display
        self.data = None  # as for any validated file: its item holds it
        self._text_pickled = text
        self._text: str | None = None
        self._positions = None

    @property
    def text(self) -> str:  # type: ignore[override]
        if self._text is None:
            self._text = pickle.loads(self._text_pickled)
        return self._text
