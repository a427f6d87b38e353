// @ts-check
// Export and import in every engine: a sweep's results document (the JSON the page exports) is
// imported as a file in a fresh page and shown with the same table, and drawn. (Downloads and
// CSV, shared links: compare.test.mjs, Chromium.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { chartInk, runSweep, SMALL, tableRows, waitForState } from "./page-fixtures.mjs";

forEachEngine((fixture) => {
  test("an exported result imported in a fresh page gives back its table and is drawn", async () => {
    const page = await fixture.open(SMALL);
    await waitForState(page, ["idle"]);
    await page.locator("#device-label").fill(`the ${fixture.engine} machine`);
    assert.equal(await runSweep(page), "done", await page.locator("#alert").textContent());
    const table = await tableRows(page, "#results-table tbody");
    assert.equal(table.length, 2);
    const json = await page.locator("#results-json").inputValue();
    assert.deepEqual(await page.problems(), []);
    await page.close();

    const imported = await fixture.open(SMALL);
    await waitForState(imported, ["idle"]);
    const blank = await chartInk(imported);
    await imported.locator("#overlay-files").setInputFiles({
      name: "coresweep-result.json",
      mimeType: "application/json",
      buffer: Buffer.from(json),
    });
    await imported.waitForFunction(() => document.querySelector("#overlay-list li") !== null);
    assert.deepEqual(await tableRows(imported, "#overlay-list li tbody"), table);
    assert.match(
      await imported.locator("#overlay-list li").textContent(),
      new RegExp(`the ${fixture.engine} machine`),
    );
    const drawn = await chartInk(imported);
    assert.ok(drawn.ink > blank.ink + 500, `the import is drawn (${blank.ink} → ${drawn.ink})`);
    assert.equal(await imported.locator("#alert").textContent(), "");
    assert.deepEqual(await imported.problems(), []);
    await imported.close();
  });
});
