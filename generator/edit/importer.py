"""`python -m generator import SCRIPT`: a news script into a draft story and what it names.

The story keeps the script's segments in order, their words exactly as printed; speakers,
reporters, editors and the dateline are matched against the content folder (a match reuses
the id) or drafted as new items with what the script says of them; every figure becomes a
draft fact, and a year the script says something happened in, a draft fact and a candidate
event. Everything written is a draft, so `check` passes and the preview shows it at once,
and no build publishes it until an editor has read it. What the importer cannot decide (a
name two items share, a role that may name an organization, a headline) it writes as a TODO
and lists with its file and line; it never guesses silently, and never overwrites a file.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from generator.edit.drafts import Draft, Import, ScriptError, as_markdown, literal, quoted
from generator.edit.figures import Found, figures_in
from generator.edit.names import (
    Directory,
    key_words,
    organization_kind,
    read_role,
    safe_id,
    slug,
)
from generator.edit.script import Block, Script, decode, read_script
from generator.link.quotes import MIN_QUOTE_WORDS, occurs, quote_words
from generator.read.model.types import check_id

UNKNOWN_SPEAKER = "TODO: who speaks"
"""The name of the person drafted for a soundbite the script gives no caption for."""

SINGULAR = {"people": "person", "organizations": "organization", "places": "place"}


class _Importer:
    def __init__(self, script: Script, content: Path, story_id: str, year: int) -> None:
        self.script = script
        self.content = content
        self.names = Directory.of(content)
        self.story_id = story_id
        self.year = year
        self.drafts: dict[str, Draft] = {}
        self.matched: dict[str, None] = {}

    # -- people, organizations, places ----------------------------------------------------

    def person(self, name: str, roles: list[str], note: str) -> tuple[str, str]:
        """The id of the person called ``name`` (a match, or a new draft); a decision if any."""
        return self._item(
            "people", name, lambda item_id: self._draft_person(item_id, name, roles, note)
        )

    def organization(self, name: str) -> tuple[str, str]:
        return self._item(
            "organizations", name, lambda item_id: self._draft_organization(item_id, name)
        )

    def place(self, name: str) -> tuple[str, str]:
        return self._item("places", name, lambda item_id: self._draft_place(item_id, name))

    def _item(self, folder: str, name: str, draft: object) -> tuple[str, str]:
        found = self.names.find(folder, name)
        if len(found) == 1:
            if f"{folder}/{found[0]}" not in self.drafts:
                self.matched[f"{folder}/{found[0]} ({name})"] = None
            return found[0], ""
        if len(found) > 1:
            others = ", ".join(found[1:])
            return found[
                0
            ], f"'{name}' is also {others} in content/{folder}/: keep {found[0]} or choose"
        item_id = self.names.new_id(folder, name, f"new-{SINGULAR[folder]}")
        made: Draft = draft(item_id)  # type: ignore[operator]
        if not slug(name):
            made.decisions.append(
                (1, f"an id for {name}: rename the file to the name in Latin letters")
            )
        self.drafts[f"{folder}/{item_id}"] = made
        return item_id, ""

    def _draft_person(self, item_id: str, name: str, roles: list[str], note: str) -> Draft:
        draft = self._named("people", item_id, note, name)
        if not name.isascii():
            draft.add(f"native_name: {quoted(name)}", "the name in Latin letters, for `name`")
        draft.add(f"description: {quoted('TODO: one line about who they are')}")
        if roles:
            draft.add("roles:")
            for caption in roles:
                for role in read_role(caption):
                    draft.add(f"  - title: {quoted(role.title)}")
                    if role.organization:
                        org_id, decide = self.organization(role.organization)
                        draft.add(f"    organization: {org_id}", decide)
                    elif role.affiliation:
                        draft.add(f"    affiliation: {quoted(role.affiliation)}")
                    elif role.unsure:
                        draft.add(
                            f"    affiliation: {quoted(role.unsure)}  # TODO: an organization?",
                            f"does '{role.unsure}' name an organization? If so, give its id "
                            "as organization instead of affiliation",
                        )
                    draft.add("    # as_of: the year the role held, when the story says it")
                    draft.add(f"    source: {self.story_id}")
        return draft

    def _named(self, folder: str, item_id: str, why: str, name: str) -> Draft:
        """A new draft file for a named item, opening with where the import found it."""
        draft = Draft(folder, item_id)
        draft.add(f"# Drafted by import from story {self.story_id}: {why}.")
        draft.add("draft: true")
        draft.add(f"name: {quoted(name)}")
        return draft

    def _draft_organization(self, item_id: str, name: str) -> Draft:
        draft = self._named("organizations", item_id, "where a caption names it", name)
        kind = organization_kind(name)
        draft.add(f"kind: {kind}  # TODO: check it (read from how the name ends)")
        draft.add(f"description: {quoted('TODO: what it is, in a sentence or two')}")
        return draft

    def _draft_place(self, item_id: str, name: str) -> Draft:
        draft = self._named("places", item_id, "its dateline", name)
        draft.add(
            "kind: area  # TODO: country, region, province, city, district, park or area",
            f"the kind of place {name} is",
        )
        return draft

    # -- the story ------------------------------------------------------------------------

    def story(self) -> Draft:
        script = self.script
        story = Draft("stories", self.story_id)
        story.add("# Imported from a news script: every segment's words are the script's own.")
        story.add("# Read it against the script, fill in each placeholder, then remove")
        story.add("# `draft: true` (here and in every file the import drafted) to publish it.")
        story.add("draft: true")
        story.add(f"title: {quoted('TODO: headline')}", "the headline: a script has none")
        story.add(
            f"date: {self.year}  # TODO: the date of the report, 2023, 2023-05 or 2023-05-17",
            "the report's date: the script does not give it"
            + (f"; {self.year} is the latest year it prints" if self.year_printed else ""),
        )
        if self.year_printed:
            story.add(
                f"date_basis: {quoted(f'TODO: the words {self.year} rests on, and where they are')}"
            )
        place_name = script.place.split(",")[0].strip() if script.place else ""
        if place_name:
            place_id, decide = self.place(place_name)
            story.add(f"dateline: {place_id}", decide)
        else:
            places = sorted(p.stem for p in (self.content / "places").glob("*.yaml"))
            # a place that exists, or a drafted one: a draft must still name a valid place
            first = places[0] if places else self.place("TODO: where it was reported from")[0]
            story.add(
                f"dateline: {first}  # TODO: where it was reported from",
                "the dateline: the script names no place of reporting",
            )
        for field_name, names, note in (
            ("reporters", script.reporters, "a reporter"),
            ("editors", script.editors, "a responsible editor"),
        ):
            found = [self.person(n, [], f"{note} of the story") for n in names]
            if found:
                decide = "; ".join(d for _, d in found if d)
                story.add(f"{field_name}: [{', '.join(i for i, _ in found)}]", decide)
        story.add(f"summary: {quoted('TODO: one or two sentences for listings and search')}")
        story.add("source:")
        story.add("  medium: news report script")
        story.add(f"  language: {script.language}")
        story.add("segments:")
        anchors: set[str] = set()
        for block in script.blocks:
            self._segment(story, block, anchors)
        return story

    @property
    def year_printed(self) -> bool:
        return any(str(self.year) in _years(b.text) for b in self.script.blocks)

    def _segment(self, story: Draft, block: Block, anchors: set[str]) -> None:
        speaker_id, who = "", ""
        reporter = self.script.reporters[0] if self.script.reporters else ""
        unknown = not block.speaker and (block.kind == "soundbite" or not reporter)
        if block.kind != "narration":
            if unknown:  # who speaks the script does not say: a placeholder, for the editor
                speaker_id, _ = self.person(UNKNOWN_SPEAKER, [], "a speaker with no caption")
                who = "who speaks: the script gives no caption; choose the person"
            else:
                name = block.speaker or reporter
                roles = [block.role] if block.speaker else []
                speaker_id, who = self.person(name, roles, "a speaker in it")
        anchor = self._anchor(block, speaker_id, anchors)
        story.add(f"  - id: {anchor}")
        short = []
        for found in figures_in(block.text):  # each cites this segment, which then shows it
            quotable = quote_words(found.sentence) >= MIN_QUOTE_WORDS
            if not quotable or not occurs(found.as_printed, " ".join(found.sentence.split())):
                short.append(found.as_printed)
            else:
                self._fact(found, anchor, speaker_id)
        if short:
            story.decisions.append(
                (
                    len(story.lines),
                    f"no draft fact for {', '.join(short)}: its sentence cannot quote it (too "
                    "short, or the figure runs into the words around it)",
                )
            )
        if block.kind == "narration":
            decide = (
                "a paragraph with no marker: read as narration; if the speaker above is "
                "still speaking, move it into their soundbite"
                if block.untagged
                else ""
            )
            story.add("    narration: |", decide)
            story.lines.extend(literal(as_markdown(block.text), "      "))
        else:
            role = block.role or (
                "reporter" if block.kind == "stand-up" and not unknown else "TODO: as captioned"
            )
            organizations = [
                self.organization(r.organization)[0]
                for r in read_role(role)
                if r.organization and len(self.names.find("organizations", r.organization)) == 1
            ]
            story.add("    soundbite:")
            story.add(f"      speaker: {speaker_id}", who)
            story.add(f"      role: {quoted(role)}")
            story.add(f"      organizations: [{', '.join(organizations)}]")
            story.add("      text: |")
            story.lines.extend(literal(as_markdown(block.text), "        "))
        for folder in ("people", "organizations", "places"):
            ids = self.names.mentioned(folder, block.text)
            if ids:
                story.add(f"    {folder}: [{', '.join(ids)}]")

    def _anchor(self, block: Block, speaker_id: str, anchors: set[str]) -> str:
        words = key_words(block.text, 4)
        if block.kind == "stand-up":
            base = "stand-up"
        else:
            base = speaker_id or safe_id("-".join(words) or "segment", "segment")
        anchor, number = base, 2
        while anchor in anchors or check_id(anchor) is not None:
            anchor, number = f"{base}-{number}", number + 1
        anchors.add(anchor)
        return anchor

    # -- facts and events -----------------------------------------------------------------

    def _fact(self, found: Found, segment: str, speaker: str) -> str:
        words = key_words(found.sentence, 5)
        name = slug(found.as_printed) if found.year is None else ""
        name = name if len(name) > 8 and re.search("[a-z]{3}", name) else "-".join(words)
        fact_id = self.names.new_id("facts", name, f"{self.story_id}-fact")
        fact = Draft("facts", fact_id)
        fact.add(f"# Drafted by import from story {self.story_id}, segment {segment}.")
        fact.add("draft: true")
        fact.add("# The statement and the quote are the sentence as printed: the statement may say")
        fact.add("# it more plainly, never more than the source says.")
        fact.add(f"statement: {quoted(found.sentence)}")
        if found.year is None:
            fact.add("figure:")
            if found.value is not None:
                fact.add(f"  value: {found.value}")
            fact.add(f"  unit: {quoted(found.unit)}  # TODO: what it counts")
            if found.qualifier != "exact":
                fact.add(f"  qualifier: {found.qualifier}")
            if found.withheld != "none":
                fact.add(f"  withheld: {found.withheld}")
            fact.add(f"  as_printed: {quoted(found.as_printed)}")
        else:
            fact.add(f"as_of: {found.year}")
        fact.add("source:")
        fact.add(f"  story: {self.story_id}")
        fact.add(f"  segment: {segment}")
        if speaker:
            fact.add(f"  person: {speaker}")
        fact.add("quote:")
        fact.add(f"  - {quoted(as_markdown(found.sentence))}")  # as its segment writes it
        self.drafts[f"facts/{fact_id}"] = fact
        if found.year is not None:
            self._event(found, fact_id)
        return fact_id

    def _event(self, found: Found, fact_id: str) -> None:
        event_id = self.names.new_id("events", f"{fact_id}-{found.year}", "event")
        event = Draft("events", event_id)
        event.add(f"# A candidate event: the script says something happened in {found.year}.")
        event.add("# Keep it for the timeline, or delete this file.")
        event.add("draft: true")
        event.add(
            f"title: {quoted('TODO: what happened, in a few words')}",
            "a candidate event: keep it or delete the file",
        )
        event.add(f"date: {found.year}")
        event.add("description: |")
        event.lines.extend(literal(found.sentence, "  "))
        event.add(f"facts: [{fact_id}]")
        event.add(f"sources: [{self.story_id}]")
        self.drafts[f"events/{event_id}"] = event


def import_script(
    raw: bytes, content: Path, story_id: str | None = None, *, name_hint: str = ""
) -> Import:
    """What importing a script (its bytes) into ``content`` writes; nothing is written here."""
    script = read_script(decode(raw))
    if not script.blocks:
        raise ScriptError(
            "no segment found: a script's blocks start with a marker such as 【Commentary】"
        )
    if story_id is None:
        story_id = (
            slug(name_hint)
            if check_id(slug(name_hint)) is None and not name_hint[:1].isdigit()
            else ""
        )
        if not story_id:
            words = key_words(script.blocks[0].text, 5)
            story_id = "-".join(words) or "imported-story"
    problem = check_id(story_id)
    if problem:
        raise ScriptError(f"'{story_id}' is not a valid story id: {problem}")
    years = [f.year for b in script.blocks for f in figures_in(b.text) if f.year]
    years += [int(y) for b in script.blocks for y in _years(b.text)]
    year = max(years) if years else datetime.date.today().year
    importer = _Importer(script, content, story_id, year)
    if f"stories/{story_id}" in importer.names.taken:
        raise ScriptError(
            f"content/stories/{story_id}.yaml already exists: choose another id with --id"
        )
    importer.names.taken.add(f"stories/{story_id}")
    story = importer.story()
    for line, problem in script.problems:
        story.decisions.append((1, f"script line {line}: {problem}"))
    return Import(story, list(importer.drafts.values()), list(importer.matched))


def _years(text: str) -> list[str]:
    """The years a text prints: four digits from 1900 to 2099, not part of a longer number."""
    return re.findall(r"(?<![\d,.])(?:19|20)\d\d(?!\d|[,.]\d)", text)
