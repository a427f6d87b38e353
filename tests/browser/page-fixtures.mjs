// @ts-check
// What the page tests share: one server and one Chromium per test file (usePage; the tests of
// every engine use drivers/index.mjs's forEachEngine), a page opened with a query string, and
// steps that take a Playwright page or a drivers/ page alike: waiting for the page's data-state,
// running a sweep (also one that fails at a point), counting drawn pixels; saving screenshots.
// CORESWEEP_PAGE_URL=https://… runs the tests against a page served elsewhere.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before } from "node:test";
import { SAVED_KEY } from "../../www/saved.js";
import { launchBrowser, root, startServer } from "./harness.mjs";

/**
 * A page the steps here drive: Playwright's, or drivers/'s Playwright-shaped one (the part of
 * it they use).
 * @typedef {object} TestPage
 * @property {(selector: string) => TestLocator} locator
 * @property {(fn: (arg: any) => unknown, arg?: any, options?: {timeout?: number}) => Promise<unknown>} waitForFunction
 * @property {(fn: (arg: any) => any, arg?: any) => Promise<any>} evaluate
 *
 * @typedef {object} TestLocator
 * @property {(name: string) => Promise<string | null>} getAttribute
 * @property {() => Promise<unknown>} click
 * @property {() => Promise<string>} inputValue
 * @property {() => Promise<string | null>} textContent
 * @property {() => Promise<number>} count
 * @property {() => Promise<boolean>} isEnabled
 */

/**
 * A row of tests/input_cases.json: the value typed for `param` (after the `with` values), in a
 * step's `command`, and the message it is refused with or the value it is `accepted` as;
 * `page`/`cli` false leave a face out.
 * @typedef {{param: string, value: string, with?: Record<string, string>, command?: string,
 *   message?: string, accepted?: unknown, page?: boolean, cli?: boolean}} InputCase
 *
 * tests/input_cases.json: the base parameters, the page's parameter controls, an example value of each, the rows.
 * @typedef {{base: Record<string, string>, page_params: string[], examples: Record<string, string>,
 *   cases: InputCase[]}} InputTable
 */

/** Parameters small enough for a sweep of a few seconds on a slow machine. */
export const SMALL = "n_samples=300&n_estimators=10&threads=1,2&repeats=1";

/** Where screenshots go (git-ignored), for a person to look at. */
export const SCREENSHOTS = join(root, "test-results");

/**
 * Starts a server (with or without the isolation headers) and a browser for the tests of this
 * file, closed after them. Returns an object whose `open(query, options)` opens the page.
 * The tests of a file share one browser profile, so every page starts without the sweep an
 * earlier page kept there (saved.js), unless `keepSaved` (the tests of that keeping).
 */
