"""Resolve: check every reference, give every item its page, and compute backlinks.

References form a graph, not a tree, so nothing is resolved until every item is known.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from generator.diagnostics import Diagnostic, Severity, a_or_an, did_you_mean
from generator.link import provenance
from generator.read.links import broken_links, internal_links, site_markdown
from generator.read.model import KIND_BY_FOLDER, KINDS, Kind
from generator.read.model.items import Fact, Segment, Story
from generator.read.model.types import referenced_folder
from generator.read.validate import Content, Record

PathKey = tuple[str | int, ...]


class Backlink:
    """``source`` refers to an item at ``path`` inside it (e.g. segments/3/soundbite/speaker).

    Equal when source, path and speaker are. Slotted, with what a render asks of it worked
    out at once: there are 450 000 at 10 000 stories, and a render reads each several times.
    """

    __slots__ = ("anchor", "field", "folder", "path", "segment", "source", "speaker")

    def __init__(
        self,
        source: Node,
        path: PathKey,
        speaker: str | None = None,
        anchors: Sequence[str] = (),
    ) -> None:
        """``anchors``: the source story's segment anchors, in order (Index.segment_ids)."""
        self.source = source
        self.path = path
        self.speaker = speaker
        """Who speaks in the story segment the reference sits in, if it is a soundbite."""
        self.folder: str = source.kind.folder
        """The source's kind's folder: stories, facts …"""
        self.field: str
        """The last named field of the path: speaker, people, facts, dateline …"""
        self.segment: int | None
        """Index of the story segment the reference sits in, if any."""
        self.field, self.segment = _path_parts(path)
        self.anchor: str | None = None if self.segment is None else anchors[self.segment]
        """The anchor of the story segment the reference sits in, if any."""

    def _key(self) -> tuple[Node, PathKey, str | None]:
        return (self.source, self.path, self.speaker)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Backlink):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Backlink({self.source!r}, {self.path!r}, {self.speaker!r})"


@functools.lru_cache(maxsize=65536)
def _path_parts(path: PathKey) -> tuple[str, int | None]:
    """A path's last named field, and its story segment if it is in one: paths repeat from
    story to story (segments/3/soundbite/speaker), so each is worked out once."""
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    if len(path) > 1 and path[0] == "segments" and isinstance(path[1], int):
        return field, path[1]
    return field, None


class Reads:
    """What rendering one page read: items (``folder/id``), only their headings (title, date
    and summary: ``folder/id:heading``), the backlinks of items (``folder/id#links``) and
    whole kinds (``folder/*``: which items, and their headings), just which items a kind
    has (``folder/+``), and which items it has and their dates (``folder/~``: the order of a
    list by date, whose page shows only some of them).

    ``Node.item``, ``Node.backlinks`` and ``Index.all`` note each read in the active set, so
    a rebuild knows which pages an edit can change (see generator.pipeline.session).
    """

    active: set[str] | None = None

    @classmethod
    def note(cls, key: str) -> None:
        if cls.active is not None:
            cls.active.add(key)

    @classmethod
    @contextlib.contextmanager
    def into(cls, target: set[str] | None) -> Iterator[None]:
        """Note reads in ``target`` (or nowhere, with None) until the block ends."""
        outer, cls.active = cls.active, target
        try:
            yield
        finally:
            cls.active = outer


_TITLE_FIELDS = ("title", "name", "term", "statement")
"""The fields that title an item, in the order they are tried."""


