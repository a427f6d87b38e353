// @ts-check
// Each step owns its results (issue 18, finding 1): running step 6 after step 5 leaves step 4's
// headline and step 5's chart, table, quality and document as they were, and step 6 shows its
// own; and a reload (finding 2) shows each again as its own. In every engine: the page's store
// and the browser's storage, not the engine, decide this.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { SMALL, STATUS, tableRows, waitForState } from "./page-fixtures.mjs";

/**
 * What steps 4 and 5 show.
 * @param {import("./page-fixtures.mjs").TestPage} page
 */
async function fitShown(page) {
  return {
    headline: await page.locator("#speedup-figure").textContent(),
    caption: await page.locator("#speedup-caption").textContent(),
    table: await tableRows(page, "#results-table tbody"),
    serial: await page.locator("#quality-serial").textContent(),
    oob: await page.locator("#quality-oob").textContent(),
    json: await page.locator("#results-json").inputValue(),
    chart: await page.locator("#chart").getAttribute("aria-label"),
    progress: await page.evaluate(() =>
      [...document.querySelectorAll("#progress .progress-list__note")].map((el) => el.textContent),
    ),
  };
}

forEachEngine((fixture) => {
  test("running step 6 after step 5 leaves steps 4 and 5 showing step 5's sweep; a reload shows each again", async () => {
    const page = await fixture.open(`${SMALL}&cv=3&cv_repeats=none`);
    await waitForState(page, ["idle"]);
    await page.locator("#run").click();
    assert.equal(await waitForState(page, ["done", "error"]), "done", await page.locator("#alert").textContent());
    const fit = await fitShown(page);
    assert.equal(JSON.parse(fit.json).workload.kind, "fit");

    await page.locator("#cv-run").click();
    assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.cv), "done");
    assert.deepEqual(await fitShown(page), fit, "steps 4 and 5 unchanged");
    // Step 6 shows its own sweep: its table, its document, its status.
    assert.equal((await tableRows(page, "#cv-table tbody")).length, 2);
    assert.equal(JSON.parse(await page.locator("#cv-json").inputValue()).workload.kind, "cross_val_score");
    assert.match(await page.locator("#cv-status").textContent(), /^Done: the cross-validation \(outer\), 2 threads, /);
    const cv = await page.locator("#cv-json").inputValue();
    assert.deepEqual(await page.problems(), []);

    // A reload: each step's last result again, as that step's own, said to be restored.
    await page.evaluate(() => sessionStorage.setItem("coresweep-keep-saved", "1"));
    await page.goto(await page.evaluate(() => location.href));
    await waitForState(page, ["idle"]);
    const { progress: _, ...restored } = await fitShown(page);
    const { progress: __, ...shown } = fit;
    assert.deepEqual(restored, shown);
    assert.equal(await page.locator("#cv-json").inputValue(), cv);
    assert.equal(await page.locator("#results-restored").isVisible(), true);
    assert.equal(await page.locator("#overlay-list li").count(), 0, "not an overlay");
    await page.evaluate(() => sessionStorage.removeItem("coresweep-keep-saved"));
    assert.deepEqual(await page.problems(), []);
    await page.close();
  });
});
