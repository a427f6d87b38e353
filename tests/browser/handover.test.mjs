// @ts-check
// A sweep makes its dataset once, in every engine: the first point's worker generates it and
// hands it to the page, and every later point's worker fits on a copy (www/sweep-runner.js's
// SweepData, checked by the engine against the plan: src/sweep/handover.rs) instead of
// generating it again. The outside truth: the last point, which fitted on the handed copy,
// grows the CLI's forest (node total and out-of-bag accuracy).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cli } from "./cli.mjs";
import { forEachEngine } from "./drivers/index.mjs";
import { runSweep, sweepData, waitForState } from "./page-fixtures.mjs";

forEachEngine((fixture) => {
  test("a sweep generates its dataset once: the later points fit on the first one's and grow the CLI's forest", async () => {
    const page = await fixture.open("n_samples=300&n_estimators=10&random_state=5&threads=1,2,3&hardware_concurrency=4&repeats=1");
    assert.equal(await waitForState(page, ["idle", "error"]), "idle", await page.locator("#alert").textContent());
    assert.equal(await runSweep(page), "done", await page.locator("#alert").textContent());
    assert.deepEqual(await sweepData(page), [
      [1, false],
      [2, true],
      [3, true],
    ]);
    const doc = JSON.parse(await page.locator("#results-json").inputValue());
    const native = cli(["fit", "--n-samples", "300", "--n-estimators", "10", "--random-state", "5", "--threads", "3"]);
    assert.equal(doc.quality.total_nodes, native.total_nodes);
    assert.equal(doc.quality.oob_accuracy, native.oob_accuracy);
    assert.equal(await page.locator("#alert").textContent(), "");
    assert.deepEqual(await page.problems(), []);
    await page.close();
  });
});
