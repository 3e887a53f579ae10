"""A TV news script, read into its parts: narration, soundbites, stand-ups, reporters, editors.

Scripts come as the seed does (``shared/seeds/``): paragraphs separated by blank lines, each
block opened by a bracketed marker. Which marker means what is one table, MARKERS: another
newsroom's convention is an entry there (and a test), not code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from generator.read.model.characters import character_problem

MARKERS: dict[str, str] = {
    "【Commentary】": "narration",
    "【解说】": "narration",
    "【During the same period】": "soundbite",
    "【同期】": "soundbite",
    "【同期声】": "soundbite",
    "【Stand-up】": "stand-up",
    "【On the scene】": "stand-up",
    "【现场】": "stand-up",
}
"""Block markers and what they open: narration (the reporter's commentary, read over
pictures), soundbite (someone speaking on camera: a speaker line "Name, role", then their
words) or stand-up (the reporter speaking on camera). A marker is found whatever its brackets
(【】, [] or ［］), the spaces inside them, its letter case and a colon after it."""

_OPEN, _CLOSE = "【[［", "】]］"

REPORTING = (
    re.compile(r"^Reporting by (?P<names>.+?)(?: in (?P<place>[^.]+?))?\.?$"),
    re.compile(r"^Reported by (?P<names>.+?)(?: (?:in|from) (?P<place>[^.]+?))?\.?$"),
    re.compile(r"^[（(]?记者[：:\s]*(?P<names>[^（）()]+?)(?:[\s，,]+(?P<place>\S+?)报道)?[）)]?$"),
)
"""The line that names the reporters, and where they reported from (the dateline)."""

EDITORS = (
    re.compile(r"^Responsible Editors?\s*[:：]\s*(?P<names>.+)$", re.IGNORECASE),
    re.compile(r"^Editors?\s*[:：]\s*(?P<names>.+)$", re.IGNORECASE),
    re.compile(r"^责任编辑\s*[:：]?\s*(?P<names>.+)$"),
)
"""The line that names the responsible editors."""

NAME_SEPARATORS = re.compile(r"\s*(?:,|，|、|;|；|\band\b|&)\s*")
"""Between names in a reporters' or editors' line."""

SPEAKER_SEPARATOR = re.compile(r"\s*[,，]\s*")
"""Between a speaker's name and role: "Tan Qijian, head of …", "谭启建，…"."""

_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Block:
    """One segment of the script as it aired."""

    kind: str
    """narration, soundbite or stand-up."""
    text: str
    """The words, exactly as the script has them (one or more paragraphs)."""
    line: int
    """Where it starts in the script, 1-based."""
    speaker: str = ""
    """A soundbite's or stand-up's speaker as the script names them."""
    role: str = ""
    caption: str = ""
    """The caption line as printed, the speaker and role read from it."""
    """Their role, as captioned."""
    untagged: bool = False
    """A paragraph with no marker, read as narration (it follows a soundbite)."""


@dataclass
class Script:
    blocks: list[Block] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    place: str = ""
    """Where the reporters reported from, as the script says it."""
    editors: list[str] = field(default_factory=list)
    language: str = "en"
    problems: list[tuple[int, str]] = field(default_factory=list)
    """(line, what is wrong) for what the reader could not make sense of."""


def decode(raw: bytes) -> str:
    """A script's text: UTF-8 with or without a byte-order mark, any line endings."""
    text = raw.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each paragraph: lines between blank lines, spaces trimmed."""
    found: list[tuple[int, str]] = []
    start, lines = 0, list[str]()
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line.strip())
        elif lines:
            found.append((start, "\n".join(lines)))
            lines = []
    if lines:
        found.append((start, "\n".join(lines)))
    return found


def marker_pattern() -> re.Pattern[str]:
    """What finds MARKERS at the start of a paragraph, by their names (read when called, so an
    entry added to the table counts)."""
    names = sorted({m.strip(_OPEN + _CLOSE).strip() for m in MARKERS}, key=len, reverse=True)
    words = "|".join(r"\s*".join(map(re.escape, name.split())) for name in names)
    opening, closing = re.escape(_OPEN), re.escape(_CLOSE)
    return re.compile(rf"[{opening}]\s*(?P<name>{words})\s*[{closing}]\s*[:：]?\s*", re.IGNORECASE)


def marker_kind(name: str) -> str:
    key = " ".join(name.split()).casefold()
    for marker, kind in MARKERS.items():
        if " ".join(marker.strip(_OPEN + _CLOSE).split()).casefold() == key:
            return kind
    raise KeyError(name)  # pragma: no cover - marker_pattern finds only these names


def clean(text: str) -> tuple[str, int]:
    """``text`` without the characters no content may hold (control characters, bidirectional
    controls, noncharacters), and how many were removed."""
    removed = 0
    while (problem := character_problem(text, one_line=False)) is not None and problem.offset >= 0:
        text = text[: problem.offset] + text[problem.offset + 1 :]
        removed += 1
    return text, removed


def has_words(text: str) -> bool:
    """Whether ``text`` shows anything: not only spaces and invisible characters."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zs") for c in text)


