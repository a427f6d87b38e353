// Runs: the sweep (one point per thread count) and the single one-core fit, each in workers
// (sweep-runner.js), with their progress rows and the words for how they ended. Every step's
// sweep (5, and the sequels' 6 and 7) runs through sweepInto.

import { tableFile } from "./data.js";
import { refreshLink, validate } from "./form.js";
import { keepSweep } from "./saved.js";
import { emptyDocument, resultChanged, setResult, showRunning, stepDocument } from "./results.js";
import { answerWords, formatSeconds, derivedOf, viewOf } from "./results-view.js";
import { nothingRan, setProblem, setState, showParamProblem } from "./status.js";
import { startSweep } from "./sweep-runner.js";

/**
 * @typedef {import("./page.js").Page} Page
 * @typedef {import("./pkg/coresweep.js").Plan} Plan
 * @typedef {import("./pkg/coresweep.js").ResultsDocument} ResultsDocument
 * @typedef {import("./results.js").StepResult} StepResult
 * @typedef {import("./sweep-runner.js").Sweep} Sweep
 * @typedef {import("./sweep-runner.js").SweepPoint} SweepPoint
 * @typedef {import("./sweep-runner.js").PointError} PointError
 * @typedef {"done" | "cancelled" | "error"} Outcome
 * @typedef {{item: HTMLLIElement, bar: HTMLProgressElement, note: HTMLSpanElement, pendingNote: string | null}} ProgressRow
 */

/**
 * A progress row of the k-thread point: its label, bar and note.
 * @param {number} k
 * @returns {ProgressRow}
 */
function progressRow(k) {
  const item = document.createElement("li");
  item.className = "progress-list__item";
  const label = Object.assign(document.createElement("span"), {
    className: "progress-list__label",
    textContent: `${k} ${k === 1 ? "thread" : "threads"}`,
  });
  const bar = Object.assign(document.createElement("progress"), {
    className: "progress",
    max: 1,
    value: 0,
  });
  bar.setAttribute("aria-label", `Progress with ${k} ${k === 1 ? "thread" : "threads"}`);
  const note = Object.assign(document.createElement("span"), {
    className: "progress-list__note",
    textContent: "waiting",
  });
  item.append(label, bar, note);
  return { item, bar, note, pendingNote: null };
}

/**
 * Shows a fraction on a progress bar; null (the worker is still starting) shows it empty, not
 * indeterminate: the browser animates an indeterminate bar every frame, on the cores being
 * measured. A change too small to see is not drawn.
 * @param {HTMLProgressElement} bar
 * @param {number | null} fraction
 */
function showFraction(bar, fraction) {
  const value = fraction ?? 0;
  if (Math.abs(bar.value - value) >= 0.005 || (value === 0 && bar.value !== 0)) bar.value = value;
}

/** @param {number} n */
function pointsText(n) {
  return `${n} ${n === 1 ? "point" : "points"}`;
}

/**
 * The form's checked plan when nothing runs yet; null (saying why in `step`'s status) otherwise.
 * @param {Page} page
 * @param {string} step
 */
function planToRun(page, step) {
  if (page.store.state.running) return null;
  const plan = validate(page);
  if (!plan) nothingRan(page, step, page.dataWait);
  return plan;
}

/**
 * What a step's sweep does its own way; the rest every step's sweep does alike (sweepInto).
 * @typedef {object} StepSweep
 * @property {string} step the store's step: "fit", or a sequel's workload
 * @property {HTMLOListElement} progress the step's progress list
 * @property {(k: number, finished: number, total: number) => string} running the status while the k point runs
 * @property {(k: number) => string} readyNote a row's note once its point's data is built
 * @property {(point: SweepPoint) => Partial<StepResult>} record adds the point's quality to the
 *   document (the point is in it already); returns what else the step's result holds
 * @property {() => void} keep keeps the sweep in this browser after each point
 * @property {{done: (finished: number) => string, error: (error: PointError, finished: number) => string,
 *   cancelled: (finished: number) => string}} words how the sweep ended, in words
 */

