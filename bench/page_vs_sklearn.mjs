// Benchmark, not a test: the real page (served like `npm start`, in Debian's Chromium) against
// sklearn on the blog's workload, runs alternating so machine noise hits both alike.
//
// Each page run is a fresh tab on `?…&threads=k&repeats=1` whose Run button is pressed once the
// engine has loaded; its fit time is read from
// the page's own results document (#results-json, timed inside the sweep worker around fit
// alone), never from wall time out here. Each sklearn run is a fresh Python process
// (compare_sklearn.py's sklearn-worker), which also times fit alone. The order flips every repeat.
//
// Run through bench/page_vs_sklearn.sh (makes the sklearn venv, builds the page), or directly:
//   node bench/page_vs_sklearn.mjs [--trees 500] [--samples 10000] [--threads 1,2] [--repeats 3]
//     [--random-state 7] [--python .bench-venv/bin/python] [--load-timeout 60] [--run-timeout 900]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { launchBrowser, root, startServer } from "../tests/browser/harness.mjs";

const { values: options } = parseArgs({
  options: {
    trees: { type: "string", default: "500" },
    samples: { type: "string", default: "10000" },
    threads: { type: "string", default: "1,2" },
    repeats: { type: "string", default: "3" },
    "random-state": { type: "string", default: "7" },
    python: { type: "string", default: join(root, ".bench-venv", "bin", "python") },
    "load-timeout": { type: "string", default: "60" },
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
if (!existsSync(options.python)) {
  fail(`no Python at ${options.python}: run bench/page_vs_sklearn.sh (it makes the venv) or pass --python`);
}
if (!existsSync(join(root, "www", "pkg", "coresweep.js"))) fail("www/pkg/ is missing: run `npm run build`");

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

/**
 * Waits until the page's #status data-state is one of `states`, failing at once on an uncaught
 * page error (one during start-up leaves the page "loading" for ever) and, after `timeout` ms,
 * with what the page shows.
 */
async function waitForState(page, errors, states, timeout, what) {
  const pageError = new Promise((_, reject) => {
    errors.onError = (error) => reject(new Error(`${what}: the page threw: ${error.message}`));
  });
  const reached = page
    .waitForFunction((wanted) => wanted.includes(document.getElementById("status")?.dataset.state), states, {
      timeout,
      polling: 250,
    })
    .catch(async () => {
      const seen = await page.evaluate(() => {
        const status = document.getElementById("status");
        return `state "${status?.dataset.state}", status "${status?.textContent.trim()}", alert "${document.getElementById("alert")?.textContent.trim()}"`;
      });
      throw new Error(`${what}: not ${states.join("/")} after ${timeout / 1000} s (${page.url()}): ${seen}`);
    });
  if (errors.first) throw new Error(`${what}: the page threw: ${errors.first.message}`);
  try {
    await Promise.race([reached, pageError]);
  } finally {
    errors.onError = null;
  }
  return page.evaluate(() => document.getElementById("status").dataset.state);
}

/** One page run at k threads: the fit time from the page's results document, in seconds. */
async function pageRun(context, base, k) {
  const page = await context.newPage();
  const errors = { first: null, onError: null };
  page.on("pageerror", (error) => {
    errors.first ??= error;
    errors.onError?.(error);
  });
  try {
    const url = pageUrl(base, k);
    await page.goto(url, { timeout: loadTimeout });
    await waitForState(page, errors, ["idle"], loadTimeout, `loading ${url}`);
    if (!(await page.evaluate(() => globalThis.crossOriginIsolated))) {
      throw new Error("the page is not cross-origin isolated, so it runs 1 thread only: check serve.json's headers");
    }
    await page.locator("#run").click();
    const state = await waitForState(page, errors, ["done", "error", "cancelled"], runTimeout, `the ${k}-thread run`);
    if (state !== "done") {
      const alert = await page.locator("#alert").textContent();
      throw new Error(`the ${k}-thread run ended in state "${state}": ${alert}`);
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
    return { seconds: point.fit_seconds[0], device: doc.device };
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

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const server = await startServer();
const browser = await launchBrowser();
try {
  console.log(
    `workload: make_classification(${Object.entries(dataset).map(([k, v]) => `${k}=${v}`).join(", ")}), ` +
      `RandomForestClassifier(n_estimators=${trees}); ${repeats} alternating repeats`,
  );
  const times = new Map(threads.flatMap((k) => [[`page ${k}`, []], [`sklearn ${k}`, []]]));
  let device = null;
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const k of threads) {
      const order = repeat % 2 === 0 ? ["page", "sklearn"] : ["sklearn", "page"];
      for (const engine of order) {
        let seconds;
        if (engine === "page") {
          const run = await pageRun(browser.context, server.url, k);
          device ??= run.device;
          seconds = run.seconds;
        } else {
          seconds = await sklearnRun(k);
        }
        times.get(`${engine} ${k}`).push(seconds);
        console.log(`  repeat ${repeat + 1} threads ${k} ${engine.padEnd(7)} ${seconds.toFixed(3).padStart(8)} s`);
      }
    }
  }
  console.log(`page: ${device.label}, ${device.user_agent}`);
  console.log("\nthreads  page median s  sklearn median s  page/sklearn");
  const medians = new Map([...times].map(([key, values]) => [key, median(values)]));
  for (const k of threads) {
    const page = medians.get(`page ${k}`);
    const sklearn = medians.get(`sklearn ${k}`);
    console.log(`${String(k).padStart(7)}  ${page.toFixed(3).padStart(12)}  ${sklearn.toFixed(3).padStart(16)}  ${(page / sklearn).toFixed(2).padStart(12)}`);
  }
  const [first, ...more] = threads;
  for (const k of more) {
    const speedup = (engine) => (medians.get(`${engine} ${first}`) / medians.get(`${engine} ${k}`)).toFixed(2);
    console.log(`speed-up ${first}->${k}: page ${speedup("page")}x, sklearn ${speedup("sklearn")}x`);
  }
} catch (error) {
  process.exitCode = 1;
  console.error(`page_vs_sklearn: ${error.message}`);
} finally {
  await browser.close();
  await server.close();
}
