// The sweep worker of pages that are not cross-origin isolated: the single-threaded build
// (www/pkg-single/, no atomics, no thread pool) runs one point at 1 thread. Same protocol as
// sweep-worker.js, except that its memory is not shared, so "ready" carries no memory and the
// page shows the fit's progress as indeterminate.
import init, { Experiment } from "./pkg-single/coresweep.js";

function reportError(error) {
  const message = error instanceof Error ? error.message : String(error);
  const param = typeof error?.param === "string" ? error.param : null;
  postMessage({ type: "error", message: message || "unknown error in the sweep worker", param });
}

self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  reportError(event.reason);
});
self.addEventListener("error", (event) => {
  event.preventDefault();
  reportError(event.error ?? event.message);
});

async function run({ dataset, forest, threads, repeats }) {
  if (threads !== 1) throw new Error(`the single-threaded build runs 1 thread, not ${threads}`);
  await init();
  const experiment = new Experiment(dataset, forest);
  postMessage({ type: "ready", memory: null, progressPtr: 0, cancelPtr: null });
  const fit_seconds = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
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
