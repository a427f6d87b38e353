//! numpy's matrix products as OpenBLAS rounds them.

use std::ops::Range;

#[cfg(any(test, target_arch = "wasm32"))]
use super::fma::{halves, in_range, mul_add_split};
use super::mul_add;

/// `np.dot(X[rows, :k], W)` for a row-major `k x n` matrix `W`, returned row-major.
///
/// numpy hands the product to OpenBLAS 0.3.31, whose SkylakeX kernels round differently by
/// shape (OpenBLAS's `kernel/x86_64/dgemm_small_kernel_nn_skylakex.c`, `dgemv_n_4.c`,
/// `dgemv_t_4.c`); each entry here is rounded as the kernel numpy reaches would round it:
/// - one row and one column (`ddot`): an FMA chain;
/// - one row, several columns: `dgemv_n` ([`gemv_n`]);
/// - several rows, one column: `dgemv_t` ([`gemv_t_entry`]);
/// - otherwise `dgemm` ([`gemm`]).
pub(crate) fn np_dot(
    x: &[f64],
    stride: usize,
    rows: Range<usize>,
    k: usize,
    w: &[f64],
    n: usize,
) -> Vec<f64> {
    let m = rows.len();
    let row = |j: usize| &x[(rows.start + j) * stride..][..k];
    let mut out = vec![0.0; m * n];
    match (m, n) {
        (0, _) => {}
        (1, 1) => Chains::new(w, 1).run(row(0), &mut out),
        (1, _) => gemv_n(row(0), w, &mut out),
        (_, 1) => {
            for (j, o) in out.iter_mut().enumerate() {
                *o = gemv_t_entry(row(j), w, j, m);
            }
        }
        _ => gemm(&row, m, k, w, n, &mut out),
    }
    out
}

/// The FMA chains of one product, `W` (row-major `k x n`) against rows of `X`: on wasm32, where
/// the FMA is emulated ([`EmulatedChains`]), with `W`'s entries split once for all rows.
#[cfg(not(target_arch = "wasm32"))]
struct Chains<'a> {
    w: &'a [f64],
    n: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'a> Chains<'a> {
    fn new(w: &'a [f64], n: usize) -> Self {
        Chains { w, n }
    }

    /// `out[c] = x @ W[:, c]` for the first `out.len()` columns, each a sequential FMA chain
    /// over k starting from 0 (OpenBLAS's dgemm kernels).
    fn run(&self, x: &[f64], out: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2")
        {
            // SAFETY: the CPU has the features the function is compiled for (checked just above).
            return unsafe { fma_chains_x86(x, self.w, self.n, out) };
        }
        fma_chains_portable(x, self.w, self.n, out);
    }
}

#[cfg(target_arch = "wasm32")]
type Chains<'a> = EmulatedChains<'a>;

/// [`Chains::run`] compiled with hardware FMA: the same correctly rounded results, but
/// `mul_add` becomes one vectorised instruction instead of a call into libm.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn fma_chains_x86(x: &[f64], w: &[f64], n: usize, out: &mut [f64]) {
    fma_chains_portable(x, w, n, out);
}

/// The loop runs over k outside, so the independent chains (one per column) sit side by side
/// and vectorise.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn fma_chains_portable(x: &[f64], w: &[f64], n: usize, out: &mut [f64]) {
    out.fill(0.0);
    for (&xv, w_row) in x.iter().zip(w.chunks_exact(n)) {
        for (acc, &wv) in out.iter_mut().zip(w_row) {
            *acc = mul_add(xv, wv, *acc);
        }
    }
}

/// [`Chains`] with the emulated FMA ([`mul_add_split`]): `W`'s halves and range are worked
/// out once per product, each row's entries once per row, instead of both once per
/// multiply-add (make_classification's products are 10000 rows against the same `W`). Two
/// columns at a time in a wasm build with simd128. The same bits as `f64::mul_add` chains.
#[cfg(any(test, target_arch = "wasm32"))]
struct EmulatedChains<'a> {
    w: &'a [f64],
    n: usize,
    /// `W`'s [`halves`], entry by entry.
    hi: Vec<f64>,
    lo: Vec<f64>,
    /// Whether every entry of `W` is [`in_range`].
    in_range: bool,
}

#[cfg(any(test, target_arch = "wasm32"))]
impl<'a> EmulatedChains<'a> {
    fn new(w: &'a [f64], n: usize) -> Self {
        let (hi, lo) = w.iter().map(|&v| halves(v)).unzip();
        let in_range = w.iter().all(|&v| in_range(v));
        EmulatedChains {
            w,
            n,
            hi,
            lo,
            in_range,
        }
    }

