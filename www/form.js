// The form and the address: the experiment's parameters as typed or linked, checked by the
// engine on every change, echoed as Python and as a link (params.js reads and writes the form).

import {
  addParameterFields,
  applyDefaults,
  applyFields,
  applyHints,
  applyQuery,
  clampCores,
  clearRawValue,
  queryFromForm,
  readForm,
  reserveSetAside,
  threadRange,
} from "./params.js";
import { coresSource, dataSource, fitSource, sweepSource, tableSource } from "./python.js";
import { checkExperiment, DataWait, tableChoice } from "./data.js";
import { embedSnippet, withoutEmbed } from "./embed.js";
import { defaultDeviceLabel } from "./device.js";
import { engineOf, pageUrl, parametersOf } from "./page.js";
import { showPlan } from "./results.js";
import { formatSeconds } from "./results-view.js";
import { setProblem, showParamProblem } from "./status.js";

/**
 * @typedef {import("./page.js").Page} Page
 *
 * The engine's estimate of a run (Plan.estimate, budget.rs): its memory per worker, the
 * sweep's and one fit's seconds, and a warning when it would take minutes or too much memory.
 * @typedef {{memory_bytes: number, sweep_seconds: number, fit_seconds: number, warning: string | null}} Estimate
 */

/** @param {Page} page */
function refreshThreadsFromCores({ ui }) {
  ui.threads.value = threadRange(ui.cores.value, ui.reserve.checked).join(",");
  ui.reserveNote.hidden = !reserveSetAside(ui.cores.value, ui.reserve.checked);
}

/** @param {Page} page */
function refreshPython(page) {
  const { form, ui } = page;
  const parameters = parametersOf(page);
  const values = readForm(form);
  const table = tableChoice(page);
  // On 2 cores the page keeps both (reserveSetAside): so does the Python.
  const reserved = ui.reserve.checked && !reserveSetAside(ui.cores.value, true);
  ui.python.cores.textContent = coresSource(values, reserved);
  ui.python.data.textContent = table ? tableSource(table) : dataSource(values, parameters);
  ui.python.fit.textContent = fitSource(values, parameters);
  ui.python.sweep.textContent = sweepSource(values, parameters, page.backend);
}

/**
 * Writes the form (and the sequel step last run) into the page's address and its links.
 * @param {Page} page
 */
export function refreshLink(page) {
  const { form, ui } = page;
  const query = withBackend(withWorkload(queryFromForm(form), page.linkedWorkload), page);
  const address = page.embedded ? `?${new URLSearchParams(query)}&embed=1`.replace("?&", "?") : query;
  history.replaceState(null, "", pageUrl(address));
  ui.shareLink.href = pageUrl(query);
  ui.fullPageLink.href = pageUrl(query);
  if (!ui.embedSnippet.hidden) showEmbedSnippet(page);
}

/**
 * `query` ("" or "?…") with `backend=…` last when the page runs another backend than its default.
 * @param {string} query
 * @param {Page} page
 */
function withBackend(query, { backend, isolated }) {
  if (backend === (isolated ? "threads" : "workers")) return query;
  return `?${[query.slice(1), `backend=${backend}`].filter(Boolean).join("&")}`;
}

/**
 * `query` ("" or "?…") with `workload=…` first, unless the workload is the fit or none.
 * @param {string} query
 * @param {string | null} workload
 */
function withWorkload(query, workload) {
  if (workload === null || workload === "fit") return query;
  return `?${[`workload=${encodeURIComponent(workload)}`, query.slice(1)].filter(Boolean).join("&")}`;
}

/**
 * Shows the <iframe> snippet that embeds the current experiment.
 * @param {Page} page
 */
export function showEmbedSnippet({ form, ui }) {
  ui.embedSnippet.value = embedSnippet(pageUrl(""), queryFromForm(form));
  ui.embedSnippet.hidden = false;
}

/**
 * The Embed button: shows the snippet and copies it, saying which it did.
 * @param {Page} page
 */
async function copyEmbedSnippet(page) {
  const { ui } = page;
  showEmbedSnippet(page);
  try {
    await navigator.clipboard.writeText(ui.embedSnippet.value);
    ui.embedNote.textContent = "Embed snippet copied: paste it into your blog post's HTML.";
  } catch {
    ui.embedSnippet.select();
    ui.embedNote.textContent = "Copy the embed snippet below (it is selected) into your blog post's HTML.";
  }
}

/**
 * Validates the form with the engine, on step 2's data; returns the plan, or null after showing
 * the problem (nothing to show while a file is still to be chosen or read: step 2 says so).
 * @param {Page} page
 */
export function validate(page) {
  const { engine, form } = page;
  if (!engine) return null;
  try {
    // The device's RAM (GiB, where the browser tells) bounds the run as wasm's cap does.
    // The backend too: on workers the data is counted once per worker.
    const values = { ...readForm(form), device_memory: navigator.deviceMemory ?? "", backend: page.backend };
    const plan = checkExperiment(page, values);
    showParamProblem(page, null);
    showEstimate(page.ui, plan.estimate);
    return plan;
  } catch (error) {
    const waiting = error instanceof DataWait;
    showParamProblem(page, waiting ? null : error);
    showEstimate(page.ui, null);
    page.dataWait = waiting ? error.message : null;
    return null;
  }
}

/**
 * The engine's estimate for the run (budget.rs), beside Run; a run of minutes is warned of.
 * @param {Page["ui"]} ui
 * @param {Estimate | null} estimate
 */
