// @ts-check
// Plain words (issue 18, finding 8): a one-line hint under every sklearn parameter (the
// registry's help, as the CLI's --help says it), what speed-up, efficiency, serial fraction and
// out-of-bag accuracy mean beside them, `parallel` a choice of three, and an Embed button that
// copies its snippet and says so.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { root } from "./harness.mjs";
import { browserContext, SMALL, usePage, waitForState } from "./page-fixtures.mjs";

/** @type {{parameters: {name: string, help: string}[]}} */
const { parameters } = JSON.parse(readFileSync(join(root, "www", "pkg", "page-defaults.json"), "utf8"));

forEachEngine(
  (engine) => {
    test("every sklearn parameter has its hint, parallel is a choice, and the figures are explained", async () => {
      const page = await engine.open(SMALL);
      await waitForState(page, ["idle"]);
      const hints = await page.evaluate((/** @type {string[]} */ names) =>
        names.flatMap((name) => {
          const el = document.querySelector(`#experiment [name="${name}"]`);
          if (!el) return [];
          return [[name, document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent ?? ""]];
        }),
      parameters.map((p) => p.name));
      assert.ok(hints.length >= 19, `${hints.length} parameters on the page`);
      for (const [name, hint] of hints) {
        assert.equal(hint, parameters.find((p) => p.name === name)?.help, `${name}'s hint`);
      }
      assert.deepEqual(
        await page.evaluate(() => {
          const select = document.querySelector('select[name="parallel"]');
          if (!(select instanceof HTMLSelectElement)) throw new Error("the page has no parallel choice");
          return [...select.options].map((o) => o.value);
        }),
        ["outer", "inner", "both"],
      );
      assert.equal(await page.locator("#explain-numbers").isVisible(), false, "nothing to explain before a run");
      assert.equal(await page.locator("#run").isEnabled(), true);
      await page.locator("#run").click();
      assert.equal(await waitForState(page, ["done", "error"]), "done");
      assert.equal(await page.locator("#explain-numbers summary").isVisible(), true);
      const words = await page.locator("#explain-numbers").textContent();
      for (const term of ["Speed-up", "Efficiency", "Serial fraction", "Out-of-bag accuracy"]) {
        assert.ok(words.includes(term), term);
      }
      assert.deepEqual(await page.problems(), []);
      await page.close();
    });
  },
  { engines: ["chromium", "firefox"] },
);

const fixture = usePage();

test("the Embed button copies its snippet and says so", async () => {
  const { page, problems } = await fixture.open(SMALL);
  await browserContext(fixture).grantPermissions(["clipboard-read", "clipboard-write"]);
  await waitForState(page, ["idle"]);
  await page.locator("#embed-button").click();
  await page.waitForFunction(() => (document.getElementById("embed-note")?.textContent ?? "") !== "");
  assert.equal(await page.locator("#embed-note").textContent(), "Embed snippet copied: paste it into your blog post's HTML.");
  const snippet = await page.locator("#embed-snippet").inputValue();
  assert.match(snippet, /^<iframe src=".*embed=1"/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
  assert.deepEqual(problems, []);
  await page.close();
});