/**
 * Runs `plan`'s sweep into `doc`, the step's document, on `backend`, one point per thread
 * count, showing each in a progress row as it comes, and waits for it to end (follow).
 * @param {Page} page
 * @param {Plan} plan
 * @param {ResultsDocument} doc
 * @param {string} backend
 * @param {StepSweep} how
 * @returns {Promise<Outcome>}
 */
export function sweepInto(page, plan, doc, backend, how) {
  const { step } = how;
  /** @type {Map<number, ProgressRow>} */
  const rows = new Map(plan.threads.map((/** @type {number} */ k) => [k, progressRow(k)]));
  /** @param {number} k */
  const row = (k) => /** @type {ProgressRow} */ (rows.get(k));
  how.progress.replaceChildren(...[...rows.values()].map((r) => r.item));
  const total = plan.threads.length;
  let finished = 0;
  const sweep = startSweep(
    plan,
    {
      start(k) {
        row(k).note.textContent = "building the data";
        setState(page, step, "running", how.running(k, finished, total));
      },
      // While fits are timed, a row's note changes with its bar at the next progress update:
      // one repaint for both, twice a second at most.
      ready(k) {
        row(k).pendingNote = how.readyNote(k);
      },
      fit({ threads, repeat, seconds }) {
        const next = repeat + 2;
        row(threads).pendingNote =
          next <= plan.repeats ? `fit ${next} of ${plan.repeats}` : `${formatSeconds(seconds)} s`;
      },
      progress(k, fraction) {
        const { bar, note, pendingNote } = row(k);
        showFraction(bar, fraction);
        if (pendingNote) note.textContent = pendingNote;
        row(k).pendingNote = null;
      },
      point(point) {
        finished += 1;
        const { threads } = point;
        doc.add_point(threads, Float64Array.from(point.fit_seconds), point.hidden_during);
        resultChanged(page, step, how.record(point));
        how.keep();
        const { bar, note } = row(threads);
        bar.value = 1;
        const median = viewOf(doc).points.find((p) => p.threads === threads)?.median_seconds;
        note.textContent = median === undefined ? "" : `${formatSeconds(median)} s`;
      },
    },
    { backend, file: tableFile(page) },
  );
  return follow(page, step, sweep, {
    done: () => how.words.done(finished),
    error(error) {
      row(error.threads).note.textContent = "failed";
      return how.words.error(error, finished);
    },
    cancelled: () => how.words.cancelled(finished),
  });
}

/**
 * Runs the sweep of the form's plan on `backend` (the page's by default), one point per thread
 * count, showing each as it comes; resolves to how it ended, or undefined when it could not start.
 * @param {Page} page
 * @param {string} backend
 */
export async function runSweep(page, backend = page.backend) {
  const plan = planToRun(page, "fit");
  if (!plan) return undefined;
  setProblem(page, "sweep", null);
  page.linkedWorkload = null;
  refreshLink(page);
  const doc = emptyDocument(page, plan, backend);
  setResult(page, "fit", { document: doc, levels: null, totalNodes: null, restored: null });
  /** @param {number} k */
  const threadsText = (k) => `${k} ${k === 1 ? "thread" : "threads"}`;
  const outcome = await sweepInto(page, plan, doc, backend, {
    step: "fit",
    progress: page.ui.progress,
    running: (k, finished, total) => `Running ${threadsText(k)} (${finished + 1} of ${total})…`,
    readyNote: () => (plan.repeats > 1 ? `fit 1 of ${plan.repeats}` : "fitting"),
    record({ oob_accuracy, total_nodes }) {
      doc.set_quality(oob_accuracy ?? null, total_nodes ?? null);
      return { totalNodes: total_nodes };
    },
    keep: () => keepSweep("fit", doc.to_json()),
    words: {
      done: (finished) => `Done: ${answerWords(viewOf(doc), derivedOf(doc)) ?? pointsText(finished)}.`,
      error: (error, finished) =>
        `Stopped by an error at ${threadsText(error.threads)} (shown above): ${pointsText(finished)} of ${plan.threads.length} kept.`,
      cancelled: (finished) => `Cancelled: ${pointsText(finished)} of ${plan.threads.length} finished.`,
    },
  });
  plan.free();
  return outcome;
}

