"""What every kind of page shares: the output, and Pages, the render's state with the helpers
every page family uses (a page, a figure, nodes by id, a fact's source, related stories)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from generator.link.graph import Index, Node, Reads
from generator.pages import metadata, tooltips
from generator.pages.related import related
from generator.pages.templating import (
    TOOLTIP_TEMPLATES,
    PageContext,
    environment,
    render_template,
)
from generator.read import markup
from generator.read.model.items import Site, Story
from generator.read.outline import is_draft


@dataclass
class Output:
    """Rendered files by path relative to the site root, and the navigation."""

    site: Site
    files: dict[str, bytes] = field(default_factory=dict)
    nav: list[Any] = field(default_factory=list)
    made: list[str] | None = None
    """While a job runs (see Rendering), the paths it adds."""
    left_out: int = 0
    """How many drafts a published build left out (generator.pipeline.generate)."""

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise ValueError(f"two pages would be written to {path}")
        if path.startswith("/") or ".." in path and ".." in path.split("/"):
            raise ValueError(f"refusing to write outside the site: {path}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content
        if self.made is not None:
            self.made.append(path)


DRAFT_NOTE = (
    '!!! warning "Draft: not published"\n'
    "    This {kind} is a draft: the preview shows it, the published site leaves it out. "
    "Remove `draft: true` from its file when it is ready.\n"
)


def draft_banner(text: str, kind: str) -> str:
    """The page with a draft's warning under its heading."""
    head, heading, rest = text.partition("\n# ")
    if not heading:
        return text
    title, _, body = rest.partition("\n")
    return f"{head}{heading}{title}\n\n{DRAFT_NOTE.format(kind=kind)}{body}"


def story_keys(story: Story) -> set[tuple[str, str]]:
    """The people, organizations and topics a story names anywhere, as (folder, id)."""
    people: set[str] = set()
    organizations: set[str] = set()
    topics = set(story.topics)
    for segment in story.segments:
        people.update(segment.people)
        organizations.update(segment.organizations)
        topics.update(segment.topics)
        if segment.soundbite:
            people.add(segment.soundbite.speaker)
    return {
        *zip(repeat("people"), people),
        *zip(repeat("organizations"), organizations),
        *zip(repeat("topics"), topics),
    }


class Pages:
    """The render's state: the index, the site, the output, and what pages share (each fact's
    figure, each node's title, the stories in order); the page families' functions take it."""

    def __init__(self, index: Index, related_ids: dict[str, list[str]] | None = None) -> None:
        """``related_ids``: each story's related stories from an earlier run, if still valid."""
        self.index = index
        self.env = environment()
        site_record = index.content.site
        assert site_record is not None
        self.site: Site = site_record.item
        self.out = Output(self.site)
        self.stories = sorted(
            index.all("stories"), key=lambda n: (n.item.date.sort_key(), n.id), reverse=True
        )
        self.insights = sorted(
            index.all("insights"), key=lambda n: (n.item.date.sort_key(), n.id), reverse=True
        )
        self.abbreviations = tooltips.abbreviations([n.item for n in index.all("glossary")])
        self.related_ids = related_ids
        self.fact_rows: dict[str, tuple[dict[str, Any], frozenset[str]]] = {}
        self.topic_lists: dict[str, tuple[list[Node], list[Node]]] = {}
        self.titles: dict[Node, str] = {}
        self.figures: dict[Node, tuple[str, str, str]] = {}

    def page(self, path: str, template: str, **context: Any) -> None:
        meta = metadata.page_meta(self.index, self.site, path, context.get("node"))
        page = PageContext(path, meta, self.titles)
        context.update(
            site=self.site, link=page.link, links=page.links, href=page.href, front=page.front
        )
        text = render_template(self.env.get_template(template), context)
        node = context.get("node")
        if node is not None and is_draft(node.record):  # only the preview renders drafts
            text = draft_banner(text, node.record.kind.name)
        if template in TOOLTIP_TEMPLATES:
            Reads.note("glossary/*")
            text += self.abbreviations
        self.out.add(path, text)

    def figure(self, fact: Node) -> dict[str, Any]:
        if Reads.active is not None:  # what fact.item notes, which a figure made before skips
            Reads.active.add(fact.key)
        shown = self.figures.get(fact)
        if shown is None:  # a fact shows on its story's page twice, its own, its sheet's …
            figure = fact.item.figure
            shown = self.figures[fact] = (
                markup.figure_words(figure) if figure else "",
                figure.withheld if figure else "none",
                markup.withheld_note(figure) if figure else "",
            )
        return {"node": fact, "words": shown[0], "withheld": shown[1], "note": shown[2]}

    def nodes(self, folder: str, ids: Iterable[str]) -> list[Node]:
        return [self.index.get(folder, i) for i in ids]

    def fact_source(self, fact: Node) -> dict[str, Any]:
        """Where a fact is stated: story and segment anchor, who said it, on whose authority."""
        source = fact.item.source
        return {
            "story": self.index.get("stories", source.story),
            "anchor": source.segment,
            "person": self.index.get("people", source.person) if source.person else None,
            "organization": self.index.get("organizations", source.organization)
            if source.organization
            else None,
        }

    def related(self, node: Node) -> list[Node]:
        """Other stories that share people, organizations or topics, best first."""
        return self.nodes("stories", self.related_map()[node.id])

    def related_map(self) -> dict[str, list[str]]:
        """Each story's related stories, by id (see generator.pages.related); worked out once."""
        if self.related_ids is None:
            with Reads.into(None):  # of all stories, a page reads only the ones it shows
                found = related(self.stories, lambda n: story_keys(n.item), lambda n: n.id)
            self.related_ids = {
                n.id: [r.id for r in rel] for n, rel in zip(self.stories, found, strict=True)
            }
        return self.related_ids

    @functools.cached_property
    def story_order(self) -> dict[Node, int]:
        """Each story's place among all stories, newest first."""
        return {node: number for number, node in enumerate(self.stories)}

    @functools.cached_property
    def fact_ids(self) -> list[str]:
        """Every fact's id, sorted once for all the fact sheet's self."""
        return sorted(self.index.nodes["facts"])
