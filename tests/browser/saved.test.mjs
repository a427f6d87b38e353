// @ts-check
// Nothing lost to a reload, a crash or a discarded tab: each step keeps its sweep in this browser
// after each point, and the next visit shows each again as that step's own result (headline,
// table, quality, downloads, result link), never as an overlay; a kept sweep that cannot be read
// back is named, dropped, and the page works on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SAVED_KEY } from "../../www/saved.js";
import { SMALL, STATUS, tableRows, textOf, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage({ keepSaved: true });

/**
 * What a step shows of its result: table rows, quality, JSON's points, and step 4's headline.
 * @param {import("playwright-core").Page} page
 */
async function shown(page) {
  return {
    headline: await page.locator("#speedup-figure").textContent(),
    caption: await page.locator("#speedup-caption").textContent(),
    table: await tableRows(page, "#results-table tbody"),
    oob: await page.locator("#quality-oob").textContent(),
    serial: await page.locator("#quality-serial").textContent(),
    points: JSON.parse(await page.locator("#results-json").inputValue()).points.length,
    cvTable: await tableRows(page, "#cv-table tbody"),
    cvQuality: await page.locator("#cv-quality").textContent(),
    cvJson: await page.locator("#cv-json").inputValue(),
  };
}

test("a reload restores each step's last result as its own: headline, table, quality, downloads, link", async () => {
  const { page, problems } = await fixture.open(`${SMALL}&cv=3&cv_repeats=none`);
  await waitForState(page, ["idle"]);
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  await page.locator("#cv-run").click();
  assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.cv), "done");
  const before = await shown(page);
  assert.equal(before.points, 2);

  await page.reload();
  await waitForState(page, ["idle"]);
  const after = await shown(page);
  assert.deepEqual(after, before);
  assert.match(await textOf(page, "#results-restored"), /^Restored: your last sweep in this browser, from /);
  assert.equal(await page.locator("#results-restored").isVisible(), true);
  assert.equal(await page.locator("#cv-restored").isVisible(), true);
  // Not an anonymous overlay: nothing under "Compare with other devices".
  assert.equal(await page.locator("#overlay-list li").count(), 0);
  // Its link carries it.
  await page.locator("#copy-result-link").click();
  await page.locator("#result-link").waitFor();
  assert.match(await page.locator("#result-link").inputValue(), /#result=/);
  await page.locator("#cv-copy-result-link").click();
  await page.locator("#cv-result-link").waitFor();
  assert.match(await page.locator("#cv-result-link").inputValue(), /#result=/);
  // Its download is the document with its points.
  const download = page.waitForEvent("download");
  await page.locator("#download-csv").click();
  const csv = await (await download).createReadStream();
  let text = "";
  for await (const chunk of csv) text += chunk;
  assert.equal(text.trim().split("\r\n").length, 3, "a header and two rows");
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a sweep cut short by closing the page is shown again on the next visit, and a new one takes its place", async () => {
  // The 1-thread point (a second or two) finishes; the page is closed while the 2-thread
  // point runs.
  const first = await fixture.open(
    "n_samples=2000&n_estimators=1000&threads=1,2&repeats=1&autorun=1",
  );
  await first.page.locator("#results-table tbody tr").first().waitFor({ state: "attached", timeout: 120_000 });
  assert.equal(await first.page.locator("#status").getAttribute("data-state"), "running");
  const kept = JSON.parse(await first.page.locator("#results-json").inputValue());
  const table = await tableRows(first.page, "#results-table tbody");
  assert.deepEqual(first.problems, []);
  await first.page.close();

  const next = await fixture.open(SMALL);
  await waitForState(next.page, ["idle"]);
  await next.page.locator("#results-restored").waitFor();
  assert.deepEqual(await tableRows(next.page, "#results-table tbody"), table);
  assert.equal(JSON.parse(await next.page.locator("#results-json").inputValue()).created, kept.created);
  assert.equal(await next.page.locator("#overlay-list li").count(), 0);
  assert.equal(await next.page.locator("#alert").textContent(), "");

  // A new sweep is kept in its place, point by point, and is no longer called restored.
  await next.page.locator("#run").click();
  assert.equal(await waitForState(next.page, ["done", "error"]), "done");
  /** @type {{points: {threads: number}[]}} */
  const now = await next.page.evaluate((key) => {
    const kept = localStorage.getItem(key);
    if (kept === null) throw new Error(`nothing kept under ${key}`);
    return JSON.parse(kept);
  }, SAVED_KEY);
  assert.deepEqual(
    now.points.map((p) => p.threads),
    [1, 2],
  );
  assert.equal(await next.page.locator("#results-restored").isVisible(), false);
  assert.deepEqual(next.problems, []);
  await next.page.close();
});

test("a kept sweep that cannot be read back is named, dropped, and the page works on", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  await page.evaluate((key) => localStorage.setItem(key, '{"schema": "coresweep-sweep/1", "points": ['), SAVED_KEY);
  await page.reload();
  assert.equal(await waitForState(page, ["idle"]), "idle");
  const alert = await textOf(page, "#alert");
  assert.match(alert, /^Your last sweep in this browser could not be read back: /);
  assert.equal(await page.locator("#results-table tbody tr").count(), 0);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), SAVED_KEY), null);
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  assert.deepEqual(problems, []);
  await page.close();
});
