//! Every column ranked once per fit: its distinct values in ascending order and, per row, the
//! rank of the row's value among them. The splitter sorts a node's samples by these ranks
//! (small integers: two radix passes) instead of by the values, and a candidate split is a
//! change of rank; the values are looked up only to check a rare near-tie and for the winner's
//! threshold. A column with few distinct values (pixel intensities, counts, categories coded
//! as numbers) is swept through the node's class counts per value instead of sorting, which
//! gives the same candidates in the same order.

use rayon::prelude::*;

use super::sort::{SortBuffers, from_ordered_bits, ordered_bits, radix_sort};
use super::splitter::FEATURE_THRESHOLD;

/// Rows per task of the row-major copy.
const ROWS_PER_BLOCK: usize = 1024;

/// Most distinct values a column may have to be swept through its levels.
pub(super) const MAX_LEVELS: usize = 256;

/// The distinct values of one column and each row's rank field among them.
pub(super) struct LevelColumn {
    /// Distinct values (as bits: `0.0` and `-0.0` are two values, as a sort by bits keeps
    /// them) in ascending [`ordered_bits`] order.
    pub(super) values: Vec<f32>,
    /// Per row, `rank << 1 | near`: `rank` indexes `values`, and `near` says the next distinct
    /// value lies within sklearn's `FEATURE_THRESHOLD` of this one, so that a split between
    /// this rank and a larger one must compare the values; without the flag every change of
    /// rank is a candidate.
    pub(super) fields: Fields,
}

/// A column's rank fields, as `u16` when it has at most 2^15 distinct values: a node's
/// gather then reads half the cache lines (the columns together outgrow the L2 cache).
pub(super) enum Fields {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl LevelColumn {
    /// The rank of a field.
    #[inline(always)]
    pub(super) fn rank(field: u32) -> usize {
        (field >> 1) as usize
    }

    /// The least field of a rank above `rank`: the fields of ranks up to `rank` lie below it.
    #[inline(always)]
    pub(super) fn field_above(rank: usize) -> u32 {
        (rank as u32 + 1) << 1
    }

    /// Whether a split between the (smaller) field `prev` and the field `next` of another rank
    /// is a candidate: sklearn skips values within `FEATURE_THRESHOLD` of each other.
    #[inline(always)]
    pub(super) fn splits(&self, prev: u32, next: u32) -> bool {
        prev & 1 == 0
            || self.values[Self::rank(next)] > self.values[Self::rank(prev)] + FEATURE_THRESHOLD
    }

    /// sklearn's threshold between the values of ranks `prev` and `next`: midway, in `f64`.
    pub(super) fn threshold(&self, prev: usize, next: usize) -> f64 {
        f64::from(self.values[prev]) / 2.0 + f64::from(self.values[next]) / 2.0
    }

    /// The rank field of `row`.
    #[inline(always)]
    pub(super) fn field(&self, row: usize) -> u32 {
        match &self.fields {
            Fields::Narrow(fields) => u32::from(fields[row]),
            Fields::Wide(fields) => fields[row],
        }
    }

    /// Ranks `column`: one radix sort of (value bits, row) pairs.
    fn of(column: &[f32], order: &mut Vec<u64>, buffers: &mut SortBuffers<u64>) -> LevelColumn {
        order.clear();
        order.extend(
            column
                .iter()
                .enumerate()
                .map(|(row, &v)| (u64::from(ordered_bits(v)) << 32) | row as u64),
        );
        radix_sort(order, buffers, 32, 32);
        let mut values: Vec<f32> = Vec::new();
        let mut fields = vec![0u32; column.len()];
        let mut last_bits = None;
        for &key in order.iter() {
            let bits = (key >> 32) as u32;
            if last_bits != Some(bits) {
                last_bits = Some(bits);
                values.push(from_ordered_bits(bits));
            }
            fields[key as u32 as usize] = (values.len() as u32 - 1) << 1;
        }
        let near: Vec<bool> = values
            .windows(2)
            .map(|w| w[1] <= w[0] + FEATURE_THRESHOLD)
            .collect();
        for field in &mut fields {
            if near.get(Self::rank(*field)) == Some(&true) {
                *field |= 1;
            }
        }
        // Fields below 2^16: ranks below 2^15.
        let fields = match values.len() <= 1 << 15 {
            true => Fields::Narrow(fields.iter().map(|&f| f as u16).collect()),
            false => Fields::Wide(fields),
        };
        LevelColumn { values, fields }
    }
}

/// The rank fields row by row (see [`Levels::rows`]).
#[derive(Clone, Copy)]
pub(super) struct RowFields<'l> {
    fields: &'l [u16],
    n_features: usize,
}