def split_names(names: str) -> list[str]:
    return [n.strip(" []【】") for n in NAME_SEPARATORS.split(names.strip(" []【】")) if n.strip()]


def read_script(text: str) -> Script:
    """The script's blocks, reporters, dateline and editors, in order."""
    script = Script(language="zh" if len(_CJK.findall(text)) > len(text) // 10 else "en")
    markers = marker_pattern()
    waiting: Block | None = None  # a block whose marker (and caption) came, its words not yet
    after_marker = False
    for line, raw in paragraphs(text):
        cleaned, removed = clean(raw)
        paragraph = "\n".join(part.strip() for part in cleaned.split("\n"))
        if removed:
            script.problems.append(
                (line, f"{removed} character(s) no content may hold (control characters) removed")
            )
        if not has_words(paragraph) or _credits(script, paragraph):
            continue
        marker = markers.match(paragraph)
        if marker is None:
            if waiting is not None:  # the words the marker (or the caption) announced
                waiting.text = paragraph
                waiting = None
            else:
                if not after_marker and not script.blocks:
                    script.problems.append(
                        (line, "text before the first marker: read as narration")
                    )
                script.blocks.append(Block("narration", paragraph, line, untagged=True))
            continue
        if waiting is not None:
            _no_words(script, waiting)
            waiting = None
        after_marker = True
        kind = marker_kind(marker.group("name"))
        rest = paragraph[marker.end() :].strip()
        if kind == "narration":
            block = Block(kind, rest, line)
        else:
            first, _, words = rest.partition("\n")
            speaker, role = _speaker_line(first)
            if speaker:
                block = Block(kind, words.strip(), line, speaker, role, caption=first)
            else:  # a stand-up, or a soundbite whose caption the script does not give
                block = Block(kind, rest, line)
        script.blocks.append(block)
        if not has_words(block.text):
            waiting = block
    if waiting is not None:
        _no_words(script, waiting)
    return script


def _no_words(script: Script, block: Block) -> None:
    """A block whose words never came: a caption is then its words (nothing of the script is
    lost, and the editor is told); a bare marker is left out."""
    if block.speaker:
        block.text = block.caption
        block.speaker = block.role = ""
        script.problems.append((block.line, "a caption with no words after it: read as words"))
    else:
        script.problems.append((block.line, "a marker with no words after it: left out"))
        script.blocks.remove(block)


def _speaker_line(line: str) -> tuple[str, str]:
    """("Name", "role") from a caption line; ("", "") when the line is words, not a caption."""
    if not line or line.endswith((".", "。", "!", "！", "?", "？", '"', "”")):
        return "", ""
    parts = SPEAKER_SEPARATOR.split(line, maxsplit=1)
    name, role = parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""
    if not role or len(name.split()) > 4 or len(name) > 40 or not re.search(r"[^\W\d_]", name):
        return "", ""
    return name, role


def _credits(script: Script, paragraph: str) -> bool:
    """Read a reporters' or editors' line into ``script``; whether it was one."""
    if "\n" in paragraph:
        return False
    for pattern in REPORTING:
        found = pattern.match(paragraph)
        if found:
            script.reporters += split_names(found.group("names"))
            script.place = script.place or (found.group("place") or "").strip()
            return True
    for pattern in EDITORS:
        found = pattern.match(paragraph)
        if found:
            script.editors += split_names(found.group("names"))
            return True
    return False
