//! One decision tree, decomposed like sklearn's `sklearn/tree/`: the criterion (`criterion.rs`,
//! `_criterion.pyx`) keeps the class counts and impurities as the split position moves, the
//! splitter (`splitter.rs`, `_splitter.pyx`) finds the best split of a node, gathering each
//! candidate feature's keys with `gather.rs` and sorting them with `sort.rs` (or counting its
//! samples per distinct value, `levels.rs`), the builder (`builder.rs`, `_tree.pyx`) grows the
//! tree depth-first with a stack, and [`Tree`] is the flat node array the forest predicts with.

mod builder;
mod criterion;
mod gather;
mod gini_block;
mod levels;
mod sort;
mod splitter;
mod walk;
mod wire;

pub(crate) use criterion::Impurity;
pub(crate) use levels::Levels;
pub(crate) use splitter::{RAND_R_MAX, SplitSettings, TrainingData};
pub(crate) use walk::{LANES, WalkTree};

/// Marks a leaf in [`Node::left`].
const LEAF: u32 = u32::MAX;

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

    /// The class fractions of the leaf `row` falls into (`row` holds one value per feature),
    /// read off the `f64` thresholds one branch at a time: the reference the forest's walks
    /// ([`walk::WalkTree`]) are tested against.
    #[cfg(test)]
    pub(crate) fn leaf_values(&self, row: &[f32]) -> &[f64] {
        let mut node = &self.nodes[0];
        while node.left != LEAF {
            node = if f64::from(row[node.feature as usize]) <= node.threshold {
                &self.nodes[node.left as usize]
            } else {
                &self.nodes[node.right as usize]
            };
        }
        let start = node.right as usize * self.n_classes;
        &self.values[start..start + self.n_classes]
    }
}
