// @ts-check
// The threaded sweep in every engine: cross-origin isolated with SharedArrayBuffer, a 1,2 sweep
// finishes (in WebKit its fresh workers revalidate their scripts: the 304s need COEP), the
// table, the document and the chart hold both points, nothing fails; the core count's hint says
// the browser's count may be rounded and how to correct it (WebKit says 4 on 2 CPUs); the
// workers get the module the page compiled, not a fetch of their own.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { chartInk, documentThreads, runSweep, SMALL, waitForState } from "./page-fixtures.mjs";

forEachEngine((fixture) => {
  test("a threaded sweep over 1 and 2 threads finishes and is drawn", async (t) => {
    const page = await fixture.open(SMALL);
    assert.equal(await waitForState(page, ["idle", "error"]), "idle");
    assert.deepEqual(
      await page.evaluate(() => [globalThis.crossOriginIsolated, typeof SharedArrayBuffer]),
      [true, "function"],
    );
    assert.equal(await page.locator("#threads-off").isVisible(), false);
    assert.match(await page.locator("#cores-hint").textContent(), /may be rounded.*type it here/);
    t.diagnostic(`hardwareConcurrency ${await page.evaluate(() => navigator.hardwareConcurrency)}`);
    const wasm = "/www/pkg/coresweep_bg.wasm";
    const loaded = fixture.server.requests(wasm);
    assert.equal(await runSweep(page), "done", await page.locator("#alert").textContent());
    // The page compiled the module once and handed it to both points' workers (their
    // optimised code with it: engine-modules.js); a worker fetching it again would show here.
    assert.equal(fixture.server.requests(wasm) - loaded, 0, "requests for the wasm during the sweep");
    assert.deepEqual(await documentThreads(page), [1, 2]);
    assert.deepEqual(await page.locator("#results-table tbody th").allTextContents(), ["1", "2"]);
    const { ink, pixels } = await chartInk(page);
    assert.ok(ink > 0.003 * pixels, `chart ink ${ink} of ${pixels} pixels`);
    assert.equal(await page.locator("#alert").textContent(), "");
    assert.deepEqual(await page.problems(), []);
    await page.close();
  });
});
