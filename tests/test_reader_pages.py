"""Pages as a reader sees them: the story as it aired, who said what, facts, the timeline.

Ground truth comes from the content itself (read with the generator's own pipeline), so the
tests check that *every* soundbite, quote and mention appears, not just a sample.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import PROJECT, serve_directory

from generator.pages.facts import FACT_COLUMNS
from generator.pages.render import render
from generator.pipeline import check

STORY_ID = "chengdu-footwear-goes-overseas-2023"
STORY = f"/stories/{STORY_ID}/"


@pytest.fixture(scope="module")
def index():
    found, _ = check(PROJECT / "content")
    return found


@pytest.fixture(scope="module")
def site_url(project_site: Path):
    with serve_directory(project_site) as url:
        yield url


@pytest.fixture
def reader(site_url, new_page):
    """A page on the built site; no request may leave it."""
    guarded = new_page(site_url)
    yield guarded.page
    assert guarded.blocked == []


def _ids(page) -> set[str]:
    return set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))


def test_story_reads_like_the_report(reader, index):
    reader.goto(STORY)
    story = index.get("stories", STORY_ID).item
    byline = reader.locator(".sc-byline").inner_text()
    # The report states its year only in a soundbite: the byline says what it is inferred from.
    assert byline.startswith('2023 (inferred from "this year (2023)" in Tan Qijian')
    assert "· Chengdu · Reporting by Yang Yuyi" in byline
    assert "Responsible editor: Song Fangcan" in byline
    soundbites = [s for s in story.segments if s.soundbite]
    assert len(soundbites) == 4
    for number, segment in enumerate(story.segments):
        anchor = index.anchor(STORY_ID, number)
        if segment.narration is not None:
            block = reader.locator(f"div.sc-narration#{anchor}")
            assert segment.narration.split()[0] in block.inner_text()
            continue
        bite = segment.soundbite
        speaker = index.get("people", bite.speaker)
        heading = reader.locator(f"h3#{anchor}")
        link = heading.get_by_role("link", name=speaker.title, exact=True)
        assert link.get_attribute("href") == f"../../people/{bite.speaker}/"
        role = heading.locator("xpath=following-sibling::p[1]")
        assert role.inner_text() == f"On camera as {bite.role}"
        quote = heading.locator("xpath=following-sibling::blockquote[1]")
        assert " ".join(bite.text.split())[:80] in " ".join(quote.inner_text().split())


def test_story_shows_figures_with_qualifier_or_as_withheld(reader):
    reader.goto(STORY)
    cited = reader.locator("#huidu-industrial-park + .sc-cited").inner_text()
    assert "more than 150 enterprises" in cited
    assert "<>.<> million pairs (figure withheld in the source)" in cited
    tags = {a.inner_text(): a.get_attribute("href") for a in reader.locator("a.md-tag").all()}
    assert tags["Cross-border e-commerce"] == "../../topics/cross-border-e-commerce/"


@pytest.mark.parametrize("person", ["tan-qijian", "he-lixia", "xie-weixin", "feng-yonggang"])
def test_person_page_links_every_quote_to_its_segment(reader, index, person):
    story = index.get("stories", STORY_ID).item
    expected = [
        index.anchor(STORY_ID, n)
        for n, s in enumerate(story.segments)
        if s.soundbite and s.soundbite.speaker == person
    ]
    reader.goto(f"/people/{person}/")
    quotes = reader.locator(".sc-quote")
    assert quotes.count() == len(expected)
    hrefs = [quotes.nth(i).locator("a").last.get_attribute("href") for i in range(quotes.count())]
    assert hrefs == [f"../../stories/{STORY_ID}/#{a}" for a in expected]
    reader.goto(STORY)
    assert set(expected) <= _ids(reader)


def test_mentions_and_facts_link_back_to_exact_segments(reader, index):
    """Every in-site link with an anchor on person, organization and place pages lands on an
    element with that id."""
    reader.goto(STORY)
    story_ids = _ids(reader)
    pages = [
        "/people/tan-qijian/",
        "/organizations/huidu-fashion-industrial-park/",
        "/organizations/sichuan-footwear-association/",
        "/places/chengdu/",
    ]
    for path in pages:
        reader.goto(path)
        anchors = [
            h
            for h in reader.eval_on_selector_all(
                "article a[href*='#']", "as => as.map(a => a.getAttribute('href'))"
            )
            if h.startswith(f"../../stories/{STORY_ID}/#")
        ]
        assert anchors, path
        assert {h.split("#")[1] for h in anchors} <= story_ids, path
    reader.goto("/places/chengdu/")
    mentioned = reader.locator("h2#mentioned-in + ul").inner_text()
    assert "looks to overseas markets and its own brands, segment 1 (narration)" in mentioned
    assert "segment 3 (Tan Qijian on camera)" in mentioned
    reader.goto("/organizations/huidu-fashion-industrial-park/")
    assert "He Lixia" in reader.locator(".sc-quote").first.inner_text()


def test_fact_sheet_sorts_by_figure(reader, index):
    reader.goto("/facts/")
    rows = reader.locator(".sc-sortable tbody tr")
    assert rows.count() == len(index.nodes["facts"])
    figure = reader.locator(".sc-sortable th", has_text="Figure")
    figure.click()
    figure.click()
    assert figure.get_attribute("aria-sort") == "descending"
    first = rows.first.locator("td").nth(1).inner_text()
    assert first.startswith("more than 1700,<> enterprises")
    values = [
        v
        for v in reader.eval_on_selector_all(
            ".sc-sortable tbody td:nth-child(2)", "tds => tds.map(td => td.dataset.sort)"
        )
        if v
    ]
    assert [float(v) for v in values] == sorted((float(v) for v in values), reverse=True)


def test_fact_downloads_are_documented_and_published_addresses(project_site, index):
    guide = (PROJECT / "docs" / "data.md").read_text(encoding="utf-8")
    assert re.findall(r"^\| `(\w+)` \|", guide, re.M) == FACT_COLUMNS
    table = (project_site / "facts.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert list(rows[0]) == FACT_COLUMNS
    assert len(rows) == len(index.nodes["facts"])
    data = json.loads((project_site / "facts.json").read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["columns"] == FACT_COLUMNS
    order = next(f for f in data["facts"] if f["id"] == "russian-distributor-order")
    assert order["withheld"] == "fully" and order["value"] is None
    # The digits a partly withheld figure shows are not the number: no value, in either file.
    count = next(f for f in data["facts"] if f["id"] == "chengdu-footwear-enterprise-count")
    assert count["withheld"] == "partly" and count["value"] is None
    assert count["as_printed"] == "more than 1700,<>"
    row = next(r for r in rows if r["id"] == "chengdu-footwear-enterprise-count")
    assert row["value"] == "" and row["as_printed"] == "more than 1700,<>"
    assert order["url"] == "https://shoe-capital.example/facts/russian-distributor-order/"
    assert order["source_url"] == (
        f"https://shoe-capital.example/stories/{STORY_ID}/#huidu-industrial-park"
    )


def test_a_fact_shows_the_sources_words_and_what_its_date_is_inferred_from(reader, index):
    fact = index.get("facts", "short-flat-and-fast-advantage").item
    reader.goto("/facts/short-flat-and-fast-advantage/")
    words = reader.locator(".sc-source-words blockquote").inner_text()
    assert words == f"“{fact.quote[0]}”"
    assert "which may be relatively tenable" in words  # the hedge, as the source has it
    link = reader.locator(".sc-source-words").get_by_role("link").first
    assert link.get_attribute("href").endswith("#feng-yonggang")
    row = reader.locator("tr", has_text="As of").inner_text()
    assert row.startswith('As of\t2023 (inferred from "this year (2023)" in Tan Qijian')
    reader.goto("/facts/")
    cell = reader.locator(".sc-sortable tbody tr", has_text=fact.statement).locator("td").first
    assert f"“{fact.quote[0]}”" in cell.inner_text()


def test_analysis_is_labelled_set_apart_and_cites_nothing(reader):
    reader.goto("/insights/production-capacity-and-overseas-orders/")
    block = reader.locator("article .admonition.analysis")
    assert block.count() == 1
    assert block.locator(".admonition-title").inner_text() == "Analysis"
    assert 'Tan\'s "own brand route"' in block.inner_text()
    assert block.locator("sup, a").count() == 0  # no footnote, no link: no source said it
    border = block.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert border == "rgb(122, 46, 31)"  # the site's primary colour, not Material's note blue
    assert (
        "A block marked Analysis is the editors' reading" in reader.locator("article").inner_text()
    )


def test_timeline_shows_events_by_date_with_sources(reader, index):
    reader.goto("/timeline/")
    headings = [h.removesuffix("¶").strip() for h in reader.locator("article h2").all_inner_texts()]
    events = sorted(index.all("events"), key=lambda n: (n.item.date.sort_key(), n.id))
    assert headings == [f"{e.item.date.human()}: {e.item.title}" for e in events]
    assert headings[0] == "2005: Chengdu named \"China's Women's Shoe Capital\""
    sources = reader.get_by_text("Sources:").all()
    assert len(sources) == len(events)
    inferred = reader.locator("p.sc-inferred").all_inner_texts()
    assert inferred == [
        f"Date inferred from {e.item.date_basis}" for e in events if e.item.date_basis
    ]
    assert len(inferred) == 2  # the 2005 title's date is in the passage its fact cites


@pytest.mark.parametrize("path", [STORY, "/facts/", "/people/xie-weixin/", "/timeline/"])
def test_phone_layout_has_no_sideways_scrolling(site_url, new_page, path):
    guarded = new_page(site_url, viewport={"width": 390, "height": 844}, color_scheme="dark")
    guarded.page.goto(path, wait_until="load")
    width = guarded.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    assert guarded.page.locator("label.md-header__button[for='__drawer']").is_visible()


def test_related_stories_share_people_organizations_or_topics(tmp_path):
    """A second story on a shared topic appears under "Related stories", and vice versa."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    (content / "stories" / "test-fixture-related.yaml").write_text(
        'title: "Test fixture story"\n'
        "date: 2024\n"
        "dateline: chengdu\n"
        "topics: [own-brands]\n"
        'summary: "A fixture for the related-stories test; not a real report."\n'
        "source:\n  medium: test fixture\n"
        "segments:\n  - narration: |\n      Test fixture text.\n",
        encoding="utf-8",
    )
    found, _ = check(content)
    files = render(found).files
    story = files[f"stories/{STORY_ID}.md"].decode()
    related = story.split("## Related stories", 1)[1]
    assert "[Test fixture story](test-fixture-related.md)" in related
    other = files["stories/test-fixture-related.md"].decode()
    assert f"({STORY_ID}.md)" in other.split("## Related stories", 1)[1]
