"""The code's layout keeps the shape README's "How the code is laid out" gives it.

Data flows one way through the stage folders, in the order the README's flow line names them;
a module imports only from its own stage and earlier ones, nothing imports in a cycle, no
import hides inside a function, the runtime never imports the benchmark, and no module grows
much past 400 lines. The rules are read from the source (every import, wherever it stands)
and checked again on made-up graphs, so each can be seen to fail.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"
README = ROOT / "README.md"
MAX_LINES = 410
"""'No module over about 400 lines' (issue 16): a little slack, no more."""

APART = "bench"
"""The stage that sits apart: it may import any stage; no runtime module imports it."""


def flow() -> list[set[str]]:
    """The stages in the order README's flow line gives them, e.g. `read → link → pages`."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## How the code is laid out", 1)[1]
    line = next(line for line in section.splitlines() if "→" in line)
    return [{name.strip() for name in step.split(",")} for step in line.split("→")]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def stage_of(module: str) -> str:
    """A module's stage: its folder under generator/, or its own name for a top module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "generator"


def imports_of(path: Path, known: Iterable[str]) -> list[tuple[str, int, bool]]:
    """Every generator module ``path`` imports: (module, line, whether at the top level)."""
    known = set(known)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            # `from generator.pages import render` imports a module, not a name
            names += [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name.split(".")[0] == "generator" and name in known:
                found.append((name, node.lineno, id(node) in top))
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {target for target, _, _ in imports_of(path, known) if target != name}
        for name, path in known.items()
    }


# -- the rules, each a function so it can be tried on a graph made to break it ------------------


def backward_imports(edges: dict[str, set[str]], order: list[set[str]]) -> list[str]:
    rank = {stage: n for n, step in enumerate(order) for stage in step}
    wrong = []
    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            from_stage, to_stage = stage_of(source), stage_of(target)
            if to_stage == APART and from_stage != APART:
                wrong.append(f"{source} imports {target}: the runtime never imports {APART}/")
            elif from_stage != APART and rank[to_stage] > rank[from_stage]:
                wrong.append(f"{source} ({from_stage}) imports {target}, a later stage")
    return wrong


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


# -- the code as it is ----------------------------------------------------------------------


def test_the_readme_names_every_stage_folder_in_its_flow() -> None:
    named = set().union(*flow()) | {APART}
    folders = {stage_of(name) for name in modules()} - {"generator", "__main__"}
    assert folders <= named, f"stages missing from README's flow line: {folders - named}"
    text = README.read_text(encoding="utf-8")
    for folder in sorted(folders):
        path = PACKAGE / folder
        label = f"`{folder}/`" if path.is_dir() else f"`{folder}.py`"
        assert label in text, f"README's folder map does not describe {label}"


@pytest.mark.parametrize("name", sorted(n for n in modules() if not n.endswith("__main__")))
def test_every_module_imports(name: str) -> None:  # a __main__ runs its command when imported
    importlib.import_module(name)


def test_no_module_imports_a_later_stage_or_the_benchmark() -> None:
    order = [{"generator"}, *flow(), {"__main__"}]  # the package's __init__ first, -m last
    assert backward_imports(graph(), order) == []


def test_nothing_imports_in_a_cycle() -> None:
    assert cycles(graph()) == []


def test_no_import_hides_inside_a_function() -> None:
    known = modules()
    hidden = [
        f"{path.relative_to(ROOT)}:{line} imports {target} inside a function"
        for path in known.values()
        for target, line, at_top in imports_of(path, known)
        if not at_top
    ]
    assert hidden == []


def test_no_module_is_much_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in modules().values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_command_line_loads_without_the_benchmark() -> None:
    code = (
        "import sys, generator.cli, generator.plugin.plugin, generator.pipeline.session\n"
        "print(sorted(m for m in sys.modules if m.startswith('generator.bench')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_the_synthetic_newsroom_runs_as_its_own_command(tmp_path: Path) -> None:
    out = tmp_path / "content"
    done = subprocess.run(
        [sys.executable, "-m", "generator.bench.synth", "--stories", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"wrote 2 stories, .* to ", done.stderr)
    assert sorted(p.name for p in (out / "stories").iterdir()) == [
        "story-00001.yaml",
        "story-00002.yaml",
    ]


# -- the rules fail when they should ----------------------------------------------------------


ORDER = [{"generator"}, {"diagnostics"}, {"read"}, {"link"}, {"pages"}, {"edit", "plugin"}]


def test_an_import_from_a_later_stage_is_reported() -> None:
    edges = {
        "generator.read.validate": {"generator.diagnostics", "generator.link.resolve"},
        "generator.link.resolve": {"generator.read.validate"},
        "generator.edit.scaffold": {"generator.plugin.plugin"},  # a sibling edge: allowed
    }
    assert backward_imports(edges, ORDER) == [
        "generator.read.validate (read) imports generator.link.resolve, a later stage"
    ]


def test_the_runtime_importing_the_benchmark_is_reported() -> None:
    edges = {
        "generator.pages.render": {"generator.bench.synth"},
        "generator.bench.run": {"generator.pages.render"},  # the benchmark may import anything
    }
    assert backward_imports(edges, ORDER) == [
        "generator.pages.render imports generator.bench.synth: the runtime never imports bench/"
    ]


def test_a_cycle_within_one_stage_is_reported() -> None:
    edges = {
        "generator.read.cache": {"generator.read.validate"},
        "generator.read.validate": {"generator.read.load"},
        "generator.read.load": {"generator.read.cache"},
        "generator.read.model": set(),
    }
    assert cycles(edges) == [
        ["generator.read.cache", "generator.read.load", "generator.read.validate"]
    ]


def test_a_hidden_import_is_found(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text(
        "from generator.read import load\n\n"
        "def later():\n"
        "    from generator.pages.render import render\n"
        "    return render\n",
        encoding="utf-8",
    )
    found = imports_of(source, ["generator.read", "generator.read.load", "generator.pages.render"])
    assert sorted(found) == [
        ("generator.pages.render", 4, False),
        ("generator.read", 1, True),
        ("generator.read.load", 1, True),
    ]
