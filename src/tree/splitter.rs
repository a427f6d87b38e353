//! The best-split search of one node, sklearn's `BestSplitter` (`_splitter.pyx`).
//!
//! Features are drawn in sklearn's order with sklearn's `rand_r` generator, constant features
//! are remembered for the descendants, and every candidate threshold lies midway between two
//! consecutive distinct `f32` values. Given the same bootstrap and the same seed, the split
//! chosen is sklearn's.
//!
//! Per candidate feature the node's samples are gathered into [`Key`]s (the rank of the value in
//! its column, `levels.rs`, above the sample's (weight, class) pair), sorted (`sort.rs`) and
//! swept once with the criterion's integer class counts; a candidate is a change of rank, and
//! only the winner's threshold is computed from the values. A feature with few distinct values
//! is swept through the node's class counts per value instead, without sorting. Splits
//! partition the samples stably, so every node keeps its rows in index order and the gathers
//! read columns forwards.
//!
//! sklearn parity rests on the feature partition of [`Splitter::split`] (written down there).

use super::criterion::{self, Binary, Impurity, LeftCounts, Many};
use super::gather::{gather_keys, row_of};
use super::gini_block::{BLOCK, BinaryGini, BlockCounts, KEY_PADDING, Kernel};
use super::levels::{Fields, LevelColumn, Levels, RowFields};
use super::sort::{Key, SortBuffers, sort_keys};

/// sklearn's `FEATURE_THRESHOLD`: values closer than this (in `f32` arithmetic) are one value.
pub(super) const FEATURE_THRESHOLD: f32 = 1e-7;

/// Nodes smaller than this read the rank fields row by row ([`Levels::rows`]).
const ROW_GATHER_MAX: usize = 256;

/// sklearn's `RAND_R_MAX`.
pub(crate) const RAND_R_MAX: u32 = 0x7FFF_FFFF;

/// The training data one tree sees.
pub(crate) struct TrainingData<'a> {
    pub(crate) n_rows: usize,
    pub(crate) n_features: usize,
    /// Class index of every row.
    pub(crate) labels: &'a [u32],
    pub(crate) n_classes: usize,
    /// Bootstrap count of every row (1 for all rows without bootstrap).
    pub(crate) weights: &'a [u32],
    /// Every column ranked (`levels.rs`): the splitter reads the features only through it.
    pub(crate) levels: &'a Levels,
}

/// The settings of a split search.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SplitSettings {
    pub(crate) impurity: Impurity,
    pub(crate) max_features: usize,
    pub(crate) min_samples_leaf: usize,
}

/// The best split of a node, sklearn's `SplitRecord`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Split {
    pub(crate) feature: usize,
    pub(crate) threshold: f64,
    /// First sample of the right child in the node's range.
    pub(crate) pos: usize,
    pub(crate) impurity_left: f64,
    pub(crate) impurity_right: f64,
    pub(crate) improvement: f64,
}

/// sklearn's `our_rand_r`: xorshift32 folded to 31 bits.
#[inline]
fn rand_r(state: &mut u32) -> u32 {
    if *state == 0 {
        *state = 1;
    }
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    *state % (RAND_R_MAX + 1)
}

/// sklearn's `rand_int`: an integer in `[low, high)`.
#[inline]
fn rand_int(low: usize, high: usize, state: &mut u32) -> usize {
    low + (rand_r(state) as usize) % (high - low)
}

