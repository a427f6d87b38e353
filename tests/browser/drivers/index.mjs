// @ts-check
// One small driver layer over three engines: Chromium (Playwright), Firefox ESR (puppeteer-core
// over WebDriver BiDi) and WebKitGTK (selenium-webdriver + WebKitWebDriver). Each engine's file
// gives five primitives — goto, evaluate, click, enterFrame, close — and this file builds on
// them, once, the part of Playwright's page API the tests use (so page-fixtures.mjs's steps run
// on any engine): waiting for a condition, reading text and values, filling a field, choosing
// files, and the page's problems. Pages are served by the test server
// with drivers/hooks.js injected first (uncaught errors and CSP violations, in every engine).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import { root, servedHeaders, startServer } from "../../../scripts/server.mjs";
import { withDeadline } from "./deadline.mjs";

/** The engines every cross-engine test runs in; CORESWEEP_ENGINES=firefox,webkit picks some. */
export const ENGINES = (process.env.CORESWEEP_ENGINES || "chromium,firefox,webkit").split(",");

const HOOKS = "/__coresweep-test-hooks.js";

/**
 * What each engine's driver (chromium.mjs, firefox.mjs, webkit.mjs) gives for a page. evaluate
 * resolves to fn's awaited result as it crossed from the page (Page.evaluate names its type).
 * @typedef {object} Primitives
 * @property {(url: string) => Promise<unknown>} goto
 * @property {<A>(fn: (arg: A) => unknown, arg: A) => Promise<unknown>} evaluate
 * @property {(selector: string) => Promise<void>} click
 * @property {() => Promise<void>} enterFrame
 * @property {() => Promise<void>} close
 */

/**
 * An engine's driver: its pages' primitives, and the browser's end.
 * @typedef {object} Driver
 * @property {() => Promise<Primitives>} newPage
 * @property {() => Promise<unknown>} close
 */

/** @typedef {Awaited<ReturnType<typeof startTestServer>>} TestServer */
/** @typedef {Awaited<ReturnType<typeof launchEngine>>} EngineBrowser */

/**
 * What forEachEngine's body gets: the engine's name, its server and browser (started by the
 * describe block's before(); reading them earlier throws), and open(query).
 * @typedef {object} EngineFixture
 * @property {string} engine
 * @property {TestServer} server
 * @property {EngineBrowser} browser
 * @property {(query?: string) => Promise<Page>} open
 */

/**
 * The test server: the repository as `npm start` serves it (`headers: false`: without any
 * header, so not isolated), its HTML with drivers/hooks.js as the first script. Its
 * `requests(pathname)` counts the requests for a path so far (revalidations included).
 * @param {{headers?: boolean, folder?: string}} [options]
 */
export async function startTestServer({ headers = true, folder = root } = {}) {
  /** @type {Map<string, number>} */
  const requests = new Map();
  const server = await startServer({
    folder,
    headers: headers ? servedHeaders() : [],
    route(request, response) {
      const { pathname } = new URL(request.url ?? "/", "http://x");
      requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
      if (pathname === HOOKS) {
        response.writeHead(200, { "Content-Type": "text/javascript" });
        response.end(readFileSync(join(import.meta.dirname, "hooks.js")));
        return true;
      }
      if (pathname !== "/" && pathname !== "/index.html") return false;
      const html = readFileSync(join(folder, "index.html"), "utf8");
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(html.replace("<head>", `<head>\n  <script src="${HOOKS}"></script>`));
      return true;
    },
  });
  return { ...server, requests: (/** @type {string} */ pathname) => requests.get(pathname) ?? 0 };
}

/**
 * The part of Playwright's Locator the tests use, for any engine: reads go through evaluate on
 * the first (or every) element `selector` matches in the page's current document.
 */
class Locator {
  /**
   * @param {Page} page
   * @param {string} selector
   */
  constructor(page, selector) {
    this.page = page;
    this.selector = selector;
  }
  /**
   * `read(element, arg)` on the first match (null when none). The function sent is put together
   * here, in Node: the page's CSP forbids building one there.
   * @template A, R
   * @param {(el: Element, arg: A) => R} read
   * @param {A} [arg]
   * @returns {Promise<Awaited<R> | null>}
   */
  first(read, arg) {
    /** @type {(args: [string, A | undefined]) => R | null} */
    const onFirst = new Function(
      `return ([selector, a]) => { const el = document.querySelector(selector); return el ? (${read})(el, a) : null; }`,
    )();
    return this.page.evaluate(onFirst, [this.selector, arg]);
  }
  /**
   * first(read, arg), where a missing element is an error naming the selector (as Playwright's
   * textContent, inputValue and isEnabled fail rather than answer).
   * @template A, R
   * @param {(el: Element, arg: A) => R} read
   * @param {A} [arg]
   * @returns {Promise<NonNullable<Awaited<R>>>}
   */
  async only(read, arg) {
    const value = await this.first(read, arg);
    if (value === null || value === undefined) throw new Error(`no element matches ${this.selector}`);
    return value;
  }
  click() {
    return this.page.primitives.click(this.selector);
  }
  /** An element's textContent is never null (a document's is): "" is the empty element's. */
  textContent() {
    return this.only((el) => el.textContent ?? "");
  }
  inputValue() {
    return this.only((el) => /** @type {HTMLInputElement} */ (el).value);
  }
  /** @param {string} name */
  getAttribute(name) {
    return this.first((el, n) => el.getAttribute(n), name);
  }
  isEnabled() {
    return this.only((el) => !(/** @type {HTMLInputElement} */ (el).disabled));
  }
  /** false when nothing matches, as Playwright's isVisible. */
  async isVisible() {
    return (await this.first((el) => el.checkVisibility())) ?? false;
  }
  count() {
    return this.page.evaluate((s) => document.querySelectorAll(s).length, this.selector);
  }
  allTextContents() {
    return this.page.evaluate(
      (s) => [...document.querySelectorAll(s)].map((el) => el.textContent ?? ""),
      this.selector,
    );
  }
  /**
   * Types `value`: sets it and fires input and change, as Playwright's fill does.
   * @param {string} value
   */
  async fill(value) {
    const filled = await this.first((el, v) => {
      /** @type {HTMLInputElement} */ (el).value = v;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    }, value);
    if (!filled) throw new Error(`no element matches ${this.selector}`);
  }
  /**
   * Chooses files ({name, mimeType, buffer} or a list of them), as a person picking them.
   * @param {ChosenFile | ChosenFile[]} files
   */
  async setInputFiles(files) {
    const list = [files].flat().map(({ name, mimeType, buffer }) => ({
      name,
      type: mimeType,
      text: buffer.toString("utf8"),
    }));
    const chose = await this.first((input, chosen) => {
      const transfer = new DataTransfer();
      for (const { name, text, type } of chosen) transfer.items.add(new File([text], name, { type }));
      /** @type {HTMLInputElement} */ (input).files = transfer.files;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    }, list);
    if (!chose) throw new Error(`no element matches ${this.selector}`);
  }
}

