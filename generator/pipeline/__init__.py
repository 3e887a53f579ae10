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
from generator.read.validate import read_content


def check(
    content_dir: Path, cache_dir: Path | None = None, *, backlinks: bool = True
) -> tuple[Index, list[Diagnostic]]:
    """Read, validate and resolve the content. Raises ContentError on any error.

    With ``cache_dir``, files read before without any problem are taken from the cache there.
    Without ``backlinks`` the index has none: enough to check, not to render.
    """
    diagnostics: list[Diagnostic] = []
    with gc_paused():
        content = read_content(content_dir, diagnostics, RecordCache(content_dir, cache_dir))
        index = resolve(content, diagnostics, backlinks=backlinks)
    if has_errors(diagnostics):
        raise ContentError(diagnostics)
    return index, sorted(diagnostics)


def generate(
    content_dir: Path, out_dir: Path, cache_dir: Path | None = None
) -> tuple[Output, list[str]]:
    """Check the content and write its pages to ``out_dir``; nothing is written on error."""
    index, _ = check(content_dir, cache_dir)
    with gc_paused():
        output = render(index)
    return output, write_tree(output.files, out_dir)
