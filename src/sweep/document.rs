//! The results document (`coresweep-sweep/3`): what was run (dataset, forest and workload),
//! where (the device) and how in parallel (the backend), the measured times per thread count
//! and the model's quality; written and read as JSON by both faces, checked field by field on
//! the way in. A `coresweep-sweep/1` document (from before the sequels) is read as a `fit`
//! workload; `/1` and `/2` documents (from before the workers backend) as `threads`.
//!
//! The data is either `make_classification`'s (`dataset`: its parameters) or the user's table
//! (`table`: its name, shape, SHA-256, target and classes, never its values); a document has
//! exactly one of them. Documents before tables always have `dataset`, and still read.

use serde::{Deserialize, Serialize};

use super::Outcome;
use super::stats::median;
use crate::Error;
use crate::datasets::{ClassificationParams, TableInfo, ValidClassificationParams};
use crate::forest::{ForestParams, ValidForestParams};
use crate::model_selection::{Parallel, check_n_splits, parameter_grid};
use crate::numeric::mean;
use crate::parallel::Backend;
use crate::plan::{
    MAX_THREADS, Plan, Workload, check_cv_repeats, check_grid, check_repeats, check_threads,
};
use crate::registry::{Parameters, json_value};

/// The `schema` value of every results document this version writes.
pub const SCHEMA: &str = "coresweep-sweep/3";

/// The schema before backends: still read, as the `threads` backend.
pub const SCHEMA_V2: &str = "coresweep-sweep/2";

/// The schema before workloads: still read, as a `fit` workload.
pub const SCHEMA_V1: &str = "coresweep-sweep/1";

/// The largest results document [`SweepDocument::from_json`] reads (4 MiB).
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// Fit times a document may hold: from a nanosecond to thirty years. The bounds keep medians,
/// speed-ups and chart ranges finite (the median of two 1e308 s fits would overflow).
const FIT_SECONDS_RANGE: std::ops::RangeInclusive<f64> = 1e-9..=1e9;

/// One core-count experiment and its measurements, as saved to and read from JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepDocument {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Which build ran the sweep: `"native"` (the CLI) or `"wasm"` (the page).
    pub engine: String,
    /// The coresweep version that ran it.
    pub version: String,
    /// When the sweep ran (ISO-8601).
    pub created: String,
    /// The machine or browser it ran on.
    pub device: Device,
    /// The `make_classification` parameters of the training data; `None` for a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<ClassificationParams>,
    /// The user's table the forest was fitted on; `None` for generated data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TableInfo>,
    /// The `RandomForestClassifier` parameters.
    pub forest: ForestParams,
    /// What was timed: a fit, a cross-validation or a grid search, and how.
    pub workload: WorkloadInfo,
    /// How the work ran in parallel: threads sharing memory, or workers each with a copy.
    pub backend: Backend,
    /// One point per thread count, sorted by thread count.
    pub points: Vec<Point>,
    /// Model quality, measured outside the timed fits.
    pub quality: Quality,
}

/// Where a sweep ran. Only the label is required; the page fills in what the browser tells.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Free text chosen by the user ("my laptop"); names the series in charts.
    pub label: String,
    /// The browser's `navigator.userAgent`.
    #[serde(default)]
    pub user_agent: Option<String>,
    /// Logical cores reported by the browser or the operating system.
    #[serde(default)]
    pub hardware_concurrency: Option<u32>,
    /// The browser's `navigator.deviceMemory`, in GB.
    #[serde(default)]
    pub device_memory_gb: Option<f64>,
    /// Whether the page was cross-origin isolated (threads need it).
    #[serde(default)]
    pub cross_origin_isolated: Option<bool>,
}

impl Device {
    /// A device known only by its label.
    pub fn labelled(label: &str) -> Self {
        Device {
            label: label.to_string(),
            ..Device::default()
        }
    }
}

/// The timed fits at one thread count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Size of the thread pool the fits ran in.
    pub threads: usize,
    /// Wall-clock seconds of each repeat of `fit`, in the order they ran.
    pub fit_seconds: Vec<f64>,
    /// The median of `fit_seconds`.
    pub median_seconds: f64,
    /// The page was hidden (a background tab) during some of these fits, so browsers may have
    /// slowed them. Written only when true; documents without it stay valid.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden_during: bool,
}

