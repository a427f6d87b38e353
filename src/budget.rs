//! Before a run: how much memory and time will it take, and does it fit?
//!
//! The memory estimate follows what one experiment (the page's worker, or one fit of the CLI)
//! holds at once, phase by phase, and takes the largest:
//!
//! - **generating** the data: the `f64` rows, a second copy while the rows are shuffled (or
//!   the `f32` columns they are converted to), the labels, and the products of the cluster
//!   and redundant columns (temporaries, but dlmalloc on wasm cannot give their room to the
//!   larger blocks that follow, so the worker's memory grows by them);
//! - **fitting**: the `f32` columns and labels, the finished trees, and per thread the tree
//!   being grown with its scratch (bootstrap counts, the node's samples and sort keys, the
//!   node arrays' last growth step);
//! - **out-of-bag scoring**: the forest, one in-bag bitset per tree and the probabilities.
//!
//! Vectors are counted at the capacity their growth leaves them with (doubling from 4), not
//! at their length: a tree keeps its node arrays as grown.
//!
//! The number of leaves is the data-dependent part. Every leaf of a fully grown tree is pure,
//! so a tree has the most leaves when the labels are independent of the features; then it
//! has, per distinct row of its bootstrap, about `1 - k^(-b)` leaves with `k` classes and
//! `b = 0.75 / (1 + 0.42 ln max_features)` (measured: 0.165 to 0.76 for 2 to 10 classes and 1
//! to 70 features per split, flat from 1000 to 40000 rows; the formula is above every
//! measurement). make_classification's labels carry signal, so real trees have fewer leaves:
//! 0.6 to 0.9 of that for the blog's shape. `min_samples_leaf` (leaves average at least 1.2
//! times it) and `max_depth` (at most `2^max_depth` leaves) cap the count further.
//!
//! Measured on a grid of shapes (1000 to 200000 rows, 20 and 70 features, 2 and 5 classes,
//! 1 and 2 threads, 10 to 500 trees, `max_depth`, `min_samples_leaf`, `max_samples`,
//! `bootstrap=false`; `bench/memory_grid.sh`) the estimate is 1.0 to 2.2 times the peak of
//! live heap bytes natively (1.0 to 1.8 up to 40000 rows), and above the wasm memory a worker
//! grows to; it is tightest where the data dominates and loosest for many trees on well
//! separated classes. The 2.2 is 20 features and 5 classes from 100000 rows on, where the
//! estimated node arrays are one doubling of capacity above the real trees'.
//!
//! The time estimate is rough, `n · log2 n · max_features · n_estimators` (n: distinct rows
//! per tree; `max_depth` caps the log) times a constant measured on a few shapes (see
//! `SECONDS_PER_UNIT`), and only meant to tell seconds from minutes.
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
use crate::datasets::{ClassificationParams, TableInfo, data_size_param};
use crate::forest::ForestParams;
use crate::tree::Tree;

/// The most memory a wasm instance of the page can have (`--max-memory` in .cargo/config.toml).
pub const WASM_MEMORY_BYTES: u64 = 1 << 30;

/// Seconds per unit of `n · depth · max_features · n_estimators` for one thread, with n the
/// distinct rows a tree is grown on and depth `log2 n` (or `max_depth` if less). Measured on
/// this project's 2-core test machine (`examples/memory_peak.rs`, one thread): the estimate is
/// 0.85 to 1.4 times the fit for 2000 to 40000 rows, 20 and 70 features, 2 and 5 classes,
/// `max_features` sqrt and 1.0, `max_depth=8`, `bootstrap=false` and `flip_y=0.5`. The page's wasm fits at native speed within 6 % (4000 rows x 100 trees:
/// 0.372 s vs 0.36 s; 10000 x 50: 0.52 s vs 0.49 s), so one constant serves both faces.
const SECONDS_PER_UNIT: f64 = 1.8e-8;

/// Runs estimated to take longer than this get a warning first.
pub const WARN_SECONDS: f64 = 60.0;

/// Bytes of one tree node (threshold, feature, children, sample count); leaves add one `f64`
/// per class.
const NODE_BYTES: f64 = 24.0;

/// Bytes of one node of the copy of the trees that prediction walks (`tree::walk`), made for
/// `TREES_PER_WALK` trees at a time (predict.rs's constant).
const WALK_NODE_BYTES: f64 = 16.0;
const TREES_PER_WALK: f64 = 16.0;

