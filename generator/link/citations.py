"""Citations in insights: ``[@id]`` in an insight's body, checked and turned into footnotes.

The syntax, for editors (one citation a pair of brackets, anywhere in the body's text):

- ``[@fact-id]`` cites a fact: the footnote states the fact, its figure and its source;
- ``[@story-id/segment-id]`` cites one segment of a story, usually a soundbite: the footnote
  quotes it and names the speaker;
- ``[@story-id]`` cites a whole story: the footnote names it, with its date and summary.

Citing the same source twice gives the same footnote number. A citation inside a code
span or code block is left as written. Any other id — unknown, or of a person, an
organization and so on — is an error located at the citation itself, so the editor's
cursor lands on the ``[@``, not on the start of the body.

Citations are resolved with the index (they need every fact and story known) and stored on
it, and each cited fact or story gets a backlink from the insight, so pages can list the
insights that cite them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Location, Severity, did_you_mean
from generator.link.analysis import analysis_blocks
from generator.link.graph import Backlink, Index, Node, Reads
from generator.read.load import Document
from generator.read.model import KIND_BY_FOLDER, KINDS
from generator.read.model.items import Insight
from generator.read.model.types import check_id
from generator.read.outline import is_draft

# Anything from "[@" to the next "]" on one line: a malformed id is reported, not ignored.
CITATION = re.compile(r"\[@([^\]\n]*)\]")
# Code spans and indented code blocks, where citation syntax is shown, not used. An indented
# line is one line ([^\n], not "." under re.S): it must not hide every citation after it.
_CODE = re.compile(r"(`+)(.+?)\1|^(?: {4}|\t)[^\n]*$", re.S | re.M)
# Hand-written footnotes would collide with the numbers citations get.
_FOOTNOTE = re.compile(r"\[\^[^\]\n]*\]")
_CODE_FENCE = re.compile(r"^(```|~~~)")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

SYNTAX_HINT = (
    "cite a fact as [@fact-id], a story as [@story-id], a segment as [@story-id/segment-id]"
)


@dataclass(frozen=True)
class Citation:
    """One ``[@…]`` in an insight's body, resolved.

    ``number`` is the footnote number; ``target`` is the cited fact or story; ``segment`` is
    the index of the cited segment in that story (None for a fact or a whole story), and
    ``anchor`` that segment's anchor on the story page.
    """

    number: int
    target: Node
    segment: int | None
    anchor: str | None
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str, int | None]:
        return (self.target.kind.folder, self.target.id, self.segment)


def resolve_citations(index: Index, diagnostics: list[Diagnostic]) -> dict[str, list[Citation]]:
    """Every insight's citations in order of appearance; problems go to ``diagnostics``.

    Each cited fact or story also gets a backlink from the insight (path ``("body",)``).
    """
    found: dict[str, list[Citation]] = {}
    for node in index.all("insights"):
        citations = insight_citations(node, index, diagnostics)
        found[node.id] = citations
        for target in {c.target.id: c.target for c in citations}.values():
            target.links.append(Backlink(node, ("body",)))
    return found


def cited_by(index: Index, target: Node, segment: int | None = None) -> list[Node]:
    """The insights that cite ``target`` (a fact or story; with ``segment``, that segment),
    newest first."""
    target.backlinks  # noqa: B018 - noted read: a citation that comes or goes changes the list
    made = index.cited
    if made is None or made[0] is not index.citations:  # worked out once for the index
        with Reads.into(None):
            made = index.cited = (index.citations, _cited(index))
    found = made[1].get((target.key, segment), [])
    for insight in found:
        Reads.note(insight.heading_key)  # their dates order the list
    return list(found)


def _cited(index: Index) -> dict[tuple[str, int | None], list[Node]]:
    """Who cites what: the insights citing each (target key, segment), newest first."""
    found: dict[tuple[str, int | None], set[Node]] = {}
    for insight_id, cites in index.citations.items():
        insight = index.get("insights", insight_id)
        for citation in cites:
            found.setdefault((citation.target.key, citation.segment), set()).add(insight)
    return {
        key: sorted(insights, key=lambda n: (n.date.sort_key(), n.id), reverse=True)
        for key, insights in found.items()
    }


def replace_citations(body: str, citations: list[Citation]) -> str:
    """The body with each citation replaced by its footnote reference ``[^N]``."""
    parts: list[str] = []
    last = 0
    for citation in citations:
        parts.append(_tighten(body[last : citation.start]))
        parts.append(f"[^{citation.number}]")
        last = citation.end
    parts.append(body[last:])
    return "".join(parts)


_BEFORE = re.compile(r"(?<=\S)[ \t]*\n?[ \t]*\Z")
_MARKER = re.compile(r"[-*+>]|\d+[.)]")


def _tighten(text: str) -> str:
    """Drop the space before a footnote mark ("word [@x]" → "word¹"), never a paragraph break."""
    last_line = text.rstrip().rsplit("\n", 1)[-1].lstrip()
    if (
        last_line.startswith(("#", "|"))
        or _CODE_FENCE.match(last_line)
        or _MARKER.fullmatch(last_line)
    ):
        return text
    return _BEFORE.sub("", text)


def footnotes(citations: list[Citation]) -> list[Citation]:
    """One citation per footnote number, in number order."""
    first: dict[int, Citation] = {}
    for citation in citations:
        first.setdefault(citation.number, citation)
    return [first[n] for n in sorted(first)]


def insight_citations(node: Node, index: Index, diagnostics: list[Diagnostic]) -> list[Citation]:
    """One insight's citations in order of appearance; problems go to ``diagnostics``."""
    insight: Insight = node.item
    body = insight.body
    locator = _Locator(node.record.document, body)
    code = [m.span() for m in _CODE.finditer(body)]
    citations: list[Citation] = []
    numbers: dict[tuple[str, str, int | None], int] = {}
    for match in _FOOTNOTE.finditer(body):
        if not _inside(match.start(), code):
            location = locator.locate(match.start(), match.group(0))
            diagnostics.append(
                Diagnostic(
                    location,
                    Severity.ERROR,
                    f"hand-written footnote '{match.group(0)}' in an insight",
                    f"footnotes are made from citations: {SYNTAX_HINT}",
                )
            )
    analysis = _check_analysis(body, locator, diagnostics)
    for match in CITATION.finditer(body):
        if _inside(match.start(), code) or _inside(match.start(), analysis):
            continue
        location = locator.locate(match.start(), match.group(0))
        resolved = _target(match.group(1).strip(), index, location, diagnostics)
        if resolved is None:
            continue
        target, segment = resolved
        if is_draft(target.record) and not is_draft(node.record):
            diagnostics.append(_cites_draft(location, target.kind.name, target.id))
            continue
        key = (target.kind.folder, target.id, segment)
        number = numbers.setdefault(key, len(numbers) + 1)
        anchor = index.anchor(target.id, segment) if segment is not None else None
        citations.append(Citation(number, target, segment, anchor, match.start(), match.end()))
    return citations


