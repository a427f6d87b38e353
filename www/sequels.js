// The tutorial's sequels, steps 6 and 7: "Evaluate in parallel" (cross_val_score) and "Tune in
// parallel" (GridSearchCV(...).fit), each with its Python, its own sweep (sweep-runner.js: one
// worker per thread count, the whole workload timed), progress per fit, Cancel, chart and
// table. Each step keeps the last document of every parallel level it ran (outer, inner, both)
// and draws them on one chart, where the engine labels each series with its level; its table,
// JSON, downloads and link show the level run last. A step's results are its own (results.js):
// running one never changes step 5's.
//
// A sequel's plan is the sequels' defaults (the engine's: make_classification(1000, 20, 15, 5),
// 100 trees) with what the form changed from its own defaults, the thread counts, and the
// step's fields (cv, cv_repeats, parallel, grid_<param>), on step 2's data (generated, or the
// user's table): the engine checks it (check_experiment, check_experiment_on_table) and refuses
// bad input naming the parameter before any worker starts.

import { checkExperiment, DataWait, tableChoice } from "./data.js";
import { refreshLink } from "./form.js";
import { elementById, engineOf, parametersOf } from "./page.js";
import { queryFromForm, readForm } from "./params.js";
import { crossValSource, gridSearchSource } from "./python.js";
import { createPanel, emptyDocument, panelParts, setResult, stepResult } from "./results.js";
import { answerWords, derivedOf, viewOf } from "./results-view.js";
import { pointsText, sweepInto } from "./runs.js";
import { keepSweep } from "./saved.js";
import { nothingRan, setProblem, setState, showParamProblem } from "./status.js";

/**
 * @typedef {import("./page.js").Page} Page
 * @typedef {import("./pkg/coresweep.js").ResultsDocument} ResultsDocument
 * @typedef {import("./results-view.js").DocumentView} DocumentView
 */

/** The form's values every sequel plan takes as they are, defaults included. */
const ALWAYS = ["threads", "repeats", "hardware_concurrency", "cv", "cv_repeats", "parallel"];

/**
 * A sequel step as the page holds it (page.sequels): its workload, element prefix, Python and
 * words, and its controls.
 * @typedef {typeof STEPS[number] & {
 *   run: HTMLButtonElement, runAll: HTMLButtonElement, cancel: HTMLButtonElement,
 *   progress: HTMLOListElement, status: HTMLParagraphElement, code: HTMLElement,
 * }} Sequel
 */

/** Each sequel step: its workload (the engine's name), element prefix, Python and words. */
const STEPS = [
  { workload: "cross_val_score", key: "cv", python: crossValSource, name: "cross-validation" },
  { workload: "grid_search", key: "grid", python: gridSearchSource, name: "grid search" },
];

/**
 * Fills a step's results (`#<key>-results`) from the page's template, each part named
 * `#<key>-<part>` (the chart `#<key>-chart`, the table `#<key>-table`, …), the chart with the
 * step's caption, the table with step 5's head, the buttons named with the step's name.
 * @param {string} key
 * @param {string} name
 */
