"""Templating: the Jinja environment the pages are made with, and each page's view of links
(relative to the page, so templates only lay things out and never look anything up)."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2

from generator.link.graph import SHARED_PAGES, Node, Reads
from generator.pages import metadata
from generator.read import markup

TEMPLATES = Path(__file__).parent / "templates"


# Pages whose text gets the glossary's terms as tooltips (see generator/tooltips.py).
TOOLTIP_TEMPLATES = frozenset({"home.md.j2", "story.md.j2", "insight.md.j2"})


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
        if getattr(__obj, "__self__", None).__class__ is PageContext:
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


def render_template(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Template.render, less its copy of Jinja's globals into every page's context (through a
    ChainMap, in pure Python): the templates use none of them."""
    try:
        return "".join(template.root_render_func(template.new_context(context, shared=True)))
    except Exception:
        template.environment.handle_exception()  # re-raised, pointing at the template's line
        raise


def relative_url(target: str, directory: str) -> str:
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


class PageContext:
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
        relative = relative_url(target, self.directory)
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
        relative = relative_url(node.page, self.directory)
        return f"[{title}]({relative}#{anchor})" if anchor else f"[{title}]({relative})"

    def links(self, nodes: Iterable[Node], sep: str = ", ") -> str:
        return sep.join(self.link(node) for node in nodes)
