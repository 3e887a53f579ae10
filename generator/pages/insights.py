"""Insight pages and their list: the editors' analysis, each citation a footnote."""

from __future__ import annotations

from typing import Any

from generator.link import citations
from generator.link.graph import Node, Reads
from generator.pages.shared import Pages
from generator.read.model.items import Insight


def insights_index(pages: Pages) -> None:
    pages.page("insights/index.md", "insights.md.j2", insights=pages.insights)


def insight(pages: Pages, node: Node) -> None:
    insight: Insight = node.item
    cites = pages.index.citations.get(node.id, [])
    for citation in cites:
        Reads.note(citation.target.key)
    pages.page(
        node.page,
        "insight.md.j2",
        node=node,
        insight=insight,
        body=citations.replace_citations(insight.body, cites),
        footnotes=[footnote(pages, c) for c in citations.footnotes(cites)],
        authors=pages.nodes("people", insight.authors),
        topics=pages.nodes("topics", insight.topics),
    )


def footnote(pages: Pages, citation: citations.Citation) -> dict[str, Any]:
    """What a citation's footnote shows: the fact stated, or the segment quoted."""
    target = citation.target
    note: dict[str, Any] = {"number": citation.number, "node": target}
    if target.kind.folder == "facts":
        return {
            **note,
            "kind": "fact",
            "quote": target.item.quote,
            **pages.figure(target),
            **pages.fact_source(target),
        }
    if citation.segment is None:
        return {**note, "kind": "story", "story": target}
    segment = target.item.segments[citation.segment]
    speaker = segment.soundbite.speaker if segment.soundbite else None
    return {
        **note,
        "kind": "soundbite" if speaker else "narration",
        "story": target,
        "anchor": citation.anchor,
        "position": citation.segment + 1,
        "segment": segment,
        "speaker": pages.index.get("people", speaker) if speaker else None,
    }
