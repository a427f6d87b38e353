// @ts-check
// From one device to another (www/devices.js): the QR code, read from a screenshot by a real
// reader (Debian's zbarimg), is exactly the link the page shows; a second, fresh browser opening
// it shows the first device's curve, runs the same sweep once asked, and ends with two series
// and a two-row table; "Send my result back" goes to the Web Share API where there is one and is
// copied where there is none, and carries both results; a result too long for one code leaves
// the code with the experiment alone, and says so.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { launchBrowser } from "./harness.mjs";
import { chartInk, screenshot, serverUrl, SMALL, tableRows, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();
const scratch = mkdtempSync(join(tmpdir(), "coresweep-devices-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A version 40 code at error correction M holds this many bytes (www/devices.js QR_LIMIT). */
const QR_LIMIT = 2331;

/** @typedef {import("playwright-core").Page} Page */

/**
 * What zbarimg reads from a screenshot of the page's QR code.
 * @param {Page} page
 * @param {string} name
 */
async function readCode(page, name) {
  const path = join(scratch, `${name}.png`);
  await page.locator("#devices-qr").screenshot({ path });
  // Its stderr (a D-Bus warning in containers) stays out of the test output.
  const read = execFileSync("zbarimg", ["--raw", "--quiet", path], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return read.replace(/\n$/, "");
}

/**
 * Names the device, runs the sweep, and asks for the code; returns the link shown.
 * @param {Page} page
 * @param {string} label
 */
async function sweepAndShowCode(page, label) {
  await waitForState(page, ["idle"]);
  await page.locator("#device-label").fill(label);
  await page.locator("#device-label").dispatchEvent("change");
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "done");
  await page.locator("#compare-device").click();
  await page.locator("#devices-qr").waitFor();
  return page.locator("#devices-link").inputValue();
}

/**
 * Opens `link` as the other device: sees the curve, is asked, runs; returns the table's names.
 * @param {Page} page
 * @param {string} link
 * @param {string} firstLabel
 */
async function runHere(page, link, firstLabel) {
  await page.goto(link);
  await page.locator("#run-here").waitFor();
  const asked = (await page.locator("#run-here-text").textContent()) ?? "";
  assert.ok(asked.includes(firstLabel) && asked.includes("Run the same sweep here?"), asked);
  // The first device's curve, at once: one row, drawn in the second colour.
  assert.deepEqual((await tableRows(page, "#comparison-table tbody")).map((row) => row[0]), [firstLabel]);
  assert.ok((await chartInk(page)).warm > 0, "the first device's curve is drawn");
  await page.locator("#run-here-yes").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "done");
  assert.equal(await page.locator("#run-here").isHidden(), true);
  const ink = await chartInk(page);
  assert.ok(ink.blue > 0 && ink.warm > 0, `two series: ${JSON.stringify(ink)}`);
  return (await tableRows(page, "#comparison-table tbody")).map((row) => row[0]);
}

/** The number of results a link's fragment carries. */
const resultsIn = (/** @type {string} */ link) => new URL(link).hash.slice(1).split("&").filter((p) => p.startsWith("result=")).length;

test("a QR code carries this result to a second device, which runs the same sweep and sends both back", async (t) => {
  const { page, problems } = await fixture.open(SMALL);
  const link = await sweepAndShowCode(page, "the laptop");
  assert.ok(link.startsWith(new URL(page.url()).origin) && new URL(link).searchParams.get("n_samples") === "300", link);
  assert.equal(resultsIn(link), 1);
  assert.ok(link.length <= QR_LIMIT, `${link.length} characters`);
  t.diagnostic(`compare link: ${link.length} characters`);
  assert.equal(await readCode(page, "laptop-code"), link, "the code reads as the link shown");
  await screenshot(page, "devices-code");

  // The other device: a fresh browser, the Web Share API stubbed to capture what it is given.
  const phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const other = await phone.context.newPage();
    /** @type {string[]} */
    const otherProblems = [];
    other.on("pageerror", (error) => otherProblems.push(error.message));
    await other.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, "share", {
        configurable: true,
        value(/** @type {ShareData} */ data) {
          window.sharedData = data;
          return Promise.resolve();
        },
      });
    });
    const names = await runHere(other, link, "the laptop");
    assert.equal(names.length, 2, `two rows: ${names}`);
    assert.equal(names[1], "the laptop");
    await screenshot(other, "devices-phone-both");
    await other.locator("#send-back").click();
    const shared = await other.waitForFunction(() => window.sharedData).then((h) => h.jsonValue());
    assert.ok(shared?.url, "a link is sent back");
    assert.equal(resultsIn(shared.url), 2, "the link sent back carries both results");
    assert.equal(await other.locator("#devices-link").inputValue(), shared.url);
    assert.deepEqual(otherProblems, []);

    // Back on the first device: both curves.
    const back = await fixture.open("");
    await back.page.goto(shared.url);
    await back.page.waitForFunction(() => document.querySelectorAll("#comparison-table tbody tr").length === 2);
    const ink = await chartInk(back.page);
    assert.ok(ink.blue + ink.warm > 0, "drawn");
    assert.equal(await back.page.locator("#overlay-list li").count(), 2);
    // The label typed on the first device is kept in its browser for the next visit.
    assert.equal(await back.page.locator("#device-label").inputValue(), "the laptop");
    assert.deepEqual(back.problems, []);
  } finally {
    await phone.close();
  }
  assert.deepEqual(problems, []);
});

test("without the Web Share API, sending back copies the link", async () => {
  const { page } = await fixture.open(SMALL);
  const link = await sweepAndShowCode(page, "desk");
  const other = await launchBrowser();
  try {
    await other.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const tab = await other.context.newPage();
    await tab.addInitScript(() => {
      Reflect.deleteProperty(Navigator.prototype, "share");
    });
    assert.deepEqual(await runHere(tab, link, "desk"), [await tab.locator("#device-label").getAttribute("placeholder"), "desk"]);
    await tab.locator("#send-back").click();
    await tab.waitForFunction(() => document.getElementById("devices-note")?.textContent?.startsWith("Link copied"));
    const copied = await tab.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await tab.locator("#devices-link").inputValue());
    assert.equal(resultsIn(copied), 2);
  } finally {
    await other.close();
  }
});

test("a result too long for one code leaves the experiment alone in the code, and says so", async () => {
  // A browser whose user agent (recorded in the result) no compression can shorten.
  const userAgent = `Mozilla/5.0 ${Array.from({ length: 1200 }, (_, i) => ((i * 7919) % 4093).toString(36)).join("")}`;
  const wordy = await launchBrowser({ userAgent });
  try {
    const page = await wordy.context.newPage();
    await page.goto(`${new URL(serverUrl(fixture))}?${SMALL}`);
    const link = await sweepAndShowCode(page, "wordy");
    const note = (await page.locator("#devices-note").textContent()) ?? "";
    assert.ok(note.startsWith("This result is too long for one code ("), note);
    assert.ok(!link.includes("#") && new URL(link).searchParams.get("n_samples") === "300", link);
    assert.equal(await readCode(page, "wordy-code"), link);
  } finally {
    await wordy.close();
  }
});
