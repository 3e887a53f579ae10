"""Validate: loaded documents → typed items, every problem located in its file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic, Location, Severity, did_you_mean, display_path
from generator.load import Document, LoadError, load_file
from generator.model import KIND_BY_FOLDER, KINDS, SITE, Kind
from generator.model.types import check_id, describe


@dataclass(frozen=True)
class Record:
    """A valid item with what it is and where it came from."""

    kind: Kind
    id: str
    item: Any
    document: Document


@dataclass
class Content:
    """Everything read from a content folder: the site settings and the items by kind."""

    root: Path
    site: Record | None
    records: dict[str, dict[str, Record]]


def read_content(root: Path, diagnostics: list[Diagnostic]) -> Content:
    """Load and validate every file under ``root``; append problems to ``diagnostics``."""
    records: dict[str, dict[str, Record]] = {kind.folder: {} for kind in KINDS}
    site: Record | None = None
    site_path = root / "site.yaml"
    if site_path.is_file():
        site = _read(site_path, SITE, "site", diagnostics)
    else:
        diagnostics.append(Diagnostic(Location(display_path(site_path)), Severity.ERROR,
            "content/site.yaml is missing", "create it with the site's title, description, "
            "base_url and introduction"))
    for path, kind in _content_files(root, diagnostics):
        item_id = path.stem
        problem = check_id(item_id)
        if problem:
            diagnostics.append(Diagnostic(Location(display_path(path)), Severity.ERROR,
                f"file name '{path.name}' is not a valid id: {problem}",
                f"rename it, e.g. to '{_suggest_id(item_id)}.yaml'"))
            continue
        record = _read(path, kind, item_id, diagnostics)
        if record is not None:
            records[kind.folder][item_id] = record
    return Content(root, site, records)


def _content_files(root: Path, diagnostics: list[Diagnostic]) -> Iterable[tuple[Path, Kind]]:
    if not root.is_dir():
        diagnostics.append(Diagnostic(Location(display_path(root)), Severity.ERROR,
            "content folder does not exist", "pass --content DIR, or run from the project's root"))
        return
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name == "site.yaml":
            continue
        if entry.is_dir():
            kind = KIND_BY_FOLDER.get(entry.name)
            if kind is None:
                diagnostics.append(Diagnostic(Location(display_path(entry)), Severity.ERROR,
                    f"unknown folder '{entry.name}'",
                    did_you_mean(entry.name, KIND_BY_FOLDER)
                    or f"content folders are: {', '.join(sorted(KIND_BY_FOLDER))}"))
                continue
            for path in sorted(entry.iterdir()):
                if path.name.startswith("."):
                    continue
                if path.suffix == ".yaml" and path.is_file():
                    yield path, kind
                else:
                    diagnostics.append(Diagnostic(Location(display_path(path)), Severity.ERROR,
                        f"'{path.name}' is not a .yaml file",
                        "content files end in .yaml" + (": rename it" if path.suffix == ".yml" else "")))
        else:
            diagnostics.append(Diagnostic(Location(display_path(entry)), Severity.ERROR,
                f"'{entry.name}' does not belong at the top of the content folder",
                f"put items in a kind's folder ({', '.join(sorted(KIND_BY_FOLDER))})"))


def _suggest_id(stem: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"


def _read(path: Path, kind: Kind, item_id: str, diagnostics: list[Diagnostic]) -> Record | None:
    try:
        document = load_file(path)
    except LoadError as exc:
        diagnostics.append(exc.diagnostic)
        return None
    except OSError as exc:
        diagnostics.append(Diagnostic(Location(display_path(path)), Severity.ERROR,
            f"cannot read file: {exc.strerror}"))
        return None
    if not isinstance(document.data, dict):
        diagnostics.append(Diagnostic(document.locate(()), Severity.ERROR,
            f"expected the fields of a {kind.name}, received {describe(document.data)}",
            "write one 'field: value' per line"))
        return None
    try:
        item = kind.model.model_validate(document.data)
    except ValidationError as exc:
        diagnostics.extend(_diagnostics(exc, kind.model, document))
        return None
    return Record(kind, item_id, item, document)


def _diagnostics(exc: ValidationError, model: type[BaseModel], document: Document) -> list[Diagnostic]:
    found: dict[tuple[Location, str], Diagnostic] = {}
    for error in exc.errors(include_url=False, include_input=True):
        diagnostic = _diagnostic(error, model, document)
        found.setdefault((diagnostic.location, diagnostic.message), diagnostic)
    return list(found.values())


def _diagnostic(error: Any, model: type[BaseModel], document: Document) -> Diagnostic:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = _value_at(document.data, loc)
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1], document.data)
        name = str(loc[-1])
        hint = did_you_mean(name, fields) or (
            f"allowed here: {', '.join(fields)}" if fields else "remove it")
        return _make(document.locate(loc, at_key=True), f"unknown field '{name}'", hint)
    if kind == "missing":
        name = str(loc[-1])
        return _make(document.locate(loc[:-1], at_key=True), f"missing required field '{name}'",
                     f"add '{name}:' ({_field_doc(model, loc)})")
    location = document.locate(loc)
    message = _message(error, value)
    return _make(location, message, _hint(kind, value))


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
        return f"put the value in quotes to keep it as text: \"{value}\""
    if kind == "string_type" and value is None:
        return "write the text after the colon, or remove the field"
    if kind == "list_type" and isinstance(value, str):
        return f"write a list: [{value}]"
    if kind == "bare_date_text":
        return "put the date in quotes to keep it as text"
    if kind == "invalid_id":
        return "ids are lowercase kebab-case, e.g. sichuan-footwear-association"
    if kind == "literal_error":
        return ""
    if kind == "partial_date":
        return "dates keep the source's precision: a year, a year-month or a full date"
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
