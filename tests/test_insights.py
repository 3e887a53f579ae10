"""Insights: citations as numbered footnotes, their errors, backlinks, glossary tooltips.

The error cases are tiny projects in tests/fixtures/citations/<case>/ with an
``expected.txt`` holding exactly what ``python -m generator check`` prints there (stdout,
then the summary on stderr). After a deliberate change of wording, regenerate them with

    SHOE_CAPITAL_REGEN=1 .venv/bin/python -m pytest tests/test_insights.py

and review the diff. The site tests read the project's own site, built once per session
(the ``project_site`` fixture in conftest.py), as a reader would see it.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import site_search

from generator.cli import main
from generator.link.citations import SYNTAX_HINT
from generator.pages.render import render
from generator.pipeline import check

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "citations"
ERROR_CASES = ["missing-citation", "wrong-kind-citation"]
REGEN = os.environ.get("SHOE_CAPITAL_REGEN") == "1"
STORY = "chengdu-footwear-goes-overseas-2023"
INSIGHT = "production-capacity-and-overseas-orders"
FILE = "content/insights/park-analysis.yaml"


# -- errors ------------------------------------------------------------------------------


def _check(case: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(FIXTURES / case)
    result = CliRunner().invoke(main, ["check", "--content", "content"])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", ERROR_CASES)
def test_bad_citations_print_the_expected_diagnostics(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _check(case, monkeypatch)
    expected = FIXTURES / case / "expected.txt"
    if REGEN:
        expected.write_text(out + err, encoding="utf-8")
    assert code == 1
    assert out + err == expected.read_text(encoding="utf-8")


def test_missing_citations_are_located_at_the_citation(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out, _ = _check("missing-citation", monkeypatch)
    assert out.splitlines() == [
        f"{FILE}:5:46: error: unknown citation '[@park-enterprise-cout]': "
        "no fact or story has the id 'park-enterprise-cout'",
        "  hint: did you mean 'park-enterprise-count'?",
        f"{FILE}:7:34: error: story 'chengdu-shoes' has no segment 'tan-qijan'",
        "  hint: did you mean 'tan-qijian'?",
        f"{FILE}:8:17: error: unknown citation '[@russian-order]': "
        "no fact or story has the id 'russian-order'",
        f"  hint: {SYNTAX_HINT}",
    ]


def test_citations_in_a_file_with_windows_line_endings_are_located_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    case = tmp_path / "missing-citation"
    shutil.copytree(FIXTURES / "missing-citation", case)
    insight = case / FILE
    insight.write_bytes(insight.read_bytes().replace(b"\n", b"\r\n"))
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["check", "--content", "content"])
    _, out, _ = _check("missing-citation", monkeypatch)
    assert result.exit_code == 1
    assert result.stdout == out
    assert f"{FILE}:8:17: error: unknown citation '[@russian-order]'" in out


def test_wrong_kind_citations_are_located_in_a_folded_indented_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, out, _ = _check("wrong-kind-citation", monkeypatch)
    assert out.splitlines() == [
        f"{FILE}:5:35: error: cannot cite person 'tan-qijian': "
        "a citation points to a fact, a story or a story's segment",
        "  hint: to cite what they said, cite their soundbite: [@chengdu-shoes/tan-qijian]",
        f"{FILE}:6:41: error: cannot cite place 'chengdu': "
        "a citation points to a fact, a story or a story's segment",
        f"  hint: {SYNTAX_HINT}",
        f"{FILE}:8:15: error: fact 'park-enterprise-count' has no segments: "
        "'[@park-enterprise-count/park]' cannot be cited",
        "  hint: cite the fact as [@park-enterprise-count]",
    ]


@pytest.mark.parametrize("case", ERROR_CASES)
def test_each_location_points_at_the_opening_bracket(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = _check(case, monkeypatch)
    heads = out.splitlines()[0::2]
    assert heads
    for head in heads:
        path, line, column = head.split(": ", 1)[0].rsplit(":", 2)
        text = (FIXTURES / case / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        cited = re.search(r"'(\[@[^']+\])'|'([a-z-]+)'", head.split(": error: ", 1)[1])
        assert cited
        assert text[int(column) - 1 :].startswith(cited.group(1) or f"[@{cited.group(2)}")


# -- footnotes in the generated Markdown ---------------------------------------------------


@pytest.fixture(scope="module")
def fixture_pages() -> dict[str, str]:
    index, _ = check(FIXTURES / "valid" / "content")
    return {path: data.decode("utf-8") for path, data in render(index).files.items()}


def test_citations_become_numbered_footnotes(fixture_pages: dict[str, str]) -> None:
    page = fixture_pages["insights/spare-lines.md"]
    assert (
        "More than 150 enterprises gather in the park[^1].\n"
        "A shoe company has spare lines[^2], as the report\n"
        "says[^3]; the park again[^1].\n\n"
        "Shown, not cited: `[@not-a-citation]`."
    ) in page
    notes = re.findall(r"^\[\^(\d+)\]: (.*)$", page, re.M)
    assert [n for n, _ in notes] == ["1", "2", "3"]
    fact, soundbite, story = (text for _, text in notes)
    assert fact.startswith(
        "Fact: [More than 150 enterprises gather in the park.](../facts/park-enterprise-count.md)"
    )
    assert "stated in [Chengdu&#39;s shoe companies](../stories/chengdu-shoes.md#park)" in fact
    assert soundbite == (
        "[Tan Qijian](../people/tan-qijian.md), head of the operation center of a shoe company, in "
        "[Chengdu&#39;s shoe companies](../stories/chengdu-shoes.md#tan-qijian): "
        "“We have now prepared some spare production lines.”"
    )
    assert story.startswith("Report: [Chengdu&#39;s shoe companies](../stories/chengdu-shoes.md), ")


def test_cited_sources_list_the_insight(fixture_pages: dict[str, str]) -> None:
    fact = fixture_pages["facts/park-enterprise-count.md"]
    assert "## Cited in insights\n\n- [Spare lines](../insights/spare-lines.md)" in fact
    story = fixture_pages["stories/chengdu-shoes.md"]
    # Under the soundbite itself, and for the whole story.
    soundbite = story[story.index("{ #tan-qijian") :]
    assert "Cited in insights: [Spare lines](../insights/spare-lines.md)" in soundbite[:600]
    # Kept out of the search index: the insight is found on its own page.
    heading = "## Cited in insights { data-search-exclude }"
    assert heading + "\n\n- [Spare lines](../insights/spare-lines.md)" in story
    # The speaker's page lists it under the quote.
    person = fixture_pages["people/tan-qijian.md"]
    assert "Cited in insights: [Spare lines](../insights/spare-lines.md)" in person
    # The park narration is cited only through the fact, not as a segment.
    park = story[story.index('id="park"') : story.index("{ #tan-qijian")]
    assert "Cited in insights" not in park


# -- the built site --------------------------------------------------------------------------


class _Page(HTMLParser):
    """Ids, links and footnotes of one built page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (href, id of the enclosing footnote li)
        self.abbrs: list[tuple[str, str]] = []
        self._footnote = ""
        self._abbr: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "li" and a.get("id", "").startswith("fn:"):
            self._footnote = a["id"]
        if tag == "a" and "href" in a:
            self.links.append((a["href"], self._footnote))
        if tag == "abbr":
            self._abbr = a.get("title", "")

    def handle_data(self, data: str) -> None:
        if self._abbr is not None:
            self.abbrs.append((data, self._abbr))
            self._abbr = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._footnote = ""


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _target(page_url: str, href: str) -> tuple[str, str]:
    """The site-relative directory URL and anchor a link on ``page_url`` points to."""
    path, _, anchor = href.partition("#")
    if not path:
        return page_url.rstrip("/"), anchor
    return posixpath.normpath(posixpath.join(page_url, path)), anchor


