// Served without the COOP/COEP headers the page has no SharedArrayBuffer: it loads the
// single-threaded build, runs the sweep at 1 thread, says plainly why threads are off and links
// to the full page in a new tab.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chartInk, SMALL, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage({ headers: false });

test("without cross-origin isolation the sweep runs on 1 thread and the page says why", async () => {
  const { page, problems } = await fixture.open(`${SMALL}&autorun=1`);
  const workers = [];
  page.on("worker", (worker) => workers.push(worker.url()));
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
  assert.equal(
    await waitForState(page, ["done", "error"]),
    "done",
    await page.locator("#alert").textContent(),
  );
  const note = page.locator("#threads-off");
  assert.equal(await note.isVisible(), true);
  assert.match(await note.textContent(), /Threads are off here\.[\s\S]*not cross-origin isolated/);
  assert.match(await note.textContent(), /runs on 1 thread only/);
  const link = page.locator("#full-page-link");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.match(await link.getAttribute("href"), /n_samples=300/);

  assert.deepEqual(await page.locator("#results-table tbody th").allTextContents(), ["1"]);
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(
    doc.points.map((p) => p.threads),
    [1],
  );
  assert.equal(doc.device.cross_origin_isolated, false);
  assert.ok(doc.quality.oob_accuracy > 0.5, `OOB accuracy ${doc.quality.oob_accuracy}`);
  assert.deepEqual(workers.length, 1);
  assert.match(workers[0], /single-worker\.js$/);
  const { ink, pixels } = await chartInk(page);
  assert.ok(ink > 0.003 * pixels, `chart ink ${ink} of ${pixels} pixels`);
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(problems, []);
  await page.close();
});

test("without shared memory the progress bar still follows the trees of a fit", async () => {
  // 100 trees on 2000 rows: a fit of about a second on one thread, many frames long.
  const { page, problems } = await fixture.open(
    "n_samples=2000&n_estimators=100&threads=1&repeats=1",
  );
  await waitForState(page, ["idle"]);
  // Every frame, the bar's position (-1 while indeterminate).
  await page.evaluate(() => {
    window.positions = [];
    const watch = () => {
      const bar = document.querySelector("#progress progress");
      if (bar) window.positions.push(bar.position);
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await page.locator("#run").click();
  assert.equal(
    await waitForState(page, ["done", "error", "cancelled"]),
    "done",
    await page.locator("#alert").textContent(),
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
