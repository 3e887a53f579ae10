"""Turning content text into safe Markdown, and figures into words.

Text from YAML is untrusted. Plain text is escaped so Markdown and HTML see only characters;
Markdown text keeps its formatting, but raw HTML and attribute lists in it are shown as text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from generator.read.model.figure import Figure
from generator.read.model.types import PartialDate

# Characters that mean something to Markdown or its extensions, written as entities so
# they render as themselves (Python-Markdown decodes entities only in the final HTML).
_INLINE = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]|~^=$#:!"})
_BLOCK_START = re.compile(r"^(\s*)([-+>]|\d+[.)])")


def text(value: Any) -> str:
    """Plain text for an inline place in Markdown: one line, shown exactly as written."""
    source = str(value)
    escaped = _ESCAPED.get(source)
    if escaped is None:
        escaped = " ".join(source.split()).translate(_INLINE)
        # What _BLOCK_START matches can only start so: the line has no indent.
        if escaped and (escaped[0] in "-+>" or escaped[0].isdigit()):
            escaped = _BLOCK_START.sub(
                lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), escaped
            )
        if len(_ESCAPED) >= _ESCAPED_SIZE:
            _ESCAPED.clear()
        _ESCAPED[source] = escaped
    return escaped


# The same names, roles, figures and dates are escaped on page after page: most calls are
# answered from here. Bounded, as a live preview lives long.
_ESCAPED: dict[str, str] = {}
_ESCAPED_SIZE = 200_000


# Kept as written in a link target: RFC 3986's reserved and unreserved characters, and '%'
# so that existing escapes survive. Parentheses, brackets, quotes and spaces are encoded:
# in Markdown they would end the link and let the rest be read as new Markdown.
_URL_SAFE = "/:?#@!$&*+,;=-._~%"


def url(value: Any) -> str:
    """An http(s) address for a Markdown link target: nothing in it can end the link early."""
    return quote(str(value).strip(), safe=_URL_SAFE)


def attr(value: Any) -> str:
    """Text for an HTML attribute value in double quotes."""
    return html.escape(" ".join(str(value).split()), quote=True)


# A code span within one paragraph (no blank line inside), its backticks not escaped.
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)((?:[^\n]|\n(?![ \t]*\n))+?)(?<!`)\1(?!`)")


def markdown(value: Any) -> str:
    """Markdown from content: formatting kept; raw HTML, attribute lists and templates inert.

    Every ``<``, ``&`` and brace is written as an entity, code included: guessing what
    Markdown will treat as code (an indented line may continue a paragraph, a heading may
    split a paragraph) is where a filter would let raw HTML through. A code span is kept as
    written when it holds none of those characters (then it is harmless whatever Markdown
    makes of it), and is otherwise written as ``<code>`` with its text escaped, so it still
    shows exactly as typed. Indented and fenced code blocks show ``<`` ``&`` ``{`` ``}`` as
    entities: a known limit, rare in reports.
    """
    source = str(value).strip("\n")
    if "`" not in source:
        return _neutralize(source)
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(source):
        parts.append(_neutralize(source[last : match.start()]))
        parts.append(_code_span(match))
        last = match.end()
    parts.append(_neutralize(source[last:]))
    return "".join(parts)


def _code_span(match: re.Match[str]) -> str:
    code = match.group(2)
    if not any(c in code for c in "<&{}"):
        return match.group(0)
    return f"<code>{code.strip().translate(_INLINE)}</code>"


def _neutralize(chunk: str) -> str:
    return (
        chunk.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def json_value(value: Any) -> str:
    """A value for YAML front matter (JSON is YAML), safe for any text."""
    return _JSON(value)


# json.dumps with any option builds a new encoder on every call. Strict JSON: a NaN or an
# infinity (which models refuse) raises rather than be written as JSON cannot hold it.
_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def time_tag(date: PartialDate) -> str:
    """A date as readers read it, in a <time> element machines can read."""
    # By its parts, not the date itself: a dataclass's hash and == are Python calls, and most
    # calls find a tag made for another item's equal date.
    key = (date.year, date.month, date.day)
    tag = _TIME_TAGS.get(key)
    if tag is None:
        if len(_TIME_TAGS) >= _ESCAPED_SIZE:
            _TIME_TAGS.clear()
        tag = _TIME_TAGS[key] = f'<time datetime="{date}">{text(date.human())}</time>'
    return tag


_TIME_TAGS: dict[tuple[int, int | None, int | None], str] = {}


def figure(shown: Mapping[str, str]) -> str:
    """A figure's words in bold, and the note on a withheld figure, if any, beside them."""
    words, note = shown["words"], shown["note"]
    if not words:
        return ""
    if not note:
        return f"**{text(words)}**"
    return f'**{text(words)}** <span class="sc-withheld" title="{attr(note)}">{text(note)}</span>'


def number(value: int | float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}"
    return f"{int(value):,}"


QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "more-than": "more than ",
    "less-than": "less than ",
    "at-least": "at least ",
    "at-most": "at most ",
}


def figure_words(figure: Figure) -> str:
    """A figure as a reader reads it: 'more than 150 enterprises', or how the source printed it."""
    if figure.withheld != "none" and figure.as_printed:
        printed = figure.as_printed
        return printed if figure.unit.lower() in printed.lower() else f"{printed} {figure.unit}"
    assert figure.value is not None
    return f"{QUALIFIER_WORDS[figure.qualifier]}{number(figure.value)} {figure.unit}"


def withheld_note(figure: Figure) -> str:
    if figure.withheld == "fully":
        return "figure withheld in the source"
    if figure.withheld == "partly":
        return "some digits withheld in the source"
    return ""


def inferred(basis: Any) -> str:
    """The note beside a date the source does not state: how it was inferred (date_basis).
    Empty when there is no basis, so a template can always append it."""
    if not basis:
        return ""
    return f' <span class="sc-inferred">(inferred from {text(basis)})</span>'


def inferred_short(basis: Any) -> str:
    """The same note where space is short (the fact sheet): its words in a tooltip."""
    if not basis:
        return ""
    return f' <span class="sc-inferred" title="inferred from {attr(basis)}">(inferred)</span>'


def source_words(spans: Any) -> str:
    """A fact's quote, for inline places: each span in quotation marks, gaps as ' … '."""
    return " … ".join(f"“{text(span)}”" for span in spans)
