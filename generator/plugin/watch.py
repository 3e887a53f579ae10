"""Watching the content folder while serve runs: saves collected by the operating system's own
notifications, so a rebuild reads only the files saved since the last one."""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

log = logging.getLogger("mkdocs.plugins.shoe-capital")

WATCH_ENV = "SHOE_CAPITAL_WATCH"
"""``poll`` makes `serve` watch by polling, as MkDocs does, e.g. for a Docker or network mount."""


class SavedFiles(FileSystemEventHandler):
    """The files saved, created, moved or deleted in the content folder since the last time
    a build took them, as inotify reports them, so a rebuild reads only those (see
    Session.build). Unknown (None) until the first build takes them, which reads everything;
    unknown again after a folder changed, or so many files that some may have gone unheard
    (inotify drops what overflows its queue): the next build then reads everything again."""

    LIMIT = 1000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[str] | None = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        with self._lock:
            if self._paths is None:
                return
            if event.is_directory or len(self._paths) >= self.LIMIT:
                self._paths = None
                return
            self._paths.update(os.fsdecode(p) for p in (event.src_path, event.dest_path) if p)

    def take(self) -> set[Path] | None:
        with self._lock:
            paths, self._paths = self._paths, set()
        return None if paths is None else {Path(p) for p in paths}


def watch_natively(server: Any, content_dir: Path) -> bool:
    """Have the live server hear of saves from the operating system instead of polling.

    MkDocs polls what it watches every half second; with 40 000 content files each poll
    takes most of a second and holds the interpreter, so a rebuild runs at half speed and
    starts up to a second after the save. On Linux, inotify tells at once. MkDocs polls
    because native watching misses saves through some Docker and network mounts:
    SHOE_CAPITAL_WATCH=poll keeps its polling, as does a failed trial (e.g. too many
    watches for the system's inotify limits). Returns whether the server now watches natively.
    """
    if os.environ.get(WATCH_ENV) == "poll" or not sys.platform.startswith("linux"):
        return False
    try:
        from watchdog.observers.api import ObservedWatch
        from watchdog.observers.inotify import InotifyObserver
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return False
    watched = getattr(server, "_watched_paths", None)
    if not isinstance(server.observer, PollingObserver) or not isinstance(watched, dict):
        return False  # not the live server this was written for: leave it be
    if server.observer.is_alive():
        return False
    trial = InotifyObserver()
    try:
        trial.schedule(FileSystemEventHandler(), str(content_dir), recursive=True)
        trial.start()
    except OSError as error:
        log.info("Shoe Capital: watching by polling (%s)", error)
        return False
    finally:
        if trial.is_alive():
            trial.stop()
            trial.join()

    class Observer(InotifyObserver):
        def schedule(
            self,
            event_handler: FileSystemEventHandler,
            path: str | Path,
            *,
            recursive: bool = False,
            event_filter: list[type[FileSystemEvent]] | None = None,
            follow_symlink: bool = False,
        ) -> ObservedWatch:
            # Only what changes a file: not opening or reading one, which a rebuild does
            return super().schedule(
                event_handler,
                path,
                recursive=recursive,
                event_filter=event_filter or _saves(),
                follow_symlink=follow_symlink,
            )

    paths = dict(watched)
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = Observer()
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
    return True


def changes() -> list[type[Any]]:
    """What SavedFiles hears: saves, and also a folder's creation, deletion or move."""
    from watchdog import events

    return [
        *_saves(),
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]


def _saves() -> list[type[Any]]:
    from watchdog import events

    return [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.FileClosedEvent,
        events.FileAttribEvent,
    ]
