// Nothing lost to a reload, a crash or a discarded tab: the page keeps its sweep in this browser
// after each point, and the next visit shows it again beside its own results; a kept sweep that
// cannot be read back is named, dropped, and the page works on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SAVED_KEY } from "../../www/saved.js";
import { SMALL, tableRows, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage({ keepSaved: true });

test("a sweep cut short by closing the page is shown again on the next visit", async () => {
  // The 1-thread point (a second or two) finishes; the page is closed while the 2-thread
  // point runs.
  const first = await fixture.open(
    "n_samples=2000&n_estimators=1000&threads=1,2&repeats=1&autorun=1",
  );
  await first.page.locator("#results-table tbody tr").first().waitFor({ timeout: 120_000 });
  assert.equal(await first.page.locator("#status").getAttribute("data-state"), "running");
  const kept = JSON.parse(await first.page.locator("#results-json").inputValue());
  const table = await tableRows(first.page, "#results-table tbody");
  assert.deepEqual(first.problems, []);
  await first.page.close();

  const next = await fixture.open(SMALL);
  await waitForState(next.page, ["idle"]);
  const item = next.page.locator("#overlay-list li");
  await item.waitFor();
  assert.match(await item.textContent(), /^your last sweep in this browser: .* \(wasm, threads 1\)/);
  assert.deepEqual(await tableRows(next.page, "#overlay-list li tbody"), table);
  const saved = await next.page.evaluate((key) => JSON.parse(localStorage.getItem(key)), SAVED_KEY);
  assert.equal(saved.created, kept.created);
  assert.equal(await next.page.locator("#alert").textContent(), "");

  // A new sweep is kept in its place, point by point; the one shown stays until removed.
  await next.page.locator("#run").click();
  assert.equal(await waitForState(next.page, ["done", "error"]), "done");
  const now = await next.page.evaluate((key) => JSON.parse(localStorage.getItem(key)), SAVED_KEY);
  assert.deepEqual(
    now.points.map((p) => p.threads),
    [1, 2],
  );
  assert.equal(await item.count(), 1);
  assert.deepEqual(next.problems, []);
  await next.page.close();
});

test("a kept sweep that cannot be read back is named, dropped, and the page works on", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  await page.evaluate((key) => localStorage.setItem(key, '{"schema": "coresweep-sweep/1", "points": ['), SAVED_KEY);
  await page.reload();
  assert.equal(await waitForState(page, ["idle"]), "idle");
  const alert = await page.locator("#alert").textContent();
  assert.match(alert, /^Your last sweep in this browser could not be read back: /);
  assert.equal(await page.locator("#overlay-list li").count(), 0);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), SAVED_KEY), null);
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  assert.deepEqual(problems, []);
  await page.close();
});
