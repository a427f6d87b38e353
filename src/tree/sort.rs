//! Sorting a node's samples by one feature: [`Key`]s holding the rank of the sample's value
//! above its (weight, class) pair. Small nodes are bucket sorted (their ranks spread evenly
//! over the column's: about one key per bucket, then a short insertion pass), larger ones
//! radix sorted on the rank bits, the smallest by the standard sort. [`ordered_bits`] orders `f32`s as unsigned integers (for
//! the ranking).

/// Nodes at least this large are radix sorted; smaller ones bucket sorted.
#[cfg(not(target_arch = "wasm32"))]
const RADIX_SORT_MIN: usize = 1024;

/// In wasm every node of at least [`BUCKET_SORT_MIN`] keys is radix sorted: there the bucket
/// sort's passes cost more than the radix sort's, where natively they cost less. The page's
/// 1-thread fit of 50 trees (best of 3 fits, 3-4 alternated pairs) took 0.85x the time in
/// Firefox, 0.91x in WebKit, 0.97x in Chromium; natively radix sorting them took 1.04x.
#[cfg(target_arch = "wasm32")]
const RADIX_SORT_MIN: usize = BUCKET_SORT_MIN;

/// Nodes smaller than this use the standard unstable sort (its sorting networks beat
/// counting there).
const BUCKET_SORT_MIN: usize = 48;

/// Buckets per key of a bucket sort: fewer keys share a bucket, so fewer move in the
/// insertion pass, against more buckets to count.
const BUCKETS_PER_KEY: usize = 2;

/// Maps an `f32` to a `u32` whose unsigned order is the float order.
#[inline]
pub(super) fn ordered_bits(value: f32) -> u32 {
    let bits = value.to_bits();
    if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    }
}

/// Inverse of [`ordered_bits`].
#[inline]
pub(super) fn from_ordered_bits(bits: u32) -> f32 {
    if bits & 0x8000_0000 != 0 {
        f32::from_bits(bits & 0x7FFF_FFFF)
    } else {
        f32::from_bits(!bits)
    }
}

/// A sort key of a node's sample: the rank field of its value ([`super::levels::LevelColumn`])
/// shifted above the id of its (weight, class) pair. 32 bits when a tree's fields and pair ids
/// fit in them (almost always: two radix passes of half the data a `u64` key moves), else 64.
pub(super) trait Key: Copy + Ord + Default {
    /// `field << shift | pair`.
    fn new(field: u32, pair: u32, shift: u32) -> Self;
    /// `(self >> shift) & mask` as an index.
    fn digit(self, shift: u32, mask: u32) -> usize;
    /// The rank field (above `shift`).
    #[inline(always)]
    fn field(self, shift: u32) -> u32 {
        self.digit(shift, u32::MAX) as u32
    }
    /// The pair id (below `shift`).
    fn pair(self, shift: u32) -> usize;
    /// The keys as `u32`s, if they are: the vector kernels read only those.
    fn as_u32(keys: &[Self]) -> Option<&[u32]>;
    /// The key buffer as one of `u32`s, if it is: the simd128 gather writes only those.
    #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
    fn as_u32_vec(keys: &mut Vec<Self>) -> Option<&mut Vec<u32>>;
}

impl Key for u32 {
    #[inline(always)]
    fn new(field: u32, pair: u32, shift: u32) -> Self {
        (field << shift) | pair
    }
    #[inline(always)]
    fn digit(self, shift: u32, mask: u32) -> usize {
        ((self >> shift) & mask) as usize
    }
    #[inline(always)]
    fn pair(self, shift: u32) -> usize {
        (self & ((1 << shift) - 1)) as usize
    }
    #[inline(always)]
    fn as_u32(keys: &[Self]) -> Option<&[u32]> {
        Some(keys)
    }
    #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
    #[inline(always)]
    fn as_u32_vec(keys: &mut Vec<Self>) -> Option<&mut Vec<u32>> {
        Some(keys)
    }
}

