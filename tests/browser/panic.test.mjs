// @ts-check
// A real Rust panic in the middle of a point's fit: the page names the point and shows the
// panic's message, keeps the finished points, ends in state "error", and Run works again. The
// panic comes from the test hook ?inject_panic=<k> (www/sweep-runner.js): in the k-thread
// point of the page's first sweep the engine panics when it starts the middle tree. On the
// threaded build that is a rayon pool thread, whose exception reaches no one: the page reads
// the panic record in the worker's shared memory. The hook ?inject_abort=<k> aborts instead, a
// trap that runs no panic hook: the page hears of it from a listener in the pool thread's
// worker. On a page without cross-origin isolation (the workers backend) ?inject_worker_panic=<k>
// makes each step of the k-worker point panic: thrown out of the worker's step, with the
// panic hook's words.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SMALL, failingSweep, runsAgain, usePage, waitForState } from "./page-fixtures.mjs";

// SMALL has 10 trees: the hook panics in tree 5. The message is the panic hook's
// (web/src/panic.rs), at the test hook's place (web/src/experiment.rs).
const PANIC_MESSAGE =
  /internal error: panicked at web\/src\/experiment\.rs:\d+:\d+:\ntest hook: panic in tree 5$/;

// The workers backend's hook (?inject_worker_panic=<k>): every step of the k-worker point panics.
const WORKER_PANIC_MESSAGE =
  /^The 2-thread point failed: internal error: panicked at web\/src\/shard\.rs:\d+:\d+:\ntest hook: panic in a worker's step$/;

// A trap runs no panic hook: its words are those of the listener in the pool thread's worker.
const TRAP_MESSAGE = "internal error: a thread stopped: RuntimeError: unreachable";

const threaded = usePage();
const single = usePage({ headers: false });

/**
 * Times a panic to the alert, on an idle page, before Run: console_error_panic_hook logs the
 * panic on the thread that panicked right after it fills the record, and the page notes when
 * the alert first shows a message. The returned function prints the delay (a benchmark, never
 * asserted).
 * @param {import("playwright-core").Page} page
 * @param {string} build
 */
async function timePanicToAlert(page, build) {
  /** @type {number[]} */
  const logged = [];
  page.on("console", (message) => {
    if (message.text().includes("test hook: panic in tree")) logged.push(message.timestamp());
  });
  await page.evaluate(() => {
    const alert = document.getElementById("alert");
    if (!alert) throw new Error("the page has no #alert");
    new MutationObserver(() => {
      if (alert.textContent && !window.alertShownAt) window.alertShownAt = Date.now();
    }).observe(alert, { childList: true, characterData: true, subtree: true });
  });
  return async () => {
    const shownAt = await page.evaluate(() => window.alertShownAt);
    const delay =
      shownAt === undefined
        ? "no alert noted"
        : logged.length > 0
          ? `${(shownAt - logged[0]).toFixed(1)} ms`
          : "no panic log seen";
    console.log(`${build} build, panic (its console.error) to the page's alert: ${delay}`);
  };
}

test("A panic on a pool thread fails its point with the panic's message", async () => {
  const { page, problems } = await threaded.open(`${SMALL}&inject_panic=2`);
  await waitForState(page, ["idle"]);
  const reportDelay = await timePanicToAlert(page, "threaded");
  assert.match(await failingSweep(page, 2, [1]), PANIC_MESSAGE);
  await reportDelay();
  await runsAgain(page, [1, 2]);
  // The pool thread's own uncaught exception, which only the browser's debugger sees (Playwright
  // reports it as a page error): the panic, once.
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], PANIC_MESSAGE);
  await page.close();
});

test("A pool thread that dies without a panic (an abort, a trap) fails its point too", async () => {
  const { page, problems } = await threaded.open(`${SMALL}&inject_abort=2`);
  assert.equal(await failingSweep(page, 2, [1]), `The 2-thread point failed: ${TRAP_MESSAGE}`);
  await runsAgain(page, [1, 2]);
  // The pool thread's own uncaught trap, seen by the browser's debugger only.
  assert.deepEqual(problems, ["unreachable"]);
  await page.close();
});

test("Without isolation (workers backend) a panic in a worker fails its point with the engine's words", async () => {
  const { page, problems } = await single.open(`${SMALL}&inject_worker_panic=2`);
  await waitForState(page, ["idle"]);
  assert.match(await failingSweep(page, 2, [1]), WORKER_PANIC_MESSAGE);
  await runsAgain(page, [1, 2]);
  assert.deepEqual(problems, []);
  await page.close();
});
