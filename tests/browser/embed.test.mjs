// @ts-check
// Embed mode: the page inside an <iframe> of a plain blog page from another server and origin
// (localhost against 127.0.0.1: Chrome blocks public pages from framing loopback ones), served
// without isolation headers (like an ordinary blog), in every engine: the compact layout, a
// 1,2 sweep on the workers backend (the CLI's forest, the two workers at work together), the
// note saying the frame is not isolated. In Chromium also: served like npm
// start, Document-Isolation-Policy isolates the frame (Chromium only has it); the Embed button
// gives a snippet that embeds this experiment.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";
import { cli } from "./cli.mjs";
import { startServer } from "./harness.mjs";
import { forEachEngine } from "./drivers/index.mjs";
import { browserContext, runSweep, serverUrl, SMALL, sweepData, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage({ headers: false });
// Larger than SMALL so that each worker's share (20 trees of 3,000 samples) takes 50-120 ms: at
// 300 samples it took 2-4 ms, and on a busy machine the second worker began the millisecond the
// first ended (Firefox's clock, not isolated, ticks in whole milliseconds).
const EMBEDDED = "n_samples=3000&n_estimators=40&threads=1,2&repeats=1";

/**
 * A plain blog post embedding `src`, on its own server; its URL uses localhost.
 * @param {import("node:test").TestContext} t
 * @param {string} src
 */
async function startBlog(t, src) {
  const blog = createServer((request, response) => {
    response.writeHead(200, { "Content-Type": "text/html" });
    response.end(`<!doctype html><title>A blog post</title><h1>My post</h1>
      <iframe src="${src}" width="100%" height="760" style="border:0"></iframe>`);
  });
  await new Promise((resolve) => blog.listen(0, "127.0.0.1", () => resolve(undefined)));
  t.after(() => {
    blog.closeAllConnections();
    return new Promise((resolve) => blog.close(resolve));
  });
  const address = blog.address();
  // Listening on a host and port (not a pipe), the address is an AddressInfo.
  if (address === null || typeof address === "string") throw new Error(`the blog listens on no port: ${address}`);
  return `http://localhost:${address.port}/post.html`;
}

/**
 * Waits until the frame's page state is one of `states`; returns it.
 * @param {import("playwright-core").Frame} frame
 * @param {string[]} states
 */
async function frameState(frame, states) {
  await frame.waitForFunction(
    (wanted) => wanted.includes(document.getElementById("status")?.dataset.state ?? ""),
    states,
    { timeout: 120_000 },
  );
  return frame.evaluate(() => document.getElementById("status")?.dataset.state);
}

forEachEngine(
  (engine) => {
    test("embedded in a plain page, the compact sweep runs 1 and 2 workers, overlapping, and grows the CLI's forest", async (t) => {
      const page = await engine.browser.newPage();
      await page.goto(await startBlog(t, `${engine.server.url}?${EMBEDDED}&embed=1`));
      await page.waitForFunction(() => document.querySelector("iframe") !== null);
      await page.enterFrame();
      await waitForState(page, ["idle"]);
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);

      for (const hidden of ["#step-data", "#step-fit", "#py-sweep", ".page-footer", "#embed-button"]) {
        assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is hidden`);
      }
      // Before a run, a sentence where the chart will be, not a blank box.
      assert.equal(await page.locator('[data-step="fit"] .results-empty').isVisible(), true);
      assert.equal(await page.locator("#threads-off").isVisible(), true);
      const note = await page.locator("#threads-off").textContent();
      assert.match(note, /This page is inside a frame, and the frame is not cross-origin isolated/);
      assert.match(note, /the sweep runs on workers/);
      assert.match(note, /its own copy of the data/);
      const full = (await page.locator("#full-page-link").getAttribute("href")) ?? "(no href)";
      assert.doesNotMatch(full, /embed/, "the full page is opened without embed mode");
      assert.match(full, /n_estimators=40/);

      assert.equal(await runSweep(page), "done", await page.locator("#alert").textContent());
      assert.equal(await page.locator("#chart").isVisible(), true);
      assert.deepEqual(await page.locator("#results-table tbody th").allTextContents(), ["1", "2"]);
      const doc = JSON.parse(await page.locator("#results-json").inputValue());
      assert.equal(doc.backend, "workers");
      // The same forest as the CLI's threads: the workers' trees put together in seed order.
      const native = cli(["fit", "--n-samples", "3000", "--n-estimators", "40", "--threads", "2"]);
      assert.equal(doc.quality.total_nodes, native.total_nodes);
      assert.equal(doc.quality.oob_accuracy, native.oob_accuracy);
      // The two workers of the 2-worker point ran at the same time (their intervals on the
      // page's clock overlap): no timing threshold, only the order of events.
      const spans = await page.evaluate(async () => {
        // The page's module by its URL in the page; tsc reads its types from the repository's file.
        const url = "./www/sweep-runner.js";
        /** @type {typeof import("../../www/sweep-runner.js")} */
        const runner = await import(url);
        return runner.lastWorkerSpans();
      });
      // The 2-worker point's workers fit on the dataset the 1-worker point made.
      assert.deepEqual(await sweepData(page), [
        [1, false],
        [2, true],
      ]);
      assert.equal(spans.length, 2);
      assert.ok(
        spans[0].start < spans[1].end && spans[1].start < spans[0].end,
        `worker spans ${JSON.stringify(spans)} overlap`,
      );
      assert.match(
        await page.evaluate(() => location.search),
        /embed=1/,
        "the frame keeps embed mode when the form rewrites its link",
      );
      assert.equal(await page.locator("#alert").textContent(), "", "embed is not an unknown parameter");
      assert.deepEqual(await page.problems(), []);
      await page.close();
    });
  },
  { headers: false },
);

test("served like npm start (Document-Isolation-Policy), the embedded frame runs threads", async (t) => {
  const server = await startServer();
  t.after(() => server.close());
  const page = await browserContext(fixture).newPage();
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(await startBlog(t, `${server.url}?${SMALL}&embed=1`));
  const frame = page.frames().find((f) => f.url().includes("embed=1"));
  assert.ok(frame, "the page loads in the frame");
  await frameState(frame, ["idle"]);
  // Chromium ≥ 137 isolates the one document that asks for it, whatever its parent.
  assert.equal(await frame.evaluate(() => globalThis.crossOriginIsolated), true);
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
  assert.equal(await frame.locator("#threads-off").isVisible(), false);
  await frame.locator("#run").click();
  assert.equal(
    await frameState(frame, ["done", "error"]),
    "done",
    (await frame.locator("#alert").textContent()) ?? undefined,
  );
  assert.deepEqual(await frame.locator("#results-table tbody th").allTextContents(), ["1", "2"]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the Embed button shows an <iframe> snippet for this experiment", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  await page.locator("#embed-button").click();
  const snippet = await page.locator("#embed-snippet").inputValue();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?[^"]*embed=1"/);
  assert.match(snippet, /n_samples=300/);
  assert.match(snippet, /<\/iframe>$/);
  await page.locator('input[name="n_estimators"]').fill("12");
  assert.match(await page.locator("#embed-snippet").inputValue(), /n_estimators=12/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("at the snippet's size (100 % × 760 px), 800 and 390 px wide, the chart lies inside the frame without scrolling", async (t) => {
  for (const width of [800, 390]) {
    const page = await browserContext(fixture).newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(await startBlog(t, `${serverUrl(fixture)}?${SMALL}&embed=1`));
    const frame = page.frames().find((f) => f.url().includes("embed=1"));
    assert.ok(frame, "the page loads in the frame");
    await frameState(frame, ["idle"]);
    await frame.locator("#run").click();
    assert.equal(
      await frameState(frame, ["done", "error"]),
      "done",
      (await frame.locator("#alert").textContent()) ?? undefined,
    );
    const box = await frame.evaluate(() => {
      scrollTo(0, 0);
      const canvas = document.getElementById("chart");
      if (!canvas) throw new Error("no #chart");
      const chart = canvas.getBoundingClientRect();
      return { top: chart.top, bottom: chart.bottom, left: chart.left, right: chart.right, width: innerWidth, height: innerHeight };
    });
    assert.equal(box.height, 760, "the frame is the snippet's height");
    assert.ok(box.top >= 0 && box.bottom <= box.height, `${width} px: chart ${box.top}–${box.bottom} inside 0–${box.height}`);
    assert.ok(box.left >= 0 && box.right <= box.width, `${width} px: chart ${box.left}–${box.right} inside 0–${box.width}`);
    await page.close();
  }
});
