"""Provenance a reader can check: a fact's quote is the source's words, a date the source does
not state says what it was inferred from, and the editors' analysis cites nothing.

The checks run in `check` (generator/provenance.py, called from resolve); these tests edit a
copy of the project's content and read the diagnostics `check` prints, exactly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.diagnostics import ContentError
from generator.link.analysis import analysis_blocks
from generator.link.provenance import date_patterns, states
from generator.link.quotes import closest
from generator.pages.render import render
from generator.pipeline import check
from generator.pipeline.session import Session
from generator.read.model.types import PartialDate
from generator.read.outline import flat

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed" / "000_7e95e086453b579a.txt"
STORY = "chengdu-footwear-goes-overseas-2023"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's content, with the working directory above it."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHOE_CAPITAL_CACHE", "off")
    return tmp_path / "content"


def run_check() -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--content", "content"])
    return result.exit_code, result.stdout


def replace(path: Path, old: str, new: str, after: str = "") -> None:
    """Replace the one ``old`` in the file (in its part from ``after`` on, if given)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    assert text.count(old, start) == 1, (path, old)
    path.write_text(text[:start] + text[start:].replace(old, new), encoding="utf-8")


def where(path: Path, needle: str, occurrence: int = 1, after: str = "") -> str:
    """path:line:col of the n-th occurrence of ``needle`` in the file (from ``after`` on),
    as check prints it."""
    text = path.read_text(encoding="utf-8")
    at = text.index(after) - 1 if after else -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return f"content/{path.parent.name}/{path.name}:{line}:{column}"


# -- every fact in content/ -------------------------------------------------------------


def test_every_fact_in_content_has_a_quote_that_is_the_seeds_words_in_its_segment() -> None:
    index, _ = check(ROOT / "content")
    seed = flat(SEED.read_text(encoding="utf-8"))
    facts = index.all("facts")
    assert len(facts) == 21
    for node in facts:
        fact = node.item
        assert fact.quote, node.id
        story = index.get("stories", fact.source.story).item
        anchors = index.segment_ids[fact.source.story]
        segment = story.segments[anchors.index(fact.source.segment)]
        words = flat(segment.narration or segment.soundbite.text)
        for span in fact.quote:
            assert flat(span) in words, (node.id, span)
            assert flat(span) in seed, (node.id, span)  # and so in the source document


def test_a_date_in_content_is_stated_by_its_passage_or_says_what_it_is_inferred_from() -> None:
    index, _ = check(ROOT / "content")
    seed = SEED.read_text(encoding="utf-8")
    for node in [*index.all("facts"), *index.all("events")]:
        item = node.item
        date = getattr(item, "as_of", None) or getattr(item, "date", None)
        if date is not None and item.date_basis is None:
            assert str(date) in seed, node.id
    # The year 2023 is in the seed once, in Tan Qijian's soundbite: whatever else carries
    # it says so, on the story, its events and roles and the facts of other segments.
    assert seed.count("2023") == 1
    story = index.get("stories", STORY).item
    assert "this year (2023)" in story.date_basis
    for node in index.all("people"):
        for role in node.item.roles:
            assert role.as_of is None or role.date_basis, node.id
    year = [n.id for n in index.all("facts") if n.item.as_of and n.item.date_basis is None]
    assert sorted(year) == [
        "chengdu-womens-shoe-capital-title",  # "In 2005"
        "tan-company-one-stop-own-brand-plan",  # "this year (2023)"
        "tan-company-spare-production-lines",  # same soundbite
    ]


def test_no_fact_carries_a_year_from_another_segment() -> None:
    index, _ = check(ROOT / "content")
    for node in index.all("facts"):
        fact = node.item
        story = index.get("stories", fact.source.story).item
        segment = story.segments[index.segment_ids[STORY].index(fact.source.segment)]
        words = segment.narration or segment.soundbite.text
        for year in re.findall(r"\b(?:19|20)\d\d\b", fact.statement):
            assert year in words, (node.id, year)


# -- quotes ------------------------------------------------------------------------------


