"""The base of every model: strict, frozen, no unknown fields, docstrings as the reference."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        use_attribute_docstrings=True,
        hide_input_in_errors=True,
    )