impl RowFields<'_> {
    /// The field of `row` in `feature`'s column.
    #[inline(always)]
    pub(super) fn get(self, row: usize, feature: usize) -> u32 {
        u32::from(self.fields[row * self.n_features + feature])
    }
}

/// Every column's [`LevelColumn`].
pub(crate) struct Levels {
    columns: Vec<LevelColumn>,
    /// The fields again, row-major, when every field fits in 16 bits (else empty): a small
    /// node's rows' fields of all features share a few cache lines, where the columns take a
    /// line per row and feature.
    rows: Vec<u16>,
    n_features: usize,
    /// Columns with at most this many distinct values are swept through their levels.
    max_levels: usize,
}

impl Levels {
    /// The levels of the columns of column-major `columns`, `n_rows` values each, ranked on
    /// the calling thread.
    #[cfg(test)]
    pub(crate) fn new(columns: &[f32], n_rows: usize) -> Levels {
        Self::ranked(columns, n_rows, false)
    }

    /// [`new`](Self::new), the columns ranked in parallel on the current rayon pool when
    /// `parallel`: every tree of a fit waits for the ranking, so on one thread it would idle
    /// the others.
    pub(crate) fn ranked(columns: &[f32], n_rows: usize, parallel: bool) -> Levels {
        let buffers = || (Vec::with_capacity(n_rows), SortBuffers::default());
        let rank = |(order, buffers): &mut (Vec<u64>, SortBuffers<u64>), column: &[f32]| {
            LevelColumn::of(column, order, buffers)
        };
        let columns: Vec<LevelColumn> = if parallel {
            columns
                .par_chunks_exact(n_rows.max(1))
                .map_init(buffers, rank)
                .collect()
        } else {
            let mut b = buffers();
            columns
                .chunks_exact(n_rows.max(1))
                .map(|column| rank(&mut b, column))
                .collect()
        };
        let narrow: Option<Vec<&[u16]>> = columns
            .iter()
            .map(|c| match &c.fields {
                Fields::Narrow(fields) => Some(&fields[..]),
                Fields::Wide(_) => None,
            })
            .collect();
        let n_features = columns.len();
        let mut rows = Vec::new();
        if let Some(narrow) = narrow {
            rows.resize(n_rows * n_features, 0u16);
            let transpose = |(block, fields): (usize, &mut [u16])| {
                for (i, row) in fields.chunks_exact_mut(n_features).enumerate() {
                    for (field, column) in row.iter_mut().zip(&narrow) {
                        *field = column[block * ROWS_PER_BLOCK + i];
                    }
                }
            };
            let block_len = ROWS_PER_BLOCK * n_features.max(1);
            if parallel {
                rows.par_chunks_mut(block_len)
                    .enumerate()
                    .for_each(transpose);
            } else {
                rows.chunks_mut(block_len).enumerate().for_each(transpose);
            }
        }
        Levels {
            n_features,
            columns,
            rows,
            max_levels: MAX_LEVELS,
        }
    }

    /// The row-major fields (`n_features` per row), if every field fits in a `u16`.
    #[inline(always)]
    pub(super) fn rows(&self) -> Option<RowFields<'_>> {
        (!self.rows.is_empty()).then_some(RowFields {
            fields: &self.rows,
            n_features: self.n_features,
        })
    }

    /// The ranks of `feature`.
    #[inline]
    pub(super) fn column(&self, feature: usize) -> &LevelColumn {
        &self.columns[feature]
    }

    /// Whether `column` is swept through its levels in a node of `n` samples: when it has few
    /// distinct values, and no more than the node has samples.
    #[inline]
    pub(super) fn sweeps_levels(&self, column: &LevelColumn, n: usize) -> bool {
        column.values.len() <= self.max_levels.min(n)
    }

    /// The most levels a column swept through its levels has (0 if none).
    pub(super) fn max_len(&self) -> usize {
        self.columns
            .iter()
            .map(|c| c.values.len())
            .filter(|&len| len <= self.max_levels)
            .max()
            .unwrap_or(0)
    }

    /// Bits a rank field of any column needs.
    pub(super) fn field_bits(&self) -> u32 {
        let most = self
            .columns
            .iter()
            .map(|c| c.values.len())
            .max()
            .unwrap_or(0);
        u32::BITS - (2 * most as u32).saturating_sub(1).leading_zeros()
    }

    /// The same ranks, every column sorted (for tests of the level sweep).
    #[cfg(test)]
    pub(super) fn sorted_only(mut self) -> Levels {
        self.max_levels = 0;
        self
    }

    /// The same ranks without their row-major copy, as for columns of over 2^15 values.
    #[cfg(test)]
    pub(super) fn columns_only(mut self) -> Levels {
        self.rows.clear();
        self
    }

    /// The same ranks as `u32` fields in the columns alone, as for columns of over 2^15
    /// values.
    #[cfg(test)]
    pub(super) fn wide_only(mut self) -> Levels {
        for column in &mut self.columns {
            if let Fields::Narrow(fields) = &column.fields {
                column.fields = Fields::Wide(fields.iter().map(|&f| u32::from(f)).collect());
            }
        }
        self.columns_only()
    }
}

