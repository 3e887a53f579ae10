"""`python -m generator new KIND ID`: a commented draft that passes `check` as written, and
whose TODO markers are errors once it is published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.read.model import KINDS

ROOT = Path(__file__).parent.parent
KIND_NAMES = [kind.name.replace(" ", "-") for kind in KINDS]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's content, with the working directory at its root."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_every_kind_scaffolds_a_valid_commented_item(project: Path) -> None:
    _, before = run("check")
    items = int(before.split(": ")[1].split()[0])
    for name in KIND_NAMES:
        code, output = run("new", name, f"new-{name}")
        assert code == 0, output
    written = sorted(project.glob("content/*/new-*.yaml"))
    assert len(written) == len(KINDS)
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# A new ")
        assert "TODO" in text
    code, output = run("check")
    assert code == 0, output
    notices = [line for line in output.splitlines() if ": notice: " in line]
    assert notices == [
        f"content/{kind.folder}/new-{name}.yaml:6:1: notice: {kind.name} 'new-{name}' is a "
        "draft: the preview shows it, a build leaves it out"
        for kind, name in sorted(zip(KINDS, KIND_NAMES, strict=True), key=lambda k: k[0].folder)
    ]
    assert output.endswith(
        f"content is valid: {items + len(KINDS)} items, {len(KINDS)} of them draft(s), "
        "not published\n"
    )


def test_a_template_published_untouched_is_an_error_at_each_todo(project: Path) -> None:
    run("new", "topic", "shoe-fairs")
    path = project / "content/topics/shoe-fairs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    code, output = run("check")
    assert code == 1
    lines = text.replace("draft: true\n", "").splitlines()
    expected = [
        f"content/topics/shoe-fairs.yaml:{number}:{line.index('TODO') + 1}: error: "
        "placeholder 'TODO' left in a published topic"
        for number, line in enumerate(lines, 1)
        if "TODO" in line
    ]
    assert len(expected) >= 3  # the header's and both fields'
    assert [line for line in output.splitlines() if ": error: " in line] == expected


def test_story_template_reads_as_a_script(project: Path) -> None:
    run("new", "story", "chengdu-shoes-2024")
    text = (project / "content/stories/chengdu-shoes-2024.yaml").read_text(encoding="utf-8")
    assert "dateline: chengdu\n" in text  # an existing place, so the template is valid
    assert "  - id: opening " in text
    assert "    narration: |\n      TODO: the reporter's commentary, as Markdown.\n" in text
    assert "  #   soundbite:\n  #     speaker: " in text


def test_refuses_to_overwrite(project: Path) -> None:
    before = (project / "content/people/tan-qijian.yaml").read_bytes()
    code, output = run("new", "person", "tan-qijian")
    assert code == 2
    assert output.endswith(
        "Error: content/people/tan-qijian.yaml already exists: edit it, or choose another id\n"
    )
    assert (project / "content/people/tan-qijian.yaml").read_bytes() == before


@pytest.mark.parametrize("bad", ["Tan_Qijian", "tan--qijian", "tan qijian", "-tan", "谭"])
def test_refuses_an_invalid_id(project: Path, bad: str) -> None:
    before = sorted(project.rglob("*"))
    code, output = run("new", "person", "--", bad)
    assert code == 2
    assert output.endswith(
        f"Error: '{bad}' is not a valid id: an id is lowercase ASCII letters and digits joined "
        "by single hyphens (e.g. tan-qijian)\n"
    )
    assert sorted(project.rglob("*")) == before


def test_refuses_an_unknown_kind(project: Path) -> None:
    code, output = run("new", "shoe", "red-heels")
    assert code == 2
    assert output.endswith(
        "Error: unknown kind 'shoe': choose one of event, fact, glossary-term, "
        "insight, organization, person, place, story, topic\n"
    )


def test_a_fact_needs_an_existing_story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "content").mkdir()
    shutil.copy(ROOT / "content/site.yaml", tmp_path / "content/site.yaml")
    monkeypatch.chdir(tmp_path)
    code, output = run("new", "fact", "park-enterprise-count")
    assert code == 2
    assert output.endswith(
        "Error: a fact's source story must name an existing story, and content/stories/ has none: "
        "create one first with `python -m generator new story ID`\n"
    )
    assert not (tmp_path / "content/facts").exists()
