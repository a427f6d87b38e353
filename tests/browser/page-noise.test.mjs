// @ts-check
// Noise made visible (issue 18, finding 6): repeats default to 3 as in the CLI, the estimate
// counts every repeat, the table shows each point's spread, and a sweep whose speed-up beats
// the ideal or whose point got slower says in plain words that the machine was busy. The
// noisy sweeps are real documents of this page with their times edited, restored as step 5's.
// In Chromium and Firefox: nothing here is an engine's matter.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SAVED_KEY } from "../../www/saved.js";
import { forEachEngine } from "./drivers/index.mjs";
import { SMALL, tableRows, waitForState } from "./page-fixtures.mjs";

forEachEngine(
  (fixture) => {
    test("repeats default to 3, as in the CLI, and the estimate counts them", async () => {
      const page = await fixture.open("n_samples=2000&n_estimators=100&threads=1,2");
      await waitForState(page, ["idle"]);
      assert.equal(await page.locator('input[name="repeats"]').inputValue(), "3");
      const estimate = await page.locator("#estimate").textContent();
      const [sweep, one] = [...estimate.matchAll(/about ([\d.]+) s/g)].map((m) => Number(m[1]));
      // 3 repeats at 1 thread and 3 at 2 threads: 4.5 fits' time at perfect scaling.
      assert.ok(sweep >= 4 * one && sweep <= 5 * one, estimate);
      assert.deepEqual(await page.problems(), []);
      await page.close();
    });

    /**
     * Runs a small sweep of 3 repeats, then reloads the page with its document edited by `edit`
     * (drivers/hooks.js keeps the kept sweeps of a tab that asks it to).
     * @param {(points: {fit_seconds: number[]}[]) => void} edit
     */
    async function restoredWith(edit) {
      const page = await fixture.open(SMALL.replace("repeats=1", "repeats=3"));
      await waitForState(page, ["idle"]);
      await page.locator("#run").click();
      assert.equal(await waitForState(page, ["done", "error"]), "done");
      const doc = JSON.parse(await page.locator("#results-json").inputValue());
      edit(doc.points);
      await page.evaluate((/** @type {string[]} */ [key, text]) => {
        localStorage.setItem(key, text);
        sessionStorage.setItem("coresweep-keep-saved", "1");
      }, [SAVED_KEY, JSON.stringify(doc)]);
      await page.goto(await page.evaluate(() => location.href));
      await waitForState(page, ["idle"]);
      await page.evaluate(() => sessionStorage.removeItem("coresweep-keep-saved"));
      return page;
    }

    test("a speed-up beyond the ideal is called a busy machine, with the spread in the table", async () => {
      const page = await restoredWith(([one, two]) => {
        one.fit_seconds = [1.0, 1.1, 1.3];
        two.fit_seconds = [0.4, 0.45, 0.5];
      });
      const rows = await tableRows(page, "#results-table tbody");
      // threads, median, min, max, spread, speed-up, efficiency
      assert.deepEqual(rows.map((r) => r[4]), ["27 %", "22 %"]);
      assert.equal(rows[1][5], "2.4×");
      assert.equal(await page.locator("#results-caveat").isVisible(), true);
      assert.match(
        await page.locator("#results-caveat").textContent(),
        /^This machine was busy: 2 threads came out more than 2× faster than 1, beyond the ideal, .* Run again, with other programs closed\.$/,
      );
      await page.close();
    });

    test("a point slower than one with fewer threads is called a busy machine; a quiet sweep is not", async () => {
      const page = await restoredWith(([one, two]) => {
        one.fit_seconds = [1.0, 1.0, 1.1];
        two.fit_seconds = [1.3, 1.4, 1.4];
      });
      assert.match(await page.locator("#results-caveat").textContent(), /^This machine was busy: 2 threads took longer than 1, /);
      await page.close();
      const quiet = await restoredWith(([one, two]) => {
        one.fit_seconds = [1.0, 1.02, 1.05];
        two.fit_seconds = [0.55, 0.56, 0.6];
      });
      assert.equal(await quiet.locator("#results-caveat").isVisible(), false);
      await quiet.close();
    });
  },
  { engines: ["chromium", "firefox"] },
);
