// @ts-check
// Chromium through Playwright (harness.mjs): the driver primitives of drivers/index.mjs.
import { launchBrowser } from "../harness.mjs";
import { withDeadline } from "./deadline.mjs";

/** @returns {Promise<import("./index.mjs").Driver>} */
export async function launch() {
  const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  return {
    async newPage() {
      const page = await browser.context.newPage();
      /** @type {import("playwright-core").Page | import("playwright-core").Frame} */
      let target = page;
      return {
        goto: (url) => page.goto(url),
        // The page gets a copy of arg (Playwright types it as the copy); Page.evaluate types both ends.
        evaluate: (fn, arg) => target.evaluate(/** @type {(arg: unknown) => unknown} */ (fn), arg),
        click: (selector) => target.locator(selector).click(),
        async enterFrame() {
          const frame = page.frames().find((frame) => frame !== page.mainFrame());
          if (!frame) throw new Error("chromium: the page has no <iframe> to enter");
          target = frame;
        },
        close: () => page.close(),
      };
    },
    // Closing is not what a test checks: a browser that will not close is left behind.
    close: () => withDeadline(browser.close(), 30_000, "chromium: closing").catch(() => {}),
  };
}
