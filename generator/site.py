"""Building the whole site with MkDocs, from Python."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


class BuildError(Exception):
    """The site could not be built; the message says why."""


def build_site(config_file: Path, *, offline: bool = False) -> str:
    """Build the site as ``mkdocs build`` would. Returns a one-line summary."""
    _quiet_info_logs()
    try:
        config = load_config(str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    except MkDocsException as error:
        raise BuildError(f"Error: {error}") from None
    return f"site built in {Path(config.site_dir)}"


def _quiet_info_logs() -> None:
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.INFO)
