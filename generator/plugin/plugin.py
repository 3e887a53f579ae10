"""The MkDocs plugin: runs the pipeline before MkDocs reads its files, then hands it the pages.

Registered as ``shoe-capital`` (entry point ``mkdocs.plugins``), so ``mkdocs build`` and
``mkdocs serve`` alone do the whole job.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.diagnostics import ContentError
from generator.pages.shared import Output
from generator.pipeline import drafts_left_out, generate
from generator.pipeline.session import Session
from generator.plugin.held import HeldPages, TemplateCache, release_search_text
from generator.plugin.nav_template import steady_navigation
from generator.plugin.preview import (
    content_error,
    keep_last_good_site,
    keep_search_index,
    show_content_errors,
)
from generator.plugin.watch import SavedFiles, changes, watch_natively
from generator.publish import csp, offline, prebuilt_search, pwa
from generator.publish.reuse import Reuse, sources
from generator.publish.site import Staging, not_the_dirty_build_warning

log = logging.getLogger("mkdocs.plugins.shoe-capital")

CONTENT_ENV = "SHOE_CAPITAL_CONTENT"


class ShoeCapitalConfig(Config):
    content = c.Type(str, default="content")
    """The content folder, relative to mkdocs.yml (SHOE_CAPITAL_CONTENT overrides it)."""
    generated = c.Type(str, default="generated")
    """Where generated Markdown is written, relative to mkdocs.yml; keep it git-ignored."""


def nav_pages(nav: Any) -> Iterator[str]:
    """Every page path in a navigation as MkDocs' config holds it (paths, titled entries and
    sections of them)."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_pages(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_pages(item)


