// The untimed fits a sweep worker runs before its timed ones. Browsers start wasm in a baseline
// tier and optimise its hot functions while they run, function by function as they get hot
// (SpiderMonkey optimised the whole module in the background before its lazy tiering), so a
// fit timed too early times the compiler too, and the first point of a sweep, the one all
// speed-ups divide, would be the slow one. Measured here on the blog's data, one tree at a
// time in a fresh worker: V8 reached its speed after ~5 trees, SpiderMonkey ~3, JSC ~10 to 16
// after a plateau of 8 baseline trees.
//
// A k-thread point then fits TREES_PER_THREAD trees per pool thread at a time until those
// settle too. One-tree fits run on one pool thread, and the others met the code first in the
// timed fit: Firefox's first 2-thread fit of a fresh tab took 1.13 to 1.23 times its later
// ones (median of 8 to 10 tabs, in each of 4 runs), 1.03 with its lazy tiering turned off
// (javascript.options.wasm_lazy_tiering), and 1.04 and 1.06 after these fits; one tree per
// thread was not enough (1.11 to 1.18). Chromium's went from 1.07 to 1.04. The 2-thread fit
// of fresh tabs, alternated against one-tree fits alone: Firefox 0.87x, Chromium 0.97x.

/** Untimed fits of a module's first use in the page: past JSC's baseline plateau. */
const FIRST_USE_FITS = 16;
/** A later point's code is already optimised (engine-modules.js): a few fits confirm it. */
const LATER_FITS = 3;
/** Settled once this many fits in a row were not 5 % faster than the fastest before them. */
const STEADY_FITS = 4;
/** Trees per pool thread in the fits that warm up a pool of more than one thread. */
const TREES_PER_THREAD = 4;
/** Never longer than this: a slow device times its fits rather than warm up for ever. */
const MOST_MS = 5_000;

/**
 * Runs untimed fits until they stop getting faster: of one tree, then on a pool of more than
 * one thread of TREES_PER_THREAD trees per thread.
 * @param {(trees: number) => void} fitTrees an untimed fit of that many trees
 * @param {number} threads the point's pool threads (1 for a worker of its own)
 * @param {boolean} firstUse whether no point of this page has run this module before
 * @param {() => number} [now] the clock, in ms (a test's own)
 * @returns {number[]} each fit's milliseconds
 */
export function warmUp(fitTrees, threads, firstUse, now = () => performance.now()) {
  const deadline = now() + MOST_MS;
  const times = untilSettled(() => fitTrees(1), firstUse ? FIRST_USE_FITS : LATER_FITS, deadline, now);
  // Past the deadline `untilSettled` would still run one fit: a pool then starts none.
  if (threads > 1 && now() < deadline) {
    const poolTrees = TREES_PER_THREAD * threads;
    times.push(...untilSettled(() => fitTrees(poolTrees), LATER_FITS, deadline, now));
  }
  return times;
}

/**
 * Runs `fit` at least `least` times, until STEADY_FITS in a row bring nothing or the deadline.
 * @param {() => void} fit
 * @param {number} least
 * @param {number} deadline
 * @param {() => number} now
 */
function untilSettled(fit, least, deadline, now) {
  /** @type {number[]} */
  const times = [];
  let fastest = Infinity;
  let steady = 0;
  for (;;) {
    const fitStart = now();
    fit();
    const end = now();
    const ms = end - fitStart;
    times.push(ms);
    steady = ms < 0.95 * fastest ? 0 : steady + 1;
    fastest = Math.min(fastest, ms);
    if (end >= deadline || (times.length >= least && steady >= STEADY_FITS)) return times;
  }
}
