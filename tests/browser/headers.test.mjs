// @ts-check
// Headers on every response, revalidations included: npm start's server (scripts/server.mjs)
// answers a revalidated script (If-None-Match → 304, If-Modified-Since) with the isolation
// headers too (serve-handler alone, like the npm `serve` CLI, sends none of them on a 304). WebKit refuses a module worker whose 304 lacks Cross-Origin-Embedder-Policy,
// and every sweep's fresh worker revalidates its scripts (serve.json: Cache-Control no-cache).
// The wasm and the text files go out compressed (brotli or gzip, as accepted), 304s included.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { get } from "node:http";
import { join, relative } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { root, servedHeaders, startServer } from "../../scripts/server.mjs";

const ISOLATION = [
  "Cross-Origin-Opener-Policy",
  "Cross-Origin-Embedder-Policy",
  "Cross-Origin-Resource-Policy",
  "Content-Security-Policy",
];

/** Every script the page's workers load: www/'s modules and the builds' glue and snippets. */
function scripts() {
  const www = join(root, "www");
  return readdirSync(www, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".js"))
    .map((file) => `/${relative(root, join(www, file))}`);
}

/** @type {Awaited<ReturnType<typeof startServer>> | null} */
let server = null;
before(async () => {
  server = await startServer();
});
after(() => server?.close());

/** The address of the server before() started. */
function serverUrl() {
  if (!server) throw new Error("the server starts before the tests");
  return server.url;
}

/**
 * Asserts that `response` carries every header serve.json sends, with its value.
 * @param {{headers: Headers}} response
 * @param {string} what
 */
function assertIsolated(response, what) {
  const sent = new Map(servedHeaders());
  for (const key of ISOLATION) assert.equal(response.headers.get(key), sent.get(key), `${key}: ${what}`);
}

test("a revalidated worker script is answered 304 with the isolation headers", async () => {
  const paths = scripts();
  for (const worker of ["sweep-worker.js", "single-worker.js", "point-worker.js", "pkg/coresweep.js"]) {
    assert.ok(paths.includes(`/www/${worker}`), `${worker} is served (run npm run build)`);
  }
  for (const path of paths) {
    const url = new URL(path, serverUrl());
    const first = await fetch(url);
    assert.equal(first.status, 200, path);
    assertIsolated(first, `${path} 200`);
    const etag = first.headers.get("ETag");
    assert.ok(etag, `${path}: an ETag (serve.json: etag), so revalidations are 304s`);
    await first.arrayBuffer();

    const byTag = await fetch(url, { headers: { "If-None-Match": etag } });
    assert.equal(byTag.status, 304, `${path} If-None-Match`);
    assertIsolated(byTag, `${path} 304`);

    // serve-handler answers this one in full (it validates ETags only): headers all the same.
    const since = new Date().toUTCString();
    const byDate = await fetch(url, { headers: { "If-Modified-Since": since } });
    assert.ok([200, 304].includes(byDate.status), `${path} If-Modified-Since: ${byDate.status}`);
    assertIsolated(byDate, `${path} If-Modified-Since ${byDate.status}`);
    await byDate.arrayBuffer();
  }
});

test("a missing file's 404 carries them too", async () => {
  const response = await fetch(new URL("/www/missing.js", serverUrl()));
  assert.equal(response.status, 404);
  assertIsolated(response, "404");
});

test("the wasm and the scripts are sent compressed as the browser accepts, and revalidate to 304s", async () => {
  const wasm = readFileSync(join(root, "www", "pkg", "coresweep_bg.wasm"));
  /** @type {[string, (body: Buffer) => Buffer][]} */
  const encodings = [
    ["br", brotliDecompressSync],
    ["gzip", gunzipSync],
  ];
  for (const [encoding, decode] of encodings) {
    for (const path of ["/www/pkg/coresweep_bg.wasm", "/www/app.js", "/"]) {
      const response = await rawGet(path, { "Accept-Encoding": `${encoding}, deflate` });
      assert.equal(response.status, 200, path);
      assert.equal(response.headers["content-encoding"], encoding, `${path} ${encoding}`);
      assert.equal(response.headers.vary, "Accept-Encoding", path);
      assertIsolated({ headers: fetchHeaders(response.headers) }, `${path} ${encoding}`);
      const body = decode(response.body);
      if (path.endsWith(".wasm")) {
        assert.equal(response.headers["content-type"], "application/wasm");
        assert.ok(body.equals(wasm), "the wasm as built");
        assert.ok(response.body.length < wasm.length / 2, `${response.body.length} bytes sent for ${wasm.length}`);
      }
      const again = await rawGet(path, { "Accept-Encoding": encoding, "If-None-Match": response.headers.etag });
      assert.equal(again.status, 304, `${path} ${encoding} revalidated`);
      assertIsolated({ headers: fetchHeaders(again.headers) }, `${path} ${encoding} 304`);
    }
  }
  // A client that accepts neither gets the file as it is.
  const plain = await rawGet("/www/pkg/coresweep_bg.wasm", { "Accept-Encoding": "identity" });
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.ok(plain.body.equals(wasm));
});

/**
 * node's headers as fetch's (as new Headers(object) reads them: a list's values joined).
 * @param {import("node:http").IncomingHttpHeaders} incoming
 */
function fetchHeaders(incoming) {
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming)) if (value !== undefined) headers.set(key, String(value));
  return headers;
}

/**
 * A GET without fetch's automatic decompression: status, headers (lower-case) and the raw body.
 * @param {string} path
 * @param {import("node:http").OutgoingHttpHeaders} headers
 * @returns {Promise<{status: number | undefined, headers: import("node:http").IncomingHttpHeaders, body: Buffer}>}
 */
function rawGet(path, headers) {
  return new Promise((resolve, reject) => {
    get(new URL(path, serverUrl()), { headers }, (response) => {
      /** @type {Buffer[]} */
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    }).on("error", reject);
  });
}
