"""How a plain (unquoted) YAML scalar is read: the load stage's own rules, not YAML 1.1's.

The loader answers most scalars from their first character alone (a word that cannot be a
null, boolean, number or date); these cases fail if that shortcut lets a special one through.
"""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest

from generator.read.load import load_file
from generator.read.model.types import PartialDate
from generator.read.strict_yaml import LoadError
from generator.read.yaml_scalars import BareDate

READ_AS = [
    ("", None),
    ("~", None),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("true", True),
    ("True", True),
    ("TRUE", True),
    ("false", False),
    ("False", False),
    ("FALSE", False),
    ("0", 0),
    ("42", 42),
    ("-7", -7),
    ("+3", 3),
    ("1.5", 1.5),
    (".5", 0.5),
    ("-2.5e3", -2500.0),
    (".inf", math.inf),
    ("-.inf", -math.inf),
    ("+.inf", math.inf),
    ("2023-05-17", BareDate("2023-05-17")),
    ("chengdu", "chengdu"),
    ("Tan Qijian", "Tan Qijian"),
    ("nothing", "nothing"),
    ("yesterday", "yesterday"),
    ("often", "often"),
    ("fact-001", "fact-001"),
    ("2023 figures", "2023 figures"),
    (".", "."),
]

AMBIGUOUS = [
    *"y Y yes Yes YES n N no No NO on On ON off Off OFF".split(),
    "0755",
    "0x1F",
    "0o17",
    "1_000",
    "12:30",
    "+12:30",
]


def _load(tmp_path: Path, value: str) -> object:
    path = tmp_path / "item.yaml"
    path.write_text(f"field: {value}\n", encoding="utf-8")
    return load_file(path).data["field"]


@pytest.mark.parametrize(("written", "expected"), READ_AS)
def test_plain_scalar_is_read_as(tmp_path: Path, written: str, expected: object) -> None:
    value = _load(tmp_path, written)
    assert value == expected and type(value) is type(expected)


def test_nan_is_a_float(tmp_path: Path) -> None:
    value = _load(tmp_path, ".nan")
    assert isinstance(value, float) and math.isnan(value)


@pytest.mark.parametrize("written", AMBIGUOUS)
def test_yaml11_trap_is_an_error_at_its_place(tmp_path: Path, written: str) -> None:
    with pytest.raises(LoadError) as raised:
        _load(tmp_path, written)
    (problem,) = raised.value.diagnostics
    assert f"'{written}' is ambiguous" in problem.message
    assert (problem.location.line, problem.location.column) == (1, 8)


def test_positions_are_worked_out_only_when_a_diagnostic_asks(tmp_path: Path) -> None:
    path = tmp_path / "item.yaml"
    path.write_text("name: Chengdu\nkind: city\nroles:\n  - title: mayor\n", encoding="utf-8")
    document = load_file(path)
    assert document.data == {"name": "Chengdu", "kind": "city", "roles": [{"title": "mayor"}]}
    assert document._positions is None  # a file without a problem is read in one quick pass
    located = document.locate(("roles", 0, "title"))
    assert (located.line, located.column) == (4, 12)
    assert (document.locate(("kind",), at_key=True).line, document.keys[("kind",)]) == (2, (2, 1))


def test_problems_after_a_trap_are_all_reported_in_order(tmp_path: Path) -> None:
    path = tmp_path / "item.yaml"
    path.write_text("a: yes\nb: 1\nb: 2\nc: 0x1F\n", encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        load_file(path)
    found = [(d.location.line, d.location.column, d.message) for d in raised.value.diagnostics]
    assert found == [
        (1, 4, "'yes' is ambiguous: YAML 1.1 reads it as a boolean"),
        (3, 1, "duplicate key 'b'"),
        (4, 4, "'0x1F' is ambiguous: YAML reads it as an octal, hexadecimal or grouped number"),
    ]


def test_equal_dates_are_one_object_even_from_the_cache() -> None:
    """Tens of thousands of items share a few thousand dates: pages listing them read those."""
    may = PartialDate.parse("2023-05")
    assert PartialDate.parse("2023-05") is may
    assert pickle.loads(pickle.dumps(may)) is may  # noqa: S301 - our own object
    assert PartialDate.parse("2023-05-17") is not may
    assert str(pickle.loads(pickle.dumps(PartialDate.parse("2023-05-17")))) == "2023-05-17"
