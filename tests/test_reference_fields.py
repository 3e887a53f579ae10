"""Every reference field of every kind is checked: an unknown id is a located error.

The reference fields are not listed by hand: they are found in the models themselves
(generator/model/items.py), as the fields whose type carries a ``Reference``
(generator/model/types.py), at any depth (a story's segments and their soundbites, a
person's roles, a fact's source, the site settings). So a reference field added later is
tried too. For each one, a copy of the small valid project (tests/fixtures/sample, plus an
insight) gets an unknown id in that field, and ``check`` must print exactly one error, at
the id's line and column: ``unknown <kind> '<id>'``, with its hint; then the same with the
id of an item of another kind. A list gets the id after a valid one, so every element is
checked, not only the first. The live preview, which resolves only around what a save
changed, must stop at the same error when the id is saved in each field in turn.

Should the test find a reference field that no file of the project can hold (a new nested
model, say), it fails and says so: add an example of it to the project below.

Citations in insights (``[@id]``, ``[@story/segment]``) and a fact's source segment are
references too, by text rather than by type: they are tried on their own at the end.
"""

from __future__ import annotations

import copy
import difflib
import shutil
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel

from generator.cli import main
from generator.diagnostics import ContentError
from generator.pipeline.session import Session
from generator.read.model import KIND_BY_FOLDER, KINDS, SITE, Kind
from generator.read.model.types import Reference

SAMPLE = Path(__file__).parent / "fixtures" / "sample" / "content"
UNKNOWN = "zzq-no-such-item"  # like no id of the project: no "did you mean" in the hint

# The sample has no insight; this one holds each of an insight's reference fields.
INSIGHT = {
    "title": "Orders from abroad",
    "date": 2023,
    "authors": ["yang-yuyi"],
    "topics": ["overseas-markets"],
    "summary": "What the park's orders say.",
    "body": "The park counts its enterprises [@huidu-park-enterprise-count].\n",
}

# The reference fields there are today, as (kind's folder, path): the derivation below must
# find at least these, so a fault in it cannot make the test quietly try fewer.
KNOWN = {
    ("stories", "dateline"),
    ("stories", "reporters"),
    ("stories", "editors"),
    ("stories", "topics"),
    ("stories", "segments.*.facts"),
    ("stories", "segments.*.people"),
    ("stories", "segments.*.organizations"),
    ("stories", "segments.*.places"),
    ("stories", "segments.*.topics"),
    ("stories", "segments.*.soundbite.speaker"),
    ("stories", "segments.*.soundbite.organizations"),
    ("insights", "authors"),
    ("insights", "topics"),
    ("people", "roles.*.organization"),
    ("people", "roles.*.source"),
    ("organizations", "place"),
    ("organizations", "parent"),
    ("places", "parent"),
    ("facts", "places"),
    ("facts", "organizations"),
    ("facts", "topics"),
    ("facts", "source.story"),
    ("facts", "source.person"),
    ("facts", "source.organization"),
    ("events", "places"),
    ("events", "organizations"),
    ("events", "topics"),
    ("events", "facts"),
    ("events", "sources"),
    ("", "key_figures"),
}


# -- the reference fields, from the models -----------------------------------------------


def _reference(annotation: Any) -> str | None:
    """The folder a ``Reference`` in the annotation names, through lists, optionals and
    Annotated (worked out here, apart from the generator's own walk, which is under test)."""
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, Reference):
            return meta.folder
    for arg in typing.get_args(annotation):
        found = _reference(arg)
        if found:
            return found
    return None


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is list:
        return True
    if origin is typing.Annotated:
        return _is_list(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(a) for a in typing.get_args(annotation) if a is not type(None))
    return False


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _walk(
    model: type[BaseModel], path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str, bool]]:
    """Every (path, folder referred to, is a list) in ``model``; ``*`` stands for a list's
    elements on the way."""
    found = []
    hints = typing.get_type_hints(model, include_extras=True)
    for name in model.model_fields:
        annotation = hints[name]
        folder = _reference(annotation)
        if folder is not None:
            found.append(((*path, name), folder, _is_list(annotation)))
            continue
        for nested in _models(annotation):
            inner = (*path, name, "*") if _is_list(annotation) else (*path, name)
            found.extend(_walk(nested, inner))
    return found


FIELDS = [
    (kind, path, folder, is_list)
    for kind in (*KINDS, SITE)
    for path, folder, is_list in _walk(kind.model)
]


