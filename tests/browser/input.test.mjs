// @ts-check
// Parameters: from the URL into the form, into the Python shown beside it, and invalid ones
// refused by the engine with a message that names the parameter, before anything runs. The
// input matrix is tests/input_cases.json, which tests/input_matrix.rs checks against the CLI:
// the page must show exactly the same words.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "./harness.mjs";
import { SMALL, textOf, usePage, waitForState } from "./page-fixtures.mjs";

/** @typedef {import("./page-fixtures.mjs").InputCase} InputCase */

/** @type {import("./page-fixtures.mjs").InputTable} */
const TABLE = JSON.parse(readFileSync(join(root, "tests", "input_cases.json"), "utf8"));
const PAGE_PARAMS = new Set(TABLE.page_params);
/** The rows whose every value has a control on the page. */
const PAGE_ROWS = TABLE.cases.filter(
  (row) => row.page !== false && Object.keys(typedValues(row)).every((k) => PAGE_PARAMS.has(k)),
);
/** The control the page keeps for the core count, not a parameter of the experiment. */
const CORES = "hardware_concurrency";

const fixture = usePage();

/**
 * Opens the page, records every worker it starts, and waits until it settles.
 * @param {string} query
 */
async function openAndSettle(query) {
  const opened = await fixture.open(query);
  /** @type {import("playwright-core").Worker[]} */
  const workers = [];
  opened.page.on("worker", (worker) => workers.push(worker));
  await waitForState(opened.page, ["idle", "error", "done"]);
  return { ...opened, workers };
}

test("URL parameters fill the form and the Python follows as you type", async () => {
  const { page } = await openAndSettle(
    "n_samples=1234&n_features=30&n_informative=20&n_redundant=2&max_depth=8&bootstrap=false&threads=1,2&repeats=3",
  );
  assert.equal(await page.locator('input[name="n_samples"]').inputValue(), "1234");
  assert.equal(await page.locator('input[name="max_depth"]').inputValue(), "8");
  assert.equal(await page.locator('input[name="bootstrap"]').isChecked(), false);
  assert.equal(await page.locator("#threads").inputValue(), "1,2");
  assert.match(await textOf(page, "#py-data"), /n_samples=1234/);
  assert.match(await textOf(page, "#py-fit"), /max_depth=8/);
  assert.match(await textOf(page, "#py-fit"), /bootstrap=False/);
  const sweep = await textOf(page, "#py-sweep");
  assert.match(sweep, /range\(3\)/);
  assert.match(
    sweep,
    /pyplot\.plot\(n_cores, results, '--bo'\)/,
    "blue dashed line, circle markers",
  );
  assert.match(sweep, /xlabel\('Number of cores'\)/);
  assert.match(sweep, /ylabel\('Run time \(secs\)'\)/);

  await page.locator('input[name="n_samples"]').fill("4321");
  assert.match(await textOf(page, "#py-data"), /n_samples=4321/);
  assert.match(page.url(), /n_samples=4321/, "the address is a link to the experiment");
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.equal(doc.dataset.n_samples, 4321, "the (empty) results document follows the form");
  assert.match(doc.device.label, /^Chrome on Linux, \d+ cores$/, "a default device label");
  await page.locator("#device-label").fill("my laptop");
  const labelled = JSON.parse(await page.locator("#results-json").inputValue());
  assert.equal(labelled.device.label, "my laptop");
  await page.close();
});