function stepResults(key, name) {
  /**
   * The element `selector` finds in `root`: a page whose HTML lost one fails here, naming it.
   * @param {ParentNode} root
   * @param {string} selector
   */
  const one = (root, selector) => {
    const el = root.querySelector(selector);
    if (!(el instanceof HTMLElement)) throw new Error(`the page has no ${selector} for the ${name}`);
    return el;
  };
  const results = one(document, `#${key}-results`);
  const template = one(document, "#sequel-results");
  if (!(template instanceof HTMLTemplateElement)) throw new Error("#sequel-results is not a template");
  const parts = /** @type {DocumentFragment} */ (template.content.cloneNode(true));
  const caption = one(results, ".chart-caption");
  const figcaption = document.createElement("figcaption");
  figcaption.append(...caption.childNodes);
  caption.remove();
  one(parts, "figure").append(figcaption);
  for (const el of parts.querySelectorAll("[data-part]")) el.id = `${key}-${el.getAttribute("data-part")}`;
  one(one(parts, "table"), "tbody").before(one(document, "#results-table thead").cloneNode(true));
  one(parts, "dt").textContent = results.dataset.quality ?? "";
  for (const button of parts.querySelectorAll(".document button")) {
    button.setAttribute("aria-label", `${button.textContent} of the ${name}`);
  }
  one(parts, "[data-part=document-of]").textContent = ` of the ${name}`;
  one(parts, "[data-part=explain] a").setAttribute("aria-label", `What speed-up, efficiency and spread mean, for the ${name}`);
  one(parts, "[data-part=table-region]").setAttribute("aria-label", `Timings of the ${name}`);
  one(parts, "[data-part=json]").setAttribute("aria-label", `Results document of the ${name} (JSON)`);
  one(parts, "[data-part=result-link]").setAttribute("aria-label", `Link to this result of the ${name}`);
  results.append(parts);
  return panelParts(results);
}

/**
 * The sequel's parameters for check_experiment (see the top of this file), at `level` (the
 * form's parallel level when null).
 * @param {Page} page
 * @param {string} workload
 * @param {string | null} level
 */
function sequelValues(page, workload, level) {
  const form = readForm(page.form);
  /** @type {Record<string, unknown>} */
  const values = Object.fromEntries(new URLSearchParams(queryFromForm(page.form)));
  for (const name of ALWAYS) values[name] = form[name];
  for (const name of Object.keys(values)) if (name.startsWith("grid_")) delete values[name];
  if (workload === "grid_search") {
    for (const [name, value] of Object.entries(form)) if (name.startsWith("grid_")) values[name] = value;
  }
  if (level !== null) values.parallel = level;
  values.device_memory = navigator.deviceMemory ?? "";
  values.backend = page.backend;
  values.workload = workload;
  return values;
}

/**
 * The engine's checked plan of a sequel; throws the engine's error naming the parameter.
 * @param {Page} page
 * @param {string} workload
 * @param {string | null} level
 */
function sequelPlan(page, workload, level = null) {
  return checkExperiment(page, sequelValues(page, workload, level));
}

/**
 * What the step's quality line says: the folds' mean accuracy, or the best candidate.
 * @param {DocumentView} view
 */
function qualityText({ quality }) {
  if (!quality) return "—";
  if (quality.cv_scores) {
    return `${quality.cv_mean_score?.toFixed(3)} over ${quality.cv_scores.length} folds`;
  }
  if (quality.best_params) {
    const params = Object.entries(quality.best_params).map(([name, v]) => `${name}=${v}`);
    return `${params.join(", ")}: ${quality.best_score?.toFixed(3)}`;
  }
  return "—";
}

/**
 * The step's answer in words, for its status: "accuracy 0.912" or "best max_features=3 (0.915)".
 * @param {DocumentView} view
 */
function qualityWords(view) {
  const { quality } = view;
  if (quality?.cv_scores) return `accuracy ${quality.cv_mean_score?.toFixed(3)}`;
  if (quality?.best_params) return `best ${qualityText(view).replace(/: ([\d.]+)$/, " ($1)")}`;
  return "no score";
}

/**
 * Makes `doc` the step's result at its parallel level (freeing the level's one before it), the
 * one its table shows; `restored` names a result kept in this browser.
 * @param {Page} page
 * @param {string} workload
 * @param {string} level
 * @param {ResultsDocument} doc
 * @param {string | null} restored
 */
export function showLevel(page, workload, level, doc, restored) {
  const levels = new Map(stepResult(page, workload)?.levels ?? []);
  const old = levels.get(level);
  if (old && old !== doc) old.free();
  levels.set(level, doc);
  setResult(page, workload, { document: doc, levels, totalNodes: null, restored });
}

/**
 * Writes each step's Python from its plan; a plan the engine refuses leaves it as it was.
 * @param {Page} page
 */
