//! numpy's summation of float64 arrays: `np.sum` and `np.mean` add pairwise with eight
//! accumulators, so their last bits differ from a plain left-to-right sum. sklearn's
//! `mean_test_score`, `std_test_score` and `cross_val_score(...).mean()` are computed so.

/// numpy's `pairwise_sum_DOUBLE` (`loops_utils.h.src`): under 8 values a plain sum; up to 128
/// eight interleaved partial sums added as a tree, then the remainder; above that, two halves
/// (the first a multiple of 8 long) summed alike.
///
/// ```
/// use coresweep::numeric::pairwise_sum;
/// let scores = [0.87, 0.92, 0.84, 0.92, 0.85, 0.88, 0.87, 0.95, 0.89, 0.86];
/// assert_eq!(pairwise_sum(&scores[..3]), 0.87 + 0.92 + 0.84);
/// ```
pub fn pairwise_sum(values: &[f64]) -> f64 {
    const BLOCK: usize = 128;
    let n = values.len();
    if n < 8 {
        return values.iter().fold(0.0, |sum, v| sum + v);
    }
    if n <= BLOCK {
        let mut r = [0.0; 8];
        r.copy_from_slice(&values[..8]);
        let whole = n - n % 8;
        for chunk in values[8..whole].chunks_exact(8) {
            for (acc, v) in r.iter_mut().zip(chunk) {
                *acc += v;
            }
        }
        let tree = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        return values[whole..].iter().fold(tree, |sum, v| sum + v);
    }
    let half = n / 2 - (n / 2) % 8;
    pairwise_sum(&values[..half]) + pairwise_sum(&values[half..])
}

/// `np.mean`: the pairwise sum divided by the count (NaN for no values).
pub fn mean(values: &[f64]) -> f64 {
    pairwise_sum(values) / values.len() as f64
}

/// `np.std` (population, as sklearn's `std_test_score`): the root of the mean squared
/// deviation from [`mean`].
pub fn std(values: &[f64]) -> f64 {
    let mean = mean(values);
    let squares: Vec<f64> = values.iter().map(|v| (v - mean) * (v - mean)).collect();
    self::mean(&squares).sqrt()
}
