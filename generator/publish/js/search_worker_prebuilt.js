/* Shoe Capital: helpers for Material's search worker, so that it loads the lunr index built
   at build time (search/search_index.prebuilt.js, written by generator/prebuilt_search.py)
   instead of building it from search_index.json on every page load.

   generator/prebuilt_search.py prepends this file to a copy of Material's worker and edits
   the copy in five places: start __scPrefetch and __scOwnDocs, wait for them before SETUP
   (and take the documents from __scSetup), map documents parsed on demand with __scMap, load
   the index with __scLoad (or build it as Material does when there is no matching prebuilt
   index), and compute highlighting positions with __scTokens for the documents a query
   matched. */

/* Fetch the prebuilt index while the worker loads the search documents. The file is
   `self.__scIndexText=function(){` its JSON as a one-line comment `}`: in a real worker (http)
   it is fetched as text; under iframe-worker (file://) it is loaded as a script and the comment
   read back with Function.prototype.toString (V8 skips a comment faster than it reads a
   literal of tens of MB); then JSON.parse'd. A missing file only means the index is built in
   the browser, as Material does. */
function __scPrefetch(url) {
  return (async function () {
    try {
      var script = typeof document != "undefined" && document.querySelector("script[src]");
      var href = new URL(url, script ? script.src : self.location.href).href;
      if (!script && typeof fetch == "function") {
        var response = await fetch(href);
        if (!response.ok) throw new Error(href + ": HTTP " + response.status);
        self.__scIndex = JSON.parse(__scComment(await response.text()));
      } else if (await __scScript(href) && self.__scIndexText) {
        self.__scIndex = JSON.parse(__scComment(self.__scIndexText.toString()));
        self.__scIndexText = undefined;
      }
    } catch (err) {
      console.warn("Shoe Capital: prebuilt search index not loaded", err);
    }
  })();
}

/* The text of the one-line comment in a script written by prebuilt_search.py (or in the
   source of its function): the first line that starts with "//", without those two. */
function __scComment(source) {
  var first = source.indexOf("\n//") + 3, last = source.indexOf("\n", first);
  if (first < 3 || last < 0) throw new Error("no comment");
  return source.slice(first, last);
}

/* Load a script (under iframe-worker, the only way to read a file from file://); resolves
   to whether it loaded. */
function __scScript(href) {
  return new Promise(function (done) {
    var el = document.createElement("script");
    el.src = href;
    el.onload = function () { done(true) };
    el.onerror = function () { done(false) };
    document.body.appendChild(el);
  });
}

/* The search documents, loaded by the worker itself in parallel with the prebuilt index, so
   that the page neither parses them nor copies them to the worker. They are kept as the text
   of search_index.json, and a document is parsed only when a query reaches it (__scLazyDocs):
   over http, Material's search/search_index.json fetched as text; under iframe-worker
   (file://), search/search_index.docs.js, the same text as the one-line comment of a function,
   read back with Function.prototype.toString (a script is all a page opened from disk can
   load, and V8 reads a comment far faster than it builds 90 000 objects from a literal).
   Without that file, the offline plugin's search/search_index.js (`var __index = {...}`) is
   loaded instead. A failure leaves the page's documents to be used, as Material does. */
function __scOwnDocs(jsonUrl, textScriptUrl, scriptUrl) {
  return (async function () {
    try {
      var script = typeof document != "undefined" && document.querySelector("script[src]");
      if (!script && typeof fetch == "function") {
        var href = new URL(jsonUrl, self.location.href).href;
        var response = await fetch(href);
        if (!response.ok) throw new Error(href + ": HTTP " + response.status);
        self.__scOwnText = await response.text();
        self.__scOwnFile = jsonUrl.split("/").pop();
        return;
      }
      var base = script ? script.src : self.location.href;
      if (await __scScript(new URL(textScriptUrl, base).href) && self.__scDocsText) {
        var source = self.__scDocsText.toString();
        self.__scDocsText = undefined;
        try {
          self.__scOwnText = __scComment(source);
          self.__scOwnFile = textScriptUrl.split("/").pop();
          return;
        } catch (err) {
          console.warn("Shoe Capital: " + textScriptUrl + " unreadable", err);
        }
      }
      if (!(await __scScript(new URL(scriptUrl, base).href))) throw new Error(scriptUrl + ": not loaded");
      self.__scOwn = self.__index;
      self.__scOwnFile = scriptUrl.split("/").pop();
      if (!self.__scOwn || !Array.isArray(self.__scOwn.docs)) throw new Error("no documents");
    } catch (err) {
      self.__scOwn = self.__scOwnText = null;
      console.warn("Shoe Capital: search documents not loaded by the worker", err);
    }
  })();
}

/* What SETUP builds the search from: the documents the page sent, when it sent them (Material's
   page, or the derived page falling back to it), else those the worker loaded itself: as
   stubs parsed on demand when the prebuilt index describes their text, else parsed whole.
   READY reports which (docs: "page" or the file the worker read; lazy: parsed on demand). */
