// Embed mode (?embed=1): the sweep alone, compact, for an <iframe> in a blog post; and the
// snippet a blogger pastes to embed the current experiment.

/** True when the page was opened as an embed (?embed=1 or ?embed). */
export function isEmbedded(search = location.search) {
  const value = new URLSearchParams(search).get("embed");
  return value !== null && value !== "0";
}

/**
 * The query string `search` without the embed switch (what the full page is opened with).
 * @param {string} search
 */
export function withoutEmbed(search) {
  const params = new URLSearchParams(search);
  params.delete("embed");
  const rest = params.toString();
  return rest ? `?${rest}` : "";
}

/** @param {string} text */
function escapeAttribute(text) {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/**
 * The <iframe> snippet for the page at `pageUrl` (origin + path) with the experiment `query`
 * ("?n_samples=…" or ""). Chrome ≥ 137 isolates the frame through the server's
 * Document-Isolation-Policy header; elsewhere the frame runs single-threaded and links to the
 * full page.
 * @param {string} pageUrl
 * @param {string} query
 */
export function embedSnippet(pageUrl, query) {
  const params = new URLSearchParams(query);
  params.set("embed", "1");
  const src = `${pageUrl}?${params.toString()}`;
  return `<iframe src="${escapeAttribute(src)}" title="coresweep: how much faster with more cores?" width="100%" height="760" style="border:0" loading="lazy"></iframe>`;
}
