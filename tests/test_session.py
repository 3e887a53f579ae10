"""The live preview's incremental rebuilds give exactly what a whole build gives.

Each case edits a copy of a project the way an editor would, rebuilds through a
:class:`generator.pipeline.session.Session`, and compares every generated file with a whole
the edited content from scratch, and the folder on disk with the files in memory.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.bench.synth import synthesize
from generator.diagnostics import ContentError
from generator.pages import paths
from generator.pages.render import render
from generator.pipeline import check
from generator.pipeline.session import Session

ROOT = Path(__file__).resolve().parent.parent


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    time.sleep(0.01)  # a new modification time even on coarse clocks
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _same_as_whole_build(session: Session, content: Path, out: Path) -> None:
    output, _ = session.build()
    index, _ = check(content)
    whole = render(index)
    assert sorted(output.files) == sorted(whole.files)
    differing = [p for p in whole.files if output.files[p] != whole.files[p]]
    assert differing == []
    assert output.nav == whole.nav
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == set(whole.files)
    assert all((out / p).read_bytes() == data for p, data in whole.files.items())


def _rebuilds_as_a_whole_build_would(
    content: Path, tmp_path: Path, change: Callable[[Path], object]
) -> None:
    out = tmp_path / "generated"
    session = Session(content, out)
    _same_as_whole_build(session, content, out)
    change(content)
    _same_as_whole_build(session, content, out)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


@pytest.fixture()
def newsroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """40 stories, 120 facts: with short pages, lists of several pages, as at scale."""
    monkeypatch.setattr(paths, "SHEET_PAGE", 20)
    monkeypatch.setattr(paths, "STORIES_PAGE", 10)
    monkeypatch.setattr(paths, "TOPIC_PAGE", 4)
    content = tmp_path / "content"
    synthesize(40, content)
    return content


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.__setitem__(key, value)


# Edits of a segment's words add to them: facts quote the words there, and a quote that is no
# longer in its segment is an error (tests/test_provenance.py).


def _narration(data: dict[str, Any]) -> None:
    data["segments"][0]["narration"] += "An edited narration, and nothing else.\n"


def _quote(data: dict[str, Any]) -> None:
    for segment in data["segments"]:
        if "soundbite" in segment:
            segment["soundbite"]["text"] += "An edited quote.\n"
            return


def _segment_order(data: dict[str, Any]) -> None:
    data["segments"].reverse()


def _figure(data: dict[str, Any]) -> None:
    # Not the number: a figure the fact's quote does not print is an error (provenance).
    data["figure"].update(qualifier="at-least", unit="companies")


def _insight_cites_another(data: dict[str, Any]) -> None:
    data["body"] = data["body"].replace(
        "[@chengdu-womens-shoe-capital-title]", "[@huidu-park-enterprise-count]", 1
    )


REAL_EDITS = {
    "story narration": ("stories/chengdu-footwear-goes-overseas-2023.yaml", _narration),
    "story quote": ("stories/chengdu-footwear-goes-overseas-2023.yaml", _quote),
    "story title": ("stories/chengdu-footwear-goes-overseas-2023.yaml", _set("title", "New")),
    "segment order": ("stories/chengdu-footwear-goes-overseas-2023.yaml", _segment_order),
    "person name": ("people/xie-weixin.yaml", _set("name", "Renamed Person")),
    "organization name": ("organizations/huidu-fashion-industrial-park.yaml", _set("name", "P")),
    "place name": ("places/chengdu.yaml", _set("name", "Renamed City")),
    "fact statement": ("facts/huidu-park-enterprise-count.yaml", _set("statement", "Edited.")),
    "fact figure": ("facts/huidu-park-enterprise-count.yaml", _figure),
    "topic name": ("topics/oem.yaml", _set("name", "Renamed topic")),
    "event title": ("events/russian-order-2023.yaml", _set("title", "Renamed event")),
    "glossary term": ("glossary/oem.yaml", _set("definition", "An edited definition.")),
    "insight citation": ("insights/from-oem-to-own-brands.yaml", _insight_cites_another),
    "site title": ("site.yaml", _set("title", "Renamed site")),
}


@pytest.mark.parametrize("name", list(REAL_EDITS))
def test_an_edit_to_the_report_rebuilds_as_a_whole_build_would(
    project: Path, tmp_path: Path, name: str
) -> None:
    path, change = REAL_EDITS[name]
    _rebuilds_as_a_whole_build_would(project, tmp_path, lambda c: _edit(c / path, change))


def test_a_narration_edit_renders_only_the_pages_that_show_it(
    newsroom: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated"
    session = Session(newsroom, out)
    _, written = session.build()
    everything = session.rendered
    assert everything > 200
    _edit(newsroom / "stories/story-00003.yaml", _narration)
    _, written = session.build()
    assert written == ["stories/story-00003.md"]
    # its page, and the pages of its reporter, editor and speakers, which quote it
    assert session.rendered < 10, session.rendered
    _, written = session.build()  # nothing saved since: nothing rendered or written
    assert (written, session.rendered) == ([], 0)


def _new_topics(data: dict[str, Any]) -> None:
    data["topics"] = ["topic-05-order"]


def _other_speaker(data: dict[str, Any]) -> None:
    for segment in data["segments"]:
        if "soundbite" in segment:
            segment["soundbite"]["speaker"] = "person-00001"


def _later(data: dict[str, Any]) -> None:
    data["date"] = "2030-01-01"


SYNTH_EDITS: dict[str, Callable[[Path], None]] = {
    "story topics": lambda c: _edit(c / "stories/story-00003.yaml", _new_topics),
    "soundbite speaker": lambda c: _edit(c / "stories/story-00005.yaml", _other_speaker),
    "story date": lambda c: _edit(c / "stories/story-00007.yaml", _later),
    "story title": lambda c: _edit(c / "stories/story-00004.yaml", _set("title", "Edited")),
    "person name": lambda c: _edit(c / "people/person-00002.yaml", _set("name", "A B")),
    "new story": lambda c: shutil.copy(
        c / "stories/story-00001.yaml", c / "stories/story-00099.yaml"
    ),
    "story removed": lambda c: [p.unlink() for p in c.glob("*/story-00040*.yaml")],
}


@pytest.mark.parametrize("name", list(SYNTH_EDITS))
def test_an_edit_to_a_newsroom_rebuilds_as_a_whole_build_would(
    newsroom: Path, tmp_path: Path, name: str
) -> None:
    _rebuilds_as_a_whole_build_would(newsroom, tmp_path, SYNTH_EDITS[name])


def test_after_an_error_the_next_good_build_starts_from_the_last_good_one(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated"
    session = Session(project, out)
    session.build()
    story = project / "stories/chengdu-footwear-goes-overseas-2023.yaml"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("dateline: chengdu", "dateline: chengduu"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        session.build()
    assert "unknown place 'chengduu'" in error.value.format()
    _edit(story, _set("title", "Fixed and renamed"))
    story.write_text(story.read_text(encoding="utf-8").replace("chengduu", "chengdu"))
    _same_as_whole_build(session, project, out)


def test_a_title_edit_rewrites_one_page_of_each_long_list(newsroom: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    session = Session(newsroom, out)
    session.build()
    _edit(newsroom / "stories/story-00004.yaml", _set("title", "A new title"))
    _, written = session.build()
    sheet = [p for p in written if p == "facts/index.md" or p.startswith("facts/pages/")]
    lists = [p for p in written if p == "stories/index.md" or p.startswith("stories/pages/")]
    assert len(sheet) == 1 and len(lists) == 1, written
    story = yaml.safe_load((newsroom / "stories/story-00004.yaml").read_text())
    topics = {*story["topics"], *(t for s in story["segments"] for t in s.get("topics", []))}
    pages_of = {t: [p for p in written if p.startswith(f"topics/{t}")] for t in topics}
    assert all(len(pages) == 1 for pages in pages_of.values()), written
    assert len([p for p in written if p.startswith("topics/")]) == len(topics), written
    assert "stories/story-00004.md" in written
    assert "facts.csv" not in written  # it names stories by id, not by title


def test_rebuilds_do_not_keep_old_content_alive(newsroom: Path, tmp_path: Path) -> None:
    """The kept content is frozen out of the cycle collector's sight, so each build must let
    go of the one before by itself: after several, only the current index's nodes are left."""
    import gc

    from generator.link.graph import Node

    gc.unfreeze()  # what other tests' sessions left frozen can be collected now
    gc.collect()
    session = Session(newsroom, tmp_path / "generated")
    session.build()
    for number in range(3):
        _edit(newsroom / "stories/story-00004.yaml", _set("title", f"Title {number}"))
        session.build()
    assert session.index is not None
    current = {id(n) for nodes in session.index.nodes.values() for n in nodes.values()}
    gc.unfreeze()  # let get_objects() see what is frozen; nothing is collected before counting
    old = [o for o in gc.get_objects() if isinstance(o, Node) and id(o) not in current]
    assert old == []


