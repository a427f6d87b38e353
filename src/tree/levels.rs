//! Columns with few distinct values (pixel intensities, counts, categories coded as numbers):
//! their values in ascending order and every row's rank among them, found once per fit. The
//! splitter sweeps such a feature through the node's class counts per value instead of sorting
//! the node's samples, which gives the same candidates in the same order.

use super::sort::{from_ordered_bits, ordered_bits};

/// Most distinct values a column may have to get levels (a rank fits in a `u8`).
pub(super) const MAX_LEVELS: usize = 256;

/// The distinct values of one column and each row's rank among them.
pub(super) struct LevelColumn {
    /// Distinct values (as bits: `0.0` and `-0.0` are two levels, as the sort keeps them) in
    /// ascending [`ordered_bits`] order.
    pub(super) values: Vec<f32>,
    /// Rank of every row's value in `values`.
    pub(super) ranks: Vec<u8>,
}

/// The levels of every column that has at most [`MAX_LEVELS`] distinct values.
#[derive(Default)]
pub(crate) struct Levels {
    columns: Vec<Option<LevelColumn>>,
}

impl Levels {
    /// The levels of the columns of column-major `columns`, `n_rows` values each.
    pub(crate) fn new(columns: &[f32], n_rows: usize) -> Levels {
        Levels {
            columns: columns
                .chunks_exact(n_rows.max(1))
                .map(LevelColumn::of)
                .collect(),
        }
    }

    /// The levels of `feature`, if it has few enough distinct values.
    #[inline]
    pub(super) fn column(&self, feature: usize) -> Option<&LevelColumn> {
        self.columns.get(feature)?.as_ref()
    }

    /// The most levels any column has (0 if none has levels).
    pub(super) fn max_len(&self) -> usize {
        self.columns
            .iter()
            .flatten()
            .map(|c| c.values.len())
            .max()
            .unwrap_or(0)
    }
}

impl LevelColumn {
    /// `None` as soon as the column shows more than [`MAX_LEVELS`] distinct values.
    fn of(column: &[f32]) -> Option<LevelColumn> {
        let mut seen = BitsSet::new();
        let mut bits = Vec::new();
        for &v in column {
            let b = ordered_bits(v);
            let slot = seen.slot(b);
            if seen.slots[slot] == EMPTY {
                if bits.len() == MAX_LEVELS {
                    return None;
                }
                seen.slots[slot] = u64::from(b);
                bits.push(b);
            }
        }
        bits.sort_unstable();
        let mut rank_of_slot = [0u8; SLOTS];
        for (rank, &b) in bits.iter().enumerate() {
            rank_of_slot[seen.slot(b)] = rank as u8;
        }
        let ranks = column
            .iter()
            .map(|&v| rank_of_slot[seen.slot(ordered_bits(v))])
            .collect();
        Some(LevelColumn {
            values: bits.into_iter().map(from_ordered_bits).collect(),
            ranks,
        })
    }
}

/// Slots of a [`BitsSet`]: four per level, so probes stay short.
const SLOTS: usize = 4 * MAX_LEVELS;
const _: () = assert!(
    SLOTS.is_power_of_two(),
    "BitsSet::slot hashes to a power of two"
);

/// An empty slot (no `u32` widens to it).
const EMPTY: u64 = u64::MAX;

/// A hash set of at most [`MAX_LEVELS`] values' bits: one probe per value where a sorted list
/// needs a binary search and inserts. Open addressing with linear probing.
struct BitsSet {
    slots: [u64; SLOTS],
}

impl BitsSet {
    fn new() -> BitsSet {
        BitsSet {
            slots: [EMPTY; SLOTS],
        }
    }

    /// The slot holding `bits`, or the empty slot where they go.
    #[inline]
    fn slot(&self, bits: u32) -> usize {
        // Fibonacci hashing: the top bits of the product mix all bits of the value.
        let mut i = (bits.wrapping_mul(0x9E37_79B9) >> (32 - SLOTS.trailing_zeros())) as usize;
        while self.slots[i] != EMPTY && self.slots[i] != u64::from(bits) {
            i = (i + 1) % SLOTS;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::{LevelColumn, Levels, MAX_LEVELS};
    use crate::rng::RandomState;
    use crate::tree::builder::build;
    use crate::tree::{Impurity, SplitSettings, TrainingData, TreeSettings};

    #[test]
    fn levels_are_the_sorted_distinct_values_and_ranks_point_at_them() {
        let column = [2.0, -0.0, 0.0, 2.0, -1.5, 0.0, 1e-8];
        let levels = LevelColumn::of(&column).unwrap();
        let bits: Vec<u32> = levels.values.iter().map(|v| v.to_bits()).collect();
        let want: Vec<u32> = [-1.5f32, -0.0, 0.0, 1e-8, 2.0]
            .iter()
            .map(|v| v.to_bits())
            .collect();
        assert_eq!(bits, want);
        for (&v, &r) in column.iter().zip(&levels.ranks) {
            assert_eq!(levels.values[r as usize].to_bits(), v.to_bits());
        }
        let many: Vec<f32> = (0..=MAX_LEVELS).map(|i| i as f32).collect();
        assert!(LevelColumn::of(&many[..MAX_LEVELS]).is_some());
        assert!(LevelColumn::of(&many).is_none());
    }

    /// A tree grown through the levels is the tree grown by sorting, on columns of 2 to 300
    /// distinct values (signed zeros and values closer than sklearn's threshold among them),
    /// for both criteria, several classes, bootstrap weights and `min_samples_leaf`.
    #[test]
    fn trees_through_levels_are_the_sorted_trees() {
        let mut rng = RandomState::new(5);
        let (n_rows, n_features) = (700, 6);
        for case in 0..12 {
            let n_classes = [2, 3, 10][case % 3];
            let mut columns = Vec::new();
            for f in 0..n_features {
                let n_values = [2, 3, 17, 40, 255, 300][f] as i64;
                columns.extend((0..n_rows).map(|_| match rng.randint(0, n_values) {
                    0 => -0.0,
                    1 => 1e-8,
                    v => v as f32 * 0.5 - 1.0,
                }));
            }
            let labels: Vec<u32> = (0..n_rows)
                .map(|i| {
                    let signal = (columns[i] + columns[2 * n_rows + i]).abs() as i64;
                    ((signal + rng.randint(0, 2)) % n_classes as i64) as u32
                })
                .collect();
            let weights: Vec<u32> = (0..n_rows).map(|_| rng.randint(0, 3) as u32).collect();
            let settings = TreeSettings {
                split: SplitSettings {
                    impurity: [Impurity::Gini, Impurity::Entropy][case / 3 % 2],
                    max_features: [2, 6][case / 6],
                    min_samples_leaf: 1 + case % 4,
                },
                max_depth: usize::MAX,
                min_samples_split: 2 * (1 + case % 4),
                min_impurity_decrease: 0.0,
            };
            let levels = Levels::new(&columns, n_rows);
            assert!(levels.column(4).is_some() && levels.column(5).is_none());
            let none = Levels::default();
            let grow = |levels: &Levels| {
                let data = TrainingData {
                    columns: &columns,
                    n_rows,
                    n_features,
                    labels: &labels,
                    n_classes,
                    weights: &weights,
                    levels,
                };
                build(&data, &settings, 12345 + case as u32)
            };
            let (with, without) = (grow(&levels), grow(&none));
            assert!(with.node_count() > 20, "case {case}");
            assert_eq!(format!("{with:?}"), format!("{without:?}"), "case {case}");
        }
    }
}
