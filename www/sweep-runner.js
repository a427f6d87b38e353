// Runs a sweep, one point per thread count k, on one of two backends (joblib's, in the
// browser): "threads" — a fresh module Worker whose rayon pool has exactly k threads over one
// shared memory builds the data and times the fits; "workers" — k fresh Workers, each its own
// single-threaded engine (the module compiled once, handed to each) with its own copy of the
// data, dealt the steps of the workload (trees, folds, candidate × fold fits) by the page and
// sending their results back, as loky's processes do. Either way one WorkerPool owns the
// workers' lives (start, messages, a worker that dies, cancel), and the page only listens and
// deals. Threads backend: progress inside a fit
// comes from a finished-trees counter in the worker's shared wasm memory, read with
// Atomics.load twice a second (PROGRESS_MS), so the UI thread never waits on the workers
// and, while a fit is timed, does almost nothing (no per-frame work: the instrument must not
// take the cores it measures). In the same tick the page reads the worker's panic record: a
// pool thread that panics or traps dies alone, and the worker, waiting for it, would never say so.

import { MESSAGE, runMessage, SHARD_MESSAGE, shardStart, shardStep } from "./protocol.js";

const WORKER_URL = new URL("./sweep-worker.js", import.meta.url);
const SHARD_WORKER_URL = new URL("./shard-worker.js", import.meta.url);
const SINGLE_WASM_URL = new URL("./pkg-single/coresweep_bg.wasm", import.meta.url);

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
// `?inject_worker_panic=<k>`: the workers backend's k-worker point panics in the engine.
export const TEST_HOOKS = ["inject_failure", "inject_panic", "inject_abort", "inject_pool_hang", "inject_worker_panic"];
const hooksAt = new Map(
  TEST_HOOKS.map((name) => [
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
 * The one owner of a point's workers, whichever the backend: it starts them, hands their
 * messages to `onMessage(index, data)`, and ends them all whichever way the point ends —
 * `run(body)` settles with `body`'s promise, or rejects as soon as a worker dies, sends a
 * message the page cannot read, or `signal` aborts (cancel); the workers are terminated in
 * every case. Squoosh's worker bridge in the small.
 */
class WorkerPool {
  constructor(url, size, name, signal, onMessage) {
    this.signal = signal;
    this.workers = Array.from(
      { length: size },
      (_, i) => new Worker(url, { type: "module", name: size > 1 ? `${name} (worker ${i + 1} of ${size})` : name }),
    );
    this.failed = new Promise((_, reject) => {
      this.fail = reject;
    });
    this.workers.forEach((worker, i) => {
      worker.onmessage = ({ data }) => onMessage(i, data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.fail(new Error(`its worker died: ${event.message || "it could not be loaded"}`));
      };
      worker.onmessageerror = () =>
        this.fail(new Error("its worker sent a message the page could not read (is the page cross-origin isolated?)"));
    });
    this.onAbort = () => this.fail(signal.reason);
    signal.addEventListener("abort", this.onAbort);
  }

  post(i, message, transfer = []) {
    this.workers[i].postMessage(message, transfer);
  }

  /** Settles as `body` does, or with the pool's first failure; terminates every worker. */
  async run(body) {
    if (this.signal.aborted) this.fail(this.signal.reason);
    try {
      return await Promise.race([body, this.failed]);
    } finally {
      for (const worker of this.workers) worker.terminate();
      this.signal.removeEventListener("abort", this.onAbort);
    }
  }
}

/** Whether the page was hidden at any time from now until `stop()` (browsers may slow workers then). */
function watchHidden() {
  let hidden = document.visibilityState === "hidden";
  const onVisibility = () => {
    if (document.visibilityState === "hidden") hidden = true;
  };
  document.addEventListener("visibilitychange", onVisibility);
  return () => {
    document.removeEventListener("visibilitychange", onVisibility);
    return hidden;
  };
}

/**
 * Times the k-thread point of `plan` on the threads backend, in a worker of its own: it follows
 * the worker's messages (protocol.js) and, every PROGRESS_MS, its shared memory (progress,
 * panics). On cancel the fit is asked to stop first, then the worker is terminated. Resolves
 * to the "done" message with `hidden_during`.
 */
function runThreadsPoint(plan, k, on, workerUrl, signal, file) {
  const fit = new SharedFit(plan.workload_trees, plan.repeats);
  const stopWatching = watchHidden();
  let timer = 0;
  // When the worker began starting its thread pool, until it is up (threaded build only).
  let poolStarting = null;
  let finish;
  const finished = new Promise((resolve, reject) => {
    finish = { resolve, reject };
  });
  const pool = new WorkerPool(workerUrl, 1, `coresweep ${k} threads`, signal, (_, data) => {
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
        finish.resolve(data);
        break;
      case MESSAGE.ERROR:
        finish.reject(engineError(data.message, data.param ?? null));
        break;
    }
  });
  const tick = () => {
    if (poolStarting !== null && performance.now() - poolStarting > POOL_START_MS) {
      const error = new Error(`its thread pool did not start within ${POOL_START_MS / 1000} s, in ${POOL_ATTEMPTS} fresh workers; reload the page, or try fewer threads`);
      error.poolStuck = true;
      finish.reject(error);
      return;
    }
    // A panic on a pool thread kills only that thread and leaves the worker waiting for
    // it, silent: the record is the only news of it. Terminating the worker ends its pool.
    const panic = fit.panicMessage();
    if (panic !== null) {
      fit.stop();
      finish.reject(new Error(panic));
      return;
    }
    on.progress?.(k, fit.fraction());
  };
  timer = setInterval(tick, PROGRESS_MS);
  signal.addEventListener("abort", () => fit.stop(), { once: true });
  const middleTree = Math.floor(plan.forest.n_estimators / 2);
  pool.post(
    0,
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
  return pool.run(finished).then(
    (done) => ({ ...done, hidden_during: stopWatching() }),
    (error) => {
      stopWatching();
      throw error;
    },
  ).finally(() => clearInterval(timer));
}

/** The single-threaded module, compiled once per page and handed to every worker. */
let compiledSingle = null;

function singleModule() {
  compiledSingle ??= WebAssembly.compileStreaming(fetch(SINGLE_WASM_URL)).catch((error) => {
    compiledSingle = null;
    throw error;
  });
  return compiledSingle;
}

/** Each worker's first start and last end (page clock, ms) in the last workers-backend run. */
let lastSpans = [];

/** The spans of the last run on workers: diagnostics, and the tests' proof that workers overlap. */
export function lastWorkerSpans() {
  return lastSpans;
}

/** Steps a worker holds at once: one running and one waiting, so it never waits on the page. */
const STEPS_PER_WORKER = 2;

/**
 * Times the k-worker point of `plan` on the workers backend: k workers, each its own engine;
 * the lead one makes the data (untimed), every worker gets a copy and warms up (untimed); then
 * each timed run posts every worker a fresh copy of the data and deals the schedule's steps to
 * whichever worker has room, passing each the outputs of the steps it reads, until the last
 * result is in. That span is the run's time: the data's trip to each worker is in it, as
 * joblib's pickling is inside sklearn's n_jobs timings. Starting the workers and compiling the
 * module are not (`setup_seconds`). Resolves to the "done" shape of the threads backend, plus
 * `spans`: each worker's first start and last end of the last run, on the page's clock.
 */
async function runWorkersPoint(plan, k, on, signal, file) {
  const setupStart = performance.now();
  const module = await singleModule();
  const stopWatching = watchHidden();
  const totalTrees = plan.workload_trees;
  const handlers = Array.from({ length: k }, () => new Map());
  let treesDone = 0;
  const pool = new WorkerPool(SHARD_WORKER_URL, k, `coresweep ${k} workers`, signal, (i, data) => {
    if (data.type === SHARD_MESSAGE.TREE) {
      treesDone += 1;
      return;
    }
    const handler = handlers[i].get(data.type === SHARD_MESSAGE.ERROR ? "error" : data.type);
    handler?.(data);
  });
  // The next message of `type` from worker i (or its error).
  const next = (i, type) =>
    new Promise((resolve, reject) => {
      handlers[i].set(type, (data) => {
        handlers[i].delete(type);
        resolve(data);
      });
      handlers[i].set("error", (data) => reject(engineError(data.message, data.param ?? null)));
    });
  const timer = setInterval(() => on.progress?.(k, Math.min(1, treesDone / (totalTrees * plan.repeats))), PROGRESS_MS);
  const injectPanic = takeHook("inject_worker_panic", k);

  async function point() {
    const planText = plan.to_json();
    for (let i = 0; i < k; i++) {
      pool.post(i, shardStart({ module, plan: planText, lead: i === 0, workers: k, file: i === 0 ? file : null, injectPanic }));
    }
    const [{ data, schedule: scheduleText }] = await Promise.all(
      Array.from({ length: k }, (_, i) => next(i, i === 0 ? SHARD_MESSAGE.DATA : SHARD_MESSAGE.STARTED)),
    );
    const schedule = JSON.parse(scheduleText);
    for (let i = 0; i < k; i++) pool.post(i, { type: SHARD_MESSAGE.LOAD, data }), pool.post(i, { type: SHARD_MESSAGE.WARM });
    await Promise.all(Array.from({ length: k }, (_, i) => next(i, SHARD_MESSAGE.WARM)));
    const setup_seconds = (performance.now() - setupStart) / 1000;
    on.ready?.(k);
    const fit_seconds = [];
    let outputs = [];
    let spans = [];
    for (let repeat = 0; repeat < plan.repeats; repeat++) {
      const run = await dealRun(schedule, data);
      fit_seconds.push(run.seconds);
      ({ outputs, spans } = run);
      on.fit?.({ threads: k, repeat, seconds: run.seconds });
    }
    const taskTexts = JSON.stringify(schedule);
    const answer = next(0, SHARD_MESSAGE.QUALITY);
    pool.post(0, { type: SHARD_MESSAGE.QUALITY, schedule: taskTexts, outputs });
    const quality = JSON.parse((await answer).quality);
    return {
      threads: k,
      fit_seconds,
      oob_accuracy: quality.oob_accuracy ?? null,
      total_nodes: quality.total_nodes ?? null,
      quality: plan.workload === "fit" ? null : JSON.stringify(quality),
      setup_seconds,
      spans,
    };
  }

  /** One timed run: the data to every worker, then the steps dealt until every output is in. */
  function dealRun(schedule, data) {
    return new Promise((resolve, reject) => {
      const n = schedule.length;
      const outputs = new Array(n).fill(null);
      const dealt = new Array(n).fill(false);
      const holding = new Array(k).fill(0);
      const spans = Array.from({ length: k }, () => ({ start: Infinity, end: -Infinity }));
      let done = 0;
      const ready = (step) => step.inputs.concat(step.after).every((s) => outputs[s] !== null);
      const deal = () => {
        for (let id = 0; id < n; id++) {
          if (dealt[id] || !ready(schedule[id])) continue;
          const worker = holding.indexOf(Math.min(...holding));
          if (holding[worker] >= STEPS_PER_WORKER) return;
          dealt[id] = true;
          holding[worker] += 1;
          const step = schedule[id];
          pool.post(worker, shardStep(id, JSON.stringify(step.task), step.inputs.map((s) => outputs[s])));
        }
      };
      const start = performance.now();
      for (let i = 0; i < k; i++) {
        handlers[i].set(SHARD_MESSAGE.RESULT, ({ id, output, start: from, end: to }) => {
          outputs[id] = output;
          holding[i] -= 1;
          spans[i].start = Math.min(spans[i].start, from);
          spans[i].end = Math.max(spans[i].end, to);
          done += 1;
          if (done === n) resolve({ seconds: (performance.now() - start) / 1000, outputs, spans });
          else deal();
        });
        handlers[i].set("error", (error) => reject(engineError(error.message, error.param ?? null)));
        // A copy for each worker, as a process gets its own.
        pool.post(i, { type: SHARD_MESSAGE.LOAD, data });
      }
      deal();
    });
  }

  try {
    const done = await pool.run(point());
    lastSpans = done.spans;
    return { ...done, hidden_during: stopWatching() };
  } catch (error) {
    stopWatching();
    throw error;
  } finally {
    clearInterval(timer);
  }
}

/** Runs the k point of `plan` on `backend`; its errors say which point failed. */
async function runPoint(plan, k, on, options, signal) {
  try {
    return options.backend === "workers"
      ? await runWorkersPoint(plan, k, on, signal, options.file)
      : await runThreadsPoint(plan, k, on, options.workerUrl ?? WORKER_URL, signal, options.file);
  } catch (error) {
    if (signal.aborted) throw error;
    const failed = pointError(k, error.message, error.param ?? null);
    failed.poolStuck = error.poolStuck === true;
    throw failed;
  }
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
 * `options`: `backend` ("threads", the default, or "workers"); `workerUrl`, the threads
 * backend's worker (the single-threaded one for a 1-thread fit on a page without isolation);
 * `file`, the user's table (a File) when the plan reads one: each worker (the lead one, for
 * the workers backend) reads it again. Points of the workers backend also carry
 * `setup_seconds` and `spans` (each worker's first start and last end of the last run).
 */
export function startSweep(plan, on, options = {}) {
  const cancelling = new AbortController();
  const { signal } = cancelling;

  async function runAll() {
    for (const k of plan.threads) {
      on.start?.(k);
      let point;
      for (let attempt = 1; point === undefined; attempt++) {
        try {
          point = await runPoint(plan, k, on, options, signal);
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
