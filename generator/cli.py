"""The command line: a few lines per command over the library.

Only this module prints and chooses exit codes; the library raises ContentError.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

import click
from mkdocs.commands.serve import serve as mkdocs_serve

from generator import diagnostics as diag
from generator.diagnostics import ContentError
from generator.edit.drafts import ScriptError, summary, write_import
from generator.edit.importer import import_script
from generator.edit.scaffold import ScaffoldError, scaffold
from generator.pipeline import check as check_content
from generator.pipeline import drafts_left_out, generate
from generator.plugin.plugin import CONTENT_ENV
from generator.publish import offline as offline_edition
from generator.publish.site import BuildError, build_site
from generator.read.schema import write_schemas

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="The content folder to read.",
)
config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The MkDocs configuration.",
)


@click.group()
def main() -> None:
    """Shoe Capital: check the content in YAML and build the site."""


@main.command()
@content_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text for people, github for CI annotations, json for tools.",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Skip files read before without a problem (cached by content hash in .cache/).",
)
def check(content_dir: Path, fmt: str, cache: bool) -> None:
    """Validate the content; print every problem as path:line:col and exit 1 on any error."""
    formatter = {"text": diag.format_text, "github": diag.format_github, "json": diag.format_json}[
        fmt
    ]
    # The process ends after one pass: what it made is freed by exiting, so the cycle
    # collector need not walk it (a second of a one-file re-check at 10 000 stories).
    gc.disable()
    try:
        index, warnings = check_content(
            content_dir, Path(".cache") if cache else None, backlinks=False
        )
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
        drafts = sum(d.severity is diag.Severity.NOTICE for d in warnings)
        shown = f", {drafts} of them draft(s), not published" if drafts else ""
        click.echo(f"content is valid: {items} items{shown}", err=True)


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Folder to write the schemas to.",
)
def schema(out_dir: Path) -> None:
    """Write one JSON Schema per kind (from the models) for editors' YAML language server."""
    changed = write_schemas(out_dir)
    click.echo(f"{len(changed)} schema(s) changed in {out_dir}", err=True)


@main.command()
@content_option
@click.argument("kind")
@click.argument("item_id", metavar="ID")
def new(content_dir: Path, kind: str, item_id: str) -> None:
    """Write a commented template for a new item: KIND (story, person, fact …) and its ID."""
    try:
        path = scaffold(kind, item_id, content_dir)
    except ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"wrote {path}: fill in the TODOs, then run `python -m generator check`", err=True)


@main.command(name="import")
@content_option
@click.argument("script", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "story_id", help="The story's id (default: from the file's name or words).")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
def import_command(content_dir: Path, script: Path, story_id: str | None, dry_run: bool) -> None:
    """Turn a news script (SCRIPT) into a draft story, drafted people, organizations and places
    it did not know, and draft facts for the figures it prints."""
    try:
        result = import_script(script.read_bytes(), content_dir, story_id, name_hint=script.stem)
        if dry_run:
            for draft in result.files:
                click.echo(f"--- {content_dir / draft.path} (would be written)")
                click.echo(draft.text(), nl=False)
        else:
            write_import(result, content_dir)
    except ScriptError as error:
        raise click.UsageError(str(error)) from None
    except UnicodeDecodeError as error:
        raise click.UsageError(f"{script} is not UTF-8 text: {error.reason}") from None
    for line in summary(result, content_dir):
        click.echo(line, err=True)
    if not dry_run:
        click.echo(
            "next: `python -m generator serve` to read it as a page, decide each point above, "
            "then `python -m generator check`",
            err=True,
        )


@main.command()
@content_option
@config_option
@click.option(
    "--offline",
    is_flag=True,
    help="A site that works from file:// (mkdocs.offline.yml), and a zip of it in dist/.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Render every page, reusing nothing of the previous build (.cache/build/).",
)
def build(content_dir: Path, config_file: Path, offline: bool, full: bool) -> None:
    """Check the content and build the site into site/, rendering again only the pages that
    differ from the previous build's."""
    if offline and config_file == Path("mkdocs.yml"):
        config_file = offline_edition.OFFLINE_CONFIG
    os.environ[CONTENT_ENV] = str(content_dir.resolve())
    try:
        result = build_site(config_file, offline=offline, full=full)
    except BuildError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(result, err=True)
    if offline:
        target = config_file.parent / "dist" / offline_edition.ZIP_NAME
        offline_edition.zip_site(offline_edition.site_dir(config_file), target)
        click.echo(f"offline copy zipped into {target}", err=True)


@main.command()
@content_option
@config_option
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on."
)
@click.option(
    "--dirty/--full",
    default=True,
    show_default=True,
    help="Re-render only changed pages (fast), or everything on each change.",
)
def serve(content_dir: Path, config_file: Path, dev_addr: str, dirty: bool) -> None:
    """Live preview: rebuild when a file in the content folder changes."""
    os.environ[CONTENT_ENV] = str(content_dir.resolve())
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.INFO)
    mkdocs_serve(str(config_file), dev_addr=dev_addr, build_type="dirty" if dirty else None)


@main.command()
@content_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the generated Markdown pages to.",
)
def render(content_dir: Path, out_dir: Path) -> None:
    """Write the generated Markdown pages to a folder (for another engine reading mkdocs.yml)."""
    try:
        output, changed = generate(content_dir, out_dir)
    except ContentError as error:
        click.echo(error.format())
        sys.exit(1)
    click.echo(
        f"{len(output.files)} files in {out_dir}, {len(changed)} changed; "
        + drafts_left_out(output.left_out),
        err=True,
    )
