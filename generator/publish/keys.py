"""What a page's HTML is made from, as keys (generator/publish/reuse.py records them).

One key is the whole site's: the settings the plugin puts in mkdocs.yml and the file itself,
the theme's overrides, the hand-written pages' assets, the generator's own code and the
version of every installed distribution. Each page adds the bytes of its Markdown and what
Material shows of the navigation on it (:func:`nav_key`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

FORMAT = 2
"""The manifest's format: a manifest of another format is not read (the build is whole)."""

NAV_META = ("title", "icon", "subtitle", "status", "sc_canonical")
"""What Material's navigation and our sitemap read of a page other than the one rendered."""

_CODE = Path(__file__).resolve().parents[1]
"""The generator package: its code, templates and scripts are part of every page's key."""


def key_of(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def versions() -> dict[str, str]:
    """Every installed distribution and its version (MkDocs, Material, every extension)."""
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[name.lower().replace("_", "-")] = dist.version
    found["python"] = sys.version
    return dict(sorted(found.items()))


def _tree(folder: Path, *, skip_markdown: bool = False) -> Iterator[tuple[str, bytes]]:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            if skip_markdown and path.suffix == ".md":
                yield path.relative_to(folder).as_posix(), b"(hand-written page)"
            else:
                yield path.relative_to(folder).as_posix(), path.read_bytes()


def site_key(config: MkDocsConfig, found: dict[str, str]) -> str:
    """The key every page shares: settings, theme, assets, code and versions."""
    settings = {
        key: config.get(key)
        for key in (
            "site_name",
            "site_description",
            "site_author",
            "site_url",
            "copyright",
            "repo_url",
            "repo_name",
            "edit_uri",
            "use_directory_urls",
            "extra",
            "extra_css",
            "extra_javascript",
        )
    }
    parts: list[bytes | str] = [
        str(FORMAT),
        json.dumps(found, sort_keys=True),
        json.dumps(settings, sort_keys=True, default=str),
        Path(config.config_file_path).read_bytes() if config.config_file_path else b"",
    ]
    for folder, skip in ((_CODE, False), (Path(config.docs_dir), True)):
        for name, data in _tree(folder, skip_markdown=skip):
            parts += [name, data]
    custom = config.theme.custom_dir
    if custom and not Path(custom).resolve().is_relative_to(_CODE):
        for name, data in _tree(Path(custom)):
            parts += [name, data]
    return key_of(*parts)


def _describe(item: Any, *, titled: bool = True) -> Any:
    """An item of the navigation as Material shows it on another page. A section there is
    pruned: its title, whether it has children and the address of its first page (Material's
    render_pruned and tabs-item; not how many children it has, since
    generator/plugin/nav_template.py trims the loop over them). A page is its title (unless it is
    a section's index page, which shows under the section's title), its address and the
    parts of its front matter the navigation reads (icon, subtitle, status)."""
    if isinstance(item, Section):
        first: Any = item.children[0] if item.children else None
        while first is not None and isinstance(first, Section):
            first = first.children[0] if first.children else None
        return [
            "section",
            str(item.title),
            bool(item.children),
            _describe(first, titled=False) if first is not None else None,
        ]
    meta = getattr(item, "meta", None) or {}
    shown = {key: str(meta[key]) for key in NAV_META if key in meta}
    if not titled:
        shown.pop("title", None)
    return [
        type(item).__name__,
        str(item.title) if titled else None,
        item.url,
        bool(getattr(item, "is_index", False)),
        shown,
    ]


def _children(section: Any) -> list[Any]:
    """A section on the page's path, open: its index page under the section's title, then
    each child."""
    return [
        _describe(child, titled=not (n == 0 and getattr(child, "is_index", False)))
        for n, child in enumerate(section.children)
    ]


def nav_key(page: Page, nav: Navigation, memo: dict[int, str] | None = None) -> str:
    """What Material shows of the navigation on ``page``: the tabs (each top item, opened to
    its first page), every section on its path with its children, the previous and next
    pages, and the home page. ``memo`` keeps each section's part for the pages after it
    (a month's stories share it): one memo for one navigation whose titles do not change."""
    memo = {} if memo is None else memo

    def part(item: Any, make: Any) -> str:
        found = memo.get(id(item))
        if found is None:
            found = memo[id(item)] = json.dumps(make(item), ensure_ascii=False)
        return found

    path: list[str] = []
    parent = page.parent
    while parent is not None:
        path.append(part(parent, lambda section: [str(section.title), _children(section)]))
        parent = parent.parent
    own = [
        _describe(page),
        bool(page.is_homepage),
        _describe(page.previous_page) if page.previous_page else None,
        _describe(page.next_page) if page.next_page else None,
        nav.homepage.url if nav.homepage else None,
    ]
    tabs = part(nav, lambda nav: [_describe(item) for item in nav.items])
    return key_of(json.dumps(own, ensure_ascii=False), tabs, *path)
