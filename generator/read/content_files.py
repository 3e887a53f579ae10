"""A content folder's files: each kind's folder walked once, names checked as ids, duplicates,
links and anything not a regular file refused."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location, Severity, did_you_mean, display_path
from generator.read.load import refusal
from generator.read.model import KIND_BY_FOLDER, Kind


@dataclass(frozen=True)
class _Folder:
    """A kind's folder, with what each of its files' paths starts with: worked out once, not
    per file (at 40 000 files, making a Path for each costs a tenth of a second)."""

    path: Path
    display: str
    """How diagnostics show the folder, ending with '/' (empty for the working directory)."""
    os_path: str
    """The folder's path as the system takes it, ending with a separator."""

    @classmethod
    def of(cls, path: Path) -> _Folder:
        shown = display_path(path)
        return cls(path, "" if shown == "." else f"{shown.rstrip('/')}/", os.path.join(path, ""))


def content_files(
    root: Path, diagnostics: list[Diagnostic], invalid: dict[str, set[str]]
) -> Iterable[tuple[_Folder, str, Kind]]:
    """Each content file of a kind's folder: the folder, the file's name and the kind.

    Only regular files in real folders: a symbolic link (to a file or a folder, inside the
    content folder or out of it, or to nothing), a pipe, a socket or a device is an error
    and is never opened, so nothing outside ``root`` is ever read. ``root`` itself is what
    the site owner chose (--content), and is taken as it is, link or not.

    The ids that a refused entry would have given are added to ``invalid`` (every id of a
    kind, for a kind's folder that is refused): references to them are not reported as
    unknown too, since the entry's own error says why.
    """
    if not root.is_dir():
        diagnostics.append(
            Diagnostic(
                Location(display_path(root)),
                Severity.ERROR,
                "content folder does not exist",
                "pass --content DIR, or run from the project's root",
            )
        )
        return
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=_entry_name)
    except OSError as exc:
        diagnostics.append(
            Diagnostic(
                Location(display_path(root)),
                Severity.ERROR,
                f"cannot read the content folder: {exc.strerror}",
                "check the folder's permissions",
            )
        )
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "site.yaml":
            continue
        kind = KIND_BY_FOLDER.get(entry.name)
        if not entry.is_dir(follow_symlinks=False):
            if kind is not None:
                invalid[kind.folder] = EVERY_ID
            mode = mode_of(root / entry.name)
            if mode is None:  # gone since the listing
                continue
            if not stat.S_ISREG(mode):
                problem = refusal(display_path(root / entry.name), mode)
            else:
                problem = Diagnostic(
                    Location(display_path(root / entry.name)),
                    Severity.ERROR,
                    f"'{entry.name}' does not belong at the top of the content folder"
                    if kind is None
                    else f"'{entry.name}' is a file, not a folder",
                    f"put items in a kind's folder ({', '.join(sorted(KIND_BY_FOLDER))})"
                    if kind is None
                    else f"items go in the folder {entry.name}/, one .yaml file each",
                )
            diagnostics.append(problem)
            continue
        path = root / entry.name
        if kind is None:
            diagnostics.append(
                Diagnostic(
                    Location(display_path(path)),
                    Severity.ERROR,
                    f"unknown folder '{entry.name}'",
                    did_you_mean(entry.name, KIND_BY_FOLDER)
                    or f"content folders are: {', '.join(sorted(KIND_BY_FOLDER))}",
                )
            )
            continue
        try:
            with os.scandir(path) as scan:  # names and types, no stat: 40 000 files
                types = {e.name: _entry_type(e) for e in scan}
        except OSError as exc:
            invalid[kind.folder] = EVERY_ID
            diagnostics.append(
                Diagnostic(
                    Location(display_path(path)),
                    Severity.ERROR,
                    f"cannot read folder: {exc.strerror}",
                    "check the folder's permissions",
                )
            )
            continue
        names = sorted(types)
        duplicates = _duplicates_in(path, [n for n in names if types[n] is _FILE])
        folder = _Folder.of(path)
        for name in names:
            if name.startswith("."):
                continue
            what = types[name]
            if what is _FILE and name.endswith(".yaml") and name not in duplicates:
                yield folder, name, kind
                continue
            entry_path = path / name
            if name in duplicates:
                diagnostics.append(
                    Diagnostic(
                        Location(display_path(entry_path)),
                        Severity.ERROR,
                        f"duplicate {kind.name} id '{name.rsplit('.', 1)[0].lower()}': "
                        f"{duplicates[name]} already defines it",
                        f"one item a file: merge the two and delete {name}",
                    )
                )
                continue
            invalid.setdefault(kind.folder, set()).add(_would_be_id(name))
            if what is _FILE:
                diagnostics.append(
                    Diagnostic(
                        Location(display_path(entry_path)),
                        Severity.ERROR,
                        f"'{name}' is not a .yaml file",
                        "content files end in .yaml"
                        + (
                            f": rename it to '{_would_be_id(name)}.yaml'"
                            if entry_path.suffix.lower() in _YAML_SUFFIXES
                            else ""
                        ),
                    )
                )
                continue
            mode = mode_of(entry_path) if what is _OTHER else _MODES[what]
            if mode is None:  # gone since the listing
                continue
            yaml_name = Path(name).suffix.lower() in _YAML_SUFFIXES
            diagnostics.append(
                refusal(
                    display_path(entry_path),
                    mode,
                    f"an item is one file, {kind.folder}/{_would_be_id(name)}.yaml: move what the "
                    "folder holds out of it, and remove the folder"
                    if yaml_name
                    else f"{kind.folder}/ holds only .yaml files, one an item; folders in it "
                    "are not read",
                )
            )