/** @typedef {{name: string, mimeType: string, buffer: Buffer}} ChosenFile */

/**
 * A page in any engine, with the part of Playwright's Page the tests use (so page-fixtures.mjs's
 * steps work on it): goto, evaluate, waitForFunction, locator, close; plus enterFrame() and
 * problems().
 */
export class Page {
  /** @param {Primitives} primitives */
  constructor(primitives) {
    this.primitives = primitives;
  }
  /** @param {string} url */
  goto(url) {
    return this.primitives.goto(url);
  }
  /**
   * `fn(arg)` run in the page (fn must be self-contained); resolves to its awaited result (what
   * crossed from the page: JSON-like values).
   * @template R
   * @template [A=undefined]
   * @param {(arg: A) => R} fn
   * @param {A} [arg]
   * @returns {Promise<Awaited<R>>}
   */
  async evaluate(fn, arg) {
    return /** @type {Awaited<R>} */ (await this.primitives.evaluate(fn, /** @type {A} */ (arg)));
  }
  /** @param {string} selector */
  locator(selector) {
    return new Locator(this, selector);
  }
  /** From now on, operations act inside the page's first <iframe>. */
  enterFrame() {
    return this.primitives.enterFrame();
  }
  close() {
    return this.primitives.close();
  }
  /**
   * Waits until `fn(arg)` is truthy in the page; resolves to its value.
   * @template R
   * @template [A=undefined]
   * @param {(arg: A) => R} fn
   * @param {A} [arg]
   * @param {{timeout?: number}} [options]
   * @returns {Promise<Awaited<R>>}
   */
  async waitForFunction(fn, arg, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      // One poll never outlives the wait: a page that stops answering fails the wait on time.
      const left = Math.max(deadline - Date.now(), 0) + 5_000;
      const value = await withDeadline(this.evaluate(fn, arg), left, "a poll").catch(() => null);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${fn}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  /** Uncaught errors, unhandled rejections and CSP violations of the page (drivers/hooks.js). */
  problems() {
    return this.evaluate(() => window.__coresweepProblems ?? ["drivers/hooks.js did not run"]);
  }
}

/**
 * Launches `engine` ("chromium" | "firefox" | "webkit"); options go to its driver (WebKit's
 * alone reads them).
 * @param {string} engine
 * @param {{sharedArrayBuffer?: boolean, compositing?: boolean}} [options]
 */
export async function launchEngine(engine, options = {}) {
  /** @type {{launch: (options: {sharedArrayBuffer?: boolean, compositing?: boolean}) => Promise<Driver>}} */
  const { launch } = await import(`./${engine}.mjs`);
  const browser = await launch(options);
  return {
    engine,
    newPage: async () => new Page(await browser.newPage()),
    close: () => browser.close(),
  };
}

/**
 * Runs `body(fixture)` once per engine, each in a describe block of its own with a server and
 * a browser; `fixture.open(query)` opens the page and resolves to a Page, `fixture.engine`
 * names the engine. Options: `headers` (false: served without any header), `launch` (options
 * for the driver, e.g. {sharedArrayBuffer: false}), `engines` (a subset of ENGINES).
 * @param {(fixture: EngineFixture) => void} body
 * @param {{headers?: boolean, launch?: {sharedArrayBuffer?: boolean}, engines?: string[]}} [options]
 */
export function forEachEngine(body, { headers = true, launch = {}, engines = ENGINES } = {}) {
  for (const engine of engines.filter((name) => ENGINES.includes(name))) {
    describe(engine, () => {
      /** @type {TestServer | null} */
      let server = null;
      /** @type {EngineBrowser | null} */
      let browser = null;
      before(async () => {
        server = await startTestServer({ headers });
        browser = await launchEngine(engine, launch);
      });
      after(async () => {
        await browser?.close();
        await server?.close();
      });
      /** @type {EngineFixture} */
      const fixture = {
        engine,
        get server() {
          if (!server) throw new Error(`${engine}: the test server did not start`);
          return server;
        },
        get browser() {
          if (!browser) throw new Error(`${engine}: the browser did not start`);
          return browser;
        },
        async open(query = "") {
          const page = await fixture.browser.newPage();
          await page.goto(`${fixture.server.url}${query ? `?${query}` : ""}`);
          return page;
        },
      };
      body(fixture);
    });
  }
}
