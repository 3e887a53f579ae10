"""Fact pages, the fact sheet, and the facts.csv and facts.json downloads."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from generator.link import citations
from generator.link.graph import Node, Reads, backlinks_by, page_of
from generator.pages import metadata, paths
from generator.pages.paths import by_date, page_paths, pager
from generator.pages.shared import Pages
from generator.read import markup
from generator.read.model.items import Fact, Site

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

FACTS_VERSION = 2
"""2: `value` is empty for every withheld figure (1 gave a partly withheld figure's shown
digits, which are not the number)."""


def fact_record(node: Node, site: Site) -> dict[str, Any]:
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


def facts_csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FACT_COLUMNS)
    writer.writerows(map(csv_row, records))
    return buffer.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# injection"): such a cell is written with a leading apostrophe, which spreadsheets take as
# "text". A cell that starts with an apostrophe gets one too, so a tool reading the data
# removes exactly one from any cell that starts with one. The value column is exempt: it is
# only ever a number the generator wrote itself (-5, 1.5), which a spreadsheet reads as that
# number and never runs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_row(record: dict[str, Any]) -> list[Any]:
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


def facts_json(records: list[dict[str, Any]]) -> str:
    """One fact a line: readable and diffable, and written by json's C encoder (an indented
    dump goes through its pure-Python one, at a second per 10 000 facts)."""
    head = json.dumps({"version": FACTS_VERSION, "columns": FACT_COLUMNS}, ensure_ascii=False)
    facts = ",\n".join(map(markup.json_value, records))  # strict: NaN or Infinity raises
    return f'{head[:-1]}, "facts": [\n{facts}\n]}}\n'


def fact(pages: Pages, node: Node) -> None:
    outer, inner = Reads.active, set[str]()
    # What the fact sheet's row reads, apart from what only the fact's page shows.
    with Reads.into(inner if outer is not None else None):
        row = fact_row(pages, node)
    if outer is not None:
        outer.update(inner)
    pages.fact_rows[node.id] = (row, frozenset(inner))
    fact: Fact = node.item
    pages.page(
        node.page,
        "fact.md.j2",
        **row,
        places=pages.nodes("places", fact.places),
        organizations=pages.nodes("organizations", fact.organizations),
        topics=pages.nodes("topics", fact.topics),
        events=sorted({ref.source for ref in backlinks_by(node, "events")}, key=by_date),
        cited_by=citations.cited_by(pages.index, node),
    )


def fact_sheet(pages: Pages, number: int) -> None:
    """One page of the fact sheet: facts by id. The downloads hold them all."""
    facts = pages.index.nodes["facts"]
    numbered = page_paths("facts/index.md", len(facts), paths.SHEET_PAGE)
    rows = []
    for key in pages.fact_ids[(number - 1) * paths.SHEET_PAGE : number * paths.SHEET_PAGE]:
        node = facts[key]
        made = pages.fact_rows.get(node.id)
        if made is None:  # not rendered in this run: its row is worked out afresh
            rows.append(fact_row(pages, node))
        else:
            rows.append(made[0])
            if Reads.active is not None:
                Reads.active.update(made[1])
    path = numbered[number - 1]
    pages.page(
        path, "facts.md.j2", rows=rows, total=len(facts), pager=pager(numbered, number, path)
    )


def fact_data(pages: Pages) -> None:
    """facts.csv and facts.json: every fact, by id."""
    records = [fact_record(node, pages.site) for node in pages.index.all("facts")]
    pages.out.add("facts.csv", facts_csv(records))
    pages.out.add("facts.json", facts_json(records))


def fact_row(pages: Pages, node: Node) -> dict[str, Any]:
    fact: Fact = node.item
    row = pages.figure(node)
    row.update(
        fact=fact,
        story=pages.index.get("stories", fact.source.story),
        anchor=fact.source.segment,
        person=pages.index.get("people", fact.source.person) if fact.source.person else None,
        organization=pages.index.get("organizations", fact.source.organization)
        if fact.source.organization
        else None,
    )
    return row