export function refreshSequelsPython(page) {
  for (const step of page.sequels?.values() ?? []) {
    try {
      const plan = sequelPlan(page, step.workload);
      step.code.textContent = step.python(plan, parametersOf(page), tableChoice(page), page.backend);
      plan.free();
    } catch {
      // The step's Run says why, naming the parameter, when it is clicked.
    }
  }
}

/**
 * Renders the steps' status lines and enables their buttons as the store allows: one run at a
 * time on the page, each step's Cancel for its own sweep.
 * @param {Page} page
 * @param {import("./store.js").PageState} state
 */
function renderSteps(page, { ready, running, status }) {
  for (const step of page.sequels?.values() ?? []) {
    step.run.disabled = step.runAll.disabled = !ready || running !== null;
    step.cancel.disabled = running?.step !== step.workload;
    const { state, message } = status[step.workload];
    if (step.status.textContent !== message) step.status.textContent = message;
    step.status.dataset.state = state;
  }
}

/**
 * Runs the sweep of the sequel `workload` over the form's thread counts, at `level` (the form's
 * parallel level when null); resolves to how it ended ("done", "cancelled", "error"), or null
 * when it could not start.
 * @param {Page} page
 * @param {string} workload
 * @param {string | null} level
 */
export async function runSequel(page, workload, level = null) {
  const step = page.sequels?.get(workload);
  if (page.store.state.running || !step) return null;
  let plan;
  try {
    plan = sequelPlan(page, workload, level);
    showParamProblem(page, null);
  } catch (error) {
    const waiting = error instanceof DataWait;
    showParamProblem(page, waiting ? null : error);
    nothingRan(page, workload, waiting ? error.message : null);
    return "error";
  }
  setProblem(page, "sweep", null);
  page.linkedWorkload = workload;
  refreshLink(page);
  const doc = emptyDocument(page, plan);
  /** @type {string} */
  const planLevel = plan.workload_info.parallel;
  showLevel(page, workload, planLevel, doc, null);
  const { name } = step;
  const total = plan.threads.length;
  /** @param {number} k */
  const threadsText = (k) => `${k} ${k === 1 ? "thread" : "threads"}`;
  const outcome = await sweepInto(page, plan, doc, page.backend, {
    step: workload,
    progress: step.progress,
    running: (k, finished) => `Running the ${name} (${planLevel}) on ${threadsText(k)} (${finished + 1} of ${total})…`,
    readyNote: () => `${plan.workload_trees.toLocaleString("en")} trees`,
    record({ quality }) {
      if (quality !== null) doc.set_workload_quality(quality);
      return {};
    },
    keep: () => keepSweep(workload, doc.to_json(), planLevel),
    words: {
      done: (finished) =>
        `Done: the ${name} (${planLevel}), ${answerWords(viewOf(doc), derivedOf(doc)) ?? pointsText(finished)}; ${qualityWords(viewOf(doc))}.`,
      error: (error, finished) =>
        `The ${name} stopped at ${threadsText(error.threads)} (shown above): ${pointsText(finished)} of ${total} kept.`,
      cancelled: (finished) => `Cancelled the ${name}: ${pointsText(finished)} of ${total} finished.`,
    },
  });
  plan.free();
  return outcome;
}

/** The parallel levels, in the order "Run all three levels" runs them. */
const LEVELS = ["outer", "inner", "both"];

/**
 * Runs the step's sweep at each parallel level in turn, one series each on its chart, so the
 * three can be compared at a glance; stops at the first that does not finish. The form's
 * parallel field keeps what it holds: each run is told its level.
 * @param {Page} page
 * @param {string} workload
 */
export async function runAllLevels(page, workload) {
  const step = page.sequels?.get(workload);
  if (page.store.state.running || !step) return;
  for (const level of LEVELS) {
    if ((await runSequel(page, workload, level)) !== "done") return;
  }
  setState(page, workload, "done", `Done: the ${step.name} at all three levels (${LEVELS.join(", ")}), one series each on the chart.`);
}