/// What a document's points time: the workload and its parameters (none for a fit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadInfo {
    /// `fit`, `cross_val_score` or `grid_search`.
    pub kind: Workload,
    /// Folds per repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv: Option<usize>,
    /// Repeats of the folds (`None`: sklearn's `cv=N`, no repeats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv_repeats: Option<usize>,
    /// The grid searched: each forest parameter and its values, as Python literals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<serde_json::Map<String, serde_json::Value>>,
    /// Where the threads went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<Parallel>,
}

impl WorkloadInfo {
    /// The workload of `plan` as a document records it.
    pub fn of(plan: &Plan) -> Self {
        if plan.workload() == Workload::Fit {
            return WorkloadInfo::default();
        }
        let w = plan.model_selection();
        let grid = (plan.workload() == Workload::GridSearch).then(|| {
            plan.grid()
                .iter()
                .map(|(name, values)| {
                    let values = values.iter().map(|v| json_value(v)).collect();
                    (name.clone(), serde_json::Value::Array(values))
                })
                .collect()
        });
        WorkloadInfo {
            kind: plan.workload(),
            cv: Some(w.cv),
            cv_repeats: w.cv_repeats,
            grid,
            parallel: Some(w.parallel),
        }
    }

    /// Checks the workload's parameters with the plan's own rules ([`check_n_splits`],
    /// [`check_cv_repeats`], [`check_grid`]).
    fn check(&self, n_samples: usize) -> Result<(), String> {
        if self.kind == Workload::Fit {
            return match (self.cv, self.cv_repeats, &self.grid, self.parallel) {
                (None, None, None, None) => Ok(()),
                _ => Err("a fit has no cv, cv_repeats, grid or parallel".to_owned()),
            };
        }
        let cv = self.cv.ok_or("cv: missing")?;
        check_n_splits(cv, n_samples).map_err(|e| e.to_string())?;
        check_cv_repeats(self.cv_repeats).map_err(|e| e.to_string())?;
        self.parallel.ok_or("parallel: missing")?;
        match (&self.grid, self.kind) {
            (Some(grid), Workload::GridSearch) => check_recorded_grid(grid),
            (None, Workload::CrossValScore) => Ok(()),
            _ => Err("grid: given for a grid search, and only for one".to_owned()),
        }
    }

    /// Folds in all, and candidates (1 without a grid).
    fn sizes(&self) -> (usize, usize) {
        let folds = self.cv.unwrap_or(0) * self.cv_repeats.unwrap_or(1);
        let candidates = self.grid.as_ref().map_or(1, |grid| {
            grid.values()
                .map(|v| v.as_array().map_or(0, Vec::len))
                .product()
        });
        (folds, candidates)
    }

    /// The label a chart gives a series of this workload: `grid search (outer)`.
    pub fn label(&self) -> String {
        let kind = match self.kind {
            Workload::Fit => return "fit".to_owned(),
            Workload::CrossValScore => "cross-val",
            Workload::GridSearch => "grid search",
        };
        match self.parallel {
            Some(level) => format!("{kind} ({})", level.name()),
            None => kind.to_owned(),
        }
    }
}

/// A recorded grid ([`check_grid`]): each value a Python literal (`"sqrt"`, `null` for
/// `None`, a number) the registry reads back.
fn check_recorded_grid(grid: &serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
    let mut given = Vec::new();
    for (name, values) in grid {
        let values = values
            .as_array()
            .ok_or_else(|| format!("grid: {name}: expected a list of values"))?;
        let texts = values.iter().map(|value| match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Null => "None".to_owned(),
            other => other.to_string(),
        });
        given.push((name.clone(), texts.collect()));
    }
    check_grid(&Parameters::default(), given)
        .map(|_| ())
        .map_err(|e| match e.parameter() {
            Some("grid") => e.to_string(),
            _ => format!("grid: {e}"),
        })
}

