// Search latency from disk in headless Chromium (a benchmark, not a test):
//   node tests/e2e/search_latency.mjs SITE [QUERY...]
// For each query, a fresh page opens SITE/search/index.html?q=QUERY from file:// and the time
// from the query to the first result is read from the page (data-total-ms: index scripts
// loaded included; data-ms: searching alone), with the index scripts the query loaded and
// their size on disk.
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
try {
  for (const q of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const url = pathToFileURL(join(site, "search", "index.html")).href + "?q=" + encodeURIComponent(q);
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector("#search-status")?.dataset.totalMs !== undefined, null, { timeout: 60000 });
    const r = await page.evaluate(() => {
      const s = document.querySelector("#search-status");
      const scripts = Array.from(document.querySelectorAll("script[src*='search-index']")).map((e) => e.getAttribute("src"));
      return { total: Number(s.dataset.totalMs), ms: Number(s.dataset.ms), count: Number(s.dataset.count), scripts };
    });
    const bytes = r.scripts.reduce((sum, src) => sum + statSync(join(site, "search", src)).size, 0);
    console.log(`${q}\t${r.total.toFixed(1)} ms to results (${r.ms.toFixed(1)} ms searching)\t${r.count} results\t${r.scripts.length} index scripts loaded\t${(bytes / 1024).toFixed(0)} KB`);
    await context.close();
  }
} finally {
  await browser.close();
}
