// @ts-check
// Step 2's "Your data": a CSV file chosen in the page is previewed and read in the page's
// workers (a sweep's first point reads it and hands its rows to the later ones), never sent
// anywhere, and every step runs on it. The outside truth is sklearn's: on
// breast_cancer.csv (from the sklearn wheel, tests/oracles/tables/) one fit has sklearn's node
// count and out-of-bag score, and cross-validation sklearn's fold scores. Bad files are refused
// with the CLI's words before anything starts; a file too large is refused by its size, unread.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cli, cliRefusal } from "./cli.mjs";
import { forEachEngine } from "./drivers/index.mjs";
import { root } from "./harness.mjs";
import { runSweep, SCREENSHOTS, screenshot, STATUS, sweepData, tableRows, textOf, usePage, waitForState } from "./page-fixtures.mjs";

const TABLES = join(root, "tests", "oracles", "tables");
const CSV = readFileSync(join(TABLES, "breast_cancer.csv"));
/**
 * sklearn's answers on the table (the fields read here).
 * @type {{forest: {n_estimators: number, random_state: number}, node_counts: number[], oob_score: number,
 *   cv_scores: number[], csv_sha256: string}}
 */
const ORACLE = JSON.parse(readFileSync(join(TABLES, "breast_cancer.json"), "utf8"));
/** sklearn's forest of the oracle: RandomForestClassifier(n_estimators=20, random_state=0). */
const FOREST = `n_estimators=${ORACLE.forest.n_estimators}&random_state=${ORACLE.forest.random_state}`;

/**
 * A file to choose, as Playwright's setInputFiles and drivers/'s take it.
 * @param {string} name
 * @param {string | Buffer} text
 */
function csvFile(name, text) {
  return { name, mimeType: "text/csv", buffer: Buffer.isBuffer(text) ? text : Buffer.from(text) };
}

/**
 * What chooseTable and resultsDocument use of a page, Playwright's or drivers/'s (a path to
 * choose: Playwright's only).
 * @template File
 * @typedef {object} TablePage
 * @property {(selector: string) => {setInputFiles: (files: File) => Promise<void>,
 *   textContent: () => Promise<string | null>, inputValue: () => Promise<string>}} locator
 * @property {(fn: () => boolean) => Promise<unknown>} waitForFunction
 */

/**
 * Chooses `file` in step 2 and waits until it is read (or refused); returns the step's status line.
 * @template File
 * @param {TablePage<File>} page
 * @param {File} file
 */
async function chooseTable(page, file) {
  await page.locator("#data-file").setInputFiles(file);
  await page.waitForFunction(() => / rows × | not read| cannot be previewed/.test(document.getElementById("data-status")?.textContent ?? ""));
  return (await page.locator("#data-status").textContent()) ?? "";
}

/**
 * A step's results document: step 5's (#results-json), or a sequel's (`#cv-json`, `#grid-json`).
 * @param {{locator: (selector: string) => {inputValue: () => Promise<string>}}} page
 */
async function resultsDocument(page, json = "#results-json") {
  return JSON.parse(await page.locator(json).inputValue());
}

