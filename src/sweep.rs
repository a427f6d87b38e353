//! The core-count experiment: its results document (`coresweep-sweep/1`), the numbers derived
//! from it, and (natively) the runner that fills it.
//!
//! A document holds what was run (dataset and forest parameters), where (the device), and the
//! measured fit times per thread count. Speed-ups, efficiencies and the Amdahl serial fraction
//! are derived from the points on demand and never stored, so they cannot disagree with them.
//!
//! ```
//! use coresweep::datasets::ClassificationParams;
//! use coresweep::forest::ForestParams;
//! use coresweep::sweep::{Device, SweepDocument};
//!
//! let mut doc = SweepDocument::new(
//!     "native",
//!     "2026-01-01T00:00:00Z".to_string(),
//!     Device::labelled("laptop"),
//!     ClassificationParams::blog(),
//!     ForestParams::blog(),
//! );
//! doc.add_point(1, vec![20.0, 22.0, 21.0]);
//! doc.add_point(2, vec![11.0, 10.5, 10.5]);
//! assert_eq!(doc.points[0].median_seconds, 21.0);
//! assert_eq!(doc.speedups(), vec![(1, 1.0), (2, 2.0)]);
//! let back = SweepDocument::from_json(&doc.to_json()).unwrap();
//! assert_eq!(back, doc);
//! ```

use crate::Error;
use crate::datasets::ClassificationParams;
use crate::forest::{Features, FitHook, ForestParams, RandomForest, ValidForestParams};
use serde::{Deserialize, Serialize};

/// The `schema` value of every results document this version writes and reads.
pub const SCHEMA: &str = "coresweep-sweep/1";

/// The largest results document [`SweepDocument::from_json`] reads (4 MiB).
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// The largest thread count a sweep accepts, and the most points a document may hold.
pub const MAX_THREADS: usize = 1024;

/// The most timed repeats one point may hold.
pub const MAX_REPEATS: usize = 1000;

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
    /// The `make_classification` parameters of the training data.
    pub dataset: ClassificationParams,
    /// The `RandomForestClassifier` parameters.
    pub forest: ForestParams,
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

/// Model quality of the swept forest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Out-of-bag accuracy (`None` without bootstrap).
    pub oob_accuracy: Option<f64>,
    /// Accuracy on a held-out split (`None` when no split was asked for).
    pub holdout_accuracy: Option<f64>,
}

