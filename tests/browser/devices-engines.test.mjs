// @ts-check
// The QR code of "Compare with another device" in every engine: the library loads under the
// page's CSP, and Debian's zbarimg reads the code drawn (the canvas's own pixels) as exactly the
// link the page shows. The two-device flow itself is devices.test.mjs's (Chromium).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { forEachEngine } from "./drivers/index.mjs";
import { SMALL, waitForState } from "./page-fixtures.mjs";

const scratch = mkdtempSync(join(tmpdir(), "coresweep-qr-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

forEachEngine((fixture) => {
  test("the QR code reads as the link shown", async () => {
    const page = await fixture.open(SMALL);
    await waitForState(page, ["idle"]);
    await page.locator("#run").click();
    assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "done");
    await page.locator("#compare-device").click();
    await page.waitForFunction(() => document.getElementById("devices-qr")?.hidden === false);
    const link = await page.locator("#devices-link").inputValue();
    assert.match(link, /\?.*n_samples=300.*#result=[A-Za-z0-9_-]+$/);
    const png = await page.evaluate(() => {
      const qr = document.getElementById("devices-qr");
      if (!(qr instanceof HTMLCanvasElement)) throw new Error("no <canvas id=devices-qr>");
      return qr.toDataURL("image/png");
    });
    const path = join(scratch, `${fixture.engine}.png`);
    writeFileSync(path, Buffer.from(png.split(",")[1], "base64"));
    const read = execFileSync("zbarimg", ["--raw", "--quiet", path], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    assert.equal(read.replace(/\n$/, ""), link);
    assert.deepEqual(await page.problems(), []);
    await page.close();
  });
});
