// @ts-check
// Comparing devices: a result exported (JSON, CSV) and imported again gives the same table; a
// link to a result reproduces its chart and table; files dropped on the page are read like
// picked ones, and a broken or foreign one is refused with a message and changes nothing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "./harness.mjs";
import { browserContext, chartInk, SMALL, tableRows, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

/** @typedef {import("playwright-core").Page} Page */

/**
 * Drops files (each {name, text}) on the page as a person dragging them from a file manager.
 * @param {Page} page
 * @param {{name: string, text: string}[]} files
 */
function dropFiles(page, files) {
  return page.evaluate((list) => {
    const data = new DataTransfer();
    for (const { name, text } of list) {
      data.items.add(new File([text], name, { type: "application/json" }));
    }
    for (const type of ["dragenter", "dragover", "drop"]) {
      document.body.dispatchEvent(
        new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    }
  }, files);
}

/**
 * Rows of RFC 4180 CSV text (quoted fields may hold commas, quotes and line breaks).
 * @param {string} text
 */
function parseCsv(text) {
  /** @type {string[][]} */
  const rows = [[]];
  let fieldText = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        fieldText += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else fieldText += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      rows[rows.length - 1].push(fieldText);
      fieldText = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      rows[rows.length - 1].push(fieldText);
      fieldText = "";
      rows.push([]);
      i += 1;
    } else fieldText += c;
  }
  if (rows[rows.length - 1].length === 0 && fieldText === "") rows.pop();
  else rows[rows.length - 1].push(fieldText);
  return rows;
}

/**
 * Chart pixels close to each of `colours` ([r, g, b]): how much of each series is drawn.
 * @param {Page} page
 * @param {[number, number, number][]} colours
 */
function colourInk(page, colours) {
  return page.evaluate((wanted) => {
    const canvas = document.getElementById("chart");
    const context = canvas instanceof HTMLCanvasElement ? canvas.getContext("2d") : null;
    if (!context) throw new Error("no 2d <canvas id=chart>");
    const { data } = context.getImageData(0, 0, context.canvas.width, context.canvas.height);
    const counts = wanted.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      wanted.forEach(([r, g, b], n) => {
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40)
          counts[n] += 1;
      });
    }
    return counts;
  }, colours);
}

/**
 * Clicks `button` and reads the file it downloads.
 * @param {Page} page
 * @param {string} button
 */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator(button).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

