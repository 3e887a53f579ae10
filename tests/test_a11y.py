"""Accessibility: axe-core, run in Chromium over the pages a reader meets first.

axe-core (tests/vendor/axe.min.js, test-only) is injected into each built page; no serious or
critical violation may remain, in the light palette or the dark one. No rule is switched off:
the two findings of an untouched Material page (aria-dialog-name on the search dialog and
color-contrast) are fixed in generator/theme/ and the palette.
"""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGES = {
    "home": "/",
    "story": "/stories/chengdu-footwear-goes-overseas-2023/",
    "person": "/people/tan-qijian/",
    "organization": "/organizations/huidu-fashion-industrial-park/",
    "fact sheet": "/facts/",
    "timeline": "/timeline/",
    # Analysis blocks (their label on a tint) and a fact's quote and inferred date.
    "insight": "/insights/production-capacity-and-overseas-orders/",
    "fact": "/facts/short-flat-and-fast-advantage/",
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


# Every page in the light palette; the dark palette on the pages that hold every kind of
# element (byline, quotes, tags, tables, footer), to keep the suite fast.
CASES = [(name, "light") for name in PAGES]
CASES += [(name, "dark") for name in ("home", "story", "fact sheet", "insight")]


@pytest.mark.parametrize(("name", "scheme"), CASES)
def test_no_serious_or_critical_axe_violations(site_url, new_page, name, scheme):
    guarded = new_page(site_url, color_scheme=scheme, bypass_csp=True)
    guarded.page.goto(PAGES[name], wait_until="load")
    expected = "slate" if scheme == "dark" else "default"
    assert guarded.page.get_attribute("body", "data-md-color-scheme") == expected

    violations = _axe(guarded.page)

    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{name} ({scheme}): {serious}"
    assert guarded.blocked == []


def test_search_dialog_has_an_accessible_name(site_url, new_page):
    guarded = new_page(site_url)
    guarded.page.goto("/", wait_until="load")
    dialog = guarded.page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label") == "Search"