/// Partitions `samples` stably: those whose rows' fields (`field_of(row)`) lie below `limit`
/// first; `scratch` holds the others meanwhile. Returns how many lie below.
#[inline(always)]
fn partition_below(
    samples: &mut [u64],
    scratch: &mut Vec<u64>,
    limit: u32,
    field_of: impl Fn(usize) -> u32,
) -> usize {
    // Without branches: which side a row goes is unpredictable. Each sample is written to
    // both sides and only its side's end moves on; left ones overwrite read ones only.
    // `scratch` only grows (the root, the largest node, is partitioned first) and is never
    // cleared: its slots below `n_right` are written before they are read.
    if scratch.len() < samples.len() {
        scratch.resize(samples.len(), 0);
    }
    let (mut n_left, mut n_right) = (0, 0);
    for i in 0..samples.len() {
        let s = samples[i];
        let left = field_of(row_of(s)) < limit;
        samples[n_left] = s;
        scratch[n_right] = s;
        n_left += usize::from(left);
        n_right += usize::from(!left);
    }
    samples[n_left..].copy_from_slice(&scratch[..n_right]);
    n_left
}

/// The best candidate of a sweep: the position (relative to the node start) of the first
/// sample on the right, the ranks of the values either side, its proxy, and with two classes
/// the left side's (weight, weight of class 1).
#[derive(Clone, Copy)]
struct Candidate {
    pos: usize,
    prev_rank: usize,
    next_rank: usize,
    proxy: f64,
    binary_left: Option<(u64, u64)>,
}

/// What the sweep of one candidate feature found.
enum Scan {
    /// All values of the node lie within [`FEATURE_THRESHOLD`]: no split.
    Constant,
    /// The best candidate, if it beats the best proxy the sweep started from.
    Swept(Option<Candidate>),
}

/// One feature's sweep through a node: the candidates' shared inputs and the best so far.
struct Sweep<'s> {
    impurity: Impurity,
    total: &'s [f64],
    total_weight: u64,
    weighted_n_node: f64,
    n: usize,
    min_leaf: usize,
    best_proxy: f64,
    /// `best_proxy` plus the node's weight, for the Gini shortcut.
    best_q: f64,
    best: Option<Candidate>,
}

impl Sweep<'_> {
    /// The candidate with the `p` smallest samples (of weight `weight_left`, class counts
    /// `left`) on the left, between the values of ranks `prev_rank` and `next_rank` (the
    /// caller has checked that sklearn would split them). As in sklearn, both children keep
    /// `min_samples_leaf`.
    #[inline(always)]
    fn consider<C: LeftCounts>(
        &mut self,
        left: &mut C,
        p: usize,
        weight_left: u64,
        prev_rank: usize,
        next_rank: usize,
    ) {
        if p < self.min_leaf || self.n - p < self.min_leaf {
            return;
        }
        let (wl, wr) = (
            criterion::exact(weight_left),
            criterion::exact(self.total_weight - weight_left),
        );
        // Gini candidates that cannot win are skipped before their two divisions.
        if self.impurity == Impurity::Gini {
            let (sq_left, sq_right) = left.squares(self.total);
            if criterion::gini_cannot_win(sq_left, sq_right, wl, wr, self.best_q) {
                return;
            }
        }
        let (il, ir) = left.children(self.impurity, self.total, wl, wr);
        let proxy = criterion::proxy(il, ir, wl, wr);
        if proxy > self.best_proxy {
            self.best_proxy = proxy;
            self.best_q = proxy + self.weighted_n_node;
            self.best = Some(Candidate {
                pos: p,
                prev_rank,
                next_rank,
                proxy,
                binary_left: left.binary(),
            });
        }
    }
}

