// The experiment's parameters as the page holds them: form controls named with sklearn's
// names, filled from the URL query, written back to it so an experiment is a link.
// Values stay strings here, exactly as typed (an empty field included): the engine
// (check_experiment) reads them with the CLI's text readers and checks them, so the page and
// the CLI refuse the same text with the same words.

import { TEST_HOOKS } from "./sweep-runner.js";

/**
 * A parameter of the engine's registry (`parameters()`, kept in www/pkg/page-defaults.json):
 * sklearn's name, its group, the page's default and sklearn's as text, the CLI's placeholder
 * and the one-line help; whether a table replaces what it describes (the engine refuses it beside one).
 * @typedef {object} Parameter
 * @property {string} name
 * @property {"dataset" | "forest" | "workload"} group
 * @property {string} default
 * @property {string} sklearn_default
 * @property {string} value_name
 * @property {string} help
 * @property {boolean} replaced_by_table
 */

const MIN_CORES = 1;
const MAX_CORES = 64;

/**
 * Query keys that are switches for the page, not parameters of the experiment (workload: the
 * step autorun runs, sequels.js; backend: app.js; the test hooks of sweep-runner.js).
 */
const PAGE_KEYS = new Set(["autorun", "workload", "backend", ...TEST_HOOKS]);

/**
 * A core count the page can use: an integer in 1..64 (browsers may report 0, nothing, or too many).
 * @param {unknown} value
 */
export function clampCores(value) {
  const n = Math.trunc(Number(value));
  if (!Number.isFinite(n)) return MIN_CORES;
  return Math.min(MAX_CORES, Math.max(MIN_CORES, n));
}

/**
 * Whether reserving a core is set aside: on 2 cores it would leave a sweep of one point, which
 * cannot show a speed-up.
 * @param {unknown} cores
 * @param {boolean} reserve
 */
export function reserveSetAside(cores, reserve) {
  return reserve && clampCores(cores) === 2;
}

/**
 * Thread counts 1..cores, one core fewer when one is reserved — unless that leaves one thread
 * on a device with more (reserveSetAside) — never fewer than one.
 * @param {unknown} cores
 * @param {boolean} reserve
 */
export function threadRange(cores, reserve) {
  const reserved = reserve && !reserveSetAside(cores, reserve) ? 1 : 0;
  const top = Math.max(1, clampCores(cores) - reserved);
  return Array.from({ length: top }, (_, i) => i + 1);
}

/**
 * The legend of each registry group's fields in "All parameters".
 * @type {Record<string, string>}
 */
const GROUP_LEGENDS = {
  dataset: "make_classification",
  forest: "RandomForestClassifier",
  workload: "Cross-validation and grid search (steps 6 and 7)",
};

/**
 * A boolean parameter (its default is a boolean's text): a checkbox, as `bootstrap` is.
 * @param {Parameter} parameter
 */
function isBoolean({ default: value }) {
  return value === "true" || value === "false";
}

/**
 * One field of "All parameters": sklearn's name and the control (applyHints adds the help).
 * @param {Parameter} parameter
 */
function parameterField(parameter) {
  const label = document.createElement("label");
  const input = Object.assign(document.createElement("input"), { name: parameter.name });
  const name = Object.assign(document.createElement("span"), {
    className: "field__label",
    textContent: parameter.name,
  });
  if (isBoolean(parameter)) {
    label.className = "field field--check";
    input.type = "checkbox";
    label.append(input, name);
  } else {
    label.className = "field";
    Object.assign(input, { type: "text", autocomplete: "off", spellcheck: false });
    label.append(name, input);
  }
  return label;
}

/**
 * Adds to `container` ("All parameters") a field for every parameter of the engine's registry
 * that no step of the form shows, one fieldset per group, so that every parameter the engine
 * (and the CLI) takes can be typed and linked here. Throws for a group it has no words for: a
 * parameter the page cannot show is a page that does not start, not one silently missing.
 * @param {HTMLFormElement} form
 * @param {HTMLElement} container
 * @param {Parameter[]} parameters
 */
export function addParameterFields(form, container, parameters) {
  const missing = parameters.filter((p) => form.elements.namedItem(p.name) === null);
  for (const group of new Set(missing.map((p) => p.group))) {
    const legend = GROUP_LEGENDS[group];
    if (legend === undefined) throw new Error(`no place on the page for the parameters of group ${group}`);
    const fieldset = Object.assign(document.createElement("fieldset"), { className: "fields" });
    fieldset.append(Object.assign(document.createElement("legend"), { textContent: legend }));
    fieldset.append(...missing.filter((p) => p.group === group).map(parameterField));
    container.append(fieldset);
  }
}

/**
 * Gives every control named by a parameter of the engine's registry (`parameters()`) the blog
 * experiment's value as its value and its default, so that the form, the link (which writes
 * only values that differ from the defaults) and the CLI's defaults are one definition.
 * @param {HTMLFormElement} form
 * @param {Parameter[]} parameters
 */
