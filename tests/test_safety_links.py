"""Links in Markdown fields: only http(s), mailto and the site's own pages.

A `javascript:`, `data:` or `vbscript:` link (however it is disguised) is refused by
`check` with the line and column of the link inside the multi-line field; web links whose
text could end a Markdown link early are encoded so they stay one link.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.pipeline import generate
from generator.read.links import link_scheme, problems
from generator.read.markup import url

ROOT = Path(__file__).resolve().parent.parent
STORY = "chengdu-footwear-goes-overseas-2023"

EVENT = """\
title: An event with links
date: 2023
description: |
  The first line is fine, and so is [the park](https://example.org/park).
  See [the park](javascript:alert(document.domain)) for more.
  Or [this]( JaVaScRiPt:alert(1)) or [that](java\tscript:alert(1)).
  Then [an entity](&#106;avascript:alert(1)) and ![a picture](data:image/svg+xml,x).
  And <vbscript:msgbox(1)> in angle brackets, which the page shows as text.

  [a reference]: data:text/html;base64,PHNjcmlwdD4=
sources: [chengdu-footwear-goes-overseas-2023]
"""

INSIGHT = f"""\
title: Links that are fine
date: 2023
summary: Every kind of link that is allowed.
body: |
  Web [a](https://example.org) and [b](http://example.org/a?b=c#d), mail
  [c](mailto:editors@example.org), pages [d](../people/he-lixia.md), [e](#a-heading),
  [f](/about/), a citation [@{STORY}] and plain words such as data: or javascript: in prose.

  [g]: https://example.org/reference
  [h]: mailto:editors@example.org

  Then one bad one: [x](javascript:void(0)).
"""

EXPECTED = [
    "events/bad-links.yaml:5:18: error: 'javascript:' links are not allowed: "
    "'javascript:alert(document.domain)' could run script in a reader's browser",
    "events/bad-links.yaml:6:14: error: 'javascript:' links are not allowed: "
    "'JaVaScRiPt:alert(1)' could run script in a reader's browser",
    "events/bad-links.yaml:6:45: error: 'javascript:' links are not allowed: "
    "'java script:alert(1)' could run script in a reader's browser",
    "events/bad-links.yaml:7:20: error: 'javascript:' links are not allowed: "
    "'&#106;avascript:alert(1)' could run script in a reader's browser",
    "events/bad-links.yaml:7:63: error: 'data:' links are not allowed: "
    "'data:image/svg+xml,x' could run script in a reader's browser",
    "events/bad-links.yaml:10:18: error: 'data:' links are not allowed: "
    "'data:text/html;base64,PHNjcmlwdD4=' could run script in a reader's browser",
    "insights/fine-links.yaml:12:25: error: 'javascript:' links are not allowed: "
    "'javascript:void(0)' could run script in a reader's browser",
]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "events" / "bad-links.yaml").write_text(EVENT)
    (content / "insights").mkdir(exist_ok=True)
    (content / "insights" / "fine-links.yaml").write_text(INSIGHT)
    return content


def _check(content: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    prefix = content.as_posix() + "/"
    lines = [
        line.removeprefix(prefix)
        for line in result.stdout.splitlines()
        if not line.startswith("  hint:")
    ]
    return result.exit_code, lines


def test_check_points_at_each_unsafe_link_inside_the_field(content: Path) -> None:
    code, lines = _check(content)
    assert code == 1
    assert lines == EXPECTED


def test_links_in_a_file_with_windows_line_endings_are_located_the_same(
    content: Path,
) -> None:
    for name in ("events/bad-links.yaml", "insights/fine-links.yaml"):
        path = content / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, lines = _check(content)
    assert code == 1
    assert lines == EXPECTED


def test_the_hint_says_what_is_allowed(content: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert (
        "  hint: links may go to http:// or https:// addresses, mailto: addresses, or pages "
        "of this site (a relative path such as ../people/he-lixia.md)"
    ) in result.stdout


@pytest.mark.parametrize(
    ("field", "path", "old", "new"),
    [
        (
            "narration",
            f"stories/{STORY}.yaml",
            "    narration: |\n      ",
            "    narration: |\n      [x](javascript:alert(1)) ",
        ),
        (
            "soundbite text",
            f"stories/{STORY}.yaml",
            "      text: |\n        ",
            "      text: |\n        [x](javascript:alert(1)) ",
        ),
        (
            "site introduction",
            "site.yaml",
            "introduction: |\n  ",
            "introduction: |\n  [x](javascript:alert(1)) ",
        ),
    ],
)
def test_every_markdown_field_is_checked(
    tmp_path: Path, field: str, path: str, old: str, new: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    target = content / path
    text = target.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    target.write_text(text)
    line = text[: text.index("javascript:")].count("\n") + 1
    column = text.index("javascript:") - text.rfind("\n", 0, text.index("javascript:"))
    code, lines = _check(content)
    assert code == 1
    assert lines == [
        f"{path}:{line}:{column}: error: 'javascript:' links are not allowed: "
        "'javascript:alert(1)' could run script in a reader's browser"
    ]


@pytest.mark.parametrize(
    ("target", "scheme"),
    [
        ("https://example.org", "https"),
        ("mailto:a@example.org", "mailto"),
        ("../people/x.md", None),
        ("#anchor", None),
        ("/about/", None),
        ("page.md#x:y", None),
        ("javascript:x", "javascript"),
        (" \x01javascript:x", "javascript"),
        ("jav\nascr\tipt:x", "javascript"),
        ("&#x6A;avascript:x", "javascript"),
        ("DATA:text/html,x", "data"),
        ("vbscript:x", "vbscript"),
        ("file:///etc/passwd", "file"),
    ],
)
def test_the_scheme_is_read_as_a_browser_reads_it(target: str, scheme: str | None) -> None:
    assert link_scheme(target) == scheme


def test_prose_and_code_that_only_mention_a_scheme_are_not_links() -> None:
    assert problems("data: the figures. javascript: a language. [a] (b) c:d") == []
    assert problems("Text.[^1]\n\n[^1]: A footnote: javascript: is not a link.") == []


def test_a_web_address_cannot_end_its_markdown_link_early() -> None:
    hostile = "https://example.org/)[x](javascript:alert(1)"
    html = markdown.markdown(f"[original]({url(hostile)})")
    assert html == (
        '<p><a href="https://example.org/%29%5Bx%5D%28javascript:alert%281%29">original</a></p>'
    )


def test_a_story_source_url_renders_as_one_safe_link(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    story = content / "stories" / f"{STORY}.yaml"
    text = story.read_text()
    medium = next(line for line in text.splitlines(keepends=True) if line.startswith("  medium:"))
    story.write_text(
        text.replace(medium, medium + '  url: "https://example.org/)[x](javascript:alert(1)"\n', 1)
    )
    output, _ = generate(content, tmp_path / "generated")
    page = output.files[f"stories/{STORY}.md"].decode()
    assert "[original](https://example.org/%29%5Bx%5D%28javascript:alert%281%29)" in page
    html = markdown.markdown(page, extensions=["attr_list", "md_in_html"])
    assert 'href="javascript:' not in html


def test_other_schemes_are_refused_too(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "events" / "ftp.yaml").write_text(
        "title: A file link\ndate: 2023\nsources: [chengdu-footwear-goes-overseas-2023]\n"
        "description: See [the file](file:///etc/passwd).\n"
    )
    code, lines = _check(content)
    assert code == 1
    assert lines == [
        "events/ftp.yaml:4:29: error: 'file:' links are not allowed: "
        "'file:///etc/passwd' is not a web, mail or internal link"
    ]


def test_an_image_from_another_server_is_refused(tmp_path: Path) -> None:
    """The site makes no request to other servers, so an editor cannot add one by an image."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "events" / "pictures.yaml").write_text(
        "title: Pictures\ndate: 2023\nsources: [chengdu-footwear-goes-overseas-2023]\n"
        "description: |\n  ![a shoe](https://tracker.example/pixel.png)\n"
        "  ![local](../assets/shoe.png) ![b]( //tracker.example/b.png)\n"
    )
    code, lines = _check(content)
    assert code == 1
    assert lines == [
        "events/pictures.yaml:5:13: error: image 'https://tracker.example/pixel.png' is on "
        "another server: readers' browsers would fetch it from there",
        "events/pictures.yaml:6:12: error: image '../assets/shoe.png' is no file of the site: "
        "from timeline.md it leads outside the site",
        "events/pictures.yaml:6:38: error: image '//tracker.example/b.png' is on another server: "
        "readers' browsers would fetch it from there",
    ]


def test_the_markdown_fields_are_the_ones_checked() -> None:
    """A new Markdown field must be seen by the link check: if this fails, check that
    generator.read.links.markdown_fields finds it (its type must be model.types.Markdown)."""
    from generator.read.links import _fields
    from generator.read.model import KINDS, SITE
    from generator.read.model.items import Segment, Soundbite

    models = {kind.model for kind in (*KINDS, SITE)} | {Segment, Soundbite}
    found = {
        f"{model.__name__}.{name}"
        for model in models
        for name, markdown in _fields(model)
        if markdown
    }
    assert found == {
        "Segment.narration",
        "Soundbite.text",
        "Event.description",
        "Insight.body",
        "Site.introduction",
    }
