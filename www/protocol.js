// The messages between the page and its workers, written once: both sides import the types and
// build messages with these functions only. A sweep worker (sweep-runner.js ↔ point-worker.js):
// the page posts one "run" and terminates the worker after "done" or "error" (or to cancel);
// the sweep's first point answers "data" too (the dataset it made, for the later points).
// The table worker (data.js ↔ table-worker.js): the page posts "preview" and "read" requests
// for the user's file, numbered, keeps only the answer to its latest request, and terminates
// the worker after each read (or error).

/**
 * What an error thrown by the engine (or anything else) says, and the parameter it names: the
 * engine's errors carry `param` (sklearn's name), other errors none.
 * @param {unknown} error
 * @returns {{message: string, param: string | null}}
 */
export function errorWords(error) {
  if (error instanceof Error) {
    const param = /** @type {{param?: unknown}} */ (error).param;
    return { message: error.message, param: typeof param === "string" ? param : null };
  }
  return { message: String(error), param: null };
}

/**
 * An error the way the engine throws one: its message, and the parameter it names (null when
 * it names none).
 * @param {string} message
 * @param {string | null} param
 */
export function engineError(message, param = null) {
  return Object.assign(new Error(message), { param });
}

/** Every message type of the protocol. */
export const MESSAGE = Object.freeze({
  RUN: "run",
  POOL_STARTING: "pool-starting",
  POOL_UP: "pool-up",
  DATA: "data",
  READY: "ready",
  TREE: "tree",
  FIT: "fit",
  DONE: "done",
  ERROR: "error",
});

/**
 * Page → worker: time one sweep point.
 * @typedef {object} RunMessage
 * @property {"run"} type
 * @property {string} plan the checked plan as its exact JSON text (Plan.to_json(); the worker
 *   makes the same plan of it with Plan.from_json)
 * @property {number} threads the point's thread count k (the worker's pool size)
 * @property {number} repeats timed fits of the point
 * @property {boolean} injectFailure test hook: throw once the data is built
 * @property {number|null} injectPanicTree test hook: the engine panics when this tree starts
 * @property {number|null} injectAbortTree test hook: the engine aborts (a trap) there
 * @property {boolean} injectPoolHang test hook: the thread pool never finishes starting
 * @property {File|null} file the user's table when the plan reads one (a handle: the worker
 *   reads the bytes itself, Plan.from_json_with_file, and they must hash as planned), unless
 *   `data` holds its rows
 * @property {ArrayBuffer|null} data the dataset an earlier point of the sweep made ("data"),
 *   which the worker's engine checks against the plan and fits on instead of making its own
 * @property {boolean} handData whether to answer "data" with the dataset this point makes
 * @property {WebAssembly.Module} module the worker's build, compiled once by the page
 *   (engine-modules.js)
 * @property {boolean} firstUse whether no earlier point of the page ran this module (warm-up.js)
 */

/**
 * @param {Omit<RunMessage, "type" | "injectPoolHang" | "file" | "data" | "handData"> & Partial<Pick<RunMessage, "injectPoolHang" | "file" | "data" | "handData">>} fields
 * @returns {RunMessage}
 */
export function runMessage({ plan, threads, repeats, injectFailure, injectPanicTree, injectAbortTree, injectPoolHang = false, file = null, data = null, handData = false, module, firstUse }) {
  return { type: MESSAGE.RUN, plan, threads, repeats, injectFailure, injectPanicTree, injectAbortTree, injectPoolHang, file, data, handData, module, firstUse };
}

/**
 * Worker → page, when the "run" asked for it (handData): the dataset the point made
 * (Experiment.data_bytes: its shape and a digest of the plan's data with the rows), transferred,
 * for the sweep's later points ("run" `data`).
 * @typedef {{type: "data", data: ArrayBuffer}} DataMessage
 */

/**
 * @param {ArrayBuffer} data
 * @returns {DataMessage}
 */
export function dataMessage(data) {
  return { type: MESSAGE.DATA, data };
}

