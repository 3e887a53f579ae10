"""The JSON Schemas editors use: generated from the models, committed, and true to the content.

A schema that drifts from the models would have the editor's YAML extension underline valid
content, or accept broken content; these tests fail first. Run `python -m generator schema`
(or `make schema`) after changing a model, and commit the result.

The validator below is a small, strict reading of the draft-07 keywords the generated
schemas use (the project pins no JSON Schema library); `test_validator_knows_every_keyword`
fails if a schema starts using one it does not implement.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.read.load import load_file
from generator.read.model import KINDS, SITE
from generator.read.model.items import Fact, Story
from generator.read.schema import schema_name, schemas

ROOT = Path(__file__).parent.parent
SCHEMA_DIR = ROOT / "schema"
CONTENT = ROOT / "content"

KNOWN_KEYWORDS = {
    "$schema",
    "$id",
    "$ref",
    "title",
    "description",
    "default",
    "definitions",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "anyOf",
    "allOf",
    "enum",
    "const",
    "pattern",
    "minimum",
    "maximum",
}


# -- a small draft-07 validator -------------------------------------------------------------


def _type_ok(value: Any, name: str) -> bool:
    return {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
        "null": value is None,
    }[name]


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "") -> list[str]:
    """Every way ``value`` breaks ``schema``, as 'path: problem' strings."""
    errors: list[str] = []
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/definitions/")
        errors += validate(value, root["definitions"][name], root, path)
    for sub in schema.get("allOf", ()):
        errors += validate(value, sub, root, path)
    if "anyOf" in schema and all(validate(value, s, root, path) for s in schema["anyOf"]):
        errors.append(f"{path}: matches none of anyOf")
    if "type" in schema and not _type_ok(value, schema["type"]):
        return [*errors, f"{path}: expected {schema['type']}, got {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r} != {schema['const']!r}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} > {schema['maximum']}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += validate(item, schema["items"], root, f"{path}/{index}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [
            f"{path}: missing {name}" for name in schema.get("required", ()) if name not in value
        ]
        for key, item in value.items():
            if key in properties:
                errors += validate(item, properties[key], root, f"{path}/{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unknown property {key}")
    return errors


def _keywords(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "definitions"):
                for sub in value.values():
                    _keywords(sub, found)
            elif key not in ("enum", "const", "default", "required"):
                _keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


# -- tests -------------------------------------------------------------------------------


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def test_committed_schemas_are_up_to_date() -> None:
    expected = schemas()
    committed = {p.name for p in SCHEMA_DIR.glob("*.json")}
    assert committed == set(expected), "run `python -m generator schema` and commit schema/"
    stale = [
        name
        for name, text in expected.items()
        if (SCHEMA_DIR / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale schemas {stale}: run `python -m generator schema` and commit schema/"


def test_validator_knows_every_keyword() -> None:
    used: set[str] = set()
    for name in schemas():
        _keywords(load_schema(name), used)
    assert used <= KNOWN_KEYWORDS, used - KNOWN_KEYWORDS


def _content_files() -> list[tuple[Path, str]]:
    files = [(CONTENT / "site.yaml", schema_name(SITE))]
    for kind in KINDS:
        files += [(p, schema_name(kind)) for p in sorted((CONTENT / kind.folder).glob("*.yaml"))]
    return files


def test_every_content_file_matches_its_schema() -> None:
    files = _content_files()
    assert len(files) > 20
    failures = {}
    for path, name in files:
        errors = validate(load_file(path).data, (schema := load_schema(name)), schema)
        if errors:
            failures[str(path.relative_to(ROOT))] = errors
    assert not failures


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(nmae="Tan Qijian"), "unknown property nmae"),
        (lambda d: d.pop("name"), "missing name"),
        (lambda d: d.update(name=1700), "/name: expected string"),
        (
            lambda d: d["roles"][0].update(organization="Huidu Park"),
            "/roles/0/organization: matches none",
        ),
        (lambda d: d["roles"][0].update(as_of="2023-5"), "/roles/0/as_of: matches none"),
    ],
)
def test_a_broken_file_fails_its_schema(change: Any, problem: str) -> None:
    data = load_file(CONTENT / "people" / "tan-qijian.yaml").data
    schema = load_schema("person.schema.json")
    assert validate(data, schema, schema) == []
    change(data)
    errors = validate(data, schema, schema)
    assert any(problem in e for e in errors), errors


def test_descriptions_come_from_the_models() -> None:
    story = load_schema("story.schema.json")
    assert story["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert story["properties"]["title"]["description"] == Story.model_fields["title"].description
    fact = load_schema("fact.schema.json")
    statement = fact["properties"]["statement"]["description"]
    assert statement == Fact.model_fields["statement"].description
    soundbite = story["definitions"]["Soundbite"]["properties"]["speaker"]
    assert soundbite["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert soundbite["description"] == (
        "The person speaking, by id. Must be the id of a person: a file content/people/<id>.yaml."
    )
    reporters = story["properties"]["reporters"]
    assert reporters["items"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert "Each entry must be the id of a person" in reporters["description"]
    assert "$defs" not in json.dumps(story)  # draft-07: definitions


def test_vscode_maps_every_kind_to_its_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    expected = {f"./schema/{schema_name(k)}": [f"content/{k.folder}/*.yaml"] for k in KINDS}
    expected[f"./schema/{schema_name(SITE)}"] = ["content/site.yaml"]
    assert mapping == expected
    assert all((ROOT / path).is_file() for path in mapping)


def test_field_reference_lists_every_field_of_every_kind() -> None:
    from generator.pages.field_reference import field_reference
    from generator.read import markup

    page = field_reference()
    for kind in (*KINDS, SITE):
        assert f"{{ #{kind.name.replace(' ', '-')} }}" in page
        for name, field in kind.model.model_fields.items():
            assert f"| `{name}` |" in page
            assert markup.text(field.description or "") in page
    assert "| `withheld` | one of `none`, `partly`, `fully` |  | Whether the source hides" in page


def test_pre_commit_runs_the_check() -> None:
    import subprocess

    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {
        h["id"]: h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]
    }
    hook = hooks["shoe-capital-check"]
    assert hook["entry"] == ".venv/bin/python -m generator check"
    assert hook["pass_filenames"] is False and hook["language"] == "system"
    result = subprocess.run(hook["entry"].split(), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