/// What one experiment is expected to need.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Upper bound while the data is generated (both row copies, or rows and columns) or a
    /// table read (its bytes, the rows' blocks and the columns).
    pub generate_bytes: u64,
    /// Upper bound of the data kept for the fit: `f32` columns and labels.
    pub data_bytes: u64,
    /// Upper bound of the fitted forest plus the larger of the fit's per-thread scratch and
    /// the out-of-bag bookkeeping.
    pub forest_bytes: u64,
    /// Rough seconds of one fit on one thread.
    pub fit_seconds: f64,
    /// The parameter a refusal names when the data is the larger part (`n_samples` or
    /// `n_features`, or `data` for a table).
    pub data_param: &'static str,
}

/// Estimates an experiment with `dataset`, `forest` and at most `threads` threads. The
/// parameters need not be checked: nonsense gives large numbers, never a panic.
pub fn estimate(dataset: &ClassificationParams, forest: &ForestParams, threads: usize) -> Estimate {
    let n = dataset.n_samples as f64;
    let n_features = dataset.n_features as f64;
    let classes = dataset.n_classes.max(1) as f64;

    // Generation: rows (f64) and labels; the products of the cluster and redundant columns
    // (freed, but on wasm their room is taken by nothing larger later); the shuffled copy of
    // the rows, or without shuffling the f32 columns they are converted to (with shuffling
    // those take the room of the first copy); small per-row vectors.
    let rows = 8.0 * n * n_features;
    let biggest_cluster = n / (classes * dataset.n_clusters_per_class.max(1) as f64);
    let products = 8.0 * (biggest_cluster.ceil() * dataset.n_informative as f64)
        + 8.0 * n * dataset.n_redundant as f64;
    let second = if dataset.shuffle {
        rows
    } else {
        4.0 * n * n_features
    };
    let shape = Shape {
        n_samples: dataset.n_samples,
        n_features: dataset.n_features,
        classes,
        make_bytes: rows + products + second + 32.0 * n,
        copies: 1.0,
        rank_bytes: rank_bytes(n, n_features),
        data_param: data_size_param(dataset),
    };
    estimate_shape(&shape, forest, threads)
}

/// Estimates an experiment on the table `info` with `forest` and at most `threads` threads.
/// Reading it holds the file's bytes (the page has them in memory), the rows' blocks and the
/// columns made of them; the table is then kept twice (by the plan, which read it once, and
/// by the experiment fitting it). A refusal names `data`.
///
/// ```
/// use coresweep::budget::estimate_table;
/// use coresweep::datasets::{TableOptions, read_table};
/// use coresweep::forest::ForestParams;
/// let table = read_table("t.csv", "a,b\n1,x\n2,y\n".as_bytes(), &TableOptions::default())?;
/// let err = estimate_table(&table.info, &ForestParams::blog(), 1).check(1000).unwrap_err();
/// assert_eq!(err.parameter(), Some("n_estimators"));
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn estimate_table(info: &TableInfo, forest: &ForestParams, threads: usize) -> Estimate {
    let (n, n_features) = (info.n_rows as f64, info.n_features as f64);
    let shape = Shape {
        n_samples: info.n_rows,
        n_features: info.n_features,
        classes: info.classes.len().max(1) as f64,
        make_bytes: info.bytes as f64 + 2.0 * 4.0 * n * n_features + 12.0 * n,
        copies: 2.0,
        rank_bytes: rank_bytes(n, n_features),
        data_param: "data",
    };
    estimate_shape(&shape, forest, threads)
}

/// Bytes of a radix sort's digit counts (`tree::sort`): one set per fitting thread and one for
/// the ranking.
const RADIX_COUNT_BYTES: f64 = 3.0 * 2048.0 * 4.0;

/// Bytes of the columns' ranks kept for the fit (`tree::levels`), at most: each row's rank (a
/// `u16` in its column and a `u16` copy row by row, or a `u32` in its column alone when some
/// column has over 2^15 distinct values) and each column's distinct values (an `f32` each),
/// and what ranks a column (the radix sort's keys and scratch, `u64` each, and the ranks as
/// `u32`s before they are narrowed). Columns are ranked on every fitting thread, each with
/// that scratch, but before the trees' scratch, which is larger, is made.
fn rank_bytes(n: f64, n_features: f64) -> f64 {
    8.0 * n * n_features + 20.0 * n + RADIX_COUNT_BYTES
}

