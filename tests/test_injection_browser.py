"""No injection: script, event handlers, javascript: links and template syntax written into
every text field of every kind of item show on the site as text, and nothing runs.

The hostile project is the real content with a payload appended to every plain-text and
Markdown field (found from the models, so a new field is covered without editing this
test). The site is built once; Chromium opens every page and runs a search. Each payload
would set ``window.__pwned`` or open a dialog if it ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import serve_directory, site_search
from pydantic import BaseModel

from generator.cli import main
from generator.read.load import load_file
from generator.read.model import KIND_BY_FOLDER, SITE
from generator.read.model.types import Markdown, Text

ROOT = Path(__file__).resolve().parent.parent

# Shown as text wherever plain text goes. Each part would run if it reached the page as HTML,
# as an attribute, as a Markdown link or as a template.
TEXT_PAYLOAD = (
    "<script>window.__pwned='script';alert('script')</script>"
    " <img src=x onerror=\"window.__pwned='img';alert('img')\">"
    " \"><svg onload=window.__pwned='svg'>"
    " [click](javascript:window.__pwned='link')"
    " {{ 7*191 }} {% raw %}"
)
# Markdown fields keep formatting, so they get Markdown-shaped attacks too: raw HTML blocks,
# attribute lists and an HTML link. (A javascript: Markdown link is refused by check: see
# test_check_refuses_a_javascript_link_in_markdown below and tests/test_safety_links.py.)
MARKDOWN_PAYLOAD = (
    "\n\n<script>window.__pwned='block';alert('block')</script>\n\n"
    "Some *emphasis*{: onclick=\"window.__pwned='attr'\" } and "
    "<a href=\"javascript:window.__pwned='a'\">an HTML link</a>"
    " <img src=x onerror=\"window.__pwned='mdimg'\"> {{ 7*191 }} {% if true %}x{% endif %}\n"
    "    <img src=x onerror=\"window.__pwned='indented'\">\n"
    "`a\n# <img src=x onerror=\"window.__pwned='heading'\">`\n"
)
SHOWN = ["<script>window.__pwned='script';alert('script')</script>", "{{ 7*191 }}"]
SHOWN_MARKDOWN = [
    "<a href=\"javascript:window.__pwned='a'\">an HTML link</a>",
    "{% if true %}x{% endif %}",
]
# Fields whose value is a code, not prose: a payload there is refused, not shown.
CODES = {"language"}


def _payload(item: Any, model: type[BaseModel]) -> Any:
    """``item`` (data as loaded) with the payload appended to every text and Markdown field."""
    if not isinstance(item, dict):
        return item
    hints = typing.get_type_hints(model, include_extras=True)
    result = dict(item)
    for name, value in item.items():
        annotation = hints.get(name)
        if annotation is None or value is None:
            continue
        result[name] = _field(value, annotation, name)
    return result


def _field(value: Any, annotation: Any, name: str) -> Any:
    if name == "quote" and isinstance(value, list):
        # A fact's quote must be words of its segment (check verifies it): its payload is
        # the one every segment now ends with, shown on fact pages and the fact sheet.
        return [*value, " ".join(MARKDOWN_PAYLOAD.split())]
    if name == "as_printed" and isinstance(value, str):
        # The figure as printed must be in the quote too: the same payload, as printed.
        return " ".join(MARKDOWN_PAYLOAD.split())
    if _is(annotation, Markdown) and isinstance(value, str):
        return value.rstrip("\n") + MARKDOWN_PAYLOAD
    if _is(annotation, Text) and isinstance(value, str):
        return value if name in CODES else f"{value} {TEXT_PAYLOAD}"
    if isinstance(value, list):
        return [_field(v, _element(annotation), name) for v in value]
    model = _model(annotation)
    if model is not None and isinstance(value, dict):
        return _payload(value, model)
    return value


def _is(annotation: Any, target: Any) -> bool:
    return annotation == target or any(
        _is(arg, target)
        for arg in typing.get_args(annotation)
        if typing.get_origin(annotation) is not typing.Annotated
    )


def _element(annotation: Any) -> Any:
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is list:
            return typing.get_args(arg)[0]
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else annotation


def _model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model(arg)
        if found is not None:
            return found
    return None


def hostile_project(target: Path) -> Path:
    """The project with every text field of every content file carrying the payload."""
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("docs", "generator/theme"):
        shutil.copytree(ROOT / folder, target / folder)
    for source in sorted((ROOT / "content").rglob("*.yaml")):
        relative = source.relative_to(ROOT / "content")
        kind = SITE if relative.as_posix() == "site.yaml" else KIND_BY_FOLDER[relative.parts[0]]
        data = _payload(load_file(source).data, kind.model)
        out = target / "content" / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000))
    return target


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    project = hostile_project(tmp_path_factory.mktemp("hostile") / "project")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SHOE_CAPITAL_CONTENT", None)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    with serve_directory(project / "site") as base_url:
        yield project / "site", base_url


def _pages(site: Path) -> list[str]:
    """Every page made from a different template: the top-level pages and each list page,
    and the first item page of each kind (another would only repeat its template)."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    chosen = [p for p in pages if p.count("/") <= 1]
    for folder in sorted({p.split("/")[0] for p in pages if p.count("/") == 2}):
        chosen += [p for p in pages if p.startswith(f"{folder}/") and p.count("/") == 2][:1]
    return chosen