export function usePage({ headers = true, keepSaved = false } = {}) {
  /**
   * @type {{
   *   server: {url: string, close: () => Promise<void>} | null,
   *   browser: Awaited<ReturnType<typeof launchBrowser>> | null,
   *   open: (query?: string, options?: {viewport?: {width: number, height: number}, colorScheme?: "light" | "dark"}) =>
   *     Promise<{page: import("playwright-core").Page, problems: string[]}>,
   * }}
   */
  const fixture = {
    server: null,
    browser: null,
    open: () => Promise.reject(new Error("the page fixture opens pages inside its tests only")),
  };
  before(async () => {
    const external = headers ? process.env.CORESWEEP_PAGE_URL : undefined;
    if (!external && !existsSync(join(root, "www", "pkg", "coresweep.js"))) {
      throw new Error("www/pkg/coresweep.js is missing: run `npm run build` first");
    }
    fixture.server = external
      ? { url: external, close: async () => {} }
      : await startServer({ headers });
    fixture.browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    if (keepSaved) return;
    await fixture.browser.context.addInitScript((/** @type {string} */ key) => {
      try {
        for (const k of Object.keys(localStorage)) if (k === key || k.startsWith(`${key}/`)) localStorage.removeItem(k);
      } catch {
        // A document without storage (an opaque origin, the test blog's) keeps nothing.
      }
    }, SAVED_KEY);
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  fixture.open = async (query = "", { viewport, colorScheme } = {}) => {
    if (!fixture.browser || !fixture.server) throw new Error("the page fixture opens pages inside its tests only");
    const page = await fixture.browser.context.newPage();
    /** @type {string[]} */
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    if (viewport) await page.setViewportSize(viewport);
    if (colorScheme) await page.emulateMedia({ colorScheme });
    await page.goto(`${fixture.server.url}${query ? `?${query}` : ""}`);
    return { page, problems };
  };
  return fixture;
}

/**
 * The address of a usePage fixture's server (it starts before the tests).
 * @param {ReturnType<typeof usePage>} fixture
 */
export function serverUrl(fixture) {
  if (!fixture.server) throw new Error("the page fixture starts its server before the tests");
  return fixture.server.url;
}

/**
 * The browser context of a usePage fixture's pages (it starts before the tests).
 * @param {ReturnType<typeof usePage>} fixture
 */
export function browserContext(fixture) {
  if (!fixture.browser) throw new Error("the page fixture starts its browser before the tests");
  return fixture.browser.context;
}

/**
 * A step's status line, whose data-state is the step's state: step 5's (and the page's loading
 * and Ready), step 3's one fit, step 6's and step 7's.
 */
export const STATUS = { fit: "#status", one_fit: "#fit-one-result", cv: "#cv-status", grid: "#grid-status" };

/**
 * A step's state (`status`: a STATUS selector): loading | idle | running | done | cancelled | error.
 * @param {TestPage} page
 */
export function pageState(page, status = STATUS.fit) {
  return page.locator(status).getAttribute("data-state");
}

/**
 * Waits until the state of a step (`status`: a STATUS selector, step 5's by default) is one of `states`.
 * @param {TestPage} page
 * @param {string[]} states
 */
export async function waitForState(page, states, timeout = 120_000, status = STATUS.fit) {
  await page.waitForFunction(
    (/** @type {[string[], string]} */ [wanted, selector]) =>
      wanted.includes(document.querySelector(selector)?.getAttribute("data-state") ?? ""),
    [states, status],
    { timeout },
  );
  return pageState(page, status);
}

/**
 * Clicks Run and returns the state the sweep ends in.
 * @param {TestPage} page
 */
export async function runSweep(page) {
  await page.locator("#run").click();
  return waitForState(page, ["done", "error", "cancelled"]);
}

/**
 * The thread counts of the points in the page's results document.
 * @param {TestPage} page
 * @returns {Promise<number[]>}
 */
export async function documentThreads(page) {
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  return doc.points.map((/** @type {{threads: number}} */ p) => p.threads);
}

/**
 * How each point of the page's last sweep got its data: [threads, handed over].
 * @param {TestPage} page
 */
export async function sweepData(page) {
  const points = await page.evaluate(async () => {
    // The page's module by its URL in the page; tsc reads its types from the repository's file.
    const url = "./www/sweep-runner.js";
    /** @type {typeof import("../../www/sweep-runner.js")} */
    const runner = await import(url);
    return runner.lastSweepData();
  });
  return points.map((/** @type {{threads: number, handed: boolean}} */ { threads, handed }) => [threads, handed]);
}

/**
 * Runs the page's first sweep, in which a test hook (?inject_failure, ?inject_panic,
 * ?inject_abort) fails its last point, at k threads. Checks that the status names the point,
 * that the points before it (thread counts `kept`) stay in the document, the table and the
 * chart, and that Run is enabled again. Returns the alert, which names the point.
 * @param {TestPage} page
 * @param {number} k
 * @param {number[]} kept
 */
export async function failingSweep(page, k, kept) {
  await waitForState(page, ["idle"]);
  // The hooks are page switches, not parameters: no "not a parameter" alert.
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.equal(await runSweep(page), "error");
  const alert = (await page.locator("#alert").textContent()) ?? "";
  assert.ok(alert.startsWith(`The ${k}-thread point failed: `), alert);
  const status = (await page.locator("#status").textContent()) ?? "";
  assert.ok(status.includes(`at ${k} thread`), status);
  const points = `${kept.length} point${kept.length === 1 ? "" : "s"}`;
  assert.ok(status.includes(`${points} of ${kept.length + 1} kept`), status);
  assert.deepEqual(await documentThreads(page), kept);
  assert.equal(await page.locator("#results-table tbody tr").count(), kept.length);
  if (kept.length > 0) assert.ok((await chartInk(page)).blue > 0, "the finished points are drawn");
  assert.equal(await page.locator("#run").isEnabled(), true);
  assert.equal(await page.locator("#cancel").isEnabled(), false);
  return alert;
}

/**
 * Runs the sweep again: it measures every point of `threads` (document and table), no alert.
 * @param {TestPage} page
 * @param {number[]} threads
 */
export async function runsAgain(page, threads) {
  assert.equal(await runSweep(page), "done", (await page.locator("#alert").textContent()) ?? "");
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(await documentThreads(page), threads);
  assert.equal(await page.locator("#results-table tbody tr").count(), threads.length);
}

/**
 * Pixels of the chart canvas that differ clearly from its top-left pixel (the background), those
 * that are blue (the tutorial's line and markers are blue) and those that are warm (red, orange:
 * other series).
 * @param {TestPage} page
 * @returns {Promise<{ink: number, blue: number, warm: number, pixels: number, width: number, height: number}>}
 */
export function chartInk(page) {
  return page.evaluate(() => {
    const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById("chart"));
    const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const [r0, g0, b0] = data;
    let ink = 0;
    let blue = 0;
    let warm = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (Math.abs(r - r0) + Math.abs(g - g0) + Math.abs(b - b0) > 60) ink += 1;
      if (b > r + 60 && b > g + 20) blue += 1;
      if (r > g + 60 && r > b + 100) warm += 1;
    }
    return {
      ink,
      blue,
      warm,
      pixels: canvas.width * canvas.height,
      width: canvas.width,
      height: canvas.height,
    };
  });
}

