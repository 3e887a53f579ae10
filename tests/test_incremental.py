"""Incremental publishing (generator/publish/reuse.py): after each kind of edit, the build that
reuses the previous one writes exactly the files a whole build writes, byte for byte."""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import sample_project

pytestmark = pytest.mark.slow

STORY = """\
title: {title}
date: {date}
dateline: chengdu
reporters: [yang-yuyi]
topics: [overseas-markets]
summary: {summary}
source:
  medium: TV news report
  language: en
segments:
  - id: scene
    narration: |
      {text}
    people: [tan-qijian]
    places: [chengdu]
"""


def story(title: str, date: str, text: str, summary: str = "A story made for this test.") -> str:
    return STORY.format(title=title, date=date, text=text, summary=summary)


def run(project: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def incremental(project: Path, *flags: str) -> str:
    """`python -m generator build` as `make site` runs it; returns its log."""
    return run(project, "-m", "generator", "build", *flags)


def whole(project: Path) -> Path:
    """A whole build of the same project, as plain `mkdocs build` makes it, elsewhere."""
    target = project / "whole"
    run(project, "-m", "mkdocs", "build", "-q", "-d", str(target))
    return target


def differences(a: Path, b: Path) -> list[str]:
    """Every file that is not in both trees, or differs in a byte."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], where: str) -> None:
        found.extend(f"{where}{name}: only in {a.name}" for name in cmp.left_only)
        found.extend(f"{where}{name}: only in {b.name}" for name in cmp.right_only)
        found.extend(f"{where}{name}: differs" for name in cmp.diff_files)
        found.extend(f"{where}{name}: could not compare" for name in cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{where}{name}/")

    filecmp.clear_cache()
    cmp = filecmp.dircmp(a, b, ignore=[])
    walk(cmp, "")
    # dircmp compares by stat first: compare every common file's bytes
    for path in sorted(a.rglob("*")):
        other = b / path.relative_to(a)
        if path.is_file() and other.is_file() and path.read_bytes() != other.read_bytes():
            name = f"{path.relative_to(a).as_posix()}: differs"
            if name not in found:
                found.append(name)
    return found


def kept(log: str) -> tuple[int, int]:
    found = re.search(r"(\d+) pages kept from the last build, (\d+) to render", log)
    return (int(found.group(1)), int(found.group(2))) if found else (0, -1)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = sample_project(tmp_path_factory.mktemp("incremental"))
    stories = where / "content" / "stories"
    for name, date, title in (
        ("spring-orders", "2023-03-14", "Spring orders reach the park"),
        ("may-fair", "2023-05-20", "A shoe fair opens in May"),
        ("may-lines", "2023-05-02", "Spare production lines in May"),
        ("february-boots", "2023-02-10", "Boots for February"),
        ("old-brands", "2022-11-08", "Old brands look for buyers"),
    ):
        (stories / f"{name}.yaml").write_text(
            story(title, date, f"{title}, the narration says, in Chengdu."), encoding="utf-8"
        )
    log = incremental(where)
    assert "building every page (no previous build recorded)" in log
    return where


def same_as_whole(project: Path) -> None:
    problems = differences(project / "site", whole(project))
    assert not problems, "the incremental build differs from a whole build:\n" + "\n".join(
        problems[:20]
    )


# Each step edits the project the earlier steps left, builds it incrementally, and compares.
STEPS = [
    "nothing",
    "story text",
    "story title",
    "date to another month and year",
    "new story in a new month",
    "new story in a month other pages show closed",
    "deleted item",
    "person renamed",
    "glossary term",
    "site title",
    "theme override",
    "mkdocs.yml",
    "hand-written page",
    "hand-written page title",
    "material version as recorded",
]


@pytest.mark.parametrize("step", STEPS)
def test_incremental_build_equals_whole_build(project: Path, step: str) -> None:
    content = project / "content"
    stories = content / "stories"
    if step == "story text":
        edit(stories / "may-fair.yaml", "the narration says", "the narration now says")
    elif step == "story title":
        edit(stories / "may-lines.yaml", "Spare production lines in May", "Lines kept spare")
    elif step == "date to another month and year":
        edit(stories / "spring-orders.yaml", "date: 2023-03-14", "date: 2021-07-01")
    elif step == "new story in a new month":
        (stories / "winter-boots.yaml").write_text(
            story("Winter boots ship early", "2024-01-09", "Boots ship early this winter."),
            encoding="utf-8",
        )
    elif step == "new story in a month other pages show closed":
        # May 2023 is a closed section on the pages of the other months of 2023: Material
        # still loops over its children there, and writes a line for each
        (stories / "may-sandals.yaml").write_text(
            story("Sandals for the summer", "2023-05-28", "Sandals, for the summer."),
            encoding="utf-8",
        )
    elif step == "deleted item":
        (stories / "old-brands.yaml").unlink()
    elif step == "person renamed":
        edit(content / "people" / "tan-qijian.yaml", "name: Tan Qijian", "name: Tan Qi-jian")
    elif step == "glossary term":
        edit(content / "glossary" / "soundbite.yaml", "on camera.", "on camera, in the report.")
    elif step == "site title":
        edit(content / "site.yaml", "title: Shoe Capital sample", "title: Shoe Capital & co")
    elif step == "theme override":
        edit(
            project / "generator" / "theme" / "main.html",
            '<meta charset="utf-8">',
            '<meta charset="utf-8">\n  <meta name="x-test" content="override">',
        )
    elif step == "mkdocs.yml":
        edit(project / "mkdocs.yml", "permalink: true", 'permalink: "#"')
    elif step == "hand-written page":
        edit(project / "docs" / "about.md", "Shoe Capital follows", "Shoe Capital, today, follows")
    elif step == "hand-written page title":
        about = project / "docs" / "about.md"
        text = about.read_text(encoding="utf-8")
        first = next(line for line in text.splitlines() if line.startswith("# "))
        edit(about, first, first + " (revised)")
    elif step == "material version as recorded":
        manifests = list((project / ".cache" / "build").glob("site-*.json"))
        assert len(manifests) == 1
        data = json.loads(manifests[0].read_text(encoding="utf-8"))
        data["versions"]["mkdocs-material"] = "9.7.0"
        manifests[0].write_text(json.dumps(data), encoding="utf-8")
    log = incremental(project)
    same_as_whole(project)
    reused, rendered = kept(log)
    if step in ("nothing", "story text", "hand-written page", "hand-written page title"):
        # the point of it all: an edit renders a few pages, not the site
        assert reused > 0 and rendered <= 12, log
    if step in ("site title", "theme override", "mkdocs.yml", "material version as recorded"):
        assert "building every page" in log, log
    if step == "material version as recorded":
        assert "installed versions changed (mkdocs-material)" in log, log


def test_a_story_text_edit_renders_only_what_shows_it(tmp_path: Path) -> None:
    project = sample_project(tmp_path)
    incremental(project)
    edit(
        project / "content" / "stories" / "sample-report.yaml",
        "spare production lines",
        "spare production lines and staff",
    )
    log = incremental(project)
    reused, rendered = kept(log)
    # the story, the person quoting it, the topic and the facts' pages show the segment's
    # words; hand-written pages are always rendered (3)
    assert reused > 0 and rendered < reused, log
    same_as_whole(project)


def test_a_new_story_renders_its_month_not_the_site(tmp_path: Path) -> None:
    """Publishing today's story, the newest of all, changes the pages that show it (its
    month's stories list it in their navigation; lists, its reporter, its neighbours) and
    keeps the others: a collapsed year or month links to its own page, whatever is newest."""
    project = sample_project(tmp_path)
    stories = project / "content" / "stories"
    # 2023 has more stories than fit a section of the navigation: it is split by month
    for n in range(64):
        month = 1 + n % 3
        (stories / f"story-{n:02d}.yaml").write_text(
            story(f"Report number {n}", f"2023-{month:02d}-{1 + n // 3:02d}", f"Report {n}."),
            encoding="utf-8",
        )
    (stories / "old-brands.yaml").write_text(
        story("Old brands look for buyers", "2022-11-08", "Old brands, buyers."), encoding="utf-8"
    )
    incremental(project)
    site = project / "site"
    before = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}
    unrelated = STORY.replace("topics: [overseas-markets]\n", "").replace(
        "    people: [tan-qijian]\n    places: [chengdu]\n", ""
    )
    (stories / "today.yaml").write_text(
        unrelated.format(title="Published today", date="2023-03-30", text="News.", summary="S."),
        encoding="utf-8",
    )
    log = incremental(project)
    same_as_whole(project)
    rendered = sorted(
        name
        for name, inode in before.items()
        if not (site / name).is_file() or (site / name).stat().st_ino != inode
    )
    # March's stories (22) list it; January's and February's, and 2022's, do not change
    march = {f"stories/story-{n:02d}/index.html" for n in range(2, 64, 3)}
    assert march <= set(rendered), rendered
    others = [f"stories/story-{n:02d}/index.html" for n in range(64) if n % 3 != 2]
    assert not set(others + ["stories/old-brands/index.html"]) & set(rendered), rendered
    assert "stories/years/2023/03/index.html" in rendered
    assert "stories/years/2023/01/index.html" not in rendered
    assert kept(log)[1] < 45, log

    # a story moved from January to February: both months' pages and stories change
    edit(stories / "story-00.yaml", "date: 2023-01-01", "date: 2023-02-28")
    incremental(project)
    same_as_whole(project)
    february = (site / "stories" / "years" / "2023" / "02" / "index.html").read_text("utf-8")
    assert "Report number 0<" in february


def test_doubt_means_a_whole_build(tmp_path: Path) -> None:
    project = sample_project(tmp_path)
    incremental(project)
    manifest = next((project / ".cache" / "build").glob("site-*.json"))

    manifest.write_text("{not json", encoding="utf-8")
    log = incremental(project)
    assert "building every page (the manifest could not be read" in log, log

    # a page of the published site changed by hand is rendered again, not kept
    story = project / "site" / "stories" / "sample-report" / "index.html"
    story.write_text(story.read_text(encoding="utf-8") + "<!-- changed -->", encoding="utf-8")
    log = incremental(project)
    assert kept(log)[0] > 0, log
    assert "<!-- changed -->" not in story.read_text(encoding="utf-8")
    same_as_whole(project)

    # the search index is not the one recorded: nothing is reused
    index = project / "site" / "search" / "search_index.json"
    index.write_text(index.read_text(encoding="utf-8").replace("Tan", "Tam"), encoding="utf-8")
    log = incremental(project)
    assert "the previous search index is not the recorded one" in log, log
    same_as_whole(project)

    log = incremental(project, "--full")
    assert "building every page (--full)" in log, log

    (project / "site").rename(project / "elsewhere")
    log = incremental(project)
    assert "building every page" in log and kept(log) == (0, -1), log
    same_as_whole(project)


NAVIGATION_CHANGES = """
from pathlib import Path

from generator.publish import reuse
from generator.publish.site import build_site

real, calls = reuse.Reuse.record, []


def record(self, files, nav, sources):
    # the first build's kept pages turn out to show another navigation than recorded
    calls.append(1)
    if len(calls) == 1:
        raise reuse.Mismatch(next(iter(self.kept)))
    return real(self, files, nav, sources)


reuse.Reuse.record = record
print(build_site(Path("mkdocs.yml")))
"""


def test_a_kept_page_whose_navigation_changed_means_a_whole_build(tmp_path: Path) -> None:
    """The last check: were the navigation a kept page ends up in not the one it was
    rendered with (a change the keys did not foresee), the build is done again, whole.
    (In a process of its own: MkDocs keeps plugins from one build to the next in a process.)"""
    project = sample_project(tmp_path)
    incremental(project)
    log = run(project, "-c", NAVIGATION_CHANGES)
    first, warning, second = log.partition("would show another navigation")
    assert warning, log
    assert "pages kept from the last build" in first, log
    # the second build renders every page, and keeps none
    assert "Shoe Capital: building every page (" in second, log
    assert "pages kept" not in second, log
    same_as_whole(project)
