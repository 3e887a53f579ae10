"""Search with the lunr index built at build time (generator/prebuilt_search.py).

The worker edit is checked against the installed Material; the built site is searched in
headless Chromium, online over HTTP and offline from file://, once with the edited worker
and its prebuilt index and once with Material's own worker (a copy of the same site whose
pages name Material's worker and bundle again): the results, highlighting included, must be
the same, and the edited worker must say that it used the prebuilt index and loaded the
documents itself as text, parsing them on demand (the page sent it none).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import material
import pytest
from conftest import PROJECT, serve_directory, site_search
from test_serve import server  # noqa: F401  (the live preview fixture)

from generator.publish import prebuilt_search, search_assets
from generator.publish.search_assets import PrebuiltSearchError, patch_bundle, patch_worker

MATERIAL_WORKERS = Path(material.__file__).parent / "templates" / search_assets.WORKERS
MATERIAL_JAVASCRIPTS = Path(material.__file__).parent / "templates" / search_assets.JAVASCRIPTS

QUERIES = [
    "Xie Weixin",  # a person
    "Sichuan Footwear Association",  # an organization
    "Cross-border e-commerce",  # a topic
    "spare production lines",  # a phrase of a quote
    "1700",  # a figure
    "million pairs",  # a withheld figure's unit
    "heels",  # a word said in quotes
]

# Records the READY message of the search worker (a real Worker online, iframe-worker's
# IFrameWorker from file://, which the shim assigns to window.Worker after this runs).
RECORD_READY = """
(() => {
  window.__searchReady = null;
  const wrap = (W) => W && class extends W {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (e.data && e.data.type === 1) window.__searchReady = e.data;
      });
    }
  };
  let current = wrap(window.Worker);
  Object.defineProperty(window, "Worker", {
    configurable: true, get: () => current, set: (W) => { current = wrap(W) },
  });
})();
"""


def _material_worker_source() -> str:
    (worker,) = MATERIAL_WORKERS.glob("search.*.min.js")
    return worker.read_text(encoding="utf-8")


def _material_bundle_source() -> str:
    (bundle,) = MATERIAL_JAVASCRIPTS.glob("bundle.*.min.js")
    return bundle.read_text(encoding="utf-8")


def test_the_worker_edit_applies_to_the_installed_material():
    patched = patch_worker(_material_worker_source())
    assert "this.index=__scLoad(" in patched
    assert "__scTokens(" in patched and "{type:1,prebuilt:" in patched
    assert "yield self.__scReady" in patched and ".data=__scSetup(" in patched
    assert (
        "__scOwnDocs('../../../search/search_index.json',"
        "'../../../search/search_index.docs.js','../../../search/search_index.js')"
    ) in patched
    assert "docs:self.__scDocsFrom,lazy:self.__scOnDemand===true}" in patched
    assert "sourceMappingURL" not in patched


def test_the_bundle_edit_applies_to_the_installed_material():
    source = _material_bundle_source()
    patched = patch_bundle(source)
    assert patched.startswith('"use strict";')  # the helper is appended: still strict
    assert 'return __scSearchIndex(new URL("search/search_config.js",' in patched
    # Material's own loading stays, as the fallback
    assert patched.count('new URL("search/search_index.json",') == 1
    assert patched.rstrip().endswith("}") and "function __scSearchIndex(" in patched
    # the feed's <link rel="alternate"> no longer makes the page download the sitemap
    assert '("link[rel=alternate][hreflang]")' in patched
    assert '("link[rel=alternate]")' not in patched
    assert "sourceMappingURL" not in patched


@pytest.mark.parametrize(
    "anchor",
    [
        '"search/search_index.json"',  # Material's page fetches the index over http
        '"search/search_index.js"',  # … or the offline plugin's script from file://
        "()=>__index)",
        '"link[rel=alternate]"',  # the alternate links whose sitemaps it downloads
    ],
)
def test_a_changed_material_bundle_stops_the_build(anchor: str):
    source = _material_bundle_source()
    assert source.count(anchor) == 1
    with pytest.raises(PrebuiltSearchError, match="Material's page bundle has changed"):
        patch_bundle(
            source.replace(anchor, anchor.replace("index", "Index", 1).replace("rel", "Rel"))
        )


@pytest.mark.parametrize(
    "anchor",
    [
        'this.metadataWhitelist=["position"]',  # where the index is built
        "Object.values(",  # where positions are collected for highlighting
        "case 0:return yield",  # the SETUP message
    ],
)
def test_a_changed_material_worker_stops_the_build(anchor: str):
    source = _material_worker_source()
    assert anchor in source
    with pytest.raises(PrebuiltSearchError, match="Material's search worker has changed"):
        patch_worker(source.replace(anchor, anchor.replace("e", "E", 1)))


def test_an_index_is_rebuilt_only_when_the_search_index_changes(tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(MATERIAL_WORKERS, site / search_assets.WORKERS)
    (site / "search").mkdir()
    docs = [{"location": "a/", "title": "Alpha shoes", "text": "Made in Chengdu."}]
    config = {
        "lang": ["en"],
        "separator": r"[\s\-]+",
        "pipeline": ["stopWordFilter"],
        "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}},
    }
    index = site / search_assets.INDEX_JSON
    index.write_text(_json({"config": config, "docs": docs}), encoding="utf-8")
    target = prebuilt_search.write_index(site)
    assert target == site / search_assets.PREBUILT_INDEX
    first = target.stat().st_mtime_ns
    text = target.read_text(encoding="utf-8")
    assert '"terms":["alpha","chengdu.","made","shoes"]' in text
    assert prebuilt_search.write_index(site) == target
    assert target.stat().st_mtime_ns == first  # unchanged index: not rewritten
    written = prebuilt_search.write_config(site)
    assert written == site / search_assets.SEARCH_CONFIG
    assert (
        written.read_text(encoding="utf-8")
        == f"self.__scSearchConfig={json.dumps({'config': config})};\n"
    )
    docs.append({"location": "b/", "title": "Beta", "text": "Heels."})
    index.write_text(_json({"config": config, "docs": docs}), encoding="utf-8")
    prebuilt_search.write_index(site)
    assert '"heels."' in target.read_text(encoding="utf-8")


def _utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def _spans(layout: dict[str, Any]) -> list[tuple[int, int]]:
    spans, found, at = layout["spans"], [], 0
    for k in range(0, len(spans), 2):
        at += spans[k]
        found.append((at, at + spans[k + 1]))
        at += spans[k + 1]
    return found


@pytest.mark.parametrize("text", ["Made in Chengdu.", "成都 · 👠 heels · 👡"])
def test_the_layout_gives_each_documents_span_in_javascripts_units(text: str):
    docs = [
        {"location": "a/", "title": "Alpha", "text": text, "boost": 5},
        {"location": "a/#b", "title": "B 👠", "text": text, "boost": 5},
        {"location": "c/", "title": "C", "text": text},
    ]
    config = {"lang": ["en"], "separator": "[\\s]+"}
    for ensure_ascii in (True, False):
        index = json.dumps(
            {"config": config, "docs": docs}, separators=(",", ":"), ensure_ascii=ensure_ascii
        )
        layout = prebuilt_search._layout(index)
        assert layout is not None
        assert layout["length"] == len(index.encode("utf-16-le")) // 2
        start, end = layout["config"]
        assert json.loads(_utf16_slice(index, start, end)) == config
        assert [json.loads(_utf16_slice(index, a, b)) for a, b in _spans(layout)] == docs
        assert layout["boosts"] == [[5, 2], [None, 1]]


def test_no_layout_for_an_index_not_laid_out_as_materials():
    assert prebuilt_search._layout('{"docs":[],"config":{}}') is None
    assert prebuilt_search._layout('{"config": {}, "docs": [{"location": "a/"}]}') is None
    assert prebuilt_search._layout('{"config":{},"docs":[{"title":"no location"}]}') is None


def test_an_offline_site_gets_the_documents_text_as_a_script(tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(MATERIAL_WORKERS, site / search_assets.WORKERS)
    (site / "search").mkdir()
    index = site / search_assets.INDEX_JSON
    docs = [{"location": "a/", "title": "Alpha", "text": "Made in Chengdu. */ still text"}]
    config = {"lang": ["en"], "separator": r"[\s\-]+", "fields": {"title": {"boost": 1000.0}}}
    text = _json({"config": config, "docs": docs})
    index.write_text(text, encoding="utf-8")
    prebuilt_search.write_index(site, docs_script=True)
    script = (site / search_assets.DOCS_SCRIPT).read_text(encoding="utf-8")
    stamp, rest = script.split("\n", 1)
    assert stamp.startswith("/* shoe-capital search documents: ")
    assert rest == f"self.__scDocsText=function(){{\n//{text}\n}};\n"
    assert '"docs":{"length":' in (site / search_assets.PREBUILT_INDEX).read_text("utf-8")
    # an online build of the same folder leaves no such script behind
    prebuilt_search.write_index(site)
    assert not (site / search_assets.DOCS_SCRIPT).exists()


def test_the_prebuilt_index_is_one_line_of_json_in_a_comment(tmp_path: Path):
    """The worker reads the index back from a one-line comment: JSON.stringify's output may
    hold U+2028 or U+2029, which end a line in JavaScript; they are escaped."""
    site = tmp_path / "site"
    shutil.copytree(MATERIAL_WORKERS, site / search_assets.WORKERS)
    (site / "search").mkdir()
    docs = [{"location": "a/", "title": "Alpha\u2028shoes\u2029", "text": "Made in Chengdu."}]
    config = {"lang": ["en"], "separator": "[ ]+", "fields": {"title": {"boost": 1000.0}}}
    (site / search_assets.INDEX_JSON).write_text(_json({"config": config, "docs": docs}), "utf-8")
    target = prebuilt_search.write_index(site)
    assert target is not None
    stamp, script, comment, end, last = target.read_text(encoding="utf-8").split("\n")
    assert (script, end, last) == ("self.__scIndexText=function(){", "};", "")
    index = json.loads(comment.removeprefix("//"))
    assert "alpha\u2028shoes\u2029" in index["terms"] and index["format"] == 2
    assert index["docs"]["pages"] == [0] and index["docs"]["sample"] == [[0, "a/"]]


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))  # as Material's search plugin writes it


# -- in the browser ----------------------------------------------------------------------


def _build(root: Path, *args: str) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "SHOE_CAPITAL_CONTENT"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "search index prebuilt" in result.stderr
    return root / "site"


def _with_materials_worker(site: Path, copy: Path) -> Path:
    """A copy of ``site`` whose pages use Material's own search worker and bundle."""
    shutil.copytree(site, copy)
    for page in copy.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = text.replace("/workers/search-prebuilt.", "/workers/search.")
        page.write_text(
            text.replace("javascripts/bundle-prebuilt.", "javascripts/bundle."), "utf-8"
        )
    return copy


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """The project built online and offline, each with a copy using Material's worker."""
    base = tmp_path_factory.mktemp("prebuilt-search")
    sites = {}
    for edition, args in (("online", ()), ("offline", ("--offline",))):
        root = base / edition
        root.mkdir()
        for name in ("mkdocs.yml", "mkdocs.offline.yml"):
            shutil.copy(PROJECT / name, root / name)
        for name in ("docs", "content"):
            shutil.copytree(PROJECT / name, root / name)
        shutil.copytree(PROJECT / "generator" / "theme", root / "generator" / "theme")
        site = _build(root, *args)
        sites[edition] = (site, _with_materials_worker(site, base / f"{edition}-stock"))
    return sites


