//! `parameters()`: the engine's parameter registry as the page reads it, so the form's
//! controls and defaults, the Python snippets and the link's query are derived from the one
//! definition; `not_supported_parameter(name)` and `experiment_of(document)`: the registry's
//! refusal of sklearn's parameters the engine lacks, and a result's experiment as form values.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use coresweep::registry::{PARAMETERS, experiment_text, not_supported};

use crate::document::ResultsDocument;
use crate::errors::to_plain;

/// One parameter, as the page sees it.
#[derive(Serialize)]
struct PageParameter {
    name: &'static str,
    group: &'static str,
    /// The blog experiment's value, as the form shows it.
    default: String,
    /// sklearn's own default as a Python literal.
    sklearn_default: &'static str,
    /// The CLI's placeholder for the value (`W,…`, `F|random`): the kind of text it takes.
    value_name: &'static str,
    help: &'static str,
    /// Whether a table replaces what it describes: the engine refuses it beside a table.
    replaced_by_table: bool,
}

/// Every parameter of the dataset, the forest and the workload, in the registry's order:
/// `[{name, group: "dataset"|"forest"|"workload", default, sklearn_default, value_name, help,
/// replaced_by_table}, …]`.
#[wasm_bindgen]
pub fn parameters() -> Result<JsValue, JsValue> {
    let list: Vec<PageParameter> = PARAMETERS
        .iter()
        .map(|p| PageParameter {
            name: p.name,
            group: p.group.name(),
            default: p.default_text(),
            sklearn_default: p.sklearn_default,
            value_name: p.value_name,
            help: p.help,
            replaced_by_table: p.describes_generated_data(),
        })
        .collect();
    serde_wasm_bindgen::to_value(&list).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The engine's refusal of `name` when it is a parameter of sklearn's that coresweep does not
/// have (`max_leaf_nodes: not supported yet (…)`), else `undefined`.
#[wasm_bindgen]
pub fn not_supported_parameter(name: &str) -> Option<String> {
    not_supported(name).map(|error| error.to_string())
}

/// The experiment `document` records, as `[[name, text], …]` the form takes (its workload,
/// every parameter, the grid's `grid_<name>`, `threads`, `repeats`): what "Run the same
/// experiment here" fills the form with.
#[wasm_bindgen]
pub fn experiment_of(document: &ResultsDocument) -> Result<JsValue, JsValue> {
    to_plain(&experiment_text(&document.document))
}