def test_every_footnote_links_to_an_existing_anchor(project_site: Path) -> None:
    insights = sorted(p.parent.name for p in (project_site / "insights").glob("*/index.html"))
    assert len(insights) >= 2
    for name in insights:
        url = f"insights/{name}/"
        page = _Page(_html(project_site, url))
        refs = sorted(int(i.split(":")[1]) for i in page.ids if i.startswith("fnref:"))
        notes = sorted(int(i.split(":")[1]) for i in page.ids if i.startswith("fn:"))
        assert notes and notes == list(range(1, len(notes) + 1)), name
        assert set(refs) == set(notes), name
        cited = [(href, fn) for href, fn in page.links if fn and not href.startswith("#")]
        assert cited, name
        for href, footnote in cited:
            target, anchor = _target(url, href)
            target_page = _Page(_html(project_site, target))
            assert not anchor or anchor in target_page.ids, f"{name} {footnote}: {href}"


def test_a_soundbite_footnote_quotes_it_and_links_to_its_segment(project_site: Path) -> None:
    html = _html(project_site, f"insights/{INSIGHT}/")
    notes = dict(re.findall(r'<li id="(fn:\d+)">\s*<p>(.*?)</p>', html, re.S))
    quote = "We have now prepared some spare production lines"
    soundbite = next(text for text in notes.values() if quote in text)
    assert f'href="../../stories/{STORY}/#tan-qijian"' in soundbite
    assert 'href="../../people/tan-qijian/"' in soundbite
    # The reference in the text and the note point at each other.
    number = next(k for k, v in notes.items() if v is soundbite).split(":")[1]
    assert f'<a class="footnote-ref" href="#fn:{number}">' in html
    assert f'<a class="footnote-backref" href="#fnref:{number}"' in soundbite
    # The withheld figure is stated as the source prints it, never guessed.
    order = next(text for text in notes.values() if "facts/russian-distributor-order/" in text)
    assert "&#60;&#62;.&#60;&#62; million pairs" in order
    assert "figure withheld in the source" in order