/// Model quality, measured outside the timed runs: of the swept forest for a fit, of the
/// folds for cross-validation, of the candidates for a grid search.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Out-of-bag accuracy (`None` without bootstrap).
    pub oob_accuracy: Option<f64>,
    /// Accuracy on a held-out split (`None` when no split was asked for).
    pub holdout_accuracy: Option<f64>,
    /// Cross-validation: each fold's accuracy, in sklearn's split order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv_scores: Option<Vec<f64>>,
    /// Cross-validation: their mean (numpy's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv_mean_score: Option<f64>,
    /// Grid search: each candidate's mean score, in `ParameterGrid` order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_test_score: Option<Vec<f64>>,
    /// Grid search: the best candidate's parameters, as Python literals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_params: Option<serde_json::Map<String, serde_json::Value>>,
    /// Grid search: the best candidate's mean score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_score: Option<f64>,
    /// A fit: the nodes of all the forest's trees (the same forest whatever the threads,
    /// workers or backend; sklearn's `sum(t.tree_.node_count for t in forest.estimators_)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_nodes: Option<usize>,
}

impl Quality {
    /// Records what a run of the workload of `plan` found: the out-of-bag accuracy of a fit;
    /// the fold scores and their mean of a cross-validation; the candidates' mean scores, the
    /// best candidate's parameters (as Python literals) and score of a grid search.
    pub fn record(&mut self, outcome: &Outcome, plan: &Plan) {
        match outcome {
            Outcome::Fit {
                oob_accuracy,
                total_nodes,
            } => {
                self.oob_accuracy = *oob_accuracy;
                self.total_nodes = *total_nodes;
            }
            Outcome::CrossValScore { scores } => {
                self.cv_mean_score = Some(mean(scores));
                self.cv_scores = Some(scores.clone());
            }
            Outcome::GridSearch(search) => {
                let candidates = parameter_grid(plan.grid());
                let best = candidates[search.best_index]
                    .iter()
                    .map(|(name, value)| (name.clone(), json_value(value)))
                    .collect();
                self.best_params = Some(best);
                self.best_score = Some(search.best_score);
                self.mean_test_score = Some(search.mean_test_score.clone());
            }
        }
    }
}

impl SweepDocument {
    /// An empty document (no points yet) for `engine` (`"native"` or `"wasm"`) of an
    /// experiment with checked parameters (`dataset` `None` for a table, which
    /// [`SweepDocument::for_plan`] records).
    pub fn new(
        engine: &str,
        created: String,
        device: Device,
        dataset: Option<&ValidClassificationParams>,
        forest: &ValidForestParams,
    ) -> Self {
        SweepDocument {
            schema: SCHEMA.to_string(),
            engine: engine.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            created,
            device,
            dataset: dataset.map(|dataset| dataset.params().clone()),
            table: None,
            forest: forest.params().clone(),
            workload: WorkloadInfo::default(),
            backend: Backend::Threads,
            points: Vec::new(),
            quality: Quality::default(),
        }
    }

    /// An empty document of the experiment of `plan`, its workload and table included.
    pub fn for_plan(engine: &str, created: String, device: Device, plan: &Plan) -> Self {
        SweepDocument {
            workload: WorkloadInfo::of(plan),
            table: plan.table_info().cloned(),
            ..SweepDocument::new(engine, created, device, plan.dataset(), plan.forest())
        }
    }

    /// Whether `other` was fitted on the same table as this one, so that their times compare:
    /// the same bytes (SHA-256), target and features, wherever the file was read. Two documents
    /// on `make_classification`'s data count as the same here: their parameters, recorded in
    /// full, say how they differ.
    pub fn same_table(&self, other: &SweepDocument) -> bool {
        match (&self.table, &other.table) {
            (Some(a), Some(b)) => {
                (&a.sha256, &a.target, &a.features) == (&b.sha256, &b.target, &b.features)
            }
            (None, None) => true,
            _ => false,
        }
    }

    /// The data in a few words, for a chart's legend: `breast_cancer.csv (62dce411)` (the
    /// table's name and the start of its SHA-256), or `make_classification`.
    pub fn data_label(&self) -> String {
        match &self.table {
            Some(table) => {
                let start = table.sha256.get(..8).unwrap_or(&table.sha256);
                format!("{} ({start})", table.name)
            }
            None => "make_classification".to_owned(),
        }
    }

