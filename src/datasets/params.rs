//! The parameters of `make_classification`: sklearn's names and defaults, the seed's experiment
//! ([`ClassificationParams::blog`]), validation into [`ValidClassificationParams`], and the
//! serde form of `shift` and `scale`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::sample::sample_uses_permutation;
use crate::Error;

/// The most memory one generated array may take (the wasm build has 1 GiB in all).
pub const MAX_ARRAY_BYTES: u64 = 512 * 1024 * 1024;

/// sklearn's `shift`: added to every feature. `Random` is sklearn's `None`: one value per feature
/// drawn from `[-class_sep, class_sep)`. Serialized as a number or the string `"random"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shift {
    /// The same shift for every feature.
    Value(f64),
    /// A random shift per feature (sklearn's `shift=None`).
    Random,
}

/// sklearn's `scale`: multiplies every feature after the shift. `Random` is sklearn's `None`:
/// one factor per feature drawn from `[1, 101)`. Serialized as a number or the string `"random"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// The same factor for every feature.
    Value(f64),
    /// A random factor per feature (sklearn's `scale=None`).
    Random,
}

/// The parameters of sklearn's `make_classification`, with sklearn's names and defaults
/// (`random_state` defaults to 0, since the engine needs a seed). Missing JSON fields take
/// the defaults.
///
/// ```
/// use coresweep::datasets::{ClassificationParams, Shift};
///
/// let p: ClassificationParams = serde_json::from_str(r#"{"n_samples": 50, "shift": "random"}"#)?;
/// assert_eq!(p.n_samples, 50);
/// assert_eq!(p.n_features, 20);
/// assert_eq!(p.shift, Shift::Random);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClassificationParams {
    /// Number of samples (rows).
    pub n_samples: usize,
    /// Total number of features (columns).
    pub n_features: usize,
    /// Features that carry the class signal.
    pub n_informative: usize,
    /// Random linear combinations of the informative features.
    pub n_redundant: usize,
    /// Copies of informative or redundant features.
    pub n_repeated: usize,
    /// Number of classes.
    pub n_classes: usize,
    /// Gaussian clusters per class.
    pub n_clusters_per_class: usize,
    /// Share of samples per class (length `n_classes`, or `n_classes - 1` with the rest inferred);
    /// `None` means balanced.
    pub weights: Option<Vec<f64>>,
    /// Fraction of samples whose class is replaced by a random one.
    pub flip_y: f64,
    /// Half the side of the hypercube the cluster centres sit on.
    pub class_sep: f64,
    /// Centres on the hypercube's vertices (`false`: on a random polytope).
    pub hypercube: bool,
    /// Added to the features.
    pub shift: Shift,
    /// Multiplies the features after the shift.
    pub scale: Scale,
    /// Shuffle the samples and the features.
    pub shuffle: bool,
    /// The seed of numpy's `RandomState`.
    pub random_state: u32,
}

impl Default for ClassificationParams {
    fn default() -> Self {
        ClassificationParams {
            n_samples: 100,
            n_features: 20,
            n_informative: 2,
            n_redundant: 2,
            n_repeated: 0,
            n_classes: 2,
            n_clusters_per_class: 2,
            weights: None,
            flip_y: 0.01,
            class_sep: 1.0,
            hypercube: true,
            shift: Shift::Value(0.0),
            scale: Scale::Value(1.0),
            shuffle: true,
            random_state: 0,
        }
    }
}

/// Parameters that passed [`ClassificationParams::check`]; only these can generate data.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidClassificationParams {
    pub(super) params: ClassificationParams,
    /// One weight per class (a short list completed as sklearn does).
    pub(super) weights: Vec<f64>,
}

impl ClassificationParams {
    /// The seed's experiment: 10000 samples, 70 features (65 informative, 5 redundant),
    /// `random_state` 0, everything else sklearn's default.
    ///
    /// ```
    /// use coresweep::datasets::ClassificationParams;
    ///
    /// let blog = ClassificationParams::blog();
    /// assert_eq!((blog.n_samples, blog.n_features, blog.n_informative), (10000, 70, 65));
    /// assert!(blog.check().is_ok());
    /// ```
    pub fn blog() -> Self {
        ClassificationParams {
            n_samples: 10000,
            n_features: 70,
            n_informative: 65,
            n_redundant: 5,
            random_state: 0,
            ..Default::default()
        }
    }