impl SweepDocument {
    /// An empty document (no points yet) for `engine` (`"native"` or `"wasm"`).
    pub fn new(
        engine: &str,
        created: String,
        device: Device,
        dataset: ClassificationParams,
        forest: ForestParams,
    ) -> Self {
        SweepDocument {
            schema: SCHEMA.to_string(),
            engine: engine.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            created,
            device,
            dataset,
            forest,
            points: Vec::new(),
            quality: Quality::default(),
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

    /// Reads a document, refusing anything larger than [`MAX_DOCUMENT_BYTES`], of another
    /// schema, or with values no sweep can produce. The result is normalised: points sorted by
    /// thread count, medians recomputed from the fit times.
    pub fn from_json(text: &str) -> Result<SweepDocument, Error> {
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(invalid(format!(
                "is {} bytes, the limit is {} bytes (4 MiB)",
                text.len(),
                MAX_DOCUMENT_BYTES
            )));
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| invalid(format!("is not valid JSON: {e}")))?;
        let serde_json::Value::Object(mut fields) = value else {
            return Err(invalid(format!("schema: missing, expected \"{SCHEMA}\"")));
        };
        // The schema first, so a foreign file is named as such rather than by its first odd field.
        match fields.remove("schema") {
            Some(serde_json::Value::String(s)) if s == SCHEMA => {}
            Some(other) => {
                return Err(invalid(format!(
                    "schema: expected \"{SCHEMA}\", got {other}"
                )));
            }
            None => return Err(invalid(format!("schema: missing, expected \"{SCHEMA}\""))),
        }
        // Decoded part by part so that every error names the part it is about.
        let mut take = |name: &str| {
            fields
                .remove(name)
                .ok_or_else(|| invalid(format!("{name}: missing")))
        };
        let points = match take("points")? {
            serde_json::Value::Array(points) if points.len() > MAX_THREADS => {
                return Err(invalid(format!(
                    "points: {} points, at most {MAX_THREADS} are allowed",
                    points.len()
                )));
            }
            serde_json::Value::Array(points) => points
                .into_iter()
                .enumerate()
                .map(|(i, point)| decode(point, &format!("points[{i}]")))
                .collect::<Result<_, _>>()?,
            other => return Err(invalid(format!("points: expected a list, got {other}"))),
        };
        let mut doc = SweepDocument {
            schema: SCHEMA.to_string(),
            engine: decode(take("engine")?, "engine")?,
            version: decode(take("version")?, "version")?,
            created: decode(take("created")?, "created")?,
            device: decode(take("device")?, "device")?,
            dataset: decode(take("dataset")?, "dataset")?,
            forest: decode(take("forest")?, "forest")?,
            points,
            quality: decode(take("quality")?, "quality")?,
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
        self.dataset
            .check()
            .map_err(|e| invalid(format!("dataset.{e}")))?;
        self.forest
            .check()
            .map_err(|e| invalid(format!("forest.{e}")))?;
        for (i, point) in self.points.iter_mut().enumerate() {
            if point.threads == 0 || point.threads > MAX_THREADS {
                return Err(invalid(format!(
                    "points[{i}].threads: must be in [1, {MAX_THREADS}], got {}",
                    point.threads
                )));
            }
            if point.fit_seconds.is_empty() || point.fit_seconds.len() > MAX_REPEATS {
                return Err(invalid(format!(
                    "points[{i}].fit_seconds: must hold 1 to {MAX_REPEATS} values, got {}",
                    point.fit_seconds.len()
                )));
            }
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
        if let Some(pair) = self
            .points
            .windows(2)
            .find(|w| w[0].threads == w[1].threads)
        {
            return Err(invalid(format!(
                "points: thread count {} appears more than once",
                pair[0].threads
            )));
        }
        for (name, value) in [
            ("quality.oob_accuracy", self.quality.oob_accuracy),
            ("quality.holdout_accuracy", self.quality.holdout_accuracy),
        ] {
            if let Some(v) = value.filter(|v| !(0.0..=1.0).contains(v)) {
                return Err(invalid(format!("{name}: must be in [0, 1], got {v}")));
            }
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

    /// The 1-thread time T1: the 1-thread point's median, else the smallest thread count's
    /// median times that count (as if scaling had been perfect up to it).
    fn reference_seconds(&self) -> Option<f64> {
        self.points
            .first()
            .map(|p| p.median_seconds * p.threads as f64)
    }

    /// Speed-up T1/Tk for every point, as `(threads, speed-up)`.
    pub fn speedups(&self) -> Vec<(usize, f64)> {
        let Some(t1) = self.reference_seconds() else {
            return Vec::new();
        };
        self.points
            .iter()
            .map(|p| (p.threads, t1 / p.median_seconds))
            .collect()
    }

    /// Parallel efficiency T1/(k·Tk) for every point, as `(threads, efficiency)`.
    pub fn efficiencies(&self) -> Vec<(usize, f64)> {
        self.speedups()
            .into_iter()
            .map(|(k, s)| (k, s / k as f64))
            .collect()
    }

    /// The serial fraction `s` of Amdahl's law T(k) = T1·(s + (1−s)/k), fitted to the median
    /// times by least squares, clamped to [0, 1].
    ///
    /// The law is linear in 1/k: T(k) = a + b/k with a = T1·s and b = T1·(1−s), so both T1
    /// and s come from one linear regression and no single noisy point is trusted more than
    /// another. `None` with fewer than two distinct thread counts.
    pub fn amdahl_serial_fraction(&self) -> Option<f64> {
        if self.points.len() < 2 {
            return None;
        }
        let n = self.points.len() as f64;
        let xs: Vec<f64> = self.points.iter().map(|p| 1.0 / p.threads as f64).collect();
        let ys: Vec<f64> = self.points.iter().map(|p| p.median_seconds).collect();
        let mean_x = xs.iter().sum::<f64>() / n;
        let mean_y = ys.iter().sum::<f64>() / n;
        let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
        let sxy: f64 = xs
            .iter()
            .zip(&ys)
            .map(|(x, y)| (x - mean_x) * (y - mean_y))
            .sum();
        let b = sxy / sxx;
        let a = mean_y - b * mean_x;
        let t1 = a + b;
        if !(t1.is_finite() && t1 > 0.0) {
            return None;
        }
        Some((a / t1).clamp(0.0, 1.0))
    }
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

/// The median (the mean of the two middle values for an even count); NaN for no values.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// Parses the thread counts of a sweep: a comma-separated list (`"1,2,4"`, kept in the order
/// given) or `"all"` (every count from 1 to `available`). Errors name the parameter `threads`.
///
/// ```
/// use coresweep::sweep::parse_threads;
/// assert_eq!(parse_threads("1, 2,4", 8).unwrap(), vec![1, 2, 4]);
/// assert_eq!(parse_threads("all", 3).unwrap(), vec![1, 2, 3]);
/// assert!(parse_threads("2,2", 8).is_err());
/// ```
pub fn parse_threads(text: &str, available: usize) -> Result<Vec<usize>, Error> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("all") {
        return Ok((1..=available.clamp(1, MAX_THREADS)).collect());
    }
    let mut threads = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let k: u64 = part.parse().map_err(|_| {
            Error::param(
                "threads",
                format!("expected \"all\" or comma-separated counts like 1,2,4, got {part:?}"),
            )
        })?;
        // Read as u64, so that a count beyond 32 bits is refused in the same words by the
        // page's wasm as natively.
        let k = usize::try_from(k)
            .map_err(|_| threads_out_of_range(k))
            .and_then(check_threads)?;
        if threads.contains(&k) {
            return Err(Error::param("threads", format!("{k} is listed twice")));
        }
        threads.push(k);
    }
    Ok(threads)
}

/// Checks one thread count: 1 to [`MAX_THREADS`] (param `threads`).
pub fn check_threads(threads: usize) -> Result<usize, Error> {
    if threads == 0 || threads > MAX_THREADS {
        return Err(threads_out_of_range(threads as u64));
    }
    Ok(threads)
}

fn threads_out_of_range(threads: u64) -> Error {
    Error::param(
        "threads",
        format!("each count must be in [1, {MAX_THREADS}], got {threads}"),
    )
}

/// Checks the number of timed fits per thread count: 1 to [`MAX_REPEATS`] (param `repeats`).
pub fn check_repeats(repeats: usize) -> Result<usize, Error> {
    if repeats == 0 || repeats > MAX_REPEATS {
        return Err(Error::param(
            "repeats",
            format!("must be in [1, {MAX_REPEATS}], got {repeats}"),
        ));
    }
    Ok(repeats)
}

/// The training data and the checked forest parameters of one experiment, built once and
/// fitted as often as asked: by the native runner, and by the page's workers through
/// `web::Experiment`. Timing (`timed_fit`, `fit_report`) is native only; the page times
/// `fit` with `performance.now()`.
pub struct Experiment {
    x: Features,
    y: Vec<i64>,
    forest: ValidForestParams,
    /// Seeds the hold-out split of `fit_report`.
    split_random_state: u32,
}

impl Experiment {
    /// Checks both parameter sets, generates the dataset and checks that the forest can be
    /// fitted on it. The hold-out split is seeded with the dataset's `random_state`.
    pub fn new(dataset: &ClassificationParams, forest: &ForestParams) -> Result<Self, Error> {
        let dataset = dataset.check()?;
        let forest = forest.check()?;
        let data = dataset.generate();
        let x = Features::from_row_major(&data.x, data.n_samples, data.n_features)?;
        forest.check_fit_input(&x, &data.y)?;
        Ok(Experiment {
            x,
            y: data.y,
            forest,
            split_random_state: dataset.params().random_state,
        })
    }

    /// Number of trees one fit builds.
    pub fn n_estimators(&self) -> usize {
        self.forest.params().n_estimators
    }

    /// Fits on all rows in the current rayon pool; `hook` hears of every tree.
    pub fn fit(&self, hook: &dyn FitHook) -> Result<RandomForest, Error> {
        self.forest.fit(&self.x, &self.y, hook)
    }

    /// Fits a forest of `trees` of the configured trees (at least 1, at most all) on all rows
    /// and drops it. Untimed work for a JIT: V8 runs wasm in baseline code first and optimises
    /// the hot functions while they run, so without it the first fit of a page, the baseline
    /// of every speed-up, would pay that alone.
    pub fn warm_up(&self, trees: usize) -> Result<(), Error> {
        let params = ForestParams {
            n_estimators: trees.clamp(1, self.n_estimators()),
            ..self.forest.params().clone()
        };
        params.check()?.fit(&self.x, &self.y, &()).map(drop)
    }

    /// Out-of-bag accuracy of `forest`, fitted by [`Experiment::fit`] on all rows (`None`
    /// without bootstrap).
    pub fn oob_accuracy(&self, forest: &RandomForest) -> Option<f64> {
        forest.oob_accuracy(&self.x, &self.y)
    }
}

pub use runner::{FitReport, SweepEvent, SweepPlan, run_sweep, thread_pool};

/// The runner: thread pools of exactly k threads, wall-clock timing of `fit` alone. The page
/// does not use it: wasm32 has no clock in std and no thread spawning in rayon's builder, so
/// its workers time `Experiment::fit` themselves, one pool per worker.
mod runner {
    use super::{Experiment, SweepDocument, check_repeats, check_threads};
    use crate::Error;
    use crate::forest::{Features, FitHook, RandomForest, ValidForestParams};
    use crate::model_selection::train_test_split;
    use std::time::Instant;

    /// What one fit measured.
    #[derive(Clone, Debug, PartialEq)]
    pub struct FitReport {
        /// Wall-clock seconds of `fit` alone.
        pub fit_seconds: f64,
        /// Out-of-bag accuracy on the rows the forest was fitted on.
        pub oob_accuracy: Option<f64>,
        /// Accuracy on the held-out rows (`None` without a split).
        pub holdout_accuracy: Option<f64>,
        /// Nodes of all trees together.
        pub total_nodes: usize,
        /// Rows the forest was fitted on.
        pub n_train: usize,
        /// Held-out rows.
        pub n_test: usize,
    }

    impl Experiment {
        /// Fits on all rows in the current rayon pool; returns the forest and the seconds
        /// `fit` took.
        pub fn timed_fit(&self, hook: &dyn FitHook) -> Result<(RandomForest, f64), Error> {
            timed_fit(&self.forest, &self.x, &self.y, hook)
        }

        /// One fit in the current rayon pool and its quality. With `test_size` > 0 the forest
        /// is fitted on the training part of sklearn's `train_test_split` and scored on the
        /// rest; out-of-bag accuracy is always measured on the rows it was fitted on.
        pub fn fit_report(&self, test_size: f64, hook: &dyn FitHook) -> Result<FitReport, Error> {
            if test_size == 0.0 {
                let (forest, fit_seconds) = self.timed_fit(hook)?;
                return Ok(self.report(&forest, fit_seconds, &self.x, &self.y, None));
            }
            let (train, test) = train_test_split(self.y.len(), test_size, self.split_random_state)?;
            let x_train = self.x.select_rows(&train);
            let y_train: Vec<i64> = train.iter().map(|&i| self.y[i]).collect();
            let (forest, fit_seconds) = timed_fit(&self.forest, &x_train, &y_train, hook)?;
            let x_test = self.x.select_rows(&test);
            let y_test: Vec<i64> = test.iter().map(|&i| self.y[i]).collect();
            let holdout = forest.accuracy(&x_test, &y_test);
            Ok(self.report(
                &forest,
                fit_seconds,
                &x_train,
                &y_train,
                Some((holdout, test.len())),
            ))
        }

        fn report(
            &self,
            forest: &RandomForest,
            fit_seconds: f64,
            x_train: &Features,
            y_train: &[i64],
            holdout: Option<(f64, usize)>,
        ) -> FitReport {
            FitReport {
                fit_seconds,
                oob_accuracy: forest.oob_accuracy(x_train, y_train),
                holdout_accuracy: holdout.map(|(accuracy, _)| accuracy),
                total_nodes: forest.total_nodes(),
                n_train: x_train.n_rows(),
                n_test: holdout.map_or(0, |(_, n)| n),
            }
        }
    }

    fn timed_fit(
        forest: &ValidForestParams,
        x: &Features,
        y: &[i64],
        hook: &dyn FitHook,
    ) -> Result<(RandomForest, f64), Error> {
        let start = Instant::now();
        let fitted = forest.fit(x, y, hook)?;
        Ok((fitted, start.elapsed().as_secs_f64()))
    }

    /// What a sweep runs: thread counts in order, timed repeats per count, hold-out share.
    #[derive(Clone, Debug, PartialEq)]
    pub struct SweepPlan {
        /// Pool sizes, run in this order (see [`super::parse_threads`]).
        pub threads: Vec<usize>,
        /// Timed fits per thread count (at least 1).
        pub repeats: usize,
        /// Share of rows held out for `holdout_accuracy`; 0 for none.
        pub test_size: f64,
    }

    /// Progress of [`run_sweep`], for a progress bar.
    #[derive(Clone, Debug, PartialEq)]
    pub enum SweepEvent {
        /// A timed fit starts.
        FitStarted {
            /// Size of the pool it runs in.
            threads: usize,
            /// Which repeat, counting from 0.
            repeat: usize,
        },
        /// A timed fit ended.
        FitFinished {
            /// Size of the pool it ran in.
            threads: usize,
            /// Which repeat, counting from 0.
            repeat: usize,
            /// Wall-clock seconds of the fit.
            seconds: f64,
        },
        /// The fits with `threads` threads are done and their point is in the document.
        PointAdded {
            /// Size of the pool the fits ran in.
            threads: usize,
        },
        /// The untimed fit that measures hold-out accuracy starts.
        QualityStarted,
    }

    /// Runs the sweep of `experiment` (made from `document.dataset` and `document.forest`,
    /// by the caller, so that data the forest refuses is refused before anything is written)
    /// described by `plan`, and adds its points and quality to `document`.
    ///
    /// For each thread count k a fresh rayon pool of exactly k threads runs `repeats` fits of
    /// all rows, each timed alone. Quality is measured outside the timed fits: with
    /// `test_size` 0 the last timed forest gives the out-of-bag accuracy; otherwise one more
    /// fit on the training split gives both accuracies, as [`Experiment::fit_report`] does.
    /// `on_event` sees every event with the document as it stands, so a caller can save the
    /// points measured so far. `hook` hears of every tree of every fit and can stop the sweep
    /// (with [`Error::Cancelled`]).
    pub fn run_sweep(
        document: &mut SweepDocument,
        experiment: &Experiment,
        plan: &SweepPlan,
        hook: &dyn FitHook,
        mut on_event: impl FnMut(SweepEvent, &SweepDocument),
    ) -> Result<(), Error> {
        check_repeats(plan.repeats)?;
        if plan.threads.is_empty() {
            return Err(Error::param(
                "threads",
                "at least one thread count is needed",
            ));
        }
        if plan.test_size != 0.0 {
            // Refuse a bad test_size before the timed fits rather than after them.
            train_test_split(
                experiment.y.len(),
                plan.test_size,
                experiment.split_random_state,
            )?;
        }
        let mut last_forest = None;
        for &threads in &plan.threads {
            let pool = thread_pool(threads)?;
            let mut fit_seconds = Vec::with_capacity(plan.repeats);
            for repeat in 0..plan.repeats {
                on_event(SweepEvent::FitStarted { threads, repeat }, document);
                let (forest, seconds) = pool.install(|| experiment.timed_fit(hook))?;
                on_event(
                    SweepEvent::FitFinished {
                        threads,
                        repeat,
                        seconds,
                    },
                    document,
                );
                fit_seconds.push(seconds);
                last_forest = Some(forest);
            }
            document.add_point(threads, fit_seconds);
            on_event(SweepEvent::PointAdded { threads }, document);
        }
        if plan.test_size == 0.0 {
            document.quality.oob_accuracy =
                last_forest.and_then(|forest| experiment.oob_accuracy(&forest));
            document.quality.holdout_accuracy = None;
        } else {
            on_event(SweepEvent::QualityStarted, document);
            let widest = plan.threads.iter().copied().max().unwrap_or(1);
            let report =
                thread_pool(widest)?.install(|| experiment.fit_report(plan.test_size, hook))?;
            document.quality.oob_accuracy = report.oob_accuracy;
            document.quality.holdout_accuracy = report.holdout_accuracy;
        }
        Ok(())
    }

    /// A rayon pool of exactly `threads` threads; run work in it with `install`.
    pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
        check_threads(threads)?;
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::param("threads", format!("cannot start {threads} threads: {e}")))
    }
}
