"""Drafts, as editors know them from Hugo and Jekyll: `draft: true` items are checked and
previewed (marked as drafts on their pages), listed by `check`, and never published: a build
leaves them out, with every link to them, and says how many; a published item that links to a
draft is an error, located, in `check`, in the build and in the preview alike."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diagnostics import ContentError
from generator.pipeline import generate
from generator.pipeline.session import Session

ROOT = Path(__file__).resolve().parents[1]
STORY = "stories/chengdu-footwear-goes-overseas-2023.yaml"

DRAFT_PERSON = """\
draft: true
name: Ouyang Lan
description: A reporter drafted for this test; no source names her.
"""

DRAFT_STORY = """\
draft: true
title: "Shoe fair opens in Wuhou District"
date: 2024-03
dateline: chengdu
reporters: [ouyang-lan]
summary: "A made-up report, written for this test."
source:
  medium: news report script
segments:
  - id: opening
    narration: |
      In March 2024 the spring shoe fair opened its doors to buyers.
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project's content with a draft story by a draft reporter; cwd at its root."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "people" / "ouyang-lan.yaml").write_text(DRAFT_PERSON, encoding="utf-8")
    (content / "stories" / "spring-shoe-fair-2024.yaml").write_text(DRAFT_STORY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return content


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_passes_and_lists_each_draft_as_a_notice(project: Path) -> None:
    code, output = run("check", "--no-cache")
    assert code == 0, output
    assert output.splitlines() == [
        "content/people/ouyang-lan.yaml:1:1: notice: person 'ouyang-lan' is a draft: the "
        "preview shows it, a build leaves it out",
        "  hint: remove 'draft: true' when it is ready to publish",
        "content/stories/spring-shoe-fair-2024.yaml:1:1: notice: story "
        "'spring-shoe-fair-2024' is a draft: the preview shows it, a build leaves it out",
        "  hint: remove 'draft: true' when it is ready to publish",
        "content is valid: 69 items, 2 of them draft(s), not published",
    ]


def test_a_published_build_leaves_drafts_out_with_every_mention(project: Path) -> None:
    code, output = run("render", "--out", "out")
    assert code == 0, output
    assert output.strip().endswith("; 2 drafts left out (not published)")
    out = project.parent / "out"
    pages = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert "stories/chengdu-footwear-goes-overseas-2023.md" in pages
    assert not [p for p in pages if "spring-shoe-fair" in p or "ouyang-lan" in p]
    for marker in (b"Ouyang Lan", b"spring-shoe-fair", b"ouyang-lan", b"Shoe fair opens"):
        assert [p for p, data in pages.items() if marker in data] == []


def test_without_drafts_the_build_says_none_were_left_out(tmp_path: Path) -> None:
    output, _ = generate(ROOT / "content", tmp_path / "out")
    assert output.left_out == 0
    code, said = run("render", "--content", str(ROOT / "content"), "--out", str(tmp_path / "o"))
    assert code == 0 and said.strip().endswith("; no drafts left out")


def test_a_published_story_that_links_a_draft_is_an_error_where_it_does(project: Path) -> None:
    path = project / STORY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("reporters: [yang-yuyi]", "reporters: [yang-yuyi, ouyang-lan]"))
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("reporters:"))
    column = len("reporters: [yang-yuyi, ") + 1
    expected = [
        f"content/{STORY}:{line}:{column}: error: person 'ouyang-lan' is a draft: a published "
        "item cannot link to it",
        "  hint: publish it (remove 'draft: true' from content/people/ouyang-lan.yaml), or make "
        "this story a draft too",
    ]
    code, output = run("check", "--no-cache")
    assert code == 1
    assert "\n".join(expected) in output
    code, output = run("render", "--out", "out")  # the build leaves the draft out: same error
    assert code == 1
    assert output.splitlines()[:2] == expected
    assert not (project.parent / "out").exists()


def test_publishing_a_story_whose_reporter_is_still_a_draft_is_an_error(project: Path) -> None:
    story = project / "stories" / "spring-shoe-fair-2024.yaml"
    story.write_text(DRAFT_STORY.replace("draft: true\n", ""), encoding="utf-8")
    code, output = run("check", "--no-cache")
    assert code == 1
    assert (
        "content/stories/spring-shoe-fair-2024.yaml:4:13: error: person 'ouyang-lan' is a "
        "draft: a published item cannot link to it" in output.splitlines()
    )
    (project / "people" / "ouyang-lan.yaml").write_text(DRAFT_PERSON.replace("draft: true\n", ""))
    code, output = run("check", "--no-cache")
    assert code == 0, output
    assert output.strip() == "content is valid: 69 items"


def test_the_preview_shows_a_draft_marked_as_one(project: Path, tmp_path: Path) -> None:
    output, _ = Session(project, tmp_path / "generated").build()
    page = output.files["stories/spring-shoe-fair-2024.md"].decode()
    heading = page.index("\n# Shoe fair opens in Wuhou District\n")
    banner = page.index('!!! warning "Draft: not published"\n    This story is a draft')
    assert heading < banner < page.index("In March 2024 the spring shoe fair")
    person = output.files["people/ouyang-lan.md"].decode()
    assert '!!! warning "Draft: not published"\n    This person is a draft' in person
    published = output.files["stories/chengdu-footwear-goes-overseas-2023.md"].decode()
    assert "Draft: not published" not in published


def test_the_preview_reports_a_link_to_a_draft_made_by_an_edit(
    project: Path, tmp_path: Path
) -> None:
    session = Session(project, tmp_path / "generated")
    session.build()
    path = project / STORY
    text = path.read_text(encoding="utf-8")
    time.sleep(0.01)
    path.write_text(text.replace("reporters: [yang-yuyi]", "reporters: [ouyang-lan]"))
    with pytest.raises(ContentError) as raised:
        session.build([path])
    assert "person 'ouyang-lan' is a draft: a published item cannot link to it" in (
        raised.value.format()
    )
    path.write_text(text)  # put back: the preview builds again
    time.sleep(0.01)
    session.build([path])
    person = project / "people" / "ouyang-lan.yaml"
    person.write_text(DRAFT_PERSON.replace("draft: true\n", ""))  # published: no banner
    output, _ = session.build([person])
    assert "Draft: not published" not in output.files["people/ouyang-lan.md"].decode()
    person.write_text(DRAFT_PERSON)  # a draft again, the draft story still links it: fine
    output, _ = session.build([person])
    assert "Draft: not published" in output.files["people/ouyang-lan.md"].decode()


def test_a_published_insight_citing_a_draft_is_an_error_in_check_and_build(
    project: Path,
) -> None:
    fact = project / "facts" / "chengdu-womens-shoe-capital-title.yaml"
    fact.write_text("draft: true\n" + fact.read_text(encoding="utf-8"), encoding="utf-8")
    insight = project / "insights" / "from-oem-to-own-brands.yaml"
    lines = insight.read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(lines, 1) if "[@chengdu-womens-shoe-capital-title]" in t)
    column = lines[line - 1].index("[@chengdu-womens-shoe-capital-title]") + 1
    expected = (
        f"content/insights/from-oem-to-own-brands.yaml:{line}:{column}: error: fact "
        "'chengdu-womens-shoe-capital-title' is a draft: a published insight cannot cite it"
    )
    for command in (("check", "--no-cache"), ("render", "--out", "out")):
        code, output = run(*command)
        assert code == 1
        assert expected in output.splitlines(), command
        assert "or leave it out of the site's settings until then" in output  # key_figures