function __scSetup(data) {
  var own = self.__scOwn, text = self.__scOwnText;
  self.__scOwn = self.__scOwnText = self.__index = undefined;
  if (Array.isArray(data.docs)) {
    self.__scDocsFrom = "page";
    return data;
  }
  if (typeof text == "string") {
    var docs = __scLazyDocs(text, self.__scIndex);
    self.__scDocsFrom = self.__scOwnFile;
    if (docs) {
      self.__scOnDemand = true;
      return { config: docs.__scLazy.config, docs: docs, options: data.options };
    }
    own = JSON.parse(text);
  }
  if (!own) throw new Error("Shoe Capital: no search documents");
  self.__scDocsFrom = self.__scOwnFile;
  return { config: own.config, docs: own.docs, options: data.options };
}

/* The documents of search_index.json's text, to be parsed one at a time: { length, __scLazy }
   in place of the array of documents. Material's document map (setupSearchDocumentMap) is
   replaced by __scMap, which parses a document from its span of the text the first time it is
   looked up; the prebuilt index takes the documents' boosts from here. Null, and the text is
   parsed whole, unless the prebuilt index describes this very text: its length, and the
   location of every 64th document. */
function __scLazyDocs(text, j) {
  var d = j && j.format === 2 && j.docs;
  if (!d || d.length !== text.length) return null;
  var spans = d.spans, count = d.pages.length, at = spans[0];
  if (spans.length !== 2 * count || j.fingerprint.split(":")[0] !== String(count)) return null;
  var starts = new Float64Array(count), ends = new Float64Array(count);
  var boosts = new Array(count), run = 0, left = 0;
  for (var i = 0; i < count; i++) {
    starts[i] = at = i ? at + spans[2 * i] : at;
    ends[i] = at = at + spans[2 * i + 1];
    while (left === 0) left = d.boosts[run++][1];
    boosts[i] = d.boosts[run - 1][0];
    left--;
  }
  var lazy = { text: text, starts: starts, ends: ends, boosts: boosts, pages: d.pages };
  for (var [i, location] of d.sample) {
    if (__scParse(lazy, i).location !== location) {
      console.warn("Shoe Capital: the prebuilt search index does not match search_index.json");
      return null;
    }
  }
  lazy.config = JSON.parse(text.slice(d.config[0], d.config[1]));
  return { length: count, __scLazy: lazy };
}

function __scParse(lazy, i) {
  try { return JSON.parse(lazy.text.slice(lazy.starts[i], lazy.ends[i])) } catch (err) { return {} }
}

/* Material's document map (location -> document, each section linked to its page as
   `parent`) for documents parsed on demand: "~" + position (the prebuilt index's references)
   parses that document and its page, and records them under the keys Material's map would
   (a page's first document under the page's address, the others under their location), so
   that the later look-ups of Material's search, all for documents a query reached, find them.
   Null for documents parsed whole: Material's own map is used. */
function __scMap(docs) {
  var lazy = docs && docs.__scLazy;
  if (!lazy) return null;
  var parsed = new Array(docs.length), keys = new Map();
  function full(i) {
    var doc = parsed[i];
    if (doc === undefined) {
      doc = parsed[i] = __scParse(lazy, i);
      var back = lazy.pages[i];
      if (back) {
        doc.parent = full(i - back);
        keys.set(doc.location, doc);
      } else {
        keys.set(String(doc.location).split("#")[0], doc);
      }
    }
    return doc;
  }
  return {
    get: function (key) {
      return key.charCodeAt(0) === 126 /* ~ */ ? full(parseInt(key.slice(1), 36)) : keys.get(key);
    }
  };
}

/* Which documents an index was built from: their count and an FNV-1a hash of their
   locations, so that an index is never used with documents it was not built from. */
function __scFingerprint(docs) {
  var h = 0x811c9dc5;
  for (var i = 0; i < docs.length; i++) {
    var s = docs[i].location + "\n";
    for (var k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193) >>> 0;
  }
  return docs.length + ":" + h.toString(16);
}

/* The prebuilt index as a lunr.Index, or null (then the worker builds it as Material does).
   Postings name documents by their position in docs, as the gap from the previous one
   (base 36), with the term frequency ("1f:3"; none means 1); lunr knows a document as "~" +
   its position (base 36). Strings are decoded only for the terms a query touches.
   No field vectors are stored: lunr's weights are recomputed for the documents a query
   touches, with lunr's formula (b = 0, as Material sets it), rounded as lunr rounds them. */
