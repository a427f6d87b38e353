// @ts-check
// Safety: the page asks the network only for its own files (same origin, GET, files of the
// folder served), nothing but the workers' modules and wasm once the sweep starts and nothing at
// all once it is done; every response, the workers' included, carries the Content-Security-Policy
// header, and nothing violates it: not the page, not its workers, not wasm-bindgen-rayon's blob:
// threads. Checked twice: on npm start's server (serve.json) and on the deployable dist/ served
// with its own _headers (Netlify, Cloudflare Pages). Requests are watched at the browser
// context, which sees the workers' requests too. Violations are caught by the browser's own
// reports: this file's servers add `report-uri` to the header, and Chromium reports from every
// context, workers included, which a `securitypolicyviolation` listener in the page cannot see.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { servedHeaders, startServer } from "../../scripts/server.mjs";
import { launchBrowser, root } from "./harness.mjs";
import { forEachEngine } from "./drivers/index.mjs";
import { runSweep, SMALL, waitForState } from "./page-fixtures.mjs";

const CSP = "Content-Security-Policy";
const REPORTS = "/csp-report";

/**
 * The Content-Security-Policy among `headers` ([key, value] pairs); throws when there is none.
 * @param {[string, string][]} headers
 * @param {string} where
 */
function policyOf(headers, where) {
  const policy = new Map(headers).get(CSP);
  if (policy === undefined) throw new Error(`${where} sends no ${CSP}`);
  return policy;
}

const POLICY = policyOf(servedHeaders(), "serve.json");

/**
 * The policy of the Content-Security-Policy meta of an HTML file.
 * @param {string} file
 */
function metaPolicy(file) {
  const meta = readFileSync(file, "utf8").match(/http-equiv="Content-Security-Policy" content="([^"]*)"/);
  if (!meta) throw new Error(`${file} has no Content-Security-Policy meta`);
  return meta[1];
}

/**
 * The policy's directives, without the named ones.
 * @param {string} policy
 * @param {string[]} without
 */
function directives(policy, without = []) {
  return policy
    .split(";")
    .map((directive) => directive.trim())
    .filter((directive) => directive && !without.includes(directive.split(" ")[0]));
}

/**
 * A violation report's body (csp-report), the fields read here.
 * @typedef {{"document-uri": string, "violated-directive": string, "blocked-uri": string}} Report
 */

/**
 * The violation reports received (csp-report bodies), in order of arrival.
 * @type {Report[]}
 */
const reports = [];
/** @type {Awaited<ReturnType<typeof startServer>>[]} */
const servers = [];
// Set by before(): the tests run once it started.
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** npm start's server (harness.mjs), with the policy reporting to it. */
let origin = "";

/**
 * Serves `folder` like npm start but with the `headers` ([key, value] pairs) on every path, the
 * policy reporting its violations to `reports`. Resolves to its origin.
 * @param {string} folder
 * @param {[string, string][]} headers
 */
async function reportingServer(folder, headers) {
  const server = await startServer({
    folder,
    headers: headers.map(([key, value]) =>
      /** @type {[string, string]} */ ([key, key === CSP ? `${value}; report-uri ${REPORTS}` : value]),
    ),
    route(request, response) {
      if (request.method !== "POST" || request.url !== REPORTS) return false;
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        reports.push(JSON.parse(body)["csp-report"]);
        response.writeHead(204).end();
      });
      return true;
    },
  });
  servers.push(server);
  return server.url.slice(0, -1);
}

/**
 * dist/_headers' headers for "/*", as [key, value] pairs.
 * @returns {[string, string][]}
 */
function distHeaders() {
  const file = join(root, "dist", "_headers");
  if (!existsSync(file)) throw new Error("dist/_headers is missing: run `npm run build`");
  // Lines starting with # are comments (Netlify's and Cloudflare's _headers syntax).
  const [path, ...lines] = readFileSync(file, "utf8").trimEnd().split("\n").filter((line) => !line.startsWith("#"));
  assert.equal(path, "/*");
  return lines.map((line) => {
    const header = line.match(/^ {2}([\w-]+): (.+)$/);
    if (!header) throw new Error(`dist/_headers: not a header line: ${line}`);
    return [header[1], header[2]];
  });
}

before(async () => {
  if (!existsSync(join(root, "www", "pkg", "coresweep.js"))) {
    throw new Error("www/pkg/coresweep.js is missing: run `npm run build` first");
  }
  origin = await reportingServer(root, servedHeaders());
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
});

/**
 * Waits until `count` reports have arrived (they are sent asynchronously); returns them all.
 * @param {number} count
 */
