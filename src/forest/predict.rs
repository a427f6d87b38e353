//! The fitted forest: prediction, accuracy and the out-of-bag score.

use rayon::prelude::*;

use super::Features;
use super::fit::bootstrap_draws;
use crate::tree::{LANES, Tree, WalkTree};

/// Rows per prediction task: few enough that their values stay in cache while a block of
/// trees walks them, enough to balance.
const PREDICT_CHUNK: usize = 256;
/// Trees whose walk copies ([`WalkTree`]) exist at once.
const TREES_PER_WALK: usize = 16;
const _: () = assert!(
    PREDICT_CHUNK.is_multiple_of(64),
    "chunks start at a word of the row bits"
);

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
        let (sums, _) = self.sum_proba(x, |_, _| u64::MAX);
        sums.into_iter()
            .map(|v| v / self.trees.len() as f64)
            .collect()
    }

    /// Per row, the sum of the class fractions of the trees that select it, and how many
    /// trees did: `selected(tree, word)` has bit `b` set when the tree predicts row
    /// `64 * word + b`.
    fn sum_proba<F>(&self, x: &Features, selected: F) -> (Vec<f64>, Vec<u32>)
    where
        F: Fn(usize, usize) -> u64 + Sync,
    {
        assert_eq!(
            x.n_cols(),
            self.n_features,
            "X has {} features, the forest was fitted with {}",
            x.n_cols(),
            self.n_features
        );
        let k = self.classes.len();
        let mut sums = vec![0.0; x.n_rows() * k];
        let mut counts = vec![0u32; x.n_rows()];
        // The walks' copies of a block of trees at a time: their memory stays small beside the
        // forest's, and each block of rows is walked down all of them while its values are
        // in cache.
        for (block, trees) in self.trees.chunks(TREES_PER_WALK).enumerate() {
            let walks: Vec<WalkTree> = trees
                .par_iter()
                .map(|tree| WalkTree::new(tree, x.column_major(), x.n_rows()))
                .collect();
            let first_tree = block * TREES_PER_WALK;
            sums.par_chunks_mut(PREDICT_CHUNK * k)
                .zip(counts.par_chunks_mut(PREDICT_CHUNK))
                .enumerate()
                .for_each(|(chunk, (sums, counts))| {
                    let start = chunk * PREDICT_CHUNK;
                    let n = counts.len();
                    let mut chosen = Vec::with_capacity(n);
                    for (t, walk) in (first_tree..).zip(&walks) {
                        chosen.clear();
                        for first in (0..n).step_by(64) {
                            let mut bits = selected(t, (start + first) / 64);
                            if n - first < 64 {
                                bits &= (1 << (n - first)) - 1;
                            }
                            while bits != 0 {
                                chosen.push(start + first + bits.trailing_zeros() as usize);
                                bits &= bits - 1;
                            }
                        }
                        let mut add = |row: usize, values: &[f64]| {
                            let i = row - start;
                            for (a, v) in sums[i * k..(i + 1) * k].iter_mut().zip(values) {
                                *a += v;
                            }
                            counts[i] += 1;
                        };
                        // Each row's sum still adds the trees in order, so the result is the
                        // same whichever rows share a walk.
                        let mut lanes = chosen.chunks_exact(LANES);
                        for lane in lanes.by_ref() {
                            let lane: [usize; LANES] =
                                lane.try_into().expect("chunks of LANES rows");
                            for (row, values) in
                                lane.into_iter().zip(walk.leaf_values_of_lanes(lane))
                            {
                                add(row, values);
                            }
                        }
                        for &row in lanes.remainder() {
                            add(row, walk.leaf_values(row));
                        }
                    }
                });
        }
        (sums, counts)
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
                for row in bootstrap_draws(seed, n, n_boot) {
                    bits[row / 64] |= 1 << (row % 64);
                }
                bits
            })
            .collect();
        let (mut proba, n_trees) = self.sum_proba(x, |t, word| !in_bag[t][word]);
        // Average over the trees that predicted each row, as sklearn does before its argmax.
        let k = self.classes.len();
        for (p, &n_trees) in proba.chunks_exact_mut(k).zip(&n_trees) {
            for v in p {
                *v /= n_trees.max(1) as f64;
            }
        }
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