class Node:
    """One item in the index: its record, its page, and who refers to it.

    Slotted, with plain attributes rather than properties where it can: a render reads
    nodes millions of times, and tens of thousands of them stay small enough to stay cached.
    """

    __slots__ = ("_heading", "heading_key", "id", "key", "kind", "links", "page", "record")

    def __init__(self, record: Record, page: str) -> None:
        self.record = record
        self.page = page
        self.links: list[Backlink] = []
        """The backlinks, filled by resolve(); read them through ``backlinks``."""
        self.id: str = record.id
        self.kind: Kind = record.kind
        self.key = f"{self.kind.folder}/{self.id}"
        self.heading_key = f"{self.key}:heading"
        """What a page reads when it shows only the item's title, date or summary."""
        self._heading: tuple[str, Any, Any] | None = None

    @property
    def item(self) -> Any:
        if Reads.active is not None:
            Reads.active.add(self.key)
        return self.record.item

    @property
    def backlinks(self) -> list[Backlink]:
        if Reads.active is not None:
            Reads.active.add(f"{self.key}#links")
        return self.links

    # A model's fields are in its __dict__: asking it for one its kind lacks raises and
    # catches an AttributeError in pydantic's __getattr__, at tens of thousands of links.

    def _heading_of(self) -> tuple[str, Any, Any]:
        """Title, date and summary, read from the item once: pages link to an item thousands
        of times, and a node is made anew whenever its item changes (see reresolve)."""
        fields = self.record.item.__dict__
        title = next((str(fields[n]) for n in _TITLE_FIELDS if fields.get(n)), self.id)
        self._heading = found = (title, fields.get("date"), fields.get("summary"))
        return found

    @property
    def date(self) -> Any:
        """The item's date, if its kind has one: part of its heading, like its title."""
        if Reads.active is not None:
            Reads.active.add(self.heading_key)
        return (self._heading or self._heading_of())[1]

    @property
    def summary(self) -> Any:
        """The item's summary, if its kind has one: part of its heading, like its title."""
        if Reads.active is not None:
            Reads.active.add(self.heading_key)
        return (self._heading or self._heading_of())[2]

    @property
    def title(self) -> str:
        """The item's title (or name, term, statement): what a link to it shows."""
        if Reads.active is not None:
            Reads.active.add(self.heading_key)
        return (self._heading or self._heading_of())[0]

    def __repr__(self) -> str:
        return f"Node({self.kind.folder}/{self.id})"


@dataclass
class Index:
    """Every item, reachable by kind and id, with its backlinks computed."""

    content: Content
    nodes: dict[str, dict[str, Node]]
    segment_ids: dict[str, list[str]]
    citations: dict[str, list[Any]] = field(default_factory=dict)
    """Each insight's citations (generator.link.citations.Citation), in order; set by resolve()."""
    cited: tuple[Any, dict[tuple[str, int | None], list[Node]]] | None = field(
        default=None, repr=False, compare=False
    )
    """Which insights cite each fact, story and story segment, and the ``citations`` it was
    worked out from: see generator.link.citations.cited_by."""

    def get(self, folder: str, item_id: str) -> Node:
        return self.nodes[folder][item_id]

    def all(self, folder: str) -> list[Node]:
        Reads.note(f"{folder}/*")
        return [self.nodes[folder][key] for key in sorted(self.nodes[folder])]

    def anchor(self, story_id: str, segment: int) -> str:
        return self.segment_ids[story_id][segment]


# Kinds shown together on one page, each item at its own anchor.
SHARED_PAGES = {"events": "timeline.md", "glossary": "glossary.md"}


def page_of(folder: str, item_id: str) -> str:
    """The Markdown page of an item, relative to the site's root."""
    return SHARED_PAGES.get(folder) or f"{folder}/{item_id}.md"


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
        story_id: _segment_ids(node.record, diagnostics)
        for story_id, node in nodes["stories"].items()
    }
    records: list[Record] = [n.record for kind in KINDS for n in nodes[kind.folder].values()]
    if content.site is not None:
        records.insert(0, content.site)
    for record in records:
        source = nodes[record.kind.folder][record.id] if record.kind.folder else None
        anchors = segment_ids.get(record.id, ()) if record.kind.folder == "stories" else ()
        for path, folder, target, speaker in record_references(record):
            found = nodes[folder].get(target)
            if found is None:
                if target not in content.invalid.get(folder, ()):  # else its own errors say why
                    diagnostics.append(_unknown(record, path, folder, target, nodes))
            elif backlinks and source is not None and found is not source:
                found.links.append(Backlink(source, path, speaker, anchors))
        if record.kind.folder == "facts":
            _check_fact_segment(record, segment_ids, diagnostics)
    check_internal_links(nodes, records, diagnostics)
    _check_hierarchies(nodes, diagnostics)
    sources = _provenance_sources(nodes, segment_ids)
    for record in records:
        if record.kind.folder in _DATED:
            provenance.check_record(record, outline_of(record), sources, diagnostics)
    index = Index(content, nodes, segment_ids)
    from generator.link.citations import resolve_citations  # it builds on this module

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
    from generator.pages.field_reference import (
        PAGE as REFERENCE_PAGE,  # it builds on the models only
    )

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


