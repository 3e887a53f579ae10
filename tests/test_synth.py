"""The synthetic newsroom, the check cache, and the render pieces that keep builds linear."""

from __future__ import annotations

import itertools
import posixpath
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.bench.synth import main as synth
from generator.bench.synth import synthesize
from generator.cli import main
from generator.pages import navigation, templating
from generator.pages.related import related
from generator.pages.render import render
from generator.pipeline import check


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "content"
    result = CliRunner().invoke(synth, ["--stories", "30", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_synth_30_stories_passes_check(newsroom: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--content", str(newsroom)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "content is valid: 199 items"


def test_synth_has_a_newsrooms_proportions(tmp_path: Path) -> None:
    counts = synthesize(100, tmp_path / "content")
    assert counts == {
        "stories": 100,
        "people": 20,
        "organizations": 5,
        "places": 6,
        "topics": 40,
        "facts": 300,
        "events": 2,
        "glossary": 20,
    }
    on_disk = {
        folder.name: len(list(folder.glob("*.yaml")))
        for folder in (tmp_path / "content").iterdir()
        if folder.is_dir()
    }
    assert on_disk == counts
    story = (tmp_path / "content" / "stories" / "story-00001.yaml").read_text()
    assert "- narration: |" in story and "soundbite:" in story and "facts:" in story


def test_synth_is_deterministic_and_seeded(tmp_path: Path) -> None:
    def files(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))
        }

    synthesize(12, tmp_path / "a", seed=7)
    synthesize(12, tmp_path / "b", seed=7)
    synthesize(12, tmp_path / "c", seed=8)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_synth_refuses_a_folder_of_real_content(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: mine\n")
    result = CliRunner().invoke(synth, ["--stories", "3", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not empty and was not written by synth" in result.output
    assert (tmp_path / "site.yaml").read_text() == "title: mine\n"


# -- the check cache ---------------------------------------------------------------------------


def test_cache_reuses_valid_files_and_never_hides_an_error(
    newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(newsroom, content)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["check", "--content", "content"]).exit_code == 0
    assert list((tmp_path / ".cache").glob("records-*/*.pickle"))

    story = content / "stories" / "story-00003.yaml"
    story.write_text(story.read_text().replace("dateline: place-", "dateline: nowhere-", 1))
    for _ in range(2):  # the broken file is read afresh every time, never taken from the cache
        result = runner.invoke(main, ["check", "--content", "content"])
        assert result.exit_code == 1
        lines = result.output.splitlines()
        assert any(
            line.startswith("content/stories/story-00003.yaml:3:11: error: unknown place 'nowhere-")
            for line in lines
        ), result.output

    # An unchanged file that refers to a missing item is caught by resolve, cache or not.
    (content / "places" / "place-0002.yaml").unlink()
    result = runner.invoke(main, ["check", "--content", "content"])
    assert result.exit_code == 1
    assert "unknown place 'place-0002'" in result.output


def test_cached_check_finds_what_a_cold_check_finds(newsroom: Path, tmp_path: Path) -> None:
    cold, _ = check(newsroom)
    check(newsroom, tmp_path / "cache")
    warm, _ = check(newsroom, tmp_path / "cache")
    assert render(warm).files == render(cold).files


# -- rendering that stays linear ---------------------------------------------------------------


def _brute_force(keys: list[set[str]], limit: int = 5) -> list[list[int]]:
    found = []
    for number, mine in enumerate(keys):
        scored = sorted(
            (-len(mine & other), f"{n:03d}", n)
            for n, other in enumerate(keys)
            if n != number and mine & other
        )
        found.append([n for _, _, n in scored[:limit]])
    return found


def test_related_matches_all_pairs_on_a_small_site() -> None:
    import random

    rng = random.Random(3)
    keys = [set(rng.sample("abcdefghijklmnop", rng.randint(1, 5))) for _ in range(70)]
    stories = list(range(70))
    assert related(stories, lambda n: keys[n], lambda n: f"{n:03d}") == _brute_force(keys)
    # With a narrow window a common key no longer pulls in every story; each still gets
    # related stories that share a key, the window's worth at least.
    narrow = related(stories, lambda n: keys[n], lambda n: f"{n:03d}", window=3)
    for number, found in enumerate(narrow):
        assert 3 <= len(found) <= 5
        assert all(keys[number] & keys[other] for other in found)


def test_story_pages_of_a_busy_year_nest_by_month(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index, _ = check(newsroom)
    monkeypatch.setattr(navigation, "NAV_SECTION_SIZE", 2)
    nav = render(index).nav
    stories = next(
        entry["Stories"] for entry in nav if isinstance(entry, dict) and "Stories" in entry
    )
    assert stories[0] == "stories/index.md"
    years = [next(iter(entry)) for entry in stories[1:]]
    assert years == sorted(years, reverse=True)
    for entry in stories[1:]:
        ((year, sections),) = entry.items()
        assert sections[0] == f"stories/years/{year}.md"  # the year's page comes first
        for section in sections[1:]:
            if isinstance(section, dict):
                ((month, pages),) = section.items()
                assert pages[0].startswith(f"stories/years/{year}/")  # then the month's
                pages = pages[1:]
                assert month in {
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                    f"{year}, month not given",
                }
                assert all(p.startswith("stories/story-") for p in pages)
    listed = [
        p
        for entry in stories[1:]
        for s in next(iter(entry.values()))[1:]
        for p in (next(iter(s.values()))[1:] if isinstance(s, dict) else [s])
    ]
    assert sorted(listed) == sorted(
        f"stories/{p.stem}.md" for p in (newsroom / "stories").glob("*.yaml")
    )


def test_fast_relative_links_equal_posixpath(newsroom: Path) -> None:
    index, _ = check(newsroom)
    pages = sorted(render(index).files)
    directories = sorted({posixpath.dirname(p) for p in pages})
    for target, directory in itertools.product(pages, directories):
        assert templating.relative_url(target, directory) == posixpath.relpath(
            target, directory or "."
        )


def test_fast_relative_links_equal_posixpath_on_odd_paths() -> None:
    """The shortcuts for one-folder paths give way wherever a part is empty, '.' or '..'."""
    parts = ["", ".", "..", "a", "b", "a.md", ".a", "..a"]
    directories = ["a", "b", "a.md", ".a", "..a", "a/b", "b/a", "a/b/c"]  # as pages have
    for directory in directories:
        for size in (1, 2, 3):
            for target in map("/".join, itertools.product(parts, repeat=size)):
                if not target or target.startswith("/") or target.split("/")[0] == "..":
                    continue  # relpath would answer from the working directory
                expected = posixpath.relpath(target, directory)
                assert templating.relative_url(target, directory) == expected, (target, directory)
