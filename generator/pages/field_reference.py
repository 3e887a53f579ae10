"""The editors' field reference, generated from the content models.

Every kind, every field, its type in plain words, whether it is required, and the field's
docstring: the same source as the JSON Schemas, so the page can never disagree with what
`check` accepts. Rendered as the page ``editors/reference.md``.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

from pydantic import BaseModel

from generator.link.graph import REFERENCE_PAGE
from generator.read import markup
from generator.read.model import KINDS, SITE, Kind
from generator.read.model.types import PartialDate, Reference

PAGE = REFERENCE_PAGE


def field_reference() -> str:
    """The Markdown of the field reference page."""
    parts = [
        "---\ntitle: Field reference\n"
        "description: Every field of every kind of content item, generated from the content "
        "model.\n"
        "search:\n  exclude: true\n"
        "---\n\n# Field reference\n\n"
        "Generated from the content model, like the JSON Schemas your editor uses "
        "(`schema/`), so it always matches what `python -m generator check` accepts. "
        "See the [editors' guide](../editors.md) for how to use them.\n\n"
        "Each item is one file, `content/<folder>/<id>.yaml`; its id is its file name, "
        "lowercase letters and digits joined by hyphens. Required fields are marked **yes**; "
        "every other field may be left out.\n",
        CHARACTERS,
    ]
    nested: list[type[BaseModel]] = []
    for kind in (*KINDS, SITE):
        parts.append(_kind_section(kind, nested))
    done: set[type[BaseModel]] = set()
    if nested:
        parts.append("\n## Parts of items\n")
    while nested:
        model = nested.pop(0)
        if model in done:
            continue
        done.add(model)
        parts.append(_model_section(model, f"### {model.__name__} {{ #{_anchor(model)} }}", nested))
    return "\n".join(parts)


CHARACTERS = """
## What text may hold { #characters }

Any language and script, emoji, quotes and symbols. A **text** field is one line or
paragraph: YAML may fold it over several lines (`>`), but line breaks and tabs in it read as
single spaces. A **Markdown** field keeps its lines and tabs (a carriage return becomes a
line break, as YAML makes of a file's own line ends). Every field refuses, with an error that
names the character by its code point (for example `U+202E RIGHT-TO-LEFT OVERRIDE`):

- control characters: U+0000–U+001F (but tab and line breaks, as above), DEL U+007F and
  U+0080–U+009F (NEL U+0085 among them), which YAML's `"\\x01"` escapes can write but pages,
  feeds and data files cannot carry;
- the bidirectional controls U+202A–U+202E and U+2066–U+2069, which make text show in another
  order than it is written (the marks U+200E, U+200F and U+061C are allowed: mixed
  right-to-left and left-to-right text may need them);
- noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF …);
- a value made only of invisible characters (zero-width spaces and joiners, U+FEFF, Hangul
  fillers …), which would show as nothing.

An **id**, a **web address**, a date or a choice (`one of …`) is one line: no tab or line
break, not even at its end, so write it on the field's own line, not as a `|` block. A web
address is whole: `http://` or `https://`, a host name (`example.org`, or an IP address in
brackets), an optional port, then a path, query or fragment; no spaces (write `%20`),
quotes, `<`, `>`, backslashes, `^`, `` ` ``, `{`, `|` or `}`, and no `user@` before the host.
The site's `base_url` also has no query (`?`) or fragment (`#`).

A figure's `value` is a finite number (not `.nan`, `.inf` or a number too large, such as
`1e400`), written with digits only: no thousands separators (`1700`, not `1,700`) and a full
stop for decimals (`3.5`). Digits the source hides (`<>`) make a figure withheld: `2,<>00
shops`, `<>.5 billion yuan` and `more than 1700,<>` are `withheld: partly`, `<>.<> million
pairs` is `withheld: fully`. A withheld figure has no `value`, since the digits it shows are
not the number (`facts.csv` and `facts.json` leave it empty); `as_printed` keeps the figure
exactly as printed, and the site shows it so, with a note. A figure whose `as_printed`, or
whose fact's `statement`, shows `<>` cannot be `withheld: none`.
"""


def _kind_section(kind: Kind, nested: list[type[BaseModel]]) -> str:
    where = f"content/{kind.folder}/<id>.yaml" if kind.folder else "content/site.yaml"
    title = kind.name[0].upper() + kind.name[1:]
    head = f"## {title} {{ #{kind.name.replace(' ', '-')} }}\n\nFile: `{where}`"
    if kind.folder:
        head += f" · new one: `python -m generator new {kind.name.replace(' ', '-')} ID`"
    return _model_section(kind.model, head, nested)


def _model_section(model: type[BaseModel], head: str, nested: list[type[BaseModel]]) -> str:
    doc = markup.text((model.__doc__ or "").strip())
    rows = ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
    hints = typing.get_type_hints(model, include_extras=True)
    for name, field in model.model_fields.items():
        kind = _type(hints[name], nested)
        required = "**yes**" if field.is_required() else ""
        meaning = markup.text(field.description or "")
        if not field.is_required() and field.default_factory is None and field.default is not None:
            default = field.default
            shown = str(default).lower() if isinstance(default, bool) else default  # as YAML
            meaning += f" Default: `{shown}`."
        rows.append(f"| `{name}` | {kind} | {required} | {meaning} |")
    return f"{head}\n\n{doc}\n\n" + "\n".join(rows) + "\n"


def _anchor(model: type[BaseModel]) -> str:
    return f"part-{model.__name__.lower()}"


def _type(annotation: Any, nested: list[type[BaseModel]]) -> str:
    """A field's type in an editor's words."""
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, Reference):
            kind = next(k for k in KINDS if k.folder == meta.folder)
            return f"[{kind.name}](#{kind.name.replace(' ', '-')}) id"
    names = [
        getattr(getattr(m, "func", None), "__name__", "")
        for m in getattr(annotation, "__metadata__", ())
    ]
    if "_url" in names:
        return "web address (http/https)"
    if "_id" in names:
        return "id"
    if "_text" in names:
        return "text" if "_strip" in names else "Markdown"  # Text is stripped, Markdown kept
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type(args[0], nested)
    if origin is list:
        return f"list of {_type(args[0], nested)}"
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        words = " or ".join(dict.fromkeys(_type(a, nested) for a in args))
        return "number" if words == "whole number or number" else words
    if annotation is PartialDate:
        return "date: `2023`, `2023-05` or `2023-05-17`"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        nested.append(annotation)
        return f"[{annotation.__name__}](#{_anchor(annotation)})"
    return {int: "whole number", float: "number", bool: "`true` or `false`", str: "text"}.get(
        annotation, getattr(annotation, "__name__", str(annotation))
    )
