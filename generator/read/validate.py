"""Validate: loaded documents → typed items, every problem located in its file."""

from __future__ import annotations

import bisect
import difflib
import os
import re
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic, Location, Severity, did_you_mean, display_path
from generator.read.links import check_links
from generator.read.load import Document, load_file, refusal
from generator.read.model import KIND_BY_FOLDER, KINDS, SITE, Kind
from generator.read.model.types import character_problem, check_id, describe
from generator.read.record import Content, Record
from generator.read.strict_yaml import LoadError

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
    site: Record | None = None
    site_path = root / "site.yaml"
    site_mode = _mode(site_path)
    if site_mode is not None and stat.S_ISREG(site_mode):
        site = reader.read(site_path, _display(site_path), SITE, "site", diagnostics)
    elif site_mode is not None and root.is_dir():
        diagnostics.append(refusal(display_path(site_path), site_mode, _SITE_FOLDER_HINT))
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
    for folder, name, kind in _content_files(root, diagnostics, invalid):
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
            invalid.setdefault(kind.folder, set()).add(_suggest_id(item_id))
            diagnostics.append(
                Diagnostic(
                    Location(display_path(path)),
                    Severity.ERROR,
                    f"file name '{path.name}' is not a valid id: {problem}",
                    f"rename it, e.g. to '{_suggest_id(item_id)}.yaml'",
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
    reader.done()
    return Content(root, site, records, invalid)


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
            if not _regular(path):
                return None
            record = reader.read(path, _display(path), SITE, "site", found)
            site = record or site
        else:
            kind = KIND_BY_FOLDER.get(path.parent.name) if path.parent.parent == root else None
            item_id = path.name.removesuffix(".yaml")
            if kind is None or item_id not in records[kind.folder]:
                if os.path.lexists(path):
                    return None  # a new file
                continue  # it came and went
            if not _regular(path):
                return None  # deleted, or no longer a regular file: read_content says so
            record = reader.read(path, _display(path), kind, item_id, found)
            if record is not None:
                if records[kind.folder] is previous.records[kind.folder]:
                    records[kind.folder] = dict(records[kind.folder])
                records[kind.folder][item_id] = record
        if record is None or found:
            return None
    reader.done(partial=True)
    return Content(root, site, records)


@dataclass(frozen=True)
class _Folder:
    """A kind's folder, with what each of its files' paths starts with: worked out once, not
    per file (at 40 000 files, making a Path for each costs a tenth of a second)."""

    path: Path
    display: str
    """How diagnostics show the folder, ending with '/' (empty for the working directory)."""
    os_path: str
    """The folder's path as the system takes it, ending with a separator."""

    @classmethod
    def of(cls, path: Path) -> _Folder:
        shown = display_path(path)
        return cls(path, "" if shown == "." else f"{shown.rstrip('/')}/", os.path.join(path, ""))


def _content_files(
    root: Path, diagnostics: list[Diagnostic], invalid: dict[str, set[str]]
) -> Iterable[tuple[_Folder, str, Kind]]:
    """Each content file of a kind's folder: the folder, the file's name and the kind.

    Only regular files in real folders: a symbolic link (to a file or a folder, inside the
    content folder or out of it, or to nothing), a pipe, a socket or a device is an error
    and is never opened, so nothing outside ``root`` is ever read. ``root`` itself is what
    the site owner chose (--content), and is taken as it is, link or not.

    The ids that a refused entry would have given are added to ``invalid`` (every id of a
    kind, for a kind's folder that is refused): references to them are not reported as
    unknown too, since the entry's own error says why.
    """
    if not root.is_dir():
        diagnostics.append(
            Diagnostic(
                Location(display_path(root)),
                Severity.ERROR,
                "content folder does not exist",
                "pass --content DIR, or run from the project's root",
            )
        )
        return
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=_entry_name)
    except OSError as exc:
        diagnostics.append(
            Diagnostic(
                Location(display_path(root)),
                Severity.ERROR,
                f"cannot read the content folder: {exc.strerror}",
                "check the folder's permissions",
            )
        )
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "site.yaml":
            continue
        kind = KIND_BY_FOLDER.get(entry.name)
        if not entry.is_dir(follow_symlinks=False):
            if kind is not None:
                invalid[kind.folder] = EVERY_ID
            mode = _mode(root / entry.name)
            if mode is None:  # gone since the listing
                continue
            if not stat.S_ISREG(mode):
                problem = refusal(display_path(root / entry.name), mode)
            else:
                problem = Diagnostic(
                    Location(display_path(root / entry.name)),
                    Severity.ERROR,
                    f"'{entry.name}' does not belong at the top of the content folder"
                    if kind is None
                    else f"'{entry.name}' is a file, not a folder",
                    f"put items in a kind's folder ({', '.join(sorted(KIND_BY_FOLDER))})"
                    if kind is None
                    else f"items go in the folder {entry.name}/, one .yaml file each",
                )
            diagnostics.append(problem)
            continue
        path = root / entry.name
        if kind is None:
            diagnostics.append(
                Diagnostic(
                    Location(display_path(path)),
                    Severity.ERROR,
                    f"unknown folder '{entry.name}'",
                    did_you_mean(entry.name, KIND_BY_FOLDER)
                    or f"content folders are: {', '.join(sorted(KIND_BY_FOLDER))}",
                )
            )
            continue
        try:
            with os.scandir(path) as scan:  # names and types, no stat: 40 000 files
                types = {e.name: _entry_type(e) for e in scan}
        except OSError as exc:
            invalid[kind.folder] = EVERY_ID
            diagnostics.append(
                Diagnostic(
                    Location(display_path(path)),
                    Severity.ERROR,
                    f"cannot read folder: {exc.strerror}",
                    "check the folder's permissions",
                )
            )
            continue
        names = sorted(types)
        duplicates = _duplicates_in(path, [n for n in names if types[n] is _FILE])
        folder = _Folder.of(path)
        for name in names:
            if name.startswith("."):
                continue
            what = types[name]
            if what is _FILE and name.endswith(".yaml") and name not in duplicates:
                yield folder, name, kind
                continue
            entry_path = path / name
            if name in duplicates:
                diagnostics.append(
                    Diagnostic(
                        Location(display_path(entry_path)),
                        Severity.ERROR,
                        f"duplicate {kind.name} id '{name.rsplit('.', 1)[0].lower()}': "
                        f"{duplicates[name]} already defines it",
                        f"one item a file: merge the two and delete {name}",
                    )
                )
                continue
            invalid.setdefault(kind.folder, set()).add(_would_be_id(name))
            if what is _FILE:
                diagnostics.append(
                    Diagnostic(
                        Location(display_path(entry_path)),
                        Severity.ERROR,
                        f"'{name}' is not a .yaml file",
                        "content files end in .yaml"
                        + (
                            f": rename it to '{_would_be_id(name)}.yaml'"
                            if entry_path.suffix.lower() in _YAML_SUFFIXES
                            else ""
                        ),
                    )
                )
                continue
            mode = _mode(entry_path) if what is _OTHER else _MODES[what]
            if mode is None:  # gone since the listing
                continue
            yaml_name = Path(name).suffix.lower() in _YAML_SUFFIXES
            diagnostics.append(
                refusal(
                    display_path(entry_path),
                    mode,
                    f"an item is one file, {kind.folder}/{_would_be_id(name)}.yaml: move what the "
                    "folder holds out of it, and remove the folder"
                    if yaml_name
                    else f"{kind.folder}/ holds only .yaml files, one an item; folders in it "
                    "are not read",
                )
            )


class _EveryId(frozenset[str]):
    """Every id: what ``Content.invalid`` holds for a kind whose folder could not be read."""

    def __contains__(self, item: object) -> bool:
        return True


EVERY_ID: Any = _EveryId()

_FILE, _FOLDER, _LINK, _OTHER = "file", "folder", "link", "other"
_MODES = {_FOLDER: stat.S_IFDIR, _LINK: stat.S_IFLNK}
_YAML_SUFFIXES = (".yaml", ".yml")
_SITE_FOLDER_HINT = (
    "site.yaml is a file with the site's title, description, base_url and introduction: "
    "move what the folder holds out of it, and remove the folder"
)


def _entry_name(entry: os.DirEntry[str]) -> str:
    """Sort key for the entries of one folder: by name, without comparing the entries."""
    return entry.name


def _entry_type(entry: os.DirEntry[str]) -> str:
    """What a folder's entry is, from the listing alone (no stat on Linux), links not followed."""
    if entry.is_symlink():
        return _LINK
    if entry.is_file(follow_symlinks=False):
        return _FILE
    if entry.is_dir(follow_symlinks=False):
        return _FOLDER
    return _OTHER


def _mode(path: Path) -> int | None:
    """The mode of ``path`` itself (a link is not followed), or None if there is nothing."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def _regular(path: Path) -> bool:
    """Whether ``path`` is a regular file in a folder that is no link (for read_saved)."""
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode) and not os.path.islink(path.parent)


def _would_be_id(name: str) -> str:
    """The id a misnamed entry of a kind's folder was probably meant to give."""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return _suggest_id(stem)


_LISTINGS: dict[Path, tuple[list[str], dict[str, str]]] = {}


def _duplicates_in(folder: Path, names: list[str]) -> dict[str, str]:
    """_duplicates, remembered with the folder's last listing, which a rebuild mostly finds
    again: comparing the names is a tenth of the cost of looking at each."""
    last = _LISTINGS.get(folder)
    if last is not None and last[0] == names:
        return last[1]
    found = _duplicates(names)
    _LISTINGS[folder] = (names, found)
    return found


def _duplicates(names: list[str]) -> dict[str, str]:
    """Files that would give an id already taken in a folder, each with the file that keeps it.

    The file name is the id, so one folder cannot hold two items with the same id; but
    'chengdu.yml', 'Chengdu.yaml' or 'chengdu.YAML' beside 'chengdu.yaml' would be the same
    item on a case-insensitive disk or after a rename. The same id in two kinds' folders is
    fine: every reference names its kind. ``names`` are the folder's entries, sorted.
    """
    groups: dict[str, list[str]] = {}
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and suffix.lower() in ("yaml", "yml") and not name.startswith("."):
            groups.setdefault(stem.lower(), []).append(name)
    found: dict[str, str] = {}
    for stem, group in groups.items():
        if len(group) > 1:
            keeper = next((n for n in group if n == f"{stem}.yaml"), group[0])
            found.update({n: keeper for n in group if n != keeper})
    return found


def _suggest_id(stem: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"


_DISPLAY_DIRS: dict[tuple[Path, str], str] = {}


def _display(path: Path) -> str:
    """display_path(path), working out each folder's part once: at 40 000 files, computing it
    per file was a fifth of a warm check."""
    key = (path.parent, os.getcwd())
    folder = _DISPLAY_DIRS.get(key)
    if folder is None:
        folder = _DISPLAY_DIRS[key] = display_path(path.parent)
    return path.name if folder == "." else f"{folder.rstrip('/')}/{path.name}"


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
        diagnostics.extend(_diagnostics(exc, kind.model, document))
        return None
    diagnostics.extend(check_links(item, document))  # javascript: and data: links are refused
    document.data = None  # the item holds it now: a tenth of the content's memory, let go
    return Record(kind, item_id, item, document)


def _diagnostics(
    exc: ValidationError, model: type[BaseModel], document: Document
) -> list[Diagnostic]:
    errors = exc.errors(include_url=False, include_input=True)
    misspelt = _misspelt_required(errors, model)
    found: dict[tuple[Location, str], Diagnostic] = {}
    for error in errors:
        if error["type"] == "missing" and tuple(error["loc"]) in misspelt:
            continue  # the unknown field's "did you mean" already says it
        diagnostic = _diagnostic(error, model, document)
        found.setdefault((diagnostic.location, diagnostic.message), diagnostic)
    return list(found.values())


def _misspelt_required(errors: list[Any], model: type[BaseModel]) -> set[tuple[Any, ...]]:
    """Missing fields that an unknown field next to them is a misspelling of ('nmae' → 'name')."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    found = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] != "extra_forbidden":
            continue
        fields = _fields_at(model, loc[:-1], None)
        guess = difflib.get_close_matches(str(loc[-1]), sorted(fields), n=1, cutoff=0.6)
        if guess and (*loc[:-1], guess[0]) in missing:
            found.add((*loc[:-1], guess[0]))
    return found


def _diagnostic(error: Any, model: type[BaseModel], document: Document) -> Diagnostic:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = _value_at(document.data, loc)
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1], document.data)
        name = str(loc[-1])
        problem = character_problem(name, one_line=True)
        if problem is not None:  # a quoted key can hold anything: name what, never print it
            return _make(
                _locate_character(document, loc, name, problem.offset, at_key=True),
                f"a field name {problem.message}",
                problem.hint,
            )
        hint = did_you_mean(name, fields) or (
            f"allowed here: {', '.join(fields)}" if fields else "remove it"
        )
        return _make(document.locate(loc, at_key=True), f"unknown field '{name}'", hint)
    if kind == "missing":
        name = str(loc[-1])
        return _make(
            document.locate(loc[:-1], at_key=True),
            f"missing required field '{name}'",
            f"add '{name}:' ({_field_doc(model, loc)})",
        )
    if kind == "text_character":
        context = error["ctx"]
        field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "text")
        return _make(
            _locate_character(document, loc, value, context["offset"]),
            f"{field} {context['problem']}",
            context["hint"],
        )
    if kind == "hidden_digits":  # the fix is the figure's withheld: point there
        return _make(
            document.locate((*loc, "figure", "withheld")),
            str(error["msg"]),
            "set the figure's withheld to partly (some digits hidden) or fully (all hidden), "
            "and as_printed to the figure exactly as the source prints it",
        )
    if kind == "url":
        location = _locate_character(document, loc, value, error["ctx"].get("offset", -1))
    else:
        location = document.locate(loc)
    message = _message(error, value)
    return _make(location, message, _hint(kind, value) or _fallback_hint(error, model, loc))


def _locate_character(
    document: Document, loc: tuple[Any, ...], value: Any, offset: int, *, at_key: bool = False
) -> Location:
    """Where the character at ``offset`` of ``value`` (the value, or the key, at ``loc``)
    stands in the file, or where the value starts when that cannot be known for sure.

    The character is searched for in the file between the value's start and the next key or
    value: when it occurs there as often as in the value, it is written as itself, and the
    n-th in the value is the n-th in the file; fewer means some are escapes ("\u202e").
    """
    start = document.locate(loc, at_key=at_key)
    if offset < 0 or not isinstance(value, str) or offset >= len(value):
        return start
    char = value[offset]
    text = document.text
    starts = _line_starts(text)
    begin = starts[start.line - 1] + start.column - 1
    following = [
        starts[line - 1] + column - 1
        for table in (document.values, document.keys)
        for line, column in table.values()
        if line <= len(starts)
    ]
    end = min((at for at in following if at > begin), default=len(text))
    if text.count(char, begin, end) != value.count(char):
        return start
    position = begin - 1
    for _ in range(value.count(char, 0, offset) + 1):
        position = text.find(char, position + 1, end)
    line = bisect.bisect_right(starts, position)
    return Location(start.path, line, position - starts[line - 1] + 1)


# The line breaks YAML counts (YAML 1.1, as libyaml reads it): its marks' lines are these.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _BREAK.finditer(text))]


def _make(location: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(location, Severity.ERROR, message, hint)


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def _message(error: Any, value: Any) -> str:
    kind = error["type"]
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, received {describe(value)}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{value}' is not allowed here: expected one of {expected}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in ("int_from_float", "float_type") or kind.endswith("_type"):
        return f"{error['msg'].lower()}, received {describe(value)}"
    return str(error["msg"])


def _hint(kind: str, value: Any) -> str:
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return f'put the value in quotes to keep it as text: "{value}"'
    if kind == "string_type" and value is None:
        return "write the text after the colon, or remove the field"
    if kind == "list_type" and isinstance(value, str):
        if len(value) > 1 and value[0] == "-" and not value[1].isspace():
            return f"a list item needs a space after '-': write '- {value[1:].split()[0]}'"
        return f"write a list: [{value}]"
    if kind == "list_type" and isinstance(value, dict):
        dashed = [str(k) for k in value if len(str(k)) > 1 and str(k)[0] == "-"]
        if dashed:
            return f"a list item needs a space after '-': write '- {dashed[0][1:]}:'"
        return "start each entry of the list with '- ' on its own line"
    if kind == "bare_date_text":
        return "put the date in quotes to keep it as text"
    if kind == "invalid_id":
        return "ids are lowercase kebab-case, e.g. sichuan-footwear-association"
    if kind == "partial_date":
        return "dates keep the source's precision: a year, a year-month or a full date"
    if kind == "url":
        return (
            "a web address is http:// or https://, a host name, then a path without spaces, "
            "written on the field's line: e.g. https://example.org/page"
        )
    if kind == "not_finite":
        return "write the digits the source shows; if it withholds them, set withheld instead"
    return ""


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = _nested_model(field.annotation)
    return current


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...], data: Any) -> list[str]:
    target = _model_at(model, loc)
    return list(target.model_fields) if target else []


def _field_doc(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    target = _model_at(model, loc[:-1])
    if target is None:
        return "see the editors' guide"
    field = target.model_fields.get(str(loc[-1]))
    return (field.description or "see the editors' guide").rstrip(".") if field else ""


def _fallback_hint(error: Any, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """A hint for every diagnostic: the allowed values, or what the field is for."""
    if error["type"] == "literal_error":
        value = _value_at_error(error)
        allowed = [
            a.strip(" '")
            for a in str(error.get("ctx", {}).get("expected", "")).replace(" or ", ", ").split(",")
        ]
        return did_you_mean(str(value), allowed) or "write one of the values listed, without quotes"
    names = [part for part in loc if isinstance(part, str)]
    if (
        error["type"] != "value_error"
        and names
        and not isinstance(loc[-1], int)
        and _model_at(model, loc[:-1]) is not None
    ):
        doc = _field_doc(model, loc)
        if doc:
            return f"{names[-1]}: {doc}"
    return "the field reference in the editors' guide explains every field"


def _value_at_error(error: Any) -> Any:
    return error.get("input", "")
