// From one device to another: "Compare with another device" shows this device's result and its
// experiment as a link and a QR code (qrcode-generator, copied to www/vendor/ by
// scripts/build-wasm.sh, loaded when first asked for); the other device opening it sees this
// curve, is asked "Run the same sweep here?", and draws both; "Send my result back" returns its
// result with the first (the Web Share API where the browser has it, else the clipboard). All of
// it travels in the link's fragment: no server, nothing uploaded.

import { keepDeviceLabel } from "./device.js";
import { elementById, pageUrl } from "./page.js";
import { errorWords } from "./protocol.js";
import { viewOf } from "./results-view.js";
import { stepDocument } from "./results.js";
import { runSweep } from "./runs.js";
import { encodeResults } from "./share.js";

/**
 * The longest link one code carries: a version 40 code at error correction M holds 2331 bytes.
 * M (15 % of the code can be lost) keeps a code on a laptop's screen readable by a phone's camera
 * through glare and moiré; a shorter link gets a smaller version, with larger modules.
 */
export const QR_LIMIT = 2331;

/**
 * The QR code library, copied by the build; its types are the npm package's (the copy is not
 * the page's code to check).
 */
const QRCODE_URL = new URL("./vendor/qrcode.mjs", import.meta.url).href;

/** CSS pixels per module: a phone's camera reads a version 40 code of 4 px modules on a laptop. */
const MODULE_PX = 4;

/** Modules of white around the code, as the standard asks. */
const QUIET_ZONE = 4;

/** @typedef {import("./page.js").Page} Page */

/**
 * The results that came in by a link, kept to be sent back with this device's own.
 * @type {string[]}
 */
let received = [];

const $ = elementById;

/**
 * The link to the page's experiment (its address's query), carrying `docJsons` when given.
 * @param {string[]} docJsons
 */
async function experimentLink(docJsons = []) {
  const fragment = docJsons.length ? `#${await encodeResults(docJsons)}` : "";
  return `${pageUrl(location.search)}${fragment}`;
}

/**
 * Draws `link` as a QR code on `canvas`, dark modules on white whatever the theme.
 * @param {HTMLCanvasElement} canvas
 * @param {string} link
 */
async function drawCode(canvas, link) {
  /** @type {{qrcode: typeof import("qrcode-generator")}} */
  const { qrcode } = await import(QRCODE_URL);
  const code = qrcode(0, "M");
  code.addData(link, "Byte");
  code.make();
  const modules = code.getModuleCount() + 2 * QUIET_ZONE;
  const px = Math.ceil(MODULE_PX * (window.devicePixelRatio || 1));
  canvas.width = canvas.height = modules * px;
  canvas.style.width = `${modules * MODULE_PX}px`;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("this browser draws no 2D canvas");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = "#000000";
  for (let row = 0; row < code.getModuleCount(); row += 1) {
    for (let col = 0; col < code.getModuleCount(); col += 1) {
      if (code.isDark(row, col)) context.fillRect((col + QUIET_ZONE) * px, (row + QUIET_ZONE) * px, px, px);
    }
  }
}

/**
 * Shows `link` as text under the buttons (selected, for copying by hand).
 * @param {string} link
 */
function showLink(link) {
  const input = $("devices-link", HTMLInputElement);
  input.value = link;
  input.hidden = false;
}

/**
 * "Compare with another device": the code and the link, with this result or, too long, without.
 * @param {Page} page
 */
async function showCode(page) {
  const note = $("devices-note", HTMLParagraphElement);
  const doc = stepDocument(page, "fit");
  if (!doc?.has_points()) {
    note.textContent = "Run the sweep first: the code carries its result.";
    return;
  }
  let link = await experimentLink([doc.to_json()]);
  if (link.length > QR_LIMIT) {
    const long = link.length;
    link = await experimentLink();
    note.textContent = `This result is too long for one code (${long} characters; a code holds ${QR_LIMIT}): the code carries the experiment alone, so the other device runs it without your curve. Send your result with "Copy link to this result" or as a file instead.`;
  } else {
    note.textContent = "Scan the code with the other device's camera, or open the link below there: it shows your curve and runs the same sweep after asking.";
  }
  const canvas = $("devices-qr", HTMLCanvasElement);
  await drawCode(canvas, link);
  canvas.hidden = false;
  showLink(link);
}

/**
 * "Send my result back": this device's result with those that came in, shared or copied.
 * @param {Page} page
 */
async function sendBack(page) {
  const note = $("devices-note", HTMLParagraphElement);
  const doc = stepDocument(page, "fit");
  if (!doc?.has_points()) {
    note.textContent = "Run the sweep first: the link carries its result.";
    return;
  }
  const link = await experimentLink([doc.to_json(), ...received]);
  showLink(link);
  if (navigator.share) {
    try {
      await navigator.share({
        title: "coresweep: my result beside yours",
        text: `${viewOf(doc).device.label}: the same sweep, on this device.`,
        url: link,
      });
      note.textContent = "Sent: opening the link shows both curves.";
    } catch (error) {
      note.textContent =
        error instanceof DOMException && error.name === "AbortError"
          ? "Not sent."
          : `Not sent (${errorWords(error).message}): copy the link below.`;
    }
    return;
  }
  try {
    await navigator.clipboard.writeText(link);
    note.textContent = `Link copied (${link.length} characters): send it to the other device; opening it there shows both curves.`;
  } catch {
    $("devices-link", HTMLInputElement).select();
    note.textContent = `Copy the link below (${link.length} characters) and send it to the other device.`;
  }
}

/**
 * After a link brought `texts` (results of other devices): when this device has no result of
 * its own yet, asks whether to run the same sweep here, which takes its cores for a while.
 * @param {Page} page
 * @param {string[]} texts
 */
export function askToRunHere(page, texts) {
  received = [...received, ...texts];
  if (!texts.length || stepDocument(page, "fit")?.has_points()) return;
  const labels = (page.overlays?.documents() ?? [])
    .slice(-texts.length)
    .map((doc) => viewOf(doc).device.label);
  $("run-here-text", HTMLParagraphElement).textContent = `This link carries the result of ${labels.join(" and ")}. Run the same sweep here? It takes this device's cores for a while; then the chart shows both.`;
  const prompt = $("run-here", HTMLDivElement);
  prompt.hidden = false;
  prompt.scrollIntoView({ block: "start" });
}

/**
 * Wires "Compare with another device", "Send my result back" (shown once this device has a
 * result beside one that came by link) and the "Run the same sweep here?" prompt; keeps the
 * device label typed in this browser.
 * @param {Page} page
 */
export function setupDevices(page) {
  keepDeviceLabel(page.ui.deviceLabel);
  const prompt = $("run-here", HTMLDivElement);
  const send = $("send-back", HTMLButtonElement);
  $("compare-device", HTMLButtonElement).addEventListener("click", () => showCode(page));
  send.addEventListener("click", () => sendBack(page));
  $("run-here-yes", HTMLButtonElement).addEventListener("click", () => {
    prompt.hidden = true;
    runSweep(page);
  });
  $("run-here-no", HTMLButtonElement).addEventListener("click", () => {
    prompt.hidden = true;
  });
  page.store.subscribe(["results", "running"], (state) => {
    const mine = state.results.fit?.document?.has_points() ?? false;
    send.hidden = !(received.length && mine && !state.running);
  });
}
