// Opens built sites from disk (file://) in headless Chromium and checks what a reader sees:
// every internal link works, no network request, no console error, axe-core finds no serious
// or critical violation, search finds the right pages. Screenshots go to screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync, mkdirSync, existsSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const SITES = (process.env.E2E_SITES || "").split(":").filter(Boolean);
const shots = join(here, "screenshots");
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--allow-file-access-from-files"],
  });
});
after(async () => { await browser?.close(); });

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith(".html")) out.push(p);
  }
  return out.sort();
}

async function openPage(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("request", (r) => { if (!r.url().startsWith("file://") && !r.url().startsWith("data:")) problems.push(`network: ${r.url()}`); });
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  await page.goto(url, { waitUntil: "load" });
  return { page, problems };
}

for (const site of SITES) {
  const name = site.split("/").filter(Boolean).slice(-2).join("-");
  const pages = htmlFiles(site);

  test(`${name}: every page loads from disk with no network request or console error, every link resolves`, async () => {
    const bad = [];
    const page = await browser.newPage();
    let current = "";
    page.on("console", (m) => { if (m.type() === "error") bad.push(`${current}: console: ${m.text()}`); });
    page.on("pageerror", (e) => bad.push(`${current}: ${e.message}`));
    page.on("request", (r) => { if (!r.url().startsWith("file://")) bad.push(`${current}: network ${r.url()}`); });
    page.on("requestfailed", (r) => bad.push(`${current}: failed ${r.url()}`));
    for (const file of pages) {
      current = relative(site, file);
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
      for (const h of hrefs) {
        if (!h.startsWith("file://")) continue;
        const u = new URL(h);
        const target = decodeURIComponent(u.pathname);
        if (!existsSync(target) || statSync(target).isDirectory()) bad.push(`${current}: broken link ${h}`);
      }
    }
    await page.close();
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} problem(s)`);
  });

  test(`${name}: axe-core finds no serious or critical violation on one page of each kind`, async () => {
    const kinds = new Map();
    for (const f of pages) {
      const rel = relative(site, f);
      const key = rel.split("/").length > 2 ? rel.split("/")[0] + "/*" : rel;
      if (!kinds.has(key)) kinds.set(key, f);
    }
    const found = [];
    for (const [kind, file] of kinds) {
      for (const scheme of ["light", "dark"]) {
        const page = await browser.newPage({ colorScheme: scheme });
        await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
        await page.addScriptTag({ content: axeSource });
        const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
        for (const v of res.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
          found.push(`${kind} (${scheme}): ${v.id} ${v.impact} — ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
        }
        await page.close();
      }
    }
    assert.deepEqual(found, []);
  });

  test(`${name}: search works from disk, in Japanese, with the keyboard`, async () => {
    const { page, problems } = await openPage(pathToFileURL(join(site, "index.html")).href);
    await page.focus("#header-q");
    const query = process.env.E2E_QUERY || "IMDRF";
    await page.keyboard.type(query);
    await page.keyboard.press("Enter");
    await page.waitForURL(/search\/index\.html\?q=/);
    await page.waitForSelector("#search-results li a");
    const ms = Number(await page.getAttribute("#search-status", "data-ms"));
    const total = Number(await page.getAttribute("#search-status", "data-total-ms"));
    const first = await page.textContent("#search-results li a");
    const expected = process.env.E2E_FIRST || "IMDRF";
    assert.ok(first.includes(expected), `first result ${first}`);
    assert.ok(ms < 50, `first result took ${ms} ms`);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.tagName);
    assert.ok(["A", "BUTTON", "INPUT"].includes(focused), focused);
    const jaQueries = name.endsWith("seed") ? ["承認", "デバイスラグ", "IDATEN", "ＩＭＤＲＦ"] : ["デバイスラグ", "ＩＭＤＲＦ"];
    for (const q of jaQueries) {
      await page.fill("#search-input", q);
      await page.waitForFunction(() => Number(document.querySelector("#search-status").dataset.count) > 0);
    }
    await page.screenshot({ path: join(shots, `${name}-search.png`), fullPage: false });
    console.log(`# ${name}: search "${query}" first result "${first}" in ${total} ms (${ms} ms searching, the rest loading the index parts it needs)`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test(`${name}: screenshots of page kinds at phone and desktop width`, async () => {
    const picks = ["index.html", ...["policies", "kpis", "glossary", "goals"].map((d) => pages.find((p) => relative(site, p).startsWith(d + "/") && relative(site, p).split("/").length === 3)).filter(Boolean).map((p) => relative(site, p))];
    for (const rel of picks) {
      for (const width of [390, 1280]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(pathToFileURL(join(site, rel)).href, { waitUntil: "load" });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${rel} at ${width}px overflows by ${overflow}px`);
        await page.screenshot({ path: join(shots, `${name}-${rel.replace(/\//g, "_")}-${width}.png`), fullPage: width === 390 ? false : true });
        await page.close();
      }
    }
  });
}
