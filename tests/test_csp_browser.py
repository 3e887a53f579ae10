"""The Content-Security-Policy of the online edition (generator/csp.py), in Chromium.

Every kind of page carries the policy, before anything it governs, and runs without a single
violation: Material's inline scripts are allowed by their hashes, computed per page at build
time, and search (the prebuilt worker and index), the palette toggle and navigation work.
And the policy bites: a built page given an inline script, an event handler, a
``javascript:`` link and an outside script reports a violation for each and runs none.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import GuardedPage, serve_directory, site_search

from generator.publish import csp

# One page of every kind, and the lists.
PAGES = [
    "/",  # home
    "/stories/chengdu-footwear-goes-overseas-2023/",
    "/people/tan-qijian/",
    "/organizations/huidu-fashion-industrial-park/",
    "/places/chengdu/",
    "/topics/cross-border-e-commerce/",
    "/facts/huidu-park-enterprise-count/",
    "/facts/",  # the fact sheet (tablesort)
    "/timeline/",
    "/insights/from-oem-to-own-brands/",
    "/glossary/",
    "/stories/",
    "/people/",
    "/organizations/",
    "/places/",
    "/topics/",
    "/insights/",
    "/about/",  # hand-written pages
    "/editors/",
    "/editors/reference/",
    "/data/",
    "/404.html",
]
STORY = "/stories/chengdu-footwear-goes-overseas-2023/"

# Collected in every document before its own scripts run: the violations the browser reports.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(" | "));
}, true);
"""
CSP_META = 'meta[http-equiv="Content-Security-Policy"]'


@dataclass
class CspPage:
    guarded: GuardedPage
    console: list[str] = field(default_factory=list)
    """Console messages (any level) that mention the Content Security Policy."""
    requests: list[str] = field(default_factory=list)

    @property
    def page(self) -> Any:
        return self.guarded.page

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__cspViolations || []")
        return found + self.console


@pytest.fixture(scope="module")
def site_url(project_site: Path) -> Iterator[str]:
    with serve_directory(project_site) as url:
        yield url


def _open(new_page: Any, base_url: str) -> CspPage:
    guarded = new_page(base_url)
    watched = CspPage(guarded)
    guarded.context.add_init_script(COLLECT_VIOLATIONS)

    def on_console(message: Any) -> None:
        if "content security policy" in message.text.lower():
            watched.console.append(f"{message.type}: {message.text}")

    guarded.page.on("console", on_console)
    guarded.page.on("request", lambda request: watched.requests.append(request.url))
    return watched


@pytest.fixture
def reader(new_page: Any, site_url: str) -> Iterator[CspPage]:
    watched = _open(new_page, site_url)
    yield watched
    assert watched.guarded.blocked == []


def _directives(policy: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _wait_for_material(page: Any) -> None:
    """Material's bundle (a script from the site) and its inline head script have run."""
    page.wait_for_function(
        "typeof document$ !== 'undefined' && typeof __md_scope !== 'undefined'", timeout=10_000
    )


@pytest.mark.parametrize("path", PAGES)
def test_every_kind_of_page_runs_under_its_policy(reader: CspPage, path: str) -> None:
    page = reader.page
    page.goto(path, wait_until="load")
    _wait_for_material(page)
    page.wait_for_timeout(200)  # Material's search worker starts after the page has loaded
    assert reader.violations() == []
    assert reader.guarded.page_errors == []

    assert page.locator(CSP_META).count() == 1
    # First in the head, after the charset only: a policy in <meta> governs what follows it
    before = page.evaluate(
        f"""() => {{
          const out = [];
          for (const el of document.head.children) {{
            if (el.matches('{CSP_META}')) return out;
            out.push(el.outerHTML);
          }}
          return null;
        }}"""
    )
    assert before == ['<meta charset="utf-8">']
    policy = _directives(page.locator(CSP_META).get_attribute("content") or "")
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["worker-src"] == ["'self'"]
    script_src = policy["script-src"]
    assert script_src[0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "blob:"} & set(
        script_src
    )
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", h) for h in script_src[1:])
    # Each hash is that of an inline script of this very page, and each of its inline
    # scripts (Material's) has its hash
    inline = page.evaluate(
        """[...document.scripts]
             .filter(s => !s.src && (!s.type || s.type === 'text/javascript'))
             .map(s => s.text)"""
    )
    assert inline, "Material writes inline scripts on every page"
    assert sorted({_sha256(text) for text in inline}) == sorted(script_src[1:])


def test_search_finds_with_the_prebuilt_worker_and_index(reader: CspPage) -> None:
    page = reader.page
    page.goto("/", wait_until="load")
    _wait_for_material(page)
    links = site_search(page, "heels")
    assert links, "search found nothing"
    loaded = " ".join(reader.requests)
    assert "/assets/javascripts/workers/search-prebuilt." in loaded
    assert "/search/search_index.prebuilt.js" in loaded
    assert reader.violations() == []
    # A result opens its page, which highlights the query (?h=) without a violation either
    page.locator(".md-search-result__item a[href*='?h=heels']").first.click()
    page.wait_for_url(re.compile(r"\?h=heels"))
    _wait_for_material(page)
    page.locator("mark").first.wait_for()
    assert reader.violations() == []


def test_palette_toggle_switches_the_scheme(reader: CspPage) -> None:
    page = reader.page
    page.goto("/", wait_until="load")
    _wait_for_material(page)
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(
        f"document.body.getAttribute('data-md-color-scheme') !== {before!r}", timeout=5000
    )
    # The choice is kept: the next page's inline palette script applies it
    page.goto("/timeline/", wait_until="load")
    _wait_for_material(page)
    assert page.get_attribute("body", "data-md-color-scheme") != before
    assert reader.violations() == []


def test_navigation_leads_to_the_page(reader: CspPage) -> None:
    page = reader.page
    page.goto("/", wait_until="load")
    _wait_for_material(page)
    page.locator("a.md-tabs__link", has_text="Timeline").click()
    page.wait_for_url(re.compile(r"/timeline/$"))
    _wait_for_material(page)
    assert page.locator("h1").first.inner_text().strip().rstrip("¶") == "Timeline"
    # Scrolling a long page down and back up: the table of contents follows, the
    # back-to-top button shows (Material sets styles through the CSSOM, which CSP allows)
    page.goto(STORY, wait_until="load")
    _wait_for_material(page)
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)
    page.locator(".md-top").wait_for(state="visible")
    # and the fact sheet still sorts (tablesort, from the site's own files)
    page.goto("/facts/", wait_until="load")
    figure = page.locator(".sc-sortable th", has_text="Figure")
    figure.click()
    assert figure.get_attribute("aria-sort") in {"ascending", "descending"}
    assert reader.violations() == []


