// Chromium through Playwright (harness.mjs): the driver primitives of drivers/index.mjs.
import { launchBrowser } from "../harness.mjs";

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
    close: () => browser.close(),
  };
}
