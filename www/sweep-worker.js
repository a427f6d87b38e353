// One sweep point on the threaded build: a fresh module worker per thread count k, because a
// wasm instance can start its rayon pool only once. Protocol: www/protocol.js.
import init, { Experiment, Plan, initThreadPool } from "./pkg/coresweep.js";
import { servePoints } from "./point-worker.js";
import { poolMessage } from "./protocol.js";

servePoints(async (module, threads, poolHang) => {
  // init() resolves to the module's exports; their `memory` is the shared wasm memory.
  const { memory } = await init({ module_or_path: module });
  // The page watches the pool's start (sweep-runner.js): it may never finish in Firefox.
  postMessage(poolMessage(false));
  // Test hook (?inject_pool_hang=<k>): a pool that never starts.
  if (poolHang) await new Promise(() => {});
  await initThreadPool(threads);
  postMessage(poolMessage(true));
  return { Experiment, Plan, memory };
});
