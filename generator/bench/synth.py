"""Synth: a deterministic synthetic newsroom, for benchmarks and scale tests.

Writes a content folder that passes ``check``: N stories shaped like the seed report
(narration and soundbites in turn, each citing facts and naming organizations, places and
topics), with people, organizations, places, topics, facts and events in the proportions a
newsroom has. Every name, figure and date is made up from a seeded generator and the site
says so on its home page; nothing here is about the real Chengdu industry.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from generator.bench.synth_style import ORG_KINDS, SYLLABLES, TITLES, UNITS, WORDS, BlockDumper

STORIES_PER_PERSON = 5
STORIES_PER_ORGANIZATION = 20
STORIES_PER_PLACE = 25
STORIES_PER_EVENT = 50
FACTS_PER_STORY = 3
TOPICS = 40
GLOSSARY = 20


@dataclass(frozen=True)
class Plan:
    """How many items of each kind a synthetic newsroom of ``stories`` stories has."""

    stories: int

    @property
    def people(self) -> int:
        return max(8, self.stories // STORIES_PER_PERSON)

    @property
    def organizations(self) -> int:
        return max(4, self.stories // STORIES_PER_ORGANIZATION)

    @property
    def places(self) -> int:
        return max(6, self.stories // STORIES_PER_PLACE)

    @property
    def events(self) -> int:
        return max(1, self.stories // STORIES_PER_EVENT)

    @property
    def facts(self) -> int:
        return self.stories * FACTS_PER_STORY

    def counts(self) -> dict[str, int]:
        return {
            "stories": self.stories,
            "people": self.people,
            "organizations": self.organizations,
            "places": self.places,
            "topics": TOPICS,
            "facts": self.facts,
            "events": self.events,
            "glossary": GLOSSARY,
        }


def synthesize(stories: int, out_dir: Path, seed: int = 1) -> dict[str, int]:
    """Write a synthetic content folder of ``stories`` stories to ``out_dir``.

    The same (stories, seed) always gives byte-identical files. Returns the item counts.
    Refuses a folder that already holds files other than a previous synthetic newsroom,
    so it cannot overwrite real content; in a previous one, rewrites only the files whose
    bytes differ and deletes the ones this size does not have.
    """
    if stories < 1:
        raise ValueError("a synthetic newsroom needs at least one story")
    _check_target(out_dir)
    files = _Newsroom(Plan(stories), random.Random(seed)).files()
    for stale in sorted(out_dir.rglob("*.yaml")) if out_dir.exists() else []:
        if stale.relative_to(out_dir).as_posix() not in files:
            stale.unlink()
    for relative, data in files.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    (out_dir / ".synthetic").write_text(f"stories={stories} seed={seed}\n", encoding="utf-8")
    return Plan(stories).counts()


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / ".synthetic").exists():
        raise ValueError(
            f"{out_dir} is not empty and was not written by synth: choose an empty folder"
        )


class _Newsroom:
    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.out: dict[str, bytes] = {}
        self.topics = [f"topic-{n:02d}-{w}" for n, w in enumerate(self._pick(WORDS, TOPICS), 1)]
        self.places = [f"place-{n:04d}" for n in range(1, plan.places + 1)]
        self.organizations = [f"org-{n:04d}" for n in range(1, plan.organizations + 1)]
        self.people = [f"person-{n:05d}" for n in range(1, plan.people + 1)]
        self.employer = {
            p: self.organizations[n % len(self.organizations)] for n, p in enumerate(self.people)
        }
        self.org_names: dict[str, str] = {}
        self.stories = [f"story-{n:05d}" for n in range(1, plan.stories + 1)]

    def files(self) -> dict[str, bytes]:
        self._site()
        self._topics()
        self._places()
        self._organizations()
        self._people()
        for number, story_id in enumerate(self.stories):
            self._story(number, story_id)
        self._events()
        self._glossary()
        return self.out

    # -- helpers ---------------------------------------------------------------------------

    def _pick(self, population: Any, count: int) -> list[Any]:
        return [population[i % len(population)] for i in range(count)]

    def _write(self, folder: str, item_id: str, data: dict[str, Any]) -> None:
        text = yaml.dump(data, Dumper=BlockDumper, sort_keys=False, allow_unicode=True, width=100)
        path = f"{folder}/{item_id}.yaml" if folder else f"{item_id}.yaml"
        self.out[path] = text.encode("utf-8")

    def _sentence(self, low: int = 10, high: int = 22) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def _paragraph(self, sentences: int) -> str:
        return " ".join(self._sentence() for _ in range(sentences)) + "\n"

    def _name(self) -> str:
        family = self.rng.choice(SYLLABLES).capitalize()
        given = (self.rng.choice(SYLLABLES) + self.rng.choice(SYLLABLES)).capitalize()
        return f"{family} {given}"

    def _some(self, population: list[str], low: int, high: int) -> list[str]:
        return sorted(
            self.rng.sample(population, min(len(population), self.rng.randint(low, high)))
        )

    def _date(self, number: int) -> str | int:
        # Stories spread over ten years in order, at the precision a source might give.
        day = number * 3650 // max(1, self.plan.stories)
        year, rest = 2015 + day // 365, day % 365
        month, dom = 1 + rest // 31 % 12, 1 + rest % 28
        precision = self.rng.random()
        if precision < 0.05:
            return year
        if precision < 0.15:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{dom:02d}"

    # -- items -----------------------------------------------------------------------------

    def _site(self) -> None:
        self._write(
            "",
            "site",
            {
                "title": "Synthetic Newsroom",
                "description": f"A newsroom of {self.plan.stories} made-up stories, for tests.",
                "language": "en",
                "base_url": "https://synthetic.example/",
                "introduction": "Every story, person, figure and date on this site is "
                "**synthetic**: made up by `python -m generator synth` to measure the generator.\n",
                "key_figures": ["story-00001-fact-1"],
            },
        )

    def _topics(self) -> None:
        for topic in self.topics:
            word = topic.rsplit("-", 1)[-1]
            self._write(
                "topics",
                topic,
                {"name": f"{word.capitalize()} ({topic[6:8]})", "description": self._sentence()},
            )

    def _places(self) -> None:
        for number, place in enumerate(self.places):
            data: dict[str, Any] = {
                "name": f"{self._name().split()[1]} {'City' if number < 3 else 'District'}",
                "kind": "city" if number < 3 else "district",
            }
            if number >= 3:
                data["parent"] = self.places[number % 3]
            data["description"] = self._sentence()
            self._write("places", place, data)

    def _organizations(self) -> None:
        for number, org in enumerate(self.organizations):
            name = (
                f"{self._name().split()[1]} {self.rng.choice(WORDS).capitalize()} "
                f"{'Association' if number % 8 == 0 else 'Co., Ltd'}"
            )
            self.org_names[org] = name
            data: dict[str, Any] = {
                "name": name,
                "kind": ORG_KINDS[number % len(ORG_KINDS)],
                "place": self.rng.choice(self.places),
            }
            if number >= 8 and number % 5 == 0:
                data["parent"] = self.organizations[number % 8]
            data["description"] = self._sentence()
            self._write("organizations", org, data)

    def _people(self) -> None:
        for number, person in enumerate(self.people):
            roles = [
                {
                    "title": self.rng.choice(TITLES),
                    "organization": self.organizations[number % len(self.organizations)],
                    "as_of": 2015 + number % 10,
                    "date_basis": "Synthetic: the year of the benchmark's invented report.",
                }
            ]
            self._write(
                "people",
                person,
                {"name": self._name(), "description": self._sentence(6, 10), "roles": roles},
            )

    def _story(self, number: int, story_id: str) -> None:
        segments: list[dict[str, Any]] = []
        count = self.rng.randint(6, 10)
        speakers = self._some(self.people, 2, 4)
        fact_ids = [f"{story_id}-fact-{n}" for n in range(1, FACTS_PER_STORY + 1)]
        fact_segments: dict[str, str] = {}
        fact_quotes: dict[str, str] = {}
        figures = {fact: self._figure() for fact in fact_ids}
        for index in range(count):
            segment: dict[str, Any] = {}
            if index % 2 == 0:
                segment["narration"] = self._paragraph(self.rng.randint(3, 5))
                if index // 2 < len(fact_ids):
                    fact = fact_ids[index // 2]
                    segment["facts"] = [fact]
                    fact_segments[fact] = f"segment-{index + 1}"
                    # The narration's first sentence prints the figure, and the fact quotes
                    # it: words the segment states, the figure among them.
                    lead = f"{self._sentence()[:-1]}, {_printed(figures[fact])}."
                    segment["narration"] = f"{lead} {segment['narration']}"
                    fact_quotes[fact] = lead
                segment["organizations"] = self._some(self.organizations, 0, 2)
                segment["places"] = self._some(self.places, 0, 2)
                segment["topics"] = self._some(self.topics, 1, 2)
            else:
                speaker = speakers[(index // 2) % len(speakers)]
                org = self.employer[speaker]
                segment["soundbite"] = {
                    "speaker": speaker,
                    "role": f"{self.rng.choice(TITLES)} of {self.org_names[org]}",
                    "organizations": [org],
                    "text": self._paragraph(self.rng.randint(2, 4)),
                }
                segment["topics"] = self._some(self.topics, 0, 1)
            segments.append({k: v for k, v in segment.items() if v != []})
        dateline = self.places[number % len(self.places)]
        self._write(
            "stories",
            story_id,
            {
                "title": self._sentence(5, 9).rstrip("."),
                "date": self._date(number),
                "dateline": dateline,
                "reporters": [self.people[number % len(self.people)]],
                "editors": [self.people[(number * 7 + 1) % len(self.people)]],
                "topics": self._some(self.topics, 1, 4),
                "summary": self._sentence(16, 28),
                "source": {
                    "medium": "TV news report",
                    "language": "en",
                    "note": "Synthetic: generated for benchmarks.",
                },
                "segments": segments,
            },
        )
        first = segments[0].get("narration") or segments[0]["soundbite"]["text"]
        for fact_id in fact_ids:
            quote = fact_quotes.get(fact_id)
            figure: dict[str, Any] | None = figures[fact_id]
            if quote is None:  # no segment of its own: the story's first words, no figure
                quote, figure = first.split(". ")[0], None
            self._fact(fact_id, story_id, fact_segments.get(fact_id), dateline, quote, figure)

    def _figure(self) -> dict[str, Any]:
        unit = self.rng.choice(UNITS)
        withheld = self.rng.random() < 0.1
        figure: dict[str, Any] = {"unit": unit}
        if withheld:
            figure.update(withheld="fully", as_printed=f"<>.<> {unit}")
        else:
            figure.update(
                value=self.rng.randint(2, 5000),
                qualifier=self.rng.choice(("exact", "about", "more-than")),
            )
        return figure

    def _fact(
        self,
        fact_id: str,
        story_id: str,
        segment: str | None,
        place: str,
        quote: str,
        figure: dict[str, Any] | None,
    ) -> None:
        source: dict[str, Any] = {"story": story_id}
        if segment:
            source["segment"] = segment
        self._write(
            "facts",
            fact_id,
            {
                "statement": self._sentence(8, 16),
                **({"figure": figure} if figure else {}),
                "places": [place],
                "organizations": self._some(self.organizations, 0, 1),
                "topics": self._some(self.topics, 1, 2),
                "source": source,
                "quote": [quote],
            },
        )

    def _events(self) -> None:
        for number in range(self.plan.events):
            story = self.stories[number * STORIES_PER_EVENT % len(self.stories)]
            self._write(
                "events",
                f"event-{number + 1:04d}",
                {
                    "title": self._sentence(4, 7).rstrip("."),
                    "date": 2015 + number % 10,
                    "date_basis": "Synthetic: the year of the benchmark's invented report.",
                    "description": self._paragraph(1),
                    "places": self._some(self.places, 1, 1),
                    "facts": [f"{story}-fact-1"],
                    "sources": [story],
                },
            )

    def _glossary(self) -> None:
        for number, word in enumerate(self._pick(WORDS[::3], GLOSSARY)):
            self._write(
                "glossary",
                f"term-{number + 1:02d}-{word}",
                {
                    "term": f"{word} {SYLLABLES[number % len(SYLLABLES)]}",
                    "definition": self._sentence(),
                },
            )


def _printed(figure: dict[str, Any]) -> str:
    """A synthetic figure as its narration prints it."""
    if "as_printed" in figure:
        return str(figure["as_printed"])
    words = {"exact": "", "about": "about ", "more-than": "more than "}[figure["qualifier"]]
    return f"{words}{figure['value']:,} {figure['unit']}"


@click.command()
@click.option(
    "--stories", type=click.IntRange(min=1), required=True, help="How many stories to make."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the synthetic content to (empty, or an earlier synth folder).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same files.")
def main(stories: int, out_dir: Path, seed: int) -> None:
    """Write a synthetic newsroom of N made-up stories that passes check, for benchmarks.

    Run: python -m generator.bench.synth --stories N --out DIR
    """
    try:
        counts = synthesize(stories, out_dir, seed=seed)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    click.echo(f"wrote {summary} to {out_dir}", err=True)


if __name__ == "__main__":
    main()