    /// Validates like sklearn (each parameter's range, then the relations between them) and
    /// refuses datasets too large to hold in memory. The error names the offending parameter.
    ///
    /// ```
    /// use coresweep::datasets::ClassificationParams;
    ///
    /// let too_many = ClassificationParams { n_classes: 3, ..Default::default() };
    /// let err = too_many.check().unwrap_err();
    /// assert_eq!(err.parameter(), Some("n_classes"));
    /// ```
    pub fn check(&self) -> Result<ValidClassificationParams, Error> {
        let p = self;
        for (name, value) in [
            ("n_samples", p.n_samples),
            ("n_features", p.n_features),
            ("n_informative", p.n_informative),
            ("n_classes", p.n_classes),
            ("n_clusters_per_class", p.n_clusters_per_class),
        ] {
            if value < 1 {
                return Err(Error::param(
                    name,
                    format!("must be an integer >= 1, got {value}"),
                ));
            }
        }
        if !(0.0..=1.0).contains(&p.flip_y) {
            return Err(Error::param(
                "flip_y",
                format!("must be in [0, 1], got {}", p.flip_y),
            ));
        }
        if !(p.class_sep > 0.0 && p.class_sep.is_finite()) {
            return Err(Error::param(
                "class_sep",
                format!("must be a finite number > 0, got {}", p.class_sep),
            ));
        }
        if let Shift::Value(shift) = p.shift
            && !shift.is_finite()
        {
            return Err(Error::param(
                "shift",
                format!("must be a finite number or \"random\", got {shift}"),
            ));
        }
        if let Scale::Value(scale) = p.scale
            && !(scale > 0.0 && scale.is_finite())
        {
            return Err(Error::param(
                "scale",
                format!("must be a finite number > 0 or \"random\", got {scale}"),
            ));
        }
        let used = p
            .n_informative
            .saturating_add(p.n_redundant)
            .saturating_add(p.n_repeated);
        if used > p.n_features {
            return Err(Error::param(
                "n_informative",
                format!(
                    "n_informative + n_redundant + n_repeated must be <= n_features ({}), got {} + {} + {}",
                    p.n_features, p.n_informative, p.n_redundant, p.n_repeated
                ),
            ));
        }
        let n_clusters = p.n_classes.checked_mul(p.n_clusters_per_class);
        let fits_hypercube = match n_clusters {
            Some(n) => p.n_informative >= 64 || n as u64 <= 1u64 << p.n_informative,
            None => false,
        };
        if !fits_hypercube {
            return Err(Error::param(
                "n_classes",
                format!(
                    "n_classes * n_clusters_per_class must be <= 2**n_informative, got {} * {} with n_informative {}",
                    p.n_classes, p.n_clusters_per_class, p.n_informative
                ),
            ));
        }
        // Sizes first: resolve_weights allocates one value per class.
        check_memory(p)?;
        let weights = resolve_weights(p)?;
        Ok(ValidClassificationParams {
            params: p.clone(),
            weights,
        })
    }
}

/// How far from 1 a full list of weights may sum (room for shares typed with two decimals).
const WEIGHTS_SUM_TOLERANCE: f64 = 0.01;

/// sklearn's weights: `None` → balanced; `n_classes - 1` values → the last class gets
/// `1 - sum`. sklearn 1.9.1 takes any list of the right length and quietly makes other classes
/// than asked (n_samples=100, two clusters per class, flip_y=0):
///
/// - `[0.2, 0.3]` gives 45 and 55 rows (the 50 rows no class asked for go round-robin);
/// - `[0.7, 0.7]` gives 65 and 35 (the second class's rows run past the end and are cut);
/// - `[0.2, 0.3, 0.6]` for 3 classes gives 20, 30 and 50;
/// - `[1.5]` gives 100 and 0 (the last class gets a negative share);
/// - `[-0.5, 1.5]` gives 25 and 75;
/// - NaN or infinity fails in `int()` ("cannot convert float NaN to integer").
///
/// So the engine refuses: a weight that is NaN, infinite or negative; a full list not summing
/// to 1 (within [`WEIGHTS_SUM_TOLERANCE`]); a short list summing above 1; and weights whose
/// clusters (`int(n_samples * w / n_clusters_per_class)` rows each, as sklearn sizes them)
/// add up to more than `n_samples` rows, which sklearn would take from the last classes.
fn resolve_weights(p: &ClassificationParams) -> Result<Vec<f64>, Error> {
    let n_classes = p.n_classes;
    let Some(weights) = p.weights.as_deref() else {
        return Ok(vec![1.0 / n_classes as f64; n_classes]);
    };
    if weights.len() != n_classes && weights.len() != n_classes - 1 {
        return Err(Error::param(
            "weights",
            format!(
                "must have n_classes ({n_classes}) or n_classes - 1 values, got {}",
                weights.len()
            ),
        ));
    }
    if let Some(bad) = weights.iter().find(|w| !(w.is_finite() && **w >= 0.0)) {
        return Err(Error::param(
            "weights",
            format!("must be finite numbers >= 0, got {bad}"),
        ));
    }
    let sum = weights.iter().fold(0.0, |sum, w| sum + w);
    let mut resolved = weights.to_vec();
    if weights.len() == n_classes {
        // 1e-9: 0.505 + 0.505 is 1.0100000000000000089 in binary, yet within 0.01 as typed.
        if (sum - 1.0).abs() > WEIGHTS_SUM_TOLERANCE + 1e-9 {
            return Err(Error::param(
                "weights",
                format!(
                    "{n_classes} values for {n_classes} classes must sum to 1 (within {WEIGHTS_SUM_TOLERANCE}), got a sum of {sum}; or leave out the last class's value and it takes the rest"
                ),
            ));
        }
    } else if sum > 1.0 {
        return Err(Error::param(
            "weights",
            format!(
                "{} value{} for {n_classes} classes must sum to at most 1 (the last class gets the rest), got a sum of {sum}",
                weights.len(),
                if weights.len() == 1 { "" } else { "s" }
            ),
        ));
    } else {
        resolved.push(1.0 - sum);
    }
    let per_cluster = p.n_clusters_per_class as f64;
    let rows = resolved.iter().fold(0usize, |total, w| {
        let cluster = (p.n_samples as f64 * w / per_cluster) as usize;
        total.saturating_add(cluster.saturating_mul(p.n_clusters_per_class))
    });
    if rows > p.n_samples {
        return Err(Error::param(
            "weights",
            format!(
                "give {rows} rows for n_samples={} (n_samples * weight per class, rounded down per cluster), more than there are; sklearn would cut the last classes short. Lower a weight, or leave out the last class's value and it takes the rest",
                p.n_samples
            ),
        ));
    }
    Ok(resolved)
}

