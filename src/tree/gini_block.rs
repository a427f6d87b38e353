//! The inner loop of the two-class Gini sweep (`Splitter::sweep_binary_gini`), one block of
//! [`BLOCK`] positions at a time: the left side's running counts, which positions are
//! candidates, and which of those survive the Gini shortcut against the best at the block's
//! start. A scalar kernel is the reference; vector kernels (AVX2, chosen at run time on x86-64;
//! wasm's simd128, in a wasm build with the feature `simd128`) compute the same counts. AVX2
//! computes the same bits with the same `f64` operations in the same order (Rust never fuses a
//! multiply and an add), so it keeps the same candidates and the trees cannot change.
//!
//! The simd128 kernel tests 4 positions at a time in `f32` where every count is exact in `f32`,
//! with a margin that makes it keep every candidate the `f64` test keeps and a few more; the
//! survivors are considered exactly (`Sweep::consider` repeats the test in `f64`), so the trees
//! are the same. wasm has no 4-lane `f64` vector: the `f64` test took twice the operations.
//!
//! The simd128 kernel alone is compiled for simd128 (`#[target_feature]`), not the whole module:
//! the module built with `-C target-feature=+simd128` generated make_classification's data with
//! 2.7 times the CPU in V8, most of it in compiler-builtins' software `fma`.
//!
//! A key's pair id is `weight << 1 | class` for two classes (`Splitter::new`), so a vector
//! kernel reads the weight and the class from the key itself, without a table.

use super::criterion::gini_cannot_win;
use super::levels::LevelColumn;
use super::sort::Key;

/// Positions of a block (one bit each in a `u64`).
pub(super) const BLOCK: usize = 64;

/// Keys after a node's own, copies of its last key: a vector kernel reads a whole vector of
/// keys past the node's last position and discards what it found there.
pub(super) const KEY_PADDING: usize = 8;

/// The left side's counts after each position of a block: the weight, and the weight of class
/// 1, of the samples before it.
pub(super) struct BlockCounts {
    pub(super) weight: [u32; BLOCK],
    pub(super) class1: [u32; BLOCK],
}

impl Default for BlockCounts {
    fn default() -> Self {
        BlockCounts {
            weight: [0; BLOCK],
            class1: [0; BLOCK],
        }
    }
}

/// Nodes lighter than this (2^24) have every count exact in `f32`: the simd128 kernel tests
/// them in `f32` (module doc).
#[cfg(any(test, all(target_arch = "wasm32", feature = "simd128")))]
const F32_EXACT_BELOW: f64 = 16_777_216.0;

/// The left side's counts carried from block to block: (weight, weight of class 1).
pub(super) type Running = (u32, u32);

/// One feature's sorted node, swept with two classes and Gini.
pub(super) struct BinaryGini<'a, K> {
    /// The node's keys in rank order (`keys[..n]`), then [`KEY_PADDING`] copies of the last.
    pub(super) keys: &'a [K],
    pub(super) n: usize,
    pub(super) column: &'a LevelColumn,
    /// Where a key's rank field starts (above the pair id).
    pub(super) shift: u32,
    pub(super) min_leaf: usize,
    /// The node's weight of class 0 and of class 1, and their sum.
    pub(super) totals: [f64; 2],
    pub(super) total: f64,
}

/// The Gini shortcut's test for the left counts `(weight, class1)`, exactly as
/// `Sweep::consider` computes it (`Binary::squares` and `gini_cannot_win`); every count is an
/// integer below 2^53, so every difference is exact.
#[inline(always)]
fn keeps(weight: f64, class1: f64, totals: [f64; 2], total: f64, best_q: f64) -> bool {
    let c0 = weight - class1;
    let (r0, r1) = (totals[0] - c0, totals[1] - class1);
    let (sq_left, sq_right) = (c0 * c0 + class1 * class1, r0 * r0 + r1 * r1);
    !gini_cannot_win(sq_left, sq_right, weight, total - weight, best_q)
}

