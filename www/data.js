// Step 2's choice of data: make_classification's (the form's fields) or the user's own CSV file.
// The file is only ever read in the table worker (a preview of its start, then the whole file
// with the chosen target, dropped columns and delimiter) and again in each sweep worker; the
// main thread keeps the File handle and the table's record (name, shape, SHA-256, classes) and
// plans on that record. Nothing is sent anywhere: the page's CSP allows no request but its own
// files.

import { takeFileDrops } from "./drop.js";
import { engineError, TABLE_MESSAGE, tableRequest } from "./protocol.js";
import { engineOf, parametersOf } from "./page.js";
import { formatSeconds } from "./results-view.js";

/**
 * @typedef {import("./page.js").Page} Page
 * @typedef {import("./protocol.js").TableAnswer} TableAnswer
 * @typedef {import("./protocol.js").TableRequest["options"]} TableOptions
 * @typedef {import("./protocol.js").TablePreview} TablePreview
 * @typedef {import("./results-view.js").DocumentView} DocumentView
 * @typedef {import("./pkg/coresweep.js").ResultsDocument} ResultsDocument
 */

/**
 * read_table_file's record of a table: its name, shape, size and SHA-256, its target and
 * features, its classes and how many rows each has.
 * @typedef {object} TableInfo
 * @property {string} name
 * @property {number} n_rows
 * @property {number} n_features
 * @property {number} bytes
 * @property {string} sha256
 * @property {string} target
 * @property {string[]} features
 * @property {string[]} classes
 * @property {number[]} class_counts
 */

const TABLE_WORKER_URL = new URL("./table-worker.js", import.meta.url);

/**
 * The one owner of the table worker: posts the page's requests to it, one at a time. A new
 * request while another is unanswered ends the older one (its worker is terminated, so a read
 * nobody waits for stops using memory at once); after a read, the worker goes too (a wasm
 * memory never shrinks: it would keep the read's peak, hundreds of MB for a large file, beside
 * the sweep's workers). A worker that dies, or an answer that cannot be read, is reported
 * through `failed` in words naming the table worker.
 */
export class TableReader {
  /** @type {Worker | null} */
  #worker = null;
  /** The number of the latest request: the only answer taken. */
  #latest = 0;
  /** Whether the latest request is still unanswered. */
  #waiting = false;
  #answered;
  #failed;

  /**
   * @param {(answer: TableAnswer) => void} answered
   * @param {(message: string) => void} failed
   */
  constructor(answered, failed) {
    this.#answered = answered;
    this.#failed = failed;
  }

  /**
   * Asks for a preview of `file`'s start or a read of all of it, ending any request still
   * unanswered.
   * @param {"preview" | "read"} type
   * @param {File} file
   * @param {TableOptions} options
   */
  request(type, file, options) {
    if (this.#waiting) this.#stop();
    this.#latest += 1;
    this.#waiting = true;
    this.#start().postMessage(
      tableRequest({ type, id: this.#latest, file, options, deviceMemory: navigator.deviceMemory ?? null }),
    );
  }

  #start() {
    if (this.#worker) return this.#worker;
    const worker = new Worker(TABLE_WORKER_URL, { type: "module", name: "coresweep table" });
    worker.onmessage = (/** @type {MessageEvent<TableAnswer>} */ { data: answer }) => {
      // An answer posted before its worker was ended may still arrive.
      if (answer.id !== this.#latest) return;
      this.#waiting = false;
      if (answer.type !== TABLE_MESSAGE.PREVIEW) this.#stop();
      this.#answered(answer);
    };
    worker.onmessageerror = () => this.#fail("its answer could not be read");
    worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(event.message || "it could not be loaded");
    };
    this.#worker = worker;
    return worker;
  }

  /** @param {string} cause */
  #fail(cause) {
    this.#stop();
    this.#waiting = false;
    this.#failed(`data: the table worker stopped: ${cause}`);
  }

  #stop() {
    this.#worker?.terminate();
    this.#worker = null;
  }
}

