"""Rebuilds for the live preview: an edit costs what it touches, not what the site holds.

``mkdocs serve`` keeps one plugin, and so one :class:`Session`, for as long as it runs. The
first build reads, resolves and renders everything, noting what each page read (see
generator.link.resolve.Reads). On each later build:

- only files saved since are read again (generator.read.cache.RecordMemory), the others known by
  one stat each;
- only what the changed items touch is resolved again (generator.link.resolve.reresolve): the
  index keeps the nodes of the others. Whenever that could miss an error (a file with errors,
  a reference to an item that went, a citation that no longer fits), or too many files
  changed, references are resolved over everything again, which finds every error;
- the items that changed, appeared or went, the items they refer to (their backlinks
  change) and their kinds (lists and counts) are *touched*; only the pages that read a
  touched item are rendered again, with the related stories worked out again when a
  story's people, organizations, topics or date changed;
- only the files whose bytes changed are written, so MkDocs' dirty build converts only them.

The result is the same as a whole render: tests compare the two after edits of every kind.
"""

from __future__ import annotations

import gc
from collections.abc import Collection
from pathlib import Path

from generator.diagnostics import ContentError, Diagnostic, has_errors
from generator.link.graph import Index, Node, shown_links
from generator.link.reresolve import Reresolved, reresolve
from generator.link.resolve import resolve
from generator.pages.render import Rendering
from generator.pages.shared import Output, story_keys
from generator.publish.write import write_changes, write_tree
from generator.read.cache import RecordCache, RecordMemory, gc_paused
from generator.read.model import KINDS
from generator.read.outline import record_references
from generator.read.validate import read_content, read_saved


class Session:
    """One content folder rendered into one folder of Markdown, rebuilt as it is edited."""

    def __init__(self, content_dir: Path, out_dir: Path, cache_dir: Path | None = None) -> None:
        self.content_dir = content_dir
        self.out_dir = out_dir
        self.cache_dir = cache_dir
        self.memory = RecordMemory()
        self.index: Index | None = None
        self.rendering: Rendering | None = None
        self.rendered = 0
        """Pages (jobs) rendered by the last build."""
        self.read_whole = True
        """Whether the last build read the whole folder (else only the files said saved)."""
        self._good = False
        """Whether the last build succeeded: what it read is the content ``index`` holds."""

    def build(self, saved: Collection[Path] | None = None) -> tuple[Output, list[str]]:
        """Check and render the content; write what changed. Raises ContentError on errors,
        and then keeps the last good build to start from next time.

        ``saved``: every file created, changed or deleted in the content folder since the
        last build began reading it, from a caller that knows (a file watcher). Only those
        are read again, if they are known files saved again; else, or with None, each file
        is checked as usual.
        """
        diagnostics: list[Diagnostic] = []
        good, self._good = self._good, False
        # The content is kept for the next rebuild: frozen out of the collector's sight. The
        # rendering after it runs with the collector on, for the cycles templates leave.
        with gc_paused(freeze=True):
            # The disk cache only speeds up the first read; after it, memory knows more.
            cache_dir = self.cache_dir if self.index is None else None
            cache = RecordCache(self.content_dir, cache_dir, memory=self.memory)
            content = None
            if saved is not None and good and self.index is not None:
                content = read_saved(self.index.content, saved, cache)
            self.read_whole = content is None
            if content is None:
                content = read_content(self.content_dir, diagnostics, cache)
            update = None
            if self.index is not None and not has_errors(diagnostics):
                update = reresolve(self.index, content)
            if update is not None:
                index = update.index
            else:
                index = resolve(content, diagnostics)
            if has_errors(diagnostics):
                _unlink(index)  # it will be frozen with the rest: it must free itself
                raise ContentError(sorted(diagnostics))
        if self.index is None or self.rendering is None:
            rendering = Rendering(index, track=True)
            self.rendered = rendering.rerun
            changed = write_tree(rendering.output.files, self.out_dir)
        else:
            touched, related = _touched_by(update) if update else _touched(self.index, index)
            if "site" in touched:  # the title, address, key figures: on every page
                rendering = Rendering(index, track=True)
            else:
                rendering = self.rendering.update(index, touched, related)
            self.rendered = rendering.rerun
            changed = write_changes(
                self.rendering.output.files, rendering.output.files, self.out_dir
            )
        if update is not None:  # the nodes it kept are the new index's
            for node in update.replaced:
                node.links = []
        elif self.index is not None:
            _unlink(self.index)
        self.index, self.rendering = index, rendering
        # Templates leave cycles that hold pages' items; collected now, they are not frozen
        # with the next build's content (and what they hold kept for good). After a whole
        # render some have aged into the oldest generation; after a partial one, none.
        gc.collect() if self.rendered == len(rendering.reads) else gc.collect(1)
        self._good = True
        return rendering.output, changed