def test_the_build_writes_the_prebuilt_index_worker_and_bundle(built):
    # the text of the documents as a script only where a worker loads it: from file://
    assert not (built["online"][0] / search_assets.DOCS_SCRIPT).exists()
    assert (built["offline"][0] / search_assets.DOCS_SCRIPT).is_file()
    for site, _ in built.values():
        assert (site / search_assets.PREBUILT_INDEX).is_file()
        assert (site / search_assets.SEARCH_CONFIG).is_file()
        (worker,) = (site / search_assets.WORKERS).glob("search-prebuilt.*.min.js")
        (bundle,) = (site / search_assets.JAVASCRIPTS).glob("bundle-prebuilt.*.min.js")
        story = (site / "index.html").read_text(encoding="utf-8")
        assert f"assets/javascripts/workers/{worker.name}" in story
        assert f"assets/javascripts/{bundle.name}" in story
        assert "workers/search." not in story and "javascripts/bundle." not in story


def _results(page: Any, base: str) -> dict[str, str]:
    found = {}
    for query in QUERIES:
        site_search(page, query)
        found[query] = _settled(page).replace(base, "BASE")
    return found


def _settled(page: Any) -> str:
    """The result list once the answers to the keystrokes' queries have stopped coming."""
    import time

    results = page.locator(".md-search-result")
    last, deadline = results.inner_html(), time.monotonic() + 10
    while time.monotonic() < deadline:
        page.wait_for_timeout(400)
        now = results.inner_html()
        if now == last:
            return now
        last = now
    raise AssertionError("the search results kept changing")


