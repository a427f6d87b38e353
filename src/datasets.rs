//! sklearn's `make_classification` and `train_test_split`, reproduced draw for draw.
//!
//! Given the same parameters and `random_state`, [`ValidClassificationParams::generate`] returns
//! sklearn 1.9's `X` and `y` bit for bit: the random streams are numpy's ([`RandomState`]) and the
//! matrix products are rounded the way numpy 2.4's OpenBLAS (SkylakeX kernels) rounds them
//! (`shared/oracles/SPEC-make_classification.md` §3, extended to the small-matrix `dgemm` tail
//! and `dgemv_n`). [`train_test_split`] returns sklearn's split indices.
//!
//! ```
//! use coresweep::datasets::ClassificationParams;
//!
//! let params = ClassificationParams { n_samples: 200, random_state: 3, ..Default::default() };
//! let data = params.check()?.generate();
//! assert_eq!((data.n_samples, data.n_features), (200, 20));
//! assert_eq!(data.x.len(), 200 * 20);
//! assert!(data.y.iter().all(|&label| label == 0 || label == 1));
//! # Ok::<(), coresweep::Error>(())
//! ```

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::Error;
use crate::rng::{RandomState, mul_add};

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
    params: ClassificationParams,
    /// One weight per class (a short list completed as sklearn does).
    weights: Vec<f64>,
}

/// A generated dataset: `x` is row-major `n_samples x n_features`, `y` the class of each row.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Number of rows.
    pub n_samples: usize,
    /// Number of columns.
    pub n_features: usize,
    /// The features, row-major.
    pub x: Vec<f64>,
    /// The class labels, `0..n_classes`.
    pub y: Vec<i64>,
}

/// Every intermediate value of one generation, to check the port against sklearn step by step
/// (see [`ValidClassificationParams::generate_with_trace`]). Matrices are row-major.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GenerationTrace {
    /// Samples in each cluster, in cluster order.
    pub n_samples_per_cluster: Vec<usize>,
    /// The hypercube vertices drawn for the (last 30 at most) informative dimensions.
    pub hypercube_vertex_ids: Vec<u64>,
    /// Cluster centres, `n_clusters x n_informative`.
    pub centroids: Vec<f64>,
    /// The standard normals of the informative features, `n_samples x n_informative`.
    pub x_informative_raw_normals: Vec<f64>,
    /// Each cluster's covariance factor `A`, `n_informative x n_informative`.
    pub a: Vec<Vec<f64>>,
    /// Informative features after `X_k @ A + centroid`.
    pub x_informative_after_clusters: Vec<f64>,
    /// The redundant mixing matrix `B`, `n_informative x n_redundant`.
    pub b: Vec<f64>,
    /// Redundant features, `n_samples x n_redundant`.
    pub x_redundant: Vec<f64>,
    /// The uniforms that chose the repeated columns.
    pub repeat_uniforms: Vec<f64>,
    /// The columns that were repeated.
    pub repeat_indices: Vec<usize>,
    /// The noise features, `n_samples x n_random`.
    pub x_random: Vec<f64>,
    /// One uniform per sample, compared with `flip_y`.
    pub flip_uniforms: Vec<f64>,
    /// Samples whose label was redrawn.
    pub flip_mask_indices: Vec<usize>,
    /// Their new labels.
    pub flip_new_labels: Vec<i64>,
    /// The shift added to each feature (before shuffling).
    pub shift: Vec<f64>,
    /// The factor applied to each feature (before shuffling).
    pub scale: Vec<f64>,
    /// `X` after shift and scale, before shuffling.
    pub x_before_shuffle: Vec<f64>,
    /// `y` before shuffling.
    pub y_before_shuffle: Vec<i64>,
    /// Output row `i` is row `row_permutation[i]` before shuffling (empty without shuffle).
    pub row_permutation: Vec<usize>,
    /// Output column `j` is column `col_permutation[j]` before shuffling (empty without shuffle).
    pub col_permutation: Vec<usize>,
    /// The generator after the last draw.
    pub rng_after: Option<RandomState>,
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

    /// Generates sklearn's `make_classification(**params)`.
    ///
    /// ```
    /// use coresweep::datasets::ClassificationParams;
    ///
    /// let params = ClassificationParams { n_samples: 20, n_features: 6, n_informative: 3,
    ///     n_redundant: 1, n_repeated: 1, n_classes: 3, n_clusters_per_class: 1,
    ///     ..Default::default() };
    /// let data = params.check()?.generate();
    /// // sklearn: make_classification(20, 6, n_informative=3, n_redundant=1, n_repeated=1,
    /// //          n_classes=3, n_clusters_per_class=1, random_state=0)[1]
    /// assert_eq!(data.y, [0, 0, 0, 0, 1, 1, 0, 1, 1, 2, 2, 2, 1, 2, 1, 1, 2, 0, 2, 0]);
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn generate(&self) -> Dataset {
        Generator::new(self, None).run()
    }

    /// [`generate`](Self::generate), also returning every intermediate value.
    pub fn generate_with_trace(&self) -> (Dataset, GenerationTrace) {
        let mut trace = GenerationTrace::default();
        let data = Generator::new(self, Some(&mut trace)).run();
        (data, trace)
    }

    /// Samples per cluster: `int(n_samples * w / n_clusters_per_class)`, the remainder dealt
    /// round-robin over the clusters.
    fn samples_per_cluster(&self) -> Vec<usize> {
        let p = &self.params;
        let n_clusters = p.n_classes * p.n_clusters_per_class;
        let mut counts: Vec<usize> = (0..n_clusters)
            .map(|k| {
                (p.n_samples as f64 * self.weights[k % p.n_classes] / p.n_clusters_per_class as f64)
                    as usize
            })
            .collect();
        let total = counts.iter().fold(0usize, |sum, &c| sum.saturating_add(c));
        for i in 0..p.n_samples.saturating_sub(total) {
            counts[i % n_clusters] += 1;
        }
        counts
    }
}

