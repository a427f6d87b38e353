// Results files from other devices (or the CLI), drawn on the chart beside this page's
// results. Each file is read by the engine (parse_document: size limit, schema checks), so a
// file the CLI would refuse is refused here with the same words.

/**
 * Wires the file input and the list. `parse(text)` returns the normalised document JSON or
 * throws; `changed()` is called after a file was added or removed; `problem(message)` shows
 * why a file was refused (null clears it).
 * Returns a function giving the current documents as JSON texts.
 */
export function setupOverlays({ input, list, parse, changed, problem }) {
  const files = []; // {name, json}

  function render() {
    list.replaceChildren(
      ...files.map((file, index) => {
        const item = document.createElement("li");
        const doc = JSON.parse(file.json);
        const points = doc.points.map((p) => p.threads).join(", ");
        item.append(
          `${file.name}: ${doc.device.label} (${doc.engine}, threads ${points || "none"}) `,
        );
        const remove = Object.assign(document.createElement("button"), {
          type: "button",
          className: "button button--small",
          textContent: "Remove",
        });
        remove.setAttribute("aria-label", `Remove ${file.name}`);
        remove.addEventListener("click", () => {
          files.splice(index, 1);
          render();
          changed();
        });
        item.append(remove);
        return item;
      }),
    );
  }

  input.addEventListener("change", async () => {
    const refused = [];
    for (const file of input.files) {
      try {
        files.push({ name: file.name, json: parse(await file.text()) });
      } catch (error) {
        refused.push(`${file.name}: ${error.message}`);
      }
    }
    input.value = "";
    problem(refused.length ? `Results file refused — ${refused.join("; ")}` : null);
    render();
    changed();
  });

  return () => files.map((file) => file.json);
}