def _search(
    new_page: Callable[..., Any],
    url: str,
    base: str,
    allow: str | None,
    requests: list[str] | None = None,
) -> tuple:
    guarded = new_page(allow)
    guarded.page.add_init_script(RECORD_READY)
    if requests is not None:
        guarded.page.on("request", lambda request: requests.append(request.url))
    guarded.page.goto(url, wait_until="load")
    results = _results(guarded.page, base)
    ready = guarded.page.evaluate("window.__searchReady")
    assert guarded.blocked == [], "requests left the machine"
    return results, ready


STORY_ONLINE = "stories/chengdu-footwear-goes-overseas-2023/"
STORY_OFFLINE = "stories/chengdu-footwear-goes-overseas-2023.html"


def test_online_search_finds_what_materials_worker_finds(built, new_page):
    site, stock = built["online"]
    requests: list[str] = []
    with serve_directory(site) as base, serve_directory(stock) as stock_base:
        results, ready = _search(new_page, f"{base}/{STORY_ONLINE}", base, base, requests)
        expected, stock_ready = _search(
            new_page, f"{stock_base}/{STORY_ONLINE}", stock_base, stock_base
        )
    assert ready == {"type": 1, "prebuilt": True, "docs": "search_index.json", "lazy": True}
    assert stock_ready == {"type": 1}
    _assert_same_results(results, expected)
    # the page loaded neither the documents nor the sitemap (the feed's alternate link)
    assert not [url for url in requests if url.endswith(("sitemap.xml", "search_index.js"))]
    assert sum(url.endswith("/search/search_index.json") for url in requests) == 1


