//! numpy's matrix products as OpenBLAS rounds them.

use std::ops::Range;

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
        (1, 1) => fma_chains(row(0), w, 1, &mut out),
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

/// `out[c] = x @ W[:, c]` for the first `out.len()` columns of a row-major `k x n` matrix,
/// each a sequential FMA chain over k starting from 0 (OpenBLAS's dgemm kernels).
fn fma_chains(x: &[f64], w: &[f64], n: usize, out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has the features the function is compiled for (checked just above).
        return unsafe { fma_chains_x86(x, w, n, out) };
    }
    fma_chains_portable(x, w, n, out);
}

/// [`fma_chains`] compiled with hardware FMA: the same correctly rounded results, but
/// `mul_add` becomes one vectorised instruction instead of a call into libm.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma,avx2")]
fn fma_chains_x86(x: &[f64], w: &[f64], n: usize, out: &mut [f64]) {
    fma_chains_portable(x, w, n, out);
}

/// The loop runs over k outside, so the independent chains (one per column) sit side by side
/// and vectorise.
#[inline(always)]
fn fma_chains_portable(x: &[f64], w: &[f64], n: usize, out: &mut [f64]) {
    out.fill(0.0);
    for (&xv, w_row) in x.iter().zip(w.chunks_exact(n)) {
        for (acc, &wv) in out.iter_mut().zip(w_row) {
            *acc = mul_add(xv, wv, *acc);
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
    for (j, out_row) in out.chunks_exact_mut(n).enumerate() {
        fma_chains(row(j), w, n, &mut out_row[..chain_cols]);
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
