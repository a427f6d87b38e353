// Results from other devices (files from other browsers or the CLI, shared links), drawn on
// the chart beside this page's results and shown as tables side by side. Each one is read by
// the engine (ResultsDocument.from_json: size limit, schema checks), so a file the CLI would
// refuse is refused here with the same words, and kept as the engine's object. Text from a
// file only ever goes into textContent.

import { takeFileDrops } from "./drop.js";
import { errorWords } from "./protocol.js";
import { renderTable, viewOf, derivedOf } from "./results-view.js";

/**
 * @typedef {import("./pkg/coresweep.js").ResultsDocument} ResultsDocument
 * @typedef {{documents: () => ResultsDocument[], names: () => string[], add: (name: string, text: string) => void}} Overlays
 */

const TABLE_HEAD = ["threads", "median", "min", "max", "spread", "speed-up", "efficiency"];

/**
 * @param {import("./results-view.js").DocumentView} view
 * @param {import("./results-view.js").Derived} derived
 */
function resultTable(view, derived) {
  const table = document.createElement("table");
  table.className = "overlay-table";
  const head = document.createElement("tr");
  for (const name of TABLE_HEAD) {
    const th = Object.assign(document.createElement("th"), { scope: "col", textContent: name });
    head.append(th);
  }
  table.createTHead().append(head);
  const body = table.createTBody();
  renderTable(body, view, derived);
  return table;
}

/**
 * Wires the file input, drag-and-drop onto `dropZone`, and the list. `checkLength(bytes)` throws
 * when a file is too large to be a results file (it is then not read); `parse(text)` returns the
 * engine's ResultsDocument or throws; `changed()` is called after a result was added or
 * removed; `problem(message)` shows why something was refused (null clears it);
 * `differs(document)` says how a result differs from the page's (another workload, other data), else null;
 * `runLike(document)` runs a result's experiment here (its "Run the same experiment here" button).
 * Returns `{documents(), names(), add(name, text)}`: the current ResultsDocuments and where each
 * came from (a file's name, "shared link"), and a way to add one
 * from elsewhere (a shared link; throws what `parse` throws). A result that is shown already
 * (the same link opened twice, the same file picked again) is not added twice.
 * @param {{
 *   input: HTMLInputElement, dropZone: HTMLElement, list: HTMLElement,
 *   checkLength?: (bytes: number) => void, parse: (text: string) => ResultsDocument,
 *   changed: () => void, problem: (message: string | null) => void,
 *   differs?: (doc: ResultsDocument) => string | null, runLike?: (doc: ResultsDocument) => void,
 * }} how
 * @returns {Overlays}
 */
export function setupOverlays({ input, dropZone, list, checkLength, parse, changed, problem, differs, runLike }) {
  /** @type {{name: string, document: ResultsDocument}[]} */
  const results = [];

  function render() {
    list.replaceChildren(
      ...results.map((result, index) => {
        const item = document.createElement("li");
        item.className = "overlay-list__item";
        const doc = viewOf(result.document);
        const points = doc.points.map((p) => p.threads).join(", ");
        const title = document.createElement("p");
        title.className = "overlay-list__title";
        title.append(
          `${result.name}: ${doc.device.label} (${doc.engine}, threads ${points || "none"}) `,
        );
        const remove = Object.assign(document.createElement("button"), {
          type: "button",
          className: "button button--small",
          textContent: "Remove",
        });
        remove.setAttribute("aria-label", `Remove ${result.name}`);
        remove.addEventListener("click", () => {
          results.splice(index, 1);
          result.document.free();
          render();
          changed();
        });
        title.append(remove);
        if (runLike) {
          const like = Object.assign(document.createElement("button"), {
            type: "button",
            className: "button button--small",
            textContent: "Run the same experiment here",
          });
          like.addEventListener("click", () => runLike(result.document));
          title.append(" ", like);
        }
        item.append(title);
        // Like compared with like: a result of another workload says so (sequels.js).
        const note = differs?.(result.document);
        if (note) item.append(Object.assign(document.createElement("p"), { className: "overlay-list__note", textContent: note }));
        item.append(resultTable(doc, derivedOf(result.document)));
        return item;
      }),
    );
  }

  /**
   * Adds a parsed result unless the very same one is shown already; says whether it did.
   * @param {string} name
   * @param {ResultsDocument} document
   */
  function push(name, document) {
    if (results.some((result) => result.document.same_as(document))) {
      document.free();
      return false;
    }
    results.push({ name, document });
    return true;
  }

  /** @param {File[]} files */
  async function addFiles(files) {
    const refused = [];
    let added = 0;
    for (const file of files) {
      try {
        // A table or a large file dropped by mistake is refused unread.
        if (/\.(csv|tsv)$/i.test(file.name)) {
          throw new Error('a table, not a results file: to fit a forest on it, drop it on step 2 ("Your data")');
        }
        checkLength?.(file.size);
        if (push(file.name, parse(await file.text()))) added += 1;
        else refused.push(`${file.name}: the same result is already shown`);
      } catch (error) {
        refused.push(`${file.name}: ${errorWords(error).message}`);
      }
    }
    problem(refused.length ? `Results file not added — ${refused.join("; ")}` : null);
    if (added) {
      render();
      changed();
    }
  }

  input.addEventListener("change", async () => {
    const files = [...(input.files ?? [])];
    input.value = "";
    await addFiles(files);
  });

  // Files dropped anywhere on the zone; the outline says a drop will be taken.
  takeFileDrops(dropZone, addFiles);

  return {
    documents: () => results.map((result) => result.document),
    names: () => results.map((result) => result.name),
    add(name, text) {
      if (!push(name, parse(text))) return;
      render();
      changed();
    },
  };
}