/// The data an experiment fits, wherever it comes from.
struct Shape {
    n_samples: usize,
    n_features: usize,
    classes: f64,
    /// Peak while the data is made (generated or read).
    make_bytes: f64,
    /// Copies of the `f32` columns and labels kept while fitting.
    copies: f64,
    /// Bytes of the columns' ranks ([`rank_bytes`]).
    rank_bytes: f64,
    /// The parameter a refusal names when the data is the larger part.
    data_param: &'static str,
}

fn estimate_shape(shape: &Shape, forest: &ForestParams, threads: usize) -> Estimate {
    let n = shape.n_samples as f64;
    let n_features = shape.n_features as f64;
    let classes = shape.classes;
    let trees = forest.n_estimators as f64;
    let threads = (threads.max(1) as f64).min(trees.max(1.0));
    let max_features = forest.max_features.resolve(shape.n_features).max(1) as f64;
    let distinct = distinct_rows(shape.n_samples, forest);

    // Kept for the fit: f32 columns and i64 labels (per copy), and the fit's u32 class indices.
    let data_bytes = shape.copies * (4.0 * n * n_features + 8.0 * n) + 4.0 * n + shape.rank_bytes;

    let bootstrap = forest.bootstrap;
    let leaves = leaves_per_tree(forest, distinct, classes, max_features);
    let node_array = NODE_BYTES * capacity(2.0 * leaves - 1.0, 1.0);
    let value_array = 8.0 * capacity(leaves * classes, classes);
    let tree = node_array + value_array;
    // The forest also keeps its sorted labels' buffer (n i64, as `classes_`) and the seeds.
    // Collecting the trees (rayon's `collect` of `Result`s, one tree per job) puts each
    // tree's header in a vector of its own (capacity 4) in a linked-list node (two pointers
    // and the vector), then moves them all into the forest's vector.
    let list_node = 5.0 * size_of::<usize>() as f64;
    let headers = 5.0 * size_of::<Tree>() as f64 + list_node + 4.0;
    let fitted = trees * (tree + headers) + 8.0 * n;

    // Per thread while fitting: bootstrap counts, the splitter's sample list and the list it
    // is built from (both grown by doubling), sort keys, radix scratch and counts, and the tree's
    // last growth step (its old arrays, half the new ones). Without bootstrap all threads
    // share one row of unit weights.
    let per_thread = if bootstrap { 4.0 * n } else { 0.0 }
        + 16.0 * capacity(distinct, 1.0)
        + 16.0 * distinct
        + RADIX_COUNT_BYTES
        + tree / 2.0;
    let fitting = threads * per_thread + if bootstrap { 0.0 } else { 4.0 * n };
    // Out-of-bag scoring: one bit per tree and row, the walks' copy of the trees, the
    // probabilities, the trees per row and the predicted labels.
    let scoring = if bootstrap {
        trees * (8.0 * (n / 64.0).ceil() + 24.0)
            + trees.min(TREES_PER_WALK) * (WALK_NODE_BYTES * (2.0 * leaves - 1.0) + 48.0)
            + 8.0 * n * classes
            + 12.0 * n
    } else {
        0.0
    };
    let depth = distinct
        .max(2.0)
        .log2()
        .min(forest.max_depth.map_or(f64::INFINITY, |d| d.max(1) as f64));
    let fit_seconds = SECONDS_PER_UNIT * distinct * depth * max_features * trees;
    Estimate {
        generate_bytes: to_bytes(shape.make_bytes),
        data_bytes: to_bytes(data_bytes),
        forest_bytes: to_bytes(fitted + fitting.max(scoring)),
        fit_seconds,
        data_param: shape.data_param,
    }
}

/// Distinct rows a tree is grown on, a little above the mean: a bootstrap of `drawn` draws
/// from n rows holds n (1 - e^(-drawn/n)) of them on average, with a spread of about
/// 0.3 sqrt(n).
fn distinct_rows(n_samples: usize, forest: &ForestParams) -> f64 {
    let n = n_samples as f64;
    if !forest.bootstrap || n == 0.0 {
        return n;
    }
    let drawn = forest
        .max_samples
        .map_or(n, |m| m.resolve(n_samples) as f64);
    let mean = n * (1.0 - (-drawn / n).exp());
    (mean + 3.0 * n.sqrt()).min(n).min(drawn)
}

