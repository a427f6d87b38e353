//! `make_classification` itself: sklearn's steps in sklearn's order
//! (`sklearn/datasets/_samples_generator.py`), each drawing from numpy's `RandomState` exactly
//! as sklearn does.

use super::sample::sample_without_replacement;
use super::{ClassificationParams, Scale, Shift, ValidClassificationParams};
use crate::numeric::np_dot;
use crate::rng::RandomState;

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

impl ValidClassificationParams {
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

/// One run of `make_classification`, step by step in sklearn's order.
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
