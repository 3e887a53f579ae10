"""What search engines, feed readers and link previews see: JSON-LD, Open Graph, canonical
links, the Atom feed and the sitemap, on the site as `mkdocs build` makes it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PROJECT, serve_directory

BASE = "https://shoe-capital.example/"
STORY = "stories/chengdu-footwear-goes-overseas-2023/"
HEADLINE = "Chengdu's footwear industry looks to overseas markets and its own brands"
ATOM = "{http://www.w3.org/2005/Atom}"
SC = "{urn:shoe-capital:feed:1}"


class _Head(HTMLParser):
    """Collects <meta>, <link rel=canonical>, JSON-LD blocks and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.jsonld: list[str] = []
        self.ids: set[str] = set()
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")

    def handle_endtag(self, tag):
        self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def _read(site: Path, page: str) -> _Head:
    parser = _Head()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    return parser


def _local(site: Path, url: str) -> tuple[Path, str]:
    """The built file a published address names, and its #anchor."""
    assert url.startswith(BASE), url
    path, _, anchor = url[len(BASE) :].partition("#")
    assert path == "" or path.endswith("/"), url
    return site / path / "index.html", anchor


def _urls(data) -> list[str]:
    if isinstance(data, dict):
        return [
            u
            for k, v in data.items()
            for u in ([v] if k in ("url", "mainEntityOfPage") and isinstance(v, str) else _urls(v))
        ]
    if isinstance(data, list):
        return [u for v in data for u in _urls(v)]
    return []


