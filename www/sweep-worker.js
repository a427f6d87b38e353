// One sweep point: a fresh module worker per thread count k, because a wasm instance can
// start its rayon pool only once. The page posts {type: "run", dataset, forest, threads, repeats}
// and terminates the worker after "done" or "error" (or to cancel).
//
// Messages to the page:
//   {type: "ready", memory, progressPtr, cancelPtr}   pool of k threads up, dataset built
//     progressPtr: byte address of the u32 finished-trees counter of the running fit;
//     cancelPtr: byte address of a one-byte flag: store 1 (Atomics.store on a Uint8Array) to
//     stop the fit before its next tree, then terminate the worker.
//   {type: "fit", threads, repeat, seconds}     after each timed fit
//   {type: "done", threads, fit_seconds, oob_accuracy, total_nodes}
//   {type: "error", message, param}             param: sklearn's parameter name or null
import init, { Experiment, initThreadPool } from "./pkg/coresweep.js";

function reportError(error) {
  const message = error instanceof Error ? error.message : String(error);
  const param = typeof error?.param === "string" ? error.param : null;
  postMessage({ type: "error", message: message || "unknown error in the sweep worker", param });
}

// Never leave the page waiting: anything that escapes becomes an "error" message.
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  reportError(event.reason);
});
self.addEventListener("error", (event) => {
  event.preventDefault();
  reportError(event.error ?? event.message);
});

async function run({ dataset, forest, threads, repeats }) {
  // init() resolves to the module's exports; their `memory` is the shared wasm memory.
  const { memory } = await init();
  await initThreadPool(threads);
  const experiment = new Experiment(dataset, forest);
  postMessage({
    type: "ready",
    memory,
    progressPtr: experiment.progress_ptr(),
    cancelPtr: experiment.cancel_ptr(),
  });
  const fit_seconds = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    // Only the fit is timed, like the seed's fit(X, Y).
    const start = performance.now();
    experiment.fit();
    const seconds = (performance.now() - start) / 1000;
    fit_seconds.push(seconds);
    postMessage({ type: "fit", threads, repeat, seconds });
  }
  const { oob_accuracy, total_nodes } = experiment.quality();
  experiment.free();
  postMessage({ type: "done", threads, fit_seconds, oob_accuracy, total_nodes });
}

self.addEventListener("message", (event) => {
  if (event.data?.type !== "run") return;
  run(event.data).catch(reportError);
});
