// Benchmark, not a test: what the page's main thread does during a fresh page's FIRST sweep, in
// Chromium. Each run is a fresh browser profile (empty HTTP and code caches, as a first visit),
// the instrument test's workload (4000 × 70, 200 trees, threads 1,2, 3 repeats), from Run's
// click to the sweep's end:
//   - the main thread's busy share of the sweep's wall time, as wall task time (CDP
//     Performance.getMetrics TaskDuration) and as CPU time (ThreadTime), and the main thread's
//     CPU time against the whole renderer's (ProcessTime: the workers are threads of it);
//   - with --trace, the top costs on the main thread (trace events' thread time, self and by
//     top-level kind) and the JavaScript and wasm functions that took it (the trace's samples);
//   - in every engine (--engine chromium|firefox|webkit, the tests' drivers), the main thread's
//     CPU time as Linux counts it (/proc/PID/task/TID/stat): of the browser's processes, the one
//     that used the most CPU during the sweep is the page's (its workers are its threads), and
//     its first thread is the page's main thread (Chromium's renderer, Firefox's content
//     process, WebKit's web process).
//
//   node bench/page_main_thread.mjs [--runs 5] [--folder DIR …] [--engine E] [--trace] [--query QUERY]
// Several --folder (copies of the repository, each built, e.g. a `git worktree` of an older
// commit) are measured alternately, run by run.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { launchEngine, startTestServer } from "../tests/browser/drivers/index.mjs";
import { launchBrowser, root } from "../tests/browser/harness.mjs";

const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    folder: { type: "string", multiple: true, default: [root] },
    trace: { type: "boolean", default: false },
    query: { type: "string", default: "n_samples=4000&n_features=70&n_estimators=200&threads=1,2&repeats=3" },
    top: { type: "string", default: "25" },
    save: { type: "string" },
    engine: { type: "string", default: "chromium" },
  },
});
let saved = 0;
const folders = options.folder.map((folder) => resolve(folder));

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Clock ticks per second of /proc's CPU times. */
const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/** The processes descended from this one (the browsers it started), by pid. */
function ourProcesses() {
  /** @type {Map<number, number>} */
  const parents = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended meanwhile.
    }
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!ours.has(pid) && ours.has(parent)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  ours.delete(process.pid);
  return ours;
}

/**
 * CPU seconds (user + system) from a /proc stat file: fields 14 and 15, counted after the
 * command's closing parenthesis.
 * @param {string} path
 */
