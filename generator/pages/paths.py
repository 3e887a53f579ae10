"""Where pages go: the lists split into numbered pages, and the orders items are listed in."""

from __future__ import annotations

import posixpath
from typing import Any

from generator.link.graph import Node
from generator.pages.templating import (
    relative_url,
)

SHEET_PAGE = 500
"""Facts on one page of the fact sheet. With tens of thousands of facts one page would weigh
megabytes, take MkDocs half a minute to convert, and be converted again on every edit."""


STORIES_PAGE = 250
"""Stories on one page of the list of stories."""


TOPIC_PAGE = 250
"""Stories, and facts, on one page of a topic."""


def page_paths(first: str, count: int, size: int) -> list[str]:
    """The pages of a long list: ``first``, then ``pages/2.md`` … beside it.

    ``stories/index.md`` goes on to ``stories/pages/2.md``, ``topics/oem.md`` to
    ``topics/oem/pages/2.md``. No item's page can take these paths: an id has no slash, and
    ``stories/pages.md`` (an item with the id ``pages``) is another file.
    """
    base = first.removesuffix("/index.md").removesuffix(".md")
    total = max(1, -(-count // size))
    return [first, *(f"{base}/pages/{n}.md" for n in range(2, total + 1))]


def year_page(year: int) -> str:
    """The page of a year's stories, first in the year's section of the navigation (not its
    index page: Material would then label the section with an icon only, and two such
    sections on a page leave two navigation landmarks without a name). ``stories/years.md``
    (an item with the id ``years``) is another file, and an id has no slash: no item's page
    can take this path."""
    return f"stories/years/{year}.md"


def month_page(year: int, month: int) -> str:
    """The page of a month's stories, in a year split by month (0: the month is not given)."""
    return f"stories/years/{year}/{month:02d}.md" if month else f"stories/years/{year}/undated.md"


def pager(pages: list[str], number: int, path: str) -> dict[str, Any]:
    """What a page of a long list shows to move between its pages (nothing if it is one)."""
    directory = posixpath.dirname(path)
    return {
        "number": number,
        "count": len(pages),
        "pages": [(n, relative_url(page, directory)) for n, page in enumerate(pages, 1)],
    }


def by_date(node: Node) -> tuple[Any, ...]:
    date = node.date
    return (date.sort_key() if date else (0, 0, 0), node.id)


def by_id(node: Node) -> str:
    return node.id
