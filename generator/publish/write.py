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
    changed: list[str] = []
    for relative, data in sorted(files.items()):
        target = _target(out_dir, relative)
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        _write(target, data)
        changed.append(relative)
    if out_dir.is_dir():
        for path in sorted(out_dir.rglob("*"), reverse=True):
            relative = path.relative_to(out_dir).as_posix()
            if path.is_file() and relative not in files:
                path.unlink()
                changed.append(relative)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
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


def _target(out_dir: Path, relative: str) -> Path:
    target = (out_dir / relative).resolve()
    if out_dir not in target.parents:
        raise ValueError(f"refusing to write outside {out_dir}: {relative}")
    return target


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
