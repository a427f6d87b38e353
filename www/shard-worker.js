// A worker of the workers backend (joblib's loky processes, in the browser): its own
// single-threaded engine (the module the page compiled once), its own copy of the data, and
// the steps of the schedule the page deals to it. Protocol: SHARD_MESSAGE in www/protocol.js.
import init, { Plan, WorkerShard } from "./pkg-single/coresweep.js";
import { reportError, reportEverything } from "./point-worker.js";
import { SHARD_MESSAGE, shardResult } from "./protocol.js";

/** How long the worker warms the engine up before the timed runs (as point-worker.js does). */
const WARM_UP_MS = 100;

/** The page's clock: the same in every context of the page. */
const now = () => performance.timeOrigin + performance.now();

let plan = null;
let shard = null;
let injectPanic = false;

reportEverything();

/** A fresh engine on a copy of the data: what every timed run starts with, as a process does. */
function load(data) {
  shard?.free();
  shard = null;
  shard = new WorkerShard(plan, new Uint8Array(data));
  shard.on_tree(() => postMessage({ type: SHARD_MESSAGE.TREE }));
  if (injectPanic) shard.panic_in_steps();
}

const handlers = {
  async [SHARD_MESSAGE.START]({ module, plan: text, lead, workers, file, injectPanic: panic }) {
    await init({ module_or_path: module });
    plan = file ? Plan.from_json_with_file(text, file) : Plan.from_json(text);
    injectPanic = panic;
    if (!lead) {
      postMessage({ type: SHARD_MESSAGE.STARTED });
      return;
    }
    const data = WorkerShard.data_of(plan);
    const schedule = WorkerShard.schedule(plan, workers);
    postMessage({ type: SHARD_MESSAGE.DATA, data: data.buffer, schedule }, [data.buffer]);
  },
  [SHARD_MESSAGE.LOAD]({ data }) {
    load(data);
  },
  [SHARD_MESSAGE.WARM]() {
    // Untimed one-tree fits: V8 optimises the hot wasm functions while they run.
    const start = performance.now();
    do shard.warm_up();
    while (performance.now() - start < WARM_UP_MS);
    postMessage({ type: SHARD_MESSAGE.WARM });
  },
  [SHARD_MESSAGE.STEP]({ id, task, inputs }) {
    const start = now();
    const output = shard.run(task, inputs.map((buffer) => new Uint8Array(buffer)));
    postMessage(shardResult(id, output.buffer, start, now()), [output.buffer]);
  },
  [SHARD_MESSAGE.QUALITY]({ schedule, outputs }) {
    const quality = shard.quality(plan, schedule, outputs.map((buffer) => new Uint8Array(buffer)));
    postMessage({ type: SHARD_MESSAGE.QUALITY, quality });
  },
};

// Messages are handled one at a time, in order: "start" is asynchronous, and a message that
// arrives while it runs waits for it.
let queue = Promise.resolve();
self.addEventListener("message", ({ data }) => {
  const handler = handlers[data?.type];
  if (!handler) return;
  queue = queue.then(() => handler(data)).catch(reportError);
});
