// One sweep point on the threaded build: a fresh module worker per thread count k, because a
// wasm instance can start its rayon pool only once. Protocol: www/protocol.js.
import init, { Experiment, Plan, initThreadPool } from "./pkg/coresweep.js";
import { servePoints } from "./point-worker.js";

servePoints(async (threads) => {
  // init() resolves to the module's exports; their `memory` is the shared wasm memory.
  const { memory } = await init();
  await initThreadPool(threads);
  return { Experiment, Plan, memory };
});
