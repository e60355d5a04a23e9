// seisaku search: runs from file://. The page loads only the index's layout
// (search-index.js: where the parts are, and each document's boost, title length and place in
// title order); a query loads, by inserting <script> elements, the token shards of its tokens
// (search-index/t-N.js: where each token stands in each document's title and text), finds and
// ranks every match from them, then loads the document chunks (search-index/d-N.js) of the
// results it shows only. The tokenizer and the token hash mirror src/render/search/; 
// tests/search_vectors.json holds shared cases.
(function () {
  "use strict";
  var LETTER = /[\p{L}\p{N}ー々ゝゞヽヾ]/u;
  var WORD = /[a-z0-9]/;
  // Results shown at once, and so the document chunks a query loads at most.
  var SHOWN = 50;
  // Occurrences of a term in a text counted for its score, at most.
  var MAX_COUNT = 5;

  function normalise(s) { return s.normalize("NFKC").toLowerCase(); }

  // The tokens of a normalised text with their UTF-16 offsets, [{tok, at}], in the order of
  // token_spans in search.rs: whole ASCII words (2+ chars) and bigrams of every run of other
  // letters; a lone letter is its own token.
  function tokenSpans(n) {
    var out = [], word = "", wordAt = 0, run = [], at = 0;
    function flushRun() {
      if (run.length === 1) out.push({ tok: run[0].c, at: run[0].at });
      for (var i = 0; i + 1 < run.length; i++) out.push({ tok: run[i].c + run[i + 1].c, at: run[i].at });
      run = [];
    }
    for (var c of n) {
      if (c.length === 1 && WORD.test(c)) {
        flushRun();
        if (word === "") wordAt = at;
        word += c;
      } else {
        if (word.length >= 2) out.push({ tok: word, at: wordAt });
        word = "";
        if (LETTER.test(c)) run.push({ c: c, at: at }); else flushRun();
      }
      at += c.length;
    }
    if (word.length >= 2) out.push({ tok: word, at: wordAt });
    flushRun();
    return out;
  }

  function tokens(s) { return tokenSpans(normalise(s)).map(function (x) { return x.tok; }); }

  // The terms of a query: its space-separated parts, normalised, each with its tokens and
  // their offsets in it. A term no token covers (a lone ASCII letter, a punctuation mark) is
  // left out.
  function queryTerms(query) {
    return normalise(query).split(/\s+/).map(function (t) { return { text: t, spans: tokenSpans(t) }; })
      .filter(function (t) { return t.spans.length > 0; });
  }

  // Where a term starts in one field of a document: where its first token stands, each other
  // token standing at its own offset from there. `at(j)` gives the (ascending) offsets of the
  // term's token j in the field.
  function starts(term, at) {
    var first = at(0), out = [], others = [];
    for (var j = 1; j < term.spans.length; j++) others.push({ list: at(j), off: term.spans[j].at, i: 0 });
    for (var k = 0; k < first.length; k++) {
      var s = first[k] - term.spans[0].at, ok = s >= 0;
      for (var o = 0; ok && o < others.length; o++) {
        var x = others[o], want = s + x.off;
        while (x.i < x.list.length && x.list[x.i] < want) x.i++;
        ok = x.i < x.list.length && x.list[x.i] === want;
      }
      if (ok) out.push(s);
    }
    return out;
  }

  // Occurrences of a term that do not overlap (counted as indexOf finds them), at most MAX_COUNT.
  function countApart(found, len) {
    var n = 0, next = 0;
    for (var i = 0; i < found.length && n < MAX_COUNT; i++) if (found[i] >= next) { n++; next = found[i] + len; }
    return n;
  }

  // The documents matching every term, best first, as [{id, score}]. `postings[tok]` is a
  // token's posting list ({ids, title(k), text(k)}: its documents' numbers, ascending, and
  // the offsets in the title and the text of the k-th); `info` gives a document's boost,
  // title length and place in title order. A term scores 50 if it is the whole title, 10 if
  // the title holds it, and one for each time the text holds it (up to MAX_COUNT); a
  // document must hold each term in its title or text; the sum is multiplied by its boost.
  function rank(terms, postings, info) {
    var toks = [];
    terms.forEach(function (t) { t.spans.forEach(function (s) { if (toks.indexOf(s.tok) === -1) toks.push(s.tok); }); });
    var lists = toks.map(function (tok) { return postings[tok] || { ids: [] }; });
    // For each term, the list of each of its tokens.
    var of = terms.map(function (t) { return t.spans.map(function (s) { return toks.indexOf(s.tok); }); });
    var shortest = lists.reduce(function (a, b) { return b.ids.length < a.ids.length ? b : a; });
    var at = lists.map(function () { return 0; }), results = [];
    for (var c = 0; c < shortest.ids.length; c++) {
      var id = shortest.ids[c], all = true;
      for (var l = 0; all && l < lists.length; l++) {
        var ids = lists[l].ids;
        while (at[l] < ids.length && ids[at[l]] < id) at[l]++;
        all = at[l] < ids.length && ids[at[l]] === id;
      }
      if (!all) continue;
      var d = info(id), score = 0, ok = true;
      for (var ti = 0; ok && ti < terms.length; ti++) {
        var term = terms[ti], li = of[ti];
        var inTitle = starts(term, function (j) { return lists[li[j]].title(at[li[j]]); });
        var inText = countApart(starts(term, function (j) { return lists[li[j]].text(at[li[j]]); }), term.text.length);
        if (inTitle.length === 0 && inText === 0) { ok = false; break; }
        score += (inTitle[0] === 0 && d.titleLength === term.text.length ? 50 : 0) + (inTitle.length > 0 ? 10 : 0) + inText;
      }
      if (ok) results.push({ id: id, score: score * (d.boost || 1), titleRank: d.titleRank });
    }
    results.sort(function (a, b) { return b.score - a.score || a.titleRank - b.titleRank; });
    return results;
  }

  // A posting list decoded from a token shard (see TokenPostings in postings.rs): for each
  // document, the difference from the previous number, then the count and offsets (as
  // differences) in the title, then in the text.
  function decode(flat) {
    var ids = [], entry = [], id = 0, i = 0;
    while (i < flat.length) {
      id += flat[i];
      ids.push(id);
      entry.push(i + 1);
      i += 2 + flat[i + 1];
      i += 1 + flat[i];
    }
    function offsets(from) {
      var out = [], o = 0;
      for (var k = 1; k <= flat[from]; k++) { o += flat[from + k]; out.push(o); }
      return out;
    }
    return {
      ids: ids,
      title: function (k) { return offsets(entry[k]); },
      text: function (k) { return offsets(entry[k] + 1 + flat[entry[k]]); },
    };
  }

  // The posting lists of documents given whole ([title, url, kind, text, boost] each, by
  // number), as the token shards hold them: for searching without the index.
  function indexDocs(docs) {
    var index = {};
    docs.forEach(function (d, id) {
      [["title", d[0]], ["text", d[3]]].forEach(function (f) {
        tokenSpans(normalise(f[1])).forEach(function (s) {
          var p = index[s.tok] || (index[s.tok] = { ids: [], at: [] });
          if (p.ids[p.ids.length - 1] !== id) { p.ids.push(id); p.at.push({ title: [], text: [] }); }
          p.at[p.at.length - 1][f[0]].push(s.at);
        });
      });
    });
    Object.keys(index).forEach(function (tok) {
      var p = index[tok];
      p.title = function (k) { return p.at[k].title.slice().sort(function (a, b) { return a - b; }); };
      p.text = function (k) { return p.at[k].text.slice().sort(function (a, b) { return a - b; }); };
    });
    return index;
  }

  // Searches documents given whole ([title, url, kind, text, boost] each); returns
  // [{doc, score, text}] best first, as searchSite finds them part by part.
  function search(docs, query) {
    var terms = queryTerms(query);
    if (terms.length === 0) return [];
    var byTitle = docs.map(function (_, i) { return i; }).sort(function (a, b) {
      var x = docs[a], y = docs[b];
      return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
    });
    var titleRank = [];
    byTitle.forEach(function (id, place) { titleRank[id] = place; });
    var info = function (id) {
      return { boost: docs[id][4], titleLength: normalise(docs[id][0]).length, titleRank: titleRank[id] };
    };
    return rank(terms, indexDocs(docs), info).map(function (r) {
      return { id: r.id, doc: docs[r.id], score: r.score, text: normalise(docs[r.id][3]) };
    });
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
  // [{id, score, doc, text}] best first, as search() on the whole index would, with `doc`
  // and `text` for the first `shown` (SHOWN unless given) only. `timing.compute` gets the
  // time spent searching, apart from waiting for scripts.
  function searchSite(meta, query, timing, shown) {
    timing = timing || {};
    timing.compute = 0;
    shown = shown === undefined ? SHOWN : shown;
    var terms = queryTerms(query);
    if (terms.length === 0) return Promise.resolve([]);
    var toks = [], shards = [];
    terms.forEach(function (t) { t.spans.forEach(function (s) { if (toks.indexOf(s.tok) === -1) toks.push(s.tok); }); });
    toks.forEach(function (tok) { var n = shardOf(tok, meta.t); if (shards.indexOf(n) === -1) shards.push(n); });
    return Promise.all(shards.map(function (n) { return load("search-index/t-" + n + ".js"); })).then(function () {
      var t1 = performance.now();
      var T = window.SEISAKU_SEARCH_T || {}, postings = {};
      toks.forEach(function (tok) {
        var flat = (T[shardOf(tok, meta.t)] || {})[tok];
        if (flat) postings[tok] = decode(flat);
      });
      var info = function (id) {
        return { boost: meta.boost[id], titleLength: meta.titleLength[id], titleRank: meta.titleRank[id] };
      };
      var results = rank(terms, postings, info);
      timing.compute += performance.now() - t1;
      return showable(meta, results, 0, shown, timing);
    });
  }

  // Loads the document chunks of results [from, from + n) and gives them their `doc` (title,
  // URL, kind, text, boost) and normalised `text`; resolves to `results`.
  function showable(meta, results, from, n, timing) {
    var part = results.slice(from, from + n), chunks = [];
    part.forEach(function (r) { var c = chunkOf(r.id, meta.starts); if (chunks.indexOf(c) === -1) chunks.push(c); });
    return Promise.all(chunks.map(function (c) { return load("search-index/d-" + c + ".js"); })).then(function () {
      var t2 = performance.now(), D = window.SEISAKU_SEARCH_D || {};
      part.forEach(function (r) {
        var c = chunkOf(r.id, meta.starts);
        r.doc = D[c][r.id - meta.starts[c]];
        r.text = normalise(r.doc[3]);
      });
      if (timing) timing.compute += performance.now() - t2;
      return results;
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
    results.slice(0, SHOWN).forEach(function (r) {
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

  window.SeisakuSearch = {
    tokens: tokens, search: search, normalise: normalise, shardOf: shardOf, searchSite: searchSite, showable: showable, SHOWN: SHOWN,
  };

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