impl<K: Key> BinaryGini<'_, K> {
    /// Positions `start + i` for `i` in `0..len` (`start >= 1`): adds each position's
    /// previous sample to `running`, records the counts in `counts`, and returns the bits `i`
    /// of the candidates (a change of rank sklearn splits, both children keeping `min_leaf`)
    /// the shortcut keeps against `best_q`. The reference every vector kernel is tested against.
    fn scalar_survivors(
        &self,
        start: usize,
        len: usize,
        best_q: f64,
        running: &mut Running,
        counts: &mut BlockCounts,
    ) -> u64 {
        let n = self.n;
        let mut survivors = 0;
        for i in 0..len {
            let p = start + i;
            let prev = self.keys[p - 1];
            let pair = prev.pair(self.shift) as u32;
            let weight = pair >> 1;
            running.0 += weight;
            running.1 += weight * (pair & 1);
            (counts.weight[i], counts.class1[i]) = *running;
            let (prev, next) = (prev.field(self.shift), self.keys[p].field(self.shift));
            let candidate = next != prev
                && p >= self.min_leaf
                && n - p >= self.min_leaf
                && self.column.splits(prev, next);
            let (weight, class1) = (f64::from(running.0), f64::from(running.1));
            if candidate && keeps(weight, class1, self.totals, self.total, best_q) {
                survivors |= 1 << i;
            }
        }
        survivors
    }
}

/// Which kernel sweeps the blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// Plain Rust: the reference, the path of 64-bit keys and of wasm builds without simd128.
    #[cfg_attr(
        all(target_arch = "wasm32", feature = "simd128", not(test)),
        expect(dead_code, reason = "a simd128 module runs only where simd128 does")
    )]
    Scalar,
    /// AVX2, 8 positions at a time; only ever made after `is_x86_feature_detected!("avx2")`.
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// wasm's simd128, 4 positions at a time: in a module built with the feature `simd128`,
    /// which the page loads only in an engine that validates simd128 code.
    #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
    Simd128,
}

/// The kernel every processor a build runs on has: simd128 in a wasm module built with it.
#[cfg(all(target_arch = "wasm32", feature = "simd128"))]
const BUILT_IN: Kernel = Kernel::Simd128;
#[cfg(not(all(target_arch = "wasm32", feature = "simd128")))]
const BUILT_IN: Kernel = Kernel::Scalar;

impl Kernel {
    /// Every kernel this processor runs, the scalar one first (for the tests).
    #[cfg(test)]
    pub(super) fn available() -> Vec<Kernel> {
        let mut kernels = vec![Kernel::Scalar];
        if Kernel::detected() != Kernel::Scalar {
            kernels.push(Kernel::detected());
        }
        kernels
    }

    /// The fastest kernel this processor runs.
    pub(crate) fn detected() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            return Kernel::Avx2;
        }
        BUILT_IN
    }

    /// The survivors of positions `start..start + len` of `gini`'s node (`start >= 1`,
    /// `len <= BLOCK`), as [`BinaryGini::scalar_survivors`] finds them; the counts
    /// of positions from `len` on are left undefined.
    #[inline(always)]
    pub(super) fn survivors<K: Key>(
        self,
        gini: &BinaryGini<'_, K>,
        start: usize,
        len: usize,
        best_q: f64,
        running: &mut Running,
        counts: &mut BlockCounts,
    ) -> u64 {
        assert!(start >= 1 && len <= BLOCK && start + len <= gini.n);
        assert_eq!(gini.keys.len(), gini.n + KEY_PADDING);
        // The vector kernels read 32-bit keys and convert counts to f64 as signed 32-bit
        // integers.
        if gini.total < f64::from(i32::MAX)
            && let Some(keys) = K::as_u32(gini.keys)
        {
            let gini = BinaryGini {
                keys,
                n: gini.n,
                column: gini.column,
                shift: gini.shift,
                min_leaf: gini.min_leaf,
                totals: gini.totals,
                total: gini.total,
            };
            return match self {
                Kernel::Scalar => gini.scalar_survivors(start, len, best_q, running, counts),
                #[cfg(target_arch = "x86_64")]
                // SAFETY: `Avx2` is only made by `detected` after `is_x86_feature_detected!`
                // said the processor has AVX2 (and by the tests, from `available`, likewise).
                Kernel::Avx2 => unsafe {
                    avx2::survivors(&gini, start, len, best_q, running, counts)
                },
                #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
                Kernel::Simd128 => simd128::survivors(&gini, start, len, best_q, running, counts),
            };
        }
        gini.scalar_survivors(start, len, best_q, running, counts)
    }
}

