// @ts-check
// Served without the COOP/COEP headers the page has no SharedArrayBuffer and loads the
// single-threaded build (fallback.test.mjs runs it in every engine): its progress bar still
// follows the trees. Chromium only: it watches the bar at every animation frame.
import assert from "node:assert/strict";
import { test } from "node:test";
import { usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage({ headers: false });

test("without shared memory the progress bar still follows the trees of a fit", async () => {
  // 1000 trees on 5000 rows: a fit of 4 s or more on one thread, several of the page's progress
  // updates (two a second) long. (800 trees on 2000 rows took about 1 s on a faster machine: two
  // updates, and the test failed on speed, not on the bar.)
  const { page, problems } = await fixture.open(
    "n_samples=5000&n_estimators=1000&threads=1&repeats=1",
  );
  await waitForState(page, ["idle"]);
  // Every frame, the bar's position (-1 while indeterminate).
  await page.evaluate(() => {
    window.positions = [];
    const watch = () => {
      const bar = document.querySelector("#progress progress");
      if (bar instanceof HTMLProgressElement) window.positions.push(bar.position);
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await page.locator("#run").click();
  assert.equal(
    await waitForState(page, ["done", "error", "cancelled"]),
    "done",
    (await page.locator("#alert").textContent()) ?? "",
  );
  const positions = await page.evaluate(() => window.positions);
  const known = positions.filter((p) => p >= 0);
  const between = new Set(known.filter((p) => p > 0 && p < 1));
  assert.ok(between.size >= 3, `positions seen: ${[...new Set(positions)].join(", ")}`);
  for (let i = 1; i < known.length; i++) {
    assert.ok(known[i] >= known[i - 1], `the bar went back: ${known[i - 1]} → ${known[i]}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
