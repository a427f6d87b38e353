// @ts-check
// The workers backend where it runs by itself — a page without SharedArrayBuffer (served
// without the isolation headers) — in every engine: the sequels' scores are sklearn's own
// (tests/oracles, made by sklearn 1.9.1) whatever worker computed which fold; Cancel stops
// every worker and keeps the finished points; a sweep whose copies of the data would not fit
// is refused before any worker starts, naming `threads`, in the CLI's words. Where threads
// exist too (Chromium, isolated), the choice of backend and "Run both".
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { root } from "./harness.mjs";
import { documentThreads, SMALL, STATUS, textOf, usePage, waitForState } from "./page-fixtures.mjs";

const oracle = (/** @type {string} */ name) => JSON.parse(readFileSync(join(root, "tests", "oracles", name), "utf8"));

forEachEngine(
  (fixture) => {
    test("cross_val_score on 2 workers: sklearn's fold scores (RepeatedStratifiedKFold 10×3, 100 trees)", async () => {
      const page = await fixture.open("workload=cross_val_score&random_state=0&threads=2&repeats=1&autorun=1");
      assert.equal(
        await waitForState(page, ["done", "error", "cancelled"], 600_000, STATUS.cv),
        "done",
        await page.locator("#alert").textContent(),
      );
      const doc = JSON.parse(await page.locator("#cv-json").inputValue());
      assert.equal(doc.backend, "workers");
      assert.deepEqual(doc.quality.cv_scores, oracle("cv_seq02_seed0.json").scores);
      assert.match(await page.locator("#py-cv").textContent(), /with parallel_backend\("loky", n_jobs=k\):/);
      assert.deepEqual(await page.problems(), []);
      await page.close();
    });

    test("Cancel on workers stops the sweep, keeps the finished point, and Run works again", async () => {
      const page = await fixture.open("n_samples=2000&n_estimators=400&threads=1,2&repeats=1");
      await waitForState(page, ["idle"]);
      await page.locator("#run").click();
      // The 1-worker point done, the 2-worker one under way: cancel it.
      await page.waitForFunction(() => document.querySelectorAll("#results-table tbody tr").length === 1, null, {
        timeout: 300_000,
      });
      await page.locator("#cancel").click();
      assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "cancelled");
      assert.deepEqual(await documentThreads(page), [1]);
      assert.equal(await page.locator("#alert").textContent(), "");
      await page.close();
    });

    test("a sweep whose worker copies would not fit is refused before any worker starts, naming threads", async () => {
      const page = await fixture.open("n_samples=200000&n_features=100&n_informative=50&n_estimators=10&threads=1,16&hardware_concurrency=16");
      await waitForState(page, ["idle", "error"]);
      const alert = await page.locator("#alert").textContent();
      assert.match(alert, /threads: too large on workers: 16 workers, each with its own copy of the data, need about \d+ MiB, the limit is \d+ MiB/);
      assert.equal(await page.locator("#run").isEnabled(), true);
      await page.close();
    });
  },
  { headers: false },
);

const isolated = usePage();

test("grid search on 2 workers, outer level: sklearn's cv_results_ and best_params_", async () => {
  const { page, problems } = await isolated.open("workload=grid_search&random_state=0&threads=2&repeats=1&backend=workers&autorun=1");
  assert.equal(
    await waitForState(page, ["done", "error", "cancelled"], 900_000, STATUS.grid),
    "done",
    (await page.locator("#alert").textContent()) ?? "",
  );
  const doc = JSON.parse(await page.locator("#grid-json").inputValue());
  const expected = oracle("grid_seq03_seed0.json");
  assert.equal(doc.backend, "workers");
  assert.deepEqual(doc.quality.mean_test_score, expected.mean_test_score);
  assert.deepEqual(doc.quality.best_params, expected.best_params);
  assert.equal(doc.quality.best_score, expected.best_score);
  assert.deepEqual(problems, []);
  await page.close();
});

test("with threads at hand the page offers both backends; Run both draws threads and workers side by side", async () => {
  const { page, problems } = await isolated.open(SMALL);
  await waitForState(page, ["idle"]);
  assert.equal(await page.locator('input[name="backend"][value="threads"]').isChecked(), true);
  assert.doesNotMatch(await textOf(page, "#py-sweep"), /parallel_backend/);
  await page.locator('input[name="backend"][value="workers"]').check();
  assert.match(await textOf(page, "#py-sweep"), /with parallel_backend\("loky", n_jobs=k\):\n\s+model\.fit\(X, Y\)/);
  assert.match(await page.evaluate(() => location.search), /backend=workers/);
  await page.locator('input[name="backend"][value="threads"]').check();
  await page.locator("#run-both").click();
  // Both sweeps run, one after the other: the threads' one becomes an overlay, the workers'
  // one is the step's own.
  await page.waitForFunction(
    () => {
      const json = document.getElementById("results-json");
      const status = document.getElementById("status");
      if (!(json instanceof HTMLTextAreaElement) || !status) throw new Error("the page has no #results-json or #status");
      const doc = JSON.parse(json.value || "{}");
      const state = status.dataset.state;
      return doc.backend === "workers" && doc.points.length === 2 && state !== "running";
    },
    null,
    { timeout: 300_000 },
  );
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "done");
  const own = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(own.points.map((/** @type {{threads: number}} */ p) => p.threads), [1, 2]);
  assert.match(await textOf(page, "#overlay-list"), /threads \(this page\)/);
  assert.deepEqual(problems, []);
  await page.close();
});
