"""The command line: a few lines per command over the library.

Only this module prints and chooses exit codes; the library raises ContentError.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from generator import diagnostics as diag
from generator.diagnostics import ContentError
from generator.pipeline import check as check_content
from generator.plugin import CONTENT_ENV

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

content_option = click.option(
    "--content", "content_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"), show_default=True, help="The content folder to read.")
config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"), show_default=True, help="The MkDocs configuration.")


@click.group()
def main() -> None:
    """Shoe Capital: check the content in YAML and build the site."""


@main.command()
@content_option
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text for people, github for CI annotations, json for tools.")
def check(content_dir: Path, fmt: str) -> None:
    """Validate the content; print every problem as path:line:col and exit 1 on any error."""
    formatter = {"text": diag.format_text, "github": diag.format_github, "json": diag.format_json}[fmt]
    try:
        index, warnings = check_content(content_dir)
    except ContentError as error:
        click.echo(formatter(error.diagnostics))
        if fmt == "text":
            count = sum(d.severity is diag.Severity.ERROR for d in error.diagnostics)
            click.echo(f"{count} error(s); nothing was built.", err=True)
        sys.exit(1)
    if warnings or fmt == "json":
        click.echo(formatter(warnings))
    if fmt == "text":
        items = sum(len(nodes) for nodes in index.nodes.values())
        click.echo(f"content is valid: {items} items", err=True)


@main.command()
@content_option
@config_option
@click.option("--offline", is_flag=True, help="A site that works from file:// (and a zip in dist/).")
def build(content_dir: Path, config_file: Path, offline: bool) -> None:
    """Check the content and build the site into site/."""
    from generator.site import BuildError, build_site

    os.environ[CONTENT_ENV] = str(content_dir.resolve())
    try:
        result = build_site(config_file, offline=offline)
    except BuildError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(result, err=True)


@main.command()
@content_option
@config_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--dirty/--full", default=True, show_default=True,
              help="Re-render only changed pages (fast), or everything on each change.")
def serve(content_dir: Path, config_file: Path, dev_addr: str, dirty: bool) -> None:
    """Live preview: rebuild when a file in the content folder changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    os.environ[CONTENT_ENV] = str(content_dir.resolve())
    mkdocs_serve(str(config_file), dev_addr=dev_addr, build_type="dirty" if dirty else None)


@main.command()
@content_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the generated Markdown pages to.")
def render(content_dir: Path, out_dir: Path) -> None:
    """Write the generated Markdown pages to a folder (for another engine reading mkdocs.yml)."""
    from generator.pipeline import generate

    try:
        output, changed = generate(content_dir, out_dir)
    except ContentError as error:
        click.echo(error.format())
        sys.exit(1)
    click.echo(f"{len(output.files)} files in {out_dir}, {len(changed)} changed", err=True)
