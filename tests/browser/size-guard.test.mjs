// @ts-check
// The size guard in the page: a run the engine estimates above the wasm memory cap (1 GiB) is
// refused with the estimate and the limit before any worker starts; the blog's shape well past
// the old limit (about 40000 rows) is accepted; and the wasm memory a sweep worker really grows
// to stays below the estimate (plus the memory of an almost empty run, the module's baseline).
//
// CORESWEEP_MEMORY_SHAPES="n_samples=40000&n_estimators=10;n_samples=1000" measures other
// shapes (a benchmark of the wasm peaks; each shape runs threads=1,2).
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserContext, textOf, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

/**
 * From now on every page of the browser keeps each sweep worker's shared memory (sent in its
 * "ready" message): wasm memory never shrinks, so its size after the point is the point's peak.
 */
async function keepWorkerMemories() {
  await browserContext(fixture).addInitScript(() => {
    window.workerMemories = [];
    const PageWorker = window.Worker;
    window.Worker = class extends PageWorker {
      /** @param {ConstructorParameters<typeof Worker>} args */
      constructor(...args) {
        super(...args);
        this.addEventListener("message", ({ data }) => {
          if (data?.type === "ready" && data.memory) window.workerMemories.push(data.memory);
        });
      }
    };
  });
}

/**
 * Runs a 1,2 sweep of `query`; returns, per thread count, the worker's wasm memory in bytes.
 * @param {string} query
 */
async function workerMemory(query) {
  const { page, problems } = await fixture.open(`${query}&threads=1,2&repeats=1&autorun=1`);
  const state = await waitForState(page, ["done", "error"], 300_000);
  assert.equal(state, "done", `${query}: ${await textOf(page, "#alert")}`);
  const bytes = await page.evaluate(() => window.workerMemories.map((m) => m.buffer.byteLength));
  assert.equal(bytes.length, 2, "one worker per thread count");
  assert.deepEqual(problems, []);
  await page.close();
  return bytes;
}

/**
 * The engine's memory estimate of `query` at `threads` threads, from the page's own engine.
 * @param {import("playwright-core").Page} page
 * @param {string} query
 * @param {number} threads
 * @returns {Promise<number>}
 */
async function estimateBytes(page, query, threads) {
  return page.evaluate(
    async ({ query, threads }) => {
      // The page's address resolves it, not this file's: tsc is told which module it is.
      const specifier = "./www/pkg/coresweep.js";
      const engine = /** @type {typeof import("../../www/pkg/coresweep.js")} */ (await import(specifier));
      await engine.default();
      const params = Object.fromEntries(new URLSearchParams(query));
      return engine.check_experiment({ ...params, threads }).estimate.memory_bytes;
    },
    { query, threads: String(threads) },
  );
}

const SHAPES = process.env.CORESWEEP_MEMORY_SHAPES?.split(";") ?? [
  "n_samples=4000&n_estimators=40",
  "n_samples=3000&n_features=20&n_informative=15&n_redundant=5&n_classes=5&n_estimators=30",
  "n_samples=3000&n_estimators=30&bootstrap=false",
];

test("the wasm memory a sweep worker grows to stays below the estimate", async (t) => {
  await keepWorkerMemories();
  const baseline = await workerMemory("n_samples=10&n_features=2&n_informative=2&n_redundant=0&n_estimators=1");
  const { page } = await fixture.open("");
  await waitForState(page, ["idle"]);
  const mib = (/** @type {number} */ bytes) => (bytes / 2 ** 20).toFixed(2);
  t.diagnostic(`baseline (10 rows, 1 tree): ${baseline.map(mib).join(" / ")} MiB at 1 / 2 threads`);
  for (const shape of SHAPES) {
    const bytes = await workerMemory(shape);
    for (const [i, threads] of [1, 2].entries()) {
      const used = bytes[i] - baseline[i];
      const estimate = await estimateBytes(page, shape, threads);
      t.diagnostic(
        `${shape} at ${threads} threads: wasm ${mib(bytes[i])} MiB, ${mib(used)} above the ` +
          `baseline, estimate ${mib(estimate)} MiB (${(estimate / used).toFixed(2)}x)`,
      );
      assert.ok(used <= estimate, `${shape} at ${threads} threads: ${used} > ${estimate}`);
    }
  }
  await page.close();
});

test("a run over the wasm memory cap is refused with numbers, before any worker starts", async (t) => {
  const { page } = await fixture.open("n_samples=200000&threads=1,2&autorun=1");
  /** @type {import("playwright-core").Worker[]} */
  const workers = [];
  page.on("worker", (worker) => workers.push(worker));
  assert.equal(await waitForState(page, ["error"], 20_000), "error");
  const alert = (await page.getByRole("alert").textContent()) ?? "";
  t.diagnostic(alert);
  assert.match(alert, /n_estimators: too large: needs about \d+ MiB, the limit is 1024 MiB/);
  assert.equal(workers.length, 0, "no worker was started");
  await page.close();
});

test("the blog's shape at 100000 rows is accepted (the old estimate refused it above 40000), with a warning of minutes", async (t) => {
  const { page } = await fixture.open("n_samples=100000&threads=1,2");
  assert.equal(await waitForState(page, ["idle", "error"]), "idle");
  assert.equal((await textOf(page, "#alert")).trim(), "");
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
  const estimate = await estimateBytes(page, "n_samples=100000", 2);
  t.diagnostic(`estimate at 2 threads: ${(estimate / 2 ** 20).toFixed(0)} MiB`);
  assert.ok(estimate < 2 ** 30, `${estimate}`);
  // A run of minutes is warned of beside Run, before it starts, with the estimate's numbers.
  const line = page.locator("#estimate");
  assert.equal(await line.getAttribute("data-warning"), "true");
  assert.match(
    await textOf(page, "#estimate"),
    /^Before you run: this run may take about \d+ minutes \(one fit on 1 thread: about \d+ s\); about \d+ MiB of memory per worker\.$/,
  );
  t.diagnostic(await textOf(page, "#estimate"));
  // A small run: the estimate without a warning, updated as the form changes.
  await page.locator('input[name="n_samples"]').fill("300");
  await page.locator('input[name="n_estimators"]').fill("10");
  assert.equal(await line.getAttribute("data-warning"), "false");
  assert.match(
    await textOf(page, "#estimate"),
    /^Estimated: about [\d.]+ s for the sweep \(one fit on 1 thread: about [\d.]+ s\), about 1 MiB of memory per worker\.$/,
  );
  // A refused value leaves no estimate standing.
  await page.locator('input[name="n_estimators"]').fill("0");
  assert.equal(await line.isVisible(), false);
  await page.close();
});
