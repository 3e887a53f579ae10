"""Search that answers at once at any size: the lunr index is built once, at build time.

Material's search worker downloads ``search/search_index.json`` and builds a lunr index from
it in the reader's browser, on every page load: 15 s or more before the first result at
10 000 stories. This step builds that index after Material's search plugin has written the
JSON, by running Material's own worker code (lunr, tokenizer, separator, pipeline, boosts) in
an embedded V8 (``mini-racer``), so the index is the one the browser would have built. It is
written as ``search/search_index.prebuilt.js`` in a compact form that the browser decodes
lazily, term by term, as queries need it, with where each document lies in the text of
``search_index.json`` (:func:`_layout`).

A copy of Material's worker, edited to load that file instead of building the index, is
written next to Material's (``assets/javascripts/workers/search-prebuilt.<hash>.min.js``);
``generator/theme/main.html`` points pages at it. It is derived from the installed Material
on every build, and every edit is anchored on code that must occur exactly once: a Material
release that changes that code stops the build with :class:`PrebuiltSearchError` instead of
shipping a worker that silently misbehaves. The worker loads the documents itself, as text
(``search_index.json``, or from ``file://`` ``search/search_index.docs.js``, the same text in
a script that only offline builds get), while it loads the prebuilt index, and parses a
document only when a query reaches it. It uses the prebuilt index only when it was built from
that same text; otherwise it parses the documents whole and builds the index itself, as
Material does. Without ``search_index.docs.js`` it loads the offline plugin's
``search_index.js`` instead.

The page sends the worker no documents: a copy of Material's page bundle, derived and
anchored the same way (``assets/javascripts/bundle-prebuilt.<hash>.min.js``, named by the
theme override too), loads only ``search/search_config.js``, the search configuration the
page needs for the worker's SETUP message and for highlighting; without that file it loads
the whole index as Material's page does, and the worker uses the documents it is sent. The
same copy follows only language alternates for their sitemaps (see :func:`patch_bundle`).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import material
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.publish.search_assets import (
    _CONFIG_GLOBAL,
    DOCS_SCRIPT,
    INDEX_JSON,
    PREBUILT_INDEX,
    SEARCH_CONFIG,
    PrebuiltSearchError,
    _script,
    _write_if_changed,
    material_worker,
    write_bundle,
    write_worker,
)

log = logging.getLogger("mkdocs.plugins.shoe-capital")

# The first line of the prebuilt index: which search_index.json and which code made it, so
# a build whose index did not change rewrites nothing.
_STAMP = "/* shoe-capital prebuilt search index: {} */\n"
_DOCS_STAMP = "/* shoe-capital search documents: {} */\n"
# Bumped when the documents' layout (_layout) changes, so that indexes are rebuilt.
_LAYOUT_VERSION = b"layout 3"


# -- the worker ---------------------------------------------------------------------------


# -- the page's bundle --------------------------------------------------------------------


def write_config(site_dir: Path) -> Path | None:
    """Write ``search/search_config.js``, the configuration of ``search/search_index.json``
    (read from the start of the file, which MkDocs' search plugin writes first).

    Returns None, and removes a previous one, when the site has no search index."""
    source, target = site_dir / INDEX_JSON, site_dir / SEARCH_CONFIG
    if not source.is_file():
        target.unlink(missing_ok=True)
        return None
    config = _leading_config(source)
    _write_if_changed(target, f"{_CONFIG_GLOBAL}{json.dumps({'config': config})};\n")
    return target


def _leading_config(index_json: Path) -> Any:
    prefix = '{"config":'
    with index_json.open(encoding="utf-8") as file:
        head = file.read(1 << 16)
    if head.startswith(prefix):
        try:
            return json.JSONDecoder().raw_decode(head, len(prefix))[0]
        except json.JSONDecodeError:
            pass
    return json.loads(index_json.read_text(encoding="utf-8"))["config"]


# -- the index ----------------------------------------------------------------------------


def _language_scripts(languages: list[str]) -> list[Path]:
    """The lunr language scripts Material's worker would import (setupSearchLanguages)."""
    base = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr"
    scripts: list[Path] = []
    for lang in languages:
        if lang == "ja":
            scripts.append(base / "tinyseg.js")
        elif lang in ("hi", "th"):
            scripts.append(base / "wordcut.js")
        if lang != "en":
            scripts.append(base / "min" / f"lunr.{lang}.min.js")
    if len(languages) > 1:
        scripts.append(base / "min" / "lunr.multi.min.js")
    return [base / "min" / "lunr.stemmer.support.min.js", *scripts] if scripts else []


def build_index(index_json: str, worker_source: str) -> str:
    """The prebuilt index (JSON text) for the documents of ``index_json``, built by
    ``worker_source`` (Material's stock worker) in an embedded V8."""
    from py_mini_racer import MiniRacer

    context = MiniRacer()
    try:
        context.eval(_script("search_index_build.js"))
        context.eval(worker_source)
        context.eval(_script("search_worker_prebuilt.js"))
        read: Any = context.eval("__scRead")
        languages = json.loads(read(index_json))
        del index_json  # V8 holds its own copy
        for script in _language_scripts(languages):
            context.eval(script.read_text(encoding="utf-8"))
        # No promise is awaited from Python (mini-racer refuses to inside a running asyncio
        # loop): V8 runs the worker's promise jobs after each eval, so a second eval reads
        # the outcome.
        context.eval("__scStart()")
        result = context.eval("__scResult()")
    except Exception as error:  # mini-racer's JS errors carry the JS message and stack
        raise PrebuiltSearchError(f"could not build the search index: {error}") from error
    finally:
        context.close()
    if not isinstance(result, str):
        raise PrebuiltSearchError("could not build the search index: no result")
    return result


def _layout(text: str) -> dict[str, Any] | None:
    """Where each document of ``text`` (search_index.json) lies in it, for the worker, which
    keeps the text and parses a document only when a query reaches it.

    Offsets count UTF-16 code units, as JavaScript's strings do. ``spans`` is the first
    document's start, then for each document its length and the gap to the next; ``pages``
    how far back each document's page is (0: the first document of its page, which Material's
    document map keeps under the page's address and makes the parent of the others);
    ``boosts`` the documents' boosts (None for none) as runs of [boost, count]; ``sample``
    the location of every 64th document and the last (the worker checks them against the
    text). None when the text is not
    laid out as Material's search plugin writes it (``{"config":…,"docs":[…]}``): the worker
    then parses it whole.
    """
    decoder = json.JSONDecoder()
    head, between = '{"config":', ',"docs":['
    if not text.startswith(head):
        return None
    starts: list[int] = []
    ends: list[int] = []
    boosts: list[list[Any]] = []
    pages: list[int] = []
    first: dict[str, int] = {}
    sample: list[list[Any]] = []
    try:
        _, at = decoder.raw_decode(text, len(head))
        config = [len(head), at]
        if not text.startswith(between, at):
            return None
        at += len(between)
        while not text.startswith("]", at):
            doc, end = decoder.raw_decode(text, at)
            if not isinstance(doc, dict) or not isinstance(doc.get("location"), str):
                return None
            page = doc["location"].split("#")[0]  # as setupSearchDocumentMap does
            pages.append(len(starts) - first[page] if page in first else 0)
            first.setdefault(page, len(starts))
            if len(starts) % 64 == 0:
                sample.append([len(starts), doc["location"]])
            starts.append(at)
            ends.append(end)
            boost = doc.get("boost")
            if boosts and boosts[-1][0] == boost:
                boosts[-1][1] += 1
            else:
                boosts.append([boost, 1])
            at = end + 1 if text.startswith(",", end) else end
    except json.JSONDecodeError:
        return None
    if text[at:] != "]}" or not starts:
        return None
    if sample[-1][0] != len(starts) - 1:
        sample.append([len(starts) - 1, doc["location"]])
    length = len(text)
    if not text.isascii():  # a character beyond the BMP is two code units in JavaScript
        astral = [m.start() for m in re.finditer("[\U00010000-\U0010ffff]", text)]
        if astral:
            config = [_utf16(p, astral) for p in config]
            starts = [_utf16(p, astral) for p in starts]
            ends = [_utf16(p, astral) for p in ends]
            length = _utf16(length, astral)
    spans = [starts[0]]
    for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if k:
            spans.append(start - ends[k - 1])
        spans.append(end - start)
    return {
        "length": length,
        "config": config,
        "spans": spans,
        "pages": pages,
        "boosts": boosts,
        "sample": sample,
    }


def _utf16(offset: int, astral: list[int]) -> int:
    return offset + bisect.bisect_left(astral, offset)


def write_index(site_dir: Path, *, docs_script: bool = False) -> Path | None:
    """Build ``search/search_index.prebuilt.js`` from ``search/search_index.json``, and with
    ``docs_script`` (an offline site) ``search/search_index.docs.js``, the text of
    ``search_index.json`` as a script (see :func:`write_docs_script`).

    Returns None when the site has no search index. Left as it is when it was already built
    from the same index by the same code.
    """
    source = site_dir / INDEX_JSON
    if not source.is_file():
        return None
    index_json = source.read_bytes()
    worker = material_worker(site_dir).read_bytes()
    digest = hashlib.sha256(index_json)
    for part in (
        worker,
        _script("search_index_build.js").encode(),
        _script("search_worker_prebuilt.js").encode(),
        _LAYOUT_VERSION,
    ):
        digest.update(part)
    target = site_dir / PREBUILT_INDEX
    docs_target = site_dir / DOCS_SCRIPT
    text: str | None = None
    if not docs_script:
        docs_target.unlink(missing_ok=True)
    elif not _starts_with(docs_target, _DOCS_STAMP.format(digest.hexdigest())):
        text = index_json.decode("utf-8")
        write_docs_script(docs_target, text, _DOCS_STAMP.format(digest.hexdigest()))
    stamp = _STAMP.format(digest.hexdigest())
    if _starts_with(target, stamp):
        return target
    text = text if text is not None else index_json.decode("utf-8")
    del index_json  # 68 MiB at 10 000 stories: V8 is about to need the memory
    # JSON.stringify leaves U+2028 and U+2029 as they are: line breaks to JavaScript
    built = build_index(text, worker.decode("utf-8"))
    built = built.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    layout = _layout(text)
    if layout is not None:
        built = built[:-1] + ',"docs":' + json.dumps(layout, separators=(",", ":")) + "}"
    _write_if_changed(target, stamp + _comment_script("__scIndexText", built))
    return target


def write_docs_script(target: Path, text: str, stamp: str) -> None:
    """Write the text of search_index.json as ``self.__scDocsText=function(){`` a one-line
    comment ``}``: from file:// the worker can only load scripts, and V8 skips a comment far
    faster than it builds the documents of a literal; the worker reads the text back with
    Function.prototype.toString. Material's text has no line break (its JSON escapes them);
    should one appear, no script is written and the worker loads Material's search_index.js.
    """
    if any(c in text for c in "\n\r\u2028\u2029"):
        target.unlink(missing_ok=True)
        return
    _write_if_changed(target, stamp + _comment_script("__scDocsText", text))


def _comment_script(name: str, text: str) -> str:
    """``self.<name>=function(){`` ``text`` as a one-line comment ``}``: a script that V8 reads
    about as fast as it reads the file, whose text the worker gets back with
    Function.prototype.toString. ``text`` must hold no line break."""
    return f"self.{name}=function(){{\n//{text}\n}};\n"


# -- the build step -----------------------------------------------------------------------


def after_build(config: MkDocsConfig, *, index: bool = True) -> None:
    """The plugin's post-build step: run it after Material's search plugin has written
    ``search/search_index.json``. Does nothing for a site without Material's search.
    ``index=False`` (a preview's rebuild, which keeps its first index) writes only the worker."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        return
    site_dir = Path(config.site_dir)
    try:
        write_worker(site_dir)
        write_bundle(site_dir)
        if index and search.config.enabled:
            write_config(site_dir)
            start = time.perf_counter()
            if write_index(site_dir, docs_script=_offline(config)) is not None:
                log.info(
                    "Shoe Capital: search index prebuilt in %.1f s", time.perf_counter() - start
                )
    except PrebuiltSearchError as error:
        raise PluginError(str(error)) from None


# -- helpers ------------------------------------------------------------------------------


def _offline(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin makes this a site to open from file://."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return offline is not None and bool(offline.config.enabled)


def _starts_with(path: Path, text: str) -> bool:
    try:
        with path.open(encoding="utf-8") as file:
            return file.read(len(text)) == text
    except (OSError, UnicodeDecodeError):
        return False
