// Injected by the test server as the first script of the page's HTML (drivers/index.mjs), in
// every engine (classic WebDriver has no console log and no init scripts): records the page's
// uncaught errors, unhandled rejections and Content-Security-Policy violations, and starts each
// page without a sweep an earlier page kept (www/saved.js).
(() => {
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
    localStorage.removeItem("coresweep-last-sweep");
  } catch {
    // A document without storage keeps nothing.
  }
})();
