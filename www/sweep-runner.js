// Runs a sweep, one point per thread count k, on one of two backends (joblib's, in the
// browser): "threads" — a fresh module Worker whose rayon pool has exactly k threads over one
// shared memory times the fits, on the dataset the sweep's first point made and handed to the
// page (SweepData: made once a sweep, not once a point); "workers" — k fresh Workers, each its own
// single-threaded engine (the module compiled once, handed to each) with its own copy of the
// sweep's dataset (made by the first point's lead worker), dealt the steps of the workload (trees, folds, candidate × fold fits) by the page and
// sending their results back, as loky's processes do. Either way one WorkerPool owns the
// workers' lives (start, messages, a worker that dies, cancel), and the page only listens and
// deals. Threads backend: progress inside a fit
// comes from a finished-trees counter in the worker's shared wasm memory, read with
// Atomics.load twice a second (PROGRESS_MS), so the UI thread never waits on the workers
// and, while a fit is timed, does almost nothing (no per-frame work: the instrument must not
// take the cores it measures). In the same tick the page reads the worker's panic record: a
// pool thread that panics or traps dies alone, and the worker, waiting for it, would never say so.

import { compiledModule } from "./engine-modules.js";
import { engineError, errorWords, MESSAGE, runMessage, SHARD_MESSAGE, shardStart, shardStep } from "./protocol.js";

/**
 * @typedef {import("./pkg/coresweep.js").Plan} Plan
 * @typedef {import("./protocol.js").DoneMessage} DoneMessage
 * @typedef {import("./protocol.js").ShardAnswer} ShardAnswer
 * @typedef {import("./protocol.js").ShardRequest} ShardRequest
 * @typedef {import("./protocol.js").ScheduleStep} ScheduleStep
 * @typedef {{start: number, end: number}} Span
 * @typedef {import("./engine-modules.js").Build} Build
 * @typedef {{backend?: string, build?: Build, file?: File | null}} SweepOptions
 */

/** The threads backend's worker for each build (the single-threaded one runs 1 thread). */
const POINT_WORKER_URLS = {
  threaded: new URL("./sweep-worker.js", import.meta.url),
  single: new URL("./single-worker.js", import.meta.url),
};
const SHARD_WORKER_URL = new URL("./shard-worker.js", import.meta.url);

/**
 * The builds a point of this page has already warmed up (warm-up.js): their compiled module
 * (engine-modules.js) carries the optimised code to the next points' workers.
 * @type {Set<Build>}
 */
const warmBuilds = new Set();

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

/**
 * A measured point, as `on.point` gets it: the worker's "done" message, whether the page was
 * hidden during the point, and on the workers backend its setup time and each worker's span.
 * @typedef {Omit<import("./protocol.js").DoneMessage, "type"> & {
 *   hidden_during: boolean, setup_seconds?: number, spans?: {start: number, end: number}[],
 * }} SweepPoint
 *
 * What a sweep tells as it goes (startSweep).
 * @typedef {object} SweepEvents
 * @property {(k: number) => void} [start]
 * @property {(k: number) => void} [ready]
 * @property {(fit: {threads: number, repeat: number, seconds: number}) => void} [fit]
 * @property {(k: number, fraction: number | null) => void} [progress]
 * @property {(point: SweepPoint) => void} [point]
 *
 * A running sweep: how it ended, and its cancel.
 * @typedef {{finished: Promise<"done" | "cancelled">, cancel: () => void}} Sweep
 *
 * The error of a point that failed: the engine's words, the parameter, and the point.
 * @typedef {Error & {param: string | null, threads: number, poolStuck: boolean}} PointError
 */

/**
 * Whether the test hook `name` acts at the k-thread point: in every attempt at that point of
 * the page's first sweep (a point tried again in a fresh worker, when Firefox's pool did not
 * start, meets its failure again), until the point ends (endHooks).
 * @param {string} name
 * @param {number} k
 */
function hookAt(name, k) {
  return hooksAt.get(name) === k;
}

/**
 * Whether the test hook `name` acts at this attempt at the k-thread point (it then acts no
 * more): a pool that hangs hangs once, and the point is tried again.
 * @param {string} name
 * @param {number} k
 */
function takeHook(name, k) {
  if (!hookAt(name, k)) return false;
  hooksAt.set(name, null);
  return true;
}

/**
 * The k-thread point has ended: its test hooks act no more.
 * @param {number} k
 */
function endHooks(k) {
  for (const [name, at] of hooksAt) if (at === k) hooksAt.set(name, null);
}

