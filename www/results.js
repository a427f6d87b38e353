// The steps' results. Each step that sweeps (5 fit, 6 cross-validation, 7 grid search) owns its
// last result in the page's store (`results[step]`): the engine ResultsDocument shown in its
// table, JSON, downloads and link, and the documents its chart draws. A panel (the step's
// elements named by data-part) renders its own step's result whenever the store announces it;
// step 4's headline renders step 5's only. Rendering itself is results-view.js's.

import { device } from "./device.js";
import { isDark } from "./theme.js";
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
} from "./results-view.js";

/**
 * @typedef {object} StepResult
 * @property {any} document the ResultsDocument shown (table, JSON, downloads, link)
 * @property {Map<string, any> | null} levels a sequel's documents by parallel level (its chart
 *   draws them all; they include `document`), or null for step 5
 * @property {number | null} totalNodes nodes of the last forest fitted (not in the document)
 * @property {string | null} restored how a result kept in this browser is named after a reload
 */

/** A new document for `plan`, without points, created now on this device. */
export function emptyDocument(page, plan, backend = page.backend) {
  const doc = new page.engine.ResultsDocument(
    "wasm",
    new Date().toISOString(),
    device(page.ui.deviceLabel),
    plan,
  );
  doc.set_backend(backend);
  return doc;
}

/** The step's last result (StepResult), or null. */
export function stepResult(page, step) {
  return page.store.state.results[step] ?? null;
}

/** The document a step shows (null before it has one). */
export function stepDocument(page, step) {
  return stepResult(page, step)?.document ?? null;
}

/**
 * Makes `result` the step's last result and announces it. Step 5's document it replaces is
 * freed; a sequel's level documents are freed by sequels.js, which replaces them one level at a
 * time.
 */
export function setResult(page, step, result) {
  const old = stepResult(page, step);
  if (old && !old.levels && old.document !== result.document) old.document.free();
  page.store.update({ results: { ...page.store.state.results, [step]: { ...result } } });
}

/** Announces that the step's document changed in place (a point was added). */
export function resultChanged(page, step, changes = {}) {
  setResult(page, step, { ...stepResult(page, step), ...changes });
}

/**
 * Until step 5 has a point, its document is the form's plan without points (its JSON says what a
 * run would time); a result with points stays until the next run.
 */
export function showPlan(page, plan) {
  if (page.store.state.running || stepDocument(page, "fit")?.has_points()) return;
  setResult(page, "fit", { document: emptyDocument(page, plan), levels: null, totalNodes: null, restored: null });
}

/** A step's results elements by their data-part, in camelCase (download-json → downloadJson). */
export function panelParts(root) {
  return Object.fromEntries(
    [...root.querySelectorAll("[data-part]")].map((el) => [
      el.dataset.part.replace(/-(\w)/g, (_, c) => c.toUpperCase()),
      el.dataset.part === "table" ? el.tBodies[0] : el,
    ]),
  );
}

/**
 * A step's results panel: renders the step's last result, and its chart (with `extra()`: the
 * overlaid documents, on step 5's, named by `extraNames()`: where each came from) when asked,
 * with the engine's words and table comparing them where the panel has room for them (parts
 * `notes`, `comparison`). `quality(parts, view, derived, result)` fills the step's quality
 * figures.
 */
export function createPanel(page, step, parts, { quality, extra = () => [], extraNames = () => [] }) {
  let shown = null;
  const panel = {
    step,
    parts,
    /** Draws the chart (the theme or the size changed, or an overlay came). */
    redraw() {
      const result = stepResult(page, step);
      const own = [...(result?.levels?.values() ?? (result ? [result.document] : []))];
      const documents = [...own, ...extra()];
      const sources = [...own.map(() => ""), ...extraNames()];
      const drawn = documents.some((doc) => doc.has_points());
      if (parts.notes) {
        const comparison = drawn
          ? page.engine.ResultsDocument.comparison(
              documents.map((doc) => doc.copy()),
              sources,
            )
          : { caption: [], columns: [], rows: [] };
        renderComparison(parts, comparison, drawn);
      }
      // While the step runs its chart is on show from the start, so the first point lands in view.
      const running = page.store.state.running?.step === step;
      parts.empty.hidden = drawn || running;
      parts.figure.hidden = !drawn && !running;
      if (!drawn) {
        parts.chart.getContext("2d").clearRect(0, 0, parts.chart.width, parts.chart.height);
        return;
      }
      try {
        parts.chart.setAttribute(
          "aria-label",
          drawChart(page.engine.ResultsDocument.draw_chart, parts.chart, documents, isDark(), sources),
        );
        setProblem(page, "chart", null);
      } catch (error) {
        setProblem(page, "chart", `Chart: ${error.message}`);
      }
    },
    render(result) {
      if (result === shown) return;
      shown = result;
      const doc = result?.document;
      const view = doc?.view();
      const derived = doc?.derived();
      const points = view?.points.length > 0;
      parts.results.hidden = !points;
      parts.document.hidden = !points;
      parts.explain.hidden = !points;
      if (view) {
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
 */
export function showRunning(page, step) {
  const panel = page.panels[step];
  const actions = page.cancelButtons[step]?.closest(".actions");
  if (!panel || !actions) return;
  const top = actions.getBoundingClientRect().top;
  const bottom = panel.parts.figure.getBoundingClientRect().bottom;
  if (top < 0 || bottom > window.innerHeight) actions.scrollIntoView({ block: "start" });
}

/** Step 5's panel and step 4's headline, both from step 5's result only. */
export function setupFitResults(page) {
  const { ui } = page;
  page.panels.fit = createPanel(page, "fit", panelParts(document.querySelector('[data-step="fit"]')), {
    // A restored document carries its forest's nodes (coresweep-sweep/3).
    quality: (_, view, derived, result) =>
      renderQuality(ui.quality, view, derived, result.totalNodes ?? view.quality?.total_nodes ?? null),
    extra: () => page.overlays?.documents() ?? [],
    extraNames: () => page.overlays?.names() ?? [],
  });
  page.store.subscribe(["results"], (state) => {
    const doc = state.results.fit?.document;
    renderSpeedup(ui.speedup, ui.speedupCaption, doc ? doc.view() : { points: [] }, doc?.derived());
  });
}

/** Draws every step's chart again (the theme changed, or an overlay came or went). */
export function redrawCharts(page) {
  for (const panel of Object.values(page.panels)) panel.redraw();
}

/** Redraws a step's chart when its size or the screen's pixel ratio changes, once per frame. */
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
