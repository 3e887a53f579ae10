"""Every kind of editing mistake gets its exact, located diagnostic with a hint.

Each folder in tests/fixtures/invalid/ is a tiny project (``content/``) with one kind of
mistake, and ``expected.txt`` holds exactly what ``python -m generator check`` prints for it
(stdout, then the summary line on stderr), run from that folder.

To regenerate the expected files after a deliberate change of wording, run

    SHOE_CAPITAL_REGEN=1 .venv/bin/python -m pytest tests/test_diagnostics.py

and review the diff before committing it: the test then writes instead of comparing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "content").is_dir())
REGEN = os.environ.get("SHOE_CAPITAL_REGEN") == "1"
LINE = re.compile(r"^(?P<path>content/[^:]+):(?P<line>\d+):(?P<col>\d+): (?:error|warning): .+$")

# The kinds of mistake the issue names; each must have its own fixture.
REQUIRED_CASES = {
    "yaml-syntax",
    "tab-indentation",
    "duplicate-key",
    "unknown-field",
    "missing-field",
    "wrong-type",
    "yaml11-traps",
    "bare-date-text",
    "invalid-id",
    "duplicate-id",
    "missing-reference",
    "wrong-kind-reference",
    "impossible-date",
    "empty-file",
    "not-utf8",
}


def run_check(case: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(FIXTURES / case)
    # --no-cache: nothing is written into the fixture folders
    result = CliRunner().invoke(main, ["check", "--no-cache", "--content", "content", *args])
    return result.exit_code, result.stdout, result.stderr


def test_every_kind_of_mistake_has_a_fixture() -> None:
    assert REQUIRED_CASES <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_check_prints_the_expected_diagnostics(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_check(case, monkeypatch)
    expected_file = FIXTURES / case / "expected.txt"
    if REGEN:
        expected_file.write_text(out + err, encoding="utf-8")
    assert code == 1
    assert out + err == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_each_diagnostic_is_located_sorted_and_hinted(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run_check(case, monkeypatch)
    lines = out.splitlines()
    heads = lines[0::2]
    hints = lines[1::2]
    assert heads and len(heads) == len(hints)
    assert all(LINE.match(h) for h in heads), heads
    assert all(h.startswith("  hint: ") and len(h) > len("  hint: ") for h in hints), hints
    keys = [(m["path"], int(m["line"]), int(m["col"])) for m in map(LINE.match, heads) if m]
    assert keys == sorted(keys)


# What the source shows at each diagnostic's line:column (a prefix of the rest of that line):
# the offending value itself, not the top of the file. Whole-file problems sit at 1:1.
POSITIONS = {
    "bare-date-text": ["2005-01-01"],
    "broken-internal-link": [
        "../people/nobody.md",
        "../people/tan-qijan.md#roles",
        "chengdu.md",
        "../places/chengdu/",
    ],
    "broken-cited-item": ["2023-5"],  # and no "unknown citation" in the insight citing it
    "broken-referenced-item": ["2023-5"],  # and no "unknown person" for the story's references
    "duplicate-id": ["name: Chengdu", "name: Chengdu", "park"],
    "duplicate-key": ["name: Chengdu City", "kind: town"],
    "empty-file": ["# nothing here yet", ""],
    "forbidden-characters": [
        '"industrial-park',  # an escaped NEL: the value's start
        " b",  # the space in the address, exactly
        '"\\u200b',  # only invisible characters: the value's start
        "\u202e坚",  # a raw override, exactly
        "\u2067company",  # a raw isolate inside a folded text, exactly
        '"head\\x7f',  # an escape: the value's start
        '"organization\\u202e"',  # a field name
        "|",  # base_url as a block, its trailing line break
        '"A tiny',
    ],
    "hidden-digits-not-withheld": ["none", "value: 1.5", "none"],
    "figure-value-as-text": ["value: 0.5", "unknown", "2,<>00", '"1,700"'],
    "field-and-reference-errors": ['"40"', "wenjiang", "wu-jain", "sumary"],
    "impossible-date": ["2005-1", "2023-13", "2023-02-30"],
    "invalid-id": ["name: Western China", "Sichuan Province"],
    "missing-field": ["name: Chengdu", "name: Own brands"],
    "missing-reference": ["yang-yuyi]", "tan-qijan"],
    # The misnamed files, and no "unknown …" for the ids they were meant to give.
    "misnamed-file": [
        "name: Sichuan Footwear",
        "name: He Lixia",
        "name: Chengdu",
        "song-fangcan]",
        "name: Own brands",
    ],
    "not-utf8": ["\ufffdhometown"],
    # One error a circle, at the parent of its first id; none for shuangliu-district.
    "parent-cycle": ["sichuan-footwear-association", "sichuan", "huidu-park"],
    "tab-indentation": ["\taffiliation:"],
    "unknown-field": ["nmae: Tan Qijian", "afiliation: a shoe"],
    # The word a quote departs at; the date lacking a basis; the citation and the header.
    "unfaithful-provenance": [
        "2023",
        "gathered in the park",
        "2023",
        "market has recovered",
        "[@park-enterprise-count]",
        "??? analysis",
        "2022",
    ],
    "wrong-kind-reference": ["sichuan-footwear-association", "chengdu]"],
    "wrong-type": ["1700", "title: head of"],
    "yaml-syntax": [": China's Women's"],
    # Where the mistake is, not where the parser noticed it (a line or more later):
    "yaml-missing-colon": [" city", " TV news report"],
    "yaml-unclosed-quote": ['"Tan Qijian', "'s Women's", "'A province"],
    "yaml-list-item-space": ["-chengdu-shoes", "-title: head", "-song-fangcan"],
    "yaml11-traps": ["no", "on, yes]", "yes]", "12:30"],
}


@pytest.mark.parametrize("case", CASES)
def test_line_and_column_point_at_the_offending_value(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run_check(case, monkeypatch)
    seen = []
    for head in out.splitlines()[0::2]:
        match = LINE.match(head)
        assert match
        text = (FIXTURES / case / match["path"]).read_bytes().decode("utf-8", "replace")
        lines = text.splitlines() or [""]
        seen.append(lines[int(match["line"]) - 1][int(match["col"]) - 1 :])
    expected = POSITIONS[case]
    assert len(seen) == len(expected)
    assert all(at.startswith(prefix) for at, prefix in zip(seen, expected, strict=True)), seen


def test_valid_content_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent.parent)
    result = CliRunner().invoke(main, ["check", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert re.fullmatch(r"content is valid: \d+ items\n", result.stderr)


def test_all_mistakes_are_reported_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several broken files at once: every one is reported, sorted by file, line and column."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "missing-reference" / "content", root)
    for case in ("yaml-syntax", "not-utf8", "unknown-field", "empty-file"):
        for path in (FIXTURES / case / "content").rglob("*.yaml"):
            target = root / path.relative_to(FIXTURES / case / "content")
            if target.name != "site.yaml":
                target.parent.mkdir(exist_ok=True)
                target.write_bytes(path.read_bytes())
                target.rename(target.with_name(f"{case}-{target.name}"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    heads = result.stdout.splitlines()[0::2]
    files = [h.split(":", 1)[0] for h in heads]
    assert files == sorted(files)
    assert {
        "content/people/empty-file-tan-qijian.yaml",
        "content/places/empty-file-chengdu.yaml",
        "content/places/yaml-syntax-chengdu.yaml",
        "content/places/not-utf8-chengdu.yaml",
        "content/people/unknown-field-tan-qijian.yaml",
        "content/stories/chengdu-shoes.yaml",
    } <= set(files)
    assert result.stderr == f"{len(heads)} error(s); nothing was built.\n"


def test_github_format_prints_ci_annotations(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_check("missing-reference", monkeypatch, "--format", "github")
    assert code == 1
    assert out == (
        "::error file=content/stories/chengdu-shoes.yaml,line=4,col=13::unknown person "
        "'yang-yuyi' (hint: create content/people/yang-yuyi.yaml, or correct the id)\n"
        "::error file=content/stories/chengdu-shoes.yaml,line=10,col=16::unknown person "
        "'tan-qijan' (hint: did you mean 'tan-qijian'?)\n"
    )


def test_json_format_is_machine_readable(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_check("missing-reference", monkeypatch, "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "content/stories/chengdu-shoes.yaml",
            "line": 4,
            "column": 13,
            "severity": "error",
            "message": "unknown person 'yang-yuyi'",
            "hint": "create content/people/yang-yuyi.yaml, or correct the id",
        },
        {
            "path": "content/stories/chengdu-shoes.yaml",
            "line": 10,
            "column": 16,
            "severity": "error",
            "message": "unknown person 'tan-qijan'",
            "hint": "did you mean 'tan-qijian'?",
        },
    ]


def test_the_editors_guide_quotes_real_diagnostics() -> None:
    """The examples in docs/editors.md's "Fix a mistake" are what `check` prints for a fixture."""
    guide = (Path(__file__).parent.parent / "docs" / "editors.md").read_text(encoding="utf-8")
    section = guide.split("## Fix a mistake", 1)[1]
    block = section.split("```text\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert len(lines) >= 10
    printed = "".join((FIXTURES / c / "expected.txt").read_text(encoding="utf-8") for c in CASES)
    for head, hint in zip(lines[0::2], lines[1::2], strict=True):
        assert f"{head}\n{hint}\n" in printed, head


@pytest.mark.parametrize("case", CASES)
def test_a_check_without_backlinks_finds_the_same(case: str) -> None:
    """`check` skips the backlinks pages need; every diagnostic must still be found."""
    from generator.diagnostics import Diagnostic
    from generator.link.resolve import resolve
    from generator.read.validate import read_content

    found = []
    for backlinks in (True, False):
        diagnostics: list[Diagnostic] = []
        content = read_content(FIXTURES / case / "content", diagnostics)
        resolve(content, diagnostics, backlinks=backlinks)
        found.append(sorted(diagnostics))
    assert found[0] == found[1] and found[0]


def _github_unescape(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def test_github_format_cannot_forge_an_annotation() -> None:
    """File names and messages are escaped as GitHub's workflow commands require: '%', CR and
    LF in the message; also ':' and ',' in the file property. One diagnostic, one line."""
    from generator.diagnostics import Diagnostic, Location, Severity, format_github

    path = "content/people/a,line=1::error file=x.yaml,line=9::forged\n::warning::b%0A.yaml"
    message = "bad 100% \r\n::error file=evil.yaml,line=1::forged, col=3: too"
    diagnostic = Diagnostic(Location(path, 4, 2), Severity.ERROR, message, "hint: a,b::c\nd")
    out = format_github([diagnostic, diagnostic])
    lines = out.split("\n")
    assert len(lines) == 2 and lines[0] == lines[1]
    head, _, data = lines[0][len("::error ") :].partition("::")
    assert lines[0].startswith("::error file=") and "\r" not in lines[0]
    properties = dict(part.split("=", 1) for part in head.split(","))
    assert list(properties) == ["file", "line", "col"]
    assert _github_unescape(properties["file"]) == path
    assert (properties["line"], properties["col"]) == ("4", "2")
    assert _github_unescape(data) == f"{message} (hint: hint: a,b::c\nd)"


def test_github_format_escapes_a_real_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "missing-reference" / "content", root)
    evil = "x,line=1::error file=evil.yaml::forged\n::warning ::more.yaml"
    (root / "places" / evil).write_text("name: X\nkind: city\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith("::error file=content/") for line in lines), lines
    files = [_github_unescape(line.split(",line=", 1)[0][len("::error file=") :]) for line in lines]
    assert f"content/places/{evil}" in files
    text = CliRunner().invoke(main, ["check", "--no-cache"]).stdout
    assert "\n::warning" not in text  # the text format shows the line break as \n
