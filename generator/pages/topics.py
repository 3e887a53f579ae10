"""Topic pages: a topic's stories and facts, a page's worth of each, its insights and events."""

from __future__ import annotations

from collections.abc import Sized

from generator.link.graph import Node, Reads, backlinks_by
from generator.pages import paths
from generator.pages.paths import by_date, by_id, page_paths, pager
from generator.pages.shared import Pages


def topic_members(node: Node) -> tuple[set[Node], set[Node]]:
    """The stories that name a topic anywhere, and the facts filed under it; notes nothing."""
    stories, facts = set(), set()
    for link in node.links:
        folder = link.folder
        if folder == "stories":
            stories.add(link.source)
        elif folder == "facts" and link.field == "topics":
            facts.add(link.source)
    return stories, facts


def topic_paths(node: Node, stories: Sized, facts: Sized) -> list[str]:
    """A topic's pages: as many as its longer list needs."""
    return page_paths(node.page, max(len(stories), len(facts)), paths.TOPIC_PAGE)


def topic_lists(pages: Pages, node: Node) -> tuple[list[Node], list[Node]]:
    """A topic's stories, newest first, and its facts, by id: the lists its pages share.

    Stories are in the order of all stories, by date, worked out once and noting nothing:
    the order is noted once, as ``stories/~``, so a title edit reruns only the page that
    shows the title.
    """
    Reads.note(f"{node.key}#links")  # all they read, as they are worked out once
    found = pages.topic_lists.get(node.id)
    if found is None:
        stories, facts = topic_members(node)
        found = pages.topic_lists[node.id] = (
            sorted(stories, key=pages.story_order.__getitem__),
            sorted(facts, key=by_id),
        )
    return found


def topic_pages(pages: Pages, node: Node) -> list[str]:
    """The paths of a topic's pages: counted, not sorted (every render asks for them)."""
    return topic_paths(node, *topic_members(node))


def topic(pages: Pages, node: Node, number: int) -> None:
    """Page ``number`` of a topic: its stories and facts, a page's worth of each; the
    first page also has its description, insights and events."""
    stories, facts = topic_lists(pages, node)
    numbered = topic_paths(node, stories, facts)
    path = numbered[number - 1]
    first, last = (number - 1) * paths.TOPIC_PAGE, number * paths.TOPIC_PAGE
    first_page = number == 1
    pages.page(
        path,
        "topic.md.j2",
        node=node,
        item=node.item,
        stories=stories[first:last],
        story_count=len(stories),
        facts=[pages.figure(f) for f in facts[first:last]],
        fact_count=len(facts),
        offset=first,
        insights=sorted(
            {ref.source for ref in backlinks_by(node, "insights", "topics")},
            key=by_date,
            reverse=True,
        )
        if first_page
        else [],
        events=sorted({ref.source for ref in backlinks_by(node, "events")}, key=by_date)
        if first_page
        else [],
        pager=pager(numbered, number, path),
    )
