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
import contextlib
import functools
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from generator.bench.synth import synthesize

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
STAGES = ("generator", "floor", "check", "mkdocs", "dirty", "serve", "search", "offline")


# -- measuring ---------------------------------------------------------------------------------


def median_time(
    run: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None
) -> tuple[float, float, Any]:
    """Median wall and CPU time of ``repeat`` calls, and the last call's result; ``before``
    runs ahead of each call, untimed.

    CPU time is what the targets are judged on: on a shared machine wall time also counts
    the other processes' turns.
    """
    times, cpu, result = [], [], None
    for _ in range(repeat):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return round(statistics.median(times), 3), round(statistics.median(cpu), 3), result


def run_child(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float, int]:
    """Run a command; return its wall time, its CPU time and its peak memory in bytes."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{err.decode(errors='replace')[-3000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


# -- the stages --------------------------------------------------------------------------------


RUN_KEYS = (
    "load_validate_s",
    "resolve_render_s",
    "generator_s",
    "load_validate_cpu_s",
    "resolve_render_cpu_s",
    "generator_cpu_s",
)
"""What one run of the generator measures (generator_run)."""


def generator_run(content: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """One run of the generator as a build runs it: load + validate, then resolve + render,
    each with the cycle collector paused (as generator.pipeline does), with no cache. Its
    figures (RUN_KEYS) and the files it made."""
    from generator.diagnostics import Diagnostic
    from generator.link.resolve import resolve
    from generator.pages.render import render
    from generator.read.cache import gc_paused
    from generator.read.validate import read_content

    diagnostics: list[Diagnostic] = []
    start, start_cpu = time.perf_counter(), time.process_time()
    with gc_paused():
        loaded = read_content(content, diagnostics)
    middle, middle_cpu = time.perf_counter(), time.process_time()
    with gc_paused():
        output = render(resolve(loaded, diagnostics))
    end, end_cpu = time.perf_counter(), time.process_time()
    times = (middle - start, end - middle, end - start)
    cpu = (middle_cpu - start_cpu, end_cpu - middle_cpu, end_cpu - start_cpu)
    return dict(zip(RUN_KEYS, (round(t, 3) for t in (*times, *cpu)), strict=True)), output.files


def generator_stage(content: Path, scratch: Path, repeat: int, floor: bool) -> dict[str, Any]:
    """The generator's cost as a build pays it, and the floor.

    Each of ``repeat`` runs is a new Python process that runs the generator once, as `mkdocs
    build` does: templates not yet compiled, caches empty, nothing of an earlier run in
    memory. The figures are the medians of those runs. The first process then measures the
    floor on the files it made (with ``floor``), and the warm figures (warm_stage).
    """
    runs = [
        _fresh_process(content, scratch, repeat, first=n == 0, floor=floor) for n in range(repeat)
    ]
    figures = {key: round(statistics.median(run[key] for run in runs), 3) for key in RUN_KEYS}
    figures.update((key, value) for key, value in runs[0].items() if key not in RUN_KEYS)
    return figures


def warm_stage(content: Path, repeat: int) -> dict[str, Any]:
    """The generator run again in the same process: load + validate ``repeat`` times, then
    resolve + render the last load ``repeat`` times; medians. Every cache is warm from the run
    before, and at 1 000 stories all the content still sits in the processor's cache: no build
    runs so. Reported beside the figures that count, as earlier reports measured the generator
    this way."""
    from generator.link.resolve import resolve
    from generator.pages.render import render
    from generator.read.cache import gc_paused
    from generator.read.validate import read_content

    def load() -> Any:
        with gc_paused():
            return read_content(content, [])

    _, load_cpu, loaded = median_time(load, repeat)

    def resolve_render() -> Any:
        with gc_paused():
            return render(resolve(loaded, []))

    _, render_cpu, _ = median_time(resolve_render, repeat)
    return {
        "warm_load_validate_cpu_s": load_cpu,
        "warm_resolve_render_cpu_s": render_cpu,
        "warm_generator_cpu_s": round(load_cpu + render_cpu, 3),
    }


def floor_stage(
    content: Path, files: dict[str, bytes], scratch: Path, repeat: int
) -> dict[str, Any]:
    """The least a generator could do: parse the YAML with CSafeLoader, write the same bytes."""
    paths = sorted(content.rglob("*.yaml"))

    def read() -> int:
        count = 0
        for path in paths:
            with path.open("rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)  # noqa: S506 - the C *safe* loader
            count += 1
        return count

    def write() -> None:
        for relative, data in files.items():
            target = scratch / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def clear() -> None:  # outside the timing: deleting the last copy is no part of the floor
        shutil.rmtree(scratch, ignore_errors=True)

    read_time, read_cpu, _ = median_time(read, repeat)
    write_time, write_cpu, _ = median_time(write, repeat, before=clear)
    clear()
    return {
        "floor_read_s": read_time,
        "floor_write_s": write_time,
        "floor_read_cpu_s": read_cpu,
        "floor_write_cpu_s": write_cpu,
        "floor_s": round(read_time + write_time, 3),
        "floor_cpu_s": round(read_cpu + write_cpu, 3),
    }


def _fresh_process(
    content: Path, scratch: Path, repeat: int, *, first: bool, floor: bool
) -> dict[str, Any]:
    """A new Python process runs the generator once; with ``first`` it goes on to the floor
    (with ``floor``) and the warm figures. Its figures come back as JSON."""
    command = [sys.executable, "-m", "generator.bench", "--in-process", str(content)]
    command += ["--repeat", str(repeat), "--out", str(scratch)]
    if first:
        command.append("--first")
    if not floor:
        command.append("--no-floor")
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=PROJECT)
    if done.returncode != 0:
        raise RuntimeError(f"the generator stage failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def _in_process(
    content: Path, scratch: Path, repeat: int, *, first: bool, floor: bool
) -> dict[str, Any]:
    """What _fresh_process asks a new process for."""
    figures, files = generator_run(content)
    figures.update(generated_files=len(files), generated_bytes=sum(map(len, files.values())))
    if first:
        if floor:
            figures.update(floor_stage(content, files, scratch, repeat))
        del files
        figures.update(warm_stage(content, repeat))
    return figures


def check_stage(content: Path, scratch: Path, repeat: int) -> dict[str, Any]:
    """`python -m generator check`: cold (empty cache), and after changing one file."""
    scratch.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "generator", "check", "--content", str(content)]
    story = sorted((content / "stories").glob("*.yaml"))[
        len(list((content / "stories").glob("*.yaml"))) // 2
    ]
    original = story.read_bytes()
    cold, warm, cold_cpu, warm_cpu, peak = [], [], [], [], 0
    try:
        for attempt in range(repeat):
            shutil.rmtree(scratch / ".cache", ignore_errors=True)
            seconds, cpu, peak = run_child(command, environment(), cwd=scratch)
            cold.append(seconds)
            cold_cpu.append(cpu)
            story.write_bytes(original + f"# edited for the benchmark ({attempt})\n".encode())
            seconds, cpu, _ = run_child(command, environment(), cwd=scratch)
            warm.append(seconds)
            warm_cpu.append(cpu)
    finally:
        story.write_bytes(original)
    cold_s, warm_s = statistics.median(cold_cpu), statistics.median(warm_cpu)
    return {
        "check_cold_s": round(statistics.median(cold), 3),
        "check_one_changed_s": round(statistics.median(warm), 3),
        "check_cold_cpu_s": round(cold_s, 3),
        "check_one_changed_cpu_s": round(warm_s, 3),
        "check_ratio": round(warm_s / cold_s, 3),
        "check_peak_bytes": peak,
    }


def project_config(run: Path, content: Path, site: Path, *, offline: bool = False) -> Path:
    """A copy of mkdocs.yml (or the offline one) that reads ``content`` and writes under ``run``."""
    config = _read_config(PROJECT / "mkdocs.yml")
    if offline:
        overlay = _read_config(PROJECT / "mkdocs.offline.yml")
        overlay.pop("INHERIT", None)
        config.update(overlay)
    config["docs_dir"] = str(PROJECT / config.get("docs_dir", "docs"))
    config["site_dir"] = str(site)
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(PROJECT / theme["custom_dir"])
    if config.get("hooks"):
        config["hooks"] = [str(PROJECT / hook) for hook in config["hooks"]]
    plugins = []
    for plugin in config.get("plugins", []):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "shoe-capital":
            plugin = {
                "shoe-capital": {
                    "content": str(content),
                    "generated": str(run / ("generated-offline" if offline else "generated")),
                }
            }
        plugins.append(plugin)
    config["plugins"] = plugins
    path = run / ("mkdocs.offline.yml" if offline else "mkdocs.yml")
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _read_config(path: Path) -> dict[str, Any]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV and python tags
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    return data if isinstance(data, dict) else {}


def mkdocs_stage(config: Path, site: Path, repeat: int) -> dict[str, Any]:
    """`mkdocs build` as a user runs it, with its wall time and peak memory, and the site's size."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    times, cpu, peaks = [], [], []
    for _ in range(repeat):
        seconds, used, peak = run_child(command, environment(), cwd=config.parent)
        times.append(seconds)
        cpu.append(used)
        peaks.append(peak)
    return {
        "mkdocs_build_s": round(statistics.median(times), 3),
        "mkdocs_build_cpu_s": round(statistics.median(cpu), 3),
        "mkdocs_peak_bytes": max(peaks),
        **site_size(site),
    }