/** The data step's state, part of the page's (page.data). */
export function createData() {
  return {
    /** @type {"make" | "file"} make_classification's data, or the user's table. */
    source: /** @type {"make" | "file"} */ ("make"),
    /** The chosen File, or null. */
    file: /** @type {File | null} */ (null),
    /** preview_file's TablePreview of the file's start, or null. */
    preview: /** @type {TablePreview | null} */ (null),
    /** The reading options of the current table: {target, drop, delimiter}. */
    options: /** @type {TableOptions | null} */ (null),
    /** read_table_file's `{info, options}` JSON text for the current options, or null. */
    table: /** @type {string | null} */ (null),
    /** Its `info`, or null. */
    info: /** @type {TableInfo | null} */ (null),
    /** The engine's error of the last preview or read, or the reader's, or null. */
    error: /** @type {{message: string, param: string | null} | null} */ (null),
    /** The table reader, made by setupData. */
    reader: /** @type {TableReader | null} */ (null),
    /** What setupData was told to call when the data changes. */
    changed: () => {},
  };
}

/**
 * Why the experiment cannot be planned yet: the table is still to be chosen or read (nothing
 * to fix, the data step says what it waits for).
 */
export class DataWait extends Error {}


/**
 * The engine's checked plan of the form's `values` on the page's data: generated, or on the
 * table the worker read. Throws the engine's error, or, while the table is not ready, an
 * DataWait (nothing to fix: choose a file, or wait for its read).
 * @param {Page} page
 * @param {Record<string, unknown>} values
 */
export function checkExperiment(page, values) {
  const { data } = page;
  const engine = engineOf(page);
  if (data.source !== "file") return engine.check_experiment(values);
  if (data.error) throw engineError(data.error.message, data.error.param ?? "data");
  if (data.table === null) {
    throw new DataWait(
      data.file === null
        ? "data: choose a CSV file in step 2 first"
        : `data: ${data.file.name} is still being read`,
    );
  }
  // make_classification's fields are hidden then, so not given: the engine refuses those a
  // table replaces (its `replaced_by_table`), in the CLI's words.
  const onTable = { ...values };
  for (const { name, replaced_by_table } of parametersOf(page)) {
    if (replaced_by_table) delete onTable[name];
  }
  return engine.check_experiment_on_table(onTable, data.table);
}

/**
 * The user's File when the data is a table, for the sweep workers to read; else null.
 * @param {Page} page
 */
export function tableFile({ data }) {
  return data.source === "file" ? data.file : null;
}

/**
 * What the page knows of the table for Python and links: {name, target, drop, delimiter}, or null.
 * @param {Page} page
 */
export function tableChoice({ data }) {
  if (data.source !== "file" || data.info === null) return null;
  return {
    name: data.info.name,
    target: data.info.target,
    drop: data.options?.drop ?? [],
    delimiter: data.preview?.delimiter ?? ",",
  };
}

/** @param {number} bytes */
function bytesText(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/**
 * "2 classes (212 "0", 357 "1")", the first few of many.
 * @param {TableInfo} info
 */
function classesText({ classes, class_counts }) {
  const shown = classes.slice(0, 6).map((c, i) => `${class_counts[i].toLocaleString("en")} "${c}"`);
  const more = classes.length > shown.length ? `, … ${classes.length - shown.length} more` : "";
  return `${classes.length} classes (${shown.join(", ")}${more})`;
}

/**
 * Wires step 2's choice and the file controls; `changed()` runs whenever the data the
 * experiment runs on changes (another source, a table read, a read refused).
 * @param {Page} page
 * @param {() => void} changed
 */
export function setupData(page, changed) {
  const { ui, data } = page;
  data.changed = changed;
  data.reader = new TableReader(
    (answer) => onAnswer(page, answer),
    (message) => {
      data.error = { message, param: "data" };
      ui.dataStatus.textContent = `${data.file?.name} was not read: see the problem above.`;
      showPreview(page);
      changed();
    },
  );
  /** @param {"make" | "file"} source */
  const showSource = (source) => {
    data.source = source;
    ui.dataSourceFile.checked = source === "file";
    ui.dataSourceMake.checked = source === "make";
    ui.makeData.hidden = source === "file";
    ui.yourData.hidden = source !== "file";
  };
  for (const [radio, source] of /** @type {const} */ ([[ui.dataSourceMake, "make"], [ui.dataSourceFile, "file"]])) {
    radio.addEventListener("change", () => {
      showSource(source);
      changed();
    });
  }

  /** @param {File | undefined} file */
  const choose = (file) => {
    if (!file) return;
    data.file = file;
    ui.dataTarget.replaceChildren();
    ui.dataDelimiter.value = "";
    showSource("file");
    previewAgain(page);
  };
  ui.dataFile.addEventListener("change", () => choose(ui.dataFile.files?.[0]));
  // A file dropped anywhere on step 2 is the data (files dropped elsewhere on the page are
  // results, overlays.js).
  takeFileDrops(ui.dataStep, (files) => choose(files[0]));
  ui.dataTarget.addEventListener("change", () => readAgain(page));
  // Another delimiter makes other columns: preview again, then read.
  ui.dataDelimiter.addEventListener("change", () => previewAgain(page));
  ui.dataPreview.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.dataset.drop !== undefined) {
      readAgain(page);
    }
  });
}