forEachEngine((fixture) => {
  test("a CSV file is previewed, read in the page, and one fit and a sweep on it are sklearn's forest", async () => {
    const page = await fixture.open(`${FOREST}&threads=1`);
    await waitForState(page, ["idle"]);
    const status = await chooseTable(page, csvFile("breast_cancer.csv", CSV));
    assert.match(status, /^breast_cancer\.csv: 569 rows × 30 features, target "target" with 2 classes \(357 "benign", 212 "malignant"\)/);
    assert.match(status, new RegExp(`SHA-256 ${ORACLE.csv_sha256.slice(0, 12)}`));
    // The preview: every column's name, the last one the target, the first rows as written.
    const names = await page.locator("#data-preview thead tr:first-child th").allTextContents();
    assert.equal(names.length, 31);
    assert.equal(names.at(-1), "target");
    assert.equal(await page.locator("#data-target").inputValue(), "target");
    const rows = await tableRows(page, "#data-preview tbody");
    assert.equal(rows.length, 8);
    assert.equal(rows[0][0], CSV.toString("utf8").split("\n")[1].split(",")[0]);

    await page.locator("#fit-one").click();
    assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.one_fit), "done", await textOf(page, "#alert"));
    const nodes = ORACLE.node_counts.reduce((a, b) => a + b, 0);
    const result = await textOf(page, "#fit-one-result");
    assert.match(result, new RegExp(`out-of-bag accuracy ${ORACLE.oob_score.toFixed(3)}, ${nodes.toLocaleString("en")} nodes`), result);

    // The sweep reads the file once: its 2-thread point fits on the rows the first one read.
    await page.locator("#threads").fill("1,2");
    assert.equal(await runSweep(page), "done", await textOf(page, "#alert"));
    assert.deepEqual(await sweepData(page), [
      [1, false],
      [2, true],
    ]);
    const doc = await resultsDocument(page);
    assert.deepEqual([doc.quality.oob_accuracy, doc.quality.total_nodes], [ORACLE.oob_score, nodes]);
    assert.equal(doc.dataset, undefined);
    assert.deepEqual(
      { ...doc.table, features: doc.table.features.length },
      {
        name: "breast_cancer.csv",
        n_rows: 569,
        n_features: 30,
        bytes: CSV.length,
        sha256: ORACLE.csv_sha256,
        target: "target",
        features: 30,
        classes: ["benign", "malignant"],
        class_counts: [357, 212],
      },
    );
    assert.equal(
      await textOf(page, "#results-data"),
      `Fitted on breast_cancer.csv (569 rows × 30 features, target "target", SHA-256 ${ORACLE.csv_sha256.slice(0, 12)}…).`,
    );
    // Never the data: no value of the file is in the results.
    const text = await page.locator("#results-json").inputValue();
    assert.ok(!text.includes(rows[0][0]), "a value of the table is in the results");
    assert.equal(await textOf(page, "#alert"), "");
    assert.deepEqual(await page.problems(), []);
    await page.close();
  });
});

const chromium = usePage();

test("cross-validation on the table scores every fold as sklearn does", async () => {
  const { page, problems } = await chromium.open(`${FOREST}&cv=5&cv_repeats=None&threads=1`);
  await waitForState(page, ["idle"]);
  await chooseTable(page, csvFile("breast_cancer.csv", CSV));
  await page.locator("#cv-run").click();
  assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.cv), "done", await textOf(page, "#alert"));
  const doc = await resultsDocument(page, "#cv-json");
  assert.deepEqual(doc.quality.cv_scores, ORACLE.cv_scores);
  assert.equal(doc.table.sha256, ORACLE.csv_sha256);
  assert.match(await textOf(page, "#py-cv"), /pd\.read_csv\('breast_cancer\.csv'\)/);
  await screenshot(page, "your-data");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a table worker that dies is said, naming it, and the step waits for no answer", async () => {
  const { page, problems } = await chromium.open("threads=1");
  await waitForState(page, ["idle"]);
  // The worker's script throws as it loads: its "error" event is all the page hears of it.
  await page.route("**/www/table-worker.js", (route) =>
    route.fulfill({ contentType: "text/javascript", body: 'throw new Error("killed by the test");' }),
  );
  const status = await chooseTable(page, csvFile("breast_cancer.csv", CSV));
  assert.equal(status, "breast_cancer.csv was not read: see the problem above.");
  // (Chromium tells a module worker's page nothing of why it died: the words say what is known.)
  assert.match(await textOf(page, "#alert"), /^data: the table worker stopped: /);
  // Nothing runs on a table that was not read: the step says why.
  await page.locator("#fit-one").click();
  assert.equal(await waitForState(page, ["error"], 30_000, STATUS.one_fit), "error");
  // The next file gets a fresh worker, which reads it.
  await page.unroute("**/www/table-worker.js");
  assert.match(await chooseTable(page, csvFile("breast_cancer.csv", CSV)), /^breast_cancer\.csv: 569 rows/);
  assert.deepEqual(problems, []);
  await page.close();
});

/** A semicolon table whose label is its first column, with an id column of text. */
function plantsTable() {
  const lines = ["kind;height;leaves;id"];
  for (let i = 0; i < 60; i++) {
    const kind = ["fern", "cactus", "moss"][i % 3];
    lines.push(`${kind};${((i * 37) % 23) / 4 + (i % 3)};${(i * 11) % 7};p${i}`);
  }
  return `${lines.join("\n")}\n`;
}

