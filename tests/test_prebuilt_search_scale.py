"""The prebuilt search index holds every document of a large site, and finds what Material does.

tests/test_prebuilt_search.py compares the prebuilt index with Material's worker in Chromium
on the project's small site. Here the corpus is large (several thousand search documents,
written by Material's own search-index writer), and the comparison runs in the V8 the
project already builds the index in (mini-racer), with no browser:

- the prebuilt index is built as a site build does (``write_index``);
- it is decoded and must hold every document: their count, each location in order (from the
  layout the worker parses documents by), each document's boost, and each document under
  its own unique word;
- the edited worker (``patch_worker``) is run as the browser runs it: it loads the documents
  and the prebuilt index itself, must say it used the prebuilt index and parsed documents on
  demand, and answers queries; Material's own worker, sent the documents as Material's page
  sends them, builds its lunr index and answers the same queries. The answers (results,
  scores, highlighting, suggestions) must be equal: for every document's unique word, for
  the first and last documents, for words many documents share, and more.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import material
import pytest
from material.plugins.search.plugin import SearchIndex

from generator.bench.synth_style import SYLLABLES, WORDS
from generator.publish import prebuilt_search, search_assets
from generator.publish.search_assets import patch_worker

MATERIAL_WORKERS = Path(material.__file__).parent / "templates" / search_assets.WORKERS
PAGES = 1500
"""Pages of the synthetic site; with their sections, about 5 000 search documents."""
SEPARATOR = r'[\s\-,:;!?=\[\]()"/]+|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&[lg]t;'  # mkdocs.yml's
_CONSONANTS = "bcdfghjklmnpqrtvwxz"  # no vowel, no s or y: the stemmer leaves such words be


def unique_word(number: int) -> str:
    """A word only document ``number`` has, which lunr's pipeline leaves as it is."""
    digits = ""
    while True:
        number, digit = divmod(number, len(_CONSONANTS))
        digits = _CONSONANTS[digit] + digits
        if not number:
            return "qx" + digits


def _docs() -> list[dict[str, Any]]:
    """Search documents as Material's search plugin makes them: a page, then its sections."""
    rng = random.Random(15)
    docs: list[dict[str, Any]] = []

    def sentence(count: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(count))

    def name() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(2)).title()

    for page in range(PAGES):
        location = f"stories/story-{page:05d}/"
        tags = ["Overseas markets"] if page % 11 == 0 else None
        boost = 2 if page % 7 == 3 else None
        entries = [(location, f"{name()} on the {sentence(3)}")]
        for section in range(rng.randint(0, 5)):
            entries.append((f"{location}#segment-{section + 1}", f"Segment {section + 1}"))
        for location_, title in entries:
            text = f"<p>{sentence(rng.randint(5, 40))} {name()} {unique_word(len(docs))}</p>"
            if len(docs) % 97 == 5:
                text += " 成都 café 𝄞 naïve"  # beyond ASCII, and beyond the BMP
            entry: dict[str, Any] = {"location": location_, "title": title, "text": text}
            if tags:
                entry["tags"] = tags
            if boost:
                entry["boost"] = boost
            docs.append(entry)
    docs[0]["text"] += " bookend"
    docs[-1]["text"] += " bookend 𝄞"  # the last document, after a character beyond the BMP
    return docs


def _index_json(docs: list[dict[str, Any]]) -> str:
    """search_index.json as Material's search plugin writes it."""
    index = SearchIndex(
        lang=["en"],
        separator=SEPARATOR,
        pipeline=["stopWordFilter"],
        fields={"title": {"boost": 1e3}, "text": {"boost": 1e0}, "tags": {"boost": 1e6}},
    )
    index.entries = docs
    return str(index.generate_search_index(None))


# -- running a search worker in V8 -------------------------------------------------------

