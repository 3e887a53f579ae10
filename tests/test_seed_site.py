"""The first report, whole and faithful, on the built site and in its search.

Everything the seed says must be in content/ and findable: its people, organizations,
places, figures and quotes. Soundbites and narration are checked word for word against the
seed, so a transcription slip fails here.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import site_search

from generator.pipeline import check

PROJECT = Path(__file__).resolve().parents[1]
# A copy of the first source document (../shared/seeds/), so the check runs in any clone.
SEED = PROJECT / "tests" / "fixtures" / "seed" / "000_7e95e086453b579a.txt"
STORY = "chengdu-footwear-goes-overseas-2023"

PEOPLE = ["Tan Qijian", "He Lixia", "Xie Weixin", "Feng Yonggang", "Yang Yuyi", "Song Fangcan"]
ORGANIZATIONS = [
    "China Light Industry Federation",
    "China Leather Industry Association",
    "Sichuan Footwear Association",
    "Huidu Fashion Industrial Park",
    "Chengdu Cross-border E-commerce Association",
    "Sichuan Maiduoduo Information Technology Co., Ltd",
]
PLACES = ["Chengdu", "Shuangliu District", "Sichuan", "Western China", "Russia"]
FIGURES = ["more than 150 enterprises", "more than 1700,<> enterprises", "<>.<> million pairs"]


@pytest.fixture(scope="module")
def index():
    return check(PROJECT / "content")[0]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return " ".join(SEED.read_text(encoding="utf-8").split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_segment_is_verbatim_from_the_seed_in_order(index, seed_text: str) -> None:
    story = index.get("stories", STORY).item
    position = 0
    for segment in story.segments:
        words = _flat(segment.narration or segment.soundbite.text)
        found = seed_text.find(words, position)
        assert found >= 0, f"not verbatim from the seed, or out of order: {words[:60]!r}"
        position = found + len(words)


def test_every_soundbite_is_attributed_to_the_speaker_the_seed_names(index, seed_text: str) -> None:
    story = index.get("stories", STORY).item
    speakers = []
    for segment in story.segments:
        if segment.soundbite:
            speaker = index.get("people", segment.soundbite.speaker).item.name
            caption = f"【During the same period】{speaker}, {segment.soundbite.role}"
            assert _flat(caption) in seed_text
            speakers.append(speaker)
    assert speakers == ["Tan Qijian", "He Lixia", "Xie Weixin", "Feng Yonggang"]


def test_reporter_editor_and_the_year_the_report_gives(index) -> None:
    story = index.get("stories", STORY)
    assert story.item.reporters == ["yang-yuyi"] and story.item.editors == ["song-fangcan"]
    assert str(story.item.date) == "2023" and story.item.date.precision == "year"
    assert story.item.dateline == "chengdu"


def test_withheld_figures_are_recorded_as_withheld(index) -> None:
    order = index.get("facts", "russian-distributor-order").item.figure
    assert order.withheld == "fully" and order.value is None
    assert order.as_printed == "<>.<> million pairs"
    count = index.get("facts", "chengdu-footwear-enterprise-count").item.figure
    assert count.withheld == "partly" and count.as_printed == "more than 1700,<>"


def _search_docs(site: Path) -> list[dict[str, str]]:
    return json.loads((site / "search" / "search_index.json").read_text())["docs"]


def _page_text(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("name", PEOPLE + ORGANIZATIONS + PLACES)
def test_every_name_has_a_page_and_is_in_the_search_index(project_site: Path, name: str) -> None:
    docs = _search_docs(project_site)
    pages = [d for d in docs if d["title"] == name and "#" not in d["location"]]
    assert pages, f"no page titled {name!r} in the search index"
    assert any(
        name in d["text"] or name in d["title"]
        for d in docs
        if "stories/" in d["location"]
        or name in ("Western China", "Russia", "Yang Yuyi", "Song Fangcan")
    ), name


@pytest.mark.parametrize("figure", FIGURES)
def test_every_figure_is_on_the_fact_sheet_and_searchable(project_site: Path, figure: str) -> None:
    assert figure in _page_text(project_site, "facts")
    text = unescape(" ".join(d["text"] for d in _search_docs(project_site)))
    assert figure in text


def test_the_withheld_figure_says_it_is_withheld(project_site: Path) -> None:
    text = _page_text(project_site, "facts/russian-distributor-order")
    assert "<>.<> million pairs" in text
    assert "withheld" in text.lower()


def test_the_2005_title_is_on_the_timeline(project_site: Path) -> None:
    text = _page_text(project_site, "timeline")
    assert "2005" in text and "Women's Shoe Capital" in text


def test_search_for_heels_lands_on_xie_weixins_soundbite(
    project_site: Path, serve_dir, new_page
) -> None:
    base = serve_dir(project_site)
    guarded = new_page(base)
    page = guarded.page
    page.goto(f"{base}/")
    links = site_search(page, "heels")
    # Material lists the best page first, then its matching sections: the story, and in it
    # the soundbite where Xie Weixin speaks of heels.
    assert links[0].split("?")[0].endswith(f"stories/{STORY}/"), links
    assert links[1].endswith(f"stories/{STORY}/?h=heels#xie-weixin"), links
    page.locator(".md-search-result__item a").nth(1).click()
    page.wait_for_url(re.compile(r"#xie-weixin$"))
    heading = page.locator("#xie-weixin")
    assert heading.is_visible()
    assert "Xie Weixin" in heading.inner_text()
    quote = page.locator("#xie-weixin ~ blockquote").first
    assert 'especially in the "heels"' in quote.inner_text()
    assert guarded.blocked == []