function cpuSeconds(path) {
  const stat = readFileSync(path, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/**
 * CPU seconds of each browser process this process started, all its threads (ended ones
 * included: the workers of finished points) and its first thread, by pid.
 * @returns {Map<number, {process: number, main: number}>}
 */
function cpuSnapshot() {
  const snapshot = new Map();
  for (const pid of ourProcesses()) {
    try {
      snapshot.set(pid, { process: cpuSeconds(`/proc/${pid}/stat`), main: cpuSeconds(`/proc/${pid}/task/${pid}/stat`) });
    } catch {
      // The process ended meanwhile.
    }
  }
  return snapshot;
}

/**
 * The page's process between two snapshots (the one that used the most CPU), its main thread's
 * CPU seconds and its own.
 * @param {Map<number, {process: number, main: number}>} before
 * @param {Map<number, {process: number, main: number}>} after
 */
function pageCpu(before, after) {
  let best = { pid: 0, main: 0, process: -1 };
  for (const [pid, now] of after) {
    const was = before.get(pid) ?? { process: 0, main: 0 };
    const process = now.process - was.process;
    if (process > best.process) best = { pid, main: now.main - was.main, process };
  }
  return best;
}

const METRICS = ["TaskDuration", "ThreadTime", "ProcessTime", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "V8CompileDuration"];

/** @param {import("playwright-core").CDPSession} cdp */
async function metrics(cdp) {
  const { metrics: list } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(list.filter((m) => METRICS.includes(m.name)).map((m) => [m.name, m.value]));
}

const CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "v8.execute",
  "v8",
  "blink",
  "blink.user_timing",
  "disabled-by-default-v8.cpu_profiler",
  "loading",
  "cc",
];

/**
 * Reads a trace's events from a stream (Tracing.tracingComplete).
 * @param {import("playwright-core").CDPSession} cdp
 */
async function collectTrace(cdp) {
  const complete = new Promise((done) => cdp.once("Tracing.tracingComplete", done));
  await cdp.send("Tracing.end");
  const { stream } = /** @type {{stream: string}} */ (await complete);
  let text = "";
  for (;;) {
    const chunk = await cdp.send("IO.read", { handle: stream, size: 1 << 22 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send("IO.close", { handle: stream });
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/**
 * The top costs of the page's main thread between the two TimeStamp marks.
 * @param {any[]} events
 */
function analyse(events) {
  const start = events.find((e) => e.name === "TimeStamp" && e.args?.data?.message === "sweep-start");
  const end = events.find((e) => e.name === "TimeStamp" && e.args?.data?.message === "sweep-end");
  if (!start || !end) throw new Error("the trace has no sweep marks");
  const pid = start.pid;
  const tid = start.tid;
  const inWindow = (e) => e.pid === pid && e.tid === tid && e.ph === "X" && e.ts >= start.ts && e.ts <= end.ts;
  const main = events.filter(inWindow).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Self thread time per event name (FunctionCall named by its function and file).
  /** @type {Map<string, {self: number, count: number}>} */
  const selfTime = new Map();
  /** @type {Map<string, {total: number, count: number}>} */
  const topKinds = new Map();
  /** @type {any[]} */
  const stack = [];
  let tasksWall = 0;
  let tasksThread = 0;
  const label = (e) => {
    const data = e.args?.data ?? {};
    if (e.name === "FunctionCall" || e.name === "EvaluateScript" || e.name === "v8.callFunction") {
      const url = (data.url ?? "").split("/").pop();
      return `${e.name} ${data.functionName || "?"} ${url}:${data.lineNumber ?? ""}`;
    }
    if (e.name === "EventDispatch" || e.name === "TimerFire") return `${e.name} ${data.type ?? data.timerId ?? ""}`;
    return e.name;
  };
  const close = (until) => {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= until) {
      const done = stack.pop();
      const entry = selfTime.get(done.label) ?? { self: 0, count: 0 };
      entry.self += done.tdurLeft;
      entry.count += 1;
      selfTime.set(done.label, entry);
    }
  };
  for (const e of main) {
    close(e.ts);
    const tdur = e.tdur ?? e.dur;
    const item = { ts: e.ts, dur: e.dur, tdurLeft: tdur, label: label(e), named: false };
    if (stack.length) stack.at(-1).tdurLeft -= tdur;
    else {
      tasksWall += e.dur;
      tasksThread += tdur;
    }
    // A task's cause: the first event under it that says what ran (a script, a frame, a message).
    const named = /^(FunctionCall|EventDispatch|TimerFire|ProxyMain::BeginMainFrame|FireAnimationFrame|Paint|ParseHTML|v8\.|V8\.GC|MajorGC|MinorGC|RunMicrotasks)/.test(e.name);
    if (named && !stack.some((s) => s.named)) {
      item.named = true;
      const entry = topKinds.get(item.label) ?? { total: 0, count: 0 };
      entry.total += tdur;
      entry.count += 1;
      topKinds.set(item.label, entry);
    }
    stack.push(item);
  }
  close(Infinity);
  // Sampled functions (the trace's CPU profile of the main thread).
  /** @type {Map<number, {name: string, url: string, line: number, parent?: number}>} */
  const nodes = new Map();
  /** @type {Map<string, number>} */
  const sampleCounts = new Map();
  let samples = 0;
  /** @type {Map<string, number>} */
  const inclusive = new Map();
  // The main thread's profile: its "Profile" event's id; samples' times count from its startTime.
  const profile = events.find((e) => e.name === "Profile" && e.pid === pid && e.tid === tid);
  let ts = profile?.args?.data?.startTime ?? 0;
  for (const e of events) {
    if (!profile || e.name !== "ProfileChunk" || e.pid !== pid || e.id !== profile.id) continue;
    const cpu = e.args?.data?.cpuProfile;
    for (const node of cpu?.nodes ?? []) {
      nodes.set(node.id, { name: node.callFrame.functionName, url: (node.callFrame.url ?? "").split("/").pop(), line: node.callFrame.lineNumber, parent: node.parent });
    }
    const deltas = e.args.data.timeDeltas ?? [];
    (cpu?.samples ?? []).forEach((id, i) => {
      ts += deltas[i] ?? 0;
      if (ts < start.ts || ts > end.ts) return;
      const node = nodes.get(id);
      if (!node || node.name === "(idle)" || node.name === "(program)") return;
      const key = `${node.name || "(anonymous)"} ${node.url}:${node.line}`;
      sampleCounts.set(key, (sampleCounts.get(key) ?? 0) + 1);
      samples += 1;
      /** @type {Set<string>} */
      const seen = new Set();
      for (let at = node; at; at = at.parent === undefined ? undefined : nodes.get(at.parent)) {
        const name = `${at.name || "(anonymous)"} ${at.url}:${at.line}`;
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
      }
    });
  }
  return { window: end.ts - start.ts, tasksWall, tasksThread, selfTime, topKinds, sampleCounts, inclusive, samples };
}

/**
 * One fresh page's first sweep served from `folder`.
 * @param {string} folder
 */
async function firstSweep(folder) {
  const { startServer } = await import(pathToFileURL(join(folder, "scripts", "server.mjs")).href);
  const server = await startServer({ folder });
  const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}?${options.query}`);
    await page.waitForFunction(() => document.getElementById("status")?.dataset.state === "idle", null, {
      timeout: 60_000,
      polling: 200,
    });
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" }).catch(() => cdp.send("Performance.enable"));
    await page.evaluate(() => {
      const status = /** @type {HTMLElement} */ (document.getElementById("status"));
      new MutationObserver(() => {
        if (status.dataset.state === "running" || window.sweepEnded !== undefined) return;
        window.sweepEnded = performance.now();
        console.timeStamp("sweep-end");
      }).observe(status, { attributes: true, attributeFilter: ["data-state"] });
    });
    if (options.trace) {
      await cdp.send("Tracing.start", {
        transferMode: "ReturnAsStream",
        traceConfig: { includedCategories: CATEGORIES, excludedCategories: ["*"] },
      });
    }
    const before = await metrics(cdp);
    const cpuBefore = cpuSnapshot();
    const started = await page.evaluate(() => {
      console.timeStamp("sweep-start");
      const now = performance.now();
      /** @type {HTMLButtonElement} */ (document.getElementById("run")).click();
      return now;
    });
    await page.waitForFunction(() => window.sweepEnded !== undefined, null, { polling: 1000, timeout: 300_000 });
    const cpu = pageCpu(cpuBefore, cpuSnapshot());
    const after = await metrics(cdp);
    const ended = await page.evaluate(() => window.sweepEnded);
    const state = await page.evaluate(() => document.getElementById("status")?.dataset.state);
    if (state !== "done") throw new Error(`the sweep ended ${state}: ${await page.locator("#alert").textContent()}`);
    const wall = (ended - started) / 1000;
    const delta = Object.fromEntries(METRICS.map((name) => [name, after[name] - before[name]]));
    const events = options.trace ? await collectTrace(cdp) : null;
    if (events && options.save) writeFileSync(`${options.save}-${saved++}.json`, JSON.stringify(events));
    const trace = events ? analyse(events) : null;
    return { wall, cpu, delta, trace };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * One fresh page's first sweep served from `folder`, in Firefox or WebKit through the tests'
 * drivers: the main thread's CPU time from /proc only.
 * @param {string} folder
 * @param {string} engine
 */
async function firstSweepDriven(folder, engine) {
  const server = await startTestServer({ folder });
  const browser = await launchEngine(engine);
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}?${options.query}`);
    await page.waitForFunction(() => document.getElementById("status")?.dataset.state === "idle", undefined, { timeout: 120_000 });
    await page.evaluate(() => {
      const status = /** @type {HTMLElement} */ (document.getElementById("status"));
      new MutationObserver(() => {
        if (status.dataset.state !== "running") window.sweepEnded ??= performance.now();
      }).observe(status, { attributes: true, attributeFilter: ["data-state"] });
    });
    const cpuBefore = cpuSnapshot();
    const started = await page.evaluate(() => {
      const now = performance.now();
      /** @type {HTMLButtonElement} */ (document.getElementById("run")).click();
      return now;
    });
    // Polled once a second from here (the drivers' own wait polls ten times a second).
    const deadline = Date.now() + 300_000;
    while (!(await page.evaluate(() => window.sweepEnded !== undefined))) {
      if (Date.now() > deadline) throw new Error(`${engine}: the sweep did not end within 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const cpu = pageCpu(cpuBefore, cpuSnapshot());
    const ended = await page.evaluate(() => window.sweepEnded ?? 0);
    const state = await page.evaluate(() => document.getElementById("status")?.dataset.state);
    if (state !== "done") throw new Error(`${engine}: the sweep ended ${state}: ${await page.locator("#alert").textContent()}`);
    return { wall: (ended - started) / 1000, cpu, delta: null, trace: null };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** @type {Map<string, {share: number, cpuShare: number, ofProcess: number, procShare: number}[]>} */
const results = new Map(folders.map((folder) => [folder, []]));
const ms = (/** @type {number} */ s) => `${(s * 1000).toFixed(0)} ms`;
const pct = (/** @type {number} */ share) => `${(share * 100).toFixed(2)} %`;
for (let run = 0; run < Number(options.runs); run++) {
  for (const folder of folders) {
    const { wall, cpu, delta, trace } =
      options.engine === "chromium" ? await firstSweep(folder) : await firstSweepDriven(folder, options.engine);
    const procShare = cpu.main / wall;
    const share = delta ? delta.TaskDuration / wall : NaN;
    const cpuShare = delta ? delta.ThreadTime / wall : NaN;
    const ofProcess = cpu.main / cpu.process;
    results.get(folder)?.push({ share, cpuShare, ofProcess, procShare });
    console.log(
      `${folder} ${options.engine} run ${run + 1}: wall ${wall.toFixed(2)} s; main thread CPU (/proc) ${ms(cpu.main)} (${pct(procShare)}), ` +
        `${pct(ofProcess)} of its process's CPU ${cpu.process.toFixed(2)} s` +
        (delta
          ? `; CDP: main thread tasks ${ms(delta.TaskDuration)} (${pct(share)}), ThreadTime ${ms(delta.ThreadTime)} (${pct(cpuShare)}); ` +
            `script ${ms(delta.ScriptDuration)}, layout ${ms(delta.LayoutDuration)}, style ${ms(delta.RecalcStyleDuration)}`
          : ""),
    );
    if (trace) {
      const top = Number(options.top);
      console.log(`  trace: window ${ms(trace.window / 1e6)}, top-level tasks wall ${ms(trace.tasksWall / 1e6)}, thread ${ms(trace.tasksThread / 1e6)}`);
      console.log("  self thread time by event:");
      for (const [name, { self, count }] of [...trace.selfTime].sort((a, b) => b[1].self - a[1].self).slice(0, top)) {
        console.log(`    ${(self / 1000).toFixed(1).padStart(8)} ms ×${String(count).padStart(4)}  ${name}`);
      }
      console.log("  thread time by cause (the first named event of a task, inclusive):");
      for (const [name, { total, count }] of [...trace.topKinds].sort((a, b) => b[1].total - a[1].total).slice(0, top)) {
        console.log(`    ${(total / 1000).toFixed(1).padStart(8)} ms ×${String(count).padStart(4)}  ${name}`);
      }
      console.log(`  sampled functions (${trace.samples} samples):`);
      for (const [name, count] of [...trace.sampleCounts].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`    ${String(count).padStart(6)}  ${name}`);
      }
      console.log("  sampled functions, inclusive:");
      for (const [name, count] of [...trace.inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`    ${String(count).padStart(6)}  ${name}`);
      }
    }
  }
}
for (const [folder, runs] of results) {
  const summary = (/** @type {number[]} */ values) =>
    `${pct(median(values))} (${pct(Math.min(...values))}–${pct(Math.max(...values))})`;
  console.log(
    `${folder} ${options.engine}: median of ${runs.length} first sweeps: main thread CPU (/proc) ${summary(runs.map((r) => r.procShare))} of the wall time, ` +
      `${summary(runs.map((r) => r.ofProcess))} of its process's CPU` +
      (options.engine === "chromium"
        ? `; CDP tasks ${summary(runs.map((r) => r.share))}, ThreadTime ${summary(runs.map((r) => r.cpuShare))}`
        : ""),
  );
}
