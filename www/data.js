// Step 2's choice of data: make_classification's (the form's fields) or the user's own CSV file.
// The file is only ever read in the table worker (a preview of its start, then the whole file
// with the chosen target, dropped columns and delimiter) and again in each sweep worker; the
// main thread keeps the File handle and the table's record (name, shape, SHA-256, classes) and
// plans on that record. Nothing is sent anywhere: the page's CSP allows no request but its own
// files.

import { takeFileDrops } from "./drop.js";
import { TABLE_MESSAGE, tableRequest } from "./protocol.js";
import { formatSeconds } from "./results-view.js";

const TABLE_WORKER_URL = new URL("./table-worker.js", import.meta.url);

/** The data step's state, part of the page's (page.data). */
export function createData() {
  return {
    /** "make" (make_classification) or "file" (the user's table). */
    source: "make",
    /** The chosen File, or null. */
    file: null,
    /** preview_file's TablePreview of the file's start, or null. */
    preview: null,
    /** The reading options of the current table: {target, drop, delimiter}. */
    options: null,
    /** read_table_file's `{info, options}` JSON text for the current options, or null. */
    table: null,
    /** Its `info` (name, n_rows, n_features, bytes, sha256, target, features, classes, class_counts). */
    info: null,
    /** The engine's error of the last preview or read ({message, param}), or null. */
    error: null,
    /** The table worker, started for the first file. */
    worker: null,
    /** The number of the latest request; older answers are dropped. */
    requestId: 0,
    /** What setupData was told to call when the data changes. */
    changed: () => {},
  };
}

/** An error the way the engine throws one: its message and the parameter it names. */
function dataError(message, param = "data") {
  const error = new Error(message);
  error.param = param;
  return error;
}

/**
 * The engine's checked plan of the form's `values` on the page's data: generated, or on the
 * table the worker read. Throws the engine's error, or, while the table is not ready, an
 * error whose `waiting` is true (nothing to fix: choose a file, or wait for its read).
 */
export function checkExperiment(page, values) {
  const { data, engine } = page;
  if (data.source !== "file") return engine.check_experiment(values);
  if (data.error) throw dataError(data.error.message, data.error.param ?? "data");
  if (data.table === null) {
    const error = dataError(
      data.file === null
        ? "data: choose a CSV file in step 2 first"
        : `data: ${data.file.name} is still being read`,
    );
    error.waiting = true;
    throw error;
  }
  // make_classification's fields are hidden then, so not given: the engine refuses those a
  // table replaces (its `replaced_by_table`), in the CLI's words.
  const onTable = { ...values };
  for (const { name, replaced_by_table } of page.parameters) {
    if (replaced_by_table) delete onTable[name];
  }
  return engine.check_experiment_on_table(onTable, data.table);
}

/** The user's File when the data is a table, for the sweep workers to read; else null. */
export function tableFile({ data }) {
  return data.source === "file" ? data.file : null;
}

/** What the page knows of the table for Python and links: {name, target, drop, delimiter}, or null. */
export function tableChoice({ data }) {
  if (data.source !== "file" || data.info === null) return null;
  return {
    name: data.info.name,
    target: data.info.target,
    drop: data.options.drop,
    delimiter: data.preview?.delimiter ?? ",",
  };
}