/**
 * Worker → page, threaded build only: the thread pool is being started (initThreadPool), and
 * then it is up. Firefox now and then never finishes starting a pool; the page gives up on a
 * worker whose pool is not up in time and starts the point again in a fresh one.
 * @typedef {{type: "pool-starting"|"pool-up"}} PoolMessage
 */

/**
 * @param {boolean} up
 * @returns {PoolMessage}
 */
export function poolMessage(up) {
  return { type: up ? MESSAGE.POOL_UP : MESSAGE.POOL_STARTING };
}

/**
 * Worker → page: the engine is up and the dataset built.
 * @typedef {object} ReadyMessage
 * @property {"ready"} type
 * @property {boolean} dataHanded whether the engine took an earlier point's dataset ("run"
 *   `data`) rather than making it
 * @property {number} dataSeconds how long the worker took to make or take the dataset
 * @property {WebAssembly.Memory|null} memory the shared wasm memory, or null for a build whose
 *   memory is not shared (the single-threaded one)
 * @property {number} progressPtr byte address of the u32 finished-trees counter of the running fit
 * @property {number|null} cancelPtr byte address of a one-byte flag: store 1 (Atomics.store on
 *   a Uint8Array) to stop the fit before its next tree, then terminate the worker
 * @property {number|null} panicPtr byte address of the panic record (Experiment.panic_ptr): a
 *   u32 length, 0 until a thread panics or dies of an uncaught error (a trap), then the UTF-8
 *   message "internal error: …" from panicPtr + 8. A pool thread that dies leaves fit()
 *   waiting for ever: the page reads the record and terminates the worker. On the
 *   single-threaded build a panic is thrown out of fit() and reported as an "error" with the
 *   same message, and so is a trap on this thread (worded as web/src/panic.rs's
 *   record_uncaught words it).
 */

/**
 * @param {Omit<ReadyMessage, "type">} fields
 * @returns {ReadyMessage}
 */
export function readyMessage({ dataHanded, dataSeconds, memory, progressPtr, cancelPtr, panicPtr }) {
  return { type: MESSAGE.READY, dataHanded, dataSeconds, memory, progressPtr, cancelPtr, panicPtr };
}

/**
 * Worker → page, after each tree of a timed fit, from the single-threaded build only (the page
 * cannot read its memory while a fit blocks it).
 * @typedef {{type: "tree"}} TreeMessage
 */

/** @returns {TreeMessage} */
export function treeMessage() {
  return { type: MESSAGE.TREE };
}

/**
 * Worker → page, after each timed fit.
 * @typedef {object} FitMessage
 * @property {"fit"} type
 * @property {number} threads
 * @property {number} repeat 0-based index of the fit
 * @property {number} seconds
 */

/**
 * @param {Omit<FitMessage, "type">} fields
 * @returns {FitMessage}
 */
export function fitMessage({ threads, repeat, seconds }) {
  return { type: MESSAGE.FIT, threads, repeat, seconds };
}

/**
 * Worker → page: the point is measured.
 * @typedef {object} DoneMessage
 * @property {"done"} type
 * @property {number} threads
 * @property {number[]} fit_seconds every timed run of the workload (a fit, a whole
 *   cross_val_score or GridSearchCV.fit), in order
 * @property {number|null} oob_accuracy of the last fit (null without bootstrap or for the sequels)
 * @property {number|null} total_nodes of the last fit's forest (null for the sequels)
 * @property {string|null} quality the sequels' quality of the last run as the results
 *   document's JSON text (Experiment.workload_quality()); null for a fit
 */

/**
 * @param {Omit<DoneMessage, "type" | "quality"> & Partial<Pick<DoneMessage, "quality">>} fields
 * @returns {DoneMessage}
 */
export function doneMessage({ threads, fit_seconds, oob_accuracy, total_nodes, quality = null }) {
  return { type: MESSAGE.DONE, threads, fit_seconds, oob_accuracy, total_nodes, quality };
}