test("export, import and a shared link all give back the same table and chart", async (t) => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  await page.locator("#device-label").fill("the test machine");
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  const table = await tableRows(page, "#results-table tbody");
  assert.equal(table.length, 2);
  const doc = JSON.parse(await page.locator("#results-json").inputValue());

  const json = await download(page, "#download-json");
  assert.match(json.name, /^coresweep-.*\.json$/);
  const csv = await download(page, "#download-csv");
  assert.match(csv.name, /^coresweep-.*\.csv$/);
  const [header, ...rows] = parseCsv(csv.text);
  assert.ok(rows.every((row) => row.length === header.length), "every row has every column");
  assert.deepEqual(header.slice(0, 3), ["device_label", "engine", "created"]);
  assert.equal(rows.length, 2, "one row per thread count");
  const column = (/** @type {string} */ name) => rows.map((row) => row[header.indexOf(name)]);
  assert.deepEqual(column("device_label"), ["the test machine", "the test machine"]);
  assert.deepEqual(column("threads"), ["1", "2"]);
  assert.deepEqual(column("user_agent"), [doc.device.user_agent, doc.device.user_agent]);
  assert.deepEqual(column("n_samples"), ["300", "300"]);
  assert.deepEqual(column("n_estimators"), ["10", "10"]);
  assert.deepEqual(column("dataset_random_state"), ["0", "0"]);
  assert.deepEqual(
    column("median_seconds").map(Number),
    doc.points.map((/** @type {{median_seconds: number}} */ p) => p.median_seconds),
  );

  await page.locator("#copy-result-link").click();
  await page.locator("#result-link").waitFor();
  const link = await page.locator("#result-link").inputValue();
  assert.match(link, /#result=[A-Za-z0-9_-]+$/);
  t.diagnostic(`share link for ${doc.points.length} points: ${link.length} characters`);
  assert.deepEqual(problems, []);
  await page.close();

  // Import the downloaded JSON in a fresh page: its table is the table it was made from.
  const imported = await fixture.open(SMALL);
  await waitForState(imported.page, ["idle"]);
  const blank = await chartInk(imported.page);
  await imported.page.locator("#overlay-files").setInputFiles({
    name: json.name,
    mimeType: "application/json",
    buffer: Buffer.from(json.text),
  });
  await imported.page.locator("#overlay-list li").waitFor();
  assert.deepEqual(await tableRows(imported.page, "#overlay-list li tbody"), table);
  assert.match((await imported.page.locator("#overlay-list li").textContent()) ?? "", /the test machine/);
  const drawn = await chartInk(imported.page);
  assert.ok(drawn.ink > blank.ink + 500, `the import is drawn (${blank.ink} → ${drawn.ink})`);
  assert.deepEqual(imported.problems, []);
  await imported.page.close();

  // Open the shared link: no file, no server state, the same table and a drawn chart.
  const shared = await browserContext(fixture).newPage();
  /** @type {string[]} */
  const sharedProblems = [];
  shared.on("pageerror", (error) => sharedProblems.push(error.message));
  await shared.goto(link);
  await waitForState(shared, ["idle"]);
  await shared.locator("#overlay-list li").waitFor();
  assert.deepEqual(await tableRows(shared, "#overlay-list li tbody"), table);
  assert.match((await shared.locator("#overlay-list li").textContent()) ?? "", /shared link: the test machine/);
  const sharedInk = await chartInk(shared);
  assert.ok(sharedInk.ink > blank.ink + 500, `the shared result is drawn (${sharedInk.ink})`);
  assert.equal(await shared.locator("#alert").textContent(), "");

  // The same result again — the link pasted into the address bar (only the fragment changes,
  // a hashchange) and the same result picked as a file: still shown once, and the file says so.
  const fragment = new URL(link).hash;
  await shared.evaluate(() => {
    location.hash = "";
  });
  await shared.evaluate((hash) => {
    location.hash = hash;
  }, fragment);
  await shared.locator("#overlay-files").setInputFiles({
    name: json.name,
    mimeType: "application/json",
    buffer: Buffer.from(json.text),
  });
  await shared.getByText("the same result is already shown").waitFor();
  assert.equal(await shared.locator("#overlay-list li").count(), 1, "shown once");
  assert.deepEqual(sharedProblems, []);
  await shared.close();
});

test("dropped files: broken and foreign ones are refused as text, good ones are added", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  const good = JSON.parse(await page.locator("#results-json").inputValue());
  good.device = { label: '<img src=x onerror="window.injected=1">laptop' };
  good.points = [
    { threads: 1, fit_seconds: [2.0], median_seconds: 2.0 },
    { threads: 2, fit_seconds: [1.1], median_seconds: 1.1 },
  ];

  await dropFiles(page, [
    { name: "broken.json", text: '{"schema": "coresweep-sweep/1", "points": [' },
    { name: "<b>foreign</b>.json", text: '{"schema": "something-else/9"}' },
  ]);
  await page.waitForFunction(() =>
    document.getElementById("alert")?.textContent?.includes("<b>foreign</b>.json"),
  );
  const alert = (await page.locator("#alert").textContent()) ?? "";
  assert.match(alert, /broken\.json: /);
  assert.equal(await page.locator("#alert b").count(), 0, "file names are text, not HTML");
  assert.equal(await page.locator("#overlay-list li").count(), 0, "nothing was added");

  await dropFiles(page, [{ name: "laptop.json", text: JSON.stringify(good) }]);
  await page.locator("#overlay-list li").waitFor();
  assert.match((await page.locator("#overlay-list li").textContent()) ?? "", /<img src=x/);
  assert.equal(await page.locator("#overlay-list img").count(), 0, "labels are text, not HTML");
  assert.equal(await page.evaluate(() => window.injected), undefined);
  assert.deepEqual(
    (await tableRows(page, "#overlay-list li tbody")).map((row) => row.slice(0, 2)),
    [
      ["1", "2.00"],
      ["2", "1.10"],
    ],
  );
  assert.equal(await page.locator("#alert").textContent(), "", "a good file clears the refusal");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a link to an 8-point result with 3 repeats stays short", async (t) => {
  const { page } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  const length = await page.evaluate(async () => {
    // The page's module by its URL in the page; tsc reads its types from the repository's file.
    const url = "/www/share.js";
    /** @type {typeof import("../../www/share.js")} */
    const { encodeResult } = await import(url);
    const results = document.getElementById("results-json");
    if (!(results instanceof HTMLTextAreaElement)) throw new Error("no <textarea id=results-json>");
    const doc = JSON.parse(results.value);
    doc.points = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => {
      const fit_seconds = [0, 1, 2].map((r) => 25.123456789 / k + r * 0.0137 * Math.sqrt(k));
      return { threads: k, fit_seconds, median_seconds: fit_seconds[1] };
    });
    return (await encodeResult(JSON.stringify(doc))).length;
  });
  t.diagnostic(`fragment for 8 points × 3 repeats: ${length} characters`);
  assert.ok(length < 2000, `${length} characters`);
  await page.close();
});