    /// As [`Chains::run`].
    fn run(&self, x: &[f64], out: &mut [f64]) {
        // A module built with the feature `simd128` is loaded only where simd128 code validates
        // (www/page.js).
        #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
        return self.run_simd128(x, out);
        #[cfg(not(all(target_arch = "wasm32", feature = "simd128")))]
        self.run_scalar(x, out, 0);
    }

    /// Columns `first..out.len()`, one at a time.
    fn run_scalar(&self, x: &[f64], out: &mut [f64], first: usize) {
        out[first..].fill(0.0);
        for (r, &a) in x.iter().enumerate() {
            let a_halves = halves(a);
            let operands_in_range = self.in_range && in_range(a);
            let at = r * self.n;
            for (c, acc) in out.iter_mut().enumerate().skip(first) {
                let (b, b_halves) = (self.w[at + c], (self.hi[at + c], self.lo[at + c]));
                *acc = mul_add_split(a, a_halves, b, b_halves, *acc, operands_in_range);
            }
        }
    }

    /// Pairs of columns in simd128 lanes (a pair with a lane out of range one column at a
    /// time), then the last odd column.
    #[cfg(all(target_arch = "wasm32", feature = "simd128"))]
    #[target_feature(enable = "simd128")]
    fn run_simd128(&self, x: &[f64], out: &mut [f64]) {
        use std::arch::wasm32::{f64x2_splat, v128, v128_load, v128_store};

        use super::fma::simd128;

        let pairs = out.len() / 2 * 2;
        out[..pairs].fill(0.0);
        for (r, &a) in x.iter().enumerate() {
            let a_halves = halves(a);
            let operands_in_range = self.in_range && in_range(a);
            let lanes = (
                f64x2_splat(a),
                (f64x2_splat(a_halves.0), f64x2_splat(a_halves.1)),
            );
            let at = r * self.n;
            for c in (0..pairs).step_by(2) {
                let (b, hi, lo) = (
                    &self.w[at + c..at + c + 2],
                    &self.hi[at + c..at + c + 2],
                    &self.lo[at + c..at + c + 2],
                );
                let acc = &mut out[c..c + 2];
                // SAFETY: each slice above holds exactly the two f64s (16 bytes) read or
                // written; wasm's v128 loads and stores need no alignment.
                let sum = unsafe {
                    let load = |pair: &[f64]| v128_load(pair.as_ptr().cast::<v128>());
                    if operands_in_range {
                        simd128::mul_add_split(
                            lanes.0,
                            lanes.1,
                            load(b),
                            (load(hi), load(lo)),
                            load(acc),
                        )
                    } else {
                        None
                    }
                };
                match sum {
                    // SAFETY: as above.
                    Some(sum) => unsafe { v128_store(acc.as_mut_ptr().cast::<v128>(), sum) },
                    None => {
                        for (lane, acc) in acc.iter_mut().enumerate() {
                            let c = c + lane;
                            let b_halves = (self.hi[at + c], self.lo[at + c]);
                            *acc = mul_add_split(
                                a,
                                a_halves,
                                self.w[at + c],
                                b_halves,
                                *acc,
                                operands_in_range,
                            );
                        }
                    }
                }
            }
        }
        if pairs < out.len() {
            self.run_scalar(x, out, pairs);
        }
    }
}

/// `dgemm` (several rows, several columns). Products of at most 10^6 multiply-adds go to the
/// "small matrix" kernel, which uses FMA chains except for a tail of 1 to 4 columns after the
/// last multiple of 8 when k >= 16: those are dot products with 8 lanes over k, reduced by one
/// of two trees. Larger products use the regular kernel: FMA chains throughout.
fn gemm<'a>(
    row: &impl Fn(usize) -> &'a [f64],
    m: usize,
    k: usize,
    w: &[f64],
    n: usize,
    out: &mut [f64],
) {
    let small = (m as f64) * (n as f64) * (k as f64) <= 1e6;
    let tail_start = n & !7;
    let tail = n - tail_start;
    let dot_tail = small && (1..=4).contains(&tail) && k >= 16;
    let chain_cols = if dot_tail { tail_start } else { n };
    let mut column = vec![0.0; k];
    let chains = Chains::new(w, n);
    for (j, out_row) in out.chunks_exact_mut(n).enumerate() {
        chains.run(row(j), &mut out_row[..chain_cols]);
    }
    if !dot_tail {
        return;
    }
    for c in tail_start..n {
        for (r, v) in column.iter_mut().enumerate() {
            *v = w[r * n + c];
        }
        for (j, out_row) in out.chunks_exact_mut(n).enumerate() {
            let l = eight_lanes(row(j), &column);
            // Groups of 4 output values are reduced with a transpose network; the leftovers
            // with `_mm512_reduce_add_pd`.
            out_row[c] = if tail == 4 || j < m & !3 {
                ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
            } else {
                ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))
            };
        }
    }
}

