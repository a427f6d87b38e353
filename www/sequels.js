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

import { checkExperiment, DataWait, tableChoice, tableFile } from "./data.js";
import { refreshLink } from "./form.js";
import { queryFromForm, readForm } from "./params.js";
import { crossValSource, gridSearchSource } from "./python.js";
import { createPanel, emptyDocument, panelParts, resultChanged, setResult, stepResult } from "./results.js";
import { answerWords, formatSeconds } from "./results-view.js";
import { follow, pointsText, progressRow, showFraction } from "./runs.js";
import { keepSweep } from "./saved.js";
import { nothingRan, setProblem, setState, showParamProblem } from "./status.js";
import { startSweep } from "./sweep-runner.js";

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
 */
function stepResults(key, name) {
  const results = document.getElementById(`${key}-results`);
  const parts = document.getElementById("sequel-results").content.cloneNode(true);
  const caption = results.querySelector(".chart-caption");
  const figcaption = document.createElement("figcaption");
  figcaption.append(...caption.childNodes);
  caption.remove();
  parts.querySelector("figure").append(figcaption);
  for (const el of parts.querySelectorAll("[data-part]")) el.id = `${key}-${el.dataset.part}`;
  const table = parts.querySelector("table");
  table.tBodies[0].before(document.querySelector("#results-table thead").cloneNode(true));
  parts.querySelector("dt").textContent = results.dataset.quality;
  for (const button of parts.querySelectorAll(".document button")) {
    button.setAttribute("aria-label", `${button.textContent} of the ${name}`);
  }
  parts.querySelector("[data-part=document-of]").textContent = ` of the ${name}`;
  parts.querySelector("[data-part=explain] a").setAttribute("aria-label", `What speed-up, efficiency and spread mean, for the ${name}`);
  parts.querySelector("[data-part=table-region]").setAttribute("aria-label", `Timings of the ${name}`);
  parts.querySelector("[data-part=json]").setAttribute("aria-label", `Results document of the ${name} (JSON)`);
  parts.querySelector("[data-part=result-link]").setAttribute("aria-label", `Link to this result of the ${name}`);
  results.append(parts);
  return panelParts(results);
}

/** The sequel's parameters for check_experiment (see the top of this file). */
function sequelValues(page, workload) {
  const form = readForm(page.form);
  const values = Object.fromEntries(new URLSearchParams(queryFromForm(page.form)));
  for (const name of ALWAYS) values[name] = form[name];
  for (const name of Object.keys(values)) if (name.startsWith("grid_")) delete values[name];
  if (workload === "grid_search") {
    for (const [name, value] of Object.entries(form)) if (name.startsWith("grid_")) values[name] = value;
  }
  values.device_memory = navigator.deviceMemory ?? "";
  values.backend = page.backend;
  values.workload = workload;
  return values;
}

/** The engine's checked plan of a sequel; throws the engine's error naming the parameter. */
function sequelPlan(page, workload) {
  return checkExperiment(page, sequelValues(page, workload));
}

/** What the step's quality line says: the folds' mean accuracy, or the best candidate. */
function qualityText({ quality }) {
  if (!quality) return "—";
  if (quality.cv_scores) {
    return `${quality.cv_mean_score.toFixed(3)} over ${quality.cv_scores.length} folds`;
  }
  if (quality.best_params) {
    const params = Object.entries(quality.best_params).map(([name, v]) => `${name}=${v}`);
    return `${params.join(", ")}: ${quality.best_score.toFixed(3)}`;
  }
  return "—";
}

/** The step's answer in words, for its status: "accuracy 0.912" or "best max_features=3 (0.915)". */
function qualityWords(view) {
  const { quality } = view;
  if (quality?.cv_scores) return `accuracy ${quality.cv_mean_score.toFixed(3)}`;
  if (quality?.best_params) return `best ${qualityText(view).replace(/: ([\d.]+)$/, " ($1)")}`;
  return "no score";
}

/**
 * Makes `doc` the step's result at its parallel level (freeing the level's one before it), the
 * one its table shows; `restored` names a result kept in this browser.
 */
export function showLevel(page, workload, level, doc, restored) {
  const levels = new Map(stepResult(page, workload)?.levels ?? []);
  const old = levels.get(level);
  if (old && old !== doc) old.free();
  levels.set(level, doc);
  setResult(page, workload, { document: doc, levels, totalNodes: null, restored });
}

/** Writes each step's Python from its plan; a plan the engine refuses leaves it as it was. */
export function refreshSequelsPython(page) {
  for (const step of page.sequels.values()) {
    try {
      const plan = sequelPlan(page, step.workload);
      step.code.textContent = step.python(plan, page.parameters, tableChoice(page), page.backend);
      plan.free();
    } catch {
      // The step's Run says why, naming the parameter, when it is clicked.
    }
  }
}

/**
 * Renders the steps' status lines and enables their buttons as the store allows: one run at a
 * time on the page, each step's Cancel for its own sweep.
 */
function renderSteps(page, { ready, running, status }) {
  for (const step of page.sequels.values()) {
    step.run.disabled = step.runAll.disabled = !ready || running !== null;
    step.cancel.disabled = running?.step !== step.workload;
    const { state, message } = status[step.workload];
    if (step.status.textContent !== message) step.status.textContent = message;
    step.status.dataset.state = state;
  }
}

/**
 * Runs the sweep of the sequel `workload` over the form's thread counts; resolves to how it
 * ended ("done", "cancelled", "error"), or null when it could not start.
 */
