// @ts-check
// A point measured while the page was hidden (a background tab, where browsers may slow its
// workers) is marked in the results document (hidden_during: true) and noted in the table;
// points measured in view are not.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SMALL, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

test("A point run while the page was hidden is marked in the result and the table", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  // The page turns hidden as soon as the 1-thread point lands: its row is added in the same
  // task that starts the 2-thread point, and the observer runs right after that task.
  await page.evaluate(() => {
    const tbody = document.querySelector("#results-table tbody");
    if (!(tbody instanceof HTMLTableSectionElement)) throw new Error("the page has no #results-table tbody");
    const observer = new MutationObserver(() => {
      if (tbody.rows.length !== 1) return;
      observer.disconnect();
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    observer.observe(tbody, { childList: true });
  });
  await page.locator("#run").click();
  assert.equal(
    await waitForState(page, ["done", "error", "cancelled"]),
    "done",
    (await page.locator("#alert").textContent()) ?? "",
  );
  /** @type {{points: {threads: number, hidden_during?: boolean}[]}} */
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(
    doc.points.map((p) => [p.threads, p.hidden_during]),
    [
      [1, undefined],
      [2, true],
    ],
  );
  const notes = await page.locator("#results-table tbody tr").evaluateAll((rows) =>
    rows.map((row) => row.querySelector(".table-note")?.textContent ?? null),
  );
  assert.deepEqual(notes, [null, " (page hidden: may be slow)"]);
  assert.deepEqual(problems, []);
  await page.close();
});