def site_size(site: Path) -> dict[str, Any]:
    pages = [p.stat().st_size for p in site.rglob("*.html")]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = site / "search" / "search_index.json"
    return {
        "site_bytes": total,
        "html_pages": len(pages),
        "html_bytes_per_page_mean": round(statistics.mean(pages)) if pages else 0,
        "html_bytes_per_page_max": max(pages, default=0),
        "search_index_bytes": index.stat().st_size if index.exists() else 0,
    }


def dirty_stage(config: Path, content: Path, site: Path, restore: bool = True) -> dict[str, Any]:
    """What `mkdocs serve --dirty` does on a save, as one `mkdocs build --dirty` after a full build.

    Times a story's YAML edit to the rebuilt page, and counts the HTML pages rewritten.
    """
    story = sorted((content / "stories").glob("*.yaml"))[1]
    page = site / "stories" / story.stem / "index.html"
    original = story.read_bytes()
    marker = f"Edited title {int(time.time())}"
    text = original.decode()
    command = [sys.executable, "-m", "mkdocs", "build", "--dirty", "-q", "-f", str(config)]
    try:
        time.sleep(1.0)  # modification times have a resolution; keep the edit clearly newer
        start_clock = time.time()
        story.write_text(
            text.replace(text.split("\n", 1)[0], f'title: "{marker}"', 1), encoding="utf-8"
        )
        seconds, used, peak = run_child(command, environment(), cwd=config.parent)
        rewritten = sum(1 for p in site.rglob("*.html") if p.stat().st_mtime >= start_clock)
        shown = marker in page.read_text(encoding="utf-8")
    finally:
        story.write_bytes(original)
    if restore:
        run_child(command, environment(), cwd=config.parent)  # put the site back as it was
    return {
        "dirty_edit_to_page_s": round(seconds, 3),
        "dirty_edit_cpu_s": round(used, 3),
        "dirty_pages_rewritten": rewritten,
        "dirty_page_shows_edit": shown,
        "dirty_peak_bytes": peak,
    }


