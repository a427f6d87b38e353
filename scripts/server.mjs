// The page's static server (`npm start`, the browser tests, the benches): serve-handler with
// serve.json's settings, but the headers are set by this file on every response before
// serve-handler answers, so they are on its 304s too. serve-handler (and so the npm `serve` CLI)
// answers a revalidation (If-None-Match → 304) with none of its config's headers, and WebKit
// refuses a module worker whose 304 lacks Cross-Origin-Embedder-Policy.
//   node scripts/server.mjs            serves the repository on PORT (default 8080)
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import serveHandler from "serve-handler";

/** The repository root: the folder `npm start` serves. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** serve.json: serve-handler's settings and, under "**", the headers of every response. */
export function serveConfig() {
  return JSON.parse(readFileSync(join(root, "serve.json"), "utf8"));
}

/** The headers serve.json sends on every path, as [key, value] pairs. */
export function servedHeaders() {
  return serveConfig()
    .headers.find((rule) => rule.source === "**")
    .headers.map(({ key, value }) => [key, value]);
}

/**
 * Serves `folder` with `headers` ([key, value] pairs) on every response, 304s and errors
 * included. `route(request, response)` may answer a request first (it returns true then).
 * Resolves to {url (ending in "/"), port, close()}.
 */
export async function startServer({
  folder = root,
  headers = servedHeaders(),
  port = 0,
  host = "127.0.0.1",
  route = () => false,
} = {}) {
  const config = { ...serveConfig(), public: folder, headers: [] };
  const server = createServer((request, response) => {
    for (const [key, value] of headers) response.setHeader(key, value);
    if (route(request, response)) return;
    serveHandler(request, response, config);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const bound = server.address().port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}/`,
    port: bound,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 8080);
  await startServer({ port, host: "0.0.0.0" });
  console.log(`coresweep: http://localhost:${port}/`);
}