export async function runSequel(page, workload) {
  const step = page.sequels.get(workload);
  if (page.store.state.running || !step) return null;
  let plan;
  try {
    plan = sequelPlan(page, workload);
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
  const level = plan.workload_info.parallel;
  showLevel(page, workload, level, doc, null);
  const rows = new Map(plan.threads.map((k) => [k, progressRow(k)]));
  step.progress.replaceChildren(...[...rows.values()].map((r) => r.item));
  const total = plan.threads.length;
  let finished = 0;
  const sweep = startSweep(
    plan,
    {
      start(k) {
        rows.get(k).note.textContent = "building the data";
        setState(page, workload, "running", `Running the ${step.name} (${level}) on ${k} ${k === 1 ? "thread" : "threads"} (${finished + 1} of ${total})…`);
      },
      ready(k) {
        rows.get(k).note.textContent = `${plan.workload_trees.toLocaleString("en")} trees`;
      },
      progress(k, fraction) {
        showFraction(rows.get(k).bar, fraction);
      },
      point({ threads, fit_seconds, quality, hidden_during }) {
        finished += 1;
        doc.add_point(threads, Float64Array.from(fit_seconds), hidden_during);
        doc.set_workload_quality(quality);
        resultChanged(page, workload);
        keepSweep(workload, doc.to_json(), level);
        const row = rows.get(threads);
        row.bar.value = 1;
        row.note.textContent = `${formatSeconds(doc.view().points.find((p) => p.threads === threads).median_seconds)} s`;
      },
    },
    { backend: page.backend, file: tableFile(page) },
  );
  const outcome = await follow(page, workload, sweep, {
    done: () => `Done: the ${step.name} (${level}), ${answerWords(doc.view(), doc.derived()) ?? pointsText(finished)}; ${qualityWords(doc.view())}.`,
    error(error) {
      rows.get(error.threads).note.textContent = "failed";
      return `The ${step.name} stopped at ${error.threads} ${error.threads === 1 ? "thread" : "threads"} (shown above): ${pointsText(finished)} of ${total} kept.`;
    },
    cancelled: () => `Cancelled the ${step.name}: ${pointsText(finished)} of ${total} finished.`,
  });
  plan.free();
  return outcome;
}

/** The parallel levels, in the order "Run all three levels" runs them. */
const LEVELS = ["outer", "inner", "both"];

/**
 * Runs the step's sweep at each parallel level in turn, one series each on its chart, so the
 * three can be compared at a glance; stops at the first that does not finish. The parallel
 * field holds each level while it runs, then what it held before.
 */
export async function runAllLevels(page, workload) {
  const step = page.sequels.get(workload);
  const field = page.form.elements.namedItem("parallel");
  if (page.store.state.running || !step) return;
  const held = field.value;
  try {
    for (const level of LEVELS) {
      field.value = level;
      if ((await runSequel(page, workload)) !== "done") return;
    }
    setState(page, workload, "done", `Done: the ${step.name} at all three levels (${LEVELS.join(", ")}), one series each on the chart.`);
  } finally {
    field.value = held;
    refreshLink(page);
  }
}

/**
 * Sets the steps up before the form reads the link: their results panels, the grid's default
 * (`grid`: the engine's grid of a grid search, from page-defaults.json) and a field for each
 * `grid_<param>` of the link.
 */
export function setupSequels(page, grid) {
  const $ = (id) => document.getElementById(id);
  page.sequels = new Map(
    STEPS.map((step) => [
      step.workload,
      {
        ...step,
        run: $(`${step.key}-run`),
        runAll: $(`${step.key}-run-all`),
        cancel: $(`${step.key}-cancel`),
        progress: $(`${step.key}-progress`),
        status: $(`${step.key}-status`),
        code: $(`py-${step.key}`),
      },
    ]),
  );
  for (const step of page.sequels.values()) {
    page.cancelButtons[step.workload] = step.cancel;
    page.panels[step.workload] = createPanel(page, step.workload, stepResults(step.key, step.name), {
      quality: (parts, view) => {
        parts.quality.textContent = qualityText(view);
      },
    });
  }
  const fields = $("grid-fields");
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
    if (input) input.value = input.defaultValue = values.join(",");
  }
  for (const step of page.sequels.values()) {
    step.run.addEventListener("click", () => runSequel(page, step.workload));
    step.runAll.addEventListener("click", () => runAllLevels(page, step.workload));
    step.cancel.addEventListener("click", () => page.store.state.running?.sweep.cancel());
  }
  page.form.addEventListener("input", () => refreshSequelsPython(page));
  page.store.subscribe(["ready", "running", "status"], (state) => renderSteps(page, state));
}

/** Once the form holds the link: writes the Python. */
export function showSequels(page) {
  refreshSequelsPython(page);
}

/** Runs what the link names (`workload=…&autorun=1`): the sweep of step 5 (`fit`) or a sequel's. */
export function runLinkedWorkload(page, runFitSweep) {
  const linkedWorkload = page.linkedWorkload;
  if (linkedWorkload === null || linkedWorkload === "fit") return runFitSweep();
  if (page.sequels.has(linkedWorkload)) return runSequel(page, linkedWorkload);
  // A workload the engine does not know: its words, naming the parameter.
  try {
    page.engine.check_experiment({ workload: linkedWorkload }).free();
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
 */
export function workloadNote(page, doc) {
  const own = page.document?.workload_label();
  const theirs = doc.workload_label();
  if (!own || own === theirs) return null;
  return `Times ${theirs}, not ${own} as this page's result does: the chart labels each series with what it times.`;
}
