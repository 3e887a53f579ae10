"""What the strictest checks found on built pages, kept fixed: row headers that are headers, no
attribute HTML does not know, and a build log without a line per page outside the navigation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from conftest import build_site, sample_project

ROOT = Path(__file__).resolve().parents[1]


def test_a_fact_pages_rows_are_labelled_by_row_headers(project_site: Path) -> None:
    page = (project_site / "facts" / "huidu-park-enterprise-count" / "index.html").read_text()
    table = page[page.index("<table") : page.index("</table>")]
    assert not re.search(r"<th[^>]*>\s*</th>", table)  # no empty header cells
    assert "<thead" not in table
    labels = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert labels[:3] == ["Figure", "As of", "Source"]
    assert table.count("<tr>") == len(labels)  # every row has its label as its header


def test_no_page_carries_an_attribute_html_does_not_define(project_site: Path) -> None:
    pages = [p for p in project_site.rglob("*.html")]
    assert pages
    carrying = [
        p.relative_to(project_site).as_posix() for p in pages if "autocorrect=" in p.read_text()
    ]
    assert carrying == []


def test_a_build_does_not_list_the_pages_left_out_of_the_navigation(tmp_path: Path) -> None:
    """Facts, people, places … are reached from pages, not the navigation, by design."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Documentation built" in done.stderr  # the log is there, at its usual level
    assert 'not included in the "nav"' not in done.stderr
    assert (site / "facts" / "huidu-park-enterprise-count" / "index.html").exists()


class _Heads(HTMLParser):
    """The <title> text and the attributes of meta and footer links, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.metas, self.labels, self._in_title = "", {}, [], False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._in_title = tag == "title"
        if tag == "meta" and found.get("property"):
            self.metas[found["property"]] = found.get("content")
        if tag == "a" and "md-footer__link" in (found.get("class") or ""):
            self.labels.append(found.get("aria-label"))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def test_titles_with_markup_characters_are_escaped_exactly_once(tmp_path: Path) -> None:
    """A site title and story titles holding <, & and " read as written: in <title>, in the
    link previews' metadata and in the footer links' accessible names."""
    project = sample_project(tmp_path / "project")
    site_file = project / "content" / "site.yaml"
    title = 'Shoe <Capital> & "Co"'
    text = site_file.read_text(encoding="utf-8")
    site_file.write_text(re.sub(r"^title: .*$", f"title: '{title}'", text, flags=re.M))
    story_file = project / "content" / "stories" / "sample-report.yaml"
    story_title = "Chengdu's shoes & <more>"
    text = story_file.read_text(encoding="utf-8")
    story_file.write_text(re.sub(r"^title: .*$", f'title: "{story_title}"', text, flags=re.M))
    site = tmp_path / "site"
    build_site(project, site)
    home = _Heads()
    home.feed((site / "index.html").read_text(encoding="utf-8"))
    assert home.title == title
    assert home.metas["og:site_name"] == title
    stories = _Heads()
    stories.feed((site / "stories" / "index.html").read_text(encoding="utf-8"))
    assert stories.title == f"Stories - {title}"
    # the story follows its year's page in the navigation, and the footer
    (year_page,) = (site / "stories" / "years").glob("*/index.html")
    year = _Heads()
    year.feed(year_page.read_text(encoding="utf-8"))
    assert f"Next: {story_title}" in year.labels
    story = _Heads()
    story.feed((site / "stories" / "sample-report" / "index.html").read_text(encoding="utf-8"))
    assert story.title == f"{story_title} - {title}"
    assert story.metas["og:title"] == story_title
