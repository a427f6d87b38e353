//! sklearn's `RandomForestClassifier`: parameters → [`ForestParams::check`] → a
//! [`ValidForestParams`] that can [fit](ValidForestParams::fit) → a [`RandomForest`] that predicts.
//!
//! Every tree's seed is drawn up front from numpy's `RandomState(random_state)` exactly as sklearn
//! draws them, its bootstrap is sklearn's `_generate_sample_indices`, and its split search is
//! sklearn's `BestSplitter` (see [`crate::tree`]). Trees are grown in parallel on the current
//! rayon pool, one task per tree, so the forest is the same for any number of threads.
//!
//! ```
//! use coresweep::forest::{Features, FitControl, ForestParams};
//!
//! // Two well separated blobs.
//! let x: Vec<f64> = (0..40).map(|i| if i < 20 { i as f64 * 0.1 } else { 5.0 + i as f64 * 0.1 }).collect();
//! let y: Vec<i64> = (0..40).map(|i| i64::from(i >= 20)).collect();
//! let x = Features::from_row_major(&x, 40, 1)?;
//! let params = ForestParams { n_estimators: 10, ..ForestParams::default() };
//! let forest = params.check()?.fit(&x, &y, &FitControl::default())?;
//! assert_eq!(forest.predict(&x), y);
//! assert_eq!(forest.accuracy(&x, &y), 1.0);
//! # Ok::<(), coresweep::Error>(())
//! ```

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use rayon::prelude::*;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::Error;
use crate::rng::RandomState;
use crate::tree::{Impurity, RAND_R_MAX, SplitSettings, TrainingData, Tree, TreeSettings};

/// sklearn's `MAX_INT` (`np.iinfo(np.int32).max`): tree seeds are drawn below it.
const MAX_INT: i64 = i32::MAX as i64;

/// The most trees a forest may have (a guard against typing an extra zero or three).
const MAX_ESTIMATORS: usize = 100_000;

/// Rows per prediction task: enough to amortise the transpose, small enough to balance.
const PREDICT_CHUNK: usize = 256;

/// The impurity a split minimises (sklearn's `criterion`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Gini impurity `1 - Σ p²` (sklearn's default).
    #[default]
    Gini,
    /// Shannon entropy in bits.
    Entropy,
    /// The same as `Entropy` (sklearn's alias).
    LogLoss,
}

/// How many features each split considers (sklearn's `max_features`).
///
/// Serialised as sklearn spells it: `"sqrt"`, `"log2"`, an integer count, a float fraction,
/// or `null` for all features.
///
/// ```
/// use coresweep::forest::MaxFeatures;
/// let m: MaxFeatures = serde_json::from_str("0.5").unwrap();
/// assert_eq!(m, MaxFeatures::Fraction(0.5));
/// assert_eq!(serde_json::to_string(&MaxFeatures::Sqrt).unwrap(), "\"sqrt\"");
/// assert_eq!(MaxFeatures::Sqrt.resolve(70), 8);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum MaxFeatures {
    /// `max(1, floor(sqrt(n_features)))` (the default).
    #[default]
    Sqrt,
    /// `max(1, floor(log2(n_features)))`.
    Log2,
    /// Exactly this many (at least 1, at most `n_features`).
    Count(usize),
    /// `max(1, floor(fraction * n_features))`, fraction in (0, 1].
    Fraction(f64),
    /// Every feature (sklearn's `None`).
    All,
}

impl MaxFeatures {
    /// The number of features a split considers when there are `n_features`, as sklearn
    /// computes it (a count above `n_features` is returned unchanged; fit rejects it).
    pub fn resolve(self, n_features: usize) -> usize {
        match self {
            MaxFeatures::Sqrt => ((n_features as f64).sqrt() as usize).max(1),
            MaxFeatures::Log2 => ((n_features as f64).log2() as usize).max(1),
            MaxFeatures::Count(k) => k,
            MaxFeatures::Fraction(f) => ((f * n_features as f64) as usize).max(1),
            MaxFeatures::All => n_features,
        }
    }
}

/// The size of each tree's bootstrap sample (sklearn's `max_samples`; `None` = `n_samples`).
///
/// Serialised as an integer count or a float fraction of `n_samples`.
///
/// ```
/// use coresweep::forest::MaxSamples;
/// assert_eq!(MaxSamples::Fraction(0.5).resolve(101), 50);
/// assert_eq!(serde_json::from_str::<MaxSamples>("300").unwrap(), MaxSamples::Count(300));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MaxSamples {
    /// Draw this many rows (with replacement; may exceed `n_samples`, as in sklearn 1.9).
    Count(usize),
    /// Draw `max(1, floor(fraction * n_samples))` rows.
    Fraction(f64),
}