def _in_circle(nodes: dict[str, Node], item_id: str) -> bool:
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


def _provenance_sources(
    nodes: dict[str, dict[str, Node]], segment_ids: dict[str, list[str]]
) -> provenance.Sources:
    def outline(folder: str, item_id: str) -> Outline | None:
        node = nodes[folder].get(item_id)
        return None if node is None else outline_of(node.record)

    return provenance.Sources(outline, segment_ids)


def _provenance_affected(
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


def _speaker(item: Any, path: PathKey) -> str | None:
    if not isinstance(item, Story) or len(path) < 2 or path[0] != "segments":
        return None
    segment = item.segments[path[1]]  # type: ignore[index]
    return segment.soundbite.speaker if segment.soundbite else None


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


def _segment_ids(record: Record, diagnostics: list[Diagnostic]) -> list[str]:
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


def _check_fact_segment(
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


@dataclass(frozen=True)
class Outline:
    """What resolve needs of a record: small, and kept in the cache beside the item, so
    checking references does not need the item itself."""

    refs: tuple[tuple[PathKey, str, str, str | None], ...]
    """Every (path, folder, id, speaker) reference; ``speaker`` is who speaks in the story
    segment the reference sits in, if anyone."""
    anchors: tuple[str, ...] = ()
    """A story's segment anchors, as written or numbered."""
    source: tuple[str, str | None] | None = None
    """A fact's source story and segment."""
    links: tuple[tuple[PathKey, str, bool], ...] = ()
    """Relative URLs in its Markdown fields, as rendered: (field path, URL, whether followed
    rather than fetched), from generator.read.links.internal_links."""
    quotes: tuple[str, ...] = ()
    """A fact's quote spans, whitespace flattened (generator.link.provenance)."""
    dates: tuple[Any, ...] = ()
    """The dates a source should state (generator.link.provenance.Dated)."""
    passages: tuple[str, ...] = ()
    """A story's segments' text, whitespace flattened, in order: what quotes and dates are
    checked against."""
    figure: str = ""
    """How a fact's figure may be printed, one form a line: one must be in its quote."""


def outline_of(record: Record) -> Outline:
    """The record's outline, worked out once per record (a cached record brings its own)."""
    if record.outline is None:
        item = record.item
        refs = tuple((*ref, _speaker(item, ref[0])) for ref in references(item))
        anchors: tuple[str, ...] = ()
        source = None
        if isinstance(item, Story):
            anchors = tuple(s.id or f"segment-{n + 1}" for n, s in enumerate(item.segments))
        elif isinstance(item, Fact):
            source = (item.source.story, item.source.segment)
        quotes, figure, dates, passages = provenance.outline_parts(item)
        record.outline = Outline(
            refs,
            anchors,
            source,
            links=internal_links(item),
            quotes=quotes,
            dates=dates,
            passages=passages,
            figure=figure,
        )
    return record.outline


def record_references(record: Record) -> tuple[tuple[PathKey, str, str, str | None], ...]:
    """Every (path, folder, id, speaker) reference of a record (see Outline.refs)."""
    return outline_of(record).refs


def references(item: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, str, str]]:
    """Every (path, folder, id) reference inside a model, in field order."""
    for name, folder, nested in _reference_fields(type(item)):
        value = getattr(item, name)
        if value is None:
            continue
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, element in values:
            where = (*path, name) if index is None else (*path, name, index)
            if folder is not None:
                yield where, folder, element
            elif nested and isinstance(element, BaseModel):
                yield from references(element, where)


_FIELDS_CACHE: dict[type[BaseModel], list[tuple[str, str | None, bool]]] = {}


def _reference_fields(model: type[BaseModel]) -> list[tuple[str, str | None, bool]]:
    """(field, folder it refers to or None, has nested models) for each relevant field."""
    if model not in _FIELDS_CACHE:
        found = []
        hints = typing.get_type_hints(model, include_extras=True)
        for name in model.model_fields:
            folder = referenced_folder(hints[name])
            nested = _has_model(hints[name])
            if folder or nested:
                found.append((name, folder, nested))
        _FIELDS_CACHE[model] = found
    return _FIELDS_CACHE[model]


def _has_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_has_model(arg) for arg in typing.get_args(annotation))