/// One run of `make_classification`, step by step in sklearn's order (SPEC §2).
struct Generator<'a> {
    valid: &'a ValidClassificationParams,
    rng: RandomState,
    trace: Option<&'a mut GenerationTrace>,
    /// Row-major `n_samples x n_features`.
    x: Vec<f64>,
    y: Vec<i64>,
}

impl<'a> Generator<'a> {
    fn new(valid: &'a ValidClassificationParams, trace: Option<&'a mut GenerationTrace>) -> Self {
        let p = &valid.params;
        Generator {
            valid,
            rng: RandomState::new(p.random_state),
            trace,
            x: vec![0.0; p.n_samples * p.n_features],
            y: vec![0; p.n_samples],
        }
    }

    fn record(&mut self, store: impl FnOnce(&mut GenerationTrace)) {
        if let Some(trace) = self.trace.as_deref_mut() {
            store(trace);
        }
    }

    fn run(mut self) -> Dataset {
        let p = self.valid.params.clone();
        let (n, nf, n_inf) = (p.n_samples, p.n_features, p.n_informative);
        let n_clusters = p.n_classes * p.n_clusters_per_class;
        let per_cluster = self.valid.samples_per_cluster();
        self.record(|t| t.n_samples_per_cluster = per_cluster.clone());

        let centroids = self.centroids(&p, n_clusters);
        self.record(|t| t.centroids = centroids.clone());

        for i in 0..n {
            for value in &mut self.x[i * nf..i * nf + n_inf] {
                *value = self.rng.standard_normal();
            }
        }
        self.record_columns(0, n_inf, |t, v| t.x_informative_raw_normals = v);

        self.clusters(&p, &per_cluster, &centroids);
        self.record_columns(0, n_inf, |t, v| t.x_informative_after_clusters = v);

        if p.n_redundant > 0 {
            let b = self.uniform_matrix(n_inf * p.n_redundant);
            self.record(|t| t.b = b.clone());
            self.redundant(&p, &b);
            self.record_columns(n_inf, p.n_redundant, |t, v| t.x_redundant = v);
        }

        let n_mixed = n_inf + p.n_redundant;
        if p.n_repeated > 0 {
            let uniforms: Vec<f64> = (0..p.n_repeated)
                .map(|_| self.rng.random_sample())
                .collect();
            let indices: Vec<usize> = uniforms
                .iter()
                .map(|u| ((n_mixed - 1) as f64 * u + 0.5) as usize)
                .collect();
            for row in self.x.chunks_exact_mut(nf) {
                for (c, &j) in indices.iter().enumerate() {
                    row[n_mixed + c] = row[j];
                }
            }
            self.record(|t| {
                t.repeat_uniforms = uniforms;
                t.repeat_indices = indices;
            });
        }

        let n_random = nf - n_mixed - p.n_repeated;
        if n_random > 0 {
            for row in self.x.chunks_exact_mut(nf) {
                for value in &mut row[nf - n_random..] {
                    *value = self.rng.standard_normal();
                }
            }
            self.record_columns(nf - n_random, n_random, |t, v| t.x_random = v);
        }

        self.flip_labels(&p);
        self.shift_and_scale(&p);
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.x_before_shuffle = self.x.clone();
            trace.y_before_shuffle = self.y.clone();
        }

