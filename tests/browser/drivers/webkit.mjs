// WebKitGTK (Safari's engine) through selenium-webdriver and WebKitWebDriver, which needs an
// X server (xvfb-run) and drives MiniBrowser. Classic WebDriver only: scripts run through
// executeAsyncScript, errors come from drivers/hooks.js. JSC_useSharedArrayBuffer=true in the
// driver's environment gives the page SharedArrayBuffer as Safari has it; without it
// (`sharedArrayBuffer: false`) WebKitGTK has none even on cross-origin isolated pages.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { Builder, By } from "selenium-webdriver";

const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A script that runs `fn(arg)` in the page and settles with its (awaited) result or its error;
 * the function's source is part of the script (the page's CSP forbids eval).
 */
const asyncCall = (fn) => `
  const done = arguments[arguments.length - 1];
  Promise.resolve()
    .then(() => (${fn})(arguments[0]))
    .then((value) => done({ value: value === undefined ? null : value }),
          (error) => done({ error: String(error && error.stack || error) }));`;

export async function launch({ sharedArrayBuffer = true } = {}) {
  for (const binary of [MINIBROWSER, "/usr/bin/WebKitWebDriver", "/usr/bin/xvfb-run"]) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/setup.sh`);
  }
  const port = await freePort();
  const env = { ...process.env };
  if (sharedArrayBuffer) env.JSC_useSharedArrayBuffer = "true";
  else delete env.JSC_useSharedArrayBuffer;
  const driverProcess = spawn(
    "xvfb-run",
    ["-a", "WebKitWebDriver", `--port=${port}`, "--host=127.0.0.1"],
    { env, stdio: "ignore", detached: true },
  );
  const sessions = new Set();
  const stopDriver = () => {
    try {
      process.kill(-driverProcess.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  return {
    async newPage() {
      let driver;
      // The driver takes a moment to listen.
      for (let attempt = 0; ; attempt++) {
        try {
          driver = await new Builder()
            .usingServer(`http://127.0.0.1:${port}`)
            .withCapabilities({
              browserName: "MiniBrowser",
              "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
            })
            .build();
          break;
        } catch (error) {
          if (attempt >= 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      sessions.add(driver);
      await driver.manage().setTimeouts({ script: 600_000, pageLoad: 120_000 });
      await driver.manage().window().setRect({ width: 1280, height: 900 });
      return {
        goto: (url) => driver.get(url),
        async evaluate(fn, arg) {
          const result = await driver.executeAsyncScript(asyncCall(fn), arg ?? null);
          if (result.error) throw new Error(result.error);
          return result.value;
        },
        click: async (selector) => (await driver.findElement(By.css(selector))).click(),
        enterFrame: () => driver.switchTo().frame(0),
        async close() {
          sessions.delete(driver);
          await driver.quit();
        },
      };
    },
    async close() {
      for (const driver of sessions) await driver.quit().catch(() => {});
      stopDriver();
    },
  };
}