def test_without_the_search_config_the_page_sends_the_documents_as_materials_does(
    built, new_page, tmp_path: Path
):
    site, stock = built["online"]
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / search_assets.SEARCH_CONFIG).unlink()
    with serve_directory(copy) as base, serve_directory(stock) as stock_base:
        results, ready = _search(new_page, f"{base}/{STORY_ONLINE}", base, base)
        expected, _ = _search(new_page, f"{stock_base}/{STORY_ONLINE}", stock_base, stock_base)
    assert ready == {"type": 1, "prebuilt": True, "docs": "page", "lazy": False}
    _assert_same_results(results, expected)


def test_an_index_that_does_not_match_the_documents_is_not_used(built, new_page, tmp_path: Path):
    """A search_index.json changed after the build (or cached apart from the prebuilt index):
    the worker parses it whole and builds the index itself, as Material does."""
    site, _ = built["online"]
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    index = copy / search_assets.INDEX_JSON
    data = json.loads(index.read_text(encoding="utf-8"))
    data["docs"] = data["docs"][:-1]
    index.write_text(_json(data), encoding="utf-8")
    with serve_directory(copy) as base:
        results, ready = _search(new_page, f"{base}/{STORY_ONLINE}", base, base)
    assert ready == {"type": 1, "prebuilt": False, "docs": "search_index.json", "lazy": False}
    assert "md-search-result__item" in results["Xie Weixin"]


