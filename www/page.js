// The page, in one object that every part of the page receives: its elements, what it was
// opened as, the engine once loaded, and its store (store.js): what is running, each step's
// status and each step's last result, announced to the parts that subscribe.

import { createData } from "./data.js";
import { isEmbedded } from "./embed.js";
import { createStore } from "./store.js";

/**
 * Whether this browser compiles WebAssembly SIMD (simd128), which the threaded build is built
 * with: a function `() -> v128` doing `i8x16.popcnt(i8x16.splat(0))`, validated, never run.
 */
function runsSimd() {
  const module = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11];
  return WebAssembly.validate(new Uint8Array(module));
}

/**
 * Why this page has no threads, in words for the banner: a frame of a page that is not
 * isolated, a page isolated by its headers whose browser still gives no SharedArrayBuffer
 * (WebKitGTK) or runs no WebAssembly SIMD, or a page served without the isolation headers;
 * null when threads are on.
 */
function threadsOffCause() {
  const isolated = globalThis.crossOriginIsolated === true;
  if (isolated && typeof SharedArrayBuffer === "function") {
    return runsSimd()
      ? null
      : "This page is cross-origin isolated, but this browser runs no WebAssembly SIMD (simd128), which the threaded build needs";
  }
  if (isolated) {
    return "This page is cross-origin isolated, but this browser gives it no SharedArrayBuffer (WebKitGTK does not, unless started with JSC_useSharedArrayBuffer=true)";
  }
  if (window.top !== window) {
    return "This page is inside a frame, and the frame is not cross-origin isolated (the page around it, or the frame's own headers, do not allow it), so the browser gives it no SharedArrayBuffer";
  }
  return "This page is not cross-origin isolated (its server sends no Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers), so the browser gives it no SharedArrayBuffer";
}

/**
 * The element with this id, of this kind: a page whose HTML lost or changed one fails as it
 * starts, naming it, not later on a null.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{new (): T, name: string}} kind
 * @returns {T}
 */
export function elementById(id, kind) {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`the page has no ${kind.name} #${id}`);
  return element;
}

/**
 * The engine's module (either build: they export the same API).
 * @typedef {typeof import("./pkg/coresweep.js")} Engine
 * @typedef {ReturnType<typeof createPage>} Page
 */