class ShoeCapitalPlugin(BasePlugin[ShoeCapitalConfig]):
    def __init__(self) -> None:
        self.output: Output | None = None
        self.out_dir: Path | None = None
        self.content_dir: Path | None = None
        self.command = ""
        self.staging: Staging | None = None
        self.built = False
        self.session: Session | None = None
        self.previewed = False
        """Set once `serve` has built the whole site (with its search index)."""
        self.dirty_build = False
        self.index_kept = False
        """Set when this build leaves the search index as an earlier build wrote it."""
        self._files: dict[str, _GeneratedFile] = {}
        self._files_for: tuple[str, str, bool] | None = None
        self._unbuilt: set[str] = set()
        """Generated files written since the last build that MkDocs finished (serve only)."""
        self._templates = TemplateCache()
        self._held = HeldPages()
        self._saved: SavedFiles | None = None
        """What the system reports saved in the content folder (serve, watching natively)."""
        self.csp = False
        """Whether pages get a Content-Security-Policy (generator/csp.py)."""
        self.pwa: str | None = None
        """The theme colour, when this build is published with a worker (publish/pwa.py)."""
        self.incremental = False
        """Set by build_site when MkDocs builds dirty, so pages this build keeps are skipped."""
        self.reuse: Reuse | None = None
        """A published build's record of its pages, and its use of the last one (reuse.py)."""
        self._nav: Navigation | None = None
        self._files_of_build: Files | None = None
        self._sources: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember the command: only a full `build` is staged (see generator.publish.site); `serve`
        keeps this plugin, and so its Session, from one rebuild to the next."""
        self.command = "" if dirty and command == "build" else command
        self.dirty_build = dirty and command == "build"
        if dirty:  # MkDocs warns on every dirty build, which strict mode turns into a failure
            logging.getLogger("mkdocs.commands.build").addFilter(not_the_dirty_build_warning)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = root / os.environ.get(CONTENT_ENV, self.config.content)
        self.out_dir = root / self.config.generated
        try:
            if self.command == "serve":  # rebuilds redo only what an edit touched
                if self.session is None or self.session.content_dir != self.content_dir:
                    self.session = Session(self.content_dir, self.out_dir, root / ".cache")
                saved = self._saved.take() if self._saved is not None else None
                self.output, changed = self.session.build(saved)
                self._unbuilt.update(changed)
            else:
                self.output, changed = generate(self.content_dir, self.out_dir, root / ".cache")
        except ContentError as error:
            content_error.set(error.format())
            raise PluginError(f"the content has errors:\n{error.format()}") from None
        content_error.clear()
        log.info(
            "Shoe Capital: %d generated files, %d changed%s%s",
            len(self.output.files),
            len(changed),
            "" if self.session is None or self.session.read_whole else " (read: the saved files)",
            f"; {drafts_left_out(self.output.left_out)}" if self.session is None else "",
        )
        if self.command == "build":  # atomic: MkDocs writes beside site/, swapped in on success
            self.staging, self.built = Staging(Path(config.site_dir)), False
            config.site_dir = str(self.staging.path)
        site = self.output.site
        # Material writes site_name unescaped into the header and nav, and escaped once into
        # title="" attributes, which its tooltips (content.tooltips) then read as HTML. Escaped
        # here, it is text in both places; the description goes only where it is escaped.
        config.site_name = html.escape(site.title)
        config.site_description = Markup.escape(site.description)
        if not config.site_url:
            config.site_url = site.base_url
        config.nav = [*self.output.nav, *(config.nav or [])]
        self.index_kept = self.command == "serve" and self.previewed
        if self.dirty_build and (Path(config.site_dir) / "search").is_dir():
            # `build --dirty` renders only changed pages: an index of those alone would hide
            # every other page from search. The last whole build's index stays (stale only
            # for the edit); `make site` always indexes everything.
            keep_search_index(config)
            self.index_kept = True
        if self.command == "serve":  # a preview needs no sitemap: seconds a rebuild at scale
            config.theme.static_templates.discard("sitemap.xml")
            if self.previewed:  # a rebuild: the first build wrote the search index
                keep_search_index(config)
                # and the 404 page, which renders the whole top of the navigation: it changes
                # only with the site's title or sections, and is shown only for a wrong address
                config.theme.static_templates.discard("404.html")
        self.csp = csp.wanted(config, self.command)
        self.pwa = None
        if pwa.wanted(config, self.command):  # a published build: installable, read offline
            self.pwa = pwa.theme_color(config, Path(config.docs_dir))
            config.extra["sc_pwa"] = {"theme_color": self.pwa}
        else:
            config.extra.pop("sc_pwa", None)
        self.reuse = None
        if self.staging is not None and self.pwa is not None:  # published, not the zip edition
            self.reuse = Reuse(
                root, self.staging.site_dir, self.staging.path, full=not self.incremental
            )
            self.reuse.start(config)
            if "shoe-capital/search" not in config.plugins:
                config.plugins["shoe-capital/search"] = _SearchMerge(self)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.output is not None and self.out_dir is not None
        # generated paths are POSIX already, as src_uris are
        clashes = sorted(files.src_uris.keys() & self.output.files.keys())
        if clashes:
            raise PluginError(
                f"docs/{clashes[0]} is hand-written, but the generator also makes {clashes[0]}: "
                "rename the hand-written page"
            )
        paths = sorted(self.output.files)
        make = self._maker(config)
        unbuilt = self._unbuilt
        in_nav = set(nav_pages(self.output.nav))
        for path in paths:
            file = make(path)
            if path.endswith(".md") and path not in in_nav:
                # Facts, people, topics … are reached from pages, not from the navigation, by
                # design: MkDocs would list each one, at every build, as if it were news.
                file.inclusion = InclusionLevel.NOT_IN_NAV
            if self.previewed:
                # MkDocs asks each file whether it changed since the last build (a dirty build
                # renders only those): two stat calls per file, twice per build, 170 000 at
                # 10 000 stories. A rebuild of the preview knows which files it wrote.
                file.modified = path in unbuilt or file.page is None
            files.append(file)
        return files

    def _maker(self, config: MkDocsConfig) -> Callable[[str], _GeneratedFile]:
        """What gives MkDocs' record of a generated page. `serve` keeps them from one rebuild
        to the next: making 40 000 of them anew costs seconds of every rebuild of a big site."""
        where = (str(self.out_dir), config.site_dir, config.use_directory_urls)
        if self._files_for != where:
            self._files, self._files_for = {}, where
        kept = self._files if self.command == "serve" else None

        def make(path: str) -> _GeneratedFile:
            file = kept.get(path) if kept is not None else None
            if file is None:
                file = _GeneratedFile(
                    path, src_dir=where[0], dest_dir=where[1], use_directory_urls=where[2]
                )
                if kept is not None:
                    kept[path] = file
            return file

        return make

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav, self._files_of_build = nav, files
        if self.reuse is None or self.output is None:
            return nav
        # MkDocs reads the pages from generated/ from here on: each page's bytes are needed
        # only as their digest (43 000 pages hold hundreds of megabytes at 10 000 stories)
        self._sources = sources(self.output.files)
        self.output.files = dict.fromkeys(self.output.files, b"")
        if not self.incremental:  # a whole build (MkDocs renders every page): only recorded
            log.info("Shoe Capital: building every page (%s)", self.reuse.reason or "--full")
            return nav
        kept = self.reuse.plan(config, files, nav, self._sources)
        pages = 0
        for file in files.documentation_pages():
            pages += 1
            if isinstance(file, _GeneratedFile):
                file.modified = file.src_uri not in kept
            if file.src_uri in kept and file.page is not None:
                self._mark_title(file.page)
        if self.reuse.reason:
            log.info("Shoe Capital: building every page (%s)", self.reuse.reason)
        else:
            log.info(
                "Shoe Capital: %d pages kept from the last build, %d to render",
                len(kept),
                pages - len(kept),
            )
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """A generated page's title is HTML-escaped in its front matter (Material writes it
        unescaped in most places): marked safe here, so the places that escape it (the footer's
        aria-label) do not escape it twice and screen readers read "'", not "&#x27;"."""
        self._mark_title(page)
        return markdown

    def _mark_title(self, page: Page) -> None:
        title = page.meta.get("title")
        if self.output is not None and page.file.src_uri in self.output.files and title:
            page.meta["title"] = Markup(title)

    @event_priority(-100)  # last: the HTML as every plugin left it
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._held.hold(page, html) if self.staging is not None else html

    @event_priority(100)  # first: Material's search reads the HTML here
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        self._held.restore(page)
        return context

    def on_env(
        self, env: jinja2.Environment, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        steady_navigation(env)
        if self.command == "serve":  # MkDocs makes a new environment for each rebuild
            env.bytecode_cache = self._templates
        return env

    @event_priority(-100)  # last: the policy allows the inline scripts of the final page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.csp:
            output = self._add_policy(output, page.file.dest_uri)
        if self.reuse is not None:
            self.reuse.rendered(page, output)
        if self.staging is not None:
            self._held.release(page)
        return output

    @event_priority(-100)
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if self.csp and template_name.endswith(".html"):  # 404.html, not sitemap.xml
            return self._add_policy(output_content, template_name)
        if template_name == "404.html" and offline.is_offline(config):
            return offline.relative_404(output_content)
        return output_content

    def _add_policy(self, output: str, where: str) -> str:
        page, blocked = csp.add_policy(output)
        for script in blocked:
            log.warning(
                "%s: an inline script that is not Material's, which the page's "
                "Content-Security-Policy blocks (ship it as a file under extra_javascript): %.80s",
                where,
                script,
            )
        return page

    @event_priority(-75)  # after Material's search plugin (0) has written its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.command == "serve":
            # MkDocs checks the anchors each page links to, on every build, for every page it
            # keeps a record of: the preview keeps them all, so a rebuild would check 40 000
            # pages again (half a second). Those it rendered are checked; then forgotten.
            if self.previewed:
                built = [self._files.get(path) for path in self._unbuilt]
            else:
                built = list(self._files.values())
            for file in built:
                if file is not None and file.page is not None:
                    file.page.links_to_anchors = None
            self._unbuilt.clear()
        # A build that keeps the search index (a preview's rebuild, a dirty build) keeps the
        # prebuilt one made from it
        if self.staging is not None:  # the prebuilt index is about to need the memory
            release_search_text(config)
        prebuilt_search.after_build(config, index=not self.index_kept)
        if self.pwa is not None and self.output is not None:  # after every other file
            shell = pwa.write(Path(config.site_dir), self.output.site, self.pwa)
            log.info("Shoe Capital: offline reading, a shell of %(shell_files)d files", shell)
        files, nav = self._files_of_build, self._nav
        if self.reuse is not None and self.output is not None and files and nav is not None:
            self.reuse.record(files, nav, self._sources)
        self.built = True
        self.previewed = self.command == "serve"

    def on_build_error(self, error: Exception) -> None:
        self.built = False  # also raised after on_post_build, e.g. for warnings under strict

    def on_shutdown(self) -> None:
        if self.staging is not None:
            staging, self.staging = self.staging, None
            reuse, self.reuse = self.reuse, None
            if not self.built:
                staging.discard()
                if reuse is not None:
                    reuse.discard()
                return
            try:
                if reuse is not None:
                    reuse.forget()
                staging.publish()
            except OSError as error:
                staging.discard()
                raise PluginError(f"could not replace {staging.site_dir}: {error}") from None
            if reuse is not None:
                reuse.commit()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.content_dir is not None:
            if watch_natively(server, self.content_dir):
                # The same reports tell the next rebuild which files to read again
                self._saved = SavedFiles()
                server.observer.schedule(
                    self._saved, str(self.content_dir), recursive=True, event_filter=changes()
                )
            server.watch(str(self.content_dir))
        server.builder = keep_last_good_site(server.builder)
        show_content_errors(server)
        return server


class _SearchMerge(BasePlugin):
    """Puts the kept pages' search entries back, just before Material writes its index."""

    def __init__(self, owner: ShoeCapitalPlugin) -> None:
        self.owner = owner

    @event_priority(50)  # before Material's search plugin (0)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        reuse = self.owner.reuse
        search = config.plugins.get("material/search") or config.plugins.get("search")
        files = self.owner._files_of_build
        if reuse is None or search is None or files is None:
            return
        index = search.search_index
        index.entries = reuse.merge_search(index.entries, files)


class _GeneratedFile(File):
    """A generated file, which knows whether a rebuild of the preview wrote it (on_files)."""

    modified: bool | None = None
    """None: MkDocs compares the file's time with its page's, as for any file."""

    def is_modified(self) -> bool:
        return super().is_modified() if self.modified is None else self.modified
