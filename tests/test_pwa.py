"""Reading on a phone: the published site installs as an app and reads offline.

In Chromium, as a reader meets it: no installability error; a story read online reopens with
the network gone, from its address and from the home page's link; search answers offline once
the reader has searched online; a page never read gives the offline page, which lists what is
kept; "Keep for offline reading" keeps a story's linked pages; a new build's text shows on the
next online visit. And what is written: a manifest at base_url's path, real PNG icons, a worker
whose caches are named by the build, nothing of it in the zip edition or the preview.
"""

from __future__ import annotations

import json
import re
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import build_site, sample_project, serve_directory, site_search

from generator.publish import pwa
from generator.read.model.items import Site

ROOT = Path(__file__).resolve().parents[1]
STORY = "/stories/chengdu-footwear-goes-overseas-2023/"


# -- what a build writes --------------------------------------------------------------------


def test_a_published_build_writes_the_manifest_icons_worker_and_offline_page(
    project_site: Path,
) -> None:
    manifest = json.loads((project_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Shoe Capital"
    assert manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#7a2e1f"  # the palette's primary colour
    for icon in manifest["icons"]:
        data = (project_site / icon["src"]).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert icon["sizes"] == f"{width}x{height}"
    assert {i["purpose"] for i in manifest["icons"]} == {"any", "maskable"}
    worker = (project_site / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', worker)
    assert version is not None and "__SHELL__" not in worker
    shell = json.loads(re.search(r"const SHELL = (\[.*\]);", worker).group(1))  # type: ignore[union-attr]
    assert {"", "offline.html", "manifest.webmanifest", "search/search_config.js"} <= set(shell)
    assert all((project_site / (path or "index.html")).is_file() for path in shell)
    page = (
        project_site / "stories" / "chengdu-footwear-goes-overseas-2023" / "index.html"
    ).read_text()
    assert '<link rel="manifest" href="../../manifest.webmanifest">' in page
    assert '<meta name="sc-kind" content="story">' in page
    assert "assets/javascripts/pwa.js" in page
    assert (project_site / "offline.html").is_file()


def test_the_manifest_starts_at_the_path_the_site_is_published_under() -> None:
    site = Site(
        title="Shoe Capital of Chengdu",
        description="News.",
        base_url="https://example.org/news/shoes",
        introduction="Hello.",
    )
    made = pwa.manifest(site, "#123456")
    assert made["start_url"] == made["scope"] == "/news/shoes/"
    assert made["short_name"] == "Shoe"  # a long name is cut to its first word


# -- in Chromium ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(project_site: Path) -> Iterator[str]:
    with serve_directory(project_site) as url:
        yield url


def _reader(browser: Any, url: str, **options: Any) -> Any:
    """A reader's browser with service workers on, under the pages' own policy (a test that
    needs Playwright's waiting helpers, which evaluate strings, passes bypass_csp)."""
    context = browser.new_context(service_workers="allow", base_url=url, **options)
    page = context.new_page()
    return context, page


def _controlled(page: Any) -> None:
    """Wait until the worker controls the page (DevTools' evaluation is not under the CSP)."""
    deadline = time.monotonic() + 20
    while not page.evaluate("navigator.serviceWorker.controller !== null"):
        assert time.monotonic() < deadline, "the service worker never took control"
        time.sleep(0.1)


def _read_online(context: Any, page: Any, path: str) -> None:
    """Open the home page until the worker controls it, read ``path``, then lose the network."""
    page.goto("/", wait_until="load")
    _controlled(page)
    page.goto(path, wait_until="load")
    context.set_offline(True)


def _text(page: Any) -> str:
    return page.locator(".md-content").inner_text()


def test_chromium_finds_nothing_that_stops_installing_the_site(
    browser: Any, site_url: str, tmp_path: Path
) -> None:
    """In a profile of its own: Chromium never offers to install from an incognito context,
    which is what a new Playwright context is."""
    from conftest import CHROMIUM, CHROMIUM_ARGS

    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        service_workers="allow",
        base_url=site_url,
    )
    try:
        page = context.new_page()
        page.goto("/", wait_until="load")
        _controlled(page)
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = session.send("Page.getAppManifest")
        assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")
    finally:
        context.close()


def test_a_story_read_online_reads_offline(browser: Any, site_url: str) -> None:
    context, page = _reader(browser, site_url)
    try:
        page.goto("/", wait_until="load")
        _controlled(page)
        page.goto(STORY, wait_until="load")
        online = _text(page)
        assert "Huidu Fashion Industrial Park" in online
        page.goto("/", wait_until="load")
        context.set_offline(True)
        page.goto(STORY, wait_until="load")  # from its address
        assert _text(page) == online
        page.goto("/", wait_until="load")  # and from the home page's link
        page.locator(f'.md-content a[href$="{STORY[1:]}"]').first.click()
        page.wait_for_url(f"**{STORY}")
        assert _text(page) == online
        assert "offline" not in page.title().lower()
    finally:
        context.close()


def test_a_page_never_read_gives_the_offline_page_listing_what_is_kept(
    browser: Any, site_url: str
) -> None:
    context, page = _reader(browser, site_url)
    try:
        _read_online(context, page, STORY)
        page.goto("/people/he-lixia/", wait_until="load")
        assert page.locator("h1").inner_text() == "You are offline"
        kept = page.locator("#sc-kept a")
        kept.first.wait_for(timeout=10_000)
        titles = kept.all_inner_texts()
        assert any(t.startswith("Chengdu's footwear industry looks to overseas") for t in titles)
    finally:
        context.close()


def test_search_answers_offline_after_one_search_online(browser: Any, site_url: str) -> None:
    context, page = _reader(browser, site_url, bypass_csp=True)
    try:
        page.goto("/", wait_until="load")
        _controlled(page)
        page.goto("/", wait_until="load")
        online = site_search(page, "Huidu")
        assert online
        context.set_offline(True)
        page.goto("/", wait_until="load")
        assert site_search(page, "Huidu") == online
    finally:
        context.close()


def test_keep_for_offline_reading_keeps_the_pages_a_story_links(
    browser: Any, site_url: str
) -> None:
    context, page = _reader(browser, site_url)
    try:
        page.goto("/", wait_until="load")
        _controlled(page)
        page.goto(STORY, wait_until="load")
        button = page.get_by_role("button", name="Keep for offline reading")
        button.click()
        page.get_by_text(re.compile(r"Kept for offline reading \(\d+ pages\)")).wait_for()
        context.set_offline(True)
        page.goto("/people/he-lixia/", wait_until="load")  # linked from the story, never read
        assert page.locator("h1").inner_text().rstrip("¶") == "He Lixia"
        page.goto("/facts/huidu-park-enterprise-count/", wait_until="load")
        assert "more than 150 enterprises" in _text(page)
    finally:
        context.close()


def test_the_zip_edition_and_the_preview_carry_no_worker(project_site: Path) -> None:
    offline = ROOT / "mkdocs.offline.yml"
    assert "offline" in offline.read_text(encoding="utf-8")
    page = (project_site / "index.html").read_text(encoding="utf-8")
    assert "pwa.js" in page  # the published site does; tests/test_offline.py checks the zip


# -- a new build ----------------------------------------------------------------------------


def test_a_new_build_shows_its_text_on_the_next_online_visit(browser: Any, tmp_path: Path) -> None:
    project = sample_project(tmp_path / "project")
    site = tmp_path / "site"
    build_site(project, site)
    first = (site / "sw.js").read_text(encoding="utf-8")
    with serve_directory(site) as url:
        context, page = _reader(browser, url)
        try:
            page.goto("/", wait_until="load")
            _controlled(page)
            page.goto("/stories/sample-report/", wait_until="load")
            story = project / "content" / "stories" / "sample-report.yaml"
            text = story.read_text(encoding="utf-8")
            story.write_text(re.sub(r"^title: .*$", "title: A rebuilt headline", text, flags=re.M))
            build_site(project, site)
            assert (site / "sw.js").read_text(encoding="utf-8") != first  # new caches
            page.goto("/stories/sample-report/", wait_until="load")
            assert page.locator("h1").inner_text().rstrip("¶") == "A rebuilt headline"
            context.set_offline(True)
            page.reload(wait_until="load")
            assert page.locator("h1").inner_text().rstrip("¶") == "A rebuilt headline"  # kept anew
        finally:
            context.close()
