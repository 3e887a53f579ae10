"""Publishing after an edit costs the edit: a build keeps the pages that would not change.

A published build (`python -m generator build`, so `make site`) records in a manifest, for
every generated page, what its HTML was made from: the bytes of its Markdown and what
Material shows of the navigation on it (the tabs, the sections on its path and their
children, as ``navigation.prune`` leaves them; the previous and next pages). Everything
else a page can show is one key for the whole site: ``mkdocs.yml`` and the settings the
plugin puts in it, the theme's overrides, the hand-written pages' assets, the generator's own
code and the version of every installed package (MkDocs, Material, Markdown's extensions).

The next build renders a page again unless its Markdown, its navigation and the site's key
are all what the manifest says, and the file the previous build wrote for it is still the
one it wrote (same size and time, or the same bytes). Kept pages are linked (or copied) into
the staging folder and MkDocs is told they are not modified, as its ``--dirty`` builds are;
their search entries come from the previous ``search_index.json`` (checked against the
manifest), in the order a whole build writes them, so the index and everything made from it
(prebuilt index, sitemap, feed, data files: always written whole) are what a whole build
writes. Hand-written pages are always rendered (they may link anywhere).

When anything is in doubt (no manifest, another format, another site folder, a key that
differs, a search index that is not the recorded one) the build is whole. At the end, the
navigation each kept page would now show is worked out again from the finished pages; if
it is not what the page was rendered with, the build is thrown away and done whole
(:class:`Mismatch`), so a mistake here costs time, never a stale page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.publish.keys import (
    FORMAT,
    NAV_META,
    file_digest,
    key_of,
    nav_key,
    site_key,
    versions,
)

log = logging.getLogger("mkdocs.plugins.shoe-capital")


class Mismatch(Exception):
    """A kept page would now show another navigation: the build must be done whole."""


def manifest_path(root: Path, site_dir: Path) -> Path:
    """Where the manifest of the site built into ``site_dir`` lives: in .cache/build/,
    git-ignored, one per site folder (CI keeps it with the site folder)."""
    where = _where(root, site_dir)
    return root / ".cache" / "build" / f"{site_dir.name}-{key_of(where)[:12]}.json"


def _where(root: Path, site_dir: Path) -> str:
    """The site folder as the manifest names it: relative to the project when inside it, so
    a checkout in another place (a CI runner's) still finds its manifest."""
    try:
        return site_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(site_dir)


@dataclass
class Record:
    """What one page's HTML was made from, and the file it is."""

    source: str
    nav: str
    dest: str
    size: int
    mtime: int
    digest: str
    title: str | None
    meta: dict[str, Any]
    anchors: list[str]
    links: dict[str, dict[str, str]]


def _group(entries: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        groups.setdefault(str(entry["location"]).split("#", 1)[0], []).append(entry)
    return groups


def sources(files: dict[str, bytes]) -> dict[str, str]:
    """The digest of each generated page's Markdown, by path."""
    return {path: key_of(data) for path, data in files.items() if path.endswith(".md")}


class Reuse:
    """One published build's use of the previous one: plan, then record."""

    def __init__(self, root: Path, site_dir: Path, stage: Path, *, full: bool) -> None:
        self.path = manifest_path(root, site_dir)
        self.where = _where(root, site_dir)
        self.site_dir = site_dir
        self.stage = stage
        self.full = full
        self.key = ""
        self.found: dict[str, str] = {}
        self.previous: dict[str, Record] = {}
        self.previous_index = ""
        self.kept: dict[str, Record] = {}
        self.digests: dict[str, str] = {}
        self.reason = ""
        """Why the build is whole (empty when it reuses pages)."""

    # -- before MkDocs reads the pages ------------------------------------------------------

    def start(self, config: MkDocsConfig) -> None:
        """Read the manifest and decide whether this build may reuse anything."""
        self.found = versions()
        self.key = site_key(config, self.found)
        if self.full:
            self.reason = "--full"
            return
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("format") != FORMAT:
                self.reason = "the manifest is of another format"
            elif data.get("site_dir") != self.where:
                self.reason = "the manifest is of another site folder"
            elif data.get("versions") != self.found:
                changed = sorted(
                    name
                    for name in self.found.keys() | data.get("versions", {}).keys()
                    if self.found.get(name) != data["versions"].get(name)
                )
                self.reason = f"installed versions changed ({', '.join(changed[:3])})"
            elif data.get("key") != self.key:
                self.reason = "the site's settings, theme, assets or the generator changed"
            else:
                self.previous = {src: Record(**fields) for src, fields in data["pages"].items()}
                self.previous_index = str(data["search_index"])
        except FileNotFoundError:
            self.reason = "no previous build recorded"
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            self.reason = f"the manifest could not be read ({type(error).__name__})"
            self.previous = {}
        if not self.reason:
            index = self.site_dir / "search" / "search_index.json"
            if not index.is_file() or file_digest(index) != self.previous_index:
                self.reason, self.previous = "the previous search index is not the recorded one", {}

    def plan(
        self, config: MkDocsConfig, files: Files, nav: Navigation, sources: dict[str, str]
    ) -> dict[str, Record]:
        """Which generated pages are kept: each gets its recorded title and anchors, its file
        is linked into the staging folder, and MkDocs is told it is not modified."""
        if not self.previous:
            return {}
        pages = [file for file in files.documentation_pages() if file.page is not None]
        candidates: dict[str, Record] = {}
        for file in pages:
            record = self.previous.get(file.src_uri)
            page = file.page
            assert page is not None
            if (
                record is not None
                and file.src_uri in sources
                and record.dest == file.dest_uri
                and record.source == sources[file.src_uri]
                and self._unchanged(record)
            ):
                candidates[file.src_uri] = record
                page.markdown, page.meta = "", dict(record.meta)
                page._title_from_render = record.title
            else:
                page.read_source(config)  # its title, for the pages around it
        memo: dict[int, str] = {}
        for file in pages:
            record = candidates.get(file.src_uri)
            if record is not None and record.nav == nav_key(file.page, nav, memo):  # type: ignore[arg-type]
                self.kept[file.src_uri] = record
        by_uri = files.src_uris  # the recorded targets are source URIs already
        for file in pages:
            page = file.page
            assert page is not None
            if file.src_uri not in self.kept:
                page.markdown, page.meta, page._title_from_render = None, {}, None
                continue
            record = self.kept[file.src_uri]
            page.present_anchor_ids = set(record.anchors)
            links: dict[File, dict[str, str]] = {}
            for target, anchors in record.links.items():
                to = by_uri.get(target)
                if to is not None:
                    links[to] = dict(anchors)
            page.links_to_anchors = links
            self._place(file.dest_uri)
        return self.kept

    def _unchanged(self, record: Record) -> bool:
        """Whether the previous site still holds the file this record describes."""
        try:
            stat = os.stat(self.site_dir / record.dest)
        except OSError:
            return False
        if stat.st_size != record.size:
            return False
        if stat.st_mtime_ns == record.mtime:
            return True
        return file_digest(self.site_dir / record.dest) == record.digest

    def _place(self, dest: str) -> None:
        target = self.stage / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.site_dir / dest, target)
        except OSError:
            shutil.copy2(self.site_dir / dest, target)

    # -- while MkDocs writes ----------------------------------------------------------------

    def rendered(self, page: Page, output: str) -> None:
        self.digests[page.file.src_uri] = _hash_output(output)

    def merge_search(self, entries: list[dict[str, Any]], files: Files) -> list[dict[str, Any]]:
        """The search entries of a whole build: the kept pages' from the previous index, the
        rendered pages' from this build, page by page in the order MkDocs builds them."""
        if not self.kept:
            return entries
        previous = json.loads((self.site_dir / "search" / "search_index.json").read_text("utf-8"))
        old, new = _group(previous["docs"]), _group(entries)
        merged: list[dict[str, Any]] = []
        for file in files.documentation_pages():
            url = file.page.url if file.page is not None else file.url
            merged.extend((old if file.src_uri in self.kept else new).get(url, []))
        return merged

    # -- after MkDocs wrote everything ------------------------------------------------------

    def record(self, files: Files, nav: Navigation, sources: dict[str, str]) -> None:
        """Check the kept pages against the finished navigation, and write the manifest for
        the staged site (made current by :meth:`commit` once the site is swapped in)."""
        pages: dict[str, Any] = {}
        memo: dict[int, str] = {}
        for file in files.documentation_pages():
            page = file.page
            if page is None or file.src_uri not in sources:
                continue
            shown = nav_key(page, nav, memo)
            kept = self.kept.get(file.src_uri)
            if kept is not None:
                if kept.nav != shown:
                    raise Mismatch(file.src_uri)
                digest = kept.digest
            elif file.src_uri in self.digests:
                digest = self.digests[file.src_uri]
            else:
                continue
            try:
                stat = os.stat(self.stage / file.dest_uri)
            except OSError:
                continue
            links = {
                to.src_uri: dict(anchors) for to, anchors in (page.links_to_anchors or {}).items()
            }
            pages[file.src_uri] = vars(  # its fields are made afresh here: no deep copy
                Record(
                    source=sources[file.src_uri],
                    nav=shown,
                    dest=file.dest_uri,
                    size=stat.st_size,
                    mtime=stat.st_mtime_ns,
                    digest=digest,
                    title=page._title_from_render,
                    meta={key: page.meta[key] for key in NAV_META if key in page.meta},
                    anchors=sorted(page.present_anchor_ids or ()),
                    links=links,
                )
            )
        data = {
            "format": FORMAT,
            "site_dir": self.where,
            "key": self.key,
            "versions": self.found,
            "search_index": file_digest(self.stage / "search" / "search_index.json"),
            "pages": pages,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._pending().write_text(json.dumps(data, ensure_ascii=False), "utf-8")

    def _pending(self) -> Path:
        return self.path.with_name(f".{self.path.name}.{os.getpid()}")

    def forget(self) -> None:
        """Before the site folder changes: a manifest must never describe another site."""
        self.path.unlink(missing_ok=True)

    def commit(self) -> None:
        os.replace(self._pending(), self.path)

    def discard(self) -> None:
        self._pending().unlink(missing_ok=True)


def _hash_output(output: str) -> str:
    """The digest of a page's file as MkDocs writes it."""
    return _hash_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))


def _hash_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