test("the thread list follows the core count and the reserve-one-core box", async () => {
  const linked = await openAndSettle("hardware_concurrency=4");
  assert.equal(await linked.page.locator("#threads").inputValue(), "1,2,3");
  assert.equal(await linked.page.locator("#reserve-note").isVisible(), false);
  await linked.page.close();

  // A 2-core device: reserving one would leave a sweep of one point, so the page says so and
  // sweeps 1..2, the rule's box still checked.
  const small = await openAndSettle("hardware_concurrency=2");
  assert.equal(await small.page.locator("#threads").inputValue(), "1,2");
  assert.equal(await small.page.locator("#reserve").isChecked(), true);
  assert.equal(await small.page.locator("#reserve-note").isVisible(), true);
  assert.match(await textOf(small.page, "#reserve-note"), /cannot show a speed-up/);
  await small.page.locator("#reserve").uncheck();
  assert.equal(await small.page.locator("#threads").inputValue(), "1,2");
  assert.equal(await small.page.locator("#reserve-note").isVisible(), false);
  await small.page.locator("#cores").fill("1");
  assert.equal(await small.page.locator("#threads").inputValue(), "1");
  await small.page.close();

  const { page } = await openAndSettle("");
  await page.locator("#cores").fill("8");
  assert.equal(await page.locator("#threads").inputValue(), "1,2,3,4,5,6,7");
  await page.locator("#reserve").uncheck();
  assert.equal(await page.locator("#threads").inputValue(), "1,2,3,4,5,6,7,8");
  await page.locator("#cores").fill("500");
  await page.locator("#reserve").check();
  assert.equal(
    (await page.locator("#threads").inputValue()).split(",").length,
    63,
    "cores are clamped to 64",
  );
  // A thread count above the cores given is refused in the table's words (a page-only row).
  const row = TABLE.cases.find((r) => r.cli === false && r.message !== undefined);
  if (!row?.with || row.message === undefined) throw new Error("the input table has no page-only row with a message");
  await page.locator("#cores").fill(row.with[CORES]);
  await page.locator("#threads").fill(row.value);
  assert.deepEqual(await page.getByRole("alert").locator("p").allTextContents(), [row.message]);
  assert.equal(await page.locator('#threads[aria-invalid="true"]').count(), 1);
  await page.close();
});

/** @type {[string, string[]][]} */
const REFUSED = [
  ["n_informative=0", ["n_informative"]],
  ["n_informative=80&n_features=70", ["n_informative", "n_features"]],
  ["n_estimators=0", ["n_estimators"]],
  ["threads=0,1", ["threads"]],
];
for (const [query, names] of REFUSED) {
  test(`?${query} is refused, named, and nothing runs`, async () => {
    const { page, workers } = await openAndSettle(`${SMALL}&${query}&autorun=1`);
    assert.equal(await waitForState(page, ["error"], 20_000), "error");
    const alert = (await page.getByRole("alert").textContent()) ?? "";
    assert.ok(
      names.some((name) => alert.includes(name)),
      `alert names ${names.join(" or ")}: ${alert}`,
    );
    const invalid = await page
      .locator('[aria-invalid="true"]')
      .evaluateAll((els) => els.map((el) => /** @type {HTMLInputElement} */ (el).name));
    assert.equal(invalid.length, 1, `one control marked invalid, got ${invalid}`);
    assert.ok(
      alert.includes(invalid[0]),
      `the marked control ${invalid[0]} is the one the alert names`,
    );
    assert.equal(await page.locator("#results-table tbody tr").count(), 0);
    assert.equal(workers.length, 0, "no worker was started");

    await page.locator("#run").click();
    assert.equal(await waitForState(page, ["error"], 20_000), "error");
    assert.equal(workers.length, 0, "Run does not start a worker either");
    await page.close();
  });
}

/**
 * What a row types: its `with` values, then its parameter.
 * @param {InputCase} row
 * @returns {Record<string, string>}
 */
function typedValues(row) {
  return { ...row.with, [row.param]: row.value };
}

/**
 * sklearn's name a message starts with: the parameter at fault.
 * @param {string} message
 */
function named(message) {
  return message.split(":")[0];
}

/**
 * The lines of the alert area, and the names of the controls marked invalid.
 * @param {import("playwright-core").Page} page
 */
async function shownProblems(page) {
  return {
    lines: await page.getByRole("alert").locator("p").allTextContents(),
    invalid: await page
      .locator('[aria-invalid="true"]')
      .evaluateAll((els) => els.map((el) => /** @type {HTMLInputElement} */ (el).name)),
  };
}

/**
 * The row's verdict as the page shows it; returns the problems found.
 * @param {import("playwright-core").Page} page
 * @param {InputCase} row
 */
