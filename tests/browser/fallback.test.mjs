// Without SharedArrayBuffer the page runs the single-threaded build on 1 thread and its banner
// names the real cause, in every engine: served without the isolation headers ("not
// cross-origin isolated"); and in WebKitGTK without JSC_useSharedArrayBuffer, isolated but
// without SharedArrayBuffer. (The frame that is not isolated: embed.test.mjs.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { chartInk, documentThreads, SMALL, waitForState } from "./page-fixtures.mjs";

/** Runs the page's autorun sweep; checks 1 thread only, the banner's words and the chart. */
async function singleThreaded(page, cause) {
  assert.equal(
    await waitForState(page, ["done", "error"]),
    "done",
    await page.locator("#alert").textContent(),
  );
  assert.equal(await page.locator("#threads-off").isVisible(), true);
  const note = await page.locator("#threads-off").textContent();
  assert.match(note, /Threads are off here\./);
  assert.match(note, cause);
  assert.match(note, /runs on 1 thread only/);
  assert.equal(await page.locator("#full-page-link").getAttribute("target"), "_blank");
  assert.deepEqual(await documentThreads(page), [1]);
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.ok(doc.quality.oob_accuracy > 0.5, `OOB accuracy ${doc.quality.oob_accuracy}`);
  const { ink, pixels } = await chartInk(page);
  assert.ok(ink > 0.003 * pixels, `chart ink ${ink} of ${pixels} pixels`);
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(await page.problems(), []);
}

forEachEngine(
  (fixture) => {
    test("without the isolation headers: 1 thread, and the banner says the page is not isolated", async () => {
      const page = await fixture.open(`${SMALL}&autorun=1`);
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
      await singleThreaded(page, /This page is not cross-origin isolated \(its server sends no/);
      await page.close();
    });
  },
  { headers: false },
);

forEachEngine(
  (fixture) => {
    test("isolated but no SharedArrayBuffer: 1 thread, and the banner says so", async () => {
      const page = await fixture.open(`${SMALL}&autorun=1`);
      assert.deepEqual(
        await page.evaluate(() => [globalThis.crossOriginIsolated, typeof SharedArrayBuffer]),
        [true, "undefined"],
      );
      await singleThreaded(page, /cross-origin isolated, but this browser gives it no SharedArrayBuffer/);
      await page.close();
    });
  },
  { engines: ["webkit"], launch: { sharedArrayBuffer: false } },
);
