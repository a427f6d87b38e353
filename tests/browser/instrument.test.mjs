// @ts-check
// A clean instrument: while the sweep's fits are timed the page's main thread does almost
// nothing (progress a few times a second, no layout or chart work mid-fit, nothing painted
// every frame), so the cores being measured are the workers'. Chromium only: the main thread's
// busy time comes from the DevTools protocol (Performance.getMetrics' TaskDuration), which the
// other engines' drivers do not offer.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pageState, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

/** The workload: 4000 × 70, 200 trees, threads 1 and 2, 3 repeats. */
const WORKLOAD = "n_samples=4000&n_features=70&n_estimators=200&threads=1,2&repeats=3";

/** The main thread's busy share of a sweep's wall time may not exceed this. */
const MAX_SHARE = 0.03;

/** Sweeps run at most, the test passing on the first within MAX_SHARE (machine noise only adds). */
const ATTEMPTS = 3;

test(`the main thread is busy at most ${MAX_SHARE * 100} % of a sweep`, async (t) => {
  const { page, problems } = await fixture.open(WORKLOAD);
  await waitForState(page, ["idle"]);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const taskSeconds = async () => {
    const { metrics } = await cdp.send("Performance.getMetrics");
    const task = metrics.find((m) => m.name === "TaskDuration");
    if (!task) throw new Error("Performance.getMetrics gave no TaskDuration");
    return task.value;
  };
  // The page notes when its sweep ends; polled once a second, as Playwright's default polling
  // on every animation frame would make the page paint each frame.
  await page.evaluate(() => {
    const status = document.getElementById("status");
    if (!status) throw new Error("the page has no #status");
    new MutationObserver(() => {
      if (status.dataset.state === "running") window.sweepEnded = undefined;
      else window.sweepEnded ??= performance.now();
    }).observe(status, { attributes: true, attributeFilter: ["data-state"] });
  });
  /** @type {number[]} */
  const shares = [];
  for (let attempt = 0; attempt < ATTEMPTS && !shares.some((s) => s <= MAX_SHARE); attempt++) {
    // From the click (Run's handler has set up the run) to the end.
    await page.locator("#run").click();
    const busyBefore = await taskSeconds();
    const started = await page.evaluate(() => performance.now());
    await page.waitForFunction(() => window.sweepEnded !== undefined, null, {
      polling: 1000,
      timeout: 120_000,
    });
    const busy = (await taskSeconds()) - busyBefore;
    const ended = await page.evaluate(() => window.sweepEnded);
    if (ended === undefined) throw new Error("the sweep's end was not noted");
    const wall = (ended - started) / 1000;
    assert.equal(await pageState(page), "done", (await page.locator("#alert").textContent()) ?? "");
    shares.push(busy / wall);
    /** @type {{points: {median_seconds: number}[]}} */
    const doc = JSON.parse(await page.locator("#results-json").inputValue());
    const medians = doc.points.map((p) => p.median_seconds);
    t.diagnostic(
      `main thread busy ${busy.toFixed(3)} s of ${wall.toFixed(2)} s (${((busy / wall) * 100).toFixed(2)} %); ` +
        `medians ${medians.map((m) => m.toFixed(3)).join(", ")} s, speed-up ${(medians[0] / medians[1]).toFixed(2)}×`,
    );
  }
  const best = Math.min(...shares);
  assert.ok(best <= MAX_SHARE, `main thread busy at best ${(best * 100).toFixed(2)} % of a sweep`);
  assert.deepEqual(problems, []);
  await page.close();
});