async function verdictProblems(page, row) {
  const { lines, invalid } = await shownProblems(page);
  /** @type {string[]} */
  const problems = [];
  if (row.message !== undefined) {
    if (!lines.includes(row.message)) problems.push(`alert ${JSON.stringify(lines)}`);
    if (invalid.join() !== named(row.message)) problems.push(`marked invalid: ${invalid}`);
    return problems;
  }
  if (invalid.length) problems.push(`accepted value marked invalid: ${invalid} (${lines})`);
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  const section = [doc.dataset, doc.forest].find((part) => row.param in part);
  if (section && JSON.stringify(section[row.param]) !== JSON.stringify(row.accepted)) {
    problems.push(`settled on ${JSON.stringify(section[row.param])}`);
  }
  return problems;
}

test(`the input table typed into the page: ${PAGE_ROWS.length} rows, the engine's words, nothing started`, async () => {
  // The pool as large as the page allows, so the table's thread counts meet only their own limits.
  const base = new URLSearchParams({
    ...TABLE.base,
    threads: "1",
    repeats: "1",
    [CORES]: "64",
  });
  const { page, workers } = await openAndSettle(base.toString());
  // Open "All parameters", as a person typing them would.
  await page.locator("#all-parameters summary").click();
  const controls = await page
    .locator("#experiment input[name]")
    // The sequels' steps (cv, cv_repeats, parallel, grid_*) run their own sweeps: sequels.test.mjs;
    // step 2's choice of data is the page's, not a parameter: data.test.mjs.
    .evaluateAll((els) =>
      els
        .filter((el) => !el.closest("#step-cv, #step-grid, [data-page-controls]"))
        .map((el) => {
          const input = /** @type {HTMLInputElement} */ (el);
          return { name: input.name, type: input.type, value: input.value };
        }),
    );
  assert.deepEqual(
    controls.map((c) => c.name).filter((name) => name !== CORES).sort(),
    [...PAGE_PARAMS].sort(),
    "the table's page_params are the page's parameter controls",
  );
  const typeable = new Set(controls.filter((c) => c.type === "text").map((c) => c.name));
  const initial = Object.fromEntries(controls.map((c) => [c.name, c.value]));

  const failures = [];
  let typed = 0;
  for (const row of PAGE_ROWS) {
    const values = typedValues(row);
    if (!Object.keys(values).every((name) => typeable.has(name))) continue;
    typed += 1;
    for (const [name, value] of Object.entries(values)) {
      await page.locator(`input[name="${name}"]`).fill(value);
    }
    const problems = await verdictProblems(page, row);
    if (row.message !== undefined) {
      await page.locator("#run").click();
      const state = await page.locator("#status").getAttribute("data-state");
      if (state !== "error") problems.push(`Run left the page in state ${state}`);
    }
    if (problems.length) failures.push(`${JSON.stringify(values)}: ${problems.join("; ")}`);
    for (const name of Object.keys(values)) {
      await page.locator(`input[name="${name}"]`).fill(initial[name]);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${typed} typed rows`);
  assert.equal((await shownProblems(page)).invalid.length, 0, "the base values are valid again");
  assert.equal(workers.length, 0, "no worker was started");
  await page.close();
});

/** The parameters the page shows as checkboxes: the booleans (their example is one). */
const CHECKBOXES = Object.keys(TABLE.examples).filter((name) => ["true", "false"].includes(TABLE.examples[name]));

for (const row of PAGE_ROWS.filter((r) => CHECKBOXES.includes(r.param))) {
  test(`?${row.param}=${JSON.stringify(row.value)} (a checkbox: from the link) is refused in the engine's words`, async () => {
    const query = new URLSearchParams({ ...TABLE.base, ...typedValues(row), autorun: "1" });
    const { page, workers } = await openAndSettle(query.toString());
    assert.equal(await waitForState(page, ["error"], 20_000), "error");
    assert.deepEqual(await verdictProblems(page, row), []);
    assert.equal(workers.length, 0, "no worker was started");
    await page.close();
  });
}
