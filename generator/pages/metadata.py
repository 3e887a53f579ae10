"""Metadata for search engines and link previews: canonical links, Open Graph, schema.org.

Each generated page carries what it needs in its front matter (``sc_canonical``,
``sc_og_type``, ``sc_jsonld``); the theme override (generator/theme/main.html) writes the
tags. JSON-LD is built here as plain data from the resolved index and serialised by the
theme with Jinja's ``tojson``, which escapes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` …
so no text from content can close the ``<script>`` element.

Links are absolute, from ``base_url`` in content/site.yaml, in the published site's
directory style (``people/tan-qijian/``): an offline copy still points search engines and
previews at the published pages. Dates keep the precision the source gives (``2023`` is a
valid ISO 8601 date, and so a valid schema.org Date).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from jinja2.utils import htmlsafe_json_dumps

from generator.link.graph import SHARED_PAGES, Index, Node
from generator.read import markup
from generator.read.model import KIND_BY_FOLDER
from generator.read.model.items import Site

SCHEMA = "https://schema.org"


def page_url(site: Site, page: str, anchor: str | None = None) -> str:
    """The published, absolute address of a generated Markdown page (directory URLs)."""
    base = site.base_url if site.base_url.endswith("/") else site.base_url + "/"
    path = page.removesuffix(".md")
    if path == "index":
        path = ""
    elif path.endswith("/index"):
        path = path.removesuffix("index")
    else:
        path += "/"
    return base + path + (f"#{anchor}" if anchor else "")


def front_matter(
    title: str,
    description: str,
    kind: str,
    meta: dict[str, Any],
    *,
    search_exclude: bool = False,
    search_boost: int | None = None,
    hide: Iterable[str] = (),
) -> str:
    """A page's YAML front matter (JSON is YAML), between its ``---`` lines.

    Material writes title and description into HTML unescaped (nav, ``<title>``, ``<meta>``),
    so they are HTML-escaped here. ``meta`` (from :func:`page_meta`) is written as
    ASCII-only JSON with ``<``, ``>``, ``&`` and ``'`` escaped, as Jinja's ``tojson`` writes
    it: no line separator (U+2028 …) can be folded by the YAML reader.
    """
    lines = [
        "---",
        f"title: {markup.json_value(markup.attr(title))}",
        f"description: {markup.json_value(markup.attr(description))}",
        f"sc_kind: {markup.json_value(kind)}",
        *(f"{key}: {_html_safe_json(value)}" for key, value in meta.items()),
    ]
    if hide:
        lines.append(f"hide: {markup.json_value(list(hide))}")
    if search_exclude:
        lines += ["search:", "  exclude: true"]
    elif search_boost:
        lines += ["search:", f"  boost: {search_boost}"]
    lines.append("---")
    return "\n".join(lines)


def _html_safe_json(value: Any) -> str:
    """As Jinja's ``tojson`` filter writes a value (its own function, with keys sorted as the
    filter sorts them, through an encoder made once), but for YAML: a character beyond
    U+FFFF, which JSON writes as a pair of surrogate escapes (``\\ud83d\\udc5f``), is
    written as YAML's one escape (``\\U0001f45f``). A YAML reader decodes each of JSON's
    escapes on its own, into two halves that are no character (an emoji in a name would
    reach the page as two lone surrogates)."""
    text = str(htmlsafe_json_dumps(value, dumps=_SORTED_JSON))
    return _SURROGATE_PAIR.sub(_astral, text) if "\\ud" in text else text


# A JSON surrogate pair escape, not after an escaped backslash (JSON \\ud83d is text).
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _astral(match: re.Match[str]) -> str:
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    return f"{match.group(1)}\\U{code:08x}"


# json.dumps' options, made once; strict JSON (no NaN or Infinity), as JSON-LD must be
_SORTED_JSON = json.JSONEncoder(sort_keys=True, allow_nan=False).encode


def page_meta(index: Index, site: Site, page: str, node: Node | None) -> dict[str, Any]:
    """Front-matter fields for one page: canonical link, Open Graph type, JSON-LD."""
    meta: dict[str, Any] = {"sc_canonical": page_url(site, page), "sc_og_type": "website"}
    if node is None or node.page != page:
        if page == "index.md":
            meta["sc_jsonld"] = _website(site)
        elif (
            page in _COLLECTIONS
            or page.partition("/")[0] in KIND_BY_FOLDER
            and page.endswith("index.md")
        ):
            meta["sc_jsonld"] = _collection(site, page)
        return meta
    builder = _BUILDERS.get(node.kind.folder)
    if builder is not None:
        meta["sc_jsonld"] = builder(index, site, node)
    meta["sc_og_type"] = {"stories": "article", "insights": "article", "people": "profile"}.get(
        node.kind.folder, "website"
    )
    return meta


def _url(site: Site, node: Node) -> str:
    anchor = node.id if node.kind.folder in SHARED_PAGES else None
    return page_url(site, node.page, anchor)


def _ref(site: Site, node: Node, schema_type: str) -> dict[str, Any]:
    return {"@type": schema_type, "name": node.title, "url": _url(site, node)}


def _publisher(site: Site) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.title, "url": page_url(site, "index.md")}


def _website(site: Site) -> dict[str, Any]:
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": site.title,
        "description": site.description,
        "inLanguage": site.language,
        "url": page_url(site, "index.md"),
    }


def _article(index: Index, site: Site, node: Node) -> dict[str, Any]:
    """NewsArticle for a story (and Article for an insight): who wrote it, when, where."""
    item = node.item
    people = index.nodes["people"]
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "NewsArticle" if node.kind.folder == "stories" else "Article",
        "headline": item.title,
        "description": item.summary,
        "datePublished": str(item.date),
        "url": _url(site, node),
        "mainEntityOfPage": _url(site, node),
        "inLanguage": site.language,
        "publisher": _publisher(site),
    }
    authors = getattr(item, "reporters", None) or getattr(item, "authors", None) or []
    if authors:
        data["author"] = [_ref(site, people[a], "Person") for a in authors]
    elif node.kind.folder == "insights":  # the newsroom's own analysis, signed by no one
        data["author"] = [_publisher(site)]
    editors = getattr(item, "editors", None) or []
    if editors:
        data["editor"] = [_ref(site, people[e], "Person") for e in editors]
    dateline = getattr(item, "dateline", None)
    if dateline:
        data["dateline"] = index.get("places", dateline).title
        data["locationCreated"] = _ref(site, index.get("places", dateline), "Place")
    if item.topics:
        data["keywords"] = [index.get("topics", t).title for t in item.topics]
    return data


_COLLECTIONS = {
    "timeline.md": "Timeline",
    "glossary.md": "Glossary",
    "facts/index.md": "Fact sheet",
}
"""List pages that are not a kind's own list (those are named after the kind)."""


