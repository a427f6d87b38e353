// @ts-check
// Firefox ESR through puppeteer-core over WebDriver BiDi, headless (no X server needed).
import { existsSync } from "node:fs";
import puppeteer from "puppeteer-core";
import { withDeadline } from "./deadline.mjs";

const FIREFOX = "/usr/lib/firefox-esr/firefox-esr";

/** @returns {Promise<import("./index.mjs").Driver>} */
export async function launch() {
  if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX}: run scripts/setup.sh`);
  const browser = await puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: { width: 1280, height: 900 },
  });
  return {
    async newPage() {
      const page = await browser.newPage();
      /** @type {import("puppeteer-core").Page | import("puppeteer-core").Frame} */
      let target = page;
      return {
        goto: (url) => page.goto(url),
        // The page gets a copy of arg (puppeteer types it as the copy); Page.evaluate types both ends.
        evaluate: (fn, arg) => target.evaluate(/** @type {(arg: unknown) => unknown} */ (fn), arg),
        // Inside a frame puppeteer finds elements with a BiDi locator Firefox ESR refuses
        // ("context"): there the element's own click() stands in for the mouse.
        click: (selector) =>
          target === page
            ? page.click(selector)
            : target.evaluate((s) => {
                const element = document.querySelector(s);
                if (!(element instanceof HTMLElement)) throw new Error(`no element matches ${s}`);
                element.click();
              }, selector),
        async enterFrame() {
          const frame = page.frames().find((frame) => frame !== page.mainFrame());
          if (!frame) throw new Error("firefox: the page has no <iframe> to enter");
          target = frame;
        },
        close: () => page.close(),
      };
    },
    // Closing is not what a test checks: a Firefox that will not close is killed.
    close: () => withDeadline(browser.close(), 30_000, "firefox: closing").catch(() => browser.process()?.kill("SIGKILL")),
  };
}
