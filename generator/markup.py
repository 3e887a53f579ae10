"""Turning content text into safe Markdown, and figures into words.

Text from YAML is untrusted. Plain text is escaped so Markdown and HTML see only characters;
Markdown text keeps its formatting, but raw HTML and attribute lists in it are shown as text.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from generator.model.items import Figure

# Characters that mean something to Markdown or its extensions, written as entities so
# they render as themselves (Python-Markdown decodes entities only in the final HTML).
_INLINE = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]|~^=$#:!"})
_BLOCK_START = re.compile(r"^(\s*)([-+>]|\d+[.)])")


def text(value: Any) -> str:
    """Plain text for an inline place in Markdown: one line, shown exactly as written."""
    flat = " ".join(str(value).split())
    escaped = flat.translate(_INLINE)
    return _BLOCK_START.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), escaped)


def attr(value: Any) -> str:
    """Text for an HTML attribute value in double quotes."""
    return html.escape(" ".join(str(value).split()), quote=True)


_CODE = re.compile(r"(`+)(.+?)\1|^(?: {4}|\t).*$", re.S | re.M)


def markdown(value: Any) -> str:
    """Markdown from content: formatting kept; raw HTML, attribute lists and templates inert."""
    source = str(value).strip("\n")
    parts: list[str] = []
    last = 0
    for match in _CODE.finditer(source):
        parts.append(_neutralize(source[last:match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_neutralize(source[last:]))
    return "".join(parts)


def _neutralize(chunk: str) -> str:
    return chunk.replace("&", "&amp;").replace("<", "&lt;").replace("{", "&#123;").replace("}", "&#125;")


def json_value(value: Any) -> str:
    """A value for YAML front matter (JSON is YAML), safe for any text."""
    return json.dumps(value, ensure_ascii=False)


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
