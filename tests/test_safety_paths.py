"""Paths stay inside: ids are restricted, nothing is written outside the output folder, and two
things that would make the same page are an error, located when content causes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.pages.shared import Output
from generator.publish.write import write_tree
from generator.read.model.items import Site

ROOT = Path(__file__).resolve().parent.parent
ID_RULE = "an id is lowercase ASCII letters and digits joined by single hyphens"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


def _check(content: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    prefix = content.as_posix() + "/"
    return result.exit_code, [line.removeprefix(prefix) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("folder", ["topics", "people", "facts", "stories"])
def test_an_item_whose_page_would_replace_the_list_page_is_a_located_error(
    content: Path, folder: str
) -> None:
    existing = sorted((content / folder).glob("*.yaml"))[0]
    shutil.copy(existing, content / folder / "index.yaml")
    code, lines = _check(content)
    assert code == 1
    assert lines[:2] == [
        f"{folder}/index.yaml:1:1: error: 'index' cannot be an id: {folder}/index.md is the "
        f"list of all {folder}",
        f"  hint: rename the file, e.g. to '{folder}-index.yaml'",
    ]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Tan Qijian.yaml", ID_RULE),
        ("tan--qijian.yaml", ID_RULE),
        ("tan_qijian.yaml", ID_RULE),
        ("tan-qijian\u00e9.yaml", ID_RULE),
        ("x" * 81 + ".yaml", "an id is at most 80 characters"),
    ],
)
def test_file_names_are_restricted_ids(content: Path, name: str, problem: str) -> None:
    shutil.copy(content / "people" / "tan-qijian.yaml", content / "people" / name)
    code, lines = _check(content)
    assert code == 1
    assert f"people/{name}:1:1: error: file name '{name}' is not a valid id: {problem}" in lines


def test_a_reference_cannot_climb_out_of_its_folder(content: Path) -> None:
    story = content / "stories" / "chengdu-footwear-goes-overseas-2023.yaml"
    text = story.read_text()
    story.write_text(text.replace("dateline: chengdu", "dateline: ../../etc/passwd", 1))
    code, lines = _check(content)
    assert code == 1
    line = text[: text.index("dateline: chengdu")].count("\n") + 1
    assert (
        f"stories/chengdu-footwear-goes-overseas-2023.yaml:{line}:11: error: "
        "'../../etc/passwd' is not a valid id: an id is lowercase ASCII letters "
        "and digits joined by single hyphens"
    ) in lines


def _output() -> Output:
    site = Site(title="T", description="D", base_url="https://example.org/", introduction="I")
    return Output(site)


def test_two_pages_at_one_path_are_refused() -> None:
    output = _output()
    output.add("people/a.md", "one")
    with pytest.raises(ValueError, match="two pages would be written to people/a.md"):
        output.add("people/a.md", "two")


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.md", "people/../../outside.md"])
def test_a_page_outside_the_site_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="refusing to write outside the site"):
        _output().add(path, "x")


@pytest.mark.parametrize("path", ["../outside.md", "a/../../outside.md", "/tmp/outside.md"])
def test_write_tree_never_writes_outside_its_folder(tmp_path: Path, path: str) -> None:
    out = tmp_path / "generated"
    out.mkdir()
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_tree({path: b"x"}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]
    assert not Path("/tmp/outside.md").exists()


def test_write_tree_does_not_follow_a_symlink_out_of_its_folder(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "generated", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "people").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_tree({"people/a.md": b"x"}, out)
    assert list(elsewhere.iterdir()) == []


def test_write_tree_does_not_write_through_a_file_linked_out_of_its_folder(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "generated", tmp_path / "elsewhere"
    (out / "people").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "a.md").write_bytes(b"kept")
    (out / "people" / "b.md").write_bytes(b"x")  # the folder is resolved once, for b.md first
    (out / "people" / "c.md").symlink_to(elsewhere / "a.md")
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_tree({"people/b.md": b"x", "people/c.md": b"changed"}, out)
    assert (elsewhere / "a.md").read_bytes() == b"kept"
