"""The record cache never trusts a file's signature over its bytes when the two can disagree.

A re-check (``check`` with its cache in .cache/) and the live preview (generator.pipeline.session,
which keeps records in memory) know an unchanged file by its signature: modification time,
size, inode and change time. A file can be rewritten with the same size and the same
modification time: within the file system's clock tick (a few milliseconds on Linux, a
second or two on some file systems), or on purpose (``os.utime``, ``cp -p``, ``tar``,
``rsync -t``). Either way the next read must see the new bytes:

- a signature taken less than RACY_NS after the file's last change is not trusted (the
  "racy git" rule): the file is hashed again;
- the change time, which no program can set back, is part of the signature.

Each scenario is tried three ways: a re-check with the cache on disk (a new process each
time), a re-read with the preview's memory, and the preview's rebuild of the files a
watcher says were saved.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic
from generator.pipeline.session import Session
from generator.read import cache as cache_module
from generator.read.cache import RecordCache, RecordMemory, signature
from generator.read.validate import read_content

SAMPLE = Path(__file__).parent / "fixtures" / "sample" / "content"
BEFORE = "name: Yang Yuyi\n"
AFTER = "name: Yang Yuyu\n"  # the same size: only the bytes tell them apart
OLD_NS = 1_577_836_800_000_000_000  # 2020-01-01, long settled


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(SAMPLE, root)
    return root


def _person(root: Path) -> Path:
    return root / "people" / "yang-yuyi.yaml"


class Reader:
    """Reads the content the way one of the three callers does, again and again."""

    def __init__(self, way: str, root: Path, tmp_path: Path) -> None:
        self.way = way
        self.root = root
        self.cache_dir = tmp_path / "cache"
        self.memory = RecordMemory()
        self.session = Session(root, tmp_path / "docs") if way == "preview" else None

    def name(self, saved: list[Path] | None = None) -> str:
        """The person's name as read now; ``saved``: what a watcher says was saved."""
        if self.session is not None:
            self.session.build(saved=saved)
            assert self.session.index is not None
            return str(self.session.index.get("people", "yang-yuyi").item.name)
        diagnostics: list[Diagnostic] = []
        if self.way == "disk":  # a new process: a new cache object, the entries on disk
            cache = RecordCache(self.root, self.cache_dir)
        else:
            cache = RecordCache(self.root, None, memory=self.memory)
        found = read_content(self.root, diagnostics, cache)
        assert diagnostics == []
        return str(found.records["people"]["yang-yuyi"].item.name)

    def trusts_signature(self) -> bool:
        """Whether the file's current signature alone would now let it go unread."""
        path = _person(self.root)
        display = "people/yang-yuyi.yaml"
        if self.way == "disk":
            disk = RecordCache(self.root, self.cache_dir)
            entry = next(e for shown, e in disk.old.items() if shown.endswith(display))
            return entry[3] is not None and entry[3] == signature(path)
        memory = self.session.memory if self.session is not None else self.memory
        entry_m = next(e for shown, e in memory.old.items() if shown.endswith(display))
        return entry_m[0] is not None and entry_m[0] == signature(path)


WAYS = ["disk", "memory", "preview"]