/// The parameter to name when the data (`n_samples` × `n_features` values) is too large: the
/// one further above the blog's 10000 × 70, the one most likely raised.
pub(crate) fn data_size_param(p: &ClassificationParams) -> &'static str {
    let blog = ClassificationParams::blog();
    let rows = p.n_samples as f64 / blog.n_samples as f64;
    let columns = p.n_features as f64 / blog.n_features as f64;
    if columns > rows {
        "n_features"
    } else {
        "n_samples"
    }
}

/// Refuses generations whose arrays would not fit in [`MAX_ARRAY_BYTES`], before allocating.
fn check_memory(p: &ClassificationParams) -> Result<(), Error> {
    let bytes = |elements: Option<u64>| elements.and_then(|n| n.checked_mul(8));
    let too_large = |param: &'static str, needed: Option<u64>| match needed {
        Some(n) if n <= MAX_ARRAY_BYTES => Ok(()),
        _ => Err(Error::TooLarge {
            param,
            needed_bytes: needed.unwrap_or(u64::MAX),
            limit_bytes: MAX_ARRAY_BYTES,
        }),
    };
    let (n, f, inf) = (
        p.n_samples as u64,
        p.n_features as u64,
        p.n_informative as u64,
    );
    too_large(data_size_param(p), bytes(n.checked_mul(f)))?;
    too_large("n_informative", bytes(inf.checked_mul(inf)))?;
    too_large(
        "n_classes",
        bytes((p.n_classes as u64).checked_mul(inf.max(1))),
    )?;
    let n_clusters = (p.n_classes as u64).saturating_mul(p.n_clusters_per_class as u64);
    too_large(
        "n_clusters_per_class",
        bytes(n_clusters.checked_mul(inf.max(1))),
    )?;
    let dims = p.n_informative.min(30);
    if sample_uses_permutation(1u64 << dims, n_clusters) {
        too_large("n_clusters_per_class", bytes(Some(1u64 << dims)))?;
    }
    Ok(())
}

impl ValidClassificationParams {
    /// The parameters as given.
    pub fn params(&self) -> &ClassificationParams {
        &self.params
    }
}

impl Serialize for Shift {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_number_or_random(
            match self {
                Shift::Value(v) => Some(*v),
                Shift::Random => None,
            },
            serializer,
        )
    }
}

impl<'de> Deserialize<'de> for Shift {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(deserializer
            .deserialize_any(NumberOrRandom)?
            .map_or(Shift::Random, Shift::Value))
    }
}

impl Serialize for Scale {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_number_or_random(
            match self {
                Scale::Value(v) => Some(*v),
                Scale::Random => None,
            },
            serializer,
        )
    }
}

impl<'de> Deserialize<'de> for Scale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(deserializer
            .deserialize_any(NumberOrRandom)?
            .map_or(Scale::Random, Scale::Value))
    }
}

fn serialize_number_or_random<S: Serializer>(
    value: Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => serializer.serialize_f64(v),
        None => serializer.serialize_str("random"),
    }
}

/// Reads `shift` / `scale`: a number (also as text, as forms and URLs send it), or
/// `"random"` / `null` for sklearn's `None`. `None` here means random.
struct NumberOrRandom;

impl<'de> Visitor<'de> for NumberOrRandom {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or \"random\"")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let text = v.trim();
        if text.eq_ignore_ascii_case("random") || text.eq_ignore_ascii_case("none") {
            return Ok(None);
        }
        text.parse::<f64>()
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}