test("a file dropped on step 2, its target and dropped column chosen: the CLI's forest with the same options", async () => {
  const { page, problems } = await chromium.open("n_estimators=15&random_state=3&threads=1");
  await waitForState(page, ["idle"]);
  const text = plantsTable();
  // Dropped, as a person drags a file from their desktop onto step 2 (here its title, with
  // make_classification still chosen).
  await page.evaluate((csv) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([csv], "plants.csv", { type: "text/csv" }));
    const zone = document.getElementById("step-data-title");
    if (!zone) throw new Error("no #step-data-title");
    zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForFunction(() => / not read| rows × /.test(document.getElementById("data-status")?.textContent ?? ""));
  assert.equal(await page.locator("#data-source-file").isChecked(), true);
  // Found from the header: semicolons; the default target, the last column (id), is refused: one row per class.
  const kinds = await page.locator("#data-preview thead tr:nth-child(2) th").allTextContents();
  assert.deepEqual(kinds.map((k) => k.replace(/^ drop · /, "").trim()), ["text", "number", "number", "target"]);
  await page.locator("#data-target").selectOption("kind");
  await page.waitForFunction(() => / not read| rows × /.test(document.getElementById("data-status")?.textContent ?? ""));
  assert.match(await textOf(page, "#alert"), /^data: row 2, column "id": "p0" is not a number/);
  await page.locator('#data-preview input[data-drop="id"]').check();
  await page.waitForFunction(() => / rows × /.test(document.getElementById("data-status")?.textContent ?? ""));
  assert.match(await textOf(page, "#data-status"), /^plants\.csv: 60 rows × 2 features, target "kind" with 3 classes \(20 "cactus", 20 "fern", 20 "moss"\)/);
  assert.match(await textOf(page, "#py-data"), /pd\.read_csv\('plants\.csv', sep=';'\)\nX = data\.drop\(columns=\['kind', 'id'\]\)/);
  // make_classification's fields are hidden and not the data: a value they would refuse (say,
  // from a link) is no matter.
  await page.evaluate(() => {
    const field = document.querySelector('input[name="n_samples"]');
    if (!(field instanceof HTMLInputElement)) throw new Error('no input[name="n_samples"]');
    field.value = "many";
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
  assert.equal(await textOf(page, "#alert"), "");

  await page.locator("#fit-one").click();
  assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.one_fit), "done", await textOf(page, "#alert"));
  const path = join(SCREENSHOTS, "plants.csv");
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(path, text);
  const native = cli(["fit", "--data", path, "--target", "kind", "--drop", "id", "--n-estimators", "15", "--random-state", "3", "--threads", "1"]);
  const result = await textOf(page, "#fit-one-result");
  assert.match(result, new RegExp(`out-of-bag accuracy ${native.oob_accuracy.toFixed(3)}, ${native.total_nodes.toLocaleString("en")} nodes`), result);
  assert.deepEqual(problems, []);
  await page.close();
});

/** Bad tables, each refused by the page with the words the CLI prints for the same file. */
/** @type {[string, string | Buffer][]} */
const BAD = [
  ["a text column", "sex,size,kind\nmale,1,a\nfemale,2,b\nmale,3,a\n"],
  ["a ragged row", "a,b,kind\n1,2,x\n3,y\n4,5,x\n"],
  ["one class only", "a,b,kind\n1,2,x\n3,4,x\n"],
  ["an empty column", "a,b,kind\n1,,x\n3,,y\n"],
  ["a missing value", "a,b,kind\n1,2,x\n3,NA,y\n"],
  ["duplicate names", "a,a,kind\n1,2,x\n3,4,y\n"],
  ["no rows", "a,b,kind\n"],
  ["not text", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10, 0x0a])],
];

