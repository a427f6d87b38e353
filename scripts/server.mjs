// @ts-check
// The page's static server (`npm start`, the browser tests, the benches): serve-handler with
// serve.json's settings, but the headers are set by this file on every response before
// serve-handler answers, so they are on its 304s too. serve-handler (and so the npm `serve` CLI)
// answers a revalidation (If-None-Match → 304) with none of its config's headers, and WebKit
// refuses a module worker whose 304 lacks Cross-Origin-Embedder-Policy.
// serve-handler never compresses: text and wasm (the 0.95 MB module is 0.33 MB in brotli) are
// compressed here, brotli or gzip as the browser accepts, once per version of a file.
//   node scripts/server.mjs            serves the repository on PORT (default 8080)
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import serveHandler from "serve-handler";

/** The repository root: the folder `npm start` serves. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** serve.json: serve-handler's settings and, under "**", the headers of every response. */
export function serveConfig() {
  return JSON.parse(readFileSync(join(root, "serve.json"), "utf8"));
}

/**
 * The headers serve.json sends on every path, as [key, value] pairs.
 * @returns {[string, string][]}
 */
export function servedHeaders() {
  /** @type {{source: string, headers: {key: string, value: string}[]}[]} */
  const rules = serveConfig().headers;
  const everywhere = rules.find((rule) => rule.source === "**");
  if (!everywhere) throw new Error('serve.json has no headers for "**"');
  return everywhere.headers.map(({ key, value }) => [key, value]);
}

/**
 * The files worth compressing, by extension, with their Content-Type.
 * @type {Record<string, string | undefined>}
 */
const COMPRESSIBLE = {
  ".wasm": "application/wasm",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

/** @type {Record<"br" | "gzip", (bytes: Buffer) => Promise<Buffer>>} */
const ENCODERS = {
  // Quality 5: a fifth of quality 11's time for 15 % more bytes, fast enough on the first request.
  br: (bytes) => promisify(brotliCompress)(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
  gzip: (bytes) => promisify(gzip)(bytes),
};

/**
 * Answers a GET or HEAD of a compressible file under `folder` compressed, when the browser
 * accepts brotli or gzip: Content-Encoding, Vary: Accept-Encoding, an ETag of the compressed
 * bytes, and a 304 for a revalidation. Anything else (ranges, directories, missing files) is
 * left to serve-handler; resolves to whether it answered.
 * @param {import("node:http").IncomingMessage} request
 * @param {import("node:http").ServerResponse} response
 * @param {string} folder
 * @param {Map<string, {mtimeMs: number, size: number, body: Buffer, etag: string}>} cache
 */
async function answerCompressed(request, response, folder, cache) {
  let path;
  try {
    // Prefixed, not resolved: a request for "//?…" is a path of "//", not a host.
    path = decodeURIComponent(new URL(`http://x${request.url}`).pathname);
  } catch {
    return false;
  }
  // serve.json rewrites / (and serve-handler //) to /index.html.
  const pathname = /^\/+$/.test(path) ? "/index.html" : path;
  const type = COMPRESSIBLE[pathname.slice(pathname.lastIndexOf("."))];
  if (!type || !["GET", "HEAD"].includes(request.method ?? "") || request.headers.range) return false;
  response.setHeader("Vary", "Accept-Encoding");
  const accepted = request.headers["accept-encoding"] ?? "";
  const encoding = /** @type {const} */ (["br", "gzip"]).find((name) => new RegExp(`\\b${name}\\b`).test(accepted));
  const file = normalize(join(folder, pathname));
  if (!encoding || !file.startsWith(normalize(folder) + sep)) return false;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return false;
  const key = `${encoding} ${file}`;
  let entry = cache.get(key);
  if (entry?.mtimeMs !== info.mtimeMs || entry.size !== info.size) {
    const body = await ENCODERS[encoding](await readFile(file));
    const etag = `"${encoding}-${createHash("sha1").update(body).digest("hex")}"`;
    entry = { mtimeMs: info.mtimeMs, size: info.size, body, etag };
    cache.set(key, entry);
  }
  response.setHeader("ETag", entry.etag);
  if (request.headers["if-none-match"] === entry.etag) {
    response.writeHead(304);
    response.end();
    return true;
  }
  response.writeHead(200, {
    "Content-Type": type,
    "Content-Encoding": encoding,
    "Content-Length": entry.body.length,
  });
  response.end(request.method === "HEAD" ? undefined : entry.body);
  return true;
}

/**
 * Serves `folder` with `headers` ([key, value] pairs) on every response, 304s and errors
 * included. `route(request, response)` may answer a request first (it returns true then).
 * Resolves to {url (ending in "/"), port, close()}.
 * @param {object} [options]
 * @param {string} [options.folder]
 * @param {[string, string][]} [options.headers]
 * @param {number} [options.port]
 * @param {string} [options.host]
 * @param {(request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => boolean} [options.route]
 */
export async function startServer({
  folder = root,
  headers = servedHeaders(),
  port = 0,
  host = "127.0.0.1",
  route = () => false,
} = {}) {
  const config = { ...serveConfig(), public: folder, headers: [] };
  const compressed = new Map();
  const server = createServer(async (request, response) => {
    for (const [key, value] of headers) response.setHeader(key, value);
    if (route(request, response)) return;
    try {
      if (await answerCompressed(request, response, folder, compressed)) return;
    } catch (error) {
      response.writeHead(500).end(String(error));
      return;
    }
    serveHandler(request, response, config);
  });
  /** @type {Promise<void>} */
  const listening = new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  await listening;
  const address = server.address();
  // Listening on a host and port (not a pipe), the address is an AddressInfo.
  if (address === null || typeof address === "string") throw new Error(`not listening on a port: ${address}`);
  const bound = address.port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}/`,
    port: bound,
    close: () =>
      /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        })
      ),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 8080);
  await startServer({ port, host: "0.0.0.0" });
  console.log(`coresweep: http://localhost:${port}/`);
}
