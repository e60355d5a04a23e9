// The page's tokenizer (static/search.js) must agree with the Rust one on the shared vectors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const here = new URL(".", import.meta.url);
const source = readFileSync(new URL("../../themes/default/static/search.js", here), "utf8");
const vectors = JSON.parse(readFileSync(new URL("../search_vectors.json", here), "utf8"));
const sandbox = { window: { location: { search: "" } }, document: { getElementById: () => null }, URLSearchParams, performance };
vm.createContext(sandbox);
vm.runInContext(source, sandbox);
const { tokens, search } = sandbox.window.SeisakuSearch;

test("tokenizer matches the shared vectors", () => {
  for (const v of vectors) assert.deepEqual(Array.from(tokens(v.input)), v.tokens, v.input);
});

test("search ranks titles above body text and finds terms, not scattered bigrams", () => {
  const docs = [["研修", "a/index.html", "施策", "デバイスラグの解消", 1], ["デバイスラグ", "b/index.html", "用語", "定義", 3], ["無関係", "c/index.html", "施策", "デバイス ラグ", 1], ["ラグデバイス", "d/index.html", "施策", "イスラ", 1]];
  const r = search(docs, "デバイスラグ");
  assert.deepEqual(Array.from(r, (x) => x.doc[1]), ["b/index.html", "a/index.html"]);
  assert.deepEqual(Array.from(r, (x) => x.score), [(50 + 10) * 3, 1]);
});

test("a term counts where it stands apart, at most five times, and ASCII words whole", () => {
  const docs = [["甲", "a", "施策", "ああああ ああ", 1], ["乙", "b", "施策", "imdrfx IMDRF imdrf", 1], ["丙", "c", "施策", "承認承認承認承認承認承認承認", 1]];
  const score = (q) => Object.fromEntries(search(docs, q).map((x) => [x.doc[1], x.score]));
  assert.deepEqual(score("ああ"), { a: 3 });
  assert.deepEqual(score("ＩＭＤＲＦ"), { b: 2 });
  assert.deepEqual(score("承認"), { c: 5 });
  // A lone ASCII letter is no term: the query is left with none.
  assert.deepEqual(score("a"), {});
  assert.deepEqual(score("a 承認"), { c: 5 });
});

test("a term is looked up by the fewest tokens that cover it", () => {
  const { queryTerms } = sandbox.window.SeisakuSearch;
  const covering = (q) => Array.from(queryTerms(q), (t) => t.spans.map((s) => `${s.tok}@${s.at}`).join(" "));
  assert.deepEqual(covering("医療機器 研究開発推進"), ["医療@0 機器@2", "研究@0 開発@2 推進@4"]);
  assert.deepEqual(covering("デバイスラグ"), ["デバ@0 イス@2 ラグ@4"]);
  assert.deepEqual(covering("承認審査"), ["承認@0 審査@2"]);
  assert.deepEqual(covering("医療・機器 IMDRF会議 a"), ["医療@0 機器@3", "imdrf@0 会議@5"]);
  assert.deepEqual(covering("迅速化"), ["迅速@0 速化@1"]);
});

test("the token hash matches the Rust one", () => {
  const { shardOf } = sandbox.window.SeisakuSearch;
  // 32-bit FNV-1a over code points; the same value is asserted in src/render/search.rs.
  assert.equal(shardOf("ラグ", 1000003), 0x31bc441c % 1000003);
});

// Ranking as it was when the page loaded every candidate's text: terms checked as substrings
// of the normalised title and text. Kept to show the token ranking finds the same.
function bySubstrings(docs, query) {
  const { normalise } = sandbox.window.SeisakuSearch;
  const terms = normalise(query).split(/\s+/).filter((t) => t.length > 0);
  const count = (hay, needle) => {
    let n = 0, i = hay.indexOf(needle);
    while (i !== -1 && n < 5) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  };
  const out = [];
  docs.forEach((d) => {
    const toks = new Set([...tokens(d[0]), ...tokens(d[3])]);
    if (!terms.every((t) => tokens(t).every((tok) => toks.has(tok)))) return;
    const title = normalise(d[0]), text = normalise(d[3]);
    let score = 0;
    for (const t of terms) {
      const inTitle = title.includes(t), inText = count(text, t);
      if (!inTitle && inText === 0) return;
      score += (title === t ? 50 : 0) + (inTitle ? 10 : 0) + inText;
    }
    out.push({ doc: d, score: score * (d[4] || 1) });
  });
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => b.score - a.score || cmp(a.doc[0], b.doc[0]) || cmp(a.doc[1], b.doc[1]));
}

