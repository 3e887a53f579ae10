"""Resolve: check every reference, give every item its page, and compute backlinks.

References form a graph, not a tree, so nothing is resolved until every item is known.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from generator.diagnostics import Diagnostic, Severity, a_or_an, did_you_mean
from generator.link import provenance
from generator.link.citations import resolve_citations
from generator.link.graph import (
    REFERENCE_PAGE,
    SHARED_PAGES,
    Backlink,
    Index,
    Node,
    PathKey,
    page_of,
)
from generator.link.site_links import broken_links
from generator.read.load import load_file
from generator.read.markdown_scan import site_markdown
from generator.read.model import KIND_BY_FOLDER, KINDS, Kind
from generator.read.model.items import Story
from generator.read.outline import Outline, is_draft, outline_of, raw_references, record_references
from generator.read.record import Content, Record
from generator.read.strict_yaml import LoadError


def resolve(content: Content, diagnostics: list[Diagnostic], *, backlinks: bool = True) -> Index:
    """Every item's node, every reference checked; with ``backlinks`` (pages need them, a check
    does not: 450 000 at 10 000 stories), who refers to each item."""
    nodes = {
        kind.folder: {
            item_id: Node(record, page_of(kind.folder, item_id))
            for item_id, record in sorted(content.records[kind.folder].items())
        }
        for kind in KINDS
    }
    segment_ids = {
        story_id: anchors_of(node.record, diagnostics)
        for story_id, node in nodes["stories"].items()
    }
    records: list[Record] = [n.record for kind in KINDS for n in nodes[kind.folder].values()]
    if content.site is not None:
        records.insert(0, content.site)
    for record in records:
        source = nodes[record.kind.folder][record.id] if record.kind.folder else None
        anchors = segment_ids.get(record.id, ()) if record.kind.folder == "stories" else ()
        published = not is_draft(record)
        for path, folder, target, speaker in record_references(record):
            found = nodes[folder].get(target)
            if found is None:
                left_out = content.drafts.get(folder, {}).get(target)
                if left_out is not None:  # a published build: the draft is left out
                    diagnostics.append(_links_draft(record, path, left_out))
                elif target not in content.invalid.get(folder, ()):  # else its errors say why
                    diagnostics.append(_unknown(record, path, folder, target, nodes))
            elif published and is_draft(found.record):
                diagnostics.append(_links_draft(record, path, found.record))
            elif backlinks and source is not None and found is not source:
                found.links.append(Backlink(source, path, speaker, anchors))
        if record.kind.folder == "facts":
            check_fact_segment(record, segment_ids, diagnostics)
    for folder, broken in sorted(content.broken.items()):
        kind = KIND_BY_FOLDER[folder]
        for file_path, display in broken.values():
            check_broken_references(kind, file_path, display, content, nodes, diagnostics)
    check_internal_links(nodes, records, diagnostics)
    _check_hierarchies(nodes, diagnostics)
    sources = provenance_sources(nodes, segment_ids)
    for record in records:
        if record.kind.folder in _DATED:
            provenance.check_record(record, outline_of(record), sources, diagnostics)
    index = Index(content, nodes, segment_ids)
    index.citations = resolve_citations(index, diagnostics)
    return index


def check_internal_links(
    nodes: dict[str, dict[str, Node]], records: Iterable[Record], diagnostics: list[Diagnostic]
) -> None:
    """A located error for each relative link in a Markdown field that leads to no page (or,
    for an image, no file) of the site, from a page the field is shown on: MkDocs would find
    it only while building, as a warning naming the generated page (see links.broken_links)."""
    pages: set[str] | None = None
    for record in records:
        found = outline_of(record).links
        if found:
            pages = pages if pages is not None else _site_files(nodes)
            diagnostics.extend(
                broken_links(
                    record.document,
                    functools.partial(getattr, record, "item"),
                    found,
                    functools.partial(_pages_showing, record),
                    pages,
                )
            )


# Files the generator writes besides pages (render.Rendering.jobs, feeds.FEED_PATH).
_DATA_FILES = ("facts.csv", "facts.json", "feed.xml")


def _site_files(nodes: dict[str, dict[str, Node]]) -> set[str]:
    """Every page the site will have, by its Markdown path, and every file in docs/: the
    items' pages, the list pages (not the second and later pages of a long list), the data
    files and what docs/ holds."""
    found = {node.page for kind in nodes.values() for node in kind.values()}
    found.update(("index.md", REFERENCE_PAGE, *_DATA_FILES, *SHARED_PAGES.values()))
    found.update(f"{k.folder}/index.md" for k in KINDS if k.folder not in SHARED_PAGES)
    docs = site_markdown().docs_dir
    if docs.is_dir():
        found.update(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    return found


def _pages_showing(record: Record, path: PathKey) -> list[str]:
    """The pages a Markdown field is shown on: its item's page (the home page for the site's
    introduction), and for a soundbite's words also the pages of its speaker and of its
    organizations, which quote it (render._quotes). All are one folder deep today, so one
    relative link can be right on all of them only if it leaves the folder (../people/x.md)."""
    if not record.kind.folder:
        return ["index.md"]
    pages = [page_of(record.kind.folder, record.id)]
    if record.kind.folder == "stories" and path[2:] == ("soundbite", "text"):
        for where, folder, target, _ in record_references(record):
            if where[:3] == path[:3] and where[3:4] in (("speaker",), ("organizations",)):
                pages.append(page_of(folder, target))
    return pages


HIERARCHIES = {"places": "lies in", "organizations": "belongs to"}
"""Kinds whose items name a parent of their own kind, and how an item relates to its parent."""


def _parent_of(record: Record) -> str | None:
    """The id a place or organization names as its parent, from its outline (no item needed)."""
    for path, _, target, _ in record_references(record):
        if path == ("parent",):
            return target
    return None


def _check_hierarchies(nodes: dict[str, dict[str, Node]], diagnostics: list[Diagnostic]) -> None:
    """A place or organization that is its own parent, or its own ancestor through a circle
    of parents, is an error: reported once a circle, at the ``parent`` of its first id (one
    mistake, one error: any one of its parents may be the wrong one, and the hint names
    them all). Nothing else walks up the parents, so a circle cannot hang a build; this makes
    sure it cannot be published either."""
    for folder, verb in HIERARCHIES.items():
        parents = {
            item_id: parent
            for item_id, node in nodes[folder].items()
            if (parent := _parent_of(node.record)) is not None and parent in nodes[folder]
        }
        for cycle in _cycles(parents):
            diagnostics.append(_cycle_error(nodes[folder][cycle[0]].record, cycle, verb))


def _cycles(parents: dict[str, str]) -> list[list[str]]:
    """Each circle of the relation ``parents`` (id → parent id) once, from its smallest id.

    Each id is walked over once (iteratively: a chain of thousands cannot overflow a stack).
    """
    done: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(parents):
        walk: dict[str, int] = {}
        current = start
        while current in parents and current not in done and current not in walk:
            walk[current] = len(walk)
            current = parents[current]
        if current in walk:
            cycle = list(walk)[walk[current] :]
            first = cycle.index(min(cycle))
            found.append(cycle[first:] + cycle[:first])
        done.update(walk)
    return found


def _cycle_error(record: Record, cycle: list[str], verb: str) -> Diagnostic:
    kind = record.kind
    location = record.document.locate(("parent",))
    if len(cycle) == 1:
        return Diagnostic(
            location,
            Severity.ERROR,
            f"{kind.name} '{record.id}' is its own parent",
            f"a {kind.name} {verb} its parent: remove 'parent', or name another {kind.name}",
        )
    circle = " → ".join([*cycle, cycle[0]])
    files = ", ".join(f"{kind.folder}/{item_id}.yaml" for item_id in cycle)
    return Diagnostic(
        location,
        Severity.ERROR,
        f"{kind.name} '{record.id}' is its own ancestor: {circle}",
        f"the parents go round in a circle; change or remove the parent in one of {files}",
    )


def in_circle(nodes: dict[str, Node], item_id: str) -> bool:
    """Whether walking up the parents from ``item_id`` comes back to an id already passed."""
    seen: set[str] = set()
    current: str | None = item_id
    while current is not None and current in nodes:
        if current in seen:
            return True
        seen.add(current)
        current = _parent_of(nodes[current].record)
    return False


_DATED = frozenset(("facts", "events", "people", "stories"))
"""The kinds whose quotes or dates are checked against their sources (generator.link.provenance)."""


def provenance_sources(
    nodes: dict[str, dict[str, Node]], segment_ids: dict[str, list[str]]
) -> provenance.Sources:
    def outline(folder: str, item_id: str) -> Outline | None:
        node = nodes[folder].get(item_id)
        return None if node is None else outline_of(node.record)

    return provenance.Sources(outline, segment_ids)


def provenance_affected(
    changes: list[tuple[str, str, Node | None, Node | None]], nodes: dict[str, dict[str, Node]]
) -> list[Record]:
    """The records whose quotes or dates a change can make wrong: the changed ones, what
    cites a changed story (facts, events, roles), and events whose facts changed or cite it."""
    found: dict[str, Record] = {}

    def add(folder: str, item_id: str) -> None:
        node = nodes[folder].get(item_id)
        if node is not None and folder in _DATED:
            found[node.key] = node.record

    for folder, item_id, was, now in changes:
        if now is not None:
            add(folder, item_id)
        if was is None or folder not in ("stories", "facts"):
            continue
        for link in was.links:
            add(link.folder, link.source.id)
            if folder == "stories" and link.folder == "facts":
                fact = nodes["facts"].get(link.source.id)
                for second in fact.links if fact is not None else ():
                    if second.folder == "events":
                        add("events", second.source.id)
    return [found[key] for key in sorted(found)]


def check_broken_references(
    kind: Kind,
    path: Path,
    display: str,
    content: Content,
    nodes: dict[str, dict[str, Node]],
    diagnostics: list[Diagnostic],
) -> None:
    """The references of a file refused for its fields, checked as a valid file's are: one
    run reports both kinds of mistake. A file that cannot be read at all says so already."""
    try:
        document = load_file(path, display)
    except (LoadError, OSError):
        return
    for where, folder, target in raw_references(kind.model, document.data):
        if target not in nodes[folder] and target not in content.invalid.get(folder, ()):
            left_out = content.drafts.get(folder, {}).get(target)
            record = Record(kind, path.stem, None, document)
            diagnostics.append(
                _links_draft(record, where, left_out)
                if left_out is not None
                else _unknown(record, where, folder, target, nodes)
            )


def _links_draft(record: Record, path: PathKey, target: Record) -> Diagnostic:
    return Diagnostic(
        record.document.locate(path),
        Severity.ERROR,
        f"{target.kind.name} '{target.id}' is a draft: a published item cannot link to it",
        f"publish it (remove 'draft: true' from {target.document.display}), "
        + (
            f"or make this {record.kind.name} a draft too"
            if record.kind.folder
            else "or leave it out of the site's settings until then"
        ),
    )


def _unknown(
    record: Record, path: PathKey, folder: str, target: str, nodes: dict[str, dict[str, Node]]
) -> Diagnostic:
    kind = KIND_BY_FOLDER[folder]
    hint = did_you_mean(target, nodes[folder])
    if not hint:
        elsewhere = [k.name for k in KINDS if target in nodes[k.folder]]
        hint = (
            f"'{target}' is {a_or_an(elsewhere[0])}, not {a_or_an(kind.name)}"
            if elsewhere
            else f"create content/{folder}/{target}.yaml, or correct the id"
        )
    return Diagnostic(
        record.document.locate(path), Severity.ERROR, f"unknown {kind.name} '{target}'", hint
    )


def anchors_of(record: Record, diagnostics: list[Diagnostic]) -> list[str]:
    anchors = outline_of(record).anchors
    if len(set(anchors)) == len(anchors):
        return list(anchors)
    story: Story = record.item
    ids: list[str] = []
    seen: dict[str, int] = {}
    for number, segment in enumerate(story.segments):
        anchor = segment.id or f"segment-{number + 1}"
        if anchor in seen:
            diagnostics.append(
                Diagnostic(
                    record.document.locate(("segments", number, "id")),
                    Severity.ERROR,
                    f"duplicate segment id '{anchor}'",
                    f"segment {seen[anchor] + 1} already uses it; "
                    "segment ids are unique in a story",
                )
            )
        seen.setdefault(anchor, number)
        ids.append(anchor)
    return ids


def check_fact_segment(
    record: Record, segment_ids: dict[str, list[str]], diagnostics: list[Diagnostic]
) -> None:
    source = outline_of(record).source
    if source is None:
        return
    story, segment = source
    if segment is None or story not in segment_ids:
        return
    known = segment_ids[story]
    if segment not in known:
        diagnostics.append(
            Diagnostic(
                record.document.locate(("source", "segment")),
                Severity.ERROR,
                f"story '{story}' has no segment '{segment}'",
                did_you_mean(segment, known) or f"its segments are: {', '.join(known)}",
            )
        )
