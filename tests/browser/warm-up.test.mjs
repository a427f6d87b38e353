// @ts-check
// The sweep workers' warm-up rule (www/warm-up.js), in Node, on fits whose times follow what
// the browsers showed here (a plateau in the baseline tier, then the optimised code), on a
// clock of the test's own so the machine's load does not move them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { warmUp } from "../../www/warm-up.js";

/**
 * Warms up a worker of one thread on one-tree "fits" whose i-th call takes `times[i]` ms (the
 * last one ever after).
 * @param {number[]} times
 * @param {boolean} firstUse
 */
function warmUpOn(times, firstUse) {
  let clock = 0;
  let call = 0;
  const fit = (/** @type {number} */ trees) => {
    assert.equal(trees, 1);
    clock += times[Math.min(call++, times.length - 1)];
  };
  return { fits: warmUp(fit, 1, firstUse, () => clock), ms: clock };
}

test("a module's first use warms up past a baseline plateau, until the fits stop getting faster", () => {
  // JSC here: eight slow fits at one speed, then a few steps down to full speed.
  const { fits } = warmUpOn([40, 30, 30, 31, 30, 30, 30, 30, 30, 12, 5, 3], true);
  assert.deepEqual(fits, [40, 30, 30, 31, 30, 30, 30, 30, 30, 12, 5, 3, 3, 3, 3, 3]);
  // Getting faster after the sixteenth fit: on until four fits bring nothing.
  assert.equal(warmUpOn([...Array(15).fill(30), 20, 10, 5, 5, 5, 5, 5], true).fits.length, 22);
});

test("a later point, on code already optimised, warms up with a few fits", () => {
  assert.deepEqual(warmUpOn([3], false).fits, [3, 3, 3, 3, 3]);
  // A fit 5 % faster or less is no progress.
  assert.equal(warmUpOn([100, 96, 92], false).fits.length, 5);
  assert.equal(warmUpOn([12, 9, 6, 3], false).fits.length, 8);
});

test("a device too slow to settle stops warming up after 5 s", () => {
  const { fits, ms } = warmUpOn(Array.from({ length: 40 }, (_, i) => 1000 * 0.9 ** i), true);
  assert.equal(fits.length, 7);
  assert.ok(ms >= 5_000, `${ms} ms`);
});

test("a pool of k threads settles on one-tree fits, then on fits of 4 trees per thread", () => {
  let clock = 0;
  /** @type {number[]} */
  const asked = [];
  // One-tree fits at full speed; the first 12-tree fits slower while the other threads start.
  const byTrees = { 1: [3], 12: [36, 24, 16, 16] };
  const fit = (/** @type {number} */ trees) => {
    const times = byTrees[/** @type {1 | 12} */ (trees)];
    clock += times[Math.min(asked.filter((t) => t === trees).length, times.length - 1)];
    asked.push(trees);
  };
  const fits = warmUp(fit, 3, false, () => clock);
  assert.deepEqual(asked, [1, 1, 1, 1, 1, 12, 12, 12, 12, 12, 12, 12]);
  assert.deepEqual(fits, [3, 3, 3, 3, 3, 36, 24, 16, 16, 16, 16, 16]);
  // The 5 s cover both: a pool whose one-tree fits used them up starts no fit of k trees.
  const slow = (/** @type {number} */ trees) => {
    asked.push(trees);
    clock += 1000;
  };
  asked.length = 0;
  assert.equal(warmUp(slow, 3, true, () => clock).length, 5);
  assert.deepEqual(asked, [1, 1, 1, 1, 1]);
});
