"""Story pages and the list of stories: each report's segments, its figures and who spoke."""

from __future__ import annotations

from generator.link import citations
from generator.link.graph import Node
from generator.pages import paths
from generator.pages.paths import page_paths, pager
from generator.pages.shared import Pages
from generator.read.model.items import Story


def stories_index(pages: Pages, number: int) -> None:
    """One page of the list of stories, newest first, by year."""
    numbered = page_paths("stories/index.md", len(pages.stories), paths.STORIES_PAGE)
    years: dict[int, list[Node]] = {}
    for node in pages.stories[(number - 1) * paths.STORIES_PAGE : number * paths.STORIES_PAGE]:
        years.setdefault(node.date.year, []).append(node)
    path = numbered[number - 1]
    pages.page(path, "stories.md.j2", years=years, pager=pager(numbered, number, path))


def story(pages: Pages, node: Node) -> None:
    story: Story = node.item
    segments = []
    for number, segment in enumerate(story.segments):
        segments.append(
            {
                "anchor": pages.index.anchor(node.id, number),
                "segment": segment,
                "speaker": pages.index.get("people", segment.soundbite.speaker)
                if segment.soundbite
                else None,
                "role_organizations": pages.nodes("organizations", segment.soundbite.organizations)
                if segment.soundbite
                else [],
                "figures": [
                    figure
                    for figure in map(pages.figure, pages.nodes("facts", segment.facts))
                    if figure["words"]
                ],
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
        facts=[pages.figure(f) for f in cited_facts(pages, story)],
        people=story_people(pages, story),
        related=pages.related(node),
        cited_by=citations.cited_by(pages.index, node),
    )


def cited_facts(pages: Pages, story: Story) -> list[Node]:
    seen: dict[str, None] = {}
    for segment in story.segments:
        seen.update(dict.fromkeys(segment.facts))
    return pages.nodes("facts", seen)


def story_people(pages: Pages, story: Story) -> list[Node]:
    seen: dict[str, None] = {}
    for segment in story.segments:
        if segment.soundbite:
            seen[segment.soundbite.speaker] = None
    return pages.nodes("people", seen)
