// @ts-check
// A sweep whose worker fails at one point, in every engine: the page says which point failed,
// keeps the finished points (table, chart, results document), ends in state "error", and Run
// works again. The failure comes from the test hook ?inject_failure=<k> (www/sweep-runner.js),
// which makes the k-thread worker throw in the page's first sweep only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { SMALL, documentThreads, failingSweep, runSweep, runsAgain, sweepData, waitForState } from "./page-fixtures.mjs";

forEachEngine((fixture) => {
  test("A failed point is named, the finished points are kept, and Run works again", async () => {
    const page = await fixture.open(`${SMALL}&inject_failure=2`);
    assert.match(await failingSweep(page, 2, [1]), /^The 2-thread point failed: injected failure/);
    // Run again: the hook fired once, so this sweep is a normal one.
    await runsAgain(page, [1, 2]);
    assert.deepEqual(await page.problems(), []);
    await page.close();
  });
});

// Firefox now and then never finishes starting a worker's thread pool (wasm-bindgen-rayon's
// initThreadPool): the page gives up on that worker after 10 s and runs the point in a fresh one.
forEachEngine(
  (fixture) => {
    test("a thread pool that never starts is given up on, and the point runs in a fresh worker", async () => {
      const page = await fixture.open(`${SMALL}&inject_pool_hang=2`);
      await waitForState(page, ["idle"]);
      const started = Date.now();
      assert.equal(await runSweep(page), "done", await page.locator("#alert").textContent());
      assert.ok(Date.now() - started >= 10_000, "the hung worker was waited for");
      assert.deepEqual(await documentThreads(page), [1, 2]);
      // The fresh worker fits on the dataset the first point handed on, as the hung one would have.
      assert.deepEqual(await sweepData(page), [
        [1, false],
        [2, true],
      ]);
      assert.equal(await page.locator("#alert").textContent(), "");
      assert.deepEqual(await page.problems(), []);
      await page.close();
    });
  },
  { engines: ["chromium"] },
);