def _name(kind: Kind, path: tuple[str, ...]) -> str:
    return f"{kind.folder or 'site'}:{'.'.join(path)}"


def test_the_reference_fields_are_found_in_the_models() -> None:
    found = {(kind.folder, ".".join(path)) for kind, path, _, _ in FIELDS}
    assert KNOWN <= found, f"no longer found: {sorted(KNOWN - found)}"
    for _, _, folder, _ in FIELDS:
        assert folder in KIND_BY_FOLDER


# -- a project with one field changed ----------------------------------------------------


def _base() -> dict[str, dict[str, Any]]:
    """The project's files as data, by path under content/ (sorted)."""
    files = {
        path.relative_to(SAMPLE).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(SAMPLE.rglob("*.yaml"))
    }
    files["insights/orders-from-abroad.yaml"] = copy.deepcopy(INSIGHT)
    return files


def _ids(files: dict[str, Any]) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for name in files:
        if "/" in name:
            folder, file = name.split("/")
            ids.setdefault(folder, []).append(file.removesuffix(".yaml"))
    return ids


def _place(data: Any, path: tuple[str, ...], value: str, is_list: bool) -> bool:
    """Put ``value`` at ``path`` in ``data`` (in place); False if ``data`` has nowhere to."""
    if not isinstance(data, dict):
        return False
    name, rest = path[0], path[1:]
    if not rest:
        data[name] = [*(data.get(name) or []), value] if is_list else value
        return True
    if rest[0] == "*":
        return any(_place(element, rest[1:], value, is_list) for element in data.get(name) or [])
    return _place(data.get(name), rest, value, is_list)


def _write(root: Path, files: dict[str, Any]) -> None:
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    for name, data in files.items():
        target = content / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000),
            encoding="utf-8",
        )


def _check(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check", "--content", "content", *args])
    return result.exit_code, result.stdout.splitlines()


def _located(root: Path, name: str, token: str) -> str:
    """``content/<name>:line:col`` of the one occurrence of ``token`` in the file."""
    text = (root / "content" / name).read_text(encoding="utf-8")
    assert text.count(token) == 1, f"{token!r} should occur once in {name}"
    at = text.index(token)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return f"content/{name}:{line}:{column}"


def _with(files: dict[str, Any], kind: Kind, path: tuple[str, ...], value: str, is_list: bool):
    """A copy of ``files`` with ``value`` in the field, and the file it went into."""
    names = ["site.yaml"] if kind is SITE else [n for n in files if n.startswith(f"{kind.folder}/")]
    for name in names:
        data = copy.deepcopy(files[name])
        if _place(data, path, value, is_list):
            return {**files, name: data}, name
    raise AssertionError(
        f"no file of the test's project can hold a value in {_name(kind, path)}: add an "
        f"example of it to the project (tests/fixtures/sample, or INSIGHT in {__file__})"
    )


def test_the_project_is_valid_as_the_test_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, _base())
    code, out = _check(tmp_path, monkeypatch, "--no-cache")
    assert (code, out) == (0, [])


