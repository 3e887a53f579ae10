/* Shoe Capital: build Material's lunr index at build time, in an embedded V8 (mini-racer),
   and return it in the form search_worker_prebuilt.js loads (see generator/prebuilt_search.py).

   Evaluated after Material's own search worker (whose code builds the index: same lunr,
   tokenizer, separator, pipeline and boosts as in the browser, so the same index) and
   search_worker_prebuilt.js (for __scFingerprint), and the lunr language scripts the worker
   would import. The worker's message handler is captured
   through the addEventListener shim below and sent the SETUP message the page would send. */
var self = globalThis, __scHandler = null;
self.addEventListener = function (type, fn) { if (type === "message") __scHandler = fn };
self.importScripts = function () {};  /* language scripts are evaluated beforehand */
self.console = self.console || { log: function () {}, warn: function () {} };

var __scData = null;

/* Step 1: read search_index.json; returns the languages whose lunr scripts must be
   evaluated (after Material's worker, which defines lunr) before step 2. */
function __scRead(text) {
  __scData = JSON.parse(text);
  return JSON.stringify(__scData.config.lang);
}

/* Step 2: build the index as Material's worker does. Its handler is asynchronous: the
   outcome is kept for step 3, which runs once V8 has run the promise jobs (after this eval). */
var __scOutcome = null;
function __scStart() {
  __scOutcome = null;
  __scBuild().then(
    function (json) { __scOutcome = { json: json } },
    function (error) { __scOutcome = { error: String(error && error.stack || error) } });
}

/* Step 3: the prebuilt form (JSON text). */
function __scResult() {
  if (!__scOutcome) throw new Error("the search index was not built (the worker never answered)");
  if (__scOutcome.error) throw new Error(__scOutcome.error);
  return __scOutcome.json;
}

function __scBuild() {
  var data = __scData, docs = data.docs, builder = null, buildPipeline = null, reply = null;
  /* Positions are left out of the index (the worker computes them for matched documents);
     the builder and its pipeline are kept for the terms, their documents and frequencies and
     the pipeline's names. Kept small, since at 10 000 stories (90 000 documents) lunr's own
     structures take a gigabyte: once lunr has added a document, each of its terms' postings
     holds the term's frequency in place of lunr's empty metadata object, and the document's
     table of frequencies is let go. lunr's build() (vectors and token set, for searching in
     this engine) is not run: nothing here searches, and the index is serialized from the
     builder (__scSerialize). */
  var B = lunr.Builder.prototype, ref = B.ref, add = B.add;
  B.ref = function (r) { this.metadataWhitelist = []; return ref.call(this, r) };
  B.add = function (doc, attributes) {
    add.call(this, doc, attributes);
    var docRef = doc[this._ref], inverted = this.invertedIndex;
    for (var field in this._fields) {
      var fieldRef = new lunr.FieldRef(docRef, field).toString();
      var terms = this.fieldTermFrequencies[fieldRef];
      for (var term in terms) inverted[term][field][docRef] = terms[term];
      delete this.fieldTermFrequencies[fieldRef];
    }
  };
  B.build = function () {
    builder = this;
    buildPipeline = this.pipeline.toJSON();
    return Object.create(lunr.Index.prototype);
  };
  /* Material's tokenizer notes where each token lies, for highlighting, in a table per field
     of each document that the worker keeps. The index does not use it: each tokenizing gets
     a table of its own, let go as soon as it is done. */
  Object.defineProperty(lunr.tokenizer, "table", {
    configurable: true, get: function () { return [] }, set: function () {}
  });
  self.postMessage = function (message) { reply = message };
  var setup = { type: 0, data: { config: data.config, docs: docs, options: { suggest: true } } };
  return Promise.resolve(__scHandler({ data: setup })).then(function () {
    if (!reply || reply.type !== 1 || !builder) throw new Error("Material's worker did not build an index");
    if (builder._b !== 0) throw new Error("Material's worker no longer sets lunr's b to 0");
    __scData = null;
    return __scSerialize(data, builder, buildPipeline);
  });
}

function __scSerialize(data, builder, buildPipeline) {
  var docs = data.docs, id = new Map();
  for (var i = 0; i < docs.length; i++) {
    if (id.has(docs[i].location)) throw new Error("two search documents share the location " + docs[i].location);
    id.set(docs[i].location, i);
  }
  var fields = builder._fields, names = Object.keys(fields), inverted = builder.invertedIndex;
  var terms = Object.keys(inverted).sort(), postings = [];
  for (var term of terms) {
    var posting = inverted[term];
    postings.push(posting._index + ";" + names.map(function (f) {
      var refs = Object.keys(posting[f]), at = refs.map(function (r) { return id.get(r) }), last = 0;
      var order = refs.map(function (_, k) { return k }).sort(function (a, b) { return at[a] - at[b] });
      return order.map(function (k) {
        var tf = posting[f][refs[k]], gap = (at[k] - last).toString(36);
        last = at[k];
        return tf === 1 ? gap : gap + ":" + tf;
      }).join(",");
    }).join("|"));
  }
  var fieldBoosts = {};
  for (var f of names) fieldBoosts[f] = fields[f].boost || 1;
  return JSON.stringify({
    format: 2, lunr: lunr.version, fingerprint: __scFingerprint(docs), fields: names,
    pipeline: builder.searchPipeline.toJSON(), buildPipeline: buildPipeline,
    k1: builder._k1, fieldBoosts: fieldBoosts, terms: terms, postings: postings
  });
}
