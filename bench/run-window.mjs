// The wall time of a page's run, Run to done, on the page's own clock: from the moment the
// status turns "running" to the moment it leaves it (bench/page_vs_sklearn.mjs, sweep_wall.mjs).

/**
 * Starts watching the page's status; call before pressing Run.
 * @param {{evaluate: (fn: () => void) => Promise<unknown>}} page a driver page (tests/browser/drivers)
 */
export function watchRunWindow(page) {
  return page.evaluate(() => {
    const status = document.getElementById("status");
    new MutationObserver(() => {
      if (status.dataset.state === "running") window.benchStarted ??= performance.now();
      else if (window.benchStarted !== undefined) window.benchEnded ??= performance.now();
    }).observe(status, { attributes: true, attributeFilter: ["data-state"] });
  });
}

/**
 * Seconds from Run to done, once the run is over.
 * @param {{evaluate: (fn: () => number) => Promise<number>}} page
 */
export function runWindowSeconds(page) {
  return page.evaluate(() => (window.benchEnded - window.benchStarted) / 1000);
}
