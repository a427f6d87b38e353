// Shows a results document (coresweep-sweep/2; /1 still read): the table, the quality figures, the
// one-core-vs-all-but-one figure, the JSON, and the chart drawn by the engine (plotters-canvas).
// Documents come as plain views (ResultsDocument.view()); numbers derived from them (speed-up,
// efficiency, serial fraction) come from the engine's `derived()`, so the page and the CLI
// report the same values.

/**
 * A results document as ResultsDocument.view() gives it: the shape of its JSON (the fields the
 * page reads; the engine's schema, src/sweep/document.rs, has them all).
 * @typedef {object} DocumentView
 * @property {string} schema
 * @property {string} engine "wasm" or "native"
 * @property {string} created ISO 8601
 * @property {{label: string, user_agent: string | null, hardware_concurrency: number | null,
 *   device_memory_gb: number | null, cross_origin_isolated: boolean | null}} device
 * @property {Record<string, unknown> | null} dataset make_classification's parameters (null on a table)
 * @property {Record<string, unknown>} forest
 * @property {{name: string, n_rows: number, n_features: number, sha256: string, target: string} | null} [table]
 * @property {{kind: string, parallel?: string} | null} [workload]
 * @property {string | null} [backend]
 * @property {Point[]} points
 * @property {Quality | null} quality
 * @typedef {{threads: number, fit_seconds: number[], median_seconds: number, hidden_during?: boolean}} Point
 * @typedef {object} Quality
 * @property {number | null} [oob_accuracy]
 * @property {number | null} [holdout_accuracy]
 * @property {number | null} [total_nodes]
 * @property {number[]} [cv_scores]
 * @property {number} [cv_mean_score]
 * @property {Record<string, unknown>} [best_params]
 * @property {number} [best_score]
 *
 * What ResultsDocument.derived() gives: speed-up and efficiency per thread count, and Amdahl's
 * serial fraction fitted to the points (null below two points).
 * @typedef {{speedups: [number, number][], efficiencies: [number, number][], serial_fraction: number | null}} Derived
 *
 * @typedef {import("./pkg/coresweep.js").ResultsDocument} ResultsDocument
 */

/**
 * The document's view (the engine types it as any: this is its shape).
 * @param {ResultsDocument} doc
 * @returns {DocumentView}
 */
export function viewOf(doc) {
  return doc.view();
}

/**
 * What the engine derives from the document's points.
 * @param {ResultsDocument} doc
 * @returns {Derived}
 */
export function derivedOf(doc) {
  return doc.derived();
}

/**
 * Seconds with as many decimals as a person needs to compare them.
 * @param {number} seconds
 */
export function formatSeconds(seconds) {
  if (seconds >= 100) return seconds.toFixed(0);
  if (seconds >= 10) return seconds.toFixed(1);
  if (seconds >= 1) return seconds.toFixed(2);
  return seconds.toFixed(3);
}

/** @param {number} ratio */
function formatRatio(ratio) {
  return `${ratio.toFixed(ratio >= 10 ? 0 : 1)}×`;
}

/** @param {number} fraction */
function formatPercent(fraction) {
  return `${Math.round(fraction * 100)} %`;
}

/**
 * @param {[number, number][]} pairs
 * @param {number} threads
 */
function lookup(pairs, threads) {
  return pairs.find(([k]) => k === threads)?.[1];
}

/**
 * @template {"td" | "th" | "span" | "li"} Tag
 * @param {Tag} tag
 * @param {string} text
 */
