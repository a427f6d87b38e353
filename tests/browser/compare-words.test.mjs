// The page and the CLI compare results in the same words (src/sweep/compare.rs): overlaid on the
// page, two CLI results of one label get names of their own and a table row each, and the one of
// another experiment is named with what differs — the very line the CLI's --compare prints.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { cliText } from "./cli.mjs";
import { tableRows, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();
const scratch = mkdtempSync(join(tmpdir(), "coresweep-compare-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

// The page's experiment (its query) and the CLI's (its flags): the same.
const QUERY = "n_samples=300&n_estimators=10&threads=1&repeats=1";
const flags = (samples) => ["--n-samples", samples, "--n-estimators", "10", "--threads", "1", "--repeats", "1"];

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
      name: path.split("/").at(-1),
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
