//! The fitted forest: prediction, accuracy and the out-of-bag score.

use rayon::prelude::*;

use super::Features;
use super::fit::bootstrap_counts;
use crate::tree::{LANES, Tree};

/// Rows per prediction task: enough to amortise the transpose, small enough to balance.
const PREDICT_CHUNK: usize = 256;

/// A fitted random forest.
#[derive(Clone, Debug)]
pub struct RandomForest {
    pub(super) trees: Vec<Tree>,
    pub(super) classes: Vec<i64>,
    pub(super) seeds: Vec<u32>,
    pub(super) n_features: usize,
    pub(super) n_samples_fit: usize,
    /// `None` when the trees were grown without bootstrap.
    pub(super) n_samples_bootstrap: Option<usize>,
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
                let row = |i: usize| &rows[i * x.n_cols()..(i + 1) * x.n_cols()];
                let mut selected = Vec::with_capacity(end - start);
                for (t, tree) in self.trees.iter().enumerate() {
                    selected.clear();
                    selected.extend((0..end - start).filter(|&i| use_tree(t, start + i)));
                    let mut add = |i: usize, values: &[f64]| {
                        for (a, v) in out[i * k..(i + 1) * k].iter_mut().zip(values) {
                            *a += v;
                        }
                    };
                    // Each row's sum still adds the trees in order, so the result is the
                    // same whichever rows share a walk.
                    let mut lanes = selected.chunks_exact(LANES);
                    for lane in lanes.by_ref() {
                        let lane: [usize; LANES] = lane.try_into().expect("chunks of LANES rows");
                        let values = tree.leaf_values_of_lanes(lane.map(row));
                        for (i, values) in lane.into_iter().zip(values) {
                            add(i, values);
                        }
                    }
                    for &i in lanes.remainder() {
                        add(i, tree.leaf_values(row(i)));
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
