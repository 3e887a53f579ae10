"""People, organization and place pages and their lists: what the stories say of each."""

from __future__ import annotations

from typing import Any

from generator.link import citations
from generator.link.graph import Backlink, Node, backlinks_by
from generator.pages.paths import (
    by_date,
    by_id,
)
from generator.pages.shared import Pages
from generator.read.model import KIND_BY_FOLDER


def kind_index(pages: Pages, folder: str) -> None:
    pages.page(f"{folder}/index.md", f"{folder}.md.j2", nodes=pages.index.all(folder))


def entity(pages: Pages, node: Node) -> None:
    folder = node.kind.folder
    context: dict[str, Any] = {
        "node": node,
        "item": node.item,
        "mentions": mentions(pages, node),
    }
    _CONTEXTS[folder](pages, node, context)
    pages.page(node.page, f"{KIND_BY_FOLDER[folder].name.replace(' ', '-')}.md.j2", **context)


def people_context(pages: Pages, node: Node, context: dict[str, Any]) -> None:
    roles = [
        {
            "role": role,
            "organization": pages.index.get("organizations", role.organization)
            if role.organization
            else None,
            "source": pages.index.get("stories", role.source) if role.source else None,
        }
        for role in node.item.roles
    ]
    context.update(
        roles=roles,
        quotes=quotes(pages, backlinks_by(node, "stories", "speaker")),
        reported=sorted(
            {ref.source for ref in backlinks_by(node, "stories", "reporters")}, key=by_date
        ),
        edited=sorted(
            {ref.source for ref in backlinks_by(node, "stories", "editors")}, key=by_date
        ),
        facts=facts_of(pages, node, "person"),
    )


def organizations_context(pages: Pages, node: Node, context: dict[str, Any]) -> None:
    org = node.item
    people = {}
    for link in backlinks_by(node, "people", "organization"):
        people[link.source.id] = link.source
    for link in backlinks_by(node, "stories", "organizations"):
        if "soundbite" in link.path and link.speaker:
            people[link.speaker] = pages.index.get("people", link.speaker)
    context.update(
        place=pages.index.get("places", org.place) if org.place else None,
        parent=pages.index.get("organizations", org.parent) if org.parent else None,
        children=sorted(
            {ref.source for ref in backlinks_by(node, "organizations", "parent")}, key=by_id
        ),
        people=[people[k] for k in sorted(people)],
        quotes=quotes(
            pages,
            [
                ref
                for ref in backlinks_by(node, "stories", "organizations")
                if "soundbite" in ref.path
            ],
        ),
        facts=facts_of(pages, node, "organizations"),
        sourced=facts_of(pages, node, "organization"),
        events=sorted({ref.source for ref in backlinks_by(node, "events")}, key=by_date),
    )


def places_context(pages: Pages, node: Node, context: dict[str, Any]) -> None:
    place = node.item
    context.update(
        parent=pages.index.get("places", place.parent) if place.parent else None,
        children=sorted({ref.source for ref in backlinks_by(node, "places", "parent")}, key=by_id),
        organizations=sorted(
            {ref.source for ref in backlinks_by(node, "organizations", "place")}, key=by_id
        ),
        datelined=sorted(
            {ref.source for ref in backlinks_by(node, "stories", "dateline")}, key=by_date
        ),
        facts=facts_of(pages, node, "places"),
        events=sorted({ref.source for ref in backlinks_by(node, "events")}, key=by_date),
    )


def mentions(pages: Pages, node: Node) -> list[dict[str, Any]]:
    """Story segments that name the item, each with its anchor."""
    found: list[dict[str, Any]] = []
    for link in backlinks_by(node, "stories"):
        if link.segment is None or link.field == "speaker":
            continue
        found.append(
            {
                "story": link.source,
                "anchor": link.anchor,
                "segment": link.segment + 1,
                "speaker": pages.index.get("people", link.speaker) if link.speaker else None,
            }
        )
    unique = {(m["story"].id, m["anchor"]): m for m in found}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[0], segment_order(pages, k)))]


def segment_order(pages: Pages, key: tuple[str, str]) -> int:
    return pages.index.segment_ids[key[0]].index(key[1])


def quotes(pages: Pages, links: list[Backlink]) -> list[dict[str, Any]]:
    quotes = []
    for link in links:
        assert link.segment is not None
        segment = link.source.item.segments[link.segment]
        quotes.append(
            {
                "story": link.source,
                "anchor": link.anchor,
                "soundbite": segment.soundbite,
                "speaker": pages.index.get("people", segment.soundbite.speaker),
                "cited_by": citations.cited_by(pages.index, link.source, link.segment),
            }
        )
    return quotes


def facts_of(pages: Pages, node: Node, *fields: str) -> list[dict[str, Any]]:
    nodes = {link.source.id: link.source for link in backlinks_by(node, "facts", *fields)}
    return [pages.figure(nodes[k]) for k in sorted(nodes)]


_CONTEXTS = {
    "people": people_context,
    "organizations": organizations_context,
    "places": places_context,
}
