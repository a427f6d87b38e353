// Files dropped on a part of the page: the one way the page takes a drop (results files on the
// whole page, overlays.js; a table on step 2, data.js).

/**
 * Whether a drag carries files (not text or a link).
 * @param {DragEvent} event
 */
function carriesFiles(event) {
  return event.dataTransfer?.types.includes("Files") ?? false;
}

/**
 * Makes `area` take files dropped on it: outlined (class `is-dropping`) while files are dragged
 * over it, `onFiles(files)` on a drop. A drop on it goes no further, so an area inside another
 * takes its own drops and the outer one is not outlined over it.
 * @param {HTMLElement} area
 * @param {(files: File[]) => void} onFiles
 */
export function takeFileDrops(area, onFiles) {
  area.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    area.parentElement?.closest(".is-dropping")?.classList.remove("is-dropping");
    area.classList.add("is-dropping");
  });
  area.addEventListener("dragleave", (event) => {
    if (!(event.relatedTarget instanceof Node && area.contains(event.relatedTarget))) area.classList.remove("is-dropping");
  });
  area.addEventListener("drop", (event) => {
    area.classList.remove("is-dropping");
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    onFiles([...(event.dataTransfer?.files ?? [])]);
  });
}
