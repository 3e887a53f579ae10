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
        target = (out_dir / relative).resolve()
        if out_dir not in target.parents:
            raise ValueError(f"refusing to write outside {out_dir}: {relative}")
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
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
