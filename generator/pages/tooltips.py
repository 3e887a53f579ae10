"""Glossary tooltips: abbreviation definitions appended to a page's Markdown.

Python-Markdown's ``abbr`` extension wraps every occurrence of a defined term in
``<abbr title="definition">``, and Material's ``content.tooltips`` feature shows the title
as a tooltip. The extension matches case-sensitively and on word boundaries, so each term
and alias is also defined with a capital first letter (for the start of a sentence); the
definition is plain text from YAML, so it is flattened to one line and HTML-escaped
(the serializer keeps entities, and the browser decodes them in the tooltip).
"""

from __future__ import annotations

import html

from generator.read.model.items import GlossaryTerm


def abbreviations(terms: list[GlossaryTerm]) -> str:
    """The ``*[term]: definition`` block for ``terms``, sorted; empty when there are none."""
    definitions: dict[str, str] = {}
    for term in terms:
        definition = html.escape(" ".join(term.definition.split()), quote=True)
        for form in (term.term, *term.aliases):
            for variant in _variants(" ".join(form.split())):
                definitions.setdefault(variant, definition)
    lines = [f"*[{form}]: {definitions[form]}" for form in sorted(definitions)]
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def _variants(form: str) -> list[str]:
    """The form, and the form with a capital first letter; none that abbr cannot define."""
    if not form or any(c in form for c in "[]\\") or not (form[0].isalnum() and form[-1].isalnum()):
        return []
    capital = form[0].upper() + form[1:]
    return [form] if capital == form else [form, capital]