/**
 * Sets the steps up before the form reads the link: their results panels, the grid's default
 * (`grid`: the engine's grid of a grid search, from page-defaults.json) and a field for each
 * `grid_<param>` of the link.
 * @param {Page} page
 * @param {Record<string, string[]>} grid
 */
export function setupSequels(page, grid) {
  const $ = elementById;
  /** @type {Map<string, Sequel>} */
  const sequels = new Map(
    STEPS.map((step) => [
      step.workload,
      {
        ...step,
        run: $(`${step.key}-run`, HTMLButtonElement),
        runAll: $(`${step.key}-run-all`, HTMLButtonElement),
        cancel: $(`${step.key}-cancel`, HTMLButtonElement),
        progress: $(`${step.key}-progress`, HTMLOListElement),
        status: $(`${step.key}-status`, HTMLParagraphElement),
        code: $(`py-${step.key}`, HTMLElement),
      },
    ]),
  );
  page.sequels = sequels;
  for (const step of sequels.values()) {
    page.cancelButtons[step.workload] = step.cancel;
    page.panels[step.workload] = createPanel(page, step.workload, stepResults(step.key, step.name), {
      quality: (parts, view) => {
        if (parts.quality) parts.quality.textContent = qualityText(view);
      },
    });
  }
  const fields = $("grid-fields", HTMLElement);
  const linked = [...new URLSearchParams(location.search).keys()].filter((k) => k.startsWith("grid_"));
  for (const name of linked) {
    if (page.form.elements.namedItem(name)) continue;
    const label = Object.assign(document.createElement("label"), { className: "field field--wide" });
    const text = Object.assign(document.createElement("span"), {
      className: "field__label",
      textContent: `grid: ${name.slice("grid_".length)}`,
    });
    const input = Object.assign(document.createElement("input"), { type: "text", name, autocomplete: "off", spellcheck: false });
    label.append(text, input);
    fields.append(label);
  }
  for (const [name, values] of Object.entries(grid)) {
    const input = page.form.elements.namedItem(`grid_${name}`);
    if (input instanceof HTMLInputElement) input.value = input.defaultValue = values.join(",");
  }
  for (const step of sequels.values()) {
    step.run.addEventListener("click", () => runSequel(page, step.workload));
    step.runAll.addEventListener("click", () => runAllLevels(page, step.workload));
    step.cancel.addEventListener("click", () => page.store.state.running?.sweep.cancel());
  }
  page.form.addEventListener("input", () => refreshSequelsPython(page));
  page.store.subscribe(["ready", "running", "status"], (state) => renderSteps(page, state));
}

/**
 * Once the form holds the link: writes the Python.
 * @param {Page} page
 */
export function showSequels(page) {
  refreshSequelsPython(page);
}

/**
 * Runs what the link names (`workload=…&autorun=1`): the sweep of step 5 (`fit`) or a sequel's.
 * @param {Page} page
 * @param {() => unknown} runFitSweep
 */
export function runLinkedWorkload(page, runFitSweep) {
  const linkedWorkload = page.linkedWorkload;
  if (linkedWorkload === null || linkedWorkload === "fit") return runFitSweep();
  if (page.sequels?.has(linkedWorkload)) return runSequel(page, linkedWorkload);
  // A workload the engine does not know: its words, naming the parameter.
  try {
    engineOf(page).check_experiment({ workload: linkedWorkload }).free();
  } catch (error) {
    showParamProblem(page, error);
    nothingRan(page, "fit");
  }
  return undefined;
}

/**
 * Says when an overlaid result (an engine ResultsDocument) times another workload than the
 * page's own, e.g. a fit beside a cross-validation: the chart labels each series with its
 * workload then. null when they time the same.
 * @param {Page} page
 * @param {ResultsDocument} doc
 */
export function workloadNote(page, doc) {
  const own = page.document?.workload_label();
  const theirs = doc.workload_label();
  if (!own || own === theirs) return null;
  return `Times ${theirs}, not ${own} as this page's result does: the chart labels each series with what it times.`;
}