function showEstimate(ui, estimate) {
  ui.estimate.hidden = !estimate;
  if (!estimate) return;
  const mib = Math.max(1, Math.round(estimate.memory_bytes / 2 ** 20));
  const memory = `about ${mib} MiB of memory per worker`;
  ui.estimate.dataset.warning = String(Boolean(estimate.warning));
  const text = estimate.warning
    ? `Before you run: ${estimate.warning}; ${memory}.`
    : `Estimated: about ${formatSeconds(estimate.sweep_seconds)} s for the sweep (one fit on 1 thread: about ${formatSeconds(estimate.fit_seconds)} s), ${memory}.`;
  if (ui.estimate.textContent !== text) ui.estimate.textContent = text;
}

/**
 * @param {Page} page
 * @param {Event} event
 */
function onFormInput(page, event) {
  const { ui } = page;
  const el = event.target;
  // Step 2's file controls say when the data changed (experimentChanged), once it is read.
  if (el instanceof Element && el.closest("[data-page-controls]")) return;
  if (el === ui.cores || el === ui.reserve) refreshThreadsFromCores(page);
  if (el instanceof HTMLInputElement && el.type === "checkbox") clearRawValue(el);
  experimentChanged(page);
}

/**
 * After the parameters or the data changed: the Python, the link, the check, the empty result.
 * @param {Page} page
 */
export function experimentChanged(page) {
  refreshPython(page);
  refreshLink(page);
  const plan = validate(page);
  if (!plan) return;
  showPlan(page, plan);
  plan.free();
}

/**
 * Fills the form (the engine's defaults, detected cores, then the link's query), wires it, and
 * returns `{autorun, unknown}`: whether the link asks for the sweep to start at once, and the
 * keys it gives that name no control (refuseLinkKeys says what they are once the engine is
 * there); `submit()` runs when the form is submitted. Needs the engine's registry (page.parameters), not the engine: the page shows
 * the form, its link and its Python while the wasm loads.
 * @param {Page} page
 * @param {() => void} submit
 */
export function setupForm(page, submit) {
  const { form, ui } = page;
  const parameters = parametersOf(page);
  addParameterFields(form, ui.allParameters, parameters);
  applyDefaults(form, parameters);
  applyHints(form, parameters);
  ui.deviceLabel.placeholder = defaultDeviceLabel();
  const detected = clampCores(navigator.hardwareConcurrency);
  ui.cores.value = ui.cores.defaultValue = String(detected);
  refreshThreadsFromCores(page);
  ui.threads.defaultValue = ui.threads.value;
  const { autorun, unknown, given } = applyQuery(form, withoutEmbed(location.search));
  // A core count from the link without a thread list: the list follows it, as when typed.
  if (given.has("hardware_concurrency") && !given.has("threads")) refreshThreadsFromCores(page);
  form.addEventListener("input", (event) => onFormInput(page, event));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  ui.embedButton.addEventListener("click", () => copyEmbedSnippet(page));
  refreshPython(page);
  refreshLink(page);
  return { autorun, unknown };
}

/**
 * Says what the link named that is no parameter of the page, one line each, once the engine
 * is there: sklearn's parameters the engine lacks in the CLI's words ("not supported yet"),
 * other keys as ignored. Returns whether the link asked for such a parameter: it asks for
 * another experiment than the page would run, so it does not run on its own.
 * @param {Page} page
 * @param {string[]} unknown
 */
export function refuseLinkKeys(page, unknown) {
  const engine = engineOf(page);
  const refusals = unknown.map((name) => /** @type {const} */ ([name, engine.not_supported_parameter(name)]));
  setProblem(page, "link-keys", [
    ...refusals.flatMap(([, refusal]) => (refusal ? [refusal] : [])),
    ...refusals
      .filter(([, refusal]) => !refusal)
      .map(([name]) => `Not a parameter of this page, ignored: ${name}.`),
  ]);
  return refusals.some(([, refusal]) => refusal);
}

/**
 * Fills the form with the experiment a result records (`experiment_of`: its workload, backend,
 * every parameter, its grid, thread counts and repeats), the workload becoming the one the page
 * runs and links, the backend the one it runs on (threads only where the page is isolated).
 * Thread counts above the page's cores are left out (the page cannot run them): returns them
 * as `dropped`.
 * @param {Page} page
 * @param {import("./pkg/coresweep.js").ResultsDocument} document
 */
export function applyExperiment(page, document) {
  /** @type {[string, string][]} */
  const fields = engineOf(page).experiment_of(document);
  /** @param {string} name */
  const field = (name) => fields.find(([key]) => key === name)?.[1];
  const cores = Number(page.ui.cores.value);
  const threads = field("threads")?.split(",") ?? [];
  const runnable = threads.filter((k) => Number(k) <= cores);
  const dropped = threads.filter((k) => Number(k) > cores);
  applyFields(page.form, fields.filter(([name]) => name !== "threads"));
  if (threads.length) page.ui.threads.value = (runnable.length ? runnable : ["1"]).join(",");
  page.linkedWorkload = field("workload") ?? null;
  // The result's backend, where this page has it (threads need SharedArrayBuffer).
  const backend = field("backend");
  if (backend === "workers" || (backend === "threads" && page.isolated)) page.backend = backend;
  experimentChanged(page);
  return { dropped };
}