impl Key for u64 {
    #[inline(always)]
    fn new(field: u32, pair: u32, shift: u32) -> Self {
        (u64::from(field) << shift) | u64::from(pair)
    }
    #[inline(always)]
    fn digit(self, shift: u32, mask: u32) -> usize {
        ((self >> shift) & u64::from(mask)) as usize
    }
    #[inline(always)]
    fn pair(self, shift: u32) -> usize {
        (self & ((1 << shift) - 1)) as usize
    }
    #[inline(always)]
    fn as_u32(_: &[Self]) -> Option<&[u32]> {
        None
    }
    #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
    #[inline(always)]
    fn as_u32_vec(_: &mut Vec<Self>) -> Option<&mut Vec<u32>> {
        None
    }
}

/// Most bits a radix pass sorts on.
const MAX_DIGIT_BITS: u32 = 11;

/// Buckets of a pass of [`MAX_DIGIT_BITS`].
const MAX_BUCKETS: usize = 1 << MAX_DIGIT_BITS;

/// Most radix passes: fields of up to 33 bits.
const MAX_PASSES: usize = 3;

/// The buffers of [`sort_keys`], kept between calls so a tree allocates them once.
pub(super) struct SortBuffers<K> {
    scratch: Vec<K>,
    /// Per pass, the count (then the next slot) of each digit.
    counts: Box<[[u32; MAX_BUCKETS]; MAX_PASSES]>,
}

impl<K> Default for SortBuffers<K> {
    fn default() -> Self {
        SortBuffers {
            scratch: Vec::new(),
            counts: Box::new([[0; MAX_BUCKETS]; MAX_PASSES]),
        }
    }
}

/// Sorts `keys` by their fields (above `shift`; below it the pair ids, whose order is
/// irrelevant to the sweep), every one of which lies in `min_field..=max_field`.
pub(super) fn sort_keys<K: Key>(
    keys: &mut Vec<K>,
    buffers: &mut SortBuffers<K>,
    shift: u32,
    min_field: u32,
    max_field: u32,
) {
    if keys.len() >= RADIX_SORT_MIN {
        radix_sort_range(keys, buffers, shift, min_field, max_field);
    } else if keys.len() >= BUCKET_SORT_MIN {
        bucket_sort(keys, buffers, shift, min_field, max_field);
    } else {
        keys.sort_unstable();
    }
}

/// [`radix_sort`] of `keys` whose fields all lie in `min_field..=max_field`: on the bits below
/// those the two share, which every field between them shares too.
pub(super) fn radix_sort_range<K: Key>(
    keys: &mut Vec<K>,
    buffers: &mut SortBuffers<K>,
    shift: u32,
    min_field: u32,
    max_field: u32,
) {
    let bits = u32::BITS - (min_field ^ max_field).leading_zeros();
    radix_sort(keys, buffers, shift, bits);
}

/// Sorts `keys` (best for fewer than [`MAX_BUCKETS`] / [`BUCKETS_PER_KEY`]) by their fields in
/// `min_field..=max_field`: one counting pass into buckets of equal field ranges (in field
/// order), then an insertion pass, which moves only keys that share a bucket.
pub(super) fn bucket_sort<K: Key>(
    keys: &mut Vec<K>,
    buffers: &mut SortBuffers<K>,
    shift: u32,
    min_field: u32,
    max_field: u32,
) {
    let n = keys.len();
    if n < 2 {
        return;
    }
    let buckets = (n * BUCKETS_PER_KEY).next_power_of_two().min(MAX_BUCKETS);
    let range = u64::from(max_field - min_field) + 1;
    // bucket = (field - min) * buckets / range, by a multiply and a shift: below `buckets`
    // since `field - min < range`, and never smaller for a larger field.
    let scale = ((buckets as u64) << 32) / range;
    let bucket = |k: K| ((u64::from(k.field(shift) - min_field) * scale) >> 32) as usize;
    let SortBuffers { scratch, counts } = buffers;
    let offsets = &mut counts[0][..buckets];
    offsets.fill(0);
    for &k in keys.iter() {
        offsets[bucket(k)] += 1;
    }
    counts_to_offsets(offsets);
    scratch.resize(n, K::default());
    for &k in keys.iter() {
        let b = bucket(k);
        scratch[offsets[b] as usize] = k;
        offsets[b] += 1;
    }
    std::mem::swap(keys, scratch);
    insertion_sort_fields(keys, shift);
}

