// The steps' results. Each step that sweeps (5 fit, 6 cross-validation, 7 grid search) owns its
// last result in the page's store (`results[step]`): the engine ResultsDocument shown in its
// table, JSON, downloads and link, and the documents its chart draws. A panel (the step's
// elements named by data-part) renders its own step's result whenever the store announces it;
// step 4's headline renders step 5's only. Rendering itself is results-view.js's.

import { device } from "./device.js";
import { engineOf } from "./page.js";
import { isDark } from "./theme.js";
import { errorWords } from "./protocol.js";
import { setProblem } from "./status.js";
import {
  dataLine,
  drawChart,
  noiseCaveat,
  renderComparison,
  renderJson,
  renderQuality,
  renderSpeedup,
  renderTable,
  derivedOf,
  viewOf,
} from "./results-view.js";

/**
 * @typedef {import("./page.js").Page} Page
 * @typedef {import("./pkg/coresweep.js").ResultsDocument} ResultsDocument
 * @typedef {import("./pkg/coresweep.js").Plan} Plan
 * @typedef {import("./results-view.js").DocumentView} DocumentView
 * @typedef {import("./results-view.js").Derived} Derived
 */

/**
 * A step's results elements by their data-part, in camelCase; `table` is the table's body.
 * Only step 5's panel has the comparison (`notes`, `comparison`, `comparisonTable`) and `data`;
 * only the sequels' have `quality`.
 * @typedef {object} Parts
 * @property {HTMLCanvasElement} chart
 * @property {HTMLTableSectionElement} table
 * @property {HTMLTextAreaElement} json
 * @property {HTMLInputElement} resultLink
 * @property {HTMLButtonElement} copyResultLink
 * @property {HTMLButtonElement} downloadJson
 * @property {HTMLButtonElement} downloadCsv
 * @property {HTMLButtonElement} downloadPng
 * @property {HTMLElement} caveat
 * @property {HTMLElement} empty
 * @property {HTMLElement} figure
 * @property {HTMLElement} results
 * @property {HTMLElement} document
 * @property {HTMLElement} explain
 * @property {HTMLElement} restored
 * @property {HTMLElement} resultLinkNote
 * @property {HTMLElement} [notes]
 * @property {HTMLElement} [comparison]
 * @property {HTMLTableElement} [comparisonTable]
 * @property {HTMLElement} [data]
 * @property {HTMLElement} [quality]
 */

/**
 * A step's results panel (createPanel).
 * @typedef {object} Panel
 * @property {string} step
 * @property {Parts} parts
 * @property {() => void} redraw
 * @property {(result: StepResult | null) => void} render
 */

/**
 * @typedef {object} StepResult
 * @property {ResultsDocument} document the ResultsDocument shown (table, JSON, downloads, link)
 * @property {Map<string, ResultsDocument> | null} levels a sequel's documents by parallel level (its chart
 *   draws them all; they include `document`), or null for step 5
 * @property {number | null} totalNodes nodes of the last forest fitted (not in the document)
 * @property {string | null} restored how a result kept in this browser is named after a reload
 */

/**
 * A new document for `plan`, without points, created now on this device.
 * @param {Page} page
 * @param {Plan} plan
 * @param {string} backend
 */
export function emptyDocument(page, plan, backend = page.backend) {
  const doc = new (engineOf(page).ResultsDocument)(
    "wasm",
    new Date().toISOString(),
    device(page.ui.deviceLabel),
    plan,
  );
  doc.set_backend(backend);
  return doc;
}

/**
 * The step's last result, or null.
 * @param {Page} page
 * @param {string} step
 * @returns {StepResult | null}
 */
export function stepResult(page, step) {
  return page.store.state.results[step] ?? null;
}

/**
 * The document a step shows (null before it has one).
 * @param {Page} page
 * @param {string} step
 */
export function stepDocument(page, step) {
  return stepResult(page, step)?.document ?? null;
}

/**
 * Makes `result` the step's last result and announces it. Step 5's document it replaces is
 * freed; a sequel's level documents are freed by sequels.js, which replaces them one level at a
 * time.
 * @param {Page} page
 * @param {string} step
 * @param {StepResult} result
 */
export function setResult(page, step, result) {
  const old = stepResult(page, step);
  if (old && !old.levels && old.document !== result.document) old.document.free();
  page.store.update({ results: { ...page.store.state.results, [step]: { ...result } } });
}

/**
 * Announces that the step's document changed in place (a point was added).
 * @param {Page} page
 * @param {string} step
 * @param {Partial<StepResult>} changes
 */
export function resultChanged(page, step, changes = {}) {
  const result = stepResult(page, step);
  if (result) setResult(page, step, { ...result, ...changes });
}

/**
 * Until step 5 has a point, its document is the form's plan without points (its JSON says what a
 * run would time); a result with points stays until the next run.
 * @param {Page} page
 * @param {Plan} plan
 */
