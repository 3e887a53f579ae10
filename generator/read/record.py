"""Records: a valid item with what it is and where it came from; a content folder of them."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.read.load import Document
from generator.read.model import Kind


class Record:
    """A valid item with what it is and where it came from.

    A record from the cache keeps its item pickled until something asks for it: checking
    references needs only the record's outline (generator.link.resolve.Outline), so a re-check
    after one edit does not rebuild tens of thousands of models.
    """

    __slots__ = ("_item", "_pickled", "document", "id", "kind", "outline")

    def __init__(
        self,
        kind: Kind,
        item_id: str,
        item: Any,
        document: Document,
        *,
        pickled: bytes | None = None,
        outline: Any = None,
    ) -> None:
        self.kind = kind
        self.id = item_id
        self.document = document
        self._item = item
        self._pickled = pickled
        self.outline = outline
        """What resolve needs of it, once worked out (generator.link.resolve.outline_of)."""

    @property
    def item(self) -> Any:
        if self._item is None and self._pickled is not None:
            self._item, self._pickled = pickle.loads(self._pickled), None
        return self._item

    def __repr__(self) -> str:
        return f"Record({self.kind.folder}/{self.id})"


@dataclass
class Content:
    """Everything read from a content folder: the site settings and the items by kind."""

    root: Path
    site: Record | None
    records: dict[str, dict[str, Record]]
    invalid: dict[str, set[str]] = field(default_factory=dict)
    """Ids, by folder, whose file exists but has errors: a reference to one is not an error too."""
    broken: dict[str, dict[str, tuple[Path, str]]] = field(default_factory=dict)
    """Files read but refused for their fields, by folder and id, with how diagnostics show
    them: their references are still checked (generator.link.resolve), so one run reports a
    file's field errors and its reference errors alike."""
    drafts: dict[str, dict[str, Record]] = field(default_factory=dict)
    """Drafts left out of a published build, by folder (generator.read.outline.published)."""