/// Eight FMA accumulators over k, lane `l` taking the indices `≡ l (mod 8)`.
fn eight_lanes(a: &[f64], b: &[f64]) -> [f64; 8] {
    let mut lanes = [0.0f64; 8];
    for (a8, b8) in a.chunks(8).zip(b.chunks(8)) {
        for ((lane, &p), &q) in lanes.iter_mut().zip(a8).zip(b8) {
            *lane = mul_add(p, q, *lane);
        }
    }
    lanes
}

/// `dgemv_n` (one row times a row-major `k x n` matrix). Outputs in blocks of 4 add one term
/// per group of 4 inputs, `fma(a3, x3, fma(a2, x2, fma(a0, x0, a1 * x1)))` (the contracted C
/// of the SkylakeX kernel), then the k % 4 leftover inputs one product at a time (SSE, no FMA);
/// the last n % 4 outputs are plain FMA chains.
fn gemv_n(x: &[f64], w: &[f64], out: &mut [f64]) {
    let (k, n) = (x.len(), out.len());
    let blocked = n - n % 4;
    let groups = k - k % 4;
    for (c, o) in out.iter_mut().enumerate() {
        let a = |r: usize| w[r * n + c];
        *o = if c < blocked {
            let mut y = 0.0;
            for r in (0..groups).step_by(4) {
                y += mul_add(
                    x[r + 3],
                    a(r + 3),
                    mul_add(x[r + 2], a(r + 2), mul_add(x[r], a(r), x[r + 1] * a(r + 1))),
                );
            }
            for (r, &xv) in x.iter().enumerate().skip(groups) {
                y += xv * a(r);
            }
            y
        } else {
            x.iter()
                .enumerate()
                .fold(0.0, |acc, (r, &xv)| mul_add(xv, a(r), acc))
        };
    }
}