async function reportsAfter(count) {
  for (let waited = 0; reports.length < count && waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return reports.splice(0);
}

const describe = (/** @type {Report} */ report) =>
  `${report["document-uri"]}: ${report["violated-directive"]} ${report["blocked-uri"]}`;

/**
 * `work`'s result, unless a violation is reported first: then fails at once with it (a refused
 * blob: thread leaves the sweep waiting for ever).
 * @template T
 * @param {Promise<T>} work
 */
async function failOnReport(work) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const violation = new Promise((_, reject) => {
    const check = () => {
      if (reports.length) reject(new Error(`policy violated: ${describe(reports[0])}`));
      else timer = setTimeout(check, 50);
    };
    check();
  });
  try {
    return await Promise.race([work, violation]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Injects an inline script into the page; resolves to whether it ran (the policy refuses it).
 * @param {{evaluate: (fn: () => Promise<boolean>) => Promise<boolean>}} page Playwright's or drivers/'s
 */
function inlineScriptRuns(page) {
  return page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true;";
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return window.injected === true;
  });
}

/**
 * The policy is in force and nothing before violated it: an inline script injected now is
 * refused, and its report is the only one (earlier violations, from the page, its workers or
 * their blob: threads, would have arrived before it).
 * @param {import("playwright-core").Page} page
 */
async function onlyTheProbeIsReported(page) {
  assert.equal(await inlineScriptRuns(page), false);
  const received = await reportsAfter(1);
  assert.deepEqual(received.map(describe), [`${page.url()}: script-src-elem inline`]);
}

/**
 * A file of `folder` that a path names ("/" is index.html).
 * @param {string} folder
 * @param {string} pathname
 */
function ownFile(folder, pathname) {
  const path = join(folder, pathname === "/" ? "index.html" : decodeURIComponent(pathname));
  return path.startsWith(folder) && existsSync(path) && statSync(path).isFile();
}

/** How long the page is watched, once its sweep is done, for requests it should not make. */
const QUIET_MS = 1_000;

/**
 * Opens the page served from `folder` at `origin` (with `policy` plus report-uri on every
 * response) and runs a cross-origin isolated 1,2 sweep: only files of `folder` are requested,
 * by the page and its workers, only www/ modules and wasm during the sweep and nothing after it;
 * every response carries the policy; nothing is reported, and an injected inline script is.
 * @param {string} origin
 * @param {string} folder
 * @param {string} policy
 */
async function sweepWithinPolicy(origin, folder, policy) {
  reports.length = 0;
  const context = browser.context;
  /** @type {{request: import("playwright-core").Request, phase: string}[]} */
  const requests = [];
  /** @type {import("playwright-core").Response[]} */
  const responses = [];
  const phase = { now: "load" };
  const onRequest = (/** @type {import("playwright-core").Request} */ request) => requests.push({ request, phase: phase.now });
  const onResponse = (/** @type {import("playwright-core").Response} */ response) => responses.push(response);
  context.on("request", onRequest);
  context.on("response", onResponse);
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  /** @type {string[]} */
  const consoleCsp = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) consoleCsp.push(message.text());
  });
  await page.goto(`${origin}/?${SMALL}`);
  await failOnReport(waitForState(page, ["idle"]));
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
  phase.now = "sweep";
  await page.locator("#run").click();
  assert.equal(
    await failOnReport(waitForState(page, ["done", "error", "cancelled"])),
    "done",
    (await page.locator("#alert").textContent()) ?? undefined,
  );
  assert.deepEqual(await page.locator("#results-table tbody th").allTextContents(), ["1", "2"]);
  phase.now = "done";
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  context.off("request", onRequest);
  context.off("response", onResponse);

  assert.deepEqual(consoleCsp, []);
  await onlyTheProbeIsReported(page);

  assert.ok(requests.length > 5, `requests seen: ${requests.length}`);
  for (const { request, phase: when } of requests) {
    const url = new URL(request.url());
    assert.notEqual(when, "done", `requested after the sweep: ${url}`);
    if (url.protocol === "data:") continue; // the empty favicon: no request leaves the page
    assert.equal(request.method(), "GET", request.url());
    if (url.protocol === "blob:") {
      // wasm-bindgen-rayon starts each pool thread from a blob: copy of its own module.
      assert.equal(new URL(url.pathname).origin, origin, request.url());
      continue;
    }
    assert.equal(url.origin, origin, request.url());
    assert.ok(ownFile(folder, url.pathname), `not a file of the page: ${request.url()}`);
    if (when === "sweep") {
      assert.match(url.pathname, /^\/www\/.*\.(js|wasm)$/, `requested during the sweep: ${url}`);
    }
  }
  // The workers' own requests are among those checked: point-worker.js is imported by the
  // sweep's workers only, and the pool threads start from blob: URLs. The wasm is not among
  // them: the page compiled it at load and hands the module to the workers.
  const during = requests.filter((r) => r.phase === "sweep").map((r) => r.request.url());
  for (const file of ["sweep-worker.js", "point-worker.js"]) {
    assert.ok(during.some((u) => u.endsWith(`/www/${file}`)), `${file}: ${during.join(" ")}`);
  }
  assert.ok(!during.some((u) => u.endsWith("/www/pkg/coresweep_bg.wasm")), `wasm fetched again: ${during.join(" ")}`);
  assert.ok(during.some((u) => u.startsWith("blob:")), `blob: threads: ${during.join(" ")}`);

  // Every response from the server (page, modules, workers' scripts, wasm) carries the policy.
  const served = responses.filter((response) => response.url().startsWith(origin));
  assert.ok(served.some((r) => r.url().endsWith("/www/sweep-worker.js")), "worker scripts seen");
  assert.ok(served.some((r) => r.url().endsWith("/www/pkg/coresweep_bg.wasm")), "wasm seen");
  for (const response of served) {
    const header = await response.headerValue(CSP);
    assert.equal(header, `${policy}; report-uri ${REPORTS}`, response.url());
  }
  assert.deepEqual(problems, []);
  await page.close();
}

