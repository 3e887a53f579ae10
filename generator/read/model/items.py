"""The content model: one class per kind of item. Field docstrings are the editors' reference.

The JSON Schemas in ``schema/`` and the field reference in the editors' guide are generated
from these classes; edit the docstrings here, never the generated files.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, model_validator
from pydantic_core import PydanticCustomError

from generator.read.model.base import Model
from generator.read.model.figure import Figure
from generator.read.model.types import (
    HIDDEN_DIGITS,
    BaseUrl,
    FactRef,
    Id,
    Markdown,
    OrganizationRef,
    PartialDate,
    PersonRef,
    PlaceRef,
    StoryRef,
    Text,
    TopicRef,
    Url,
    no_items,
    one_line,
)


class Item(Model):
    """An item of content (every kind but the site settings), which may be a draft."""

    draft: bool = False
    """`true` while the item is being written (`new` and `import` write drafts). The preview
    shows a draft, marked as one; `build` leaves it out of the site, and a published item may
    not link to it; `check` lists drafts. Placeholder text (TODO) is allowed only in a draft."""


class Mentions(Model):
    """What a passage is about; each becomes a link and a backlink."""

    facts: list[FactRef] = no_items()
    """Facts (figures or claims) this passage states, by id."""
    people: list[PersonRef] = no_items()
    """People this passage names, by id."""
    organizations: list[OrganizationRef] = no_items()
    """Organizations this passage names, by id."""
    places: list[PlaceRef] = no_items()
    """Places this passage names, by id."""
    topics: list[TopicRef] = no_items()
    """Topics this passage is about, by id."""


class Soundbite(Model):
    """An interviewee speaking on camera (the script's 【During the same period】)."""

    speaker: PersonRef
    """The person speaking, by id."""
    role: Text
    """The role they spoke in, as captioned at the time (title and organization)."""
    organizations: list[OrganizationRef] = no_items()
    """The organizations of that role, by id; leave empty when the source does not name them."""
    text: Markdown
    """Their words, verbatim as the source gives them."""


class Segment(Mentions):
    """One block of a story's script, in the order it aired: a narration or a soundbite."""

    id: Id | None = None
    """Anchor of this segment on the story page (kebab-case, unique in the story); facts and
    insights cite a segment as STORY/SEGMENT. Defaults to segment-N (N counts from 1)."""
    narration: Markdown | None = None
    """The reporter's commentary (the script's 【Commentary】), as Markdown."""
    soundbite: Soundbite | None = None
    """An interviewee speaking on camera."""

    @model_validator(mode="after")
    def _one_kind(self) -> Segment:
        if (self.narration is None) == (self.soundbite is None):
            raise ValueError(
                "a segment is either a narration or a soundbite: give exactly one of them"
            )
        return self


class StorySource(Model):
    """Where a story comes from."""

    medium: Text
    """What kind of report it is, e.g. TV news report."""
    outlet: Text | None = None
    """The outlet that published it, when the source names it."""
    language: Text = "en"
    """Language of the text we hold (BCP 47, e.g. en or zh)."""
    url: Url | None = None
    """Link to the original, when there is one (http or https)."""
    note: Text | None = None
    """Anything a reader should know about the source."""


class Story(Item):
    """A news report, segment by segment as it aired."""

    title: Text
    """Headline."""
    date: PartialDate
    """Date of the report at the precision the source gives: 2023, 2023-05 or 2023-05-17."""
    dateline: PlaceRef
    """Where it was reported from, by place id."""
    reporters: list[PersonRef] = no_items()
    """Reporters, by person id."""
    editors: list[PersonRef] = no_items()
    """Responsible editors, by person id."""
    topics: list[TopicRef] = no_items()
    """Topics of the whole story, by id."""
    summary: Text
    """One or two sentences for listings, search and link previews."""
    source: StorySource
    """Where the report comes from."""
    segments: list[Segment]
    """The script in order: narrations and soundbites."""
    date_basis: Text | None = None
    """How the date was inferred, when it is not the outlet's own publication date: the words
    it rests on and where they are, e.g. "this year (2023)" in segment tan-qijian. Shown to
    readers as "inferred from …"."""


class Role(Model):
    """A position a person held, as a source states it."""

    title: Text
    """Title, e.g. president."""
    organization: OrganizationRef | None = None
    """The organization, by id."""
    affiliation: Text | None = None
    """Free text where the source leaves the organization unnamed (a shoe company in Sichuan)."""
    as_of: PartialDate | None = None
    """When the source says they held it."""
    source: StoryRef | None = None
    """The story that states it, by id."""
    date_basis: Text | None = None
    """How as_of was inferred, when the source does not state it: the words it rests on and
    where they are, e.g. "this year (2023)" in segment tan-qijian. Shown to readers as
    "inferred from …". `check` requires it when the date's text (2023, May 2023 …) is in
    none of the source story's segments where the person speaks or is named."""


class Person(Item):
    """A person who speaks, reports or is named."""

    name: Text
    """Name as written in the source's language."""
    native_name: Text | None = None
    """Name in the original script (e.g. Chinese characters), when known."""
    description: Text | None = None
    """One line about who they are."""
    roles: list[Role] = no_items()
    """Roles over time, as the sources state them."""


# Choices are checked for stray characters first, so an error never quotes a control character.
OrganizationKind = Annotated[
    Literal[
        "association",
        "federation",
        "industrial-park",
        "company",
        "government-body",
        "platform",
        "media",
        "other",
    ],
    BeforeValidator(one_line),
]
PlaceKind = Annotated[
    Literal["country", "region", "province", "city", "district", "park", "area"],
    BeforeValidator(one_line),
]


class Organization(Item):
    """An association, park, company, government body, platform …"""

    name: Text
    """Full name."""
    kind: OrganizationKind
    """What kind of organization it is."""
    place: PlaceRef | None = None
    """Where it is, by place id."""
    parent: OrganizationRef | None = None
    """The organization it belongs to, by id."""
    description: Text | None = None
    """What it is, in a sentence or two."""
    website: Url | None = None
    """Its website (http or https)."""


class Place(Item):
    """A country, region, city, district …"""

    name: Text
    """Name."""
    kind: PlaceKind
    """What kind of place it is."""
    parent: PlaceRef | None = None
    """The place it lies in, by id."""
    description: Text | None = None
    """A sentence about it."""


class Topic(Item):
    """A subject that stories, facts and people are tagged with."""

    name: Text
    """Name as shown on tags."""
    description: Text
    """What the topic covers."""


class FactSource(Model):
    """Where a fact is stated and on whose authority."""

    story: StoryRef
    """The story that states it, by id."""
    segment: Id | None = None
    """The segment of that story, by its id."""
    person: PersonRef | None = None
    """Who said it, by person id."""
    organization: OrganizationRef | None = None
    """Whose statistics or claim it is, by organization id."""


class Fact(Item):
    """One figure or claim, attributed to its source."""

    statement: Text
    """The fact as one plain sentence, no more than the source supports."""
    figure: Figure | None = None
    """The number, if the fact has one."""
    places: list[PlaceRef] = no_items()
    """Places it is about, by id."""
    organizations: list[OrganizationRef] = no_items()
    """Organizations it is about, by id."""
    topics: list[TopicRef] = no_items()
    """Topics, by id."""
    as_of: PartialDate | None = None
    """When it held, at the precision the source gives."""
    source: FactSource
    """Where it is stated."""
    quote: list[Text]
    """The source's exact words that state it, as one or more spans copied from its segment."""
    date_basis: Text | None = None
    """How as_of was inferred, when the cited segment does not state it: the words it rests
    on and where they are, e.g. "this year (2023)" in segment tan-qijian. Shown to readers as
    "inferred from …". `check` requires it when the date's text (2023, May 2023 …) is not in
    the cited segment."""

    @model_validator(mode="after")
    def _has_quote(self) -> Fact:
        if not self.quote:
            raise ValueError(
                "a fact needs a quote: the source's exact words that state it (one or more spans)"
            )
        return self

    @model_validator(mode="after")
    def _hidden_digits_are_withheld(self) -> Fact:
        figure = self.figure
        if figure is None or figure.withheld != "none":
            return self
        shown = (("the figure's as_printed", figure.as_printed), ("the statement", self.statement))
        for what, text in shown:
            if text and HIDDEN_DIGITS.search(text):
                # validate.py locates this at figure.withheld (or the figure) by its type
                raise PydanticCustomError(
                    "hidden_digits",
                    "{what} shows hidden digits ('<>') but the figure's withheld is 'none': "
                    "the site would print the digits shown as the whole number",
                    {"what": what},
                )
        return self


class Event(Item):
    """A dated happening, for the timeline."""

    title: Text
    """What happened, in a few words."""
    date: PartialDate
    """When, at the precision the source gives."""
    description: Markdown | None = None
    """A short account, as Markdown."""
    places: list[PlaceRef] = no_items()
    """Places, by id."""
    organizations: list[OrganizationRef] = no_items()
    """Organizations involved, by id."""
    topics: list[TopicRef] = no_items()
    """Topics, by id."""
    facts: list[FactRef] = no_items()
    """Facts that record it, by id."""
    sources: list[StoryRef]
    """Stories that report it, by id (at least one)."""
    date_basis: Text | None = None
    """How the date was inferred, when its sources do not state it: the words it rests on and
    where they are, e.g. "this year (2023)" in segment tan-qijian. Shown to readers as
    "inferred from …". `check` requires it when the date's text (2023, May 2023 …) is in
    none of the segments its facts cite (of its source stories, when it lists no facts)."""

    @model_validator(mode="after")
    def _has_source(self) -> Event:
        if not self.sources:
            raise ValueError("an event needs at least one source story")
        return self


class GlossaryTerm(Item):
    """A term explained to readers, shown as a tooltip where it appears."""

    term: Text
    """The term as it appears in text."""
    definition: Text
    """What it means, in a sentence or two."""
    aliases: list[Text] = no_items()
    """Other forms of the term to recognise in text (plural, abbreviation …)."""


class Insight(Item):
    """An analysis piece by the editors: what sources say, cited; their own reading, as analysis."""

    title: Text
    """Headline."""
    date: PartialDate
    """Publication date."""
    authors: list[PersonRef] = no_items()
    """Authors, by person id."""
    topics: list[TopicRef] = no_items()
    """Topics, by id."""
    summary: Text
    """One or two sentences for listings, search and link previews."""
    body: Markdown
    """The analysis, as Markdown. Cite with [@fact-id], [@story-id] or [@story-id/segment-id];
    a sentence that cites must say only what the cited words say. The editors' own reading
    goes in an analysis block (a line `!!! analysis`, then its paragraphs indented by four
    spaces), shown to readers under the label "Analysis"; it cites nothing."""


class Site(Model):
    """content/site.yaml: settings of the whole site."""

    title: Text
    """The site's name."""
    description: Text
    """One sentence for search engines and link previews."""
    language: Text = "en"
    """Language of the site (BCP 47)."""
    base_url: BaseUrl
    """Address where the site is published, e.g. https://example.org/ (sitemap, feeds, links)."""
    introduction: Markdown
    """The home page's opening, as Markdown."""
    key_figures: list[FactRef] = no_items()
    """Facts shown as cards on the home page, by id."""
