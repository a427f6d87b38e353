// @ts-check
// One experiment, every face: each parameter of the engine's registry (src/registry.rs) goes
// from the page's form into its link and back into a fresh page, through the CLI's flags
// (`coresweep sweep --like` a document the page wrote gives the same parameters), and into the
// Python beside the steps, which scikit-learn 1.9.1 runs (its venv is made by
// bench/sklearn-venv.sh, inside the repository). The registry is read from the engine itself,
// so a parameter added there without its example value (tests/input_cases.json `examples`),
// a control, a link key, a flag or a Python argument fails here. A CLI result dropped on the
// page and run again with "Run the same experiment here" grows the CLI's forest; sklearn's
// parameters the engine does not have are refused by name, in the CLI's words.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { cli, cliRefusal, cliText } from "./cli.mjs";
import { root } from "./harness.mjs";
import { STATUS, textOf, usePage, waitForState } from "./page-fixtures.mjs";

/** @type {import("./page-fixtures.mjs").InputTable} */
const TABLE = JSON.parse(readFileSync(join(root, "tests", "input_cases.json"), "utf8"));
const EXAMPLES = TABLE.examples;
/** A small experiment, so that each page, CLI run and Python snippet takes a moment. */
const SMALL = { n_samples: "300", n_estimators: "10", threads: "1", repeats: "1" };
/**
 * The experiment each group's example is typed on: the blog's with room for a repeated feature,
 * or for the workload's parameters the sequels' (whose 20 features leave none).
 */
const DATASET_BASE = { ...SMALL, n_informative: "60" };
/** @type {Record<string, Record<string, string>>} */
const BASES = { dataset: DATASET_BASE, forest: DATASET_BASE, workload: SMALL };

