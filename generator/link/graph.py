"""The link graph: every item as a node with its page, the index of them by kind, and the backlinks
between them; what linking builds and making pages reads."""

from __future__ import annotations

import contextlib
import functools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.read.model import KINDS, Kind
from generator.read.record import Content, Record

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
REFERENCE_PAGE = "editors/reference.md"
"""The editors' field reference (generator.pages.field_reference)."""


def page_of(folder: str, item_id: str) -> str:
    """The Markdown page of an item, relative to the site's root."""
    return SHARED_PAGES.get(folder) or f"{folder}/{item_id}.md"


def backlinks_by(node: Node, folder: str, *fields: str) -> list[Backlink]:
    """Backlinks from items of ``folder`` whose last field is one of ``fields`` (any if none)."""
    return [b for b in node.backlinks if b.folder == folder and (not fields or b.field in fields)]


def group_by_source(links: list[Backlink]) -> dict[Node, list[Backlink]]:
    grouped: dict[Node, list[Backlink]] = defaultdict(list)
    for link in links:
        grouped[link.source].append(link)
    return dict(grouped)


def is_citation(link: Backlink) -> bool:
    """Whether the backlink is an insight's citation (see generator.link.citations)."""
    return link.path == ("body",) and link.folder == "insights"


_KIND_ORDER = {kind.folder: number for number, kind in enumerate(KINDS)}


def reference_order(link: Backlink) -> tuple[int, str]:
    """Where resolve() puts a reference's backlink: by its source's kind, then id."""
    return (_KIND_ORDER[link.folder], link.source.id)


def citation_order(link: Backlink) -> str:
    return link.source.id


def shown_links(links: list[Backlink]) -> list[tuple[object, ...]]:
    """Backlinks as pages show them: source, place, speaker, segment anchor."""
    return [(link.source.key, link.path, link.speaker, link.anchor) for link in links]
