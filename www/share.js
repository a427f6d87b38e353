// A result as a link: the results document, compressed (CompressionStream, deflate-raw) and
// base64url-encoded into the URL fragment (several: `#result=…&result=…`, as a result sent back
// carries both devices'). The fragment never reaches a server, so a link shows someone else's
// sweep from any static copy of the page.

/** The fragment key that carries a result: `#result=…`. */
const KEY = "result=";

/** Compressed links longer than this are refused by some chat apps and browsers' address bars. */
export const LINK_LIMIT = 8000;

/** The engine refuses documents over 4 MiB; decompression stops one byte past that. */
const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/**
 * Pipes `bytes` through `stream`; stops reading (so a tiny link cannot fill memory) past `limit`.
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @param {CompressionStream | DecompressionStream} stream
 */
async function transform(bytes, stream, limit = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      break;
    }
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** @param {Uint8Array} bytes */
function toBase64Url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** @param {string} text */
function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("the link's result is not base64url text");
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The fragment (without "#") that carries `docJson`.
 * @param {string} docJson
 */
export async function encodeResult(docJson) {
  const compact = JSON.stringify(JSON.parse(docJson));
  const bytes = await transform(
    new TextEncoder().encode(compact),
    new CompressionStream("deflate-raw"),
  );
  return `${KEY}${toBase64Url(bytes)}`;
}

/**
 * The fragment (without "#") that carries each of `docJsons`, in order.
 * @param {string[]} docJsons
 */
export async function encodeResults(docJsons) {
  return (await Promise.all(docJsons.map(encodeResult))).join("&");
}

/**
 * The results texts carried by a fragment ("#result=…&result=…"): none when it carries none.
 * @param {string} hash
 */
export async function decodeResults(hash) {
  const fragment = hash.replace(/^#/, "");
  if (!fragment.startsWith(KEY)) return [];
  const texts = [];
  for (const part of fragment.split("&").filter((p) => p.startsWith(KEY))) {
    let bytes;
    try {
      bytes = await transform(
        fromBase64Url(part.slice(KEY.length)),
        new DecompressionStream("deflate-raw"),
        MAX_DOCUMENT_BYTES,
      );
    } catch {
      throw new Error("the link's result is damaged (cut short when copied?)");
    }
    texts.push(new TextDecoder().decode(bytes));
  }
  return texts;
}
