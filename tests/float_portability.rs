//! The float operations behind the datasets give the same bits on every target.
//!
//! numpy's Gaussians call glibc's `log`, and OpenBLAS's products are FMA chains. Natively Rust's
//! `f64::ln` is glibc's, but on wasm32 it is musl's older FreeBSD `log` (7 % of the polar
//! method's inputs come out 1 ulp apart), and `f64::mul_add` is a slow software routine. So the
//! engine uses `numeric::log` (glibc's algorithm, written out) and `numeric::mul_add` (an emulated FMA
//! on wasm32). These tests pin both against the outside truths: glibc's `log` and the hardware /
//! libm FMA.

use coresweep::numeric::{log, mul_add_emulated};
use coresweep::rng::RandomState;

/// `(x, glibc's log(x))` as bit patterns, from glibc 2.36 on x86-64 (the `__log_fma` variant):
/// inputs of the polar method (seed 0) where musl's `log` differs from glibc's, and inputs where
/// glibc's result is not the correctly rounded one (numpy, hence sklearn, has glibc's).
const GLIBC_LOG: [(u64, u64); 16] = [
    // musl differs by 1 ulp
    (0x3fe4251335a0da2e, 0xbfdd9e53ab222751),
    (0x3fd6000f56988f31, 0xbff115d4e6c2407f),
    (0x3fd59527fb7b6d84, 0xbff164538a99298b),
    (0x3fb37523b9fd509a, 0xc0049d933344466f),
    (0x3fee0025293e9770, 0xbfb0845b9ab2e93f),
    (0x3fee26b1aa1df671, 0xbfae787932684617),
    (0x3fef11ceec363556, 0xbf9e372446d18b91),
    (0x3fef114be5104057, 0xbf9e4802df88e2a5),
    // glibc is 1 ulp off the correctly rounded value
    (0x3fecbf81fd17b1a6, 0xbfbb6f2aa3d0ba79),
    (0x3fe41b950410c91b, 0xbfddbc837ed1d451),
    (0x3fed95a989a7fac6, 0xbfb4175a4372fc51),
    (0x3fd33eb5f406c059, 0xbff339e43b00872c),
    (0x3fee994a1e514eae, 0xbfa6ecd16c052042),
    (0x3fef86f1f4c5eb18, 0xbf8e7d531225f45a),
    (0x3fee9498d3c91c5a, 0xbfa73b5c46c9ebfc),
    (0x3feea8b3a834c433, 0xbfa5eb2ed0063687),
];

#[test]
fn log_returns_glibcs_bits_including_its_misroundings() {
    for (x, want) in GLIBC_LOG {
        let got = log(f64::from_bits(x));
        assert_eq!(
            got.to_bits(),
            want,
            "log({:e}) = {got:e}, glibc gives {:e}",
            f64::from_bits(x),
            f64::from_bits(want)
        );
    }
}

#[test]
fn log_special_values() {
    assert_eq!(log(0.0), f64::NEG_INFINITY);
    assert_eq!(log(-0.0), f64::NEG_INFINITY);
    assert_eq!(log(f64::INFINITY), f64::INFINITY);
    assert!(log(-1e-300).is_nan());
    assert!(log(f64::NEG_INFINITY).is_nan());
    assert!(log(f64::NAN).is_nan());
    assert_eq!(log(1.0).to_bits(), 0);
    assert_eq!(log(std::f64::consts::E), 1.0);
    assert_eq!(log(5e-324), -744.4400719213812);
    assert_eq!(log(f64::MAX), 709.782712893384);
}

/// The inputs the polar method feeds to `log`: `r2 = x1^2 + x2^2` in `(0, 1)`.
fn polar_inputs(seed: u32, count: usize) -> Vec<f64> {
    let mut rng = RandomState::new(seed);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let x1 = 2.0 * rng.random_sample() - 1.0;
        let x2 = 2.0 * rng.random_sample() - 1.0;
        let r2 = x1 * x1 + x2 * x2;
        if r2 < 1.0 && r2 != 0.0 {
            out.push(r2);
        }
    }
    out
}

/// Natively on x86-64 glibc with FMA, `f64::ln` *is* the reference: compare everywhere.
#[cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]
mod against_glibc {
    use super::*;

    /// glibc picks its `log` by CPU; the port follows the FMA variant (x86-64-v3 and newer,
    /// like the machine that produced the sklearn oracles).
    fn glibc_uses_fma_log() -> bool {
        std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2")
    }

    fn assert_same(xs: impl IntoIterator<Item = f64>) -> usize {
        let mut n = 0;
        for x in xs {
            let (want, got) = (x.ln(), log(x));
            assert!(
                want.to_bits() == got.to_bits() || (want.is_nan() && got.is_nan()),
                "log({x:e} = {:#x}) = {got:e}, glibc gives {want:e}",
                x.to_bits()
            );
            n += 1;
        }
        n
    }

    #[test]
    fn log_equals_glibc_on_polar_inputs() {
        if !glibc_uses_fma_log() {
            eprintln!("skipped: this CPU has no FMA, glibc uses its other log variant");
            return;
        }
        let n: usize = (0..4)
            .map(|seed| assert_same(polar_inputs(seed, 1_000_000)))
            .sum();
        assert_eq!(n, 4_000_000);
    }

