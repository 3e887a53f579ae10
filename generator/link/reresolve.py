"""Re-resolving after an edit: the previous index with only what the saved files touched worked out
again (the live preview's rebuild)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.diagnostics import Diagnostic
from generator.link import provenance
from generator.link.citations import insight_citations
from generator.link.graph import (
    Backlink,
    Index,
    Node,
    citation_order,
    is_citation,
    page_of,
    reference_order,
    shown_links,
)
from generator.link.resolve import (
    HIERARCHIES,
    anchors_of,
    check_fact_segment,
    check_internal_links,
    in_circle,
    provenance_affected,
    provenance_sources,
)
from generator.read.model import KINDS
from generator.read.outline import is_draft, outline_of, record_references
from generator.read.record import Content, Record


@dataclass
class Reresolved:
    """An index made from the one before it by redoing only what the changed files touch."""

    index: Index
    changes: list[tuple[str, str, Node | None, Node | None]]
    """(folder, id, node before, node now) of each item changed, added (before is None) or
    removed (now is None)."""
    relinked: set[str]
    """``folder/id`` of the items whose backlinks, as pages show them, changed."""
    replaced: list[Node]
    """The nodes before of changed or removed items: no longer in the index."""


MAX_CHANGES = 500
"""More changed files than this (a checkout, a search and replace) are resolved whole."""


def reresolve(old: Index, content: Content) -> Reresolved | None:
    """What resolve(content) gives, made from ``old`` (resolved from the content as it was)
    by redoing only what the changed, added and removed items touch: their references, the
    backlinks of what they refer to, their stories' segments and the citations that cite them.

    The nodes of unchanged items are kept, and those whose backlinks change are relinked in
    place: ``old`` is used up. Returns None, leaving ``old`` as it was, when the content has
    a file with errors, the site settings changed, too many files changed, or anything
    might be an error (a reference to an item that went, say): resolve() then does the
    whole work and reports every error as it always does.
    """
    if content.invalid or content.site is None or content.site is not old.content.site:
        return None
    changes: list[tuple[str, str, Node | None, Node | None]] = []
    for kind in KINDS:
        folder = kind.folder
        before, after = old.nodes[folder], content.records[folder]
        for item_id, record in after.items():
            was = before.get(item_id)
            if was is None or was.record is not record:
                changes.append((folder, item_id, was, Node(record, page_of(folder, item_id))))
        new_ids = sum(1 for c in changes if c[0] == folder and c[2] is None)
        if len(after) - new_ids != len(before):  # some went
            changes.extend((folder, i, before[i], None) for i in sorted(before.keys() - after))
        if len(changes) > MAX_CHANGES:
            return None
    nodes = {folder: dict(items) for folder, items in old.nodes.items()}
    segment_ids = dict(old.segment_ids)
    problems: list[Diagnostic] = []
    for folder, item_id, _, now in changes:
        if now is None:
            del nodes[folder][item_id]
        else:
            nodes[folder][item_id] = now
        if folder == "stories":
            if now is None:
                del segment_ids[item_id]
            else:
                segment_ids[item_id] = anchors_of(now.record, problems)
    for folder in {c[0] for c in changes if c[2] is None}:  # ids in order, as resolve() has them
        nodes[folder] = dict(sorted(nodes[folder].items()))
    for folder, item_id, _, now in changes:
        if now is not None and folder in HIERARCHIES and in_circle(nodes[folder], item_id):
            return None  # resolve() reports it
    changed = {f"{folder}/{item_id}" for folder, item_id, _, _ in changes}
    affected: set[tuple[str, str]] = set()
    """Items whose backlinks are worked out again."""
    added: dict[tuple[str, str], list[Backlink]] = defaultdict(list)
    for _, folder, target, _ in record_references(content.site):
        if target not in nodes[folder] or is_draft(nodes[folder][target].record):
            return None
    recite: dict[str, Node] = {}
    """Insights whose citations are resolved again, by id."""
    for folder, item_id, was, now in changes:
        if was is not None and now is not None and is_draft(was.record) != is_draft(now.record):
            return None  # what links to it may now be an error, or no longer one
        if was is not None:
            affected.update((f, t) for _, f, t, _ in record_references(was.record))
            if now is None and any(link.source.key not in changed for link in was.links):
                return None  # an item that went is still referred to, or cited: an error
        if now is not None:
            anchors = segment_ids[item_id] if folder == "stories" else ()
            for path, target_folder, target, speaker in record_references(now.record):
                found = nodes[target_folder].get(target)
                if found is None or is_draft(found.record) and not is_draft(now.record):
                    return None  # resolve() reports it
                affected.add((target_folder, target))
                if found is not now:
                    added[(target_folder, target)].append(Backlink(now, path, speaker, anchors))
            if folder == "facts":
                check_fact_segment(now.record, segment_ids, problems)
            elif folder == "insights":
                recite[item_id] = now
        if folder == "stories" and was is not None and now is not None:
            for link in was.links:  # facts sourced from one of its segments
                if link.folder == "facts" and link.source.key not in changed:
                    check_fact_segment(link.source.record, segment_ids, problems)
        if folder in ("facts", "stories"):  # [@id] cites the fact, else the story
            for target_node in (old.nodes["facts"].get(item_id), old.nodes["stories"].get(item_id)):
                for link in target_node.links if target_node is not None else ():
                    insight = nodes["insights"].get(link.source.id)
                    if is_citation(link) and insight is not None:
                        recite[insight.id] = insight
    sources = provenance_sources(nodes, segment_ids)
    for record in provenance_affected(changes, nodes):
        provenance.check_record(record, outline_of(record), sources, problems)
    index = Index(content, nodes, segment_ids)

    citations = dict(old.citations)
    cited: dict[tuple[str, str], list[Backlink]] = defaultdict(list)
    for insight_id in sorted(recite):
        citations[insight_id] = insight_citations(recite[insight_id], index, problems)
        for target in {c.target.id: c.target for c in citations[insight_id]}.values():
            cited[(target.kind.folder, target.id)].append(Backlink(recite[insight_id], ("body",)))
    # A changed item's links are checked again; when an item went, every item's (a link to
    # its page is an error): links may lead to any page, and no backlink records them.
    removed = any(now is None for _, _, _, now in changes)
    checked: Iterable[Record] = (
        (node.record for kind in nodes.values() for node in kind.values())
        if removed
        else (now.record for _, _, _, now in changes if now is not None)
    )
    check_internal_links(nodes, checked, problems)
    if problems:
        return None
    for folder, item_id, was, _ in changes:
        if folder == "insights" and was is not None:
            affected.update((c.target.kind.folder, c.target.id) for c in old.citations[item_id])
    for insight_id in recite:
        affected.update(
            (c.target.kind.folder, c.target.id) for c in old.citations.get(insight_id, [])
        )
    affected.update(cited)
    index.citations = {insight_id: citations[insight_id] for insight_id in nodes["insights"]}
    # Backlinks kept are in resolve()'s order: those of references by their source's kind
    # and id, then those of citations by insight. The new ones are put where it puts them.
    gone = {was for _, _, was, _ in changes if was is not None}
    recited = {old.nodes["insights"].get(insight_id) for insight_id in recite}
    relinked: set[str] = set()
    links: dict[Node, list[Backlink]] = {}
    for folder, item_id in affected | {(c[0], c[1]) for c in changes}:
        was = old.nodes[folder].get(item_id)
        now = nodes[folder].get(item_id)
        old_links = was.links if was is not None else []
        if now is None:
            if old_links:
                relinked.add(f"{folder}/{item_id}")
            continue
        kept: list[Backlink] = []
        dropped: list[Backlink] = []
        for link in old_links:
            source = link.source
            if source in gone or (source in recited and link.path == ("body",)):
                dropped.append(link)
            else:
                kept.append(link)
        references = added.get((folder, item_id), [])
        citing = cited.get((folder, item_id), [])
        new = kept
        if references or citing:
            split = len(kept)
            while split and is_citation(kept[split - 1]):
                split -= 1
            new, rest = kept[:split], kept[split:]
            for link in references:
                new.insert(
                    bisect.bisect_right(new, reference_order(link), key=reference_order), link
                )
            for link in citing:
                rest.insert(bisect.bisect_right(rest, link.source.id, key=citation_order), link)
            new += rest
        # The links of unchanged sources, and their anchors, are as they were: the pages
        # show the backlinks differently exactly when those that went and came differ.
        if shown_links(dropped) != shown_links([*references, *citing]):
            relinked.add(f"{folder}/{item_id}")
        links[now] = new
    for node, new in links.items():
        node.links = new
    replaced = [was for _, _, was, _ in changes if was is not None]
    return Reresolved(index, changes, relinked, replaced)
