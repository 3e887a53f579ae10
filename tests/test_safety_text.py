"""What text may hold, and that every output stays valid whatever a valid text holds.

Every string of the content (text, Markdown, web addresses, ids, choices, dates, field names)
refuses control characters, bidirectional controls, noncharacters and values made only of
invisible characters, each with a located error naming the character by its code point. Any
other text passes, and then the pages' front matter (YAML, with JSON-LD), feed.xml, facts.csv
and facts.json all parse, strictly, and hold the text as it was validated.

The content here is a small folder written by the test, with every text field of every kind
set (a test below fails when a model gains a text field this folder leaves out).
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import tempfile
import typing
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.diagnostics import ContentError, Diagnostic
from generator.pages.render import render
from generator.pipeline import check
from generator.read.load import load_file
from generator.read.model import KINDS, SITE
from generator.read.model.characters import character_name
from generator.read.model.types import PartialDate

FAST = settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking here takes minutes
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Placeholders in CONTENT: the test puts generated text there.
TEXT, MARKDOWN = "<<text>>", "<<markdown>>"
FIGURES = "<<figures>>"


def _quoted(files: dict[str, Any], quotes: dict[str, str]) -> None:
    """A fact's quote must be the cited segment's own words, holding its figure as printed
    (generator.link.provenance): each fact's quote becomes "FACT figures say AS_PRINTED and
    QUOTE" (QUOTE from ``quotes``), and the segment they cite says all of them, and the
    year their as_of gives."""
    said = []
    for fact, text in quotes.items():
        data = files[f"facts/{fact}.yaml"]
        quote = f"{fact} figures say {data['figure']['as_printed']} and {text}"
        data["quote"] = [quote]
        said.append(quote)
    files["stories/report.yaml"]["segments"][2]["narration"] = " ".join(said) + " In 2023."


CONTENT: dict[str, dict[str, Any]] = {
    "site.yaml": {
        "title": TEXT,
        "description": TEXT,
        "language": TEXT,
        "base_url": "https://shoe-capital.example/",
        "introduction": MARKDOWN,
        "key_figures": ["enterprise-count"],
    },
    "places/chengdu.yaml": {"name": TEXT, "kind": "city", "description": TEXT},
    "places/sichuan.yaml": {"name": "Sichuan", "kind": "province"},
    "organizations/huidu-park.yaml": {
        "name": TEXT,
        "kind": "industrial-park",
        "place": "chengdu",
        "description": TEXT,
        "website": "https://huidu.example/park?x=1&y=2#about",
    },
    "organizations/footwear-association.yaml": {
        "name": TEXT,
        "kind": "association",
        "parent": "huidu-park",
    },
    "people/tan-qijian.yaml": {
        "name": TEXT,
        "native_name": TEXT,
        "description": TEXT,
        "roles": [
            {
                "title": TEXT,
                "organization": "huidu-park",
                "affiliation": TEXT,
                "as_of": 2023,
                "date_basis": TEXT,
                "source": "report",
            }
        ],
    },
    "people/yang-yuyi.yaml": {"name": TEXT},
    "topics/overseas-markets.yaml": {"name": TEXT, "description": TEXT},
    "stories/report.yaml": {
        "title": TEXT,
        "date": "2023-05",
        "date_basis": TEXT,
        "dateline": "chengdu",
        "reporters": ["yang-yuyi"],
        "editors": ["yang-yuyi"],
        "topics": ["overseas-markets"],
        "summary": TEXT,
        "source": {
            "medium": TEXT,
            "outlet": TEXT,
            "language": TEXT,
            "url": "https://news.example/report/1",
            "note": TEXT,
        },
        "segments": [
            {"id": "park", "narration": MARKDOWN, "facts": ["enterprise-count"]},
            {
                "soundbite": {
                    "speaker": "tan-qijian",
                    "role": TEXT,
                    "organizations": ["huidu-park"],
                    "text": MARKDOWN,
                },
                "people": ["tan-qijian"],
                "places": ["chengdu"],
                "organizations": ["footwear-association"],
                "topics": ["overseas-markets"],
            },
            # What the facts quote: set from their drawn quotes and figures (_quoted).
            {"id": "figures", "narration": FIGURES},
        ],
    },
    "facts/enterprise-count.yaml": {
        "statement": TEXT,
        "figure": {
            "value": -150,
            "unit": TEXT,
            "qualifier": "more-than",
            "withheld": "none",
            "as_printed": TEXT,
        },
        "places": ["chengdu"],
        "organizations": ["huidu-park"],
        "topics": ["overseas-markets"],
        "as_of": 2023,
        "date_basis": TEXT,
        "quote": [TEXT],
        "source": {
            "story": "report",
            "segment": "figures",
            "person": "tan-qijian",
            "organization": "footwear-association",
        },
    },
    "facts/order.yaml": {
        "statement": TEXT,
        "figure": {"unit": TEXT, "withheld": "fully", "as_printed": TEXT},
        "quote": [TEXT],
        "source": {"story": "report"},
    },
    "events/order.yaml": {
        "title": TEXT,
        "date": 2023,
        "date_basis": TEXT,
        "description": MARKDOWN,
        "places": ["chengdu"],
        "organizations": ["huidu-park"],
        "topics": ["overseas-markets"],
        "facts": ["order"],
        "sources": ["report"],
    },
    "glossary/soundbite.yaml": {"term": TEXT, "definition": TEXT, "aliases": [TEXT, TEXT]},
    "insights/capacity.yaml": {
        "title": TEXT,
        "date": "2023-06-01",
        "authors": ["yang-yuyi"],
        "topics": ["overseas-markets"],
        "summary": TEXT,
        "body": MARKDOWN,
    },
}


def _model(relative: str) -> type[BaseModel]:
    if relative == "site.yaml":
        return SITE.model
    return next(k.model for k in KINDS if relative.startswith(f"{k.folder}/"))


def _validators(annotation: Any) -> set[str]:
    """The before-validators on a string annotation (through Annotated, lists, optionals)."""
    names = {
        getattr(getattr(meta, "func", None), "__name__", "")
        for meta in getattr(annotation, "__metadata__", ())
    }
    for arg in typing.get_args(annotation):
        names |= _validators(arg)
    return names - {""}


STRING_VALIDATORS = {"_text", "_stripped_text", "_id", "_url", "one_line"}
"""The types' validators that check a string's characters (generator/model/types.py)."""


def _holds(annotation: Any, target: Any) -> bool:
    return annotation is target or any(_holds(a, target) for a in typing.get_args(annotation))


def _nested(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested(arg)
        if found is not None:
            return found
    return None


def string_fields(
    model: type[BaseModel], data: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], set[str]]]:
    """(path, validators) of every string value in ``data`` as ``model`` types it."""
    hints = typing.get_type_hints(model, include_extras=True)
    for name, value in data.items():
        annotation = hints[name]
        nested = _nested(annotation)
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        validators = _validators(annotation)
        textual = bool(validators & STRING_VALIDATORS) or _holds(annotation, PartialDate)
        for index, element in values:
            where = (*path, name) if index is None else (*path, name, index)
            if nested is not None and isinstance(element, dict):
                yield from string_fields(nested, element, where)
            elif nested is None and textual:
                yield where, validators


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _write(root: Path, files: dict[str, dict[str, Any]], *, escaped: bool = False) -> None:
    """The files as YAML; ``escaped``: every character beyond ASCII as an escape."""
    if root.exists():
        shutil.rmtree(root)
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(data, allow_unicode=not escaped, sort_keys=False)
        target.write_text(text, "utf-8")


def _placeholders() -> list[tuple[str, tuple[Any, ...], str]]:
    found = []
    for relative, data in CONTENT.items():
        for path, _ in string_fields(_model(relative), data):
            value = _get(data, path)
            if value in (TEXT, MARKDOWN):
                found.append((relative, path, value))
    return found


PLACEHOLDERS = _placeholders()


def _every_text_field(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    hints = typing.get_type_hints(model, include_extras=True)
    for name in model.model_fields:
        nested = _nested(hints[name])
        if nested is not None:
            yield from _every_text_field(nested, f"{prefix}{name}.")
        elif {"_text", "_stripped_text"} & _validators(hints[name]) and "_url" not in _validators(
            hints[name]
        ):
            yield f"{prefix}{name}"


def test_the_folder_sets_every_text_field_of_every_kind() -> None:
    """The property test below reaches every text field: a new one must be added here."""
    for kind in (*KINDS, SITE):
        wanted = {f"{kind.model.__name__}.{name}" for name in _every_text_field(kind.model)}
        have = {
            f"{kind.model.__name__}." + ".".join(str(p) for p in path if not isinstance(p, int))
            for relative, path, _ in PLACEHOLDERS
            if _model(relative) is kind.model
        }
        assert wanted <= have, wanted - have


# Characters that are allowed but mean something to YAML, HTML, XML, JSON, CSV, Markdown,
# Jinja or spreadsheets, or that trouble renderers: none may break an output. (No ':' '(' or
# '[', which would make links and citations the checks refuse for their own reasons; no '<'
# right before '>', which reads as withheld digits.)
NASTY = [
    '"', "'", "<script>", "a<b", "&", "&amp;", "&#0;", "]]>", "--", "-->", "<!--", " ", "  ",
    "\t", "\n", "\r\n", "\r", "\u2028", "\u2029", "\u00a0", "\u3000", "\u200b", "\u200d",
    "\ufeff", "\u200e", "\u200f", "\u061c", "\U0001f45f",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\U0001f1e8\U0001f1f3", "\u0639\u0631\u0628\u064a", "\u05e2\u05d1\u05e8\u05d9\u05ea",
    "e\u0301", "\u4e2d\u6587", "{{ x }}", "{% if %}", "`", "*", "_", "#", "|", "\\", "/",
    "%", "=", "+", "-", "@", ",", ";", "0", "1e400", ".nan", "null", "yes", "~", "!", "?",
    "]", "{", "}", "$", "^", "\ue000", "\U0010fffd", "\ufffd", "\ufdcf", "\U000e0067",
    "---", "...", "- ", "> ", "1. ", "\\u202e",
]  # fmt: skip
# A value starts with something visible (an empty or blank text is another error), often
# what a spreadsheet would run as a formula.
FIRST = ["Shoe", "\u4e2d", "=SUM(A1)", "-5", "+1", "@x", "\u0639", "\U0001f45f", "'", '"q"']
texts = st.builds(
    lambda first, rest: first + "".join(rest),
    st.sampled_from(FIRST),
    st.lists(st.sampled_from(NASTY), max_size=12),
)


def _decoded(content: str | bytes) -> str:
    return content.decode("utf-8") if isinstance(content, bytes) else content  # strictly


def _front_matter(page: str) -> dict[str, Any]:
    assert page.startswith("---\n")
    head = page[4 : page.index("\n---", 3)]
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


def _strict_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise AssertionError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as temp:
        yield Path(temp)


@FAST
@given(st.data())
def test_any_valid_text_leaves_every_output_valid(workdir: Path, data: st.DataObject) -> None:
    files = json.loads(json.dumps(CONTENT))
    written: dict[tuple[str, tuple[Any, ...]], str] = {}
    for relative, path, kind in PLACEHOLDERS:
        value = data.draw(texts)
        if relative == "facts/order.yaml" and path[-1] == "as_printed":
            value = "<>.<> " + value  # fully withheld: the source printed hidden digits
        if kind == MARKDOWN and relative == "insights/capacity.yaml":
            value = "As the park says [@enterprise-count]. " + value
        _set(files[relative], path, value)
        written[relative, path] = value
    _quoted(
        files,
        {f: written[f"facts/{f}.yaml", ("quote", 0)] for f in ("enterprise-count", "order")},
    )
    for fact in ("enterprise-count", "order"):
        written[f"facts/{fact}.yaml", ("quote", 0)] = files[f"facts/{fact}.yaml"]["quote"][0]
    root = workdir / "content"
    _write(root, files)

    index, _ = check(root)  # a valid text passes
    output = render(index)

    def valid(relative: str, *path: Any) -> str:
        return " ".join(written[relative, path].split())  # a text: whitespace runs, one space

    # Every page's front matter is YAML, with its JSON-LD and Open Graph data.
    pages = {p: c for p, c in output.files.items() if p.endswith(".md")}
    fronts = {p: _front_matter(_decoded(c)) for p, c in pages.items()}
    for path, front in fronts.items():
        if "sc_jsonld" in front:
            json.dumps(front["sc_jsonld"], allow_nan=False)
        assert "\n" not in html.unescape(front["title"]), path

    story = fronts["stories/report.md"]
    assert html.unescape(story["title"]) == valid("stories/report.yaml", "title")
    article = story["sc_jsonld"]
    assert article["headline"] == valid("stories/report.yaml", "title")
    assert article["description"] == valid("stories/report.yaml", "summary")
    person = fronts["people/tan-qijian.md"]["sc_jsonld"]
    assert person["name"] == valid("people/tan-qijian.yaml", "name")
    assert person["alternateName"] == valid("people/tan-qijian.yaml", "native_name")
    assert person["jobTitle"] == [valid("people/tan-qijian.yaml", "roles", 0, "title")]
    organization = fronts["organizations/huidu-park.md"]["sc_jsonld"]
    assert organization["description"] == valid("organizations/huidu-park.yaml", "description")
    place = fronts["places/chengdu.md"]["sc_jsonld"]
    assert place["name"] == valid("places/chengdu.yaml", "name")
    website = fronts["index.md"]["sc_jsonld"]
    assert website["name"] == valid("site.yaml", "title")
    assert website["inLanguage"] == valid("site.yaml", "language")

    # feed.xml is well-formed XML holding the titles, summaries and names as written.
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(_decoded(output.files["feed.xml"]).encode("utf-8"))
    assert feed.findtext(f"{atom}title") == valid("site.yaml", "title")
    assert feed.findtext(f"{atom}subtitle") == valid("site.yaml", "description")
    titles = {e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")}
    assert titles == {
        valid("stories/report.yaml", "title"),
        valid("insights/capacity.yaml", "title"),
    }
    summaries = [e.findtext(f"{atom}summary") or "" for e in feed.iter(f"{atom}entry")]
    assert any(s.startswith(valid("stories/report.yaml", "summary")) for s in summaries)
    names = {n.text for n in feed.iter(f"{atom}name")}
    assert valid("people/yang-yuyi.yaml", "name") in names
    labels = {c.get("label") for c in feed.iter(f"{atom}category")}
    assert labels == {valid("topics/overseas-markets.yaml", "name")}

    # facts.json is strict JSON; facts.csv parses to the same facts, formula-proof.
    facts = {f["id"]: f for f in _strict_json(_decoded(output.files["facts.json"]))["facts"]}
    count = facts["enterprise-count"]
    assert count["statement"] == valid("facts/enterprise-count.yaml", "statement")
    assert count["unit"] == valid("facts/enterprise-count.yaml", "figure", "unit")
    assert count["as_printed"] == valid("facts/enterprise-count.yaml", "figure", "as_printed")
    assert count["value"] == -150
    assert facts["order"]["as_printed"] == valid("facts/order.yaml", "figure", "as_printed")
    rows = list(csv.reader(io.StringIO(_decoded(output.files["facts.csv"]), newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == len(facts)
    for row in body:
        assert len(row) == len(header)
        record = facts[row[0]]
        for column, cell in zip(header, row, strict=True):
            if column == "value":
                assert cell == ("" if record["value"] is None else str(record["value"]))
                continue
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
            expected = record[column]
            joiner = " … " if column == "quote" else ";"
            expected = joiner.join(expected) if isinstance(expected, list) else expected or ""
            if cell.startswith("'"):  # added: the text starts with a formula sign or a quote
                cell = cell[1:]
                assert cell.startswith(("=", "+", "-", "@", "\t", "\r", "'")), (column, cell)
            assert cell == expected, column


# ----------------------------------------------------------------------------------------
# Refused characters: each, in every string field, is a located error naming its code point.

FORBIDDEN = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9b",
    "\x9f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
    "\u2069", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff",
]  # fmt: skip
INVISIBLE = [
    "\u200b", "\u200b \u200d", "\u200c\u200d", "\u2060", "\ufeff", "\u3164", "\u115f\u1160",
    "\uffa0", "\u2800", "\u200e\u200f", "\u061c", "\u00ad", "\u034f", "\ufe0f", "\u180e",
    "\u2061 \u3000", "\U000e0020",
]  # fmt: skip


def _valid_files() -> dict[str, dict[str, Any]]:
    files = json.loads(json.dumps(CONTENT))
    for relative, path, _ in PLACEHOLDERS:
        value = "Shoe text"
        if relative == "facts/order.yaml" and path[-1] == "as_printed":
            value = "<>.<> million pairs"
        _set(files[relative], path, value)
    _quoted(files, {"enterprise-count": "Shoe text", "order": "Shoe text"})
    return files


def _diagnostics(root: Path) -> list[Diagnostic]:
    with pytest.raises(ContentError) as error:
        check(root)
    return error.value.diagnostics


def test_the_valid_folder_is_valid(workdir: Path) -> None:
    _write(workdir / "valid", _valid_files())
    check(workdir / "valid")


def _field_name(path: tuple[Any, ...]) -> str:
    return next(str(p) for p in reversed(path) if isinstance(p, str))


@pytest.mark.parametrize("char", FORBIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_a_forbidden_character_is_refused_in_every_field(workdir: Path, char: str) -> None:
    """The character in the middle of every string of every file (text, Markdown, address,
    id, reference, choice, date), and in a field name: one error each, at that value."""
    files = _valid_files()
    expected: list[tuple[str, tuple[Any, ...]]] = []
    for relative, data in files.items():
        for path, _ in list(string_fields(_model(relative), data)):
            value = str(_get(data, path))
            _set(data, path, value[:2] + char + value[2:])
            expected.append((relative, path))
        data[f"not{char}field"] = 1
    root = workdir / "forbidden"
    # A raw NEL is a line break to YAML (a space in the value): only its escape holds it.
    _write(root, files, escaped=char == "\x85")
    found = _diagnostics(root)
    code = f"U+{ord(char):04X}"
    assert all(code in d.message for d in found), [d.format() for d in found]
    for relative, path in expected:
        document = load_file(root / relative)
        start = document.locate(path)
        here = [d for d in found if d.location.path.endswith(relative)]
        match = [
            d
            for d in here
            if d.message.startswith(f"{_field_name(path)} holds {character_name(char)}, ")
            and d.location >= start
        ]
        assert match, (relative, path, [d.format() for d in here])
        assert all(d.hint for d in match)
        line = document.text.split("\n")[match[0].location.line - 1]
        column = match[0].location.column
        # At the character itself when the file holds it as itself, else at the value.
        assert line[column - 1] == char or match[0].location == start
    keys = [d for d in found if d.message.startswith(f"a field name holds {code}")]
    assert len(keys) == len(files)


EVERY_FORBIDDEN = sorted(
    {chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]} - set("\t\n\r")
    | {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xFDD0, 0xFDF0)]}
    | {chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF)}
)


@FAST
@given(
    char=st.sampled_from(EVERY_FORBIDDEN),
    where=st.sampled_from(PLACEHOLDERS),
    text=texts,
    at=st.integers(min_value=0, max_value=40),
)
def test_any_forbidden_character_anywhere_in_a_text_is_refused(
    workdir: Path, char: str, where: tuple[str, tuple[Any, ...], str], text: str, at: int
) -> None:
    relative, path, _ = where
    files = _valid_files()
    at = min(at, len(text))
    _set(files[relative], path, text[:at] + char + text[at:])
    root = workdir / "any-forbidden"
    _write(root, files, escaped=char == "\x85")
    found = _diagnostics(root)
    assert len(found) == 1, [d.format() for d in found]
    start = load_file(root / relative).locate(path)
    assert found[0].location >= start and found[0].location.path == start.path
    assert found[0].message.startswith(f"{_field_name(path)} holds {character_name(char)}, ")
    assert found[0].hint


@pytest.mark.parametrize("blank", INVISIBLE, ids=lambda c: "+".join(f"{ord(x):04X}" for x in c))
def test_a_value_of_only_invisible_characters_is_refused(workdir: Path, blank: str) -> None:
    files = _valid_files()
    for relative, path, _ in PLACEHOLDERS:
        _set(files[relative], path, blank)
    root = workdir / "invisible"
    _write(root, files)
    found = _diagnostics(root)
    by_place = {(d.location.path.split("/invisible/")[-1], d.location): d for d in found}
    for relative, path, _ in PLACEHOLDERS:
        start = load_file(root / relative).locate(path)
        diagnostic = by_place.get((relative, start))
        assert diagnostic is not None, (relative, path, [d.format() for d in found])
        assert diagnostic.message.startswith(
            f"{_field_name(path)} holds only invisible characters (U+"
        ), diagnostic.message
        shown = {c for c in blank if not c.isspace()}
        assert all(character_name(c) in diagnostic.message for c in shown)


@pytest.mark.parametrize("char", ["\t", "\n", "\r"], ids=["tab", "LF", "CR"])
def test_a_one_line_field_refuses_tabs_and_line_breaks(workdir: Path, char: str) -> None:
    """Ids, references, addresses, choices and dates; a text field reads them as spaces."""
    files = _valid_files()
    one_line = []
    for relative, data in files.items():
        for path, validators in list(string_fields(_model(relative), data)):
            value = str(_get(data, path))
            if validators & {"_stripped_text", "_text"} and not validators & {"_url"}:
                continue
            _set(data, path, value + char)
            one_line.append((relative, path))
    root = workdir / "one-line"
    _write(root, files)
    found = _diagnostics(root)
    name = character_name(char)
    assert len(found) == len(one_line), [d.format() for d in found]
    assert all(f"holds {name}: this field is one line" in d.message for d in found)


def test_text_reads_line_breaks_as_spaces_and_markdown_keeps_them(workdir: Path) -> None:
    files = _valid_files()
    files["places/chengdu.yaml"]["name"] = "\tChengdu\r\n  City \u2028of\u3000shoes\n"
    files["places/chengdu.yaml"]["description"] = "a\rb"
    files["events/order.yaml"]["description"] = "One\r\ntwo\rthree\n\n\tfour \u2028 five"
    _write(workdir / "spaces", files)
    index, _ = check(workdir / "spaces")
    assert index.get("places", "chengdu").item.name == "Chengdu City of shoes"
    assert index.get("places", "chengdu").item.description == "a b"
    event = index.get("events", "order").item
    assert event.description == "One\ntwo\nthree\n\n\tfour \u2028 five"


# ----------------------------------------------------------------------------------------
# Web addresses are whole.


def _site_error(workdir: Path, **changes: Any) -> list[Diagnostic]:
    files = _valid_files()
    files["site.yaml"].update(changes)
    root = workdir / "site"
    _write(root, files)
    return _diagnostics(root)


@pytest.mark.parametrize(
    "address",
    [
        "https://shoe-capital.example/\n",  # base_url: | block
        "https://shoe-capital.example/ ",
        " https://shoe-capital.example/",
        "https://shoe-capital.example/\nhttps://evil.example/",
        "https://shoe capital.example/",
        "https://shoe-capital.example/a b",
        "https://",
        "https:///path",
        "https://?x",
        "https://.",
        "https://-bad.example/",
        "https://shoe..example/",
        "https://shoe-capital.example\\evil.example/",
        'https://shoe-capital.example/"onmouseover="x',
        "https://shoe-capital.example/<script>",
        "https://shoe-capital.example/{x}",
        "https://shoe-capital.example/a|b",
        "https://shoe-capital.example/`x`",
        "https://good.example@evil.example/",
        "https://shoe-capital.example:99999999/",
        "https://shoe-capital.example/\u00a0",
        "https://shoe-capital.example/\u3000x",
        "https://shoe-capital.example/\u2028",
        "https://shoe-capital.example/\x7f",
        "https://shoe-capital.example/\u202e",
        "ftp://shoe-capital.example/",
        "//shoe-capital.example/",
        "javascript://shoe-capital.example/%0Aalert(1)",
        "HTTPS://shoe-capital.example/",
        "https://shoe-capital.example/?page=1",  # fine elsewhere, not as the site's base
        "https://shoe-capital.example/#top",
    ],
)
def test_a_bad_address_is_refused_whole(workdir: Path, address: str) -> None:
    for field in ("base_url", "url"):
        if field == "base_url":
            found = _site_error(workdir, base_url=address)
        else:
            files = _valid_files()
            files["stories/report.yaml"]["source"]["url"] = address
            if "?" in address or "#" in address:
                continue  # a query or fragment is fine in a link
            root = workdir / "url"
            _write(root, files)
            found = _diagnostics(root)
        assert len(found) == 1, [d.format() for d in found]
        message = found[0].message
        assert (
            message.startswith(f"{field} holds U+")
            or "web address" in message
            or ("site's address" in message)
        ), message
        assert "\n" not in message and found[0].hint


@pytest.mark.parametrize(
    "address",
    [
        "https://shoe-capital.example/",
        "https://shoe-capital.example",
        "http://localhost:8000/",
        "https://[2001:db8::1]/news/",
        "https://xn--fiq228c.example/",
        "https://例子.中国/新闻/",
        "https://shoe-capital.example/a_b/c-d/~e/%20f/",
    ],
)
def test_a_whole_address_is_accepted(workdir: Path, address: str) -> None:
    """And every page's address made from it is one a sitemap's <loc> can hold."""
    from generator.pages import metadata

    files = _valid_files()
    files["site.yaml"]["base_url"] = address
    files["organizations/huidu-park.yaml"]["website"] = address + "?q=1&r=2#s"
    _write(workdir / "good-url", files)
    index, _ = check(workdir / "good-url")
    output = render(index)
    ET.fromstring(_decoded(output.files["feed.xml"]).encode("utf-8"))
    site = index.content.site.item  # type: ignore[union-attr]
    for page in output.files:
        if page.endswith(".md"):
            url = metadata.page_url(site, page)
            assert url.startswith(address) and not any(c.isspace() for c in url)
            assert not set(url) & set('"<>\\^`{|}')
            ET.fromstring(f"<loc>{html.escape(url)}</loc>")


# ----------------------------------------------------------------------------------------
# Figures are finite, and facts.csv never runs a formula.


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.inf", "1e400", "-1e400"])
def test_a_figure_is_a_finite_number(workdir: Path, value: str) -> None:
    files = _valid_files()
    _write(workdir / "nan", files)
    path = workdir / "nan" / "facts" / "enterprise-count.yaml"
    text = path.read_text("utf-8").replace("value: -150", f"value: {value}")
    path.write_text(text, "utf-8")
    found = _diagnostics(workdir / "nan")
    assert len(found) == 1
    assert found[0].message.startswith("expected a finite number, received ")
    assert found[0].location.line == text.split("\n").index(f"  value: {value}") + 1
    assert found[0].location.column == len("  value: ") + 1


def test_the_json_writers_refuse_nan_as_a_last_guard() -> None:
    from generator.pages import metadata
    from generator.read import markup

    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError):
            markup.json_value({"value": bad})
        with pytest.raises(ValueError):
            metadata._html_safe_json({"value": bad})


@pytest.mark.parametrize(
    "statement",
    [
        '=HYPERLINK("https://evil.example/", "click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "=1+1",
        "-5 % fewer orders",
    ],
)
def test_facts_csv_shows_formulas_as_text(workdir: Path, statement: str) -> None:
    files = _valid_files()
    files["facts/enterprise-count.yaml"]["statement"] = statement
    files["facts/enterprise-count.yaml"]["figure"]["unit"] = "-enterprises"
    files["facts/enterprise-count.yaml"]["figure"]["as_printed"] = "+150"
    files["facts/order.yaml"]["figure"]["unit"] = "@pairs"
    _quoted(files, {"enterprise-count": "Shoe text", "order": "Shoe text"})
    _write(workdir / "csv", files)
    index, _ = check(workdir / "csv")
    output = render(index)
    rows = list(csv.DictReader(io.StringIO(_decoded(output.files["facts.csv"]), newline="")))
    count = next(r for r in rows if r["id"] == "enterprise-count")
    assert count["statement"] == "'" + statement
    assert count["unit"] == "'-enterprises"
    assert count["as_printed"] == "'+150"
    assert next(r for r in rows if r["id"] == "order")["unit"] == "'@pairs"
    assert count["value"] == "-150"  # a number the generator wrote: read as the number
    facts = _strict_json(_decoded(output.files["facts.json"]))["facts"]
    assert next(f for f in facts if f["id"] == "enterprise-count")["statement"] == statement


def test_a_tab_carriage_return_or_quote_cannot_start_a_csv_cell() -> None:
    from generator.pages.facts import FACT_COLUMNS, csv_row

    record = dict.fromkeys(FACT_COLUMNS)
    record.update(
        id="x",
        statement="\t=1+1",
        unit="\r=1+1",
        places=["=a", "b"],
        value=-1.5,
        as_printed="'quoted",
        qualifier="more-than",
    )
    row = dict(zip(FACT_COLUMNS, csv_row(record), strict=True))
    assert row["statement"] == "'\t=1+1"
    assert row["unit"] == "'\r=1+1"
    assert row["places"] == "'=a;b"
    assert row["as_printed"] == "''quoted"  # so that removing one leading quote is exact
    assert row["qualifier"] == "more-than"
    assert row["value"] == -1.5


def _unchecked(annotation: Any, checked: bool = False) -> Iterator[Any]:
    """The string leaves of an annotation that no character-checking validator wraps."""
    here = checked or bool(
        {getattr(getattr(m, "func", None), "__name__", "") for m in
         getattr(annotation, "__metadata__", ())} & STRING_VALIDATORS
    )  # fmt: skip
    origin = typing.get_origin(annotation)
    if annotation is str or origin is typing.Literal:
        if not here:
            yield annotation
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for inner in typing.get_type_hints(annotation, include_extras=True).values():
            yield from _unchecked(inner)
        return
    for arg in typing.get_args(annotation):
        if not isinstance(arg, str):  # a Literal's values are checked with the Literal
            yield from _unchecked(arg, here)


def test_every_string_field_of_every_model_checks_its_characters() -> None:
    """A new field typed plain `str` (or a new Literal) without the shared types fails here."""
    for kind in (*KINDS, SITE):
        assert list(_unchecked(kind.model)) == [], kind.name
