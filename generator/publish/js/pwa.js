/* Shoe Capital: registers the service worker (sw.js, written at build time) and, on stories
 * and insights, offers "Keep for offline reading": the worker then keeps the page and every
 * page it links to directly (people, organizations, places, facts, the stories it cites).
 * Only published builds load this file; the offline (zip) edition and the preview do not. */
(() => {
  "use strict";
  const manifest = document.querySelector('link[rel="manifest"]');
  if (!manifest || !("serviceWorker" in navigator) || location.protocol === "file:") {
    return;
  }
  const scope = new URL(".", new URL(manifest.getAttribute("href"), location.href));
  navigator.serviceWorker.register(new URL("sw.js", scope).href, { scope: scope.pathname })
    .catch(() => { /* a browser that refuses workers reads online as before */ });

  const kind = document.querySelector('meta[name="sc-kind"]');
  const heading = document.querySelector(".md-content article h1");
  if (!kind || !["story", "insight"].includes(kind.content) || !heading) {
    return;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button sc-keep";
  button.textContent = "Keep for offline reading";
  heading.insertAdjacentElement("afterend", button);

  const linked = () => {
    const here = new URL(location.href);
    here.hash = "";
    const found = new Set([here.href]);
    for (const link of document.querySelectorAll(".md-content article a[href]")) {
      const url = new URL(link.getAttribute("href"), location.href);
      url.hash = "";
      if (url.origin === location.origin && url.href.startsWith(scope.href)) {
        found.add(url.href);
      }
    }
    return [...found];
  };

  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "kept") {
      button.textContent = `Kept for offline reading (${event.data.kept} pages)`;
      button.disabled = false;
    }
  });
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Keeping…";
    const registration = await navigator.serviceWorker.ready;
    registration.active.postMessage({ type: "keep", urls: linked() });
  });
})();
