"""JSON Schemas for editors, one per kind, generated from the content models.

The YAML language server (VS Code's YAML extension and others) reads them to offer
completion, hover text and validation while an editor types; ``.vscode/settings.json`` maps
``content/<kind>/*.yaml`` to ``schema/<kind>.schema.json``. They are never edited by hand:
``python -m generator schema`` rewrites them, and a test fails when the committed copy is stale.

The language server implements JSON Schema draft-07, so pydantic's output (draft 2020-12)
is brought down to it: ``$defs`` become ``definitions``, and a ``$ref`` with a description
beside it is wrapped in ``allOf`` (draft-07 ignores the siblings of ``$ref``). What pydantic
cannot know is added from the models' annotations: the kebab-case pattern of every id, and,
for every reference, which kind of item it must name.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.read.model import KINDS, SITE, Kind
from generator.read.model.types import ID_PATTERN, referenced_folder

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = Path("schema")
NOT_BLANK = r"\S"


def schema_name(kind: Kind) -> str:
    """The file name of a kind's schema: story.schema.json, glossary-term.schema.json …"""
    return f"{kind.name.replace(' ', '-')}.schema.json"


def kind_schema(kind: Kind) -> dict[str, Any]:
    """The draft-07 JSON Schema of one kind of content file."""
    schema = kind.model.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    _annotate(kind.model, schema, definitions)
    where = f"content/{kind.folder}/<id>.yaml" if kind.folder else "content/site.yaml"
    result: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"https://shoe-capital.example/schema/{schema_name(kind)}",
        "title": f"Shoe Capital {kind.name} ({where})",
        **{k: v for k, v in schema.items() if k != "title"},
    }
    if definitions:
        result["definitions"] = dict(sorted(definitions.items()))
    return _draft7(result)


def schemas() -> dict[str, str]:
    """Every schema file's name and text: one per kind, and one for content/site.yaml."""
    return {
        schema_name(kind): json.dumps(kind_schema(kind), indent=2, ensure_ascii=False) + "\n"
        for kind in (*KINDS, SITE)
    }


def write_schemas(out_dir: Path) -> list[str]:
    """Write the schemas to ``out_dir``; rewrite only those that changed. Returns their names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schemas().items():
        path = out_dir / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            changed.append(name)
    return changed


# -- what pydantic does not know --------------------------------------------------------


def _annotate(model: type[BaseModel], schema: dict[str, Any], definitions: dict[str, Any]) -> None:
    """Add id patterns and reference descriptions to ``model``'s schema and its nested models."""
    seen: set[type[BaseModel]] = set()

    def visit(current: type[BaseModel], target: dict[str, Any]) -> None:
        if current in seen:
            return
        seen.add(current)
        hints = typing.get_type_hints(current, include_extras=True)
        for name in current.model_fields:
            prop = target.get("properties", {}).get(name)
            if prop is None:
                continue
            annotation = hints[name]
            folder = referenced_folder(annotation)
            if folder is not None:
                kind = next(k for k in KINDS if k.folder == folder)
                _patch_strings(prop, {"pattern": ID_PATTERN})
                each = "Each entry must be" if prop.get("type") == "array" else "Must be"
                prop["description"] = (
                    f"{prop.get('description', '')} {each} the id of a {kind.name}: "
                    f"a file content/{folder}/<id>.yaml."
                ).strip()
            elif _is(annotation, "_id"):
                _patch_strings(prop, {"pattern": ID_PATTERN})
            elif _is(annotation, "_text") or _is(annotation, "_stripped_text"):  # Markdown, Text
                _patch_strings(prop, {"pattern": NOT_BLANK})
            for nested in _models(annotation):
                visit(nested, definitions.get(nested.__name__, {}))

    visit(model, schema)


def _is(annotation: Any, validator: str) -> bool:
    """Whether the annotation (or one inside it) carries the named before-validator."""
    for meta in getattr(annotation, "__metadata__", ()):
        if getattr(getattr(meta, "func", None), "__name__", "") == validator:
            return True
    return any(_is(arg, validator) for arg in typing.get_args(annotation))


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _patch_strings(schema: dict[str, Any], extra: dict[str, str]) -> None:
    """Add ``extra`` to every string schema in ``schema`` (through lists and optionals)."""
    if schema.get("type") == "string" and "enum" not in schema:
        schema.update(extra)
    for key in ("items",):
        if isinstance(schema.get(key), dict):
            _patch_strings(schema[key], extra)
    for branch in schema.get("anyOf", ()):
        _patch_strings(branch, extra)


def _draft7(node: Any) -> Any:
    """Wrap a ``$ref`` that has sibling keywords, which draft-07 would ignore, in ``allOf``."""
    if isinstance(node, list):
        return [_draft7(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _draft7(v) for k, v in node.items()}
    if "$ref" in node and len(node) > 1:
        ref = node.pop("$ref")
        node = {"allOf": [{"$ref": ref}], **node}
    return node
