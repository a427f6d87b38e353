//! The numbers derived from a document's points, never stored so they cannot disagree with
//! them: speed-up, parallel efficiency, Amdahl's serial fraction, and the median they rest on.

use super::SweepDocument;

impl SweepDocument {
    /// The 1-thread time T1: the 1-thread point's median, else the smallest thread count's
    /// median times that count (as if scaling had been perfect up to it).
    fn reference_seconds(&self) -> Option<f64> {
        self.points
            .first()
            .map(|p| p.median_seconds * p.threads as f64)
    }

    /// Speed-up T1/Tk for every point, as `(threads, speed-up)`.
    pub fn speedups(&self) -> Vec<(usize, f64)> {
        let Some(t1) = self.reference_seconds() else {
            return Vec::new();
        };
        self.points
            .iter()
            .map(|p| (p.threads, t1 / p.median_seconds))
            .collect()
    }

    /// Parallel efficiency T1/(k·Tk) for every point, as `(threads, efficiency)`.
    pub fn efficiencies(&self) -> Vec<(usize, f64)> {
        self.speedups()
            .into_iter()
            .map(|(k, s)| (k, s / k as f64))
            .collect()
    }

    /// The serial fraction `s` of Amdahl's law T(k) = T1·(s + (1−s)/k), fitted to the median
    /// times by least squares, clamped to [0, 1].
    ///
    /// The law is linear in 1/k: T(k) = a + b/k with a = T1·s and b = T1·(1−s), so both T1
    /// and s come from one linear regression and no single noisy point is trusted more than
    /// another. `None` with fewer than two distinct thread counts.
    pub fn amdahl_serial_fraction(&self) -> Option<f64> {
        if self.points.len() < 2 {
            return None;
        }
        let n = self.points.len() as f64;
        let xs: Vec<f64> = self.points.iter().map(|p| 1.0 / p.threads as f64).collect();
        let ys: Vec<f64> = self.points.iter().map(|p| p.median_seconds).collect();
        let mean_x = xs.iter().sum::<f64>() / n;
        let mean_y = ys.iter().sum::<f64>() / n;
        let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
        let sxy: f64 = xs
            .iter()
            .zip(&ys)
            .map(|(x, y)| (x - mean_x) * (y - mean_y))
            .sum();
        let b = sxy / sxx;
        let a = mean_y - b * mean_x;
        let t1 = a + b;
        if !(t1.is_finite() && t1 > 0.0) {
            return None;
        }
        Some((a / t1).clamp(0.0, 1.0))
    }
}

/// The median (the mean of the two middle values for an even count); NaN for no values.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}
