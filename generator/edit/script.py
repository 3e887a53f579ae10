"""A TV news script, read into its parts: narration, soundbites, stand-ups, reporters, editors.

Scripts come as the seed does (``shared/seeds/``): paragraphs separated by blank lines, each
block opened by a bracketed marker. Which marker means what is one table, MARKERS: another
newsroom's convention is an entry there (and a test), not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
words) or stand-up (the reporter speaking on camera)."""

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


def split_names(names: str) -> list[str]:
    return [n.strip(" []【】") for n in NAME_SEPARATORS.split(names.strip(" []【】")) if n.strip()]


def read_script(text: str) -> Script:
    """The script's blocks, reporters, dateline and editors, in order."""
    script = Script(language="zh" if len(_CJK.findall(text)) > len(text) // 10 else "en")
    markers = re.compile("|".join(re.escape(m) for m in sorted(MARKERS, key=len, reverse=True)))
    pending_speaker: Block | None = None  # a soundbite whose speaker line came, words not yet
    after_soundbite = False
    for line, paragraph in paragraphs(text):
        if _credits(script, paragraph):
            continue
        marker = markers.match(paragraph)
        if marker is None:
            if pending_speaker is not None:  # the speaker's words
                pending_speaker.text = paragraph
                pending_speaker = None
            elif after_soundbite or script.blocks:
                script.blocks.append(Block("narration", paragraph, line, untagged=True))
            else:
                script.problems.append((line, "text before the first marker: read as narration"))
                script.blocks.append(Block("narration", paragraph, line, untagged=True))
            continue
        if pending_speaker is not None:
            script.problems.append((pending_speaker.line, "a soundbite with no words after it"))
            script.blocks.remove(pending_speaker)
            pending_speaker = None
        kind = MARKERS[marker.group()]
        rest = paragraph[marker.end() :].strip()
        after_soundbite = kind != "narration"
        if kind == "narration":
            script.blocks.append(Block(kind, rest, line))
            continue
        first, _, words = rest.partition("\n")
        speaker, role = _speaker_line(first)
        if speaker and (words or len(first) <= 200):
            block = Block(kind, words.strip(), line, speaker=speaker, role=role)
            script.blocks.append(block)
            if not block.text:
                pending_speaker = block
        else:  # a stand-up, or a soundbite, with its words on the marker's line
            script.blocks.append(Block(kind, rest, line))
    if pending_speaker is not None:
        script.problems.append((pending_speaker.line, "a soundbite with no words after it"))
        script.blocks.remove(pending_speaker)
    return script


def _speaker_line(line: str) -> tuple[str, str]:
    """("Name", "role") from a caption line; ("", "") when the line is words, not a caption."""
    if not line or line.endswith((".", "。", "!", "！", "?", "？", '"', "”")):
        return "", ""
    parts = SPEAKER_SEPARATOR.split(line, maxsplit=1)
    name, role = parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""
    if not role or len(name.split()) > 4 or len(name) > 40:
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
