//! The numbers derived from a document's points, never stored so they cannot disagree with
//! them: speed-up, parallel efficiency, Amdahl's serial fraction and what it projects for more
//! cores, and the median they rest on.

use super::{Point, SweepDocument};

/// The largest core count Amdahl's projection reaches.
pub const PROJECTION_CORES: usize = 64;

/// The core counts a projection may name in words, the first beyond the measured ones first.
const NAMED_CORES: [usize; 5] = [4, 8, 16, 32, 64];

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
        fit_serial_fraction(self.points.iter().map(|p| (p.threads, p.median_seconds)))
            .map(|s| s.clamp(0.0, 1.0))
    }

    /// Amdahl's law with the fitted serial fraction, from the largest measured thread count up
    /// to [`PROJECTION_CORES`], or why the points cannot say (in words for a person).
    ///
    /// The fit means something with three or more thread counts, or with two whose repeats
    /// (two or more at each) do not overlap; with two single fits the line passes through both
    /// exactly and nothing says how sure it is. The band spans the fits to the repeats most and
    /// least favourable to more cores: the fewest threads' slowest repeat with the others'
    /// fastest, and the other way round.
    ///
    /// ```
    /// use coresweep::datasets::ClassificationParams;
    /// use coresweep::forest::ForestParams;
    /// use coresweep::sweep::{Device, SweepDocument};
    ///
    /// let mut doc = SweepDocument::new("native", String::new(), Device::labelled("laptop"),
    ///     Some(&ClassificationParams::blog().check()?), &ForestParams::blog().check()?);
    /// // T(k) = 1 + 9/k: a serial fraction of 0.1.
    /// doc.add_point(1, vec![10.0]);
    /// doc.add_point(2, vec![5.5]);
    /// doc.add_point(4, vec![3.25]);
    /// let projection = doc.amdahl_projection().unwrap();
    /// assert!((projection.serial_fraction - 0.1).abs() < 1e-12);
    /// assert!(projection.words().starts_with("With this serial fraction, 8 cores would give about 4.7×, 32 cores about 7.8×"));
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn amdahl_projection(&self) -> Result<Projection, String> {
        let points = &self.points;
        let measured = points.last().map_or(0, |p| p.threads);
        match points.len() {
            0 | 1 => {
                return Err(format!(
                    "No projection for more cores: Amdahl's law needs at least two thread counts, this sweep has {}.",
                    points.len()
                ));
            }
            2 if points.iter().any(|p| p.fit_seconds.len() < 2) => {
                return Err("No projection for more cores: with two thread counts of one fit each, Amdahl's curve passes through both exactly and nothing says how sure it is; sweep three or more thread counts, or repeat each fit.".to_owned());
            }
            2 if points[0].spread().0 <= points[1].spread().1 => {
                return Err("No projection for more cores: the repeats of the two thread counts overlap, so the fit cannot tell their times apart; sweep three or more thread counts.".to_owned());
            }
            _ => {}
        }
        if measured >= PROJECTION_CORES {
            return Err(format!(
                "No projection for more cores: this sweep measured up to {measured} already."
            ));
        }
        let fitted = fit_serial_fraction(points.iter().map(|p| (p.threads, p.median_seconds)))
            .filter(|s| *s < 1.0)
            .ok_or_else(|| {
                "No projection for more cores: the times do not fall with more threads, as Amdahl's law assumes they do.".to_owned()
            })?;
        let serial_fraction = fitted.max(0.0);
        // The fewest threads at one end of their repeats, all the others at the other end.
        let tilted = |fewest_slowest: bool| {
            fit_serial_fraction(points.iter().enumerate().map(|(i, p)| {
                let (fastest, slowest) = p.spread();
                let slow = (i == 0) == fewest_slowest;
                (p.threads, if slow { slowest } else { fastest })
            }))
            .map_or(serial_fraction, |s| s.clamp(0.0, 1.0))
        };
        Ok(Projection {
            serial_fraction,
            low: tilted(true).min(serial_fraction),
            high: tilted(false).max(serial_fraction),
            measured_threads: measured,
        })
    }
}

