// The sweep worker of pages that are not cross-origin isolated: the single-threaded build
// (www/pkg-single/, no atomics, no thread pool) runs one point at 1 thread. Its memory is not
// shared, so the page shows the fit's progress as indeterminate. Protocol: www/protocol.js.
import init, { Experiment, Plan } from "./pkg-single/coresweep.js";
import { servePoints } from "./point-worker.js";

servePoints(async (module, threads) => {
  if (threads !== 1) throw new Error(`the single-threaded build runs 1 thread, not ${threads}`);
  await init({ module_or_path: module });
  return { Experiment, Plan, memory: null };
});
