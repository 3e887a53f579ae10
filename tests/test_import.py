"""`python -m generator import SCRIPT`: a news script into a draft story and what it names.

The seed round trip (the committed story's segments, words, speakers, roles, reporters,
editors and dateline, and a draft fact for each figure it prints), a second script of our own
with new names, the Chinese markers and a reporter's stand-up, and the promises around them:
everything written is a draft that passes `check`, nothing is overwritten, every decision is
listed at its file and line.
"""

from __future__ import annotations

import codecs
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.edit import script as script_module
from generator.edit.figures import figures_in
from generator.edit.script import read_script

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed" / "000_7e95e086453b579a.txt"
"""The seed report's script: the copy of ../shared/seeds/ that runs in any clone."""
SECOND = ROOT / "tests" / "fixtures" / "scripts" / "wenjiang-sneaker-week.txt"
STORY_ID = "chengdu-footwear-goes-overseas-2023"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def seed_bytes() -> bytes:
    return SEED.read_bytes()


def _shape(story: dict[str, Any]) -> list[tuple[Any, ...]]:
    shape = []
    for segment in story["segments"]:
        if "narration" in segment:
            shape.append(("narration", segment["narration"]))
        else:
            bite = segment["soundbite"]
            shape.append(
                ("soundbite", bite["text"], bite["speaker"], bite["role"], bite["organizations"])
            )
    return shape


# -- the seed, round trip -------------------------------------------------------------------


def test_importing_the_seed_reproduces_the_committed_story(content: Path) -> None:
    committed = load(content / "stories" / f"{STORY_ID}.yaml")
    (content / "stories" / f"{STORY_ID}.yaml").unlink()
    script = content.parent / "script.txt"
    script.write_bytes(seed_bytes())
    code, output = run("import", "--content", str(content), "--id", STORY_ID, str(script))
    assert code == 0, output
    imported = load(content / "stories" / f"{STORY_ID}.yaml")
    assert imported["draft"] is True
    assert _shape(imported) == _shape(committed)  # every text byte-identical, in order
    for field in ("reporters", "editors", "dateline"):
        assert imported[field] == committed[field]
    assert "matched (11): places/chengdu (Chengdu), people/yang-yuyi (Yang Yuyi)" in output


def test_importing_the_seed_drafts_a_fact_for_each_figure_it_prints(content: Path) -> None:
    code, output = run("import", "--content", str(content), "--id", "seed-again", str(SEED))
    assert code == 0, output
    facts = {
        path.name: load(path)
        for path in (content / "facts").glob("*.yaml")
        if "seed-again" in path.read_text(encoding="utf-8")
    }
    figures = {
        (fact.get("figure") or {}).get("as_printed", str(fact.get("as_of"))): fact
        for fact in facts.values()
    }
    assert sorted(figures) == [
        "2005",
        "<>.<> million pairs",
        "more than 150 enterprises",
        "more than 1700,<> production footwear enterprises",
    ]
    assert figures["more than 150 enterprises"]["figure"] == {
        "value": 150,
        "unit": "enterprises",
        "qualifier": "more-than",
        "as_printed": "more than 150 enterprises",
    }
    hidden = figures["more than 1700,<> production footwear enterprises"]["figure"]
    assert hidden["withheld"] == "partly" and "value" not in hidden  # shown digits: no number
    assert figures["<>.<> million pairs"]["figure"]["withheld"] == "fully"
    award = figures["2005"]
    assert award["as_of"] == 2005 and award["statement"].startswith("In 2005, the China Light")
    for fact in facts.values():
        assert fact["draft"] is True
        assert fact["source"]["story"] == "seed-again"
        assert fact["quote"] == [fact["statement"]]
    events = [load(p) for p in (content / "events").glob("*.yaml") if "seed-again" in p.read_text()]
    assert [(e["date"], e["draft"]) for e in events] == [(2005, True)]  # 2023 is no event
    code, output = run("check", "--no-cache", "--content", str(content))
    assert code == 0, output
    assert output.strip().endswith("content is valid: 73 items, 6 of them draft(s), not published")


