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

test("search ranks titles above body text and verifies substrings", () => {
  const data = {
    docs: [["研修", "a/index.html", "施策", "デバイスラグの解消", 1], ["デバイスラグ", "b/index.html", "用語", "定義", 3], ["無関係", "c/index.html", "施策", "デバイス ラグ", 1]],
    index: {},
  };
  data.docs.forEach((d, i) => {
    for (const t of new Set([...tokens(d[0]), ...tokens(d[3])])) (data.index[t] ||= []).push(i);
  });
  const r = search(data, "デバイスラグ");
  assert.deepEqual(Array.from(r, (x) => x.doc[1]), ["b/index.html", "a/index.html"]);
});

test("results from every index shard are merged and ranked together", () => {
  const shard = (docs) => {
    const s = { docs, index: {} };
    docs.forEach((d, i) => {
      for (const t of new Set([...tokens(d[0]), ...tokens(d[3])])) (s.index[t] ||= []).push(i);
    });
    return s;
  };
  const data = [
    shard([["研修", "a/index.html", "施策", "承認の迅速化", 1]]),
    shard([["承認", "b/index.html", "用語", "定義", 3], ["無関係", "c/index.html", "施策", "なし", 1]]),
  ];
  const r = search(data, "承認");
  assert.deepEqual(Array.from(r, (x) => x.doc[1]), ["b/index.html", "a/index.html"]);
});

test("the token hash matches the Rust one", () => {
  const { shardOf } = sandbox.window.SeisakuSearch;
  // 32-bit FNV-1a over code points; the same value is asserted in src/render/search.rs.
  assert.equal(shardOf("ラグ", 1000003), 0x31bc441c % 1000003);
});

// A built site's index, loaded part by part as the search page does (scripts inserted on
// demand, run here from disk), gives the same results as the whole index searched at once.
test("loading only the parts a query needs finds what the whole index finds", async () => {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, readdirSync, existsSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const top = new URL("../../", here).pathname;
  const bin = join(top, "target/release/seisaku");
  if (!existsSync(bin)) return;
  const out = mkdtempSync(join(tmpdir(), "seisaku-search-"));
  execFileSync(bin, ["build", "--root", join(top, "tests/fixtures/basic"), "--out", join(out, "site")]);
  const site = join(out, "site");
  let loads = 0;
  const page = {
    window: { location: { search: "" } },
    URLSearchParams, performance,
    document: {
      getElementById: () => null,
      querySelector: () => null,
      head: {
        appendChild(s) {
          loads++;
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
  // The whole index, for comparison: every chunk and token shard.
  const whole = { window: {} };
  vm.createContext(whole);
  for (const f of readdirSync(join(site, "search-index"))) {
    vm.runInContext("var window = this.window;" + readFileSync(join(site, "search-index", f), "utf8"), whole);
  }
  const meta = page.window.SEISAKU_SEARCH_META;
  const docs = [];
  Object.entries(whole.window.SEISAKU_SEARCH_D).forEach(([c, rows]) => rows.forEach((d, i) => { docs[meta.starts[c] + i] = d; }));
  const all = { docs, index: {} };
  docs.forEach((d, i) => {
    for (const t of new Set([...tokens(d[0]), ...tokens(d[3])])) (all.index[t] ||= []).push(i);
  });
  for (const q of ["IMDRF", "ＩＭＤＲＦ", "デバイスラグ", "医療機器", "承認 審査", "a", "存在しない語句"]) {
    const before = loads;
    const got = await lazy.searchSite(meta, q);
    const want = search(all, q);
    assert.deepEqual(Array.from(got, (r) => r.doc[1]), Array.from(want, (r) => r.doc[1]), q);
    if (["IMDRF", "ＩＭＤＲＦ", "デバイスラグ"].includes(q)) assert.ok(want.length > 0, q);
    if (q !== "a") assert.ok(loads - before <= 2 * q.length + meta.starts.length, `${q}: ${loads - before} scripts`);
  }
});