def test_story_has_news_article_json_ld_with_author_dateline_and_publisher(project_site):
    head = _read(project_site, STORY)
    assert len(head.jsonld) == 1
    data = json.loads(head.jsonld[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == HEADLINE
    assert data["datePublished"] == "2023"  # the source gives the year only: it stays a year
    assert data["dateline"] == "Chengdu"
    assert data["author"] == [
        {"@type": "Person", "name": "Yang Yuyi", "url": BASE + "people/yang-yuyi/"}
    ]
    assert data["editor"][0]["name"] == "Song Fangcan"
    assert data["publisher"] == {"@type": "Organization", "name": "Shoe Capital", "url": BASE}
    assert data["url"] == BASE + STORY


def test_person_and_organization_json_ld(project_site):
    person = json.loads(_read(project_site, "people/xie-weixin/").jsonld[0])
    assert person["@type"] == "Person"
    assert person["name"] == "Xie Weixin"
    assert person["url"] == BASE + "people/xie-weixin/"
    park = _read(project_site, "organizations/huidu-fashion-industrial-park/")
    organization = json.loads(park.jsonld[0])
    assert organization["@type"] == "Organization"
    assert organization["name"] == "Huidu Fashion Industrial Park"
    assert organization["location"]["url"] == BASE + "places/shuangliu-district/"


def test_a_fact_is_a_claim_that_appears_in_its_report(project_site):
    claim = json.loads(_read(project_site, "facts/huidu-park-enterprise-count/").jsonld[0])
    assert claim["@type"] == "Claim"
    assert claim["text"].startswith("More than 150 enterprises")
    assert claim["url"] == BASE + "facts/huidu-park-enterprise-count/"
    assert claim["appearance"] == {
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "url": BASE + STORY + "#huidu-industrial-park",
    }
    assert claim["temporalCoverage"] == "2023"
    said = json.loads(_read(project_site, "facts/short-flat-and-fast-advantage/").jsonld[0])
    assert said["author"] == {
        "@type": "Person",
        "name": "Feng Yonggang",
        "url": BASE + "people/feng-yonggang/",
    }


@pytest.mark.parametrize(
    ("page", "name"),
    [
        ("stories/", "Stories"),
        ("people/", "People"),
        ("facts/", "Fact sheet"),
        ("timeline/", "Timeline"),
        ("topics/cross-border-e-commerce/", "Cross-border e-commerce"),
    ],
)
def test_lists_and_topics_are_collection_pages(project_site, page, name):
    data = json.loads(_read(project_site, page).jsonld[0])
    assert data["@type"] == "CollectionPage"
    assert data["name"] == name
    assert data["url"] == BASE + page


def test_an_insight_names_who_wrote_it(project_site):
    insight = "insights/production-capacity-and-overseas-orders/"
    data = json.loads(_read(project_site, insight).jsonld[0])
    assert data["@type"] == "Article"
    # No editor signs it: the newsroom does (an insight with authors names them, as people)
    assert data["author"] == [{"@type": "Organization", "name": "Shoe Capital", "url": BASE}]
    assert data["datePublished"]


def test_every_json_ld_address_names_a_real_page(project_site):
    checked = 0
    for html in sorted(project_site.rglob("index.html")):
        parser = _Head()
        parser.feed(html.read_text(encoding="utf-8"))
        for block in parser.jsonld:
            for url in _urls(json.loads(block)):
                target, anchor = _local(project_site, url)
                assert target.is_file(), f"{html}: {url}"
                if anchor:
                    page = str(target.parent.relative_to(project_site))
                    assert anchor in _read(project_site, page).ids
                checked += 1
    assert checked > 30


def test_canonical_and_open_graph(project_site):
    head = _read(project_site, STORY)
    assert head.canonical == [BASE + STORY]
    assert head.meta["og:url"] == BASE + STORY
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == HEADLINE
    assert head.meta["og:description"].startswith("A report from Huidu Fashion Industrial Park")
    assert head.meta["og:site_name"] == "Shoe Capital"
    person = _read(project_site, "people/tan-qijian/")
    assert person.meta["og:type"] == "profile"
    assert person.canonical == [BASE + "people/tan-qijian/"]


def test_json_ld_seen_by_the_browser(project_site, new_page):
    with serve_directory(project_site) as url:
        guarded = new_page(url)
        guarded.page.goto("/" + STORY, wait_until="load")
        data = guarded.page.evaluate(
            """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
                     .map(s => JSON.parse(s.textContent))"""
        )
        feed_link = guarded.page.get_attribute('link[type="application/atom+xml"]', "href")
    assert [d["@type"] for d in data] == ["NewsArticle"]
    assert data[0]["author"][0]["name"] == "Yang Yuyi"
    assert feed_link == "../../feed.xml"


def test_atom_feed_lists_stories_and_insights_with_real_dates(project_site):
    root = ET.parse(project_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "feed.xml"
    entries = root.findall(f"{ATOM}entry")
    expected = len(list((PROJECT / "content" / "stories").glob("*.yaml")))
    expected += len(list((PROJECT / "content" / "insights").glob("*.yaml")))
    assert len(entries) == expected
    story = next(e for e in entries if e.find(f"{ATOM}id").text == BASE + STORY)
    assert story.find(f"{ATOM}title").text == HEADLINE
    assert story.find(f"{ATOM}link").get("href") == BASE + STORY
    assert story.find(f"{ATOM}published").text == "2023-01-01T00:00:00Z"
    assert story.find(f"{SC}date").text == "2023"
    assert story.find(f"{SC}date").get("precision") == "year"
    assert "year-only (2023)" in story.find(f"{ATOM}summary").text
    assert story.find(f"{ATOM}author/{ATOM}name").text == "Yang Yuyi"
    for entry in entries:
        target, _ = _local(project_site, entry.find(f"{ATOM}link").get("href"))
        assert target.is_file()
    dates = [e.find(f"{ATOM}published").text for e in entries]
    assert dates == sorted(dates, reverse=True)


def test_sitemap_lists_the_published_pages(project_site):
    root = ET.parse(project_site / "sitemap.xml").getroot()
    space = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in root.iter(f"{space}loc")]
    for url in locations:
        assert _local(project_site, url)[0].is_file(), url
    assert BASE + STORY in locations
    assert BASE + "people/tan-qijian/" in locations
    assert BASE + "facts/" in locations


HOSTILE = 'Shoes </script><img src=x onerror=alert(1)> & "quotes" \u2028 end'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with a story whose title and summary try to break out of the markup."""
    root = tmp_path_factory.mktemp("hostile")
    for name in ("docs", "content"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "generator" / "theme", root / "generator" / "theme")
    story = root / "content" / "stories" / "chengdu-footwear-goes-overseas-2023.yaml"
    text = story.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", lambda _: "title: " + json.dumps(HOSTILE), text, count=1)
    text = re.sub(
        r"(?m)^summary: >-\n(?:  .*\n)+",
        lambda _: "summary: " + json.dumps(HOSTILE) + "\n",
        text,
        count=1,
    )
    story.write_text(text, encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if k != "SHOE_CAPITAL_CONTENT"},
        "NO_MKDOCS_2_WARNING": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_text_from_content_cannot_break_out_of_head_tags(hostile_site):
    html = (hostile_site / STORY / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    head = _read(hostile_site, STORY)
    data = json.loads(head.jsonld[0])
    flat = " ".join(HOSTILE.split())  # a text field reads line breaks (U+2028) as one space
    assert data["headline"] == flat
    assert data["description"] == flat
    assert "</script>" not in head.jsonld[0]
    assert head.meta["og:title"] == flat
    assert head.meta["description"] == flat
