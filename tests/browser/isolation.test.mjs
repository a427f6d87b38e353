// Served without the COOP/COEP headers the page has no SharedArrayBuffer: it says so plainly
// in the alert area and offers nothing that would need threads.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SMALL, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage({ headers: false });

test("without cross-origin isolation the page says so and runs nothing", async () => {
  const { page } = await fixture.open(`${SMALL}&autorun=1`);
  const workers = [];
  page.on("worker", (worker) => workers.push(worker));
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
  assert.equal(await waitForState(page, ["error", "idle"]), "error");
  assert.match(await page.getByRole("alert").textContent(), /not cross-origin isolated/);
  assert.equal(await page.locator("#run").isDisabled(), true);
  assert.equal(await page.locator("#fit-one").isDisabled(), true);
  assert.equal(workers.length, 0);
  await page.close();
});