impl MaxSamples {
    /// The bootstrap size for `n_samples` rows (sklearn's `_get_n_samples_bootstrap`).
    pub fn resolve(self, n_samples: usize) -> usize {
        match self {
            MaxSamples::Count(k) => k,
            MaxSamples::Fraction(f) => ((f * n_samples as f64) as usize).max(1),
        }
    }
}

impl Serialize for MaxFeatures {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            MaxFeatures::Sqrt => serializer.serialize_str("sqrt"),
            MaxFeatures::Log2 => serializer.serialize_str("log2"),
            MaxFeatures::Count(k) => serializer.serialize_u64(k as u64),
            MaxFeatures::Fraction(f) => serializer.serialize_f64(f),
            MaxFeatures::All => serializer.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for MaxFeatures {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MaxFeaturesVisitor;
        impl<'de> Visitor<'de> for MaxFeaturesVisitor {
            type Value = MaxFeatures;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"sqrt\", \"log2\", an integer, a float or null")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MaxFeatures, E> {
                match v {
                    "sqrt" => Ok(MaxFeatures::Sqrt),
                    "log2" => Ok(MaxFeatures::Log2),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MaxFeatures, E> {
                usize::try_from(v)
                    .map(MaxFeatures::Count)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MaxFeatures, E> {
                u64::try_from(v)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<MaxFeatures, E> {
                Ok(MaxFeatures::Fraction(v))
            }
            fn visit_none<E: de::Error>(self) -> Result<MaxFeatures, E> {
                Ok(MaxFeatures::All)
            }
            fn visit_unit<E: de::Error>(self) -> Result<MaxFeatures, E> {
                Ok(MaxFeatures::All)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<MaxFeatures, D::Error> {
                d.deserialize_any(self)
            }
        }
        deserializer.deserialize_any(MaxFeaturesVisitor)
    }
}

impl Serialize for MaxSamples {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            MaxSamples::Count(k) => serializer.serialize_u64(k as u64),
            MaxSamples::Fraction(f) => serializer.serialize_f64(f),
        }
    }
}

impl<'de> Deserialize<'de> for MaxSamples {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MaxSamplesVisitor;
        impl Visitor<'_> for MaxSamplesVisitor {
            type Value = MaxSamples;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer or a float")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MaxSamples, E> {
                usize::try_from(v)
                    .map(MaxSamples::Count)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MaxSamples, E> {
                u64::try_from(v)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<MaxSamples, E> {
                Ok(MaxSamples::Fraction(v))
            }
        }
        deserializer.deserialize_any(MaxSamplesVisitor)
    }
}

/// `RandomForestClassifier`'s parameters, with sklearn's names, defaults and meanings
/// (`random_state` defaults to 0 rather than `None`, so every run is reproducible).
///
/// ```
/// use coresweep::forest::{ForestParams, MaxFeatures};
/// let p: ForestParams = serde_json::from_str(r#"{"n_estimators": 50, "max_features": null}"#).unwrap();
/// assert_eq!(p.n_estimators, 50);
/// assert_eq!(p.max_features, MaxFeatures::All);
/// assert_eq!(p.min_samples_split, 2);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForestParams {
    /// Number of trees, at least 1.
    pub n_estimators: usize,
    /// Impurity measure of the splits.
    pub criterion: Criterion,
    /// Deepest allowed node (the root has depth 0); `None` = unlimited.
    pub max_depth: Option<usize>,
    /// Fewest samples a node needs to be split, at least 2.
    pub min_samples_split: usize,
    /// Fewest samples each child of a split must keep, at least 1.
    pub min_samples_leaf: usize,
    /// Split only when the weighted impurity decrease is at least this (≥ 0).
    pub min_impurity_decrease: f64,
    /// Features considered per split.
    pub max_features: MaxFeatures,
    /// Grow each tree on a bootstrap sample (with replacement) of the rows.
    pub bootstrap: bool,
    /// Bootstrap sample size; only with `bootstrap`.
    pub max_samples: Option<MaxSamples>,
    /// Seed of numpy's `RandomState` the tree seeds are drawn from.
    pub random_state: u32,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams {
            n_estimators: 100,
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            min_impurity_decrease: 0.0,
            max_features: MaxFeatures::Sqrt,
            bootstrap: true,
            max_samples: None,
            random_state: 0,
        }
    }
}