        if p.shuffle {
            self.shuffle(n, nf);
        }
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.rng_after = Some(self.rng.clone());
        }
        Dataset {
            n_samples: n,
            n_features: nf,
            x: self.x,
            y: self.y,
        }
    }

    /// Copies columns `first..first+count` of `x` into the trace, if tracing.
    fn record_columns(
        &mut self,
        first: usize,
        count: usize,
        store: impl FnOnce(&mut GenerationTrace, Vec<f64>),
    ) {
        if let Some(trace) = self.trace.as_deref_mut() {
            let nf = self.valid.params.n_features;
            let columns = self
                .x
                .chunks_exact(nf)
                .flat_map(|row| row[first..first + count].iter().copied())
                .collect();
            store(trace, columns);
        }
    }

    /// `2 * uniform(size) - 1`, row-major.
    fn uniform_matrix(&mut self, size: usize) -> Vec<f64> {
        (0..size)
            .map(|_| 2.0 * self.rng.random_sample() - 1.0)
            .collect()
    }

    /// Cluster centres on hypercube vertices (`±class_sep`), optionally squeezed at random.
    fn centroids(&mut self, p: &ClassificationParams, n_clusters: usize) -> Vec<f64> {
        let n_inf = p.n_informative;
        let (bits, vertex_ids) = generate_hypercube(n_clusters, n_inf, &mut self.rng);
        self.record(|t| t.hypercube_vertex_ids = vertex_ids);
        let side = 2.0 * p.class_sep;
        let mut centroids: Vec<f64> = bits
            .iter()
            .map(|&b| f64::from(b) * side - p.class_sep)
            .collect();
        if !p.hypercube {
            let per_cluster: Vec<f64> = (0..n_clusters).map(|_| self.rng.random_sample()).collect();
            let per_feature: Vec<f64> = (0..n_inf).map(|_| self.rng.random_sample()).collect();
            for (row, u1) in centroids.chunks_exact_mut(n_inf).zip(&per_cluster) {
                for (c, u2) in row.iter_mut().zip(&per_feature) {
                    *c = (*c * u1) * u2;
                }
            }
        }
        centroids
    }

    /// Each cluster's rows (a contiguous block) get its label, then `X_k @ A + centroid`.
    /// `A` is drawn for every cluster, empty ones included.
    fn clusters(&mut self, p: &ClassificationParams, per_cluster: &[usize], centroids: &[f64]) {
        let (n, nf, n_inf) = (p.n_samples, p.n_features, p.n_informative);
        let mut stop = 0usize;
        for (k, &count) in per_cluster.iter().enumerate() {
            let start = stop.min(n);
            stop = stop.saturating_add(count);
            let end = stop.min(n);
            let a = self.uniform_matrix(n_inf * n_inf);
            let centroid = &centroids[k * n_inf..(k + 1) * n_inf];
            for label in &mut self.y[start..end] {
                *label = (k % p.n_classes) as i64;
            }
            let product = np_dot(&self.x, nf, start..end, n_inf, &a, n_inf);
            for (i, prod_row) in (start..end).zip(product.chunks_exact(n_inf)) {
                let row = &mut self.x[i * nf..i * nf + n_inf];
                for ((x, prod), c) in row.iter_mut().zip(prod_row).zip(centroid) {
                    *x = prod + c;
                }
            }
            self.record(|t| t.a.push(a));
        }
    }

    /// Redundant columns `X[:, :n_inf] @ B`.
    fn redundant(&mut self, p: &ClassificationParams, b: &[f64]) {
        let (n, nf, n_inf, n_red) = (p.n_samples, p.n_features, p.n_informative, p.n_redundant);
        let product = np_dot(&self.x, nf, 0..n, n_inf, b, n_red);
        for (row, prod_row) in self.x.chunks_exact_mut(nf).zip(product.chunks_exact(n_red)) {
            row[n_inf..n_inf + n_red].copy_from_slice(prod_row);
        }
    }

    /// One uniform per sample (always drawn), then a new random label for each sample whose
    /// uniform is below `flip_y`.
    fn flip_labels(&mut self, p: &ClassificationParams) {
        let uniforms: Vec<f64> = (0..p.n_samples).map(|_| self.rng.random_sample()).collect();
        let flipped: Vec<usize> = (0..p.n_samples)
            .filter(|&i| uniforms[i] < p.flip_y)
            .collect();
        let mut new_labels = Vec::with_capacity(flipped.len());
        for &i in &flipped {
            let label = self.rng.randint(0, p.n_classes as i64);
            self.y[i] = label;
            new_labels.push(label);
        }
        self.record(|t| {
            t.flip_uniforms = uniforms;
            t.flip_mask_indices = flipped;
            t.flip_new_labels = new_labels;
        });
    }

    /// `X += shift` then `X *= scale` (applied even for 0 and 1, as numpy does: `-0.0 + 0.0`
    /// is `0.0`).
    fn shift_and_scale(&mut self, p: &ClassificationParams) {
        let nf = p.n_features;
        let shift: Vec<f64> = match p.shift {
            Shift::Value(v) => vec![v; nf],
            Shift::Random => (0..nf)
                .map(|_| (2.0 * self.rng.random_sample() - 1.0) * p.class_sep)
                .collect(),
        };
        for row in self.x.chunks_exact_mut(nf) {
            for (x, s) in row.iter_mut().zip(&shift) {
                *x += s;
            }
        }
        let scale: Vec<f64> = match p.scale {
            Scale::Value(v) => vec![v; nf],
            Scale::Random => (0..nf)
                .map(|_| 1.0 + 100.0 * self.rng.random_sample())
                .collect(),
        };
        for row in self.x.chunks_exact_mut(nf) {
            for (x, s) in row.iter_mut().zip(&scale) {
                *x *= s;
            }
        }
        self.record(|t| {
            t.shift = shift;
            t.scale = scale;
        });
    }

    /// sklearn's `util_shuffle(X, y)` (rows), then a shuffle of the columns.
    fn shuffle(&mut self, n: usize, nf: usize) {
        let rows = self.rng.permutation(n);
        let cols = self.rng.permutation(nf);
        let mut x = Vec::with_capacity(n * nf);
        for &r in &rows {
            let row = &self.x[r * nf..(r + 1) * nf];
            x.extend(cols.iter().map(|&c| row[c]));
        }
        self.x = x;
        self.y = rows.iter().map(|&r| self.y[r]).collect();
        self.record(|t| {
            t.row_permutation = rows;
            t.col_permutation = cols;
        });
    }
}