function __scLoad(config, docs, map) {
  var j = self.__scIndex;
  if (!j) return null;
  var lazy = docs.__scLazy;  /* parsed on demand: __scLazyDocs has checked the text */
  if (j.format !== 2 || (!lazy && j.fingerprint !== __scFingerprint(docs))) {
    console.warn("Shoe Capital: the prebuilt search index does not match search_index.json");
    return null;
  }
  /* what Material's builder sets up, and its query parser needs */
  lunr.tokenizer.separator = new RegExp(config.separator);
  lunr.segmenter = "TinySegmenter" in lunr ? new lunr.TinySegmenter() : undefined;
  self.__scPipeline = lunr.Pipeline.load(j.buildPipeline);
  if (!lazy) for (var i = 0; i < docs.length; i++) map.set("~" + i.toString(36), docs[i]);
  var fields = j.fields, termAt = new Map(), postings = new Map(), frequencies = new Map();
  for (var t = 0; t < j.terms.length; t++) termAt.set(j.terms[t], t);
  var touched = null, touchedTerms = null;
  function weigh(term, posting) {
    var withTerm = 0, lists = frequencies.get(term);
    for (var f = 0; f < fields.length; f++) withTerm += lists[f].length / 2;
    var x = (docs.length - withTerm + 0.5) / (withTerm + 0.5), idf = Math.log(1 + Math.abs(x));
    for (var f = 0; f < fields.length; f++) {
      var list = lists[f], fieldBoost = j.fieldBoosts[fields[f]];
      for (var e = 0; e < list.length; e += 2) {
        var ref = list[e], tf = list[e + 1];
        var score = idf * ((j.k1 + 1) * tf) / (j.k1 * 1 + tf);
        score *= fieldBoost;
        var at = parseInt(ref.slice(1), 36);
        score *= (lazy ? lazy.boosts[at] : docs[at].boost) || 1;
        var key = fields[f] + "/" + ref, vector = touched.get(key);
        if (!vector) touched.set(key, vector = []);
        vector.push(posting._index, Math.round(score * 1000) / 1000);
      }
    }
  }
  var invertedIndex = new Proxy(Object.create(null), {
    get: function (_, term) {
      var n = termAt.get(term);
      if (n === undefined) return undefined;
      var posting = postings.get(term);
      if (!posting) {
        var s = j.postings[n], k = s.indexOf(";"), parts = s.slice(k + 1).split("|"), lists = [];
        posting = { _index: +s.slice(0, k) };
        for (var f = 0; f < fields.length; f++) {
          var refs = Object.create(null), list = [], at = 0;
          if (parts[f]) for (var r of parts[f].split(",")) {
            var c = r.indexOf(":"), ref = "~" + (at += parseInt(c < 0 ? r : r.slice(0, c), 36)).toString(36);
            refs[ref] = {};
            list.push(ref, c < 0 ? 1 : +r.slice(c + 1));
          }
          posting[fields[f]] = refs;
          lists.push(list);
        }
        postings.set(term, posting);
        frequencies.set(term, lists);
      }
      if (touched && !touchedTerms.has(term)) {
        touchedTerms.add(term);
        weigh(term, posting);
      }
      return posting;
    },
    has: function (_, term) { return termAt.has(term) },
    ownKeys: function () { return j.terms.slice() },
    getOwnPropertyDescriptor: function (_, term) {
      return termAt.has(term) ? { enumerable: true, configurable: true } : undefined;
    }
  });
  var fieldVectors = new Proxy(Object.create(null), {
    get: function (_, key) {
      if (typeof key != "string") return undefined;
      var v = touched && touched.get(key), pairs = [];
      if (v) for (var e = 0; e < v.length; e += 2) pairs.push([v[e], v[e + 1]]);
      pairs.sort(function (a, b) { return a[0] - b[0] });
      return new lunr.Vector([].concat.apply([], pairs));
    },
    ownKeys: function () {
      var keys = [];
      for (var i = 0; i < docs.length; i++)
        for (var f of fields) keys.push(f + "/~" + i.toString(36));
      return keys;
    },
    getOwnPropertyDescriptor: function () { return { enumerable: true, configurable: true } }
  });
  var index = new lunr.Index({
    invertedIndex: invertedIndex, fieldVectors: fieldVectors, fields: fields,
    tokenSet: lunr.TokenSet.fromArray(j.terms), pipeline: lunr.Pipeline.load(j.pipeline)
  });
  var query = index.query;
  index.query = function (fn) {
    touched = new Map();
    touchedTerms = new Set();
    try { return query.call(this, fn) } finally { touched = touchedTerms = null }
  };
  self.__scPrebuilt = true;
  return index;
}

/* Highlighting needs each matched field's position table and the positions of the matched
   terms, which Material records while it builds the index. With a prebuilt index they are
   computed for the matched documents only, by the same tokenizer and pipeline, and kept for
   the next queries (a reader types a query letter by letter, and each letter searches) up to
   20 000 fields; `key` names the field (location and field name), `value` must match too. */
var __scTokensKept = new Map();
function __scTokens(tokenize, value, key) {
  var kept = __scTokensKept.get(key);
  if (kept !== undefined && kept.value === value) return kept;
  lunr.tokenizer.table = [];
  var tokens = tokenize(value), table = lunr.tokenizer.table;
  var out = self.__scPipeline ? self.__scPipeline.run(tokens) : tokens;
  kept = {
    value: value,
    table: table,
    positions: function (term) {
      var found = [];
      for (var token of out) if (token.toString() === term) found.push(token.metadata.position);
      return found;
    }
  };
  if (__scTokensKept.size >= 20000) __scTokensKept.clear();
  __scTokensKept.set(key, kept);
  return kept;
}
