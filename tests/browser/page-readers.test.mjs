// @ts-check
// The page as its readers meet it (issue 18): on a phone, by keyboard and screen reader. Each
// test here failed on the page before the issue: a phone page of 13.8 screens with the Python
// between Run and the chart, blank chart boxes, code cut at the box's edge, step 1's hint
// squeezed into the checkbox's column and its Python contradicting the page; focus dropped to
// <body> by Run, Cancel and the end of a run, three buttons named "Run the sweep", "Done: 2
// points." as the answer, and axe-core's scrollable-region-focusable on the code.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import {
  axeViolations,
  screenshot,
  SMALL,
  STATUS,
  textOf,
  usePage,
  waitForState,
} from "./page-fixtures.mjs";

const PHONE = { width: 390, height: 844 };
/** A sweep long enough to be seen drawing: its 1-thread point takes a second or two. */
const DRAWN = "n_samples=1500&n_estimators=600&threads=1,2&repeats=1";

const fixture = usePage();

/**
 * The first group `pattern` finds in `text`; an error naming the pattern when it finds none.
 * @param {string} text
 * @param {RegExp} pattern
 */
function firstGroup(text, pattern) {
  const found = text.match(pattern);
  if (!found) throw new Error(`${pattern} is not in: ${text}`);
  return found[1];
}

/**
 * Whether the element is on screen, whole, in the viewport of `height` px.
 * @param {import("playwright-core").Page} page
 * @param {string} selector
 * @param {number} height
 */
function onScreen(page, selector, height) {
  return page.evaluate(
    (/** @type {[string, number]} */ [s, h]) => {
      const element = document.querySelector(s);
      if (!element) throw new Error(`the page has no ${s}`);
      const box = element.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= h;
    },
    /** @type {[string, number]} */ ([selector, height]),
  );
}

test("on a phone: a short page, the Python folded, code inside its box, no blank chart before a run", async (t) => {
  const { page, problems } = await fixture.open(SMALL, { viewport: PHONE });
  await waitForState(page, ["idle"]);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  t.diagnostic(`page height on a phone: ${height} px (${(height / PHONE.height).toFixed(1)} screens)`);
  // Before: 11,651 px; the folded Python and the results shown only once there are some.
  assert.ok(height < 8000, `the page is ${height} px tall`);
  const code = await page.evaluate(() =>
    [...document.querySelectorAll("details[data-code]")].map((d) => /** @type {HTMLDetailsElement} */ (d).open),
  );
  assert.ok(code.length >= 6 && code.every((open) => !open), `the Python is folded: ${code}`);
  // One tap opens it; what it shows stays inside its box.
  for (const summary of await page.locator("details[data-code] > summary").all()) await summary.click();
  const overflow = await page.evaluate(() =>
    [...document.querySelectorAll("details[data-code] pre")]
      .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
      .map((pre) => pre.querySelector("code")?.id ?? "a pre without code"),
  );
  assert.deepEqual(overflow, [], "no code block wider than its box");
  assert.ok(((await page.locator("#py-sweep").boundingBox())?.height ?? 0) > 100, "the sweep's Python is open");
  // No blank chart boxes: a sentence where each step's chart will be.
  for (const step of ["fit", "cv", "grid"]) {
    const chart = step === "fit" ? "#chart" : `#${step}-chart`;
    assert.equal(await page.locator(chart).isVisible(), false, `${chart} hidden before a run`);
  }
  assert.equal(await page.locator(".results-empty:visible").count(), 3);
  assert.deepEqual(await axeViolations(page), [], "axe-core on a phone");
  assert.deepEqual(problems, []);
  await page.close();
});

test("on a phone, Run and the live chart are on screen together while it draws", async () => {
  const { page, problems } = await fixture.open(DRAWN, { viewport: PHONE });
  await waitForState(page, ["idle"]);
  await page.locator("#run").click();
  // The first point's row is drawn while the second point runs (a wait that fails if the sweep
  // ends first: the second point must outlast a frame or two, hence its 600 trees).
  await page.waitForFunction(
    () => document.querySelector("#results-table tbody tr") !== null && document.getElementById("status")?.dataset.state === "running",
    undefined,
    { timeout: 120_000 },
  );
  assert.equal(await onScreen(page, "#cancel", PHONE.height), true, "Cancel on screen");
  assert.equal(await onScreen(page, "#chart", PHONE.height), true, "the chart on screen");
  await screenshot(page, "phone-sweep-drawing");
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  assert.deepEqual(problems, []);
  await page.close();
});

test("on a phone, autorun brings the running sweep into view", async () => {
  const { page, problems } = await fixture.open(`${DRAWN}&autorun=1`, { viewport: PHONE });
  await waitForState(page, ["running"]);
  assert.ok((await page.evaluate(() => window.scrollY)) > 1000, "scrolled down to step 5");
  assert.equal(await onScreen(page, "#status", PHONE.height), true, "the status says it runs");
  assert.equal(await onScreen(page, "#chart", PHONE.height), true, "its chart on screen");
  await page.locator("#cancel").click();
  assert.equal(await waitForState(page, ["cancelled", "done"]), "cancelled");
  assert.deepEqual(problems, []);
  await page.close();
});

