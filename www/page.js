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

/** The state of the page as it opens: nothing loaded, nothing running, nothing shown. */
export function createPage() {
  const $ = (id) => document.getElementById(id);
  const threadsOff = threadsOffCause();
  const isolated = threadsOff === null;
  return {
    form: $("experiment"),
    ui: {
      alert: $("alert"),
      cores: $("cores"),
      reserve: $("reserve"),
      threads: $("threads"),
      run: $("run"),
      cancel: $("cancel"),
      runBoth: $("run-both"),
      backendChoice: $("backend-choice"),
      fitOne: $("fit-one"),
      fitOneProgress: $("fit-one-progress"),
      fitOneResult: $("fit-one-result"),
      status: $("status"),
      estimate: $("estimate"),
      progress: $("progress"),
      chart: $("chart"),
      tableBody: document.querySelector("#results-table tbody"),
      json: $("results-json"),
      resultsData: $("results-data"),
      speedup: $("speedup-figure"),
      speedupCaption: $("speedup-caption"),
      quality: { oob: $("quality-oob"), nodes: $("quality-nodes"), serial: $("quality-serial") },
      shareLink: $("share-link"),
      copyResultLink: $("copy-result-link"),
      resultLink: $("result-link"),
      resultLinkNote: $("result-link-note"),
      downloadJson: $("download-json"),
      downloadCsv: $("download-csv"),
      downloadPng: $("download-png"),
      overlayFiles: $("overlay-files"),
      overlayList: $("overlay-list"),
      themeToggle: $("theme-toggle"),
      deviceLabel: $("device-label"),
      threadsOff: $("threads-off"),
      threadsOffCause: $("threads-off-cause"),
      reserveNote: $("reserve-note"),
      fullPageLink: $("full-page-link"),
      embedButton: $("embed-button"),
      embedSnippet: $("embed-snippet"),
      allParameters: $("all-parameters-fields"),
      embedNote: $("embed-note"),
      python: { cores: $("py-cores"), data: $("py-data"), fit: $("py-fit"), sweep: $("py-sweep") },
      dataStep: $("step-data"),
      dataSourceMake: $("data-source-make"),
      dataSourceFile: $("data-source-file"),
      makeData: $("make-data"),
      yourData: $("your-data"),
      dataDrop: $("data-drop"),
      dataFile: $("data-file"),
      dataStatus: $("data-status"),
      dataOptions: $("data-options"),
      dataTarget: $("data-target"),
      dataDelimiter: $("data-delimiter"),
      dataPreview: $("data-preview"),
      dataPreviewNote: $("data-preview-note"),
    },
    /** Step 2's data: make_classification's or the user's file (data.js). */
    data: createData(),
    /** Why the form has no plan while step 2's file is to be chosen or read (form.js), or null. */
    dataWait: null,
    /** Opened as an embed (?embed=1), read before the form rewrites the address. */
    embedded: isEmbedded(),
    /** Cross-origin isolated: the threaded build; else the single-threaded one. */
    isolated,
    /**
     * How sweeps run in parallel: "threads" (shared memory; isolated pages) or "workers"
     * (copies of the data; everywhere). A link's `backend=` picks one (app.js checks it with
     * the engine once loaded); threads asked for where there are none run on workers.
     */
    backend: isolated ? "threads" : "workers",
    /** The backend the link asked for (`backend=…`), read before the form rewrites the address. */
    askedBackend: new URLSearchParams(location.search).get("backend"),
    /** Why threads are off (threadsOffCause), or null. */
    threadsOff,
    /** The sweep worker: the single-threaded one without isolation (no shared memory). */
    workerUrl: isolated ? undefined : new URL("./single-worker.js", import.meta.url),
    /** The main thread's own instance of the wasm module's exports, once loaded. */
    engine: null,
    /**
     * The engine's parameter registry (`parameters()`: defaults, sklearn's defaults, help), read
     * from www/pkg/page-defaults.json, which the build writes from the engine, before the wasm.
     */
    parameters: null,
    /** What runs, each step's status and last result: {ready, running, status, results}. */
    store: createStore(),
    /** Each sweeping step's results panel (results.js), by workload. */
    panels: {},
    /** Each sweeping step's Cancel button, by workload: focus goes there while it runs. */
    cancelButtons: { fit: $("cancel") },
    /** Step 5's result (an engine ResultsDocument), the one results from elsewhere are compared with. */
    get document() {
      return this.store.state.results.fit?.document ?? null;
    },
    /** Results from other devices (files, shared links): {documents(), add(name, text)}. */
    overlays: null,
    /** The sequels' steps by workload (sequels.js): elements, documents per level, sweep. */
    sequels: null,
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
    problems: new Map(),
  };
}

/**
 * This page's address with `query` ("" or "?…"), absolute: on a path such as "//" a relative
 * "//?…" would name another host (and replaceState would throw, leaving the page loading).
 */
export function pageUrl(query) {
  return `${location.origin}${location.pathname}${query}`;
}
