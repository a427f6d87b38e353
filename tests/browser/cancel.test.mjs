// @ts-check
// Cancel stops a sweep at once (its worker is terminated), keeps the finished points, and the
// page can run again afterwards; in every engine. Also: one timed fit on one core.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { SMALL, STATUS, documentThreads, runsAgain, waitForState } from "./page-fixtures.mjs";

// Long enough that the 2-thread point is still running when Cancel is pressed.
const BIGGER = "n_samples=3000&n_estimators=400&threads=1,2&repeats=1";

forEachEngine((fixture) => {
  test("Cancel during a sweep stops it, keeps finished points, and Run works again", async () => {
    const page = await fixture.open(BIGGER);
    await waitForState(page, ["idle"]);
    await page.locator("#run").click();
    assert.equal(await waitForState(page, ["running"]), "running");
    // Wait until the first fit is under way: its progress bar has moved.
    await page.waitForFunction(() => {
      const bar = document.querySelector("#progress progress");
      return bar instanceof HTMLProgressElement && bar.value > 0;
    }, null, {
      timeout: 120_000,
    });
    assert.equal(await page.locator("#cancel").isEnabled(), true);
    await page.locator("#cancel").click();
    assert.equal(await waitForState(page, ["cancelled", "done"], 2_000), "cancelled");
    assert.equal(await page.locator("#cancel").isEnabled(), false);
    const kept = await documentThreads(page);
    assert.ok(kept.length < 2, "the sweep did not finish");
    assert.equal(await page.locator("#results-table tbody tr").count(), kept.length);

    // Run again, smaller, through the form.
    for (const [name, value] of new URLSearchParams(SMALL)) {
      await page.locator(`input[name="${name}"]`).fill(value);
    }
    await runsAgain(page, [1, 2]);
    assert.deepEqual(await page.problems(), []);
    await page.close();
  });

  test("Time one fit runs one fit on one core", async () => {
    const page = await fixture.open(SMALL);
    await waitForState(page, ["idle"]);
    await page.locator("#fit-one").click();
    assert.equal(
      await waitForState(page, ["done", "error"], 120_000, STATUS.one_fit),
      "done",
      await page.locator("#alert").textContent(),
    );
    assert.match(
      await page.locator("#fit-one-result").textContent(),
      /^1 core: [\d.]+ s, out-of-bag accuracy 0\.\d{3}, [\d,]+ nodes/,
    );
    await page.close();
  });
});
