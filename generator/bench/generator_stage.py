"""The generator's share of a build: each run a new Python process that loads, validates,
resolves and renders once, as `mkdocs build` does; the floor (the same YAML read with the C
loader, the same bytes written); the same run again warm in one process."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from generator.bench.measure import PROJECT, median_time
from generator.diagnostics import Diagnostic
from generator.link.resolve import resolve
from generator.pages.render import render
from generator.read.cache import gc_paused
from generator.read.validate import read_content

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
        fresh_process(content, scratch, repeat, first=n == 0, floor=floor) for n in range(repeat)
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


def fresh_process(
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


def in_process(
    content: Path, scratch: Path, repeat: int, *, first: bool, floor: bool
) -> dict[str, Any]:
    """What fresh_process asks a new process for."""
    figures, files = generator_run(content)
    figures.update(generated_files=len(files), generated_bytes=sum(map(len, files.values())))
    if first:
        if floor:
            figures.update(floor_stage(content, files, scratch, repeat))
        del files
        figures.update(warm_stage(content, repeat))
    return figures
