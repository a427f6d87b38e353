// What the page says: the alert area (one line per source of a problem) and the status line
// with the buttons that follow it.

import { errorWords } from "./protocol.js";

/** @typedef {import("./page.js").Page} Page */

/**
 * Shows `message` (a line, or a list of lines) for `source` in the alert area; null or [] removes it.
 * @param {Page} page
 * @param {string} source
 * @param {string | string[] | null} message
 */
export function setProblem(page, source, message) {
  // Several problems of one source (a list): one line each.
  if (message?.length) page.problems.set(source, message);
  else page.problems.delete(source);
  renderAlert(page);
}

/** @param {Page} page */
function renderAlert({ problems, ui }) {
  const lines = [...problems.values()].flat();
  // Rewriting an alert makes screen readers announce it again: only write changes.
  if (lines.join("\n") === [...ui.alert.children].map((p) => p.textContent).join("\n")) return;
  ui.alert.replaceChildren(
    ...lines.map((text) => Object.assign(document.createElement("p"), { textContent: text })),
  );
}

/**
 * Marks the control of the parameter an engine error names, and shows the error; null clears.
 * @param {Page} page
 * @param {unknown} error
 */
export function showParamProblem(page, error) {
  for (const el of page.form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const words = error === null ? null : errorWords(error);
  const control = words?.param ? page.form.elements.namedItem(words.param) : null;
  if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-errormessage", "alert");
  }
  setProblem(page, "param", words?.message ?? null);
}

/**
 * Sets `step`'s status (loading | idle | running | done | cancelled | error) and its words.
 * @param {Page} page
 * @param {string} step
 * @param {string} state
 * @param {string} message
 */
export function setState(page, step, state, message) {
  page.store.setStatus(step, state, message);
}

/**
 * Renders the store's statuses into each step's status line (its words, and its state as
 * data-state for the tests to wait on: the page never reads it), and enables step 3's and
 * step 5's buttons as the store allows: one run at a time on the page.
 * @param {Page} page
 */
export function setupStatus(page) {
  const { ui } = page;
  /** @type {Record<string, HTMLElement>} */
  const lines = { fit: ui.status, one_fit: ui.fitOneResult };
  page.store.subscribe(["status"], ({ status }) => {
    for (const [step, line] of Object.entries(lines)) {
      const { state, message } = status[step];
      // Rewriting a live region makes screen readers announce it again: only write changes.
      if (line.textContent !== message) line.textContent = message;
      line.dataset.state = state;
    }
  });
  page.store.subscribe(["ready", "running"], ({ ready, running }) => {
    ui.run.disabled = ui.fitOne.disabled = !ready || running !== null;
    ui.cancel.disabled = running?.step !== "fit";
    // Both backends exist only where threads do (SharedArrayBuffer).
    ui.runBoth.disabled = !page.isolated || !ready || running !== null;
  });
}

/**
 * Says that a run of `step` did not start: `waiting` (the data step's words, "data: …") when the
 * data is still to be chosen or read, else the parameter the alert names.
 * @param {Page} page
 * @param {string} step
 * @param {string | null} waiting
 */
export function nothingRan(page, step, waiting = null) {
  const wait = waiting?.replace(/^data: /, "");
  setState(page, step, "error", wait ? `Nothing ran: ${wait}.` : "Nothing ran: fix the parameter named above.");
}
