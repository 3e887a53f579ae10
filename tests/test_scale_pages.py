"""What keeps a big site's pages and search index small: collapsed navigation, lean index.

A synthetic newsroom is built with the real mkdocs.yml, every year split by month (as a busy
year is at scale) and the long lists cut into pages, so the navigation, lists and search
index have the shape they have at 10 000 stories while the build stays quick.
"""

from __future__ import annotations

import calendar
import html
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.bench import site_stages as bench
from generator.bench.synth import synthesize
from generator.pages import navigation, paths

LISTING_PAGES = ("stories/", "people/", "organizations/", "places/", "topics/", "insights/")
BOXES = ("Related stories", "Mentioned in", "Who speaks", "Cited in insights")
MONTHS = set(calendar.month_name[1:])


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    run = tmp_path_factory.mktemp("scale")
    content = run / "content"
    synthesize(30, content)
    site = run / "site"
    config = bench.project_config(run, content, site)
    patch = pytest.MonkeyPatch()
    patch.setattr(navigation, "NAV_SECTION_SIZE", 1)  # every year by month, as at scale
    patch.setattr(paths, "SHEET_PAGE", 40)  # 90 facts: a fact sheet of three pages
    patch.setattr(paths, "STORIES_PAGE", 12)  # 30 stories: a list of three pages
    patch.setattr(paths, "TOPIC_PAGE", 3)  # a topic's stories and facts, three to a page
    patch.setenv("NO_MKDOCS_2_WARNING", "1")
    patch.delenv("SHOE_CAPITAL_CONTENT", raising=False)
    try:
        build(load_config(os.fspath(config)))
    finally:
        patch.undo()
    yield site


def _stories(site: Path) -> dict[str, Any]:
    content = site.parent / "content" / "stories"
    dates = {}
    for path in sorted(content.glob("*.yaml")):
        date = str(yaml.safe_load(path.read_text(encoding="utf-8"))["date"])
        year, _, rest = date.partition("-")
        dates[path.stem] = (int(year), int(rest[:2]) if rest else 0)
    return dates


def _primary_nav(page: str) -> str:
    return page[page.index("md-sidebar--primary") : page.index("md-sidebar--secondary")]


def _labels(nav: str) -> list[str]:
    return [
        html.unescape(label.strip())
        for label in re.findall(r'<span class="md-ellipsis">([^<]*)</span>', nav)
    ]


def test_a_story_page_carries_only_its_own_year_and_month(synthetic_site: Path) -> None:
    dates = _stories(synthetic_site)
    years = sorted({year for year, _ in dates.values()})
    story, (year, month) = next((s, d) for s, d in dates.items() if d[1])
    page = (synthetic_site / "stories" / story / "index.html").read_text(encoding="utf-8")
    nav = _primary_nav(page)
    labels = _labels(nav)
    # Every year is still reachable from the page…
    for other in years:
        assert labels.count(str(other)) == 1, (other, labels)
    # …but only the open year shows its months, and only the open month its stories.
    months_of_year = {calendar.month_name[m] for y, m in dates.values() if y == year and m}
    shown_months = [label for label in labels if label in MONTHS]
    assert calendar.month_name[month] in shown_months
    assert len(shown_months) <= len(months_of_year), shown_months
    # A collapsed year or month links to its own page, never to a list of its stories: the
    # only stories linked are the open month's
    linked = set(re.findall(r'href="(?:\.\./)*(?:stories/)?(story-\d+)/"', nav))
    assert all(dates[s] == (year, month) for s in linked), linked
    pages = set(re.findall(r'href="(?:\.\./)*(?:stories/)?(years/\d+/(?:\d\d/)?)"', nav))
    for other in years:
        assert f"years/{other}/" in pages, (other, pages)
    for other in months_of_year:
        number = list(calendar.month_name).index(other)
        assert f"years/{year}/{number:02d}/" in pages, (other, pages)


