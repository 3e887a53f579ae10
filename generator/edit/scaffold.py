"""Templates for new items: ``python -m generator new KIND ID``.

A template is a draft, valid as written: `check` passes the moment it is saved, so an editor
can preview the page at once and then replace each ``TODO`` with what the source says; until
every TODO is gone and ``draft: true`` removed, no build publishes it. Optional
fields are shown commented out, with what they mean. A required reference can only name an
item that exists, so the template takes the first existing one of its kind and says so; if
there is none, scaffolding refuses and says what to create first. Dates are the one value a
template cannot leave blank: it writes the current year and marks it as a TODO.
"""

from __future__ import annotations

import datetime
import json
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel

from generator.read.model import KIND_BY_FOLDER, KIND_BY_NAME, Kind
from generator.read.model.items import Organization, Place
from generator.read.model.types import check_id


class ScaffoldError(ValueError):
    """The item cannot be scaffolded; the message says why and what to do."""


def kind_named(name: str) -> Kind:
    """A kind by its name (story, glossary-term) or its folder (stories, glossary)."""
    kind = KIND_BY_NAME.get(name) or KIND_BY_FOLDER.get(name)
    if kind is None:
        raise ScaffoldError(
            f"unknown kind '{name}': choose one of {', '.join(sorted(KIND_BY_NAME))}"
        )
    return kind


def scaffold(kind_name: str, item_id: str, content_dir: Path, *, year: int | None = None) -> Path:
    """Write a commented template for a new item; refuse an invalid id or an existing file."""
    kind = kind_named(kind_name)
    problem = check_id(item_id)
    if problem:
        raise ScaffoldError(f"'{item_id}' is not a valid id: {problem} (e.g. tan-qijian)")
    folder = content_dir / kind.folder
    path = folder / f"{item_id}.yaml"
    taken = [
        p
        for p in folder.glob("*")
        if p.stem.lower() == item_id and p.suffix.lower() in (".yaml", ".yml")
    ]
    if path.exists() or taken:
        raise ScaffoldError(f"{(taken or [path])[0]} already exists: edit it, or choose another id")
    text = template(kind, content_dir, year or datetime.date.today().year)
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path


def template(kind: Kind, content_dir: Path, year: int) -> str:
    """The text of a new item of ``kind``, given what already exists in ``content_dir``."""
    ids = _Ids(content_dir)
    name = kind.name.replace(" ", "_")
    return _HEADER.format(name=kind.name) + getattr(_Templates, name)(ids, year)


_HEADER = (
    "# A new {name}. Replace every TODO with what the source says, uncomment the optional\n"
    "# fields you need, then run `python -m generator check`. Every field is explained in\n"
    "# the editors' guide (Field reference). Never invent a figure, date, name or quote.\n"
    "# A draft: the preview shows it, a build leaves it out. Remove the next line (and\n"
    "# every TODO) to publish it.\n"
    "draft: true\n"
)


class _Ids:
    """Existing ids, to offer as examples and to fill required references."""

    def __init__(self, content_dir: Path) -> None:
        self.root = content_dir

    def all(self, folder: str) -> list[str]:
        paths = (self.root / folder).glob("*.yaml")
        return sorted(p.stem for p in paths if check_id(p.stem) is None)

    def example(self, folder: str, fallback: str) -> str:
        found = self.all(folder)
        return found[0] if found else fallback

    def required(self, folder: str, what: str) -> str:
        found = self.all(folder)
        if not found:
            kind = KIND_BY_FOLDER[folder].name.replace(" ", "-")
            raise ScaffoldError(
                f"{what} must name an existing {kind}, and content/{folder}/ has none: "
                f"create one first with `python -m generator new {kind} ID`"
            )
        return found[0]


def _first_words(root: Path, story: str) -> str:
    """The first words of a story's first segment, as a YAML string: a quote that checks."""
    try:
        data = yaml.safe_load((root / "stories" / f"{story}.yaml").read_text(encoding="utf-8"))
        segment = data["segments"][0]
        text = segment.get("narration") or segment["soundbite"]["text"]
        words = " ".join(str(text).split()[:8])
    except Exception:  # a story the check will report: the quote is then only a placeholder
        words = ""
    return json.dumps(words or "TODO: the source's words", ensure_ascii=False)


def _choices(model: type[BaseModel], field: str) -> str:
    return ", ".join(typing.get_args(model.model_fields[field].annotation))


