"""The benchmark's report: its figures checked against the targets, and the Markdown table
written to bench/report.md."""

from __future__ import annotations

import os
import platform
from typing import Any


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
    if "publish_text_edit_s" in big:
        for name, what in (("text_edit", "one story's text edit"), ("new_story", "one new story")):
            seconds = big[f"publish_{name}_s"]
            target(
                f"publish after {what} ≤ 60 s at {largest}",
                "60 s",
                f"{seconds:.1f} s ({big[f'publish_{name}_rendered']:,} pages rendered)",
                seconds <= 60,
            )
    if "mkdocs_peak_bytes" in big:
        peak = big["mkdocs_peak_bytes"]
        target(
            f"whole build peak memory ≤ 2 GiB at {largest}",
            "2 GiB",
            f"{peak / 2**30:.2f} GiB",
            peak <= 2 * 2**30,
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
    ("publish_text_edit_s", "`generator build` after one story's text edit (wall)", "s"),
    ("publish_text_edit_rendered", "pages that build rendered (the rest kept)", "{:,}"),
    ("publish_text_edit_peak_bytes", "that build's peak memory", "bytes"),
    ("publish_new_story_s", "`generator build` after adding one story (wall)", "s"),
    ("publish_new_story_rendered", "pages that build rendered (the rest kept)", "{:,}"),
    ("publish_new_story_peak_bytes", "that build's peak memory", "bytes"),
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
