// Benchmark, not a test: how soon the page is useful on a slow phone's network, in Chromium with
// DevTools' "Slow 4G" (1.44 Mbit/s down, 675 kbit/s up, 562.5 ms latency) and 4× CPU slowdown,
// cache off, a fresh tab per run. Three times from navigation start, median of the runs:
//   - first paint (paint timing's first-contentful-paint);
//   - first useful paint: the first frame in which the form shows its defaults ("Logical
//     cores" filled) and step 5's Python is written;
//   - "Ready": the status line says the engine is loaded and Run can be pressed;
// and the bytes the page fetched over the network until Ready (CDP encodedDataLength: what the
// wire carried, compressed or not).
//
//   node bench/page_first_paint.mjs [--runs 5] [--folder DIR]
// --folder serves another copy of the repository (e.g. a `git worktree` of an older commit, built,
// with a node_modules link) with that copy's own scripts/server.mjs, to measure before and after
// side by side.
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { launchBrowser, root } from "../tests/browser/harness.mjs";

const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    folder: { type: "string", default: root },
  },
});
const folder = resolve(options.folder);

// DevTools' "Slow 4G" preset (front_end/core/sdk/NetworkManager.ts), bytes per second.
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
};

// Records, in the page, when the form first shows its defaults and when the status says Ready.
function watch() {
  const marks = {};
  window.__marks = marks;
  const check = () => {
    const now = performance.now();
    const cores = document.getElementById("cores");
    const python = document.getElementById("py-sweep");
    if (marks.useful === undefined && cores?.value && python?.textContent) marks.useful = now;
    const status = document.getElementById("status");
    if (marks.ready === undefined && status?.textContent.startsWith("Ready")) marks.ready = now;
    if (marks.ready === undefined || marks.useful === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const { startServer } = await import(pathToFileURL(join(folder, "scripts", "server.mjs")).href);
const server = await startServer({ folder });
const browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
await browser.context.addInitScript(watch);
const runs = [];
try {
  for (let run = 0; run < Number(options.runs); run++) {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    let bytes = 0;
    cdp.on("Network.loadingFinished", (event) => {
      bytes += event.encodedDataLength;
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.__marks?.ready !== undefined && window.__marks?.useful !== undefined, null, {
      timeout: 120_000,
    });
    const marks = await page.evaluate(() => ({
      ...window.__marks,
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
    }));
    runs.push({ ...marks, bytes });
    console.log(
      `run ${run + 1}: first paint ${Math.round(marks.fcp)} ms, useful ${Math.round(marks.useful)} ms, Ready ${Math.round(marks.ready)} ms, ${(bytes / 1024).toFixed(0)} KiB`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const pick = (key) => Math.round(median(runs.map((r) => r[key])));
console.log(
  `median of ${runs.length} (${folder}): first paint ${pick("fcp")} ms, first useful paint ${pick("useful")} ms, Ready ${pick("ready")} ms, ${(pick("bytes") / 1024).toFixed(0)} KiB fetched`,
);
