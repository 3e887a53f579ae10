"""The stages around the generator, each as a user meets it: `check` cold and after one
edit, the whole MkDocs build with its memory and the site's size, a dirty build after an
edit, `mkdocs serve` from save to page, and the first search result in headless Chromium."""

from __future__ import annotations

import functools
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from generator.bench.measure import (
    PROJECT,
    environment,
    fetch,
    free_port,
    http_server,
    run_child,
    run_logged,
    wait_for,
)

CHROMIUM = Path("/usr/bin/chromium")


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
    port = free_port()
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
            wait_for(lambda: fetch(page) is not None, timeout=3600)
            found["serve_startup_s"] = round(time.perf_counter() - start, 3)
            text = original.decode()
            for kind, edit in (("text", _edit_narration), ("title", _edit_title)):
                marker = f"Edited {kind} {time.time_ns()}"
                time.sleep(1.0)
                start = time.perf_counter()
                story.write_text(edit(text, marker), encoding="utf-8")
                wait_for(functools.partial(_shows, page, marker), timeout=1800)
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
    return text in (fetch(url) or "")


def _edit_narration(text: str, marker: str) -> str:
    head, found, rest = text.partition("- narration: |\n    ")
    if not found:
        raise ValueError("the story has no narration to edit")
    return f"{head}{found}{marker}. {rest}"


def _edit_title(text: str, marker: str) -> str:
    return text.replace(text.split("\n", 1)[0], f'title: "{marker}"', 1)


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


def publish_stage(config: Path, content: Path, site: Path) -> dict[str, Any]:
    """`python -m generator build` (what `make site` runs) after a whole build: after one
    story's text edit, and after one new story, with the pages it rendered again, its time
    and peak memory; then the site is put back (also incrementally)."""
    command = [
        sys.executable,
        *("-m", "generator", "build", "--content", str(content), "--config", str(config)),
    ]
    stories = sorted((content / "stories").glob("*.yaml"))
    story = stories[len(stories) // 2]
    original = story.read_bytes()
    data = yaml.safe_load(original)
    added = content / "stories" / "bench-added-story.yaml"
    new = {key: data[key] for key in ("title", "date", "dateline", "summary", "source")}
    new["title"] = "A story added for the benchmark"
    newest = max((yaml.safe_load(p.read_bytes())["date"] for p in stories[-50:]), key=str)
    new["date"] = newest
    new["reporters"] = data.get("reporters", [])
    new["segments"] = [{"id": "added", "narration": "A paragraph added for the benchmark.\n"}]
    figures: dict[str, Any] = {}

    def measure(name: str) -> None:
        seconds, used, peak, log = run_logged(command, environment(), cwd=config.parent)
        found = re.search(r"(\d+) pages kept from the last build, (\d+) to render", log)
        figures.update(
            {
                f"publish_{name}_s": round(seconds, 3),
                f"publish_{name}_cpu_s": round(used, 3),
                f"publish_{name}_peak_bytes": peak,
                f"publish_{name}_rendered": int(found.group(2)) if found else None,
                f"publish_{name}_kept": int(found.group(1)) if found else 0,
            }
        )

    try:
        measure("settle")  # records the manifest the whole build (plain mkdocs build) left
        found = re.search(r"narration: [|>]-?\n( +)", original.decode())
        assert found, f"no narration in {story}"
        start, indent = found.end(1), found.group(1)
        text = original.decode()
        story.write_text(
            text[:start] + "Edited for the benchmark.\n" + indent + text[start:], encoding="utf-8"
        )
        measure("text_edit")
        added.write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")
        measure("new_story")
    finally:
        story.write_bytes(original)
        added.unlink(missing_ok=True)
    measure("restore")
    return figures
