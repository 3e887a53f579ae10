"""Building the whole site with MkDocs, from Python, all or nothing.

A build writes into a hidden sibling of ``site/`` (``.site.staging-PID-…``) and swaps it into
place only when MkDocs finished without error; a build that fails, or is killed, leaves the
previous ``site/`` exactly as it was. The swap is one ``renameat2(RENAME_EXCHANGE)`` on
Linux, so there is no moment without a complete ``site/``; elsewhere it is two renames.

The staging is done by the ``shoe-capital`` plugin (see :class:`Staging`), so plain
``mkdocs build`` is atomic too; ``mkdocs serve`` and ``mkdocs build --dirty`` are not staged.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import secrets
import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.publish.reuse import Mismatch

_STAGING = ".{name}.staging-"
_OLD = ".{name}.old-"


class BuildError(Exception):
    """The site could not be built; the message says why."""


def build_site(config_file: Path, *, offline: bool = False, full: bool = False) -> str:
    """Build the site as ``mkdocs build`` would. Returns a one-line summary.

    Atomic through the plugin: on any error the previous site folder is left untouched.
    Unless ``full``, a published build renders only the pages that would not be the same
    as the previous build's (generator.publish.reuse); the rest is identical to a whole build.
    """
    _quiet_info_logs()
    try:
        try:
            site_dir = _build(config_file, incremental=not full)
        except Mismatch as error:
            logging.getLogger("mkdocs").warning(
                "Shoe Capital: %s would show another navigation than when it was rendered: "
                "building every page",
                error,
            )
            site_dir = _build(config_file, incremental=False)
    except MkDocsException as error:
        raise BuildError(f"Error: {error}") from None
    return f"site built in {site_dir}"


def not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build, which strict mode turns into a failure."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _build(config_file: Path, *, incremental: bool) -> Path:
    config = load_config(str(config_file))
    site_dir = Path(config.site_dir)
    plugin = config.plugins.get("shoe-capital")
    # MkDocs skips the pages a dirty build is told are not modified: the plugin says which
    # (all of them are, in a whole build). Its warning about dirty builds does not apply.
    # MkDocs keeps a plugin from one build to the next within a process (the whole build
    # after a Mismatch is such a next build): say it every time.
    dirty = incremental and plugin is not None
    if plugin is not None:
        plugin.incremental = dirty
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(not_the_dirty_build_warning)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
        logging.getLogger("mkdocs.commands.build").removeFilter(not_the_dirty_build_warning)
    return site_dir


class Staging:
    """One build's staging folder beside the real site folder, swapped in on success."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.absolute()
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.site_dir)
        self.path = _new_folder(self.site_dir, _STAGING)

    def publish(self) -> None:
        """Make the staged build the site folder, and delete the previous one."""
        if self.site_dir.exists() and not self.site_dir.is_dir():
            raise NotADirectoryError(f"{self.site_dir} is not a folder; remove it")
        if not self.site_dir.exists():
            os.rename(self.path, self.site_dir)
            return
        if _exchange(self.path, self.site_dir):
            shutil.rmtree(self.path)  # now holds the previous site
            return
        old = _new_folder(self.site_dir, _OLD)
        os.rename(self.site_dir, old / "site")
        os.rename(self.path, self.site_dir)
        shutil.rmtree(old)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _new_folder(site_dir: Path, prefix: str) -> Path:
    """A new empty sibling of ``site_dir``, named after this process.

    Made with mkdir rather than mkdtemp so it gets the usual permissions (mkdtemp's 0700
    would be published with the site and hide it from a web server).
    """
    while True:
        name = f"{prefix.format(name=site_dir.name)}{os.getpid()}-{secrets.token_hex(4)}"
        path = site_dir.parent / name
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def remove_stale(site_dir: Path) -> None:
    """Remove staging folders of builds that were killed, and restore a half-swapped site.

    A folder whose process is still running belongs to a build in progress and is kept.
    """
    parent = site_dir.parent
    if not parent.is_dir():
        return
    for prefix in (_STAGING, _OLD):
        start = prefix.format(name=site_dir.name)
        for path in sorted(parent.glob(f"{start}*")):
            pid = path.name[len(start) :].split("-", 1)[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            previous = path / "site"
            if prefix == _OLD and previous.is_dir() and not site_dir.exists():
                os.rename(previous, site_dir)  # killed between the two renames
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _quiet_info_logs() -> None:
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.INFO)
