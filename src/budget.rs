//! Before a run: how much memory and time will it take, and does it fit?
//!
//! The memory estimate is an upper bound of what one experiment holds at once: the generated
//! data (f64 rows, then f32 columns), the labels, the forest at its worst (a tree can have at
//! most one leaf per distinct row of its bootstrap sample, so at most twice that many nodes,
//! fewer with `max_depth` or `min_samples_leaf`), the out-of-bag bookkeeping and per-thread
//! scratch. The time estimate is rough, `n · log2 n · max_features · n_estimators` (n: distinct
//! rows per tree) times a constant measured on the blog workload, and only meant to warn
//! before a run of minutes.
//!
//! ```
//! use coresweep::budget::{WASM_MEMORY_BYTES, estimate};
//! use coresweep::datasets::ClassificationParams;
//! use coresweep::forest::ForestParams;
//!
//! let blog = estimate(&ClassificationParams::blog(), &ForestParams::blog(), 4);
//! assert!(blog.check(WASM_MEMORY_BYTES).is_ok());
//! let huge = ClassificationParams { n_samples: 300_000, ..ClassificationParams::blog() };
//! let err = estimate(&huge, &ForestParams::blog(), 4).check(WASM_MEMORY_BYTES).unwrap_err();
//! assert!(err.to_string().contains("the limit is 1024 MiB"));
//! ```

use crate::Error;
use crate::datasets::ClassificationParams;
use crate::forest::ForestParams;

/// The most memory a wasm instance of the page can have (`--max-memory` in .cargo/config.toml).
pub const WASM_MEMORY_BYTES: u64 = 1 << 30;

/// Seconds per unit of `n · log2 n · max_features · n_estimators` for one native thread, with
/// n the distinct rows a tree is grown on: 0.6 s for 20 trees of the blog workload (1.3e7
/// units) on this project's 2-core test machine, within a factor of 1.5 for 2000 to 40000 rows
/// and 4 to 70 features. The page runs slower.
const SECONDS_PER_UNIT: f64 = 4.5e-8;

/// Runs estimated to take longer than this get a warning first.
pub const WARN_SECONDS: f64 = 60.0;

/// Bytes of one tree node (threshold, feature, children, sample count) before its class values.
const NODE_BYTES: f64 = 24.0;

/// What one experiment is expected to need.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Upper bound of the data (both layouts) and labels, in bytes.
    pub data_bytes: u64,
    /// Upper bound of the fitted forest, its out-of-bag bookkeeping and the threads' scratch.
    pub forest_bytes: u64,
    /// Rough seconds of one fit on one thread.
    pub fit_seconds: f64,
}

/// Estimates an experiment with `dataset`, `forest` and at most `threads` threads. The
/// parameters need not be checked: nonsense gives large numbers, never a panic.
pub fn estimate(dataset: &ClassificationParams, forest: &ForestParams, threads: usize) -> Estimate {
    let n = dataset.n_samples as f64;
    let n_features = dataset.n_features as f64;
    let n_classes = dataset.n_classes as f64;
    let trees = forest.n_estimators as f64;
    let drawn = match (forest.bootstrap, forest.max_samples) {
        (true, Some(m)) => m.resolve(dataset.n_samples) as f64,
        _ => n,
    };
    // Distinct rows of a bootstrap of `drawn` draws: n (1 - (1 - 1/n)^drawn) on average, with a
    // spread of a few sqrt(n), so the margin keeps it an upper bound in practice.
    let distinct = if forest.bootstrap && n > 0.0 {
        let mean = n * (1.0 - (-drawn / n).exp());
        (mean + 6.0 * n.sqrt()).min(n).min(drawn)
    } else {
        n
    };
    let leaves = (distinct / forest.min_samples_leaf.max(1) as f64)
        .min(
            forest
                .max_depth
                .map_or(f64::INFINITY, |d| 2f64.powf(d as f64)),
        )
        .max(1.0);
    let nodes_per_tree = 2.0 * leaves - 1.0;
    let forest_bytes = trees * nodes_per_tree * (NODE_BYTES + 8.0 * n_classes)
        // In-bag bitsets and the out-of-bag votes.
        + trees * n / 8.0
        + n * n_classes * 8.0
        // Per thread: bootstrap counts, sample indices, feature values and their order, per row.
        + threads.max(1) as f64 * n * 16.0;
    let data_bytes = n * n_features * (8.0 + 4.0) + n * 8.0;
    let max_features = forest.max_features.resolve(dataset.n_features).max(1) as f64;
    let fit_seconds = SECONDS_PER_UNIT * distinct * distinct.max(2.0).log2() * max_features * trees;
    Estimate {
        data_bytes: to_bytes(data_bytes),
        forest_bytes: to_bytes(forest_bytes),
        fit_seconds,
    }
}

fn to_bytes(bytes: f64) -> u64 {
    if bytes.is_finite() && bytes < u64::MAX as f64 {
        bytes as u64
    } else {
        u64::MAX
    }
}

impl Estimate {
    /// All the memory: data and forest.
    pub fn memory_bytes(&self) -> u64 {
        self.data_bytes.saturating_add(self.forest_bytes)
    }

    /// Refuses with [`Error::TooLarge`] (the estimate and the limit in the message) what would
    /// not fit in `limit_bytes`. The parameter named is `n_samples` when the data is the
    /// larger part, else `n_estimators`.
    pub fn check(&self, limit_bytes: u64) -> Result<(), Error> {
        if self.memory_bytes() <= limit_bytes {
            return Ok(());
        }
        Err(Error::TooLarge {
            param: if self.data_bytes >= self.forest_bytes {
                "n_samples"
            } else {
                "n_estimators"
            },
            needed_bytes: self.memory_bytes(),
            limit_bytes,
        })
    }

    /// Rough seconds of a sweep: `repeats` fits per thread count, perfect scaling assumed.
    pub fn sweep_seconds(&self, threads: &[usize], repeats: usize) -> f64 {
        let per_repeat: f64 = threads
            .iter()
            .map(|&k| self.fit_seconds / k.max(1) as f64)
            .sum();
        per_repeat * repeats as f64
    }

    /// A warning for a sweep estimated to take [`WARN_SECONDS`] or more, else `None`.
    pub fn warning(&self, threads: &[usize], repeats: usize) -> Option<String> {
        let seconds = self.sweep_seconds(threads, repeats);
        (seconds >= WARN_SECONDS).then(|| {
            format!(
                "this run may take about {:.0} minutes (one fit on 1 thread: about {:.0} s)",
                (seconds / 60.0).round().max(1.0),
                self.fit_seconds
            )
        })
    }
}