test("bad files are refused with the CLI's words, naming the row, column or parameter, before anything runs", async () => {
  const dir = join(SCREENSHOTS, "bad-tables");
  mkdirSync(dir, { recursive: true });
  const { page, problems } = await chromium.open("n_estimators=5&threads=1");
  await waitForState(page, ["idle"]);
  /** @type {string[]} */
  const workers = [];
  page.on("worker", (worker) => workers.push(worker.url()));
  for (const [what, content] of BAD) {
    const path = join(dir, `${what.replaceAll(" ", "-")}.csv`);
    writeFileSync(path, content);
    const cli = cliRefusal(["fit", "--data", path, "--n-estimators", "5", "--threads", "1"]);
    await chooseTable(page, csvFile(`${what.replaceAll(" ", "-")}.csv`, content));
    const alert = await textOf(page, "#alert");
    assert.ok(cli.endsWith(alert) && alert.length > 10, `${what}: the page says ${JSON.stringify(alert)}, the CLI ${JSON.stringify(cli)}`);
    assert.match(alert, /^(data|target): /, what);
    await page.locator("#run").click();
    assert.equal(await waitForState(page, ["error", "done"]), "error", what);
    assert.equal(await page.locator("#progress li").count(), 0, `${what}: no point started`);
  }
  // Table workers alone (a fresh one per read): no sweep worker started for a refused file.
  assert.ok(workers.length >= 1 && workers.every((url) => url.endsWith("/www/table-worker.js")), workers.join());
  // Ticking the text column's "drop" reads the file without it.
  await chooseTable(page, csvFile("text.csv", BAD[0][1]));
  assert.match((await page.locator("#data-preview thead th.is-refused").first().textContent()) ?? "", /^sex/);
  await page.locator('#data-preview input[data-drop="sex"]').check();
  await page.waitForFunction(() => / rows × /.test(document.getElementById("data-status")?.textContent ?? ""));
  assert.match(await textOf(page, "#data-status"), /3 rows × 1 features/);
  assert.equal(await textOf(page, "#alert"), "");
  // cv above the smallest class (2 rows of "b") under stratified cross-validation: refused unrun.
  await page.locator('input[name="cv"]').fill("3");
  await page.locator("#cv-run").click();
  assert.equal(await waitForState(page, ["error", "done"], 120_000, STATUS.cv), "error");
  assert.equal(
    await textOf(page, "#alert"),
    "cv: n_splits=3 cannot be greater than the number of members in each class (the smallest class has 1)",
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test("a file larger than the page's memory limit is refused by its size, before it is read", async () => {
  const path = join(SCREENSHOTS, "too-large.csv");
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(path, "a,b,kind\n");
  // Sparse: 1.5 GiB that take no disk, above wasm's 1 GiB.
  truncateSync(path, 1.5 * 2 ** 30);
  try {
    const { page, problems } = await chromium.open("threads=1");
    await waitForState(page, ["idle"]);
    const started = Date.now();
    await chooseTable(page, path);
    const seconds = (Date.now() - started) / 1000;
    assert.match(await textOf(page, "#alert"), /^data: too large: .*1536 MiB.*the limit is 1024 MiB/);
    assert.ok(seconds < 10, `refused in ${seconds} s: it was read`);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    rmSync(path);
  }
});

test("the file never leaves the device: every request is the page's own files, none carries data", async () => {
  const { page, problems } = await chromium.open(`${FOREST}&threads=1`);
  /** @type {import("playwright-core").Request[]} */
  const requests = [];
  page.context().on("request", (request) => requests.push(request));
  await waitForState(page, ["idle"]);
  await chooseTable(page, csvFile("breast_cancer.csv", CSV));
  assert.equal(await runSweep(page), "done");
  const origin = new URL(page.url()).origin;
  for (const request of requests) {
    if (request.url().startsWith("data:")) continue; // the empty favicon: nothing leaves the page
    assert.equal(request.method(), "GET", request.url());
    assert.equal(request.postData(), null, request.url());
    assert.ok(request.url().startsWith(origin) || request.url().startsWith(`blob:${origin}/`), request.url());
  }
  // The file was read by the table worker (and by the sweep's), which were seen to load.
  assert.ok(requests.some((r) => r.url().endsWith("/www/table-worker.js")));
  // A result carries the table's record; another device on the same file is told they compare.
  const json = await page.locator("#results-json").inputValue();
  await page.close();
  const other = await chromium.open("threads=1");
  await waitForState(other.page, ["idle"]);
  await chooseTable(other.page, csvFile("breast_cancer.csv", CSV));
  await other.page.locator("#overlay-files").setInputFiles(csvFile("phone.json", json));
  await other.page.waitForFunction(() => document.querySelector("#overlay-list li") !== null);
  assert.match(
    await textOf(other.page, "#overlay-list li"),
    /Fitted on the same table, breast_cancer\.csv \(62dce411\): the times compare\./,
  );
  await other.page.close();
  const generated = await chromium.open("threads=1");
  await waitForState(generated.page, ["idle"]);
  await generated.page.locator("#overlay-files").setInputFiles(csvFile("phone.json", json));
  await generated.page.waitForFunction(() => document.querySelector("#overlay-list li") !== null);
  assert.match(
    await textOf(generated.page, "#overlay-list li"),
    /Fitted on breast_cancer\.csv \(62dce411\), not on make_classification/,
  );
  assert.deepEqual([...problems, ...other.problems, ...generated.problems], []);
  await generated.page.close();
});

const withoutIsolation = usePage({ headers: false });

test("without cross-origin isolation (the single-threaded build) one fit and a sweep on workers on the table are the same forest", async () => {
  const { page, problems } = await withoutIsolation.open(`${FOREST}&threads=1,2`);
  await waitForState(page, ["idle"]);
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
  await chooseTable(page, csvFile("breast_cancer.csv", CSV));
  await page.locator("#fit-one").click();
  assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.one_fit), "done", await textOf(page, "#alert"));
  const nodes = ORACLE.node_counts.reduce((a, b) => a + b, 0);
  assert.match(await textOf(page, "#fit-one-result"), new RegExp(`${nodes.toLocaleString("en")} nodes`));
  // The workers backend reads the file once a sweep: the 2-worker point's workers get its rows.
  assert.equal(await runSweep(page), "done", await textOf(page, "#alert"));
  assert.deepEqual(await sweepData(page), [
    [1, false],
    [2, true],
  ]);
  const doc = await resultsDocument(page);
  assert.equal(doc.backend, "workers");
  assert.deepEqual([doc.quality.oob_accuracy, doc.quality.total_nodes], [ORACLE.oob_score, nodes]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a table given as a results file points to step 2; a file too large for a result is refused unread", async () => {
  const { page, problems } = await chromium.open("threads=1");
  await waitForState(page, ["idle"]);
  await page.locator("#overlay-files").setInputFiles(csvFile("breast_cancer.csv", CSV));
  assert.equal(
    await textOf(page, "#alert"),
    'Results file not added — breast_cancer.csv: a table, not a results file: to fit a forest on it, drop it on step 2 ("Your data")',
  );
  const path = join(SCREENSHOTS, "huge-result.json");
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(path, "{");
  truncateSync(path, 2 ** 30);
  try {
    await page.locator("#overlay-files").setInputFiles(path);
    await page.waitForFunction(() => /huge-result/.test(document.getElementById("alert")?.textContent ?? ""), null, { timeout: 10_000 });
    assert.equal(
      await textOf(page, "#alert"),
      "Results file not added — huge-result.json: results file: is 1073741824 bytes, the limit is 4194304 bytes (4 MiB)",
    );
  } finally {
    rmSync(path);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("a grid search on the table is the CLI's, and its result link carries the table's record, not its data", async () => {
  const { page, problems } = await chromium.open("n_estimators=5&cv=3&cv_repeats=none&grid_max_features=1,2&threads=1");
  await waitForState(page, ["idle"]);
  await chooseTable(page, csvFile("breast_cancer.csv", CSV));
  await page.locator("#grid-run").click();
  assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.grid), "done", await textOf(page, "#alert"));
  const native = cli([
    "grid-search", "--data", join(TABLES, "breast_cancer.csv"), "--n-estimators", "5", "--cv", "3",
    "--grid", "max_features=1,2",
  ]);
  const doc = await resultsDocument(page, "#grid-json");
  assert.deepEqual(doc.quality.mean_test_score, native.mean_test_score);
  assert.deepEqual(doc.quality.best_params, native.best_params);
  assert.equal(doc.table.sha256, ORACLE.csv_sha256);

  await page.locator("#grid-copy-result-link").click();
  await page.locator("#grid-result-link").waitFor();
  const link = await page.locator("#grid-result-link").inputValue();
  assert.ok(link.length < 4000, `a result link of ${link.length} characters carries more than results`);
  const opened = await page.context().newPage();
  await opened.goto(link);
  await opened.waitForFunction(() => document.querySelector("#overlay-list li") !== null);
  assert.match(
    await textOf(opened, "#overlay-list li"),
    /Fitted on breast_cancer\.csv \(62dce411\), not on make_classification/,
  );
  assert.deepEqual(problems, []);
  await opened.close();
  await page.close();
});
