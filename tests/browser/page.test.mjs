// @ts-check
// The page end to end: cross-origin isolated, a small sweep over 1 and 2 threads finishes, the
// chart is drawn, the table and the results document hold both points.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chartInk, pageState, screenshot, serverUrl, SMALL, textOf, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

test("the page is cross-origin isolated and becomes ready", async (t) => {
  const { page, problems } = await fixture.open(SMALL);
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
  assert.equal(
    await waitForState(page, ["idle", "error"]),
    "idle",
    (await page.locator("#alert").textContent()) ?? "",
  );
  const interactive = await page.evaluate(
    () => performance.getEntriesByName("coresweep-interactive")[0]?.startTime,
  );
  assert.ok(interactive > 0, "the page marks when it became interactive");
  t.diagnostic(`interactive after ${Math.round(interactive)} ms`);
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.equal(await page.locator("#run").isEnabled(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test("an address with a doubled slash (a path of //) still loads, and its links stay on this host", async () => {
  const { page, problems } = await fixture.open();
  await page.goto(new URL(`/?${SMALL}`, serverUrl(fixture)).href.replace("/?", "//?"));
  assert.equal(await waitForState(page, ["idle", "error"]), "idle");
  const { host, pathname } = new URL(await page.locator("#share-link").evaluate((a) => /** @type {HTMLAnchorElement} */ (a).href));
  assert.deepEqual([host, pathname], [new URL(serverUrl(fixture)).host, "//"]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a sweep over 1 and 2 threads fills the chart, the table and the document", async (t) => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  const before = await chartInk(page);
  await page.locator("#run").click();
  assert.equal(
    await waitForState(page, ["done", "error", "cancelled"]),
    "done",
    (await page.locator("#alert").textContent()) ?? "",
  );

  const rows = page.locator("#results-table tbody tr");
  assert.equal(await rows.count(), 2);
  assert.deepEqual(await rows.locator("th").allTextContents(), ["1", "2"]);

  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.equal(doc.schema, "coresweep-sweep/3");
  assert.deepEqual(doc.workload, { kind: "fit" });
  assert.equal(doc.engine, "wasm");
  assert.deepEqual(
    doc.points.map((/** @type {{threads: number}} */ p) => p.threads),
    [1, 2],
  );
  for (const point of doc.points) {
    assert.equal(point.fit_seconds.length, 1);
    assert.ok(point.median_seconds > 0);
  }
  assert.equal(doc.dataset.n_samples, 300);
  assert.equal(doc.forest.n_estimators, 10);
  assert.equal(doc.device.cross_origin_isolated, true);
  assert.ok(
    doc.quality.oob_accuracy > 0.5 && doc.quality.oob_accuracy <= 1,
    `OOB accuracy ${doc.quality.oob_accuracy}`,
  );

  const after = await chartInk(page);
  const dpr = await page.evaluate(() => window.devicePixelRatio);
  const box = await page.locator("#chart").boundingBox();
  if (!box) throw new Error("the chart is not shown");
  assert.equal(
    after.width,
    Math.round(box.width * dpr),
    "canvas width follows its CSS size × devicePixelRatio",
  );
  assert.ok(after.ink > 0.003 * after.pixels, `chart ink ${after.ink} of ${after.pixels} pixels`);
  t.diagnostic(
    `chart ${after.width}×${after.height}: ${after.ink} inked pixels, blue ${before.blue} → ${after.blue}`,
  );
  assert.ok(
    after.blue > before.blue + 200,
    `the points add blue ink (${before.blue} → ${after.blue})`,
  );

  assert.match(
    await textOf(page, "#speedup-figure"),
    /^(\d+(\.\d)?× (faster|slower)|same speed)$/,
  );
  assert.deepEqual(problems, []);
  await screenshot(page, "page-sweep-light");
  await page.close();
});

test("dark theme on a phone: the chart is redrawn for the theme and the page fits the screen", async () => {
  const { page } = await fixture.open(SMALL, {
    viewport: { width: 390, height: 844 },
    colorScheme: "dark",
  });
  await waitForState(page, ["idle"]);
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    background: getComputedStyle(document.body).backgroundColor,
  }));
  assert.ok(
    layout.scrollWidth <= layout.innerWidth,
    `no sideways scrolling (${layout.scrollWidth} > ${layout.innerWidth})`,
  );
  const [r, g, b] = (layout.background.match(/\d+/g) ?? []).map(Number);
  assert.ok(r + g + b < 150, `dark background, got ${layout.background}`);
  const { ink, pixels } = await chartInk(page);
  assert.ok(ink > 0.003 * pixels, `chart ink ${ink} of ${pixels} pixels`);
  await screenshot(page, "page-sweep-phone-dark");

  const chartCorner = () =>
    page.evaluate(() => {
      const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById("chart"));
      const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      return r + g + b;
    });
  assert.ok((await chartCorner()) < 150, "the chart is drawn dark");
  await page.locator("#theme-toggle").click();
  assert.equal(await page.locator("#theme-toggle").getAttribute("aria-pressed"), "false");
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(light, layout.background);
  assert.ok((await chartCorner()) > 600, "the toggle redraws the chart light");
  assert.equal(await pageState(page), "done");
  await page.close();
});

test("results files from other devices overlay the chart; a bad file is refused by name", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  const before = await chartInk(page);

  const other = JSON.parse(await page.locator("#results-json").inputValue());
  other.engine = "native";
  other.device = { label: "a 2-core server" };
  other.points = other.points.map((/** @type {{fit_seconds: number[]}} */ p) => ({
    ...p,
    fit_seconds: p.fit_seconds.map((s) => s * 3),
  }));
  await page.locator("#overlay-files").setInputFiles({
    name: "server.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(other)),
  });
  await page.locator("#overlay-list li").waitFor();
  assert.match(
    await textOf(page, "#overlay-list li"),
    /server\.json: a 2-core server/,
  );
  const after = await chartInk(page);
  assert.ok(after.warm > before.warm + 100, `a second colour (${before.warm} → ${after.warm})`);
  // Its table has step 5's columns, one heading per cell.
  const overlayTable = await page.evaluate(() => {
    const table = document.querySelector("#overlay-list table");
    if (!(table instanceof HTMLTableElement) || !table.tHead) throw new Error("the overlay has no table with a head");
    return [[...table.tHead.rows[0].cells].map((c) => c.textContent), table.tBodies[0].rows[0].cells.length];
  });
  const ownHead = await page.locator("#results-table thead th").allTextContents();
  assert.deepEqual(overlayTable, [ownHead, ownHead.length]);

  await page.locator("#overlay-files").setInputFiles({
    name: "broken.json",
    mimeType: "application/json",
    buffer: Buffer.from('{"schema": "something-else/9"}'),
  });
  await page.waitForFunction(() =>
    (document.getElementById("alert")?.textContent ?? "").includes("broken.json"),
  );
  assert.equal(await page.locator("#overlay-list li").count(), 1);

  await page.getByRole("button", { name: "Remove server.json" }).click();
  assert.equal(await page.locator("#overlay-list li").count(), 0);
  assert.equal(await pageState(page), "done");
  assert.deepEqual(problems, []);
  await page.close();
});