/**
 * "Run both": the sweep on threads, then on workers; the threads' result stays on the chart as
 * an overlay named for its backend, the workers' is the step's own. Two series, never merged.
 * @param {Page} page
 */
export async function runBoth(page) {
  if ((await runSweep(page, "threads")) !== "done") return;
  const threads = stepDocument(page, "fit");
  if (threads) page.overlays?.add("threads (this page)", threads.to_json());
  await runSweep(page, "workers");
}

/**
 * Times one fit on 1 thread (step 3), outside the results document.
 * @param {Page} page
 */
export async function runOneFit(page) {
  const { ui } = page;
  const plan = planToRun(page, "one_fit");
  if (!plan) return;
  const oneFit = plan.one_fit();
  plan.free();
  /** @type {SweepPoint | null} */
  let result = null;
  ui.fitOneProgress.hidden = false;
  showFraction(ui.fitOneProgress, null);
  const fit = startSweep(
    oneFit,
    {
      start: () => setState(page, "one_fit", "running", "Timing one fit on 1 core…"),
      progress: (_, fraction) => showFraction(ui.fitOneProgress, fraction),
      point(point) {
        result = point;
      },
    },
    { build: page.build, file: tableFile(page) },
  );
  await follow(page, "one_fit", fit, {
    // The answer is the step's status: screen readers hear it when the fit ends.
    done() {
      const { oob_accuracy, fit_seconds, total_nodes } = /** @type {SweepPoint} */ (result);
      const oob = oob_accuracy === null ? "" : `, out-of-bag accuracy ${oob_accuracy.toFixed(3)}`;
      return `1 core: ${formatSeconds(fit_seconds[0])} s${oob}, ${total_nodes?.toLocaleString("en")} nodes in all trees.`;
    },
    cancelled: () => "Cancelled the one-core fit.",
  });
  oneFit.free();
  ui.fitOneProgress.hidden = result === null;
}

/**
 * Waits for `step`'s sweep to end and shows how it ended in the step's status; `messages`
 * words it ({done, cancelled} and optionally error(e) for a failed point, whose message goes to
 * the alert). Focus that was on the control that started the run (disabled while it runs) moves
 * to the step's Cancel, and back when the run ends. Resolves to how it ended: "done",
 * "cancelled" or "error".
 * @param {Page} page
 * @param {string} step
 * @param {Sweep} sweep
 * @param {{done: () => string, cancelled: () => string, error?: (error: PointError) => string}} messages
 * @returns {Promise<Outcome>}
 */
async function follow(page, step, sweep, messages) {
  const { store } = page;
  const started = document.activeElement;
  store.update({ running: { step, sweep } });
  showRunning(page, step);
  const cancel = page.cancelButtons[step];
  const focusHere = started instanceof HTMLButtonElement && started.disabled;
  if (focusHere) cancel?.focus();
  /**
   * @param {Outcome} outcome
   * @param {string} message
   */
  const end = (outcome, message) => {
    store.update({ running: null });
    setState(page, step, outcome, message);
    const now = document.activeElement;
    if (focusHere && (now === document.body || now === cancel || now === null)) started.focus();
    return outcome;
  };
  const current = store.state.status[step];
  setState(page, step, "running", current.state === "running" ? current.message : "Starting…");
  try {
    const outcome = await sweep.finished;
    return end(outcome, messages[outcome]());
  } catch (error) {
    const threads = /** @type {{threads?: unknown}} */ (error)?.threads;
    if (!(error instanceof Error) || typeof threads !== "number" || !messages.error) {
      showParamProblem(page, error);
      return end("error", "Stopped by an error (shown above).");
    }
    // A point failed once the parameters had passed: the finished points stay on show.
    setProblem(page, "sweep", error.message);
    return end("error", messages.error(/** @type {PointError} */ (error)));
  }
}

// The sequels' steps (sequels.js) say their points the same way.
export { pointsText };
