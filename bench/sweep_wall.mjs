// Benchmark, not a test: a whole sweep's wall time in the page, Run to done, side by side with
// another copy of the repository (--folder: e.g. an older commit, built), alternating the two
// in fresh tabs so that machine noise hits both alike; in Chromium, Firefox ESR or WebKitGTK
// (tests/browser/drivers, WebKit's compositing off as bench/page_vs_sklearn.mjs explains).
// Prints per run the wall time, the sum of the timed fits and their difference (what a reader
// waits for beyond the fits: workers, data, warm-up), and for a page that reports it
// (www/sweep-runner.js's lastSweepData) each point's wait for its data; then medians.
//   node bench/sweep_wall.mjs --folder DIR [--query "n_estimators=100&threads=1,2"] [--runs 5]
//     [--engines chromium,firefox,webkit] [--run-timeout 900]
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { launchEngine, startTestServer } from "../tests/browser/drivers/index.mjs";
import { runWindowSeconds, watchRunWindow } from "./run-window.mjs";

const { values: options } = parseArgs({
  options: {
    folder: { type: "string" },
    query: { type: "string", default: "n_estimators=100&threads=1,2" },
    runs: { type: "string", default: "5" },
    engines: { type: "string", default: "chromium,firefox,webkit" },
    "run-timeout": { type: "string", default: "900" },
  },
});
if (!options.folder) {
  console.error("sweep_wall: --folder DIR (the copy to compare with) is required");
  process.exit(1);
}
const runs = Number(options.runs);
const runTimeout = Number(options["run-timeout"]) * 1000;

const median = (/** @type {number[]} */ values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One sweep in a fresh tab: wall seconds (page clock), the fits' sum, each point's data wait. */
async function sweep(browser, base) {
  const page = await browser.newPage();
  try {
    await page.goto(new URL(`?${options.query}&repeats=1`, base).href);
    await page.waitForFunction(() => document.getElementById("status")?.dataset.state === "idle", null, { timeout: 120_000 });
    await watchRunWindow(page);
    await page.locator("#run").click();
    await page.waitForFunction(() => ["done", "error", "cancelled"].includes(document.getElementById("status")?.dataset.state), null, {
      timeout: runTimeout,
    });
    const state = await page.evaluate(() => document.getElementById("status").dataset.state);
    if (state !== "done") throw new Error(`the sweep ended "${state}": ${await page.locator("#alert").textContent()}`);
    const doc = JSON.parse(await page.locator("#results-json").inputValue());
    const fits = doc.points.reduce((sum, p) => sum + p.fit_seconds.reduce((a, b) => a + b, 0), 0);
    const wall = await runWindowSeconds(page);
    const data = await page.evaluate(async () => {
      const url = "./www/sweep-runner.js";
      const runner = await import(url);
      return runner.lastSweepData?.()?.map((p) => p.seconds) ?? null;
    });
    return { wall, fits, data };
  } finally {
    await page.close();
  }
}

const servers = { this: await startTestServer(), other: await startTestServer({ folder: resolve(options.folder) }) };
for (const engine of options.engines.split(",")) {
  const browser = await launchEngine(engine, { compositing: false });
  try {
    const results = { this: [], other: [] };
    for (let run = 0; run < runs; run += 1) {
      const order = run % 2 ? ["other", "this"] : ["this", "other"];
      for (const copy of order) {
        const result = await sweep(browser, servers[copy].url);
        results[copy].push(result);
        const data = result.data ? `, data per point ${result.data.map((s) => s.toFixed(3)).join(" ")} s` : "";
        console.log(
          `${engine} run ${run + 1} ${copy.padEnd(5)} wall ${result.wall.toFixed(2)} s, fits ${result.fits.toFixed(2)} s, outside the fits ${(result.wall - result.fits).toFixed(2)} s${data}`,
        );
      }
    }
    for (const copy of ["this", "other"]) {
      const walls = results[copy].map((r) => r.wall);
      const outside = results[copy].map((r) => r.wall - r.fits);
      console.log(
        `${engine} ${copy}: wall median ${median(walls).toFixed(2)} s (${Math.min(...walls).toFixed(2)}–${Math.max(...walls).toFixed(2)}), outside the fits median ${median(outside).toFixed(2)} s (${Math.min(...outside).toFixed(2)}–${Math.max(...outside).toFixed(2)})`,
      );
    }
    const ratios = results.this.map((r, i) => r.wall / results.other[i].wall);
    console.log(`${engine} this/other wall, paired: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`);
  } finally {
    await browser.close();
  }
}
await Promise.all(Object.values(servers).map((s) => s.close()));
