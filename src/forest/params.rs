//! The forest's parameters: sklearn's names, defaults and serde spellings, validation into
//! [`ValidForestParams`], and the checks of the training data's shape.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::{Features, MAX_INT};
use crate::Error;

/// The most trees a forest may have (a guard against typing an extra zero or three).
const MAX_ESTIMATORS: usize = 100_000;

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
    pub(super) params: ForestParams,
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
        // Counted in 64 bits, so that the page's 32-bit wasm names the same number as the CLI.
        let draws = match self.params.max_samples {
            Some(MaxSamples::Count(k)) => k as u64,
            Some(MaxSamples::Fraction(f)) => ((f * n_rows as f64) as u64).max(1),
            None => 0,
        };
        if draws > MAX_INT as u64 {
            return Err(Error::param(
                "max_samples",
                format!(
                    "draws {draws} rows per tree with n_samples={n_rows}; at most {MAX_INT} are supported"
                ),
            ));
        }
        Ok(())
    }
}