def _rename_segment(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for segment in data["segments"]:
            if segment.get("id") == old:
                segment["id"] = new

    return change


def test_a_rebuild_resolves_again_only_what_an_edit_touches(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits of one or a few files are resolved from the index before (generator.link.resolve.
    reresolve), not from scratch: checked here, as the tests above would pass either way."""
    from generator.pipeline import session as session_module

    whole: list[int] = []
    resolve = session_module.resolve
    monkeypatch.setattr(session_module, "resolve", lambda *a: whole.append(1) or resolve(*a))
    out = tmp_path / "generated"
    session = Session(project, out)
    _same_as_whole_build(session, project, out)
    assert whole == [1]
    for path, change in REAL_EDITS.values():
        if path != "site.yaml":  # the site's settings are on every page: all is done again
            _edit(project / path, change)
    _same_as_whole_build(session, project, out)
    assert whole == [1]


def test_edits_in_a_row_each_rebuild_as_a_whole_build_would(newsroom: Path, tmp_path: Path) -> None:
    """Kept from one rebuild to the next, the index must not drift from a fresh one."""
    out = tmp_path / "generated"
    session = Session(newsroom, out)
    _same_as_whole_build(session, newsroom, out)
    for change in (*SYNTH_EDITS.values(), *reversed(SYNTH_EDITS.values())):
        change(newsroom)
        _same_as_whole_build(session, newsroom, out)


def test_too_many_changes_are_resolved_whole(
    newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.link import reresolve

    monkeypatch.setattr(reresolve, "MAX_CHANGES", 0)
    _rebuilds_as_a_whole_build_would(newsroom, tmp_path, SYNTH_EDITS["story title"])


def test_errors_an_edit_makes_elsewhere_are_found(project: Path, tmp_path: Path) -> None:
    """A rebuild that resolves only what changed must still find every error the change
    makes in files that did not change, then start again from the last good build."""
    out = tmp_path / "generated"
    session = Session(project, out)
    session.build()
    story = project / "stories/chengdu-footwear-goes-overseas-2023.yaml"
    insight = project / "insights/from-oem-to-own-brands.yaml"
    _edit(story, _rename_segment("xie-weixin", "xie-weixin-on-brands"))  # cited by an insight
    with pytest.raises(ContentError) as error:
        session.build()
    assert "has no segment 'xie-weixin'" in error.value.format()
    time.sleep(0.01)
    for citing in (insight, *project.glob("facts/*.yaml")):  # its citation, facts' sources
        text = citing.read_text(encoding="utf-8")
        fixed = text.replace("/xie-weixin]", "/xie-weixin-on-brands]").replace(
            "segment: xie-weixin\n", "segment: xie-weixin-on-brands\n"
        )
        if fixed != text:
            citing.write_text(fixed, encoding="utf-8")
    _same_as_whole_build(session, project, out)
    person = project / "people/xie-weixin.yaml"
    saved = person.read_bytes()
    person.unlink()  # a speaker, an author of facts: every reference to them is an error
    with pytest.raises(ContentError) as error:
        session.build()
    assert "unknown person 'xie-weixin'" in error.value.format()
    person.write_bytes(saved)
    _same_as_whole_build(session, project, out)
    fact = project / "facts/chengdu-heels-craftsmanship.yaml"  # from the story's segment
    fact.write_text(
        fact.read_text(encoding="utf-8").replace("segment: ", "segment: no-such-"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as error:
        session.build()
    assert "has no segment 'no-such-" in error.value.format()


def test_a_rebuild_told_which_files_were_saved_reads_only_those(
    newsroom: Path, tmp_path: Path
) -> None:
    """The live preview's watcher knows the paths saved since the last build; a rebuild then
    reads only those, when each is a known file saved again, and otherwise the whole folder."""
    out = tmp_path / "generated"
    session = Session(newsroom, out)
    story = newsroom / "stories/story-00004.yaml"
    _same_as_whole_build(session, newsroom, out)
    _edit(story, _set("title", "Told"))
    temporary = newsroom / "stories/.story-00004.yaml.swp"  # came and went before the build
    _same_as_whole_build_told(session, newsroom, out, {story, temporary})
    assert not session.read_whole
    _edit(newsroom / "people/person-00002.yaml", _set("name", "Told Too"))
    _edit(newsroom / "site.yaml", _set("title", "Told site"))
    _same_as_whole_build_told(
        session, newsroom, out, {newsroom / "people/person-00002.yaml", newsroom / "site.yaml"}
    )
    assert not session.read_whole
    # A new file, a deleted one: the whole folder is read
    for change in (SYNTH_EDITS["new story"], SYNTH_EDITS["story removed"]):
        before = {p for p in newsroom.rglob("*.yaml")}
        change(newsroom)
        after = {p for p in newsroom.rglob("*.yaml")}
        _same_as_whole_build_told(session, newsroom, out, before ^ after)
        assert session.read_whole


def test_after_an_error_a_rebuild_reads_the_whole_folder(project: Path, tmp_path: Path) -> None:
    """Files saved before a failed build are not in the next build's list of saved files:
    that build reads everything again."""
    out = tmp_path / "generated"
    session = Session(project, out)
    session.build()
    person = project / "people/xie-weixin.yaml"
    story = project / "stories/chengdu-footwear-goes-overseas-2023.yaml"
    _edit(person, _set("name", "Edited before the error"))
    _edit(story, _set("dateline", "no-such-place"))
    with pytest.raises(ContentError):
        session.build({person, story})
    _edit(story, _set("dateline", "chengdu"))
    _same_as_whole_build_told(session, project, out, {story})
    assert session.read_whole
    bad = project / "facts/chengdu-heels-craftsmanship.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "nmae: x\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:  # a known file, saved with an error
        session.build({bad})
    assert "unknown field 'nmae'" in error.value.format()


def _same_as_whole_build_told(session: Session, content: Path, out: Path, saved: set[Path]) -> None:
    real_build = session.build
    session.build = lambda: real_build(saved)  # type: ignore[method-assign]
    try:
        _same_as_whole_build(session, content, out)
    finally:
        del session.build
