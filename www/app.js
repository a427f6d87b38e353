// The page: creates its state (page.js) and hands it to each part — the form and the address
// (form.js), runs (runs.js), the results (results.js, overlays.js), sharing (sharing.js) — then
// loads the engine: the main thread's own, never-threaded instance of the wasm module
// (validation, the results document, the chart). The UI thread only renders; every fit runs in
// a Worker.

import { dataNote, setupData } from "./data.js";
import { compiledModule } from "./engine-modules.js";
import { setupDevices } from "./devices.js";
import { applyExperiment, experimentChanged, refuseLinkKeys, setupForm } from "./form.js";
import { setupOverlays } from "./overlays.js";
import { createPage, engineOf } from "./page.js";
import { errorWords } from "./protocol.js";
import { viewOf } from "./results-view.js";
import { redrawCharts, setupChartResize, setupFitResults, stepDocument, warmUpChart } from "./results.js";
import { runBoth, runOneFit, runSweep } from "./runs.js";
import {
  refreshSequelsPython,
  runLinkedWorkload,
  setupSequels,
  showSequels,
  workloadNote,
} from "./sequels.js";
import { restoreSavedSweeps, setupDownloads, setupShare, showSharedResult } from "./sharing.js";
import { setProblem, setState, setupStatus } from "./status.js";
import { setupTheme } from "./theme.js";

/** @typedef {import("./page.js").Page} Page */

const page = createPage();
// The Python sits beside the controls on wide screens: open there, folded on phones.
if (matchMedia("(min-width: 60rem)").matches) {
  for (const code of document.querySelectorAll("details[data-code]")) {
    if (code instanceof HTMLDetailsElement) code.open = true;
  }
}
// A result carried by the link's fragment; read before the form rewrites the address.
const sharedHash = location.hash;

async function loadEngine() {
  const module = await import(page.build === "threaded" ? "./pkg/coresweep.js" : "./pkg-single/coresweep.js");
  // The module compiled once: the sweeps' workers get the same (engine-modules.js).
  await module.default({ module_or_path: await compiledModule(page.build) });
  return module;
}

/** The engine's registry and default grid, written by the build (scripts/page-defaults.mjs). */
async function loadDefaults() {
  const response = await fetch(new URL("./pkg/page-defaults.json", import.meta.url));
  if (!response.ok) throw new Error(`www/pkg/page-defaults.json: ${response.status}`);
  return response.json();
}

/**
 * The backend a link asks for (`backend=threads|workers`, read with the engine's words), where
 * the page can run it: threads need SharedArrayBuffer, so a link asking for them elsewhere is
 * told so and runs on workers.
 * @param {Page} page
 */
function chooseBackend(page) {
  const asked = page.askedBackend;
  if (asked === null) return;
  try {
    const backend = engineOf(page).check_backend(asked);
    if (backend === "threads" && !page.isolated) {
      setProblem(page, "link", "backend: threads need SharedArrayBuffer, which this page does not have (see the note above): the sweep runs on workers");
      return;
    }
    if (backend === "threads" || backend === "workers") page.backend = backend;
  } catch (error) {
    setProblem(page, "link", errorWords(error).message);
  }
}

/**
 * Step 5's choice of backend: threads only where the page has them; a change rewrites the
 * Python (joblib's words) and the link. "Run both" sweeps each in turn.
 * @param {Page} page
 */
function setupBackendChoice(page) {
  const { ui } = page;
  for (const radio of ui.backendChoice.querySelectorAll("input")) {
    const backend = radio.value;
    if (backend !== "threads" && backend !== "workers") throw new Error(`no backend ${backend}`);
    radio.checked = backend === page.backend;
    if (backend === "threads") radio.disabled = !page.isolated;
    radio.addEventListener("change", () => {
      page.backend = backend;
      experimentChanged(page);
      refreshSequelsPython(page);
    });
  }
  ui.runBoth.hidden = !page.isolated;
  ui.runBoth.addEventListener("click", () => runBoth(page));
}

