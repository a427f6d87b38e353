//! The page's results document (`coresweep-sweep/3`, of any workload and backend) as an engine object the page holds, so
//! that adding a point or deriving the speed-ups never goes through JSON text; text is read and
//! written only at the page's boundaries (files, links, storage).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use coresweep::parallel::Backend;
use coresweep::sweep::{
    COMPARISON_COLUMNS, Device, Quality, SweepDocument, caption_lines, comparison_rows,
    series_names,
};

use crate::errors::{engine_error, from_plain, js_error, to_plain};
use crate::plan::Plan;

/// A results document: this page's sweep, or one read from a file or a link.
#[wasm_bindgen]
pub struct ResultsDocument {
    pub(crate) document: SweepDocument,
}

#[wasm_bindgen]
impl ResultsDocument {
    /// A new document without points, for `engine` ("wasm"), created at `created_iso`, on
    /// `device` (`{label, user_agent, hardware_concurrency, device_memory_gb,
    /// cross_origin_isolated}`), for the experiment of `plan`, its workload included.
    #[wasm_bindgen(constructor)]
    pub fn new(
        engine: &str,
        created_iso: String,
        device: &JsValue,
        plan: &Plan,
    ) -> Result<ResultsDocument, JsValue> {
        let device: Device = from_plain(device, "device")?;
        let plan = &plan.plan;
        Ok(ResultsDocument {
            document: SweepDocument::for_plan(engine, created_iso, device, plan),
        })
    }

    /// Reads a results file (size limit and schema checks; points sorted, medians recomputed).
    pub fn from_json(text: &str) -> Result<ResultsDocument, JsValue> {
        Ok(ResultsDocument {
            document: SweepDocument::from_json(text).map_err(engine_error)?,
        })
    }

    /// Refuses a results file of `bytes` bytes, too large to be one, before it is read.
    pub fn check_length(bytes: f64) -> Result<(), JsValue> {
        SweepDocument::check_length(bytes as u64).map_err(engine_error)
    }

    /// The document as the CLI writes it: the text for files, links and storage.
    pub fn to_json(&self) -> String {
        self.document.to_json()
    }

    /// Adds the point of `threads` threads and its timed fits in seconds (replacing an earlier
    /// one of the same count); `hidden_during` true marks it as measured while the page was
    /// hidden.
    pub fn add_point(
        &mut self,
        threads: usize,
        fit_seconds: Vec<f64>,
        hidden_during: Option<bool>,
    ) {
        self.document.add_point(threads, fit_seconds);
        if hidden_during == Some(true) {
            self.document.mark_hidden_during(threads);
        }
    }

    /// Sets a fit's quality: the out-of-bag accuracy (`null`/`undefined`: not measured) and
    /// the forest's nodes.
    pub fn set_quality(&mut self, oob_accuracy: Option<f64>, total_nodes: Option<usize>) {
        self.document.quality.oob_accuracy = oob_accuracy;
        self.document.quality.total_nodes = total_nodes;
    }

    /// Records how the points ran in parallel: `"threads"` or `"workers"` (param `backend`).
    pub fn set_backend(&mut self, backend: &str) -> Result<(), JsValue> {
        self.document.backend = Backend::from_name(backend).map_err(engine_error)?;
        Ok(())
    }

    /// `"threads"` or `"workers"`: how the points ran in parallel.
    pub fn backend(&self) -> String {
        self.document.backend.name().to_owned()
    }

    /// Sets the quality of a cross-validation or grid search: the JSON text
    /// `Experiment.workload_quality()` gives.
    pub fn set_workload_quality(&mut self, quality_json: &str) -> Result<(), JsValue> {
        let quality: Quality = serde_json::from_str(quality_json)
            .map_err(|e| js_error(&format!("quality: {e}"), None))?;
        self.document.quality = quality;
        Ok(())
    }

    /// What the points time, as the chart labels it: `fit`, `cross-val (outer)`,
    /// `grid search (inner)`…: documents of different labels time different things.
    pub fn workload_label(&self) -> String {
        self.document.workload.label()
    }

    /// The data in a few words: `breast_cancer.csv (62dce411)` (a table's name and the start
    /// of its SHA-256) or `make_classification`.
    pub fn data_label(&self) -> String {
        self.document.data_label()
    }

    /// Whether `other` was fitted on the same data as this one (for tables: the same bytes,
    /// target and features, wherever the file was read), so that their times compare.
    pub fn same_table(&self, other: &ResultsDocument) -> bool {
        self.document.same_table(&other.document)
    }

    /// Whether the document holds any point yet.
    pub fn has_points(&self) -> bool {
        !self.document.points.is_empty()
    }

    /// Whether `other` holds the same result (the same file added twice, a link opened twice).
    pub fn same_as(&self, other: &ResultsDocument) -> bool {
        self.document == other.document
    }

    /// An independent copy, for calls that take documents over (`draw_chart`).
    pub fn copy(&self) -> ResultsDocument {
        ResultsDocument {
            document: self.document.clone(),
        }
    }

    /// The document as a plain object, in the shape of its JSON, for the page to show.
    pub fn view(&self) -> Result<JsValue, JsValue> {
        to_plain(&self.document)
    }

    /// `{names, caption, columns, rows}` of `documents` (the page's first; the call takes them
    /// over, so pass copies) from `sources` (as for `draw_chart`): each one's name in the chart,
    /// the lines under the chart (Amdahl's projection of the first, what each other one differs
    /// in), and the comparison table as text, one row per document: the CLI's words.
    pub fn comparison(
        documents: Vec<ResultsDocument>,
        sources: Vec<String>,
    ) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Comparison {
            names: Vec<String>,
            caption: Vec<String>,
            columns: [&'static str; COMPARISON_COLUMNS.len()],
            rows: Vec<Vec<String>>,
        }
        let documents: Vec<SweepDocument> = documents.into_iter().map(|doc| doc.document).collect();
        let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
        let names = series_names(&documents, &sources);
        to_plain(&Comparison {
            caption: caption_lines(&documents, &sources),
            rows: comparison_rows(&documents, &names),
            columns: COMPARISON_COLUMNS,
            names,
        })
    }

    /// `{speedups: [[k, s]…], efficiencies: [[k, e]…], serial_fraction}`: the numbers derived
    /// from the points, never stored.
    pub fn derived(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Derived {
            speedups: Vec<(usize, f64)>,
            efficiencies: Vec<(usize, f64)>,
            serial_fraction: Option<f64>,
        }
        to_plain(&Derived {
            speedups: self.document.speedups(),
            efficiencies: self.document.efficiencies(),
            serial_fraction: self.document.amdahl_serial_fraction(),
        })
    }
}