export function showPlan(page, plan) {
  if (page.store.state.running || stepDocument(page, "fit")?.has_points()) return;
  setResult(page, "fit", { document: emptyDocument(page, plan), levels: null, totalNodes: null, restored: null });
}

/**
 * A step's results elements by their data-part, in camelCase (download-json → downloadJson).
 * @param {ParentNode} root
 * @returns {Parts} as the page's HTML names them (index.html, #sequel-results)
 */
export function panelParts(root) {
  return /** @type {Parts} */ (
    Object.fromEntries(
      [...root.querySelectorAll("[data-part]")].map((el) => {
        const part = /** @type {HTMLElement} */ (el).dataset.part ?? "";
        return [
          part.replace(/-(\w)/g, (_, c) => c.toUpperCase()),
          el instanceof HTMLTableElement && part === "table" ? el.tBodies[0] : el,
        ];
      }),
    )
  );
}

/**
 * What a chart shows, to compare with what it showed: the step's result (a new object whenever
 * it changes), the overlaid documents and where each came from, the theme, and the canvas's size
 * in device pixels.
 * @param {HTMLCanvasElement} canvas
 * @param {StepResult | null} result
 * @param {ResultsDocument[]} overlaid
 * @param {string[]} sources
 * @param {boolean} dark
 * @returns {unknown[]}
 */
function chartContent(canvas, result, overlaid, sources, dark) {
  const { width, height } = canvas.getBoundingClientRect();
  return [result, ...overlaid, ...sources, dark, width, height, window.devicePixelRatio];
}

/**
 * @param {unknown[] | null} a
 * @param {unknown[]} b
 */
function sameContent(a, b) {
  return a !== null && a.length === b.length && a.every((item, i) => item === b[i]);
}

/**
 * A step's results panel: renders the step's last result, and its chart (with `extra()`: the
 * overlaid documents, on step 5's, named by `extraNames()`: where each came from) when asked,
 * with the engine's words and table comparing them where the panel has room for them (parts
 * `notes`, `comparison`). `quality(parts, view, derived, result)` fills the step's quality
 * figures.
 * @param {Page} page
 * @param {string} step
 * @param {Parts} parts
 * @param {{
 *   quality: (parts: Parts, view: DocumentView, derived: Derived, result: StepResult) => void,
 *   extra?: () => ResultsDocument[],
 *   extraNames?: () => string[],
 * }} how
 * @returns {Panel}
 */
export function createPanel(page, step, parts, { quality, extra = () => [], extraNames = () => [] }) {
  /** @type {StepResult | null} */
  let shown = null;
  /**
   * What the chart and the comparison show now (chartContent; [] without points), null before
   * the first redraw and after a chart that failed.
   * @type {unknown[] | null}
   */
  let drawnContent = null;
  const panel = {
    step,
    parts,
    /**
     * Draws the chart and the comparison (the result, the theme or the size changed, or an
     * overlay came) — only when what they show changed: a run's start and end announce the
     * same points again, and a chart costs the main thread more than anything else in a sweep.
     */
    redraw() {
      const result = stepResult(page, step);
      const own = [...(result?.levels?.values() ?? (result ? [result.document] : []))];
      const overlaid = extra();
      const documents = [...own, ...overlaid];
      const sources = [...own.map(() => ""), ...extraNames()];
      const drawn = documents.some((doc) => doc.has_points());
      const { engine } = page;
      if (!engine) return;
      // While the step runs its chart is on show from the start, so the first point lands in view.
      const running = page.store.state.running?.step === step;
      parts.empty.hidden = drawn || running;
      parts.figure.hidden = !drawn && !running;
      const dark = isDark();
      const shows = drawn ? chartContent(parts.chart, result, overlaid, sources, dark) : [];
      if (sameContent(drawnContent, shows)) return;
      drawnContent = shows;
      // The chart first: the comparison's words below it change the page's layout, which the
      // chart's size would read again.
      if (!drawn) {
        parts.chart.getContext("2d")?.clearRect(0, 0, parts.chart.width, parts.chart.height);
      } else {
        try {
          parts.chart.setAttribute(
            "aria-label",
            drawChart(engine.ResultsDocument.draw_chart, parts.chart, documents, dark, sources),
          );
          setProblem(page, "chart", null);
        } catch (error) {
          drawnContent = null;
          setProblem(page, "chart", `Chart: ${errorWords(error).message}`);
        }
      }
      const { notes, comparison: comparisonPart, comparisonTable } = parts;
      if (notes && comparisonPart && comparisonTable) {
        const comparison = drawn
          ? engine.ResultsDocument.comparison(
              documents.map((doc) => doc.copy()),
              sources,
            )
          : { caption: [], columns: [], rows: [] };
        renderComparison({ notes, comparison: comparisonPart, comparisonTable }, comparison, drawn);
      }
    },
    /** @param {StepResult | null} result */
    render(result) {
      if (result === shown) return;
      shown = result;
      const doc = result?.document;
      const view = doc ? viewOf(doc) : null;
      const points = (view?.points.length ?? 0) > 0;
      parts.results.hidden = !points;
      parts.document.hidden = !points;
      parts.explain.hidden = !points;
      if (result && doc && view) {
        const derived = derivedOf(doc);
        renderJson(parts.json, view);
        renderTable(parts.table, view, derived);
        quality(parts, view, derived, result);
        if (parts.data) parts.data.textContent = dataLine(view);
        const caveat = noiseCaveat(view, derived);
        parts.caveat.hidden = !caveat;
        parts.caveat.textContent = caveat ?? "";
      }
      parts.restored.hidden = !result?.restored;
      parts.restored.textContent = result?.restored ?? "";
      parts.resultLink.hidden = true;
      parts.resultLinkNote.textContent = "";
      panel.redraw();
    },
  };
  page.store.subscribe(["results"], (state) => panel.render(state.results[step] ?? null));
  page.store.subscribe(["running"], () => panel.redraw());
  return panel;
}

