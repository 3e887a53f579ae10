"""One place to say it: a fact that names its source segment is shown with that segment, on the
story page, whether or not the segment lists it again under ``facts``."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from generator.pages.render import render
from generator.pipeline import check

ROOT = Path(__file__).resolve().parents[1]
STORY = "stories/chengdu-footwear-goes-overseas-2023"


def _pages(content: Path) -> dict[str, bytes]:
    index, _ = check(content)
    return render(index).files


def test_a_segment_shows_the_facts_that_cite_it_without_listing_them(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    listed = _pages(content)
    path = content / f"{STORY}.yaml"
    story = yaml.safe_load(path.read_text(encoding="utf-8"))
    sourced = {}
    for fact in (content / "facts").glob("*.yaml"):
        data = yaml.safe_load(fact.read_text(encoding="utf-8"))
        sourced.setdefault(data["source"].get("segment"), set()).add(fact.stem)
    removed = 0
    for segment in story["segments"]:  # keep only the facts sourced elsewhere
        kept = [f for f in segment.get("facts", []) if f not in sourced.get(segment["id"], set())]
        removed += len(segment.get("facts", [])) - len(kept)
        segment["facts"] = kept
    assert removed >= 20  # the seed's segments list every fact that cites them
    path.write_text(yaml.safe_dump(story, sort_keys=False, allow_unicode=True), encoding="utf-8")
    unlisted = _pages(content)
    assert unlisted[f"{STORY}.md"] == listed[f"{STORY}.md"]
    assert unlisted == listed  # every page, the facts' own included


def test_a_fact_cited_from_a_segment_appears_there_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    fact = content / "facts" / "huidu-park-enterprise-count.yaml"
    data = yaml.safe_load(fact.read_text(encoding="utf-8"))
    assert data["source"]["segment"] == "huidu-industrial-park"
    page = _pages(content)[f"{STORY}.md"].decode()
    segment = page.split('id="huidu-industrial-park"', 1)[1].split('id="tan-qijian"', 1)[0]
    assert segment.count("**more than 150 enterprises**") == 1
