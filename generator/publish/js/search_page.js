
/* Shoe Capital: appended to a copy of Material's page bundle by generator/prebuilt_search.py,
   whose edit makes the page's search index this function's promise. The page needs only the
   search configuration (the worker's SETUP message and the highlighting of ?h= terms): it
   loads search/search_config.js (`self.__scSearchConfig={"config":…}`, a few hundred bytes,
   a script so that it loads from file:// too) and sends the worker no documents; the worker
   loads them itself (search_worker_prebuilt.js, __scOwnDocs). When that file is missing, the
   page loads the whole index as Material does (`fallback`, Material's own code). */
function __scSearchIndex(url, fallback) {
  return new Promise(function (resolve, reject) {
    var script = document.createElement("script");
    function material() {
      fallback().subscribe({ next: resolve, error: reject });
    }
    script.src = url;
    script.onload = function () {
      script.remove();
      var found = self.__scSearchConfig;
      if (found && found.config) resolve({ config: found.config, docs: null });
      else material();
    };
    script.onerror = function () {
      script.remove();
      material();
    };
    document.head.appendChild(script);
  });
}
