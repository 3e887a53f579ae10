"""Material's navigation, written so that a closed section does not show how many pages it has.

On every page Material renders each section of the navigation, closed ones too (``navigation
.prune``), and for each it first looks for the section's index page by looping over all its
children, writing a line of whitespace for each one (``partials/nav-item.html``). So a page's
HTML changed with the number of pages in every closed section beside its own: one story added to
February changed every page of that year, and an incremental build rendered them all again.

:class:`SteadyNavigation` loads that template with the loop's whitespace trimmed, so the loop
writes nothing. What a reader sees is the same. The edit is anchored on the loop as Material
writes it, which must occur exactly once: a Material release that changes it stops the build with
a clear error instead of building a site whose pages :mod:`generator.publish.keys` no longer
describes (its description of a closed section leaves out how many children it has).
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2
from mkdocs.exceptions import PluginError

TEMPLATE = "partials/nav-item.html"

LOOP = """\
      {% for item in nav_item.children %}
        {% if item.is_index and _.index is none %}
          {% set _.index = item %}
        {% endif %}
      {% endfor %}
"""

TRIMMED = """\
      {% for item in nav_item.children -%}
        {% if item.is_index and _.index is none -%}
          {% set _.index = item -%}
        {% endif -%}
      {% endfor %}
"""


def steady(source: str) -> str:
    """``source`` (Material's nav-item template) with the index loop writing nothing."""
    if source.count(LOOP) != 1:
        raise PluginError(
            f"{TEMPLATE} (Material's, or a theme override) no longer has the loop over a"
            " section's children that generator/plugin/nav_template.py trims: check the new"
            " template and update LOOP and TRIMMED (and generator/publish/keys.py, which"
            " describes closed sections)"
        )
    return source.replace(LOOP, TRIMMED)


class SteadyNavigation(jinja2.BaseLoader):
    """The theme's loader, with :data:`TEMPLATE` edited by :func:`steady`."""

    def __init__(self, loader: jinja2.BaseLoader) -> None:
        self.loader = loader

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        if template == TEMPLATE:
            source = steady(source)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


def steady_navigation(env: jinja2.Environment) -> None:
    """Load :data:`TEMPLATE` through :class:`SteadyNavigation` in ``env`` (once)."""
    if env.loader is not None and not isinstance(env.loader, SteadyNavigation):
        env.loader = SteadyNavigation(env.loader)
