// A real Rust panic in the middle of a point's fit: the page names the point and shows the
// panic's message, keeps the finished points, ends in state "error", and Run works again. The
// panic comes from the test hook ?inject_panic=<k> (www/sweep-runner.js): in the k-thread
// point of the page's first sweep the engine panics when it starts the middle tree. On the
// threaded build that is a rayon pool thread, whose exception reaches no one: the page reads
// the panic record in the worker's shared memory. On the single-threaded build (a page
// without cross-origin isolation) the panic is thrown out of fit(), with the same words. The
// hook ?inject_abort=<k> aborts instead, a trap that runs no panic hook: the page hears of it
// from a listener in the pool thread's worker (threaded) or from fit()'s exception (single).
import assert from "node:assert/strict";
import { test } from "node:test";
import { SMALL, chartInk, usePage, waitForState } from "./page-fixtures.mjs";

// SMALL has 10 trees: the hook panics in tree 5. The message is the panic hook's (src/web.rs).
const PANIC_MESSAGE = /internal error: panicked at src\/forest\.rs:\d+:\d+:\ntest hook: panic in tree 5$/;

// A trap runs no panic hook: its words are those of the listener in the pool thread's worker.
const TRAP_MESSAGE = "internal error: a thread stopped: RuntimeError: unreachable";

const threaded = usePage();
const single = usePage({ headers: false });

/** Records in the page the time (ms since the epoch) the alert first shows a message. */
function watchAlert(page) {
  return page.evaluate(() => {
    const alert = document.getElementById("alert");
    new MutationObserver(() => {
      if (alert.textContent && !window.alertShownAt) window.alertShownAt = Date.now();
    }).observe(alert, { childList: true, characterData: true, subtree: true });
  });
}

test("A panic on a pool thread fails its point with the panic's message; Run works again", async () => {
  const { page, problems } = await threaded.open(`${SMALL}&inject_panic=2`);
  // console_error_panic_hook logs the panic on the thread that panicked, after the record.
  const panicLogs = [];
  page.on("console", (message) => {
    if (message.text().includes("test hook: panic in tree")) panicLogs.push(message);
  });
  await waitForState(page, ["idle"]);
  assert.equal(await page.locator("#alert").textContent(), "");
  await watchAlert(page);
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "error");

  const alert = await page.locator("#alert").textContent();
  assert.match(alert, /^The 2-thread point failed: /);
  assert.match(alert, PANIC_MESSAGE);
  assert.match(await page.locator("#status").textContent(), /at 2 threads.*1 point of 2 kept/);
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(
    doc.points.map((p) => p.threads),
    [1],
  );
  assert.equal(await page.locator("#results-table tbody tr").count(), 1);
  assert.ok((await chartInk(page)).blue > 0, "the finished point is drawn");
  assert.equal(await page.locator("#run").isEnabled(), true);
  assert.equal(await page.locator("#cancel").isEnabled(), false);
  if (panicLogs.length > 0) {
    const shownAt = await page.evaluate(() => window.alertShownAt);
    const delay = shownAt - panicLogs[0].timestamp();
    console.log(`panic (pool thread's console.error) to the page's alert: ${delay} ms`);
  }

  await page.locator("#run").click();
  assert.equal(
    await waitForState(page, ["done", "error", "cancelled"]),
    "done",
    await page.locator("#alert").textContent(),
  );
  assert.equal(await page.locator("#alert").textContent(), "");
  const again = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(
    again.points.map((p) => p.threads),
    [1, 2],
  );
  // The pool thread's own uncaught exception, which only the browser's debugger sees (Playwright
  // reports it as a page error): the panic, once.
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], PANIC_MESSAGE);
  await page.close();
});

test("A pool thread that dies without a panic (an abort, a trap) fails its point too", async () => {
  const { page, problems } = await threaded.open(`${SMALL}&inject_abort=2`);
  await waitForState(page, ["idle"]);
  assert.equal(await page.locator("#alert").textContent(), "");
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "error");

  const alert = await page.locator("#alert").textContent();
  assert.equal(alert, `The 2-thread point failed: ${TRAP_MESSAGE}`);
  assert.match(await page.locator("#status").textContent(), /at 2 threads.*1 point of 2 kept/);
  assert.equal(await page.locator("#results-table tbody tr").count(), 1);

  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "done");
  const again = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(
    again.points.map((p) => p.threads),
    [1, 2],
  );
  // The pool thread's own uncaught trap, seen by the browser's debugger only.
  assert.deepEqual(problems, ["unreachable"]);
  await page.close();
});

const ONE_THREAD = SMALL.replace("threads=1,2", "threads=1");

test("Without isolation (single-threaded build) a panic fails the point with the same words", async () => {
  const { page, problems } = await single.open(`${ONE_THREAD}&inject_panic=1`);
  await waitForState(page, ["idle"]);
  assert.equal(await page.locator("#alert").textContent(), "");
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "error");

  const alert = await page.locator("#alert").textContent();
  assert.match(alert, /^The 1-thread point failed: /);
  assert.match(alert, PANIC_MESSAGE);
  assert.match(await page.locator("#status").textContent(), /at 1 thread.*0 points of 1 kept/);
  assert.equal(await page.locator("#results-table tbody tr").count(), 0);
  assert.equal(await page.locator("#run").isEnabled(), true);

  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "done");
  assert.equal(await page.locator("#alert").textContent(), "");
  const doc = JSON.parse(await page.locator("#results-json").inputValue());
  assert.deepEqual(
    doc.points.map((p) => p.threads),
    [1],
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test("Without isolation an abort (a trap) fails the point with the same words as a pool thread's", async () => {
  const { page, problems } = await single.open(`${ONE_THREAD}&inject_abort=1`);
  await waitForState(page, ["idle"]);
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "error");
  assert.equal(
    await page.locator("#alert").textContent(),
    `The 1-thread point failed: ${TRAP_MESSAGE}`,
  );
  await page.locator("#run").click();
  assert.equal(await waitForState(page, ["done", "error", "cancelled"]), "done");
  assert.deepEqual(problems, []);
  await page.close();
});
