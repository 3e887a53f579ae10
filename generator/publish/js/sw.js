/* Shoe Capital's service worker: the published site read offline, on a phone as on a desktop.
 *
 * Written by generator/publish/pwa.py at build time (VERSION, SHELL), served from the site's
 * root. Hand-written rather than Workbox: it needs three things (precache the shell, keep
 * what is read, answer from the cache when the network is gone) in about a hundred lines with
 * no build step, while Workbox's runtime alone is several times the size of this file and
 * would need vendoring with its licence.
 *
 * - Installing caches the shell: styles, scripts, the home page, the offline page, the
 *   search configuration, the icons.
 * - Every same-site GET goes to the network first, and what comes back is kept; with no
 *   network, the kept copy answers, and a page never read answers with the offline page.
 *   So online readers always see the newest build, and a reader who searched online once
 *   can search offline (the index files are kept like any other).
 * - A page asks it (postMessage {type: "keep", urls}) to keep a story and the pages it links.
 * - Caches are named with the build's VERSION; a new build's worker deletes the old ones when
 *   it takes over, so no reader is stuck on an old site.
 */
"use strict";

const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const PREFIX = "shoe-capital-";
const SHELL_CACHE = `${PREFIX}shell-${VERSION}`;
const PAGES_CACHE = `${PREFIX}pages-${VERSION}`;
const SCOPE = self.registration.scope;
const at = (path) => new URL(path, SCOPE).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map(at)))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names
          .filter((name) => name.startsWith(PREFIX) && !name.endsWith(`-${VERSION}`))
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

async function fromNetwork(request) {
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(PAGES_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function fromCache(request) {
  return (await caches.match(request, { ignoreSearch: true }))
    || (request.mode === "navigate" ? caches.match(at("offline.html")) : undefined);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) {
    return;
  }
  event.respondWith(
    fromNetwork(request).catch(async (error) => {
      const kept = await fromCache(request);
      if (kept) {
        return kept;
      }
      throw error;
    })
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) {
    return;
  }
  const wanted = data.urls
    .map((url) => new URL(url, SCOPE))
    .filter((url) => url.href.startsWith(SCOPE))
    .map((url) => { url.hash = ""; return url.href; });
  event.waitUntil(
    caches.open(PAGES_CACHE)
      .then((cache) => Promise.all(wanted.map((url) => cache.add(url).then(() => 1, () => 0))))
      .then((done) => {
        const kept = done.reduce((sum, one) => sum + one, 0);
        if (event.source) {
          event.source.postMessage({ type: "kept", kept, asked: wanted.length });
        }
      })
  );
});