/// The candidates a vector kernel found by ranks alone (`changed`: the rank changes, bit `i`
/// for position `start + i`; `near`: those whose previous value has a neighbour within
/// sklearn's threshold), narrowed as the scalar kernel narrows them: a near change only if the
/// values split, and only positions leaving `min_leaf` samples on both sides.
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", feature = "simd128")
))]
fn candidates(gini: &BinaryGini<'_, u32>, start: usize, changed: u64, near: u64) -> u64 {
    let mut candidates = changed;
    let mut check = changed & near;
    while check != 0 {
        let i = check.trailing_zeros() as usize;
        check &= check - 1;
        let p = start + i;
        let (prev, next) = (gini.keys[p - 1] >> gini.shift, gini.keys[p] >> gini.shift);
        if !gini.column.splits(prev, next) {
            candidates &= !(1 << i);
        }
    }
    // Positions p with min_leaf <= p <= n - min_leaf, as bits p - start.
    let n = gini.n;
    let lowest = gini.min_leaf.saturating_sub(start);
    let Some(highest) = (n - gini.min_leaf.min(n)).checked_sub(start) else {
        return 0;
    };
    let in_range = |i: usize| -> u64 { if i >= BLOCK { u64::MAX } else { (1 << i) - 1 } };
    candidates & !in_range(lowest) & in_range(highest + 1)
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{BLOCK, BinaryGini, BlockCounts, Running, candidates};

    /// Inclusive prefix sums of 8 lanes, plus `running`, which becomes the last sum.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn prefix_sums(x: __m256i, running: &mut __m256i) -> __m256i {
        let x = _mm256_add_epi32(x, _mm256_slli_si256::<4>(x));
        let x = _mm256_add_epi32(x, _mm256_slli_si256::<8>(x));
        // The low half's total, added to the high half.
        let low_total = _mm256_shuffle_epi32::<0xFF>(x);
        let x = _mm256_add_epi32(x, _mm256_permute2x128_si256::<0x08>(low_total, low_total));
        let x = _mm256_add_epi32(x, *running);
        *running = _mm256_permutevar8x32_epi32(x, _mm256_set1_epi32(7));
        x
    }

    /// The shortcut's keep bits of 4 lanes of counts (`super::keeps`, the same operations).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn keeps(
        weight: __m128i,
        class1: __m128i,
        totals: [__m256d; 2],
        total: __m256d,
        best_q: __m256d,
    ) -> u64 {
        let (w, c1) = (_mm256_cvtepi32_pd(weight), _mm256_cvtepi32_pd(class1));
        let c0 = _mm256_sub_pd(w, c1);
        let (r0, r1) = (_mm256_sub_pd(totals[0], c0), _mm256_sub_pd(totals[1], c1));
        let sq_left = _mm256_add_pd(_mm256_mul_pd(c0, c0), _mm256_mul_pd(c1, c1));
        let sq_right = _mm256_add_pd(_mm256_mul_pd(r0, r0), _mm256_mul_pd(r1, r1));
        let wr = _mm256_sub_pd(total, w);
        let lhs = _mm256_add_pd(_mm256_mul_pd(sq_left, wr), _mm256_mul_pd(sq_right, w));
        let rhs = _mm256_mul_pd(
            _mm256_mul_pd(best_q, _mm256_mul_pd(w, wr)),
            _mm256_set1_pd(1.0 - 1e-9),
        );
        let loses = _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LT_OQ>(lhs, rhs)) as u64;
        !loses & 0xF
    }

    /// [`super::Kernel::survivors`] 8 positions at a time, the last vector reaching past
    /// `len` (into the keys' padding past the node, or the next block's positions); what it
    /// finds there is discarded.
    #[target_feature(enable = "avx2")]
    pub(super) fn survivors(
        gini: &BinaryGini<'_, u32>,
        start: usize,
        len: usize,
        best_q: f64,
        running: &mut Running,
        counts: &mut BlockCounts,
    ) -> u64 {
        let keys = gini.keys;
        let vectors = len.div_ceil(8) * 8;
        // The last vector's positions stop short of the padding's end: the node's positions
        // `start + len <= n`, rounded up to 8, stay within `n + KEY_PADDING`.
        assert!(len >= 1 && start >= 1 && vectors <= BLOCK && start + vectors <= keys.len());
        let pair_mask = _mm256_set1_epi32(((1u32 << gini.shift) - 1) as i32);
        let shift = _mm_cvtsi32_si128(gini.shift as i32);
        let one = _mm256_set1_epi32(1);
        let mut weight_sum = _mm256_set1_epi32(running.0 as i32);
        let mut class1_sum = _mm256_set1_epi32(running.1 as i32);
        let totals = gini.totals.map(|t| _mm256_set1_pd(t));
        let (total, best_q_lanes) = (_mm256_set1_pd(gini.total), _mm256_set1_pd(best_q));
        let (mut changed, mut near, mut keep) = (0u64, 0u64, 0u64);
        for i in (0..vectors).step_by(8) {
            let p = start + i;
            // SAFETY: 1 <= p and p + 8 <= start + vectors <= keys.len() (asserted above), so
            // both 8-key loads, from p - 1 and from p, lie inside `keys`.
            let (prev, next) = unsafe {
                (
                    _mm256_loadu_si256(keys.as_ptr().add(p - 1).cast()),
                    _mm256_loadu_si256(keys.as_ptr().add(p).cast()),
                )
            };
            let pair = _mm256_and_si256(prev, pair_mask);
            let weights = _mm256_srli_epi32::<1>(pair);
            let is_class1 = _mm256_cmpeq_epi32(_mm256_and_si256(pair, one), one);
            let weight = prefix_sums(weights, &mut weight_sum);
            let class1 = prefix_sums(_mm256_and_si256(weights, is_class1), &mut class1_sum);
            // SAFETY: i + 8 <= vectors <= BLOCK, the arrays' length.
            unsafe {
                _mm256_storeu_si256(counts.weight.as_mut_ptr().add(i).cast(), weight);
                _mm256_storeu_si256(counts.class1.as_mut_ptr().add(i).cast(), class1);
            }
            let (prev, next) = (_mm256_srl_epi32(prev, shift), _mm256_srl_epi32(next, shift));
            let same = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(prev, next)));
            let prev_near = _mm256_cmpeq_epi32(_mm256_and_si256(prev, one), one);
            changed |= ((!same & 0xFF) as u64) << i;
            near |= (_mm256_movemask_ps(_mm256_castsi256_ps(prev_near)) as u64) << i;
            let low = keeps(
                _mm256_castsi256_si128(weight),
                _mm256_castsi256_si128(class1),
                totals,
                total,
                best_q_lanes,
            );
            let high = keeps(
                _mm256_extracti128_si256::<1>(weight),
                _mm256_extracti128_si256::<1>(class1),
                totals,
                total,
                best_q_lanes,
            );
            keep |= (low | high << 4) << i;
        }
        // The sums after position `len - 1`, not after the positions past it, which
        // `candidates` drops (past the node's end: `min_leaf` keeps them off).
        *running = (counts.weight[len - 1], counts.class1[len - 1]);
        candidates(gini, start, changed, near) & keep
    }
}

