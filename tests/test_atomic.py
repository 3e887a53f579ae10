"""Atomic builds: a build that fails, or is killed, leaves the previous site/ byte for byte;
a build that succeeds replaces it whole; no build writes to content/ or docs/.

Every test works on a private copy of the project (mkdocs.yml, docs/, content/, the theme)
and runs the real commands, `python -m generator build` and `mkdocs build`, as subprocesses.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ENV.pop("SHOE_CAPITAL_CONTENT", None)
GENERATOR_BUILD = [sys.executable, "-m", "generator", "build"]
MKDOCS_BUILD = [str(MKDOCS), "build"]


def copy_project(target: Path) -> Path:
    """The parts of the project a build reads, copied to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("docs", "content", "generator/theme"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``, with the SHA-256 of each file's bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        found[relative] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "/"
    return found


def snapshot(project: Path) -> dict[str, dict[str, str]]:
    return {name: tree_hash(project / name) for name in ("site", "content", "docs")}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


def run(command: list[str], project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=project, env=ENV, capture_output=True, text=True, timeout=180
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with its site built once."""
    project = copy_project(tmp_path_factory.mktemp("atomic") / "project")
    result = run(GENERATOR_BUILD, project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()
    return project


def test_the_build_writes_neither_content_nor_docs(project: Path) -> None:
    before = snapshot(project)
    result = run(MKDOCS_BUILD, project)
    assert result.returncode == 0, result.stderr
    after = snapshot(project)
    assert after["content"] == before["content"]
    assert after["docs"] == before["docs"]
    assert leftovers(project) == []


def test_a_successful_build_replaces_the_site_whole(project: Path) -> None:
    (project / "site" / "stale-page.html").write_text("<p>from an earlier build</p>")
    (project / "site" / "stale-folder").mkdir()
    topic = project / "content" / "topics" / "oem.yaml"
    old = topic.read_text()
    topic.write_text(old.replace("name: OEM", "name: OEM (original equipment manufacturing)"))
    try:
        result = run(GENERATOR_BUILD, project)
    finally:
        topic.write_text(old)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert not (site / "stale-page.html").exists()
    assert not (site / "stale-folder").exists()
    page = (site / "topics" / "oem" / "index.html").read_text()
    assert "OEM (original equipment manufacturing)" in page
    assert leftovers(project) == []


STORY = "content/stories/chengdu-footwear-goes-overseas-2023.yaml"

# what breaks the build: (file to change, how, a line the owner must see)
FAILURES = {
    "yaml syntax": (
        "content/people/broken-item.yaml",
        lambda text: "name: [unclosed\n",
        "content/people/broken-item.yaml:1:7: error: YAML syntax error: unclosed '['",
    ),
    "unknown reference": (
        "content/organizations/russian-distributor.yaml",
        lambda text: text + "parent: no-such-organization\n",
        "error: unknown organization 'no-such-organization'",
    ),
    "javascript link": (
        STORY,
        lambda text: text.replace(
            "    narration: |\n      ", "    narration: |\n      [Click](javascript:alert(1)) ", 1
        ),
        "error: 'javascript:' links are not allowed",
    ),
    "hand-written page clashes with a generated one": (
        "docs/timeline.md",
        lambda text: "# My timeline\n",
        "docs/timeline.md is hand-written",
    ),
    # Under strict, MkDocs aborts on a warning only after every page has been written.
    "broken link in a hand-written page (strict)": (
        "docs/about.md",
        lambda text: text + "\n[gone](no-such-page.md)\n",
        "Aborted with 1 warnings in strict mode",
    ),
}


@pytest.mark.parametrize("command", [GENERATOR_BUILD, MKDOCS_BUILD], ids=["generator", "mkdocs"])
@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failing_build_leaves_the_previous_site_byte_for_byte(
    project: Path, case: str, command: list[str]
) -> None:
    relative, change, expected = FAILURES[case]
    target = project / relative
    original = target.read_bytes() if target.exists() else None
    target.write_text(change(original.decode() if original is not None else ""))
    try:
        before = snapshot(project)
        result = run(command, project)
        after = snapshot(project)
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)
    assert result.returncode != 0
    assert expected in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert after == before
    assert leftovers(project) == []


def _many_stories(content: Path, count: int) -> None:
    """``count`` copies of the seed story under new ids, so MkDocs has pages to write."""
    seed = content / "stories" / "chengdu-footwear-goes-overseas-2023.yaml"
    text = seed.read_text()
    for number in range(count):
        (content / "stories" / f"copy-{number:03d}.yaml").write_text(text)


def test_kill_9_during_the_mkdocs_stage_leaves_the_previous_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = run(GENERATOR_BUILD, project)
    assert result.returncode == 0, result.stderr
    _many_stories(project / "content", 30)
    before = snapshot(project)

    process = subprocess.Popen(
        GENERATOR_BUILD, cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    staged: list[Path] = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            staged = [p for p in project.glob(".site.staging-*") if any(p.iterdir())]
            if staged:  # MkDocs is writing pages into the staging folder
                break
            time.sleep(0.01)
        assert staged, "the build ended before its staging folder filled"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert snapshot(project) == before
    assert leftovers(project)  # the killed build's staging folder is still there …

    for copy in (project / "content" / "stories").glob("copy-*.yaml"):
        copy.unlink()  # a smaller build is enough to show the clean-up
    result = run(GENERATOR_BUILD, project)
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == []  # … until the next build clears it


def test_a_dirty_build_keeps_the_whole_search_index(tmp_path: Path) -> None:
    """`mkdocs build --dirty` renders only the pages whose Markdown changed, so Material's
    search plugin would write an index of those pages alone: search would find nothing else.
    The last whole build's index is kept instead (it misses only the edit)."""
    import json

    project = copy_project(tmp_path / "project")
    assert run(MKDOCS_BUILD, project).returncode == 0
    index = project / "site" / "search" / "search_index.json"
    whole = json.loads(index.read_text(encoding="utf-8"))
    assert len(whole["docs"]) > 50
    person = project / "content" / "people" / "tan-qijian.yaml"
    time.sleep(1.0)  # the edited page must be newer than its HTML
    person.write_text(person.read_text().replace("Tan Qijian", "Tan Qijian Edited", 1))
    result = run([*MKDOCS_BUILD, "--dirty"], project)
    assert result.returncode == 0, result.stderr
    assert "Tan Qijian Edited" in (project / "site/people/tan-qijian/index.html").read_text()
    assert json.loads(index.read_text(encoding="utf-8")) == whole