def backlinks_by(node: Node, folder: str, *fields: str) -> list[Backlink]:
    """Backlinks from items of ``folder`` whose last field is one of ``fields`` (any if none)."""
    return [b for b in node.backlinks if b.folder == folder and (not fields or b.field in fields)]


def group_by_source(links: list[Backlink]) -> dict[Node, list[Backlink]]:
    grouped: dict[Node, list[Backlink]] = defaultdict(list)
    for link in links:
        grouped[link.source].append(link)
    return dict(grouped)


__all__ = [
    "Backlink",
    "Index",
    "Node",
    "Reads",
    "Segment",
    "backlinks_by",
    "group_by_source",
    "page_of",
    "Outline",
    "outline_of",
    "record_references",
    "references",
    "resolve",
    "Reresolved",
    "is_citation",
    "reresolve",
    "shown_links",
]


def is_citation(link: Backlink) -> bool:
    """Whether the backlink is an insight's citation (see generator.link.citations)."""
    return link.path == ("body",) and link.folder == "insights"


_KIND_ORDER = {kind.folder: number for number, kind in enumerate(KINDS)}


def _reference_order(link: Backlink) -> tuple[int, str]:
    """Where resolve() puts a reference's backlink: by its source's kind, then id."""
    return (_KIND_ORDER[link.folder], link.source.id)


def _citation_order(link: Backlink) -> str:
    return link.source.id


def shown_links(links: list[Backlink]) -> list[tuple[object, ...]]:
    """Backlinks as pages show them: source, place, speaker, segment anchor."""
    return [(link.source.key, link.path, link.speaker, link.anchor) for link in links]


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
                segment_ids[item_id] = _segment_ids(now.record, problems)
    for folder in {c[0] for c in changes if c[2] is None}:  # ids in order, as resolve() has them
        nodes[folder] = dict(sorted(nodes[folder].items()))
    for folder, item_id, _, now in changes:
        if now is not None and folder in HIERARCHIES and _in_circle(nodes[folder], item_id):
            return None  # resolve() reports it
    changed = {f"{folder}/{item_id}" for folder, item_id, _, _ in changes}
    affected: set[tuple[str, str]] = set()
    """Items whose backlinks are worked out again."""
    added: dict[tuple[str, str], list[Backlink]] = defaultdict(list)
    for _, folder, target, _ in record_references(content.site):
        if target not in nodes[folder]:
            return None
    recite: dict[str, Node] = {}
    """Insights whose citations are resolved again, by id."""
    for folder, item_id, was, now in changes:
        if was is not None:
            affected.update((f, t) for _, f, t, _ in record_references(was.record))
            if now is None and any(link.source.key not in changed for link in was.links):
                return None  # an item that went is still referred to, or cited: an error
        if now is not None:
            anchors = segment_ids[item_id] if folder == "stories" else ()
            for path, target_folder, target, speaker in record_references(now.record):
                found = nodes[target_folder].get(target)
                if found is None:
                    return None
                affected.add((target_folder, target))
                if found is not now:
                    added[(target_folder, target)].append(Backlink(now, path, speaker, anchors))
            if folder == "facts":
                _check_fact_segment(now.record, segment_ids, problems)
            elif folder == "insights":
                recite[item_id] = now
        if folder == "stories" and was is not None and now is not None:
            for link in was.links:  # facts sourced from one of its segments
                if link.folder == "facts" and link.source.key not in changed:
                    _check_fact_segment(link.source.record, segment_ids, problems)
        if folder in ("facts", "stories"):  # [@id] cites the fact, else the story
            for target_node in (old.nodes["facts"].get(item_id), old.nodes["stories"].get(item_id)):
                for link in target_node.links if target_node is not None else ():
                    insight = nodes["insights"].get(link.source.id)
                    if is_citation(link) and insight is not None:
                        recite[insight.id] = insight
    sources = _provenance_sources(nodes, segment_ids)
    for record in _provenance_affected(changes, nodes):
        provenance.check_record(record, outline_of(record), sources, problems)
    index = Index(content, nodes, segment_ids)
    from generator.link.citations import insight_citations  # it builds on this module

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
                    bisect.bisect_right(new, _reference_order(link), key=_reference_order), link
                )
            for link in citing:
                rest.insert(bisect.bisect_right(rest, link.source.id, key=_citation_order), link)
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
