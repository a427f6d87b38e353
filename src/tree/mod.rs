//! One decision tree, decomposed like sklearn's `sklearn/tree/`: the criterion (`criterion.rs`,
//! `_criterion.pyx`) keeps the class counts and impurities as the split position moves, the
//! splitter (`splitter.rs`, `_splitter.pyx`) finds the best split of a node, sorting each
//! candidate feature with `sort.rs` (or counting its samples per distinct value, `levels.rs`),
//! the builder (`builder.rs`, `_tree.pyx`) grows the tree depth-first with a stack, and
//! [`Tree`] is the flat node array the forest predicts with.

use std::hint::select_unpredictable;

mod builder;
mod criterion;
mod gini_block;
mod levels;
mod sort;
mod splitter;
mod wire;

pub(crate) use criterion::Impurity;
pub(crate) use levels::Levels;
pub(crate) use splitter::{RAND_R_MAX, SplitSettings, TrainingData};

/// Marks a leaf in [`Node::left`].
const LEAF: u32 = u32::MAX;

/// Rows walked down a tree side by side ([`Tree::leaf_values_of_lanes`]).
pub(crate) const LANES: usize = 8;

/// One node of the flat array. Internal nodes send a row left when
/// `x[feature] <= threshold`; leaves (`left == LEAF`) keep the index of their class
/// fractions in `right`.
#[derive(Clone, Copy, Debug)]
struct Node {
    threshold: f64,
    feature: u32,
    left: u32,
    right: u32,
    /// Distinct training samples that reached the node (sklearn's `n_node_samples`).
    n_samples: u32,
}

/// What every tree of a forest is grown with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TreeSettings {
    pub(crate) split: SplitSettings,
    pub(crate) max_depth: usize,
    /// Already raised to at least `2 * min_samples_leaf`, as sklearn does.
    pub(crate) min_samples_split: usize,
    pub(crate) min_impurity_decrease: f64,
}

/// A fitted decision tree: flat node arrays, leaves holding class fractions like sklearn's
/// `tree_.value`.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    /// `n_classes` fractions per leaf.
    values: Vec<f64>,
    n_classes: usize,
    depth: usize,
}

impl Tree {
    /// Grows a tree on `data`; `rand_r_state` seeds the feature draws like sklearn's splitter.
    pub(crate) fn fit(data: &TrainingData<'_>, settings: &TreeSettings, rand_r_state: u32) -> Tree {
        builder::build(data, settings, rand_r_state)
    }

    /// Number of nodes, internal and leaves (sklearn's `tree_.node_count`).
    ///
    /// ```
    /// use coresweep::forest::{ForestParams, Features};
    /// let x = Features::from_row_major(&[0.0, 1.0, 2.0, 3.0], 4, 1)?;
    /// let params = ForestParams { n_estimators: 1, bootstrap: false, ..ForestParams::default() };
    /// let forest = params.check()?.fit(&x, &[0, 0, 1, 1], &())?;
    /// assert_eq!(forest.trees()[0].node_count(), 3);
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Depth of the deepest leaf (the root alone has depth 0), sklearn's `tree_.max_depth`.
    ///
    /// ```
    /// use coresweep::forest::{ForestParams, Features};
    /// let x = Features::from_row_major(&[0.0, 1.0, 2.0, 3.0], 4, 1)?;
    /// let params = ForestParams { n_estimators: 1, bootstrap: false, ..ForestParams::default() };
    /// let forest = params.check()?.fit(&x, &[0, 1, 1, 0], &())?;
    /// assert_eq!(forest.trees()[0].depth(), 2);
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Number of distinct training samples in each leaf, in node order
    /// (sklearn's `tree_.n_node_samples` of the leaves).
    ///
    /// ```
    /// use coresweep::forest::{ForestParams, Features};
    /// let x = Features::from_row_major(&[0.0, 1.0, 2.0, 3.0], 4, 1)?;
    /// let params = ForestParams { n_estimators: 1, bootstrap: false, ..ForestParams::default() };
    /// let forest = params.check()?.fit(&x, &[0, 0, 1, 1], &())?;
    /// assert_eq!(forest.trees()[0].leaf_sample_counts(), vec![2, 2]);
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn leaf_sample_counts(&self) -> Vec<usize> {
        self.nodes
            .iter()
            .filter(|n| n.left == LEAF)
            .map(|n| n.n_samples as usize)
            .collect()
    }