impl ForestParams {
    /// The seed's experiment: 500 trees, everything else sklearn's default, `random_state` 0.
    ///
    /// ```
    /// assert_eq!(coresweep::forest::ForestParams::blog().n_estimators, 500);
    /// ```
    pub fn blog() -> Self {
        ForestParams {
            n_estimators: 500,
            ..ForestParams::default()
        }
    }

    /// Checks every parameter on its own and against the others; the error names the
    /// parameter and its allowed range.
    ///
    /// ```
    /// use coresweep::forest::ForestParams;
    /// let err = ForestParams { min_samples_split: 1, ..ForestParams::default() }.check().unwrap_err();
    /// assert_eq!(err.parameter(), Some("min_samples_split"));
    /// ```
    pub fn check(&self) -> Result<ValidForestParams, Error> {
        let p = self;
        if p.n_estimators < 1 || p.n_estimators > MAX_ESTIMATORS {
            return Err(Error::param(
                "n_estimators",
                format!(
                    "must be an integer in [1, {MAX_ESTIMATORS}], got {}",
                    p.n_estimators
                ),
            ));
        }
        if p.max_depth == Some(0) {
            return Err(Error::param(
                "max_depth",
                "must be an integer >= 1 or None, got 0",
            ));
        }
        if p.min_samples_split < 2 {
            return Err(Error::param(
                "min_samples_split",
                format!("must be an integer >= 2, got {}", p.min_samples_split),
            ));
        }
        if p.min_samples_leaf < 1 {
            return Err(Error::param(
                "min_samples_leaf",
                "must be an integer >= 1, got 0",
            ));
        }
        // sklearn's Interval(Real, 0.0, None, closed="left") refuses NaN and infinity too.
        if !(p.min_impurity_decrease >= 0.0 && p.min_impurity_decrease.is_finite()) {
            return Err(Error::param(
                "min_impurity_decrease",
                format!(
                    "must be a finite float >= 0.0, got {}",
                    p.min_impurity_decrease
                ),
            ));
        }
        match p.max_features {
            MaxFeatures::Count(0) => {
                return Err(Error::param(
                    "max_features",
                    "an integer must be >= 1, got 0 (or use \"sqrt\", \"log2\", a float in (0.0, 1.0] or None)",
                ));
            }
            MaxFeatures::Fraction(f) if !(f > 0.0 && f <= 1.0) => {
                return Err(Error::param(
                    "max_features",
                    format!("a float must be in (0.0, 1.0], got {f}"),
                ));
            }
            _ => {}
        }
        match p.max_samples {
            Some(_) if !p.bootstrap => {
                return Err(Error::param(
                    "max_samples",
                    "cannot be set if bootstrap=False; set bootstrap=True or max_samples=None",
                ));
            }
            Some(MaxSamples::Count(k)) if k < 1 || k > MAX_INT as usize => {
                return Err(Error::param(
                    "max_samples",
                    format!("an integer must be in [1, {MAX_INT}], got {k}"),
                ));
            }
            Some(MaxSamples::Fraction(f)) if !(f > 0.0 && f.is_finite()) => {
                return Err(Error::param(
                    "max_samples",
                    format!("a float must be > 0.0, got {f}"),
                ));
            }
            _ => {}
        }
        Ok(ValidForestParams {
            params: self.clone(),
        })
    }
}

/// [`ForestParams`] that passed [`ForestParams::check`]; the only way to fit a forest.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidForestParams {
    params: ForestParams,
}

/// Features as `f32`, column-major (sklearn also trains on `float32`).
///
/// ```
/// use coresweep::forest::Features;
/// let x = Features::from_row_major(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3, 2)?;
/// assert_eq!((x.n_rows(), x.n_cols()), (3, 2));
/// assert_eq!(x.select_rows(&[2, 0]).n_rows(), 2);
/// assert!(Features::from_row_major(&[f64::NAN], 1, 1).is_err());
/// # Ok::<(), coresweep::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    /// Column `j` is `values[j * n_rows..(j + 1) * n_rows]`.
    values: Vec<f32>,
    n_rows: usize,
    n_cols: usize,
}

