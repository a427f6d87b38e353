// Safety: the page asks the network only for its own files (same origin, GET, files of this
// repository), nothing but the workers' modules and wasm once the sweep starts, and its
// Content-Security-Policy is in force without being violated by the page itself.
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "./harness.mjs";
import { SMALL, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

/** A file of the repository that a path names ("/" is index.html). */
function ownFile(pathname) {
  const path = join(root, pathname === "/" ? "index.html" : decodeURIComponent(pathname));
  return path.startsWith(root) && existsSync(path) && statSync(path).isFile();
}

test("Only the page's own files are requested, and the CSP holds with no violation", async () => {
  const { page, problems } = await fixture.open();
  await page.close();
  // A fresh page, listened to from its first request (workers' requests included).
  const context = fixture.browser.context;
  const requests = [];
  const onRequest = (request) => requests.push({ request, phase: phase.now });
  const phase = { now: "load" };
  context.on("request", onRequest);
  const opened = await context.newPage();
  const consoleCsp = [];
  opened.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) consoleCsp.push(message.text());
  });
  opened.on("pageerror", (error) => problems.push(error.message));
  await opened.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${event.sample} ${event.target?.nodeName}`),
    );
  });
  const origin = new URL(await page.url()).origin;
  await opened.goto(`${origin}/?${SMALL}`);
  await waitForState(opened, ["idle"]);
  phase.now = "sweep";
  await opened.locator("#run").click();
  assert.equal(
    await waitForState(opened, ["done", "error", "cancelled"]),
    "done",
    await opened.locator("#alert").textContent(),
  );
  context.off("request", onRequest);

  assert.deepEqual(await opened.evaluate(() => window.cspViolations), []);
  assert.deepEqual(consoleCsp, []);
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

  // The policy is in force: an injected inline script is refused and reported.
  const ran = await opened.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true;";
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return window.injected === true;
  });
  assert.equal(ran, false);
  assert.match((await opened.evaluate(() => window.cspViolations)).join("\n"), /script-src/);
  assert.deepEqual(problems, []);
  await opened.close();
});
