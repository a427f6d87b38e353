// Each step's last sweep, kept in this browser (localStorage) after each point, so that a
// reload, a crash or a tab the phone discarded in the background loses nothing: the next visit
// shows each step's result again as that step's own, read by the engine like any results file.
// Storage can be off or full (a private window, a blog's frame): then nothing is kept, and the
// page works as before.

/**
 * The storage key of step 5's sweep; a sequel's is `<SAVED_KEY>/<workload>/<parallel level>`.
 * tests/browser/page-fixtures.mjs clears every key starting with it so each test starts clean.
 */
export const SAVED_KEY = "coresweep-last-sweep";

/**
 * The key of a step's sweep: step 5's ("fit"), or a sequel's at its parallel level.
 * @param {string} workload
 * @param {string | null} level
 */
function key(workload, level) {
  return workload === "fit" ? SAVED_KEY : `${SAVED_KEY}/${workload}/${level}`;
}

/**
 * Keeps `docJson` as the step's last sweep (a sequel's: at its level); says whether the browser took it.
 * @param {string} workload
 * @param {string} docJson
 * @param {string | null} level
 */
export function keepSweep(workload, docJson, level = null) {
  try {
    localStorage.setItem(key(workload, level), docJson);
    return true;
  } catch {
    return false;
  }
}

/** The sweeps kept in this browser, oldest first: [{key, text}] (JSON text, unchecked). */
export function savedSweeps() {
  try {
    return Object.keys(localStorage)
      .filter((k) => k === SAVED_KEY || k.startsWith(`${SAVED_KEY}/`))
      .map((k) => ({ key: k, text: localStorage.getItem(k) ?? "" }));
  } catch {
    return [];
  }
}

/**
 * Forgets a kept sweep (one that could not be read back).
 * @param {string} storageKey
 */
export function forgetSweep(storageKey) {
  try {
    localStorage.removeItem(storageKey);
  } catch {
    // Storage that is off holds nothing to forget.
  }
}