/// Entry `j` of `dgemv_t` (`m` rows times one column `v`), as OpenBLAS's Haswell/SkylakeX
/// kernel rounds it (`kernel/x86_64/dgemv_t_4.c`): blocks of 4 along k; rows in groups of
/// 4 use 4 FMA lanes, leftover rows the non-FMA 4x2 / 4x1 kernels; then the k % 4 tail.
fn gemv_t_entry(a: &[f64], v: &[f64], j: usize, m: usize) -> f64 {
    let k = a.len();
    let nb = k - k % 4;
    let rows_of_four = 4 * (m / 4);
    let pair_rows = if (m % 4) & 2 != 0 { 2 } else { 0 };
    let mut out = 0.0;
    if nb > 0 {
        let t = if j < rows_of_four {
            let mut lanes = [0.0f64; 4];
            for (a4, v4) in a[..nb].chunks_exact(4).zip(v[..nb].chunks_exact(4)) {
                for ((lane, &p), &q) in lanes.iter_mut().zip(a4).zip(v4) {
                    *lane = mul_add(p, q, *lane);
                }
            }
            (lanes[0] + lanes[2]) + (lanes[1] + lanes[3])
        } else if j < rows_of_four + pair_rows {
            let mut lanes = [0.0f64; 2];
            for (a2, v2) in a[..nb].chunks_exact(2).zip(v[..nb].chunks_exact(2)) {
                lanes[0] += a2[0] * v2[0];
                lanes[1] += a2[1] * v2[1];
            }
            lanes[0] + lanes[1]
        } else {
            let (mut p, mut q) = ([0.0f64; 2], [0.0f64; 2]);
            for (a4, v4) in a[..nb].chunks_exact(4).zip(v[..nb].chunks_exact(4)) {
                p[0] += a4[0] * v4[0];
                p[1] += a4[1] * v4[1];
                q[0] += a4[2] * v4[2];
                q[1] += a4[3] * v4[3];
            }
            (p[0] + q[0]) + (p[1] + q[1])
        };
        out = 0.0 + t;
    }
    let (ta, tv) = (&a[nb..], &v[nb..]);
    match ta.len() {
        0 => {}
        1 => out = mul_add(ta[0], tv[0], out),
        len => {
            let mut s = mul_add(ta[0], tv[0], ta[1] * tv[1]);
            if len == 3 {
                s = mul_add(ta[2], tv[2], s);
            }
            out += s;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::EmulatedChains;
    use crate::rng::RandomState;

    /// `out[c] = x @ W[:, c]`, each a chain of `f64::mul_add` (correctly rounded everywhere:
    /// hardware or libm natively, compiler-builtins' software FMA in wasm).
    fn reference_chains(x: &[f64], w: &[f64], n: usize, columns: usize) -> Vec<f64> {
        (0..columns)
            .map(|c| {
                x.iter()
                    .enumerate()
                    .fold(0.0, |acc, (r, &xv)| xv.mul_add(w[r * n + c], acc))
            })
            .collect()
    }

    /// A value of one of make_classification's shapes or a hard one: normals and uniforms,
    /// magnitudes from 2^-600 to 2^600 (products whose low part decides roundings), and now and
    /// then a zero, an infinity, a NaN or a huge or tiny value (the emulation's fallback lanes).
    fn operand(rng: &mut RandomState, kind: u64, scale: f64) -> f64 {
        match kind {
            0 => rng.standard_normal(),
            1 => 2.0 * rng.random_sample() - 1.0,
            2 => rng.standard_normal() * scale,
            _ => match rng.random_interval(60) {
                0 => 0.0,
                1 => -0.0,
                2 => f64::INFINITY,
                3 => f64::NAN,
                4 => f64::from_bits(rng.next_u64()),
                5 => 1e-300 * rng.standard_normal(),
                _ => rng.standard_normal() * scale,
            },
        }
    }

    /// The emulated chains (two columns at a time in a wasm build with simd128, one at a time
    /// elsewhere) equal `f64::mul_add` chains bit for bit: every shape of product, odd and even
    /// column counts, outputs narrower than `W`, operands of every kind.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn emulated_chains_equal_fma_chains() {
        let mut rng = RandomState::new(31);
        let mut compared = 0;
        for kind in 0..4 {
            for (k, n, columns) in [(65, 65, 65), (65, 5, 5), (70, 1, 1), (16, 9, 8), (3, 2, 1)] {
                for _ in 0..40 {
                    let e = rng.randint(-300, 300) as i32;
                    let x: Vec<f64> = (0..k)
                        .map(|_| operand(&mut rng, kind, 2f64.powi(e)))
                        .collect();
                    let w: Vec<f64> = (0..k * n)
                        .map(|_| operand(&mut rng, kind, 2f64.powi(-e)))
                        .collect();
                    let mut out = vec![f64::NAN; columns];
                    EmulatedChains::new(&w, n).run(&x, &mut out);
                    let want = reference_chains(&x, &w, n, columns);
                    for (c, (got, want)) in out.iter().zip(&want).enumerate() {
                        assert!(
                            got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                            "kind {kind}, k {k}, n {n}, column {c}: {got:e} != {want:e}"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 4 * 40 * (65 + 5 + 1 + 8 + 1));
    }

    /// Ties: chains `fma(a, b_c, fma(1, c_c, 0))` whose `a * b_c` is ±1/2 plus or minus a
    /// little (`(1 ± 2^-i)(1 ± 2^-j) / 2`, i and j from 27 to 60) and `c_c` an integer of 53
    /// bits, so `c_c + a * b_c` lies a hair off halfway between two doubles: a rounding of the
    /// product's low part would leave it on the tie, which the emulation's round to odd
    /// decides. Two columns at a time in simd128 lanes; each case at several scales.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn emulated_chains_round_near_ties_as_fma_does() {
        let mut rng = RandomState::new(32);
        let n = 7;
        let mut off_by_naive = 0;
        for _ in 0..20_000 {
            let near_one = |rng: &mut RandomState| {
                let sign = if rng.random_interval(1) == 0 {
                    1.0
                } else {
                    -1.0
                };
                1.0 + sign * 2f64.powi(-(rng.randint(27, 61) as i32))
            };
            let scale = 2f64.powi(rng.randint(-400, 400) as i32);
            let x = [1.0, near_one(&mut rng) * scale];
            let mut w = vec![0.0; 2 * n];
            for c in 0..n {
                let sign = if c % 2 == 0 { 1.0 } else { -1.0 };
                w[c] = (rng.random_interval((1 << 52) - 1) + (1 << 52)) as f64 * sign * scale;
                w[n + c] = near_one(&mut rng)
                    * 0.5
                    * if rng.random_interval(1) == 0 {
                        1.0
                    } else {
                        -1.0
                    };
            }
            let mut out = vec![f64::NAN; n];
            EmulatedChains::new(&w, n).run(&x, &mut out);
            for (c, got) in out.iter().enumerate() {
                let (a, b, addend) = (x[1], w[n + c], w[c]);
                let want = a.mul_add(b, addend);
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "column {c}: {got:e} != {want:e}"
                );
                // Two roundings of the exact low parts (no round to odd) would miss these.
                let p = a * b;
                let (th, tl) = (addend + p, (addend - (addend + p)) + p);
                if (th + (tl + a.mul_add(b, -p))).to_bits() != want.to_bits() {
                    off_by_naive += 1;
                }
            }
        }
        assert!(
            off_by_naive > 500,
            "only {off_by_naive} cases a naive emulation misses"
        );
    }
}
