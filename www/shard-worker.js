// A worker of the workers backend (joblib's loky processes, in the browser): its own
// single-threaded engine (the module the page compiled once), its own copy of the data, and
// the steps of the schedule the page deals to it. Protocol: SHARD_MESSAGE in www/protocol.js.
import init, { Plan, WorkerShard } from "./pkg-single/coresweep.js";
import { reportError, reportEverything } from "./point-worker.js";
import { SHARD_MESSAGE, shardData, shardResult } from "./protocol.js";
import { warmUp } from "./warm-up.js";

/** The page's clock: the same in every context of the page. */
const now = () => performance.timeOrigin + performance.now();

/**
 * @typedef {import("./protocol.js").ShardRequest} ShardRequest
 */

/** @type {Plan | null} */
let plan = null;
/** @type {WorkerShard | null} */
let shard = null;
let injectPanic = false;

/** The plan "start" read: every later message needs it. */
function startedPlan() {
  if (!plan) throw new Error(`the worker got a message before "${SHARD_MESSAGE.START}"`);
  return plan;
}

/** The engine "load" made: the steps need it. */
function loadedShard() {
  if (!shard) throw new Error(`the worker got a step before "${SHARD_MESSAGE.LOAD}"`);
  return shard;
}

reportEverything();

/**
 * A fresh engine on a copy of the data: what every timed run starts with, as a process does.
 * @param {ArrayBuffer} data
 */
function load(data) {
  shard?.free();
  shard = null;
  const fresh = new WorkerShard(startedPlan(), new Uint8Array(data));
  fresh.on_tree(() => postMessage({ type: SHARD_MESSAGE.TREE }));
  if (injectPanic) fresh.panic_in_steps();
  shard = fresh;
}

/** @param {ArrayBuffer[]} buffers */
const bytesOf = (buffers) => buffers.map((buffer) => new Uint8Array(buffer));

/**
 * Answers one message of the page.
 * @param {ShardRequest} message
 */
async function handle(message) {
  switch (message.type) {
    case SHARD_MESSAGE.START: {
      const { module, plan: text, lead, makeData, workers, file } = message;
      await init({ module_or_path: module });
      // Without the file, a plan on a table is the plan on its record: the rows come as "load".
      const started = file ? Plan.from_json_with_file(text, file) : Plan.from_json(text);
      plan = started;
      injectPanic = message.injectPanic;
      if (!lead) {
        postMessage({ type: SHARD_MESSAGE.STARTED });
        return;
      }
      const schedule = WorkerShard.schedule(started, workers);
      if (!makeData) {
        postMessage(shardData(null, 0, schedule));
        return;
      }
      const dataStart = performance.now();
      const data = /** @type {Uint8Array<ArrayBuffer>} */ (WorkerShard.data_of(started));
      postMessage(shardData(data.buffer, (performance.now() - dataStart) / 1000, schedule), [data.buffer]);
      return;
    }
    case SHARD_MESSAGE.LOAD:
      load(message.data);
      return;
    case SHARD_MESSAGE.WARM: {
      const engine = loadedShard();
      warmUp(() => engine.warm_up(), 1, message.firstUse);
      postMessage({ type: SHARD_MESSAGE.WARM });
      return;
    }
    case SHARD_MESSAGE.STEP: {
      const start = now();
      // A copy out of the wasm memory (which is not shared in this build): its own buffer.
      const output = /** @type {Uint8Array<ArrayBuffer>} */ (loadedShard().run(message.task, bytesOf(message.inputs)));
      postMessage(shardResult(message.id, output.buffer, start, now()), [output.buffer]);
      return;
    }
    case SHARD_MESSAGE.QUALITY: {
      const quality = loadedShard().quality(startedPlan(), message.schedule, bytesOf(message.outputs));
      postMessage({ type: SHARD_MESSAGE.QUALITY, quality });
      return;
    }
  }
}

/** The message types the page sends (others are not this worker's). */
const REQUESTS = new Set([SHARD_MESSAGE.START, SHARD_MESSAGE.LOAD, SHARD_MESSAGE.WARM, SHARD_MESSAGE.STEP, SHARD_MESSAGE.QUALITY]);

// Messages are handled one at a time, in order: "start" is asynchronous, and a message that
// arrives while it runs waits for it.
let queue = Promise.resolve();
self.addEventListener("message", (/** @type {MessageEvent<ShardRequest>} */ { data }) => {
  if (!REQUESTS.has(data?.type)) return;
  queue = queue.then(() => handle(data)).catch(reportError);
});
