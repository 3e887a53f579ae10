"""Write: rendered files → a git-ignored folder, touching only files whose bytes changed.

Unchanged files keep their modification times, so ``mkdocs build --dirty`` and
``mkdocs serve --dirty`` re-render only the pages whose Markdown really changed.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_tree(files: dict[str, bytes], out_dir: Path) -> list[str]:
    """Make ``out_dir`` hold exactly ``files``. Returns the paths written or removed."""
    out_dir = out_dir.resolve()
    folders: dict[str, Path] = {}
    changed: list[str] = []
    for relative, data in sorted(files.items()):
        target = _target(out_dir, relative, folders)
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        _write(target, data)
        changed.append(relative)
    if out_dir.is_dir():
        gone: list[str] = []
        for folder, _, names in os.walk(out_dir, topdown=False):  # a folder after its own
            at = Path(folder)
            base = at.relative_to(out_dir).as_posix()
            for name in names:
                relative = name if base == "." else f"{base}/{name}"
                if relative not in files:
                    (at / name).unlink()
                    gone.append(relative)
            if at != out_dir and not any(at.iterdir()):
                at.rmdir()
        changed.extend(sorted(gone, reverse=True))
    return changed


def write_changes(before: dict[str, bytes], after: dict[str, bytes], out_dir: Path) -> list[str]:
    """Turn ``out_dir``, known to hold ``before``, into ``after``: only the differences are
    written or removed, without reading what is on disk. Returns the paths written or removed."""
    out_dir = out_dir.resolve()
    changed = sorted(path for path, data in after.items() if before.get(path) != data)
    for relative in changed:
        _write(_target(out_dir, relative), after[relative])
    for relative in sorted(before.keys() - after.keys()):
        target = _target(out_dir, relative)
        target.unlink(missing_ok=True)
        if target.parent != out_dir and not any(target.parent.iterdir()):
            target.parent.rmdir()
        changed.append(relative)
    return changed


def _target(out_dir: Path, relative: str, folders: dict[str, Path] | None = None) -> Path:
    """Where ``relative`` goes in ``out_dir``, never outside it, even through a symbolic
    link. ``folders`` keeps each folder's resolved path: a folder is resolved once, not once
    for each of its thousands of files."""
    folder, _, name = relative.rpartition("/")
    parent = folders.get(folder) if folders is not None else None
    if parent is None:
        parent = (out_dir / folder).resolve()
        if parent != out_dir and out_dir not in parent.parents:
            raise ValueError(f"refusing to write outside {out_dir}: {relative}")
        if folders is not None:
            folders[folder] = parent
    target = parent / name
    if name in ("", ".", "..") or (target.is_symlink() and out_dir not in target.resolve().parents):
        raise ValueError(f"refusing to write outside {out_dir}: {relative}")
    return target


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
