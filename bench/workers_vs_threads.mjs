// Benchmark, not a test: the page's two backends side by side on the same isolated page, in
// each engine — threads (one worker, a rayon pool of k threads over shared memory) against
// workers (k single-threaded engines, each with its own copy of the data). Each run is a fresh
// tab on `?…&threads=1,2&repeats=1&backend=B` whose Run is pressed once the engine has loaded;
// the times are the page's own results document's. Backends alternate, the first one rotating
// every repeat, so machine noise hits both alike. Prints each backend's median 1-point and
// 2-point times, the workers/threads ratio at 1, and the ratio of their speed-ups.
//
//   node bench/workers_vs_threads.mjs [--trees 500] [--samples 10000] [--repeats 3]
//     [--workload fit|grid_search|cross_val_score] [--engines chromium,firefox,webkit]
// (the sequels run at their tutorial's defaults, the outer level: --samples and --trees are the fit's)
// (build first: npm run build)
import { parseArgs } from "node:util";
import { launchEngine, startTestServer } from "../tests/browser/drivers/index.mjs";

const { values: options } = parseArgs({
  options: {
    trees: { type: "string", default: "500" },
    samples: { type: "string", default: "10000" },
    repeats: { type: "string", default: "3" },
    workload: { type: "string", default: "fit" },
    engines: { type: "string", default: "chromium,firefox,webkit" },
  },
});

const BACKENDS = ["threads", "workers"];
const statusOf = { fit: "#status", cross_val_score: "#cv-status", grid_search: "#grid-status" };
const jsonOf = { fit: "results-json", cross_val_score: "cv-json", grid_search: "grid-json" };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The blog's fit (--samples × 70, --trees), or a sequel at its tutorial's defaults. */
function query(backend) {
  const run = { threads: "1,2", repeats: "1", backend, autorun: "1" };
  const params = new URLSearchParams(
    options.workload === "fit"
      ? {
          n_samples: options.samples,
          n_features: "70",
          n_informative: "65",
          n_redundant: "5",
          random_state: "7",
          n_estimators: options.trees,
          ...run,
        }
      : { workload: options.workload, ...run },
  );
  return `?${params}`;
}

/** One run of `backend` in a fresh tab: the 1- and 2-point times in seconds. */
async function run(browser, url, backend) {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}${query(backend)}`);
    const selector = statusOf[options.workload] ?? "#status";
    await page.waitForFunction(
      (s) => ["done", "error", "cancelled"].includes(document.querySelector(s)?.dataset.state),
      selector,
      { timeout: 3_600_000 },
    );
    const doc = JSON.parse(await page.evaluate((id) => document.getElementById(id).value, jsonOf[options.workload]));
    if (doc.backend !== backend || doc.points.length !== 2) {
      throw new Error(`${backend}: ${await page.evaluate(() => document.getElementById("alert").textContent)}`);
    }
    return doc.points.map((p) => p.median_seconds);
  } finally {
    await page.close();
  }
}

const server = await startTestServer();
const repeats = Number(options.repeats);
for (const engine of options.engines.split(",")) {
  const browser = await launchEngine(engine);
  const times = { threads: [], workers: [] };
  for (let r = 0; r < repeats; r++) {
    const order = r % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
    for (const backend of order) times[backend].push(await run(browser, server.url, backend));
  }
  await browser.close();
  const summary = Object.fromEntries(
    BACKENDS.map((b) => {
      const t1 = median(times[b].map((t) => t[0]));
      const t2 = median(times[b].map((t) => t[1]));
      const speedup = median(times[b].map((t) => t[0] / t[1]));
      return [b, { t1, t2, speedup }];
    }),
  );
  const { threads, workers } = summary;
  console.log(
    `${engine} ${options.workload} (${options.workload === "fit" ? `${options.samples}×70, ${options.trees} trees` : "the sequel's defaults"}, medians of ${repeats}): ` +
      `threads 1: ${threads.t1.toFixed(3)} s, 2: ${threads.t2.toFixed(3)} s (${threads.speedup.toFixed(2)}×); ` +
      `workers 1: ${workers.t1.toFixed(3)} s, 2: ${workers.t2.toFixed(3)} s (${workers.speedup.toFixed(2)}×); ` +
      `workers/threads at 1: ${(workers.t1 / threads.t1).toFixed(3)}, speed-up ratio ${(workers.speedup / threads.speedup).toFixed(3)}`,
  );
}
await server.close();
