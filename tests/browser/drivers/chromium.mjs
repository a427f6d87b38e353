// Chromium through Playwright (harness.mjs): the driver primitives of drivers/index.mjs.
import { launchBrowser } from "../harness.mjs";
import { withDeadline } from "./deadline.mjs";

export async function launch() {
  const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  return {
    async newPage() {
      const page = await browser.context.newPage();
      let target = page;
      return {
        goto: (url) => page.goto(url),
        evaluate: (fn, arg) => target.evaluate(fn, arg),
        click: (selector) => target.locator(selector).click(),
        enterFrame() {
          target = page.frames().find((frame) => frame !== page.mainFrame());
        },
        close: () => page.close(),
      };
    },
    // Closing is not what a test checks: a browser that will not close is left behind.
    close: () => withDeadline(browser.close(), 30_000, "chromium: closing").catch(() => {}),
  };
}