/**
 * Brings a step's run into view as it starts: its Run and Cancel at the top of the screen with
 * its chart below them (on a phone the two fit together), unless both are in view already.
 * @param {Page} page
 * @param {string} step
 */
export function showRunning(page, step) {
  const panel = page.panels[step];
  const actions = page.cancelButtons[step]?.closest(".actions");
  if (!panel || !actions) return;
  const top = actions.getBoundingClientRect().top;
  const bottom = panel.parts.figure.getBoundingClientRect().bottom;
  if (top < 0 || bottom > window.innerHeight) actions.scrollIntoView({ block: "start" });
}

/**
 * Step 5's panel and step 4's headline, both from step 5's result only.
 * @param {Page} page
 */
export function setupFitResults(page) {
  const { ui } = page;
  const step = document.querySelector('[data-step="fit"]');
  if (!step) throw new Error("the page has no step 5 ([data-step=fit])");
  page.panels.fit = createPanel(page, "fit", panelParts(step), {
    // A restored document carries its forest's nodes (coresweep-sweep/3).
    quality: (_, view, derived, result) =>
      renderQuality(ui.quality, view, derived, result.totalNodes ?? view.quality?.total_nodes ?? null),
    extra: () => page.overlays?.documents() ?? [],
    extraNames: () => page.overlays?.names() ?? [],
  });
  page.store.subscribe(["results"], (state) => {
    const doc = state.results.fit?.document;
    renderSpeedup(ui.speedup, ui.speedupCaption, doc ? viewOf(doc) : { points: [] }, doc ? derivedOf(doc) : undefined);
  });
}

/**
 * Runs the chart's code once, on a two-point copy of step 5's document drawn on a canvas that is
 * never shown, when the page is idle after it became ready: V8 compiles each wasm function on its
 * first call, on the thread that calls it, so the chart's code (the document's view, the
 * comparison, the drawing) would otherwise be compiled by the main thread during the first
 * sweep, at its first point — about 30 ms in Chromium, the largest cost a fresh page's first
 * sweep has that the next ones do not. Nothing to do when step 5 already shows points (drawn).
 * @param {Page} page
 */
export function warmUpChart(page) {
  const idle = window.requestIdleCallback ?? ((/** @type {() => void} */ run) => setTimeout(run, 0));
  idle(() => {
    const doc = stepDocument(page, "fit");
    const { engine } = page;
    // A sweep already running (a link's autorun) compiles the code as it draws.
    if (!engine || !doc || doc.has_points() || page.store.state.running) return;
    const warm = doc.copy();
    warm.add_point(1, Float64Array.of(2), false);
    warm.add_point(2, Float64Array.of(1), false);
    viewOf(warm);
    derivedOf(warm);
    engine.ResultsDocument.comparison([warm.copy()], [""]);
    // The chart's 16:9 at a laptop's width.
    const canvas = Object.assign(document.createElement("canvas"), { width: 640, height: 360 });
    engine.ResultsDocument.draw_chart(canvas, [warm], [""], isDark());
  });
}

/**
 * Draws every step's chart again (the theme changed, or an overlay came or went).
 * @param {Page} page
 */
export function redrawCharts(page) {
  for (const panel of Object.values(page.panels)) panel.redraw();
}

/**
 * Redraws a step's chart when its size or the screen's pixel ratio changes, once per frame.
 * @param {Page} page
 */
export function setupChartResize(page) {
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      if (page.engine) redrawCharts(page);
    });
  };
  const observer = new ResizeObserver(schedule);
  for (const panel of Object.values(page.panels)) observer.observe(panel.parts.chart);
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
