// The page: wires the form, the engine (the main thread's own, never-threaded instance of the
// wasm module: validation, the results document, the chart) and the sweep workers together.
// The UI thread only renders; every fit runs in a Worker.

import {
  applyQuery,
  clampCores,
  clearRawValue,
  queryFromForm,
  readForm,
  threadRange,
} from "./params.js";
import { coresSource, dataSource, fitSource, sweepSource } from "./python.js";
import { embedSnippet, isEmbedded, withoutEmbed } from "./embed.js";
import { documentCsv } from "./export.js";
import { setupOverlays } from "./overlays.js";
import { forgetSweep, keepSweep, savedSweep } from "./saved.js";
import { decodeResult, encodeResult, LINK_LIMIT } from "./share.js";
import { startSweep } from "./sweep-runner.js";
import { isDark, setupTheme } from "./theme.js";
import {
  drawChart,
  formatSeconds,
  renderJson,
  renderQuality,
  renderSpeedup,
  renderTable,
} from "./results-view.js";

const $ = (id) => document.getElementById(id);
const form = $("experiment");
const ui = {
  alert: $("alert"),
  cores: $("cores"),
  reserve: $("reserve"),
  threads: $("threads"),
  run: $("run"),
  cancel: $("cancel"),
  fitOne: $("fit-one"),
  fitOneProgress: $("fit-one-progress"),
  fitOneResult: $("fit-one-result"),
  status: $("status"),
  estimate: $("estimate"),
  progress: $("progress"),
  chart: $("chart"),
  tableBody: document.querySelector("#results-table tbody"),
  json: $("results-json"),
  speedup: $("speedup-figure"),
  speedupCaption: $("speedup-caption"),
  quality: { oob: $("quality-oob"), nodes: $("quality-nodes"), serial: $("quality-serial") },
  shareLink: $("share-link"),
  copyResultLink: $("copy-result-link"),
  resultLink: $("result-link"),
  resultLinkNote: $("result-link-note"),
  themeToggle: $("theme-toggle"),
  deviceLabel: $("device-label"),
  threadsOff: $("threads-off"),
  fullPageLink: $("full-page-link"),
  embedButton: $("embed-button"),
  embedSnippet: $("embed-snippet"),
  python: { cores: $("py-cores"), data: $("py-data"), fit: $("py-fit"), sweep: $("py-sweep") },
};

const isolated = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
const embedded = isEmbedded();
// Without isolation there is no shared memory: the single-threaded build runs 1 thread.
const SINGLE_WORKER_URL = new URL("./single-worker.js", import.meta.url);
const workerUrl = isolated ? undefined : SINGLE_WORKER_URL;

let engine = null; // the wasm module's exports, once loaded
let running = null; // {cancel} of the sweep or single fit in progress
let docJson = null; // the current results document (JSON text, as the engine reads and writes it)
let totalNodes = null; // total nodes of the last fitted forest (not part of the document)
// What the alert area shows, by source ("page", "isolation", "engine", "link", "chart",
// "overlay", "shared", "saved", "param", "sweep"), in the order they first appeared.
const problems = new Map();
let overlays = null; // results from other devices (files, shared links): {docs(), add(name, text)}
// How the last sweep kept in this browser is named among the results beside this page's.
const SAVED_NAME = "your last sweep in this browser";
// A result carried by the link's fragment; read before the form rewrites the address.
const sharedHash = location.hash;

// ---------- alert area, status, buttons ----------

/** Shows `message` for `source` in the alert area; null removes it. */
function setProblem(source, message) {
  if (message) problems.set(source, message);
  else problems.delete(source);
  renderAlert();
}

function renderAlert() {
  const lines = [...problems.values()];
  // Rewriting an alert makes screen readers announce it again: only write changes.
  if (lines.join("\n") === [...ui.alert.children].map((p) => p.textContent).join("\n")) return;
  ui.alert.replaceChildren(
    ...lines.map((text) => Object.assign(document.createElement("p"), { textContent: text })),
  );
}

function showParamProblem(error) {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const control = error?.param ? form.elements.namedItem(error.param) : null;
  if (control instanceof HTMLInputElement) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-errormessage", "alert");
  }
  setProblem("param", error?.message ?? null);
}

