//! Fused multiply-add, the same correctly rounded result on every target.

/// `a * b + c` rounded once: [`f64::mul_add`]'s result, bit for bit, on every target.
///
/// On wasm32 there is no FMA instruction and `f64::mul_add` is a software routine (about 14 ns
/// a call in V8); there this is [`mul_add_emulated`], a few plain double operations. Elsewhere
/// it is `f64::mul_add` (one instruction where the CPU has FMA).
///
/// ```
/// use coresweep::numeric::mul_add;
///
/// let (a, b) = (1.0 + f64::EPSILON, 1.0 - f64::EPSILON);
/// assert_eq!(mul_add(a, b, -1.0), -f64::EPSILON * f64::EPSILON);
/// ```
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
pub fn mul_add(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

/// `a * b + c` rounded once (wasm32: [`mul_add_emulated`]).
#[cfg(target_arch = "wasm32")]
#[inline(always)]
pub fn mul_add(a: f64, b: f64, c: f64) -> f64 {
    mul_add_emulated(a, b, c)
}

/// `a * b + c` rounded once, from plain double operations: the exact product as a sum of two
/// doubles (Dekker's splitting), the exact sum of `c` and its high part (Knuth's TwoSum), the
/// low parts added with rounding to odd, then one rounding to nearest. Boldo and Melquiond
/// (IEEE Trans. Computers 57(4), 2008) prove this equals the correctly rounded `a * b + c` when
/// nothing underflows or overflows; inputs near those limits (and zero, infinite or NaN
/// products) go to [`f64::mul_add`].
///
/// ```
/// use coresweep::numeric::mul_add_emulated;
///
/// assert_eq!(mul_add_emulated(0.1, 10.0, -1.0), 0.1f64.mul_add(10.0, -1.0));
/// assert_eq!(mul_add_emulated(0.0, 5.0, -0.0), 0.0);
/// ```
#[inline(always)]
pub fn mul_add_emulated(a: f64, b: f64, c: f64) -> f64 {
    mul_add_split(a, halves(a), b, halves(b), c, in_range(a) && in_range(b))
}

/// 2^-960 .. 2^960: the product's low part and the split halves stay normal and finite.
pub(crate) const TINY: f64 = f64::from_bits(0x03f0_0000_0000_0000);
/// See [`TINY`].
pub(crate) const HUGE: f64 = f64::from_bits(0x7bf0_0000_0000_0000);

/// Whether `v` is small enough for [`mul_add_split`] (an operand or `c`; NaN is not).
#[inline(always)]
pub(crate) fn in_range(v: f64) -> bool {
    v.abs() <= HUGE
}

/// `v` as `hi + lo`, exactly, each half of at most 26 significant bits (Dekker's splitting):
/// their products are exact.
#[inline(always)]
pub(crate) fn halves(v: f64) -> (f64, f64) {
    const SPLIT: f64 = 134_217_729.0; // 2^27 + 1
    let t = SPLIT * v;
    let hi = t - (t - v);
    (hi, v - hi)
}

/// [`mul_add_emulated`] from the operands' [`halves`] and whether both operands are
/// [`in_range`], which a matrix product computes once per operand rather than once per
/// product.
#[inline(always)]
pub(crate) fn mul_add_split(
    a: f64,
    (ah, al): (f64, f64),
    b: f64,
    (bh, bl): (f64, f64),
    c: f64,
    operands_in_range: bool,
) -> f64 {
    let p = a * b;
    if !(p.abs() >= TINY && in_range(p) && operands_in_range && in_range(c)) {
        return a.mul_add(b, c);
    }
    let pl = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    let (th, tl) = two_sum(c, p);
    let (s, e) = two_sum(tl, pl);
    // Round to odd: when inexact and s is even, the odd neighbour of s on the side of e. Without
    // a branch: which way it goes is a coin toss for the predictor (half of all calls).
    let bits = s.to_bits();
    let step = if (s > 0.0) == (e > 0.0) { 1 } else { u64::MAX };
    let to_odd = u64::from(e != 0.0) & !bits & 1;
    th + f64::from_bits(bits.wrapping_add(step * to_odd))
}

/// `(x + y rounded, the rounding error)`, both exact together (Knuth's TwoSum).
#[inline(always)]
fn two_sum(x: f64, y: f64) -> (f64, f64) {
    let s = x + y;
    let yy = s - x;
    let xx = s - yy;
    (s, (x - xx) + (y - yy))
}

/// [`mul_add_split`] two lanes at a time in wasm's simd128: the same operations in the same
/// order on each lane, so the same bits.
#[cfg(all(target_arch = "wasm32", feature = "simd128"))]
pub(crate) mod simd128 {
    use std::arch::wasm32::*;

    use super::{HUGE, TINY};

    /// `(x + y rounded, the rounding error)` per lane (Knuth's TwoSum, as `super::two_sum`).
    #[inline]
    #[target_feature(enable = "simd128")]
    fn two_sum(x: v128, y: v128) -> (v128, v128) {
        let s = f64x2_add(x, y);
        let yy = f64x2_sub(s, x);
        let xx = f64x2_sub(s, yy);
        (s, f64x2_add(f64x2_sub(x, xx), f64x2_sub(y, yy)))
    }

    /// `a * b + c` rounded once per lane, from the lanes' halves, operands already
    /// [`in_range`](super::in_range); `None` when a lane's product or `c` is out of range
    /// (the caller computes those lanes one at a time, which falls back to `f64::mul_add`).
    #[inline]
    #[target_feature(enable = "simd128")]
    pub(crate) fn mul_add_split(
        a: v128,
        (ah, al): (v128, v128),
        b: v128,
        (bh, bl): (v128, v128),
        c: v128,
    ) -> Option<v128> {
        let p = f64x2_mul(a, b);
        let p_abs = f64x2_abs(p);
        let ok = v128_and(
            v128_and(
                f64x2_ge(p_abs, f64x2_splat(TINY)),
                f64x2_le(p_abs, f64x2_splat(HUGE)),
            ),
            f64x2_le(f64x2_abs(c), f64x2_splat(HUGE)),
        );
        if !i64x2_all_true(ok) {
            return None;
        }
        let pl = f64x2_add(
            f64x2_add(
                f64x2_add(f64x2_sub(f64x2_mul(ah, bh), p), f64x2_mul(ah, bl)),
                f64x2_mul(al, bh),
            ),
            f64x2_mul(al, bl),
        );
        let (th, tl) = two_sum(c, p);
        let (s, e) = two_sum(tl, pl);
        // Round to odd (`super::mul_add_split`): s ± 1 ulp towards e where e != 0 and s is even.
        let zero = f64x2_splat(0.0);
        let to_odd = v128_and(
            f64x2_ne(e, zero),
            i64x2_eq(v128_and(s, i64x2_splat(1)), i64x2_splat(0)),
        );
        let same_side = v128_not(v128_xor(f64x2_gt(s, zero), f64x2_gt(e, zero)));
        let step = v128_bitselect(i64x2_splat(1), i64x2_splat(-1), same_side);
        let v = i64x2_add(s, v128_and(step, to_odd));
        Some(f64x2_add(th, v))
    }
}
