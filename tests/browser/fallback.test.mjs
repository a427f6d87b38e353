// @ts-check
// Without SharedArrayBuffer the page runs its sweep on the workers backend (k single-threaded
// engines, each with a copy of the data) and its banner names the real cause, in every engine: served without the isolation headers ("not
// cross-origin isolated"); and in WebKitGTK without JSC_useSharedArrayBuffer, isolated but
// without SharedArrayBuffer. (The frame that is not isolated: embed.test.mjs.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { chartInk, documentThreads, SMALL, waitForState } from "./page-fixtures.mjs";

/**
 * Runs the page's autorun sweep; checks 1 and 2 workers, the banner's words and the chart.
 * @param {import("./drivers/index.mjs").Page} page
 * @param {RegExp} cause
 */
async function onWorkers(page, cause) {
  assert.equal(
    await waitForState(page, ["done", "error"]),
    "done",
    await page.locator("#alert").textContent(),
  );
  assert.equal(await page.locator("#threads-off").isVisible(), true);
  const note = await page.locator("#threads-off").textContent();
  assert.match(note, /No shared memory here: the sweep runs on workers\./);
  assert.match(note, cause);
  assert.match(note, /each core gets\s+a separate worker with its own copy of the data/);
  assert.equal(await page.locator("#full-page-link").getAttribute("target"), "_blank");
  assert.deepEqual(await documentThreads(page), [1, 2]);
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.equal(doc.backend, "workers");
  assert.ok(doc.quality.oob_accuracy > 0.5, `OOB accuracy ${doc.quality.oob_accuracy}`);
  const { ink, pixels } = await chartInk(page);
  assert.ok(ink > 0.003 * pixels, `chart ink ${ink} of ${pixels} pixels`);
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(await page.problems(), []);
}

forEachEngine(
  (fixture) => {
    test("without the isolation headers: workers, and the banner says the page is not isolated", async () => {
      const page = await fixture.open(`${SMALL}&autorun=1`);
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
      await onWorkers(page, /This page is not cross-origin isolated \(its server sends no/);
      await page.close();
    });
  },
  { headers: false },
);

forEachEngine(
  (fixture) => {
    test("isolated but no SharedArrayBuffer: workers, and the banner says so", async () => {
      const page = await fixture.open(`${SMALL}&autorun=1`);
      assert.deepEqual(
        await page.evaluate(() => [globalThis.crossOriginIsolated, typeof SharedArrayBuffer]),
        [true, "undefined"],
      );
      await onWorkers(page, /cross-origin isolated, but this browser gives it no SharedArrayBuffer/);
      await page.close();
    });
  },
  { engines: ["webkit"], launch: { sharedArrayBuffer: false } },
);
