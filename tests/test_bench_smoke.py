"""`make bench` in quick mode: it runs end to end and writes the report it promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.bench import run as bench


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    assert bench.main(["--quick", "--out", str(out)]) == 0
    return out


def test_quick_bench_writes_json_with_every_figure(quick_report: Path) -> None:
    data = json.loads((quick_report / "report.json").read_text())
    assert [size["stories"] for size in data["sizes"]] == [20, 40]
    for size in data["sizes"]:
        for key in (
            "load_validate_s",
            "resolve_render_s",
            "generator_s",
            "floor_s",
            "check_cold_s",
            "check_one_changed_s",
            "mkdocs_build_s",
            "load_validate_cpu_s",
            "resolve_render_cpu_s",
            "generator_cpu_s",
            "warm_generator_cpu_s",
            "floor_cpu_s",
            "check_cold_cpu_s",
            "mkdocs_build_cpu_s",
            "mkdocs_peak_bytes",
            "html_pages",
            "html_bytes_per_page_mean",
            "site_bytes",
            "search_index_bytes",
        ):
            assert isinstance(size[key], (int, float)) and size[key] > 0, key
        assert size["html_pages"] >= size["stories"]
    names = [t["target"] for t in data["targets"]]
    assert "build fits in 24 GiB at 40" in names
    assert "check after one change ≤ 1/5 of cold at 40 (CPU)" in names
    assert all(isinstance(t["met"], bool) for t in data["targets"])


def test_quick_bench_writes_a_markdown_table(quick_report: Path) -> None:
    lines = (quick_report / "report.md").read_text().splitlines()
    assert lines[0] == "# Benchmark"
    assert "| measure | 20 stories | 40 stories |" in lines
    assert any(
        line.startswith("| MkDocs build, whole (CPU) | ") and line.endswith(" s |")
        for line in lines
    )
    assert any(line.startswith("| search index | ") for line in lines)
    assert any(
        line.startswith("Run again warm in one process, the generator's 40") for line in lines
    )
    assert "| target | limit | measured | met |" in lines
    # Scratch stays in runs/, which .gitignore keeps out of git.
    assert (quick_report / "runs" / "stories-40" / "content" / "site.yaml").is_file()


def test_quick_bench_leaves_the_benchmark_content_as_synth_wrote_it(
    quick_report: Path, tmp_path: Path
) -> None:
    from generator.bench.synth import synthesize

    synthesize(40, tmp_path / "content")
    ran = quick_report / "runs" / "stories-40" / "content"
    for path in (tmp_path / "content").rglob("*.yaml"):
        assert (ran / path.relative_to(tmp_path / "content")).read_bytes() == path.read_bytes()
