// @ts-check
// The sequels' steps (6 "Evaluate in parallel", 7 "Tune in parallel"): a link with
// workload=…&autorun=1 runs the named workload; the page's fold scores and grid-search results
// equal the native CLI's for the same parameters, at every thread count and parallel level; bad
// input is refused with the engine's words before any worker starts; a v1 document still imports.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cli } from "./cli.mjs";
import { root } from "./harness.mjs";
import { serverUrl, STATUS, tableRows, textOf, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

/**
 * A step's results document (`key`: cv or grid; #<key>-json).
 * @param {import("playwright-core").Page} page
 */
async function resultsDocument(page, key = "cv") {
  return JSON.parse(await page.locator(`#${key}-json`).inputValue());
}

/**
 * Waits for the end of a step's run (`key`: cv or grid) and checks it went well.
 * @param {import("playwright-core").Page} page
 * @param {"cv" | "grid"} key
 */
async function done(page, key = "cv") {
  assert.equal(
    await waitForState(page, ["done", "error", "cancelled"], 120_000, STATUS[key]),
    "done",
    (await page.locator("#alert").textContent()) ?? "",
  );
}

/**
 * Pixels of the step's chart whose colour is far from its background.
 * @param {import("playwright-core").Page} page
 * @param {string} canvas
 */
function ink(page, canvas) {
  return page.evaluate((id) => {
    const el = document.getElementById(id);
    if (!(el instanceof HTMLCanvasElement)) throw new Error(`#${id} is no canvas`);
    const { data } = /** @type {CanvasRenderingContext2D} */ (el.getContext("2d")).getImageData(0, 0, el.width, el.height);
    const colours = new Set();
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      const d = Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]);
      if (d > 60) {
        ink += 1;
        colours.add(`${data[i] >> 5},${data[i + 1] >> 5},${data[i + 2] >> 5}`);
      }
    }
    return { ink, colours: colours.size };
  }, canvas);
}

const CV = "n_samples=200&n_estimators=10&cv=3&cv_repeats=2&threads=1,2";

