"""Material's navigation template, loaded with its loop over a section's children trimmed
(generator/plugin/nav_template.py): a closed section's HTML does not grow with its pages."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from mkdocs.exceptions import PluginError

from generator.plugin.nav_template import TEMPLATE, SteadyNavigation, steady, steady_navigation


def material_source() -> str:
    import material

    return (Path(material.__file__).parent / "templates" / TEMPLATE).read_text(encoding="utf-8")


def test_the_installed_material_has_the_loop_once() -> None:
    edited = steady(material_source())
    assert edited != material_source()


def test_a_template_without_the_loop_stops_the_build_with_what_to_do() -> None:
    changed = material_source().replace("_.index is none", "_.index == none")
    with pytest.raises(PluginError, match=r"partials/nav-item.html .* no longer has the loop"):
        steady(changed)


def test_a_closed_section_renders_the_same_with_more_pages() -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({TEMPLATE: material_source()}))
    env.filters["url"] = lambda url: url
    steady_navigation(env)
    steady_navigation(env)  # once only
    assert isinstance(env.loader, SteadyNavigation)
    assert not isinstance(env.loader.loader, SteadyNavigation)

    class Item:
        def __init__(self, title: str, children: list[Item] | None = None) -> None:
            self.title, self.children, self.url = title, children, title.lower() + "/"
            self.active, self.is_index, self.pages = False, False, None
            self.meta = self.typeset = None

    page = Item("Open page")

    def closed(count: int) -> str:
        section = Item("May", [Item(f"Story {n}") for n in range(count)])
        module = env.get_template(TEMPLATE).make_module(
            {"features": ["navigation.prune", "navigation.indexes"], "page": page, "config": {}}
        )
        return str(module.render(section, "__nav_1", 1, None))

    assert closed(2) == closed(40)
    assert 'href="story 0/"' in closed(2)