function setState(state, message) {
  ui.status.dataset.state = state;
  ui.status.textContent = message;
  const canRun = engine !== null && running === null;
  ui.run.disabled = !canRun;
  ui.fitOne.disabled = !canRun;
  ui.cancel.disabled = running === null;
}

// ---------- the form ----------

function refreshThreadsFromCores() {
  ui.threads.value = threadRange(ui.cores.value, ui.reserve.checked).join(",");
}

function refreshPython() {
  const values = readForm(form);
  ui.python.cores.textContent = coresSource(values, ui.reserve.checked);
  ui.python.data.textContent = dataSource(values);
  ui.python.fit.textContent = fitSource(values);
  ui.python.sweep.textContent = sweepSource(values);
}

/**
 * This page's address with `query` ("" or "?…"), absolute: on a path such as "//" a relative
 * "//?…" would name another host (and replaceState would throw, leaving the page loading).
 */
function pageUrl(query) {
  return `${location.origin}${location.pathname}${query}`;
}

function refreshLink() {
  const query = queryFromForm(form);
  const address = embedded ? `?${new URLSearchParams(query)}&embed=1`.replace("?&", "?") : query;
  history.replaceState(null, "", pageUrl(address));
  ui.shareLink.href = pageUrl(query);
  ui.fullPageLink.href = pageUrl(query);
  if (!ui.embedSnippet.hidden) showEmbedSnippet();
}

function showEmbedSnippet() {
  ui.embedSnippet.value = embedSnippet(
    pageUrl(""),
    queryFromForm(form),
  );
  ui.embedSnippet.hidden = false;
}

/** Validates the form with the engine; returns the plan, or null after showing the problem. */
function validate() {
  if (!engine) return null;
  try {
    // The device's RAM (GiB, where the browser tells) bounds the run as wasm's cap does.
    const values = { ...readForm(form), device_memory: navigator.deviceMemory ?? "" };
    const plan = engine.check_experiment(values);
    showParamProblem(null);
    // The single-threaded build has one thread, whatever the form asks for: so has its estimate.
    const runs = isolated ? plan : engine.check_experiment({ ...values, threads: "1" });
    showEstimate(runs.estimate);
    return runs;
  } catch (error) {
    showParamProblem(error);
    showEstimate(null);
    return null;
  }
}

/** The engine's estimate for the run (budget.rs), beside Run; a run of minutes is warned of. */
function showEstimate(estimate) {
  ui.estimate.hidden = !estimate;
  if (!estimate) return;
  const mib = Math.max(1, Math.round(estimate.memory_bytes / 2 ** 20));
  const memory = `about ${mib} MiB of memory per worker`;
  ui.estimate.dataset.warning = String(Boolean(estimate.warning));
  ui.estimate.textContent = estimate.warning
    ? `Before you run: ${estimate.warning}; ${memory}.`
    : `Estimated: one fit on 1 thread about ${formatSeconds(estimate.fit_seconds)} s; ${memory}.`;
}

function onFormInput(event) {
  const el = event.target;
  if (el === ui.cores || el === ui.reserve) refreshThreadsFromCores();
  if (el instanceof HTMLInputElement && el.type === "checkbox") clearRawValue(el);
  refreshPython();
  refreshLink();
  const plan = validate();
  if (plan && running === null && !hasPoints()) showDocument(emptyDocument(plan));
}

function setupForm() {
  ui.deviceLabel.placeholder = defaultDeviceLabel();
  const detected = clampCores(navigator.hardwareConcurrency);
  ui.cores.value = ui.cores.defaultValue = String(detected);
  refreshThreadsFromCores();
  ui.threads.defaultValue = ui.threads.value;
  const { autorun, unknown, given } = applyQuery(form, withoutEmbed(location.search));
  // A core count from the link without a thread list: the list follows it, as when typed.
  if (given.has("hardware_concurrency") && !given.has("threads")) refreshThreadsFromCores();
  if (unknown.length) {
    setProblem("link", `Not a parameter of this page, ignored: ${unknown.join(", ")}.`);
  }
  form.addEventListener("input", onFormInput);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runSweep();
  });
  refreshPython();
  refreshLink();
  return autorun;
}

// ---------- the results document ----------

