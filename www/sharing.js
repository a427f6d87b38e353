// The page's results leaving it and coming back: each step's downloads (JSON, CSV, PNG) and
// link carrying its result (share.js encodes it), a result opened from such a link, and each
// step's last sweep kept in this browser (saved.js). JSON text exists only here, at these
// boundaries.

import { documentCsv } from "./export.js";
import { engineOf, pageUrl } from "./page.js";
import { errorWords } from "./protocol.js";
import { derivedOf, viewOf } from "./results-view.js";
import { setResult, stepDocument } from "./results.js";
import { forgetSweep, savedSweeps } from "./saved.js";
import { showLevel } from "./sequels.js";
import { askToRunHere } from "./devices.js";
import { decodeResults, encodeResult, LINK_LIMIT } from "./share.js";
import { setProblem } from "./status.js";

/**
 * @typedef {import("./page.js").Page} Page
 * @typedef {import("./results.js").Parts} Parts
 * @typedef {import("./pkg/coresweep.js").ResultsDocument} ResultsDocument
 */

/**
 * @param {Blob} blob
 * @param {string} filename
 */
function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  link.click();
  URL.revokeObjectURL(url);
}

/** @param {ResultsDocument} doc */
function fileStem(doc) {
  return `coresweep-${(viewOf(doc).created ?? "").replace(/[:.]/g, "-")}`;
}

/**
 * A step's download buttons (its panel's parts): its document as JSON and CSV, its chart as
 * PNG; `current()` is the step's document.
 * @param {Parts} parts
 * @param {() => ResultsDocument | null} current
 */
export function setupDownloads(parts, current) {
  parts.downloadJson.addEventListener("click", () => {
    const doc = current();
    if (doc !== null)
      download(new Blob([parts.json.value], { type: "application/json" }), `${fileStem(doc)}.json`);
  });
  parts.downloadCsv.addEventListener("click", () => {
    const doc = current();
    if (doc === null) return;
    const csv = documentCsv(viewOf(doc), derivedOf(doc));
    download(new Blob([csv], { type: "text/csv" }), `${fileStem(doc)}.csv`);
  });
  parts.downloadPng.addEventListener("click", () => {
    const doc = current();
    if (doc !== null)
      parts.chart.toBlob((blob) => blob && download(blob, `${fileStem(doc)}.png`), "image/png");
  });
}

/**
 * A step's "Copy link to this result" button: the page's address with its result in the fragment.
 * @param {Parts} parts
 * @param {() => ResultsDocument | null} current
 */
export function setupShare(parts, current) {
  parts.copyResultLink.addEventListener("click", async () => {
    const doc = current();
    if (!doc?.has_points()) {
      parts.resultLinkNote.textContent = "Run the sweep first: the link carries its result.";
      return;
    }
    const link = `${pageUrl("")}#${await encodeResult(doc.to_json())}`;
    parts.resultLink.value = link;
    parts.resultLink.hidden = false;
    const long = link.length > LINK_LIMIT ? " Some apps cut links this long." : "";
    try {
      await navigator.clipboard.writeText(link);
      parts.resultLinkNote.textContent = `Link copied (${link.length} characters).${long}`;
    } catch {
      parts.resultLink.select();
      parts.resultLinkNote.textContent = `Copy the link below (${link.length} characters).${long}`;
    }
  });
}

/**
 * Shows the results carried by a link (#result=…&result=…) beside this device's (but the one
 * that is this device's own, come back with another device's), and offers to run the same
 * sweep here when this device has none yet.
 * @param {Page} page
 * @param {string} hash
 */
export async function showSharedResult(page, hash) {
  try {
    const texts = await decodeResults(hash);
    if (!texts.length) return;
    const own = stepDocument(page, "fit");
    const others = texts.filter((text) => {
      const doc = engineOf(page).ResultsDocument.from_json(text);
      const mine = own?.same_as(doc) ?? false;
      doc.free();
      return !mine;
    });
    for (const text of others) page.overlays?.add("shared link", text);
    setProblem(page, "shared", null);
    // Whoever opens a link came for that result: bring the chart into view.
    page.ui.chart.scrollIntoView({ block: "start" });
    askToRunHere(page, others);
  } catch (error) {
    setProblem(page, "shared", `Shared link refused: ${errorWords(error).message}`);
  }
}

/**
 * Each step's last sweep kept in this browser (saved.js), shown again as that step's result: the
 * fit's in step 5 (and step 4's headline), a sequel's in its step at its parallel level. One
 * that cannot be read back is named, dropped, and the page works on.
 * @param {Page} page
 */
export function restoreSavedSweeps(page) {
  const refused = [];
  const engine = engineOf(page);
  for (const { key, text } of savedSweeps()) {
    let doc;
    try {
      doc = engine.ResultsDocument.from_json(text);
    } catch (error) {
      forgetSweep(key);
      refused.push(errorWords(error).message);
      continue;
    }
    const view = viewOf(doc);
    const restored = `Restored: your last sweep in this browser, from ${new Date(view.created).toLocaleString("en")}.`;
    const kind = view.workload?.kind ?? "fit";
    const level = view.workload?.parallel;
    if (kind === "fit") setResult(page, "fit", { document: doc, levels: null, totalNodes: null, restored });
    else if (page.sequels?.has(kind) && level) showLevel(page, kind, level, doc, restored);
    else doc.free();
  }
  if (refused.length) {
    setProblem(page, "saved", `Your last sweep in this browser could not be read back: ${refused.join("; ")}`);
  }
}
