//! `check_experiment`: the page's form (or a URL query) read into one checked plan, with the
//! CLI's text readers and the engine's estimate of what the run will take.

use js_sys::{Array, JSON, Object};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use coresweep::datasets::ClassificationParams;
use coresweep::forest::{ForestParams, MaxFeatures, MaxSamples};
use coresweep::plan::Request;

use crate::errors::{engine_error, js_error, to_plain};

/// A form value as the text it stands for: strings as typed into a form or a URL ("500",
/// "0.5", "sqrt", "None", "0.2,0.8"); numbers as Rust writes them (5 for 5.0, "NaN", "inf"),
/// booleans as "true"/"false", null as "None", arrays comma-separated.
fn form_text(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    if let Some(number) = value.as_f64() {
        return number.to_string();
    }
    if let Some(flag) = value.as_bool() {
        return flag.to_string();
    }
    if value.is_null() || value.is_undefined() {
        return "None".to_owned();
    }
    if Array::is_array(value) {
        return Array::from(value)
            .iter()
            .map(|item| form_text(&item))
            .collect::<Vec<_>>()
            .join(",");
    }
    JSON::stringify(value).map_or_else(|_| String::new(), String::from)
}

/// The experiment's plan, as returned to the page.
#[derive(Serialize)]
struct Plan {
    dataset: ClassificationParams,
    forest: ForestParams,
    threads: Vec<usize>,
    repeats: usize,
    estimate: PlanEstimate,
}

/// What the run is expected to take ([`coresweep::budget::estimate`]): bytes of one worker's memory,
/// seconds of one fit on one thread, and a warning to show first when the sweep may take
/// minutes (`null` otherwise).
#[derive(Serialize)]
struct PlanEstimate {
    memory_bytes: u64,
    fit_seconds: f64,
    warning: Option<String>,
}

/// To sklearn the float 1.0 and the int 1 differ for `max_features` and `max_samples` (all
/// features or rows, or one), but JS numbers cannot keep them apart. The plan handed to JS says
/// `null` instead of 1.0, which sklearn treats the same (all features, all rows).
fn without_float_one(mut forest: ForestParams) -> ForestParams {
    if forest.max_features == MaxFeatures::Fraction(1.0) {
        forest.max_features = MaxFeatures::All;
    }
    if forest.max_samples == Some(MaxSamples::Fraction(1.0)) {
        forest.max_samples = None;
    }
    forest
}

/// Validates an experiment given as a flat object with sklearn's parameter names (values as
/// strings or numbers, as they come from a form or a URL) plus `threads` ("1,2", "all"),
/// `repeats` and `hardware_concurrency`, read by [`Request::from_text`] with the CLI's text
/// readers. Missing parameters take the blog experiment's values; `random_state` seeds both
/// the dataset and the forest; other keys are ignored.
///
/// Returns `{dataset, forest, threads, repeats, estimate}` with every field normalised, or
/// throws on the first problem with the same words as the CLI. `estimate` is
/// `{memory_bytes, fit_seconds, warning}`; a run whose memory estimate exceeds the wasm cap
/// (1 GiB), or half of `device_memory` when given (`navigator.deviceMemory`, GiB), is refused
/// ("n_estimators: too large: needs about … MiB, the limit is 1024 MiB").
#[wasm_bindgen]
pub fn check_experiment(params: &JsValue) -> Result<JsValue, JsValue> {
    let object = params
        .dyn_ref::<Object>()
        .ok_or_else(|| js_error("parameters: expected an object", None))?;
    let fields: Vec<(String, String)> = Object::entries(object)
        .iter()
        .map(|entry| {
            let entry = Array::from(&entry);
            (
                entry.get(0).as_string().unwrap_or_default(),
                form_text(&entry.get(1)),
            )
        })
        .collect();
    let request = Request::from_text(
        fields
            .iter()
            .map(|(key, text)| (key.as_str(), text.as_str())),
    )
    .map_err(engine_error)?;
    // Refused here, with the estimate and the limit, rather than by a trap in the worker.
    let plan = request.check().map_err(engine_error)?;
    let estimate = plan.estimate();
    to_plain(&Plan {
        dataset: plan.dataset().params().clone(),
        forest: without_float_one(plan.forest().params().clone()),
        estimate: PlanEstimate {
            memory_bytes: estimate.memory_bytes(),
            fit_seconds: estimate.fit_seconds,
            warning: plan.warning(),
        },
        threads: plan.threads().to_vec(),
        repeats: plan.repeats(),
    })
}
