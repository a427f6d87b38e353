// What every sweep worker does, whichever wasm build it loads: run one sweep point (one thread
// count) and report it with the messages of www/protocol.js.

import {
  dataMessage,
  doneMessage,
  errorMessage,
  errorWords,
  fitMessage,
  MESSAGE,
  readyMessage,
  treeMessage,
} from "./protocol.js";
import { warmUp } from "./warm-up.js";

/**
 * What a sweep worker needs of its build: the engine's classes, and its wasm memory: the
 * threaded build's, shared with the page, or null for the single-threaded build's.
 * @typedef {{Experiment: typeof import("./pkg/coresweep.js").Experiment,
 *   Plan: typeof import("./pkg/coresweep.js").Plan, memory: WebAssembly.Memory}
 * | {Experiment: typeof import("./pkg-single/coresweep.js").Experiment,
 *   Plan: typeof import("./pkg-single/coresweep.js").Plan, memory: null}} Engine
 */

/**
 * Says `error` to the page as an "error" message, in the engine's words (a trap: "internal
 * error: a thread stopped: …"), with the parameter it is about, if any.
 * @param {unknown} error
 */
export function reportError(error) {
  const { message, param } =
    error instanceof WebAssembly.RuntimeError
      ? { message: `internal error: a thread stopped: ${error.name}: ${error.message}`, param: null }
      : errorWords(error);
  postMessage(errorMessage({ message: message || "unknown error in the sweep worker", param }));
}

/** Never leave the page waiting: anything that escapes this worker becomes an "error" message. */
export function reportEverything() {
  self.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    reportError(event.reason);
  });
  self.addEventListener("error", (event) => {
    event.preventDefault();
    reportError(event.error ?? event.message);
  });
}

/**
 * Answers "run" messages. `startEngine(module, threads, poolHang)` instantiates the build's
 * compiled module and starts its threads (never, with the test hook `poolHang`), and resolves
 * to `{Experiment, memory}` (memory null when it is not shared with the page).
 * @param {(module: WebAssembly.Module, threads: number, poolHang: boolean) => Promise<Engine>} startEngine
 */
export function servePoints(startEngine) {
  reportEverything();

  /** @param {import("./protocol.js").RunMessage} message */
  async function run(message) {
    const { plan, threads, repeats, injectFailure, injectPanicTree, injectAbortTree, injectPoolHang, file, handData, module, firstUse } =
      message;
    const { Experiment, Plan, memory } = await startEngine(module, threads, injectPoolHang);
    const dataStart = performance.now();
    // The plan comes as its exact text (a JS number would turn max_features=1.0 into 1) and
    // is checked again by this instance of the engine. The dataset is an earlier point's,
    // checked against the plan, or made here: generated, or the user's table read from the
    // file, which must hash as planned.
    const checked = file && !message.data ? Plan.from_json_with_file(plan, file) : Plan.from_json(plan);
    const experiment = message.data ? Experiment.on_data(checked, new Uint8Array(message.data)) : new Experiment(checked);
    // The engine holds the rows now: this worker's copy of the bytes (a table may be large) can go.
    message.data = null;
    const dataSeconds = (performance.now() - dataStart) / 1000;
    if (handData) {
      // A copy out of the wasm memory: its own buffer, transferred.
      const bytes = /** @type {Uint8Array<ArrayBuffer>} */ (experiment.data_bytes());
      postMessage(dataMessage(bytes.buffer), [bytes.buffer]);
    }
    // The sequels time a whole cross_val_score or GridSearchCV.fit, as their tutorials do.
    const sequel = checked.workload !== "fit";
    checked.free();
    // Test hook (sweep-runner.js, ?inject_panic=<k>): a real panic in the engine mid-fit.
    if (injectPanicTree !== null) experiment.panic_in_tree(injectPanicTree);
    // Test hook (?inject_abort=<k>): the fit aborts, a trap without a panic.
    if (injectAbortTree !== null) experiment.abort_in_tree(injectAbortTree);
    // The threaded build: a pool thread that dies of a trap is recorded like a panic. The
    // single-threaded one says each tree (the page cannot read its memory during a fit).
    if ("watch_pool_threads" in experiment) experiment.watch_pool_threads();
    else experiment.on_tree(() => postMessage(treeMessage()));
    postMessage(
      readyMessage({
        dataHanded: experiment.data_handed,
        dataSeconds,
        memory,
        progressPtr: memory ? experiment.progress_ptr() : 0,
        cancelPtr: memory ? experiment.cancel_ptr() : null,
        panicPtr: memory ? experiment.panic_ptr() : null,
      }),
    );
    // Test hook (sweep-runner.js, ?inject_failure=<k>): fail like an engine error mid-point.
    if (injectFailure) throw new Error("injected failure (test hook inject_failure)");
    warmUp((trees) => experiment.warm_up(trees), threads, firstUse);
    const fit_seconds = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      // Only the workload is timed, like the seed's fit(X, Y).
      const start = performance.now();
      if (sequel) experiment.run_workload();
      else experiment.fit();
      const seconds = (performance.now() - start) / 1000;
      fit_seconds.push(seconds);
      postMessage(fitMessage({ threads, repeat, seconds }));
    }
    if (sequel) {
      const quality = experiment.workload_quality();
      experiment.free();
      postMessage(doneMessage({ threads, fit_seconds, oob_accuracy: null, total_nodes: null, quality }));
      return;
    }
    const { oob_accuracy, total_nodes } = experiment.quality();
    experiment.free();
    postMessage(doneMessage({ threads, fit_seconds, oob_accuracy, total_nodes }));
  }

  self.addEventListener("message", (/** @type {MessageEvent<import("./protocol.js").RunMessage>} */ event) => {
    if (event.data?.type !== MESSAGE.RUN) return;
    run(event.data).catch(reportError);
  });
}
