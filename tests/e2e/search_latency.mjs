// Search latency from disk in headless Chromium (a benchmark, not a test):
//   node tests/e2e/search_latency.mjs SITE [QUERY...]      (RUNS=n: medians of n runs each)
// For each query, a fresh page opens SITE/search/index.html?q=QUERY from file:// and the times
// from the query are read from the page (data-total-ms: to the first results shown, index
// scripts loaded included; data-ranked-ms: to every match ranked; data-all-ms: to all results
// shown; data-ms: searching alone), with the index scripts the query loaded and their size
// on disk.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { statSync } from "node:fs";

const site = process.argv[2];
const queries = process.argv.length > 3 ? process.argv.slice(3) : ["IMDRF", "デバイスラグ", "医療機器", "研究開発 推進", "合成施策123"];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--allow-file-access-from-files"],
});
const runs = Number(process.env.RUNS || 1);
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const q of queries) {
    const got = [];
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const url = pathToFileURL(join(site, "search", "index.html")).href + "?q=" + encodeURIComponent(q);
      await page.goto(url);
      // Pages from before data-all-ms (one time, all results shown at once) are read too.
      await page.waitForFunction(() => {
        const d = document.querySelector("#search-status")?.dataset;
        return d && d.totalMs !== undefined && (d.allMs !== undefined || d.rankedMs === undefined);
      }, null, { timeout: 60000 });
      got.push(await page.evaluate(() => {
        const s = document.querySelector("#search-status");
        const scripts = Array.from(document.querySelectorAll("script[src*='search-index']")).map((e) => e.getAttribute("src"));
        const d = s.dataset;
        return { total: Number(d.totalMs), ranked: Number(d.rankedMs ?? d.totalMs), all: Number(d.allMs ?? d.totalMs), ms: Number(d.ms), count: Number(d.count), scripts };
      }));
      await context.close();
    }
    const r = { ...got[0] };
    for (const k of ["total", "ranked", "all", "ms"]) r[k] = median(got.map((g) => g[k]));
    const bytes = r.scripts.reduce((sum, src) => sum + statSync(join(site, "search", src)).size, 0);
    const of = runs > 1 ? ` (median of ${runs}; first results ${got.map((g) => g.total.toFixed(0)).join(" ")})` : "";
    console.log(`${q}\t${r.total.toFixed(1)} ms to first results (ranked at ${r.ranked.toFixed(1)}, all shown at ${r.all.toFixed(1)}; ${r.ms.toFixed(1)} ms searching)\t${r.count} results\t${r.scripts.length} index scripts loaded\t${(bytes / 1024).toFixed(0)} KB${of}`);
  }
} finally {
  await browser.close();
}