def _check_analysis(
    body: str, locator: _Locator, diagnostics: list[Diagnostic]
) -> list[tuple[int, int]]:
    """The spans of the body's analysis blocks, each checked: the editors' reading cites
    nothing, so no source is made to say it (see generator.link.provenance)."""
    spans: list[tuple[int, int]] = []
    for block in analysis_blocks(body):
        spans.append((block.start, block.end))
        if block.header_problem:
            diagnostics.append(
                Diagnostic(
                    locator.locate(block.header_start, block.header),
                    Severity.ERROR,
                    f"'{block.header}' is not how an analysis block starts",
                    block.header_problem,
                )
            )
        for match in _FOOTNOTE.finditer(body, block.start, block.end):
            diagnostics.append(
                Diagnostic(
                    locator.locate(match.start(), match.group(0)),
                    Severity.ERROR,
                    f"footnote '{match.group(0)}' inside an analysis block",
                    "an analysis block is the editors' reading and cites no source; "
                    "footnotes are made from citations, outside analysis blocks",
                )
            )
        for match in CITATION.finditer(body, block.start, block.end):
            diagnostics.append(
                Diagnostic(
                    locator.locate(match.start(), match.group(0)),
                    Severity.ERROR,
                    f"citation '{match.group(0)}' inside an analysis block",
                    "an analysis block is the editors' reading and cites no source: move what "
                    "the source says, with its citation, out of the block, or drop the citation",
                )
            )
    return spans