/// Per-tree state of the split search; every buffer is allocated once per tree. `K` is the
/// sort key (see [`Key`]).
pub(crate) struct Splitter<'a, K> {
    data: &'a TrainingData<'a>,
    settings: SplitSettings,
    rand_r_state: u32,
    /// The node's samples live in `samples[start..end]` (see [`row_of`]).
    samples: Vec<u64>,
    /// Weight and class of each pair id ([`pair_id`]).
    pair_weight: Vec<u64>,
    pair_class: Vec<u32>,
    features: Vec<usize>,
    constant_features: Vec<usize>,
    keys: Vec<K>,
    /// Where a key's rank field starts: above the pair ids.
    key_shift: u32,
    sort_buffers: SortBuffers<K>,
    /// The right side of a partition.
    scratch: Vec<u64>,
    /// Per level of a [`LevelColumn`]: the node's samples, and their weights per class
    /// (`n_classes` per level); all zero between sweeps.
    level_samples: Vec<u32>,
    level_counts: Vec<u64>,
    /// Weighted class counts of the current node.
    pub(crate) sum_total: Vec<f64>,
    pub(crate) weighted_n_node: f64,
    /// Sum of all weights of the tree (sklearn's `weighted_n_samples`).
    weighted_n_samples: f64,
    many: Many,
    /// The kernel of the two-class Gini sweep.
    kernel: Kernel,
}

/// The id of a row's (weight, class) pair: `weight * n_classes + class`, so with two classes
/// `weight << 1 | class`, which the vector kernels of `gini_block.rs` decode without a table.
#[inline]
fn pair_id(data: &TrainingData<'_>, row: usize) -> u32 {
    data.weights[row] * data.n_classes as u32 + data.labels[row]
}

/// Number of pair ids of the tree's rows ([`pair_id`]).
fn n_pair_ids(data: &TrainingData<'_>) -> usize {
    let max_weight = data.weights.iter().copied().max().unwrap_or(0) as usize;
    (max_weight + 1) * data.n_classes
}

/// The bits a key's pair id takes.
pub(super) fn pair_bits(data: &TrainingData<'_>) -> u32 {
    u32::BITS - (n_pair_ids(data) as u32).saturating_sub(1).leading_zeros()
}

impl<'a, K: Key> Splitter<'a, K> {
    /// sklearn's `Splitter.init`: keeps the samples of positive weight, in index order.
    /// `key_shift` is the bits pair ids take in a key (at least [`pair_bits`]).
    pub(crate) fn new(
        data: &'a TrainingData<'a>,
        settings: SplitSettings,
        rand_r_state: u32,
        key_shift: u32,
    ) -> Self {
        let samples: Vec<u64> = (0..data.n_rows)
            .filter(|&row| data.weights[row] != 0)
            .map(|row| (u64::from(pair_id(data, row)) << 32) | row as u64)
            .collect();
        let weighted_n_samples = data.weights.iter().map(|&w| f64::from(w)).sum();
        let n_classes = data.n_classes;
        let max_levels = data.levels.max_len();
        let n_pairs = n_pair_ids(data);
        Splitter {
            data,
            settings,
            rand_r_state,
            keys: Vec::with_capacity(samples.len()),
            key_shift,
            sort_buffers: SortBuffers::default(),
            scratch: Vec::with_capacity(samples.len()),
            level_samples: vec![0; max_levels],
            level_counts: vec![0; max_levels * n_classes],
            samples,
            pair_weight: (0..n_pairs).map(|id| (id / n_classes) as u64).collect(),
            pair_class: (0..n_pairs).map(|id| (id % n_classes) as u32).collect(),
            features: (0..data.n_features).collect(),
            constant_features: vec![0; data.n_features],
            sum_total: vec![0.0; n_classes],
            weighted_n_node: 0.0,
            weighted_n_samples,
            many: Many::new(n_classes),
            kernel: Kernel::detected(),
        }
    }

    /// The same splitter sweeping with `kernel` (for the tests that compare kernels).
    #[cfg(test)]
    pub(super) fn with_kernel(self, kernel: Kernel) -> Self {
        Splitter { kernel, ..self }
    }

    /// Number of samples of positive weight.
    pub(crate) fn n_samples(&self) -> usize {
        self.samples.len()
    }

