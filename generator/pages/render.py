"""Render: the resolved index → Markdown pages and data files, in memory, job by job.

Each page gets a view: plain objects with every link already made relative to that page,
so templates only lay things out and never look anything up.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from generator.link.graph import Index, Reads
from generator.pages import (
    entities,
    facts,
    feeds,
    insights,
    lists,
    navigation,
    paths,
    story,
    topics,
)
from generator.pages import field_reference as reference
from generator.pages.paths import page_paths
from generator.pages.shared import Output, Pages
from generator.read.model import KIND_BY_FOLDER


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
        renderer: Pages | None = None,
    ) -> None:
        self.index = index
        self.track = track
        self._pages = renderer or Pages(index)
        self.output = self._pages.out
        self.reads: dict[str, frozenset[str]] = {}
        self.made: dict[str, list[str]] = {}
        jobs = page_jobs(self._pages)
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
        self.output.nav = navigation.nav(self._pages)

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
        old = self._pages.related_ids
        fresh = Pages(index, None if related or old is None else old)
        stale = {name for name, reads in self.reads.items() if not touched.isdisjoint(reads)}
        if related:
            now = fresh.related_map()
            stale.update(n.page for n in fresh.stories if now[n.id] != (old or {}).get(n.id))
        return Rendering(index, track=True, only=stale, previous=self, renderer=fresh)


def page_jobs(pages: Pages) -> dict[str, Job]:
    """Every job, by the path of the page it makes (the kind's index page makes its list)."""
    index = pages.index
    everything = tuple(f"{kind.folder}/*" for kind in KIND_BY_FOLDER.values())
    found: dict[str, Job] = {"index.md": (partial(lists.home, pages), everything)}
    for number, path in enumerate(
        page_paths("stories/index.md", len(pages.stories), paths.STORIES_PAGE), 1
    ):
        found[path] = (partial(story.stories_index, pages, number), ("stories/~",))
    found.update((n.page, (partial(story.story, pages, n), ())) for n in pages.stories)
    for year, nodes in navigation.story_years(pages.stories).items():
        job = partial(story.year_stories, pages, year, nodes)
        found[paths.year_page(year)] = (job, ("stories/~",))
        for month, of_month in (navigation.story_months(nodes) or {}).items():
            job = partial(story.month_stories, pages, year, month, of_month)
            found[paths.month_page(year, month)] = (job, ("stories/~",))
    found["insights/index.md"] = (partial(insights.insights_index, pages), ("insights/*",))
    found.update((n.page, (partial(insights.insight, pages, n), ())) for n in pages.insights)
    for folder in ("people", "organizations", "places", "topics"):
        found[f"{folder}/index.md"] = (partial(entities.kind_index, pages, folder), ())
    for folder in ("people", "organizations", "places"):
        found.update((n.page, (partial(entities.entity, pages, n), ())) for n in index.all(folder))
    for n in index.all("topics"):
        for number, path in enumerate(topics.topic_pages(pages, n), 1):
            found[path] = (partial(topics.topic, pages, n, number), ("stories/~",))
    found.update((n.page, (partial(facts.fact, pages, n), ())) for n in index.all("facts"))
    count = len(index.nodes["facts"])
    for number, path in enumerate(page_paths("facts/index.md", count, paths.SHEET_PAGE), 1):
        found[path] = (partial(facts.fact_sheet, pages, number), ("facts/+",))
    found["facts.csv"] = (partial(facts.fact_data, pages), ("facts/+",))
    found["timeline.md"] = (partial(lists.timeline, pages), ("events/*",))
    found["glossary.md"] = (partial(lists.glossary, pages), ("glossary/*",))
    found[feeds.FEED_PATH] = (partial(lists.feed, pages), ("stories/*", "insights/*"))
    found[reference.PAGE] = (partial(lists.field_reference_page, pages), ())
    return found
