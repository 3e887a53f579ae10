"""Resource limits: hostile YAML gets a located error quickly, never a hang or a traceback.

Each case asserts the exact diagnostic and that it came within a time bound, measured around
the call itself (a generous bound: these take milliseconds; a hang would take forever).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.read.load import MAX_FILE_BYTES, load_file
from generator.read.strict_yaml import MAX_DEPTH, MAX_NODES, LoadError

ROOT = Path(__file__).resolve().parent.parent
BOUND = 5.0  # seconds: each case takes 0.2 ms to 0.7 s; a hang would never end


def _load_error(path: Path) -> tuple[str, float]:
    start = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_file(path)
    return caught.value.diagnostic.format(), time.perf_counter() - start


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_fails_at_the_first_anchor(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs())
    message, elapsed = _load_error(bomb)
    assert message.splitlines()[0] == (
        f"{bomb.as_posix()}:1:7: error: anchors (&name) are not allowed in content"
    )
    assert elapsed < BOUND


def test_an_alias_bomb_without_anchors_fails_at_the_first_alias(tmp_path: Path) -> None:
    bomb = tmp_path / "aliases.yaml"
    bomb.write_text("name: x\nroles: [" + ", ".join(["*lol"] * 50_000) + "]\n")
    message, elapsed = _load_error(bomb)
    assert message.splitlines()[0].startswith(f"{bomb.as_posix()}:2:9: error: ")
    assert "alias" in message
    assert elapsed < BOUND


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"name: x\ndescription: " + b"a" * MAX_FILE_BYTES + b"\n")
    message, elapsed = _load_error(big)
    size = big.stat().st_size
    assert message.splitlines()[0] == (
        f"{big.as_posix()}:1:1: error: file is {size:,} bytes, over the limit of 1,048,576 bytes"
    )
    assert elapsed < BOUND


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    prefix = b"name: x\ndescription: "
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(prefix + b"a" * (MAX_FILE_BYTES - len(prefix) - 1) + b"\n")
    assert exact.stat().st_size == MAX_FILE_BYTES
    assert load_file(exact).data["name"] == "x"


@pytest.mark.parametrize("style", ["flow", "block"])
def test_absurd_nesting_stops_at_the_depth_limit(tmp_path: Path, style: str) -> None:
    deep = tmp_path / "deep.yaml"
    if style == "flow":
        deep.write_text("name: " + "[" * 200 + "]" * 200 + "\n")
        where = f"1:{len('name: ') + MAX_DEPTH + 1}"  # the bracket one level too deep
    else:
        levels = 500
        lines = "".join(f"{'  ' * n}k{n}:\n" for n in range(levels))
        deep.write_text(lines + "  " * levels + "x\n")
        where = f"{MAX_DEPTH + 2}:{2 * (MAX_DEPTH + 1) + 1}"  # the mapping one level too deep
    message, elapsed = _load_error(deep)
    assert message.splitlines()[0] == (
        f"{deep.as_posix()}:{where}: error: nesting is deeper than {MAX_DEPTH} levels"
    )
    assert elapsed < BOUND


def test_nesting_deeper_than_the_parser_allows_is_a_located_error(tmp_path: Path) -> None:
    """libyaml itself stops at 1,000 open brackets, before a single value reaches us."""
    deep = tmp_path / "deeper.yaml"
    deep.write_text("name: " + "[" * 100_000 + "]" * 100_000 + "\n")
    message, elapsed = _load_error(deep)
    assert message.splitlines()[0] == (
        f"{deep.as_posix()}:1:1006: error: YAML syntax error: "
        "exceeded maximum nesting depth (while increasing flow level)"
    )
    assert elapsed < BOUND


@pytest.mark.parametrize("value", ["1", "word"])  # a number, and text the loader takes inline
def test_a_huge_list_stops_at_the_value_limit(tmp_path: Path, value: str) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text("name: x\nroles: [" + ",".join([value] * (MAX_FILE_BYTES // 6)) + "]\n")
    assert huge.stat().st_size < MAX_FILE_BYTES
    message, elapsed = _load_error(huge)
    first = message.splitlines()[0]
    assert first.startswith(f"{huge.as_posix()}:2:")
    assert first.endswith(f"error: file has more than {MAX_NODES:,} values")
    assert elapsed < BOUND


def test_a_number_too_long_to_convert_is_a_located_error(tmp_path: Path) -> None:
    long = tmp_path / "long.yaml"
    long.write_text("name: x\ndescription: " + "9" * 5_000 + "\n")
    message, elapsed = _load_error(long)
    assert message.splitlines()[0] == (
        f"{long.as_posix()}:2:14: error: a number of 5,000 characters is too long (at most 30)"
    )
    assert elapsed < BOUND


def test_check_reports_the_bomb_with_its_location_and_no_traceback(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "people" / "bomb.yaml").write_text(billion_laughs())
    (content / "people" / "huge.yaml").write_text("name: [" + ",".join(["1"] * 200_000) + "]\n")
    runner = CliRunner()
    start = time.perf_counter()
    result = runner.invoke(main, ["check", "--content", str(content)])
    elapsed = time.perf_counter() - start
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stdout.splitlines()
    bomb_line = "people/bomb.yaml:1:7: error: anchors (&name) are not allowed in content"
    assert any(line.endswith(bomb_line) for line in lines), result.stdout
    assert any(
        "people/huge.yaml:1:" in line and f"more than {MAX_NODES:,} values" in line
        for line in lines
    ), result.stdout
    assert "Traceback" not in result.output
    assert elapsed < 3 * BOUND
