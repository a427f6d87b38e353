//! The results document (`coresweep-sweep/1`): what was run (dataset and forest), where (the
//! device), the measured times per thread count and the model's quality; written and read as
//! JSON by both faces, checked field by field on the way in.

use serde::{Deserialize, Serialize};

use super::stats::median;
use crate::Error;
use crate::datasets::{ClassificationParams, ValidClassificationParams};
use crate::forest::{ForestParams, ValidForestParams};
use crate::plan::{MAX_REPEATS, MAX_THREADS};

/// The `schema` value of every results document this version writes and reads.
pub const SCHEMA: &str = "coresweep-sweep/1";

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
    /// An empty document (no points yet) for `engine` (`"native"` or `"wasm"`) of an
    /// experiment with checked parameters.
    pub fn new(
        engine: &str,
        created: String,
        device: Device,
        dataset: &ValidClassificationParams,
        forest: &ValidForestParams,
    ) -> Self {
        SweepDocument {
            schema: SCHEMA.to_string(),
            engine: engine.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            created,
            device,
            dataset: dataset.params().clone(),
            forest: forest.params().clone(),
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