    /// The class fractions of the leaf `row` falls into (`row` holds one value per feature).
    #[inline]
    pub(crate) fn leaf_values(&self, row: &[f32]) -> &[f64] {
        let mut node = &self.nodes[0];
        while node.left != LEAF {
            node = &self.nodes[Self::child(node, row) as usize];
        }
        self.values_of(node)
    }

    /// The class fractions of the leaves [`LANES`] rows fall into, walked down the tree side
    /// by side: each level advances every row that is not yet in a leaf, so the rows' loads and
    /// comparisons overlap instead of one row's unpredictable branches stalling the next.
    #[inline]
    pub(crate) fn leaf_values_of_lanes(&self, rows: [&[f32]; LANES]) -> [&[f64]; LANES] {
        let mut at = [0u32; LANES];
        loop {
            let mut all_leaves = true;
            for (at, row) in at.iter_mut().zip(rows) {
                let node = &self.nodes[*at as usize];
                let leaf = node.left == LEAF;
                all_leaves &= leaf;
                // Conditional moves, not branches: which way a row goes is unpredictable. A
                // leaf's `feature` is 0, a valid column, so the read is harmless there.
                let left = f64::from(row[node.feature as usize]) <= node.threshold;
                let next = select_unpredictable(left, node.left, node.right);
                *at = select_unpredictable(leaf, *at, next);
            }
            if all_leaves {
                return at.map(|at| self.values_of(&self.nodes[at as usize]));
            }
        }
    }

    /// The child of the internal `node` that `row` goes to.
    #[inline(always)]
    fn child(node: &Node, row: &[f32]) -> u32 {
        if f64::from(row[node.feature as usize]) <= node.threshold {
            node.left
        } else {
            node.right
        }
    }

    /// The class fractions of the leaf `node`.
    #[inline(always)]
    fn values_of(&self, node: &Node) -> &[f64] {
        let start = node.right as usize * self.n_classes;
        &self.values[start..start + self.n_classes]
    }
}

#[cfg(test)]
mod tests {
    use super::{LANES, Levels, SplitSettings, TrainingData, Tree, TreeSettings};
    use crate::rng::RandomState;
    use crate::tree::Impurity;

    /// Rows walked side by side reach the leaves they reach one at a time, whatever their
    /// depths, on a deep tree with ties and exact threshold hits.
    #[test]
    fn lanes_reach_the_leaves_of_single_walks() {
        let mut rng = RandomState::new(9);
        let (n_rows, n_features) = (2000, 4);
        let columns: Vec<f32> = (0..n_rows * n_features)
            .map(|_| rng.randint(0, 50) as f32 * 0.25)
            .collect();
        let labels: Vec<u32> = (0..n_rows).map(|_| rng.randint(0, 3) as u32).collect();
        let weights = vec![1; n_rows];
        let levels = Levels::new(&columns, n_rows);
        let data = TrainingData {
            n_rows,
            n_features,
            labels: &labels,
            n_classes: 3,
            weights: &weights,
            levels: &levels,
        };
        let settings = TreeSettings {
            split: SplitSettings {
                impurity: Impurity::Gini,
                max_features: 2,
                min_samples_leaf: 1,
            },
            max_depth: usize::MAX,
            min_samples_split: 2,
            min_impurity_decrease: 0.0,
        };
        let tree = Tree::fit(&data, &settings, 5);
        assert!(tree.depth() > 10);
        // Rows of training values (they hit thresholds' neighbours) and of random ones.
        let rows: Vec<Vec<f32>> = (0..400)
            .map(|i| {
                (0..n_features)
                    .map(|f| match i % 2 {
                        0 => columns[f * n_rows + i],
                        _ => rng.randint(-4, 60) as f32 * 0.125,
                    })
                    .collect()
            })
            .collect();
        for group in rows.chunks_exact(LANES) {
            let lanes: [&[f32]; LANES] = std::array::from_fn(|l| group[l].as_slice());
            let together = tree.leaf_values_of_lanes(lanes);
            for (row, values) in group.iter().zip(together) {
                assert_eq!(values.as_ptr(), tree.leaf_values(row).as_ptr());
            }
        }
    }
}
