// Safety: the page asks the network only for its own files (same origin, GET, files of this
// repository), nothing but the workers' modules and wasm once the sweep starts; every response,
// the workers' included, carries serve.json's Content-Security-Policy header, and nothing
// violates it: not the page, not its workers, not wasm-bindgen-rayon's blob: threads.
// Violations are caught by the browser's own reports: this file's server adds `report-uri` to
// the header, and Chromium reports from every context, workers included, which a
// `securitypolicyviolation` listener in the page cannot see.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import serveHandler from "serve-handler";
import { launchBrowser, root } from "./harness.mjs";
import { SMALL, waitForState } from "./page-fixtures.mjs";

const CSP = "Content-Security-Policy";
const REPORTS = "/csp-report";

/** npm start's server settings. */
const serveConfig = () => JSON.parse(readFileSync(join(root, "serve.json"), "utf8"));

/** The headers a server configuration sends on every path ({key, value} objects). */
const everyPath = (config) => config.headers.find((rule) => rule.source === "**").headers;

/** serve.json's headers, as [key, value] pairs. */
const servedHeaders = () => everyPath(serveConfig()).map(({ key, value }) => [key, value]);

const POLICY = new Map(servedHeaders()).get(CSP);

/** The policy's directives, without the named ones. */
function directives(policy, without = []) {
  return policy
    .split(";")
    .map((directive) => directive.trim())
    .filter((directive) => directive && !without.includes(directive.split(" ")[0]));
}

let server = null;
let browser = null;
let origin = "";
/** The violation reports received (csp-report bodies), in order of arrival. */
const reports = [];

before(async () => {
  if (!existsSync(join(root, "www", "pkg", "coresweep.js"))) {
    throw new Error("www/pkg/coresweep.js is missing: run `npm run build` first");
  }
  // npm start's server (harness.mjs), with the policy reporting to this server.
  const config = serveConfig();
  config.public = root;
  const csp = everyPath(config).find(({ key }) => key === CSP);
  csp.value = `${csp.value}; report-uri ${REPORTS}`;
  server = createServer((request, response) => {
    if (request.method === "POST" && request.url === REPORTS) {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        reports.push(JSON.parse(body)["csp-report"]);
        response.writeHead(204).end();
      });
      return;
    }
    serveHandler(request, response, config);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve());
});

/** Waits until `count` reports have arrived (they are sent asynchronously); returns them all. */
async function reportsAfter(count) {
  for (let waited = 0; reports.length < count && waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return reports.splice(0);
}

const describe = (report) =>
  `${report["document-uri"]}: ${report["violated-directive"]} ${report["blocked-uri"]}`;

/**
 * `work`'s result, unless a violation is reported first: then fails at once with it (a refused
 * blob: thread leaves the sweep waiting for ever).
 */
async function failOnReport(work) {
  let timer;
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

/** A file of the repository that a path names ("/" is index.html). */
function ownFile(pathname) {
  const path = join(root, pathname === "/" ? "index.html" : decodeURIComponent(pathname));
  return path.startsWith(root) && existsSync(path) && statSync(path).isFile();
}

test("only the page's own files are requested, each with the policy header, and nothing violates it", async () => {
  reports.length = 0;
  const context = browser.context;
  const requests = [];
  const responses = [];
  const phase = { now: "load" };
  const onRequest = (request) => requests.push({ request, phase: phase.now });
  const onResponse = (response) => responses.push(response);
  context.on("request", onRequest);
  context.on("response", onResponse);
  const page = await context.newPage();
  const problems = [];
  const consoleCsp = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) consoleCsp.push(message.text());
  });
  await page.goto(`${origin}/?${SMALL}`);
  await failOnReport(waitForState(page, ["idle"]));
  phase.now = "sweep";
  await page.locator("#run").click();
  assert.equal(
    await failOnReport(waitForState(page, ["done", "error", "cancelled"])),
    "done",
    await page.locator("#alert").textContent(),
  );
  assert.deepEqual(await page.locator("#results-table tbody th").allTextContents(), ["1", "2"]);
  context.off("request", onRequest);
  context.off("response", onResponse);

  assert.deepEqual(consoleCsp, []);

  // The policy is in force: an injected inline script is refused and reported. Its report is
  // the first one: earlier violations (page, workers, blob: threads) would have come before it.
  const ran = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true;";
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return window.injected === true;
  });
  assert.equal(ran, false);
  const received = await reportsAfter(1);
  assert.deepEqual(received.map(describe), [`${page.url()}: script-src-elem inline`]);

  assert.ok(requests.length > 5, `requests seen: ${requests.length}`);
  for (const { request, phase: when } of requests) {
    const url = new URL(request.url());
    if (url.protocol === "data:") continue; // the empty favicon: no request leaves the page
    assert.equal(request.method(), "GET", request.url());
    if (url.protocol === "blob:") {
      // wasm-bindgen-rayon starts each pool thread from a blob: copy of its own module.
      assert.equal(new URL(url.pathname).origin, origin, request.url());
      continue;
    }
    assert.equal(url.origin, origin, request.url());
    assert.ok(ownFile(url.pathname), `not a file of the page: ${request.url()}`);
    if (when === "sweep") {
      assert.match(url.pathname, /^\/www\/.*\.(js|wasm)$/, `requested during the sweep: ${url}`);
    }
  }
  const during = requests.filter((r) => r.phase === "sweep").map((r) => r.request.url());
  assert.ok(
    during.some((u) => u.endsWith("/www/sweep-worker.js")),
    `the sweep's workers were seen: ${during.join(" ")}`,
  );

  // Every response from the server (page, modules, workers' scripts, wasm) carries the policy.
  const served = responses.filter((response) => response.url().startsWith(origin));
  assert.ok(served.some((r) => r.url().endsWith("/www/sweep-worker.js")), "worker scripts seen");
  assert.ok(served.some((r) => r.url().endsWith("/www/pkg/coresweep_bg.wasm")), "wasm seen");
  for (const response of served) {
    const policy = await response.headerValue(CSP);
    assert.equal(policy, `${POLICY}; report-uri ${REPORTS}`, response.url());
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("a worker is held to the header's policy, and its violations and its blob: threads' are caught", async () => {
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

test("the meta policy, serve.json's header and dist/_headers agree", () => {
  const html = readFileSync(join(root, "index.html"), "utf8");
  const meta = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  // A meta cannot carry frame-ancestors (Chromium ignores it there, with a console error).
  assert.deepEqual(directives(POLICY, ["frame-ancestors"]), directives(meta));
  assert.ok(!directives(meta).some((d) => d.startsWith("frame-ancestors")), meta);
  // The page is made to be embedded in blog posts on any site (?embed=1).
  assert.ok(directives(POLICY).includes("frame-ancestors *"), POLICY);

  const dist = join(root, "dist", "_headers");
  if (!existsSync(dist)) throw new Error("dist/_headers is missing: run `npm run build`");
  const [path, ...lines] = readFileSync(dist, "utf8").trimEnd().split("\n");
  assert.equal(path, "/*");
  const written = lines.map((line) => {
    const [, key, value] = line.match(/^ {2}([\w-]+): (.+)$/);
    return [key, value];
  });
  // Everything npm start sends but its development Cache-Control.
  assert.deepEqual(
    written,
    servedHeaders().filter(([key]) => key !== "Cache-Control"),
  );
  assert.ok(written.some(([key]) => key === CSP));
});