def test_a_quote_changed_by_one_word_is_an_error_at_that_word(project: Path) -> None:
    fact = project / "facts/cross-border-e-commerce-shortens-distance.yaml"
    replace(fact, "and also reduces the trade links", "and also removes the trade links", "quote:")
    code, out = run_check()
    assert code == 1
    assert out == (
        f"{where(fact, 'removes', after='quote:')}: "
        f"error: the quote is not the source's words: segment "
        f"'xie-weixin' of story '{STORY}' reads otherwise from \"removes\" on\n"
        '  hint: the closest passage reads: "Cross-border e-commerce shortens the distance '
        "between shoe factories and consumers, and also reduces the trade links of "
        'traditional foreign trade."\n'
    )


@pytest.mark.parametrize(
    ("old", "new", "word"),
    [
        ("shortens the distance", "shortens distance", "distance"),  # a word dropped
        ("and also reduces", "and reduces", "reduces"),  # a hedge-sized word dropped
        ("between shoe factories", "between the shoe factories", "the"),  # a word added
        ("and consumers,", "and consumers;", "consumers;"),  # punctuation
        ("traditional foreign trade.", "Traditional foreign trade.", "Traditional"),  # case
        ("the trade links", "the trade link", "link"),  # a word cut short
        ("of traditional", "of tradition", "tradition"),
    ],
)
def test_any_change_to_the_words_is_an_error_naming_where_it_departs(
    project: Path, old: str, new: str, word: str
) -> None:
    fact = project / "facts/cross-border-e-commerce-shortens-distance.yaml"
    replace(fact, old, new, "quote:")
    code, out = run_check()
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(where(fact, word, 1 + (word == "the"), after="quote:"))
    assert f'reads otherwise from "{word}" on' in first
    assert len(out.splitlines()) == 2


def test_line_breaks_and_spaces_in_a_quote_do_not_matter(project: Path) -> None:
    fact = project / "facts/cross-border-e-commerce-shortens-distance.yaml"
    text = fact.read_text(encoding="utf-8")
    start = text.index("quote:")
    fact.write_text(
        text[:start] + "quote:\n  - >-\n    Cross-border   e-commerce shortens the distance\n"
        "    between shoe factories and consumers, and also reduces\n"
        "    the trade links of traditional foreign trade.\n",
        encoding="utf-8",
    )
    assert run_check()[0] == 0


def test_a_quote_from_another_segment_is_an_error_naming_the_right_one(project: Path) -> None:
    fact = project / "facts/tan-company-order-volume-increasing.yaml"
    replace(fact, "segment: huidu-industrial-park", "segment: he-lixia")
    code, out = run_check()
    assert code == 1
    hint = (
        "  hint: these words are in segment 'huidu-industrial-park' of the story: cite that "
        "segment as source.segment, or quote the words of segment 'he-lixia'"
    )
    assert out.splitlines() == [
        f"{where(fact, 'Tan Qijian', after='quote:')}: "
        f"error: quote 1 is not in segment 'he-lixia' of story "
        f"'{STORY}': not even its first word is there",
        hint,
        f"{where(fact, 'overall', after='quote:')}: "
        f"error: quote 2 is not the source's words: segment "
        f"'he-lixia' of story '{STORY}' reads otherwise from \"overall\" on",
        hint,
        # as_of now rests on a segment that does not state it either; its basis says so
    ]


def test_each_span_is_checked_and_the_wrong_one_located(project: Path) -> None:
    fact = project / "facts/huidu-park-service-platform.yaml"
    replace(fact, "accelerate the pace of overseas", "speed up the pace of overseas", "quote:")
    code, out = run_check()
    assert code == 1
    assert out.startswith(
        f"{where(fact, 'speed up', after='quote:')}: "
        f"error: quote 2 is not the source's words: segment "
        f"'huidu-service-platform' of story '{STORY}' reads otherwise from \"speed\" on\n"
    )


def test_a_fact_without_a_segment_is_checked_against_the_whole_story(project: Path) -> None:
    fact = project / "facts/cross-border-e-commerce-shortens-distance.yaml"
    replace(fact, "  segment: xie-weixin\n", "")
    assert run_check()[0] == 0
    replace(fact, "reduces the trade", "cuts the trade", "quote:")
    code, out = run_check()
    assert code == 1
    assert f"the quote is not the source's words: story '{STORY}' reads otherwise" in out