function cell(tag, text) {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

/**
 * The median; a note when the page was hidden during the point (its fits may have been slowed).
 * @param {Point} point
 */
function medianCell(point) {
  const td = cell("td", formatSeconds(point.median_seconds));
  if (point.hidden_during) {
    const note = cell("span", " (page hidden: may be slow)");
    note.className = "table-note";
    td.append(note);
  }
  return td;
}

/**
 * The repeats' spread, (slowest − fastest) / median, in percent: "±0 %" means one repeat.
 * @param {Point} point
 */
function spreadText(point) {
  const times = point.fit_seconds;
  if (times.length < 2) return "one run";
  const spread = (Math.max(...times) - Math.min(...times)) / point.median_seconds;
  return `${Math.round(spread * 100)} %`;
}

/**
 * One row per point: threads, median, min, max (seconds), spread, speed-up, efficiency.
 * @param {HTMLTableSectionElement} tbody
 * @param {DocumentView} doc
 * @param {Derived} derived
 */
export function renderTable(tbody, doc, derived) {
  const rows = doc.points.map((point) => {
    const row = document.createElement("tr");
    const speedup = lookup(derived.speedups, point.threads);
    const efficiency = lookup(derived.efficiencies, point.threads);
    const threads = cell("th", String(point.threads));
    threads.scope = "row";
    row.append(
      threads,
      medianCell(point),
      cell("td", formatSeconds(Math.min(...point.fit_seconds))),
      cell("td", formatSeconds(Math.max(...point.fit_seconds))),
      cell("td", spreadText(point)),
      cell("td", speedup === undefined ? "—" : formatRatio(speedup)),
      cell("td", efficiency === undefined ? "—" : formatPercent(efficiency)),
    );
    return row;
  });
  tbody.replaceChildren(...rows);
}

/**
 * Model quality beside the timings: out-of-bag accuracy, total nodes, Amdahl's serial fraction.
 * @param {{oob: HTMLElement, nodes: HTMLElement, serial: HTMLElement}} els
 * @param {DocumentView} doc
 * @param {Derived} derived
 * @param {number | null} totalNodes
 */
export function renderQuality(els, doc, derived, totalNodes) {
  const oob = doc.quality?.oob_accuracy;
  els.oob.textContent = oob === null || oob === undefined ? "—" : oob.toFixed(3);
  els.nodes.textContent = totalNodes === null ? "—" : totalNodes.toLocaleString("en");
  const serial = derived.serial_fraction;
  els.serial.textContent = serial === null || serial === undefined ? "—" : formatPercent(serial);
}

/**
 * "4.7× faster"; tiny workloads can be slower on more threads (starting them costs more than they save).
 * @param {number} speedup
 */
function speedupWords(speedup) {
  if (speedup >= 1.05) return `${speedup.toFixed(1)}× faster`;
  if (speedup <= 1 / 1.05) return `${(1 / speedup).toFixed(1)}× slower`;
  return "same speed";
}

/**
 * What the document was fitted on, in a line: the user's table (name, shape, target, the start of
 * its SHA-256) or make_classification's shape.
 * @param {DocumentView} doc
 */
export function dataLine(doc) {
  const table = doc.table;
  if (table) {
    const shape = `${table.n_rows.toLocaleString("en")} rows × ${table.n_features} features`;
    return `Fitted on ${table.name} (${shape}, target "${table.target}", SHA-256 ${table.sha256.slice(0, 12)}…).`;
  }
  const { n_samples, n_features } = doc.dataset ?? {};
  return typeof n_samples === "number"
    ? `Fitted on make_classification's ${n_samples.toLocaleString("en")} rows × ${n_features} features.`
    : "";
}

/**
 * Words for a sweep that measured noise rather than the forest: a speed-up above the ideal (k
 * threads more than k times faster) or a point slower than one with fewer threads. null when
 * the points look like a quiet machine's.
 * @param {DocumentView} doc
 * @param {Derived} derived
 */
export function noiseCaveat(doc, derived) {
  const points = [...doc.points].sort((a, b) => a.threads - b.threads);
  // 5 % over the ideal: one repeat's jitter on a quiet machine stays below it.
  const beyond = points.filter((p) => (lookup(derived.speedups, p.threads) ?? 0) > p.threads * 1.05);
  const slower = points.filter((p, i) => i > 0 && p.median_seconds > points[i - 1].median_seconds * 1.05);
  if (!beyond.length && !slower.length) return null;
  const what = beyond.length
    ? `${beyond[0].threads} threads came out more than ${beyond[0].threads}× faster than 1, beyond the ideal`
    : `${slower[0].threads} threads took longer than ${points[points.indexOf(slower[0]) - 1].threads}`;
  const repeats = Math.min(...points.map((p) => p.fit_seconds.length));
  const more = repeats < 3 ? " with 3 or more repeats" : "";
  return `This machine was busy: ${what}, which more cores cannot do by themselves — other programs (or the browser) took cores while it was timed. Run again${more}, with other programs closed.`;
}

/**
 * "2 threads, 2.1× faster than 1": the answer of a sweep, for its status line; null without one.
 * @param {DocumentView} doc
 * @param {Derived} derived
 */
export function answerWords(doc, derived) {
  const points = [...doc.points].sort((a, b) => a.threads - b.threads);
  const most = points.at(-1);
  const speedup = most && most.threads > 1 ? lookup(derived.speedups, most.threads) : undefined;
  if (most === undefined || speedup === undefined) return null;
  const words = speedupWords(speedup);
  return `${most.threads} threads, ${words}${words === "same speed" ? " as" : " than"} ${points[0].threads}`;
}

/**
 * The tutorial's headline: one core against the most threads of the sweep.
 * @param {HTMLElement} figure
 * @param {HTMLElement} caption
 * @param {Pick<DocumentView, "points">} doc
 * @param {Derived | undefined} derived
 */
export function renderSpeedup(figure, caption, doc, derived) {
  const points = [...doc.points].sort((a, b) => a.threads - b.threads);
  const most = points.at(-1);
  const speedup = most && most.threads > 1 && derived ? lookup(derived.speedups, most.threads) : undefined;
  if (most === undefined || speedup === undefined) {
    figure.textContent = "—";
    caption.textContent = points.length
      ? "Needs a point with more than one thread."
      : "Run the sweep to see it.";
    return;
  }
  const one = points[0].threads === 1 ? points[0] : null;
  figure.textContent = speedupWords(speedup);
  caption.textContent = one
    ? `1 core: ${formatSeconds(one.median_seconds)} s → ${most.threads} cores: ${formatSeconds(most.median_seconds)} s`
    : `${most.threads} cores: ${formatSeconds(most.median_seconds)} s (one core estimated from ${points[0].threads} threads)`;
}

/**
 * The document as the textarea shows it: indented JSON.
 * @param {HTMLTextAreaElement} textarea
 * @param {DocumentView} doc
 */
export function renderJson(textarea, doc) {
  textarea.value = JSON.stringify(doc, null, 2);
}

/**
 * Sizes the canvas for the screen (plotters-canvas draws in canvas pixels and knows nothing of
 * devicePixelRatio) and draws the documents (engine ResultsDocuments) with the engine's
 * `drawInWasm`, which takes over what it is given: it gets copies. `sources` says where each
 * came from (a file's name; "" for this page's), which names apart documents of one label.
 * Returns a short text alternative.
 * @param {(canvas: HTMLCanvasElement, documents: ResultsDocument[], sources: string[], dark: boolean) => void} drawInWasm
 * @param {HTMLCanvasElement} canvas
 * @param {ResultsDocument[]} documents
 * @param {boolean} dark
 * @param {string[]} sources
 */
export function drawChart(drawInWasm, canvas, documents, dark, sources = []) {
  const dpr = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const width = Math.max(1, Math.round(rect.width * dpr));
  const height = Math.max(1, Math.round(rect.height * dpr));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  drawInWasm(
    canvas,
    documents.map((doc) => doc.copy()),
    sources,
    dark,
  );
  const points = documents.flatMap((doc) => viewOf(doc).points);
  if (!points.length) return "Run time against number of cores: no points yet";
  const list = points.map(
    (p) =>
      `${p.threads} ${p.threads === 1 ? "core" : "cores"} ${formatSeconds(p.median_seconds)} s`,
  );
  return `Run time against number of cores: ${list.join(", ")}`;
}

/**
 * The engine's comparison of the charted documents (ResultsDocument.comparison's
 * `{caption, columns, rows}`): its lines under the chart (Amdahl's projection, what each other
 * result differs in) and the comparison table, one row per result — the CLI's words. The table
 * is hidden until a result has points.
 * @param {{notes: HTMLElement, comparison: HTMLElement, comparisonTable: HTMLTableElement}} parts
 * @param {{caption: string[], columns: string[], rows: string[][]}} comparison
 * @param {boolean} shown
 */
export function renderComparison({ notes, comparison, comparisonTable: table }, { caption, columns, rows }, shown) {
  notes.replaceChildren(...caption.map((line) => cell("li", line)));
  comparison.hidden = !shown;
  const head = document.createElement("tr");
  head.append(...columns.map((name) => Object.assign(cell("th", name), { scope: "col" })));
  table.createTHead().replaceChildren(head);
  table.tBodies[0].replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement("tr");
      tr.append(Object.assign(cell("th", row[0]), { scope: "row" }), ...row.slice(1).map((text) => cell("td", text)));
      return tr;
    }),
  );
}