@pytest.mark.parametrize(
    ("kind", "path", "folder", "is_list"),
    FIELDS,
    ids=[_name(kind, path) for kind, path, _, _ in FIELDS],
)
def test_an_unknown_id_in_each_reference_field_is_a_located_error(
    kind: Kind,
    path: tuple[str, ...],
    folder: str,
    is_list: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = _base()
    target = KIND_BY_FOLDER[folder]
    files, name = _with(base, kind, path, UNKNOWN, is_list)
    _write(tmp_path, files)
    expected = [
        f"{_located(tmp_path, name, UNKNOWN)}: error: unknown {target.name} '{UNKNOWN}'",
        f"  hint: create content/{folder}/{UNKNOWN}.yaml, or correct the id",
    ]
    # Twice with the cache (read afresh, then from the cache's outlines), once without.
    for args in ((), (), ("--no-cache",)):
        assert _check(tmp_path, monkeypatch, *args) == (1, expected), args

    # The id of an item of another kind: the same error, and the hint says what it is.
    ids = _ids(base)
    other, wrong = next(
        (KIND_BY_FOLDER[f], i)
        for f in sorted(ids)
        if f != folder and f in KIND_BY_FOLDER
        for i in ids[f]
        if i not in ids.get(folder, [])
        and not difflib.get_close_matches(i, ids.get(folder, []), cutoff=0.5)  # no "did you mean"
    )
    marker = "zzq-marker"  # where the wrong id goes: written as any id, then swapped
    files, name = _with(base, kind, path, marker, is_list)
    _write(tmp_path, files)
    where = _located(tmp_path, name, marker)
    written = tmp_path / "content" / name
    written.write_text(written.read_text(encoding="utf-8").replace(marker, wrong), "utf-8")
    expected = [
        f"{where}: error: unknown {target.name} '{wrong}'",
        f"  hint: '{wrong}' is {_a(other.name)}, not {_a(target.name)}",
    ]
    assert _check(tmp_path, monkeypatch, "--no-cache") == (1, expected)


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


# -- references by text: citations and a fact's source segment ---------------------------

CITING = """\
title: Orders from abroad
date: 2023
summary: What the park's orders say.
body: |
  The park counts its enterprises [@huidu-park-enterprise-count], as the report
  says [@sample-report]; its head speaks of spare lines [@sample-report/segment-2].
  Then {bad} and, to close, [@russian-distributor-order].
"""

POINTS = "a citation points to a fact, a story or a story's segment"


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        (
            f"[@{UNKNOWN}]",
            f"unknown citation '[@{UNKNOWN}]': no fact or story has the id '{UNKNOWN}'",
        ),
        (
            "[@chengdu]",
            f"cannot cite place 'chengdu': {POINTS}",
        ),
        (
            "[@tan-qijian]",
            f"cannot cite person 'tan-qijian': {POINTS}",
        ),
        (f"[@sample-report/{UNKNOWN}]", f"story 'sample-report' has no segment '{UNKNOWN}'"),
        (
            "[@huidu-park-enterprise-count/park]",
            "fact 'huidu-park-enterprise-count' has no segments: "
            "'[@huidu-park-enterprise-count/park]' cannot be cited",
        ),
    ],
)
def test_a_citation_of_an_unknown_or_wrong_item_is_located_at_the_citation(
    citation: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {k: v for k, v in _base().items() if not k.startswith("insights/")})
    insight = tmp_path / "content" / "insights" / "orders-from-abroad.yaml"
    insight.parent.mkdir()
    insight.write_text(CITING.format(bad=citation), encoding="utf-8")
    code, out = _check(tmp_path, monkeypatch, "--no-cache")
    where = _located(tmp_path, "insights/orders-from-abroad.yaml", citation)
    assert code == 1
    assert [line for line in out if ": error: " in line] == [f"{where}: error: {message}"]


def test_a_facts_unknown_source_segment_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _base()
    name = "facts/huidu-park-enterprise-count.yaml"
    files[name] = copy.deepcopy(files[name])
    files[name]["source"]["segment"] = UNKNOWN
    _write(tmp_path, files)
    code, out = _check(tmp_path, monkeypatch, "--no-cache")
    where = _located(tmp_path, name, UNKNOWN)
    assert (code, out) == (
        1,
        [
            f"{where}: error: story 'sample-report' has no segment '{UNKNOWN}'",
            "  hint: its segments are: park, segment-2",
        ],
    )


def test_the_preview_reports_an_unknown_id_saved_in_any_reference_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live preview resolves only around what a save changed (resolve.reresolve): an
    unknown id saved in any reference field must still stop it with the located error."""
    base = _base()
    _write(tmp_path, base)
    monkeypatch.chdir(tmp_path)
    session = Session(Path("content"), tmp_path / "docs")
    session.build()
    for kind, path, folder, is_list in FIELDS:
        files, name = _with(base, kind, path, UNKNOWN, is_list)
        saved = Path("content") / name
        _write_one(tmp_path, name, files[name])
        with pytest.raises(ContentError) as raised:
            session.build(saved=[saved])
        assert raised.value.format().splitlines() == [
            f"{_located(tmp_path, name, UNKNOWN)}: error: unknown "
            f"{KIND_BY_FOLDER[folder].name} '{UNKNOWN}'",
            f"  hint: create content/{folder}/{UNKNOWN}.yaml, or correct the id",
        ], _name(kind, path)
        _write_one(tmp_path, name, base[name])
        session.build(saved=[saved])  # good again


def _write_one(root: Path, name: str, data: Any) -> None:
    (root / "content" / name).write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8"
    )
