//! Sorting a node's samples by one feature: `u64` keys whose high half is the value's
//! [ordered bits](ordered_bits) (so unsigned order is float order), sorted by a radix sort on
//! large nodes.

/// Nodes at least this large are radix sorted; smaller ones use the standard unstable sort.
const RADIX_SORT_MIN: usize = 256;

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

/// Sorts `keys` by their high 32 bits (`scratch` is the radix sort's buffer, kept between calls
/// so a tree allocates it once).
pub(super) fn sort_keys(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    if keys.len() >= RADIX_SORT_MIN {
        radix_sort_high32(keys, scratch);
    } else {
        keys.sort_unstable();
    }
}

/// LSD radix sort of `keys` by their high 32 bits (8-bit digits; a digit all keys share is
/// skipped). The order of equal high halves is irrelevant to the sweep.
fn radix_sort_high32(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    let n = keys.len();
    let Some(&first) = keys.first() else {
        return;
    };
    let mut counts = [[0u32; 256]; 4];
    for &k in keys.iter() {
        for (d, c) in counts.iter_mut().enumerate() {
            c[((k >> (32 + 8 * d)) & 0xFF) as usize] += 1;
        }
    }
    // Every slot is written before it is read: only a shorter buffer needs filling.
    scratch.resize(n, 0);
    for (d, c) in counts.iter().enumerate() {
        let shift = 32 + 8 * d;
        if c[((first >> shift) & 0xFF) as usize] as usize == n {
            continue;
        }
        let mut offsets = [0u32; 256];
        let mut sum = 0;
        for (o, &count) in offsets.iter_mut().zip(c) {
            *o = sum;
            sum += count;
        }
        for &k in keys.iter() {
            let digit = ((k >> shift) & 0xFF) as usize;
            scratch[offsets[digit] as usize] = k;
            offsets[digit] += 1;
        }
        std::mem::swap(keys, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::{from_ordered_bits, ordered_bits, radix_sort_high32, sort_keys};
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

    /// Keys as the splitter builds them: the value's ordered bits above, a pair id below.
    fn keys_of(values: &[f32], rng: &mut RandomState) -> Vec<u64> {
        values
            .iter()
            .map(|&v| (u64::from(ordered_bits(v)) << 32) | u64::from(rng.next_u32() % 7))
            .collect()
    }

    /// Sorts with `sort`, then checks the keys are a permutation of the input whose values come
    /// out in `f32::total_cmp` order.
    fn check_sort(values: &[f32], sort: fn(&mut Vec<u64>, &mut Vec<u64>), rng: &mut RandomState) {
        let input = keys_of(values, rng);
        let mut keys = input.clone();
        let mut scratch = vec![u64::MAX; 3];
        sort(&mut keys, &mut scratch);
        let mut want = values.to_vec();
        want.sort_by(f32::total_cmp);
        let got: Vec<u32> = keys
            .iter()
            .map(|&k| from_ordered_bits((k >> 32) as u32).to_bits())
            .collect();
        let want: Vec<u32> = want.iter().map(|v| v.to_bits()).collect();
        assert_eq!(got, want, "values out of order for n={}", values.len());
        let (mut got_all, mut want_all) = (keys, input);
        got_all.sort_unstable();
        want_all.sort_unstable();
        assert_eq!(got_all, want_all, "keys lost or duplicated");
    }

    #[test]
    fn radix_sort_matches_std_sort() {
        let mut rng = RandomState::new(2);
        let mut cases: Vec<Vec<f32>> = vec![
            vec![],
            vec![-0.0],
            vec![3.5; 1000],
            SPECIAL.repeat(50),
            (0..1000).map(|i| -(i as f32)).collect(),
            (0..1000).map(|i| f32::from_bits(i * 7919 % 5000)).collect(),
            (0..1000)
                .map(|i| if i % 2 == 0 { 0.0 } else { -0.0 })
                .collect(),
        ];
        for n in [2, 255, 256, 257, 3000] {
            cases.push((0..n).map(|_| any_f32(&mut rng)).collect());
            // Few distinct values: many duplicates.
            cases.push((0..n).map(|_| rng.randint(-3, 4) as f32 * 0.5).collect());
            cases.push(
                (0..n)
                    .map(|_| SPECIAL[rng.randint(0, 12) as usize])
                    .collect(),
            );
        }
        for values in &cases {
            check_sort(values, radix_sort_high32, &mut rng);
            check_sort(values, sort_keys, &mut rng);
        }
    }
}
