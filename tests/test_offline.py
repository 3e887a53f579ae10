"""The offline edition: `python -m generator build --offline`, opened from disk with no network.

The project (config, docs, content, theme) is copied to a temporary folder and built there
with the real command, once per module; the browser then opens it from file:// with every
request that is not file:, data:, blob: or about: blocked and counted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECT, site_search

from generator.publish.offline import TOP_FOLDER, ZIP_NAME, zip_site

STORY = "stories/chengdu-footwear-goes-overseas-2023.html"


@pytest.fixture(scope="module")
def offline_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("offline") / "project"
    root.mkdir()
    for name in ("mkdocs.yml", "mkdocs.offline.yml"):
        shutil.copy(PROJECT / name, root / name)
    for name in ("docs", "content"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copytree(PROJECT / "generator" / "theme", root / "generator" / "theme")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--offline"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=_environment(),
    )
    assert result.returncode == 0, result.stderr
    assert "offline copy zipped into dist/shoe-capital-offline.zip" in result.stderr
    return root


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SHOE_CAPITAL_CONTENT"}
    return {**env, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="module")
def offline_site(offline_project: Path) -> Path:
    return offline_project / "site"


def test_offline_build_links_files_not_folders(offline_site):
    assert (offline_site / "index.html").is_file()
    assert (offline_site / STORY).is_file()
    assert (offline_site / "search" / "search_index.js").is_file()
    home = (offline_site / "index.html").read_text(encoding="utf-8")
    assert 'href="stories/index.html"' in home
    # Canonical links and the sitemap name the published pages, not the .html files.
    about = (offline_site / "about.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://shoe-capital.example/about/">' in about
    story = (offline_site / STORY).read_text(encoding="utf-8")
    assert (
        '<link rel="canonical" href="https://shoe-capital.example/stories/'
        'chengdu-footwear-goes-overseas-2023/">'
    ) in story
    sitemap = (offline_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.startswith("<?xml") and ".html</loc>" not in sitemap


def test_offline_pages_carry_no_content_security_policy(offline_site):
    """From file:// the iframe-worker shim runs search through an inline script that names
    the worker's file:// address and the time: no hash can allow it (generator/csp.py)."""
    pages = list(offline_site.rglob("*.html"))
    assert pages
    for page in pages:
        assert "Content-Security-Policy" not in page.read_text(encoding="utf-8"), page


def test_the_not_found_page_works_from_disk(offline_site):
    """404.html lies at the root: every address in it is relative to it, and leads to a file."""
    page = (offline_site / "404.html").read_text(encoding="utf-8")
    assert not re.findall(r'(?:href|src)="/(?!/)', page)
    assert '"base": "."' in page
    for address in re.findall(r'(?:href|src)="(?![a-z]+:)([^"#]+)', page):
        assert (offline_site / address).is_file(), address


def test_the_zip_edition_installs_no_worker(offline_site):
    """Opened from file://, no service worker can run: the edition carries none, nor its
    manifest or page script (the published site does: tests/test_pwa.py)."""
    for name in ("sw.js", "manifest.webmanifest", "offline.html", "assets/javascripts/pwa.js"):
        assert not (offline_site / name).exists(), name
    page = (offline_site / "index.html").read_text(encoding="utf-8")
    assert 'rel="manifest"' not in page and "pwa.js" not in page


def test_no_page_refers_to_a_cdn_or_web_font(offline_site):
    offenders = {}
    for page in offline_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for host in ("unpkg.com", "fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr"):
            if host in text:
                offenders.setdefault(host, []).append(page.relative_to(offline_site).as_posix())
    assert offenders == {}
    home = (offline_site / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/vendor/iframe-worker/shim.js"></script>' in home


def test_zip_holds_the_offline_site_and_is_reproducible(offline_project, offline_site, tmp_path):
    archive = offline_project / "dist" / ZIP_NAME
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert names == sorted(names)
        assert f"{TOP_FOLDER}/index.html" in names
        assert f"{TOP_FOLDER}/{STORY}" in names
        assert f"{TOP_FOLDER}/search/search_index.js" in names
        # what the search worker loads from file://: the prebuilt index and the documents' text
        assert f"{TOP_FOLDER}/search/search_index.prebuilt.js" in names
        assert f"{TOP_FOLDER}/search/search_index.docs.js" in names
        assert f"{TOP_FOLDER}/facts.csv" in names
        assert f"{TOP_FOLDER}/sitemap.xml" not in names  # published addresses only
        assert opened.read(f"{TOP_FOLDER}/index.html") == (offline_site / "index.html").read_bytes()
        assert {info.date_time for info in opened.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    again = zip_site(offline_site, tmp_path / "again.zip")
    assert again.read_bytes() == archive.read_bytes()


@pytest.fixture
def offline_page(offline_site, new_page):
    guarded = new_page()  # no origin allowed: only file:, data:, blob:, about: go through
    guarded.page.goto((offline_site / "index.html").as_uri(), wait_until="load")
    yield guarded
    assert guarded.blocked == [], "requests left the machine"


def test_styles_navigation_and_downloads_work_from_disk(offline_page, offline_site):
    page = offline_page.page
    header = page.eval_on_selector(".md-header", "e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(122, 46, 31)"  # the palette's primary colour: CSS loaded
    page.locator(".md-tabs__link", has_text="Facts").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/facts/index.html")
    assert _heading(page) == "Fact sheet"
    csv_link = page.locator("a", has_text="facts.csv").first
    target = page.evaluate("a => a.href", csv_link.element_handle())
    assert target == (offline_site / "facts.csv").as_uri()
    page.locator("article").get_by_role("link", name="Tan Qijian", exact=True).first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/people/tan-qijian.html")
    assert _heading(page) == "Tan Qijian"


def _heading(page) -> str:
    return page.locator("article h1").inner_text().removesuffix("¶").strip()


SEARCHES = [  # a person's name, an organization, a topic, phrases from a quote
    ("Xie Weixin", "people/xie-weixin.html"),
    ("Sichuan Footwear Association", "organizations/sichuan-footwear-association.html"),
    ("Cross-border e-commerce", "topics/cross-border-e-commerce.html"),
    ("spare production lines", STORY),
    ("heels", STORY),  # said in quotes: found only with mkdocs.yml's search separator
]


def test_search_from_disk_finds_the_right_pages(offline_page, offline_site):
    found = {}
    for query, expected in SEARCHES:
        results = site_search(offline_page.page, query)
        pages = list(dict.fromkeys(r.split("?")[0].split("#")[0] for r in results))
        # Ranking is tuned elsewhere (search boosts); here the page must be near the top.
        found[query] = (offline_site / expected).as_uri() in pages[:3] or pages[:5]
    assert found == {query: True for query, _ in SEARCHES}


def _search_settings(config: str) -> str:
    """Material search's settings as MkDocs resolves them (INHERIT and all), in a process of
    their own: MkDocs keeps one plugin instance per process across configurations."""
    code = (
        "import json, sys; from mkdocs.config import load_config; "
        "c = load_config(sys.argv[1]).plugins['material/search'].config; "
        "print(json.dumps({k: c[k] for k in ('lang', 'separator', 'pipeline', 'fields')}))"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(PROJECT / config)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return result.stdout


def test_the_offline_edition_searches_as_the_online_one_does():
    online = _search_settings("mkdocs.yml")
    assert '"separator": "[' in online
    assert _search_settings("mkdocs.offline.yml") == online