def test_the_seed_with_windows_line_ends_and_a_bom_imports_the_same(tmp_path: Path) -> None:
    results = []
    for name, raw in (
        ("lf", seed_bytes()),
        ("crlf", seed_bytes().replace(b"\n", b"\r\n")),
        ("bom", codecs.BOM_UTF8 + seed_bytes().replace(b"\n", b"\r\n")),
    ):
        folder = tmp_path / name
        shutil.copytree(ROOT / "content", folder)
        script = tmp_path / f"{name}.txt"
        script.write_bytes(raw)
        code, output = run("import", "--content", str(folder), "--id", "again", str(script))
        assert code == 0, output
        results.append(
            {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.yaml")}
        )
    assert results[0] == results[1] == results[2]


# -- a script of our own: Chinese markers, a stand-up, new names ----------------------------


def test_a_second_script_with_chinese_markers_and_a_stand_up(content: Path) -> None:
    code, output = run("import", "--content", str(content), str(SECOND))
    assert code == 0, output
    story = load(content / "stories" / "wenjiang-sneaker-week.yaml")
    kinds = [
        ("narration", None) if "narration" in s else ("soundbite", s["soundbite"]["speaker"])
        for s in story["segments"]
    ]
    assert kinds == [
        ("narration", None),
        ("soundbite", "new-person"),  # 【现场】: the reporter, 周晓, on camera
        ("soundbite", "liu-mingyue"),
        ("narration", None),  # the untagged paragraph after a soundbite
        ("narration", None),
        ("soundbite", "zhao-ping"),
    ]
    assert story["segments"][1]["id"] == "stand-up"
    assert story["segments"][1]["soundbite"]["role"] == "reporter"
    assert story["reporters"] == ["new-person"] and story["editors"] == ["new-person-2"]
    assert load(content / "people" / "new-person.yaml")["name"] == "周晓"
    assert load(content / "people" / "new-person-2.yaml")["name"] == "韩雪"
    assert load(content / "places" / "new-place.yaml")["name"] == "成都"
    zhao = load(content / "people" / "zhao-ping.yaml")
    assert zhao["roles"] == [
        {
            "title": "deputy director",
            "organization": "wenjiang-district-commerce-bureau",
            "source": "wenjiang-sneaker-week",
        }
    ]
    bureau = load(content / "organizations" / "wenjiang-district-commerce-bureau.yaml")
    assert bureau == {
        "draft": True,
        "name": "Wenjiang District Commerce Bureau",
        "kind": "government-body",
        "description": "TODO: what it is, in a sentence or two",
    }
    liu = load(content / "people" / "liu-mingyue.yaml")
    assert liu["roles"][0]["affiliation"] == "Qingcheng Footwear Studio"  # not decided: said
    assert "organization" not in liu["roles"][0]
    code, checked = run("check", "--no-cache", "--content", str(content))
    assert code == 0, checked
    assert checked.strip().endswith(
        "content is valid: 81 items, 14 of them draft(s), not published"
    )


def test_every_decision_points_at_its_line(content: Path) -> None:
    code, output = run("import", "--content", str(content), str(SECOND))
    assert code == 0, output
    decisions = re.findall(r"^  (\S+\.yaml):(\d+): (.+)$", output, re.M)
    where = {
        (Path(path).relative_to(content).as_posix(), what.split(":")[0].split("?")[0])
        for path, _, what in decisions
    }
    assert ("stories/wenjiang-sneaker-week.yaml", "the headline") in where
    assert (
        "people/liu-mingyue.yaml",
        "does 'Qingcheng Footwear Studio' name an organization",
    ) in where
    for path, line, what in decisions:
        text = Path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        if what.startswith("the headline"):
            assert text == 'title: "TODO: headline"'
        elif what.startswith("the report's date"):
            assert text.startswith("date: 2021  # TODO")
            assert "2021 is the latest year it prints" in what
        elif what.startswith("a paragraph with no marker"):
            assert text == "    narration: |"
            following = Path(path).read_text(encoding="utf-8").splitlines()[int(line)]
            assert following.strip() == "Our next step is a flagship store in Chengdu."
        elif what.startswith("does 'Qingcheng"):
            assert text.startswith('    affiliation: "Qingcheng Footwear Studio"  # TODO')
        elif what.startswith("an id for"):
            assert line == "1" and "Latin" in what
    assert "needs a decision (12):" in output


def test_the_second_scripts_figures(content: Path) -> None:
    script = read_script(SECOND.read_text(encoding="utf-8"))
    found = [f for block in script.blocks for f in figures_in(block.text)]
    assert [(f.as_printed, f.value, f.qualifier, f.withheld, f.year) for f in found] == [
        ("More than 60 studios", 60, "more-than", "none", None),
        ("about 12,000 visitors came", 12000, "about", "none", None),
        ("2019", None, "exact", "none", 2019),
        ("<>.8 billion yuan", None, "exact", "partly", None),
        ("2021", None, "exact", "none", 2021),
    ]


# -- the promises ---------------------------------------------------------------------------


def test_import_never_overwrites_and_a_dry_run_writes_nothing(content: Path) -> None:
    before = {p: p.read_bytes() for p in content.rglob("*.yaml")}
    code, output = run("import", "--dry-run", "--content", str(content), str(SECOND))
    assert code == 0, output
    assert f"--- {content}/stories/wenjiang-sneaker-week.yaml (would be written)" in output
    assert {p: p.read_bytes() for p in content.rglob("*.yaml")} == before
    assert run("import", "--content", str(content), str(SECOND))[0] == 0
    after = {p: p.read_bytes() for p in content.rglob("*.yaml")}
    code, output = run("import", "--content", str(content), str(SECOND))
    assert code == 2
    assert "content/stories/wenjiang-sneaker-week.yaml already exists" in output
    assert {p: p.read_bytes() for p in content.rglob("*.yaml")} == after
    code, output = run("import", "--content", str(content), "--id", "week-2", str(SECOND))
    assert code == 0, output  # a new story: its drafts take new ids, the old files stay
    assert "people/liu-mingyue.yaml" not in output.split("created")[1]  # matched, now
    assert {p: p.read_bytes() for p in after} == after


def test_a_name_two_items_share_is_left_to_the_editor(content: Path) -> None:
    for item_id in ("liu-mingyue", "liu-mingyue-designer"):
        (content / "people" / f"{item_id}.yaml").write_text("name: Liu Mingyue\n")
    code, output = run("import", "--content", str(content), str(SECOND))
    assert code == 0, output
    story = content / "stories" / "wenjiang-sneaker-week.yaml"
    lines = story.read_text(encoding="utf-8").splitlines()
    line = lines.index("      speaker: liu-mingyue-designer") + 1  # the first, by file name
    assert (
        f"  {story}:{line}: 'Liu Mingyue' is also liu-mingyue in content/people/: keep "
        "liu-mingyue-designer or choose" in output.splitlines()
    )


def test_another_newsrooms_marker_is_a_table_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "【Voice-over】The park reopened.\n\n【Interview】Li Na, designer\n\nWe are back.\n"
    unknown = read_script(text)  # every paragraph untagged narration, the first one noted
    assert [(b.kind, b.untagged) for b in unknown.blocks] == [("narration", True)] * 3
    assert unknown.problems == [(1, "text before the first marker: read as narration")]
    monkeypatch.setitem(script_module.MARKERS, "【Voice-over】", "narration")
    monkeypatch.setitem(script_module.MARKERS, "【Interview】", "soundbite")
    blocks = read_script(text).blocks
    assert [(b.kind, b.speaker, b.role, b.text) for b in blocks] == [
        ("narration", "", "", "The park reopened."),
        ("soundbite", "Li Na", "designer", "We are back."),
    ]


def test_a_file_that_is_not_a_script_is_refused(content: Path, tmp_path: Path) -> None:
    empty = tmp_path / "notes.txt"
    empty.write_text("\n\n")
    code, output = run("import", "--content", str(content), str(empty))
    assert code == 2
    assert "no segment found" in output
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    code, output = run("import", "--content", str(content), str(binary))
    assert code == 2 and "is not UTF-8 text" in output


def test_a_script_that_names_no_one_imports_into_an_empty_newsroom(tmp_path: Path) -> None:
    """No dateline, no reporter, a soundbite without its caption, and no place in content/:
    the drafts still pass `check`, with a placeholder for each thing the editor must say."""
    content = tmp_path / "content"
    content.mkdir()
    site = (ROOT / "tests" / "fixtures" / "sample" / "content" / "site.yaml").read_text()
    (content / "site.yaml").write_text(site.split("key_figures:")[0], encoding="utf-8")
    script = tmp_path / "quiet-day.txt"
    script.write_text(
        "【Commentary】A quiet day in the park.\n\n【同期】\n\nWe sold 300 pairs, he said.\n",
        encoding="utf-8",
    )
    code, output = run("import", "--content", str(content), str(script))
    assert code == 0, output
    story = load(content / "stories" / "quiet-day.yaml")
    assert story["dateline"] == "todo-where-it-was-reported-from"
    assert story["segments"][1]["soundbite"]["speaker"] == "todo-who-speaks"
    assert "who speaks: the script gives no caption; choose the person" in output
    code, checked = run("check", "--no-cache", "--content", str(content))
    assert code == 0, checked
