"""A fact's figure: the number, how the source qualifies it, and the digits it hides."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, model_validator

from generator.read.model.base import Model
from generator.read.model.numbers import Number
from generator.read.model.types import Text, one_line

Qualifier = Annotated[
    Literal["exact", "about", "more-than", "less-than", "at-least", "at-most"],
    BeforeValidator(one_line),
]
Withheld = Annotated[Literal["none", "partly", "fully"], BeforeValidator(one_line)]


class Figure(Model):
    """The number in a fact, with how precise the source is about it."""

    value: Number | None = None
    """The number, when the source prints all its digits: digits only, no thousands
    separators (1700, 3.5). A withheld figure has no value: the digits it shows are not the
    number (as_printed keeps them as printed)."""
    unit: Text
    """What is counted, e.g. enterprises or million pairs."""
    qualifier: Qualifier = "exact"
    """How the source qualifies the number."""
    withheld: Withheld = "none"
    """Whether the source hides digits (printed as <>): none, partly or fully."""
    as_printed: Text | None = None
    """The figure as the source prints it, e.g. "<>.<> million pairs"; required when withheld."""

    @model_validator(mode="after")
    def _withheld_is_consistent(self) -> Figure:
        if self.withheld != "none" and not self.as_printed:
            raise ValueError(
                "a withheld figure needs as_printed: the figure exactly as the source prints it"
            )
        if self.withheld != "none" and self.value is not None:
            raise ValueError(
                "a withheld figure has no value: the digits the source shows are not the "
                "number; remove value (as_printed keeps them as printed)"
            )
        if self.withheld == "none" and self.value is None:
            raise ValueError(
                "a figure needs a value, digits only (1700, 3.5), unless the source hides "
                "digits: then set withheld (partly or fully) and as_printed instead"
            )
        return self
