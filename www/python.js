// The Python that does what each step of the page does, written from the current form values.
// Arguments equal to sklearn's own defaults are left out, as a person would write the call.

/**
 * @typedef {import("./params.js").Parameter} Parameter
 * @typedef {import("./pkg/coresweep.js").Plan} Plan
 * @typedef {Record<string, string | undefined>} Values the form's values, as text (readForm)
 * @typedef {{name: string, target: string, drop: string[], delimiter: string}} TableChoice
 * @typedef {"outer" | "inner" | "both"} Level
 *
 * A sequel plan's workload (Plan.workload_info): its parallel level, folds, repeats and grid.
 * @typedef {{parallel: Level, cv: number, cv_repeats?: number | null,
 *   grid?: Record<string, (string | number | null)[]>}} WorkloadInfo
 */

// Lines longer than this wrap one argument per line (the code column is narrow).
const MAX_LINE = 50;

/**
 * The registry's parameters of `group` ("dataset" or "forest") but `random_state`, which is
 * written always: `{name, sklearn_default, value_name}` (sklearn's own default as a Python
 * literal, and the kind of text the value is), in sklearn's order.
 * @param {Parameter[]} parameters
 * @param {"dataset" | "forest"} group
 */
function sklearnDefaults(parameters, group) {
  return parameters.filter((p) => p.group === group && p.name !== "random_state");
}

/**
 * A name as a Python string literal.
 * @param {string} text
 */