def serve_stage(config: Path, content: Path) -> dict[str, Any]:
    """`mkdocs serve --dirty` as an editor uses it: the time to start, then, for two kinds of
    edit to one story, the time from saving its YAML to the new text being served.

    A text edit (a narration) changes the story's own page; a title edit also changes every
    page that lists or links the story (its topics, people, places, facts, the fact sheet).
    """
    port = _free_port()
    story = sorted((content / "stories").glob("*.yaml"))[0]
    page = f"http://127.0.0.1:{port}/stories/{story.stem}/"
    original = story.read_bytes()
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--dirty",
        "-f",
        str(config),
        "-a",
        f"127.0.0.1:{port}",
    ]
    found: dict[str, Any] = {}
    log = config.parent / "serve.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            command, env=environment(), cwd=config.parent, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            start = time.perf_counter()
            _wait_for(lambda: _fetch(page) is not None, timeout=3600)
            found["serve_startup_s"] = round(time.perf_counter() - start, 3)
            text = original.decode()
            for kind, edit in (("text", _edit_narration), ("title", _edit_title)):
                marker = f"Edited {kind} {time.time_ns()}"
                time.sleep(1.0)
                start = time.perf_counter()
                story.write_text(edit(text, marker), encoding="utf-8")
                _wait_for(functools.partial(_shows, page, marker), timeout=1800)
                found[f"serve_{kind}_edit_s"] = round(time.perf_counter() - start, 3)
        finally:
            story.write_bytes(original)
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    return found


def _shows(url: str, text: str) -> bool:
    return text in (_fetch(url) or "")


def _edit_narration(text: str, marker: str) -> str:
    head, found, rest = text.partition("- narration: |\n    ")
    if not found:
        raise ValueError("the story has no narration to edit")
    return f"{head}{found}{marker}. {rest}"


