/* Shoe Capital's offline page: the pages this device has kept, to read without a network. */
(async () => {
  "use strict";
  const list = document.getElementById("sc-kept");
  const scope = new URL(".", document.baseURI).href;  // the site root (<base>): the page answers for any address
  const pages = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith("shoe-capital-")) {
      continue;
    }
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      const isPage = url.pathname.endsWith("/") || url.pathname.endsWith(".html");
      if (!isPage || !url.href.startsWith(scope) || url.pathname.endsWith("/offline.html")) {
        continue;
      }
      const response = await cache.match(request);
      const text = response ? await response.text() : "";
      const doc = new DOMParser().parseFromString(text, "text/html");
      const heading = doc.querySelector("article h1");
      const title = (heading ? heading.textContent.replace(/¶$/, "").trim() : doc.title)
        || url.pathname;
      pages.set(url.href, title);
    }
  }
  list.replaceChildren();
  if (pages.size === 0) {
    const item = document.createElement("li");
    item.textContent = "Nothing yet: pages you read while online are kept here.";
    list.append(item);
    return;
  }
  for (const [href, title] of [...pages].sort((a, b) => a[1].localeCompare(b[1]))) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = href;
    link.textContent = title;
    item.append(link);
    list.append(item);
  }
})();