/**
 * The error of the k-thread point: says which point failed, keeps the engine's parameter.
 * @param {number} k
 * @param {string} message
 * @param {string | null} param
 * @param {boolean} poolStuck
 * @returns {PointError}
 */
function pointError(k, message, param, poolStuck) {
  return Object.assign(engineError(`The ${k}-thread point failed: ${message}`, param), { threads: k, poolStuck });
}

/**
 * A worker's thread pool that did not start in time (runThreadsPoint): the point is tried again
 * in a fresh worker.
 */
class PoolStuck extends Error {}

/**
 * A sweep's dataset: the first point's worker (the lead one, on the workers backend) makes it
 * and hands it to the page ("data"), and every later point's workers get a copy and fit on it
 * instead of generating it or reading the user's table again (the engine checks it against the
 * plan). On the threads backend the page lets its copy go once the last point's engine holds
 * the rows (the workers backend posts it to its workers at every timed run). A point that fails
 * or is tried again before it hands the data on leaves the next attempt to make its own.
 */
class SweepData {
  /** @type {ArrayBuffer | null} */
  bytes = null;

  /**
   * What the "run" of a point carries: the dataset (postMessage copies it), or whether to
   * make it and hand it on.
   * @param {boolean} last whether no point of the sweep comes after this one
   */
  forPoint(last) {
    return { data: this.bytes, handData: this.bytes === null && !last };
  }

  /** @param {ArrayBuffer} bytes the dataset a point made */
  keep(bytes) {
    this.bytes = bytes;
  }

  /** The last point's engine holds the rows: no later point needs the page's copy. */
  release() {
    this.bytes = null;
  }
}

/**
 * How each point of the last sweep got its dataset: handed over by an earlier point or made
 * itself, and how long its worker (the lead one, on the workers backend) took to make or take
 * it (seconds).
 * @type {{threads: number, handed: boolean, seconds: number}[]}
 */
let lastData = [];

/** The data of each point of the last sweep: diagnostics, and the tests' proof. */
export function lastSweepData() {
  return lastData;
}

/**
 * The running fit as seen through the worker's shared wasm memory: the finished-trees counter
 * (progress), the cancel flag (stop the trees still to come) and the panic record (a thread
 * panicked: its message). A worker whose memory is not shared (the single-threaded build)
 * posts a tree message per finished tree instead of the counter.
 */
class SharedFit {
  /**
   * @param {number} treesPerFit the trees of one run of the workload (of all folds' forests for the sequels)
   * @param {number} fits
   */
  constructor(treesPerFit, fits) {
    this.treesPerFit = treesPerFit;
    this.fits = fits;
    this.fitsDone = 0;
    this.ready = false;
    this.treesPosted = 0;
    /** @type {WebAssembly.Memory | null} */
    this.memory = null;
    this.progressIndex = 0;
    /** @type {number | null} */
    this.cancelPtr = null;
    /** @type {number | null} */
    this.panicPtr = null;
    /** @type {Int32Array | null} */
    this.view = null;
    // After a fit ends the counter still holds that fit's total until the next fit resets it.
    this.stale = false;
  }

  /**
   * @param {WebAssembly.Memory | null} memory
   * @param {number} progressPtr
   * @param {number | null} cancelPtr
   * @param {number | null} panicPtr
   */
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

  /**
   * Growing the memory replaces its buffer; a view on the old one would read stale bytes.
   * @param {WebAssembly.Memory} memory
   */
  words(memory) {
    const buffer = memory.buffer;
    if (this.view?.buffer !== buffer) this.view = new Int32Array(buffer);
    return this.view;
  }