/**
 * Saves a full-page screenshot under test-results/ and returns its path (Playwright's pages
 * only: drivers/ takes none).
 * @param {{screenshot: (options: {path: string, fullPage?: boolean}) => Promise<unknown>}} page
 * @param {string} name
 */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The cells' text of the rows under `selector` (a tbody), row by row.
 * @param {TestPage} page
 * @param {string} selector
 * @returns {Promise<string[][]>}
 */
export function tableRows(page, selector) {
  return page.evaluate(
    (/** @type {string} */ s) =>
      [...document.querySelectorAll(`${s} tr`)].map((row) =>
        [.../** @type {HTMLTableRowElement} */ (row).cells].map((cell) => cell.textContent),
      ),
    selector,
  );
}

/**
 * The text of the element `selector` names. Playwright gives null only for a node that is no
 * element (a document), so null means the selector is wrong: it throws, naming it.
 * @param {TestPage} page
 * @param {string} selector
 */
export async function textOf(page, selector) {
  const text = await page.locator(selector).textContent();
  if (text === null) throw new Error(`${selector} has no text content`);
  return text;
}

/** axe-core's script (npm axe-core), evaluated in the page: the page's CSP allows no script tag. */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's violations of the page as it is now (WCAG 2.x A and AA and axe's best practices),
 * as "rule (impact): selectors" lines; [] when there is none. Playwright's pages only: the
 * script is evaluated as a string.
 * @param {import("playwright-core").Page} page
 * @returns {Promise<string[]>}
 */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return violations;
}
