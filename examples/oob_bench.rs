//! Time of `RandomForest::oob_accuracy` alone on the seed's workload, on one thread.
//!
//! `cargo run --release --example oob_bench -- [TREES] [RUNS]` (default 100 trees, 5 runs) fits
//! the blog's forest (make_classification 10000 x 70, on the default pool), then scores it out
//! of bag `RUNS` times on a one-thread pool and prints one JSON line: the score, the out-of-bag
//! tree walks, and the minimum and median of the runs' wall seconds and of their CPU seconds
//! (the process's threads' run time from Linux's `schedstat`, which other processes on a loaded
//! machine move less). Under callgrind, count only the scoring with
//! `--toggle-collect='*RandomForest*oob_accuracy'`.

use std::time::Instant;

use coresweep::datasets::ClassificationParams;
use coresweep::forest::{Features, FitControl, ForestParams, bootstrap_indices};
use coresweep::sweep::{median, thread_pool};
use serde_json::json;

mod common;
use common::cpu_nanos;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n_trees: usize = args.next().map_or(Ok(100), |a| a.parse())?;
    let runs: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let data = ClassificationParams::blog().check()?.generate();
    let x = Features::from_row_major(&data.x, data.n_samples, data.n_features)?;
    let params = ForestParams {
        n_estimators: n_trees,
        ..ForestParams::blog()
    };
    let forest = params.check()?.fit(&x, &data.y, &FitControl::default())?;
    let n = data.n_samples;
    let walks: usize = forest
        .tree_seeds()
        .iter()
        .map(|&seed| {
            let mut drawn = vec![false; n];
            for row in bootstrap_indices(seed, n, n) {
                drawn[row] = true;
            }
            drawn.iter().filter(|&&d| !d).count()
        })
        .sum();
    let pool = thread_pool(1)?;
    let mut score = None;
    let (seconds, cpu_seconds): (Vec<f64>, Vec<f64>) = (0..runs)
        .map(|_| {
            let (start, cpu_start) = (Instant::now(), cpu_nanos());
            score = pool.install(|| forest.oob_accuracy(&x, &data.y));
            let cpu = (cpu_nanos() - cpu_start) as f64 * 1e-9;
            (start.elapsed().as_secs_f64(), cpu)
        })
        .unzip();
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{}",
        json!({ "trees": n_trees, "oob_accuracy": score, "walks": walks,
                "min_seconds": min(&seconds), "median_seconds": median(&seconds),
                "min_cpu_seconds": min(&cpu_seconds), "median_cpu_seconds": median(&cpu_seconds) })
    );
    Ok(())
}