/**
 * The options the controls show: the chosen target, the ticked columns, the delimiter.
 * @param {Pick<Page, "ui">} page
 * @returns {TableOptions}
 */
function chosenOptions({ ui }) {
  const drop = [...ui.dataPreview.querySelectorAll("input[data-drop]")]
    .filter((box) => box instanceof HTMLInputElement && box.checked && !box.disabled)
    .map((box) => /** @type {HTMLElement} */ (box).dataset.drop ?? "");
  return { target: ui.dataTarget.value || null, drop, delimiter: ui.dataDelimiter.value || null };
}

/**
 * Previews the file again from its start (a new file, another delimiter), then reads it.
 * @param {Page} page
 */
function previewAgain(page) {
  const { data, ui } = page;
  if (!data.file) return;
  data.preview = data.table = data.info = data.error = null;
  request(page, TABLE_MESSAGE.PREVIEW, { target: null, drop: [], delimiter: ui.dataDelimiter.value || null });
  data.changed();
}

/**
 * Reads the whole file again with the options the controls now show.
 * @param {Page} page
 */
function readAgain(page) {
  const { data } = page;
  if (!data.file || !data.preview) return;
  data.table = data.info = data.error = null;
  showPreview(page);
  request(page, TABLE_MESSAGE.READ, chosenOptions(page));
  data.changed();
}

/**
 * Asks the table reader for a preview or a read of the chosen file, and says so.
 * @param {Page} page
 * @param {"preview" | "read"} type
 * @param {TableOptions} options
 */
function request(page, type, options) {
  const { data, ui } = page;
  if (!data.file || !data.reader) return;
  data.options = options;
  const what = type === TABLE_MESSAGE.PREVIEW ? "the start of" : "all of";
  ui.dataStatus.textContent = `Reading ${what} ${data.file.name} (${bytesText(data.file.size)}) in this browser…`;
  data.reader.request(type, data.file, options);
}

/**
 * Takes the reader's answer to the latest request: a preview (then the read), a table, or the
 * engine's refusal.
 * @param {Page} page
 * @param {TableAnswer} answer
 */
function onAnswer(page, answer) {
  const { data, ui } = page;
  const name = data.file?.name;
  switch (answer.type) {
    case TABLE_MESSAGE.PREVIEW:
      data.preview = answer.preview;
      fillTargets(page);
      showPreview(page);
      request(page, TABLE_MESSAGE.READ, chosenOptions(page));
      return;
    case TABLE_MESSAGE.READ: {
      /** @type {TableInfo} */
      const info = JSON.parse(answer.table).info;
      data.table = answer.table;
      data.info = info;
      ui.dataStatus.textContent =
        `${info.name}: ${info.n_rows.toLocaleString("en")} rows × ${info.n_features} features, ` +
        `target "${info.target}" with ${classesText(info)}; ${bytesText(info.bytes)}, ` +
        `SHA-256 ${info.sha256.slice(0, 12)}…; read in this browser in ${formatSeconds(answer.seconds)} s ` +
        `with ${bytesText(answer.wasmBytes)} of memory at most.`;
      break;
    }
    case TABLE_MESSAGE.ERROR:
      data.error = { message: answer.message, param: answer.param };
      ui.dataStatus.textContent = data.preview
        ? `${name} was not read: see the problem above.`
        : `${name} cannot be previewed: see the problem above.`;
      break;
  }
  showPreview(page);
  data.changed();
}

