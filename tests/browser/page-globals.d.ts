// What the tests add to the page they drive (page.evaluate and injected scripts run there).
interface Window {
  /** Engine objects the page holds unfreed (long-use.test.mjs counts them). */
  __engineObjects: number;
  /** The page's uncaught errors and CSP violations (drivers/hooks.js records them). */
  __coresweepProblems: string[];
  /** axe-core, evaluated in the page by page-fixtures.mjs's axeViolations. */
  axe: typeof import("axe-core");
  /** What the page gave the stubbed Web Share API (devices.test.mjs). */
  sharedData: ShareData | undefined;
  /** Set by the inline script csp.test.mjs injects, if the policy let it run. */
  injected: boolean | undefined;
  /** csp.test.mjs's worker on the sweep's own module. */
  probe: Worker;
  /** The progress bar's position at every frame (isolation.test.mjs). */
  positions: number[];
  /** When the watched sweep ended, undefined while it runs (instrument.test.mjs). */
  sweepEnded: number | undefined;
  /** Each sweep worker's shared wasm memory, from its "ready" message (size-guard.test.mjs). */
  workerMemories: WebAssembly.Memory[];
  /** When the alert first showed a message (panic.test.mjs). */
  alertShownAt: number | undefined;
}