def _cites_draft(location: Location, kind: str, item_id: str) -> Diagnostic:
    return Diagnostic(
        location,
        Severity.ERROR,
        f"{kind} '{item_id}' is a draft: a published insight cannot cite it",
        f"publish the {kind} (remove its 'draft: true'), or make this insight a draft too",
    )


def _target(
    text: str, index: Index, location: Location, diagnostics: list[Diagnostic]
) -> tuple[Node, int | None] | None:
    def error(message: str, hint: str) -> None:
        diagnostics.append(Diagnostic(location, Severity.ERROR, message, hint))

    item_id, _, segment_id = text.partition("/")
    problem = check_id(item_id)
    if problem:
        error(f"citation '[@{text}]' is not a valid id: {problem}", SYNTAX_HINT)
        return None
    fact = index.nodes["facts"].get(item_id)
    story = index.nodes["stories"].get(item_id)
    if fact is not None:
        if segment_id:
            error(
                f"fact '{item_id}' has no segments: '[@{text}]' cannot be cited",
                f"cite the fact as [@{item_id}]",
            )
            return None
        return fact, None
    if story is not None:
        if not segment_id and "/" not in text:
            return story, None
        known = index.segment_ids[item_id]
        if segment_id not in known:
            error(
                f"story '{item_id}' has no segment '{segment_id}'",
                did_you_mean(segment_id, known) or f"its segments are: {', '.join(known)}",
            )
            return None
        return story, known.index(segment_id)
    for folder in ("facts", "stories"):  # a published build, which leaves drafts out
        if item_id in index.content.drafts.get(folder, {}):
            diagnostics.append(_cites_draft(location, KIND_BY_FOLDER[folder].name, item_id))
            return None
    invalid = index.content.invalid
    if item_id in invalid.get("facts", ()) or item_id in invalid.get("stories", ()):
        return None  # a fact or story whose file has errors: its own errors say why
    other = next((kind for kind in KINDS if item_id in index.nodes[kind.folder]), None)
    if other is not None:
        error(
            f"cannot cite {other.name} '{item_id}': a citation points to a fact, a story "
            "or a story's segment",
            _wrong_kind_hint(index, other.folder, item_id),
        )
        return None
    choices = [*index.nodes["facts"], *index.nodes["stories"]]
    error(
        f"unknown citation '[@{text}]': no fact or story has the id '{item_id}'",
        did_you_mean(item_id, choices) or SYNTAX_HINT,
    )
    return None


def _wrong_kind_hint(index: Index, folder: str, item_id: str) -> str:
    """Point to something citable about the item: a person's soundbite, else the syntax."""
    if folder == "people":
        for story in index.all("stories"):
            for number, segment in enumerate(story.item.segments):
                if segment.soundbite and segment.soundbite.speaker == item_id:
                    return (
                        f"to cite what they said, cite their soundbite: "
                        f"[@{story.id}/{index.anchor(story.id, number)}]"
                    )
    return SYNTAX_HINT


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


class _Locator:
    """Maps an offset in the body's value to line and column in its file.

    A block scalar drops its indentation and a folded one its line breaks, so offsets in the
    value do not map to the file by arithmetic alone. A citation never contains a space or a
    line break, though, so its n-th occurrence in the value is its n-th occurrence in the
    file's text after the point where the body starts.
    """

    def __init__(self, document: Document, body: str) -> None:
        self.start = document.locate(("body",))
        self.body = body
        self.text = document.text
        # Line breaks as YAML counts them, so lines agree with the loader's marks.
        self.line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(self.text))]
        line = min(self.start.line, len(self.line_starts)) - 1
        self.offset = self.line_starts[line] + self.start.column - 1

    def locate(self, position: int, token: str) -> Location:
        occurrence = self.body.count(token, 0, position)
        at = self.offset - 1
        for _ in range(occurrence + 1):
            at = self.text.find(token, at + 1)
            if at < 0:
                return self.start
        line = bisect.bisect_right(self.line_starts, at) - 1
        return Location(self.start.path, line + 1, at - self.line_starts[line] + 1)