/// `np.dot(X[rows, :k], W)` for a row-major `k x n` matrix `W`, returned row-major.
///
/// numpy hands the product to OpenBLAS 0.3.31, whose SkylakeX kernels round differently by
/// shape (SPEC §3, and OpenBLAS's `dgemm_small_kernel_nn_skylakex.c`, `dgemv_n_4.c`,
/// `dgemv_t_4.c`); each entry here is rounded as the kernel numpy reaches would round it:
/// - one row and one column (`ddot`): an FMA chain;
/// - one row, several columns: `dgemv_n` ([`gemv_n`]);
/// - several rows, one column: `dgemv_t` ([`gemv_t_entry`]);
/// - otherwise `dgemm` ([`gemm`]).
fn np_dot(x: &[f64], stride: usize, rows: Range<usize>, k: usize, w: &[f64], n: usize) -> Vec<f64> {
    let m = rows.len();
    let row = |j: usize| &x[(rows.start + j) * stride..][..k];
    let mut out = vec![0.0; m * n];
    match (m, n) {
        (0, _) => {}
        (1, 1) => fma_chains(row(0), w, 1, &mut out),
        (1, _) => gemv_n(row(0), w, &mut out),
        (_, 1) => {
            for (j, o) in out.iter_mut().enumerate() {
                *o = gemv_t_entry(row(j), w, j, m);
            }
        }
        _ => gemm(&row, m, k, w, n, &mut out),
    }
    out
}

