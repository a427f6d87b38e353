// A sweep whose worker fails at one point, in every engine: the page says which point failed,
// keeps the finished points (table, chart, results document), ends in state "error", and Run
// works again. The failure comes from the test hook ?inject_failure=<k> (www/sweep-runner.js),
// which makes the k-thread worker throw in the page's first sweep only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { SMALL, failingSweep, runsAgain } from "./page-fixtures.mjs";

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
