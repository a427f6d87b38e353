//! The page's experiment, checked once: `check_experiment` reads the form (or a link's query)
//! with the CLI's text readers into the engine's one checked plan, which the page holds as a
//! [`Plan`] object and hands to its workers as exact JSON text.

use js_sys::{Array, JSON, Object};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use coresweep::plan::{self, Request};
use coresweep::sweep::WorkloadInfo;

use crate::device::apply_page_keys;
use crate::errors::{engine_error, js_error, to_plain};
use crate::table::BlobReader;

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

/// What the run is expected to take ([`coresweep::budget::estimate`]): bytes of one worker's
/// memory, seconds of one fit on one thread, of the whole sweep (every repeat of every thread
/// count), and a warning to show first when the sweep may take minutes (`null` otherwise).
#[derive(Serialize)]
struct PlanEstimate {
    memory_bytes: u64,
    fit_seconds: f64,
    sweep_seconds: f64,
    warning: Option<String>,
}

/// A checked experiment ([`coresweep::plan::Plan`]): what the page runs and its workers fit.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Plan {
    pub(crate) plan: plan::Plan,
}

#[wasm_bindgen]
impl Plan {
    /// Thread counts, in the order they run (a JS array).
    #[wasm_bindgen(getter)]
    pub fn threads(&self) -> Result<JsValue, JsValue> {
        to_plain(&self.plan.threads())
    }

    /// Timed fits per thread count.
    #[wasm_bindgen(getter)]
    pub fn repeats(&self) -> usize {
        self.plan.repeats()
    }

    /// What is timed: `"fit"`, `"cross_val_score"` or `"grid_search"`.
    #[wasm_bindgen(getter)]
    pub fn workload(&self) -> String {
        self.plan.workload().name().to_owned()
    }

    /// Trees one run of the workload grows, all folds and candidates (and the refit) together.
    #[wasm_bindgen(getter)]
    pub fn workload_trees(&self) -> usize {
        self.plan.workload_trees()
    }

    /// The workload as a results document records it, for display: `{kind, cv, cv_repeats,
    /// grid: {name: [values]}, parallel}` (a fit has the kind only).
    #[wasm_bindgen(getter)]
    pub fn workload_info(&self) -> Result<JsValue, JsValue> {
        to_plain(&WorkloadInfo::of(&self.plan))
    }

    /// The dataset's parameters, for display (sklearn's names).
    #[wasm_bindgen(getter)]
    pub fn dataset(&self) -> Result<JsValue, JsValue> {
        to_plain(&self.plan.dataset().map(|dataset| dataset.params()))
    }

    /// The forest's parameters, for display. A JS number cannot tell `1.0` (all features) from
    /// `1` (one): workers get the plan as [`to_json`](Self::to_json) text, never these.
    #[wasm_bindgen(getter)]
    pub fn forest(&self) -> Result<JsValue, JsValue> {
        to_plain(self.plan.forest().params())
    }

    /// `{memory_bytes, fit_seconds, sweep_seconds, warning}`.
    #[wasm_bindgen(getter)]
    pub fn estimate(&self) -> Result<JsValue, JsValue> {
        let estimate = self.plan.estimate();
        to_plain(&PlanEstimate {
            memory_bytes: estimate.memory_bytes(),
            fit_seconds: estimate.fit_seconds,
            sweep_seconds: estimate.sweep_seconds(self.plan.threads(), self.plan.repeats()),
            warning: self.plan.warning(),
        })
    }

    /// The same experiment fitted once on one thread (the page's one-fit step).
    pub fn one_fit(&self) -> Result<Plan, JsValue> {
        Ok(Plan {
            plan: self.plan.one_fit().map_err(engine_error)?,
        })
    }

    /// The plan as exact JSON text, for postMessage to a worker.
    pub fn to_json(&self) -> String {
        self.plan.to_json()
    }

    /// Reads a plan written by [`to_json`](Self::to_json), checking it again.
    pub fn from_json(text: &str) -> Result<Plan, JsValue> {
        Ok(Plan {
            plan: plan::Plan::from_json(text).map_err(engine_error)?,
        })
    }

    /// Reads a plan on a table written by [`to_json`](Self::to_json) with the table's `file`,
    /// streamed slice by slice (a worker's `FileReaderSync`), checking it again: the file's
    /// bytes must hash to the planned SHA-256. Worker only.
    pub fn from_json_with_file(text: &str, file: &web_sys::Blob) -> Result<Plan, JsValue> {
        let file = file.clone();
        let length = file.size() as u64;
        Ok(Plan {
            plan: plan::Plan::from_json_with_reader(text, length, move || {
                BlobReader::new(file.clone())
            })
            .map_err(engine_error)?,
        })
    }

    /// The table's record (`{name, n_rows, n_features, bytes, sha256, target, features,
    /// classes, class_counts}`), or null for generated data.
    #[wasm_bindgen(getter)]
    pub fn table(&self) -> Result<JsValue, JsValue> {
        to_plain(&self.plan.table_info())
    }
}

/// Validates an experiment given as a flat object with sklearn's parameter names (values as
/// strings or numbers, as they come from a form or a URL) plus `threads` ("1,2", "all"),
/// `repeats`, read by [`Request::from_text`] with the CLI's text readers and checked by
/// [`Request::check`], as the CLI checks its flags; and the page's own `hardware_concurrency`
/// and `device_memory` (`device.rs`: the page's policy of what a run may take).
/// Missing parameters take the blog experiment's values; `random_state` seeds both the dataset
/// and the forest; other keys are ignored.
///
/// Returns the [`Plan`], or throws on the first problem with the same words as the CLI; a run
/// whose memory estimate exceeds the wasm cap (1 GiB), or half of `device_memory` when given
/// (`navigator.deviceMemory`, GiB), is refused ("n_estimators: too large: needs about … MiB,
/// the limit is 1024 MiB").
#[wasm_bindgen]
pub fn check_experiment(params: &JsValue) -> Result<Plan, JsValue> {
    Ok(Plan {
        plan: form_request(params)?.check().map_err(engine_error)?,
    })
}

/// A flat object of form values ([`form_text`]) read by [`Request::from_text`] and the page's
/// own keys, unchecked.
pub(crate) fn form_request(params: &JsValue) -> Result<Request, JsValue> {
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
    let fields = || {
        fields
            .iter()
            .map(|(key, text)| (key.as_str(), text.as_str()))
    };
    let mut request = Request::from_text(fields()).map_err(engine_error)?;
    apply_page_keys(&mut request, fields()).map_err(engine_error)?;
    Ok(request)
}

/// Reads the page's `backend` key: `"threads"` or `"workers"`, else the engine's error naming
/// `backend` (the same words as everywhere).
#[wasm_bindgen]
pub fn check_backend(text: &str) -> Result<String, JsValue> {
    coresweep::parallel::Backend::from_name(text)
        .map(|backend| backend.name().to_owned())
        .map_err(engine_error)
}