/** "Chrome on Android, 8 cores": a default name for this device's results. */
function defaultDeviceLabel() {
  const ua = navigator.userAgent;
  const browser =
    [
      ["Firefox", /Firefox\//],
      ["Edge", /Edg\//],
      ["Chrome", /Chrome\//],
      ["Safari", /Safari\//],
    ].find(([, pattern]) => pattern.test(ua))?.[0] ?? "Browser";
  const platform =
    navigator.userAgentData?.platform ||
    [
      ["Android", /Android/],
      ["iOS", /iPhone|iPad/],
      ["macOS", /Mac OS X/],
      ["Windows", /Windows/],
      ["Linux", /Linux/],
    ].find(([, pattern]) => pattern.test(ua))?.[0];
  const cores = navigator.hardwareConcurrency ? `, ${navigator.hardwareConcurrency} cores` : "";
  return `${browser}${platform ? ` on ${platform}` : ""}${cores}`;
}

function device() {
  return {
    label: ui.deviceLabel.value.trim() || ui.deviceLabel.placeholder,
    user_agent: navigator.userAgent,
    hardware_concurrency: navigator.hardwareConcurrency ?? null,
    device_memory_gb: navigator.deviceMemory ?? null,
    cross_origin_isolated: globalThis.crossOriginIsolated === true,
  };
}

function emptyDocument(plan) {
  return engine.new_document("wasm", new Date().toISOString(), device(), plan.dataset, plan.forest);
}

function hasPoints() {
  return docJson !== null && JSON.parse(docJson).points.length > 0;
}

function redrawChart() {
  if (!engine || docJson === null) return;
  const docs = [docJson, ...(overlays?.docs() ?? [])].map((json) => JSON.parse(json));
  try {
    ui.chart.setAttribute("aria-label", drawChart(engine.draw_chart, ui.chart, docs, isDark()));
    setProblem("chart", null);
  } catch (error) {
    // Before the first point there is nothing to show; a failure then is not worth an alert.
    if (docs.some((doc) => doc.points.length)) setProblem("chart", `Chart: ${error.message}`);
    else ui.chart.getContext("2d").clearRect(0, 0, ui.chart.width, ui.chart.height);
  }
}

function showDocument(json) {
  docJson = json;
  const doc = JSON.parse(json);
  const derived = engine.derived(json);
  renderJson(ui.json, doc);
  renderTable(ui.tableBody, doc, derived);
  renderQuality(ui.quality, doc, derived, totalNodes);
  renderSpeedup(ui.speedup, ui.speedupCaption, doc, derived);
  redrawChart();
}

// ---------- running ----------

function progressRow(k) {
  const item = document.createElement("li");
  item.className = "progress-list__item";
  const label = Object.assign(document.createElement("span"), {
    className: "progress-list__label",
    textContent: `${k} ${k === 1 ? "thread" : "threads"}`,
  });
  const bar = Object.assign(document.createElement("progress"), {
    className: "progress",
    max: 1,
    value: 0,
  });
  bar.setAttribute("aria-label", `Progress with ${k} ${k === 1 ? "thread" : "threads"}`);
  const note = Object.assign(document.createElement("span"), {
    className: "progress-list__note",
    textContent: "waiting",
  });
  item.append(label, bar, note);
  return { item, bar, note };
}

/** Shows a fraction on a progress bar; null makes it indeterminate (the worker is still starting). */
function showFraction(bar, fraction) {
  if (fraction === null) bar.removeAttribute("value");
  else bar.value = fraction;
}

function pointsText(n) {
  return `${n} ${n === 1 ? "point" : "points"}`;
}

async function runSweep() {
  if (running) return;
  const plan = validate();
  if (!plan) {
    setState("error", "Nothing ran: fix the parameter named above.");
    return;
  }
  totalNodes = null;
  setProblem("sweep", null);
  showDocument(emptyDocument(plan));
  const rows = new Map(plan.threads.map((k) => [k, progressRow(k)]));
  ui.progress.replaceChildren(...[...rows.values()].map((r) => r.item));
  let finished = 0;

  const sweep = startSweep(plan, {
    start(k) {
      rows.get(k).note.textContent = "building the data";
      setState(
        "running",
        `Running ${k} ${k === 1 ? "thread" : "threads"} (${finished + 1} of ${plan.threads.length})…`,
      );
    },
    ready(k) {
      rows.get(k).note.textContent = plan.repeats > 1 ? `fit 1 of ${plan.repeats}` : "fitting";
    },
    fit({ threads, repeat, seconds }) {
      const next = repeat + 2;
      rows.get(threads).note.textContent =
        next <= plan.repeats ? `fit ${next} of ${plan.repeats}` : `${formatSeconds(seconds)} s`;
    },
    progress(k, fraction) {
      showFraction(rows.get(k).bar, fraction);
    },
    point({ threads, fit_seconds, oob_accuracy, total_nodes, hidden_during }) {
      finished += 1;
      totalNodes = total_nodes;
      const row = rows.get(threads);
      row.bar.value = 1;
      let json = engine.add_point(docJson, threads, Float64Array.from(fit_seconds), hidden_during);
      json = engine.set_quality(json, oob_accuracy ?? null);
      showDocument(json);
      keepSweep(json);
      row.note.textContent = `${formatSeconds(JSON.parse(json).points.at(-1).median_seconds)} s`;
    },
  }, workerUrl);
  await follow(sweep, {
    done: () => `Done: ${pointsText(finished)}.`,
    error(error) {
      rows.get(error.threads).note.textContent = "failed";
      return `Stopped by an error at ${error.threads} ${error.threads === 1 ? "thread" : "threads"} (shown above): ${pointsText(finished)} of ${plan.threads.length} kept.`;
    },
    cancelled: () => `Cancelled: ${pointsText(finished)} of ${plan.threads.length} finished.`,
  });
}

async function runOneFit() {
  if (running) return;
  const plan = validate();
  if (!plan) {
    setState("error", "Nothing ran: fix the parameter named above.");
    return;
  }
  let result = null;
  ui.fitOneResult.textContent = "";
  ui.fitOneProgress.hidden = false;
  showFraction(ui.fitOneProgress, null);
  const fit = startSweep(
    { ...plan, threads: [1], repeats: 1 },
    {
      start: () => setState("running", "Timing one fit on 1 core…"),
      progress: (_, fraction) => showFraction(ui.fitOneProgress, fraction),
      point(point) {
        result = point;
      },
    },
    workerUrl,
  );
  await follow(fit, {
    done() {
      const oob =
        result.oob_accuracy === null
          ? ""
          : `, out-of-bag accuracy ${result.oob_accuracy.toFixed(3)}`;
      ui.fitOneResult.textContent = `1 core: ${formatSeconds(result.fit_seconds[0])} s${oob}, ${result.total_nodes.toLocaleString("en")} nodes in all trees.`;
      return `Done: one fit on 1 core in ${formatSeconds(result.fit_seconds[0])} s.`;
    },
    cancelled: () => "Cancelled the one-core fit.",
  });
  ui.fitOneProgress.hidden = result === null;
}

/**
 * Waits for a sweep to end and shows how it ended; `messages` words the status ({done,
 * cancelled} and optionally error(e) for a failed point, whose message goes to the alert).
 */
async function follow(sweep, messages) {
  running = sweep;
  setState("running", ui.status.textContent);
  try {
    const outcome = await sweep.finished;
    running = null;
    setState(outcome, messages[outcome]());
  } catch (error) {
    running = null;
    if (error.threads === undefined || !messages.error) {
      showParamProblem(error);
      setState("error", "Stopped by an error (shown above).");
      return;
    }
    // A point failed once the parameters had passed: the finished points stay on show.
    setProblem("sweep", error.message);
    setState("error", messages.error(error));
  }
}

// ---------- downloads ----------

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  link.click();
  URL.revokeObjectURL(url);
}

function fileStem() {
  return `coresweep-${(JSON.parse(docJson).created ?? "").replace(/[:.]/g, "-")}`;
}

function setupDownloads() {
  $("download-json").addEventListener("click", () => {
    if (docJson !== null)
      download(new Blob([ui.json.value], { type: "application/json" }), `${fileStem()}.json`);
  });
  $("download-csv").addEventListener("click", () => {
    if (docJson === null) return;
    const csv = documentCsv(JSON.parse(docJson), engine.derived(docJson));
    download(new Blob([csv], { type: "text/csv" }), `${fileStem()}.csv`);
  });
  $("download-png").addEventListener("click", () => {
    if (docJson !== null)
      ui.chart.toBlob((blob) => blob && download(blob, `${fileStem()}.png`), "image/png");
  });
}

// ---------- share links ----------

/** The page's address with the current result in the fragment. */
async function resultLink() {
  return `${pageUrl("")}#${await encodeResult(docJson)}`;
}

function setupShare() {
  ui.copyResultLink.addEventListener("click", async () => {
    if (!hasPoints()) {
      ui.resultLinkNote.textContent = "Run the sweep first: the link carries its result.";
      return;
    }
    const link = await resultLink();
    ui.resultLink.value = link;
    ui.resultLink.hidden = false;
    const long = link.length > LINK_LIMIT ? " Some apps cut links this long." : "";
    try {
      await navigator.clipboard.writeText(link);
      ui.resultLinkNote.textContent = `Link copied (${link.length} characters).${long}`;
    } catch {
      ui.resultLink.select();
      ui.resultLinkNote.textContent = `Copy the link below (${link.length} characters).${long}`;
    }
  });
}

/** Shows a result carried by a link (#result=…) beside this device's. */
async function showSharedResult(hash) {
  try {
    const text = await decodeResult(hash);
    if (text === null) return;
    overlays.add("shared link", text);
    setProblem("shared", null);
    // Whoever opens a link came for that result: bring the chart into view.
    ui.chart.scrollIntoView({ block: "start" });
  } catch (error) {
    setProblem("shared", `Shared link refused: ${error.message}`);
  }
}

/** The last sweep kept in this browser (saved.js), shown again beside this page's results. */
function restoreSavedSweep() {
  const text = savedSweep();
  if (text === null) return;
  try {
    overlays.add(SAVED_NAME, text);
  } catch (error) {
    forgetSweep();
    setProblem("saved", `Your last sweep in this browser could not be read back: ${error.message}`);
  }
}

// ---------- chart sizing ----------

function setupChartResize() {
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      redrawChart();
    });
  };
  new ResizeObserver(schedule).observe(ui.chart);
  // A zoom or a move to another screen changes devicePixelRatio without resizing the element.
  const watchRatio = () => {
    matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener(
      "change",
      () => {
        schedule();
        watchRatio();
      },
      { once: true },
    );
  };
  watchRatio();
}