    /// Records the fit times measured with `threads` threads, replacing an earlier point with
    /// the same thread count, and keeps the points sorted.
    pub fn add_point(&mut self, threads: usize, fit_seconds: Vec<f64>) {
        let point = Point {
            threads,
            median_seconds: median(&fit_seconds),
            fit_seconds,
            hidden_during: false,
        };
        match self.points.binary_search_by_key(&threads, |p| p.threads) {
            Ok(i) => self.points[i] = point,
            Err(i) => self.points.insert(i, point),
        }
    }

    /// Marks the `threads` point as measured while the page was hidden (no such point: no change).
    pub fn mark_hidden_during(&mut self, threads: usize) {
        if let Some(point) = self.points.iter_mut().find(|p| p.threads == threads) {
            point.hidden_during = true;
        }
    }

    /// Refuses a document of `bytes` bytes, larger than [`MAX_DOCUMENT_BYTES`], before it is
    /// read (a page checks a file's size first: a table dropped by mistake is not read whole).
    ///
    /// ```
    /// use coresweep::sweep::SweepDocument;
    /// assert!(SweepDocument::check_length(1000).is_ok());
    /// assert_eq!(SweepDocument::check_length(50 << 20).unwrap_err().to_string(),
    ///     "results file: is 52428800 bytes, the limit is 4194304 bytes (4 MiB)");
    /// ```
    pub fn check_length(bytes: u64) -> Result<(), Error> {
        if bytes > MAX_DOCUMENT_BYTES as u64 {
            return Err(invalid(format!(
                "is {bytes} bytes, the limit is {MAX_DOCUMENT_BYTES} bytes (4 MiB)"
            )));
        }
        Ok(())
    }