/// `out[c] = x @ W[:, c]` for the first `out.len()` columns of a row-major `k x n` matrix,
/// each a sequential FMA chain over k starting from 0 (OpenBLAS's dgemm kernels).
fn fma_chains(x: &[f64], w: &[f64], n: usize, out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has the features the function is compiled for (checked just above).
        return unsafe { fma_chains_x86(x, w, n, out) };
    }
    fma_chains_portable(x, w, n, out);
}

/// [`fma_chains`] compiled with hardware FMA: the same correctly rounded results, but
/// `mul_add` becomes one vectorised instruction instead of a call into libm.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn fma_chains_x86(x: &[f64], w: &[f64], n: usize, out: &mut [f64]) {
    fma_chains_portable(x, w, n, out);
}

/// The loop runs over k outside, so the independent chains (one per column) sit side by side
/// and vectorise.
#[inline(always)]
fn fma_chains_portable(x: &[f64], w: &[f64], n: usize, out: &mut [f64]) {
    out.fill(0.0);
    for (&xv, w_row) in x.iter().zip(w.chunks_exact(n)) {
        for (acc, &wv) in out.iter_mut().zip(w_row) {
            *acc = mul_add(xv, wv, *acc);
        }
    }
}

/// `dgemm` (several rows, several columns). Products of at most 10^6 multiply-adds go to the
/// "small matrix" kernel, which uses FMA chains except for a tail of 1 to 4 columns after the
/// last multiple of 8 when k >= 16: those are dot products with 8 lanes over k, reduced by one
/// of two trees. Larger products use the regular kernel: FMA chains throughout.
fn gemm<'a>(
    row: &impl Fn(usize) -> &'a [f64],
    m: usize,
    k: usize,
    w: &[f64],
    n: usize,
    out: &mut [f64],
) {
    let small = (m as f64) * (n as f64) * (k as f64) <= 1e6;
    let tail_start = n & !7;
    let tail = n - tail_start;
    let dot_tail = small && (1..=4).contains(&tail) && k >= 16;
    let chain_cols = if dot_tail { tail_start } else { n };
    let mut column = vec![0.0; k];
    for (j, out_row) in out.chunks_exact_mut(n).enumerate() {
        fma_chains(row(j), w, n, &mut out_row[..chain_cols]);
    }
    if !dot_tail {
        return;
    }
    for c in tail_start..n {
        for (r, v) in column.iter_mut().enumerate() {
            *v = w[r * n + c];
        }
        for (j, out_row) in out.chunks_exact_mut(n).enumerate() {
            let l = eight_lanes(row(j), &column);
            // Groups of 4 output values are reduced with a transpose network; the leftovers
            // with `_mm512_reduce_add_pd`.
            out_row[c] = if tail == 4 || j < m & !3 {
                ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
            } else {
                ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))
            };
        }
    }
}

/// Eight FMA accumulators over k, lane `l` taking the indices `≡ l (mod 8)`.
fn eight_lanes(a: &[f64], b: &[f64]) -> [f64; 8] {
    let mut lanes = [0.0f64; 8];
    for (a8, b8) in a.chunks(8).zip(b.chunks(8)) {
        for ((lane, &p), &q) in lanes.iter_mut().zip(a8).zip(b8) {
            *lane = mul_add(p, q, *lane);
        }
    }
    lanes
}

/// `dgemv_n` (one row times a row-major `k x n` matrix). Outputs in blocks of 4 add one term
/// per group of 4 inputs, `fma(a3, x3, fma(a2, x2, fma(a0, x0, a1 * x1)))` (the contracted C
/// of the SkylakeX kernel), then the k % 4 leftover inputs one product at a time (SSE, no FMA);
/// the last n % 4 outputs are plain FMA chains.
fn gemv_n(x: &[f64], w: &[f64], out: &mut [f64]) {
    let (k, n) = (x.len(), out.len());
    let blocked = n - n % 4;
    let groups = k - k % 4;
    for (c, o) in out.iter_mut().enumerate() {
        let a = |r: usize| w[r * n + c];
        *o = if c < blocked {
            let mut y = 0.0;
            for r in (0..groups).step_by(4) {
                y += mul_add(
                    x[r + 3],
                    a(r + 3),
                    mul_add(x[r + 2], a(r + 2), mul_add(x[r], a(r), x[r + 1] * a(r + 1))),
                );
            }
            for (r, &xv) in x.iter().enumerate().skip(groups) {
                y += xv * a(r);
            }
            y
        } else {
            x.iter()
                .enumerate()
                .fold(0.0, |acc, (r, &xv)| mul_add(xv, a(r), acc))
        };
    }
}

