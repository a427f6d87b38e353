//! `parameters()`: the engine's parameter registry as the page reads it, so the form's
//! defaults, the Python snippets and the link's query are derived from the one definition.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use coresweep::registry::PARAMETERS;

/// One parameter, as the page sees it.
#[derive(Serialize)]
struct PageParameter {
    name: &'static str,
    group: &'static str,
    /// The blog experiment's value, as the form shows it.
    default: String,
    /// sklearn's own default as a Python literal.
    sklearn_default: &'static str,
    help: &'static str,
}

/// Every parameter of the dataset and the forest, in the registry's order:
/// `[{name, group: "dataset"|"forest", default, sklearn_default, help}, …]`.
#[wasm_bindgen]
pub fn parameters() -> Result<JsValue, JsValue> {
    let list: Vec<PageParameter> = PARAMETERS
        .iter()
        .map(|p| PageParameter {
            name: p.name,
            group: p.group.name(),
            default: p.default_text(),
            sklearn_default: p.sklearn_default,
            help: p.help,
        })
        .collect();
    serde_wasm_bindgen::to_value(&list).map_err(|e| JsValue::from_str(&e.to_string()))
}