  /** null while the worker is still starting, else 0..1. */
  fraction() {
    if (!this.ready) return null;
    let trees = this.treesPosted;
    if (this.memory) {
      const words = this.words(this.memory);
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
    const length = Atomics.load(this.words(this.memory), this.panicPtr >>> 2);
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
/** @template Answer, Request */
class WorkerPool {
  /** @type {(reason: unknown) => void} */
  fail = () => {};

  /**
   * @param {URL} url
   * @param {number} size
   * @param {string} name
   * @param {AbortSignal} signal
   * @param {(index: number, data: Answer) => void} onMessage
   */
  constructor(url, size, name, signal, onMessage) {
    this.signal = signal;
    this.workers = Array.from(
      { length: size },
      (_, i) => new Worker(url, { type: "module", name: size > 1 ? `${name} (worker ${i + 1} of ${size})` : name }),
    );
    /** @type {Promise<never>} */
    this.failed = new Promise((_, reject) => {
      this.fail = reject;
    });
    this.workers.forEach((worker, i) => {
      worker.onmessage = (/** @type {MessageEvent<Answer>} */ { data }) => onMessage(i, data);
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

  /**
   * @param {number} i
   * @param {Request} message
   * @param {Transferable[]} transfer
   */
  post(i, message, transfer = []) {
    this.workers[i].postMessage(message, transfer);
  }

  /**
   * Settles as `body` does, or with the pool's first failure; terminates every worker.
   * @template T
   * @param {Promise<T>} body
   * @returns {Promise<T>}
   */
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
 * to the "done" message with `hidden_during`. The point fits on the sweep's dataset when an
 * earlier point made it (`sweepData`), else makes it and, unless it is the last, hands it on.
 * @param {Plan} plan
 * @param {number} k
 * @param {SweepEvents} on
 * @param {Build} build
 * @param {AbortSignal} signal
 * @param {File | null} file
 * @param {SweepData} sweepData
 * @param {boolean} last
 * @returns {Promise<SweepPoint>}
 */
async function runThreadsPoint(plan, k, on, build, signal, file, sweepData, last) {
  const module = await compiledModule(build);
  const fit = new SharedFit(plan.workload_trees, plan.repeats);
  const stopWatching = watchHidden();
  let timer = 0;
  // When the worker began starting its thread pool, until it is up (threaded build only).
  /** @type {number | null} */
  let poolStarting = null;
  /** @type {{resolve: (done: DoneMessage) => void, reject: (error: Error) => void}} */
  let finish = { resolve: () => {}, reject: () => {} };
  /** @type {Promise<DoneMessage>} */
  const finished = new Promise((resolve, reject) => {
    finish = { resolve, reject };
  });
  /** @type {WorkerPool<import("./protocol.js").PoolMessage | import("./protocol.js").DataMessage | import("./protocol.js").ReadyMessage | import("./protocol.js").TreeMessage | import("./protocol.js").FitMessage | DoneMessage | import("./protocol.js").ErrorMessage, import("./protocol.js").RunMessage>} */
  const pool = new WorkerPool(POINT_WORKER_URLS[build], 1, `coresweep ${k} threads`, signal, (_, message) => {
    switch (message.type) {
      case MESSAGE.POOL_STARTING:
        poolStarting = performance.now();
        break;
      case MESSAGE.POOL_UP:
        poolStarting = null;
        break;
      case MESSAGE.DATA:
        sweepData.keep(message.data);
        break;
      case MESSAGE.READY:
        lastData.push({ threads: k, handed: message.dataHanded, seconds: message.dataSeconds });
        if (last) sweepData.release();
        fit.attach(message.memory, message.progressPtr, message.cancelPtr, message.panicPtr);
        on.ready?.(k);
        break;
      case MESSAGE.TREE:
        fit.treeFinished();
        break;
      case MESSAGE.FIT:
        fit.fitFinished();
        on.fit?.(message);
        break;
      case MESSAGE.DONE:
        warmBuilds.add(build);
        finish.resolve(message);
        break;
      case MESSAGE.ERROR:
        finish.reject(engineError(message.message, message.param ?? null));
        break;
    }
  });
  const tick = () => {
    if (poolStarting !== null && performance.now() - poolStarting > POOL_START_MS) {
      finish.reject(
        new PoolStuck(`its thread pool did not start within ${POOL_START_MS / 1000} s, in ${POOL_ATTEMPTS} fresh workers; reload the page, or try fewer threads`),
      );
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
  timer = window.setInterval(tick, PROGRESS_MS);
  signal.addEventListener("abort", () => fit.stop(), { once: true });
  const middleTree = Math.floor(plan.forest.n_estimators / 2);
  const { data, handData } = sweepData.forPoint(last);
  pool.post(
    0,
    runMessage({
      plan: plan.to_json(),
      threads: k,
      repeats: plan.repeats,
      injectFailure: hookAt("inject_failure", k),
      injectPanicTree: hookAt("inject_panic", k) ? middleTree : null,
      injectAbortTree: hookAt("inject_abort", k) ? middleTree : null,
      injectPoolHang: takeHook("inject_pool_hang", k),
      file,
      data,
      handData,
      module,
      firstUse: !warmBuilds.has(build),
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

/**
 * Each worker's first start and last end (page clock, ms) in the last workers-backend run.
 * @type {Span[]}
 */
let lastSpans = [];

/** The spans of the last run on workers: diagnostics, and the tests' proof that workers overlap. */
export function lastWorkerSpans() {
  return lastSpans;
}

/** Steps a worker holds at once: one running and one waiting, so it never waits on the page. */
const STEPS_PER_WORKER = 2;

/**
 * Times the k-worker point of `plan` on the workers backend: k workers, each its own engine;
 * the lead one cuts the schedule and, in the sweep's first point, makes the data (untimed: later
 * points take the sweep's), every worker gets a copy and warms up (untimed); then
 * each timed run posts every worker a fresh copy of the data and deals the schedule's steps to
 * whichever worker has room, passing each the outputs of the steps it reads, until the last
 * result is in. That span is the run's time: the data's trip to each worker is in it, as
 * joblib's pickling is inside sklearn's n_jobs timings. Starting the workers and compiling the
 * module are not (`setup_seconds`). Resolves to the "done" shape of the threads backend, plus
 * `spans`: each worker's first start and last end of the last run, on the page's clock.
 * @param {Plan} plan
 * @param {number} k
 * @param {SweepEvents} on
 * @param {AbortSignal} signal
 * @param {File | null} file
 * @param {SweepData} sweepData the sweep's dataset, when an earlier point made it
 * @returns {Promise<SweepPoint>}
 */
async function runWorkersPoint(plan, k, on, signal, file, sweepData) {
  const setupStart = performance.now();
  const module = await compiledModule("single");
  const stopWatching = watchHidden();
  const totalTrees = plan.workload_trees;
  /** @type {Map<string, (data: any) => void>[]} the answer each worker is waited for with, by type */
  const handlers = Array.from({ length: k }, () => new Map());
  let treesDone = 0;
  /** @type {WorkerPool<ShardAnswer, ShardRequest>} */
  const pool = new WorkerPool(SHARD_WORKER_URL, k, `coresweep ${k} workers`, signal, (i, data) => {
    if (data.type === SHARD_MESSAGE.TREE) {
      treesDone += 1;
      return;
    }
    const handler = handlers[i].get(data.type === SHARD_MESSAGE.ERROR ? "error" : data.type);
    handler?.(data);
  });
  /**
   * The next message of `type` from worker i (or its error).
   * @template {ShardAnswer["type"]} Type
   * @param {number} i
   * @param {Type} type
   * @returns {Promise<Extract<ShardAnswer, {type: Type}>>}
   */
  const next = (i, type) =>
    new Promise((resolve, reject) => {
      handlers[i].set(type, (data) => {
        handlers[i].delete(type);
        resolve(data);
      });
      handlers[i].set("error", (/** @type {import("./protocol.js").ErrorMessage} */ data) =>
        reject(engineError(data.message, data.param ?? null)),
      );
    });
  const timer = setInterval(() => on.progress?.(k, Math.min(1, treesDone / (totalTrees * plan.repeats))), PROGRESS_MS);
  const injectPanic = hookAt("inject_worker_panic", k);

  async function point() {
    const planText = plan.to_json();
    const makeData = sweepData.bytes === null;
    for (let i = 0; i < k; i++) {
      const lead = i === 0;
      pool.post(i, shardStart({ module, plan: planText, lead, makeData: lead && makeData, workers: k, file: lead && makeData ? file : null, injectPanic }));
    }
    const [{ data: made, dataSeconds, schedule: scheduleText }] = await Promise.all([
      next(0, SHARD_MESSAGE.DATA),
      ...Array.from({ length: k - 1 }, (_, i) => next(i + 1, SHARD_MESSAGE.STARTED)),
    ]);
    if (made) sweepData.keep(made);
    const data = /** @type {ArrayBuffer} */ (sweepData.bytes);
    lastData.push({ threads: k, handed: !made, seconds: dataSeconds });
    /** @type {ScheduleStep[]} */
    const schedule = JSON.parse(scheduleText);
    const firstUse = !warmBuilds.has("single");
    for (let i = 0; i < k; i++) pool.post(i, { type: SHARD_MESSAGE.LOAD, data }), pool.post(i, { type: SHARD_MESSAGE.WARM, firstUse });
    await Promise.all(Array.from({ length: k }, (_, i) => next(i, SHARD_MESSAGE.WARM)));
    warmBuilds.add("single");
    const setup_seconds = (performance.now() - setupStart) / 1000;
    on.ready?.(k);
    const fit_seconds = [];
    /** @type {ArrayBuffer[]} */
    let outputs = [];
    /** @type {Span[]} */
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

  /**
   * One timed run: the data to every worker, then the steps dealt until every output is in.
   * @param {ScheduleStep[]} schedule
   * @param {ArrayBuffer} data
   * @returns {Promise<{seconds: number, outputs: ArrayBuffer[], spans: Span[]}>}
   */
  function dealRun(schedule, data) {
    return new Promise((resolve, reject) => {
      const n = schedule.length;
      /** @type {(ArrayBuffer | null)[]} */
      const outputs = new Array(n).fill(null);
      const dealt = new Array(n).fill(false);
      const holding = new Array(k).fill(0);
      const spans = Array.from({ length: k }, () => ({ start: Infinity, end: -Infinity }));
      let done = 0;
      /** @param {ScheduleStep} step */
      const ready = (step) => step.inputs.concat(step.after).every((s) => outputs[s] !== null);
      const deal = () => {
        for (let id = 0; id < n; id++) {
          if (dealt[id] || !ready(schedule[id])) continue;
          const worker = holding.indexOf(Math.min(...holding));
          if (holding[worker] >= STEPS_PER_WORKER) return;
          dealt[id] = true;
          holding[worker] += 1;
          const step = schedule[id];
          pool.post(worker, shardStep(id, JSON.stringify(step.task), step.inputs.map((s) => /** @type {ArrayBuffer} */ (outputs[s]))));
        }
      };
      const start = performance.now();
      for (let i = 0; i < k; i++) {
        handlers[i].set(SHARD_MESSAGE.RESULT, (/** @type {import("./protocol.js").ShardResult} */ { id, output, start: from, end: to }) => {
          outputs[id] = output;
          holding[i] -= 1;
          spans[i].start = Math.min(spans[i].start, from);
          spans[i].end = Math.max(spans[i].end, to);
          done += 1;
          if (done === n) resolve({ seconds: (performance.now() - start) / 1000, outputs: /** @type {ArrayBuffer[]} */ (outputs), spans });
          else deal();
        });
        handlers[i].set("error", (/** @type {import("./protocol.js").ErrorMessage} */ error) =>
          reject(engineError(error.message, error.param ?? null)),
        );
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

/**
 * Runs the k point of `plan` on `backend`; its errors say which point failed.
 * @param {Plan} plan
 * @param {number} k
 * @param {SweepEvents} on
 * @param {SweepOptions} options
 * @param {AbortSignal} signal
 * @param {SweepData} data the sweep's dataset, once a point made it
 * @param {boolean} last whether no point comes after this one
 */
async function runPoint(plan, k, on, options, signal, data, last) {
  try {
    return options.backend === "workers"
      ? await runWorkersPoint(plan, k, on, signal, options.file ?? null, data)
      : await runThreadsPoint(plan, k, on, options.build ?? "threaded", signal, options.file ?? null, data, last);
  } catch (error) {
    if (signal.aborted) throw error;
    const { message, param } = errorWords(error);
    throw pointError(k, message, param, error instanceof PoolStuck);
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
 * `options`: `backend` ("threads", the default, or "workers"); `build`, the threads backend's
 * ("threaded", the default; "single" for a 1-thread fit on a page without isolation);
 * `file`, the user's table (a File) when the plan reads one: the first point's worker (the
 * lead one, on the workers backend) reads it and hands its rows to the later points (SweepData). Points of the workers backend also carry
 * `setup_seconds` and `spans` (each worker's first start and last end of the last run).
 * @param {import("./pkg/coresweep.js").Plan} plan
 * @param {SweepEvents} on
 * @param {SweepOptions} options
 * @returns {Sweep}
 */
export function startSweep(plan, on, options = {}) {
  const cancelling = new AbortController();
  const { signal } = cancelling;

  /** @returns {Promise<"done" | "cancelled">} */
  async function runAll() {
    const threads = plan.threads;
    const data = new SweepData();
    lastData = [];
    for (const [index, k] of threads.entries()) {
      on.start?.(k);
      /** @type {SweepPoint | undefined} */
      let point;
      try {
        for (let attempt = 1; point === undefined; attempt++) {
          try {
            point = await runPoint(plan, k, on, options, signal, data, index === threads.length - 1);
          } catch (error) {
            if (signal.aborted) return "cancelled";
            // A pool that never started: the same point again, in a fresh worker.
            if (!/** @type {PointError} */ (error).poolStuck || attempt === POOL_ATTEMPTS) throw error;
          }
        }
      } finally {
        endHooks(k);
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