class _EveryId(frozenset[str]):
    """Every id: what ``Content.invalid`` holds for a kind whose folder could not be read."""

    def __contains__(self, item: object) -> bool:
        return True


EVERY_ID: Any = _EveryId()


_FILE, _FOLDER, _LINK, _OTHER = "file", "folder", "link", "other"


_MODES = {_FOLDER: stat.S_IFDIR, _LINK: stat.S_IFLNK}


_YAML_SUFFIXES = (".yaml", ".yml")


SITE_FOLDER_HINT = (
    "site.yaml is a file with the site's title, description, base_url and introduction: "
    "move what the folder holds out of it, and remove the folder"
)


def _entry_name(entry: os.DirEntry[str]) -> str:
    """Sort key for the entries of one folder: by name, without comparing the entries."""
    return entry.name


def _entry_type(entry: os.DirEntry[str]) -> str:
    """What a folder's entry is, from the listing alone (no stat on Linux), links not followed."""
    if entry.is_symlink():
        return _LINK
    if entry.is_file(follow_symlinks=False):
        return _FILE
    if entry.is_dir(follow_symlinks=False):
        return _FOLDER
    return _OTHER


def mode_of(path: Path) -> int | None:
    """The mode of ``path`` itself (a link is not followed), or None if there is nothing."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file in a folder that is no link (for read_saved)."""
    mode = mode_of(path)
    return mode is not None and stat.S_ISREG(mode) and not os.path.islink(path.parent)


def _would_be_id(name: str) -> str:
    """The id a misnamed entry of a kind's folder was probably meant to give."""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return suggest_id(stem)


def _duplicates_in(folder: Path, names: list[str]) -> dict[str, str]:
    """_duplicates, remembered with the folder's last listing, which a rebuild mostly finds
    again: comparing the names is a tenth of the cost of looking at each."""
    last = _LISTINGS.get(folder)
    if last is not None and last[0] == names:
        return last[1]
    found = _duplicates(names)
    _LISTINGS[folder] = (names, found)
    return found


def _duplicates(names: list[str]) -> dict[str, str]:
    """Files that would give an id already taken in a folder, each with the file that keeps it.

    The file name is the id, so one folder cannot hold two items with the same id; but
    'chengdu.yml', 'Chengdu.yaml' or 'chengdu.YAML' beside 'chengdu.yaml' would be the same
    item on a case-insensitive disk or after a rename. The same id in two kinds' folders is
    fine: every reference names its kind. ``names`` are the folder's entries, sorted.
    """
    groups: dict[str, list[str]] = {}
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and suffix.lower() in ("yaml", "yml") and not name.startswith("."):
            groups.setdefault(stem.lower(), []).append(name)
    found: dict[str, str] = {}
    for stem, group in groups.items():
        if len(group) > 1:
            keeper = next((n for n in group if n == f"{stem}.yaml"), group[0])
            found.update({n: keeper for n in group if n != keeper})
    return found


def suggest_id(stem: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"


_DISPLAY_DIRS: dict[tuple[Path, str], str] = {}


def display_of(path: Path) -> str:
    """display_path(path), working out each folder's part once: at 40 000 files, computing it
    per file was a fifth of a warm check."""
    key = (path.parent, os.getcwd())
    folder = _DISPLAY_DIRS.get(key)
    if folder is None:
        folder = _DISPLAY_DIRS[key] = display_path(path.parent)
    return path.name if folder == "." else f"{folder.rstrip('/')}/{path.name}"


_LISTINGS: dict[Path, tuple[list[str], dict[str, str]]] = {}