impl Features {
    /// Converts row-major `f64` data to column-major `f32`; rejects a wrong length, NaN and
    /// values that are infinite (or become so in `f32`) with an error naming `X`.
    pub fn from_row_major(x: &[f64], n_rows: usize, n_cols: usize) -> Result<Features, Error> {
        if n_rows.checked_mul(n_cols) != Some(x.len()) {
            return Err(Error::InvalidData {
                what: "X",
                message: format!(
                    "has {} values, expected n_rows * n_cols = {n_rows} * {n_cols}",
                    x.len()
                ),
            });
        }
        let mut values = vec![0.0f32; x.len()];
        for (i, row) in x.chunks_exact(n_cols.max(1)).enumerate() {
            for (j, &v) in row.iter().enumerate() {
                let v32 = v as f32;
                if !v32.is_finite() {
                    return Err(Error::InvalidData {
                        what: "X",
                        message: format!(
                            "row {i}, column {j} is {v}: values must be finite and fit in float32"
                        ),
                    });
                }
                values[j * n_rows + i] = v32;
            }
        }
        Ok(Features {
            values,
            n_rows,
            n_cols,
        })
    }

    /// The rows `rows` (in that order) as a new matrix. Panics if a row is out of range.
    pub fn select_rows(&self, rows: &[usize]) -> Features {
        let mut values = Vec::with_capacity(rows.len() * self.n_cols);
        for j in 0..self.n_cols {
            let column = self.column(j);
            values.extend(rows.iter().map(|&i| column[i]));
        }
        Features {
            values,
            n_rows: rows.len(),
            n_cols: self.n_cols,
        }
    }

    /// Number of rows (samples).
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns (features).
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    fn column(&self, j: usize) -> &[f32] {
        &self.values[j * self.n_rows..(j + 1) * self.n_rows]
    }

    /// Copies rows `start..end` into `out`, row-major.
    fn rows_into(&self, start: usize, end: usize, out: &mut Vec<f32>) {
        let n = end - start;
        out.clear();
        out.resize(n * self.n_cols, 0.0);
        for j in 0..self.n_cols {
            for (i, &v) in self.column(j)[start..end].iter().enumerate() {
                out[i * self.n_cols + j] = v;
            }
        }
    }
}

/// How a fit reports its progress and learns that it should stop: the one way a face (a
/// progress bar, the page's counter in shared memory, a test's fault injection) reaches into a
/// running fit. Called on the fitting threads, so it must be cheap and `Sync`. `()` watches
/// nothing.
pub trait FitHook: Sync {
    /// The fit of `n_trees` trees starts (before any tree).
    fn fit_started(&self, n_trees: usize) {
        let _ = n_trees;
    }

    /// Tree `index` is about to be grown; an error stops the fit with it
    /// ([`Error::Cancelled`] to cancel).
    fn tree_starting(&self, index: usize) -> Result<(), Error> {
        let _ = index;
        Ok(())
    }

    /// Tree `index` is grown.
    fn tree_finished(&self, index: usize) {
        let _ = index;
    }
}

impl FitHook for () {}

/// The engine's own [`FitHook`]: a counter of finished trees and a cancel flag, both atomics
/// a watcher on another thread can read and set while the fit runs.
///
/// ```
/// use coresweep::forest::{Features, FitControl, ForestParams};
/// use std::sync::atomic::Ordering;
/// let x = Features::from_row_major(&[0.0, 1.0, 2.0, 3.0], 4, 1)?;
/// let control = FitControl::default();
/// let params = ForestParams { n_estimators: 7, ..ForestParams::default() }.check()?;
/// params.fit(&x, &[0, 0, 1, 1], &control)?;
/// assert_eq!(control.trees_done.load(Ordering::Relaxed), 7);
/// control.cancel.store(true, Ordering::Relaxed);
/// assert_eq!(params.fit(&x, &[0, 0, 1, 1], &control).unwrap_err(), coresweep::Error::Cancelled);
/// # Ok::<(), coresweep::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct FitControl {
    /// Trees finished in the current fit (0 when a fit starts, then one more per tree).
    pub trees_done: AtomicU32,
    /// Set to stop the fit; checked before each tree starts.
    pub cancel: AtomicBool,
}

impl FitHook for FitControl {
    fn fit_started(&self, _n_trees: usize) {
        self.trees_done.store(0, Ordering::Relaxed);
    }