// ---------- start ----------

async function loadEngine() {
  const module = await import(isolated ? "./pkg/coresweep.js" : "./pkg-single/coresweep.js");
  await module.default();
  return module;
}

async function main() {
  setupTheme(ui.themeToggle, redrawChart);
  const autorun = setupForm();
  ui.cancel.addEventListener("click", () => running?.cancel());
  ui.fitOne.addEventListener("click", runOneFit);
  setupChartResize();
  setupDownloads();
  setupShare();
  overlays = setupOverlays({
    input: $("overlay-files"),
    dropZone: document.body,
    list: $("overlay-list"),
    parse(text) {
      if (!engine) throw new Error("the engine is still loading; try again in a moment");
      return engine.parse_document(text);
    },
    derived: (json) => engine.derived(json),
    changed: redrawChart,
    problem: (message) => setProblem("overlay", message),
  });
  ui.threadsOff.hidden = isolated;
  // Inside a blog's frame, links to the full page open beside the post, not inside the frame.
  if (embedded) Object.assign(ui.shareLink, { target: "_blank", rel: "noopener" });
  ui.embedButton.addEventListener("click", showEmbedSnippet);
  try {
    engine = await loadEngine();
  } catch (error) {
    setProblem("engine", `The WebAssembly engine did not load: ${error.message}`);
    setState("error", "The engine did not load (see above).");
    return;
  }
  const plan = validate();
  if (plan) showDocument(emptyDocument(plan));
  await showSharedResult(sharedHash);
  restoreSavedSweep();
  window.addEventListener("hashchange", () => showSharedResult(location.hash));
  setState("idle", isolated ? "Ready." : "Ready (1 thread only: see the note above).");
  performance.mark("coresweep-interactive");
  if (autorun) runSweep();
}

// Whatever fails while the page starts is said, not left as "Loading…" for ever.
main().catch((error) => {
  setProblem("page", `The page could not start: ${error?.message ?? error}`);
  setState("error", "The page could not start (see above).");
});
