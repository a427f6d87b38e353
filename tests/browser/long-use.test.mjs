// @ts-check
// Long use: twenty small sweeps in a row in one page. After sweeps 1, 10 and 20 the test
// measures the page's JS heap (after a forced garbage collection, CDP Runtime.getHeapUsage),
// the wasm memory of the page's own (main-thread) engine instance, and how many of that
// instance's objects (plans, documents, experiments) the page holds without having freed
// them, reports them, and asserts that none keeps growing: from the 10th sweep to the 20th
// not one more engine object is held and the wasm memory does not grow (an object kept per
// sweep, a few KB of wasm memory each, fails the first), the JS heap stays within a quarter;
// and that no worker (sweep worker or rayon thread) outlives its point.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SMALL, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();
const SWEEPS = 20;

test("Twenty sweeps in a row: JS heap and wasm memory stay bounded", async (t) => {
  const { page, problems } = await fixture.open(SMALL);
  // Every worker the page starts (sweep workers and their rayon threads), until it closes.
  const live = new Set();
  let started = 0;
  page.on("worker", (worker) => {
    started += 1;
    live.add(worker);
    worker.on("close", () => live.delete(worker));
  });
  await waitForState(page, ["idle"]);
  // Every engine object wasm-bindgen hands the page registers with a FinalizationRegistry when
  // made and unregisters when freed (free(), or passed to the engine by value): the balance is
  // how many the page holds unfreed. (One dropped without free() waits for the garbage
  // collector: it counts as held, as it should.)
  await page.evaluate(() => {
    const { register, unregister } = FinalizationRegistry.prototype;
    window.__engineObjects = 0;
    FinalizationRegistry.prototype.register = function (...args) {
      window.__engineObjects += 1;
      return register.apply(this, args);
    };
    FinalizationRegistry.prototype.unregister = function (token) {
      const removed = unregister.call(this, token);
      if (removed) window.__engineObjects -= 1;
      return removed;
    };
  });
  const cdp = await page.context().newCDPSession(page);
  const measure = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    // The same module URL as app.js's import: the page's own instance; init() on an
    // initialised module returns its exports without instantiating again.
    const wasmBytes = await page.evaluate(async () => {
      const engine = await import(new URL("www/pkg/coresweep.js", location.href).href);
      return (await engine.default()).memory.buffer.byteLength;
    });
    const engineObjects = await page.evaluate(() => window.__engineObjects);
    return { jsHeapBytes: usedSize, wasmBytes, engineObjects };
  };
  /** @type {Record<number, Awaited<ReturnType<typeof measure>>>} */
  const figures = {};
  for (let sweep = 1; sweep <= SWEEPS; sweep++) {
    await page.locator("#run").click();
    assert.equal(
      await waitForState(page, ["done", "error", "cancelled"]),
      "done",
      `sweep ${sweep}: ${await page.locator("#alert").textContent()}`,
    );
    const doc = JSON.parse(await page.locator("#results-json").inputValue());
    assert.equal(doc.points.length, 2, `sweep ${sweep} has both points`);
    if ([1, 10, 20].includes(sweep)) figures[sweep] = await measure();
  }
  /** @param {number} bytes */
  const mib = (bytes) => (bytes / 2 ** 20).toFixed(2);
  for (const [sweep, { jsHeapBytes, wasmBytes, engineObjects }] of Object.entries(figures)) {
    t.diagnostic(
      `after sweep ${sweep}: JS heap ${mib(jsHeapBytes)} MiB, ` +
        `main-thread wasm memory ${mib(wasmBytes)} MiB, ${engineObjects} engine objects held`,
    );
  }
  // No worker outlives its point: each point's worker (and its pool) is terminated.
  for (let wait = 0; live.size > 0 && wait < 50; wait++) await page.waitForTimeout(100);
  t.diagnostic(`${started} workers started in ${SWEEPS} sweeps, ${live.size} still running`);
  assert.ok(started >= 2 * SWEEPS, `${started} workers started`);
  assert.equal(live.size, 0, "every worker was closed");
  assert.ok(figures[20].engineObjects <= figures[10].engineObjects, JSON.stringify(figures));
  assert.ok(figures[20].wasmBytes <= figures[10].wasmBytes, JSON.stringify(figures));
  assert.ok(figures[20].jsHeapBytes < 1.25 * figures[10].jsHeapBytes, JSON.stringify(figures));
  assert.deepEqual(problems, []);
  await cdp.detach();
  await page.close();
});