def _unlink(index: Index) -> None:
    """Break the old index's cycles (node → backlink → node), so it is freed as soon as the
    session lets go of it, though the cycle collector no longer looks at it."""
    for nodes in index.nodes.values():
        for node in nodes.values():
            node.links = []
    index.citations = {}


def _touched(old: Index, new: Index) -> tuple[set[str], bool]:
    """Keys of what an edit can have changed on a page, and whether related stories can have."""
    touched: set[str] = set()
    targets: set[tuple[str, str]] = set()
    related = False
    if old.content.site is not new.content.site:
        touched.add("site")
    for kind in KINDS:
        folder = kind.folder
        before, after = old.nodes[folder], new.nodes[folder]
        for item_id in before.keys() | after.keys():
            was, now = before.get(item_id), after.get(item_id)
            if was is not None and now is not None and was.record is now.record:
                continue  # the very record: its file was not saved since
            related = _touch(folder, item_id, was, now, touched) or related
            for node, index in ((was, old), (now, new)):
                if node is not None:
                    targets.update(_targets(node, index))
    for folder, item_id in targets:
        if _links(old, folder, item_id) != _links(new, folder, item_id):
            touched.add(f"{folder}/{item_id}#links")
    return touched, related


def _touched_by(update: Reresolved) -> tuple[set[str], bool]:
    """_touched, for an index re-resolved from the one before: it knows what changed."""
    touched = {f"{key}#links" for key in update.relinked}
    related = False
    for folder, item_id, was, now in update.changes:
        related = _touch(folder, item_id, was, now, touched) or related
    return touched, related


def _touch(
    folder: str, item_id: str, was: Node | None, now: Node | None, touched: set[str]
) -> bool:
    """Add the keys a change to one item touches; whether related stories can have changed."""
    touched.add(f"{folder}/{item_id}")
    if was is None or now is None:  # lists that show only how many, or in id order
        touched.add(f"{folder}/+")
    if was is None or now is None or _date(was) != _date(now):  # lists by date
        touched.add(f"{folder}/~")
    # Every term's definition is a tooltip on many pages, which note "glossary/*".
    if folder == "glossary" or _heading(was) != _heading(now):
        touched.update((f"{folder}/{item_id}:heading", f"{folder}/*"))
    return folder == "stories" and _story_signature(was) != _story_signature(now)


def _date(node: Node) -> object:
    return getattr(node.record.item, "date", None)


def _heading(node: Node | None) -> object:
    if node is None:
        return None
    item = node.record.item
    return (node.title, getattr(item, "date", None), getattr(item, "summary", None))


def _targets(node: Node, index: Index) -> set[tuple[str, str]]:
    """What the item refers to: each of those lists it among its backlinks."""
    found = {(folder, target) for _, folder, target, _ in record_references(node.record)}
    found.update((c.target.kind.folder, c.target.id) for c in index.citations.get(node.id, []))
    return found


def _links(index: Index, folder: str, item_id: str) -> list[tuple[object, ...]]:
    """An item's backlinks as pages show them: source, place, speaker, segment anchor."""
    node = index.nodes[folder].get(item_id)
    return [] if node is None else shown_links(node.links)


def _story_signature(node: Node | None) -> object:
    if node is None:
        return None
    story = node.record.item
    return (story.date.sort_key(), story_keys(story))