const fixture = usePage();
const scratch = mkdtempSync(join(tmpdir(), "coresweep-faces-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** @typedef {import("playwright-core").Page} Page */

/**
 * A parameter of the engine's registry (src/registry.rs), the fields read here.
 * @typedef {{name: string, group: string, default: string}} Parameter
 */

/**
 * The engine's registry, as the page's engine lists it (`parameters()`).
 * @param {Page} page
 * @returns {Promise<Parameter[]>}
 */
function registry(page) {
  return page.evaluate(async () => {
    // The page's module by its URL in the page; tsc reads the threaded build's types (lint builds
    // those), whose default() and parameters() are the single-threaded build's too.
    const url = "/www/pkg-single/coresweep.js";
    /** @type {typeof import("../../www/pkg/coresweep.js")} */
    const engine = await import(url);
    await engine.default();
    return engine.parameters();
  });
}

/**
 * Opens the page on `values` (an object of link keys) and waits until it settles.
 * @param {Record<string, string>} values
 */
async function openOn(values) {
  const { page, problems } = await fixture.open(new URLSearchParams(values).toString());
  await waitForState(page, ["idle", "error", "done"]);
  return { page, problems };
}

/**
 * The control of parameter `name` as text: a checkbox as "true"/"false".
 * @param {Page} page
 * @param {string} name
 */
async function controlText(page, name) {
  const control = page.locator(`#experiment [name="${name}"]`);
  if ((await control.getAttribute("type")) === "checkbox") return String(await control.isChecked());
  return control.inputValue();
}

/**
 * Sets the control of `name` to `text` as a person would: typing, or clicking the box.
 * @param {Page} page
 * @param {string} name
 * @param {string} text
 */
async function setControl(page, name, text) {
  const control = page.locator(`#experiment [name="${name}"]`);
  // "All parameters" is folded until opened.
  if (!(await control.isVisible())) await page.locator("#all-parameters summary").click();
  if ((await control.evaluate((el) => el.tagName)) === "SELECT") return control.selectOption(text);
  if ((await control.getAttribute("type")) !== "checkbox") return control.fill(text);
  if ((await control.isChecked()) !== (text === "true")) await control.click();
  return undefined;
}

/**
 * The Python of the step a parameter belongs to: the data and the fit, or cross-validation.
 * @param {Page} page
 * @param {string} group
 */
async function python(page, group) {
  if (group === "workload") return textOf(page, "#py-cv");
  const steps = await Promise.all(["#py-data", "#py-fit"].map((id) => textOf(page, id)));
  return steps.join("\n\n");
}

/**
 * The parameters of a results document: its dataset (or table), forest and workload.
 * @param {{dataset: unknown, table: unknown, forest: unknown, workload: unknown}} doc
 */
function experiment(doc) {
  return { dataset: doc.dataset, table: doc.table, forest: doc.forest, workload: doc.workload };
}

/**
 * Writes `text` into the test's scratch folder; returns its path.
 * @param {string} name
 * @param {string} text
 */
function scratchFile(name, text) {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/**
 * `coresweep sweep --like` the document `text`, on 1 thread once; returns its document.
 * @param {string} name
 * @param {string} text
 * @param {string[]} extra
 */
function cliLike(name, text, extra = []) {
  const out = join(scratch, `${name}.out.json`);
  cliText(["sweep", "--quiet", "--like", scratchFile(`${name}.json`, text), "--threads", "1", "--repeats", "1", ...extra, "-o", out]);
  return JSON.parse(readFileSync(out, "utf8"));
}

/**
 * The interpreter of the project's scikit-learn venv (bench/sklearn-venv.sh: .bench-venv,
 * scikit-learn 1.9.1, made once); null when this machine has no Python at all.
 */
function sklearnPython() {
  if (spawnSync("python3", ["--version"]).status !== 0) return null;
  const made = spawnSync("bash", ["-c", 'root="$1"; source "$root/bench/sklearn-venv.sh" >&2; printf %s "$python"', "_", root], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  assert.equal(made.status, 0, "bench/sklearn-venv.sh could not make the venv");
  return made.stdout;
}

/**
 * Runs each `[name, code]` snippet in sklearn's venv (pyplot stubbed); returns those that fail.
 * @param {string} interpreter
 * @param {[string, string][]} snippets
 */
function runPython(interpreter, snippets) {
  const runner = `
import json, sys, types
plot = types.ModuleType("matplotlib.pyplot")
for name in ("plot", "xlabel", "ylabel", "show"):
    setattr(plot, name, lambda *args, **kwargs: None)
matplotlib = types.ModuleType("matplotlib")
matplotlib.pyplot = plot
sys.modules.update({"matplotlib": matplotlib, "matplotlib.pyplot": plot})
failures = {}
for name, code in json.load(sys.stdin):
    try:
        exec(code, {})
    except Exception as error:
        failures[name] = f"{type(error).__name__}: {error}"
print(json.dumps(failures))
`;
  const run = spawnSync(interpreter, ["-c", runner], { input: JSON.stringify(snippets), encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  // The last line printed: split gives at least one.
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "");
}

test("every parameter of the registry: page → link → page, the CLI's --like, and sklearn runs its Python", async (t) => {
  /** @type {Record<string, string>} */
  const basePython = {};
  /** @type {Parameter[] | undefined} */
  let parameters;
  for (const group of ["dataset", "forest", "workload"]) {
    const { page } = await openOn(BASES[group]);
    parameters ??= await registry(page);
    basePython[group] = await python(page, group);
    await page.close();
  }
  assert.ok(parameters, "the registry is read");
  assert.deepEqual(
    Object.keys(EXAMPLES).sort(),
    parameters.map((p) => p.name).sort(),
    "tests/input_cases.json gives every parameter of the registry an example value, and no other name",
  );

  /** @type {string[]} */
  const failures = [];
  /** @type {[string, string][]} */
  const snippets = [];
  for (const { name, group, default: blogDefault } of parameters) {
    const example = EXAMPLES[name];
    assert.notEqual(example, blogDefault, `${name}: the example differs from the default`);
    // Typed into the page, it is in the link the page writes…
    const { page, problems } = await openOn(BASES[group]);
    const before = await page.locator("#results-json").inputValue();
    await setControl(page, name, example);
    const said = await page.locator("#alert").textContent();
    if (said !== "") failures.push(`${name}: the page says ${said}`);
    const link = new URL(await page.evaluate(() => location.href));
    if (link.searchParams.get(name) !== example) {
      failures.push(`${name}: the link says ${link.searchParams.get(name)}`);
    }
    const code = await python(page, group);
    if (code === basePython[group]) failures.push(`${name}: the Python did not change`);
    if (group !== "workload" && !code.includes(`${name}=`)) failures.push(`${name}: not in the Python`);
    snippets.push([name, code]);
    // …and the page's document, run by the CLI's --like, is the same experiment.
    if (group !== "workload") {
      const doc = await page.locator("#results-json").inputValue();
      if (doc === before) failures.push(`${name}: the page's document did not change`);
      const again = cliLike(name, doc);
      assert.deepEqual(experiment(again), experiment(JSON.parse(doc)), `${name}: --like`);
    }
    assert.deepEqual(problems, []);
    await page.close();
    // …which opens a fresh page with it.
    const opened = await openOn(Object.fromEntries(link.searchParams));
    const shown = await controlText(opened.page, name);
    if (shown !== example) failures.push(`${name}: the linked page shows ${shown}`);
    const alert = await opened.page.locator("#alert").textContent();
    if (alert !== "") failures.push(`${name}: the linked page says ${alert}`);
    await opened.page.close();
  }
  assert.deepEqual(failures, []);

  // The workload's parameters are in the documents of its steps: one cross-validation with them.
  const workload = Object.fromEntries(parameters.filter((p) => p.group === "workload").map((p) => [p.name, EXAMPLES[p.name]]));
  const { page } = await openOn({ ...BASES.workload, workload: "cross_val_score", ...workload, autorun: "1" });
  assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.cv), "done", await textOf(page, "#alert"));
  const doc = await page.locator("#cv-json").inputValue();
  await page.close();
  const again = cliLike("workload", doc);
  assert.deepEqual(experiment(again), experiment(JSON.parse(doc)), "the cross-validation's --like");
  assert.deepEqual(again.quality.cv_scores, JSON.parse(doc).quality.cv_scores, "the same folds and scores");

  const interpreter = sklearnPython();
  if (interpreter === null) {
    t.skip("no python3 on this machine: the Python snippets were not run by sklearn");
    return;
  }
  assert.deepEqual(runPython(interpreter, snippets), {}, "sklearn 1.9.1 runs every snippet");
});

test("a CLI result (criterion entropy, weights 0.3,0.7) run again here with 'Run the same experiment here' grows the CLI's forest", async () => {
  const flags = ["--criterion", "entropy", "--weights", "0.3,0.7", "--n-samples", "300", "--n-estimators", "10"];
  const path = join(scratch, "cli-entropy.json");
  cliText(["sweep", "--quiet", ...flags, "--threads", "1,2", "--repeats", "1", "--label", "server", "-o", path]);
  const native = cli(["fit", ...flags, "--threads", "1"]);
  const cliDoc = JSON.parse(readFileSync(path, "utf8"));

  // The page opens on the blog's experiment: everything it runs comes from the document.
  const { page, problems } = await openOn({ hardware_concurrency: "2" });
  await page.locator("#overlay-files").setInputFiles(path);
  await page.getByRole("button", { name: "Run the same experiment here" }).click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "done", await textOf(page, "#alert"));
  assert.equal(await controlText(page, "criterion"), "entropy");
  assert.equal(await controlText(page, "weights"), "0.3,0.7");
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(experiment(doc), experiment(cliDoc), "the same experiment");
  assert.deepEqual(doc.points.map((/** @type {{threads: number}} */ p) => p.threads), [1, 2]);
  assert.equal(doc.quality.oob_accuracy, cliDoc.quality.oob_accuracy, "the CLI's out-of-bag accuracy");
  assert.equal(doc.quality.oob_accuracy, native.oob_accuracy);
  assert.equal(await page.locator("#quality-nodes").textContent(), native.total_nodes.toLocaleString("en"), "the CLI's node count");
  assert.equal(doc.quality.total_nodes, cliDoc.quality.total_nodes);
  assert.equal(doc.backend, cliDoc.backend);
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a result fitted on a table: the page names the file it expects (name, shape, SHA-256); the CLI's --like asks for it", async () => {
  const csv = join(root, "tests", "oracles", "tables", "wine.csv");
  const path = join(scratch, "cli-wine.json");
  cliText(["sweep", "--quiet", "--data", csv, "--n-estimators", "5", "--threads", "1", "--repeats", "1", "-o", path]);
  const { table } = JSON.parse(readFileSync(path, "utf8"));
  const record = `${table.name} (${table.n_rows} rows × ${table.n_features} features, SHA-256 ${table.sha256})`;
  assert.equal(
    cliRefusal(["sweep", "--like", path, "--threads", "1"]),
    `error: --like: the result was fitted on the table ${record}: give that file with --data`,
  );
  const again = cliLike("wine", readFileSync(path, "utf8"), ["--data", csv]);
  assert.deepEqual(experiment(again), experiment(JSON.parse(readFileSync(path, "utf8"))));

  const { page } = await openOn(SMALL);
  await page.locator("#overlay-files").setInputFiles(path);
  await page.getByRole("button", { name: "Run the same experiment here" }).click();
  const lines = await page.getByRole("alert").locator("p").allTextContents();
  assert.ok(lines.some((line) => line.includes(record)), `the alert names ${record}: ${lines}`);
  assert.equal(await page.locator("#data-source-file").isChecked(), true, "step 2 waits for the file");
  assert.equal(await controlText(page, "n_estimators"), "5");
  assert.notEqual(await page.locator("#status").getAttribute("data-state"), "running");
  await page.close();
});

test("sklearn's parameters the engine lacks are refused by name in the CLI's words, one line each, and the link does not run", async () => {
  const refused = TABLE.cases.filter((row) => row.message?.includes("not supported yet")).slice(0, 2);
  const query = { ...SMALL, ...Object.fromEntries(refused.map((row) => [row.param, row.value])), colour: "red", autorun: "1" };
  const { page } = await openOn(query);
  /** @type {import("playwright-core").Worker[]} */
  const workers = [];
  page.on("worker", (worker) => workers.push(worker));
  assert.deepEqual(await page.getByRole("alert").locator("p").allTextContents(), [
    ...refused.map((row) => row.message),
    "Not a parameter of this page, ignored: colour.",
  ]);
  for (const row of refused) {
    const flag = `--${row.param.replaceAll("_", "-")}`;
    assert.equal(cliRefusal(["fit", `${flag}=${row.value}`]), `error: ${flag}${(row.message ?? "").slice(row.param.length)}`);
  }
  assert.equal(await page.locator("#status").getAttribute("data-state"), "idle", "the link did not run");
  assert.equal(workers.length, 0);
  await page.close();
});