def test_every_kind_of_item_carries_the_payload(hostile_site: tuple[Path, str]) -> None:
    """The test means something only if the payload reached every kind of page."""
    site, _ = hostile_site
    for folder in KIND_BY_FOLDER:
        if folder in ("events", "glossary"):
            page = site / ("timeline" if folder == "events" else "glossary") / "index.html"
        else:
            pages = sorted((site / folder).glob("*/index.html"))
            assert pages, f"no {folder} pages"
            page = pages[0]
        assert "window.__pwned=" in page.read_text(), page


def test_nothing_runs_and_the_text_shows_as_text(
    hostile_site: tuple[Path, str], new_page: Any
) -> None:
    site, base_url = hostile_site
    guarded = new_page(base_url)
    page = guarded.page
    dialogs: list[str] = []
    page.on(
        "dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss())
    )
    shown_on: dict[str, list[str]] = {}
    for relative in _pages(site):
        page.goto(f"/{relative}", wait_until="load")
        page.wait_for_timeout(20)  # let an onerror of a broken image fire
        state = page.evaluate("""() => ({
            pwned: window.__pwned === undefined ? null : String(window.__pwned),
            handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
            scriptLinks: [...document.querySelectorAll('[href],[src]')]
                .map(e => e.getAttribute('href') || e.getAttribute('src'))
                .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u || '')),
            text: document.body.innerText,
        })""")
        assert state["pwned"] is None, f"{relative}: payload ran ({state['pwned']})"
        assert state["handlers"] == [], f"{relative}: event handler attributes {state['handlers']}"
        assert state["scriptLinks"] == [], f"{relative}: script links {state['scriptLinks']}"
        assert "1337" not in state["text"], f"{relative}: a template was evaluated"
        shown_on[relative] = [s for s in SHOWN + SHOWN_MARKDOWN if s in state["text"]]
    assert dialogs == []
    assert guarded.page_errors == []
    # The text shows literally, as written: on every item page (its title at least) …
    items = [p for p in shown_on if p.count("/") == 2 and p.split("/")[0] in KIND_BY_FOLDER]
    assert {p.split("/")[0] for p in items} >= {
        "stories",
        "insights",
        "people",
        "organizations",
        "places",
        "topics",
        "facts",
    }, items
    for relative in items:
        assert SHOWN[0] in shown_on[relative], relative
    # … and Markdown fields (narration, soundbites, event descriptions) keep raw HTML as text.
    story = next(p for p in items if p.startswith("stories/"))
    assert shown_on[story] == SHOWN + SHOWN_MARKDOWN, shown_on[story]
    assert shown_on["timeline/index.html"] == SHOWN + SHOWN_MARKDOWN


def test_hovering_titles_and_nav_entries_runs_nothing(
    hostile_site: tuple[Path, str], new_page: Any
) -> None:
    """Tooltips are where a title attribute, or a truncated nav entry, could become HTML."""
    site, base_url = hostile_site
    guarded = new_page(base_url)
    page = guarded.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    story = next(
        p.relative_to(site).as_posix() for p in sorted((site / "stories").glob("*/index.html"))
    )
    for relative in (story, "glossary/index.html"):
        page.goto(f"/{relative}", wait_until="load")
        hovered = 0
        for element in page.query_selector_all("[title], abbr, .md-ellipsis, .md-nav__link")[:50]:
            if element.is_visible():
                element.hover(force=True, timeout=2_000)  # headers overlap; hover regardless
                element.focus()
                hovered += 1
        page.wait_for_timeout(300)
        assert hovered > 5, relative
        assert page.evaluate("window.__pwned === undefined"), relative
    assert dialogs == []


def test_search_results_show_the_payload_as_text(
    hostile_site: tuple[Path, str], new_page: Any
) -> None:
    _, base_url = hostile_site
    guarded = new_page(base_url)
    page = guarded.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/", wait_until="load")
    links = site_search(page, "alert")
    page.wait_for_timeout(300)
    assert links, "the payload is searchable, so the search shows it"
    assert page.evaluate("window.__pwned === undefined")
    results = page.locator(".md-search-result").inner_text()
    assert "<script>window.__pwned" in results or "alert('script')" in results
    assert (
        page.evaluate(
            "document.querySelectorAll('.md-search-result img, .md-search-result script').length"
        )
        == 0
    )
    assert dialogs == []


def test_check_refuses_a_javascript_link_in_markdown(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    event = content / "events" / "a-link.yaml"
    event.write_text(
        "title: A link\ndate: 2023\nsources: [chengdu-footwear-goes-overseas-2023]\n"
        "description: |\n  Read on.\n  [Run](javascript:window.__pwned=1) now.\n"
    )
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert (
        f"{event.as_posix()}:6:9: error: 'javascript:' links are not allowed: "
        "'javascript:window.__pwned=1' could run script in a reader's browser"
    ) in result.stdout.splitlines()