test("on a desktop the Python stays open beside the controls, in two columns", async () => {
  const { page } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  const layout = await page.evaluate(() => {
    const body = document.querySelector("#step-sweep .step__body");
    if (!body) throw new Error("the page has no #step-sweep .step__body");
    return {
      open: [...document.querySelectorAll("details[data-code]")].every((d) => /** @type {HTMLDetailsElement} */ (d).open),
      columns: getComputedStyle(body).gridTemplateColumns.split(" ").length,
    };
  });
  assert.deepEqual(layout, { open: true, columns: 2 });
  await page.close();
});

for (const viewport of [PHONE, { width: 1280, height: 900 }]) {
  test(`step 1 on a 2-core device at ${viewport.width} px: the hint spans the row, and the Python keeps both cores as the page does`, async () => {
    const { page, problems } = await fixture.open("hardware_concurrency=2", { viewport });
    await waitForState(page, ["idle"]);
    const hint = await page.locator("#reserve-note").boundingBox();
    const box = await page.locator("#step-cores .fields").boundingBox();
    if (!hint || !box) throw new Error("the hint or step 1's fields are not shown");
    assert.ok(hint.width > box.width * 0.8, `hint ${hint.width} px wide in a ${box.width} px box`);
    assert.equal(await page.locator("#threads").inputValue(), "1,2");
    const python = await textOf(page, "#py-cores");
    const value = (/** @type {string} */ name) => python.match(new RegExp(`^${name} = (\\d+)`, "m"))?.[1];
    const cpus = Number(firstGroup(python, /# here: (\d+)/));
    const cores = JSON.parse(firstGroup(python, /^n_cores = (\[.*\])$/m));
    assert.equal(cpus - Number(value("reserved_cpu")), Math.max(...cores), python);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test("every control has a name of its own", async () => {
  const { page } = await fixture.open(SMALL);
  await waitForState(page, ["idle"]);
  const names = await page.evaluate(() =>
    [...document.querySelectorAll("button, a[href], summary")]
      .filter((el) => el.checkVisibility() || el.closest(".step"))
      .map((el) => (el.getAttribute("aria-label") ?? el.textContent).trim().replace(/\s+/g, " ")),
  );
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  assert.deepEqual(repeated, []);
  assert.ok(names.includes("Run the cross-validation sweep"), names.join(" | "));
  assert.ok(names.includes("Cancel the grid search"), names.join(" | "));
  await page.close();
});

test("axe-core finds nothing on the idle page, after a sweep, and in the dark theme", async () => {
  const { page, problems } = await fixture.open(`${SMALL}&cv=3&cv_repeats=none`);
  await waitForState(page, ["idle"]);
  assert.deepEqual(await axeViolations(page), [], "idle");
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error"]), "done");
  await page.locator("#cv-run").click();
  assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.cv), "done");
  assert.deepEqual(await axeViolations(page), [], "after a sweep");
  await page.setViewportSize(PHONE);
  assert.deepEqual(await axeViolations(page), [], "after a sweep, on a phone");
  await page.locator("#theme-toggle").click();
  assert.deepEqual(await axeViolations(page), [], "dark theme");
  assert.deepEqual(problems, []);
  await page.close();
});

forEachEngine(
  (engine) => {
    test("focus stays on a control through Run, Cancel and the end of a run; each step says its answer", async () => {
      const page = await engine.open(SMALL);
      await waitForState(page, ["idle"]);
      const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
      await page.locator("#run").click();
      await waitForState(page, ["running", "done"]);
      // Read together: a small sweep may end between two reads.
      const [id, state] = await page.evaluate(() => [document.activeElement?.id, document.getElementById("status")?.dataset.state]);
      assert.equal(id, state === "running" ? "cancel" : "run", state);
      assert.equal(await waitForState(page, ["done", "error"]), "done");
      assert.equal(await focused(), "run", "back on Run when the sweep ends");
      assert.match(
        await page.locator("#status").textContent(),
        /^Done: 2 threads, (\d+(\.\d)?× (faster|slower) than|same speed as) 1\.$/,
      );
      // Cancel: focus on Run again, and the step's own words.
      await page.locator('input[name="n_estimators"]').fill("2000");
      await page.locator("#run").click();
      await waitForState(page, ["running"]);
      await page.locator("#cancel").click();
      assert.equal(await waitForState(page, ["cancelled", "done"]), "cancelled");
      assert.equal(await focused(), "run", "back on Run after Cancel");
      // Step 6 announces in its own status line, beside its own Run.
      await page.locator('input[name="n_estimators"]').fill("10");
      await page.locator('input[name="cv"]').fill("3");
      await page.locator("#cv-run").click();
      assert.equal(await waitForState(page, ["done", "error"], 120_000, STATUS.cv), "done");
      assert.equal(await focused(), "cv-run");
      assert.match(await page.locator("#cv-status").textContent(), /^Done: the cross-validation \(outer\), 2 threads, .*; accuracy 0\.\d{3}\.$/);
      assert.match(await page.locator("#status").textContent(), /^Cancelled/);
      assert.equal(await page.locator("#estimate").getAttribute("aria-live"), null, "the estimate is not re-announced");
      assert.deepEqual(await page.problems(), []);
      await page.close();
    });
  },
  { engines: ["chromium", "firefox"] },
);