    /// sklearn's `node_reset` for `samples[start..end]`: the node's weighted class `counts` (the root's from
    /// [`root_counts`](Self::root_counts), a child's from its parent's split, which counted
    /// them already) and its weight.
    pub(crate) fn node_reset(&mut self, start: usize, end: usize, counts: &[u64]) {
        if cfg!(debug_assertions) {
            self.count_classes(start, end);
            assert_eq!(
                self.many.counts(),
                counts,
                "the counts of samples {start}..{end}"
            );
        }
        for (t, &c) in self.sum_total.iter_mut().zip(counts) {
            *t = c as f64;
        }
        self.weighted_n_node = counts.iter().sum::<u64>() as f64;
    }

    /// The weighted class counts of all samples, the root's.
    pub(crate) fn root_counts(&mut self) -> Vec<u64> {
        self.count_classes(0, self.samples.len());
        self.many.counts().to_vec()
    }

    /// The weighted class counts of the left child of the last split ([`split`](Self::split)
    /// that found one).
    pub(crate) fn left_counts(&self) -> &[u64] {
        self.many.counts()
    }

    /// Counts the weight per class of `samples[start..end]` into `many`; returns their weight.
    fn count_classes(&mut self, start: usize, end: usize) -> u64 {
        let counts = &mut self.many;
        counts.clear();
        let mut weight = 0;
        for &s in &self.samples[start..end] {
            let pair = (s >> 32) as usize;
            counts.add(self.pair_class[pair], self.pair_weight[pair]);
            weight += self.pair_weight[pair];
        }
        weight
    }

    /// The impurity of the current node.
    pub(crate) fn node_impurity(&self) -> f64 {
        self.settings
            .impurity
            .of(&self.sum_total, self.weighted_n_node)
    }

    /// sklearn's `node_split_best` for `samples[start..end]` whose first `n_known_constants`
    /// entries of the feature order are known constants. Returns the split (if any) and the
    /// number of constant features the children inherit.
    ///
    /// The features drawn are sklearn's only if `features` is permuted exactly as sklearn
    /// permutes its `features` array (a Fisher-Yates draw without replacement, `rand_r` state
    /// shared by the whole tree). During the draws it is partitioned as
    /// `[drawn known constants | undrawn known constants | new constants | unvisited | visited]`
    /// at `n_drawn_constants`, `n_known_constants`, `n_total_constants` and `f_i`: a draw below
    /// `n_known_constants` swaps a known constant to the end of the drawn ones and does not count
    /// as visited; a feature found constant here is swapped to `n_total_constants` (the new
    /// constants' end); any other visited feature is swapped to `f_i - 1`. Afterwards the known
    /// constants get their inherited order back (from `constant_features`) and the new ones are
    /// recorded after them, so the children start from the same array as sklearn's. Changing
    /// any swap, or the loop's stopping rule, changes the draws of every later node.
    pub(crate) fn split(
        &mut self,
        start: usize,
        end: usize,
        impurity: f64,
        n_known_constants: usize,
    ) -> (Option<Split>, usize) {
        let data = self.data;
        let n_features = data.n_features;
        let max_features = self.settings.max_features;
        let mut f_i = n_features;
        let mut n_visited = 0;
        let mut n_found_constants = 0;
        let mut n_drawn_constants = 0;
        let mut n_total_constants = n_known_constants;
        // The best feature and its candidate (its threshold is looked up once, for the winner).
        let mut best: Option<(usize, Candidate)> = None;
        let mut best_proxy = f64::NEG_INFINITY;

        while f_i > n_total_constants
            && (n_visited < max_features || n_visited <= n_found_constants + n_drawn_constants)
        {
            n_visited += 1;
            let mut f_j = rand_int(
                n_drawn_constants,
                f_i - n_found_constants,
                &mut self.rand_r_state,
            );
            if f_j < n_known_constants {
                self.features.swap(n_drawn_constants, f_j);
                n_drawn_constants += 1;
                continue;
            }
            f_j += n_found_constants;
            let feature = self.features[f_j];
            let scan = if data.n_classes == 2 {
                self.scan(feature, start, end, &mut Binary::default(), best_proxy)
            } else {
                // Taken out for the sweep, which reads the rest of `self`.
                let mut many = std::mem::take(&mut self.many);
                let scan = self.scan(feature, start, end, &mut many, best_proxy);
                self.many = many;
                scan
            };
            let Scan::Swept(found) = scan else {
                self.features.swap(f_j, n_total_constants);
                n_found_constants += 1;
                n_total_constants += 1;
                continue;
            };
            f_i -= 1;
            self.features.swap(f_i, f_j);
            if let Some(found) = found {
                best_proxy = found.proxy;
                best = Some((feature, found));
            }
        }

        let split = best.map(|(feature, found)| self.finish(start, end, feature, found, impurity));

        // sklearn's invariant: known constants keep their order for siblings and children,
        // newly found ones are appended after them.
        self.features[..n_known_constants]
            .copy_from_slice(&self.constant_features[..n_known_constants]);
        self.constant_features[n_known_constants..n_known_constants + n_found_constants]
            .copy_from_slice(
                &self.features[n_known_constants..n_known_constants + n_found_constants],
            );
        (split, n_total_constants)
    }