function pyString(text) {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/**
 * A form string as a Python literal: numbers stay, booleans and None get Python's spelling, words
 * are quoted. `valueName` is the registry's kind of text (the CLI's placeholder): a list (`W,…`)
 * becomes a Python list, and "random" where a value may be random (`F|random`) is sklearn's None.
 * @param {string | undefined} value
 * @param {string} valueName
 * @returns {string}
 */
function literal(value, valueName = "") {
  if (value === undefined || value === "" || value === "None" || value === "null") return "None";
  if (valueName.endsWith(",…")) {
    return `[${value.split(",").map((item) => literal(item.trim())).join(", ")}]`;
  }
  if (valueName.includes("random") && value.toLowerCase() === "random") return "None";
  if (value.toLowerCase() === "none") return "None";
  if (value === "true" || value === "True") return "True";
  if (value === "false" || value === "False") return "False";
  if (value.trim() !== "" && Number.isFinite(Number(value))) return value;
  return pyString(value);
}

/**
 * @param {string} a
 * @param {string} b
 */
function sameLiteral(a, b) {
  const na = Number(a);
  const nb = Number(b);
  return a === b || (Number.isFinite(na) && Number.isFinite(nb) && na === nb);
}

/**
 * `name=value` for every argument the form holds that differs from sklearn's default, then the
 * extras.
 * @param {Values} values
 * @param {Parameter[]} defaults
 * @param {string[]} extras
 */
function callArguments(values, defaults, extras = []) {
  const args = [];
  for (const { name, sklearn_default: sklearnDefault, value_name: valueName } of defaults) {
    if (!(name in values)) continue;
    const value = literal(values[name], valueName);
    if (!sameLiteral(value, sklearnDefault)) args.push(`${name}=${value}`);
  }
  return args.concat(extras);
}

/**
 * @param {string} name
 * @param {string[]} args
 * @param {string} indent
 */
function call(name, args, indent = "") {
  const oneLine = `${name}(${args.join(", ")})`;
  if (indent.length + oneLine.length <= MAX_LINE) return oneLine;
  return `${name}(\n${args.map((a) => `${indent}    ${a},`).join("\n")}\n${indent})`;
}

/** @param {Values} values */
function threadList(values) {
  return `[${(values.threads ?? "1")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)
    .join(", ")}]`;
}

/**
 * @param {Values} values
 * @param {Parameter[]} parameters
 * @param {string | number} jobs
 * @param {string} indent
 */
function forestCall(values, parameters, jobs, indent = "") {
  const seed = literal(values.random_state ?? "0");
  return call(
    "RandomForestClassifier",
    callArguments(values, sklearnDefaults(parameters, "forest"), [
      `n_jobs=${jobs}`,
      `random_state=${seed}`,
    ]),
    indent,
  );
}

/**
 * Step 1: count the cores, keep one free.
 * @param {Values} values
 * @param {boolean} reserve
 */
export function coresSource(values, reserve) {
  return [
    "import os",
    "",
    `cpu_count = os.cpu_count()  # here: ${values.hardware_concurrency ?? "?"}`,
    `reserved_cpu = ${reserve ? "1  # so the PC does not lock up" : "0"}`,
    "final_cpu = cpu_count - reserved_cpu",
    `n_cores = ${threadList(values)}`,
  ].join("\n");
}

/**
 * Step 2: make the data; `parameters` is the engine's registry (sklearn's defaults).
 * @param {Values} values
 * @param {Parameter[]} parameters
 */
export function dataSource(values, parameters) {
  const seed = literal(values.random_state ?? "0");
  const args = callArguments(values, sklearnDefaults(parameters, "dataset"), [
    `random_state=${seed}`,
  ]);
  return [
    "from sklearn.datasets import make_classification",
    "",
    `X, Y = ${call("make_classification", args)}`,
  ].join("\n");
}

/**
 * Step 2 on the user's table ({name, target, drop, delimiter}): pandas reads it as coresweep
 * does (the same delimiter, the target column's labels, the other columns but those dropped).
 * @param {TableChoice} table
 */
export function tableSource({ name, target, drop, delimiter }) {
  /** @type {Record<string, string>} */
  const separators = { ",": "", ";": ", sep=';'", tab: ", sep='\\t'" };
  const sep = separators[delimiter] ?? "";
  const columns = [target, ...drop].map(pyString).join(", ");
  return [
    "import pandas as pd",
    "",
    `data = pd.read_csv(${pyString(name)}${sep})`,
    `X = data.drop(columns=[${columns}])`,
    `Y = data[${pyString(target)}]`,
  ].join("\n");
}

/**
 * Step 3: time one fit on one core.
 * @param {Values} values
 * @param {Parameter[]} parameters
 */
export function fitSource(values, parameters) {
  return [
    "from time import time",
    "from sklearn.ensemble import RandomForestClassifier",
    "",
    `model = ${forestCall(values, parameters, 1)}`,
    "start = time()",
    "model.fit(X, Y)",
    "print(f'{time() - start:.2f} seconds')",
  ].join("\n");
}

/**
 * The page's backend in sklearn's words: joblib's "threading" (threads sharing memory) or
 * "loky" (processes, each with its own copy of the data), as a `with` around the timed call.
 * @type {Record<string, string>}
 */
const JOBLIB_BACKEND = {
  threads: "threading",
  workers: "loky",
};

/**
 * `lines` (the timed call, indented by `indent`) inside `with parallel_backend(...)`.
 * @param {string} backend
 * @param {string[]} lines
 * @param {string} indent
 */
function inBackend(backend, lines, indent) {
  const name = JOBLIB_BACKEND[backend] ?? JOBLIB_BACKEND.threads;
  return [`${indent}with parallel_backend("${name}", n_jobs=k):`, ...lines.map((line) => `    ${line}`)];
}

/**
 * Step 5: the sweep and the tutorial's plot (blue dashed line, circle markers); `backend`
 * ("threads" or "workers") is said in joblib's words when it is workers, since the forest's
 * own default is threads.
 * @param {Values} values
 * @param {Parameter[]} parameters
 * @param {string} backend
 */
export function sweepSource(values, parameters, backend = "threads") {
  const repeats = Math.max(1, Math.trunc(Number(values.repeats ?? "1")) || 1);
  /** @param {string} indent */
  const fit = (indent) =>
    backend === "workers"
      ? inBackend(backend, [`${indent}model.fit(X, Y)`], indent)
      : [`${indent}model.fit(X, Y)`];
  const timing =
    repeats === 1
      ? ["    start = time()", ...fit("    "), "    results.append(time() - start)"]
      : [
          "    times = []",
          `    for _ in range(${repeats}):`,
          "        start = time()",
          ...fit("        "),
          "        times.append(time() - start)",
          "    results.append(median(times))",
        ];
  return [
    ...(backend === "workers"
      ? ["from joblib import parallel_backend  # workers: one process per core, each with its own copy of X"]
      : []),
    ...(repeats === 1 ? [] : ["from statistics import median"]),
    "from matplotlib import pyplot",
    "",
    "results = []",
    "for k in n_cores:",
    `    model = ${forestCall(values, parameters, "k", "    ")}`,
    ...timing,
    "",
    "pyplot.plot(n_cores, results, '--bo')",
    "pyplot.xlabel('Number of cores')",
    "pyplot.ylabel('Run time (secs)')",
    "pyplot.show()",
    "print(f'{results[0] / results[-1]:.1f}x faster')",
  ].join("\n");
}

/**
 * A value of the engine's plan (a JSON value) as the form's text, for literal().
 * @param {unknown} value
 */
function planText(value) {
  if (value === null) return "None";
  return Array.isArray(value) ? value.join(",") : String(value);
}

/**
 * The plan's parameters of one group (plan.dataset, plan.forest) as form-like text values.
 * @param {Record<string, unknown>} params
 * @returns {Values}
 */
function planValues(params) {
  return Object.fromEntries(Object.entries(params).map(([name, v]) => [name, planText(v)]));
}

/**
 * The sequels' splitter: sklearn's cv=N alone, or RepeatedStratifiedKFold seeded by random_state.
 * @param {WorkloadInfo} info
 * @param {string} seed
 */
function cvArgument({ cv, cv_repeats }, seed) {
  if (cv_repeats === undefined || cv_repeats === null) return `cv=${cv}`;
  return `cv=RepeatedStratifiedKFold(n_splits=${cv}, n_repeats=${cv_repeats}, random_state=${seed})`;
}

/**
 * Where the k threads go (the plan's `parallel`): the outer loop's n_jobs (folds, candidate ×
 * fold pairs) and the forest's (trees); both nests them, as joblib would.
 * @param {Level} parallel
 * @returns {[string | number, string | number]}
 */
function levelJobs(parallel) {
  /** @type {Record<Level, [string | number, string | number]>} */
  const jobs = { outer: ["k", 1], inner: [1, "k"], both: ["k", "k"] };
  return jobs[parallel];
}

/**
 * The grid as a Python dict literal: `{"max_features": [1, 2, 3, 4, 5]}`.
 * @param {WorkloadInfo["grid"]} grid
 */
function gridLiteral(grid) {
  /** @param {string | number | null} v */
  const value = (v) => (typeof v === "string" ? `"${v}"` : literal(planText(v)));
  const entries = Object.entries(grid ?? {}).map(
    ([name, values]) => `"${name}": [${values.map(value).join(", ")}]`,
  );
  return `{${entries.join(", ")}}`;
}

/**
 * A sequel's sweep as its tutorial writes it, from the engine's checked `plan` (its data,
 * forest and workload, the sequels' defaults where the form keeps the first tutorial's) and
 * the user's `table` when it is the data (else null):
 * `timedCall(cv, outerJobs, workload)` writes the timed call's lines, `imports` names what it
 * needs from sklearn.model_selection.
 * @param {Plan} plan
 * @param {Parameter[]} parameters
 * @param {TableChoice | null} table
 * @param {string[]} imports
 * @param {(cv: string, jobs: string | number, info: WorkloadInfo) => string[]} timedCall
 * @param {string} backend
 */
function sequelSource(plan, parameters, table, imports, timedCall, backend) {
  /** @type {WorkloadInfo} */
  const info = plan.workload_info;
  const [outer, inner] = levelJobs(info.parallel);
  const dataValues = planValues(plan.dataset ?? {});
  const forestValues = planValues(plan.forest);
  const seed = literal(dataValues.random_state ?? forestValues.random_state ?? "0");
  const cv = cvArgument(info, seed);
  const names = info.cv_repeats === undefined ? imports : ["RepeatedStratifiedKFold", ...imports];
  return [
    "from time import time",
    "from joblib import parallel_backend",
    "from matplotlib import pyplot",
    "from sklearn.ensemble import RandomForestClassifier",
    `from sklearn.model_selection import ${names.join(", ")}`,
    table ? tableSource(table) : dataSource(dataValues, parameters),
    "",
    `n_cores = [${plan.threads.join(", ")}]`,
    "results = []",
    "for k in n_cores:",
    `    model = ${forestCall(forestValues, parameters, inner, "    ")}`,
    "    start = time()",
    ...inBackend(backend, timedCall(cv, outer, info), "    "),
    "    results.append(time() - start)",
    "",
    "pyplot.plot(n_cores, results, '--bo')",
    "pyplot.xlabel('Number of cores')",
    "pyplot.ylabel('Run time (secs)')",
    "pyplot.show()",
  ].join("\n");
}

/**
 * Step 6: cross_val_score over the thread counts (sequel 1).
 * @param {Plan} plan
 * @param {Parameter[]} parameters
 * @param {TableChoice | null} table
 * @param {string} backend
 */
export function crossValSource(plan, parameters, table = null, backend = "threads") {
  return sequelSource(plan, parameters, table, ["cross_val_score"], (cv, jobs) => [
    "    scores = cross_val_score(",
    `        model, X, Y, scoring="accuracy",`,
    `        ${cv},`,
    `        n_jobs=${jobs},`,
    "    )",
  ], backend).concat("\nprint(f'accuracy {scores.mean():.3f}')");
}

/**
 * Step 7: GridSearchCV(...).fit over the thread counts (sequel 2), the refit included.
 * @param {Plan} plan
 * @param {Parameter[]} parameters
 * @param {TableChoice | null} table
 * @param {string} backend
 */
export function gridSearchSource(plan, parameters, table = null, backend = "threads") {
  return sequelSource(plan, parameters, table, ["GridSearchCV"], (cv, jobs, info) => [
    "    search = GridSearchCV(",
    `        model, ${gridLiteral(info.grid)},`,
    `        ${cv},`,
    `        n_jobs=${jobs},`,
    "    ).fit(X, Y)",
  ], backend).concat("\nprint(search.best_params_, f'{search.best_score_:.3f}')");
}