test("a damaged shared link is refused with a message", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  await page.evaluate(() => {
    location.hash = "result=not-a-real-result";
  });
  await page.waitForFunction(() =>
    document.getElementById("alert")?.textContent?.includes("Shared link refused"),
  );
  assert.equal(await page.locator("#overlay-list li").count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test("two imported results: two series on the chart, two tables side by side, remove one", async (t) => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  // The chart's light palette: this device's (empty) result first, then one colour per import.
  /** @type {[number, number, number][]} */
  const palette = [
    [255, 127, 14],
    [44, 160, 44],
  ];
  const blank = await colourInk(page, palette);
  const base = JSON.parse(await page.locator("#results-json").inputValue());
  const result = (/** @type {string} */ label, /** @type {number} */ one) => ({
    ...base,
    device: { label },
    points: [1, 2, 4, 8].map((k) => ({
      threads: k,
      fit_seconds: [one / Math.min(k, 3)],
      median_seconds: one / Math.min(k, 3),
    })),
  });
  const file = (/** @type {string} */ name, /** @type {object} */ doc) => ({
    name,
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(doc)),
  });
  await page
    .locator("#overlay-files")
    .setInputFiles([file("laptop.json", result("laptop", 8)), file("phone.json", result("phone", 20))]);
  await page.waitForFunction(() => document.querySelectorAll("#overlay-list li").length === 2);
  const tables = page.locator("#overlay-list li table");
  assert.equal(await tables.count(), 2);
  const boxes = [await tables.nth(0).boundingBox(), await tables.nth(1).boundingBox()];
  assert.ok(boxes[0] && boxes[1], "both tables are shown");
  assert.equal(boxes[0].y, boxes[1].y, "the tables stand side by side on a wide screen");
  assert.deepEqual(
    (await tableRows(page, "#overlay-list li:nth-child(2) tbody")).map((row) => row.slice(0, 2)),
    [
      ["1", "20.0"],
      ["2", "10.0"],
      ["4", "6.67"],
      ["8", "6.67"],
    ],
  );
  const both = await colourInk(page, palette);
  t.diagnostic(`series pixels: blank ${blank}, two results ${both}`);
  assert.ok(both[0] > blank[0] + 200, `an orange series (${blank[0]} → ${both[0]})`);
  assert.ok(both[1] > blank[1] + 200, `a green series (${blank[1]} → ${both[1]})`);

  await page.getByRole("button", { name: "Remove phone.json" }).click();
  assert.equal(await page.locator("#overlay-list li").count(), 1);
  assert.match((await page.locator("#overlay-list li").textContent()) ?? "", /laptop\.json: laptop/);
  const one = await colourInk(page, palette);
  assert.ok(one[0] > blank[0] + 200, `the kept series stays (${one[0]})`);
  assert.ok(one[1] < blank[1] + 50, `the removed series is gone (${both[1]} → ${one[1]})`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a results file written by the CLI (coresweep sweep -o) is imported", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  // Written by `coresweep sweep --n-samples 300 --n-estimators 10 --threads 1,2 --repeats 2 -o`:
  // old files must stay readable.
  const path = join(root, "tests", "browser", "fixtures", "cli-sweep.json");
  const doc = JSON.parse(readFileSync(path, "utf8"));
  await page.locator("#overlay-files").setInputFiles(path);
  await page.locator("#overlay-list li").waitFor();
  assert.match(
    (await page.locator("#overlay-list li").textContent()) ?? "",
    /cli-sweep\.json: native \(native, threads 1, 2\)/,
  );
  const rows = await tableRows(page, "#overlay-list li tbody");
  assert.deepEqual(
    rows.map((row) => row.slice(0, 4)),
    doc.points.map((/** @type {{threads: number, median_seconds: number, fit_seconds: number[]}} */ p) => [
      String(p.threads),
      p.median_seconds.toFixed(3),
      Math.min(...p.fit_seconds).toFixed(3),
      Math.max(...p.fit_seconds).toFixed(3),
    ]),
  );
  assert.equal(await page.locator("#alert").textContent(), "");
  assert.deepEqual(problems, []);
  await page.close();
});
