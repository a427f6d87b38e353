//! The trees as prediction walks them: a compact copy of a [`Tree`]'s nodes (16 bytes instead
//! of 24, `f32` thresholds that decide exactly as the `f64` ones on `f32` inputs, leaves that
//! send every row to themselves) and rows walked down it [`LANES`] at a time.

use std::hint::select_unpredictable;

use super::{LEAF, Tree};

/// Rows walked down a tree side by side ([`WalkTree::leaf_values_of_lanes`]).
pub(crate) const LANES: usize = 8;

/// The largest `f32` that is `<= t`, so that for every `f32` `x`: `f64::from(x) <= t` exactly
/// when `x <= round_down_f32(t)`.
///
/// Proof. Let `r = round_down_f32(t)`. If `x <= r` then `x <= r <= t`. If `x <= t`, then `x` is
/// an `f32` that is `<= t`, and `r` is the largest of those, so `x <= r`. The `f32` comparison
/// of `x` and `r` is exact (both are `f32`), as is `f64::from(x) <= t`. Out of `f32`'s range,
/// `t > f32::MAX` gives `f32::MAX` (every finite `x` is below both) and `t < -f32::MAX` gives
/// `-inf` (no finite `x` is below either); the rows are finite ([`crate::forest::Features`]).
pub(crate) fn round_down_f32(t: f64) -> f32 {
    let nearest = t as f32;
    if f64::from(nearest) > t {
        nearest.next_down()
    } else {
        nearest
    }
}

/// A node of a [`WalkTree`]: a row goes to `left` when `x[feature] <= threshold`, else to
/// `right`. A leaf's threshold is NaN, so every row goes right, to the leaf itself: a row that
/// reached its leaf stays there while the other lanes walk on, without a test for leaves.
#[derive(Clone, Copy, Debug)]
struct WalkNode {
    /// [`round_down_f32`] of the tree's threshold; NaN in a leaf.
    threshold: f32,
    /// 0 in a leaf (a valid column, so the read is harmless).
    feature: u32,
    /// The left child; in a leaf, the index of its class fractions.
    left: u32,
    /// The right child; in a leaf, the leaf itself.
    right: u32,
}

/// A [`Tree`] as prediction walks it, over column-major rows (column `j` of the rows is
/// `columns[j * n_rows..(j + 1) * n_rows]`, as [`crate::forest::Features`] keeps them, so no
/// row is copied); made once per prediction, for all the rows it walks.
pub(crate) struct WalkTree<'a> {
    /// Every child index is below `nodes.len()` and every feature below `columns.len() /
    /// n_rows` (checked in [`WalkTree::new`]): the walks read them unchecked.
    nodes: Vec<WalkNode>,
    columns: &'a [f32],
    n_rows: usize,
    values: &'a [f64],
    n_classes: usize,
}

impl<'a> WalkTree<'a> {
    /// The walk of `tree` for the `n_rows` rows of `columns`. Panics if `columns` is not
    /// `n_rows` times a whole number of features, if a node of the tree points outside it or
    /// reads a feature `columns` does not have.
    pub(crate) fn new(tree: &'a Tree, columns: &'a [f32], n_rows: usize) -> WalkTree<'a> {
        let n_features = columns.len().checked_div(n_rows).unwrap_or(0);
        assert_eq!(
            n_features * n_rows,
            columns.len(),
            "whole columns of n_rows"
        );
        let nodes: Vec<WalkNode> = tree
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                if node.left == LEAF {
                    WalkNode {
                        threshold: f32::NAN,
                        feature: 0,
                        left: node.right,
                        right: i as u32,
                    }
                } else {
                    WalkNode {
                        threshold: round_down_f32(node.threshold),
                        feature: node.feature,
                        left: node.left,
                        right: node.right,
                    }
                }
            })
            .collect();
        let n_nodes = nodes.len() as u64;
        for node in &nodes {
            assert!(
                u64::from(node.right) < n_nodes
                    && (node.threshold.is_nan() || u64::from(node.left) < n_nodes)
                    && (node.feature as usize) < n_features,
                "a tree's node points outside the tree or the rows"
            );
        }
        WalkTree {
            nodes,
            columns,
            n_rows,
            values: &tree.values,
            n_classes: tree.n_classes,
        }
    }

    /// The node row `row` goes to from node `at` (`at` itself in a leaf). `at` must be a node
    /// of the tree (0 or a node `next` returned) and `row` below `n_rows`.
    #[inline(always)]
    fn next(&self, at: u32, row: usize) -> u32 {
        debug_assert!((at as usize) < self.nodes.len() && row < self.n_rows);
        // SAFETY: `at` is the root or a child index, below `nodes.len()` (checked in `new`); a
        // node's feature is below the number of columns (checked in `new`) and `row` below
        // `n_rows` (checked by every caller before its walk), so the value is inside `columns`.
        let (node, x) = unsafe {
            let node = self.nodes.get_unchecked(at as usize);
            let x = *self
                .columns
                .get_unchecked(node.feature as usize * self.n_rows + row);
            (node, x)
        };
        // A conditional move, not a branch: which way a row goes is unpredictable.
        select_unpredictable(x <= node.threshold, node.left, node.right)
    }

    /// The class fractions of the leaf row `row` falls into.
    #[inline]
    pub(crate) fn leaf_values(&self, row: usize) -> &'a [f64] {
        assert!(row < self.n_rows);
        let mut at = 0;
        loop {
            let next = self.next(at, row);
            if next == at {
                return self.values_of(at);
            }
            at = next;
        }
    }

    /// The class fractions of the leaves [`LANES`] rows fall into, walked down the tree side
    /// by side: each level advances every row, so the rows' loads and comparisons overlap
    /// instead of one row's unpredictable branches stalling the next, until no row moves.
    #[inline]
    pub(crate) fn leaf_values_of_lanes(&self, rows: [usize; LANES]) -> [&'a [f64]; LANES] {
        assert!(rows.iter().all(|&row| row < self.n_rows));
        let mut at = [0u32; LANES];
        loop {
            let mut moved = false;
            for (at, row) in at.iter_mut().zip(rows) {
                let next = self.next(*at, row);
                moved |= next != *at;
                *at = next;
            }
            if !moved {
                return at.map(|at| self.values_of(at));
            }
        }
    }

    /// The class fractions of the leaf `at`.
    #[inline(always)]
    fn values_of(&self, at: u32) -> &'a [f64] {
        let start = self.nodes[at as usize].left as usize * self.n_classes;
        &self.values[start..start + self.n_classes]
    }
}

