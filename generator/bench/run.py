"""The benchmark behind `make bench`: how cost grows with the number of stories.

For each size it makes a synthetic newsroom (generator.bench.synth) and measures, as medians over
repeated runs: loading + validation, resolve + render (the generator's share; each run in a
new process, as a build runs it, and again warm in one process), a floor that
reads the same YAML with the C loader and writes the same Markdown bytes (no model, no
templates), a cold and a warm `check`, the whole MkDocs build with its peak memory and the
size of its site and search index; once per size, the time from a YAML edit to the page
changing under `mkdocs serve`, and the time from opening a page to the first search result
in headless Chromium, over HTTP and from file://.

Scratch (content, sites) goes to bench/runs/ (git-ignored); the summary to bench/report.json
and bench/report.md. Run: python -m generator.bench [--sizes 1000,10000] [--repeat 3] [--quick].
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.bench.generator_stage import generator_stage, in_process
from generator.bench.measure import PROJECT, environment, run_child
from generator.bench.report import markdown, report
from generator.bench.site_stages import (
    check_stage,
    dirty_stage,
    mkdocs_stage,
    project_config,
    publish_stage,
    search_stage,
    serve_stage,
)
from generator.bench.synth import synthesize

STAGES = ("generator", "floor", "check", "mkdocs", "publish", "dirty", "serve", "search", "offline")


# -- the run -----------------------------------------------------------------------------------


def bench_size(
    stories: int,
    runs: Path,
    repeat: int,
    build_repeat: int,
    stages: set[str],
    log: Callable[[str], None],
    keep: bool = False,
) -> dict[str, Any]:
    """Every stage for one size. Figures are saved after each stage in runs/stories-N/figures.json;
    with ``keep`` a run starts from them, so slow stages can be run (or re-run) on their own."""
    run = runs / f"stories-{stories}"
    content = run / "content"
    run.mkdir(parents=True, exist_ok=True)
    saved = run / "figures.json"
    figures: dict[str, Any] = json.loads(saved.read_text()) if keep and saved.exists() else {}

    def record(**found: Any) -> None:
        figures.update(found)
        saved.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")

    start = time.perf_counter()
    counts = synthesize(stories, content)
    content_bytes = sum(p.stat().st_size for p in content.rglob("*.yaml"))
    record(
        stories=stories,
        items=sum(counts.values()),
        counts=counts,
        synth_s=round(time.perf_counter() - start, 3),
        content_bytes=content_bytes,
    )
    log(f"[{stories}] synthetic content: {figures['items']} items, {content_bytes:,} bytes")
    if "generator" in stages or "floor" in stages:
        result = generator_stage(content, run / "floor", repeat, "floor" in stages)
        record(**result)
        log(f"[{stories}] generator: {result}")
    if "check" in stages:
        record(**check_stage(content, run / "check", build_repeat))
        log(
            f"[{stories}] check: cold {figures['check_cold_s']} s, "
            f"one file changed {figures['check_one_changed_s']} s"
        )
    site = run / "site"
    config = project_config(run, content, site)
    if "mkdocs" in stages:
        record(**mkdocs_stage(config, site, build_repeat))
        log(
            f"[{stories}] mkdocs build: {figures['mkdocs_build_s']} s, "
            f"peak {figures['mkdocs_peak_bytes'] / 2**20:.0f} MiB"
        )
    if "publish" in stages and (site / "index.html").exists():
        record(**publish_stage(config, content, site))
        log(
            f"[{stories}] publish after one text edit: {figures['publish_text_edit_s']} s, "
            f"{figures['publish_text_edit_rendered']} pages rendered; after one new story: "
            f"{figures['publish_new_story_s']} s, {figures['publish_new_story_rendered']} pages"
        )
    offline_site = run / "site-offline"
    if "offline" in stages:
        offline = project_config(run, content, offline_site, offline=True)
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(offline)]
        seconds, used, peak = run_child(command, environment(), cwd=run)
        record(
            offline_build_s=round(seconds, 3),
            offline_build_cpu_s=round(used, 3),
            offline_peak_bytes=peak,
        )
        log(f"[{stories}] offline build: {seconds:.1f} s")
    # Search before the dirty build: a dirty build writes a search index of only the pages
    # it re-rendered.
    if "search" in stages and (site / "search").exists():
        person = yaml.safe_load((content / "people" / "person-00001.yaml").read_text())["name"]
        offline_ready = offline_site if (offline_site / "search").exists() else None
        record(**search_stage(site, offline_ready, person, min(repeat, 3)))
        log(
            f"[{stories}] search: {figures.get('search_online_s')} s online, "
            f"{figures.get('search_file_s')} s from file://"
        )
    if "dirty" in stages and (site / "index.html").exists():
        record(**dirty_stage(config, content, site))
        log(
            f"[{stories}] dirty build after one edit: {figures['dirty_edit_to_page_s']} s, "
            f"{figures['dirty_pages_rewritten']} pages rewritten"
        )
    if "serve" in stages:
        record(**serve_stage(config, content))
        log(
            f"[{stories}] serve: text edit {figures['serve_text_edit_s']} s, "
            f"title edit {figures['serve_title_edit_s']} s"
        )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="1000,10000", help="story counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (median)")
    parser.add_argument(
        "--build-repeat",
        type=int,
        default=None,
        help="runs per MkDocs build and check (default: --repeat); builds take minutes",
    )
    parser.add_argument("--stages", default=",".join(STAGES), help=f"any of {','.join(STAGES)}")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: 20 and 40 stories, one run, no serve or browser",
    )
    parser.add_argument("--out", type=Path, default=PROJECT / "bench", help="where report.* go")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="start from the figures saved in runs/ (to run slow stages apart)",
    )
    parser.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)  # see in_process
    parser.add_argument("--no-floor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        figures = in_process(
            args.in_process, args.out, args.repeat, first=args.first, floor=not args.no_floor
        )
        print(json.dumps(figures))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    stages = {s.strip() for s in args.stages.split(",") if s.strip()}
    if args.quick:
        sizes, args.repeat = [20, 40], 1
        stages -= {"serve", "search", "offline"}
    unknown = stages - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    runs = args.out / "runs"

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    build_repeat = args.build_repeat or args.repeat
    results = [
        bench_size(size, runs, args.repeat, build_repeat, stages, log, args.keep) for size in sizes
    ]
    data = report(results, args.repeat, build_repeat)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    text = markdown(data)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