export function applyDefaults(form, parameters) {
  for (const { name, default: value } of parameters) {
    const el = form.elements.namedItem(name);
    if (el instanceof HTMLSelectElement) {
      for (const option of el.options) option.selected = option.defaultSelected = option.value === value;
    } else if (el instanceof HTMLInputElement) {
      if (el.type === "checkbox") el.checked = el.defaultChecked = value === "true";
      else el.value = el.defaultValue = value;
    }
  }
}

/**
 * Writes the registry's one-line help under each control of a parameter (the same words as the
 * CLI's --help), and makes it the control's description for screen readers.
 * @param {HTMLFormElement} form
 * @param {Parameter[]} parameters
 */
export function applyHints(form, parameters) {
  for (const { name, help } of parameters) {
    const el = form.elements.namedItem(name);
    const label = el instanceof HTMLElement ? el.closest("label") : null;
    if (!help || !(el instanceof HTMLElement) || !label || label.querySelector(".field__hint")) continue;
    const hint = Object.assign(document.createElement("span"), {
      className: "field__hint",
      id: `${name}-hint`,
      textContent: help,
    });
    label.append(hint);
    el.setAttribute("aria-describedby", hint.id);
  }
}

/**
 * Sets every form control named in `fields` (`[[name, text], …]`: a result's experiment).
 * @param {HTMLFormElement} form
 * @param {[string, string][]} fields
 */
export function applyFields(form, fields) {
  for (const [name, value] of fields) {
    const el = form.elements.namedItem(name);
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) setControl(el, value);
  }
}

/**
 * The form controls that carry a parameter (those with a name).
 * @param {HTMLFormElement} form
 * @returns {(HTMLInputElement | HTMLSelectElement)[]}
 */
function paramControls(form) {
  // Step 2's choice of data and its file controls are the page's, not the experiment's.
  return [...form.elements].filter(
    /** @returns {el is HTMLInputElement | HTMLSelectElement} */
    (el) =>
      (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) &&
      el.name !== "" &&
      !el.closest("[data-page-controls]"),
  );
}

/** @param {HTMLInputElement | HTMLSelectElement} el */
function currentValue(el) {
  if (el.type !== "checkbox") return el.value.trim();
  // A value from the URL that is neither true nor false is kept as typed, for the engine to reject.
  return el.dataset.raw ?? (el.checked ? "true" : "false");
}

/** @param {HTMLInputElement | HTMLSelectElement} el */
function defaultValue(el) {
  if (el instanceof HTMLSelectElement) return [...el.options].find((o) => o.defaultSelected)?.value ?? "";
  return el.type === "checkbox" ? String(el.defaultChecked) : el.defaultValue.trim();
}

/**
 * The parameters as a flat object of strings, sklearn's names as keys. An empty field is sent
 * as "": the engine refuses it, naming the parameter (max_depth reads it as None).
 * @param {HTMLFormElement} form
 */
export function readForm(form) {
  /** @type {Record<string, string>} */
  const values = {};
  for (const el of paramControls(form)) values[el.name] = currentValue(el);
  return values;
}

/**
 * Sets a control from a string, as it comes from a URL.
 * @param {HTMLInputElement | HTMLSelectElement} el
 * @param {string} value
 */
function setControl(el, value) {
  if (el instanceof HTMLSelectElement) {
    // A value that is none of the choices is kept as linked, for the engine to refuse in its words.
    if (![...el.options].some((option) => option.value === value)) el.add(new Option(value, value));
    el.value = value;
    return;
  }
  if (el.type !== "checkbox") {
    el.value = value;
    return;
  }
  delete el.dataset.raw;
  // The engine's words for a boolean: true or false, in any case (Python's True, False).
  const word = value.toLowerCase();
  if (word === "true") el.checked = true;
  else if (word === "false") el.checked = false;
  else el.dataset.raw = value;
}

/**
 * Forgets a URL value that did not fit a checkbox, once the user touches it.
 * @param {HTMLElement} el
 */
export function clearRawValue(el) {
  delete el.dataset.raw;
}

/**
 * Copies the query parameters into the form. Returns whether the sweep should start on load,
 * the keys that name no parameter (likely typos in a hand-made link) and all keys given.
 * @param {HTMLFormElement} form
 * @param {string} search
 */
export function applyQuery(form, search) {
  const query = new URLSearchParams(search);
  const unknown = [];
  for (const [name, value] of query) {
    if (PAGE_KEYS.has(name)) continue;
    const el = form.elements.namedItem(name);
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) setControl(el, value.trim());
    else unknown.push(name);
  }
  return { autorun: query.get("autorun") === "1", unknown, given: new Set(query.keys()) };
}

/**
 * The query string that reproduces the form: only the parameters that differ from the defaults.
 * @param {HTMLFormElement} form
 */
export function queryFromForm(form) {
  const query = new URLSearchParams();
  for (const el of paramControls(form)) {
    const value = currentValue(el);
    if (value !== defaultValue(el)) query.set(el.name, value);
  }
  const text = query.toString().replaceAll("%2C", ",");
  return text ? `?${text}` : "";
}