/** The state of the page as it opens: nothing loaded, nothing running, nothing shown. */
export function createPage() {
  const $ = elementById;
  const threadsOff = threadsOffCause();
  const isolated = threadsOff === null;
  return {
    form: $("experiment", HTMLFormElement),
    ui: {
      alert: $("alert", HTMLDivElement),
      cores: $("cores", HTMLInputElement),
      reserve: $("reserve", HTMLInputElement),
      threads: $("threads", HTMLInputElement),
      run: $("run", HTMLButtonElement),
      cancel: $("cancel", HTMLButtonElement),
      runBoth: $("run-both", HTMLButtonElement),
      backendChoice: $("backend-choice", HTMLFieldSetElement),
      fitOne: $("fit-one", HTMLButtonElement),
      fitOneProgress: $("fit-one-progress", HTMLProgressElement),
      fitOneResult: $("fit-one-result", HTMLParagraphElement),
      status: $("status", HTMLParagraphElement),
      estimate: $("estimate", HTMLParagraphElement),
      progress: $("progress", HTMLOListElement),
      chart: $("chart", HTMLCanvasElement),
      tableBody: $("results-table", HTMLTableElement).tBodies[0],
      json: $("results-json", HTMLTextAreaElement),
      resultsData: $("results-data", HTMLSpanElement),
      speedup: $("speedup-figure", HTMLOutputElement),
      speedupCaption: $("speedup-caption", HTMLSpanElement),
      quality: { oob: $("quality-oob", HTMLElement), nodes: $("quality-nodes", HTMLElement), serial: $("quality-serial", HTMLElement) },
      shareLink: $("share-link", HTMLAnchorElement),
      copyResultLink: $("copy-result-link", HTMLButtonElement),
      resultLink: $("result-link", HTMLInputElement),
      resultLinkNote: $("result-link-note", HTMLParagraphElement),
      downloadJson: $("download-json", HTMLButtonElement),
      downloadCsv: $("download-csv", HTMLButtonElement),
      downloadPng: $("download-png", HTMLButtonElement),
      overlayFiles: $("overlay-files", HTMLInputElement),
      overlayList: $("overlay-list", HTMLUListElement),
      themeToggle: $("theme-toggle", HTMLButtonElement),
      deviceLabel: $("device-label", HTMLInputElement),
      threadsOff: $("threads-off", HTMLParagraphElement),
      threadsOffCause: $("threads-off-cause", HTMLSpanElement),
      reserveNote: $("reserve-note", HTMLSpanElement),
      fullPageLink: $("full-page-link", HTMLAnchorElement),
      embedButton: $("embed-button", HTMLButtonElement),
      embedSnippet: $("embed-snippet", HTMLTextAreaElement),
      allParameters: $("all-parameters-fields", HTMLDivElement),
      embedNote: $("embed-note", HTMLParagraphElement),
      python: { cores: $("py-cores", HTMLElement), data: $("py-data", HTMLElement), fit: $("py-fit", HTMLElement), sweep: $("py-sweep", HTMLElement) },
      dataStep: $("step-data", HTMLElement),
      dataSourceMake: $("data-source-make", HTMLInputElement),
      dataSourceFile: $("data-source-file", HTMLInputElement),
      makeData: $("make-data", HTMLDivElement),
      yourData: $("your-data", HTMLDivElement),
      dataDrop: $("data-drop", HTMLDivElement),
      dataFile: $("data-file", HTMLInputElement),
      dataStatus: $("data-status", HTMLParagraphElement),
      dataOptions: $("data-options", HTMLDivElement),
      dataTarget: $("data-target", HTMLSelectElement),
      dataDelimiter: $("data-delimiter", HTMLSelectElement),
      dataPreview: $("data-preview", HTMLTableElement),
      dataPreviewNote: $("data-preview-note", HTMLParagraphElement),
    },
    /** Step 2's data: make_classification's or the user's file (data.js). */
    data: createData(),
    /** Why the form has no plan while step 2's file is to be chosen or read (form.js), or null. */
    dataWait: /** @type {string | null} */ (null),
    /** Opened as an embed (?embed=1), read before the form rewrites the address. */
    embedded: isEmbedded(),
    /** Cross-origin isolated: the threaded build; else the single-threaded one. */
    isolated,
    /**
     * How sweeps run in parallel: "threads" (shared memory; isolated pages) or "workers"
     * (copies of the data; everywhere). A link's `backend=` picks one (app.js checks it with
     * the engine once loaded); threads asked for where there are none run on workers.
     */
    backend: /** @type {"threads" | "workers"} */ (isolated ? "threads" : "workers"),
    /** The backend the link asked for (`backend=…`), read before the form rewrites the address. */
    askedBackend: new URLSearchParams(location.search).get("backend"),
    /** Why threads are off (threadsOffCause), or null. */
    threadsOff,
    /** The engine's build: the single-threaded one without isolation (no shared memory). */
    build: /** @type {import("./engine-modules.js").Build} */ (isolated ? "threaded" : "single"),
    /** The main thread's own instance of the wasm module's exports, once loaded. */
    engine: /** @type {Engine | null} */ (null),
    /**
     * The engine's parameter registry (`parameters()`: defaults, sklearn's defaults, help), read
     * from www/pkg/page-defaults.json, which the build writes from the engine, before the wasm.
     */
    parameters: /** @type {import("./params.js").Parameter[] | null} */ (null),
    /** What runs, each step's status and last result: {ready, running, status, results}. */
    store: createStore(),
    /** Each sweeping step's results panel (results.js), by workload. */
    panels: /** @type {Record<string, import("./results.js").Panel>} */ ({}),
    /** Each sweeping step's Cancel button, by workload: focus goes there while it runs. */
    cancelButtons: /** @type {Record<string, HTMLButtonElement>} */ ({ fit: $("cancel", HTMLButtonElement) }),
    /** Step 5's result (an engine ResultsDocument), the one results from elsewhere are compared with. */
    get document() {
      return this.store.state.results.fit?.document ?? null;
    },
    /** Results from other devices (files, shared links): {documents(), add(name, text)}. */
    overlays: /** @type {import("./overlays.js").Overlays | null} */ (null),
    /** The sequels' steps by workload (sequels.js): elements, documents per level, sweep. */
    sequels: /** @type {Map<string, import("./sequels.js").Sequel> | null} */ (null),
    /**
     * The workload the page's address names (`workload=…`): the sequel step last run or
     * linked, so a copied link reopens it; null for the first tutorial's fit.
     */
    linkedWorkload: new URLSearchParams(location.search).get("workload"),
    /**
     * What the alert area shows, by source ("page", "isolation", "engine", "link", "link-keys",
     * "like", "chart", "overlay", "shared", "saved", "param", "sweep"), in the order they first
     * appeared.
     */
    problems: /** @type {Map<string, string | string[]>} */ (new Map()),
  };
}

/**
 * The engine, for the parts that run once it is loaded (app.js loads it before it enables them).
 * @param {Page} page
 */
export function engineOf(page) {
  if (!page.engine) throw new Error("the engine is still loading; try again in a moment");
  return page.engine;
}

/**
 * The engine's parameter registry, for the parts that run once it is read (app.js reads it
 * before it sets them up).
 * @param {Page} page
 */
export function parametersOf(page) {
  if (!page.parameters) throw new Error("the parameters are still loading; try again in a moment");
  return page.parameters;
}

/**
 * This page's address with `query` ("" or "?…"), absolute: on a path such as "//" a relative
 * "//?…" would name another host (and replaceState would throw, leaving the page loading).
 * @param {string} query
 */
export function pageUrl(query) {
  return `${location.origin}${location.pathname}${query}`;
}
