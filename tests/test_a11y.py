"""Accessibility: axe-core, run in Chromium over a page of every kind.

axe-core (tests/vendor/axe.min.js, test-only) is injected into each built page; no violation
of any impact may remain, in the light palette or the dark one. No rule is switched off: the
findings of an untouched Material page (aria-dialog-name on the search dialog, color-contrast,
a footer link's name read with escapes) are fixed in generator/theme/, the plugin and the
palette. Also: the selected search result is visible, and a 375 px screen never scrolls
sideways.
"""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGES = {
    "home": "/",
    "stories": "/stories/",
    "story": "/stories/chengdu-footwear-goes-overseas-2023/",
    "people": "/people/",
    "person": "/people/tan-qijian/",
    "organizations": "/organizations/",
    "organization": "/organizations/huidu-fashion-industrial-park/",
    "places": "/places/",
    "place": "/places/chengdu/",
    "topics": "/topics/",
    "topic": "/topics/cross-border-e-commerce/",
    "fact sheet": "/facts/",
    "timeline": "/timeline/",
    "glossary": "/glossary/",
    "insights": "/insights/",
    # Analysis blocks (their label on a tint) and a fact's quote and inferred date.
    "insight": "/insights/production-capacity-and-overseas-orders/",
    "fact": "/facts/short-flat-and-fast-advantage/",
    "editors' guide": "/editors/",  # code samples
    "field reference": "/editors/reference/",
    "about": "/about/",
    "data": "/data/",
    "not found": "/404.html",
}


@pytest.fixture(scope="module")
def site_url(project_site: Path):
    from conftest import serve_directory

    with serve_directory(project_site) as url:
        yield url


def _axe(page) -> list[dict]:
    # An inline script: pages open with bypass_csp, or their Content-Security-Policy refuses it
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
        }"""
    )


CASES = [(name, scheme) for scheme in ("light", "dark") for name in PAGES]


@pytest.mark.parametrize(("name", "scheme"), CASES)
def test_no_axe_violations_of_any_impact(site_url, new_page, name, scheme):
    guarded = new_page(site_url, color_scheme=scheme, bypass_csp=True)
    guarded.page.goto(PAGES[name], wait_until="load")
    expected = "slate" if scheme == "dark" else "default"
    assert guarded.page.get_attribute("body", "data-md-color-scheme") == expected

    violations = _axe(guarded.page)

    assert violations == [], f"{name} ({scheme}): {violations}"
    assert guarded.blocked == []


def test_search_dialog_has_an_accessible_name(site_url, new_page):
    guarded = new_page(site_url)
    guarded.page.goto("/", wait_until="load")
    dialog = guarded.page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label") == "Search"


def test_the_selected_search_result_is_clearly_marked(site_url, new_page):
    guarded = new_page(site_url)
    page = guarded.page
    page.goto("/", wait_until="load")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("shoe compan")
    box.press_sequentially("y")
    first = page.locator(".md-search-result__item").first
    first.wait_for(state="visible", timeout=20_000)
    box.press("ArrowDown")  # Material moves the focus to the first result
    style = page.evaluate(
        """() => { const el = document.activeElement, style = getComputedStyle(el);
                   return [el.classList.contains("md-search-result__link"),
                           style.outlineStyle, style.outlineWidth]; }"""
    )
    assert style == [True, "solid", "2px"]


@pytest.mark.parametrize("path", ["/facts/", "/facts/huidu-park-enterprise-count/", "/people/"])
def test_a_375_px_screen_never_scrolls_sideways(site_url, new_page, path):
    guarded = new_page(site_url)
    page = guarded.page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path, wait_until="load")
    widths = page.evaluate(
        """() => [document.documentElement.scrollWidth,
                  ...[...document.querySelectorAll('.md-typeset__scrollwrap')]
                     .map(t => t.scrollWidth - t.clientWidth),
                  ...[...document.querySelectorAll('.md-typeset table')]
                     .map(t => Math.ceil(t.getBoundingClientRect().right) - 375)]"""
    )
    assert widths[0] <= 375
    assert all(extra <= 1 for extra in widths[1:]), widths  # no table scrolls, none spills
