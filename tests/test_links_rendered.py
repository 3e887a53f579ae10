"""Links are checked on what the page will contain, in every Markdown form.

Each Markdown field is rendered as its page renders it (the text as generator.read.markup writes
it, the extensions of mkdocs.yml) and every URL of the HTML is checked: no Markdown form —
a reference definition in a quote, a list, an admonition, a footnote, a definition list, on
the line after its label, with an empty label; an image by reference — can put a
``javascript:`` link or an image from another server on the page. Relative links must lead
to a page (or, for an image, a file) of the site from every page the field is shown on,
checked by ``check`` in the content file (tests/fixtures/invalid/broken-internal-link).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.diagnostics import ContentError
from generator.pipeline.session import Session
from generator.read import links, markdown_scan, markup
from generator.read.links import problems
from generator.read.markdown_scan import site_markdown

ROOT = Path(__file__).resolve().parent.parent
STORY = "chengdu-footwear-goes-overseas-2023"
JS = "javascript:alert(document.domain)"


def _page_html(text: str) -> str:
    """What a page makes of a field, as MkDocs renders it: no check involved."""
    site = site_markdown()
    md = markdown.Markdown(extensions=list(site.extensions), extension_configs=site.configs)
    return md.convert(markup.markdown(text))


def _messages(text: str) -> list[str]:
    return [message for _, _, message, _ in problems(text)]


# Each form reaches the page as a live javascript: link when nothing checks it.
HOSTILE_LINKS = {
    "definition in a blockquote": f"> Quoted [words][q].\n>\n> [q]: {JS}\n",
    "definition in a blockquote in a list": f"- item\n\n    > [q][]\n    >\n    > [q]: {JS}\n",
    "definition in a list item": f"- one [x][l]\n- two\n\n    [l]: {JS}\n",
    "definition in an admonition": f"!!! note\n    See [this][n].\n\n    [n]: {JS}\n",
    "definition in a collapsed block": f"??? note\n    See [this][n].\n\n    [n]: {JS}\n",
    "definition in an open collapsed block": f'???+ tip "Tip"\n    [n]: {JS}\n\n[go][n]\n',
    "definition in a definition list": f"Term\n:   See [it][d].\n\n    [d]: {JS}\n",
    "definition in a footnote": f"Text[^1] and [x][f].\n\n[^1]: Note.\n\n    [f]: {JS}\n",
    "link in a footnote body": f"Text[^n].\n\n[^n]: See [this]({JS}).\n",
    "unused footnote's link": f"Text.\n\n[^z]: See [this]({JS}).\n",
    "target on the next line": f"[Read][r].\n\n[r]:\n    {JS}\n",
    "empty label": f"[t][]\n\n[]: {JS}\n",
    "definition with a title": f'[t][r]\n\n[r]: {JS} "A title"\n',
    "definition with a title on the next line": f"[t][r]\n\n[r]: {JS}\n    'A title'\n",
    "shortcut reference": f"[here]\n\n[here]: {JS}\n",
    "collapsed reference, any case": f"[Here][]\n\n[HERE]: {JS}\n",
    "reference used by another field": f"[r]: {JS}\n",
    "link in a heading": f"## See [this]({JS})\n",
    "link in a table": f"| a | b |\n| - | - |\n| [x]({JS}) | y |\n",
    "link in an admonition title": f'!!! note "[x]({JS})"\n    Body.\n',
    "link in a collapsed block's summary": f'??? note "[x]({JS})"\n    Body.\n',
    "link in a term": f"[x]({JS})\n:   Definition.\n",
    "link in link text": f"[a [b]({JS}) c][ref]\n",
    "tab in the scheme": "[x](java\tscript:alert(1))",
    "entity-encoded scheme": "[x](jav&#x61;script:alert(1))",
    "entity-encoded scheme, no semicolon": "[x](&#106avascript:alert(1))",
    "named entity for the colon": "[x](javascript&colon;alert(1))",
    "leading space entity": "[x](&#32;javascript:alert(1))",
    "upper case": "[x](JAVASCRIPT:alert(1))",
    "angle brackets written as text": f"[x](<{JS}>)\n\n[y]: <{JS}>\n",
    "data URL": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript": "[x](vbscript:msgbox(1))",
    "other scheme": "[x](file:///etc/passwd)",
    "md_in_html block written as text": f'<div markdown="1">\n[x][y]\n\n[y]: {JS}\n</div>\n',
}


@pytest.mark.parametrize("text", HOSTILE_LINKS.values(), ids=HOSTILE_LINKS.keys())
def test_every_form_of_a_bad_link_is_refused(text: str) -> None:
    messages = _messages(text)
    assert messages, text
    assert all("links are not allowed" in m for m in messages), messages


HOSTILE_IMAGES = {
    "image by reference": "![pic][i]\n\n[i]: https://tracker.example/p.png\n",
    "image by reference, target on the next line": (
        "![pic][i]\n\n[i]:\n    https://tracker.example/p.png\n"
    ),
    "image by a reference another field defines": "![pic][i]\n",
    "image by shortcut reference": "![pic]\n\n[pic]: ../assets/local.png\n",
    "image in a blockquote in a list": "- a\n\n    > ![p](https://tracker.example/p.png)\n",
    "image in a footnote": "Text[^1].\n\n[^1]: ![p](//tracker.example/p.png)\n",
    "image in an admonition": "!!! note\n    ![p](https://tracker.example/p.png)\n",
    "image with a title": '![p](https://tracker.example/p.png "t")',
    "image with backslashes": "![p](\\\\\\\\tracker.example\\p.png)",
    "image with a tab": "![p](\t//tracker.example/p.png)",
    "image by mail": "![p](mailto:a@example.org)",
    "image as data": "![p](data:image/svg+xml,<svg onload=alert(1)>)",
}


@pytest.mark.parametrize("text", HOSTILE_IMAGES.values(), ids=HOSTILE_IMAGES.keys())
def test_every_form_of_an_image_from_elsewhere_is_refused(text: str) -> None:
    assert _messages(text), text


def test_the_forms_are_live_on_a_page_nothing_checks() -> None:
    """The hostile examples are real: rendered as a page renders them (with, where a form
    needs it, what another field of the page would add), each holds a javascript:, data:,
    vbscript: or file: link or an image from elsewhere. Two are refused though harmless: a
    tab in the scheme becomes spaces, and angle brackets show as text."""
    live = re.compile(r'href="(?:javascript|java\s+script|jav&amp;#x61;|&amp;#|JAVA|data|vbs|file)')
    for name, text in HOSTILE_LINKS.items():
        if name in ("reference used by another field", "link in link text"):
            text += "\n\n[use][r]\n" if "[r]" in text else "\n\n[ref]: ../x.md\n"
        page = _page_html(text)
        if name == "angle brackets written as text":
            assert "&lt;javascript:" in page  # harmless, and still refused
            continue
        assert live.search(page), (name, page)
    outside = re.compile(r'src="(?:https?:)?(?://|\\\\|\s*//)|src="(?:mailto|data)')
    for name, text in HOSTILE_IMAGES.items():
        if name == "image by a reference another field defines":
            text += "\n[i]: https://tracker.example/p.png\n"
        page = _page_html(text)
        if name == "image by shortcut reference":
            text = text.replace("../assets/local.png", "https://tracker.example/p.png")
            page = _page_html(text)
        assert outside.search(page), (name, page)


ALLOWED = {
    "web": "[a](https://example.org/a?b=c#d) and [b](http://example.org)",
    "mail": "[c](mailto:editors@example.org)",
    "page": "[d](../people/he-lixia.md) [e](#a-heading)",
    "reference to the web": "[f][g]\n\n[g]: https://example.org/reference 'Title'\n",
    "local image": "![p](../assets/p.png)",
    "footnote": "Text[^1].\n\n[^1]: A note: javascript: is not a link here.\n",
    "citation": "As reported [@chengdu-footwear-goes-overseas-2023].",
    "prose": "data: the figures. javascript: a language. [a] (b) c:d",
    "code span": "`[x](javascript:alert(1))`",
    "fenced code": f"```\n[x]({JS})\n```\n",
    "indented code": f"Text.\n\n    [x]({JS})\n",
    "angle-bracket autolink": f"<{JS}> and <vbscript:msgbox(1)> show as text",
    "attribute list": '[x](https://example.org){: href="javascript:alert(1)" }',
    "attribute list on a block": 'Para.\n{: onclick="alert(1)" style="background:url(//x)" }',
    "raw HTML": f'<a href="{JS}">a</a> <img src="https://tracker.example/p.png">',
    "abbreviation": f"*[HTML]: {JS}\n\nHTML here.",
    "heading permalink": "## A heading\n\nText.",
    "table alignment": "| a | b |\n|:-|-:|\n| 1 | 2 |\n",
}


@pytest.mark.parametrize("text", ALLOWED.values(), ids=ALLOWED.keys())
def test_what_the_page_shows_as_text_or_safe_links_is_accepted(text: str) -> None:
    assert problems(text) == []
    page = _page_html(text)
    assert not re.search(r'<[a-z][^<>]*\s(?:href|src)="javascript', page, re.I), page
    assert not re.search(r'<[a-z][^<>]*\ssrc="(?:https?:)?//', page), page
    assert not re.search(r'<[a-z][^<>]*\s(?:onclick=|style="[^"]*url)', page), page


# Characters that mean something to Markdown or its extensions: anything but '['.
_MARKDOWN_TEXT = st.lists(
    st.sampled_from(
        list("]()<>!*_`~:=#-+|{}&;/\\\"' \t\n.^?%@")
        + ["javascript:", "https://x.org/p.png", "www.x.org", "\n\n", "\n    ", "!!! note\n    "]
        + ["??? note\n    ", "> ", "- ", "1. ", ": ", "```\n", "*", "&#91;", "&lsqb;", "［"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARKDOWN_TEXT)
def test_text_without_a_bracket_makes_no_link(text: str) -> None:
    """The prefilter: a field without '[' is not rendered, because under the site's
    extensions it cannot make a URL (toc's '#' permalinks aside). If an extension that links
    other text is added, this fails, or links.site_markdown stops skipping (see below)."""
    assert "[" not in text
    page = _page_html(text)
    urls = re.findall(r'(?:href|src|srcset|cite|action|data|poster)="([^"]*)"', page)
    assert all(u.startswith("#") for u in urls), (text, page)


def test_an_extension_that_links_other_text_turns_the_prefilter_off(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config["markdown_extensions"].append("pymdownx.magiclink")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "offline.yml").write_text("INHERIT: mkdocs.yml\nsite_dir: x\n")
    assert site_markdown().bracket_only and markdown_scan._bracket_only()
    for name in ("mkdocs.yml", "offline.yml"):  # the quick reading agrees with MkDocs'
        assert not site_markdown(tmp_path / name).bracket_only
        assert not markdown_scan._bracket_only(tmp_path / name)


def test_the_offline_site_renders_markdown_alike() -> None:
    """One source of truth: the extensions are read from mkdocs.yml, and the offline
    configuration (which inherits it) must not render fields differently."""
    online = site_markdown(ROOT / "mkdocs.yml")
    offline = site_markdown(ROOT / "mkdocs.offline.yml")
    assert (online.extensions, online.configs) == (offline.extensions, offline.configs)
    assert online.docs_dir == offline.docs_dir == ROOT / "docs"
    raw = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["markdown_extensions"]
    names = [e if isinstance(e, str) else next(iter(e)) for e in raw]
    assert set(names) <= set(online.extensions)


def test_one_markdown_instance_serves_every_field() -> None:
    first = markdown_scan._renderer()
    assert problems("[x](javascript:a)") and problems("[y][r]\n\n[r]: javascript:b")
    assert problems("[y][r]") == []  # the definition of the field before does not linger
    assert markdown_scan._renderer() is first


# --- in the content files: located errors ---------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


def _check(content: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--content", str(content)])
    prefix = content.as_posix() + "/"
    return result.exit_code, [line.removeprefix(prefix) for line in result.stdout.splitlines()]


def _edit_story(content: Path, old: str, new: str) -> str:
    path = content / "stories" / f"{STORY}.yaml"
    text = path.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text)
    return text


def _position(text: str, needle: str) -> str:
    at = text.index(needle)
    return f"{text.count(chr(10), 0, at) + 1}:{at - text.rfind(chr(10), 0, at)}"


def test_a_definition_in_a_quote_is_located_in_the_file(content: Path) -> None:
    text = _edit_story(
        content,
        "    narration: |\n      ",
        "    narration: |\n      > Quoted [words][q].\n      >\n      > [q]:\n      >   "
        "JavaScript:alert(1)\n\n      ",
    )
    code, lines = _check(content)
    assert code == 1
    assert lines[0] == (
        f"stories/{STORY}.yaml:{_position(text, 'JavaScript')}: error: 'javascript:' links are "
        "not allowed: 'JavaScript:alert(1)' could run script in a reader's browser"
    )


def test_an_image_by_reference_is_located_at_its_label(content: Path) -> None:
    text = _edit_story(
        content,
        "    narration: |\n      ",
        "    narration: |\n      A picture: ![the park][Park].\n\n      ",
    )
    code, lines = _check(content)
    assert code == 1
    assert lines == [
        f"stories/{STORY}.yaml:{_position(text, '[Park]')}: error: image '[Park]' takes its "
        "address from a reference definition, which any field on the page could set",
        "  hint: write the image's path in place, as ![what it shows](../assets/picture.png)",
    ]


# --- internal links ------------------------------------------------------------------


def test_a_link_to_a_page_that_does_not_exist_is_found_by_check(content: Path) -> None:
    text = _edit_story(
        content,
        "    narration: |\n      ",
        "    narration: |\n      Ask [him](../people/tan-qijan.md) or\n"
        "      [her](../people/nobody.md#x).\n      ",
    )
    code, lines = _check(content)
    assert code == 1
    assert lines == [
        f"stories/{STORY}.yaml:{_position(text, '../people/tan-qijan.md')}: error: link "
        f"'../people/tan-qijan.md' leads to no page of the site: from stories/{STORY}.md it is "
        "'people/tan-qijan.md'",
        "  hint: did you mean '../people/tan-qijian.md'?",
        f"stories/{STORY}.yaml:{_position(text, '../people/nobody.md')}: error: link "
        f"'../people/nobody.md#x' leads to no page of the site: from stories/{STORY}.md it is "
        "'people/nobody.md'",
        "  hint: link to a page's Markdown file, relative to this page: ../people/he-lixia.md, "
        "../about.md; images to a file in docs/assets/",
    ]


GOOD_LINKS = (
    "[a](../people/he-lixia.md) [b](../people/he-lixia.md#roles) [c](../about.md) "
    "[d](../editors/reference.md) [e](../people/index.md) [f](#award-and-industry) "
    "[g](../facts.csv) [h](../timeline.md#womens-shoe-capital-title-2005) "
    "[i](../glossary.md) [j](%2E%2E/people/he-lixia.md) [k](/about/) [l](?q=1) "
    f"[m]({STORY}.md) [n](../assets/stylesheets/shoe-capital.css)"
)


def test_links_to_pages_and_files_of_the_site_pass(content: Path) -> None:
    _edit_story(
        content, "    narration: |\n      ", f"    narration: |\n      {GOOD_LINKS}\n      "
    )
    event = content / "events" / "overseas-customers-visit-2023.yaml"
    event.write_text(
        event.read_text().replace("description: |\n", "description: |\n  [x](people/he-lixia.md)\n")
    )
    site = content / "site.yaml"
    site.write_text(
        site.read_text().replace("introduction: |\n", "introduction: |\n  [x](about.md)\n")
    )
    code, lines = _check(content)
    assert (code, lines) == (0, [])


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            "[x](../people/)",
            "link '../people/' leads to no page of the site: from {page} it is 'people/'",
        ),
        (
            "[x](../../about.md)",
            "link '../../about.md' leads to no page of the site: from {page} it leads outside",
        ),
        ("[x]: ../people/nobody.md", "link '../people/nobody.md' leads to no page"),
        (
            "![x](../people/he-lixia.md)",
            "image '../people/he-lixia.md' is a page of the site, not an image file",
        ),
        (
            "![x](../assets/shoe.png)",
            "image '../assets/shoe.png' is no file of the site: from {page} it is "
            "'assets/shoe.png'",
        ),
        (
            "[x](people/he-lixia.md)",
            "link 'people/he-lixia.md' leads to no page of the site: from {page} it is "
            "'stories/people/he-lixia.md'",
        ),
    ],
)
def test_every_relative_link_is_checked(content: Path, link: str, message: str) -> None:
    _edit_story(content, "    narration: |\n      ", f"    narration: |\n      {link}\n\n      ")
    code, lines = _check(content)
    assert code == 1
    assert message.format(page=f"stories/{STORY}.md") in lines[0], lines


def test_a_quote_is_checked_from_every_page_that_shows_it(content: Path) -> None:
    """A soundbite shows on its story's page and among the quotes on its speaker's page (and
    its organizations'): 'tan-qijian.md' works from people/ but not from stories/."""
    text = _edit_story(
        content,
        '      speaker: tan-qijian\n      role: "head of the operation center of a shoe company '
        'in Chengdu, Sichuan"\n      organizations: []\n      text: |\n        ',
        '      speaker: tan-qijian\n      role: "head of the operation center of a shoe company '
        'in Chengdu, Sichuan"\n      organizations: []\n      text: |\n        '
        "See [me](tan-qijian.md). ",
    )
    code, lines = _check(content)
    assert code == 1
    assert lines == [
        f"stories/{STORY}.yaml:{_position(text, 'tan-qijian.md')}: error: link 'tan-qijian.md' "
        f"leads to no page of the site: from stories/{STORY}.md it is 'stories/tan-qijian.md' "
        "(from people/tan-qijian.md it works)",
        f"  hint: these words are shown on stories/{STORY}.md, people/tan-qijian.md: a path "
        "such as ../people/he-lixia.md leads to the same page from each",
    ]


def test_the_live_preview_finds_a_broken_link_too(content: Path, tmp_path: Path) -> None:
    """A rebuild re-resolves only what changed: a link added, or the page it led to removed."""
    session = Session(content, tmp_path / "out")
    session.build()
    story = content / "stories" / f"{STORY}.yaml"
    good = story.read_text()
    _edit_story(
        content,
        "    narration: |\n      ",
        "    narration: |\n      [x](../people/nobody.md)\n      ",
    )
    with pytest.raises(ContentError) as error:
        session.build([story])
    assert "leads to no page" in error.value.diagnostics[0].message
    gone = content / "places" / "new-town.yaml"
    gone.write_text("name: New Town\nkind: city\n")
    story.write_text(
        good.replace(
            "    narration: |\n      ",
            "    narration: |\n      [x](../places/new-town.md)\n      ",
            1,
        )
    )
    session.build([story, gone])
    gone.unlink()
    with pytest.raises(ContentError) as error:
        session.build([gone])
    assert [d.message for d in error.value.diagnostics] == [
        "link '../places/new-town.md' leads to no page of the site: from "
        f"stories/{STORY}.md it is 'places/new-town.md'"
    ]


# --- the built site ------------------------------------------------------------------


# What check accepts, with links that lead somewhere (MkDocs also checks anchors, and an
# image must be a file in docs/).
ACCEPTED_HOSTILE = "\n\n".join(
    [
        *(text for name, text in ALLOWED.items() if name not in ("page", "local image")),
        "[page](../people/he-lixia.md) ![here](../assets/stylesheets/shoe-capital.css)",
    ]
)


def test_a_built_site_has_no_script_link_and_no_outside_image(tmp_path: Path) -> None:
    """Every hostile form check accepts (it shows as text or is a safe link) goes into a real
    build; the HTML of every page has no javascript: (or data:, vbscript:) href or src and
    loads no image from elsewhere. Every form check refuses stops the build."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "mkdocs.offline.yml"):
        shutil.copy2(ROOT / name, project / name)
    for folder in ("docs", "generator/theme", "content"):
        shutil.copytree(ROOT / folder, project / folder)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SHOE_CAPITAL_CONTENT", None)
    path = project / "content" / "stories" / f"{STORY}.yaml"
    text = path.read_text()
    indented = ACCEPTED_HOSTILE.replace("\n", "\n      ")
    path.write_text(
        text.replace("    narration: |\n      ", f"    narration: |\n      {indented}\n\n      ", 1)
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) > 50
    # In a tag (the text of a page may show such words, as text).
    bad_link = re.compile(
        r"""<[a-z][^<>]*\s(?:href|src|srcset|action|formaction|poster|data)\s*=\s*["']?\s*"""
        r"(?:javascript|vbscript|data):",
        re.I,
    )
    outside_image = re.compile(r"""<img[^<>]*\ssrc\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    for page in pages:
        html = page.read_text()
        assert not bad_link.search(html), page
        assert not outside_image.search(html), page
    story_page = (project / "site" / "stories" / STORY / "index.html").read_text()
    assert "&lt;javascript:alert(document.domain)&gt;" in story_page  # shown, as text
    shutil.rmtree(project / "site")
    hostile = [*HOSTILE_LINKS.values(), *HOSTILE_IMAGES.values()]
    for number, text in enumerate(hostile):
        (project / "content" / "events" / f"hostile-{number}.yaml").write_text(
            yaml.safe_dump(
                {"title": "Hostile", "date": 2023, "sources": [STORY], "description": text}
            )
        )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    output = (result.stdout + result.stderr).splitlines()
    located = {line.split(": error:")[0].strip() for line in output if ": error:" in line}
    assert {line.split(".yaml")[0] for line in located} == {
        f"content/events/hostile-{number}" for number in range(len(hostile))
    }
    assert not (project / "site").exists()


def test_a_cached_check_finds_a_broken_link_again(content: Path, tmp_path: Path) -> None:
    """A file with a broken link has no problem of its own, so the cache keeps it: its
    outline keeps the links, and the next check reports the same error."""
    _edit_story(
        content, "    narration: |\n      ", "    narration: |\n      [x](nobody.md)\n      "
    )
    runs = []
    for _ in range(2):
        result = CliRunner().invoke(
            main, ["check", "--content", str(content)], env={"SHOE_CAPITAL_CACHE": str(tmp_path)}
        )
        runs.append((result.exit_code, result.stdout))
    assert runs[0] == runs[1]
    assert runs[0][0] == 1 and "link 'nobody.md' leads to no page" in runs[0][1]


def test_the_pages_a_field_is_shown_on_are_the_ones_checked(tmp_path: Path) -> None:
    """Every Markdown field of the content gets a link of its own; the rendered pages that
    carry it as a link (not as escaped text) must be those resolve checks it from. Fails if
    a template shows a field on one more page (and its relative links would go unchecked)."""
    from generator.link.resolve import _pages_showing
    from generator.pipeline import check, generate

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    index, _ = check(content)
    expected: dict[str, list[str]] = {}
    for path in sorted(content.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        folder = path.parent.name if path.parent != content else ""
        record = index.content.site if not folder else index.content.records[folder][path.stem]
        assert record is not None
        for field, _ in links.markdown_fields(record.item):
            marker = f"m{len(expected)}x"
            pages = _pages_showing(record, field)
            expected[marker] = sorted(pages)
            where: Any = data
            for part in field[:-1]:
                where = where[part]
            folder_of_page = posixpath.dirname(pages[0]) or "."  # the item's own page
            target = posixpath.relpath("people/he-lixia.md", folder_of_page)
            where[field[-1]] = f"[{marker}]({target}) " + where[field[-1]]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    output, _ = generate(content, tmp_path / "out")
    shown: dict[str, list[str]] = {marker: [] for marker in expected}
    for page, body in sorted(output.files.items()):
        for marker in re.findall(r"\[(m\d+x)\]\(", body.decode()):
            shown[marker].append(page)
    assert {m: sorted(set(p)) for m, p in shown.items()} == expected


def test_brackets_by_the_thousand_are_refused_not_rendered(content: Path) -> None:
    """Python-Markdown reads unclosed brackets in quadratic time: 30 000 would keep check
    (and the build) busy for minutes. Over the limit, the file is refused at once."""
    text = _edit_story(
        content, "    narration: |\n      ", "    narration: |\n      " + "[" * 30_000 + "\n      "
    )
    started = time.process_time()
    code, lines = _check(content)
    assert time.process_time() - started < 10
    assert code == 1
    assert lines == [
        f"stories/{STORY}.yaml:{_position(text, '|' + chr(10) + '      [[[')}: error: too many "
        "'[' in this file's Markdown: 30,000 (at most 2,000)",
        "  hint: links, citations and footnotes take one each; brackets by the thousand would "
        "make the site slow to build",
    ]


def test_markdown_nested_too_deeply_to_render_is_an_error_not_a_traceback(
    content: Path,
) -> None:
    """Python-Markdown recurses once a level of nested lists: 300 levels fit in a file and
    exhaust Python's stack (in the build too). check says so, at the field."""
    nested = "".join("    " * level + "- a\n" for level in range(300)).replace("\n", "\n      ")
    text = _edit_story(
        content,
        "    narration: |\n      ",
        f"    narration: |\n      [x](#y)\n\n      {nested}\n      ",
    )
    code, lines = _check(content)
    assert code == 1
    assert lines == [
        f"stories/{STORY}.yaml:{_position(text, '|' + chr(10) + '      [x]')}: error: this "
        "Markdown is nested too deeply to be made into a page",
        "  hint: lists and quotes inside each other may go a few levels deep, not hundreds",
    ]
