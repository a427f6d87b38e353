//! sklearn's `sample_without_replacement` (`sklearn/utils/_random.pyx`), which
//! `make_classification` uses to pick the hypercube's vertices.

use std::collections::HashSet;

use crate::rng::RandomState;

/// Whether sklearn's `sample_without_replacement` (method "auto") takes the permutation branch.
pub(super) fn sample_uses_permutation(n_population: u64, n_samples: u64) -> bool {
    let ratio = n_samples as f64 / n_population as f64;
    0.01 < ratio && ratio < 0.99
}

/// sklearn's `sample_without_replacement(n_population, n_samples, method="auto")` with a
/// numpy `RandomState`: a permutation prefix for ratios strictly between 0.01 and 0.99,
/// tracking selection below, reservoir sampling above (which draws nothing when
/// `n_samples == n_population`).
///
/// # Panics
/// If `n_samples > n_population` (sklearn raises `ValueError`).
///
/// ```
/// use coresweep::datasets::sample_without_replacement;
/// use coresweep::rng::RandomState;
///
/// let mut rng = RandomState::new(0);
/// assert_eq!(sample_without_replacement(8, 3, &mut rng), [6, 2, 1]);
/// ```
pub fn sample_without_replacement(
    n_population: u64,
    n_samples: usize,
    rng: &mut RandomState,
) -> Vec<u64> {
    assert!(
        n_samples as u64 <= n_population,
        "sample_without_replacement: n_samples > n_population"
    );
    let high = n_population as i64;
    if sample_uses_permutation(n_population, n_samples as u64) {
        let mut all: Vec<u64> = (0..n_population).collect();
        rng.shuffle(&mut all);
        all.truncate(n_samples);
        all
    } else if (n_samples as f64 / n_population as f64) < 0.2 {
        let mut selected = HashSet::with_capacity(n_samples);
        (0..n_samples)
            .map(|_| {
                loop {
                    let j = rng.randint(0, high) as u64;
                    if selected.insert(j) {
                        break j;
                    }
                }
            })
            .collect()
    } else {
        let mut out: Vec<u64> = (0..n_samples as u64).collect();
        for i in n_samples as u64..n_population {
            let j = rng.randint(0, i as i64 + 1) as usize;
            if j < n_samples {
                out[j] = i;
            }
        }
        out
    }
}
