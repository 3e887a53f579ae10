"""The files an import writes: each a draft's lines with the decisions it leaves at them, the
whole import, writing it without overwriting anything, and the summary the editor reads."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path


class ScriptError(ValueError):
    """The script cannot be imported; the message says why and what to do."""


@dataclass
class Draft:
    """One file to write: its path under the content folder and its lines."""

    folder: str
    item_id: str
    lines: list[str] = field(default_factory=list)
    decisions: list[tuple[int, str]] = field(default_factory=list)
    """(line, what to decide) in this file."""

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.item_id}.yaml"

    def add(self, line: str, decide: str = "") -> None:
        self.lines.append(line)
        if decide:
            self.decisions.append((len(self.lines), decide))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Import:
    """What importing a script writes, and what it found on the way."""

    story: Draft
    drafts: list[Draft]
    matched: list[str]
    """"folder/id (name)" of every item the script names that the content already holds."""

    @property
    def files(self) -> list[Draft]:
        return [self.story, *self.drafts]


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's strings are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def as_markdown(text: str) -> str:
    """A script's words as Markdown that reads as they do: a backslash, [ and ] escaped, so no
    words of a script become a link, an image or a reference (the rest Markdown shows as is)."""
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def literal(text: str, indent: str) -> list[str]:
    """A literal block's lines: the text exactly, each line indented."""
    return [f"{indent}{line}" if line else "" for line in text.split("\n")]


def write_import(result: Import, content: Path) -> list[Path]:
    """Write every file of an import; refuse (writing nothing) if any of them exists."""
    paths = [content / draft.path for draft in result.files]
    existing = [p for p in paths if p.exists()]
    if existing:
        raise ScriptError(f"{existing[0]} already exists: nothing was written")
    for draft, path in zip(result.files, paths, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(draft.text())
    return paths


def summary(result: Import, content: Path) -> list[str]:
    """What the import did, for the editor: matched, created, and each decision at path:line."""
    lines = [f"story: {content / result.story.path} (draft)"]
    if result.matched:
        lines.append(f"matched ({len(result.matched)}): " + ", ".join(result.matched))
    created = result.drafts
    if created:
        lines.append(f"created ({len(created)}, all drafts):")
        lines += [f"  {content / d.path}" for d in created]
    decisions = [(content / d.path, line, what) for d in result.files for line, what in d.decisions]
    lines.append(
        f"needs a decision ({len(decisions)}):" if decisions else "needs a decision: nothing"
    )
    lines += [f"  {path}:{line}: {what}" for path, line, what in decisions]
    return lines