impl Point {
    /// The fastest and the slowest repeat, in seconds.
    pub fn spread(&self) -> (f64, f64) {
        self.fit_seconds
            .iter()
            .fold((f64::INFINITY, 0.0), |(lo, hi), &t| (lo.min(t), hi.max(t)))
    }
}

/// Least squares of T(k) = a + b/k over `(threads, seconds)`; the serial fraction a/(a+b),
/// unclamped. `None` with fewer than two points or a fitted T1 that is not positive.
fn fit_serial_fraction(points: impl Iterator<Item = (usize, f64)>) -> Option<f64> {
    let (xs, ys): (Vec<f64>, Vec<f64>) = points.map(|(k, t)| (1.0 / k as f64, t)).unzip();
    if xs.len() < 2 {
        return None;
    }
    let n = xs.len() as f64;
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
    (t1.is_finite() && t1 > 0.0).then(|| a / t1)
}

/// Amdahl's speed-up on `cores` cores for the serial fraction `s`: 1 / (s + (1 − s)/k).
pub fn amdahl_speedup(s: f64, cores: f64) -> f64 {
    1.0 / (s + (1.0 - s) / cores)
}

/// What Amdahl's law projects beyond the measured thread counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    /// The serial fraction fitted to the medians.
    pub serial_fraction: f64,
    /// The smallest serial fraction the repeats allow (the band's top).
    pub low: f64,
    /// The largest serial fraction the repeats allow (the band's bottom).
    pub high: f64,
    /// The largest thread count measured: the projection starts there.
    pub measured_threads: usize,
}

impl Projection {
    /// `(cores, speed-up, lowest, highest)` for each core count from the largest measured one
    /// to [`PROJECTION_CORES`].
    pub fn curve(&self) -> Vec<(f64, f64, f64, f64)> {
        (self.measured_threads..=PROJECTION_CORES)
            .map(|k| {
                let k = k as f64;
                (
                    k,
                    amdahl_speedup(self.serial_fraction, k),
                    amdahl_speedup(self.high, k),
                    amdahl_speedup(self.low, k),
                )
            })
            .collect()
    }

    /// The core counts the words name: the first of 4, 8, 16, 32, 64 beyond the measured
    /// ones, and the one four times as many (or 64).
    fn named_cores(&self) -> Vec<usize> {
        let beyond: Vec<usize> = NAMED_CORES
            .into_iter()
            .filter(|&k| k > self.measured_threads)
            .collect();
        match beyond.as_slice() {
            [] => Vec::new(),
            [only] => vec![*only],
            [first, rest @ ..] => {
                let far = rest
                    .iter()
                    .copied()
                    .find(|&k| k == first * 4)
                    .unwrap_or(PROJECTION_CORES);
                vec![*first, far]
            }
        }
    }

    /// The projection in a sentence: "With this serial fraction, 8 cores would give about
    /// 5.1×, 32 cores about 9.1×: Amdahl's law, which ignores memory bandwidth, turbo and
    /// hyper-threads."
    pub fn words(&self) -> String {
        let named: Vec<String> = self
            .named_cores()
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                let speedup = ratio_text(amdahl_speedup(self.serial_fraction, k as f64));
                if i == 0 {
                    format!("{k} cores would give about {speedup}")
                } else {
                    format!("{k} cores about {speedup}")
                }
            })
            .collect();
        format!(
            "With this serial fraction, {}: Amdahl's law, which ignores memory bandwidth, turbo and hyper-threads.",
            named.join(", ")
        )
    }
}

/// A speed-up as people read it: one decimal below 10 (5.1×), none from 10 on (12×).
pub fn ratio_text(ratio: f64) -> String {
    if ratio >= 10.0 {
        format!("{ratio:.0}×")
    } else {
        format!("{ratio:.1}×")
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