    /// Reads a document, refusing anything larger than [`MAX_DOCUMENT_BYTES`], of another
    /// schema, or with values no sweep can produce. The result is normalised: points sorted by
    /// thread count, medians recomputed from the fit times.
    pub fn from_json(text: &str) -> Result<SweepDocument, Error> {
        SweepDocument::check_length(text.len() as u64)?;
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| invalid(format!("is not valid JSON: {e}")))?;
        let serde_json::Value::Object(mut fields) = value else {
            return Err(invalid(format!("schema: missing, expected \"{SCHEMA}\"")));
        };
        // The schema first, so a foreign file is named as such rather than by its first odd field.
        let (v1, before_backends) = read_schema(fields.remove("schema"))?;
        // Decoded part by part so that every error names the part it is about.
        let dataset = fields
            .remove("dataset")
            .map(|v| decode(v, "dataset"))
            .transpose()?;
        let table = fields
            .remove("table")
            .map(|v| decode(v, "table"))
            .transpose()?;
        let mut take = |name: &str| {
            fields
                .remove(name)
                .ok_or_else(|| invalid(format!("{name}: missing")))
        };
        let points = read_points(take("points")?)?;
        let (engine, version, created, device, forest) = (
            decode(take("engine")?, "engine")?,
            decode(take("version")?, "version")?,
            decode(take("created")?, "created")?,
            decode(take("device")?, "device")?,
            decode(take("forest")?, "forest")?,
        );
        let workload: WorkloadInfo = if v1 {
            WorkloadInfo::default()
        } else {
            decode(take("workload")?, "workload")?
        };
        let backend = if before_backends {
            Backend::Threads
        } else {
            decode(take("backend")?, "backend")?
        };
        let quality = read_quality(take("quality")?, workload.kind)?;
        let mut doc = SweepDocument {
            schema: SCHEMA.to_string(),
            engine,
            version,
            created,
            device,
            dataset,
            table,
            forest,
            workload,
            backend,
            points,
            quality,
        };
        doc.normalise()?;
        // Normalising can lengthen a document ("1" becomes "1.0", medians are recomputed):
        // refuse one that could not be written back within the limit and read again.
        let written = serde_json::to_string(&doc).map_or(usize::MAX, |text| text.len());
        if written > MAX_DOCUMENT_BYTES {
            return Err(invalid(format!(
                "would be {written} bytes once normalised, the limit is {MAX_DOCUMENT_BYTES} bytes (4 MiB)"
            )));
        }
        Ok(doc)
    }

    /// Checks every value and sorts the points; the messages name the offending field.
    fn normalise(&mut self) -> Result<(), Error> {
        let n_samples = self.check_data()?;
        self.forest
            .check()
            .map_err(|e| invalid(format!("forest.{e}")))?;
        self.normalise_points()?;
        self.workload
            .check(n_samples)
            .map_err(|e| invalid(format!("workload.{e}")))?;
        self.check_quality()
    }

    /// Checks the data's parameters or table, exactly one of them; returns its rows.
    fn check_data(&self) -> Result<usize, Error> {
        match (&self.dataset, &self.table) {
            (Some(dataset), None) => {
                dataset
                    .check()
                    .map_err(|e| invalid(format!("dataset.{e}")))?;
                Ok(dataset.n_samples)
            }
            (None, Some(table)) => {
                table.check().map_err(|e| invalid(format!("table.{e}")))?;
                Ok(table.n_rows)
            }
            _ => Err(invalid(
                "dataset, table: expected exactly one (the data's parameters or its table)"
                    .to_owned(),
            )),
        }
    }

    /// Checks each point with the plan's rules ([`check_threads`], [`check_repeats`]) and its
    /// times, recomputes the medians and sorts the points by thread count, each count once.
    fn normalise_points(&mut self) -> Result<(), Error> {
        for (i, point) in self.points.iter_mut().enumerate() {
            check_threads(point.threads).map_err(|e| invalid(format!("points[{i}].{e}")))?;
            check_repeats(point.fit_seconds.len()).map_err(|e| {
                invalid(format!(
                    "points[{i}].fit_seconds: holds one value per repeat; {e}"
                ))
            })?;
            if let Some(bad) = point
                .fit_seconds
                .iter()
                .find(|s| !(FIT_SECONDS_RANGE.contains(*s)))
            {
                return Err(invalid(format!(
                    "points[{i}].fit_seconds: must be in [1e-9, 1e9] seconds, got {bad}"
                )));
            }
            point.median_seconds = median(&point.fit_seconds);
        }
        self.points.sort_by_key(|p| p.threads);
        match self
            .points
            .windows(2)
            .find(|w| w[0].threads == w[1].threads)
        {
            Some(pair) => Err(invalid(format!(
                "points: thread count {} appears more than once",
                pair[0].threads
            ))),
            None => Ok(()),
        }
    }

    /// Checks the quality's values against the workload (which fields it may hold was decided
    /// by its type when read, [`read_quality`]): as many scores as folds or candidates, at
    /// least a node per tree, accuracies in [0, 1], best parameters of the forest's.
    fn check_quality(&self) -> Result<(), Error> {
        let q = &self.quality;
        let (folds, candidates) = self.workload.sizes();
        for (name, values, len) in [
            ("quality.cv_scores", &q.cv_scores, folds),
            ("quality.mean_test_score", &q.mean_test_score, candidates),
        ] {
            if let Some(values) = values.as_ref().filter(|v| v.len() != len) {
                return Err(invalid(format!(
                    "{name}: expected {len} values for this workload, got {}",
                    values.len()
                )));
            }
        }
        if let Some(nodes) = q.total_nodes.filter(|&n| n < self.forest.n_estimators) {
            return Err(invalid(format!(
                "quality.total_nodes: a forest of {} trees has at least as many nodes, got {nodes}",
                self.forest.n_estimators
            )));
        }
        let scores = q.cv_scores.iter().chain(&q.mean_test_score).flatten();
        for (name, value) in [
            ("quality.oob_accuracy", q.oob_accuracy),
            ("quality.holdout_accuracy", q.holdout_accuracy),
            ("quality.cv_mean_score", q.cv_mean_score),
            ("quality.best_score", q.best_score),
        ]
        .into_iter()
        .chain(scores.map(|v| ("quality scores", Some(*v))))
        {
            if let Some(v) = value.filter(|v| !(0.0..=1.0).contains(v)) {
                return Err(invalid(format!("{name}: must be in [0, 1], got {v}")));
            }
        }
        if let Some(best) = &q.best_params {
            let as_grid = best
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::json!([v])))
                .collect();
            check_recorded_grid(&as_grid)
                .map_err(|e| invalid(format!("quality.best_params: {e}")))?;
        }
        Ok(())
    }

    /// The document as pretty-printed JSON, or compact when the pretty form would exceed
    /// [`MAX_DOCUMENT_BYTES`] (so that whatever `from_json` accepts is written back readable).
    pub fn to_json(&self) -> String {
        let pretty = serde_json::to_string_pretty(self).expect("a SweepDocument always serialises");
        if pretty.len() <= MAX_DOCUMENT_BYTES {
            return pretty;
        }
        serde_json::to_string(self).expect("a SweepDocument always serialises")
    }
}

