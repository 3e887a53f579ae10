"""The pipeline, stage by stage: load + validate → resolve → render → write."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import ContentError, Diagnostic, has_errors
from generator.link.graph import Index
from generator.link.resolve import resolve
from generator.pages.render import render
from generator.pages.shared import Output
from generator.publish.write import write_tree
from generator.read.cache import RecordCache, gc_paused
from generator.read.outline import draft_notices, published
from generator.read.validate import read_content


def check(
    content_dir: Path,
    cache_dir: Path | None = None,
    *,
    backlinks: bool = True,
    drafts: bool = True,
) -> tuple[Index, list[Diagnostic]]:
    """Read, validate and resolve the content. Raises ContentError on any error.

    With ``cache_dir``, files read before without any problem are taken from the cache there.
    Without ``backlinks`` the index has none: enough to check, not to render. With ``drafts``
    the drafts are checked too and each noted; without, they are left out, as a published
    site leaves them (index.content.drafts holds them).
    """
    diagnostics: list[Diagnostic] = []
    with gc_paused():
        content = read_content(content_dir, diagnostics, RecordCache(content_dir, cache_dir))
        if drafts:
            diagnostics.extend(draft_notices(content))
        else:
            content = published(content)
        index = resolve(content, diagnostics, backlinks=backlinks)
    if has_errors(diagnostics):
        raise ContentError(diagnostics)
    return index, sorted(diagnostics)


def drafts_left_out(count: int) -> str:
    """What a published build says of the drafts it left out."""
    if count == 0:
        return "no drafts left out"
    return f"{count} draft{'s' if count > 1 else ''} left out (not published)"


def generate(
    content_dir: Path, out_dir: Path, cache_dir: Path | None = None
) -> tuple[Output, list[str]]:
    """Check the content and write its pages to ``out_dir``, drafts left out (the output's
    ``left_out`` counts them); nothing is written on error."""
    index, _ = check(content_dir, cache_dir, drafts=False)
    with gc_paused():
        output = render(index)
    output.left_out = sum(map(len, index.content.drafts.values()))
    return output, write_tree(output.files, out_dir)
