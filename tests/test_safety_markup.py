"""Escaping, checked on the HTML that Python-Markdown (with the site's extensions) makes of it.

Markdown fields keep their formatting but never produce an element or attribute of their
own; plain-text fields produce no formatting at all. Hypothesis assembles text from pieces
that each open a door somewhere (code spans, indented lines, headings, HTML, attribute
lists, entities) and the HTML must never hold a tag or an event handler from the content.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown as python_markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.read import markup

ROOT = Path(__file__).resolve().parent.parent


def _extensions() -> list[str]:
    """The Markdown extensions of mkdocs.yml, so the test sees what MkDocs will do."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)  # noqa: S506
    names = []
    for entry in config["markdown_extensions"]:
        names.append(next(iter(entry)) if isinstance(entry, dict) else entry)
    return names


EXTENSIONS = _extensions()
DANGEROUS_TAGS = {
    "script",
    "img",
    "svg",
    "iframe",
    "object",
    "embed",
    "style",
    "link",
    "meta",
    "form",
    "input",
    "textarea",
    "math",
    "base",
    "video",
    "audio",
    "source",
}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _elements(source: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    html = python_markdown.markdown(source, extensions=EXTENSIONS)
    parser = _Elements()
    parser.feed(html)
    return parser.found


def _assert_inert(source: str) -> None:
    for tag, attrs in _elements(source):
        assert tag not in DANGEROUS_TAGS, (tag, source)
        for name, _ in attrs:
            assert not name.startswith("on"), (tag, name, source)
            assert name not in ("style", "onclick", "srcdoc", "formaction"), (tag, name, source)


PIECES = st.sampled_from(
    [
        "`",
        "``",
        "```",
        "~~~",
        "\n",
        "\n\n",
        "    ",
        "\t",
        "- ",
        "1. ",
        "> ",
        "# ",
        "\\",
        "text",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "<svg onload=alert(1)>",
        '{: onclick="alert(1)" }',
        "{ #id .class onclick=x }",
        "*",
        "_",
        "[a](b)",
        "[a]: b",
        "<div markdown>",
        "</div>",
        "<details>",
        "&lt;",
        "&#60;",
        "&",
        "<!--",
        "-->",
        "<",
        ">",
        "|",
        ": ",
        "*[HTML]: x",
        "!!! note",
        "??? note",
        "[^1]",
        "[^1]: x",
        "<a href=x>",
        "</a>",
    ]
)
HOSTILE = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(HOSTILE)
def test_markdown_fields_never_make_an_element_of_their_own(source: str) -> None:
    _assert_inert(markup.markdown(source))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(HOSTILE)
def test_plain_text_makes_no_markup_at_all(source: str) -> None:
    for tag, attrs in _elements(markup.text(source)):
        assert tag == "p" and attrs == [], (tag, source)


@pytest.mark.parametrize(
    "source",
    [
        "x `a\n\n<script>alert(1)</script>\n\nb` y",  # backticks across paragraphs
        "- item\n\n    <img src=x onerror=alert(1)>",  # an indented line in a list
        "para\n    <img src=x onerror=alert(1)>",  # an indented continuation line
        "`a\n# <img src=x onerror=alert(1)>`",  # a heading splits the paragraph
        "\\`<img src=x onerror=alert(1)>`",  # an escaped backtick
        '*emphasis*{: onclick="alert(1)" }',  # an attribute list
        "<div markdown>\n<script>alert(1)</script>\n</div>",  # md_in_html
    ],
)
def test_known_doors_stay_shut(source: str) -> None:
    _assert_inert(markup.markdown(source))


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("Use `<b>` for bold", "<p>Use <code>&lt;b&gt;</code> for bold</p>"),
        ("Code `[@not-a-citation]` stays", "<p>Code <code>[@not-a-citation]</code> stays</p>"),
        (
            "A <b>tag</b> and {{ x }} & {% y %}",
            "<p>A &lt;b&gt;tag&lt;/b&gt; and {{ x }} &amp; {% y %}</p>",
        ),
    ],
)
def test_code_and_text_show_as_typed(source: str, shown: str) -> None:
    """What a reader sees: the HTML with character references written one way."""
    html = python_markdown.markdown(markup.markdown(source), extensions=EXTENSIONS)
    assert _canonical(html) == shown


def _canonical(html: str) -> str:
    """Character references as the fewest entities: &#60; and &lt; both become &lt;."""
    import re
    from html import escape, unescape

    return re.sub(
        r">([^<]*)<", lambda m: ">" + escape(unescape(m.group(1)), quote=False) + "<", html
    )
