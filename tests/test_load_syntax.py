"""A YAML syntax error is reported where the mistake is, with a hint that names it.

The parser stops where it got stuck, often a line or more after the mistake: a key without
its colon is noticed at the next key, an unclosed quote or bracket at the next quote or the
end of the file. Each case here is one kind of mistake, written the way editors make it,
with the exact line, column, message and hint the loader reports (``YAML syntax error: ``
before the message). Lines and columns count from 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.read.load import load_file
from generator.read.strict_yaml import LoadError

SYNTAX = [  # (case, text, line, column, message, hint)
    (
        "missing-colon",
        "name: Chengdu\nkind city\nparent: sichuan\n",
        2,
        5,
        "'kind' is not followed by ':'",
        "missing ':' after 'kind'? Each field is written 'name: value'",
    ),
    (
        "missing-colon-at-the-end",
        "name: Chengdu\nkind city\n",
        2,
        5,
        "'kind' is not followed by ':'",
        "missing ':' after 'kind'? Each field is written 'name: value'",
    ),
    (
        "missing-colon-first-line",
        "name Chengdu\nkind: city\nparent: sichuan\n",
        1,
        5,
        "'name' is not followed by ':'",
        "missing ':' after 'name'? Each field is written 'name: value'",
    ),
    (
        "missing-colon-nested",
        "title: x\nsource:\n  medium tv\n  outlet: y\ndate: 2023\n",
        3,
        9,
        "'medium' is not followed by ':'",
        "missing ':' after 'medium'? Each field is written 'name: value'",
    ),
    (
        "missing-colon-in-a-list-item",
        "roles:\n  - title: a\n    organization b\n    as_of: 2020\n",
        3,
        17,
        "'organization' is not followed by ':'",
        "missing ':' after 'organization'? Each field is written 'name: value'",
    ),
    (
        "missing-colon-before-a-list",
        "name: X\ntopics\n  - a\n  - b\n",
        2,
        7,
        "'topics' is not followed by ':'",
        "missing ':' after 'topics'? Each field is written 'name: value'",
    ),
    (
        "missing-colon-before-a-mapping",
        "name: X\nsource\n  medium: tv\n",
        2,
        7,
        "'source' is not followed by ':'",
        "missing ':' after 'source'? Each field is written 'name: value'",
    ),
    (
        "colon-without-space",
        "name:X\nkind: y\n",
        1,
        5,
        "':' without a space after it",
        "a field is written 'name: value', with a space: 'name: X'",
    ),
    (
        "list-item-without-space",
        "name: X\nreporters:\n  - yang-yuyi\n  -song\ntopics: [a]\n",
        4,
        3,
        "'-song' is not a list item",
        "a list item needs a space after '-': write '- song'",
    ),
    (
        "list-item-without-space-before-an-item",
        "segments:\n  -narration: x\n  - soundbite: y\n",
        2,
        3,
        "'-narration:' is not a list item",
        "a list item needs a space after '-': write '- narration:'",
    ),
    (
        "list-item-without-space-after-a-mapping-item",
        "name: X\nroles:\n  - title: a\n  -title: b\n",
        4,
        3,
        "'-title:' is not a list item",
        "a list item needs a space after '-': write '- title:'",
    ),
    (
        "list-item-without-dash",
        "topics:\n  - a\n  - b\n  c\nname: x\n",
        4,
        3,
        "'c' is neither a list item nor a field",
        "missing '- ' before 'c'? Or ':' after it?",
    ),
    (
        "unclosed-double-quote",
        'name: "Chengdu\nkind: city\nparent: sichuan\n',
        1,
        7,
        "unclosed quote",
        (
            'the quote opened here is never closed: end the text with " (as it is, the '
            "text runs on to the end of the file)"
        ),
    ),
    (
        "unclosed-single-quote",
        "name: X\nsummary: 'open\nkind: city\nparent: x\n",
        2,
        10,
        "unclosed quote",
        (
            "the quote opened here is never closed: end the text with ' (as it is, the "
            "text runs on to the end of the file)"
        ),
    ),
    (
        "unclosed-quote-closed-by-a-later-one",
        'name: "Chengdu\nkind: city\nsummary: "A city"\nparent: x\n',
        1,
        7,
        "unclosed quote",
        (
            'the quote opened here is never closed: end the text with " (as it is, the '
            "text runs on to line 3)"
        ),
    ),
    (
        "unclosed-quote-at-the-end",
        "name: 'X\n",
        1,
        7,
        "unclosed quote",
        (
            "the quote opened here is never closed: end the text with ' (as it is, the "
            "text runs on to the end of the file)"
        ),
    ),
    (
        "apostrophe-inside-single-quotes",
        "name: X\nsummary: 'It's fine'\nkind: city\n",
        2,
        13,
        "text goes on after its closing quote",
        (
            "this quote ends the text quoted at column 10: an apostrophe inside '…' is "
            "written twice (''), or quote the text with \"…\""
        ),
    ),
    (
        "quote-inside-double-quotes",
        'name: X\nsummary: "He said "hi" there"\n',
        2,
        19,
        "text goes on after its closing quote",
        (
            'this quote ends the text quoted at column 10: a quote mark inside "…" is '
            "written \\\", or quote the text with '…'"
        ),
    ),
    (
        "unclosed-bracket",
        "name: X\ntopics: [a, b\nkind: city\nparent: x\n",
        2,
        9,
        "unclosed '['",
        ("the '[' opened here is never closed: end the list with ']' on this line, e.g. [a, b]"),
    ),
    (
        "unclosed-bracket-at-the-end",
        "name: X\ntopics: [a, b\n",
        2,
        9,
        "unclosed '['",
        ("the '[' opened here is never closed: end the list with ']' on this line, e.g. [a, b]"),
    ),
    (
        "unclosed-bracket-with-a-nested-one",
        "name: X\ntopics: [a, [b]\nkind: c\n",
        2,
        9,
        "unclosed '['",
        ("the '[' opened here is never closed: end the list with ']' on this line, e.g. [a, b]"),
    ),
    (
        "unclosed-brace",
        "name: X\nsource: {medium: tv\nkind: city\nparent: x\n",
        2,
        9,
        "unclosed '{'",
        (
            "the '{' opened here is never closed: end the mapping with '}' on this line, "
            "e.g. {medium: TV news report}"
        ),
    ),
    (
        "closing-bracket-too-many",
        "name: X\ntopics: [a, b]]\n",
        2,
        15,
        "']' closes nothing",
        "remove it, or open it with '[' before the values",
    ),
    (
        "closing-brace-in-a-list",
        "organizations: [huidu-}park]\n",
        1,
        23,
        "'}' does not close the '[' at column 16",
        "remove it, or end with ']'",
    ),
    (
        "key-indented-more",
        "name: X\nsource:\n  medium: tv\n   outlet: y\nkind: city\n",
        4,
        4,
        "'outlet' is indented more than 'medium' on line 3",
        (
            "fields of one mapping line up: indent 'outlet' as 'medium' is; if the line "
            "goes on the text of 'medium', put that text in quotes"
        ),
    ),
    (
        "key-indented-more-in-a-list-item",
        "roles:\n  - title: head\n     affiliation: a shoe company\n",
        3,
        6,
        "'affiliation' is indented more than 'title' on line 2",
        (
            "fields of one mapping line up: indent 'affiliation' as 'title' is; if the "
            "line goes on the text of 'title', put that text in quotes"
        ),
    ),
    (
        "key-indented-less",
        "name: X\nsource:\n  medium: tv\n outlet: y\nkind: city\n",
        4,
        2,
        "'outlet' does not line up with the lines above it",
        ("indent it as 'medium' on line 3 (2 spaces), or as 'source' on line 2 (no space)"),
    ),
    (
        "key-indented-less-in-a-list-item",
        "roles:\n  - title: head\n   affiliation: a shoe company\n",
        3,
        4,
        "'affiliation' does not line up with the lines above it",
        ("indent it as 'title' on line 2 (4 spaces), or as '- title' on line 2 (2 spaces)"),
    ),
    (
        "key-at-the-dash-of-a-list-item",
        "roles:\n  - title: head\n  affiliation: a shoe company\n",
        3,
        3,
        "'affiliation' is in a list but is not a list item",
        (
            "indent it as 'title' on line 2 (4 spaces) if it belongs to that item, or "
            "start it with '- ' if it is an item of its own"
        ),
    ),
    (
        "key-under-a-list-item",
        "topics:\n- a\n kind: b\n",
        3,
        2,
        "'kind' is indented under the list item on line 2",
        (
            "line it up with the fields above it; if the line goes on the item's text, "
            "put that text in quotes"
        ),
    ),
    (
        "list-item-indented-less",
        "reporters:\n  - a\n - b\nkind: x\n",
        3,
        2,
        "'- b' does not line up with the lines above it",
        ("indent it as '- a' on line 2 (2 spaces), or as 'reporters' on line 1 (no space)"),
    ),
    (
        "first-line-indented",
        " name: X\nkind: y\n",
        1,
        2,
        "the first line is indented",
        "an item's fields start at the left margin, with no space before them",
    ),
    (
        "stray-list-item",
        "name: X\nkind: city\n- chengdu\nparent: x\n",
        3,
        1,
        "a list item where a field is expected",
        (
            "a '- ' item belongs in a list, indented under its field (such as "
            "'topics:'): put it there, or remove the '- '"
        ),
    ),
    (
        "stray-list-item-in-a-mapping",
        "name: X\nsource:\n  medium: tv\n  - y\nkind: city\n",
        4,
        3,
        "a list item where a field is expected",
        (
            "a '- ' item belongs in a list, indented under its field (such as "
            "'topics:'): put it there, or remove the '- '"
        ),
    ),
    (
        "list-on-the-line-of-its-field",
        "name: X\nroles:  - title: x\n",
        2,
        9,
        "a list on the line of its field",
        (
            "start the list on the next line, each '- ' item on its own line and "
            "indented under the field; or write it in brackets: [a, b]"
        ),
    ),
    (
        "block-text-not-indented",
        "name: X\nsummary: |\nnot indented\nkind: y\n",
        3,
        1,
        "the text of a '|' or '>' block is not indented",
        "indent every line of the text more than 'summary' on line 2",
    ),
    (
        "text-after-block-indicator",
        "name: X\nsummary: >text\n",
        2,
        11,
        "text after '|' or '>' on its line",
        (
            "'|' and '>' start a block of text on the lines below, indented; a value "
            "that starts with '|' or '>' must be put in quotes"
        ),
    ),
    (
        "tab-indentation",
        "name: X\nsource:\n\tmedium: tv\n",
        3,
        1,
        "tab character used for indentation",
        "YAML indents with spaces only: replace the tab with spaces",
    ),
    (
        "tab-after-spaces",
        "name: X\nsource:\n  \tmedium: tv\n",
        3,
        3,
        "tab character used for indentation",
        "YAML indents with spaces only: replace the tab with spaces",
    ),
    (
        "tab-before-a-list-item",
        "name: X\ntopics:\n\t- a\n",
        3,
        1,
        "tab character used for indentation",
        "YAML indents with spaces only: replace the tab with spaces",
    ),
    (
        "tab-after-a-dash",
        "topics:\n  -\ta\n",
        2,
        4,
        "tab character where a space is needed",
        "YAML separates with spaces: replace the tab with a space",
    ),
    (
        "tab-on-a-continued-text",
        "name: X\nsummary: a\n\tb\n",
        3,
        1,
        "tab character used for indentation",
        "YAML indents with spaces only: replace the tab with spaces",
    ),
    (
        "value-with-colon-space",
        "name: X\nsummary: China's: capital\n",
        2,
        17,
        "mapping values are not allowed in this context",
        "a value that contains ': ' must be quoted, or written as a block with '|'",
    ),
    (
        "value-starting-with-at",
        "name: @x\n",
        1,
        7,
        "a value cannot start with '@'",
        'put the text in quotes: "@…"',
    ),
    (
        "value-starting-with-comma",
        "kind: ,city\n",
        1,
        7,
        "a value cannot start with ','",
        'put the text in quotes: ",…"',
    ),
    (
        "unknown-escape",
        'name: "a\\qb"\n',
        1,
        9,
        'unknown escape in a "…" text',
        (
            'in "…" a backslash starts an escape such as \\n: write \\\\ for a backslash '
            "itself, or quote the text with '…'"
        ),
    ),
    (
        "list-item-without-space-before-its-fields",
        "roles:\n  -title: director\n    organization: x\n",
        2,
        3,
        "'-title:' is not a list item",
        "a list item needs a space after '-': write '- title:'",
    ),
    (
        "missing-colon-in-the-first-field-of-a-list-item",
        "roles:\n  - title director\n    organization: x\n",
        2,
        10,
        "'title' is not followed by ':'",
        "missing ':' after 'title'? Each field is written 'name: value'",
    ),
    (
        "key-indented-less-than-the-fields-below",
        "figure:\n unit: pairs\n  withheld: fully\n  as_printed: x\n",
        2,
        2,
        "'unit' is indented less than the fields below it",
        "line it up with 'withheld' on line 3 (2 spaces)",
    ),
    (
        "list-item-indented-more-than-its-fields",
        "roles:\n   - title: editor\n    as_of: 2023\n    source: x\n",
        2,
        4,
        "'- title' does not line up with the lines below it",
        "move it 1 column left, so that 'title' lines up with 'as_of' on line 3",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [case[1:] for case in SYNTAX],
    ids=[case[0] for case in SYNTAX],
)
def test_a_syntax_error_is_reported_at_its_root_cause(
    tmp_path: Path, text: str, line: int, column: int, message: str, hint: str
) -> None:
    path = tmp_path / "item.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        load_file(path, "item.yaml")
    (problem,) = raised.value.diagnostics
    found = (problem.location.line, problem.location.column, problem.message, problem.hint)
    assert found == (line, column, f"YAML syntax error: {message}", hint)


def test_an_unclosed_quote_is_found_among_many_lines(tmp_path: Path) -> None:
    """The quote that closes it may be many lines on, and start a text of its own."""
    lines = [f"field{n}: value {n}" for n in range(200)]
    lines[10] = 'summary: "It starts here'
    lines[150] = 'note: "a quoted text"'
    path = tmp_path / "item.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        load_file(path, "item.yaml")
    location = raised.value.diagnostic.location
    assert (location.line, location.column) == (11, 10)
    assert "runs on to line 151" in raised.value.diagnostic.hint


def test_a_valid_multiline_quoted_text_is_not_blamed(tmp_path: Path) -> None:
    """A quoted text may span lines; a mistake after it is reported where it is."""
    path = tmp_path / "item.yaml"
    path.write_text(
        'summary: "A long text\n  that goes on"\nkind city\nname: x\n', encoding="utf-8"
    )
    with pytest.raises(LoadError) as raised:
        load_file(path, "item.yaml")
    problem = raised.value.diagnostic
    assert (problem.location.line, problem.location.column) == (3, 5)
    assert problem.hint.startswith("missing ':' after 'kind'?")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_lines_are_counted_as_an_editor_counts_them(tmp_path: Path, separator: str) -> None:
    """YAML 1.1 (the parser) breaks lines at NEL, LS and PS; editors, git and YAML 1.2 do
    not. Every position, of a syntax error or of a value, is where the editor shows it, and
    such a character that breaks a line is named."""
    path = tmp_path / "item.yaml"

    def problem(text: str) -> tuple[int, int, str]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(LoadError) as raised:
            load_file(path, "item.yaml")
        found = raised.value.diagnostic
        return found.location.line, found.location.column, found.message

    line, column, message = problem(f"summary: one{separator}two\nkind: city\n")
    assert (line, column) == (1, 13)
    assert message.startswith("YAML syntax error: an invisible ") and "breaks this line" in message
    assert problem(f"summary: 'one{separator}two'\nkind city\nname: x\n")[:2] == (2, 5)
    assert problem(f"summary: 'one{separator}two'\nkind: yes\n")[:2] == (2, 7)
    path.write_text(f"summary: 'one{separator}two'\nkind: city\n", encoding="utf-8")
    document = load_file(path, "item.yaml")
    assert (document.locate(("kind",)).line, document.locate(("kind",)).column) == (2, 7)
    assert document.locate(("kind",), at_key=True).column == 1
