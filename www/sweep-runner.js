// Runs a sweep: for each thread count k, a fresh module Worker whose rayon pool has exactly k
// threads builds the data and times the fits; the page only listens. Progress inside a fit
// comes from a finished-trees counter in the worker's shared wasm memory, read with
// Atomics.load twice a second (PROGRESS_MS), so the UI thread never waits on the workers
// and, while a fit is timed, does almost nothing (no per-frame work: the instrument must not
// take the cores it measures). In the same tick the page reads the worker's panic record: a
// pool thread that panics or traps dies alone, and the worker, waiting for it, would never say so.

import { MESSAGE, runMessage } from "./protocol.js";

const WORKER_URL = new URL("./sweep-worker.js", import.meta.url);

/** How often the page looks at a running point's progress and panic record. */
const PROGRESS_MS = 500;

/**
 * How long a worker's thread pool may take to start (it takes well under a second), and how
 * many fresh workers a point gets: Firefox now and then never finishes starting a pool of
 * wasm-bindgen-rayon (measured here: 2 pages in 25), and the worker would wait for ever.
 */
const POOL_START_MS = 10_000;
const POOL_ATTEMPTS = 3;

// Test hooks, not page parameters, read before the page rewrites the address from its form;
// each acts in the first sweep of the page only. `?inject_failure=<k>` makes the worker of the
// k-thread point throw once its data is built, so tests can check that a failed point is
// reported and the finished ones are kept. `?inject_panic=<k>` makes the engine panic (a real
// Rust panic) in the middle tree of the k-thread point's fit, on a pool thread of the threaded
// build; `?inject_abort=<k>` aborts there instead, a trap that runs no panic hook;
// `?inject_pool_hang=<k>` makes the k-thread point's first worker never finish starting its
// thread pool, as Firefox now and then does.
const hooksAt = new Map(
  ["inject_failure", "inject_panic", "inject_abort", "inject_pool_hang"].map((name) => [
    name,
    Number(new URLSearchParams(location.search).get(name)) || null,
  ]),
);

/** Whether the test hook `name` acts at the k-thread point (it then acts no more). */
function takeHook(name, k) {
  if (hooksAt.get(name) !== k) return false;
  hooksAt.set(name, null);
  return true;
}

/** An error in the shape the engine throws: the message, and the parameter when it is about one. */
function engineError(message, param = null) {
  const error = new Error(message);
  error.param = param;
  return error;
}

/** The error of the k-thread point: says which point failed, keeps the engine's parameter. */
function pointError(k, message, param = null) {
  const error = engineError(`The ${k}-thread point failed: ${message}`, param);
  error.threads = k;
  return error;
}

/**
 * The running fit as seen through the worker's shared wasm memory: the finished-trees counter
 * (progress), the cancel flag (stop the trees still to come) and the panic record (a thread
 * panicked: its message). A worker whose memory is not shared (the single-threaded build)
 * posts a tree message per finished tree instead of the counter.
 */
class SharedFit {
  // treesPerFit: the trees of one run of the workload (of all folds' forests for the sequels).
  constructor(treesPerFit, fits) {
    this.treesPerFit = treesPerFit;
    this.fits = fits;
    this.fitsDone = 0;
    this.ready = false;
    this.treesPosted = 0;
    this.memory = null;
    this.progressIndex = 0;
    this.cancelPtr = null;
    this.panicPtr = null;
    this.view = null;
    // After a fit ends the counter still holds that fit's total until the next fit resets it.
    this.stale = false;
  }

  attach(memory, progressPtr, cancelPtr, panicPtr) {
    this.ready = true;
    this.memory = memory;
    this.progressIndex = progressPtr >>> 2;
    this.cancelPtr = cancelPtr ?? null;
    this.panicPtr = panicPtr ?? null;
  }

  treeFinished() {
    this.treesPosted += 1;
  }

  fitFinished() {
    this.fitsDone += 1;
    this.treesPosted = 0;
    this.stale = true;
  }

  /** Growing the memory replaces its buffer; a view on the old one would read stale bytes. */
  words() {
    const buffer = this.memory.buffer;
    if (this.view?.buffer !== buffer) this.view = new Int32Array(buffer);
    return this.view;
  }

  /** null while the worker is still starting, else 0..1. */
  fraction() {
    if (!this.ready) return null;
    let trees = this.treesPosted;
    if (this.memory) {
      const words = this.words();
      trees = this.progressIndex < words.length ? Atomics.load(words, this.progressIndex) : 0;
      if (this.stale) {
        if (trees >= this.treesPerFit) trees = 0;
        else this.stale = false;
      }
    }
    const done = this.fitsDone * this.treesPerFit + Math.min(trees, this.treesPerFit);
    return Math.min(1, done / (this.fits * this.treesPerFit));
  }

  /** The message of the first panic on any of the worker's threads, or null while none. */
  panicMessage() {
    if (!this.memory || this.panicPtr === null) return null;
    const length = Atomics.load(this.words(), this.panicPtr >>> 2);
    if (length === 0) return null;
    // TextDecoder refuses views of a SharedArrayBuffer: slice() copies the bytes out.
    const bytes = new Uint8Array(this.memory.buffer, this.panicPtr + 8, length).slice();
    return new TextDecoder().decode(bytes);
  }

  /** Asks the pool's threads to start no more trees (terminating the worker follows). */
  stop() {
    if (this.memory && this.cancelPtr !== null)
      Atomics.store(new Uint8Array(this.memory.buffer), this.cancelPtr, 1);
  }
}