def test_a_fact_needs_a_quote(project: Path) -> None:
    fact = project / "facts/overseas-consumers-embrace-emerging-brands.yaml"
    text = fact.read_text(encoding="utf-8")
    fact.write_text(text[: text.index("quote:")], encoding="utf-8")
    code, out = run_check()
    assert code == 1
    assert out.startswith(
        "content/facts/overseas-consumers-embrace-emerging-brands.yaml:1:1: error: "
        "missing required field 'quote'\n"
    )
    fact.write_text(text[: text.index("quote:")] + "quote: []\n", encoding="utf-8")
    code, out = run_check()
    assert code == 1 and "a fact needs a quote" in out


def test_an_unknown_segment_is_one_error_not_a_quote_error_too(project: Path) -> None:
    fact = project / "facts/chengdu-heels-craftsmanship.yaml"
    replace(fact, "segment: xie-weixin", "segment: xie-weixn")
    code, out = run_check()
    assert code == 1
    assert out.count("error:") == 1 and "has no segment 'xie-weixn'" in out


def test_closest_passage_is_the_run_of_words_most_like_the_quote() -> None:
    passage = flat("One two three. The market has recovered, we have prepared lines. Four.")
    assert closest("the market has recovred, we", [passage]) == "The market has recovered, we"


# -- dates ---------------------------------------------------------------------------------


def test_a_date_the_passage_does_not_state_needs_a_basis(project: Path) -> None:
    fact = project / "facts/huidu-park-enterprise-count.yaml"
    replace(fact, fact.read_text(encoding="utf-8").split("\n")[11] + "\n", "")
    assert "date_basis" not in fact.read_text(encoding="utf-8")
    code, out = run_check()
    assert code == 1
    assert out == (
        f"{where(fact, '2023', after='as_of')}: "
        f"error: as_of 2023 is not in segment 'huidu-industrial-park' "
        f"of story '{STORY}', and no date_basis says how it was inferred\n"
        "  hint: the story says \"this year (2023)\" in segment 'tan-qijian': if the date "
        "rests on it, say so, e.g. date_basis: '\"this year (2023)\" in segment tan-qijian'\n"
    )


def test_events_and_roles_need_a_basis_too(project: Path) -> None:
    event = project / "events/russian-order-2023.yaml"
    person = project / "people/yang-yuyi.yaml"
    speaker = project / "people/he-lixia.yaml"
    for path in (event, person, speaker):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^ *date_basis: .*\n", "", text, flags=re.M), encoding="utf-8")
    code, out = run_check()
    assert code == 1
    lines = [line for line in out.splitlines() if "error:" in line]
    assert lines == [
        f"{where(event, '2023', after='date')}: "
        f"error: date 2023 is in none of the segments its facts cite, "
        "and no date_basis says how it was inferred",
        f"{where(speaker, '2023', after='as_of')}: "
        f"error: as_of 2023 is in none of the segments of story "
        f"'{STORY}' where they speak or are named, and no date_basis says how it was inferred",
        f"{where(person, '2023', after='as_of')}: "
        f"error: as_of 2023 is in story '{STORY}', which names them "
        "in none of its segments, and no date_basis says how it was inferred",
    ]


def test_a_role_with_a_date_and_no_source_needs_a_basis(project: Path) -> None:
    person = project / "people/feng-yonggang.yaml"
    text = person.read_text(encoding="utf-8")
    text = re.sub(r"^ *(date_basis|source): .*\n", "", text, flags=re.M)
    person.write_text(text, encoding="utf-8")
    code, out = run_check()
    assert code == 1
    assert "as_of 2023 is stated by no source: the role names no source story" in out


def test_a_date_its_passage_states_needs_no_basis(project: Path) -> None:
    # "In 2005" is in the segment the fact cites; the event's fact cites it too.
    assert (
        "date_basis" not in (project / "facts/chengdu-womens-shoe-capital-title.yaml").read_text()
    )
    assert run_check()[0] == 0
    # A story's date is the report's own: shown with its basis, never required to have one.
    story = project / f"stories/{STORY}.yaml"
    text = story.read_text(encoding="utf-8")
    story.write_text(re.sub(r"^date_basis: .*\n", "", text, flags=re.M), encoding="utf-8")
    assert run_check()[0] == 0


def test_more_precision_than_the_passage_states_needs_a_basis(project: Path) -> None:
    fact = project / "facts/chengdu-womens-shoe-capital-title.yaml"
    replace(fact, "as_of: 2005", "as_of: 2005-06")
    code, out = run_check()
    assert code == 1 and "as_of 2005-06 is not in segment 'award-and-industry'" in out


