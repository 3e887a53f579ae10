"""Render: the resolved index → Markdown pages and data files, in memory.

Each page gets a view: plain objects with every link already made relative to that page,
so templates only lay things out and never look anything up.
"""

from __future__ import annotations

import calendar
import csv
import functools
import io
import json
import posixpath
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import Any

import jinja2

from generator.link import citations
from generator.link.graph import SHARED_PAGES, Backlink, Index, Node, Reads, backlinks_by, page_of
from generator.pages import feeds, metadata, tooltips
from generator.pages import field_reference as reference
from generator.pages.related import related
from generator.read import markup
from generator.read.model import KIND_BY_FOLDER
from generator.read.model.items import Fact, Insight, Site, Story

TEMPLATES = Path(__file__).parent / "templates"
# Pages whose text gets the glossary's terms as tooltips (see generator/tooltips.py).
TOOLTIP_TEMPLATES = frozenset({"home.md.j2", "story.md.j2", "insight.md.j2"})


@dataclass(frozen=True)
class Link:
    title: str
    href: str
    note: str = ""


@dataclass
class Output:
    """Rendered files by path relative to the site root, and the navigation."""

    site: Site
    files: dict[str, bytes] = field(default_factory=dict)
    nav: list[Any] = field(default_factory=list)
    made: list[str] | None = None
    """While a job runs (see Rendering), the paths it adds."""

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise ValueError(f"two pages would be written to {path}")
        if path.startswith("/") or ".." in path and ".." in path.split("/"):
            raise ValueError(f"refusing to write outside the site: {path}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content
        if self.made is not None:
            self.made.append(path)


class _Environment(jinja2.Environment):
    """Jinja's environment, with a quicker ``view.key`` for the views' dicts.

    Jinja looks an attribute up before a key, so each ``s.anchor`` on a dict went through a
    raised and caught AttributeError: about a tenth of a whole render. A view's keys never
    shadow a dict method a template uses, and a missing key still falls back to Jinja. Any
    other object's attribute is read directly, as Jinja would first.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        else:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)  # a dict's method, an item, or undefined


class _Context(jinja2.runtime.Context):
    """Jinja's template context, calling the page's own helpers (link, links, href) directly.

    Jinja inspects every callable on every call for arguments it should pass in (context,
    environment); the page's helpers take none, and are called about a million times in a
    render of 10 000 stories.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if getattr(__obj, "__self__", None).__class__ is _PageContext:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


_Environment.context_class = _Context


@functools.cache  # one for the process: templates are read once, and a live preview's
def environment() -> jinja2.Environment:  # rebuilds leave no environment behind to collect
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates do not change during a render; skips a stat per page
    )
    env.filters.update(
        text=markup.text,
        md=markup.markdown,
        attr=markup.attr,
        json=markup.json_value,
        number=markup.number,
        url=markup.url,
        time=markup.time_tag,
        figure=markup.figure,
        inferred=markup.inferred,
        inferred_short=markup.inferred_short,
        source_words=markup.source_words,
    )
    return env


