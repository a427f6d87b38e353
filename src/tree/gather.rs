//! Gathering a node's sort keys: for each sample, the rank field of its value in one column
//! above the id of its (weight, class) pair ([`Key::new`]), with the least and the largest
//! field. In a wasm build with the feature `simd128`, 32-bit keys are made 4 at a time: in V8
//! the plain loop ran at about 1.8x native's time, the rest of the fit at about 1.2x (the
//! page's profile shares against perf's of the CLI), and the page's fit took 0.95x the time
//! with it in Chromium and Firefox (WebKit 0.99x).

use super::sort::Key;

/// A sample of a node: its row (low 32 bits) and the id of its (weight, class) pair (high).
#[inline]
pub(super) fn row_of(sample: u64) -> usize {
    sample as u32 as usize
}

/// Fills `keys` with the keys of `samples` whose rows have the fields `field_of(row)`; returns
/// the least and the largest field (the sort skips the high bits all share, or buckets the
/// range). With no samples: `(u32::MAX, 0)`.
#[inline(always)]
pub(super) fn gather_keys<K: Key>(
    keys: &mut Vec<K>,
    samples: &[u64],
    shift: u32,
    field_of: impl Fn(usize) -> u32,
) -> (u32, u32) {
    #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
    if let Some(keys) = K::as_u32_vec(keys) {
        return simd128::gather_keys(keys, samples, shift, field_of);
    }
    scalar(keys, samples, shift, field_of)
}

/// [`gather_keys`] one sample at a time: the reference, and every build's path but the
/// simd128 one's for 32-bit keys.
#[inline(always)]
fn scalar<K: Key>(
    keys: &mut Vec<K>,
    samples: &[u64],
    shift: u32,
    field_of: impl Fn(usize) -> u32,
) -> (u32, u32) {
    keys.clear();
    let (mut min, mut max) = (u32::MAX, 0);
    // `extend` over a slice reserves once, where `push` would check the capacity per key.
    keys.extend(samples.iter().map(|&s| {
        let field = field_of(row_of(s));
        min = min.min(field);
        max = max.max(field);
        K::new(field, (s >> 32) as u32, shift)
    }));
    (min, max)
}

#[cfg(all(target_arch = "wasm32", feature = "simd128"))]
mod simd128 {
    use std::arch::wasm32::*;

    use super::row_of;
    use crate::tree::sort::Key;

    /// [`super::scalar`] for 32-bit keys, 4 samples at a time: the fields are read one by one
    /// (a gather), the pair ids, the keys, the least and the largest field made in 4 lanes.
    #[target_feature(enable = "simd128")]
    pub(super) fn gather_keys(
        keys: &mut Vec<u32>,
        samples: &[u64],
        shift: u32,
        field_of: impl Fn(usize) -> u32,
    ) -> (u32, u32) {
        let n = samples.len();
        keys.clear();
        keys.reserve(n);
        let out = keys.spare_capacity_mut();
        let quads = samples.chunks_exact(4);
        let rest = quads.remainder();
        let (mut min, mut max) = (u32x4_splat(u32::MAX), u32x4_splat(0));
        for (q, o) in quads.zip(out.chunks_exact_mut(4)) {
            let fields = u32x4(
                field_of(row_of(q[0])),
                field_of(row_of(q[1])),
                field_of(row_of(q[2])),
                field_of(row_of(q[3])),
            );
            // The high halves of the 4 samples: their pair ids.
            let pairs = i32x4_shuffle::<1, 3, 5, 7>(u64x2(q[0], q[1]), u64x2(q[2], q[3]));
            min = u32x4_min(min, fields);
            max = u32x4_max(max, fields);
            let quad = v128_or(u32x4_shl(fields, shift), pairs);
            // SAFETY: `o` is 4 slots of `keys`' spare capacity, 16 writable bytes, and
            // `v128_store` writes those 16 bytes with no alignment required.
            unsafe { v128_store(o.as_mut_ptr().cast::<v128>(), quad) };
        }
        let lanes = |v: v128| {
            [
                u32x4_extract_lane::<0>(v),
                u32x4_extract_lane::<1>(v),
                u32x4_extract_lane::<2>(v),
                u32x4_extract_lane::<3>(v),
            ]
        };
        let (mut min, mut max) = (
            lanes(min).into_iter().fold(u32::MAX, u32::min),
            lanes(max).into_iter().fold(0, u32::max),
        );
        let done = n - rest.len();
        for (&s, o) in rest.iter().zip(&mut out[done..]) {
            let field = field_of(row_of(s));
            min = min.min(field);
            max = max.max(field);
            o.write(u32::new(field, (s >> 32) as u32, shift));
        }
        // SAFETY: `reserve(n)` left at least `n` slots of spare capacity, and the two loops
        // wrote every one of the first `n`: the quads' `n - rest.len()`, then the rest's.
        unsafe { keys.set_len(n) };
        (min, max)
    }
}

#[cfg(test)]
mod tests {
    use super::{gather_keys, row_of};
    use crate::rng::RandomState;

    /// The keys and the field range as [`gather_keys`] defines them, one sample at a time.
    fn reference(samples: &[u64], fields: &[u32], shift: u32) -> (Vec<u64>, u32, u32) {
        let field = |s: u64| fields[row_of(s)];
        let keys = samples
            .iter()
            .map(|&s| (u64::from(field(s)) << shift) | (s >> 32))
            .collect();
        let min = samples.iter().map(|&s| field(s)).min().unwrap_or(u32::MAX);
        let max = samples.iter().map(|&s| field(s)).max().unwrap_or(0);
        (keys, min, max)
    }

    /// Every length from 0 to 41 (the 4-lane path's every remainder) and a few large ones,
    /// shifts from 1 to 20 bits of pair ids, fields anywhere in the bits above them (the
    /// largest, the least and one value throughout among them), 32- and 64-bit keys.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn keys_and_field_range_match_the_reference() {
        let mut rng = RandomState::new(11);
        let lengths = (0..42).chain([255, 256, 1000, 4099]);
        for (case, n) in lengths.enumerate() {
            let shift = 1 + case as u32 % 20;
            let n_rows = 1 + rng.next_u32() as usize % 5000;
            let top = u32::MAX >> shift;
            let fields: Vec<u32> = (0..n_rows)
                .map(|row| match (case % 4, row % 7) {
                    (0, _) => 5,
                    (_, 0) => top,
                    (_, 1) => 0,
                    _ => rng.next_u32() & top,
                })
                .collect();
            let samples: Vec<u64> = (0..n)
                .map(|_| {
                    let pair = u64::from(rng.next_u32() & ((1 << shift) - 1));
                    (pair << 32) | (rng.next_u32() as usize % n_rows) as u64
                })
                .collect();
            let (want, want_min, want_max) = reference(&samples, &fields, shift);

            let mut keys32: Vec<u32> = vec![7; 3];
            let got = gather_keys(&mut keys32, &samples, shift, |row| fields[row]);
            assert_eq!(got, (want_min, want_max), "32-bit field range, n {n}");
            let widened: Vec<u64> = keys32.iter().map(|&k| u64::from(k)).collect();
            assert_eq!(widened, want, "32-bit keys, n {n}, shift {shift}");

            let mut keys64: Vec<u64> = Vec::new();
            let got = gather_keys(&mut keys64, &samples, shift, |row| fields[row]);
            assert_eq!(got, (want_min, want_max), "64-bit field range, n {n}");
            assert_eq!(keys64, want, "64-bit keys, n {n}, shift {shift}");
        }
    }
}