@pytest.mark.parametrize(
    ("date", "text", "stated"),
    [
        ((2023,), "this year (2023), we", True),
        ((2023,), "in 20234 pairs", False),
        ((2023,), "model 2023-X", False),
        ((2023, 5), "in May 2023 the", True),
        ((2023, 5), "in 2023-05 the", True),
        ((2023, 5), "in 2023 the", False),
        ((2023, 5, 17), "on 17 May 2023", True),
        ((2023, 5, 17), "on May 17, 2023", True),
        ((2023, 5, 17), "on 2023-05-17", True),
        ((2023, 5, 17), "in May 2023", False),
    ],
)
def test_what_counts_as_stating_a_date(date: tuple[int, ...], text: str, stated: bool) -> None:
    found = PartialDate.of(*date)
    assert states(found, [text]) is stated, date_patterns(found).pattern


# -- analysis ------------------------------------------------------------------------------


INSIGHT = "content/insights/production-capacity-and-overseas-orders.yaml"


def test_a_citation_inside_an_analysis_block_is_an_error_at_the_citation(project: Path) -> None:
    insight = project.parent / INSIGHT
    replace(
        insight, "      e-commerce.\n", "      e-commerce [@cross-border-e-commerce-own-brands].\n"
    )
    code, out = run_check()
    assert code == 1
    assert out == (
        f"{where(insight, '[@cross-border-e-commerce-own-brands]')}: error: citation "
        "'[@cross-border-e-commerce-own-brands]' inside an analysis block\n"
        "  hint: an analysis block is the editors' reading and cites no source: move what the "
        "source says, with its citation, out of the block, or drop the citation\n"
    )


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("??? analysis", "write the block's first line as '!!! analysis', nothing more"),
        ("???+ analysis", "write the block's first line as '!!! analysis', nothing more"),
        ('!!! analysis "Our view"', "write the block's first line as '!!! analysis', nothing"),
        ("!!! Analysis", "write the block's first line as '!!! analysis', nothing more"),
    ],
)
def test_an_analysis_block_is_written_one_way(project: Path, header: str, problem: str) -> None:
    insight = project.parent / INSIGHT
    replace(insight, "  !!! analysis\n", f"  {header}\n")
    code, out = run_check()
    assert code == 1
    assert out.splitlines()[0] == (
        f"{where(insight, header)}: error: '{header}' is not how an analysis block starts"
    )
    assert problem in out


def test_an_analysis_block_needs_a_blank_line_before_and_text_under_it() -> None:
    body = "Sourced [@x].\n!!! analysis\n    Ours.\n\n!!! analysis\nNot indented.\n"
    problems = [block.header_problem for block in analysis_blocks(body)]
    assert problems[0].startswith("leave a blank line before '!!! analysis'")
    assert problems[1].startswith("an analysis block holds the paragraphs under")


def test_a_citation_in_an_analysis_block_inside_a_list_is_found() -> None:
    body = "- item\n\n    !!! analysis\n        Ours [@fact].\n    Back in the item.\n"
    (block,) = analysis_blocks(body)
    assert block.header_problem == ""
    assert "[@fact]" in body[block.start : block.end]
    assert "Back" not in body[block.start : block.end]


def test_the_insights_keep_their_analysis_apart() -> None:
    index, _ = check(ROOT / "content")
    for node in index.all("insights"):
        body = node.item.body
        assert analysis_blocks(body), node.id  # each piece marks its own reading
        for block in analysis_blocks(body):
            assert "[@" not in body[block.start : block.end]
    bodies = " ".join(flat(n.item.body) for n in index.all("insights"))
    # The drift the issue lists, gone from what the insights say.
    for words in ("more cautious", "It is the step", "removes links", "the companies the park"):
        assert words not in bodies


# -- the site --------------------------------------------------------------------------------