    fn tree_starting(&self, _index: usize) -> Result<(), Error> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    fn tree_finished(&self, _index: usize) {
        self.trees_done.fetch_add(1, Ordering::Relaxed);
    }
}

/// The classes of `y` (sorted, like `np.unique`) and every label's index among them.
fn encode_labels(y: &[i64]) -> (Vec<i64>, Vec<u32>) {
    let mut classes = y.to_vec();
    classes.sort_unstable();
    classes.dedup();
    let labels = y
        .iter()
        .map(|v| classes.binary_search(v).unwrap_or_default() as u32)
        .collect();
    (classes, labels)
}

/// How many times each row is drawn into the bootstrap of the tree seeded with `seed`
/// (sklearn's `np.bincount(_generate_sample_indices(seed, n_samples, n_samples_bootstrap))`).
fn bootstrap_counts(seed: u32, n_samples: usize, n_samples_bootstrap: usize) -> Vec<u32> {
    let mut rng = RandomState::new(seed);
    let mut counts = vec![0u32; n_samples];
    for _ in 0..n_samples_bootstrap {
        counts[rng.randint(0, n_samples as i64) as usize] += 1;
    }
    counts
}

/// The rows sklearn draws into the bootstrap of the tree seeded with `seed`, in draw order
/// (`RandomState(seed).randint(0, n_samples, n_samples_bootstrap)`).
///
/// ```
/// // np.random.RandomState(0).randint(0, 10, 5) == [5, 0, 3, 3, 7]
/// assert_eq!(coresweep::forest::bootstrap_indices(0, 10, 5), vec![5, 0, 3, 3, 7]);
/// ```
pub fn bootstrap_indices(seed: u32, n_samples: usize, n_samples_bootstrap: usize) -> Vec<usize> {
    let mut rng = RandomState::new(seed);
    (0..n_samples_bootstrap)
        .map(|_| rng.randint(0, n_samples as i64) as usize)
        .collect()
}

impl ValidForestParams {
    /// The checked parameters.
    pub fn params(&self) -> &ForestParams {
        &self.params
    }

    /// What [`fit`](Self::fit) checks before it starts: matching lengths, at least one row and
    /// one column, `max_features` no larger than the number of features, and a bootstrap size
    /// (`max_samples`, which may exceed `n_samples` as in sklearn 1.9) below 2^31.
    ///
    /// ```
    /// use coresweep::forest::{Features, ForestParams, MaxFeatures};
    /// let x = Features::from_row_major(&[0.0, 1.0], 1, 2)?;
    /// let p = ForestParams { max_features: MaxFeatures::Count(3), ..ForestParams::default() }.check()?;
    /// assert_eq!(p.check_fit_input(&x, &[1]).unwrap_err().parameter(), Some("max_features"));
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn check_fit_input(&self, x: &Features, y: &[i64]) -> Result<(), Error> {
        if x.n_rows() != y.len() {
            return Err(Error::InvalidData {
                what: "y",
                message: format!(
                    "has {} labels but X has {} rows; they must be equal",
                    y.len(),
                    x.n_rows()
                ),
            });
        }
        self.check_shape(x.n_rows(), x.n_cols())
    }

    /// The checks of [`check_fit_input`](Self::check_fit_input) that need only the shape of
    /// `X`, so a caller can make them before generating the data.
    ///
    /// ```
    /// use coresweep::forest::{ForestParams, MaxSamples};
    /// let p = ForestParams { max_samples: Some(MaxSamples::Fraction(1e10)), ..ForestParams::default() };
    /// assert_eq!(p.check()?.check_shape(60, 6).unwrap_err().parameter(), Some("max_samples"));
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn check_shape(&self, n_rows: usize, n_cols: usize) -> Result<(), Error> {
        if n_rows == 0 {
            return Err(Error::InvalidData {
                what: "X",
                message: "has 0 rows; at least 1 is required".into(),
            });
        }
        if n_cols == 0 {
            return Err(Error::InvalidData {
                what: "X",
                message: "has 0 features; at least 1 is required".into(),
            });
        }
        if n_rows > u32::MAX as usize {
            return Err(Error::InvalidData {
                what: "X",
                message: format!("has {n_rows} rows; at most {} are supported", u32::MAX),
            });
        }
        if let MaxFeatures::Count(k) = self.params.max_features
            && k > n_cols
        {
            return Err(Error::param(
                "max_features",
                format!("must be in [1, n_features] = [1, {n_cols}], got {k}"),
            ));
        }
        if let Some(max_samples) = self.params.max_samples
            && max_samples.resolve(n_rows) > MAX_INT as usize
        {
            return Err(Error::param(
                "max_samples",
                format!(
                    "draws {} rows per tree with n_samples={}; at most {MAX_INT} are supported",
                    max_samples.resolve(n_rows),
                    n_rows
                ),
            ));
        }
        Ok(())
    }

