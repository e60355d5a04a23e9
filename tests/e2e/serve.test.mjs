// `seisaku serve` in a real browser: an edit reloads the open page, a broken edit shows the
// overlay with file and line, fixing it reloads. Reports save-to-reload latency over 20 edits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const top = join(here, "../..");
const bin = join(top, "target/release/seisaku");

function startServe(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["serve", "--port", "0", "--root", root], { env: { ...process.env, NO_COLOR: "1" } });
    const timer = setTimeout(() => reject(new Error("serve did not start")), 20000);
    let buf = "";
    child.stderr.on("data", (d) => {
      buf += d;
      const m = /http:\/\/([0-9.:]+)\//.exec(buf);
      if (m) { clearTimeout(timer); resolve({ child, url: `http://${m[1]}/` }); }
    });
  });
}

test("live reload and error overlay in the browser", async () => {
  const site = mkdtempSync(join(tmpdir(), "seisaku-serve-"));
  cpSync(join(top, "tests/fixtures/basic"), site, { recursive: true });
  const { child, url } = await startServe(site);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
  try {
    const page = await browser.newPage();
    await page.goto(url + "policies/research-support/", { waitUntil: "load" });
    await page.waitForTimeout(300);
    const file = join(site, "content/policies/research-support.md");
    const original = readFileSync(file, "utf8");
    const latencies = [];
    for (let i = 0; i < 20; i++) {
      const t0 = Date.now();
      const nav = page.waitForEvent("load", { timeout: 10000 });
      writeFileSync(file, original.replace("title = \"研究開発支援\"", `title = "研究開発支援 版${i}"`));
      await nav;
      await page.waitForSelector(`h1:has-text("版${i}")`, { timeout: 10000 });
      latencies.push(Date.now() - t0);
      await page.waitForTimeout(150);
    }
    latencies.sort((a, b) => a - b);
    console.log(`# save-to-reload in the browser over 20 edits: median ${latencies[10]} ms, max ${latencies[19]} ms`);
    writeFileSync(file, original.replace("kind = \"measure\"", "kind = \"measur\""));
    await page.waitForSelector("#seisaku-error-overlay", { timeout: 10000 });
    const overlay = await page.textContent("#seisaku-error-overlay");
    assert.match(overlay, /content\/policies\/research-support\.md:3/);
    assert.match(await page.textContent("h1"), /版19/);
    const nav = page.waitForEvent("load", { timeout: 10000 });
    writeFileSync(file, original);
    await nav;
    assert.equal(await page.$("#seisaku-error-overlay"), null);
    assert.equal(await page.textContent("h1"), "研究開発支援");
  } finally {
    await browser.close();
    child.kill("SIGINT");
    rmSync(site, { recursive: true, force: true });
  }
});
