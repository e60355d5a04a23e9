// seisaku search: runs from file:// with the index loaded by a <script> tag.
// The tokenizer mirrors src/render/search.rs; tests/search_vectors.json holds shared cases.
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

  function run(data, query, list, status) {
    var t0 = performance.now();
    var results = search(data, query);
    var ms = performance.now() - t0;
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
    status.textContent = terms.length === 0 ? "" : results.length + " 件見つかりました（" + ms.toFixed(1) + " ms）";
    status.setAttribute("data-ms", ms.toFixed(2));
    status.setAttribute("data-count", String(results.length));
  }

  window.SeisakuSearch = { tokens: tokens, search: search, normalise: normalise };

  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var form = document.getElementById("search-form");
  var data = window.SEISAKU_SEARCH;
  if (!input || !list || !status || !data) return;
  var q = new URLSearchParams(window.location.search).get("q") || "";
  input.value = q;
  if (q) run(data, q, list, status);
  input.addEventListener("input", function () { run(data, input.value, list, status); });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(data, input.value, list, status); });
  input.focus();
})();