    /// The settings every tree is grown with on `n_features` features.
    fn tree_settings(&self, n_features: usize) -> TreeSettings {
        let p = &self.params;
        TreeSettings {
            split: SplitSettings {
                impurity: match p.criterion {
                    Criterion::Gini => Impurity::Gini,
                    Criterion::Entropy | Criterion::LogLoss => Impurity::Entropy,
                },
                max_features: p.max_features.resolve(n_features),
                min_samples_leaf: p.min_samples_leaf,
            },
            max_depth: p.max_depth.unwrap_or(i32::MAX as usize),
            min_samples_split: p.min_samples_split.max(2 * p.min_samples_leaf),
            min_impurity_decrease: p.min_impurity_decrease,
        }
    }

    /// Fits the forest on all rows of `x` with labels `y`, one rayon task per tree on the
    /// current pool. `hook` hears of every tree and can stop the fit before the next one
    /// ([`FitControl`]: a counter and a cancel flag).
    pub fn fit(&self, x: &Features, y: &[i64], hook: &dyn FitHook) -> Result<RandomForest, Error> {
        self.check_fit_input(x, y)?;
        let p = &self.params;
        let n_samples = x.n_rows();
        let (classes, labels) = encode_labels(y);
        let settings = self.tree_settings(x.n_cols());
        let n_samples_bootstrap = p
            .bootstrap
            .then(|| p.max_samples.map_or(n_samples, |m| m.resolve(n_samples)));
        let mut rng = RandomState::new(p.random_state);
        let seeds: Vec<u32> = (0..p.n_estimators)
            .map(|_| rng.randint(0, MAX_INT) as u32)
            .collect();
        let all_rows = vec![
            1u32;
            if n_samples_bootstrap.is_some() {
                0
            } else {
                n_samples
            }
        ];
        hook.fit_started(seeds.len());
        let trees = seeds
            .par_iter()
            .enumerate()
            .with_max_len(1)
            .map(|(index, &seed)| {
                hook.tree_starting(index)?;
                let counts =
                    n_samples_bootstrap.map(|n_boot| bootstrap_counts(seed, n_samples, n_boot));
                let data = TrainingData {
                    columns: &x.values,
                    n_rows: n_samples,
                    n_features: x.n_cols(),
                    labels: &labels,
                    n_classes: classes.len(),
                    weights: counts.as_deref().unwrap_or(&all_rows),
                };
                // sklearn's splitter seeds its `rand_r` from the tree's own RandomState.
                let rand_r_state = RandomState::new(seed).randint(0, i64::from(RAND_R_MAX)) as u32;
                let tree = Tree::fit(&data, &settings, rand_r_state);
                hook.tree_finished(index);
                Ok(tree)
            })
            .collect::<Result<Vec<Tree>, Error>>()?;
        Ok(RandomForest {
            trees,
            classes,
            seeds,
            n_features: x.n_cols(),
            n_samples_fit: n_samples,
            n_samples_bootstrap,
        })
    }
}

/// A fitted random forest.
#[derive(Clone, Debug)]
pub struct RandomForest {
    trees: Vec<Tree>,
    classes: Vec<i64>,
    seeds: Vec<u32>,
    n_features: usize,
    n_samples_fit: usize,
    /// `None` when the trees were grown without bootstrap.
    n_samples_bootstrap: Option<usize>,
}

impl RandomForest {
    /// The trees, in the order their seeds were drawn.
    pub fn trees(&self) -> &[Tree] {
        &self.trees
    }

    /// The classes seen in training, sorted (sklearn's `classes_`).
    pub fn classes(&self) -> &[i64] {
        &self.classes
    }

    /// Nodes of all trees together.
    pub fn total_nodes(&self) -> usize {
        self.trees.iter().map(Tree::node_count).sum()
    }

    /// Each tree's seed, as sklearn draws them (`RandomState(random_state).randint(MAX_INT, size=n_estimators)`).
    pub fn tree_seeds(&self) -> &[u32] {
        &self.seeds
    }

