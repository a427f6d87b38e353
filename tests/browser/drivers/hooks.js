// @ts-check
// Injected by the test server as the first script of the page's HTML (drivers/index.mjs), in
// every engine (classic WebDriver has no console log and no init scripts): records the page's
// uncaught errors, unhandled rejections and Content-Security-Policy violations, and starts each
// page without the sweeps an earlier page kept (www/saved.js), unless the tab asked to keep them
// (sessionStorage "coresweep-keep-saved": a reload that should restore them).
(() => {
  /** @type {string[]} */
  const problems = [];
  window.__coresweepProblems = problems;
  addEventListener("error", (event) => problems.push(`error: ${event.message}`));
  addEventListener("unhandledrejection", (event) =>
    problems.push(`unhandled rejection: ${event.reason?.message ?? event.reason}`),
  );
  addEventListener("securitypolicyviolation", (event) =>
    problems.push(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
  );
  try {
    if (!sessionStorage.getItem("coresweep-keep-saved")) {
      for (const key of Object.keys(localStorage)) {
        if (key === "coresweep-last-sweep" || key.startsWith("coresweep-last-sweep/")) localStorage.removeItem(key);
      }
    }
  } catch {
    // A document without storage keeps nothing.
  }
})();
