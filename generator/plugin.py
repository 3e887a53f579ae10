"""The MkDocs plugin: runs the pipeline before MkDocs reads its files, then hands it the pages.

Registered as ``shoe-capital`` (entry point ``mkdocs.plugins``), so ``mkdocs build`` and
``mkdocs serve`` alone do the whole job.
"""

from __future__ import annotations

import html
import logging
import os
import threading
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from generator import prebuilt_search
from generator.diagnostics import ContentError
from generator.pipeline import generate
from generator.render import Output
from generator.session import Session
from generator.site import Staging

log = logging.getLogger("mkdocs.plugins.shoe-capital")

CONTENT_ENV = "SHOE_CAPITAL_CONTENT"

# Set while the last build stopped on a content error.
_content_error = threading.Event()


class ShoeCapitalConfig(Config):
    content = c.Type(str, default="content")
    """The content folder, relative to mkdocs.yml (SHOE_CAPITAL_CONTENT overrides it)."""
    generated = c.Type(str, default="generated")
    """Where generated Markdown is written, relative to mkdocs.yml; keep it git-ignored."""


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
        self._files: dict[str, File] = {}
        self._files_for: tuple[str, str, bool] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember the command: only a full `build` is staged (see generator.site); `serve`
        keeps this plugin, and so its Session, from one rebuild to the next."""
        self.command = "" if dirty and command == "build" else command
        if dirty:  # MkDocs warns on every dirty build, which strict mode turns into a failure
            logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = root / os.environ.get(CONTENT_ENV, self.config.content)
        self.out_dir = root / self.config.generated
        try:
            if self.command == "serve":  # rebuilds redo only what an edit touched
                if self.session is None or self.session.content_dir != self.content_dir:
                    self.session = Session(self.content_dir, self.out_dir, root / ".cache")
                self.output, changed = self.session.build()
            else:
                self.output, changed = generate(self.content_dir, self.out_dir, root / ".cache")
        except ContentError as error:
            _content_error.set()
            raise PluginError(f"the content has errors:\n{error.format()}") from None
        _content_error.clear()
        log.info(
            "Shoe Capital: %d generated files, %d changed", len(self.output.files), len(changed)
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
        if self.command == "serve":  # a preview needs no sitemap: seconds a rebuild at scale
            config.theme.static_templates.discard("sitemap.xml")
            if self.previewed:  # a rebuild: the first build wrote the search index
                _keep_search_index(config)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.output is not None and self.out_dir is not None
        for path in sorted(self.output.files):
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"docs/{path} is hand-written, but the generator also makes {path}: "
                    "rename the hand-written page"
                )
            files.append(self._file(path, config))
        return files

    def _file(self, path: str, config: MkDocsConfig) -> File:
        """MkDocs' record of a generated page. `serve` keeps them from one rebuild to the next:
        making 40 000 of them anew costs seconds of every rebuild of a big site."""
        where = (str(self.out_dir), config.site_dir, config.use_directory_urls)
        if self._files_for != where:
            self._files, self._files_for = {}, where
        file = self._files.get(path) if self.command == "serve" else None
        if file is None:
            file = File(
                path,
                src_dir=where[0],
                dest_dir=where[1],
                use_directory_urls=where[2],
            )
            if self.command == "serve":
                self._files[path] = file
        return file

    @event_priority(-75)  # after Material's search plugin (0) has written its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        self.built = True
        self.previewed = self.command == "serve"
        prebuilt_search.after_build(config)

    def on_build_error(self, error: Exception) -> None:
        self.built = False  # also raised after on_post_build, e.g. for warnings under strict

    def on_shutdown(self) -> None:
        if self.staging is not None:
            staging, self.staging = self.staging, None
            if not self.built:
                staging.discard()
                return
            try:
                staging.publish()
            except OSError as error:
                staging.discard()
                raise PluginError(f"could not replace {staging.site_dir}: {error}") from None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.content_dir is not None:
            server.watch(str(self.content_dir))
        server.builder = _keep_last_good_site(server.builder)
        return server


def _keep_search_index(config: MkDocsConfig) -> None:
    """A preview's rebuild leaves the search index of its first build as it is.

    Material would write it again whole (66 MB at 10 000 stories: seconds of every rebuild),
    merging in the rebuilt pages as if only one page ever changed. A preview searches the
    content as it was when it started; the published build always indexes everything.
    """
    for name in ("material/search", "search"):
        if name in config.plugins:
            config.plugins[name].config.enabled = False


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _keep_last_good_site(builder: Any) -> Any:
    """Report a content error on rebuild and keep serving the last good site.

    A content error stops the build in on_config, before MkDocs writes anything; but MkDocs'
    live server holds every request after a failed rebuild until a build succeeds, so the
    preview would hang. Treating the rebuild as done serves the previous pages unchanged.
    """

    def rebuild(*args: Any, **kwargs: Any) -> None:
        try:
            builder(*args, **kwargs)
        except Abort:
            if not _content_error.is_set():
                raise
            log.error(
                "Shoe Capital: not rebuilt; serving the last good site until the content is fixed"
            )

    return rebuild
