"""The offline edition as one download: a zip of the offline build.

A reader unzips ``shoe-capital-offline.zip`` and opens ``shoe-capital-offline/index.html``;
everything the site needs is inside (see mkdocs.offline.yml). The zip is deterministic: the
same site gives the same bytes (sorted entries, fixed timestamps and permissions), so
publishing it again changes nothing when nothing changed.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

ZIP_NAME = "shoe-capital-offline.zip"
TOP_FOLDER = "shoe-capital-offline"
OFFLINE_CONFIG = Path("mkdocs.offline.yml")
# A sitemap is for search engines crawling the published site, and its lastmod is the build
# day (so the zip would change daily): left out of the download.
_LEFT_OUT = frozenset({"sitemap.xml", "sitemap.xml.gz"})
# ZIP cannot store dates before 1980; this is the timestamp of every entry.
_EPOCH = (1980, 1, 1, 0, 0, 0)


_ROOTED = re.compile(r'((?:href|src)=")/(?!/)|("base": ")/(")')


def relative_404(page: str) -> str:
    """The offline edition's 404 page with addresses relative to the site's root, where it
    lies: MkDocs writes it for a web server (href="/assets/…"), which from file:// would
    point at the disk's root, so it showed neither its styles nor its links."""
    return _ROOTED.sub(lambda m: m.group(1) or f"{m.group(2)}.{m.group(3)}", page)


def is_offline(config: MkDocsConfig) -> bool:
    """Whether ``config`` builds the offline edition (Material's offline plugin is on)."""
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return plugin is not None and bool(plugin.config.enabled)


def site_dir(config_file: Path) -> Path:
    """Where the site of ``config_file`` is built (MkDocs resolves site_dir against it)."""
    return Path(load_config(str(config_file)).site_dir)


def zip_site(site: Path, target: Path) -> Path:
    """Write ``site`` into the zip ``target`` (replaced whole, never half-written)."""
    files = sorted(
        (
            p
            for p in site.rglob("*")
            if p.is_file() and p.relative_to(site).as_posix() not in _LEFT_OUT
        ),
        key=lambda p: p.relative_to(site).as_posix(),
    )
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site} has no index.html: build the offline site first")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            for path in files:
                info = zipfile.ZipInfo(
                    f"{TOP_FOLDER}/{path.relative_to(site).as_posix()}", date_time=_EPOCH
                )
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes(), compresslevel=9)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