/// Turns each digit's count into the slot of its first key: the counts of the smaller digits.
fn counts_to_offsets(counts: &mut [u32]) {
    let mut sum = 0;
    for o in counts.iter_mut() {
        let count = *o;
        *o = sum;
        sum += count;
    }
}

/// Insertion sort by the fields: linear on keys that are out of order only within buckets.
fn insertion_sort_fields<K: Key>(keys: &mut [K], shift: u32) {
    for i in 1..keys.len() {
        let key = keys[i];
        let field = key.field(shift);
        let mut j = i;
        while j > 0 && keys[j - 1].field(shift) > field {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = key;
    }
}

/// LSD radix sort of `keys` by their bits `shift..shift + bits`, in as few passes of at most
/// [`MAX_DIGIT_BITS`] as cover them, the digits of every pass counted in one read.
pub(super) fn radix_sort<K: Key>(
    keys: &mut Vec<K>,
    buffers: &mut SortBuffers<K>,
    shift: u32,
    bits: u32,
) {
    let n = keys.len();
    let passes = bits.div_ceil(MAX_DIGIT_BITS).max(1);
    assert!(passes as usize <= MAX_PASSES, "{bits} bits to sort");
    let width = bits.div_ceil(passes);
    // The mask's bits above MAX_DIGIT_BITS are zero anyway; saying so lets the compiler drop
    // the counting loop's bounds checks (every digit indexes a MAX_BUCKETS array).
    let (buckets, mask) = (
        1usize << width,
        ((1u32 << width) - 1) & (MAX_BUCKETS as u32 - 1),
    );
    let passes = passes as usize;
    let SortBuffers { scratch, counts } = buffers;
    for c in &mut counts[..passes] {
        c[..buckets].fill(0);
    }
    let [c0, c1, c2] = &mut **counts;
    // One loop per pass count, so the digits' loop is unrolled.
    match passes {
        1 => keys.iter().for_each(|&k| c0[k.digit(shift, mask)] += 1),
        2 => keys.iter().for_each(|&k| {
            c0[k.digit(shift, mask)] += 1;
            c1[k.digit(shift + width, mask)] += 1;
        }),
        _ => keys.iter().for_each(|&k| {
            c0[k.digit(shift, mask)] += 1;
            c1[k.digit(shift + width, mask)] += 1;
            c2[k.digit(shift + 2 * width, mask)] += 1;
        }),
    }
    // Every slot is written before it is read: only a shorter buffer needs filling.
    scratch.resize(n, K::default());
    for (d, offsets) in counts[..passes].iter_mut().enumerate() {
        counts_to_offsets(&mut offsets[..buckets]);
        let digit_shift = shift + width * d as u32;
        // The whole array is indexed, which the mask keeps every digit inside: no bounds check.
        for &k in keys.iter() {
            let digit = k.digit(digit_shift, mask);
            // The slot is bumped before the key is stored: else the store might alias the
            // offset, which wasm then loads again.
            let slot = offsets[digit] as usize;
            offsets[digit] += 1;
            debug_assert!(slot < n);
            // SAFETY: `scratch.len() == n`. This pass's digits were counted over these same
            // keys (in another order, the same multiset), so each digit's slots run from the
            // counts of the smaller digits to that plus its own count, less one: below `n`,
            // the sum of all counts.
            unsafe { *scratch.get_unchecked_mut(slot) = k };
        }
        std::mem::swap(keys, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::{
        Key, SortBuffers, bucket_sort, from_ordered_bits, ordered_bits, radix_sort,
        radix_sort_range, sort_keys,
    };
    use crate::rng::RandomState;

    /// Values that stress the key: both zeros, both infinities, extremes, subnormals.
    const SPECIAL: [f32; 12] = [
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
        1e-45,
        -1e-45,
        1.0,
        -1.0,
    ];

    /// A random non-NaN `f32` from any bit pattern (subnormals and infinities included).
    fn any_f32(rng: &mut RandomState) -> f32 {
        loop {
            let v = f32::from_bits(rng.next_u32());
            if !v.is_nan() {
                return v;
            }
        }
    }

    #[test]
    fn ordered_bits_order_is_float_order() {
        let mut rng = RandomState::new(1);
        let mut values: Vec<f32> = SPECIAL.to_vec();
        values.extend((0..400).map(|_| any_f32(&mut rng)));
        for &a in &values {
            assert_eq!(from_ordered_bits(ordered_bits(a)).to_bits(), a.to_bits());
            for &b in &values {
                // total_cmp is `<` except that it puts -0.0 before 0.0.
                assert_eq!(
                    ordered_bits(a).cmp(&ordered_bits(b)),
                    a.total_cmp(&b),
                    "{a} {b}"
                );
                if a < b {
                    assert!(ordered_bits(a) < ordered_bits(b), "{a} < {b}");
                }
            }
        }
    }

    /// The sorts under test.
    #[derive(Clone, Copy, Debug)]
    enum Sort {
        Radix,
        /// The radix sort on the bits the fields' range needs (wasm's sort from 48 keys).
        RadixRange,
        BySize,
        Buckets,
    }

    /// Sorts keys of `fields` (below `2^bits`) above random pair ids of `shift` bits with
    /// `sort`, then checks the keys are a permutation of the input in field order.
    fn check_sort<K: Key + std::fmt::Debug>(
        fields: &[u32],
        shift: u32,
        bits: u32,
        sort: Sort,
        rng: &mut RandomState,
    ) {
        let input: Vec<K> = fields
            .iter()
            .map(|&f| {
                K::new(
                    f,
                    (u64::from(rng.next_u32()) & ((1 << shift) - 1)) as u32,
                    shift,
                )
            })
            .collect();
        let mut keys = input.clone();
        // Buffers left dirty by an earlier sort.
        let mut buffers = SortBuffers {
            scratch: vec![K::default(); 3],
            ..SortBuffers::default()
        };
        buffers.counts[0][..100].fill(7);
        let min = fields.iter().copied().min().unwrap_or(0);
        let max = fields.iter().copied().max().unwrap_or(0);
        match sort {
            Sort::Radix => radix_sort(&mut keys, &mut buffers, shift, bits),
            Sort::RadixRange => radix_sort_range(&mut keys, &mut buffers, shift, min, max),
            Sort::BySize => sort_keys(&mut keys, &mut buffers, shift, min, max),
            Sort::Buckets => bucket_sort(&mut keys, &mut buffers, shift, min, max),
        }
        let got: Vec<u32> = keys.iter().map(|k| k.field(shift)).collect();
        let mut want = fields.to_vec();
        want.sort_unstable();
        assert_eq!(
            got,
            want,
            "{sort:?}: fields out of order for n={}",
            fields.len()
        );
        let (mut got_all, mut want_all) = (keys, input);
        got_all.sort_unstable();
        want_all.sort_unstable();
        assert_eq!(got_all, want_all, "keys lost or duplicated");
    }

    /// Also run in wasm (scripts/test-wasm.sh), whose [`sort_keys`] radix sorts smaller nodes.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn every_sort_matches_std_sort() {
        let mut rng = RandomState::new(2);
        for bits in [1, 2, 7, 11, 12, 15, 22, 23, 26] {
            let top = 1u32 << bits;
            let mut cases: Vec<Vec<u32>> = vec![
                vec![],
                vec![top - 1],
                vec![top / 2; 1000],
                (0..1000).map(|i| (top - 1).saturating_sub(i)).collect(),
                // A narrow range far from zero.
                (0..300)
                    .map(|i| top - 1 - (i * 7 % 10).min(top - 1))
                    .collect(),
            ];
            for n in [2, 3, 31, 32, 33, 255, 511, 512, 513, 3000] {
                cases.push((0..n).map(|_| rng.next_u32() % top).collect());
                // Few distinct fields: many duplicates.
                cases.push((0..n).map(|_| rng.next_u32() % 3 * (top / 3)).collect());
            }
            for fields in &cases {
                for sort in [Sort::Radix, Sort::RadixRange, Sort::BySize, Sort::Buckets] {
                    for shift in [0, 5, 32 - bits] {
                        check_sort::<u32>(fields, shift, bits, sort, &mut rng);
                    }
                }
                for sort in [Sort::Radix, Sort::RadixRange, Sort::BySize, Sort::Buckets] {
                    check_sort::<u64>(fields, 32, bits, sort, &mut rng);
                }
            }
        }
    }
}
