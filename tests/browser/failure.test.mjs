// A sweep whose worker fails at one point: the page says which point failed, keeps the finished
// points (table, chart, results document), ends in state "error", and Run works again. The
// failure comes from the test hook ?inject_failure=<k> (www/sweep-runner.js), which makes the
// k-thread worker throw in the page's first sweep only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SMALL, chartInk, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

test("A failed point is named, the finished points are kept, and Run works again", async () => {
  const { page, problems } = await fixture.open(`${SMALL}&inject_failure=2`);
  await waitForState(page, ["idle"]);
  // The hook is a page switch, not a parameter: no "not a parameter" alert.
  assert.equal(await page.locator("#alert").textContent(), "");
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "error");

  const alert = await page.locator("#alert").textContent();
  assert.match(alert, /^The 2-thread point failed: injected failure/);
  assert.match(await page.locator("#status").textContent(), /at 2 threads.*1 point of 2 kept/);
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(
    doc.points.map((p) => p.threads),
    [1],
  );
  assert.equal(await page.locator("#results-table tbody tr").count(), 1);
  assert.ok((await chartInk(page)).blue > 0, "the finished point is drawn");
  assert.equal(await page.locator("#run").isEnabled(), true);
  assert.equal(await page.locator("#cancel").isEnabled(), false);

  // Run again: the hook fired once, so this sweep is a normal one.
  await page.locator("#run").click();
  assert.equal(
    await waitForState(page, ["done", "error", "cancelled"]),
    "done",
    await page.locator("#alert").textContent(),
  );
  assert.equal(await page.locator("#alert").textContent(), "");
  const again = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(
    again.points.map((p) => p.threads),
    [1, 2],
  );
  assert.deepEqual(problems, []);
  await page.close();
});
