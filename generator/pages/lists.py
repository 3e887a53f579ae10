"""The pages that gather the whole site: home, timeline, glossary, the feed and the editors'
field reference."""

from __future__ import annotations

from generator.pages import feeds
from generator.pages import field_reference as reference
from generator.pages.shared import Pages
from generator.read.model import KIND_BY_FOLDER


def home(pages: Pages) -> None:
    key_figures = [
        {**pages.figure(fact), **pages.fact_source(fact)}
        for fact in pages.nodes("facts", pages.site.key_figures)
    ]
    pages.page(
        "index.md",
        "home.md.j2",
        key_figures=key_figures,
        stories=pages.stories[:10],
        insights=pages.insights[:5],
        topics=pages.index.all("topics"),
        counts={
            kind.title: len(pages.index.nodes[kind.folder])
            for kind in KIND_BY_FOLDER.values()
            if pages.index.nodes[kind.folder]
        },
    )


def timeline(pages: Pages) -> None:
    events = sorted(pages.index.all("events"), key=lambda n: (n.item.date.sort_key(), n.id))
    entries = [
        {
            "node": e,
            "sources": pages.nodes("stories", e.item.sources),
            "facts": [pages.figure(f) for f in pages.nodes("facts", e.item.facts)],
            "places": pages.nodes("places", e.item.places),
            "organizations": pages.nodes("organizations", e.item.organizations),
        }
        for e in events
    ]
    pages.page("timeline.md", "timeline.md.j2", entries=entries)


def glossary(pages: Pages) -> None:
    terms = sorted(pages.index.all("glossary"), key=lambda n: n.item.term.lower())
    pages.page("glossary.md", "glossary.md.j2", terms=terms)


def feed(pages: Pages) -> None:
    pages.out.add(feeds.FEED_PATH, feeds.atom(pages.index, pages.site))


def field_reference_page(pages: Pages) -> None:
    pages.out.add(reference.PAGE, reference.field_reference())  # the editors' field reference
