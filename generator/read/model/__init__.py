"""Typed content models and the registry of kinds."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from generator.read.model.items import (
    Event,
    Fact,
    GlossaryTerm,
    Insight,
    Organization,
    Person,
    Place,
    Site,
    Story,
    Topic,
)
from generator.read.model.types import PartialDate


@dataclass(frozen=True)
class Kind:
    """A kind of item: its folder in content/, its name for editors, its model."""

    folder: str
    name: str
    model: type[BaseModel]
    title: str


KINDS: tuple[Kind, ...] = (
    Kind("stories", "story", Story, "Stories"),
    Kind("insights", "insight", Insight, "Insights"),
    Kind("people", "person", Person, "People"),
    Kind("organizations", "organization", Organization, "Organizations"),
    Kind("places", "place", Place, "Places"),
    Kind("topics", "topic", Topic, "Topics"),
    Kind("facts", "fact", Fact, "Facts"),
    Kind("events", "event", Event, "Events"),
    Kind("glossary", "glossary term", GlossaryTerm, "Glossary"),
)
KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS}
KIND_BY_NAME = {kind.name.replace(" ", "-"): kind for kind in KINDS}
SITE = Kind("", "site", Site, "Site")

__all__ = [
    "KINDS",
    "KIND_BY_FOLDER",
    "KIND_BY_NAME",
    "SITE",
    "Kind",
    "PartialDate",
    "Event",
    "Fact",
    "GlossaryTerm",
    "Insight",
    "Organization",
    "Person",
    "Place",
    "Site",
    "Story",
    "Topic",
]
