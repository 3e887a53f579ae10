"""The browser harness itself: Chromium starts, local pages load, external requests are blocked."""

from __future__ import annotations

from pathlib import Path

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Harness smoke test</title>
<link rel="stylesheet" href="style.css"></head>
<body>
<h1>Hello</h1>
<img id="local" src="pixel.svg" alt="local">
<img id="external" src="https://example.org/x.png" alt="external">
</body>
</html>
"""


def _write_site(root: Path) -> Path:
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "style.css").write_text("h1 { color: rgb(0, 0, 128); }\n", encoding="utf-8")
    (root / "pixel.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n', encoding="utf-8"
    )
    return root


def test_served_page_loads_and_external_request_is_blocked(tmp_path, serve_dir, new_page):
    base_url = serve_dir(_write_site(tmp_path))
    guarded = new_page(base_url)

    guarded.page.goto("/index.html", wait_until="load")

    assert guarded.page.title() == "Harness smoke test"
    # Same-origin resources went through.
    assert guarded.page.eval_on_selector("h1", "e => getComputedStyle(e).color") == "rgb(0, 0, 128)"
    assert guarded.page.eval_on_selector("#local", "e => e.complete && e.naturalWidth") == 1
    # The external image was aborted, counted, and never loaded.
    assert guarded.blocked == ["https://example.org/x.png"]
    assert guarded.page.eval_on_selector("#external", "e => e.naturalWidth") == 0


def test_file_url_page_loads_and_external_request_is_blocked(tmp_path, new_page):
    index = _write_site(tmp_path) / "index.html"
    guarded = new_page()

    guarded.page.goto(index.as_uri(), wait_until="load")

    assert guarded.page.title() == "Harness smoke test"
    assert guarded.page.eval_on_selector("h1", "e => getComputedStyle(e).color") == "rgb(0, 0, 128)"
    assert guarded.blocked == ["https://example.org/x.png"]


def test_serve_dir_serves_files_over_http(tmp_path, serve_dir):
    from urllib.request import urlopen

    (tmp_path / "hello.txt").write_text("hi\n", encoding="utf-8")
    base_url = serve_dir(tmp_path)

    assert base_url.startswith("http://127.0.0.1:")
    with urlopen(f"{base_url}/hello.txt", timeout=5) as response:
        assert response.read() == b"hi\n"
