// Benchmark, not a test: the real page (served like `npm start`) in each browser engine against
// the native CLI (and sklearn, with --python) on the blog's workload, runs alternating so machine
// noise hits all alike.
//
// Each page run is a fresh tab on `?…&threads=k&repeats=1` whose Run button is pressed once the
// engine has loaded, in Chromium, Firefox ESR or WebKitGTK (tests/browser/drivers); its fit time
// is read from the page's own results document (#results-json, timed inside the sweep worker
// around fit alone), and the point's wall time from Run to done, whose difference is what the
// page keeps out of the timed region (worker start, data, warm-up). Each CLI run is a fresh
// `target/release/coresweep fit --json` process, each sklearn run a fresh Python process
// (compare_sklearn.py's sklearn-worker); both time fit alone. The order rotates every repeat.
//
// Run through bench/page_vs_sklearn.sh (builds the page and the CLI; --sklearn makes the venv),
// or directly:
//   node bench/page_vs_sklearn.mjs [--trees 500] [--samples 10000] [--threads 1,2] [--repeats 3]
//     [--engines chromium,firefox,webkit] [--random-state 7] [--python .bench-venv/bin/python]
//     [--load-timeout 60] [--run-timeout 900] [--webkit-compositing off]
//
// WebKitGTK runs with its accelerated compositing off unless --webkit-compositing on: under
// Xvfb it composites through Mesa's software renderer (llvmpipe), which repaints the page's
// visible content throughout a sweep (not the progress ticks, not the driver's polls: nothing
// visible, nothing spent) and took 4.5 to 5.5 s of CPU per 100-tree fit here, from the 2 cores
// the workers are timed on. Safari composites on the GPU.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { launchEngine, startTestServer } from "../tests/browser/drivers/index.mjs";
import { root } from "../scripts/server.mjs";
import { runWindowSeconds, watchRunWindow } from "./run-window.mjs";

const { values: options } = parseArgs({
  options: {
    trees: { type: "string", default: "500" },
    samples: { type: "string", default: "10000" },
    threads: { type: "string", default: "1,2" },
    repeats: { type: "string", default: "3" },
    "random-state": { type: "string", default: "7" },
    engines: { type: "string", default: "chromium,firefox,webkit" },
    python: { type: "string" },
    coresweep: { type: "string", default: join(root, "target", "release", "coresweep") },
    "load-timeout": { type: "string", default: "60" },
    "webkit-compositing": { type: "string", default: "off" },
    "run-timeout": { type: "string", default: "900" },
  },
});

/** A whole number ≥ `min` from option `name`, or exits naming it. */
function count(name, min = 1) {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < min) fail(`--${name} must be a whole number ≥ ${min}, got ${options[name]}`);
  return value;
}

function fail(message) {
  console.error(`page_vs_sklearn: ${message}`);
  process.exit(1);
}

// The blog's workload: make_classification(n_samples=10000, n_features=70, n_informative=65,
// n_redundant=5, random_state=7), RandomForestClassifier(n_estimators=500).
const dataset = {
  n_samples: count("samples"),
  n_features: 70,
  n_informative: 65,
  n_redundant: 5,
  random_state: count("random-state", 0),
};
const trees = count("trees");
const repeats = count("repeats");
const threads = options.threads.split(",").map((k) => Number(k));
if (!threads.every((k) => Number.isInteger(k) && k >= 1)) fail(`--threads must be like 1,2, got ${options.threads}`);
const loadTimeout = count("load-timeout") * 1000;
const runTimeout = count("run-timeout") * 1000;
if (options.python && !existsSync(options.python)) {
  fail(`no Python at ${options.python}: run bench/page_vs_sklearn.sh --sklearn (it makes the venv)`);
}
if (!existsSync(join(root, "www", "pkg", "coresweep.js"))) fail("www/pkg/ is missing: run `npm run build`");
const cli = options.coresweep;
if (!existsSync(cli)) fail(`${cli} is missing: cargo build --release -p coresweep-cli`);
const engines = options.engines.split(",").filter(Boolean);
if (!["on", "off"].includes(options["webkit-compositing"])) fail(`--webkit-compositing must be on or off, got ${options["webkit-compositing"]}`);
const webkitCompositing = options["webkit-compositing"] === "on";