    /// Sweeps `feature` through `samples[start..end]`: through its levels when it has few
    /// distinct values for the node's size, else by sorting.
    #[inline(always)]
    fn scan<C: LeftCounts>(
        &mut self,
        feature: usize,
        start: usize,
        end: usize,
        left: &mut C,
        best_proxy: f64,
    ) -> Scan {
        let data = self.data;
        let column = data.levels.column(feature);
        if data.levels.sweeps_levels(column, end - start) {
            return self.sweep_levels(column, start, end, left, best_proxy);
        }
        self.sort_keys(feature, column, start, end);
        let shift = self.key_shift;
        let keys = self.node_keys();
        let (first, last) = (keys[0].field(shift), keys[keys.len() - 1].field(shift));
        // sklearn's test `last <= first + FEATURE_THRESHOLD`, by the ranks: the values (a cache
        // miss away) are read only for a near tie.
        if first == last || !column.splits(first, last) {
            return Scan::Constant;
        }
        if data.n_classes == 2 && self.settings.impurity == Impurity::Gini {
            return Scan::Swept(self.sweep_binary_gini(column, best_proxy));
        }
        Scan::Swept(self.sweep(column, left, best_proxy))
    }

    /// The sweep state of the current node, starting from `best_proxy`.
    fn start_sweep(&self, n: usize, best_proxy: f64) -> Sweep<'_> {
        Sweep {
            impurity: self.settings.impurity,
            total: &self.sum_total,
            total_weight: self.weighted_n_node as u64,
            weighted_n_node: self.weighted_n_node,
            n,
            min_leaf: self.settings.min_samples_leaf,
            best_proxy,
            best_q: best_proxy + self.weighted_n_node,
            best: None,
        }
    }

    /// The row-major fields, if a node of `n` samples reads them: they take fewer cache lines
    /// than the columns when the node's rows are few (and so far apart).
    #[inline(always)]
    fn small_node_rows(&self, n: usize) -> Option<RowFields<'a>> {
        self.data.levels.rows().filter(|_| n < ROW_GATHER_MAX)
    }

    /// Fills `keys` with the node's samples sorted by their rank in `column`, then
    /// [`KEY_PADDING`] copies of the last for the vector kernels.
    fn sort_keys(&mut self, feature: usize, column: &LevelColumn, start: usize, end: usize) {
        let shift = self.key_shift;
        let rows = self.small_node_rows(end - start);
        let (samples, keys) = (&self.samples[start..end], &mut self.keys);
        let (min, max) = match (rows, &column.fields) {
            (Some(rows), _) => gather_keys(keys, samples, shift, |row| rows.get(row, feature)),
            (None, Fields::Narrow(fields)) => {
                gather_keys(keys, samples, shift, |row| u32::from(fields[row]))
            }
            (None, Fields::Wide(fields)) => gather_keys(keys, samples, shift, |row| fields[row]),
        };
        sort_keys(&mut self.keys, &mut self.sort_buffers, shift, min, max);
        let last = self.keys[self.keys.len() - 1];
        self.keys.extend([last; KEY_PADDING]);
    }

    /// The node's keys, sorted by [`sort_keys`](Self::sort_keys) (without the padding).
    #[inline(always)]
    fn node_keys(&self) -> &[K] {
        &self.keys[..self.keys.len() - KEY_PADDING]
    }

    /// One pass over the sorted keys; returns the best candidate when it beats `best_proxy`.
    #[inline(always)]
    fn sweep<C: LeftCounts>(
        &self,
        column: &LevelColumn,
        left: &mut C,
        best_proxy: f64,
    ) -> Option<Candidate> {
        let keys = self.node_keys();
        let n = keys.len();
        let shift = self.key_shift;
        let mut sweep = self.start_sweep(n, best_proxy);
        left.clear();
        let mut weight_left = 0u64;
        let mut field = keys[0].field(shift);
        for p in 1..n {
            let pair = keys[p - 1].pair(shift);
            let w = self.pair_weight[pair];
            left.add(self.pair_class[pair], w);
            weight_left += w;
            let prev = field;
            field = keys[p].field(shift);
            if field != prev && column.splits(prev, field) {
                let (prev_rank, next_rank) = (LevelColumn::rank(prev), LevelColumn::rank(field));
                sweep.consider(left, p, weight_left, prev_rank, next_rank);
            }
        }
        sweep.best
    }

    /// [`sweep`](Self::sweep) for two classes and Gini, in blocks of [`BLOCK`] positions: the
    /// block's kernel (`gini_block.rs`) accumulates the left counts, and tests every candidate
    /// of the block with the Gini shortcut against the best proxy at the block's start; only
    /// the survivors are considered, in order, exactly as the plain sweep considers them. The
    /// best only grows during a sweep and the shortcut's test is monotone in it, so a candidate
    /// the stale best rejects would be rejected by the current one too: the survivors include
    /// every candidate the plain sweep computes a proxy for, and the result is the same.
    fn sweep_binary_gini(&self, column: &LevelColumn, best_proxy: f64) -> Option<Candidate> {
        let n = self.node_keys().len();
        let shift = self.key_shift;
        let mut sweep = self.start_sweep(n, best_proxy);
        let gini = BinaryGini {
            keys: &self.keys,
            n,
            column,
            shift,
            min_leaf: sweep.min_leaf,
            totals: [self.sum_total[0], self.sum_total[1]],
            total: self.weighted_n_node,
        };
        let (mut running, mut counts) = ((0, 0), BlockCounts::default());
        let mut block_start = 1;
        while block_start < n {
            let len = BLOCK.min(n - block_start);
            let mut survivors = self.kernel.survivors(
                &gini,
                block_start,
                len,
                sweep.best_q,
                &mut running,
                &mut counts,
            );
            while survivors != 0 {
                let i = survivors.trailing_zeros() as usize;
                survivors &= survivors - 1;
                let p = block_start + i;
                let prev_rank = LevelColumn::rank(self.keys[p - 1].field(shift));
                let next_rank = LevelColumn::rank(self.keys[p].field(shift));
                let weight_left = u64::from(counts.weight[i]);
                let mut at = Binary::at(weight_left, u64::from(counts.class1[i]));
                sweep.consider(&mut at, p, weight_left, prev_rank, next_rank);
            }
            block_start += len;
        }
        sweep.best
    }

    /// The sweep of a feature with levels: one pass counts the node's samples and class weights
    /// per level, then each level present moves to the left in ascending order. Positions
    /// inside a level are never candidates (equal values), so the candidates, their counts and
    /// their order are those of the sorted sweep, and so is the result.
    #[inline(always)]
    fn sweep_levels<C: LeftCounts>(
        &mut self,
        column: &LevelColumn,
        start: usize,
        end: usize,
        left: &mut C,
        best_proxy: f64,
    ) -> Scan {
        let n_classes = self.data.n_classes;
        let (mut lo, mut hi) = (usize::MAX, 0);
        for &s in &self.samples[start..end] {
            let l = LevelColumn::rank(column.field(row_of(s)));
            let pair = (s >> 32) as usize;
            self.level_samples[l] += 1;
            self.level_counts[l * n_classes + self.pair_class[pair] as usize] +=
                self.pair_weight[pair];
            lo = lo.min(l);
            hi = hi.max(l);
        }
        let scan = if column.values[hi] <= column.values[lo] + FEATURE_THRESHOLD {
            Scan::Constant
        } else {
            let mut sweep = self.start_sweep(end - start, best_proxy);
            left.clear();
            let (mut p, mut weight_left) = (0, 0);
            let mut prev = lo;
            for l in lo..=hi {
                let n_level = self.level_samples[l] as usize;
                if n_level == 0 {
                    continue;
                }
                // The first level present is no candidate (nothing on its left).
                if l > lo && column.values[l] > column.values[prev] + FEATURE_THRESHOLD {
                    sweep.consider(left, p, weight_left, prev, l);
                }
                let counts = &self.level_counts[l * n_classes..(l + 1) * n_classes];
                for (class, &w) in counts.iter().enumerate() {
                    left.add(class as u32, w);
                    weight_left += w;
                }
                p += n_level;
                prev = l;
            }
            Scan::Swept(sweep.best)
        };
        self.level_samples[lo..=hi].fill(0);
        self.level_counts[lo * n_classes..(hi + 1) * n_classes].fill(0);
        scan
    }

    /// Partitions the node stably at the chosen candidate and computes the children's
    /// impurities.
    fn finish(
        &mut self,
        start: usize,
        end: usize,
        feature: usize,
        found: Candidate,
        impurity: f64,
    ) -> Split {
        let column = self.data.levels.column(feature);
        let threshold = column.threshold(found.prev_rank, found.next_rank);
        let pos = start + found.pos;
        // sklearn sends `x <= threshold` left. The node has no value between the ranks either
        // side of the threshold, which lies strictly between their values, so that is the
        // rows of rank at most `prev_rank`: their fields are below `limit`.
        let limit = LevelColumn::field_above(found.prev_rank);
        let rows = self.small_node_rows(end - start);
        let (samples, scratch) = (&mut self.samples[start..end], &mut self.scratch);
        let n_left = start
            + match (rows, &column.fields) {
                (Some(rows), _) => {
                    partition_below(samples, scratch, limit, |row| rows.get(row, feature))
                }
                (None, Fields::Narrow(fields)) => {
                    partition_below(samples, scratch, limit, |row| u32::from(fields[row]))
                }
                (None, Fields::Wide(fields)) => {
                    partition_below(samples, scratch, limit, |row| fields[row])
                }
            };
        debug_assert_eq!(n_left, pos);
        let weight_left = match found.binary_left {
            Some((weight, class1)) => {
                self.many
                    .counts_mut()
                    .copy_from_slice(&[weight - class1, class1]);
                weight
            }
            None => self.count_classes(start, n_left),
        } as f64;
        let weight_right = self.weighted_n_node - weight_left;
        let (impurity_left, impurity_right) = self.many.children(
            self.settings.impurity,
            &self.sum_total,
            weight_left,
            weight_right,
        );
        Split {
            feature,
            threshold,
            pos,
            impurity_left,
            impurity_right,
            improvement: criterion::improvement(
                self.weighted_n_samples,
                self.weighted_n_node,
                weight_left,
                weight_right,
                impurity,
                impurity_left,
                impurity_right,
            ),
        }
    }
}
