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
