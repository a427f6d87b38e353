// The page's state that several parts read, in one object that announces its changes (an
// EventTarget): the parts subscribe and render; nothing reads state out of the DOM, and no DOM
// attribute carries a message between parts.

/** The steps that run something, by the engine's workload names ("one_fit": step 3). */
export const STEPS = ["one_fit", "fit", "cross_val_score", "grid_search"];

/**
 * @typedef {{state: string, message: string}} Status
 *   state: loading | idle | running | done | cancelled | error
 * @typedef {{
 *   ready: boolean,
 *   running: {step: string, sweep: {cancel(): void}} | null,
 *   status: Record<string, Status>,
 *   results: Record<string, import("./results.js").StepResult>,
 * }} PageState
 */

export class Store extends EventTarget {
  /** @type {PageState} */
  #state;

  /** @param {PageState} initial */
  constructor(initial) {
    super();
    this.#state = initial;
  }

  /** The current state (replace it through update, never in place). */
  get state() {
    return this.#state;
  }

  /**
   * Merges `patch` into the state and announces the keys it changed.
   * @param {Partial<PageState>} patch
   */
  update(patch) {
    this.#state = { ...this.#state, ...patch };
    this.dispatchEvent(new CustomEvent("change", { detail: Object.keys(patch) }));
  }

  /**
   * Sets one step's status (its state and words).
   * @param {string} step
   * @param {string} state
   * @param {string} message
   */
  setStatus(step, state, message) {
    this.update({ status: { ...this.#state.status, [step]: { state, message } } });
  }

  /**
   * Calls `listener(state)` now and after every change of one of `keys`; returns the
   * unsubscribe function.
   * @param {(keyof PageState)[]} keys
   * @param {(state: PageState) => void} listener
   */
  subscribe(keys, listener) {
    /** @param {Event} event */
    const handler = (event) => {
      const changed = /** @type {CustomEvent<(keyof PageState)[]>} */ (event).detail;
      if (changed.some((key) => keys.includes(key))) listener(this.#state);
    };
    this.addEventListener("change", handler);
    listener(this.#state);
    return () => this.removeEventListener("change", handler);
  }
}

/** The page's state as it opens: the engine loading, nothing running. */
export function createStore() {
  /** @type {Record<string, Status>} */
  const status = Object.fromEntries(STEPS.map((step) => [step, { state: "idle", message: "" }]));
  status.fit = { state: "loading", message: "Loading the WebAssembly engine…" };
  return new Store({ ready: false, running: null, status, results: {} });
}
