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
import os
import re
import time
from pathlib import Path
from typing import Any

import material
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.plugins.shoe-capital")

INDEX_JSON = Path("search") / "search_index.json"
PREBUILT_INDEX = Path("search") / "search_index.prebuilt.js"
WORKERS = Path("assets") / "javascripts" / "workers"
# Material's worker is search.<hash>.min.js; the edited copy keeps the hash, so the theme
# override finds it by replacing one word of the path Material's template writes.
WORKER_NAME = re.compile(r"search\.([0-9a-f]+)\.min\.js")
PREBUILT_WORKER_PREFIX = "search-prebuilt."
# Where the worker (in WORKERS) finds the prebuilt index.
_INDEX_FROM_WORKER = "../../../" + PREBUILT_INDEX.as_posix()
# The text of search_index.json as a script, for the worker of an offline site (file://).
DOCS_SCRIPT = Path("search") / "search_index.docs.js"
# Where the worker finds the documents itself: Material's index (http), or from file:// the
# text of it as a script, or the offline plugin's script of it (when that text is missing).
_DOCS_FROM_WORKER = "../../../" + INDEX_JSON.as_posix()
_DOCS_TEXT_FROM_WORKER = "../../../" + DOCS_SCRIPT.as_posix()
_DOCS_SCRIPT_FROM_WORKER = "../../../search/search_index.js"
# The page's bundle: Material's is bundle.<hash>.min.js; the edited copy keeps the hash.
JAVASCRIPTS = Path("assets") / "javascripts"
BUNDLE_NAME = re.compile(r"bundle\.([0-9a-f]+)\.min\.js")
PREBUILT_BUNDLE_PREFIX = "bundle-prebuilt."
# The search configuration alone, for the page (the worker loads the documents itself).
SEARCH_CONFIG = Path("search") / "search_config.js"
_CONFIG_GLOBAL = "self.__scSearchConfig="
_JS = Path(__file__).parent / "js"
# The first line of the prebuilt index: which search_index.json and which code made it, so
# a build whose index did not change rewrites nothing.
_STAMP = "/* shoe-capital prebuilt search index: {} */\n"
_DOCS_STAMP = "/* shoe-capital search documents: {} */\n"
# Bumped when the documents' layout (_layout) changes, so that indexes are rebuilt.
_LAYOUT_VERSION = b"layout 3"


class PrebuiltSearchError(Exception):
    """The prebuilt index or the edited worker could not be made."""


def _script(name: str) -> str:
    return (_JS / name).read_text(encoding="utf-8")


# -- the worker ---------------------------------------------------------------------------


def _once(pattern: str, source: str, what: str, script: str = "search worker") -> re.Match[str]:
    found = list(re.finditer(pattern, source))
    if len(found) != 1:
        raise PrebuiltSearchError(
            f"Material's {script} has changed: the code {what} was found {len(found)} "
            "times instead of once, so the prebuilt search index cannot be used; "
            "re-check generator/prebuilt_search.py against this Material release"
        )
    return found[0]


def _replace(source: str, match: re.Match[str], text: str) -> str:
    return source[: match.start()] + text + source[match.end() :]


def patch_worker(source: str) -> str:
    """Material's minified search worker, edited to use the prebuilt index.

    Raises PrebuiltSearchError when any of the code it edits is not found exactly once.
    """
    ctor = _once(
        r"constructor\(\{config:(\w+),docs:(\w+),options:\w+\}\)\{",
        source,
        "that receives the search documents (Search's constructor)",
    )
    config, docs = ctor.groups()
    tokenizer = _once(
        r"this\.tokenizer=(\w+),lunr\.tokenizer\.separator=new RegExp\(\w+\.separator\)",
        source,
        "that sets lunr's tokenizer",
    ).group(1)
    # 0. Documents parsed on demand get a map of their own (__scMap), not Material's.
    docmap = _once(
        rf"this\.map=(\w+)\({docs}\),",
        source,
        "that maps the search documents (setupSearchDocumentMap)",
    )
    source = _replace(source, docmap, f"this.map=__scMap({docs})||{docmap.group(1)}({docs}),")
    # 1. Load the prebuilt index; build it as Material does only when there is none.
    build = _once(
        r"this\.index=lunr\(function\(\)\{this\.metadataWhitelist=\[\"position\"\]",
        source,
        "that builds the lunr index",
    )
    source = _replace(
        source,
        build,
        f"this.index=__scLoad({config},{docs},this.map)||" + build.group(0)[len("this.index=") :],
    )
    # 2. Highlighting: positions and position tables of matched documents, computed when the
    #    index carries none (a prebuilt one).
    loop = _once(
        r"let (\w+)=\[\];for\(let (\w+) of Object\.values\((\w+)\.metadata\)\)"
        r"typeof \2\[(\w+)\]!=\"undefined\"&&\1\.push\(\.\.\.\2\[\4\]\.position\);"
        r"if\(!\1\.length\)continue;"
        r"let (\w+)=this\.table\.get\(\[(\w+)\.location,\4\]\.join\(\":\"\)\)",
        source,
        "that collects the positions to highlight",
    )
    m, d, u, field, table, doc = loop.groups()
    tokens = f'(__scT=__scT||__scTokens({tokenizer},{doc}[{field}],{doc}.location+":"+{field}))'
    source = _replace(
        source,
        loop,
        f"let {m}=[],__scT;for(let[__scTerm,{d}]of Object.entries({u}.metadata))"
        f'typeof {d}[{field}]!="undefined"&&({d}[{field}].position?'
        f"{m}.push(...{d}[{field}].position):{m}.push(...{tokens}.positions(__scTerm)));"
        f"if(!{m}.length)continue;"
        f'let {table}=this.table.get([{doc}.location,{field}].join(":"))||{tokens}.table',
    )
    # 3. SETUP waits for the prebuilt index and the worker's own documents, and uses those
    #    when the page sent none; READY says whether the index was prebuilt and where the
    #    documents came from (for tests).
    setup = _once(
        r"case 0:return yield (\w+\((\w+)\.data\.config\)),(\w+=new \w+\(\2\.data\)),\{type:1\}",
        source,
        "that answers the SETUP message",
    )
    message = setup.group(2)
    source = _replace(
        source,
        setup,
        f"case 0:return yield self.__scReady,{message}.data=__scSetup({message}.data),"
        f"yield {setup.group(1)},{setup.group(3)},"
        "{type:1,prebuilt:self.__scPrebuilt===true,docs:self.__scDocsFrom,"
        "lazy:self.__scOnDemand===true}",
    )
    # The source map no longer matches the edited code.
    source = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", source)
    start = (
        f"self.__scReady=Promise.all([__scPrefetch({_INDEX_FROM_WORKER!r}),"
        f"__scOwnDocs({_DOCS_FROM_WORKER!r},{_DOCS_TEXT_FROM_WORKER!r},"
        f"{_DOCS_SCRIPT_FROM_WORKER!r})]);\n"
    )
    return _script("search_worker_prebuilt.js") + start + source