/// Leaves of one tree at most, for labels as mixed as random ones (see the module docs).
fn leaves_per_tree(forest: &ForestParams, distinct: f64, classes: f64, max_features: f64) -> f64 {
    let exponent = 0.75 / (1.0 + 0.42 * max_features.ln());
    let mixed = distinct * (1.0 - classes.powf(-exponent));
    let by_leaf_size = distinct / (1.2 * forest.min_samples_leaf.max(1) as f64);
    let by_depth = forest
        .max_depth
        .map_or(f64::INFINITY, |d| 2f64.powf(d as f64));
    mixed.min(by_leaf_size).min(by_depth).max(1.0)
}

/// Capacity a vector is left with after growing to `len` elements `step` at a time: the
/// standard library doubles it (at least 4, at least what is asked for).
fn capacity(len: f64, step: f64) -> f64 {
    let mut capacity = 0.0;
    while capacity < len {
        capacity = (2.0 * capacity).max(capacity + step).max(4.0);
    }
    capacity
}

fn to_bytes(bytes: f64) -> u64 {
    if bytes.is_finite() && bytes < u64::MAX as f64 {
        bytes as u64
    } else {
        u64::MAX
    }
}

impl Estimate {
    /// The peak: generating the data, or the kept data with the forest and its bookkeeping.
    pub fn memory_bytes(&self) -> u64 {
        self.generate_bytes
            .max(self.data_bytes.saturating_add(self.forest_bytes))
    }

    /// Refuses with [`Error::TooLarge`] (the estimate and the limit in the message) what would
    /// not fit in `limit_bytes`. The parameter named is `n_samples` or `n_features` (the one
    /// further above the blog's) when the data is the larger part, else `n_estimators`.
    pub fn check(&self, limit_bytes: u64) -> Result<(), Error> {
        let needed_bytes = self.memory_bytes();
        if needed_bytes <= limit_bytes {
            return Ok(());
        }
        let data = self.generate_bytes.max(self.data_bytes);
        Err(Error::TooLarge {
            param: if data >= self.forest_bytes {
                self.data_param
            } else {
                "n_estimators"
            },
            needed_bytes,
            limit_bytes,
        })
    }

    /// Memory of the workers backend with `workers` workers: each holds its copy of the data
    /// twice at most (the bytes it was sent and the training rows its trees are grown on) and
    /// its share of the fitting, so the data counts once per worker and not once in all.
    pub fn workers_bytes(&self, workers: usize) -> u64 {
        self.data_bytes
            .saturating_mul(2)
            .saturating_add(self.forest_bytes)
            .saturating_mul(workers.max(1) as u64)
    }

    /// Refuses (naming `threads`, with the numbers) `workers` workers whose copies of the data
    /// would not fit in `limit_bytes` together.
    ///
    /// ```
    /// use coresweep::plan::Request;
    /// let mut request = Request::from_text([("n_samples", "200000"), ("n_features", "100"), ("n_informative", "50"), ("n_estimators", "10"), ("threads", "1,8"), ("backend", "workers")])?;
    /// request.memory_limit_bytes = 2 << 30;
    /// let refused = request.check().unwrap_err();
    /// assert_eq!(refused.parameter(), Some("threads"));
    /// assert!(refused.to_string().contains("8 workers, each with its own copy of the data"), "{refused}");
    /// request.backend = coresweep::parallel::Backend::Threads;
    /// assert!(request.check().is_ok());
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn check_workers(&self, workers: usize, limit_bytes: u64) -> Result<(), Error> {
        let needed = self.workers_bytes(workers);
        if needed <= limit_bytes {
            return Ok(());
        }
        let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        Err(Error::param(
            "threads",
            format!(
                "too large on workers: {workers} workers, each with its own copy of the data, need about {:.0} MiB, the limit is {:.0} MiB; use fewer threads, less data, or the threads backend",
                mib(needed),
                mib(limit_bytes)
            ),
        ))
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

impl Estimate {
    /// The estimate of `fits` forests fitted one after another or `concurrent` at a time (the
    /// outer level of cross-validation holds one forest and one copy of its training rows per
    /// thread): time for all the fits, memory for the concurrent ones.
    pub fn for_fits(&self, fits: usize, concurrent: usize) -> Estimate {
        let concurrent = concurrent.max(1) as u64;
        Estimate {
            forest_bytes: self
                .forest_bytes
                .saturating_add(self.data_bytes)
                .saturating_mul(concurrent),
            fit_seconds: self.fit_seconds * fits as f64,
            ..self.clone()
        }
    }
}