test("npm start: only own files are requested, under the policy, none violates it", async () => {
  await sweepWithinPolicy(origin, root, POLICY);
});

test("dist/ served with its _headers (Netlify, Cloudflare Pages): the same", async () => {
  const headers = distHeaders();
  const dist = await reportingServer(join(root, "dist"), headers);
  await sweepWithinPolicy(dist, join(root, "dist"), policyOf(headers, "dist/_headers"));
});

test("a worker and its blob: threads are held to the header's policy and reported", async () => {
  reports.length = 0;
  const page = await browser.context.newPage();
  await page.goto(`${origin}/?${SMALL}`);
  await waitForState(page, ["idle"]);
  // The sweep's own worker module; the page's meta does not reach it, only its response header.
  const [worker] = await Promise.all([
    page.waitForEvent("worker"),
    page.evaluate(() => {
      window.probe = new Worker("www/sweep-worker.js", { type: "module", name: "probe" });
    }),
  ]);
  await worker.evaluate(() => {
    fetch("http://127.0.0.1:9/from-worker").catch(() => {});
    const thread = new Blob(['fetch("http://127.0.0.1:9/from-blob").catch(() => {});'], {
      type: "text/javascript",
    });
    new Worker(URL.createObjectURL(thread));
  });
  const received = (await reportsAfter(2)).map(describe).sort();
  assert.deepEqual(received, [
    "blob: connect-src http://127.0.0.1:9/from-blob",
    `${origin}/www/sweep-worker.js: connect-src http://127.0.0.1:9/from-worker`,
  ]);
  await page.close();
});

// Every engine: the page and its sweep violate nothing under npm start's headers, as the
// document's securitypolicyviolation events tell (drivers/hooks.js: Firefox and WebKit have no
// report API the drivers can read); an injected inline script shows the hook hears violations.
forEachEngine((engine) => {
  test("a 1,2 sweep under the policy: no violation, and an inline script is one", async () => {
    const page = await engine.open(SMALL);
    await waitForState(page, ["idle"]);
    assert.equal(await runSweep(page), "done", await page.locator("#alert").textContent());
    assert.deepEqual(await page.problems(), []);
    assert.equal(await inlineScriptRuns(page), false, "the policy refuses an inline script");
    // One report per policy that refuses it: the header's and the meta's.
    const heard = await page.problems();
    assert.ok(heard.length > 0, "the hook hears violations");
    assert.deepEqual(new Set(heard), new Set(["CSP violation: script-src-elem inline"]));
    await page.close();
  });
});

test("the meta policy, serve.json's header and dist/_headers agree", () => {
  const meta = metaPolicy(join(root, "index.html"));
  // dist/index.html is index.html plus the coi-serviceworker script, under the same meta.
  assert.equal(metaPolicy(join(root, "dist", "index.html")), meta);
  // A meta cannot carry frame-ancestors (Chromium ignores it there, with a console error).
  assert.deepEqual(directives(POLICY, ["frame-ancestors"]), directives(meta));
  assert.ok(!directives(meta).some((d) => d.startsWith("frame-ancestors")), meta);
  // The page is made to be embedded in blog posts on any site (?embed=1).
  assert.ok(directives(POLICY).includes("frame-ancestors *"), POLICY);

  // dist/_headers: everything npm start sends but its development Cache-Control.
  const written = distHeaders();
  assert.deepEqual(written, servedHeaders().filter(([key]) => key !== "Cache-Control"));
  assert.ok(written.some(([key]) => key === CSP));
});
