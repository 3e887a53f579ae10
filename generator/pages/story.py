"""Story pages and the list of stories: each report's segments, its figures and who spoke."""

from __future__ import annotations

from generator.link import citations
from generator.link.graph import Node
from generator.pages import navigation, paths
from generator.pages.paths import page_paths, pager
from generator.pages.shared import Pages
from generator.read.model.items import Segment, Story


def stories_index(pages: Pages, number: int) -> None:
    """One page of the list of stories, newest first, by year."""
    numbered = page_paths("stories/index.md", len(pages.stories), paths.STORIES_PAGE)
    years: dict[int, list[Node]] = {}
    for node in pages.stories[(number - 1) * paths.STORIES_PAGE : number * paths.STORIES_PAGE]:
        years.setdefault(node.date.year, []).append(node)
    path = numbered[number - 1]
    pages.page(
        path,
        "stories.md.j2",
        years=[(year, paths.year_page(year), nodes) for year, nodes in years.items()],
        pager=pager(numbered, number, path),
    )


def year_stories(pages: Pages, year: int, nodes: list[Node]) -> None:
    """A year's page: its stories (``nodes``), newest first, or, in a year split by month,
    its months."""
    months = navigation.story_months(nodes)
    pages.page(
        paths.year_page(year),
        "archive.md.j2",
        title=f"Stories of {year}",
        description=f"Every report of {year}, newest first.",
        count=len(nodes),
        nodes=nodes if months is None else [],
        months=[
            (navigation.month_name(year, month), paths.month_page(year, month), len(found))
            for month, found in (months or {}).items()
        ],
    )


def month_stories(pages: Pages, year: int, month: int, nodes: list[Node]) -> None:
    """A month's page, in a year split by month: its stories (``nodes``), newest first."""
    name = navigation.month_name(year, month)
    when = f"{name} {year}" if month else name
    pages.page(
        paths.month_page(year, month),
        "archive.md.j2",
        title=f"Stories of {when}",
        description=f"Every report of {when}, newest first.",
        count=len(nodes),
        nodes=nodes,
        months=[],
    )


def story(pages: Pages, node: Node) -> None:
    story: Story = node.item
    segments = []
    citing = facts_citing(node)
    stated: dict[Node, None] = {}
    for number, segment in enumerate(story.segments):
        anchor = pages.index.anchor(node.id, number)
        facts = segment_facts(pages, segment, citing, anchor)
        stated.update(dict.fromkeys(facts))
        segments.append(
            {
                "anchor": anchor,
                "segment": segment,
                "speaker": pages.index.get("people", segment.soundbite.speaker)
                if segment.soundbite
                else None,
                "role_organizations": pages.nodes("organizations", segment.soundbite.organizations)
                if segment.soundbite
                else [],
                "figures": [figure for figure in map(pages.figure, facts) if figure["words"]],
                "cited_by": citations.cited_by(pages.index, node, number),
            }
        )
    pages.page(
        node.page,
        "story.md.j2",
        node=node,
        story=story,
        segments=segments,
        dateline=pages.index.get("places", story.dateline),
        reporters=pages.nodes("people", story.reporters),
        editors=pages.nodes("people", story.editors),
        topics=pages.nodes("topics", story.topics),
        facts=[pages.figure(f) for f in stated],
        people=story_people(pages, story),
        related=pages.related(node),
        cited_by=citations.cited_by(pages.index, node),
    )


def facts_citing(node: Node) -> dict[str, list[str]]:
    """The ids of the facts whose source is one of the story's segments, by segment id: a
    segment states the facts that cite it, whether or not it lists them under ``facts``."""
    found: dict[str, list[str]] = {}
    for link in node.backlinks:
        if link.folder == "facts" and link.path == ("source", "story"):
            segment = link.source.item.source.segment
            if segment is not None:
                found.setdefault(segment, []).append(link.source.id)
    return found


def segment_facts(
    pages: Pages, segment: Segment, citing: dict[str, list[str]], anchor: str
) -> list[Node]:
    """The facts a segment states: those it lists, then those that cite it in the order the
    segment says them (where each one's last quoted span starts), once each."""
    ids = dict.fromkeys(segment.facts)
    others = [pages.index.get("facts", i) for i in citing.get(anchor, ()) if i not in ids]
    if others:
        text = " ".join((segment.narration or segment.soundbite.text).split())  # type: ignore[union-attr]

        def said_at(fact: Node) -> tuple[int, str]:
            at = text.find(" ".join(fact.item.quote[-1].split()))  # the first is often "X said"
            return (at if at >= 0 else len(text), fact.id)

        ids.update(dict.fromkeys(f.id for f in sorted(others, key=said_at)))
    return pages.nodes("facts", ids)


def story_people(pages: Pages, story: Story) -> list[Node]:
    seen: dict[str, None] = {}
    for segment in story.segments:
        if segment.soundbite:
            seen[segment.soundbite.speaker] = None
    return pages.nodes("people", seen)