def test_search_from_disk_finds_what_materials_worker_finds(built, new_page):
    site, stock = built["offline"]
    results, ready = _search(new_page, (site / STORY_OFFLINE).as_uri(), site.as_uri(), None)
    expected, stock_ready = _search(
        new_page, (stock / STORY_OFFLINE).as_uri(), stock.as_uri(), None
    )
    assert ready == {"type": 1, "prebuilt": True, "docs": "search_index.docs.js", "lazy": True}
    assert stock_ready == {"type": 1}
    _assert_same_results(results, expected)


def test_from_disk_without_the_documents_script_the_offline_index_is_parsed(
    built, new_page, tmp_path: Path
):
    site, stock = built["offline"]
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / search_assets.DOCS_SCRIPT).unlink()
    results, ready = _search(new_page, (copy / STORY_OFFLINE).as_uri(), copy.as_uri(), None)
    expected, _ = _search(new_page, (stock / STORY_OFFLINE).as_uri(), stock.as_uri(), None)
    assert ready == {"type": 1, "prebuilt": True, "docs": "search_index.js", "lazy": False}
    _assert_same_results(results, expected)


@pytest.mark.parametrize("edition", ["online", "offline"])
def test_a_result_link_highlights_the_query_on_arrival(built, new_page, edition: str):
    """A result links to its page with ?h=<terms>; the page marks them (search.highlight)
    with the search configuration it loads from search/search_config.js."""
    site, _ = built[edition]
    with serve_directory(site) as base:
        if edition == "online":
            guarded = new_page(base)
            url = f"{base}/{STORY_ONLINE}?h=heels"
        else:
            guarded = new_page(None)
            url = (site / STORY_OFFLINE).as_uri() + "?h=heels"
        guarded.page.goto(url, wait_until="load")
        marks = guarded.page.locator("article mark[data-md-highlight]")
        marks.first.wait_for(state="attached", timeout=10_000)
        assert {text.lower() for text in marks.all_inner_texts()} == {"heels"}
        assert guarded.blocked == []


def _assert_same_results(results: dict[str, str], expected: dict[str, str]) -> None:
    for query, html in expected.items():
        assert re.search(r"md-search-result__item", html), f"{query!r} found nothing"
        assert results[query] == html, f"{query!r}: results differ from Material's worker"


# -- in the live preview -----------------------------------------------------------------


@pytest.mark.slow
def test_a_preview_prebuilds_the_index_once_and_keeps_it(server):  # noqa: F811
    from test_serve import wait_for

    prebuilt = "/" + search_assets.PREBUILT_INDEX.as_posix()
    status, first = server.get(prebuilt)
    assert status == 200 and first.startswith("/* shoe-capital prebuilt search index")
    person = server.project / "content" / "people" / "tan-qijian.yaml"
    good = person.read_text(encoding="utf-8")
    person.write_text(good.replace("name: Tan Qijian", "name: Tan Qijian Edited", 1), "utf-8")
    wait_for(
        "the edited name",
        lambda: "Tan Qijian Edited" in server.get("/people/tan-qijian/")[1],
        server,
    )
    # Search stays as it was at the start (plugin._keep_search_index), and so does its index.
    assert server.get(prebuilt) == (200, first)
    assert server.output().count("search index prebuilt") == 1
    status, page = server.get("/people/tan-qijian/")
    assert "/workers/search-prebuilt." in page and "/javascripts/bundle-prebuilt." in page