def test_facts_and_soundbites_link_back_to_the_insights(project_site: Path) -> None:
    fact = _html(project_site, "facts/russian-distributor-order/")
    section = fact[fact.index('id="cited-in-insights"') :]
    assert f'href="../../insights/{INSIGHT}/"' in section[:1500]
    story = _html(project_site, f"stories/{STORY}/")
    # The backlink sits right after Tan Qijian's soundbite, before the next segment.
    after = story[story.index('id="tan-qijian"') : story.index('id="huidu-service-platform"')]
    link = rf'class="sc-cited-in">\s*<p>Cited in insights: <a href="../../insights/{INSIGHT}/">'
    assert re.search(link, after)


def test_glossary_terms_are_tooltips_in_story_html(project_site: Path) -> None:
    glossary = {}
    for path in (PROJECT / "content" / "glossary").glob("*.yaml"):
        from generator.read.load import load_file

        data = load_file(path).data
        glossary[data["term"]] = " ".join(data["definition"].split())
    page = _Page(_html(project_site, f"stories/{STORY}/"))
    shown = {text: title for text, title in page.abbrs}
    for term in ("OEM", "short, flat and fast", "cross-border e-commerce", "huddle warm"):
        assert shown.get(term) == glossary[term], term
    # A capital first letter at the start of a sentence is recognised too.
    assert shown.get("Cross-border e-commerce") == glossary["cross-border e-commerce"]
    insight = _Page(_html(project_site, "insights/from-oem-to-own-brands/"))
    assert ("OEM", glossary["OEM"]) in insight.abbrs


def test_insights_are_in_the_nav_sitemap_and_search_index(project_site: Path) -> None:
    sitemap = (project_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"https://shoe-capital.example/insights/{INSIGHT}/" in sitemap
    index = json.loads((project_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert f"insights/{INSIGHT}/" in locations
    home = _html(project_site, "")
    assert re.search(r'href="insights/"[^>]*>\s*(<span[^>]*>\s*)?Insights', home)
    assert 'href="insights/production-capacity-and-overseas-orders/"' in home


def test_home_page_shows_key_figures_with_sources(project_site: Path) -> None:
    home = _html(project_site, "")
    cards = home[home.index("sc-key-figures") : home.index('id="latest-stories"')]
    assert "more than 150 enterprises" in cards
    assert "Source: " in unescape(cards)
    assert f'href="stories/{STORY}/#huidu-industrial-park"' in cards
    assert 'href="organizations/sichuan-footwear-association/"' in cards
    assert 'id="latest-insights"' in home and 'id="topics"' in home


def test_reader_follows_a_footnote_to_the_soundbite(
    project_site: Path, serve_dir, new_page
) -> None:
    base = serve_dir(project_site)
    guarded = new_page(base)
    page = guarded.page
    page.goto(f"{base}/insights/{INSIGHT}/")
    ref = page.locator("sup[id^='fnref'] a").first
    ref.click()
    note = page.locator(page.evaluate("location.hash").replace(":", "\\:"))
    assert note.is_visible()
    page.locator("li[id^='fn:'] a[href*='#tan-qijian']").first.click()
    page.wait_for_url(f"**/stories/{STORY}/#tan-qijian")
    assert page.locator("#tan-qijian").is_visible()
    assert (
        page.locator("#tan-qijian ~ blockquote.sc-soundbite")
        .first.inner_text()
        .startswith("We have now prepared some spare production lines")
    )
    assert guarded.blocked == [] and guarded.page_errors == []


def test_reader_finds_an_insight_by_search(project_site: Path, serve_dir, new_page) -> None:
    base = serve_dir(project_site)
    guarded = new_page(base)
    guarded.page.goto(f"{base}/")
    links = site_search(guarded.page, "spare lines Russian order")
    assert any(f"insights/{INSIGHT}/" in href for href in links), links


def test_glossary_page_lists_every_term_at_its_anchor(project_site: Path) -> None:
    page = _html(project_site, "glossary/")
    terms = re.findall(r'<dt id="([a-z0-9-]+)"><strong>(.*?)</strong>', page)
    ids = sorted(p.stem for p in (PROJECT / "content" / "glossary").glob("*.yaml"))
    assert sorted(i for i, _ in terms) == ids
    assert ("oem", "OEM") in terms and ("short-flat-and-fast", "short, flat and fast") in terms


def test_a_hand_written_footnote_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "valid" / "content", tmp_path / "content")
    (tmp_path / "content" / "insights" / "by-hand.yaml").write_text(
        "title: By hand\ndate: 2026-11\nsummary: A footnote written by hand.\n"
        "body: |\n  A claim[^1].\n\n  [^1]: A note.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--content", "content"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "content/insights/by-hand.yaml:5:10: error: hand-written footnote '[^1]' in an insight",
        f"  hint: footnotes are made from citations: {SYNTAX_HINT}",
        "content/insights/by-hand.yaml:7:3: error: hand-written footnote '[^1]' in an insight",
        f"  hint: footnotes are made from citations: {SYNTAX_HINT}",
    ]


def test_topic_pages_list_their_insights(project_site: Path) -> None:
    page = _html(project_site, "topics/own-brands/")
    section = page[page.index('id="insights"') :]
    assert 'href="../../insights/from-oem-to-own-brands/"' in section[:2000]