/** The page's address for one run: a query on the server's root ("?…", never "//?…"). */
function pageUrl(base, k) {
  const query = new URLSearchParams({
    ...dataset,
    n_estimators: trees,
    threads: k,
    repeats: 1,
  });
  return new URL(`?${query}`, base).href;
}

/** Waits until the page's state is one of `states`; fails after `timeout` ms saying what it shows. */
async function waitForState(page, states, timeout, what) {
  try {
    await page.waitForFunction(
      (wanted) => wanted.includes(document.getElementById("status")?.dataset.state),
      states,
      { timeout },
    );
  } catch {
    const seen = await page.evaluate(() => {
      const status = document.getElementById("status");
      return `state "${status?.dataset.state}", status "${status?.textContent.trim()}", alert "${document.getElementById("alert")?.textContent.trim()}"`;
    });
    throw new Error(`${what}: not ${states.join("/")} after ${timeout / 1000} s: ${seen}`);
  }
  const problems = await page.problems();
  if (problems.length) throw new Error(`${what}: the page threw: ${problems.join("; ")}`);
  return page.evaluate(() => document.getElementById("status").dataset.state);
}

/**
 * One page run at k threads in `browser`: the fit time from the page's results document and
 * the point's wall time from Run to done (seconds, the page's own clock).
 */
async function pageRun(browser, base, k) {
  const page = await browser.newPage();
  try {
    const url = pageUrl(base, k);
    await page.goto(url);
    await waitForState(page, ["idle"], loadTimeout, `loading ${url}`);
    if (!(await page.evaluate(() => globalThis.crossOriginIsolated && typeof SharedArrayBuffer === "function"))) {
      throw new Error("the page has no SharedArrayBuffer, so it runs 1 thread only: check the headers");
    }
    await watchRunWindow(page);
    await page.locator("#run").click();
    const state = await waitForState(page, ["done", "error", "cancelled"], runTimeout, `the ${k}-thread run`);
    if (state !== "done") {
      throw new Error(`the ${k}-thread run ended in state "${state}": ${await page.locator("#alert").textContent()}`);
    }
    const doc = JSON.parse(await page.locator("#results-json").inputValue());
    const asked = { ...dataset, n_estimators: trees };
    const got = { ...pick(doc.dataset, Object.keys(dataset)), n_estimators: doc.forest.n_estimators };
    if (JSON.stringify(got) !== JSON.stringify(asked)) {
      throw new Error(`the page ran ${JSON.stringify(got)}, not ${JSON.stringify(asked)}`);
    }
    const [point] = doc.points;
    if (doc.points.length !== 1 || point.threads !== k || point.fit_seconds.length !== 1) {
      throw new Error(`expected one ${k}-thread fit in the document, got ${JSON.stringify(doc.points)}`);
    }
    const wall = await runWindowSeconds(page);
    return { seconds: point.fit_seconds[0], wall, device: doc.device };
  } finally {
    await page.close();
  }
}

function pick(object, keys) {
  return Object.fromEntries(keys.map((key) => [key, object[key]]));
}

/** One sklearn run at n_jobs=k in a fresh Python process: its fit time in seconds. */
function sklearnRun(k) {
  const settings = { ...dataset, n_estimators: trees, test_size: 0 };
  const args = [join(root, "bench", "compare_sklearn.py"), "sklearn-worker", "--jobs", String(k), "--settings", JSON.stringify(settings)];
  return new Promise((resolve, reject) => {
    const child = spawn(options.python, args, { stdio: ["ignore", "pipe", "inherit"], timeout: runTimeout });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(JSON.parse(out).fit_seconds);
      else reject(new Error(`sklearn at n_jobs=${k} failed (${signal ? `${signal}, timeout ${runTimeout / 1000} s` : `exit ${code}`})`));
    });
  });
}

