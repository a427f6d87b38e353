// Parameters: from the URL into the form, into the Python shown beside it, and invalid ones
// refused by the engine with a message that names the parameter, before anything runs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SMALL, usePage, waitForState } from "./page-fixtures.mjs";

const fixture = usePage();

/** Opens the page, records every worker it starts, and waits until it settles. */
async function openAndSettle(query) {
  const opened = await fixture.open(query);
  const workers = [];
  opened.page.on("worker", (worker) => workers.push(worker));
  await waitForState(opened.page, ["idle", "error", "done"]);
  return { ...opened, workers };
}

test("URL parameters fill the form and the Python follows as you type", async () => {
  const { page } = await openAndSettle(
    "n_samples=1234&n_features=30&n_informative=20&n_redundant=2&max_depth=8&bootstrap=false&threads=1,2&repeats=3",
  );
  assert.equal(await page.locator('input[name="n_samples"]').inputValue(), "1234");
  assert.equal(await page.locator('input[name="max_depth"]').inputValue(), "8");
  assert.equal(await page.locator('input[name="bootstrap"]').isChecked(), false);
  assert.equal(await page.locator("#threads").inputValue(), "1,2");
  assert.match(await page.locator("#py-data").textContent(), /n_samples=1234/);
  assert.match(await page.locator("#py-fit").textContent(), /max_depth=8/);
  assert.match(await page.locator("#py-fit").textContent(), /bootstrap=False/);
  const sweep = await page.locator("#py-sweep").textContent();
  assert.match(sweep, /range\(3\)/);
  assert.match(
    sweep,
    /pyplot\.plot\(n_cores, results, '--bo'\)/,
    "blue dashed line, circle markers",
  );
  assert.match(sweep, /xlabel\('Number of cores'\)/);
  assert.match(sweep, /ylabel\('Run time \(secs\)'\)/);

  await page.locator('input[name="n_samples"]').fill("4321");
  assert.match(await page.locator("#py-data").textContent(), /n_samples=4321/);
  assert.match(page.url(), /n_samples=4321/, "the address is a link to the experiment");
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.equal(doc.dataset.n_samples, 4321, "the (empty) results document follows the form");
  assert.match(doc.device.label, /^Chrome on Linux, \d+ cores$/, "a default device label");
  await page.locator("#device-label").fill("my laptop");
  const labelled = JSON.parse(await page.locator("#results-json").inputValue());
  assert.equal(labelled.device.label, "my laptop");
  await page.close();
});

test("the thread list follows the core count and the reserve-one-core box", async () => {
  const linked = await openAndSettle("hardware_concurrency=4");
  assert.equal(await linked.page.locator("#threads").inputValue(), "1,2,3");
  await linked.page.close();

  const { page } = await openAndSettle("");
  await page.locator("#cores").fill("8");
  assert.equal(await page.locator("#threads").inputValue(), "1,2,3,4,5,6,7");
  await page.locator("#reserve").uncheck();
  assert.equal(await page.locator("#threads").inputValue(), "1,2,3,4,5,6,7,8");
  await page.locator("#cores").fill("500");
  await page.locator("#reserve").check();
  assert.equal(
    (await page.locator("#threads").inputValue()).split(",").length,
    63,
    "cores are clamped to 64",
  );
  await page.close();
});

for (const [query, names] of [
  ["n_informative=0", ["n_informative"]],
  ["n_informative=80&n_features=70", ["n_informative", "n_features"]],
  ["n_estimators=0", ["n_estimators"]],
  ["threads=0,1", ["threads"]],
]) {
  test(`?${query} is refused, named, and nothing runs`, async () => {
    const { page, workers } = await openAndSettle(`${SMALL}&${query}&autorun=1`);
    assert.equal(await waitForState(page, ["error"], 20_000), "error");
    const alert = await page.getByRole("alert").textContent();
    assert.ok(
      names.some((name) => alert.includes(name)),
      `alert names ${names.join(" or ")}: ${alert}`,
    );
    const invalid = await page
      .locator('[aria-invalid="true"]')
      .evaluateAll((els) => els.map((el) => el.name));
    assert.equal(invalid.length, 1, `one control marked invalid, got ${invalid}`);
    assert.ok(
      alert.includes(invalid[0]),
      `the marked control ${invalid[0]} is the one the alert names`,
    );
    assert.equal(await page.locator("#results-table tbody tr").count(), 0);
    assert.equal(workers.length, 0, "no worker was started");

    await page.locator("#run").click();
    assert.equal(await waitForState(page, ["error"], 20_000), "error");
    assert.equal(workers.length, 0, "Run does not start a worker either");
    await page.close();
  });
}