/**
 * Worker → page: the point failed.
 * @typedef {object} ErrorMessage
 * @property {"error"} type
 * @property {string} message
 * @property {string|null} param sklearn's parameter name, or null
 */

/**
 * @param {Omit<ErrorMessage, "type">} fields
 * @returns {ErrorMessage}
 */
export function errorMessage({ message, param }) {
  return { type: MESSAGE.ERROR, message, param };
}

/** Every message type between the page and the table worker. */
export const TABLE_MESSAGE = Object.freeze({
  PREVIEW: "preview",
  READ: "read",
  ERROR: "error",
});

/**
 * Page → table worker: preview the start of `file` (preview_file), or read it whole with
 * `options` (read_table_file). The answer carries the same `id`.
 * @typedef {object} TableRequest
 * @property {"preview"|"read"} type
 * @property {number} id
 * @property {File} file
 * @property {{target: string|null, drop: string[], delimiter: string|null}} options
 * @property {number|null} deviceMemory navigator.deviceMemory (GiB), the read's memory bound
 */

/**
 * @param {Omit<TableRequest, "deviceMemory"> & Partial<Pick<TableRequest, "deviceMemory">>} fields
 * @returns {TableRequest}
 */
export function tableRequest({ type, id, file, options, deviceMemory = null }) {
  return { type, id, file, options, deviceMemory };
}

/**
 * The start of a table as preview_file reads it: its columns (name, kind, missing cells), its
 * first rows as text, how many rows were looked at (all of them when `complete`), and the
 * delimiter found or given.
 * @typedef {object} TablePreview
 * @property {{name: string, kind: string, missing: number}[]} columns
 * @property {string[][]} rows
 * @property {number} rows_seen
 * @property {boolean} complete
 * @property {string} delimiter
 */

/**
 * Table worker → page: the answer to request `id`: the preview for a "preview"; for a "read",
 * read_table_file's `{info, options}` JSON text, the seconds it took and the worker's wasm
 * memory (the peak of the read); the engine's message and the parameter it names for an
 * "error".
 * @typedef {{type: "preview", id: number, preview: TablePreview}} PreviewAnswer
 * @typedef {{type: "read", id: number, table: string, seconds: number, wasmBytes: number}} ReadAnswer
 * @typedef {{type: "error", id: number, message: string, param: string | null}} TableError
 * @typedef {PreviewAnswer | ReadAnswer | TableError} TableAnswer
 */

/**
 * @param {number} id
 * @param {TablePreview} preview
 * @returns {PreviewAnswer}
 */
export function previewAnswer(id, preview) {
  return { type: TABLE_MESSAGE.PREVIEW, id, preview };
}

/**
 * @param {number} id
 * @param {Omit<ReadAnswer, "type" | "id">} fields
 * @returns {ReadAnswer}
 */
export function readAnswer(id, { table, seconds, wasmBytes }) {
  return { type: TABLE_MESSAGE.READ, id, table, seconds, wasmBytes };
}

/**
 * @param {number} id
 * @param {Omit<TableError, "type" | "id">} fields
 * @returns {TableError}
 */
export function tableError(id, { message, param }) {
  return { type: TABLE_MESSAGE.ERROR, id, message, param };
}

/**
 * Every message between the page and a worker of the workers backend (sweep-runner.js ↔
 * shard-worker.js). The page starts k workers per point, each with the compiled module:
 * "start" → the lead worker (index 0) answers "data" (the schedule of steps and, in the
 * sweep's first point, the data's bytes, made once a sweep), every other one "started"; then, untimed, "load" (a copy of the data)
 * and "warm" back; each timed run posts "load" to every worker and deals "step"s, each
 * answered by its "result" ("tree" after every tree grown, for progress); at the end worker
 * 0 gets "quality" (every step's output) and answers "quality". Any failure: "error"
 * (errorMessage above).
 */
export const SHARD_MESSAGE = Object.freeze({
  START: "start",
  STARTED: "started",
  DATA: "data",
  LOAD: "load",
  WARM: "warm",
  STEP: "step",
  RESULT: "result",
  TREE: "tree",
  QUALITY: "quality",
  ERROR: "error",
});