def test_pages_show_the_quote_and_what_a_date_was_inferred_from() -> None:
    index, _ = check(ROOT / "content")
    files = render(index).files
    page = files["facts/cross-border-e-commerce-shortens-distance.md"].decode()
    assert "**In the source's words**" in page
    assert (
        "> “Cross-border e-commerce shortens the distance between shoe factories and "
        "consumers, and also reduces the trade links of traditional foreign trade.”"
    ) in page
    assert '<span class="sc-inferred">(inferred from &#34;this year (2023)&#34; in Tan' in page
    spans = files["facts/tan-company-order-volume-increasing.md"].decode()
    assert "said that” … “the overall order volume is still increasing”" in spans
    story = files[f"stories/{STORY}.md"].decode()
    assert '<time datetime="2023">2023</time> <span class="sc-inferred">(inferred from' in story
    assert "Date inferred from &#34;this year (2023)&#34;" in files["timeline.md"].decode()
    assert "(inferred from" in files["people/xie-weixin.md"].decode()
    sheet = files["facts/index.md"].decode()
    assert '<br><span class="sc-source-words">“These consumers overseas' in sheet
    assert 'title="inferred from &quot;this year (2023)&quot;' in sheet
    insight = files["insights/production-capacity-and-overseas-orders.md"].decode()
    assert "\n!!! analysis\n    Tan&#39;s" not in insight  # text is escaped by text(), not md
    assert "\n!!! analysis\n    Tan" in insight
    assert "A block marked **Analysis** is the editors' reading" in insight
    assert (
        "in the source's words, “These consumers overseas"
        in files["insights/from-oem-to-own-brands.md"].decode()
    )


def test_downloads_carry_the_quote_and_the_basis() -> None:
    index, _ = check(ROOT / "content")
    files = render(index).files
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["facts.csv"].decode()))}
    row = rows["tan-company-order-volume-increasing"]
    assert row["quote"] == (
        "Tan Qijian, head of the Chengdu operation center of a shoe company in Sichuan, said "
        "that … the overall order volume is still increasing"
    )
    assert row["as_of_basis"].startswith('"this year (2023)" in Tan Qijian')
    assert rows["chengdu-womens-shoe-capital-title"]["as_of_basis"] == ""
    data = json.loads(files["facts.json"].decode())
    fact = next(f for f in data["facts"] if f["id"] == "tan-company-order-volume-increasing")
    assert fact["quote"] == [
        "Tan Qijian, head of the Chengdu operation center of a shoe company in Sichuan, said that",
        "the overall order volume is still increasing",
    ]


# -- the live preview ------------------------------------------------------------------------


def test_a_preview_rebuild_finds_a_quote_an_edit_of_its_story_breaks(project: Path) -> None:
    """Checked again from the outlines: the fact did not change, its story did."""
    session = Session(project, project.parent / "generated")
    session.build()
    story = project / f"stories/{STORY}.yaml"
    time.sleep(0.01)
    replace(story, "and also reduces the trade links", "and also cuts the trade links")
    with pytest.raises(ContentError) as error:
        session.build()
    assert "cross-border-e-commerce-shortens-distance.yaml" in error.value.format()
    assert 'reads otherwise from "reduces" on' in error.value.format()


def test_a_preview_rebuild_finds_a_date_an_edit_of_a_fact_leaves_unstated(
    project: Path,
) -> None:
    """The event did not change; the fact it lists moved to a segment without the year."""
    session = Session(project, project.parent / "generated")
    session.build()
    event = project / "events/womens-shoe-capital-title-2005.yaml"
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    assert "date_basis" not in data
    fact = project / "facts/chengdu-womens-shoe-capital-title.yaml"
    time.sleep(0.01)
    replace(fact, "segment: award-and-industry", "segment: tan-qijian")
    replace(fact, "as_of: 2005\n", "")
    with pytest.raises(ContentError) as error:
        session.build()
    found = error.value.format()
    assert "womens-shoe-capital-title-2005.yaml" in found
    assert "date 2005 is in none of the segments its facts cite" in found


