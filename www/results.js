// The page's results: the document it holds (an engine ResultsDocument), shown as the table,
// the quality figures, the headline figure, the JSON and the chart, with the overlaid results
// of other devices. Rendering itself is results-view.js's.

import { device } from "./device.js";
import { isDark } from "./theme.js";
import { setProblem } from "./status.js";
import {
  dataLine,
  drawChart,
  renderComparison,
  renderJson,
  renderQuality,
  renderSpeedup,
  renderTable,
} from "./results-view.js";

/** A new document for `plan`, without points, created now on this device. */
export function emptyDocument(page, plan) {
  return new page.engine.ResultsDocument(
    "wasm",
    new Date().toISOString(),
    device(page.ui.deviceLabel),
    plan,
  );
}

/** Whether the page's document holds a point. */
export function hasPoints(page) {
  return page.document?.has_points() ?? false;
}

/** Draws the page's document and the overlaid ones, with the words and table comparing them. */
export function redrawChart(page) {
  const { engine, ui } = page;
  if (!engine || page.document === null) return;
  const documents = [page.document, ...(page.overlays?.documents() ?? [])];
  const sources = ["", ...(page.overlays?.names() ?? [])];
  const comparison = engine.ResultsDocument.comparison(
    documents.map((doc) => doc.copy()),
    sources,
  );
  renderComparison(
    {
      notes: document.getElementById("chart-notes"),
      box: document.getElementById("comparison"),
      table: document.getElementById("comparison-table"),
    },
    comparison,
    documents.some((doc) => doc.has_points()),
  );
  try {
    ui.chart.setAttribute(
      "aria-label",
      drawChart(engine.ResultsDocument.draw_chart, ui.chart, documents, isDark(), sources),
    );
    setProblem(page, "chart", null);
  } catch (error) {
    // Before the first point there is nothing to show; a failure then is not worth an alert.
    if (documents.some((doc) => doc.has_points())) setProblem(page, "chart", `Chart: ${error.message}`);
    else ui.chart.getContext("2d").clearRect(0, 0, ui.chart.width, ui.chart.height);
  }
}

/** Makes `doc` the page's document (freeing the one it replaces) and shows it; returns its view. */
export function showDocument(page, doc) {
  if (page.document !== doc) page.document?.free();
  page.document = doc;
  const { ui } = page;
  const view = doc.view();
  const derived = doc.derived();
  renderJson(ui.json, view);
  renderTable(ui.tableBody, view, derived);
  renderQuality(ui.quality, view, derived, page.totalNodes);
  renderSpeedup(ui.speedup, ui.speedupCaption, view, derived);
  ui.resultsData.textContent = dataLine(view);
  redrawChart(page);
  return view;
}

/** Redraws the chart when its size or the screen's pixel ratio changes, once per frame. */
export function setupChartResize(page) {
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      redrawChart(page);
    });
  };
  new ResizeObserver(schedule).observe(page.ui.chart);
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
