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
  // Results shown, and so the document chunks a query loads at most; those of the first
  // FIRST (a screenful) are loaded before the others.
  var SHOWN = 50, FIRST = 10;
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

  // The terms of a query: its space-separated parts, normalised, each with the tokens that
  // cover it and their offsets in it. A term no token covers (a lone ASCII letter, a
  // punctuation mark) is left out.
  function queryTerms(query) {
    return normalise(query).split(/\s+/).map(function (t) { return { text: t, spans: cover(tokenSpans(t)) }; })
      .filter(function (t) { return t.spans.length > 0; });
  }

  // The fewest of a term's tokens (in order) that cover every character its tokens cover:
  // where these stand at their offsets, the others do too (bigrams 0, 2, 4... of a run and its
  // last one), so fewer posting lists are loaded.
  function cover(spans) {
    var out = [], end = 0;
    spans.forEach(function (s, i) {
      var stop = s.at + s.tok.length, next = spans[i + 1];
      if (stop <= end) return;
      if (next && s.at <= end && next.at <= end && next.at + next.tok.length > stop) return;
      out.push(s);
      end = stop;
    });
    return out;
  }

  // The numbers of a string in the Base64 VLQ of source maps (as the vlq crate writes them);
  // all below 2^30 (document numbers, offsets and counts).
  var DIGIT = new Int8Array(128);
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach(function (c, i) { DIGIT[c.charCodeAt(0)] = i; });
  function vlq(s) {
    var out = new Int32Array(s.length), n = 0, value = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      value |= (d & 31) << shift;
      if (d & 32) { shift += 5; continue; }
      out[n++] = value & 1 ? -(value >> 1) : value >> 1;
      value = 0;
      shift = 0;
    }
    return out.subarray(0, n);
  }

  // A posting list ({flat, ids, entry}) from its numbers (see TokenPostings in postings.rs):
  // `ids` the documents' numbers, ascending, and `entry[k]` where the k-th one's title count
  // is in `flat`.
  function postingList(flat) {
    var ids = [], entry = [], id = 0, i = 0;
    while (i < flat.length) {
      id += flat[i];
      ids.push(id);
      entry.push(i + 1);
      i += 2 + flat[i + 1];
      i += 1 + flat[i];
    }
    return { flat: flat, ids: ids, entry: entry };
  }

  // Where a term stands in one field (0 the title, 1 the text) of the document each of its
  // tokens' lists is at (`at`): the starts, apart (as indexOf finds them one after the
  // other), of the places where each of its tokens stands at its offset in the term; at most
  // `max` of them, into `out`. Returns how many. Runs for every candidate, so it reads the
  // offsets in place, into buffers kept on the term.
  function occurrences(term, lists, at, field, max, out) {
    var spans = term.spans, n = spans.length, bufs = term.bufs, lens = term.lens, ptr = term.ptr, li = term.lists;
    for (var j = 0; j < n; j++) {
      var list = lists[li[j]], f = list.flat, e = list.entry[at[li[j]]];
      if (field === 1) e += 1 + f[e];
      var count = f[e];
      if (count === 0) return 0;
      var buf = bufs[j], o = 0;
      for (var k = 0; k < count; k++) { o += f[e + 1 + k]; buf[k] = o; }
      lens[j] = count;
      ptr[j] = 0;
    }
    var found = 0, next = 0, first = bufs[0], off0 = spans[0].at, len = term.text.length;
    for (var m = 0; m < lens[0] && found < max; m++) {
      var s = first[m] - off0, ok = s >= next;
      for (var i = 1; ok && i < n; i++) {
        var b = bufs[i], want = s + spans[i].at, p = ptr[i], end = lens[i];
        while (p < end && b[p] < want) p++;
        ptr[i] = p;
        ok = p < end && b[p] === want;
      }
      if (ok) { out[found++] = s; next = s + len; }
    }
    return found;
  }

  // The documents matching every term, best first, as [{id, score}]. `postings[tok]` is a
  // token's posting list; `info` holds, by document number, `boost`, `titleLength` and
  // `titleRank` (place in the order of title, then URL). A term scores 50 if it is the
  // whole title, 10 if the title holds it, and one for each time the text holds it (up to
  // MAX_COUNT); a document must hold each term in its title or text; the sum is multiplied
  // by its boost. Equal scores go in title order.
  function rank(terms, postings, info) {
    var toks = [];
    terms.forEach(function (t) { t.spans.forEach(function (s) { if (toks.indexOf(s.tok) === -1) toks.push(s.tok); }); });
    var lists = toks.map(function (tok) { return postings[tok] || { ids: [] }; });
    terms.forEach(function (t) {
      t.lists = t.spans.map(function (s) { return toks.indexOf(s.tok); });
      t.bufs = t.spans.map(function () { return []; });
      t.lens = [];
      t.ptr = [];
    });
    var shortest = lists.reduce(function (a, b) { return b.ids.length < a.ids.length ? b : a; });
    var at = lists.map(function () { return 0; }), out = [], results = [];
    for (var c = 0; c < shortest.ids.length; c++) {
      var id = shortest.ids[c], all = true;
      for (var l = 0; all && l < lists.length; l++) {
        var ids = lists[l].ids;
        while (at[l] < ids.length && ids[at[l]] < id) at[l]++;
        all = at[l] < ids.length && ids[at[l]] === id;
      }
      if (!all) continue;
      var score = 0, ok = true;
      for (var ti = 0; ok && ti < terms.length; ti++) {
        var term = terms[ti];
        var inTitle = occurrences(term, lists, at, 0, 1, out) > 0, whole = inTitle && out[0] === 0 && info.titleLength[id] === term.text.length;
        var inText = occurrences(term, lists, at, 1, MAX_COUNT, out);
        if (!inTitle && inText === 0) ok = false;
        score += (whole ? 50 : 0) + (inTitle ? 10 : 0) + inText;
      }
      if (ok) results.push({ id: id, score: score * (info.boost[id] || 1), titleRank: info.titleRank[id] });
    }
    results.sort(function (a, b) { return b.score - a.score || a.titleRank - b.titleRank; });
    return results;
  }

  // The posting lists of documents given whole ([title, url, kind, text, boost] each, by
  // number), as the token shards hold them: for searching without the index.
  function indexDocs(docs) {
    var numbers = {}, last = {};
    docs.forEach(function (d, id) {
      var at = {};
      [d[0], d[3]].forEach(function (field, f) {
        tokenSpans(normalise(field)).forEach(function (s) {
          (at[s.tok] || (at[s.tok] = [[], []]))[f].push(s.at);
        });
      });
      Object.keys(at).forEach(function (tok) {
        var n = numbers[tok] || (numbers[tok] = []);
        n.push(id - (last[tok] || 0));
        last[tok] = id;
        at[tok].forEach(function (offs) {
          n.push(offs.length);
          offs.forEach(function (o, i) { n.push(o - (i ? offs[i - 1] : 0)); });
        });
      });
    });
    var index = {};
    Object.keys(numbers).forEach(function (tok) { index[tok] = postingList(numbers[tok]); });
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
    var info = {
      boost: docs.map(function (d) { return d[4]; }),
      titleLength: docs.map(function (d) { return normalise(d[0]).length; }),
      titleRank: [],
    };
    byTitle.forEach(function (id, place) { info.titleRank[id] = place; });
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
  // and `text` for the first `shown` (SHOWN unless given) only. `onChunk(results)` is called
  // as each of their document chunks comes in; `timing.compute` gets the time spent
  // searching, apart from waiting for scripts, and `timing.ranked` the time every match was
  // ranked at.
  function searchSite(meta, query, timing, shown, onChunk) {
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
        var encoded = (T[shardOf(tok, meta.t)] || {})[tok];
        if (encoded) postings[tok] = postingList(vlq(encoded));
      });
      var results = rank(terms, postings, meta);
      timing.ranked = performance.now();
      timing.compute += timing.ranked - t1;
      return showable(meta, results, 0, shown, timing, onChunk);
    });
  }

  // Loads the document chunks of results [from, from + n) and gives them their `doc` (title,
  // URL, kind, text, boost) and normalised `text`, calling `onChunk(results)` as each chunk
  // comes in; resolves to `results`.
  function showable(meta, results, from, n, timing, onChunk) {
    var part = results.slice(from, from + n), chunks = [];
    part.forEach(function (r) { var c = chunkOf(r.id, meta.starts); if (chunks.indexOf(c) === -1) chunks.push(c); });
    return Promise.all(chunks.map(function (c) {
      return load("search-index/d-" + c + ".js").then(function () {
        var t2 = performance.now(), rows = window.SEISAKU_SEARCH_D[c];
        part.forEach(function (r) {
          if (r.doc || chunkOf(r.id, meta.starts) !== c) return;
          r.doc = rows[r.id - meta.starts[c]];
          r.text = normalise(r.doc[3]);
        });
        if (timing) timing.compute += performance.now() - t2;
        if (onChunk) onChunk(results);
      });
    })).then(function () { return results; });
  }

  var current = 0;
  // Shows the results in order as their texts come in, a screenful first. The status gives the time from the
  // query to the first results shown, scripts loaded included (data-total-ms), to every
  // match ranked (data-ranked-ms), to all shown (data-all-ms), and the searching alone
  // (data-ms).
  function run(meta, query, list, status) {
    var t0 = performance.now(), mine = ++current, timing = {}, done = -1;
    function stamp(results) {
      var total = performance.now() - t0;
      status.textContent = query.trim() === "" ? "" : results.length + " 件見つかりました（" + total.toFixed(1) + " ms）";
      status.setAttribute("data-ms", timing.compute.toFixed(2));
      status.setAttribute("data-ranked-ms", (timing.ranked === undefined ? total : timing.ranked - t0).toFixed(2));
      status.setAttribute("data-total-ms", total.toFixed(2));
      status.setAttribute("data-count", String(results.length));
    }
    // Shows the results whose texts are in, after those shown (at the end, even none).
    function more(results, end) {
      if (mine !== current) return;
      var from = Math.max(done, 0), to = from;
      while (to < Math.min(SHOWN, results.length) && results[to].doc) to++;
      if (to === from && !(end && done < 0)) return;
      show(results, from, to, query, list, done < 0);
      if (done < 0) stamp(results);
      done = to;
    }
    return searchSite(meta, query, timing, FIRST, more).then(function (results) {
      return showable(meta, results, FIRST, SHOWN - FIRST, timing, more);
    }).then(function (results) {
      if (mine !== current) return;
      more(results, true);
      status.setAttribute("data-ms", timing.compute.toFixed(2));
      status.setAttribute("data-all-ms", (performance.now() - t0).toFixed(2));
    });
  }

  // Shows results [from, to), after the ones before, or (`fresh`) in place of what the list
  // showed.
  function show(results, from, to, query, list, fresh) {
    if (fresh) while (list.firstChild) list.removeChild(list.firstChild);
    var terms = normalise(query).split(/\s+/).filter(function (t) { return t.length > 0; });
    results.slice(from, to).forEach(function (r) {
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
  }

  window.SeisakuSearch = {
    tokens: tokens, search: search, normalise: normalise, shardOf: shardOf, searchSite: searchSite, showable: showable, queryTerms: queryTerms, SHOWN: SHOWN,
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