#[cfg(test)]
mod tests {
    use super::{LANES, WalkTree, round_down_f32};
    use crate::rng::RandomState;
    use crate::tree::{Impurity, Levels, SplitSettings, TrainingData, Tree, TreeSettings};

    /// Rows walked side by side, and one at a time, on the compact `f32` nodes reach the leaves
    /// the `f64` nodes send them to, whatever their depths, on a deep tree with ties and exact
    /// threshold hits.
    #[test]
    fn walks_reach_the_leaves_of_the_f64_tree() {
        let mut rng = RandomState::new(9);
        let (n_rows, n_features) = (2000, 4);
        // Even columns: quarters (thresholds exact in `f32`); odd ones: neighbouring `f32`s
        // from 2^24 (thresholds halfway between two `f32`s, which rounding to nearest gets wrong).
        let value = |f: usize, k: i64| match f % 2 {
            0 => k as f32 * 0.25,
            _ => f32::from_bits((0x4b80_0000 + k) as u32),
        };
        let columns: Vec<f32> = (0..n_rows * n_features)
            .map(|i| value(i / n_rows, rng.randint(0, 50)))
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
        assert!(tree.depth() > 10, "depth {}", tree.depth());
        // Rows of training values (they hit thresholds' neighbours), of random ones, and of
        // the `f32` neighbours of training values (one ulp either side of a threshold's ends),
        // column-major.
        let n_walked = 600;
        let rows: Vec<Vec<f32>> = (0..n_walked)
            .map(|i| {
                (0..n_features)
                    .map(|f| {
                        let v = columns[f * n_rows + i];
                        match i % 3 {
                            0 => v,
                            1 => value(f, rng.randint(-4, 60)),
                            _ if i % 2 == 0 => v.next_up(),
                            _ => v.next_down(),
                        }
                    })
                    .collect()
            })
            .collect();
        let walked: Vec<f32> = (0..n_features)
            .flat_map(|f| rows.iter().map(move |row| row[f]))
            .collect();
        let walk = WalkTree::new(&tree, &walked, n_walked);
        for first in (0..n_walked).step_by(LANES) {
            let lanes: [usize; LANES] = std::array::from_fn(|l| first + l);
            let together = walk.leaf_values_of_lanes(lanes);
            for (i, values) in lanes.into_iter().zip(together) {
                let reference = tree.leaf_values(&rows[i]).as_ptr();
                assert_eq!(values.as_ptr(), reference);
                assert_eq!(walk.leaf_values(i).as_ptr(), reference);
            }
        }
    }

    /// `x <= round_down_f32(t)` decides as `f64::from(x) <= t` for the `f32` neighbours of
    /// thresholds that are `f32` values, midpoints of adjacent `f32`s (a split's threshold),
    /// `f64` values a hair off either, and the ends of `f32`'s range.
    #[test]
    fn f32_thresholds_decide_as_f64_ones() {
        let mut rng = RandomState::new(3);
        let mut values: Vec<f32> = vec![
            0.0,
            -0.0,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            f32::from_bits(1),
            -f32::from_bits(1),
            1.0,
            -1.0,
            f32::MAX,
            -f32::MAX,
            16_777_216.0,
            0.1,
            1e-7,
        ];
        values.extend((0..2000).map(|_| f32::from_bits(rng.randint(0, 0x7f80_0000) as u32)));
        values.extend((0..2000).map(|_| rng.randint(-1000, 1000) as f32 * 0.01));
        let mut thresholds = vec![
            f64::from(f32::MAX) * 2.0,
            -f64::from(f32::MAX) * 2.0,
            f64::MAX,
            -f64::MAX,
        ];
        for &v in &values {
            for v in [v, -v] {
                let (v, up) = (f64::from(v), f64::from(v.next_up()));
                let mid = v / 2.0 + up / 2.0;
                thresholds.extend([v, mid, mid.next_up(), mid.next_down()]);
                thresholds.extend([v.next_up(), v.next_down()]);
            }
        }
        let mut checked = 0;
        for &t in &thresholds {
            let r = round_down_f32(t);
            let near = t.clamp(-f64::from(f32::MAX), f64::from(f32::MAX)) as f32;
            for x in [near, near.next_up(), near.next_down(), r, r.next_up(), 0.0] {
                if x.is_finite() {
                    assert_eq!(f64::from(x) <= t, x <= r, "x = {x:e}, t = {t:e}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 90_000);
    }
}
