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
    // 2^-960 .. 2^960: the product's low part and the split halves stay normal and finite.
    const TINY: f64 = f64::from_bits(0x03f0_0000_0000_0000);
    const HUGE: f64 = f64::from_bits(0x7bf0_0000_0000_0000);
    const SPLIT: f64 = 134_217_729.0; // 2^27 + 1
    let p = a * b;
    let in_range = |v: f64| v.abs() <= HUGE;
    if !(p.abs() >= TINY && in_range(p) && in_range(a) && in_range(b) && in_range(c)) {
        return a.mul_add(b, c);
    }
    let split = |v: f64| {
        let t = SPLIT * v;
        let hi = t - (t - v);
        (hi, v - hi)
    };
    let ((ah, al), (bh, bl)) = (split(a), split(b));
    let pl = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    let (th, tl) = two_sum(c, p);
    let (s, e) = two_sum(tl, pl);
    // Round to odd: when inexact and s is even, the odd neighbour of s on the side of e.
    let v = if e != 0.0 && s.to_bits() & 1 == 0 {
        let bits = s.to_bits();
        f64::from_bits(if (s > 0.0) == (e > 0.0) {
            bits + 1
        } else {
            bits - 1
        })
    } else {
        s
    };
    th + v
}

/// `(x + y rounded, the rounding error)`, both exact together (Knuth's TwoSum).
#[inline(always)]
fn two_sum(x: f64, y: f64) -> (f64, f64) {
    let s = x + y;
    let yy = s - x;
    let xx = s - yy;
    (s, (x - xx) + (y - yy))
}
