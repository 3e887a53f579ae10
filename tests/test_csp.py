"""The Content-Security-Policy tag (generator/csp.py), without a browser: what is hashed,
what is refused, where the tag goes, and which builds get it (the browser's view is in
tests/test_csp_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import material
import pytest

from generator.plugin.plugin import ShoeCapitalPlugin
from generator.publish import csp

PARTIALS = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
BASE = (PARTIALS / "base.html").read_text(encoding="utf-8").split("<script>")[1]
BASE = BASE.split("</script>")[0]
# Material's head script as a page two folders deep gets it
SCOPE = BASE.replace("{{ config.extra.scope | d(base_url) }}", "../..")
PALETTE = (PARTIALS / "palette.html").read_text(encoding="utf-8").split("<script>")[1]
PALETTE = PALETTE.split("</script>")[0]


def _page(head: str = "", body: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n'
        f'    <meta name="viewport" content="width=device-width">\n{head}\n  </head>\n'
        f"  <body>{body}</body>\n</html>\n"
    )


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _script_src(page: str) -> list[str]:
    policy = page.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    for part in policy.split(";"):
        name, *values = part.split()
        if name == "script-src":
            return values
    raise AssertionError(policy)


def test_material_scripts_are_read_from_the_installed_material() -> None:
    patterns = csp.material_scripts()
    assert len(patterns) >= 6  # base, palette, content, announce, outdated, consent
    assert csp.is_material(SCOPE)
    assert csp.is_material(PALETTE)
    assert csp.is_material(BASE.replace("{{ config.extra.scope | d(base_url) }}", "/"))


def test_only_materials_executable_inline_scripts_are_hashed() -> None:
    page = _page(
        head=f"<script>{SCOPE}</script>"
        '<script type="application/ld+json">{"@type": "Thing"}</script>',
        body=f"<script>{PALETTE}</script>"
        '<script id="__config" type="application/json">{"base": "../.."}</script>'
        '<script src="../../assets/javascripts/bundle.js"></script>'
        f"<script>{SCOPE}</script>",  # the same script twice: one hash
    )
    out, blocked = csp.add_policy(page)
    assert blocked == []
    assert _script_src(out) == ["'self'", _hash(SCOPE), _hash(PALETTE)]
    assert "'unsafe-inline'" not in out and "'unsafe-eval'" not in out
    assert out.replace(out.split("\n")[4] + "\n", "", 1) == page  # the tag is all it adds


@pytest.mark.parametrize(
    "script",
    [
        "<script>alert(1)</script>",
        '<script type="module">alert(1)</script>',
        '<SCRIPT TYPE=" Text/JavaScript ">alert(1)</SCRIPT >',
        "<script type='application/x-javascript'>alert(1)</script>",
        '<script language="javascript">alert(1)</script>',
        '<script type="">alert(1)</script>',
        # Lookalikes of Material's scripts: code after it, or a value that leaves its string
        f"<script>{SCOPE};alert(1)</script>",
        "<script>" + SCOPE.replace('"../.."', '"../.."+alert(1)+""') + "</script>",
        "<script>" + SCOPE.replace('"../.."', '"\\"+alert(1)//"') + "</script>",
        "<script>" + SCOPE.replace('"../.."', '"`${alert(1)}`"') + "</script>",
        "<script>" + SCOPE.replace('"../.."', '"..\u2028alert(1)"') + "</script>",
    ],
)
def test_any_other_inline_script_is_refused_and_reported(script: str) -> None:
    out, blocked = csp.add_policy(_page(head=f"<script>{SCOPE}</script>", body=script))
    assert len(blocked) == 1
    assert _hash(blocked[0]) not in _script_src(out)
    assert _script_src(out) == ["'self'", _hash(SCOPE)]


@pytest.mark.parametrize(
    "script",
    [
        '<script type="application/ld+json">{"a": 1}</script>',
        '<script type="text/plain">alert(1)</script>',
        '<script src="x.js">alert(1)</script>',
        '<script data-x="1" src=x.js></script>',
    ],
)
def test_data_blocks_and_scripts_from_files_are_neither_hashed_nor_reported(script: str) -> None:
    out, blocked = csp.add_policy(_page(body=script))
    assert blocked == []
    assert _script_src(out) == ["'self'"]


def test_the_hash_is_of_the_text_the_browser_runs() -> None:
    # The browser's parser turns CR LF into LF before the script exists
    page = _page(head=f"<script>{PALETTE}</script>").replace(PALETTE, PALETTE + "\r\n")
    out, blocked = csp.add_policy(page)
    assert blocked == [PALETTE + "\n"]
    assert _hash(PALETTE + "\n") not in _script_src(out)  # not Material's as it stands


def test_the_tag_comes_first_in_the_head_after_the_charset() -> None:
    out, _ = csp.add_policy(_page())
    head = out.split("<head>")[1].split("\n")
    assert head[1].strip() == '<meta charset="utf-8">'
    assert head[2].startswith('<meta http-equiv="Content-Security-Policy"')
    without_charset, _ = csp.add_policy("<html><head><title>x</title></head></html>")
    assert without_charset.startswith('<html><head>\n<meta http-equiv="Content-Security-Policy"')
    # A <header> is not the head; a document without one is left alone
    assert csp.add_policy("<header>x</header>") == ("<header>x</header>", [])


def test_the_policy_names_every_directive_of_the_brief() -> None:
    policy = dict(csp.POLICY)
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "worker-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }


def _config(*plugins: str) -> Any:
    on = SimpleNamespace(config=SimpleNamespace(enabled=True))
    return SimpleNamespace(plugins={name: on for name in plugins})


def test_only_the_online_build_gets_the_policy() -> None:
    assert csp.wanted(_config("shoe-capital", "search"), "build")
    assert csp.wanted(_config("shoe-capital", "search"), "gh-deploy")
    # The offline edition: its iframe-worker writes an inline script naming a file:// path
    assert not csp.wanted(_config("shoe-capital", "search", "offline"), "build")
    assert not csp.wanted(_config("material/offline"), "build")
    # A preview: MkDocs' live reload adds an inline script to every page it serves
    assert not csp.wanted(_config("shoe-capital", "search"), "serve")


def test_the_plugin_warns_of_a_script_the_policy_blocks(caplog: pytest.LogCaptureFixture) -> None:
    plugin = ShoeCapitalPlugin()
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.shoe-capital"):
        out = plugin._add_policy(_page(body="<script>alert('hi')</script>"), "about/index.html")
    assert 'http-equiv="Content-Security-Policy"' in out
    assert [r.getMessage() for r in caplog.records] == [
        "about/index.html: an inline script that is not Material's, which the page's "
        "Content-Security-Policy blocks (ship it as a file under extra_javascript): "
        "alert('hi')"
    ]
