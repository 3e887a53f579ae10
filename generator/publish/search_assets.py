"""Material's search worker and bundle, patched to load the prebuilt index (and the search
configuration) instead of building the index in every reader's browser."""

from __future__ import annotations

import os
import re
from pathlib import Path


def _script(name: str) -> str:
    return (_JS / name).read_text(encoding="utf-8")


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


class PrebuiltSearchError(Exception):
    """The prebuilt index or the edited worker could not be made."""


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
