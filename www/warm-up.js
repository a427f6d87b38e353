// The untimed fits a sweep worker runs before its timed ones. Browsers start wasm in a baseline
// tier and optimise its hot functions while they run (V8 and JSC function by function as they
// get hot, SpiderMonkey the whole module in the background), so a fit timed too early times
// the compiler too, and the first point of a sweep, the one all speed-ups divide, would be the
// slow one. Measured here on the blog's data, one tree at a time in a fresh worker: V8 reached
// its speed after ~5 trees, SpiderMonkey ~3, JSC ~10 to 16 after a plateau of 8 baseline trees.

/** Untimed fits of a module's first use in the page: past JSC's baseline plateau. */
const FIRST_USE_FITS = 16;
/** A later point's code is already optimised (engine-modules.js): a few fits confirm it. */
const LATER_FITS = 3;
/** Warmed up once this many fits in a row were not 5 % faster than the fastest before them. */
const STEADY_FITS = 4;
/** Never longer than this: a slow device times its fits rather than warm up for ever. */
const MOST_MS = 5_000;

/**
 * Runs `fitOneTree` (an untimed one-tree fit) until the fits stop getting faster.
 * @param {() => void} fitOneTree
 * @param {boolean} firstUse whether no point of this page has run this module before
 * @param {() => number} [now] the clock, in ms (a test's own)
 * @returns {number[]} each fit's milliseconds
 */
export function warmUp(fitOneTree, firstUse, now = () => performance.now()) {
  const least = firstUse ? FIRST_USE_FITS : LATER_FITS;
  const start = now();
  /** @type {number[]} */
  const times = [];
  let fastest = Infinity;
  let steady = 0;
  for (;;) {
    const fitStart = now();
    fitOneTree();
    const end = now();
    const ms = end - fitStart;
    times.push(ms);
    steady = ms < 0.95 * fastest ? 0 : steady + 1;
    fastest = Math.min(fastest, ms);
    if (end - start >= MOST_MS || (times.length >= least && steady >= STEADY_FITS)) return times;
  }
}