/// Which schema a document is of: (`/1`, before workloads; before backends, `/1` or `/2`).
fn read_schema(schema: Option<serde_json::Value>) -> Result<(bool, bool), Error> {
    match schema {
        Some(serde_json::Value::String(s)) if s == SCHEMA => Ok((false, false)),
        Some(serde_json::Value::String(s)) if s == SCHEMA_V2 => Ok((false, true)),
        Some(serde_json::Value::String(s)) if s == SCHEMA_V1 => Ok((true, true)),
        Some(other) => Err(invalid(format!(
            "schema: expected \"{SCHEMA}\", got {other}"
        ))),
        None => Err(invalid(format!("schema: missing, expected \"{SCHEMA}\""))),
    }
}

/// A document's points, at most [`MAX_THREADS`]; errors name the point (`points[2]`).
fn read_points(points: serde_json::Value) -> Result<Vec<Point>, Error> {
    match points {
        serde_json::Value::Array(points) if points.len() > MAX_THREADS => Err(invalid(format!(
            "points: {} points, at most {MAX_THREADS} are allowed",
            points.len()
        ))),
        serde_json::Value::Array(points) => points
            .into_iter()
            .enumerate()
            .map(|(i, point)| decode(point, &format!("points[{i}]")))
            .collect(),
        other => Err(invalid(format!("points: expected a list, got {other}"))),
    }
}

/// The quality a fit records: its forest's out-of-bag accuracy, hold-out accuracy and nodes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FitQuality {
    oob_accuracy: Option<f64>,
    holdout_accuracy: Option<f64>,
    #[serde(default)]
    total_nodes: Option<usize>,
}

/// The quality a cross-validation records: its fold scores and their mean.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrossValQuality {
    oob_accuracy: Option<f64>,
    holdout_accuracy: Option<f64>,
    #[serde(default)]
    cv_scores: Option<Vec<f64>>,
    #[serde(default)]
    cv_mean_score: Option<f64>,
}

/// The quality a grid search records: each candidate's mean score, the best one's parameters
/// and score.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GridSearchQuality {
    oob_accuracy: Option<f64>,
    holdout_accuracy: Option<f64>,
    #[serde(default)]
    mean_test_score: Option<Vec<f64>>,
    #[serde(default)]
    best_params: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    best_score: Option<f64>,
}

/// Reads a document's `quality` by the type of its `workload`, so that a field another
/// workload records (a fit's `mean_test_score`) is refused, named.
fn read_quality(value: serde_json::Value, workload: Workload) -> Result<Quality, Error> {
    Ok(match workload {
        Workload::Fit => {
            let q: FitQuality = decode(value, "quality")?;
            Quality {
                oob_accuracy: q.oob_accuracy,
                holdout_accuracy: q.holdout_accuracy,
                total_nodes: q.total_nodes,
                ..Quality::default()
            }
        }
        Workload::CrossValScore => {
            let q: CrossValQuality = decode(value, "quality")?;
            Quality {
                oob_accuracy: q.oob_accuracy,
                holdout_accuracy: q.holdout_accuracy,
                cv_scores: q.cv_scores,
                cv_mean_score: q.cv_mean_score,
                ..Quality::default()
            }
        }
        Workload::GridSearch => {
            let q: GridSearchQuality = decode(value, "quality")?;
            Quality {
                oob_accuracy: q.oob_accuracy,
                holdout_accuracy: q.holdout_accuracy,
                mean_test_score: q.mean_test_score,
                best_params: q.best_params,
                best_score: q.best_score,
                ..Quality::default()
            }
        }
    })
}

/// Decodes one part of a document; errors name the part (`points[2]`, `forest`).
fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    name: &str,
) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| invalid(format!("{name}: {e}")))
}

fn invalid(message: String) -> Error {
    Error::InvalidDocument(message)
}