/** One native CLI run at k threads (`coresweep fit --json`, a fresh process): its fit time. */
function cliRun(k) {
  const args = [
    "fit",
    "--quiet",
    "--json",
    "--threads",
    String(k),
    ...Object.entries({ ...dataset, n_estimators: trees }).flatMap(([key, value]) => [
      `--${key.replaceAll("_", "-")}`,
      String(value),
    ]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { stdio: ["ignore", "pipe", "inherit"], timeout: runTimeout });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out).fit_seconds);
      else reject(new Error(`coresweep fit --threads ${k} failed (exit ${code})`));
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const server = await startTestServer();
const browsers = new Map();
try {
  for (const engine of engines) browsers.set(engine, await launchEngine(engine, { compositing: webkitCompositing }));
  const contenders = [...engines.map((e) => `page:${e}`), "cli", ...(options.python ? ["sklearn"] : [])];
  console.log(
    `workload: make_classification(${Object.entries(dataset).map(([k, v]) => `${k}=${v}`).join(", ")}), ` +
      `RandomForestClassifier(n_estimators=${trees}); ${repeats} rotating repeats of ${contenders.join(", ")}` +
      (engines.includes("webkit") ? `; WebKit's compositing ${options["webkit-compositing"]}` : ""),
  );
  const times = new Map(contenders.flatMap((c) => threads.map((k) => [`${c} ${k}`, []])));
  const overhead = new Map(engines.map((e) => [e, []]));
  const devices = new Map();
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const k of threads) {
      const order = contenders.map((_, i) => contenders[(i + repeat) % contenders.length]);
      for (const contender of order) {
        let seconds;
        if (contender.startsWith("page:")) {
          const engine = contender.slice(5);
          const run = await pageRun(browsers.get(engine), server.url, k);
          devices.set(engine, run.device);
          overhead.get(engine).push(run.wall - run.seconds);
          seconds = run.seconds;
        } else if (contender === "cli") {
          seconds = await cliRun(k);
        } else {
          seconds = await sklearnRun(k);
        }
        times.get(`${contender} ${k}`).push(seconds);
        console.log(`  repeat ${repeat + 1} threads ${k} ${contender.padEnd(15)} ${seconds.toFixed(3).padStart(8)} s`);
      }
    }
  }
  for (const [engine, device] of devices) {
    console.log(`${engine}: ${device.user_agent}, hardwareConcurrency ${device.hardware_concurrency}`);
  }
  const medians = new Map([...times].map(([key, values]) => [key, median(values)]));
  console.log(`\nmedian fit seconds (ratio to the CLI)`);
  console.log(`contender        ${threads.map((k) => `${k} thread${k > 1 ? "s" : " "}`.padStart(18)).join("")}`);
  for (const c of contenders) {
    const cells = threads.map((k) => {
      const m = medians.get(`${c} ${k}`);
      return `${m.toFixed(3)} (${(m / medians.get(`cli ${k}`)).toFixed(2)}x)`.padStart(18);
    });
    console.log(`${c.padEnd(16)} ${cells.join("")}`);
  }
  const [first, ...more] = threads;
  for (const k of more) {
    const speedup = (c) => medians.get(`${c} ${first}`) / medians.get(`${c} ${k}`);
    const cliSpeedup = speedup("cli");
    console.log(`\nspeed-up ${first}->${k}: ` + contenders.map((c) => `${c} ${speedup(c).toFixed(2)}x`).join(", "));
    for (const engine of engines) {
      console.log(`  page:${engine} / cli speed-up: ${(speedup(`page:${engine}`) / cliSpeedup).toFixed(2)}`);
    }
  }
  for (const [engine, values] of overhead) {
    console.log(`page:${engine}: untimed per point (worker start, data, warm-up, page): median ${median(values).toFixed(3)} s`);
  }
} catch (error) {
  process.exitCode = 1;
  console.error(`page_vs_sklearn: ${error.message}`);
} finally {
  for (const browser of browsers.values()) await browser.close();
  await server.close();
}
