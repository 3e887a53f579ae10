"""The site's navigation: its sections, with stories by year (and month, in a busy year)."""

from __future__ import annotations

import calendar
from typing import Any

from generator.link.graph import Node
from generator.pages import paths
from generator.pages.shared import Pages

NAV_SECTION_SIZE = 60
"""A year with more stories than this is split by month in the navigation."""


def story_years(stories: list[Node]) -> dict[int, list[Node]]:
    """The stories of each year, newest year first, each newest first (as ``stories`` is).
    Reads the dates unnoted: a page that groups stories by them notes ``stories/~``."""
    years: dict[int, list[Node]] = {}
    for node in stories:
        years.setdefault(node.record.item.date.year, []).append(node)
    return years


def story_months(nodes: list[Node]) -> dict[int, list[Node]] | None:
    """A busy year's stories by month (0: the month is not given); None for a quiet year, which
    is not split."""
    if len(nodes) <= NAV_SECTION_SIZE:
        return None
    months: dict[int, list[Node]] = {}
    for node in nodes:
        months.setdefault(node.record.item.date.month or 0, []).append(node)
    return months


def month_name(year: int, month: int) -> str:
    return calendar.month_name[month] if month else f"{year}, month not given"


def stories_nav(stories: list[Node]) -> list[Any]:
    """Stories by year, and by month within a busy year, each section opening on its own page
    (the year's or the month's stories).

    Material renders the siblings of the open page into every page (navigation.prune keeps
    the rest out), so a flat list of stories would make the site quadratic in size; sections
    of at most a few dozen pages keep each page small however many stories there are.
    mkdocs.yml leaves navigation.sections off, so the years and months stay collapsed and
    pruned: a story page lists the years, its own year's months and its own month's stories.
    A collapsed section links to its first page: its own page, whose address does not change
    when a story is published, so a new story changes the pages of its month, not of the site.
    """
    nav: list[Any] = []
    for year, nodes in story_years(stories).items():
        months = story_months(nodes)
        if months is None:
            nav.append({str(year): [paths.year_page(year), *(n.page for n in nodes)]})
            continue
        nav.append(
            {
                str(year): [
                    paths.year_page(year),
                    *(
                        {
                            month_name(year, month): [paths.month_page(year, month)]
                            + [n.page for n in found]
                        }
                        for month, found in months.items()
                    ),
                ]
            }
        )
    return nav


def nav(pages: Pages) -> list[Any]:
    stories: list[Any] = ["stories/index.md", *stories_nav(pages.stories)]
    return [
        {"Home": "index.md"},
        {"Stories": stories},
        {"Insights": ["insights/index.md", *[n.page for n in pages.insights]]},
        {"Topics": ["topics/index.md", *[n.page for n in pages.index.all("topics")]]},
        {"People": "people/index.md"},
        {"Organizations": "organizations/index.md"},
        {"Places": "places/index.md"},
        {"Facts": "facts/index.md"},
        {"Timeline": "timeline.md"},
        {"Glossary": "glossary.md"},
    ]
