"""The live preview's rebuilds: the search index kept between them, MkDocs' dirty-build warning
quietened, and the last good site kept when a rebuild fails."""

from __future__ import annotations

import html
import logging
import threading
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

log = logging.getLogger("mkdocs.plugins.shoe-capital")


class ContentErrors:
    """Whether the last build stopped on a content error, and the errors as `check` prints them.

    Set by the build (on MkDocs' thread), read by the live server's request threads: each
    reads ``text`` once, a whole string, so it never sees half an update.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self.text = ""

    def set(self, text: str) -> None:
        self.text = text
        self.event.set()

    def clear(self) -> None:
        self.event.clear()
        self.text = ""

    def is_set(self) -> bool:
        return self.event.is_set()


content_error = ContentErrors()

BANNER = (
    '<aside class="sc-preview-errors" role="alert">'
    "<p><strong>The content has errors: this is the last good build.</strong> "
    "Fix them and save: the page reloads.</p><pre>{errors}</pre></aside>"
)
"""What every previewed page shows while the content has errors (never in a built site)."""


def show_content_errors(server: Any) -> None:
    """Make the live server put the content's errors at the top of every page it serves while
    the last rebuild stopped on them; the page reloads when a rebuild succeeds, without them.

    Wraps the server's own insertion of its reload script, the one place every served page
    passes through; the errors are escaped, so no content can write markup into the page.
    """
    inject = server._inject_js_into_html

    def with_errors(content: bytes, epoch: int) -> bytes:
        content = inject(content, epoch)
        errors = content_error.text
        if not errors:
            return content
        start = content.find(b"<body")
        end = content.find(b">", start) + 1 if start >= 0 else 0
        banner = BANNER.format(errors=html.escape(errors)).encode("utf-8")
        return content[:end] + banner + content[end:]

    server._inject_js_into_html = with_errors


def keep_search_index(config: MkDocsConfig) -> None:
    """This build leaves the search index of an earlier whole build as it is.

    Material would write it again whole (66 MB at 10 000 stories: seconds of every rebuild),
    merging in the rebuilt pages as if only one page ever changed. A preview searches the
    content as it was when it started; the published build always indexes everything.
    The plugin itself stays on, so rebuilt pages keep their search box: only its indexing
    of pages (an HTML parse of each) and its writing of the index leave this build's events.
    """
    for name in ("material/search", "search"):
        if name in config.plugins:
            plugin = config.plugins[name]
            for event in ("page_context", "post_build"):
                methods = config.plugins.events[event]
                methods[:] = [m for m in methods if getattr(m, "__self__", None) is not plugin]


def keep_last_good_site(builder: Any) -> Any:
    """Report a content error on rebuild and keep serving the last good site.

    A content error stops the build in on_config, before MkDocs writes anything; but MkDocs'
    live server holds every request after a failed rebuild until a build succeeds, so the
    preview would hang. Treating the rebuild as done serves the previous pages unchanged.
    """

    def rebuild(*args: Any, **kwargs: Any) -> None:
        try:
            builder(*args, **kwargs)
        except Abort:
            if not content_error.is_set():
                raise
            log.error(
                "Shoe Capital: not rebuilt; serving the last good site until the content is fixed"
            )

    return rebuild
