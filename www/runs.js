// Runs: the sweep (one point per thread count) and the single one-core fit, each in workers
// (sweep-runner.js), with their progress rows and the words for how they ended.

import { tableFile } from "./data.js";
import { refreshLink, validate } from "./form.js";
import { keepSweep } from "./saved.js";
import { emptyDocument, resultChanged, setResult, showRunning, stepDocument } from "./results.js";
import { answerWords, formatSeconds } from "./results-view.js";
import { nothingRan, setProblem, setState, showParamProblem } from "./status.js";
import { startSweep } from "./sweep-runner.js";

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
 */
function showFraction(bar, fraction) {
  const value = fraction ?? 0;
  if (Math.abs(bar.value - value) >= 0.005 || (value === 0 && bar.value !== 0)) bar.value = value;
}

function pointsText(n) {
  return `${n} ${n === 1 ? "point" : "points"}`;
}

/** The form's checked plan when nothing runs yet; null (saying why in `step`'s status) otherwise. */
function planToRun(page, step) {
  if (page.store.state.running) return null;
  const plan = validate(page);
  if (!plan) nothingRan(page, step, page.dataWait);
  return plan;
}

/**
 * Runs the sweep of the form's plan on `backend` (the page's by default), one point per thread
 * count, showing each as it comes; resolves to how it ended, or undefined when it could not start.
 */
export async function runSweep(page, backend = page.backend) {
  const { ui } = page;
  const plan = planToRun(page, "fit");
  if (!plan) return;
  setProblem(page, "sweep", null);
  page.linkedWorkload = null;
  refreshLink(page);
  const doc = emptyDocument(page, plan, backend);
  setResult(page, "fit", { document: doc, levels: null, totalNodes: null, restored: null });
  const rows = new Map(plan.threads.map((k) => [k, progressRow(k)]));
  ui.progress.replaceChildren(...[...rows.values()].map((r) => r.item));
  let finished = 0;

  const sweep = startSweep(plan, {
    start(k) {
      rows.get(k).note.textContent = "building the data";
      setState(
        page,
        "fit",
        "running",
        `Running ${k} ${k === 1 ? "thread" : "threads"} (${finished + 1} of ${plan.threads.length})…`,
      );
    },
    // While fits are timed, a row's note changes with its bar at the next progress update:
    // one repaint for both, twice a second at most.
    ready(k) {
      rows.get(k).pendingNote = plan.repeats > 1 ? `fit 1 of ${plan.repeats}` : "fitting";
    },
    fit({ threads, repeat, seconds }) {
      const next = repeat + 2;
      rows.get(threads).pendingNote =
        next <= plan.repeats ? `fit ${next} of ${plan.repeats}` : `${formatSeconds(seconds)} s`;
    },
    progress(k, fraction) {
      const row = rows.get(k);
      showFraction(row.bar, fraction);
      if (row.pendingNote) row.note.textContent = row.pendingNote;
      row.pendingNote = null;
    },
    point({ threads, fit_seconds, oob_accuracy, total_nodes, hidden_during }) {
      finished += 1;
      const row = rows.get(threads);
      row.bar.value = 1;
      doc.add_point(threads, Float64Array.from(fit_seconds), hidden_during);
      doc.set_quality(oob_accuracy ?? null, total_nodes ?? null);
      resultChanged(page, "fit", { totalNodes: total_nodes });
      keepSweep("fit", doc.to_json());
      const point = doc.view().points.find((p) => p.threads === threads);
      row.note.textContent = `${formatSeconds(point.median_seconds)} s`;
    },
  }, { backend, file: tableFile(page) });
  return follow(page, "fit", sweep, {
    done: () => `Done: ${answerWords(doc.view(), doc.derived()) ?? pointsText(finished)}.`,
    error(error) {
      rows.get(error.threads).note.textContent = "failed";
      return `Stopped by an error at ${error.threads} ${error.threads === 1 ? "thread" : "threads"} (shown above): ${pointsText(finished)} of ${plan.threads.length} kept.`;
    },
    cancelled: () => `Cancelled: ${pointsText(finished)} of ${plan.threads.length} finished.`,
  });
}

/**
 * "Run both": the sweep on threads, then on workers; the threads' result stays on the chart as
 * an overlay named for its backend, the workers' is the step's own. Two series, never merged.
 */
export async function runBoth(page) {
  if ((await runSweep(page, "threads")) !== "done") return;
  page.overlays.add("threads (this page)", stepDocument(page, "fit").to_json());
  await runSweep(page, "workers");
}

/** Times one fit on 1 thread (step 3), outside the results document. */
export async function runOneFit(page) {
  const { ui } = page;
  const plan = planToRun(page, "one_fit");
  if (!plan) return;
  let result = null;
  ui.fitOneProgress.hidden = false;
  showFraction(ui.fitOneProgress, null);
  const fit = startSweep(
    plan.one_fit(),
    {
      start: () => setState(page, "one_fit", "running", "Timing one fit on 1 core…"),
      progress: (_, fraction) => showFraction(ui.fitOneProgress, fraction),
      point(point) {
        result = point;
      },
    },
    { workerUrl: page.workerUrl, file: tableFile(page) },
  );
  await follow(page, "one_fit", fit, {
    // The answer is the step's status: screen readers hear it when the fit ends.
    done() {
      const oob =
        result.oob_accuracy === null
          ? ""
          : `, out-of-bag accuracy ${result.oob_accuracy.toFixed(3)}`;
      return `1 core: ${formatSeconds(result.fit_seconds[0])} s${oob}, ${result.total_nodes.toLocaleString("en")} nodes in all trees.`;
    },
    cancelled: () => "Cancelled the one-core fit.",
  });
  ui.fitOneProgress.hidden = result === null;
}

/**
 * Waits for `step`'s sweep to end and shows how it ended in the step's status; `messages`
 * words it ({done, cancelled} and optionally error(e) for a failed point, whose message goes to
 * the alert). Focus that was on the control that started the run (disabled while it runs) moves
 * to the step's Cancel, and back when the run ends. Resolves to how it ended: "done",
 * "cancelled" or "error".
 */
async function follow(page, step, sweep, messages) {
  const { store } = page;
  const started = document.activeElement;
  store.update({ running: { step, sweep } });
  showRunning(page, step);
  const cancel = page.cancelButtons[step];
  const focusHere = started instanceof HTMLButtonElement && started.disabled;
  if (focusHere) cancel?.focus();
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
    if (error.threads === undefined || !messages.error) {
      showParamProblem(page, error);
      return end("error", "Stopped by an error (shown above).");
    }
    // A point failed once the parameters had passed: the finished points stay on show.
    setProblem(page, "sweep", error.message);
    return end("error", messages.error(error));
  }
}

// The sequels' steps (sequels.js) run their sweeps with the same rows and the same follow-up.
export { follow, pointsText, progressRow, showFraction };
