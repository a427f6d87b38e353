// @ts-check
// Readable before the wasm (issue 18, finding 5): while the engine is still on its way, the form
// shows its defaults (the engine's, from the small page-defaults.json the build writes), the
// link's values and every step's Python it can write without the engine; the wasm arrives
// compressed. Chromium: holding one response back needs Playwright's routing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { textOf, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

test("before the wasm has loaded, the form holds its defaults and the Python is written", async () => {
  const { page, problems } = await fixture.open();
  /** @type {(value?: unknown) => void} */
  let release = () => {};
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route("**/coresweep_bg.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(new URL("?n_estimators=50", page.url()).href);
  await page.waitForFunction(() => (document.getElementById("py-sweep")?.textContent ?? "") !== "");
  assert.equal(await page.locator("#status").getAttribute("data-state"), "loading");
  assert.equal(await page.locator("#cores").inputValue() !== "", true, "Logical cores filled");
  assert.equal(await page.locator('input[name="n_samples"]').inputValue(), "10000");
  assert.equal(await page.locator('input[name="n_estimators"]').inputValue(), "50", "the link's value");
  assert.equal(await page.locator('input[name="grid_max_features"]').inputValue(), "1,2,3,4,5");
  assert.match(await textOf(page, "#py-fit"), /RandomForestClassifier\(\s*n_estimators=50,\s*n_jobs=1,\s*random_state=0,\s*\)/);
  assert.match(await textOf(page, "#py-data"), /n_samples=10000/);
  assert.match(await textOf(page, "#py-cores"), /os\.cpu_count\(\)/);
  assert.match((await page.locator("#share-link").getAttribute("href")) ?? "", /n_estimators=50/);
  assert.equal(await page.locator("#run").isEnabled(), false, "Run waits for the engine");
  release();
  assert.equal(await waitForState(page, ["idle", "error"]), "idle");
  // The wasm came compressed: fewer bytes on the wire than in the module.
  const wasm = await page.evaluate(() => {
    const entry = performance.getEntriesByType("resource").find((e) => e.name.endsWith("coresweep_bg.wasm"));
    return entry instanceof PerformanceResourceTiming
      ? { encodedBodySize: entry.encodedBodySize, decodedBodySize: entry.decodedBodySize }
      : null;
  });
  if (!wasm) throw new Error("no resource timing for coresweep_bg.wasm");
  assert.ok(wasm.encodedBodySize < wasm.decodedBodySize / 2, `${wasm.encodedBodySize} of ${wasm.decodedBodySize} bytes`);
  assert.deepEqual(problems, []);
  await page.close();
});
