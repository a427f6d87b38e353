// @ts-check
// Shared pieces for the Playwright tests: the static server `npm start` uses
// (scripts/server.mjs), on a free port, and Debian's Chromium driven by playwright-core.
// The tests never download a browser.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { root, startServer as serveFolder } from "../../scripts/server.mjs";

export { root };

const CHROMIUM_PATHS = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

/** Flags for a quiet, offline headless Chromium in a container. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Serves the repository like `npm start` (scripts/server.mjs). With `headers: false` the
 * cross-origin isolation headers are left out, so the page runs in its non-isolated fallback.
 * @returns {Promise<{url: string, close: () => Promise<void>}>} url ends with "/".
 */
export function startServer({ headers = true } = {}) {
  return serveFolder(headers ? {} : { headers: [] });
}

/** The Debian Chromium binary, or throws saying how to install it. */
export function chromiumPath() {
  const found = CHROMIUM_PATHS.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`no Chromium at ${CHROMIUM_PATHS.join(" or ")}: run scripts/setup.sh`);
  }
  return found;
}

/**
 * Launches headless Debian Chromium with a fresh profile.
 * @param {object} [options] extra options for launchPersistentContext (e.g. viewport).
 * @returns {Promise<{context: import("playwright-core").BrowserContext, close: () => Promise<void>}>}
 */
export async function launchBrowser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "coresweep-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