# What a worker has in the browser and bare V8 lacks: its location, URL, fetch (answered
# from files put here), messages both ways, a console whose warnings are kept.
WORKER_SHIM = r"""
var self = globalThis, __handlers = [], __replies = [], __files = {}, __warnings = [];
self.location = { href: "http://localhost/assets/javascripts/workers/search-prebuilt.min.js" };
self.addEventListener = function (type, fn) { if (type === "message") __handlers.push(fn) };
self.postMessage = function (message) { __replies.push(message) };
self.importScripts = function () { throw new Error("no language scripts here") };
self.console = {
  log: function () {},
  warn: function () { __warnings.push([].map.call(arguments, String).join(" ")) },
  error: function () { __warnings.push([].map.call(arguments, String).join(" ")) }
};
self.URL = function (url, base) {
  if (/^[a-z]+:/.test(url)) { this.href = url; return }
  var parts = String(base).split("?")[0].split("/");
  parts.pop();
  for (var part of url.split("/")) {
    if (part === "..") parts.pop(); else if (part !== ".") parts.push(part);
  }
  this.href = parts.join("/");
};
self.fetch = function (href) {
  var text = __files[href];
  return Promise.resolve({
    ok: text !== undefined, status: text === undefined ? 404 : 200,
    text: function () { return Promise.resolve(text) }
  });
};
function __put(href, text) { __files[href] = text }
function __send(message) { __handlers.forEach(function (h) { h({ data: message }) }) }
function __queries(list) { list.forEach(function (q) { __send({ type: 2, data: q }) }) }
function __take() { var r = JSON.stringify(__replies); __replies = []; return r }
"""
SITE = "http://localhost/"


class Worker:
    """A search worker's code in its own V8, spoken to as the page speaks to it."""

    def __init__(self, source: str, files: dict[str, str]) -> None:
        from py_mini_racer import MiniRacer

        self.context = MiniRacer()
        self.context.eval(WORKER_SHIM)
        put: Any = self.context.eval("__put")
        for path, text in files.items():
            put(SITE + path, text)
        self.context.eval(source)

    def send(self, message: Any) -> list[Any]:
        """Send a message; the replies, once V8 has run the promise jobs (after an eval)."""
        self.context.eval(f"__send({json.dumps(message)})")
        return list(json.loads(self._text("__take()")))

    def search(self, queries: list[str]) -> list[Any]:
        self.context.eval(f"__queries({json.dumps(queries)})")
        replies = json.loads(self._text("__take()"))
        assert [r["type"] for r in replies] == [3] * len(queries)
        return [r["data"] for r in replies]

    def warnings(self) -> list[str]:
        return list(json.loads(self._text("JSON.stringify(__warnings)")))

    def _text(self, script: str) -> str:
        value = self.context.eval(script)
        assert isinstance(value, str)
        return value

    def close(self) -> None:
        self.context.close()


# -- the site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The synthetic site's search folder with its prebuilt index, built as a build does."""
    root = tmp_path_factory.mktemp("search-scale")
    docs = _docs()
    text = _index_json(docs)
    (root / "search").mkdir()
    (root / search_assets.INDEX_JSON).write_text(text, encoding="utf-8")
    (stock,) = MATERIAL_WORKERS.glob("search.*.min.js")
    (root / search_assets.WORKERS).mkdir(parents=True)
    shutil.copy(stock, root / search_assets.WORKERS / stock.name)
    prebuilt = prebuilt_search.write_index(root)
    assert prebuilt is not None
    return {
        "docs": docs,
        "text": text,
        "prebuilt": prebuilt.read_text(encoding="utf-8"),
        "stock": stock.read_text(encoding="utf-8"),
    }


def _decoded(prebuilt: str) -> Any:
    """The prebuilt index's JSON: the one-line comment of the script."""
    (line,) = [line for line in prebuilt.splitlines() if line.startswith("//")]
    return json.loads(line[2:])


def _fnv(locations: list[str]) -> str:
    """__scFingerprint's hash of the documents' locations (FNV-1a over UTF-16 code units)."""
    h = 0x811C9DC5
    for location in locations:
        units = (location + "\n").encode("utf-16-le")
        for k in range(0, len(units), 2):
            h = ((h ^ int.from_bytes(units[k : k + 2], "little")) * 0x01000193) & 0xFFFFFFFF
    return f"{len(locations)}:{h:x}"


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def test_the_corpus_is_large(site: dict[str, Any]) -> None:
    assert len(site["docs"]) >= 4000
    assert len(site["text"]) > 1_000_000


