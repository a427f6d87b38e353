// The page's results leaving it and coming back: downloads (JSON, CSV, PNG), a link carrying
// the result (share.js encodes it), a result opened from such a link, and the last sweep kept
// in this browser (saved.js). JSON text exists only here, at these boundaries.

import { documentCsv } from "./export.js";
import { pageUrl } from "./page.js";
import { hasPoints } from "./results.js";
import { forgetSweep, savedSweep } from "./saved.js";
import { decodeResult, encodeResult, LINK_LIMIT } from "./share.js";
import { setProblem } from "./status.js";

// How the last sweep kept in this browser is named among the results beside this page's.
const SAVED_NAME = "your last sweep in this browser";

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  link.click();
  URL.revokeObjectURL(url);
}

function fileStem(doc) {
  return `coresweep-${(doc.view().created ?? "").replace(/[:.]/g, "-")}`;
}

/** The download buttons: the document as JSON and CSV, the chart as PNG. */
export function setupDownloads(page) {
  const { ui } = page;
  ui.downloadJson.addEventListener("click", () => {
    if (page.document !== null)
      download(
        new Blob([ui.json.value], { type: "application/json" }),
        `${fileStem(page.document)}.json`,
      );
  });
  ui.downloadCsv.addEventListener("click", () => {
    const doc = page.document;
    if (doc === null) return;
    const csv = documentCsv(doc.view(), doc.derived());
    download(new Blob([csv], { type: "text/csv" }), `${fileStem(doc)}.csv`);
  });
  ui.downloadPng.addEventListener("click", () => {
    const doc = page.document;
    if (doc !== null)
      ui.chart.toBlob((blob) => blob && download(blob, `${fileStem(doc)}.png`), "image/png");
  });
}

/** The "Copy link to this result" button: the page's address with the result in the fragment. */
export function setupShare(page) {
  const { ui } = page;
  ui.copyResultLink.addEventListener("click", async () => {
    if (!hasPoints(page)) {
      ui.resultLinkNote.textContent = "Run the sweep first: the link carries its result.";
      return;
    }
    const link = `${pageUrl("")}#${await encodeResult(page.document.to_json())}`;
    ui.resultLink.value = link;
    ui.resultLink.hidden = false;
    const long = link.length > LINK_LIMIT ? " Some apps cut links this long." : "";
    try {
      await navigator.clipboard.writeText(link);
      ui.resultLinkNote.textContent = `Link copied (${link.length} characters).${long}`;
    } catch {
      ui.resultLink.select();
      ui.resultLinkNote.textContent = `Copy the link below (${link.length} characters).${long}`;
    }
  });
}

/** Shows a result carried by a link (#result=…) beside this device's. */
export async function showSharedResult(page, hash) {
  try {
    const text = await decodeResult(hash);
    if (text === null) return;
    page.overlays.add("shared link", text);
    setProblem(page, "shared", null);
    // Whoever opens a link came for that result: bring the chart into view.
    page.ui.chart.scrollIntoView({ block: "start" });
  } catch (error) {
    setProblem(page, "shared", `Shared link refused: ${error.message}`);
  }
}

/** The last sweep kept in this browser (saved.js), shown again beside this page's results. */
export function restoreSavedSweep(page) {
  const text = savedSweep();
  if (text === null) return;
  try {
    page.overlays.add(SAVED_NAME, text);
  } catch (error) {
    forgetSweep();
    setProblem(page, "saved", `Your last sweep in this browser could not be read back: ${error.message}`);
  }
}
