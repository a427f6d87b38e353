// @ts-check
// WebKitGTK (Safari's engine) through selenium-webdriver and WebKitWebDriver, which needs an
// X server (xvfb-run) and drives MiniBrowser. Classic WebDriver only: scripts run through
// executeAsyncScript, errors come from drivers/hooks.js. JSC_useSharedArrayBuffer=true in the
// driver's environment gives the page SharedArrayBuffer as Safari has it; without it
// (`sharedArrayBuffer: false`) WebKitGTK has none even on cross-origin isolated pages.
//
// Every call to the driver has a deadline (drivers/deadline.mjs). A driver that misses one is
// killed with its X server and browsers, and the next page starts a fresh one: one wedged
// MiniBrowser fails its own test, never the tests after it, and never holds the run.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { Builder, By } from "selenium-webdriver";
import { DeadlineError, withDeadline } from "./deadline.mjs";

const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** How long each kind of driver call may take (ms). */
const DEADLINE = { session: 60_000, load: 150_000, script: 250_000, click: 60_000, quit: 20_000 };

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      // Listening on a host and port (not a pipe), the address is an AddressInfo.
      if (address === null || typeof address === "string") {
        server.close(() => reject(new Error(`webkit: no free port (${address})`)));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * A script that runs `fn(arg)` in the page and settles with its (awaited) result or its error;
 * the function's source is part of the script (the page's CSP forbids eval).
 * @param {Function} fn
 */
const asyncCall = (fn) => `
  const done = arguments[arguments.length - 1];
  Promise.resolve()
    .then(() => (${fn})(arguments[0]))
    .then((value) => done({ value: value === undefined ? null : value }),
          (error) => done({ error: String(error && error.stack || error) }));`;

/**
 * WebKitWebDriver under its own xvfb-run, in a process group of its own (so killing the group
 * ends the X server, the driver, MiniBrowser and WebKit's processes together).
 * @param {NodeJS.ProcessEnv} env
 */
async function startDriver(env) {
  const port = await freePort();
  const child = spawn("xvfb-run", ["-a", "WebKitWebDriver", `--port=${port}`, "--host=127.0.0.1"], {
    env,
    stdio: "ignore",
    detached: true,
  });
  // The test file's process must be able to exit even if a browser outlives it.
  child.unref();
  const { pid } = child;
  if (pid === undefined) throw new Error("webkit: xvfb-run did not start (is it installed?)");
  /** @param {NodeJS.Signals} name */
  const signal = (name) => {
    try {
      process.kill(-pid, name);
    } catch {
      // Already gone.
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      signal("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 500));
      signal("SIGKILL");
    },
  };
}

/**
 * A new WebDriver session; the driver takes a moment to listen after it starts.
 * @param {string} url
 * @returns {Promise<import("selenium-webdriver").WebDriver>}
 */
async function newSession(url) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withDeadline(
        new Builder()
          .usingServer(url)
          .withCapabilities({
            browserName: "MiniBrowser",
            "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
          })
          .build(),
        DEADLINE.session,
        "webkit: starting a MiniBrowser session",
      );
    } catch (error) {
      // Refused while the driver is still starting: try again; a missed deadline is final.
      if (error instanceof DeadlineError || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * `compositing: false` (for benchmarks) turns WebKitGTK's accelerated compositing off: on Xvfb
 * it composites through Mesa's software renderer, which, while a page runs a sweep, took a
 * core's worth of CPU here from the workers being timed; a Safari on a GPU does not pay that.
 * @param {{sharedArrayBuffer?: boolean, compositing?: boolean}} [options]
 * @returns {Promise<import("./index.mjs").Driver>}
 */
export async function launch({ sharedArrayBuffer = true, compositing = true } = {}) {
  for (const binary of [MINIBROWSER, "/usr/bin/WebKitWebDriver", "/usr/bin/xvfb-run"]) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/setup.sh`);
  }
  const env = { ...process.env };
  if (sharedArrayBuffer) env.JSC_useSharedArrayBuffer = "true";
  else delete env.JSC_useSharedArrayBuffer;
  if (!compositing) env.WEBKIT_DISABLE_COMPOSITING_MODE = "1";

  let server = await startDriver(env);
  const sessions = new Set();
  /** Ends the driver and everything it started; the next page starts a new one. */
  async function restart() {
    sessions.clear();
    await server.stop();
    server = await startDriver(env);
  }
  /**
   * `promise` within `ms`; past it the driver is restarted and the step fails by name.
   * @template T
   * @param {Promise<T>} promise
   * @param {number} ms
   * @param {string} what
   */
  async function guarded(promise, ms, what) {
    try {
      return await withDeadline(promise, ms, `webkit: ${what}`);
    } catch (error) {
      if (error instanceof DeadlineError) await restart();
      throw error;
    }
  }

  return {
    async newPage() {
      let driver;
      try {
        driver = await newSession(server.url);
      } catch (error) {
        // A driver that cannot start a session is replaced once.
        if (!(error instanceof DeadlineError)) throw error;
        await restart();
        driver = await newSession(server.url);
      }
      sessions.add(driver);
      await guarded(
        driver.manage().setTimeouts({ script: DEADLINE.script - 10_000, pageLoad: DEADLINE.load - 10_000 }),
        DEADLINE.click,
        "setting timeouts",
      );
      await guarded(driver.manage().window().setRect({ width: 1280, height: 900 }), DEADLINE.click, "sizing the window");
      return {
        goto: (url) => guarded(driver.get(url), DEADLINE.load, `loading ${url}`),
        async evaluate(fn, arg) {
          /** @type {{value?: unknown, error?: string}} */
          const result = await guarded(
            driver.executeAsyncScript(asyncCall(fn), arg ?? null),
            DEADLINE.script,
            "running a script in the page",
          );
          if (result.error) throw new Error(result.error);
          return result.value;
        },
        click: (selector) =>
          guarded(
            driver.findElement(By.css(selector)).then((element) => element.click()),
            DEADLINE.click,
            `clicking ${selector}`,
          ),
        enterFrame: () => guarded(driver.switchTo().frame(0), DEADLINE.click, "entering the frame"),
        async close() {
          if (!sessions.delete(driver)) return;
          // Closing is not what a test checks: a window that will not close is ended with its driver.
          await withDeadline(driver.quit(), DEADLINE.quit, "webkit: closing a window").catch(() => restart());
        },
      };
    },
    async close() {
      await Promise.all(
        [...sessions].map((driver) => withDeadline(driver.quit(), DEADLINE.quit, "webkit: quit").catch(() => {})),
      );
      sessions.clear();
      await server.stop();
    },
  };
}
