"""Root cause first: one mistake is reported once, where it is, not as a flood of its effects.

A misnamed file is its own error, and references to the id it was meant to give are not
reported as unknown too (its error says why), as references to files with errors are not.
A place or organization that is its own parent, or its own ancestor through a circle of
parents, is an error; nothing walks up the parents, so a circle hangs nothing.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diagnostics import ContentError, Diagnostic
from generator.link.resolve import _cycles, resolve
from generator.pages.render import render
from generator.pipeline.session import Session
from generator.read.validate import read_content

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
SAMPLE = Path(__file__).parent / "fixtures" / "sample" / "content"


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    def _timeout(*_: object) -> None:
        raise TimeoutError("a circle of parents hung the build")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def _check() -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--content", "content"])
    return result.exit_code, result.stdout


MISNAMED = [
    ("Yang_Yuyi.yaml", "file name 'Yang_Yuyi.yaml' is not a valid id"),
    ("Yang-Yuyi.yaml", "file name 'Yang-Yuyi.yaml' is not a valid id"),
    ("yang yuyi.yaml", "file name 'yang yuyi.yaml' is not a valid id"),
    ("yang_yuyi.yaml", "file name 'yang_yuyi.yaml' is not a valid id"),
    ("Yang.Yuyi.yaml", "file name 'Yang.Yuyi.yaml' is not a valid id"),
    ("yang-yuyi.yml", "'yang-yuyi.yml' is not a .yaml file"),
    ("yang-yuyi.YAML", "'yang-yuyi.YAML' is not a .yaml file"),
    ("Yang-Yuyi.Yml", "'Yang-Yuyi.Yml' is not a .yaml file"),
    ("yang-yuyi.txt", "'yang-yuyi.txt' is not a .yaml file"),
    ("yang-yuyi", "'yang-yuyi' is not a .yaml file"),
]


@pytest.mark.parametrize(("name", "message"), MISNAMED)
def test_a_misnamed_file_is_the_one_error_not_its_references(
    project: Path, name: str, message: str
) -> None:
    """The sample's story names yang-yuyi as reporter and in segments; with the file
    misnamed, only the file is reported."""
    (project / "people" / "yang-yuyi.yaml").rename(project / "people" / name)
    code, out = _check()
    assert code == 1
    heads = out.splitlines()[0::2]
    assert heads == [f"content/people/{name}:1:1: error: {message}" + heads[0].split(message)[1]]
    assert "unknown" not in out


def test_a_reference_to_another_missing_id_is_still_reported(project: Path) -> None:
    (project / "people" / "yang-yuyi.yaml").rename(project / "people" / "Yang_Yuyi.yaml")
    story = project / "stories" / "sample-report.yaml"
    text = story.read_text(encoding="utf-8")
    assert "tan-qijian" in text
    story.write_text(text.replace("tan-qijian", "tan-qijan"), encoding="utf-8")
    code, out = _check()
    assert code == 1
    assert "unknown person 'tan-qijan'" in out
    assert "'yang-yuyi'" not in out


def test_a_circle_of_parents_is_reported_and_rendering_it_does_not_hang() -> None:
    diagnostics: list[Diagnostic] = []
    content = read_content(FIXTURES / "parent-cycle" / "content", diagnostics)
    index = resolve(content, diagnostics)
    assert [d.message for d in diagnostics] == [
        "place 'chengdu' is its own ancestor: chengdu → sichuan → china → chengdu",
        "place 'huidu-park' is its own parent",
        "organization 'china-leather-association' is its own ancestor: "
        "china-leather-association → sichuan-footwear-association → china-leather-association",
    ]
    output = render(index)  # the pages a circle would show: each lists its parent and children
    assert "places/chengdu.md" in output.files
    chengdu = output.files["places/chengdu.md"].decode()
    assert "sichuan" in chengdu and "shuangliu-district" in chengdu


def test_cycles_are_found_once_each_from_their_smallest_id() -> None:
    parents = {"a": "b", "b": "c", "c": "a", "d": "a", "e": "e", "f": "g", "x": "y", "y": "x"}
    assert _cycles(parents) == [["a", "b", "c"], ["e"], ["x", "y"]]
    chain = {f"p{n:05d}": f"p{n + 1:05d}" for n in range(50_000)}  # deep, without recursion
    assert _cycles(chain) == []
    chain["p50000"] = "p00000"
    assert len(_cycles(chain)[0]) == 50_001


@pytest.mark.parametrize("folder", ["places", "organizations"])
def test_the_live_preview_reports_a_circle_an_edit_closes(
    project: Path, tmp_path: Path, folder: str
) -> None:
    """The preview re-resolves only what an edit touches; closing a circle must still be an
    error (resolved whole), not a site published with it."""
    kind = "city" if folder == "places" else "association"
    (project / folder / "aaa.yaml").write_text(f"name: A\nkind: {kind}\n", encoding="utf-8")
    (project / folder / "bbb.yaml").write_text(
        f"name: B\nkind: {kind}\nparent: aaa\n", encoding="utf-8"
    )
    session = Session(project, tmp_path / "generated")
    session.build()
    edited = project / folder / "aaa.yaml"
    edited.write_text(f"name: A\nkind: {kind}\nparent: bbb\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        session.build({edited})
    name = "place" if folder == "places" else "organization"
    assert [d.message for d in raised.value.diagnostics] == [
        f"{name} 'aaa' is its own ancestor: aaa → bbb → aaa"
    ]
    edited.write_text(f"name: A\nkind: {kind}\nparent: aaa\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        session.build({edited})
    assert [d.message for d in raised.value.diagnostics] == [f"{name} 'aaa' is its own parent"]
    edited.write_text(f"name: A\nkind: {kind}\n", encoding="utf-8")
    session.build({edited})
