// Checks a built site's search (a check for large sites, not a test):
//   node tests/e2e/search_same_results.mjs SITE QUERY...   (DIFF=QUERY lists pages only one finds)
// For each query, the results the page finds part by part (searchSite, from the token shards and
// the chunks of the 50 shown) against the ranking the page did before positional token shards:
// every page holding the query's tokens, its terms checked and counted as substrings of its
// normalised title and text (all the document chunks loaded).
import { readFileSync, readdirSync } from "node:fs";
import vm from "node:vm";
import { join } from "node:path";
const site = process.argv[2], queries = process.argv.slice(3);
const source = readFileSync(join(site, "static", "search.js"), "utf8");
const page = { window: { location: { search: "" } }, URLSearchParams, performance,
  document: { getElementById: () => null, querySelector: () => null, createElement: () => ({}),
    head: { appendChild(s) { vm.runInContext(readFileSync(join(site, s.src), "utf8"), page); setTimeout(() => s.onload(), 0); } } } };
page.window.window = page.window;
vm.createContext(page);
vm.runInContext("var window = this.window; var document = this.document;", page);
vm.runInContext(readFileSync(join(site, "search-index.js"), "utf8").replace("window.", "this.window."), page);
vm.runInContext(source, page);
const S = page.window.SeisakuSearch, meta = page.window.SEISAKU_SEARCH_META;
const whole = { window: {} }; vm.createContext(whole);
for (const f of readdirSync(join(site, "search-index"))) if (f.startsWith("d-")) vm.runInContext("var window = this.window;" + readFileSync(join(site, "search-index", f), "utf8"), whole);
const docs = [];
Object.entries(whole.window.SEISAKU_SEARCH_D).forEach(([c, rows]) => rows.forEach((d, i) => { docs[meta.starts[c] + i] = d; }));
const { tokens, normalise } = S;
const toks = docs.map((d) => new Set([...tokens(d[0]), ...tokens(d[3])]));
function bySubstrings(q) {
  const terms = normalise(q).split(/\s+/).filter((t) => t.length > 0);
  const count = (hay, needle) => { let n = 0, i = hay.indexOf(needle); while (i !== -1 && n < 5) { n++; i = hay.indexOf(needle, i + needle.length); } return n; };
  const out = [];
  docs.forEach((d, id) => {
    if (!terms.every((t) => tokens(t).every((tok) => toks[id].has(tok)))) return;
    const title = normalise(d[0]), text = normalise(d[3]);
    let score = 0;
    for (const t of terms) { const inTitle = title.includes(t), inText = count(text, t); if (!inTitle && inText === 0) return; score += (title === t ? 50 : 0) + (inTitle ? 10 : 0) + inText; }
    out.push({ id, doc: d, score: score * (d[4] || 1) });
  });
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => b.score - a.score || cmp(a.doc[0], b.doc[0]) || cmp(a.doc[1], b.doc[1]));
}
for (const q of queries) {
  const got = await S.searchSite(meta, q, {}, 50);
  const want = bySubstrings(q);
  const same = got.length === want.length && got.every((r, i) => r.id === want[i].id && r.score === want[i].score);
  const shownSame = got.slice(0, 50).every((r, i) => r.doc[1] === want[i].doc[1]);
  console.log(`${q}\t${got.length} results (substrings: ${want.length})\tsame order and scores: ${same}\tfirst 50 same: ${shownSame}`);
}
if (process.env.DIFF) {
  const q = process.env.DIFF;
  const got = new Set((await S.searchSite(meta, q, {}, 0)).map((r) => r.id));
  for (const r of bySubstrings(q)) if (!got.has(r.id)) { const t = normalise(r.doc[3]); const i = t.indexOf(normalise(q)); console.log("only by substrings:", r.doc[0], r.doc[1], JSON.stringify(t.slice(Math.max(0, i - 10), i + 20)), JSON.stringify(normalise(r.doc[0]))); }
}