#[cfg(all(target_arch = "wasm32", feature = "simd128"))]
mod simd128 {
    use std::arch::wasm32::*;

    use super::{BLOCK, BinaryGini, BlockCounts, Running, candidates};

    /// Inclusive prefix sums of 4 lanes, plus `running`, which becomes the last sum.
    #[inline]
    #[target_feature(enable = "simd128")]
    fn prefix_sums(x: v128, running: &mut v128) -> v128 {
        let zero = i32x4_splat(0);
        let x = i32x4_add(x, i32x4_shuffle::<0, 4, 5, 6>(zero, x));
        let x = i32x4_add(x, i32x4_shuffle::<0, 1, 4, 5>(zero, x));
        let x = i32x4_add(x, *running);
        *running = i32x4_shuffle::<3, 3, 3, 3>(x, x);
        x
    }

    /// The shortcut's keep bits of 4 lanes of counts, in `f32`, for a node whose weight is
    /// below [`F32_EXACT_BELOW`](super::F32_EXACT_BELOW), so every count and difference of
    /// counts is an exact `f32`. Each side of `super::keeps`'s comparison is then within 4
    /// roundings (2^-24 each) of its exact value, as is the `f64` one (2^-53 each), so a lane
    /// the test below rejects, `lhs < rhs * (1 - 1e-5)`, satisfies the `f64`
    /// `lhs < rhs * (1 - 1e-9)` too: the kernel keeps every lane `super::keeps` keeps.
    #[inline]
    #[target_feature(enable = "simd128")]
    fn keeps_f32(weight: v128, class1: v128, totals: [v128; 2], total: v128, best_q: v128) -> u64 {
        let (w, c1) = (f32x4_convert_i32x4(weight), f32x4_convert_i32x4(class1));
        let c0 = f32x4_sub(w, c1);
        let (r0, r1) = (f32x4_sub(totals[0], c0), f32x4_sub(totals[1], c1));
        let sq_left = f32x4_add(f32x4_mul(c0, c0), f32x4_mul(c1, c1));
        let sq_right = f32x4_add(f32x4_mul(r0, r0), f32x4_mul(r1, r1));
        let wr = f32x4_sub(total, w);
        let lhs = f32x4_add(f32x4_mul(sq_left, wr), f32x4_mul(sq_right, w));
        let rhs = f32x4_mul(f32x4_mul(best_q, f32x4_mul(w, wr)), f32x4_splat(1.0 - 1e-5));
        u64::from(!i32x4_bitmask(f32x4_lt(lhs, rhs)) & 0xF)
    }

