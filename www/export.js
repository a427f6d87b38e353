// CSV of a results document (coresweep-sweep/2; /1 still read): one row per thread count, the device and the
// experiment's parameters in the leading columns, so rows from several devices can be pasted
// into one spreadsheet and compared.

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
 * @param {unknown} value
 */
function field(value) {
  let text;
  if (value === null || value === undefined) text = "";
  else if (Array.isArray(value)) text = value.join(";");
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Text typed by a person (the device label, the user agent): a leading = + - @ would make a
 * spreadsheet evaluate it as a formula, so it gets a leading apostrophe.
 * @param {unknown} value
 */
function typed(value) {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The document as CSV. Columns: device, engine, created, the dataset's parameters (sklearn's
 * names), the forest's (random_state named per section: both sections have one), then threads,
 * repeats, median/min/max seconds, every fit's seconds (";"-separated), speed-up, efficiency.
 * @param {import("./results-view.js").DocumentView} doc
 * @param {import("./results-view.js").Derived} derived
 */
export function documentCsv(doc, derived) {
  const device = doc.device;
  const lead = [
    ["device_label", typed(device.label)],
    ["engine", doc.engine],
    ["created", doc.created],
    ["hardware_concurrency", device.hardware_concurrency],
    ["cross_origin_isolated", device.cross_origin_isolated],
    ["user_agent", typed(device.user_agent)],
  ];
  /**
   * @param {string} name
   * @param {Record<string, unknown> | null} params
   * @returns {[string, unknown][]}
   */
  const section = (name, params) =>
    Object.entries(params ?? {}).map(([key, value]) => [
      key === "random_state" ? `${name}_random_state` : key,
      value,
    ]);
  const params = [...section("dataset", doc.dataset), ...section("forest", doc.forest)];
  const header = [
    ...lead.map(([name]) => name),
    ...params.map(([name]) => name),
    "threads",
    "repeats",
    "median_seconds",
    "min_seconds",
    "max_seconds",
    "fit_seconds",
    "speedup",
    "efficiency",
  ];
  /**
   * @param {[number, number][]} pairs
   * @param {number} k
   */
  const lookup = (pairs, k) => pairs.find(([threads]) => threads === k)?.[1];
  const rows = doc.points.map((point) => [
    ...lead.map(([, value]) => value),
    ...params.map(([, value]) => value),
    point.threads,
    point.fit_seconds.length,
    point.median_seconds,
    Math.min(...point.fit_seconds),
    Math.max(...point.fit_seconds),
    point.fit_seconds,
    lookup(derived.speedups, point.threads),
    lookup(derived.efficiencies, point.threads),
  ]);
  return [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}
