"""Shared fixtures: a headless Chromium, a local HTTP server, and pages that block the network.

Browser tests open the site as a reader would, in Debian's Chromium driven by Playwright's
sync API. Every request that would leave the machine is aborted and recorded, so a test can
assert that the site makes no external request at all.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Route,
        WebSocketRoute,
    )

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Schemes that never reach the network.
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the browser, so `-m "not browser"` leaves them out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session.

    Skips when /usr/bin/chromium is absent on a developer's machine; in CI (the CI variable
    is set) a missing browser is a failure, never a skip.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run `make browser` (scripts/install-browser) as root"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves one directory without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    """Does not print a traceback when the browser drops a connection mid-response."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: str | os.PathLike[str]) -> Iterator[str]:
    """Serve `directory` over HTTP on 127.0.0.1 (ephemeral port); yield the base URL.

    Usable directly in fixtures of any scope, e.g. to serve a built site once per module.
    """
    handler = functools.partial(_QuietHandler, directory=os.fspath(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="serve_directory", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def serve_dir() -> Iterator[Callable[[str | os.PathLike[str]], str]]:
    """Factory: `serve_dir(path)` serves that directory and returns its base URL
    (``http://127.0.0.1:PORT``, no trailing slash); servers stop after the test."""
    with ExitStack() as stack:
        yield lambda directory: stack.enter_context(serve_directory(directory))


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


@dataclass
class GuardedPage:
    """A Playwright page whose requests may only go to the allowed origins or local schemes.

    `blocked` lists, in order, the URL of every request that was aborted (WebSockets
    included); `console_errors` and `page_errors` collect what the page reported.
    """

    page: Page
    context: BrowserContext
    allowed_origins: frozenset[tuple[str, str, int | None]]
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def is_allowed(self, url: str) -> bool:
        scheme = urlsplit(url).scheme.lower()
        return scheme in LOCAL_SCHEMES or _origin(url) in self.allowed_origins

    def _route(self, route: Route) -> None:
        url = route.request.url
        if self.is_allowed(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _route_websocket(self, ws: WebSocketRoute) -> None:
        if self.is_allowed(ws.url):
            ws.connect_to_server()
        else:
            # Left unconnected: the page sees a socket that nothing answers.
            self.blocked.append(ws.url)


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., GuardedPage]]:
    """Factory: `new_page(base_url=None, **context_options)` opens a fresh context and page.

    Requests to `base_url`'s origin (and to file:, data:, blob:, about:) go through; every
    other request is aborted and appended to the returned page's `blocked` list. Service
    workers are blocked so that no request escapes the routing.
    """
    contexts: list[BrowserContext] = []

    def _new_page(base_url: str | None = None, **context_options: Any) -> GuardedPage:
        context_options.setdefault("service_workers", "block")
        if base_url is not None:
            context_options.setdefault("base_url", base_url)
        context = browser.new_context(**context_options)
        contexts.append(context)
        allowed = frozenset({_origin(base_url)} if base_url else ())
        guarded = GuardedPage(page=context.new_page(), context=context, allowed_origins=allowed)
        context.route("**/*", guarded._route)
        context.route_web_socket("**/*", guarded._route_websocket)
        guarded.page.on("console", guarded._on_console)
        guarded.page.on("pageerror", lambda e: guarded.page_errors.append(str(e)))
        return guarded

    yield _new_page
    for context in contexts:
        context.close()


PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once per session with plain `mkdocs build --strict`
    into a temporary folder (the project's site/ is left alone)."""
    import subprocess
    import sys

    site_dir = tmp_path_factory.mktemp("project-site") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            "mkdocs.yml",
            "-d",
            str(site_dir),
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return site_dir


def site_search(page: Page, query: str, timeout: float = 20.0) -> list[str]:
    """Type ``query`` into Material's search box as a reader would; return the result links.

    The search worker builds its index after the page loads and ignores queries typed before
    it is ready, so the query is typed again until the result count appears.
    """
    import time

    box = page.locator("input.md-search__input")
    if not box.is_visible():  # phone layout: the box opens from the header's search icon
        page.locator("label[for='__search']").first.click()
    box.click()
    meta = page.locator(".md-search-result__meta")
    deadline = time.monotonic() + timeout
    while True:
        box.fill("")
        box.press_sequentially(query, delay=20)
        try:
            page.wait_for_function(
                "el => !/start searching/i.test(el.textContent)",
                arg=meta.element_handle(),
                timeout=1500,
            )
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
    # One snapshot of the list: the answers to earlier keystrokes may still replace it, and
    # reading link by link would wait on a link the next answer took away.
    return page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href') || '')"
    )


def sample_project(where: Path) -> Path:
    """A project of its own at ``where``: the sample content, mkdocs.yml, docs/ and the
    theme, to edit and build apart from the repository (build_site)."""
    import shutil

    shutil.copytree(PROJECT / "tests" / "fixtures" / "sample" / "content", where / "content")
    shutil.copy(PROJECT / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(PROJECT / "docs", where / "docs")
    shutil.copytree(PROJECT / "generator" / "theme", where / "generator" / "theme")
    return where


def build_site(project: Path, site: Path) -> None:
    """`mkdocs build` of ``project`` into ``site``, as a site owner runs it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