def _collection(site: Site, page: str) -> dict[str, Any]:
    """CollectionPage for a list: every story, the people, the fact sheet (and its pages)."""
    folder = page.partition("/")[0]
    name = _COLLECTIONS.get(page) or (
        KIND_BY_FOLDER[folder].title if folder in KIND_BY_FOLDER else ""
    )
    return {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": name,
        "url": page_url(site, page),
        "inLanguage": site.language,
        "isPartOf": {"@type": "WebSite", "name": site.title, "url": page_url(site, "index.md")},
    }


def _topic(index: Index, site: Site, node: Node) -> dict[str, Any]:
    """CollectionPage about the topic: the stories and facts tagged with it."""
    item = node.item
    return {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": item.name,
        "description": item.description,
        "url": _url(site, node),
        "about": {"@type": "Thing", "name": item.name},
        "inLanguage": site.language,
    }


def _claim(index: Index, site: Site, node: Node) -> dict[str, Any]:
    """Claim for a fact: its statement, who makes it, and the report it appears in."""
    item = node.item
    story = index.get("stories", item.source.story)
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Claim",
        "text": item.statement,
        "url": _url(site, node),
        "appearance": {
            "@type": "NewsArticle",
            "headline": story.title,
            "url": page_url(site, story.page, item.source.segment),
        },
        "inLanguage": site.language,
    }
    if item.source.person:
        data["author"] = _ref(site, index.get("people", item.source.person), "Person")
    elif item.source.organization:
        data["author"] = _ref(
            site, index.get("organizations", item.source.organization), "Organization"
        )
    if item.as_of:
        data["temporalCoverage"] = str(item.as_of)
    return data


def _person(index: Index, site: Site, node: Node) -> dict[str, Any]:
    item = node.item
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Person",
        "name": item.name,
        "url": _url(site, node),
    }
    if item.native_name:
        data["alternateName"] = item.native_name
    if item.description:
        data["description"] = item.description
    if item.roles:
        data["jobTitle"] = [role.title for role in item.roles]
        organizations = sorted({r.organization for r in item.roles if r.organization})
        if organizations:
            data["affiliation"] = [
                _ref(site, index.get("organizations", o), "Organization") for o in organizations
            ]
    return data


def _organization(index: Index, site: Site, node: Node) -> dict[str, Any]:
    item = node.item
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Organization",
        "name": item.name,
        "url": _url(site, node),
    }
    if item.description:
        data["description"] = item.description
    if item.website:
        data["sameAs"] = [item.website]
    if item.parent:
        data["parentOrganization"] = _ref(
            site, index.get("organizations", item.parent), "Organization"
        )
    if item.place:
        data["location"] = _ref(site, index.get("places", item.place), "Place")
    return data


def _place(index: Index, site: Site, node: Node) -> dict[str, Any]:
    item = node.item
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Place",
        "name": item.name,
        "url": _url(site, node),
    }
    if item.description:
        data["description"] = item.description
    if item.parent:
        data["containedInPlace"] = _ref(site, index.get("places", item.parent), "Place")
    return data


_BUILDERS = {
    "stories": _article,
    "insights": _article,
    "people": _person,
    "organizations": _organization,
    "places": _place,
    "topics": _topic,
    "facts": _claim,
}
