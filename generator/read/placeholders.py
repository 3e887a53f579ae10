"""Placeholders left from a template: allowed in a draft, an error anywhere else.

`new` writes templates full of TODO markers and `import` writes drafts with TODO where the
script says nothing (a headline, a summary). A draft may hold them while it is being written;
an item that is published must not, or a wrong but valid page goes out.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic, Location, Severity
from generator.read.load import Document

PLACEHOLDER = re.compile(r"\bTODO\b")
"""The marker templates write, in values and in comments alike."""


def placeholders(item: Any, document: Document, kind_name: str) -> list[Diagnostic]:
    """An error at each TODO marker in the file of an item that is not a draft."""
    if getattr(item, "draft", False):
        return []
    text = document.text
    found = []
    for match in PLACEHOLDER.finditer(text):
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        found.append(
            Diagnostic(
                Location(document.display, text.count("\n", 0, start) + 1, start - line_start + 1),
                Severity.ERROR,
                f"placeholder 'TODO' left in a published {kind_name}",
                "write what the source says in its place (and remove the comment), or keep "
                "'draft: true' until the item is done",
            )
        )
    return found
