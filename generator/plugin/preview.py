"""The live preview's rebuilds: the search index kept between them, MkDocs' dirty-build warning
quietened, and the last good site kept when a rebuild fails."""

from __future__ import annotations

import logging
import threading
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

log = logging.getLogger("mkdocs.plugins.shoe-capital")

# Set while the last build stopped on a content error.
content_error = threading.Event()


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


def not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


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
