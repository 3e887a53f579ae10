"""Validation errors as editors read them: each pydantic error located at its key or value, with
a message saying what was received and a hint from the field's own documentation."""

from __future__ import annotations

import bisect
import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic, Location, Severity, did_you_mean
from generator.read.load import Document
from generator.read.model.characters import character_problem
from generator.read.model.types import describe


def validation_diagnostics(
    exc: ValidationError, model: type[BaseModel], document: Document
) -> list[Diagnostic]:
    errors = exc.errors(include_url=False, include_input=True)
    misspelt = _misspelt_required(errors, model)
    found: dict[tuple[Location, str], Diagnostic] = {}
    for error in errors:
        if error["type"] == "missing" and tuple(error["loc"]) in misspelt:
            continue  # the unknown field's "did you mean" already says it
        diagnostic = _diagnostic(error, model, document)
        found.setdefault((diagnostic.location, diagnostic.message), diagnostic)
    return list(found.values())


def _misspelt_required(errors: list[Any], model: type[BaseModel]) -> set[tuple[Any, ...]]:
    """Missing fields that an unknown field next to them is a misspelling of ('nmae' → 'name')."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    found = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] != "extra_forbidden":
            continue
        fields = _fields_at(model, loc[:-1], None)
        guess = difflib.get_close_matches(str(loc[-1]), sorted(fields), n=1, cutoff=0.6)
        if guess and (*loc[:-1], guess[0]) in missing:
            found.add((*loc[:-1], guess[0]))
    return found


def _diagnostic(error: Any, model: type[BaseModel], document: Document) -> Diagnostic:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = _value_at(document.data, loc)
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1], document.data)
        name = str(loc[-1])
        problem = character_problem(name, one_line=True)
        if problem is not None:  # a quoted key can hold anything: name what, never print it
            return _make(
                _locate_character(document, loc, name, problem.offset, at_key=True),
                f"a field name {problem.message}",
                problem.hint,
            )
        hint = did_you_mean(name, fields) or (
            f"allowed here: {', '.join(fields)}" if fields else "remove it"
        )
        return _make(document.locate(loc, at_key=True), f"unknown field '{name}'", hint)
    if kind == "missing":
        name = str(loc[-1])
        return _make(
            document.locate(loc[:-1], at_key=True),
            f"missing required field '{name}'",
            f"add '{name}:' ({_field_doc(model, loc)})",
        )
    if kind == "text_character":
        context = error["ctx"]
        field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "text")
        return _make(
            _locate_character(document, loc, value, context["offset"]),
            f"{field} {context['problem']}",
            context["hint"],
        )
    if kind == "hidden_digits":  # the fix is the figure's withheld: point there
        return _make(
            document.locate((*loc, "figure", "withheld")),
            str(error["msg"]),
            "set the figure's withheld to partly (some digits hidden) or fully (all hidden), "
            "and as_printed to the figure exactly as the source prints it",
        )
    if kind == "url":
        location = _locate_character(document, loc, value, error["ctx"].get("offset", -1))
    else:
        location = document.locate(loc)
    message = _message(error, value)
    return _make(location, message, _hint(kind, value) or _fallback_hint(error, model, loc))


def _locate_character(
    document: Document, loc: tuple[Any, ...], value: Any, offset: int, *, at_key: bool = False
) -> Location:
    """Where the character at ``offset`` of ``value`` (the value, or the key, at ``loc``)
    stands in the file, or where the value starts when that cannot be known for sure.

    The character is searched for in the file between the value's start and the next key or
    value: when it occurs there as often as in the value, it is written as itself, and the
    n-th in the value is the n-th in the file; fewer means some are escapes ("\u202e").
    """
    start = document.locate(loc, at_key=at_key)
    if offset < 0 or not isinstance(value, str) or offset >= len(value):
        return start
    char = value[offset]
    text = document.text
    starts = _line_starts(text)
    begin = starts[start.line - 1] + start.column - 1
    following = [
        starts[line - 1] + column - 1
        for table in (document.values, document.keys)
        for line, column in table.values()
        if line <= len(starts)
    ]
    end = min((at for at in following if at > begin), default=len(text))
    if text.count(char, begin, end) != value.count(char):
        return start
    position = begin - 1
    for _ in range(value.count(char, 0, offset) + 1):
        position = text.find(char, position + 1, end)
    line = bisect.bisect_right(starts, position)
    return Location(start.path, line, position - starts[line - 1] + 1)


# The line breaks YAML counts (YAML 1.1, as libyaml reads it): its marks' lines are these.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _BREAK.finditer(text))]


def _make(location: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(location, Severity.ERROR, message, hint)


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def _message(error: Any, value: Any) -> str:
    kind = error["type"]
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, received {describe(value)}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{value}' is not allowed here: expected one of {expected}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in ("int_from_float", "float_type") or kind.endswith("_type"):
        return f"{error['msg'].lower()}, received {describe(value)}"
    return str(error["msg"])


_NUMBER_HINTS = {
    "number_hidden": "a withheld figure has no value: remove value, and write withheld: partly "
    "(or fully) with as_printed, the figure exactly as the source prints it",
    "number_grouped": "digits only, with a full stop for decimals: 1700, 3.5",
    "number_quoted": "write the number without quotes",
    "number_text": "write the number as digits (1700, 3.5); if the source hides digits (<>), "
    "remove value and write withheld and as_printed instead",
    "number_other": "write the number as digits (1700, 3.5), or remove the field",
}


def _hint(kind: str, value: Any) -> str:
    if kind in _NUMBER_HINTS:
        return _NUMBER_HINTS[kind]
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return f'put the value in quotes to keep it as text: "{value}"'
    if kind == "string_type" and value is None:
        return "write the text after the colon, or remove the field"
    if kind == "list_type" and isinstance(value, str):
        if len(value) > 1 and value[0] == "-" and not value[1].isspace():
            return f"a list item needs a space after '-': write '- {value[1:].split()[0]}'"
        return f"write a list: [{value}]"
    if kind == "list_type" and isinstance(value, dict):
        dashed = [str(k) for k in value if len(str(k)) > 1 and str(k)[0] == "-"]
        if dashed:
            return f"a list item needs a space after '-': write '- {dashed[0][1:]}:'"
        return "start each entry of the list with '- ' on its own line"
    if kind == "bare_date_text":
        return "put the date in quotes to keep it as text"
    if kind == "invalid_id":
        return "ids are lowercase kebab-case, e.g. sichuan-footwear-association"
    if kind == "partial_date":
        return "dates keep the source's precision: a year, a year-month or a full date"
    if kind == "url":
        return (
            "a web address is http:// or https://, a host name, then a path without spaces, "
            "written on the field's line: e.g. https://example.org/page"
        )
    if kind == "not_finite":
        return "write the digits the source shows; if it withholds them, set withheld instead"
    return ""


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = _nested_model(field.annotation)
    return current


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...], data: Any) -> list[str]:
    target = _model_at(model, loc)
    return list(target.model_fields) if target else []


def _field_doc(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    target = _model_at(model, loc[:-1])
    if target is None:
        return "see the editors' guide"
    field = target.model_fields.get(str(loc[-1]))
    return (field.description or "see the editors' guide").rstrip(".") if field else ""


def _fallback_hint(error: Any, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """A hint for every diagnostic: the allowed values, or what the field is for."""
    if error["type"] == "literal_error":
        value = _value_at_error(error)
        allowed = [
            a.strip(" '")
            for a in str(error.get("ctx", {}).get("expected", "")).replace(" or ", ", ").split(",")
        ]
        return did_you_mean(str(value), allowed) or "write one of the values listed, without quotes"
    names = [part for part in loc if isinstance(part, str)]
    if (
        error["type"] != "value_error"
        and names
        and not isinstance(loc[-1], int)
        and _model_at(model, loc[:-1]) is not None
    ):
        doc = _field_doc(model, loc)
        if doc:
            return f"{names[-1]}: {doc}"
    return "the field reference in the editors' guide explains every field"


def _value_at_error(error: Any) -> Any:
    return error.get("input", "")