    #[test]
    fn log_equals_glibc_near_edges() {
        if !glibc_uses_fma_log() {
            eprintln!("skipped: this CPU has no FMA, glibc uses its other log variant");
            return;
        }
        // Around the near-1 path's bounds, 1, the table's start, powers of two, the normal
        // range's ends, the smallest r2 the polar method can draw (2^-104), subnormals.
        let centres = [
            1.0,
            0.9375,
            1.0 + 265.0 / 4096.0,
            0.6875,
            0.5,
            0.25,
            2.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            2f64.powi(-104),
            2f64.powi(-52),
            1e-310,
        ];
        let around = centres.iter().flat_map(|c| {
            let b = c.to_bits() as i64;
            (-(1i64 << 16)..1 << 16).map(move |d| f64::from_bits((b + d) as u64))
        });
        assert_same(around);
        let powers = (-1074..1024).flat_map(|e| [1.0, 1.25, 1.5, 1.75].map(|m| m * 2f64.powi(e)));
        assert_same(powers);
        let mut rng = RandomState::new(7);
        let anywhere = (0..2_000_000).map(|_| f64::from_bits(rng.next_u64() >> 1));
        assert_same(anywhere);
    }
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// `a * b + c` with the product's low part added in plain double arithmetic: what a naive
/// emulation returns (sometimes 1 ulp off, by double rounding).
fn naive_fma(a: f64, b: f64, c: f64) -> f64 {
    let p = a * b;
    let pl = a.mul_add(b, -p);
    let s = c + p;
    let bb = s - c;
    let sl = (c - (s - bb)) + (p - bb);
    s + (sl + pl)
}

/// Asserts the emulation equals `f64::mul_add`; returns whether the naive emulation does not.
fn check_fma(a: f64, b: f64, c: f64) -> bool {
    let want = a.mul_add(b, c);
    let got = mul_add_emulated(a, b, c);
    assert!(
        same(want, got),
        "fma({a:e}, {b:e}, {c:e}) = {want:e}, emulated {got:e} ({:#x}, {:#x}, {:#x})",
        a.to_bits(),
        b.to_bits(),
        c.to_bits()
    );
    !same(naive_fma(a, b, c), want)
}

#[test]
fn emulated_fma_equals_fma_on_the_datasets_operands() {
    // The shapes of make_classification's products: normals times uniforms in [-1, 1),
    // accumulated; and the log's polynomial steps.
    let mut rng = RandomState::new(11);
    let mut acc = 0.0;
    for i in 0..3_000_000 {
        let x = rng.standard_normal();
        let w = 2.0 * rng.random_sample() - 1.0;
        if i % 65 == 0 {
            acc = 0.0;
        }
        check_fma(x, w, acc);
        acc = x.mul_add(w, acc);
    }
    for r2 in polar_inputs(3, 500_000) {
        let r = r2 * 0.0078125 - 0.00390625;
        check_fma(r, -0.3, 0.25);
        check_fma(r2, std::f64::consts::SQRT_2, -1.0);
    }
}

#[test]
fn emulated_fma_equals_fma_on_hard_cases() {
    let mut rng = RandomState::new(5);
    let mut unit = || 2.0 * rng.random_sample() - 1.0;
    let mut cases: Vec<(f64, f64, f64)> = Vec::new();
    for _ in 0..1_000_000 {
        let (a, b) = (unit(), unit());
        let p = a * b;
        let tiny = unit() * f64::EPSILON * p.abs();
        // Cancellation: c is -a*b (rounded) or close to it.
        cases.push((a, b, -p));
        cases.push((a, b, -p + tiny));
        cases.push((a, b, -p * (1.0 + f64::EPSILON)));
        // The product's low part decides a rounding of c: c far larger than a*b.
        cases.push((a, b, 2f64.powi(53) * p.abs().max(1e-300) * unit().signum()));
        cases.push((a, b, 2f64.powi(52) * p + p));
    }
    let mut rng = RandomState::new(6);
    for _ in 0..1_000_000 {
        // Ties: odd integer products of 54 to 56 bits land exactly halfway between doubles.
        let a = (rng.random_interval((1 << 27) - 1) | (1 << 27) | 1) as f64;
        let b = (rng.random_interval((1 << 27) - 1) | (1 << 26) | 1) as f64;
        let shift = 2f64.powi(rng.randint(-60, 60) as i32);
        let c = (rng.randint(-1000, 1000) as f64) * shift * shift;
        cases.push((a * shift, b * shift, c));
        cases.push((a * shift, -b * shift, c));
        cases.push((a * shift, b * shift, 0.0));
    }
    let mut rng = RandomState::new(8);
    for _ in 0..1_000_000 {
        // Any finite or special bit patterns, zeros of both signs, huge and tiny magnitudes
        // (the emulation hands those to f64::mul_add).
        let pick = |rng: &mut RandomState| match rng.random_interval(9) {
            0 => 0.0,
            1 => -0.0,
            2 => f64::INFINITY,
            3 => f64::NAN,
            4 => f64::from_bits(rng.next_u64()) * 1e-300,
            _ => f64::from_bits(rng.next_u64()),
        };
        cases.push((pick(&mut rng), pick(&mut rng), pick(&mut rng)));
        let e = rng.randint(-520, 520) as i32;
        let (a, b) = (rng.standard_normal() * 2f64.powi(e), rng.standard_normal());
        cases.push((a, b * 2f64.powi(-e), rng.standard_normal()));
        cases.push((a, b * 2f64.powi(-2 * e), a * b * 2f64.powi(-2 * e)));
    }
    let naive_wrong = cases
        .iter()
        .filter(|&&(a, b, c)| check_fma(a, b, c))
        .count();
    assert!(
        naive_wrong > 1000,
        "only {naive_wrong} double-rounding cases"
    );
}