/// Entry `j` of `dgemv_t` (`m` rows times one column `v`), as OpenBLAS's Haswell/SkylakeX
/// kernel rounds it (`gemv_t` in `pure_reference.py`): blocks of 4 along k; rows in groups of
/// 4 use 4 FMA lanes, leftover rows the non-FMA 4x2 / 4x1 kernels; then the k % 4 tail.
fn gemv_t_entry(a: &[f64], v: &[f64], j: usize, m: usize) -> f64 {
    let k = a.len();
    let nb = k - k % 4;
    let rows_of_four = 4 * (m / 4);
    let pair_rows = if (m % 4) & 2 != 0 { 2 } else { 0 };
    let mut out = 0.0;
    if nb > 0 {
        let t = if j < rows_of_four {
            let mut lanes = [0.0f64; 4];
            for (a4, v4) in a[..nb].chunks_exact(4).zip(v[..nb].chunks_exact(4)) {
                for ((lane, &p), &q) in lanes.iter_mut().zip(a4).zip(v4) {
                    *lane = mul_add(p, q, *lane);
                }
            }
            (lanes[0] + lanes[2]) + (lanes[1] + lanes[3])
        } else if j < rows_of_four + pair_rows {
            let mut lanes = [0.0f64; 2];
            for (a2, v2) in a[..nb].chunks_exact(2).zip(v[..nb].chunks_exact(2)) {
                lanes[0] += a2[0] * v2[0];
                lanes[1] += a2[1] * v2[1];
            }
            lanes[0] + lanes[1]
        } else {
            let (mut p, mut q) = ([0.0f64; 2], [0.0f64; 2]);
            for (a4, v4) in a[..nb].chunks_exact(4).zip(v[..nb].chunks_exact(4)) {
                p[0] += a4[0] * v4[0];
                p[1] += a4[1] * v4[1];
                q[0] += a4[2] * v4[2];
                q[1] += a4[3] * v4[3];
            }
            (p[0] + q[0]) + (p[1] + q[1])
        };
        out = 0.0 + t;
    }
    let (ta, tv) = (&a[nb..], &v[nb..]);
    match ta.len() {
        0 => {}
        1 => out = mul_add(ta[0], tv[0], out),
        len => {
            let mut s = mul_add(ta[0], tv[0], ta[1] * tv[1]);
            if len == 3 {
                s = mul_add(ta[2], tv[2], s);
            }
            out += s;
        }
    }
    out
}

/// Whether sklearn's `sample_without_replacement` (method "auto") takes the permutation branch.
fn sample_uses_permutation(n_population: u64, n_samples: u64) -> bool {
    let ratio = n_samples as f64 / n_population as f64;
    0.01 < ratio && ratio < 0.99
}

/// sklearn's `sample_without_replacement(n_population, n_samples, method="auto")` with a
/// numpy `RandomState`: a permutation prefix for ratios strictly between 0.01 and 0.99,
/// tracking selection below, reservoir sampling above (which draws nothing when
/// `n_samples == n_population`).
///
/// # Panics
/// If `n_samples > n_population` (sklearn raises `ValueError`).
///
/// ```
/// use coresweep::datasets::sample_without_replacement;
/// use coresweep::rng::RandomState;
///
/// let mut rng = RandomState::new(0);
/// assert_eq!(sample_without_replacement(8, 3, &mut rng), [6, 2, 1]);
/// ```
pub fn sample_without_replacement(
    n_population: u64,
    n_samples: usize,
    rng: &mut RandomState,
) -> Vec<u64> {
    assert!(
        n_samples as u64 <= n_population,
        "sample_without_replacement: n_samples > n_population"
    );
    let high = n_population as i64;
    if sample_uses_permutation(n_population, n_samples as u64) {
        let mut all: Vec<u64> = (0..n_population).collect();
        rng.shuffle(&mut all);
        all.truncate(n_samples);
        all
    } else if (n_samples as f64 / n_population as f64) < 0.2 {
        let mut selected = HashSet::with_capacity(n_samples);
        (0..n_samples)
            .map(|_| {
                loop {
                    let j = rng.randint(0, high) as u64;
                    if selected.insert(j) {
                        break j;
                    }
                }
            })
            .collect()
    } else {
        let mut out: Vec<u64> = (0..n_samples as u64).collect();
        for i in n_samples as u64..n_population {
            let j = rng.randint(0, i as i64 + 1) as usize;
            if j < n_samples {
                out[j] = i;
            }
        }
        out
    }
}