function bytesText(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** "2 classes (212 "0", 357 "1")", the first few of many. */
function classesText({ classes, class_counts }) {
  const shown = classes.slice(0, 6).map((c, i) => `${class_counts[i].toLocaleString("en")} "${c}"`);
  const more = classes.length > shown.length ? `, … ${classes.length - shown.length} more` : "";
  return `${classes.length} classes (${shown.join(", ")}${more})`;
}

/**
 * Wires step 2's choice and the file controls; `changed()` runs whenever the data the
 * experiment runs on changes (another source, a table read, a read refused).
 */
export function setupData(page, changed) {
  const { ui, data } = page;
  data.changed = changed;
  const showSource = (source) => {
    data.source = source;
    ui.dataSourceFile.checked = source === "file";
    ui.dataSourceMake.checked = source === "make";
    ui.makeData.hidden = source === "file";
    ui.yourData.hidden = source !== "file";
  };
  for (const [radio, source] of [[ui.dataSourceMake, "make"], [ui.dataSourceFile, "file"]]) {
    radio.addEventListener("change", () => {
      showSource(source);
      changed();
    });
  }

  const choose = (file) => {
    if (!file) return;
    data.file = file;
    ui.dataTarget.replaceChildren();
    ui.dataDelimiter.value = "";
    showSource("file");
    previewAgain(page);
  };
  ui.dataFile.addEventListener("change", () => choose(ui.dataFile.files[0]));
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

/** The table worker, started when first needed; if it dies, the read in progress is refused. */
function tableWorker(page) {
  const { data } = page;
  if (data.worker === null) {
    data.worker = new Worker(TABLE_WORKER_URL, { type: "module", name: "coresweep table" });
    data.worker.onmessage = ({ data: answer }) => onAnswer(page, answer);
    data.worker.onerror = (event) => {
      event.preventDefault();
      data.worker = null;
      data.error = {
        message: `data: the table worker stopped: ${event.message || "it could not be loaded"}`,
        param: "data",
      };
      data.changed();
    };
  }
  return data.worker;
}

/** The options the controls show: the chosen target, the ticked columns, the delimiter. */
function chosenOptions({ ui }) {
  const drop = [...ui.dataPreview.querySelectorAll("input[data-drop]")]
    .filter((box) => box.checked && !box.disabled)
    .map((box) => box.dataset.drop);
  return { target: ui.dataTarget.value || null, drop, delimiter: ui.dataDelimiter.value || null };
}

/** Previews the file again from its start (a new file, another delimiter), then reads it. */
function previewAgain(page) {
  const { data, ui } = page;
  if (!data.file) return;
  data.preview = data.table = data.info = data.error = null;
  request(page, TABLE_MESSAGE.PREVIEW, { target: null, drop: [], delimiter: ui.dataDelimiter.value || null });
  data.changed();
}

/** Reads the whole file again with the options the controls now show. */
function readAgain(page) {
  const { data } = page;
  if (!data.file || !data.preview) return;
  data.table = data.info = data.error = null;
  showPreview(page);
  request(page, TABLE_MESSAGE.READ, chosenOptions(page));
  data.changed();
}

function request(page, type, options) {
  const { data, ui } = page;
  data.requestId += 1;
  data.options = options;
  const what = type === TABLE_MESSAGE.PREVIEW ? "the start of" : "all of";
  ui.dataStatus.textContent = `Reading ${what} ${data.file.name} (${bytesText(data.file.size)}) in this browser…`;
  tableWorker(page).postMessage(
    tableRequest({
      type,
      id: data.requestId,
      file: data.file,
      options,
      deviceMemory: navigator.deviceMemory ?? null,
    }),
  );
}


function onAnswer(page, answer) {
  const { data, ui } = page;
  if (answer.id !== data.requestId) return;
  if (answer.type !== TABLE_MESSAGE.PREVIEW) {
    // A wasm memory never shrinks: the worker would keep the peak of its read (hundreds of MB
    // for a large file) beside the sweep's workers. The next read starts a fresh one.
    data.worker.terminate();
    data.worker = null;
  }
  switch (answer.type) {
    case TABLE_MESSAGE.PREVIEW:
      data.preview = answer.preview;
      fillTargets(page);
      showPreview(page);
      request(page, TABLE_MESSAGE.READ, chosenOptions(page));
      return;
    case TABLE_MESSAGE.READ: {
      data.table = answer.table;
      data.info = JSON.parse(answer.table).info;
      const { info } = data;
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
        ? `${data.file.name} was not read: see the problem above.`
        : `${data.file.name} cannot be previewed: see the problem above.`;
      break;
  }
  showPreview(page);
  data.changed();
}

/** The target chooser: every column, the last chosen, as the reader's default. */
function fillTargets({ data, ui }) {
  const names = data.preview.columns.map((c) => c.name);
  ui.dataTarget.replaceChildren(
    ...names.map((name) => Object.assign(document.createElement("option"), { value: name, textContent: name })),
  );
  ui.dataTarget.value = names.at(-1) ?? "";
  ui.dataOptions.hidden = names.length === 0;
}

/** The column a refusal names ("column \"sex\""), or null. */
function refusedColumn(message) {
  const match = /column "((?:[^"\\]|\\.)*)"/.exec(message ?? "");
  try {
    return match ? JSON.parse(`"${match[1]}"`) : null;
  } catch {
    return match[1];
  }
}

/** Draws the preview: names, kinds and drop boxes, then the first rows; marks the target and what a refusal names. */
function showPreview({ data, ui }) {
  const table = ui.dataPreview;
  const preview = data.preview;
  table.hidden = ui.dataPreviewNote.hidden = preview === null;
  for (const el of [ui.dataDrop, ui.dataTarget, ui.dataDelimiter]) el.removeAttribute("aria-invalid");
  const param = data.error?.param;
  const invalid = { data: preview ? null : ui.dataDrop, target: ui.dataTarget, delimiter: ui.dataDelimiter }[param];
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
  table.tHead.replaceChildren(head, kinds);
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