def _render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Template.render, less its copy of Jinja's globals into every page's context (through a
    ChainMap, in pure Python): the templates use none of them."""
    try:
        return "".join(template.root_render_func(template.new_context(context, shared=True)))
    except Exception:
        template.environment.handle_exception()  # re-raised, pointing at the template's line
        raise


def render(index: Index) -> Output:
    """Every page and data file of the site."""
    return Rendering(index).output


Job = tuple[Callable[[], None], tuple[str, ...]]
"""Renders one page (or a few files made together), and what it reads beyond what it notes."""


class Rendering:
    """A render of an index, job by job; with ``track``, what each job read and wrote.

    A job notes every item it reads (generator.link.resolve.Reads), so after an edit only the
    jobs that read an affected item need to run again (see :meth:`update`).
    """

    def __init__(
        self,
        index: Index,
        *,
        track: bool = False,
        only: set[str] | None = None,
        previous: Rendering | None = None,
        renderer: _Renderer | None = None,
    ) -> None:
        self.index = index
        self.track = track
        self._renderer = renderer or _Renderer(index)
        self.output = self._renderer.out
        self.reads: dict[str, frozenset[str]] = {}
        self.made: dict[str, list[str]] = {}
        jobs = self._renderer.jobs()
        if previous is not None:  # start from its files, less those of pages that are gone
            self.reads, self.made = dict(previous.reads), dict(previous.made)
            self.output.files = dict(previous.output.files)
            for gone in set(self.made) - set(jobs):
                for path in self.made.pop(gone):
                    self.output.files.pop(path, None)
                self.reads.pop(gone, None)
            if only is not None:  # a page that is new is rendered whatever it reads
                only = only | {name for name in jobs if name not in previous.reads}
        self.rerun = 0
        """How many jobs ran."""
        for name, (job, extra) in jobs.items():
            if only is None or name in only:
                self._run(name, job, extra)
                self.rerun += 1
        self.output.nav = self._renderer.nav()

    def _run(self, name: str, job: Callable[[], None], extra: tuple[str, ...]) -> None:
        out = self.output
        for path in self.made.get(name, []):
            out.files.pop(path, None)
        out.made = []
        if not self.track:
            job()
        else:
            reads: set[str] = set(extra)
            with Reads.into(reads):
                job()
            self.reads[name] = frozenset(reads)
        self.made[name], out.made = out.made, None

    def update(self, index: Index, touched: set[str], related: bool) -> Rendering:
        """A rendering of ``index`` that reruns only the jobs that read a touched key.

        ``touched`` holds ``folder/id`` of every item that changed, appeared or went, and of
        every item whose backlinks may have changed, and ``folder/*`` of their kinds.
        ``related`` says that stories' keys, dates or ids changed, so the related stories are
        worked out again and the stories whose list changed are rendered again too.
        """
        old = self._renderer.related_ids
        fresh = _Renderer(index, None if related or old is None else old)
        stale = {name for name, reads in self.reads.items() if not touched.isdisjoint(reads)}
        if related:
            now = fresh.related_map()
            stale.update(n.page for n in fresh.stories if now[n.id] != (old or {}).get(n.id))
        return Rendering(index, track=True, only=stale, previous=self, renderer=fresh)


class _Renderer:
    def __init__(self, index: Index, related_ids: dict[str, list[str]] | None = None) -> None:
        """``related_ids``: each story's related stories from an earlier run, if still valid."""
        self.index = index
        self.env = environment()
        site_record = index.content.site
        assert site_record is not None
        self.site: Site = site_record.item
        self.out = Output(self.site)
        self.stories = sorted(
            index.all("stories"), key=lambda n: (n.item.date.sort_key(), n.id), reverse=True
        )
        self.insights = sorted(
            index.all("insights"), key=lambda n: (n.item.date.sort_key(), n.id), reverse=True
        )
        self.abbreviations = tooltips.abbreviations([n.item for n in index.all("glossary")])
        self.related_ids = related_ids
        self._rows: dict[str, tuple[dict[str, Any], frozenset[str]]] = {}
        self._topic_lists_made: dict[str, tuple[list[Node], list[Node]]] = {}
        self.titles: dict[Node, str] = {}
        self._figures: dict[Node, tuple[str, str, str]] = {}

    def jobs(self) -> dict[str, Job]:
        """Every job, by the path of the page it makes (the kind's index page makes its list)."""
        everything = tuple(f"{kind.folder}/*" for kind in KIND_BY_FOLDER.values())
        jobs: dict[str, Job] = {"index.md": (self._home, everything)}
        for number, path in enumerate(
            _pages("stories/index.md", len(self.stories), STORIES_PAGE), 1
        ):
            jobs[path] = (partial(self._stories_index, number), ("stories/~",))
        jobs.update((n.page, (partial(self._story, n), ())) for n in self.stories)
        jobs["insights/index.md"] = (self._insights_index, ("insights/*",))
        jobs.update((n.page, (partial(self._insight, n), ())) for n in self.insights)
        for folder in ("people", "organizations", "places", "topics"):
            jobs[f"{folder}/index.md"] = (partial(self._kind_index, folder), ())
        for folder in ("people", "organizations", "places"):
            jobs.update((n.page, (partial(self._kind, n), ())) for n in self.index.all(folder))
        for n in self.index.all("topics"):
            for number, path in enumerate(self._topic_pages(n), 1):
                jobs[path] = (partial(self._topic, n, number), ("stories/~",))
        jobs.update((n.page, (partial(self._fact, n), ())) for n in self.index.all("facts"))
        facts = len(self.index.nodes["facts"])
        for number, path in enumerate(_pages("facts/index.md", facts, SHEET_PAGE), 1):
            jobs[path] = (partial(self._fact_sheet, number), ("facts/+",))
        jobs["facts.csv"] = (self._fact_data, ("facts/+",))
        jobs["timeline.md"] = (self._timeline, ("events/*",))
        jobs["glossary.md"] = (self._glossary, ("glossary/*",))
        jobs[feeds.FEED_PATH] = (self._feed, ("stories/*", "insights/*"))
        jobs[reference.PAGE] = (self._reference, ())
        return jobs

    def related_map(self) -> dict[str, list[str]]:
        """Each story's related stories, by id (see generator.pages.related); worked out once."""
        if self.related_ids is None:
            with Reads.into(None):  # of all stories, a page reads only the ones it shows
                found = related(self.stories, lambda n: story_keys(n.item), lambda n: n.id)
            self.related_ids = {
                n.id: [r.id for r in rel] for n, rel in zip(self.stories, found, strict=True)
            }
        return self.related_ids

    def _feed(self) -> None:
        self.out.add(feeds.FEED_PATH, feeds.atom(self.index, self.site))

    def _reference(self) -> None:
        self.out.add(reference.PAGE, reference.field_reference())  # the editors' field reference

    # -- helpers -------------------------------------------------------------------------

    def _page(self, path: str, template: str, **context: Any) -> None:
        meta = metadata.page_meta(self.index, self.site, path, context.get("node"))
        page = _PageContext(path, meta, self.titles)
        context.update(
            site=self.site, link=page.link, links=page.links, href=page.href, front=page.front
        )
        text = _render(self.env.get_template(template), context)
        if template in TOOLTIP_TEMPLATES:
            Reads.note("glossary/*")
            text += self.abbreviations
        self.out.add(path, text)

    def _figure(self, fact: Node) -> dict[str, Any]:
        if Reads.active is not None:  # what fact.item notes, which a figure made before skips
            Reads.active.add(fact.key)
        shown = self._figures.get(fact)
        if shown is None:  # a fact shows on its story's page twice, its own, its sheet's …
            figure = fact.item.figure
            shown = self._figures[fact] = (
                markup.figure_words(figure) if figure else "",
                figure.withheld if figure else "none",
                markup.withheld_note(figure) if figure else "",
            )
        return {"node": fact, "words": shown[0], "withheld": shown[1], "note": shown[2]}

    def _nodes(self, folder: str, ids: Iterable[str]) -> list[Node]:
        return [self.index.get(folder, i) for i in ids]

    # -- pages ---------------------------------------------------------------------------

    def _home(self) -> None:
        key_figures = [
            {**self._figure(fact), **self._fact_source(fact)}
            for fact in self._nodes("facts", self.site.key_figures)
        ]
        self._page(
            "index.md",
            "home.md.j2",
            key_figures=key_figures,
            stories=self.stories[:10],
            insights=self.insights[:5],
            topics=self.index.all("topics"),
            counts={
                kind.title: len(self.index.nodes[kind.folder])
                for kind in KIND_BY_FOLDER.values()
                if self.index.nodes[kind.folder]
            },
        )

    def _stories_index(self, number: int) -> None:
        """One page of the list of stories, newest first, by year."""
        pages = _pages("stories/index.md", len(self.stories), STORIES_PAGE)
        years: dict[int, list[Node]] = {}
        for node in self.stories[(number - 1) * STORIES_PAGE : number * STORIES_PAGE]:
            years.setdefault(node.date.year, []).append(node)
        path = pages[number - 1]
        self._page(path, "stories.md.j2", years=years, pager=_pager(pages, number, path))

    def _story(self, node: Node) -> None:
        story: Story = node.item
        segments = []
        for number, segment in enumerate(story.segments):
            segments.append(
                {
                    "anchor": self.index.anchor(node.id, number),
                    "segment": segment,
                    "speaker": self.index.get("people", segment.soundbite.speaker)
                    if segment.soundbite
                    else None,
                    "role_organizations": self._nodes(
                        "organizations", segment.soundbite.organizations
                    )
                    if segment.soundbite
                    else [],
                    "figures": [
                        figure
                        for figure in map(self._figure, self._nodes("facts", segment.facts))
                        if figure["words"]
                    ],
                    "cited_by": citations.cited_by(self.index, node, number),
                }
            )
        self._page(
            node.page,
            "story.md.j2",
            node=node,
            story=story,
            segments=segments,
            dateline=self.index.get("places", story.dateline),
            reporters=self._nodes("people", story.reporters),
            editors=self._nodes("people", story.editors),
            topics=self._nodes("topics", story.topics),
            facts=[self._figure(f) for f in self._cited_facts(story)],
            people=self._story_people(story),
            related=self._related(node),
            cited_by=citations.cited_by(self.index, node),
        )

    def _insights_index(self) -> None:
        self._page("insights/index.md", "insights.md.j2", insights=self.insights)

    def _insight(self, node: Node) -> None:
        insight: Insight = node.item
        cites = self.index.citations.get(node.id, [])
        for citation in cites:
            Reads.note(citation.target.key)
        self._page(
            node.page,
            "insight.md.j2",
            node=node,
            insight=insight,
            body=citations.replace_citations(insight.body, cites),
            footnotes=[self._footnote(c) for c in citations.footnotes(cites)],
            authors=self._nodes("people", insight.authors),
            topics=self._nodes("topics", insight.topics),
        )

    def _footnote(self, citation: citations.Citation) -> dict[str, Any]:
        """What a citation's footnote shows: the fact stated, or the segment quoted."""
        target = citation.target
        note: dict[str, Any] = {"number": citation.number, "node": target}
        if target.kind.folder == "facts":
            return {
                **note,
                "kind": "fact",
                "quote": target.item.quote,
                **self._figure(target),
                **self._fact_source(target),
            }
        if citation.segment is None:
            return {**note, "kind": "story", "story": target}
        segment = target.item.segments[citation.segment]
        speaker = segment.soundbite.speaker if segment.soundbite else None
        return {
            **note,
            "kind": "soundbite" if speaker else "narration",
            "story": target,
            "anchor": citation.anchor,
            "position": citation.segment + 1,
            "segment": segment,
            "speaker": self.index.get("people", speaker) if speaker else None,
        }

    def _fact_source(self, fact: Node) -> dict[str, Any]:
        """Where a fact is stated: story and segment anchor, who said it, on whose authority."""
        source = fact.item.source
        return {
            "story": self.index.get("stories", source.story),
            "anchor": source.segment,
            "person": self.index.get("people", source.person) if source.person else None,
            "organization": self.index.get("organizations", source.organization)
            if source.organization
            else None,
        }

    def _cited_facts(self, story: Story) -> list[Node]:
        seen: dict[str, None] = {}
        for segment in story.segments:
            seen.update(dict.fromkeys(segment.facts))
        return self._nodes("facts", seen)

    def _story_people(self, story: Story) -> list[Node]:
        seen: dict[str, None] = {}
        for segment in story.segments:
            if segment.soundbite:
                seen[segment.soundbite.speaker] = None
        return self._nodes("people", seen)

    def _related(self, node: Node) -> list[Node]:
        """Other stories that share people, organizations or topics, best first."""
        return self._nodes("stories", self.related_map()[node.id])

    def _mentions(self, node: Node) -> list[dict[str, Any]]:
        """Story segments that name the item, each with its anchor."""
        found: list[dict[str, Any]] = []
        for link in backlinks_by(node, "stories"):
            if link.segment is None or link.field == "speaker":
                continue
            found.append(
                {
                    "story": link.source,
                    "anchor": link.anchor,
                    "segment": link.segment + 1,
                    "speaker": self.index.get("people", link.speaker) if link.speaker else None,
                }
            )
        unique = {(m["story"].id, m["anchor"]): m for m in found}
        return [unique[k] for k in sorted(unique, key=lambda k: (k[0], self._order(k)))]

    def _order(self, key: tuple[str, str]) -> int:
        return self.index.segment_ids[key[0]].index(key[1])

    def _quotes(self, links: list[Backlink]) -> list[dict[str, Any]]:
        quotes = []
        for link in links:
            assert link.segment is not None
            segment = link.source.item.segments[link.segment]
            quotes.append(
                {
                    "story": link.source,
                    "anchor": link.anchor,
                    "soundbite": segment.soundbite,
                    "speaker": self.index.get("people", segment.soundbite.speaker),
                    "cited_by": citations.cited_by(self.index, link.source, link.segment),
                }
            )
        return quotes

    def _facts_of(self, node: Node, *fields: str) -> list[dict[str, Any]]:
        nodes = {link.source.id: link.source for link in backlinks_by(node, "facts", *fields)}
        return [self._figure(nodes[k]) for k in sorted(nodes)]

    def _kind_index(self, folder: str) -> None:
        self._page(f"{folder}/index.md", f"{folder}.md.j2", nodes=self.index.all(folder))

    def _kind(self, node: Node) -> None:
        folder = node.kind.folder
        context: dict[str, Any] = {
            "node": node,
            "item": node.item,
            "mentions": self._mentions(node),
        }
        getattr(self, f"_{folder}_context")(node, context)
        self._page(node.page, f"{KIND_BY_FOLDER[folder].name.replace(' ', '-')}.md.j2", **context)

    def _people_context(self, node: Node, context: dict[str, Any]) -> None:
        roles = [
            {
                "role": role,
                "organization": self.index.get("organizations", role.organization)
                if role.organization
                else None,
                "source": self.index.get("stories", role.source) if role.source else None,
            }
            for role in node.item.roles
        ]
        context.update(
            roles=roles,
            quotes=self._quotes(backlinks_by(node, "stories", "speaker")),
            reported=sorted(
                {ref.source for ref in backlinks_by(node, "stories", "reporters")}, key=_by_date
            ),
            edited=sorted(
                {ref.source for ref in backlinks_by(node, "stories", "editors")}, key=_by_date
            ),
            facts=self._facts_of(node, "person"),
        )

    def _organizations_context(self, node: Node, context: dict[str, Any]) -> None:
        org = node.item
        people = {}
        for link in backlinks_by(node, "people", "organization"):
            people[link.source.id] = link.source
        for link in backlinks_by(node, "stories", "organizations"):
            if "soundbite" in link.path and link.speaker:
                people[link.speaker] = self.index.get("people", link.speaker)
        context.update(
            place=self.index.get("places", org.place) if org.place else None,
            parent=self.index.get("organizations", org.parent) if org.parent else None,
            children=sorted(
                {ref.source for ref in backlinks_by(node, "organizations", "parent")}, key=_by_id
            ),
            people=[people[k] for k in sorted(people)],
            quotes=self._quotes(
                [
                    ref
                    for ref in backlinks_by(node, "stories", "organizations")
                    if "soundbite" in ref.path
                ]
            ),
            facts=self._facts_of(node, "organizations"),
            sourced=self._facts_of(node, "organization"),
            events=sorted({ref.source for ref in backlinks_by(node, "events")}, key=_by_date),
        )

    def _places_context(self, node: Node, context: dict[str, Any]) -> None:
        place = node.item
        context.update(
            parent=self.index.get("places", place.parent) if place.parent else None,
            children=sorted(
                {ref.source for ref in backlinks_by(node, "places", "parent")}, key=_by_id
            ),
            organizations=sorted(
                {ref.source for ref in backlinks_by(node, "organizations", "place")}, key=_by_id
            ),
            datelined=sorted(
                {ref.source for ref in backlinks_by(node, "stories", "dateline")}, key=_by_date
            ),
            facts=self._facts_of(node, "places"),
            events=sorted({ref.source for ref in backlinks_by(node, "events")}, key=_by_date),
        )

    def _topic_lists(self, node: Node) -> tuple[list[Node], list[Node]]:
        """A topic's stories, newest first, and its facts, by id: the lists its pages share.

        Stories are in the order of all stories, by date, worked out once and noting nothing:
        the order is noted once, as ``stories/~``, so a title edit reruns only the page that
        shows the title.
        """
        Reads.note(f"{node.key}#links")  # all they read, as they are worked out once
        found = self._topic_lists_made.get(node.id)
        if found is None:
            stories, facts = _topic_members(node)
            found = self._topic_lists_made[node.id] = (
                sorted(stories, key=self._story_order.__getitem__),
                sorted(facts, key=_by_id),
            )
        return found

    @functools.cached_property
    def _story_order(self) -> dict[Node, int]:
        """Each story's place among all stories, newest first."""
        return {node: number for number, node in enumerate(self.stories)}

    def _topic_pages(self, node: Node) -> list[str]:
        """The paths of a topic's pages: counted, not sorted (every render asks for them)."""
        return _topic_paths(node, *_topic_members(node))

    def _topic(self, node: Node, number: int) -> None:
        """Page ``number`` of a topic: its stories and facts, a page's worth of each; the
        first page also has its description, insights and events."""
        stories, facts = self._topic_lists(node)
        pages = _topic_paths(node, stories, facts)
        path = pages[number - 1]
        first, last = (number - 1) * TOPIC_PAGE, number * TOPIC_PAGE
        first_page = number == 1
        self._page(
            path,
            "topic.md.j2",
            node=node,
            item=node.item,
            stories=stories[first:last],
            story_count=len(stories),
            facts=[self._figure(f) for f in facts[first:last]],
            fact_count=len(facts),
            offset=first,
            insights=sorted(
                {ref.source for ref in backlinks_by(node, "insights", "topics")},
                key=_by_date,
                reverse=True,
            )
            if first_page
            else [],
            events=sorted({ref.source for ref in backlinks_by(node, "events")}, key=_by_date)
            if first_page
            else [],
            pager=_pager(pages, number, path),
        )

    def _fact(self, node: Node) -> None:
        outer, inner = Reads.active, set[str]()
        # What the fact sheet's row reads, apart from what only the fact's page shows.
        with Reads.into(inner if outer is not None else None):
            row = self._fact_row(node)
        if outer is not None:
            outer.update(inner)
        self._rows[node.id] = (row, frozenset(inner))
        fact: Fact = node.item
        self._page(
            node.page,
            "fact.md.j2",
            **row,
            places=self._nodes("places", fact.places),
            organizations=self._nodes("organizations", fact.organizations),
            topics=self._nodes("topics", fact.topics),
            events=sorted({ref.source for ref in backlinks_by(node, "events")}, key=_by_date),
            cited_by=citations.cited_by(self.index, node),
        )

    def _fact_sheet(self, number: int) -> None:
        """One page of the fact sheet: facts by id. The downloads hold them all."""
        facts = self.index.nodes["facts"]
        pages = _pages("facts/index.md", len(facts), SHEET_PAGE)
        rows = []
        for key in self._fact_ids[(number - 1) * SHEET_PAGE : number * SHEET_PAGE]:
            node = facts[key]
            made = self._rows.get(node.id)
            if made is None:  # not rendered in this run: its row is worked out afresh
                rows.append(self._fact_row(node))
            else:
                rows.append(made[0])
                if Reads.active is not None:
                    Reads.active.update(made[1])
        path = pages[number - 1]
        self._page(
            path, "facts.md.j2", rows=rows, total=len(facts), pager=_pager(pages, number, path)
        )

    @functools.cached_property
    def _fact_ids(self) -> list[str]:
        """Every fact's id, sorted once for all the fact sheet's pages."""
        return sorted(self.index.nodes["facts"])

    def _fact_data(self) -> None:
        """facts.csv and facts.json: every fact, by id."""
        records = [_fact_record(node, self.site) for node in self.index.all("facts")]
        self.out.add("facts.csv", _facts_csv(records))
        self.out.add("facts.json", _facts_json(records))

    def _fact_row(self, node: Node) -> dict[str, Any]:
        fact: Fact = node.item
        row = self._figure(node)
        row.update(
            fact=fact,
            story=self.index.get("stories", fact.source.story),
            anchor=fact.source.segment,
            person=self.index.get("people", fact.source.person) if fact.source.person else None,
            organization=self.index.get("organizations", fact.source.organization)
            if fact.source.organization
            else None,
        )
        return row

    def _timeline(self) -> None:
        events = sorted(self.index.all("events"), key=lambda n: (n.item.date.sort_key(), n.id))
        entries = [
            {
                "node": e,
                "sources": self._nodes("stories", e.item.sources),
                "facts": [self._figure(f) for f in self._nodes("facts", e.item.facts)],
                "places": self._nodes("places", e.item.places),
                "organizations": self._nodes("organizations", e.item.organizations),
            }
            for e in events
        ]
        self._page("timeline.md", "timeline.md.j2", entries=entries)

    def _glossary(self) -> None:
        terms = sorted(self.index.all("glossary"), key=lambda n: n.item.term.lower())
        self._page("glossary.md", "glossary.md.j2", terms=terms)

    def nav(self) -> list[Any]:
        stories: list[Any] = ["stories/index.md", *_stories_nav(self.stories)]
        return [
            {"Home": "index.md"},
            {"Stories": stories},
            {"Insights": ["insights/index.md", *[n.page for n in self.insights]]},
            {"Topics": ["topics/index.md", *[n.page for n in self.index.all("topics")]]},
            {"People": "people/index.md"},
            {"Organizations": "organizations/index.md"},
            {"Places": "places/index.md"},
            {"Facts": "facts/index.md"},
            {"Timeline": "timeline.md"},
            {"Glossary": "glossary.md"},
        ]


def _relative(target: str, directory: str) -> str:
    """posixpath.relpath for the site's own clean relative paths, without its costly abspath."""
    if not directory:
        return target
    if target.count("/") == 1:  # most links: to an item's page, folder/name.md
        shape = _shape(directory)
        folder, name = target.split("/")
        if shape is not None and folder not in _DOTS and name not in _DOTS:
            depth, top, second = shape
            if folder != top:
                return "../" * depth + target
            if name != second:  # else the target is the folder itself, or one above it
                return "../" * (depth - 1) + name
    parts, base = target.split("/"), directory.split("/")
    if "" in parts or "." in parts or ".." in parts or ".." in base:
        return posixpath.relpath(target, directory)
    common = 0
    while common < len(base) and common < len(parts) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


_DOTS = ("", ".", "..")


@functools.lru_cache(maxsize=4096)
def _shape(directory: str) -> tuple[int, str, str | None] | None:
    """A page folder's depth and first two parts, or None if a part is empty, '.' or '..'.

    Worked out once a folder: a paged list (topics/oem/pages/3.md) has hundreds of links.
    """
    parts = directory.split("/")
    if any(part in _DOTS for part in parts):
        return None
    return len(parts), parts[0], parts[1] if len(parts) > 1 else None


SHEET_PAGE = 500
"""Facts on one page of the fact sheet. With tens of thousands of facts one page would weigh
megabytes, take MkDocs half a minute to convert, and be converted again on every edit."""
STORIES_PAGE = 250
"""Stories on one page of the list of stories."""
TOPIC_PAGE = 250
"""Stories, and facts, on one page of a topic."""


def _pages(first: str, count: int, size: int) -> list[str]:
    """The pages of a long list: ``first``, then ``pages/2.md`` … beside it.

    ``stories/index.md`` goes on to ``stories/pages/2.md``, ``topics/oem.md`` to
    ``topics/oem/pages/2.md``. No item's page can take these paths: an id has no slash, and
    ``stories/pages.md`` (an item with the id ``pages``) is another file.
    """
    base = first.removesuffix("/index.md").removesuffix(".md")
    total = max(1, -(-count // size))
    return [first, *(f"{base}/pages/{n}.md" for n in range(2, total + 1))]


def _topic_members(node: Node) -> tuple[set[Node], set[Node]]:
    """The stories that name a topic anywhere, and the facts filed under it; notes nothing."""
    stories, facts = set(), set()
    for link in node.links:
        folder = link.folder
        if folder == "stories":
            stories.add(link.source)
        elif folder == "facts" and link.field == "topics":
            facts.add(link.source)
    return stories, facts


def _topic_paths(node: Node, stories: Sized, facts: Sized) -> list[str]:
    """A topic's pages: as many as its longer list needs."""
    return _pages(node.page, max(len(stories), len(facts)), TOPIC_PAGE)


def _pager(pages: list[str], number: int, path: str) -> dict[str, Any]:
    """What a page of a long list shows to move between its pages (nothing if it is one)."""
    directory = posixpath.dirname(path)
    return {
        "number": number,
        "count": len(pages),
        "pages": [(n, _relative(page, directory)) for n, page in enumerate(pages, 1)],
    }


NAV_SECTION_SIZE = 60
"""A year with more stories than this is split by month in the navigation."""


def _stories_nav(stories: list[Node]) -> list[Any]:
    """Stories by year, and by month within a busy year.

    Material renders the siblings of the open page into every page (navigation.prune keeps
    the rest out), so a flat list of stories would make the site quadratic in size; sections
    of at most a few dozen pages keep each page small however many stories there are.
    mkdocs.yml leaves navigation.sections off, so the years and months stay collapsed and
    pruned: a story page lists the years, its own year's months and its own month's stories.
    """
    years: dict[int, list[Node]] = {}
    for node in stories:  # newest first
        years.setdefault(node.item.date.year, []).append(node)
    nav: list[Any] = []
    for year, nodes in years.items():
        if len(nodes) <= NAV_SECTION_SIZE:
            nav.append({str(year): [n.page for n in nodes]})
            continue
        months: dict[str, list[str]] = {}
        for node in nodes:
            month = node.item.date.month
            label = calendar.month_name[month] if month else f"{year}, month not given"
            months.setdefault(label, []).append(node.page)
        nav.append({str(year): [{label: pages} for label, pages in months.items()]})
    return nav


class _PageContext:
    """Links as seen from one page."""

    def __init__(self, path: str, meta: dict[str, Any], titles: dict[Node, str]) -> None:
        self.path = path
        self.directory = posixpath.dirname(path)
        self.meta = meta
        self.titles = titles
        """Items' titles, escaped: shared by the pages of one render."""

    def front(self, title: str, description: str, kind: str, **options: Any) -> str:
        """The page's front matter: see generator.pages.metadata.front_matter."""
        return metadata.front_matter(title, description, kind, self.meta, **options)

    def href(self, target: str, anchor: str | None = None) -> str:
        relative = _relative(target, self.directory)
        return f"{relative}#{anchor}" if anchor else relative

    def link(
        self, node: Node, anchor: str | None = None, label: str | None = None, suffix: str = ""
    ) -> str:
        """A Markdown link to an item's page, its title (or ``label``) escaped, and ``suffix``
        (``, segment 2``: no leading space) escaped apart, so the title's escaping is reused."""
        if anchor is None and node.kind.folder in SHARED_PAGES:
            anchor = node.id
        if Reads.active is not None:  # its title may come from the cache below
            Reads.active.add(node.heading_key)
        if label is not None:
            title = markup.text(label)
        else:  # escaped once, not on each page that links to the item
            title = self.titles.get(node) or self.titles.setdefault(node, markup.text(node.title))
        if suffix:
            title += markup.text(suffix)
        relative = _relative(node.page, self.directory)
        return f"[{title}]({relative}#{anchor})" if anchor else f"[{title}]({relative})"

    def links(self, nodes: Iterable[Node], sep: str = ", ") -> str:
        return sep.join(self.link(node) for node in nodes)


def story_keys(story: Story) -> set[tuple[str, str]]:
    """The people, organizations and topics a story names anywhere, as (folder, id)."""
    people: set[str] = set()
    organizations: set[str] = set()
    topics = set(story.topics)
    for segment in story.segments:
        people.update(segment.people)
        organizations.update(segment.organizations)
        topics.update(segment.topics)
        if segment.soundbite:
            people.add(segment.soundbite.speaker)
    return {
        *zip(repeat("people"), people),
        *zip(repeat("organizations"), organizations),
        *zip(repeat("topics"), topics),
    }


def _by_date(node: Node) -> tuple[Any, ...]:
    date = node.date
    return (date.sort_key() if date else (0, 0, 0), node.id)


def _by_id(node: Node) -> str:
    return node.id


FACT_COLUMNS = [
    "id",
    "statement",
    "value",
    "unit",
    "qualifier",
    "withheld",
    "as_printed",
    "as_of",
    "places",
    "organizations",
    "topics",
    "story",
    "segment",
    "said_by",
    "according_to",
    "url",
    "source_url",
    "quote",
    "as_of_basis",
]
"""The columns of facts.csv and facts.json, documented in docs/data.md. Stable: a new column
is only ever appended, and a change to a column's meaning raises the JSON "version"."""


def _fact_record(node: Node, site: Site) -> dict[str, Any]:
    fact: Fact = node.item
    figure = fact.figure
    return {
        "id": node.id,
        "statement": fact.statement,
        "value": figure.value if figure else None,
        "unit": figure.unit if figure else None,
        "qualifier": figure.qualifier if figure else None,
        "withheld": figure.withheld if figure else None,
        "as_printed": figure.as_printed if figure else None,
        "as_of": str(fact.as_of) if fact.as_of else None,
        "places": list(fact.places),
        "organizations": list(fact.organizations),
        "topics": list(fact.topics),
        "story": fact.source.story,
        "segment": fact.source.segment,
        "said_by": fact.source.person,
        "according_to": fact.source.organization,
        # Published (canonical) addresses, so the files mean the same in the offline copy.
        "url": metadata.page_url(site, node.page),
        "source_url": metadata.page_url(
            site, page_of("stories", fact.source.story), fact.source.segment
        ),
        "quote": list(fact.quote),
        "as_of_basis": fact.date_basis,
    }


_CSV_JOIN = {"quote": " … "}
"""How a list column's items are joined in a CSV cell, when not by ';' (ids never hold
one, a quote's words may)."""


def _facts_csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FACT_COLUMNS)
    writer.writerows(map(_csv_row, records))
    return buffer.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# injection"): such a cell is written with a leading apostrophe, which spreadsheets take as
# "text". A cell that starts with an apostrophe gets one too, so a tool reading the data
# removes exactly one from any cell that starts with one. The value column is exempt: it is
# only ever a number the generator wrote itself (-5, 1.5), which a spreadsheet reads as that
# number and never runs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _csv_row(record: dict[str, Any]) -> list[Any]:
    row: list[Any] = []
    for column in FACT_COLUMNS:
        value = record[column]
        if value is None:
            cell = ""
        elif isinstance(value, list):
            cell = _CSV_JOIN.get(column, ";").join(value)
        elif column == "value":
            row.append(value)
            continue
        else:
            cell = value
        row.append("'" + cell if cell.startswith(_FORMULA_START) else cell)
    return row


def _facts_json(records: list[dict[str, Any]]) -> str:
    """One fact a line: readable and diffable, and written by json's C encoder (an indented
    dump goes through its pure-Python one, at a second per 10 000 facts)."""
    head = json.dumps({"version": 1, "columns": FACT_COLUMNS}, ensure_ascii=False)
    facts = ",\n".join(map(markup.json_value, records))  # strict: NaN or Infinity raises
    return f'{head[:-1]}, "facts": [\n{facts}\n]}}\n'