def _rewrite_keeping_times(path: Path) -> None:
    """Rewrite ``path`` in place with AFTER, same size, and give it back its times."""
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert BEFORE in text
    with path.open("r+b") as handle:  # in place: the same inode
        handle.write(text.replace(BEFORE, AFTER).encode("utf-8"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_mtime_ns, after.st_size, after.st_ino) == (
        before.st_mtime_ns,
        before.st_size,
        before.st_ino,
    )


@pytest.mark.parametrize("way", WAYS)
def test_a_file_rewritten_at_once_with_the_same_size_and_time_is_read_again(
    way: str, content: Path, tmp_path: Path
) -> None:
    """Write, check, rewrite with the same size and modification time (to the nanosecond),
    check again: the new bytes are seen."""
    reader = Reader(way, content, tmp_path)
    path = _person(content)
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # just written
    assert reader.name() == "Yang Yuyi"
    _rewrite_keeping_times(path)
    assert reader.name([path]) == "Yang Yuyu"


class _CoarseOs:
    """os, whose stat reports the times of a file system with a coarse clock: every save of
    the test lands in the same tick, so times alone cannot tell two saves apart."""

    def __init__(self, tick_ns: int) -> None:
        self.tick_ns = tick_ns

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def stat(self, path: Any, *args: Any, **kwargs: Any) -> Any:
        return _Stat(os.stat(path, *args, **kwargs), self.tick_ns)


class _Stat:
    def __init__(self, real: os.stat_result, tick_ns: int) -> None:
        self._real = real
        self.st_mtime_ns = self.st_ctime_ns = tick_ns

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@pytest.mark.parametrize("way", WAYS)
def test_two_saves_in_one_clock_tick_are_told_apart_by_their_bytes(
    way: str, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system whose clock ticks coarsely, a save right after a check has the
    same times as the one before it (and the same size, and inode): a signature that recent
    is never trusted, so the bytes are hashed and the new ones seen."""
    monkeypatch.setattr(cache_module, "os", _CoarseOs(time.time_ns()))
    reader = Reader(way, content, tmp_path)
    path = _person(content)
    assert reader.name() == "Yang Yuyi"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(BEFORE, AFTER), encoding="utf-8")
    assert reader.name([path]) == "Yang Yuyu"


def _later(seconds: int) -> Callable[[], int]:
    real = time.time_ns
    return lambda: real() + seconds * 1_000_000_000


@pytest.mark.parametrize("way", WAYS)
def test_a_settled_file_given_back_its_old_time_is_read_again(
    way: str, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file long unchanged is known by its signature, unread; rewritten with the same
    size and given back its old modification time (cp -p, tar, rsync -t, os.utime), its
    change time differs, and it is read again."""
    path = _person(content)
    os.utime(path, ns=(OLD_NS, OLD_NS))
    # The clock has moved on since: the file's times are settled, its signature trusted.
    monkeypatch.setattr(cache_module.time, "time_ns", _later(60))
    reader = Reader(way, content, tmp_path)
    assert reader.name() == "Yang Yuyi"
    assert reader.name() == "Yang Yuyi"  # the preview's second build: from memory
    assert reader.trusts_signature(), "the test must exercise a trusted signature"
    _rewrite_keeping_times(path)
    assert os.stat(path).st_mtime_ns == OLD_NS
    assert reader.name([path]) == "Yang Yuyu"


@pytest.mark.parametrize("way", ["disk", "memory"])
def test_a_settled_unchanged_file_is_not_read_again(
    way: str, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What keeps a re-check fast: the safety above costs nothing for files that did not
    change, which are known by one stat."""
    for path in content.rglob("*.yaml"):
        os.utime(path, ns=(OLD_NS, OLD_NS))
    monkeypatch.setattr(cache_module.time, "time_ns", _later(60))
    reader = Reader(way, content, tmp_path)
    reader.name()
    read: list[Path] = []
    real_read_bytes, real_read_text = Path.read_bytes, Path.read_text

    def read_bytes(self: Path) -> bytes:
        read.append(self)
        return real_read_bytes(self)

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        read.append(self)
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)
    reader.name()
    assert [p for p in read if p.suffix == ".yaml"] == []


def test_the_cache_version_follows_the_markdown_the_link_check_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid record was checked by rendering its Markdown (generator.read.links): a change to how
    Markdown is written (markup.py) or to the site's extensions (mkdocs.yml) must empty the
    cache, or a record checked under the old rules would escape the new ones."""
    from generator.read import cache, markup

    root = Path(cache.__file__).parents[1]  # generator/
    assert any((root / name).resolve() == Path(markup.__file__) for name in cache._CODE)
    assert any((root / name).resolve() == root.parent / "mkdocs.yml" for name in cache._CONFIGS)
    config = tmp_path / "mkdocs.yml"
    config.write_text("markdown_extensions: [abbr]\n")
    monkeypatch.setattr(cache, "_CONFIGS", (str(config),))
    before = cache._code_version()
    config.write_text("markdown_extensions: [abbr, pymdownx.magiclink]\n")
    assert cache._code_version() != before
