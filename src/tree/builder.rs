//! The depth-first tree builder, sklearn's `DepthFirstTreeBuilder` (`_tree.pyx`).

use super::splitter::{Splitter, TrainingData};
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
pub(crate) fn build(data: &TrainingData<'_>, settings: &TreeSettings, rand_r_state: u32) -> Tree {
    let mut splitter = Splitter::new(data, settings.split, rand_r_state);
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
    while let Some(record) = stack.pop() {
        let Pending {
            start,
            end,
            depth,
            parent,
            mut impurity,
            n_constant_features,
        } = record;
        let n_node_samples = end - start;
        splitter.node_reset(start, end);
        let mut is_leaf = depth >= settings.max_depth
            || n_node_samples < min_samples_split
            || n_node_samples < 2 * min_samples_leaf;
        if parent.is_none() {
            impurity = splitter.node_impurity();
        }
        is_leaf = is_leaf || impurity <= f64::EPSILON;
        let mut split = None;
        let mut n_constant_children = n_constant_features;
        if !is_leaf {
            let (found, n_constants) = splitter.split(start, end, impurity, n_constant_features);
            n_constant_children = n_constants;
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