// A built site's index, loaded part by part as the search page does (scripts inserted on
// demand, run here from disk), gives the same results as the whole index searched at once,
// and as the ranking by substrings; it loads the document chunks of the results shown only.
async function lazyEqualsWhole(root, queries) {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, readdirSync, existsSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const top = new URL("../../", here).pathname;
  const bin = join(top, "target/release/seisaku");
  if (!existsSync(bin)) return;
  const out = mkdtempSync(join(tmpdir(), "seisaku-search-"));
  execFileSync(bin, ["build", "--root", join(top, root), "--out", join(out, "site")]);
  const site = join(out, "site");
  const loaded = [];
  const page = {
    window: { location: { search: "" } },
    URLSearchParams, performance,
    document: {
      getElementById: () => null,
      querySelector: () => null,
      head: {
        appendChild(s) {
          loaded.push(s.src);
          const code = readFileSync(join(site, s.src), "utf8");
          vm.runInContext(code, page);
          setTimeout(() => s.onload(), 0);
        },
      },
      createElement: () => ({}),
    },
  };
  page.window.window = page.window;
  vm.createContext(page);
  vm.runInContext("var window = this.window; var document = this.document;", page);
  vm.runInContext(readFileSync(join(site, "search-index.js"), "utf8").replace("window.", "this.window."), page);
  vm.runInContext(source, page);
  const lazy = page.window.SeisakuSearch;
  // The whole index, for comparison: every chunk.
  const whole = { window: {} };
  vm.createContext(whole);
  for (const f of readdirSync(join(site, "search-index"))) {
    vm.runInContext("var window = this.window;" + readFileSync(join(site, "search-index", f), "utf8"), whole);
  }
  const meta = page.window.SEISAKU_SEARCH_META;
  const docs = [];
  Object.entries(whole.window.SEISAKU_SEARCH_D).forEach(([c, rows]) => rows.forEach((d, i) => { docs[meta.starts[c] + i] = d; }));
  assert.equal(docs.filter(Boolean).length, meta.docs);
  const ever = new Set();
  const chunkOf = (id) => meta.starts.findLastIndex((s) => s <= id);
  for (const [q, shown, more] of queries) {
    loaded.length = 0;
    const got = await lazy.searchSite(meta, q, {}, shown);
    const want = search(docs, q);
    assert.deepEqual(Array.from(got, (r) => r.id), Array.from(want, (r) => r.id), q);
    assert.deepEqual(Array.from(got, (r) => r.score), Array.from(want, (r) => r.score), q);
    assert.deepEqual(Array.from(got.slice(0, shown), (r) => r.doc[1]), Array.from(want.slice(0, shown), (r) => r.doc[1]), q);
    // The same results in the same order, but for terms of one character: these now count
    // where the character stands alone (as the token it is matched by), not inside words, so
    // the same pages come in another order; and a lone ASCII letter is no longer a term.
    const old = bySubstrings(docs, q);
    if (q === "の") assert.deepEqual(Array.from(want, (r) => r.doc[1]).sort(), old.map((r) => r.doc[1]).sort(), q);
    else if (q !== "a") assert.deepEqual(Array.from(want, (r) => r.doc[1]), Array.from(old, (r) => r.doc[1]), q);
    if (more) assert.ok(want.length > shown, `${q}: ${want.length} results`);
    if (["IMDRF", "デバイスラグ"].includes(q)) assert.ok(want.length > 0, q);
    // Document chunks: those of the results shown (unless an earlier query loaded them), no other.
    const chunks = loaded.filter((s) => s.includes("/d-")).map((s) => Number(s.match(/d-(\d+)/)[1]));
    const needed = new Set(got.slice(0, shown).map((r) => chunkOf(r.id)));
    assert.ok(chunks.every((c) => needed.has(c)), `${q}: loaded ${chunks}, shown in ${[...needed]}`);
    chunks.forEach((c) => ever.add(c));
    assert.ok([...needed].every((c) => ever.has(c)), q);
    assert.ok(loaded.filter((s) => s.includes("/t-")).length <= 2 * q.length, q);
  }
}

const everyKind = [["IMDRF", 50], ["ＩＭＤＲＦ", 50], ["デバイスラグ", 50], ["医療機器", 50], ["承認 審査", 50], ["a", 50], ["存在しない語句", 50]];
test("loading only the parts a query needs finds what the whole index finds: fixture", () => lazyEqualsWhole("tests/fixtures/basic", everyKind));
test("loading only the parts a query needs finds what the whole index finds: seed site", () =>
  lazyEqualsWhole(".", [...everyKind, ["承認", 50, true], ["医療", 5, true], ["研究開発 推進", 3, false], ["の", 10, false]]));