test("a linked cross-validation runs at once; its fold scores are the CLI's at every thread count and level", async () => {
  const { page, problems } = await fixture.open(`workload=cross_val_score&${CV}&autorun=1`);
  await done(page);
  const native = cli(["cross-val", "--n-samples", "200", "--n-estimators", "10", "--cv", "3", "--cv-repeats", "2", "--threads", "2"]);
  const outer = await resultsDocument(page);
  assert.equal(outer.schema, "coresweep-sweep/3");
  assert.deepEqual(outer.workload, { kind: "cross_val_score", cv: 3, cv_repeats: 2, parallel: "outer" });
  assert.deepEqual([outer.dataset.n_samples, outer.dataset.n_features, outer.forest.n_estimators], [200, 20, 10]);
  assert.deepEqual(outer.points.map((/** @type {{threads: number}} */ p) => p.threads), [1, 2]);
  assert.equal(outer.quality.cv_scores.length, 6);
  assert.deepEqual(outer.quality.cv_scores, native.scores);
  assert.equal(outer.quality.cv_mean_score, native.mean_score);
  assert.deepEqual((await tableRows(page, "#cv-table tbody")).map((row) => row[0]), ["1", "2"]);
  const one = await ink(page, "cv-chart");
  // The other levels, run from the step: the same scores, three series on the step's chart.
  for (const level of ["inner", "both"]) {
    await page.locator("select[name=parallel]").selectOption(level);
    await page.locator("#cv-run").click();
    await done(page);
    const doc = await resultsDocument(page);
    assert.equal(doc.workload.parallel, level);
    assert.deepEqual(doc.quality.cv_scores, native.scores, `${level}: the same scores`);
  }
  const three = await ink(page, "cv-chart");
  assert.ok(three.colours > one.colours, `three levels drawn (${one.colours} → ${three.colours} colours)`);
  assert.match(await textOf(page, "#py-cv"), /cross_val_score\(\s*model, X, Y, scoring="accuracy",\s*cv=RepeatedStratifiedKFold\(n_splits=3, n_repeats=2, random_state=0\),\s*n_jobs=k,/);
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a grid search's mean_test_score and best_params are the CLI's", async () => {
  const query = "n_samples=200&n_estimators=5&cv=3&cv_repeats=none&grid_max_features=1,2,3&grid_min_samples_leaf=1,4&threads=1,2";
  const { page, problems } = await fixture.open(`workload=grid_search&${query}&autorun=1`);
  await done(page, "grid");
  const native = cli([
    "grid-search", "--n-samples", "200", "--n-estimators", "5", "--cv", "3",
    "--grid", "max_features=1,2,3", "--grid", "min_samples_leaf=1,4",
  ]);
  const doc = await resultsDocument(page, "grid");
  assert.deepEqual(doc.workload.grid, { max_features: [1, 2, 3], min_samples_leaf: [1, 4] });
  assert.deepEqual(doc.quality.mean_test_score, native.mean_test_score);
  assert.deepEqual(doc.quality.best_params, native.best_params);
  assert.equal(doc.quality.best_score, native.best_score);
  assert.deepEqual(doc.points.map((/** @type {{threads: number}} */ p) => p.threads), [1, 2]);
  const python = await textOf(page, "#py-grid");
  assert.ok(python.includes(`with parallel_backend("threading", n_jobs=k):\n        search = GridSearchCV(\n            model, {"max_features": [1, 2, 3], "min_samples_leaf": [1, 4]},\n            cv=3,\n            n_jobs=k,\n        ).fit(X, Y)`), python);
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the sequels' defaults are the tutorial's, written as its Python", async () => {
  const { page, problems } = await fixture.open("");
  await waitForState(page, ["idle"]);
  const python = await textOf(page, "#py-grid");
  // n_features=20 and n_estimators=100 are sklearn's own defaults: left out, as a person would.
  assert.match(python, /make_classification\(\s*n_samples=1000,\s*n_informative=15,\s*n_redundant=5,/);
  assert.match(python, /RandomForestClassifier\(\s*n_jobs=1,\s*random_state=0,\s*\)/);
  assert.match(python, /\{"max_features": \[1, 2, 3, 4, 5\]\},\s*cv=RepeatedStratifiedKFold\(n_splits=10, n_repeats=3, random_state=0\)/);
  assert.deepEqual(problems, []);
  await page.close();
});

/** @type {[string, string | null, RegExp][]} */
const REFUSED = [
  ["cv=1", "cv", /^cv: /],
  ["cv_repeats=0", "cv_repeats", /^cv_repeats: /],
  ["grid_max_features=1,500", "max_features", /max_features/],
  ["grid_max_leaves=1,2", null, /^grid: unknown parameter "max_leaves"/],
];
for (const [query, param, words] of REFUSED) {
  test(`a linked ${query} is refused with the engine's words before any worker starts`, async () => {
    const { page, problems } = await fixture.open(`workload=grid_search&${query}&autorun=1`);
    assert.equal(await waitForState(page, ["done", "error", "cancelled"], 120_000, STATUS.grid), "error");
    const alert = await textOf(page, "#alert");
    assert.match(alert, words);
    if (param) {
      const invalid = await page.locator("[aria-invalid=true]").evaluateAll((els) => els.map((el) => /** @type {HTMLInputElement} */ (el).name));
      assert.ok(invalid.includes(param) || invalid.includes(`grid_${param}`), invalid.join());
    }
    assert.equal(await page.locator("#grid-progress li").count(), 0, "no worker started");
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test("cv above the members of the smallest class is refused once the data is made, naming cv", async () => {
  const { page } = await fixture.open("workload=cross_val_score&n_samples=30&cv=20&threads=1&autorun=1");
  assert.equal(await waitForState(page, ["done", "error", "cancelled"], 120_000, STATUS.cv), "error");
  assert.match(await textOf(page, "#alert"), /n_splits=20 cannot be greater than the number of members in each class/);
  await page.close();
});

test("the page's address names the step last run, so a copied link reopens it", async () => {
  const { page, problems } = await fixture.open(CV.replace("threads=1,2", "threads=1"));
  const workload = () => new URL(page.url()).searchParams.get("workload");
  assert.equal(workload(), null);
  await page.locator("#cv-run").click();
  await done(page);
  assert.equal(workload(), "cross_val_score");
  assert.match((await page.locator("#share-link").getAttribute("href")) ?? "", /[?&]workload=cross_val_score(&|$)/);
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  assert.equal(workload(), null, "the first tutorial's sweep is the page's default: no key");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a sequel shows its progress across folds and stops on Cancel", async () => {
  const { page, problems } = await fixture.open("workload=cross_val_score&threads=1&autorun=1");
  await page.waitForFunction(() => {
    const bar = document.querySelector("#cv-progress progress");
    return bar instanceof HTMLProgressElement && bar.hasAttribute("value") && bar.value > 0 && bar.value < 1;
  }, null, { timeout: 60_000 });
  assert.equal(await page.locator("#cv-cancel").isEnabled(), true);
  await page.locator("#cv-cancel").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"], 120_000, STATUS.cv), "cancelled");
  assert.equal(await page.locator("#cv-run").isEnabled(), true);
  assert.equal(await page.locator("#cv-cancel").isEnabled(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a v1 document from before the sequels still imports; a cross-validation beside step 5's fit says it times another workload", async () => {
  const { page, problems } = await fixture.open(`workload=cross_val_score&${CV}&threads=1&autorun=1`);
  await done(page);
  await page.locator("#overlay-files").setInputFiles(join(root, "tests", "browser", "fixtures", "cli-sweep.json"));
  await page.locator("#overlay-list li").waitFor();
  // Step 5's result (the page's fit) is what results from elsewhere are compared with.
  assert.doesNotMatch(await textOf(page, "#overlay-list li"), /Times /);
  await page.locator("#overlay-files").setInputFiles({
    name: "cv.json",
    mimeType: "application/json",
    buffer: Buffer.from(await page.locator("#cv-json").inputValue()),
  });
  await page.locator("#overlay-list li").nth(1).waitFor();
  assert.match(
    (await page.locator("#overlay-list li").nth(1).textContent()) ?? "",
    /Times cross-val \(outer\), not fit as this page's result does/,
  );
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(problems, []);
  await page.close();
});

/** @type {import("./page-fixtures.mjs").InputTable} */
const TABLE = JSON.parse(readFileSync(join(root, "tests", "input_cases.json"), "utf8"));
const STEP_ROWS = TABLE.cases.filter(
  (row) => ["cross-val", "grid-search"].includes(row.command ?? "") && row.page !== false && row.message && !row.with,
);

test(`the input table's ${STEP_ROWS.length} refused cv, cv_repeats and parallel values typed into the steps: the engine's words, no worker`, async () => {
  const query = new URLSearchParams({ ...TABLE.base, threads: "1" });
  const { page } = await fixture.open(query.toString());
  /** @type {import("playwright-core").Worker[]} */
  const workers = [];
  page.on("worker", (worker) => workers.push(worker));
  await waitForState(page, ["idle"]);
  const failures = [];
  // The parallel rows last: each leaves its refused value in the page.
  for (const row of STEP_ROWS.toSorted((a, b) => Number(a.param === "parallel") - Number(b.param === "parallel"))) {
    // parallel is a choice: a value none of its options comes only from a link.
    if (row.param === "parallel") {
      await page.goto(`${serverUrl(fixture)}?${query}&parallel=${encodeURIComponent(row.value)}`);
      await waitForState(page, ["idle"]);
    }
    const input = page.locator(`[name="${row.param}"]`);
    const initial = await input.inputValue();
    if (row.param !== "parallel") await input.fill(row.value);
    await page.locator(row.command === "cross-val" ? "#cv-run" : "#grid-run").click();
    const state = await page.locator(row.command === "cross-val" ? "#cv-status" : "#grid-status").getAttribute("data-state");
    const alert = await textOf(page, "#alert");
    if (state !== "error" || row.message === undefined || !alert.includes(row.message)) failures.push(`${row.param}=${row.value}: ${state}, ${alert}`);
    if (row.param !== "parallel") await input.fill(initial);
  }
  assert.deepEqual(failures, []);
  assert.equal(workers.length, 0, "no worker was started");
  await page.close();
});

test("while step 5's sweep runs, the sequels' Run waits", async () => {
  const { page } = await fixture.open("n_samples=2000&n_estimators=200&threads=1");
  await waitForState(page, ["idle"]);
  assert.equal(await page.locator("#cv-run").isEnabled(), true);
  await page.locator("#run").click();
  await waitForState(page, ["running"]);
  assert.equal(await page.locator("#cv-run").isEnabled(), false);
  assert.equal(await page.locator("#grid-cancel").isEnabled(), false);
  await page.locator("#cancel").click();
  assert.equal(await waitForState(page, ["cancelled", "done"]), "cancelled");
  assert.equal(await page.locator("#cv-run").isEnabled(), true);
  await page.close();
});

test("Run all three levels sweeps outer, inner and both in turn: one series each on the step's chart", async () => {
  const { page, problems } = await fixture.open("n_samples=200&n_estimators=5&cv=3&cv_repeats=none&threads=1,2");
  await waitForState(page, ["idle"]);
  const held = await page.locator('select[name="parallel"]').inputValue();
  await page.locator("#cv-run-all").click();
  await page.waitForFunction(
    () => /all three levels|stopped|Nothing ran|Cancelled/.test(document.getElementById("cv-status")?.textContent ?? ""),
    null,
    { timeout: 120_000 },
  );
  assert.equal(
    await textOf(page, "#cv-status"),
    "Done: the cross-validation at all three levels (outer, inner, both), one series each on the chart.",
    (await page.locator("#alert").textContent()) ?? "",
  );
  // Two points per level, three levels, on the step's chart; the field holds what it held.
  const label = (await page.locator("#cv-chart").getAttribute("aria-label")) ?? "";
  assert.equal(label.match(/\d+ cores? [\d.]+ s/g)?.length, 6, label);
  assert.equal(await page.locator('select[name="parallel"]').inputValue(), held);
  assert.equal((await resultsDocument(page)).workload.parallel, "both");
  assert.deepEqual(problems, []);
  await page.close();
});
