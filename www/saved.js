// The last sweep's results, kept in this browser (localStorage) after each point, so that a
// reload, a crash or a tab the phone discarded in the background loses nothing: the next visit
// shows them again, read by the engine like any results file. Storage can be off or full (a
// private window, a blog's frame): then nothing is kept, and the page works as before.

/** The storage key; tests/browser/page-fixtures.mjs clears it so each test starts clean. */
export const SAVED_KEY = "coresweep-last-sweep";

/** Keeps `docJson` as the last sweep; says whether the browser took it. */
export function keepSweep(docJson) {
  try {
    localStorage.setItem(SAVED_KEY, docJson);
    return true;
  } catch {
    return false;
  }
}

/** The last sweep kept in this browser (JSON text, unchecked), or null. */
export function savedSweep() {
  try {
    return localStorage.getItem(SAVED_KEY);
  } catch {
    return null;
  }
}

/** Forgets the last sweep (one that could not be read back). */
export function forgetSweep() {
  try {
    localStorage.removeItem(SAVED_KEY);
  } catch {
    // Storage that is off holds nothing to forget.
  }
}