    /// The shortcut's keep bits of the 2 low lanes of counts (`super::keeps`, the same
    /// operations).
    #[inline]
    #[target_feature(enable = "simd128")]
    fn keeps(weight: v128, class1: v128, totals: [v128; 2], total: v128, best_q: v128) -> u64 {
        let (w, c1) = (
            f64x2_convert_low_i32x4(weight),
            f64x2_convert_low_i32x4(class1),
        );
        let c0 = f64x2_sub(w, c1);
        let (r0, r1) = (f64x2_sub(totals[0], c0), f64x2_sub(totals[1], c1));
        let sq_left = f64x2_add(f64x2_mul(c0, c0), f64x2_mul(c1, c1));
        let sq_right = f64x2_add(f64x2_mul(r0, r0), f64x2_mul(r1, r1));
        let wr = f64x2_sub(total, w);
        let lhs = f64x2_add(f64x2_mul(sq_left, wr), f64x2_mul(sq_right, w));
        let rhs = f64x2_mul(f64x2_mul(best_q, f64x2_mul(w, wr)), f64x2_splat(1.0 - 1e-9));
        u64::from(!i64x2_bitmask(f64x2_lt(lhs, rhs)) & 0x3)
    }

    /// [`super::Kernel::survivors`] 4 positions at a time, the last vector reaching past `len`
    /// (into the keys' padding past the node: only a node's last block is shorter than
    /// [`BLOCK`]); what it finds there is discarded.
    #[target_feature(enable = "simd128")]
    pub(super) fn survivors(
        gini: &BinaryGini<'_, u32>,
        start: usize,
        len: usize,
        best_q: f64,
        running: &mut Running,
        counts: &mut BlockCounts,
    ) -> u64 {
        // One loop per test, chosen once: a loop holding both spilled registers in V8.
        if gini.total < super::F32_EXACT_BELOW {
            let totals = gini.totals.map(|t| f32x4_splat(t as f32));
            let (total, best_q) = (f32x4_splat(gini.total as f32), f32x4_splat(best_q as f32));
            survivors_by(gini, start, len, running, counts, |weight, class1| {
                keeps_f32(weight, class1, totals, total, best_q)
            })
        } else {
            let totals = [f64x2_splat(gini.totals[0]), f64x2_splat(gini.totals[1])];
            let (total, best_q) = (f64x2_splat(gini.total), f64x2_splat(best_q));
            survivors_by(gini, start, len, running, counts, |weight, class1| {
                let low = keeps(weight, class1, totals, total, best_q);
                let high = keeps(
                    i32x4_shuffle::<2, 3, 2, 3>(weight, weight),
                    i32x4_shuffle::<2, 3, 2, 3>(class1, class1),
                    totals,
                    total,
                    best_q,
                );
                low | high << 2
            })
        }
    }

