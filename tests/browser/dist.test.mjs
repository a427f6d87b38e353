// @ts-check
// `npm run build`'s dist/ on a static host that sends no headers at all (like GitHub Pages):
// coi-serviceworker isolates the page after one reload, so threads run; the embed stays
// single-threaded (the service worker is never registered in embed mode).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startServer } from "../../scripts/server.mjs";
import { launchBrowser, root } from "./harness.mjs";
import { SMALL } from "./page-fixtures.mjs";

const dist = join(root, "dist");
// Set by before(): a test runs only once both started.
/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
let url = "";

before(async () => {
  if (!existsSync(join(dist, "index.html"))) throw new Error("dist/ is missing: run `npm run build`");
  // npm start's server without a single header: a host that sends none.
  server = await startServer({ folder: dist, headers: [] });
  url = server.url;
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const state = (/** @type {import("playwright-core").Page} */ page) =>
  page.evaluate(() => document.getElementById("status")?.dataset.state);

test("dist/ holds the page, both builds, _headers and coi-serviceworker", () => {
  for (const file of [
    "index.html",
    "coi-serviceworker.js",
    "www/app.js",
    "www/pkg/coresweep_bg.wasm",
    "www/pkg-single/coresweep_bg.wasm",
  ]) {
    assert.ok(existsSync(join(dist, file)), `dist/${file}`);
  }
  const headers = readFileSync(join(dist, "_headers"), "utf8");
  assert.match(headers, /Cross-Origin-Opener-Policy: same-origin/);
  assert.match(headers, /Cross-Origin-Embedder-Policy: require-corp/);
  assert.match(readFileSync(join(dist, "index.html"), "utf8"), /<script src="coi-serviceworker\.js">/);
});

test("served without headers, dist/ becomes isolated through the service worker", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${url}?${SMALL}`);
  await page.waitForFunction(() => globalThis.crossOriginIsolated === true, null, {
    timeout: 60_000,
  });
  await page.waitForFunction(() => document.getElementById("status")?.dataset.state === "idle");
  assert.equal(await page.locator("#threads-off").isVisible(), false);
  await page.locator("#run").click();
  await page.waitForFunction(
    () => ["done", "error"].includes(document.getElementById("status")?.dataset.state ?? ""),
    null,
    { timeout: 120_000 },
  );
  assert.equal(await state(page), "done", (await page.locator("#alert").textContent()) ?? undefined);
  assert.deepEqual(await page.locator("#results-table tbody th").allTextContents(), ["1", "2"]);
  await page.close();
});