def _edit_title(text: str, marker: str) -> str:
    return text.replace(text.split("\n", 1)[0], f'title: "{marker}"', 1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def _wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout} s")
        time.sleep(every)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def http_server(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def search_time(url: str, query: str, repeat: int) -> float:
    """Median time from opening ``url`` in headless Chromium to the first search result shown."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--allow-file-access-from-files",
            ],
        )
        try:
            for _ in range(repeat):
                context = browser.new_context(service_workers="block")
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                box = page.locator("input.md-search__input")
                box.wait_for(state="visible", timeout=60_000)
                box.click()
                first = page.locator(".md-search-result__item").first
                deadline = time.monotonic() + 300
                while True:  # the worker ignores queries typed before its index is ready
                    box.fill(query[:-1])  # Material searches on key events, not on fill alone
                    box.press_sequentially(query[-1])
                    try:
                        first.wait_for(state="visible", timeout=500)
                        break
                    except Exception:
                        if time.monotonic() > deadline:
                            raise
                times.append(time.perf_counter() - start)
                context.close()
        finally:
            browser.close()
    return round(statistics.median(times), 3)


def search_stage(site: Path, offline_site: Path | None, query: str, repeat: int) -> dict[str, Any]:
    if not CHROMIUM.exists():
        return {"search_note": f"{CHROMIUM} missing: search not measured"}
    figures: dict[str, Any] = {}
    story = sorted((site / "stories").glob("story-*"))[0]
    with http_server(site) as base:
        figures["search_online_s"] = search_time(f"{base}/stories/{story.name}/", query, repeat)
    if offline_site is not None:
        page = sorted((offline_site / "stories").glob("story-*.html"))[0]
        figures["search_file_s"] = search_time(page.as_uri(), query, repeat)
    return figures


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


def report(results: list[dict[str, Any]], repeat: int, build_repeat: int) -> dict[str, Any]:
    """The figures and the targets of issue 6, checked against them."""
    by_size = {r["stories"]: r for r in results}
    targets: list[dict[str, Any]] = []
    largest, smallest = max(by_size), min(by_size)
    big, small = by_size[largest], by_size[smallest]

    def target(name: str, limit: str, value: Any, met: bool | None) -> None:
        targets.append({"target": name, "limit": limit, "measured": value, "met": met})

    if "floor_cpu_s" in big and "generator_cpu_s" in big:
        floor = big["floor_cpu_s"]
        target(
            f"resolve + render ≤ 2× floor at {largest} (CPU)",
            "2.0×",
            f"{big['resolve_render_cpu_s'] / floor:.2f}×",
            big["resolve_render_cpu_s"] <= 2 * floor,
        )
        target(
            f"load + validate + resolve + render ≤ 2× floor at {largest} (CPU)",
            "2.0×",
            f"{big['generator_cpu_s'] / floor:.2f}×",
            big["generator_cpu_s"] <= 2 * floor,
        )
    if "mkdocs_build_cpu_s" in big and "generator_cpu_s" in big:
        share = big["generator_cpu_s"] / big["mkdocs_build_cpu_s"]
        target(
            f"generator < 10 % of the MkDocs build at {largest} (CPU)",
            "10 %",
            f"{share:.1%}",
            share < 0.10,
        )
    if largest != smallest:
        scale = largest / smallest
        for key, name in (("generator_cpu_s", "generator"), ("mkdocs_build_cpu_s", "whole build")):
            if key in big and key in small:
                ratio = big[key] / small[key]
                target(
                    f"{name}: {largest} stories cost ≤ {1.1 * scale:.0f}× {smallest} (CPU)",
                    f"{1.1 * scale:.0f}×",
                    f"{ratio:.1f}×",
                    ratio <= 1.1 * scale,
                )
    if "mkdocs_peak_bytes" in big:
        target(
            f"build fits in 24 GiB at {largest}",
            "24 GiB",
            f"{big['mkdocs_peak_bytes'] / 2**30:.2f} GiB",
            big["mkdocs_peak_bytes"] < 24 * 2**30,
        )
    if "check_ratio" in big:
        target(
            f"check after one change ≤ 1/5 of cold at {largest} (CPU)",
            "0.20",
            big["check_ratio"],
            big["check_ratio"] <= 0.2,
        )
    for kind in ("text", "title"):
        key = f"serve_{kind}_edit_s"
        if key in big:
            target(
                f"serve: a story's {kind} edited → preview ≤ 5 s at {largest}",
                "5 s",
                big[key],
                big[key] <= 5,
            )
    for key, name in (("search_online_s", "online"), ("search_file_s", "file://")):
        if key in big:
            target(f"first search result, {name}, at {largest}", "2 s", big[key], big[key] <= 2)
    return {
        "version": 1,
        "repeat": repeat,
        "build_repeat": build_repeat,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        },
        "sizes": results,
        "targets": targets,
    }


ROWS = (
    ("items", "items (all kinds)", "{:,}"),
    ("content_bytes", "content YAML", "bytes"),
    ("load_validate_cpu_s", "load + validate (CPU)", "s"),
    ("resolve_render_cpu_s", "resolve + render (CPU)", "s"),
    ("generator_cpu_s", "generator total (CPU)", "s"),
    ("generator_s", "generator total (wall)", "s"),
    ("warm_generator_cpu_s", "generator run again in one process, warm (CPU)", "s"),
    ("floor_read_cpu_s", "floor: read with CSafeLoader (CPU)", "s"),
    ("floor_write_cpu_s", "floor: write the same bytes (CPU)", "s"),
    ("floor_cpu_s", "floor: CSafeLoader + write same bytes (CPU)", "s"),
    ("check_cold_cpu_s", "`check`, cold (CPU)", "s"),
    ("check_one_changed_cpu_s", "`check`, one file changed (CPU)", "s"),
    ("check_cold_s", "`check`, cold (wall)", "s"),
    ("check_one_changed_s", "`check`, one file changed (wall)", "s"),
    ("mkdocs_build_cpu_s", "MkDocs build, whole (CPU)", "s"),
    ("mkdocs_build_s", "MkDocs build, whole (wall)", "s"),
    ("mkdocs_peak_bytes", "MkDocs build peak memory", "bytes"),
    ("html_pages", "HTML pages", "{:,}"),
    ("html_bytes_per_page_mean", "HTML per page, mean", "bytes"),
    ("html_bytes_per_page_max", "HTML per page, max", "bytes"),
    ("site_bytes", "site size", "bytes"),
    ("search_index_bytes", "search index", "bytes"),
    ("offline_build_cpu_s", "offline build, whole (CPU)", "s"),
    ("dirty_edit_to_page_s", "`mkdocs build --dirty` after one YAML edit (wall)", "s"),
    ("dirty_edit_cpu_s", "`mkdocs build --dirty` after one YAML edit (CPU)", "s"),
    ("dirty_pages_rewritten", "pages that dirty build rewrote", "{:,}"),
    ("serve_startup_s", "`mkdocs serve --dirty` start", "s"),
    ("serve_text_edit_s", "serve: story text edited → page changed", "s"),
    ("serve_title_edit_s", "serve: story title edited → page changed", "s"),
    ("search_online_s", "open page → first search result (HTTP)", "s"),
    ("search_file_s", "open page → first search result (file://)", "s"),
)


def markdown(data: dict[str, Any]) -> str:
    sizes = data["sizes"]
    lines = [
        "# Benchmark",
        "",
        f"Medians of {data['repeat']} run(s), {data['build_repeat']} of each `check` and "
        "MkDocs build. Each run of the generator is a new Python process that runs it once, "
        "as a build does; the warm row runs it again in one process, every cache filled by "
        "the run before (as earlier reports measured it). "
        f"{data['machine']['cpus']} CPUs, "
        f"Python {data['machine']['python']}, load average at the end "
        f"{data['machine']['load_average_at_end'][0]}. Targets are judged on CPU time, which "
        "other processes on the machine do not inflate; serve and search times are wall "
        "times. Written by `make bench` (python -m generator.bench).",
        "",
        "| measure | " + " | ".join(f"{s['stories']:,} stories" for s in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    for key, label, unit in ROWS:
        if not any(key in s for s in sizes):
            continue
        cells = [_cell(s.get(key), unit) for s in sizes]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if data["targets"]:
        lines += ["", "| target | limit | measured | met |", "| --- | --- | --- | --- |"]
        for t in data["targets"]:
            met = "yes" if t["met"] else "**no**"
            lines.append(f"| {t['target']} | {t['limit']} | {t['measured']} | {met} |")
    warm = [s for s in sizes if "warm_generator_cpu_s" in s]
    if len(warm) > 1:
        small, big = warm[0], warm[-1]
        lines += [
            "",
            f"Run again warm in one process, the generator's {big['stories']} stories cost "
            f"{big['warm_generator_cpu_s'] / small['warm_generator_cpu_s']:.1f}× its "
            f"{small['stories']} (no target: no build runs so).",
        ]
    return "\n".join(lines) + "\n"


def _cell(value: Any, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "bytes":
        for size, name in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
            if value >= size:
                return f"{value / size:.1f} {name}"
        return f"{value} B"
    return unit.format(value)


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
    parser.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)  # see _in_process
    parser.add_argument("--no-floor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        figures = _in_process(
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