async function main() {
  const { ui } = page;
  // The wasm (the largest file by far) is fetched and compiled while the form is filled from
  // the small defaults file: the page is readable before the engine is there.
  const engineLoading = loadEngine();
  engineLoading.catch(() => {}); // awaited below; said there when it fails
  setupStatus(page);
  setupFitResults(page);
  setupDevices(page);
  ui.cancel.addEventListener("click", () => page.store.state.running?.sweep.cancel());
  ui.fitOne.addEventListener("click", () => runOneFit(page));
  page.overlays = setupOverlays({
    input: ui.overlayFiles,
    dropZone: document.body,
    list: ui.overlayList,
    checkLength: (bytes) => page.engine?.ResultsDocument.check_length(bytes),
    parse(text) {
      if (!page.engine) throw new Error("the engine is still loading; try again in a moment");
      return page.engine.ResultsDocument.from_json(text);
    },
    changed: () => page.panels.fit.redraw(),
    problem: (message) => setProblem(page, "overlay", message),
    differs: (doc) => [workloadNote(page, doc), dataNote(page, doc)].filter(Boolean).join(" ") || null,
    runLike: (doc) => runSameExperiment(page, doc),
  });
  ui.threadsOff.hidden = page.isolated;
  ui.threadsOffCause.textContent = page.threadsOff ?? "";
  // Inside a blog's frame, links to the full page open beside the post, not inside the frame.
  if (page.embedded) Object.assign(ui.shareLink, { target: "_blank", rel: "noopener" });
  const defaults = await loadDefaults();
  page.parameters = defaults.parameters;
  setupSequels(page, defaults.grid);
  setupTheme(ui.themeToggle, () => redrawCharts(page));
  setupChartResize(page);
  for (const [step, panel] of Object.entries(page.panels)) {
    setupDownloads(panel.parts, () => stepDocument(page, step));
    setupShare(panel.parts, () => stepDocument(page, step));
  }
  const { autorun, unknown } = setupForm(page, () => runSweep(page));
  performance.mark("coresweep-form");
  try {
    page.engine = await engineLoading;
  } catch (error) {
    setProblem(page, "engine", `The WebAssembly engine did not load: ${errorWords(error).message}`);
    setState(page, "fit", "error", "The engine did not load (see above).");
    return;
  }
  chooseBackend(page);
  setupBackendChoice(page);
  setupData(page, () => {
    experimentChanged(page);
    refreshSequelsPython(page);
  });
  // The plan, and the Python and the link of the backend a link may have chosen.
  experimentChanged(page);
  refreshSequelsPython(page);
  restoreSavedSweeps(page);
  await showSharedResult(page, sharedHash);
  window.addEventListener("hashchange", () => showSharedResult(page, location.hash));
  page.store.update({ ready: true });
  setState(page, "fit", "idle", page.backend === "workers" ? "Ready (on workers: see the note above)." : "Ready.");
  showSequels(page);
  warmUpChart(page);
  performance.mark("coresweep-interactive");
  const refused = refuseLinkKeys(page, unknown);
  if (autorun && !refused) runLinkedWorkload(page, () => runSweep(page));
}

/**
 * "Run the same experiment here": fills the form with an overlaid result's experiment and runs
 * it, so that the two series compare like with like. A result fitted on a table needs that
 * file again: the page names it (name, shape, SHA-256) and waits for it in step 2.
 * @param {Page} page
 * @param {import("./pkg/coresweep.js").ResultsDocument} doc
 */
function runSameExperiment(page, doc) {
  if (page.store.state.running) return;
  const { dropped } = applyExperiment(page, doc);
  const notes = dropped.length
    ? [`Thread counts ${dropped.join(", ")} of that result are more than this device's ${page.ui.cores.value} logical cores: left out.`]
    : [];
  const { table } = viewOf(doc);
  // Step 2 follows the result's data: make_classification's, or a table to choose again.
  (table ? page.ui.dataSourceFile : page.ui.dataSourceMake).click();
  if (table) {
    notes.push(
      `To run that result's experiment here, choose its table in step 2: ${table.name} (${table.n_rows} rows × ${table.n_features} features, SHA-256 ${table.sha256}), then Run.`,
    );
  }
  setProblem(page, "like", notes);
  if (!table) runLinkedWorkload(page, () => runSweep(page));
}

// Whatever fails while the page starts is said, not left as "Loading…" for ever.
main().catch((error) => {
  setProblem(page, "page", `The page could not start: ${error?.message ?? error}`);
  setState(page, "fit", "error", "The page could not start (see above).");
});
