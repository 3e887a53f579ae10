"""Property-based tests: whatever an editor writes, the generator answers with located
diagnostics or a site, never with a traceback.

Three sources of hostile input: random text in a content file, random YAML structures in a
content file, and the project's real content with one value replaced by a random one (the
last also renders the pages when the content passes, so the templates meet odd values too).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import ContentError, Severity
from generator.pages.render import render
from generator.pipeline import check
from generator.read.load import load_file
from generator.read.model import KINDS

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that mean something to YAML, Markdown, HTML or Jinja, and some that trouble
# decoders and terminals.
_NASTY = (
    ":-?[]{},#&*!|>'\"%@`\t\n \\<>/=;()$~^_.0123456789abcnoyYtrue\u00e9\u4e2d\u200b\ufeff\u2028"
)
nasty_text = st.text(alphabet=st.sampled_from(_NASTY) | st.characters(), max_size=300)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | nasty_text
    | st.sampled_from(
        [
            "",
            "2023",
            "2023-13-01",
            "javascript:alert(1)",
            "<script>alert(1)</script>",
            "{{ 7*7 }}",
            "index",
            "../../etc/passwd",
            "chengdu",
            "a" * 90,
        ]
    )
)
FIELD_NAMES = [
    "title",
    "name",
    "date",
    "segments",
    "narration",
    "soundbite",
    "speaker",
    "text",
    "figure",
    "value",
    "source",
    "story",
    "id",
    "body",
    "term",
    "kind",
    "parent",
]
structures = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.text(min_size=1, max_size=12) | st.sampled_from(FIELD_NAMES), inner, max_size=6
        )
    ),
    max_leaves=25,
)


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    """A private copy of the project's content; each example rewrites one file and restores it."""
    with tempfile.TemporaryDirectory() as temp:
        content = Path(temp) / "content"
        shutil.copytree(CONTENT, content)
        yield content


def _run(content: Path) -> None:
    """The whole library pipeline: check, then render when the content is valid.

    A ContentError is the expected answer to bad content: every diagnostic in it must be
    located in a file and say something.
    """
    try:
        index, _ = check(content)
    except ContentError as error:
        assert error.diagnostics
        for diagnostic in error.diagnostics:
            assert diagnostic.message.strip()
            assert diagnostic.location.line >= 1 and diagnostic.location.column >= 1
            assert diagnostic.location.path
        assert any(d.severity is Severity.ERROR for d in error.diagnostics)
        return
    render(index)


def _write(path: Path, data: bytes) -> bytes | None:
    old = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return old


def _restore(path: Path, old: bytes | None) -> None:
    if old is None:
        path.unlink()
    else:
        path.write_bytes(old)


@FUZZ
@given(text=nasty_text, kind=st.sampled_from(KINDS))
def test_random_text_in_a_content_file(project: Path, text: str, kind: Any) -> None:
    target = project / kind.folder / "fuzzed-item.yaml"
    old = _write(target, text.encode("utf-8", "surrogatepass"))
    try:
        _run(project)
    finally:
        _restore(target, old)


@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_in_a_content_file(project: Path, raw: bytes) -> None:
    target = project / "people" / "fuzzed-bytes.yaml"
    old = _write(target, raw)
    try:
        _run(project)
    finally:
        _restore(target, old)


@FUZZ
@given(data=structures, kind=st.sampled_from(KINDS))
def test_random_structures_in_a_content_file(project: Path, data: Any, kind: Any) -> None:
    target = project / kind.folder / "fuzzed-structure.yaml"
    old = _write(target, yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass"))
    try:
        _run(project)
    finally:
        _restore(target, old)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replace(data[path[0]], path[1:], value)
    return copy


CONTENT_FILES = sorted(p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.yaml"))


@FUZZ
@given(st.data())
def test_real_content_with_one_value_replaced(project: Path, data: st.DataObject) -> None:
    relative = data.draw(st.sampled_from(CONTENT_FILES), label="file")
    target = project / relative
    original = load_file(CONTENT / relative).data
    path = data.draw(st.sampled_from(sorted(_paths(original), key=repr)), label="path")
    value = data.draw(structures, label="value")
    mutated = _replace(original, path, value)
    old = _write(
        target,
        yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False).encode(
            "utf-8", "surrogatepass"
        ),
    )
    try:
        _run(project)
    finally:
        _restore(target, old)


def test_the_untouched_copy_is_valid(project: Path) -> None:
    """The mutation test means something only if its starting point passes."""
    index, _ = check(project)
    assert render(index).files