    /// [`survivors`] with `keeps`, the keep bits of 4 lanes of (weight, class 1) counts.
    #[inline]
    #[target_feature(enable = "simd128")]
    fn survivors_by(
        gini: &BinaryGini<'_, u32>,
        start: usize,
        len: usize,
        running: &mut Running,
        counts: &mut BlockCounts,
        keeps: impl Fn(v128, v128) -> u64,
    ) -> u64 {
        let keys = gini.keys;
        let vectors = len.div_ceil(4) * 4;
        // The last vector's positions stop short of the padding's end: the node's positions
        // `start + len <= n`, rounded up to 4, stay within `n + KEY_PADDING`.
        assert!(len >= 1 && start >= 1 && vectors <= BLOCK && start + vectors <= keys.len());
        let pair_mask = u32x4_splat((1u32 << gini.shift) - 1);
        let one = u32x4_splat(1);
        let mut weight_sum = u32x4_splat(running.0);
        let mut class1_sum = u32x4_splat(running.1);
        let (mut changed, mut near, mut keep) = (0u64, 0u64, 0u64);
        for i in (0..vectors).step_by(4) {
            let p = start + i;
            // SAFETY: 1 <= p and p + 4 <= start + vectors <= keys.len() (asserted above), so
            // both 4-key loads, from p - 1 and from p, lie inside `keys`; v128_load needs no
            // alignment.
            let (prev, next) = unsafe {
                (
                    v128_load(keys.as_ptr().add(p - 1).cast()),
                    v128_load(keys.as_ptr().add(p).cast()),
                )
            };
            let pair = v128_and(prev, pair_mask);
            let weights = u32x4_shr(pair, 1);
            let is_class1 = i32x4_eq(v128_and(pair, one), one);
            let weight = prefix_sums(weights, &mut weight_sum);
            let class1 = prefix_sums(v128_and(weights, is_class1), &mut class1_sum);
            // SAFETY: i + 4 <= vectors <= BLOCK, the arrays' length; v128_store needs no
            // alignment.
            unsafe {
                v128_store(counts.weight.as_mut_ptr().add(i).cast(), weight);
                v128_store(counts.class1.as_mut_ptr().add(i).cast(), class1);
            }
            let (prev, next) = (u32x4_shr(prev, gini.shift), u32x4_shr(next, gini.shift));
            let same = i32x4_bitmask(i32x4_eq(prev, next));
            changed |= u64::from(!same & 0xF) << i;
            near |= u64::from(i32x4_bitmask(i32x4_eq(v128_and(prev, one), one))) << i;
            keep |= keeps(weight, class1) << i;
        }
        // The sums after position `len - 1`, not after the positions past it, which
        // `candidates` drops (past the node's end: `min_leaf` keeps them off).
        *running = (counts.weight[len - 1], counts.class1[len - 1]);
        candidates(gini, start, changed, near) & keep
    }
}

