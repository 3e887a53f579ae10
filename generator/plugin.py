"""The MkDocs plugin: runs the pipeline before MkDocs reads its files, then hands it the pages.

Registered as ``shoe-capital`` (entry point ``mkdocs.plugins``), so ``mkdocs build`` and
``mkdocs serve`` alone do the whole job.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.diagnostics import ContentError
from generator.pipeline import generate
from generator.render import Output

log = logging.getLogger("mkdocs.plugins.shoe-capital")

CONTENT_ENV = "SHOE_CAPITAL_CONTENT"


class ShoeCapitalConfig(Config):
    content = c.Type(str, default="content")
    """The content folder, relative to mkdocs.yml (the SHOE_CAPITAL_CONTENT variable overrides it)."""
    generated = c.Type(str, default="generated")
    """Where generated Markdown is written, relative to mkdocs.yml; keep it git-ignored."""


class ShoeCapitalPlugin(BasePlugin[ShoeCapitalConfig]):
    def __init__(self) -> None:
        self.output: Output | None = None
        self.out_dir: Path | None = None
        self.content_dir: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = root / os.environ.get(CONTENT_ENV, self.config.content)
        self.out_dir = root / self.config.generated
        try:
            self.output, changed = generate(self.content_dir, self.out_dir)
        except ContentError as error:
            raise PluginError(f"the content has errors:\n{error.format()}") from None
        log.info("Shoe Capital: %d generated files, %d changed", len(self.output.files), len(changed))
        site = self.output.site
        config.site_name = site.title
        config.site_description = site.description
        if not config.site_url:
            config.site_url = site.base_url
        config.nav = [*self.output.nav, *(config.nav or [])]
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.output is not None and self.out_dir is not None
        for path in sorted(self.output.files):
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} is hand-written, but the generator also makes {path}: "
                                  "rename the hand-written page")
            files.append(File(path, src_dir=str(self.out_dir), dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls))
        return files

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.content_dir is not None:
            server.watch(str(self.content_dir))
        return server
