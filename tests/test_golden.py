"""Golden output: the Markdown the generator writes for a small sample project.

The expected tree is tests/golden/sample/. After an intended change to templates or views,
regenerate it and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.pipeline import generate

HERE = Path(__file__).parent
SAMPLE = HERE / "fixtures" / "sample" / "content"
GOLDEN = HERE / "golden" / "sample"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_sample_project_renders_exactly_the_golden_tree(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    generate(SAMPLE, out)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    actual, expected = _tree(out), _tree(GOLDEN)
    assert sorted(actual) == sorted(expected), (
        "pages added or missing: see UPDATE_GOLDEN in this file"
    )
    for path in expected:
        assert actual[path].decode() == expected[path].decode(), (
            f"{path} differs from the golden copy"
        )


def test_a_second_run_rewrites_nothing(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    _, first = generate(SAMPLE, out)
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    _, second = generate(SAMPLE, out)
    assert first and second == []
    assert times == {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_a_stale_page_is_removed_when_its_item_goes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    out = tmp_path / "generated"
    generate(content, out)
    assert (out / "topics" / "overseas-markets.md").exists()
    for path in content.rglob("*.yaml"):
        text = path.read_text()
        path.write_text(text.replace("topics: [overseas-markets]\n", ""))
    (content / "topics" / "overseas-markets.yaml").unlink()
    _, changed = generate(content, out)
    assert "topics/overseas-markets.md" in changed
    assert not (out / "topics" / "overseas-markets.md").exists()
