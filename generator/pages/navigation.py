"""The site's navigation: its sections, with stories by year (and month, in a busy year)."""

from __future__ import annotations

import calendar
from typing import Any

from generator.link.graph import Node
from generator.pages.shared import Pages

NAV_SECTION_SIZE = 60
"""A year with more stories than this is split by month in the navigation."""


def stories_nav(stories: list[Node]) -> list[Any]:
    """Stories by year, and by month within a busy year.

    Material renders the siblings of the open page into every page (navigation.prune keeps
    the rest out), so a flat list of stories would make the site quadratic in size; sections
    of at most a few dozen pages keep each page small however many stories there are.
    mkdocs.yml leaves navigation.sections off, so the years and months stay collapsed and
    pruned: a story page lists the years, its own year's months and its own month's stories.
    """
    years: dict[int, list[Node]] = {}
    for node in stories:  # newest first
        years.setdefault(node.item.date.year, []).append(node)
    nav: list[Any] = []
    for year, nodes in years.items():
        if len(nodes) <= NAV_SECTION_SIZE:
            nav.append({str(year): [n.page for n in nodes]})
            continue
        months: dict[str, list[str]] = {}
        for node in nodes:
            month = node.item.date.month
            label = calendar.month_name[month] if month else f"{year}, month not given"
            months.setdefault(label, []).append(node.page)
        nav.append({str(year): [{label: pages} for label, pages in months.items()]})
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
