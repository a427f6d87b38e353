// @ts-check
// The threaded build is compiled with WebAssembly SIMD (simd128); a browser that does not
// validate simd128 code gets the single-threaded build on workers even on an isolated page, and
// the banner says why (www/page.js). Chromium stands in for such a browser by refusing every
// module WebAssembly.validate is asked about, before the page's own scripts run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { documentThreads, SMALL, textOf, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

test("an isolated page without simd128: the single-threaded build on workers, and the banner says why", async () => {
  if (!fixture.browser) throw new Error("the page fixture starts its browser before the tests");
  await fixture.browser.context.addInitScript(() => {
    WebAssembly.validate = () => false;
  });
  const { page, problems } = await fixture.open(`${SMALL}&autorun=1`);
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
  assert.equal(await waitForState(page, ["done", "error"]), "done", (await page.locator("#alert").textContent()) ?? "");
  assert.match(
    await textOf(page, "#threads-off"),
    /cross-origin isolated, but this browser runs no WebAssembly SIMD \(simd128\)/,
  );
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.equal(doc.backend, "workers");
  assert.deepEqual(await documentThreads(page), [1, 2]);
  const scripts = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname),
  );
  assert.ok(scripts.includes("/www/pkg-single/coresweep.js"), scripts.join(" "));
  assert.ok(!scripts.includes("/www/pkg/coresweep.js"), scripts.join(" "));
  assert.deepEqual(problems, []);
  await page.close();
});