def test_a_cached_recheck_is_no_quieter(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fact comes from the cache (its file did not change); its story's words did."""
    monkeypatch.setenv("SHOE_CAPITAL_CACHE", str(project.parent / "cache"))
    assert run_check()[0] == 0
    story = project / f"stories/{STORY}.yaml"
    replace(story, "and also reduces the trade links", "and also cuts the trade links")
    for _ in range(2):  # the story read afresh, then the story too from the cache
        code, out = run_check()
        assert code == 1
        assert "cross-border-e-commerce-shortens-distance.yaml" in out
        assert 'reads otherwise from "reduces" on' in out


QUOTE = (
    "Our Chengdu women's shoes used to be mainly foreign trade at the beginning, and we have "
    "been doing local sales in the past two years."
)


@pytest.mark.parametrize(
    "written",
    [
        "quote:\n  - '" + QUOTE.replace("'", "''") + "'\n",
        'quote: ["' + QUOTE + '"]\n',
        "quote:\n  - |-\n    " + QUOTE.replace(" and we ", "\n    and we ") + "\n",
        "quote:\n  - " + QUOTE.replace(" and we ", "\n    and we ") + "\n",
    ],
    ids=["single-quoted", "double-quoted", "literal block", "plain, two lines"],
)
def test_the_error_points_at_the_word_however_the_quote_is_written(
    project: Path, written: str
) -> None:
    fact = project / "facts/chengdu-womens-shoes-domestic-sales.yaml"
    text = fact.read_text(encoding="utf-8")
    fact.write_text(text[: text.index("quote:")] + written, encoding="utf-8")
    code, out = run_check()
    assert code == 1
    assert out.startswith(
        f"{where(fact, 'local', after='quote:')}: error: the quote is not the source's words: "
        f"segment 'he-lixia' of story '{STORY}' reads otherwise from \"local\" on\n"
    )


def test_a_quote_starts_and_ends_on_whole_words(project: Path) -> None:
    fact = project / "facts/cross-border-e-commerce-shortens-distance.yaml"
    text = fact.read_text(encoding="utf-8")
    head = text[: text.index("quote:")]
    fact.write_text(head + 'quote: ["order-border e-commerce shortens the distance"]\n')
    code, out = run_check()
    assert code == 1 and "not even its first word is there" in out
    fact.write_text(
        head + 'quote: ["shortens the distance between shoe factories and consumers"]\n'
    )
    assert run_check()[0] == 0  # ends before the comma: whole words, punctuation aside


def test_a_quote_of_a_word_or_two_states_nothing(project: Path) -> None:
    fact = project / "facts/chengdu-footwear-industry-picking-up.yaml"
    text = fact.read_text(encoding="utf-8")
    fact.write_text(text[: text.index("quote:")] + 'quote: ["picking up"]\n', encoding="utf-8")
    code, out = run_check()
    assert code == 1
    assert out == (
        f"{where(fact, chr(34) + 'picking up', after='quote:')}: "
        "error: the quote is too short to check the fact against: fewer than 3 words\n"
        "  hint: quote the words of the segment that state the fact, not a word or two of them\n"
    )


def test_a_footnote_inside_an_analysis_block_is_an_error(project: Path) -> None:
    insight = project.parent / INSIGHT
    replace(insight, "      e-commerce.\n", "      e-commerce.[^1]\n")
    code, out = run_check()
    assert code == 1
    assert out.startswith(
        f"{where(insight, '[^1]')}: error: footnote '[^1]' inside an analysis block\n"
    )


def test_every_citation_in_the_insights_becomes_a_footnote() -> None:
    """An analysis block is indented: the citations after it are still citations (an indented
    line once counted as code to the end of the body, leaving them as written)."""
    index, _ = check(ROOT / "content")
    files = render(index).files
    for node in index.all("insights"):
        page = files[node.page].decode()
        assert "[@" not in page, node.id
        cites = index.citations[node.id]
        assert cites and page.count("[^") == len(cites) + len({c.number for c in cites})


def test_a_figure_the_quote_does_not_print_is_an_error(project: Path) -> None:
    fact = project / "facts/huidu-park-enterprise-count.yaml"
    replace(fact, 'as_printed: "more than 150"', 'as_printed: "more than 160"')
    code, out = run_check()
    assert code == 1
    assert out == (
        f"{where(fact, chr(34) + 'more than 160')}: error: the figure is not in the quote: "
        '"more than 160" is in none of its spans\n'
        "  hint: quote the words that print the figure, as the source prints them, or correct "
        "the figure to what the source prints\n"
    )
    replace(fact, '  as_printed: "more than 160"\n', "")
    replace(fact, "value: 150", "value: 15")  # digits inside "150" are not the figure
    code, out = run_check()
    assert code == 1
    assert out.startswith(
        f"{where(fact, '15', after='value')}: error: the figure is not in the quote: "
        '"15" is in none of its spans\n'
    )
    replace(fact, "value: 15", "value: 150")
    assert run_check()[0] == 0  # the digits alone, when the fact does not say how printed