class _Templates:
    """One function per kind; each returns the YAML after the header."""

    @staticmethod
    def story(ids: _Ids, year: int) -> str:
        place = ids.required("places", "a story's dateline")
        person = ids.example("people", "person-id")
        return f"""title: "TODO: headline"
# TODO: the date of the report, at the precision the source gives: 2023, 2023-05 or 2023-05-17.
date: {year}
# Where it was reported from: a place id (a file in content/places/). TODO: check it.
dateline: {place}
# reporters: [{person}]          # people, by id
# editors: [{person}]
# topics: [{ids.example("topics", "topic-id")}]
summary: "TODO: one or two sentences for listings, search and link previews."
source:
  medium: TV news report
  # outlet: "the outlet, when the source names it"
  language: en                    # language of the text we hold: en, zh …
  # url: https://example.org/the-original-report
  # note: "anything a reader should know about the source"
# The script in the order it aired. Each segment is either a narration (the reporter's
# commentary, 【Commentary】) or a soundbite (someone speaking on camera, 【During the same
# period】). A segment may also list the facts, people, organizations, places and topics
# it mentions, by id.
segments:
  - id: opening                   # anchor on the page; facts cite it as STORY/opening
    narration: |
      TODO: the reporter's commentary, as Markdown.
    # facts: [{ids.example("facts", "fact-id")}]
    # organizations: [{ids.example("organizations", "organization-id")}]
    # places: [{place}]
  # - id: first-soundbite
  #   soundbite:
  #     speaker: {person}
  #     role: "title and organization, exactly as captioned at the time"
  #     organizations: [{ids.example("organizations", "organization-id")}]
  #     text: |
  #       Their words, verbatim.
"""

    @staticmethod
    def person(ids: _Ids, year: int) -> str:
        return f"""name: "TODO: name as written in the source"
# native_name: "name in the original script, e.g. Chinese characters"
# description: "one line about who they are"
# Roles over time, as the sources state them:
# roles:
#   - title: president
#     organization: {ids.example("organizations", "organization-id")}
#     # or, when the source leaves the organization unnamed:
#     # affiliation: a shoe company in Sichuan
#     as_of: {year}
#     source: {ids.example("stories", "story-id")}
"""

    @staticmethod
    def organization(ids: _Ids, year: int) -> str:
        return f"""name: "TODO: full name"
# TODO: one of {_choices(Organization, "kind")}
kind: other
# place: {ids.example("places", "place-id")}
# parent: {ids.example("organizations", "organization-id")}
# description: "what it is, in a sentence or two"
# website: https://example.org/
"""

    @staticmethod
    def place(ids: _Ids, year: int) -> str:
        return f"""name: "TODO: name"
# TODO: one of {_choices(Place, "kind")}
kind: area
# parent: {ids.example("places", "place-id")}
# description: "a sentence about it"
"""

    @staticmethod
    def topic(ids: _Ids, year: int) -> str:
        return """name: "TODO: name as shown on tags"
description: "TODO: what the topic covers"
"""

    @staticmethod
    def fact(ids: _Ids, year: int) -> str:
        story = ids.required("stories", "a fact's source story")
        return f"""statement: "TODO: the fact in one plain sentence, no more than the source says"
# The number, if the fact has one. When the source hides digits (printed as <>),
# mark it withheld and copy the figure exactly as printed; never guess the digits:
# figure:
#   value: 150                    # the digits the source shows; leave out if fully withheld
#   unit: enterprises
#   qualifier: more-than          # exact, about, more-than, less-than, at-least, at-most
#   withheld: none                # none, partly (e.g. "1700,<>") or fully (e.g. "<>.<>")
#   as_printed: "more than 150"   # required when withheld
# places: [{ids.example("places", "place-id")}]
# organizations: [{ids.example("organizations", "organization-id")}]
# topics: [{ids.example("topics", "topic-id")}]
# as_of: {year}                      # when it held, at the source's precision
# date_basis: "..."               # what as_of is inferred from, if the segment does not state it
source:
  # TODO: the story that states it, by id
  story: {story}
  # segment: segment-id           # the segment of that story
  # person: {ids.example("people", "person-id")}             # who said it
  # organization: {ids.example("organizations", "organization-id")}   # whose statistics they are
# TODO: the source's exact words that state the fact, copied from its segment (one or more
# spans; check finds each there word for word). These are the story's first words:
quote:
  - {_first_words(ids.root, story)}
"""

    @staticmethod
    def event(ids: _Ids, year: int) -> str:
        story = ids.required("stories", "an event's source")
        return f"""title: "TODO: what happened, in a few words"
# TODO: when, at the precision the source gives: 2005, 2005-06 or 2005-06-01.
date: {year}
# TODO: what the date is inferred from (the words and where they are); remove this line
# when the segments its facts cite state the date.
date_basis: "TODO: the words the date is inferred from, and where they are"
# description: |
#   A short account, as Markdown.
# places: [{ids.example("places", "place-id")}]
# organizations: [{ids.example("organizations", "organization-id")}]
# facts: [{ids.example("facts", "fact-id")}]
# TODO: the stories that report it, by id (at least one).
sources: [{story}]
"""

    @staticmethod
    def glossary_term(ids: _Ids, year: int) -> str:
        return """term: "TODO: the term as it appears in text"
definition: "TODO: what it means, in a sentence or two"
# aliases: ["other form", "abbreviation"]
"""

    @staticmethod
    def insight(ids: _Ids, year: int) -> str:
        return f"""title: "TODO: headline"
# TODO: publication date.
date: {year}
# authors: [{ids.example("people", "person-id")}]
# topics: [{ids.example("topics", "topic-id")}]
summary: "TODO: one or two sentences for listings, search and link previews."
# Cite a fact with [@fact-id], a story with [@story-id], a segment with
# [@story-id/segment-id]: each citation becomes a numbered footnote.
body: |
  TODO: the analysis, as Markdown.
"""