#[cfg(test)]
mod tests {
    use super::{BLOCK, BinaryGini, BlockCounts, KEY_PADDING, Kernel};
    use crate::rng::RandomState;
    use crate::tree::builder::grow;
    use crate::tree::splitter::{Splitter, pair_bits};
    use crate::tree::{Impurity, Levels, SplitSettings, TrainingData, TreeSettings};

    /// A column of `n` values of one kind, the kinds a kernel could get wrong.
    fn column(kind: usize, n: usize, rng: &mut RandomState) -> Vec<f32> {
        (0..n)
            .map(|_| match kind {
                // Random values: nearly every change of rank a candidate.
                0 => rng.random_sample() as f32,
                // Ties: few distinct values, long runs of one rank.
                1 => rng.randint(0, 4) as f32,
                // Extremes, signed zeros, subnormals (no NaN or infinity: sklearn refuses them).
                2 => [f32::MIN, f32::MAX, -0.0, 0.0, 1e-45, -1e-45][rng.randint(0, 6) as usize],
                // One distinct value.
                3 => 0.5,
                // Neighbours within and just beyond sklearn's 1e-7: `near` ranks everywhere.
                _ => 1.0 + rng.randint(0, 12) as f32 * 5e-8,
            })
            .collect()
    }

    /// Every kernel finds the scalar kernel's survivors and counts, block by block, on every
    /// kind of column, for node sizes around the vector widths and the block, several
    /// `min_samples_leaf`, and best proxies from none to ones on a candidate's edge.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn vector_kernels_match_the_scalar_kernel() {
        let kernels = Kernel::available();
        eprintln!("kernels: {kernels:?}");
        // A wasm build with simd128 must compare that kernel, not pass with the scalar alone.
        #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
        assert_eq!(kernels, [Kernel::Scalar, Kernel::Simd128]);
        let mut rng = RandomState::new(21);
        let mut compared = 0;
        // Light weights on every kind of column; heavy ones (nodes past F32_EXACT_BELOW) on
        // ties, whose few fields leave room for large pair ids.
        for (kinds, max_weight, shift, max_n) in [(0..5, 6, 4, 1000), (1..2, 1 << 23, 27, 200)] {
            for kind in kinds {
                for n in [2, 5, 8, 9, 63, 64, 65, 72, 200, 1000]
                    .into_iter()
                    .filter(|&n| n <= max_n)
                {
                    let values = column(kind, n, &mut rng);
                    let levels = Levels::new(&values, n);
                    let weights: Vec<u32> =
                        (0..n).map(|_| rng.randint(1, max_weight) as u32).collect();
                    let labels: Vec<u32> = (0..n).map(|_| rng.randint(0, 2) as u32).collect();
                    let mut keys: Vec<u32> = (0..n)
                        .map(|r| (levels.column(0).field(r) << shift) | weights[r] << 1 | labels[r])
                        .collect();
                    keys.sort_unstable();
                    keys.extend([keys[n - 1]; KEY_PADDING]);
                    let total: u32 = weights.iter().sum();
                    let class1: u32 = weights.iter().zip(&labels).map(|(w, l)| w * l).sum();
                    let totals = [f64::from(total - class1), f64::from(class1)];
                    for min_leaf in [1, 3, n / 2 + 1] {
                        let gini = BinaryGini {
                            keys: &keys,
                            n,
                            column: levels.column(0),
                            shift,
                            min_leaf,
                            totals,
                            total: f64::from(total),
                        };
                        // Q of some candidate (the best proxy plus the node's weight), and its
                        // neighbours one rounding either side.
                        let (wl, c1) = (f64::from(weights[0]), f64::from(weights[0] * labels[0]));
                        let (c0, r0, r1) = (wl - c1, totals[0] - (wl - c1), totals[1] - c1);
                        let wr = f64::from(total) - wl;
                        let q = (c0 * c0 + c1 * c1) / wl + (r0 * r0 + r1 * r1) / wr.max(1.0);
                        for best_q in [
                            f64::NEG_INFINITY,
                            q,
                            q * (1.0 + f64::EPSILON),
                            q * (1.0 - 1e-9),
                            0.75 * f64::from(total),
                            f64::from(total),
                        ] {
                            let sweep = |kernel: Kernel, best_q: f64| {
                                let (mut running, mut blocks) = ((0, 0), Vec::new());
                                let mut start = 1;
                                while start < n {
                                    let len = BLOCK.min(n - start);
                                    let mut counts = BlockCounts::default();
                                    let survivors = kernel.survivors(
                                        &gini,
                                        start,
                                        len,
                                        best_q,
                                        &mut running,
                                        &mut counts,
                                    );
                                    blocks.push((
                                        survivors,
                                        counts.weight[..len].to_vec(),
                                        counts.class1[..len].to_vec(),
                                        running,
                                    ));
                                    start += len;
                                }
                                blocks
                            };
                            let want = sweep(Kernel::Scalar, best_q);
                            for &kernel in &kernels[1..] {
                                let got = sweep(kernel, best_q);
                                if keeps_exactly(kernel, gini.total) {
                                    assert_eq!(got, want, "{kernel:?} kind {kind} n {n}");
                                } else {
                                    // Every survivor of the scalar kernel, and no candidate the
                                    // scalar kernel rejects against a best 1e-4 lower.
                                    let lower = sweep(Kernel::Scalar, best_q - 1e-4 * best_q.abs());
                                    for ((got, want), lower) in got.iter().zip(&want).zip(&lower) {
                                        assert_eq!(
                                            (&got.1, &got.2, got.3),
                                            (&want.1, &want.2, want.3)
                                        );
                                        assert_eq!(want.0 & !got.0, 0, "{kernel:?} lost survivors");
                                        assert_eq!(got.0 & !lower.0, 0, "{kernel:?} kept too many");
                                    }
                                    assert_eq!(got.len(), want.len());
                                }
                                compared += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(compared == 0, kernels.len() == 1);
    }

    /// Whether `kernel` keeps exactly the scalar kernel's survivors in a node of weight
    /// `total`: simd128 keeps a few more where it tests in `f32` (module doc).
    fn keeps_exactly(kernel: Kernel, total: f64) -> bool {
        !cfg!(all(target_arch = "wasm32", feature = "simd128"))
            || kernel == Kernel::Scalar
            || total >= super::F32_EXACT_BELOW
    }

    /// Trees grown with every kernel are the scalar kernel's, on bootstrap weights and every
    /// kind of column together.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn trees_are_the_same_with_every_kernel() {
        let mut rng = RandomState::new(22);
        let (n_rows, n_features) = (1500, 5);
        let mut columns = Vec::new();
        for kind in 0..n_features {
            columns.extend(column(kind, n_rows, &mut rng));
        }
        let labels: Vec<u32> = (0..n_rows)
            .map(|i| u32::from(columns[i] + rng.random_sample() as f32 > 0.9))
            .collect();
        let weights: Vec<u32> = (0..n_rows).map(|_| rng.randint(0, 4) as u32).collect();
        let levels = Levels::new(&columns, n_rows).sorted_only();
        let data = TrainingData {
            n_rows,
            n_features,
            labels: &labels,
            n_classes: 2,
            weights: &weights,
            levels: &levels,
        };
        for min_samples_leaf in [1, 5] {
            let settings = TreeSettings {
                split: SplitSettings {
                    impurity: Impurity::Gini,
                    max_features: 3,
                    min_samples_leaf,
                },
                max_depth: usize::MAX,
                min_samples_split: 2 * min_samples_leaf,
                min_impurity_decrease: 0.0,
            };
            let tree = |kernel: Kernel| {
                let splitter = Splitter::<u32>::new(&data, settings.split, 7, pair_bits(&data));
                format!("{:?}", grow(splitter.with_kernel(kernel), &data, &settings))
            };
            let want = tree(Kernel::Scalar);
            assert!(want.matches("Node").count() > 50);
            for kernel in Kernel::available() {
                assert_eq!(tree(kernel), want, "{kernel:?}");
            }
        }
    }
}
