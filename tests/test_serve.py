"""Live preview: `python -m generator serve` rebuilds on a content change, reports a broken
file with its location, and keeps serving the last good site meanwhile.

The server runs as a subprocess on 127.0.0.1 (a free port) in a temporary copy of the project
with the small sample content; every wait is bounded.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sample" / "content"
TIMEOUT = 60.0

pytestmark = pytest.mark.slow


@dataclass
class Server:
    url: str
    log: Path
    project: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_for(what: str, condition: Callable[[], bool], server: Server) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; server output:\n{server.output()}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "generator" / "theme", project / "generator" / "theme")
    shutil.copytree(SAMPLE, project / "content")
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    env.update(getattr(request, "param", {}))
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    served = Server(f"http://127.0.0.1:{port}", log, project)
    try:
        wait_for(
            "the first build",
            lambda: served.get("/people/tan-qijian/")[0] == 200 or process.poll() is not None,
            served,
        )
        assert process.poll() is None, f"serve exited:\n{served.output()}"
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_rebuilds_on_change_and_survives_a_broken_file(server: Server) -> None:
    person = server.project / "content" / "people" / "tan-qijian.yaml"
    good = person.read_text(encoding="utf-8")
    assert good.startswith("name: Tan Qijian\n")
    assert ">Tan Qijian<" in server.get("/people/tan-qijian/")[1]

    # The editors' guide links to the field reference generated from the models.
    status, guide = server.get("/editors/")
    assert status == 200 and 'href="reference/"' in guide
    status, reference = server.get("/editors/reference/")
    assert status == 200
    assert "<code>as_printed</code>" in reference and 'id="part-figure"' in reference
    # Their examples quote the content: readers' searches should land on the content itself.
    index = json.loads(server.get("/search/search_index.json")[1])
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("editors/")]

    # A preview is never kept by a reader's browser: no worker, no manifest.
    assert 'rel="manifest"' not in guide and "pwa.js" not in guide
    assert server.get("/sw.js")[0] == 404

    # An edit shows up on the page.
    edited = good.replace("name: Tan Qijian", "name: Tan Qijian Edited", 1)
    person.write_text(edited, encoding="utf-8")
    wait_for(
        "the edited name",
        lambda: "Tan Qijian Edited" in server.get("/people/tan-qijian/")[1],
        server,
    )
    # The rebuild left the first build's whole search index as it was (see plugin.py)…
    assert json.loads(server.get("/search/search_index.json")[1]) == index
    # …and the rebuilt page still has its search box.
    page = server.get("/people/tan-qijian/")[1]
    assert 'for="__search"' in page and 'class="md-search"' in page

    # A broken file: the located error is printed, and the last good page is still served.
    lines = len(good.splitlines())
    person.write_text(edited + "nmae: Tan\n", encoding="utf-8")
    located = (
        f"content/people/tan-qijian.yaml:{lines + 1}:1: error: unknown field 'nmae'\n"
        "  hint: did you mean 'name'?"
    )
    wait_for("the located error", lambda: located in server.output(), server)
    wait_for(
        "the server to give up the rebuild",
        lambda: "serving the last good site" in server.output(),
        server,
    )
    status, page = server.get("/people/tan-qijian/")
    assert status == 200
    assert "Tan Qijian Edited" in page
    assert "unknown person 'tan-qijian'" not in server.output()  # no cascade from the broken file
    # …and shows the errors on the page too, escaped, on every page it serves.
    banner = (
        '<aside class="sc-preview-errors" role="alert"><p><strong>The content has errors: this '
        "is the last good build.</strong> Fix them and save: the page reloads.</p><pre>"
        + html.escape(located)
        + "</pre></aside>"
    )
    assert banner in page
    assert page.index("<body") < page.index(banner) < page.index("<h1")  # the top of the page
    assert banner in server.get("/")[1]
    # A field name that looks like markup is shown as text, never run.
    person.write_text(edited + "x<script>alert(1)</script>: 1\n", encoding="utf-8")
    quoted = html.escape("unknown field 'x<script>alert(1)</script>'")
    wait_for("the second error", lambda: quoted in server.get("/people/tan-qijian/")[1], server)
    assert "<script>alert(1)" not in server.get("/people/tan-qijian/")[1]

    # Fixed again: the preview picks up where it left off.
    fixed = good.replace("name: Tan Qijian", "name: Tan Qijian Fixed", 1)
    person.write_text(fixed, encoding="utf-8")
    wait_for(
        "the fixed name", lambda: "Tan Qijian Fixed" in server.get("/people/tan-qijian/")[1], server
    )
    assert "sc-preview-errors" not in server.get("/people/tan-qijian/")[1]  # gone when fixed
    # The next save is read alone (the watcher says which file it was), and shows up too.
    again = good.replace("name: Tan Qijian", "name: Tan Qijian Again", 1)
    person.write_text(again, encoding="utf-8")
    wait_for(
        "the name saved again",
        lambda: "Tan Qijian Again" in server.get("/people/tan-qijian/")[1],
        server,
    )
    assert "changed (read: the saved files)" in server.output()


@pytest.mark.parametrize(
    "server", [{}, {"SHOE_CAPITAL_WATCH": "poll"}], ids=["native", "polling"], indirect=True
)
def test_one_save_makes_one_rebuild(server: Server) -> None:
    """On Linux the preview hears of saves from inotify, which also reports every file a
    build opens and reads: those must not set off another build, or it would never stop.
    SHOE_CAPITAL_WATCH=poll keeps MkDocs' polling (for mounts inotify cannot see)."""
    person = server.project / "content" / "people" / "tan-qijian.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace("Tan Qijian", "Tan Q", 1))
    wait_for("the edit", lambda: ">Tan Q<" in server.get("/people/tan-qijian/")[1], server)
    time.sleep(2.0)  # a build set off by the build's own reads would have started by now
    assert server.output().count("Building documentation...") == 2, server.output()  # 1st, 2nd
    assert server.output().count("Documentation built in") == 2, server.output()
