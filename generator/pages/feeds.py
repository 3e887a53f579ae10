"""The Atom feed (feed.xml) of stories and insights, newest first.

Atom wants a full timestamp for every entry, but sources often give only a year or a month.
A partial date is written as the first moment of its period, at UTC midnight (2023 →
2023-01-01T00:00:00Z; 2023-05 → 2023-05-01T00:00:00Z), and each entry also carries the date
as the source gives it, in ``<sc:date precision="year">2023</sc:date>`` and in its summary,
so no reader or tool mistakes 1 January for the real day. The feed's own ``updated`` is its
newest entry's date, not the build time, so an unchanged site builds a byte-identical feed.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from generator.link.graph import Index, Node
from generator.pages.metadata import page_url
from generator.read.model.items import Site
from generator.read.model.types import PartialDate

ATOM = "http://www.w3.org/2005/Atom"
# Namespace of Shoe Capital's own feed elements; a name, not an address to fetch.
SC_NAMESPACE = "urn:shoe-capital:feed:1"
FEED_PATH = "feed.xml"
MAX_ENTRIES = 50


def timestamp(date: PartialDate) -> str:
    """RFC 3339 for Atom: a partial date becomes the first moment of its period, in UTC."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def precision_note(date: PartialDate) -> str:
    """What a reader should know about the entry's timestamp, or '' for a full date."""
    if date.precision == "day":
        return ""
    first = timestamp(date)[:10]
    return (
        f"The source dates this {date.precision}-only ({date}); the feed's timestamp "
        f"{first} stands for the whole {date.precision}."
    )


def entries(index: Index) -> list[Node]:
    """Stories and insights (when that kind exists), newest first, then by id."""
    nodes = [*index.all("stories"), *index.nodes.get("insights", {}).values()]
    nodes.sort(key=lambda n: n.id)
    nodes.sort(key=lambda n: n.date.sort_key(), reverse=True)
    return nodes[:MAX_ENTRIES]


def atom(index: Index, site: Site) -> str:
    """The whole feed as XML text, links absolute from site.base_url."""
    nodes = entries(index)
    home = page_url(site, "index.md")
    updated = timestamp(nodes[0].date) if nodes else "1970-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xmlns:sc="{SC_NAMESPACE}" xml:lang={quoteattr(site.language)}>',
        f"  <title>{escape(site.title)}</title>",
        f"  <subtitle>{escape(site.description)}</subtitle>",
        f"  <id>{escape(home)}</id>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(home)}/>',
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(home + FEED_PATH)}/>',
        f"  <updated>{updated}</updated>",
        f"  <generator uri={quoteattr(home)}>Shoe Capital</generator>",
    ]
    for node in nodes:
        lines.extend(_entry(index, site, node))
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry(index: Index, site: Site, node: Node) -> list[str]:
    item: Any = node.item
    url = page_url(site, node.page)
    date: PartialDate = item.date
    summary = " ".join(part for part in (item.summary, precision_note(date)) if part)
    people = getattr(item, "reporters", None) or getattr(item, "authors", None) or []
    lines = [
        "  <entry>",
        f"    <title>{escape(item.title)}</title>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
        f"    <id>{escape(url)}</id>",
        f"    <published>{timestamp(date)}</published>",
        f"    <updated>{timestamp(date)}</updated>",
        f'    <sc:date precision="{date.precision}">{date}</sc:date>',
        f"    <sc:kind>{'story' if node.kind.folder == 'stories' else 'insight'}</sc:kind>",
    ]
    for person_id in people:
        person = index.get("people", person_id)
        lines += [
            "    <author>",
            f"      <name>{escape(person.title)}</name>",
            f"      <uri>{escape(page_url(site, person.page))}</uri>",
            "    </author>",
        ]
    if not people:
        lines += ["    <author>", f"      <name>{escape(site.title)}</name>", "    </author>"]
    for topic_id in item.topics:
        topic = index.get("topics", topic_id)
        lines.append(f"    <category term={quoteattr(topic_id)} label={quoteattr(topic.title)}/>")
    lines += [f"    <summary>{escape(summary)}</summary>", "  </entry>"]
    return lines
