// What the page says: the alert area (one line per source of a problem) and the status line
// with the buttons that follow it.

/** Shows `message` (a line, or a list of lines) for `source` in the alert area; null or [] removes it. */
export function setProblem(page, source, message) {
  // Several problems of one source (a list): one line each.
  if (message?.length) page.problems.set(source, message);
  else page.problems.delete(source);
  renderAlert(page);
}

function renderAlert({ problems, ui }) {
  const lines = [...problems.values()].flat();
  // Rewriting an alert makes screen readers announce it again: only write changes.
  if (lines.join("\n") === [...ui.alert.children].map((p) => p.textContent).join("\n")) return;
  ui.alert.replaceChildren(
    ...lines.map((text) => Object.assign(document.createElement("p"), { textContent: text })),
  );
}

/** Marks the control of the parameter an engine error names, and shows the error; null clears. */
export function showParamProblem(page, error) {
  for (const el of page.form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const control = error?.param ? page.form.elements.namedItem(error.param) : null;
  if (control instanceof HTMLInputElement) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-errormessage", "alert");
  }
  setProblem(page, "param", error?.message ?? null);
}

/** The page's state (loading | idle | running | done | cancelled | error) and its words. */
export function setState(page, state, message) {
  const { ui } = page;
  ui.status.dataset.state = state;
  ui.status.textContent = message;
  const canRun = page.engine !== null && page.running === null;
  ui.run.disabled = !canRun;
  ui.fitOne.disabled = !canRun;
  ui.cancel.disabled = page.running === null;
}

/**
 * Says that a run did not start: `waiting` (the data step's words, "data: …") when the data is
 * still to be chosen or read, else the parameter the alert names.
 */
export function nothingRan(page, waiting = null) {
  const wait = waiting?.replace(/^data: /, "");
  setState(page, "error", wait ? `Nothing ran: ${wait}.` : "Nothing ran: fix the parameter named above.");
}