def _search_docs(site: Path) -> list[dict[str, str]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs: list[dict[str, str]] = index["docs"]
    return docs


def test_listing_pages_and_repeated_boxes_are_not_indexed(synthetic_site: Path) -> None:
    docs = _search_docs(synthetic_site)
    locations = [d["location"] for d in docs]
    for listing in LISTING_PAGES:
        assert not [loc for loc in locations if loc.split("#")[0] == listing], listing
        assert (synthetic_site / listing / "index.html").is_file()
    titles = {d["title"] for d in docs}
    assert not titles & set(BOXES)
    assert not [d for d in docs if "Cited in insights" in d["text"]]


def test_every_name_and_figure_is_still_found_at_its_page(synthetic_site: Path) -> None:
    docs = _search_docs(synthetic_site)
    titled = {(d["title"], d["location"]) for d in docs}
    content = synthetic_site.parent / "content"
    for folder, key in (
        ("people", "name"),
        ("organizations", "name"),
        ("places", "name"),
        ("topics", "name"),
    ):
        for path in sorted((content / folder).glob("*.yaml")):
            name = yaml.safe_load(path.read_text(encoding="utf-8"))[key]
            assert (html.escape(name, quote=False), f"{folder}/{path.stem}/") in titled, name
    text = html.unescape(" ".join(d["text"] for d in docs))
    story = yaml.safe_load((content / "stories" / "story-00001.yaml").read_text(encoding="utf-8"))
    soundbites = [s["soundbite"]["text"] for s in story["segments"] if "soundbite" in s]
    assert soundbites
    for quote in soundbites:
        assert " ".join(quote.split()[:6]) in text, quote
    sheet = [d for d in docs if d["location"].startswith("facts/")]
    assert sheet, "the fact sheet is indexed"


def _pager_links(page: Path) -> list[tuple[str, str]]:
    nav = re.search(
        r'<nav [^>]*class="sc-pager"[^>]*>(.*?)</nav>', page.read_text(encoding="utf-8"), re.S
    )
    assert nav, f"{page} has no pager"
    return re.findall(r'<a href="([^"]+)">(\d+)</a>', nav.group(1))


@pytest.mark.parametrize(
    ("folder", "heading", "count"), [("facts", "Fact sheet", 3), ("stories", "Stories", 3)]
)
def test_a_long_list_is_cut_into_pages_that_link_each_other(
    synthetic_site: Path, folder: str, heading: str, count: int
) -> None:
    pages = [synthetic_site / folder / "index.html"] + [
        synthetic_site / folder / "pages" / str(n) / "index.html" for n in range(2, count + 1)
    ]
    for number, page in enumerate(pages, 1):
        text = page.read_text(encoding="utf-8")
        assert re.search(f'<h1 id="[^"]+">{heading}, page {number} of {count}<', text)
        links = _pager_links(page)
        assert [label for _, label in links] == [str(n) for n in range(1, count + 1) if n != number]
        for href, label in links:  # each goes to the page it names
            target = (page.parent / href).resolve() / "index.html"
            assert target == pages[int(label) - 1].resolve()
    assert not (synthetic_site / folder / "pages" / str(count + 1)).exists()


def test_every_fact_is_on_exactly_one_page_of_the_fact_sheet(synthetic_site: Path) -> None:
    facts = sorted(p.stem for p in (synthetic_site.parent / "content" / "facts").glob("*.yaml"))
    pages = [synthetic_site / "facts" / "index.html"] + sorted(
        (synthetic_site / "facts" / "pages").glob("*/index.html")
    )
    listed = []
    for page in pages:
        listed += re.findall(
            r'<tr>\s*<td><a href="(?:\.\./)*([a-z0-9-]+)/"',
            page.read_text(encoding="utf-8"),
        )
    assert listed == facts  # by id, each once, 40 to a page
    assert len(facts) == 90


def _topic_stories(content: Path) -> dict[str, list[tuple[tuple[int, ...], str]]]:
    """Each topic's stories, from the YAML: tagged on the story or on one of its segments."""
    found: dict[str, list[tuple[tuple[int, ...], str]]] = {}
    for path in sorted((content / "stories").glob("*.yaml")):
        story = yaml.safe_load(path.read_text(encoding="utf-8"))
        topics = {*story.get("topics", [])}
        topics.update(t for s in story["segments"] for t in s.get("topics", []))
        date = tuple(int(part) for part in str(story["date"]).split("-"))
        for topic in topics:
            found.setdefault(topic, []).append((date, path.stem))
    return found


def test_a_topic_lists_its_stories_over_pages_newest_first(synthetic_site: Path) -> None:
    content = synthetic_site.parent / "content"
    topic, stories = max(_topic_stories(content).items(), key=lambda kv: (len(kv[1]), kv[0]))
    data = yaml.safe_load((content / "topics" / f"{topic}.yaml").read_text())
    name, description = data["name"], html.escape(data["description"].strip(), quote=False)
    count = -(-len(stories) // 3)
    assert count >= 3, (topic, len(stories))
    folder = synthetic_site / "topics" / topic
    pages = [folder / "index.html"] + [
        folder / "pages" / str(n) / "index.html" for n in range(2, count + 1)
    ]
    listed: list[str] = []
    for number, page in enumerate(pages, 1):
        text = page.read_text(encoding="utf-8")
        title = html.escape(name, quote=False) + (
            f", page {number} of {count}" if number > 1 else ""
        )
        assert re.search(f'<h1 id="[^"]+">{re.escape(title)}<', text)
        shown = text[text.index('id="stories"') :]
        shown = shown[: shown.index("</ul>")]
        listed += re.findall(r'href="(?:\.\./)+stories/(story-\d+)/"', shown)
        assert [label for _, label in _pager_links(page)] == [
            str(n) for n in range(1, count + 1) if n != number
        ]
        assert f"Stories {3 * number - 2}–{min(3 * number, len(stories))} of" in text
        article = text[text.index("<article") : text.index("</article>")]
        assert (description in article) == (number == 1)  # its own text on page 1 only
    newest_first = [stem for _, stem in sorted(stories, key=lambda d: (d[0], d[1]), reverse=True)]
    assert listed == newest_first  # each once, in order, across the pages
    assert not (folder / "pages" / str(count + 1)).exists()