/// sklearn's `_generate_hypercube`: `samples` distinct vertices of the `dimensions`-cube as a
/// row-major 0/1 matrix, plus the vertex ids drawn for the last (at most 30) dimensions.
/// Beyond 30 dimensions the leading columns are independent coin flips, drawn first.
fn generate_hypercube(
    samples: usize,
    dimensions: usize,
    rng: &mut RandomState,
) -> (Vec<u8>, Vec<u64>) {
    let extra = dimensions.saturating_sub(30);
    let coins: Vec<u8> = (0..samples * extra)
        .map(|_| rng.randint(0, 2) as u8)
        .collect();
    let dims = dimensions - extra;
    let ids = sample_without_replacement(1u64 << dims, samples, rng);
    let mut bits = Vec::with_capacity(samples * dimensions);
    for (i, &id) in ids.iter().enumerate() {
        bits.extend_from_slice(&coins[i * extra..(i + 1) * extra]);
        bits.extend((0..dims).map(|d| ((id >> (dims - 1 - d)) & 1) as u8));
    }
    (bits, ids)
}

/// Checks a hold-out share on its own: a fraction in (0, 1) (param `test_size`).
/// [`check_split`] also refuses a share that leaves either set empty.
pub fn check_test_size(test_size: f64) -> Result<f64, Error> {
    if !(test_size > 0.0 && test_size < 1.0) {
        return Err(Error::param(
            "test_size",
            format!("must be a fraction in (0, 1), got {test_size}"),
        ));
    }
    Ok(test_size)
}

/// The sizes `(n_train, n_test)` of [`train_test_split`] of `n_samples` rows, with
/// `n_test = ceil(test_size * n_samples)`; refused (param `test_size`) when either set would be
/// empty, as sklearn refuses it, so a caller can check before any work.
///
/// ```
/// use coresweep::datasets::check_split;
///
/// assert_eq!(check_split(10, 0.25)?, (7, 3));
/// assert_eq!(check_split(60, 0.999).unwrap_err().parameter(), Some("test_size"));
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn check_split(n_samples: usize, test_size: f64) -> Result<(usize, usize), Error> {
    check_test_size(test_size)?;
    let n_test = (test_size * n_samples as f64).ceil() as usize;
    let n_train = n_samples.saturating_sub(n_test);
    if n_train == 0 || n_test == 0 {
        return Err(Error::param(
            "test_size",
            format!(
                "with n_samples={n_samples} and test_size={test_size} the {} set would be empty",
                if n_train == 0 { "train" } else { "test" }
            ),
        ));
    }
    Ok((n_train, n_test))
}

/// sklearn's `train_test_split(range(n_samples), test_size=test_size, random_state=seed)`
/// (shuffle, no stratification): `n_test = ceil(test_size * n_samples)`, the rest for training,
/// both taken from numpy's `permutation(n_samples)`. Returns `(train, test)` indices.
///
/// ```
/// use coresweep::datasets::train_test_split;
///
/// let (train, test) = train_test_split(10, 0.25, 0)?;
/// // np.random.RandomState(0).permutation(10) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
/// assert_eq!(test, [2, 8, 4]);
/// assert_eq!(train, [9, 1, 6, 7, 3, 0, 5]);
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn train_test_split(
    n_samples: usize,
    test_size: f64,
    random_state: u32,
) -> Result<(Vec<usize>, Vec<usize>), Error> {
    let (_, n_test) = check_split(n_samples, test_size)?;
    let mut permutation = RandomState::new(random_state).permutation(n_samples);
    let train = permutation.split_off(n_test);
    Ok((train, permutation))
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
