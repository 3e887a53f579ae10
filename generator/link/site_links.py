"""Links between the site's own pages: every relative URL in an item's Markdown must lead to a page
the site will have, checked once every item has its page."""

from __future__ import annotations

import posixpath
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from generator.diagnostics import Diagnostic, Severity, did_you_mean
from generator.read.links import locate_url, shorten
from generator.read.load import Document
from generator.read.strict_yaml import PathKey


def broken_links(
    document: Document,
    item: Callable[[], Any],
    links: Iterable[tuple[PathKey, str, bool]],
    shown_on: Callable[[PathKey], list[str]],
    pages: set[str],
) -> list[Diagnostic]:
    """A located error for each relative link (internal_links) that leads to no page, or for
    an image no file, among ``pages`` (every page and file of the site, by its path from the
    site's root, as 'people/he-lixia.md'), from any page ``shown_on`` says its field is on.

    Anchors ('page.md#x') are not checked: a page's anchors are made by its template and by
    the Markdown headings in it, known only once it is rendered (MkDocs checks them then).
    ``item`` gives the item, to find a broken link in its field: only then is it needed.
    """
    found = []
    seen: dict[tuple[PathKey, str], int] = {}
    for path, url, navigated in links:
        nth = seen[(path, url)] = seen.get((path, url), -1) + 1
        shown = shown_on(path)
        missing = [
            (page, target)
            for page in shown
            if (target := _link_target(page, url)) is None
            or target not in pages
            or (not navigated and target.endswith(".md"))
        ]
        if not missing:
            continue
        value: Any = item()
        for part in path:
            value = value[part] if isinstance(part, int) else getattr(value, part)
        location = locate_url(document, path, str(value), url, nth)
        message, hint = _broken(url, navigated, shown, missing, pages)
        found.append(Diagnostic(location, Severity.ERROR, message, hint))
    return found


def _link_target(page: str, url: str) -> str | None:
    """The site path a relative URL on ``page`` leads to, as MkDocs resolves it (from the
    page's Markdown file, unquoted), or None if it leaves the site. A folder ends in '/'."""
    path = urllib.parse.unquote(url.strip().split("#", 1)[0].split("?", 1)[0])
    if not path:
        return page  # '?x' or '#x' alone: the page itself
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined + "/" if path.endswith("/") else joined


def _broken(
    url: str,
    navigated: bool,
    shown: list[str],
    missing: list[tuple[str, str | None]],
    pages: set[str],
) -> tuple[str, str]:
    page, target = missing[0]
    where = f"it is '{target}'" if target else "it leads outside the site"
    if not navigated and target in pages:
        message = f"image '{shorten(url)}' is a page of the site, not an image file"
    elif not navigated:
        message = f"image '{shorten(url)}' is no file of the site: from {page} {where}"
    else:
        message = f"link '{shorten(url)}' leads to no page of the site: from {page} {where}"
    if len(missing) < len(shown):
        fine = ", ".join(p for p in shown if p not in {m[0] for m in missing})
        return f"{message} (from {fine} it works)", (
            f"these words are shown on {', '.join(shown)}: a path such as "
            "../people/he-lixia.md leads to the same page from each"
        )
    return message, _closest(page, target, pages) or (
        "link to a page's Markdown file, relative to this page: ../people/he-lixia.md, "
        "../about.md; images to a file in docs/assets/"
    )


def _closest(page: str, target: str | None, pages: set[str]) -> str:
    """'did you mean' the page meant, written from ``page``."""
    if target is None:
        return ""
    best = None
    if target.endswith("/"):  # a folder: its page, or its list page
        best = next((p for p in (target[:-1] + ".md", target + "index.md") if p in pages), None)
    else:
        # The page of that name in another folder ('chengdu.md' from a story means
        # places/chengdu.md), else the closest name in the folder it leads to, by name:
        # 'people/nobody.md' is not close to 'people/index.md' for the letters they share.
        folder, name = posixpath.split(target)
        elsewhere = sorted(p for p in pages if posixpath.basename(p) == name and p != target)
        near = {posixpath.basename(p): p for p in pages if posixpath.dirname(p) == folder}
        hint = did_you_mean(name, near)
        best = elsewhere[0] if elsewhere else near[hint.split("'")[1]] if hint else None
    if best is None:
        return ""
    return f"did you mean '{posixpath.relpath(best, posixpath.dirname(page) or '.')}'?"
