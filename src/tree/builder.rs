//! The depth-first tree builder, sklearn's `DepthFirstTreeBuilder` (`_tree.pyx`).
//!
//! Parity with sklearn rests on three things written here as sklearn writes them:
//! - Node order: a split pushes its right child, then its left, so the left pops first and
//!   every left subtree is numbered before its right sibling, as in sklearn's node arrays. The
//!   order also decides the feature draws: one `rand_r` state runs through the whole tree, so
//!   visiting nodes in another order would draw other features.
//! - `impurity <= f64::EPSILON` makes a leaf: a pure node's impurity can come out a rounding
//!   error away from zero (Gini's `1 - sq / w²`), and sklearn stops there with its `EPSILON`
//!   (`np.finfo(np.double).eps`); a strict `== 0.0` would split some pure nodes again.
//! - `improvement + f64::EPSILON >= min_impurity_decrease` keeps a split whose improvement
//!   equals the limit up to rounding (sklearn's `split.improvement + EPSILON <
//!   min_impurity_decrease` makes the leaf), so the default 0.0 never refuses a split whose
//!   improvement rounds slightly below zero.

use super::sort::Key;
use super::splitter::{Splitter, TrainingData, pair_bits};
use super::{LEAF, Node, Tree, TreeSettings};

/// A node waiting on the stack.
struct Pending {
    start: usize,
    end: usize,
    depth: usize,
    /// Index of the parent and whether this is its left child.
    parent: Option<(usize, bool)>,
    impurity: f64,
    n_constant_features: usize,
}

/// Grows one tree on `data` with sklearn's stopping rules; `rand_r_state` seeds the feature draws.
/// The sort keys are 32 bits when the columns' rank fields and the tree's (weight, class) pair
/// ids fit in them together, else 64: the same tree either way.
pub(crate) fn build(data: &TrainingData<'_>, settings: &TreeSettings, rand_r_state: u32) -> Tree {
    let pair_bits = pair_bits(data);
    if pair_bits + data.levels.field_bits() <= u32::BITS {
        let splitter = Splitter::<u32>::new(data, settings.split, rand_r_state, pair_bits);
        grow(splitter, data, settings)
    } else {
        let splitter = Splitter::<u64>::new(data, settings.split, rand_r_state, 32);
        grow(splitter, data, settings)
    }
}

pub(super) fn grow<K: Key>(
    mut splitter: Splitter<'_, K>,
    data: &TrainingData<'_>,
    settings: &TreeSettings,
) -> Tree {
    let n_classes = data.n_classes;
    let mut tree = Tree {
        nodes: Vec::new(),
        values: Vec::new(),
        n_classes,
        depth: 0,
    };
    let mut stack = vec![Pending {
        start: 0,
        end: splitter.n_samples(),
        depth: 0,
        parent: None,
        impurity: f64::INFINITY,
        n_constant_features: 0,
    }];
    let min_samples_split = settings.min_samples_split;
    let min_samples_leaf = settings.split.min_samples_leaf;
    // The weighted class counts of each node on the stack, `n_classes` per node in stack
    // order: a split hands its children theirs, so no node counts its samples again.
    let mut stack_counts = splitter.root_counts();
    let mut counts = vec![0; n_classes];
    while let Some(record) = stack.pop() {
        counts.copy_from_slice(&stack_counts[stack.len() * n_classes..]);
        stack_counts.truncate(stack.len() * n_classes);
        let Pending {
            start,
            end,
            depth,
            parent,
            mut impurity,
            n_constant_features,
        } = record;
        let n_node_samples = end - start;
        splitter.node_reset(start, end, &counts);
        let mut is_leaf = depth >= settings.max_depth
            || n_node_samples < min_samples_split
            || n_node_samples < 2 * min_samples_leaf;
        if parent.is_none() {
            impurity = splitter.node_impurity();
        }
        // Not `== 0.0`: a pure node's Gini can round to a few ulps above zero (module doc).
        is_leaf = is_leaf || impurity <= f64::EPSILON;
        let mut split = None;
        let mut n_constant_children = n_constant_features;
        if !is_leaf {
            let (found, n_constants) = splitter.split(start, end, impurity, n_constant_features);
            n_constant_children = n_constants;
            // sklearn's `improvement + EPSILON < min_impurity_decrease` makes a leaf: the
            // default 0.0 keeps splits whose improvement rounds just below zero (module doc).
            split = found.filter(|s| {
                s.pos < end && s.improvement + f64::EPSILON >= settings.min_impurity_decrease
            });
        }
        let id = tree.nodes.len();
        if let Some((parent, is_left)) = parent {
            let parent = &mut tree.nodes[parent];
            if is_left {
                parent.left = id as u32;
            } else {
                parent.right = id as u32;
            }
        }
        tree.depth = tree.depth.max(depth);
        match split {
            Some(split) => {
                tree.nodes.push(Node {
                    threshold: split.threshold,
                    feature: split.feature as u32,
                    left: 0,
                    right: 0,
                    n_samples: n_node_samples as u32,
                });
                // Right first: the left child pops first (sklearn's node order).
                let left_counts = splitter.left_counts();
                stack_counts.extend(counts.iter().zip(left_counts).map(|(c, l)| c - l));
                stack_counts.extend_from_slice(left_counts);
                stack.push(Pending {
                    start: split.pos,
                    end,
                    depth: depth + 1,
                    parent: Some((id, false)),
                    impurity: split.impurity_right,
                    n_constant_features: n_constant_children,
                });
                stack.push(Pending {
                    start,
                    end: split.pos,
                    depth: depth + 1,
                    parent: Some((id, true)),
                    impurity: split.impurity_left,
                    n_constant_features: n_constant_children,
                });
            }
            None => {
                let value = (tree.values.len() / n_classes) as u32;
                let weight = splitter.weighted_n_node;
                tree.values
                    .extend(splitter.sum_total.iter().map(|&c| c / weight));
                tree.nodes.push(Node {
                    threshold: 0.0,
                    feature: 0,
                    left: LEAF,
                    right: value,
                    n_samples: n_node_samples as u32,
                });
            }
        }
    }
    tree
}
