"""Validate: loaded documents → typed items, every problem located in its file."""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from generator.diagnostics import Diagnostic, Location, Severity, display_path
from generator.read.content_files import (
    SITE_FOLDER_HINT,
    content_files,
    display_of,
    is_regular,
    mode_of,
    suggest_id,
)
from generator.read.links import check_links
from generator.read.load import load_file, refusal
from generator.read.model import KIND_BY_FOLDER, KINDS, SITE, Kind
from generator.read.model.types import check_id, describe
from generator.read.placeholders import placeholders
from generator.read.record import Content, Record
from generator.read.strict_yaml import LoadError
from generator.read.validation_errors import validation_diagnostics

RESERVED_IDS = frozenset({"index"})
"""Ids whose page would collide with a page the generator makes for the kind itself."""


class Reader(Protocol):
    """How read_content reads one file into a record: read_file itself (DIRECT), or something
    wrapped around it from outside, like the record cache (generator.read.cache)."""

    @property
    def remembers(self) -> bool:
        """Whether it knows the records of an earlier read (what read_saved builds on)."""

    def read(
        self, path: Path, display: str, kind: Kind, item_id: str, diagnostics: list[Diagnostic]
    ) -> Record | None:
        """read_file, or what stands for it."""

    def recall(self, display: str, os_path: str) -> Record | None:
        """The record of a file known unchanged since an earlier read, without reading it."""

    def done(self, *, partial: bool = False) -> None:
        """The read is over (``partial``: it read only the files known to be saved since)."""


class _Direct:
    """Every file read with read_file, nothing remembered."""

    remembers = False

    def read(
        self, path: Path, display: str, kind: Kind, item_id: str, diagnostics: list[Diagnostic]
    ) -> Record | None:
        return read_file(path, display, kind, item_id, diagnostics)

    def recall(self, display: str, os_path: str) -> Record | None:
        return None

    def done(self, *, partial: bool = False) -> None:
        pass


DIRECT: Reader = _Direct()


def read_content(root: Path, diagnostics: list[Diagnostic], reader: Reader = DIRECT) -> Content:
    """Load and validate every file under ``root``; append problems to ``diagnostics``.

    Each file is read through ``reader``: with a cache, a file whose bytes were read before
    without any problem is not read again.
    """
    records: dict[str, dict[str, Record]] = {kind.folder: {} for kind in KINDS}
    invalid: dict[str, set[str]] = {}
    broken: dict[str, dict[str, tuple[Path, str]]] = {}
    site: Record | None = None
    site_path = root / "site.yaml"
    site_mode = mode_of(site_path)
    if site_mode is not None and stat.S_ISREG(site_mode):
        site = reader.read(site_path, display_of(site_path), SITE, "site", diagnostics)
    elif site_mode is not None and root.is_dir():
        diagnostics.append(refusal(display_path(site_path), site_mode, SITE_FOLDER_HINT))
    else:
        diagnostics.append(
            Diagnostic(
                Location(display_path(site_path)),
                Severity.ERROR,
                "content/site.yaml is missing",
                "create it with the site's title, description, base_url and introduction",
            )
        )
    remembers = reader.remembers
    for folder, name, kind in content_files(root, diagnostics, invalid):
        if remembers:  # a rebuild: most files were not saved since, and are known
            known = reader.recall(folder.display + name, folder.os_path + name)
            if known is not None:  # its name was checked when it was first read
                records[kind.folder][name[:-5]] = known
                continue
        path = folder.path / name
        item_id = path.stem
        problem = check_id(item_id)
        if problem:
            # References to the id it was meant to have are not errors too: this one says why.
            invalid.setdefault(kind.folder, set()).add(suggest_id(item_id))
            diagnostics.append(
                Diagnostic(
                    Location(display_path(path)),
                    Severity.ERROR,
                    f"file name '{path.name}' is not a valid id: {problem}",
                    f"rename it, e.g. to '{suggest_id(item_id)}.yaml'",
                )
            )
            continue
        if item_id in RESERVED_IDS:  # its page would overwrite the kind's list page
            invalid.setdefault(kind.folder, set()).add(item_id)
            diagnostics.append(
                Diagnostic(
                    Location(display_path(path)),
                    Severity.ERROR,
                    f"'{item_id}' cannot be an id: {kind.folder}/{item_id}.md is the list of all "
                    f"{kind.title.lower()}",
                    f"rename the file, e.g. to '{kind.folder}-{item_id}.yaml'",
                )
            )
            continue
        record = reader.read(path, folder.display + name, kind, item_id, diagnostics)
        if record is not None:
            records[kind.folder][item_id] = record
        else:
            invalid.setdefault(kind.folder, set()).add(item_id)
            broken.setdefault(kind.folder, {})[item_id] = (path, folder.display + name)
    reader.done()
    return Content(root, site, records, invalid, broken)


def read_saved(previous: Content, saved: Collection[Path], reader: Reader) -> Content | None:
    """``previous``, the content as last read, with only the files in ``saved`` read again:
    for a caller that knows every file saved since (a file watcher). None unless each is a
    file ``previous`` holds, saved again and read without a word (or a file that came and
    went, like an editor's temporary file): a new file, a deleted one, any diagnostic is left
    to read_content, which reads the whole folder and reports every problem as ever.
    """
    if not reader.remembers or previous.invalid or previous.site is None:
        return None
    root = previous.root
    site_path = root / "site.yaml"
    site = previous.site
    records = dict(previous.records)
    found: list[Diagnostic] = []
    for path in saved:
        record: Record | None = None
        if path == site_path:
            if not is_regular(path):
                return None
            record = reader.read(path, display_of(path), SITE, "site", found)
            site = record or site
        else:
            kind = KIND_BY_FOLDER.get(path.parent.name) if path.parent.parent == root else None
            item_id = path.name.removesuffix(".yaml")
            if kind is None or item_id not in records[kind.folder]:
                if os.path.lexists(path):
                    return None  # a new file
                continue  # it came and went
            if not is_regular(path):
                return None  # deleted, or no longer a regular file: read_content says so
            record = reader.read(path, display_of(path), kind, item_id, found)
            if record is not None:
                if records[kind.folder] is previous.records[kind.folder]:
                    records[kind.folder] = dict(records[kind.folder])
                records[kind.folder][item_id] = record
        if record is None or found:
            return None
    reader.done(partial=True)
    return Content(root, site, records)


def read_file(
    path: Path, display: str, kind: Kind, item_id: str, diagnostics: list[Diagnostic]
) -> Record | None:
    """Load and validate one file, shown in diagnostics as ``display``: what a Reader wraps."""
    try:
        document = load_file(path, display)
    except LoadError as exc:
        diagnostics.extend(exc.diagnostics)
        return None
    except OSError as exc:
        diagnostics.append(
            Diagnostic(
                Location(display_path(path)), Severity.ERROR, f"cannot read file: {exc.strerror}"
            )
        )
        return None
    if not isinstance(document.data, dict):
        diagnostics.append(
            Diagnostic(
                document.locate(()),
                Severity.ERROR,
                f"expected the fields of a {kind.name}, received {describe(document.data)}",
                "write one 'field: value' per line",
            )
        )
        return None
    try:
        item = kind.model.model_validate(document.data)
    except ValidationError as exc:
        diagnostics.extend(validation_diagnostics(exc, kind.model, document))
        return None
    diagnostics.extend(check_links(item, document))  # javascript: and data: links are refused
    diagnostics.extend(placeholders(item, document, kind.name))  # TODO outside a draft
    document.data = None  # the item holds it now: a tenth of the content's memory, let go
    return Record(kind, item_id, item, document)
