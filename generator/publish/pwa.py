"""The published site as an installable web app that reads offline: manifest, icons, service
worker and offline page, written into the built site after everything else.

Only a published build gets them (not the preview, whose pages must never be kept, and not
the zip edition, opened from file://, where no worker can run): the same builds that carry a
Content-Security-Policy (generator.publish.csp.wanted). The worker (js/sw.js) and the page
script (js/pwa.js) are hand-written; see sw.js for why not Workbox.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig

from generator.publish import csp
from generator.read.model.items import Site

JS = Path(__file__).parent / "js"
ICONS = ((192, "any"), (512, "any"), (512, "maskable"))
"""The icons browsers ask for: 192 and 512 pixels, and one a launcher may crop to a shape."""
BACKGROUND = "#ffffff"
CREAM = (255, 244, 229)
DEFAULT_THEME = "#4051b5"  # Material's indigo, when the site's stylesheet sets no primary
SHELL_ASSETS = re.compile(
    r"^assets/(?:stylesheets/.+\.css|javascripts/(?:bundle-prebuilt\.[^/]+\.js"
    r"|(?!bundle\.)[^/]+\.js|workers/search-prebuilt\.[^/]+\.js)|vendor/.+\.js"
    r"|(?:images|icons)/.+\.(?:png|svg))$"
)
"""What every page needs, kept at install: styles, the page bundle and search worker the
pages use (not Material's originals, nor its lunr language files), the site's own scripts."""


def wanted(config: MkDocsConfig, command: str) -> bool:
    """Whether this build is published: `build`, and not the offline edition."""
    return csp.wanted(config, command)


def theme_color(config: MkDocsConfig, docs_dir: Path) -> str:
    """The palette's primary colour, as the site's own stylesheet sets it."""
    for sheet in config.extra_css:
        path = docs_dir / str(sheet)
        if path.is_file():
            found = re.search(r"--md-primary-fg-color:\s*(#[0-9a-fA-F]{6})\b", path.read_text())
            if found:
                return found.group(1).lower()
    return DEFAULT_THEME


def manifest(site: Site, color: str) -> dict[str, object]:
    """The web app manifest: names, icons, colours, and the start address and scope at the
    path the site is published under (base_url's)."""
    path = site_path(site)
    title = site.title
    return {
        "name": title,
        "short_name": title if len(title) <= 12 else title.split()[0][:12],
        "description": site.description,
        "lang": site.language,
        "start_url": path,
        "scope": path,
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": color,
        "icons": [
            {
                "src": f"assets/icons/{_icon_name(size, purpose)}",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for size, purpose in ICONS
        ],
    }


def site_path(site: Site) -> str:
    """The path the site is published under: base_url's, ending in /."""
    path = urlsplit(str(site.base_url)).path or "/"
    return path if path.endswith("/") else path + "/"


def _icon_name(size: int, purpose: str) -> str:
    return f"icon-{size}{'-maskable' if purpose == 'maskable' else ''}.png"


def icon(size: int, color: str, *, maskable: bool) -> bytes:
    """A square PNG: the palette's colour with a cream disc, the disc smaller when a launcher
    may crop the icon to a circle (maskable: the safe zone is the inner 80 %)."""
    rgb = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    radius = size * (0.30 if maskable else 0.36)
    centre = (size - 1) / 2
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter type: none
        for x in range(size):
            inside = (x - centre) ** 2 + (y - centre) ** 2 <= radius * radius
            rows.extend(CREAM if inside else rgb)
    return _png(size, size, bytes(rows))


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def offline_page(site: Site, sheets: list[str], color: str) -> str:
    """The page a reader gets for a page never read, with no network: what is kept instead.
    The worker answers with it at the address asked for, so its links start from the site's
    root (<base>, at base_url's path)."""
    title = html.escape(site.title)
    root = html.escape(site_path(site))
    links = "\n".join(f'  <link rel="stylesheet" href="{html.escape(s)}">' for s in sheets)
    return f"""<!doctype html>
<html lang="{html.escape(site.language)}">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'">
  <base href="{root}">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <meta name="theme-color" content="{color}">
  <title>Offline - {title}</title>
{links}
</head>
<body dir="ltr" data-md-color-scheme="default">
  <main class="md-main"><div class="md-main__inner md-grid"><div class="md-content">
  <article class="md-content__inner md-typeset">
    <h1>You are offline</h1>
    <p>This page of {title} has not been read on this device, so it is not kept here. These
    pages are, and open without a network:</p>
    <ul id="sc-kept"><li>Looking for kept pages…</li></ul>
    <p><a href="./">{title}: home page</a></p>
  </article>
  </div></div></main>
  <script src="assets/javascripts/offline.js"></script>
</body>
</html>
"""


def write(site_dir: Path, site: Site, color: str) -> dict[str, int]:
    """Write the manifest, icons, page scripts, offline page and worker into a built site;
    the worker's cache version is a hash of the shell and the search index, which holds every
    page's text: a new build with any change of text or look gets new caches."""
    icons = site_dir / "assets" / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for size, purpose in ICONS:
        (icons / _icon_name(size, purpose)).write_bytes(
            icon(size, color, maskable=purpose == "maskable")
        )
    manifest_text = json.dumps(manifest(site, color), ensure_ascii=False, indent=2) + "\n"
    (site_dir / "manifest.webmanifest").write_text(manifest_text, encoding="utf-8")
    scripts = site_dir / "assets" / "javascripts"
    scripts.mkdir(parents=True, exist_ok=True)
    for name in ("pwa.js", "offline.js"):
        (scripts / name).write_bytes((JS / name).read_bytes())
    sheets = sorted(
        p.relative_to(site_dir).as_posix()
        for p in (site_dir / "assets" / "stylesheets").glob("*.css")
    )
    (site_dir / "offline.html").write_text(offline_page(site, sheets, color), encoding="utf-8")
    shell = ["", "offline.html", "manifest.webmanifest", "search/search_config.js"]
    shell += sorted(
        relative
        for p in (site_dir / "assets").rglob("*")
        if p.is_file() and SHELL_ASSETS.match(relative := p.relative_to(site_dir).as_posix())
    )
    shell = [path for path in shell if path == "" or (site_dir / path).is_file()]
    digest = hashlib.sha256()
    for path in [*shell, "search/search_index.json", "sitemap.xml", "404.html"]:
        file = site_dir / (path or "index.html")
        if file.is_file():
            digest.update(path.encode() + b"\0" + file.read_bytes())
    worker = (JS / "sw.js").read_text(encoding="utf-8")
    worker = worker.replace("__VERSION__", digest.hexdigest()[:16]).replace(
        "__SHELL__", json.dumps(shell)
    )
    (site_dir / "sw.js").write_text(worker, encoding="utf-8")
    return {
        "shell_files": len(shell),
        "shell_bytes": sum((site_dir / (p or "index.html")).stat().st_size for p in shell),
    }
