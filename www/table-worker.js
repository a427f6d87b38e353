// The table worker: reads the user's file for the page, in the browser, never sending it
// anywhere. It previews the file's start (the columns, their kinds, the first rows) and reads
// it whole with the chosen target, dropped columns and delimiter into the record the page
// plans on (name, shape, SHA-256, classes: never the values, which stay in this worker and are
// dropped after each read). The single-threaded build: a read needs no pool. Protocol:
// www/protocol.js (TABLE_MESSAGE).
import init, { preview_file, read_table_file } from "./pkg-single/coresweep.js";
import { errorWords, previewAnswer, readAnswer, TABLE_MESSAGE, tableError } from "./protocol.js";

const ready = init();

/**
 * @param {import("./protocol.js").TableRequest} request
 * @returns {Promise<import("./protocol.js").TableAnswer>}
 */
async function answer({ type, id, file, options, deviceMemory }) {
  const { memory } = await ready;
  if (type === TABLE_MESSAGE.PREVIEW) {
    return previewAnswer(id, preview_file(file, options.delimiter));
  }
  const start = performance.now();
  const table = read_table_file(file, file.name, options, deviceMemory ?? undefined);
  const seconds = (performance.now() - start) / 1000;
  // A wasm memory never shrinks: its size is the peak of the read (the page starts a fresh
  // worker for each read).
  return readAnswer(id, { table, seconds, wasmBytes: memory.buffer.byteLength });
}

self.addEventListener("message", async (/** @type {MessageEvent<import("./protocol.js").TableRequest>} */ { data }) => {
  try {
    postMessage(await answer(data));
  } catch (error) {
    postMessage(tableError(data.id, errorWords(error)));
  }
});