/**
 * Times the k-thread point of `plan` in a worker of its own, which this function owns from
 * start to end: it starts the worker, follows its messages (protocol.js) and, every
 * PROGRESS_MS, its shared memory (progress, panics), and terminates it whichever way the point ends — done,
 * failed, or cancelled through `signal` (the fit is asked to stop first, then the worker is
 * terminated). Resolves to the "done" message with `hidden_during`: whether the page was
 * hidden while the point ran (the browser may then slow its workers).
 */
function runPoint(plan, k, on, workerUrl, signal, file) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const fit = new SharedFit(plan.workload_trees, plan.repeats);
    const worker = new Worker(workerUrl, { type: "module", name: `coresweep ${k} threads` });
    let hidden = document.visibilityState === "hidden";
    let timer = 0;
    // When the worker began starting its thread pool, until it is up (threaded build only).
    let poolStarting = null;
    const onVisibility = () => {
      if (document.visibilityState === "hidden") hidden = true;
    };
    const onAbort = () => {
      fit.stop();
      end(reject, signal.reason);
    };
    const end = (settle, value) => {
      clearInterval(timer);
      worker.terminate();
      document.removeEventListener("visibilitychange", onVisibility);
      signal.removeEventListener("abort", onAbort);
      settle(value);
    };
    document.addEventListener("visibilitychange", onVisibility);
    signal.addEventListener("abort", onAbort);
    worker.onmessage = ({ data }) => {
      switch (data.type) {
        case MESSAGE.POOL_STARTING:
          poolStarting = performance.now();
          break;
        case MESSAGE.POOL_UP:
          poolStarting = null;
          break;
        case MESSAGE.READY:
          fit.attach(data.memory, data.progressPtr, data.cancelPtr, data.panicPtr);
          on.ready?.(k);
          break;
        case MESSAGE.TREE:
          fit.treeFinished();
          break;
        case MESSAGE.FIT:
          fit.fitFinished();
          on.fit?.(data);
          break;
        case MESSAGE.DONE:
          end(resolve, { ...data, hidden_during: hidden });
          break;
        case MESSAGE.ERROR:
          end(reject, pointError(k, data.message, data.param ?? null));
          break;
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      end(reject, pointError(k, `its worker died: ${event.message || "it could not be loaded"}`));
    };
    worker.onmessageerror = () => {
      end(
        reject,
        pointError(
          k,
          "its worker sent a message the page could not read (is the page cross-origin isolated?)",
        ),
      );
    };
    const tick = () => {
      if (poolStarting !== null && performance.now() - poolStarting > POOL_START_MS) {
        const error = pointError(k, `its thread pool did not start within ${POOL_START_MS / 1000} s, in ${POOL_ATTEMPTS} fresh workers; reload the page, or try fewer threads`);
        error.poolStuck = true;
        end(reject, error);
        return;
      }
      // A panic on a pool thread kills only that thread and leaves the worker waiting for
      // it, silent: the record is the only news of it. Terminating the worker ends its pool.
      const panic = fit.panicMessage();
      if (panic !== null) {
        fit.stop();
        end(reject, pointError(k, panic));
        return;
      }
      on.progress?.(k, fit.fraction());
    };
    timer = setInterval(tick, PROGRESS_MS);
    const middleTree = Math.floor(plan.forest.n_estimators / 2);
    worker.postMessage(
      runMessage({
        plan: plan.to_json(),
        threads: k,
        repeats: plan.repeats,
        injectFailure: takeHook("inject_failure", k),
        injectPanicTree: takeHook("inject_panic", k) ? middleTree : null,
        injectAbortTree: takeHook("inject_abort", k) ? middleTree : null,
        injectPoolHang: takeHook("inject_pool_hang", k),
        file,
      }),
    );
  });
}

/**
 * Starts the sweep of `plan` (the engine's Plan, as check_experiment returns it: threads,
 * repeats, forest, to_json()): one point after the other (runPoint). `on` receives: start(k), ready(k),
 * fit({threads, repeat, seconds}), progress(k, fraction or null), point({threads, fit_seconds,
 * oob_accuracy, total_nodes, hidden_during}) where hidden_during is true when the page was
 * hidden during the point.
 * Returns {finished, cancel}: `finished` resolves to "done" or "cancelled" and rejects with an
 * engine error whose `threads` names the point that failed (earlier points stay reported);
 * `cancel()` terminates the running worker at once, finished points stay reported.
 * `workerUrl` picks the worker (the single-threaded one on pages without isolation); `file` is
 * the user's table (a File) when the plan reads one: each worker reads it again.
 */
export function startSweep(plan, on, workerUrl = WORKER_URL, file = null) {
  const cancelling = new AbortController();
  const { signal } = cancelling;

  async function runAll() {
    for (const k of plan.threads) {
      on.start?.(k);
      let point;
      for (let attempt = 1; point === undefined; attempt++) {
        try {
          point = await runPoint(plan, k, on, workerUrl, signal, file);
        } catch (error) {
          if (signal.aborted) return "cancelled";
          // A pool that never started: the same point again, in a fresh worker.
          if (!error.poolStuck || attempt === POOL_ATTEMPTS) throw error;
        }
      }
      on.point?.(point);
    }
    return "done";
  }

  return {
    finished: runAll(),
    cancel: () => cancelling.abort(),
  };
}