#[cfg(test)]
mod tests {
    use super::{LevelColumn, Levels, MAX_LEVELS};
    use crate::rng::RandomState;
    use crate::tree::builder::{build, grow};
    use crate::tree::sort::SortBuffers;
    use crate::tree::splitter::Splitter;
    use crate::tree::{Impurity, SplitSettings, TrainingData, TreeSettings};

    #[test]
    fn levels_are_the_sorted_distinct_values_and_ranks_point_at_them() {
        let column = [2.0, -0.0, 0.0, 2.0, -1.5, 0.0, 1e-8];
        let levels = LevelColumn::of(&column, &mut Vec::new(), &mut SortBuffers::default());
        let bits: Vec<u32> = levels.values.iter().map(|v| v.to_bits()).collect();
        let want: Vec<u32> = [-1.5f32, -0.0, 0.0, 1e-8, 2.0]
            .iter()
            .map(|v| v.to_bits())
            .collect();
        assert_eq!(bits, want);
        for (row, &v) in column.iter().enumerate() {
            let rank = LevelColumn::rank(levels.field(row));
            assert_eq!(levels.values[rank].to_bits(), v.to_bits());
        }
        // -0.0 and 0.0 lie within 1e-7 of their next values; -1.5 and 1e-8 do not.
        let near: Vec<u32> = (0..column.len()).map(|r| levels.field(r) & 1).collect();
        assert_eq!(near, [0, 1, 1, 0, 0, 1, 0]);
        let (minus_zero, zero, tiny, two) = (2, 4, 6, 8);
        assert!(!levels.splits(minus_zero | 1, zero | 1));
        assert!(!levels.splits(minus_zero | 1, tiny));
        assert!(levels.splits(minus_zero | 1, two));
        assert!(levels.splits(tiny, two));
        assert_eq!(levels.threshold(3, 4), 1.0 + 1e-8f32 as f64 / 2.0);
        let many: Vec<f32> = (0..=MAX_LEVELS).map(|i| i as f32).collect();
        let ranked = Levels::new(&many, many.len());
        assert_eq!(ranked.field_bits(), 10);
        assert!(!ranked.sweeps_levels(ranked.column(0), 10_000));
        let fewer = Levels::new(&many[..MAX_LEVELS], MAX_LEVELS);
        assert!(fewer.sweeps_levels(fewer.column(0), MAX_LEVELS));
        assert!(!fewer.sweeps_levels(fewer.column(0), MAX_LEVELS - 1));
        assert!(!fewer.sorted_only().sweeps_levels(ranked.column(0), 10_000));
    }

    /// A tree grown through the levels is the tree grown by sorting (with 32- and 64-bit keys,
    /// small nodes reading the rank fields by rows or by columns, `u16` or `u32` ones),
    /// on columns of 2 to 300 distinct values (signed zeros and values closer than sklearn's
    /// threshold among them), for both criteria, several classes, bootstrap weights and
    /// `min_samples_leaf`.
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
            assert!(levels.sweeps_levels(levels.column(4), n_rows));
            assert!(!levels.sweeps_levels(levels.column(5), n_rows));
            assert!(levels.rows().is_some());
            let none = Levels::new(&columns, n_rows).sorted_only();
            let by_columns = Levels::new(&columns, n_rows).sorted_only().columns_only();
            let wide = Levels::new(&columns, n_rows).sorted_only().wide_only();
            let grow = |levels: &Levels, wide_keys: bool| {
                let data = TrainingData {
                    n_rows,
                    n_features,
                    labels: &labels,
                    n_classes,
                    weights: &weights,
                    levels,
                };
                let seed = 12345 + case as u32;
                if !wide_keys {
                    return build(&data, &settings, seed);
                }
                // The 64-bit keys, taken when ranks and pair ids do not fit in 32 bits.
                let splitter = Splitter::<u64>::new(&data, settings.split, seed, 32);
                grow(splitter, &data, &settings)
            };
            let with = format!("{:?}", grow(&levels, false));
            assert!(with.matches("Node").count() > 20, "case {case}");
            assert_eq!(with, format!("{:?}", grow(&none, false)), "case {case}");
            assert_eq!(with, format!("{:?}", grow(&none, true)), "case {case}");
            assert_eq!(
                with,
                format!("{:?}", grow(&by_columns, false)),
                "case {case}"
            );
            assert_eq!(with, format!("{:?}", grow(&wide, false)), "case {case}");
        }
    }
}