/**
 * Page → worker: start the engine from the compiled module.
 * @typedef {object} ShardStart
 * @property {"start"} type
 * @property {WebAssembly.Module} module the single-threaded build, compiled once by the page
 * @property {string} plan the checked plan's exact JSON text (Plan.to_json())
 * @property {boolean} lead whether this worker cuts the schedule (and answers "data")
 * @property {boolean} makeData whether the lead makes the data too (the sweep has none yet)
 * @property {number} workers the point's worker count (the schedule is cut for it)
 * @property {File|null} file the user's table when the lead reads it (makeData)
 * @property {boolean} injectPanic test hook: the worker's first step panics in the engine
 */

/**
 * @param {Omit<ShardStart, "type" | "file" | "injectPanic"> & Partial<Pick<ShardStart, "file" | "injectPanic">>} fields
 * @returns {ShardStart}
 */
export function shardStart({ module, plan, lead, makeData, workers, file = null, injectPanic = false }) {
  return { type: SHARD_MESSAGE.START, module, plan, lead, makeData, workers, file, injectPanic };
}

/**
 * Lead worker → page: the schedule (WorkerShard.schedule's JSON text: each step's task, the
 * steps whose outputs it reads, `inputs`, and those it must follow, `after`) and, when it made
 * the data, its bytes (Experiment.data_bytes's format, transferred) and the seconds it took.
 * @typedef {{type: "data", data: ArrayBuffer | null, dataSeconds: number, schedule: string}} ShardData
 */

/**
 * @param {ArrayBuffer | null} data
 * @param {number} dataSeconds
 * @param {string} schedule
 * @returns {ShardData}
 */
export function shardData(data, dataSeconds, schedule) {
  return { type: SHARD_MESSAGE.DATA, data, dataSeconds, schedule };
}

/**
 * Page → worker: a step of the schedule, with the outputs of the steps it reads, in order.
 * Worker → page: its "result", the output bytes (transferred), and when the step started and
 * ended on the page's clock (performance.timeOrigin + now(), in ms: the same clock in every
 * context, so the page can tell which workers ran at the same time).
 * @typedef {{type: "step", id: number, task: string, inputs: ArrayBuffer[]}} ShardStep
 * @typedef {{type: "result", id: number, output: ArrayBuffer, start: number, end: number}} ShardResult
 */

/**
 * The rest of the workers backend's messages. Worker → page: "started", "warm", "tree" carry
 * nothing; "quality" the quality's JSON text. Page → worker: "load" a copy of the data, "warm" (with
 * whether no earlier point of the page ran the module: warm-up.js), and "quality" with the
 * schedule and every step's output.
 * @typedef {{type: "started" | "warm" | "tree"}} ShardSignal
 * @typedef {{type: "quality", quality: string}} ShardQualityAnswer
 * @typedef {ShardSignal | ShardData | ShardResult | ShardQualityAnswer | ErrorMessage} ShardAnswer
 * @typedef {{type: "load", data: ArrayBuffer}} ShardLoad
 * @typedef {{type: "warm", firstUse: boolean}} ShardWarm
 * @typedef {{type: "quality", schedule: string, outputs: ArrayBuffer[]}} ShardQualityRequest
 * @typedef {ShardStart | ShardLoad | ShardWarm | ShardStep | ShardQualityRequest} ShardRequest
 * @typedef {{task: unknown, inputs: number[], after: number[]}} ScheduleStep
 */

/**
 * @param {number} id
 * @param {string} task
 * @param {ArrayBuffer[]} inputs
 * @returns {ShardStep}
 */
export function shardStep(id, task, inputs) {
  return { type: SHARD_MESSAGE.STEP, id, task, inputs };
}

/**
 * @param {number} id
 * @param {ArrayBuffer} output
 * @param {number} start
 * @param {number} end
 * @returns {ShardResult}
 */
export function shardResult(id, output, start, end) {
  return { type: SHARD_MESSAGE.RESULT, id, output, start, end };
}
