"""Numbers in content: a figure's value is a finite number written as digits; anything else
gets an error that says what was received and what to write instead."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from generator.read.model.types import HIDDEN_DIGITS, describe


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        shown = (
            "not a number (.nan)"
            if math.isnan(value)
            else ("infinity (.inf, or a number too large to hold, such as 1e400)")
        )
        raise PydanticCustomError(
            "not_finite", "expected a finite number, received {shown}", {"shown": shown}
        )
    return value


_SHOWABLE = re.compile(r"[0-9A-Za-z ,.<>+\-%\uff1c\uff1e]{1,40}")
"""Text an error about a number may quote back: short, and nothing that could mislead."""


_GROUPED = re.compile(r"[-+]?\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?")


def _number(value: Any) -> Any:
    """A number as written, or an error that says what was written instead and what to write."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(value)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "number_other", "expected a number, received {shown}", {"shown": describe(value)}
        )
    shown = f'the text "{value}"' if _SHOWABLE.fullmatch(value) else "text"
    if HIDDEN_DIGITS.search(value):
        raise PydanticCustomError(
            "number_hidden",
            "expected a number, received {shown}, which hides digits: the digits shown are "
            "not the number",
            {"shown": shown},
        )
    if re.fullmatch(r"[-+]?\d+(?:\.\d+)?", value.strip()):
        raise PydanticCustomError(
            "number_quoted",
            "expected a number, received {shown} (in quotes, a number is text)",
            {"shown": shown},
        )
    if _GROUPED.fullmatch(value.strip()):
        raise PydanticCustomError(
            "number_grouped",
            "expected a number, received {shown}: a number is written without thousands "
            "separators, as {plain}",
            {"shown": shown, "plain": re.sub(r"[, ]", "", value.strip())},
        )
    raise PydanticCustomError(
        "number_text", "expected a number, received {shown}", {"shown": shown}
    )


Number = Annotated[int | float, BeforeValidator(_number)]
"""A whole or decimal number, finite: JSON and the data files can hold no other."""
