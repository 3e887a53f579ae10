"""Content comes only from regular files inside content/.

A symbolic link (to a file or a folder, inside content/ or out of it, or to nothing), a named
pipe, a socket or a device is a located error and is never opened or read through; a folder
where a file is expected is named as a folder, not as missing. References to what such an
entry would have held are not reported as unknown too: its own error says why.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diagnostics import ContentError
from generator.pipeline.session import Session
from generator.read.load import load_file, read_regular
from generator.read.strict_yaml import LoadError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sample" / "content"
LINK_HINT = (
    "  hint: content is read only from regular files inside the content folder, never through "
    "a link: put the file itself here, or remove the link"
)
SECRET = "Secret Person From Outside"


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """Opening a named pipe for reading waits for a writer: fail instead of hanging."""

    def _timeout(*_: object) -> None:
        raise TimeoutError("blocked: a pipe was opened as if it were a file")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample project in tmp_path/content, the working directory tmp_path, and a
    file outside it (tmp_path/outside/) that must never be read."""
    shutil.copytree(SAMPLE, tmp_path / "content")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd.yaml").write_text(f"name: {SECRET}\n", encoding="utf-8")
    (outside / "people").mkdir()
    (outside / "people" / "tan-qijian.yaml").write_text(f"name: {SECRET}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--content", "content", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def test_the_sample_is_valid(project: Path) -> None:
    assert _check() == (0, "")


def test_a_link_to_a_file_outside_is_refused_and_never_read(project: Path) -> None:
    person = project / "people" / "yang-yuyi.yaml"
    person.unlink()
    person.symlink_to(project.parent / "outside" / "passwd.yaml")
    code, out = _check()
    assert code == 1
    # The story refers to yang-yuyi: not reported as unknown, the link's error says why.
    assert out == (
        "content/people/yang-yuyi.yaml:1:1: error: 'yang-yuyi.yaml' is a symbolic link\n"
        f"{LINK_HINT}\n"
    )


def test_a_link_inside_the_content_folder_is_refused_too(project: Path) -> None:
    (project / "people" / "tan-qijian-again.yaml").symlink_to("tan-qijian.yaml")
    code, out = _check()
    assert (code, out) == (
        1,
        "content/people/tan-qijian-again.yaml:1:1: error: 'tan-qijian-again.yaml' is a "
        f"symbolic link\n{LINK_HINT}\n",
    )


def test_a_dangling_link_is_refused(project: Path) -> None:
    (project / "topics" / "lost.yaml").symlink_to("no-such-file.yaml")
    code, out = _check()
    assert (code, out) == (
        1,
        f"content/topics/lost.yaml:1:1: error: 'lost.yaml' is a symbolic link\n{LINK_HINT}\n",
    )


def test_a_linked_kind_folder_is_refused_and_its_references_are_not_reported(
    project: Path,
) -> None:
    shutil.rmtree(project / "people")
    (project / "people").symlink_to(project.parent / "outside" / "people")
    code, out = _check()
    assert (code, out) == (
        1,
        f"content/people:1:1: error: 'people' is a symbolic link\n{LINK_HINT}\n",
    )


def test_a_linked_site_yaml_is_refused(project: Path) -> None:
    site = project / "site.yaml"
    site.rename(project.parent / "outside" / "site.yaml")
    site.symlink_to(project.parent / "outside" / "site.yaml")
    code, out = _check()
    assert (code, out) == (
        1,
        f"content/site.yaml:1:1: error: 'site.yaml' is a symbolic link\n{LINK_HINT}\n",
    )


def test_a_site_yaml_folder_is_named_a_folder_not_missing(project: Path) -> None:
    (project / "site.yaml").unlink()
    (project / "site.yaml").mkdir()
    code, out = _check()
    assert (code, out) == (
        1,
        "content/site.yaml:1:1: error: 'site.yaml' is a folder, not a file\n"
        "  hint: site.yaml is a file with the site's title, description, base_url and "
        "introduction: move what the folder holds out of it, and remove the folder\n",
    )


def test_a_yaml_folder_in_a_kind_folder_is_named_a_folder(project: Path) -> None:
    person = project / "people" / "yang-yuyi.yaml"
    person.unlink()
    person.mkdir()
    (project / "people" / "drafts").mkdir()
    code, out = _check()
    assert (code, out) == (
        1,
        "content/people/drafts:1:1: error: 'drafts' is a folder, not a file\n"
        "  hint: people/ holds only .yaml files, one an item; folders in it are not read\n"
        "content/people/yang-yuyi.yaml:1:1: error: 'yang-yuyi.yaml' is a folder, not a file\n"
        "  hint: an item is one file, people/yang-yuyi.yaml: move what the folder holds out "
        "of it, and remove the folder\n",
    )


def test_a_named_pipe_is_refused_without_opening_it(project: Path) -> None:
    person = project / "people" / "yang-yuyi.yaml"
    person.unlink()
    os.mkfifo(person)
    code, out = _check()
    assert (code, out) == (
        1,
        "content/people/yang-yuyi.yaml:1:1: error: 'yang-yuyi.yaml' is not a regular file "
        "(it is a named pipe)\n"
        "  hint: content is read only from regular files: remove it, and save the item as a "
        ".yaml file\n",
    )


def test_a_socket_is_refused(project: Path) -> None:
    path = project / "topics" / "socket.yaml"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        code, out = _check()
    finally:
        server.close()
    assert code == 1
    assert out.startswith(
        "content/topics/socket.yaml:1:1: error: 'socket.yaml' is not a regular file "
        "(it is a socket)\n"
    )


def test_the_content_folder_given_may_itself_be_a_link(project: Path) -> None:
    """--content is the site owner's choice, taken as given (paths such as /home are often
    links): only what is inside it must be regular files and folders."""
    project.rename(project.parent / "real-content")
    project.symlink_to(project.parent / "real-content")
    assert _check() == (0, "")


def test_the_reader_itself_never_follows_a_link_nor_waits_on_a_pipe(tmp_path: Path) -> None:
    """A file swapped for a link or a pipe after the folder was listed is still refused."""
    target = tmp_path / "real.yaml"
    target.write_text("name: x\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    for path, message in (
        (link, "'link.yaml' is a symbolic link"),
        (pipe, "'pipe.yaml' is not a regular file (it is a named pipe)"),
        (folder, "'folder.yaml' is a folder, not a file"),
    ):
        with pytest.raises(LoadError) as raised:
            load_file(path, path.name)
        assert raised.value.diagnostic.message == message
        with pytest.raises(LoadError):
            read_regular(path)
    assert read_regular(target) == b"name: x\n"


@pytest.mark.parametrize("swap", ["link", "pipe", "folder"])
def test_the_live_preview_refuses_a_saved_file_that_is_no_longer_regular(
    project: Path, tmp_path: Path, swap: str
) -> None:
    session = Session(project, tmp_path / "generated")
    session.build()
    person = project / "people" / "yang-yuyi.yaml"
    person.unlink()
    if swap == "link":
        person.symlink_to(project.parent / "outside" / "passwd.yaml")
    elif swap == "pipe":
        os.mkfifo(person)
    else:
        person.mkdir()
    with pytest.raises(ContentError) as raised:
        session.build({person})
    text = raised.value.format()
    assert text.startswith("content/people/yang-yuyi.yaml:1:1: error: 'yang-yuyi.yaml' is ")
    assert SECRET not in text
    assert len(raised.value.diagnostics) == 1


def test_the_live_preview_refuses_a_kind_folder_swapped_for_a_link(
    project: Path, tmp_path: Path
) -> None:
    session = Session(project, tmp_path / "generated")
    session.build()
    person = project / "people" / "tan-qijian.yaml"
    shutil.rmtree(project / "people")
    (project / "people").symlink_to(project.parent / "outside" / "people")
    with pytest.raises(ContentError) as raised:
        session.build({person})
    assert raised.value.format() == (
        f"content/people:1:1: error: 'people' is a symbolic link\n{LINK_HINT}"
    )
    output = tmp_path / "generated"
    assert not any(SECRET in p.read_text(encoding="utf-8") for p in output.rglob("*.md"))


def test_an_unreadable_kind_folder_is_a_located_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root runs the tests, so permissions cannot refuse: the listing is made to fail."""
    listing = os.scandir

    def refuse(path: object) -> object:
        if str(path).endswith("people"):
            raise PermissionError(13, "Permission denied")
        return listing(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    code, out = _check()
    assert (code, out) == (
        1,
        "content/people:1:1: error: cannot read folder: Permission denied\n"
        "  hint: check the folder's permissions\n",
    )


def test_a_site_yaml_pipe_is_refused_without_waiting(project: Path) -> None:
    (project / "site.yaml").unlink()
    os.mkfifo(project / "site.yaml")
    code, out = _check()
    assert (code, out.splitlines()[0]) == (
        1,
        "content/site.yaml:1:1: error: 'site.yaml' is not a regular file (it is a named pipe)",
    )


def test_a_kind_that_is_a_file_is_named_so_and_its_references_are_not_reported(
    project: Path,
) -> None:
    shutil.rmtree(project / "people")
    (project / "people").write_text("name: x\n", encoding="utf-8")
    code, out = _check()
    assert (code, out) == (
        1,
        "content/people:1:1: error: 'people' is a file, not a folder\n"
        "  hint: items go in the folder people/, one .yaml file each\n",
    )
