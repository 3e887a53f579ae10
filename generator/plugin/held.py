"""What the plugin holds between MkDocs' events, kept small.

MkDocs converts every page before it renders any into its template, and keeps every page's
Markdown and HTML until the build ends: at 10 000 stories (43 000 pages) that is most of a
whole build's memory. A published build holds each page's HTML compressed from its
conversion to its template, and lets go of the Markdown once converted and of the HTML once
written (:class:`HeldPages`). `serve` keeps Material's compiled templates from one rebuild
to the next (:class:`TemplateCache`).
"""

from __future__ import annotations

import ctypes
import gc
import zlib

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page


class HeldPages:
    """Each page's HTML, compressed, between its conversion and its template."""

    def __init__(self) -> None:
        self.held: dict[str, bytes] = {}

    def hold(self, page: Page, html: str) -> str:
        """Keep ``html`` compressed; the page keeps an empty text (not None: MkDocs reads a
        page's title from its Markdown only while it has no HTML)."""
        page.markdown = ""
        self.held[page.file.src_uri] = zlib.compress(html.encode("utf-8", "surrogatepass"), 1)
        return ""

    def restore(self, page: Page) -> None:
        held = self.held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode("utf-8", "surrogatepass")

    @staticmethod
    def release(page: Page) -> None:
        """After the page is written: nothing later in the build reads its HTML."""
        page.content = ""


def release_search_text(config: MkDocsConfig) -> None:
    """Once Material's search plugin has written its index, its entries (the text of every
    page, hundreds of megabytes at 10 000 stories) are not read again."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and hasattr(search, "search_index"):
        search.search_index.entries = []
    gc.collect()
    give_back_memory()


def give_back_memory() -> None:
    """Hand the memory the build has let go of back to the system (glibc keeps freed memory
    for the process to reuse; at 10 000 stories 300 MiB of it) before the prebuilt search
    index starts an engine that takes its own. Nothing, where the C library has no
    ``malloc_trim``."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim(0)


class TemplateCache(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory from one rebuild to the next: MkDocs
    compiles Material's templates again for each build (a fifth of a second). Jinja checks
    each against its template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