/**
 * The target chooser: every column, the last chosen, as the reader's default.
 * @param {Page} page
 */
function fillTargets({ data, ui }) {
  const names = data.preview?.columns.map((c) => c.name) ?? [];
  ui.dataTarget.replaceChildren(
    ...names.map((name) => Object.assign(document.createElement("option"), { value: name, textContent: name })),
  );
  ui.dataTarget.value = names.at(-1) ?? "";
  ui.dataOptions.hidden = names.length === 0;
}

/**
 * The column a refusal names ("column \"sex\""), or null.
 * @param {string | undefined} message
 * @returns {string | null}
 */
function refusedColumn(message) {
  const match = /column "((?:[^"\\]|\\.)*)"/.exec(message ?? "");
  if (!match) return null;
  try {
    return JSON.parse(`"${match[1]}"`);
  } catch {
    return match[1];
  }
}

/**
 * Draws the preview: names, kinds and drop boxes, then the first rows; marks the target and what a refusal names.
 * @param {Page} page
 */
function showPreview({ data, ui }) {
  const table = ui.dataPreview;
  const preview = data.preview;
  table.hidden = ui.dataPreviewNote.hidden = preview === null;
  for (const el of [ui.dataDrop, ui.dataTarget, ui.dataDelimiter]) el.removeAttribute("aria-invalid");
  const param = data.error?.param;
  /** @type {Record<string, HTMLElement | null>} */
  const controls = { data: preview ? null : ui.dataDrop, target: ui.dataTarget, delimiter: ui.dataDelimiter };
  const invalid = param ? controls[param] : null;
  if (data.error && invalid) invalid.setAttribute("aria-invalid", "true");
  if (preview === null) return;
  const kept = new Set(chosenOptions({ ui }).drop);
  const target = ui.dataTarget.value;
  const refused = refusedColumn(data.error?.message);
  const head = document.createElement("tr");
  const kinds = document.createElement("tr");
  preview.columns.forEach((column, j) => {
    const isTarget = column.name === target;
    const th = Object.assign(document.createElement("th"), { scope: "col", textContent: column.name });
    const kind = document.createElement("th");
    const label = document.createElement("label");
    const box = Object.assign(document.createElement("input"), {
      type: "checkbox",
      checked: kept.has(column.name) && !isTarget,
      disabled: isTarget,
    });
    box.dataset.drop = column.name;
    box.setAttribute("aria-label", `Drop column ${column.name}`);
    const missing = column.missing ? `, ${column.missing} missing` : "";
    label.append(box, ` drop · ${isTarget ? "target" : column.kind}${missing}`);
    kind.className = "data-preview__kind";
    kind.append(label);
    for (const cell of [th, kind]) {
      cell.classList.toggle("is-target", isTarget);
      cell.classList.toggle("is-dropped", box.checked);
      cell.classList.toggle("is-refused", column.name === refused);
      cell.dataset.column = String(j);
    }
    head.append(th);
    kinds.append(kind);
  });
  table.createTHead().replaceChildren(head, kinds);
  table.tBodies[0].replaceChildren(
    ...preview.rows.map((row) => {
      const tr = document.createElement("tr");
      tr.append(...row.map((text) => Object.assign(document.createElement("td"), { textContent: text })));
      return tr;
    }),
  );
  const seen = preview.complete ? "All" : "The first";
  ui.dataPreviewNote.textContent = `${seen} ${preview.rows_seen.toLocaleString("en")} rows looked at: the first ${preview.rows.length} shown, each column's kind from them. Tick "drop" on the columns that are not features (an id, a date, text).`;
}

/**
 * Says whether an overlaid result (an engine ResultsDocument) was fitted on the same data as
 * the page's own: the same table (same bytes, target and features: the times compare, and the
 * note says so), another table, or make_classification's data. null when both are generated.
 * @param {Page} page
 * @param {ResultsDocument} doc
 */
export function dataNote(page, doc) {
  const own = page.document;
  if (!own) return null;
  const theirs = doc.data_label();
  if (own.same_table(doc)) {
    return theirs === "make_classification" ? null : `Fitted on the same table, ${theirs}: the times compare.`;
  }
  return `Fitted on ${theirs}, not on ${own.data_label()} as this page's result is: times on other data do not compare.`;
}