    /// Mean of the trees' leaf class fractions, row-major `n_rows x n_classes`, summed in
    /// tree order (so the result does not depend on the thread count). Parallel over rows.
    /// Panics if `x` has a different number of columns than the training data.
    pub fn predict_proba(&self, x: &Features) -> Vec<f64> {
        self.sum_proba(x, |_, _| true)
            .into_iter()
            .map(|v| v / self.trees.len() as f64)
            .collect()
    }

    /// Per row, the sum of the class fractions of the trees `use_tree(tree, row)` selects.
    fn sum_proba<F>(&self, x: &Features, use_tree: F) -> Vec<f64>
    where
        F: Fn(usize, usize) -> bool + Sync,
    {
        assert_eq!(
            x.n_cols(),
            self.n_features,
            "X has {} features, the forest was fitted with {}",
            x.n_cols(),
            self.n_features
        );
        let k = self.classes.len();
        let mut out = vec![0.0; x.n_rows() * k];
        out.par_chunks_mut(PREDICT_CHUNK * k)
            .enumerate()
            .for_each(|(chunk, out)| {
                let start = chunk * PREDICT_CHUNK;
                let end = (start + PREDICT_CHUNK).min(x.n_rows());
                let mut rows = Vec::new();
                x.rows_into(start, end, &mut rows);
                for (t, tree) in self.trees.iter().enumerate() {
                    for (i, row) in rows.chunks_exact(x.n_cols()).enumerate() {
                        if use_tree(t, start + i) {
                            let acc = &mut out[i * k..(i + 1) * k];
                            for (a, v) in acc.iter_mut().zip(tree.leaf_values(row)) {
                                *a += v;
                            }
                        }
                    }
                }
            });
        out
    }

    /// The most probable class of each row (the first class on ties, like numpy's argmax).
    pub fn predict(&self, x: &Features) -> Vec<i64> {
        let proba = self.predict_proba(x);
        self.argmax_classes(&proba)
    }

    fn argmax_classes(&self, proba: &[f64]) -> Vec<i64> {
        proba
            .chunks_exact(self.classes.len())
            .map(|row| {
                let best = row
                    .iter()
                    .enumerate()
                    .fold(0, |best, (i, &v)| if v > row[best] { i } else { best });
                self.classes[best]
            })
            .collect()
    }

    /// Fraction of rows whose predicted class equals `y` (sklearn's `score`); 0 for no rows.
    pub fn accuracy(&self, x: &Features, y: &[i64]) -> f64 {
        fraction_equal(&self.predict(x), y)
    }

    /// sklearn's `oob_score_`: every training row is predicted by the trees whose bootstrap
    /// left it out (each bootstrap is redrawn from the tree's seed). A row that every tree drew
    /// gets all-zero probabilities and so the first class, as in sklearn (which warns).
    /// `x` and `y` must be the training data; `None` without bootstrap or if `x` has another
    /// number of rows than the training data.
    pub fn oob_accuracy(&self, x: &Features, y: &[i64]) -> Option<f64> {
        let n_boot = self.n_samples_bootstrap?;
        if x.n_rows() != self.n_samples_fit || y.len() != self.n_samples_fit {
            return None;
        }
        let n = self.n_samples_fit;
        // One bit per (tree, row): set when the tree's bootstrap drew the row.
        let in_bag: Vec<Vec<u64>> = self
            .seeds
            .par_iter()
            .map(|&seed| {
                let mut bits = vec![0u64; n.div_ceil(64)];
                for (row, &count) in bootstrap_counts(seed, n, n_boot).iter().enumerate() {
                    bits[row / 64] |= u64::from(count > 0) << (row % 64);
                }
                bits
            })
            .collect();
        let out_of_bag = |t: usize, row: usize| in_bag[t][row / 64] & (1 << (row % 64)) == 0;
        let mut proba = self.sum_proba(x, out_of_bag);
        // Average over the trees that predicted each row, as sklearn does before its argmax.
        let k = self.classes.len();
        proba.par_chunks_mut(k).enumerate().for_each(|(row, p)| {
            let n_trees = (0..self.trees.len())
                .filter(|&t| out_of_bag(t, row))
                .count();
            for v in p {
                *v /= n_trees.max(1) as f64;
            }
        });
        Some(fraction_equal(&self.argmax_classes(&proba), y))
    }
}

fn fraction_equal(a: &[i64], b: &[i64]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(p, t)| p == t).count();
    same as f64 / a.len() as f64
}
