// seisaku search: runs from file://. The page loads only the index's layout
// (search-index.js); a query loads, by inserting <script> elements, the token shards of its
// tokens (search-index/t-N.js), then the document chunks of its candidates
// (search-index/d-N.js). The tokenizer and the token hash mirror src/render/search.rs;
// tests/search_vectors.json holds shared cases.
(function () {
  "use strict";
  var LETTER = /[\p{L}\p{N}ー々ゝゞヽヾ]/u;
  var WORD = /[a-z0-9]/;

  function normalise(s) { return s.normalize("NFKC").toLowerCase(); }

  function tokens(s) {
    var n = Array.from(normalise(s)), out = [], word = "", run = [];
    function flushRun() {
      if (run.length === 1) out.push(run[0]);
      for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
      run = [];
    }
    n.forEach(function (c) {
      if (c.length === 1 && WORD.test(c)) { flushRun(); word += c; return; }
      if (word.length >= 2) out.push(word);
      word = "";
      if (LETTER.test(c)) run.push(c); else flushRun();
    });
    if (word.length >= 2) out.push(word);
    flushRun();
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  function count(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i !== -1 && n < 5) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }

  // Matches of one index shard ({docs, index}) as [{doc, score, text}].
  function searchShard(data, terms) {
    var candidates = null;
    terms.forEach(function (t) {
      var toks = tokens(t);
      toks.forEach(function (tok) {
        var posting = data.index[tok] || [];
        candidates = candidates === null ? posting.slice() : intersect(candidates, posting);
      });
    });
    if (candidates === null) candidates = data.docs.map(function (_, i) { return i; });
    var results = [];
    candidates.forEach(function (i) {
      var d = data.docs[i], title = normalise(d[0]), text = normalise(d[3]);
      var score = 0, ok = true;
      terms.forEach(function (t) {
        var inTitle = title.indexOf(t) !== -1, inText = count(text, t);
        if (!inTitle && inText === 0) { ok = false; return; }
        score += (title === t ? 50 : 0) + (inTitle ? 10 : 0) + inText;
      });
      if (ok) results.push({ doc: d, score: score * (d[4] || 1), text: text });
    });
    return results;
  }

  function order(a, b) {
    return b.score - a.score || (a.doc[0] < b.doc[0] ? -1 : a.doc[0] > b.doc[0] ? 1 : 0) ||
      (a.doc[1] < b.doc[1] ? -1 : a.doc[1] > b.doc[1] ? 1 : 0);
  }

  // Searches the index (an array of shards, or one shard); returns [{doc, score, text}] best first.
  function search(data, query) {
    var terms = normalise(query).split(/\s+/).filter(function (t) { return t.length > 0; });
    if (terms.length === 0) return [];
    var shards = Array.isArray(data) ? data : [data], results = [];
    shards.forEach(function (shard) { results = results.concat(searchShard(shard, terms)); });
    results.sort(order);
    return results;
  }

  // A snippet around the first hit, with every term marked; built with DOM nodes (no HTML).
  function snippet(text, terms) {
    var first = -1;
    terms.forEach(function (t) { var i = text.indexOf(t); if (i !== -1 && (first === -1 || i < first)) first = i; });
    var start = Math.max(0, first - 40), part = text.slice(start, start + 140);
    var frag = document.createDocumentFragment();
    if (start > 0) frag.appendChild(document.createTextNode("…"));
    var pos = 0;
    while (pos < part.length) {
      var next = -1, len = 0;
      terms.forEach(function (t) { var i = part.indexOf(t, pos); if (i !== -1 && (next === -1 || i < next)) { next = i; len = t.length; } });
      if (next === -1) { frag.appendChild(document.createTextNode(part.slice(pos))); break; }
      frag.appendChild(document.createTextNode(part.slice(pos, next)));
      var m = document.createElement("mark");
      m.textContent = part.slice(next, next + len);
      frag.appendChild(m);
      pos = next + len;
    }
    if (start + 140 < text.length) frag.appendChild(document.createTextNode("…"));
    return frag;
  }

  // The token shard of a token: 32-bit FNV-1a over its code points (as search.rs).
  function shardOf(tok, shards) {
    var h = 0x811c9dc5;
    for (var ch of tok) { h = Math.imul((h ^ ch.codePointAt(0)) >>> 0, 0x01000193) >>> 0; }
    return h % shards;
  }

  var base = "", pending = {};
  function load(src) {
    if (!pending[src]) {
      pending[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = base + src;
        s.onload = resolve;
        s.onerror = function () { delete pending[src]; reject(new Error("cannot load " + src)); };
        document.head.appendChild(s);
      });
    }
    return pending[src];
  }

  function chunkOf(id, starts) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (starts[mid] <= id) lo = mid; else hi = mid - 1; }
    return lo;
  }

  // Searches the site's index, loading only the parts the query needs; resolves to
  // [{doc, score, text}] best first, as search() on the whole index would. `timing.compute`
  // gets the time spent searching, apart from waiting for scripts.
  function searchSite(meta, query, timing) {
    timing = timing || {};
    timing.compute = 0;
    var terms = normalise(query).split(/\s+/).filter(function (t) { return t.length > 0; });
    if (terms.length === 0) return Promise.resolve([]);
    var toks = [];
    terms.forEach(function (t) { tokens(t).forEach(function (tok) { if (toks.indexOf(tok) === -1) toks.push(tok); }); });
    var shards = [];
    toks.forEach(function (tok) { var n = shardOf(tok, meta.t); if (shards.indexOf(n) === -1) shards.push(n); });
    return Promise.all(shards.map(function (n) { return load("search-index/t-" + n + ".js"); })).then(function () {
      var t1 = performance.now();
      var T = window.SEISAKU_SEARCH_T || {}, index = {}, candidates = null;
      toks.forEach(function (tok) {
        var deltas = (T[shardOf(tok, meta.t)] || {})[tok] || [], ids = [], id = 0;
        for (var i = 0; i < deltas.length; i++) { id += deltas[i]; ids.push(id); }
        index[tok] = ids;
        candidates = candidates === null ? ids.slice() : intersect(candidates, ids);
      });
      // A query with no token (a lone ASCII letter) is checked against every document.
      var chunks = [];
      if (candidates === null) { for (var c = 0; c < meta.starts.length; c++) chunks.push(c); }
      else candidates.forEach(function (id) { var c = chunkOf(id, meta.starts); if (chunks.indexOf(c) === -1) chunks.push(c); });
      timing.compute += performance.now() - t1;
      return Promise.all(chunks.map(function (c) { return load("search-index/d-" + c + ".js"); })).then(function () {
        var t2 = performance.now();
        var D = window.SEISAKU_SEARCH_D || {}, docs = [];
        chunks.forEach(function (c) {
          (D[c] || []).forEach(function (d, i) { docs[meta.starts[c] + i] = d; });
        });
        var results = searchShard({ docs: docs, index: index }, terms);
        results.sort(order);
        timing.compute += performance.now() - t2;
        return results;
      });
    });
  }

  var current = 0;
  // Shows the results; the status gives the time from the query to the results, scripts
  // loaded included (data-total-ms), and the searching alone (data-ms).
  function run(meta, query, list, status) {
    var t0 = performance.now(), mine = ++current, timing = {};
    return searchSite(meta, query, timing).then(function (results) {
      if (mine !== current) return;
      show(results, query, list, status, performance.now() - t0, timing.compute);
    });
  }

  function show(results, query, list, status, total, ms) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var terms = normalise(query).split(/\s+/).filter(function (t) { return t.length > 0; });
    results.slice(0, 50).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "../" + r.doc[1];
      a.textContent = r.doc[0];
      var kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = r.doc[2];
      var p = document.createElement("p");
      p.className = "small";
      p.appendChild(snippet(r.text, terms));
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
      li.appendChild(p);
      list.appendChild(li);
    });
    status.textContent = terms.length === 0 ? "" : results.length + " 件見つかりました（" + total.toFixed(1) + " ms）";
    status.setAttribute("data-ms", ms.toFixed(2));
    status.setAttribute("data-total-ms", total.toFixed(2));
    status.setAttribute("data-count", String(results.length));
  }

  window.SeisakuSearch = { tokens: tokens, search: search, normalise: normalise, shardOf: shardOf, searchSite: searchSite };

  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var form = document.getElementById("search-form");
  var meta = window.SEISAKU_SEARCH_META;
  if (!input || !list || !status || !meta) return;
  // Index parts are found beside the layout script the page loaded.
  var me = document.querySelector('script[src$="search-index.js"]');
  if (me) base = me.getAttribute("src").replace(/search-index\.js$/, "");
  var q = new URLSearchParams(window.location.search).get("q") || "";
  input.value = q;
  if (q) run(meta, q, list, status);
  input.addEventListener("input", function () { run(meta, input.value, list, status); });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(meta, input.value, list, status); });
  input.focus();
})();