def test_the_prebuilt_index_holds_every_document(site: dict[str, Any]) -> None:
    docs, text = site["docs"], site["text"]
    index = _decoded(site["prebuilt"])
    locations = [d["location"] for d in docs]
    assert index["fingerprint"] == _fnv(locations)

    # The layout: each document's span of the text, in JavaScript's units, in order.
    layout = index["docs"]
    units = _utf16(text)
    assert layout["length"] == len(units) // 2
    assert len(layout["pages"]) == len(docs)
    spans = layout["spans"]
    assert len(spans) == 2 * len(docs)
    at = spans[0]
    for number, doc in enumerate(docs):
        if number:
            at += spans[2 * number]
        end = at + spans[2 * number + 1]
        assert json.loads(units[2 * at : 2 * end].decode("utf-16-le")) == doc, number
        at = end
    # Each document's page: how far back its page's first document is.
    first: dict[str, int] = {}
    for number, doc in enumerate(docs):
        page = doc["location"].split("#")[0]
        first.setdefault(page, number)
        assert layout["pages"][number] == number - first[page], number
    boosts = [boost for boost, count in layout["boosts"] for _ in range(count)]
    assert boosts == [doc.get("boost") for doc in docs]
    assert [n for n, _ in layout["sample"]][-1] == len(docs) - 1

    # The postings: every document is under its own word, and only there.
    terms = {term: number for number, term in enumerate(index["terms"])}
    fields = index["fields"]

    def documents(term: str) -> set[int]:
        assert term in terms, f"the prebuilt index has no term {term!r}"
        posting = index["postings"][terms[term]]
        found: set[int] = set()
        for part in posting.split(";", 1)[1].split("|"):
            at = 0
            for entry in filter(None, part.split(",")):
                at += int(entry.split(":")[0], 36)
                found.add(at)
        return found

    assert len(fields) == len(index["postings"][0].split(";", 1)[1].split("|"))
    for number in range(len(docs)):
        assert documents(unique_word(number)) == {number}, number
    assert documents("bookend") == {0, len(docs) - 1}
    everywhere = set().union(*(documents(term) for term in index["terms"]))
    assert everywhere == set(range(len(docs)))


def test_the_prebuilt_worker_finds_what_materials_worker_finds(site: dict[str, Any]) -> None:
    docs, text = site["docs"], site["text"]
    config = json.loads(text)["config"]
    options = {"suggest": True}  # mkdocs.yml: search.suggest
    # As the browser runs it: the page sends only the configuration; the worker loads the
    # documents and the prebuilt index itself.
    prebuilt = Worker(
        patch_worker(site["stock"]),
        {
            search_assets.INDEX_JSON.as_posix(): text,
            search_assets.PREBUILT_INDEX.as_posix(): site["prebuilt"],
        },
    )
    # Material's page sends the worker the whole index; its worker builds lunr's.
    stock = Worker(site["stock"], {})
    try:
        ready = prebuilt.send(
            {"type": 0, "data": {"config": config, "docs": None, "options": options}}
        )
        assert ready == [{"type": 1, "prebuilt": True, "docs": "search_index.json", "lazy": True}]
        stock_ready = stock.send({"type": 0, "data": {**json.loads(text), "options": options}})
        assert stock_ready == [{"type": 1}]

        last = len(docs) - 1
        queries = [
            unique_word(0),  # the first document
            unique_word(last),  # the last
            unique_word(last - 1),
            "bookend",  # the first and the last
            f"{unique_word(0)} {unique_word(last)}",
            "leather heel",  # words thousands of documents share
            "overseas",  # a tag, and a word of the text
            "Segment",  # titles
            "成都",
            "caf",  # a prefix
            "qxb",  # the prefix of many unique words
            "-leather heel",
            f"-{unique_word(0)}",  # only a prohibited word: every other document
            f"-{unique_word(last)}",
            "+market +export",
            "nothing-matches-this",
        ]
        # every document, by its own word (the sample boundaries of the layout included)
        queries += [unique_word(number) for number in range(len(docs))]
        expected = stock.search(queries)
        found = prebuilt.search(queries)
        for query, mine, theirs in zip(queries, found, expected, strict=True):
            assert mine == theirs, f"{query!r}: results differ from Material's worker"
        for number, result in enumerate(found[-len(docs) :]):
            locations = [d["location"] for group in result["items"] for d in group]
            assert docs[number]["location"] in locations, number
        assert prebuilt.warnings() == []
        assert stock.warnings() == []
    finally:
        prebuilt.close()
        stock.close()
