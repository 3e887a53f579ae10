"""Analysis blocks: an insight's `!!! analysis` admonitions, the editors' own reading, found in its
body so citations inside one can be refused (see generator.link.citations)."""

from __future__ import annotations

import re
from dataclasses import dataclass

ANALYSIS_LABEL = "Analysis"


_ANALYSIS_START = re.compile(r"^([ \t]*)(!!!|\?\?\?\+?)[ \t]*([\w-]*)(.*)$", re.M)


@dataclass(frozen=True)
class AnalysisBlock:
    start: int
    """Offset of the block's first line in the body."""
    end: int
    """Offset just past its last indented line."""
    header: str
    """The block's first line, without its indent."""
    header_start: int
    """Where that line's text starts in the body."""
    header_problem: str
    """Why the block's first line is not ``!!! analysis`` as written, or empty."""


def _indent(line: str) -> int:
    return len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))


def analysis_blocks(body: str) -> list[AnalysisBlock]:
    """The analysis blocks of an insight's body: a line ``!!! analysis`` (at any indent, as
    inside a list) and the lines after it indented deeper, or blank."""
    blocks: list[AnalysisBlock] = []
    for match in _ANALYSIS_START.finditer(body):
        if match.group(3).lower() != "analysis":
            continue
        indent = _indent(match.group(1))
        end = match.end()
        position = end + 1
        while position < len(body):
            line_end = body.find("\n", position)
            line_end = len(body) if line_end < 0 else line_end
            line = body[position:line_end]
            if line.strip():
                if _indent(line) <= indent:
                    break
                end = line_end
            position = line_end + 1
        before = body[: match.start()].split("\n")  # [..., line above, this line's indent]
        problem = ""
        if match.group(2) != "!!!" or match.group(3) != "analysis" or match.group(4).strip():
            problem = (
                "write the block's first line as '!!! analysis', nothing more: it is shown "
                f'to readers, open, under the label "{ANALYSIS_LABEL}"'
            )
        elif len(before) > 1 and before[-2].strip():
            problem = (
                "leave a blank line before '!!! analysis': without one it is read as part "
                "of the paragraph above, and readers would not see the block"
            )
        elif end == match.end():
            problem = (
                "an analysis block holds the paragraphs under '!!! analysis', indented by "
                "four spaces: this one has none"
            )
        header = match.group(0)[len(match.group(1)) :].rstrip()
        blocks.append(AnalysisBlock(match.start(), end, header, match.start(2), problem))
    return blocks
