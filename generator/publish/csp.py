"""A Content-Security-Policy for every HTML page of the online edition, as a ``<meta>`` tag.

Defence in depth behind the escaping of content (markup.py): even if a page came to carry an
injected ``<script>``, an ``onclick=`` or a ``javascript:`` link, the browser would refuse to
run it. Scripts may come only from the site's own files (``'self'``) or be one of the inline
scripts Material's templates write, allowed by their hash (``'sha256-…'``). Those differ from
page to page (``__md_scope=new URL("../..",location)`` names the page's depth), so their
hashes are computed from each page as it is written, not listed once in mkdocs.yml.

Only the inline scripts Material writes are hashed, never every script a page holds: a
script that escaped into a page from content must stay blocked. Which scripts are Material's
is read from the installed Material's own ``partials/javascripts/*.html`` (every
``{{ expression }}`` in them stands for a value that cannot leave its string literal). Any
other executable inline script is reported (:func:`add_policy`), so the plugin warns and
a strict build stops, rather than a page that silently lacks a script.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import material
from mkdocs.config.defaults import MkDocsConfig

from generator.publish.offline import is_offline

_PARTIALS = Path(material.__file__).parent / "templates" / "partials" / "javascripts"

# What an expression of a Material partial may render to: the partials put them only inside
# a JavaScript string literal ("{{ base_url }}"), which nothing in this class can end.
_VALUE = r"""[^"'`\\<>\s]*"""

# The policy, directive by directive; script-src gets the page's hashes after 'self'.
POLICY: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    # Material's search runs in a worker loaded from the site's own files; no blob: needed.
    ("worker-src", "'self'"),
    # No inline style is needed either: Material and the theme set styles only through the
    # CSSOM (element.style), which CSP does not restrict, and the pages carry no style="".
    ("style-src", "'self'"),
    # Material's icons in its stylesheets are data: SVG (mask-image), which img-src governs.
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# MIME types that make a <script type=…> a classic script (HTML's "JavaScript MIME type
# essence match"), and the other types a browser runs; anything else is a data block (JSON-LD,
# Material's __config), which CSP does not govern.
_JAVASCRIPT_TYPES = frozenset(
    {
        *(
            f"application/{name}"
            for name in ("ecmascript", "javascript", "x-ecmascript", "x-javascript")
        ),
        *(
            f"text/{name}"
            for name in (
                "ecmascript",
                "javascript",
                "javascript1.0",
                "javascript1.1",
                "javascript1.2",
                "javascript1.3",
                "javascript1.4",
                "javascript1.5",
                "jscript",
                "livescript",
                "x-ecmascript",
                "x-javascript",
            )
        ),
        "module",
        "importmap",
        "speculationrules",
    }
)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"\s*<meta\s+charset=[^>]*>", re.IGNORECASE)


class CspError(Exception):
    """Material's inline scripts could not be read from its templates."""


@cache
def material_scripts() -> tuple[re.Pattern[str], ...]:
    """The inline scripts Material's templates write, one pattern each.

    Read from the installed Material on every build, so a new release's scripts are allowed
    as they are; a release that moves them elsewhere stops the build (CspError) instead of
    shipping pages whose scripts the browser refuses.
    """
    patterns: list[re.Pattern[str]] = []
    for path in sorted(_PARTIALS.glob("*.html")):
        source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        for body in re.findall(r"<script>(.*?)</script>", source, flags=re.DOTALL):
            if "{%" in body:
                raise CspError(f"{path}: a script with template logic inside it")
            parts = re.split(r"\{\{.*?\}\}", body, flags=re.DOTALL)
            patterns.append(re.compile(_VALUE.join(re.escape(part) for part in parts)))
    if not patterns:
        raise CspError(
            f"no inline scripts found in {_PARTIALS}: Material has changed; re-check "
            "generator/csp.py against this Material release"
        )
    return tuple(patterns)


# A script element's start tag (its attributes) and its end. Regular expressions rather than
# an HTML parser, which would take over a minute of a 43 000-page build; what they could
# mistake for a script (the text of a comment, say) is only ever allowed if it is Material's.
_SCRIPT_START = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_SCRIPT_END = re.compile(r"</script\s*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"""(?:^|\s)([a-z][^\s=/>]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""",
    re.IGNORECASE,
)


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(text)
    }


def _executable(attrs: dict[str, str]) -> bool:
    """Whether a <script> with these attributes runs (HTML's "prepare the script element")."""
    kind = attrs.get("type")
    if kind is None:
        language = attrs.get("language")
        if not language:
            return True
        kind = f"text/{language}"
    kind = kind.strip().lower()
    return kind == "" or kind in _JAVASCRIPT_TYPES


@lru_cache(maxsize=1024)  # pages repeat the same few script tags
def _inline_and_executable(attributes: str) -> bool:
    attrs = _attributes(attributes)
    return "src" not in attrs and _executable(attrs)


def inline_scripts(page: str) -> list[str]:
    """The text of every executable inline script of a page, in order, as the browser reads
    it (its parser turns CR LF and CR into LF first)."""
    found = []
    at = 0
    while (start := _SCRIPT_START.search(page, at)) is not None:
        end = _SCRIPT_END.search(page, start.end())
        if end is None:
            break
        if _inline_and_executable(start.group(1)):
            text = page[start.end() : end.start()]
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            found.append(text)
        at = end.end()
    return found


@lru_cache(maxsize=4096)  # a site holds a few distinct scripts, thousands of times each
def is_material(script: str) -> bool:
    return any(pattern.fullmatch(script) for pattern in material_scripts())


@lru_cache(maxsize=4096)
def source_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(scripts: Iterable[str]) -> str:
    """The policy for a page whose allowed inline scripts are ``scripts``."""
    hashes = list(dict.fromkeys(source_hash(s) for s in scripts))  # in order, once each
    return "; ".join(
        " ".join([name, value, *hashes]) if name == "script-src" else f"{name} {value}"
        for name, value in POLICY
    )


def add_policy(page: str) -> tuple[str, list[str]]:
    """The page with its Content-Security-Policy tag at the top of its head, and the
    executable inline scripts it holds that are not Material's (the policy blocks them).

    The tag follows only ``<meta charset>``, which must stay within the page's first 1024
    bytes and runs nothing; a policy in a <meta> applies only to what comes after it, so it
    precedes every script, style and link. A page without a <head> is returned unchanged.
    """
    head = _HEAD.search(page)
    if head is None:
        return page, []
    at = head.end()
    charset = _CHARSET.match(page, at)
    if charset is not None:
        at = charset.end()
    allowed: list[str] = []
    blocked: list[str] = []
    for script in inline_scripts(page):
        (allowed if is_material(script) else blocked).append(script)
    tag = f'\n<meta http-equiv="Content-Security-Policy" content="{policy(allowed)}">'
    return page[:at] + tag + page[at:], blocked


def wanted(config: MkDocsConfig, command: str) -> bool:
    """Whether this build's pages get the policy.

    Not the offline edition: opened from file://, its search runs in the iframe-worker shim,
    which writes an inline script naming the worker's file:// address, known only once the
    reader has unzipped the site somewhere, so no hash can allow it (README, "Reading
    offline"). Not a preview (`serve`): MkDocs' live reload adds an inline script to every
    page it serves, different each time.
    """
    return command != "serve" and not is_offline(config)
