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
  // Pages left at old addresses redirect at once: they are checked on their own below.
  const all = htmlFiles(site);
  const isRedirect = (f) => readFileSync(f, "utf8").includes('http-equiv="refresh"');
  const redirects = all.filter(isRedirect);
  const pages = all.filter((f) => !isRedirect(f));

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
      // SVG links (plan maps) have no string `href` property: resolve the attribute.
      const hrefs = await page.$$eval("a[href]", (as) =>
        as.map((a) => new URL(a.getAttribute("href"), document.baseURI).href));
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

  test(`${name}: an old address sends the reader to the page, from disk`, async () => {
    for (const file of redirects) {
      const page = await browser.newPage();
      const target = readFileSync(file, "utf8").match(/url=([^"]+)"/)[1];
      const expected = pathToFileURL(join(dirname(file), target)).href;
      await page.goto(pathToFileURL(file).href);
      await page.waitForURL(expected, { timeout: 5000 });
      await page.close();
    }
  });

  test(`${name}: the table of contents is one folded line on a phone and open beside the page on a wide screen`, async () => {
    const file = pages.find((p) => readFileSync(p, "utf8").includes('<details class="toc"'));
    if (!file) return;
    const rel = relative(site, file);
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      const r = await page.evaluate(() => {
        const toc = document.querySelector("details.toc");
        const h1 = document.querySelector("main h1");
        const first = toc.querySelector("nav a");
        const ids = [...toc.querySelectorAll("nav a")].map((a) => decodeURIComponent(a.hash.slice(1)));
        return {
          open: toc.open,
          label: toc.querySelector("nav").getAttribute("aria-label"),
          toc: toc.getBoundingClientRect().toJSON(),
          h1: h1.getBoundingClientRect().toJSON(),
          linkShown: first.checkVisibility() && first.getBoundingClientRect().height > 0,
          missing: ids.filter((id) => !document.getElementById(id)),
        };
      });
      assert.equal(r.label, "目次");
      assert.deepEqual(r.missing, [], `${rel}: links without a heading`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${rel} at ${width}px overflows by ${overflow}px`);
      if (width === 390) {
        assert.ok(!r.open && !r.linkShown, `${rel}: folded on a phone`);
        assert.ok(r.toc.height <= 64, `${rel}: the folded contents take ${r.toc.height}px`);
        assert.ok(r.h1.top < r.toc.bottom + 120, `${rel}: the title follows the folded contents`);
        await page.screenshot({ path: join(shots, `${name}-toc-${width}.png`) });
        // Opened, a link leads to its heading.
        await page.click("details.toc > summary");
        const href = await page.getAttribute("details.toc nav a", "href");
        await page.click("details.toc nav a");
        const seen = await page.evaluate((id) => {
          const b = document.getElementById(id).getBoundingClientRect();
          return b.top >= -1 && b.top < window.innerHeight;
        }, decodeURIComponent(href.slice(1)));
        assert.ok(seen, `${rel}: the heading of ${href} is scrolled into view`);
      } else {
        assert.ok(r.open && r.linkShown, `${rel}: open on a wide screen`);
        assert.ok(r.toc.left >= r.h1.right - 1, `${rel}: beside the page, not above it`);
        assert.ok(r.h1.top < 300, `${rel}: the page starts at the top`);
        await page.screenshot({ path: join(shots, `${name}-toc-${width}.png`) });
      }
      await page.emulateMedia({ media: "print" });
      const printed = await page.evaluate(() => getComputedStyle(document.querySelector("details.toc")).display);
      assert.equal(printed, "none", `${rel}: not printed`);
      await page.close();
    }
  });

  test(`${name}: a long list is split into pages the reader walks with next, previous and the numbers`, async () => {
    const first = join(site, "policies/index.html");
    if (!readFileSync(first, "utf8").includes('class="pager"')) return;
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(first).href, { waitUntil: "load" });
      const count = Number((await page.title()).match(/（1\/(\d+)ページ）/)[1]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `policies at ${width}px overflows by ${overflow}px`);
      await page.locator("nav.pager").first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, `${name}-pager-${width}.png`) });
      const titles = [await page.title()];
      for (let n = 2; n <= count; n++) {
        await page.locator("nav.pager a[rel=next]").first().click();
        await page.waitForURL(new RegExp(`policies/page/${n}/index\\.html$`));
        titles.push(await page.title());
      }
      titles.forEach((t, i) => assert.ok(t.includes(`（${i + 1}/${count}ページ）`), t));
      assert.equal(await page.locator("nav.pager a[rel=next]").count(), 0, "the last page has no next");
      await page.locator("nav.pager a[rel=prev]").first().click();
      await page.waitForURL(count > 2 ? new RegExp(`policies/page/${count - 1}/index\\.html$`) : /policies\/index\.html$/);
      await page.locator("nav.pager a", { hasText: /^1$/ }).first().click();
      await page.waitForURL(/policies\/index\.html$/);
      await page.close();
    }
  });
}