# What content must never manage to run; each is blocked by a different rule of the policy.
INJECTED = """
<div id="sc-injected">
<script>window.__ran = (window.__ran || []).concat("inline script");</script>
<img src="data:," alt="" onerror="window.__ran = (window.__ran || []).concat('onerror')">
<button id="sc-onclick" onclick="window.__ran = (window.__ran || []).concat('onclick')">b</button>
<a id="sc-javascript" href="javascript:window.__ran = (window.__ran || []).concat('href')">a</a>
<script src="{outside}/outside.js"></script>
</div>
"""


@pytest.fixture
def injected_site(project_site: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A copy of the built site whose About page was given what the policy must block, served
    with an outside server that would hand out a script."""
    site = tmp_path / "site"
    shutil.copytree(project_site, site)
    outside_root = tmp_path / "outside"
    outside_root.mkdir()
    (outside_root / "outside.js").write_text(
        "window.__ran = (window.__ran || []).concat('outside script');\n", encoding="utf-8"
    )
    with serve_directory(outside_root) as outside, serve_directory(site) as url:
        about = site / "about" / "index.html"
        text = about.read_text(encoding="utf-8")
        marker = '<article class="md-content__inner md-typeset">'
        assert marker in text
        about.write_text(
            text.replace(marker, marker + INJECTED.format(outside=outside), 1), encoding="utf-8"
        )
        yield url, outside


def test_the_policy_blocks_what_content_could_inject(
    injected_site: tuple[str, str], new_page: Any
) -> None:
    url, outside = injected_site
    reader = _open(new_page, url)
    page = reader.page
    page.goto("/about/", wait_until="load")
    _wait_for_material(page)

    def new_violations() -> list[str]:
        """Directive and what it blocked, of the violations reported since the last call."""
        page.wait_for_timeout(300)
        found: list[str] = page.evaluate("window.__cspViolations.splice(0)")
        return sorted(" ".join(v.split(" | ")[:2]) for v in found)

    # On load: the inline script, the outside script, and both handlers (Chromium checks an
    # inline handler when the page sets it, before it is ever called)
    assert new_violations() == sorted(
        [
            "script-src-elem inline",
            f"script-src-elem {outside}/outside.js",
            "script-src-attr inline",
            "script-src-attr inline",
        ]
    )
    page.locator("#sc-onclick").click()
    page.locator("#sc-javascript").click()
    assert new_violations() == ["script-src-elem inline"]  # Chromium's name for a javascript: URL
    assert page.evaluate("window.__ran || []") == []
    assert reader.console  # Chromium says so in the console too
    # The page's own scripts still ran: only what was injected is refused
    assert page.evaluate("typeof __md_scope") == "object"


def test_every_page_of_the_online_build_carries_one_policy(project_site: Path) -> None:
    pages = sorted(project_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert text.count('http-equiv="Content-Security-Policy"') == 1, path
        _, blocked = csp.add_policy(text)
        assert blocked == [], path


# What README tells a host to send as a header: the one directive a <meta> cannot carry.
# Header and <meta> policies both apply, so the header must not restrict scripts further.
FRAME_HEADER = "frame-ancestors 'none'"


@contextmanager
def _serve_with_header(directory: Path) -> Iterator[str]:
    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", FRAME_HEADER)
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=os.fspath(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_host_can_add_frame_ancestors_as_a_header(
    project_site: Path, tmp_path: Path, new_page: Any
) -> None:
    framer = tmp_path / "framer"
    framer.mkdir()
    with _serve_with_header(project_site) as url, serve_directory(framer) as outside:
        reader = _open(new_page, url)
        page = reader.page
        page.goto("/", wait_until="load")
        _wait_for_material(page)
        assert site_search(page, "heels")
        assert reader.violations() == []
        # Another site cannot show the pages in a frame
        (framer / "index.html").write_text(
            f'<!doctype html><iframe src="{url}/about/"></iframe>', encoding="utf-8"
        )
        other = new_page(outside)
        other.allowed_origins |= {("http", "127.0.0.1", int(url.rsplit(":", 1)[1]))}
        other.page.goto("/index.html", wait_until="load")
        other.page.wait_for_timeout(500)
        framed = other.page.frames[1]
        assert framed.url.startswith("chrome-error:"), framed.url
        assert any("frame-ancestors" in e for e in other.console_errors)