def material_worker(site_dir: Path) -> Path:
    """Material's search worker as copied into ``site_dir``."""
    found = sorted(
        p for p in (site_dir / WORKERS).glob("search.*.min.js") if WORKER_NAME.fullmatch(p.name)
    )
    if len(found) != 1:
        raise PrebuiltSearchError(
            f"expected one Material search worker in {site_dir / WORKERS}, found {len(found)}"
        )
    return found[0]


def write_worker(site_dir: Path) -> Path:
    """Write the edited worker next to Material's (rewritten only if its bytes change)."""
    stock = material_worker(site_dir)
    target = stock.with_name(PREBUILT_WORKER_PREFIX + stock.name.removeprefix("search."))
    _write_if_changed(target, patch_worker(stock.read_text(encoding="utf-8")))
    return target


# -- the page's bundle --------------------------------------------------------------------


def patch_bundle(source: str) -> str:
    """Material's minified page bundle, edited so that the page loads only the search
    configuration (``search/search_config.js``) and sends the worker no documents; it falls
    back to Material's own loading of the whole index when that file is missing. It also
    follows only language alternates (``hreflang``) for their sitemaps, not the feed's link.

    Raises PrebuiltSearchError when the code it edits is not found exactly once.
    """
    fetch = _once(
        r"function (\w+)\(\)\{return (location\.protocol===\"file:\"\?\w+\(`\$\{new URL\("
        r"\"search/search_index\.js\",(\w+)\.base\)\}`\)\.pipe\(\w+\(\(\)=>__index\),\w+\(1\)\)"
        r":\w+\(new URL\(\"search/search_index\.json\",\3\.base\)\))\}",
        source,
        "that fetches the search index (fetchSearchIndex)",
        "page bundle",
    )
    name, material_fetch, config = fetch.groups()
    source = _replace(
        source,
        fetch,
        f"function {name}(){{return __scSearchIndex("
        f'new URL("{SEARCH_CONFIG.as_posix()}",{config}.base).href,()=>{material_fetch})}}',
    )
    # Material's alternate-language navigation (setupAlternate) downloads and parses the
    # sitemap.xml beside every <link rel="alternate"> on every page load, the feed's link
    # included: at 43 000 pages, 5.6 MB of XML parsed on the page's thread (the worker's
    # too, from file://) while search starts. The languages it is meant for are the links
    # Material's base.html writes with hreflang; only those are followed.
    alternate = _once(
        r'(\w+)\("link\[rel=alternate\]"\)',
        source,
        "that finds the alternate links (setupAlternate)",
        "page bundle",
    )
    source = _replace(source, alternate, f'{alternate.group(1)}("link[rel=alternate][hreflang]")')
    source = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", source)
    return source + _script("search_page.js")


def material_bundle(site_dir: Path) -> Path:
    """Material's page bundle as copied into ``site_dir``."""
    found = sorted(
        p for p in (site_dir / JAVASCRIPTS).glob("bundle.*.min.js") if BUNDLE_NAME.fullmatch(p.name)
    )
    if len(found) != 1:
        raise PrebuiltSearchError(
            f"expected one Material bundle in {site_dir / JAVASCRIPTS}, found {len(found)}"
        )
    return found[0]


def write_bundle(site_dir: Path) -> Path:
    """Write the edited bundle next to Material's (rewritten only if its bytes change)."""
    stock = material_bundle(site_dir)
    target = stock.with_name(PREBUILT_BUNDLE_PREFIX + stock.name.removeprefix("bundle."))
    _write_if_changed(target, patch_bundle(stock.read_text(encoding="utf-8")))
    return target


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


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
