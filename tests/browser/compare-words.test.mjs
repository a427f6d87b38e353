// @ts-check
// The page and the CLI compare results in the same words (src/sweep/compare.rs): overlaid on the
// page, two CLI results of one label get names of their own and a table row each, and the one of
// another experiment is named with what differs — the very line the CLI's --compare prints.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { cliText } from "./cli.mjs";
import { screenshot, tableRows, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();
const scratch = mkdtempSync(join(tmpdir(), "coresweep-compare-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

// The page's experiment (its query) and the CLI's (its flags): the same.
const QUERY = "n_samples=300&n_estimators=10&threads=1&repeats=1";
const flags = (/** @type {string} */ samples) => ["--n-samples", samples, "--n-estimators", "10", "--threads", "1", "--repeats", "1"];

test("the page's overlay of two CLI results says what the CLI says", async () => {
  const same = join(scratch, "same.json");
  const other = join(scratch, "other.json");
  cliText(["sweep", "--quiet", ...flags("300"), "--label", "box", "-o", same]);
  cliText(["sweep", "--quiet", ...flags("200"), "--label", "box", "-o", other]);
  const printed = cliText(["sweep", "--quiet", ...flags("300"), "--compare", same, other]);
  const cliLines = printed.split("\n").filter((line) => line.endsWith("its times do not compare"));
  assert.deepEqual(cliLines, ["other.json: n_samples 200 (this run 300): its times do not compare"]);

  const { page, problems } = await fixture.open(QUERY);
  await waitForState(page, ["idle"]);
  await page.locator("#overlay-files").setInputFiles(
    [same, other].map((path) => ({
      name: basename(path),
      mimeType: "application/json",
      buffer: readFileSync(path),
    })),
  );
  await page.waitForFunction(() => document.querySelectorAll("#comparison-table tbody tr").length === 2);
  const notes = await page.locator("#chart-notes li").allTextContents();
  assert.deepEqual(
    notes.filter((line) => line.endsWith("its times do not compare")),
    cliLines,
    "the page's caption says the CLI's line",
  );
  const rows = await tableRows(page, "#comparison-table tbody");
  assert.deepEqual(
    rows.map((row) => row[0]),
    ["box (same.json)", "box (other.json)"],
  );
  // The CLI's table rows of the same two files, by name: the same cells.
  for (const row of rows) {
    const line = printed.split("\n").find((l) => l.startsWith(row[0]));
    assert.ok(line, `${row[0]} in the CLI's table:\n${printed}`);
    assert.deepEqual(line.split(/ {2,}/), row.filter(Boolean));
  }
  assert.deepEqual(problems, []);
});

test("a result of three thread counts is drawn with Amdahl's projection to 64 cores", async (t) => {
  const made = join(scratch, "made.json");
  cliText(["sweep", "--quiet", ...flags("300"), "--label", "server", "-o", made]);
  // T(k) = 1 + 9/k: a serial fraction of 10 %, worked by hand.
  const doc = JSON.parse(readFileSync(made, "utf8"));
  doc.points = [
    [1, 10],
    [2, 5.5],
    [4, 3.25],
  ].map(([threads, seconds]) => ({ threads, fit_seconds: [seconds], median_seconds: seconds }));
  const { page, problems } = await fixture.open(QUERY);
  await waitForState(page, ["idle"]);
  await page.locator("#overlay-files").setInputFiles({
    name: "server.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(doc)),
  });
  await page.waitForFunction(() => document.querySelectorAll("#comparison-table tbody tr").length === 1);
  const [row] = await tableRows(page, "#comparison-table tbody");
  assert.deepEqual(row, ["server", row[1], "10.0", "3.25 s at 4", "3.1×", "77 %", "10 %", "threads"]);
  const label = (await page.locator("#chart").getAttribute("aria-label")) ?? "(no aria-label)";
  assert.ok(label.includes("4 cores 3.25 s"), label);
  // The overlay's colour (the second: orange) at the right edge of the speed-up panel: the
  // projection's curve, which alone goes past 4 cores.
  const farRight = await page.evaluate(() => {
    const canvas = document.getElementById("chart");
    const context = canvas instanceof HTMLCanvasElement ? canvas.getContext("2d") : null;
    if (!context) throw new Error("no 2d <canvas id=chart>");
    const { width, height } = context.canvas;
    const { data } = context.getImageData(Math.round(width * 0.9), 0, Math.round(width * 0.08), height);
    let orange = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - 255) + Math.abs(data[i + 1] - 127) + Math.abs(data[i + 2] - 14) < 60) orange += 1;
    }
    return orange;
  });
  assert.ok(farRight > 0, "the projection reaches the right edge");
  t.diagnostic(`the dashed projection, for a person to look at: ${await screenshot(page, "projection")}`);
  assert.deepEqual(problems, []);
});
