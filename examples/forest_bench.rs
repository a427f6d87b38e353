//! Times `fit` on the seed's workload (or a smaller one) and reports the forest's quality.
//!
//! ```text
//! cargo run --release --example forest_bench -- [--threads K] [--repeats R]
//!     [--n-samples N] [--n-estimators T] [--quality] [--json]
//! ```
//! Data: `make_classification` with the blog's parameters (10000 x 70, n_informative 65,
//! n_redundant 5, random_state 0); forest: sklearn's defaults with 500 trees and random_state 0.
//! Each timed fit uses all rows on a rayon pool of K threads. `--quality` adds the OOB accuracy
//! of the last fit, nodes and depth per tree, and the 25 % hold-out accuracy of a forest fitted
//! on sklearn's `train_test_split(test_size=0.25, random_state=0)`. `examples/forest_vs_sklearn.py`
//! runs this side by side with sklearn.

use std::time::Instant;

use coresweep::Error;
use coresweep::datasets::{ClassificationParams, train_test_split};
use coresweep::forest::{Features, FitControl, ForestParams, RandomForest};

struct Args {
    threads: usize,
    repeats: usize,
    n_samples: Option<usize>,
    n_estimators: Option<usize>,
    quality: bool,
    json: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        threads: 1,
        repeats: 1,
        n_samples: None,
        n_estimators: None,
        quality: false,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} needs a positive integer"))
        };
        match flag.as_str() {
            "--threads" => args.threads = number("--threads")?,
            "--repeats" => args.repeats = number("--repeats")?,
            "--n-samples" => args.n_samples = Some(number("--n-samples")?),
            "--n-estimators" => args.n_estimators = Some(number("--n-estimators")?),
            "--quality" => args.quality = true,
            "--json" => args.json = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// Peak resident memory of this process in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let mut data_params = ClassificationParams::blog();
    if let Some(n) = args.n_samples {
        data_params.n_samples = n;
    }
    let mut forest_params = ForestParams::blog();
    if let Some(t) = args.n_estimators {
        forest_params.n_estimators = t;
    }
    let data = data_params.check()?.generate();
    let x = Features::from_row_major(&data.x, data.n_samples, data.n_features)?;
    let forest = forest_params.check()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;

    let mut fit_seconds = Vec::new();
    let mut last: Option<RandomForest> = None;
    for _ in 0..args.repeats {
        let started = Instant::now();
        let fitted = pool.install(|| forest.fit(&x, &data.y, &FitControl::default()))?;
        fit_seconds.push(started.elapsed().as_secs_f64());
        last = Some(fitted);
    }
    let mut sorted = fit_seconds.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];

    let mut quality = String::new();
    if args.quality
        && let Some(fitted) = &last
    {
        let oob = pool.install(|| fitted.oob_accuracy(&x, &data.y));
        let trees = fitted.trees();
        let nodes = fitted.total_nodes() as f64 / trees.len() as f64;
        let depth = trees.iter().map(|t| t.depth() as f64).sum::<f64>() / trees.len() as f64;
        let (train, test) = train_test_split(data.n_samples, 0.25, 0)?;
        let y_of = |rows: &[usize]| rows.iter().map(|&i| data.y[i]).collect::<Vec<i64>>();
        let (x_train, x_test) = (x.select_rows(&train), x.select_rows(&test));
        let holdout = pool.install(|| -> Result<f64, Error> {
            let split_fit = forest.fit(&x_train, &y_of(&train), &FitControl::default())?;
            Ok(split_fit.accuracy(&x_test, &y_of(&test)))
        })?;
        quality = format!(
            r#", "oob_accuracy": {}, "holdout_accuracy": {holdout}, "nodes_per_tree": {nodes}, "depth_per_tree": {depth}"#,
            oob.map_or("null".into(), |v| v.to_string()),
        );
    }
    let peak = peak_rss_mib().map_or("null".into(), |v| format!("{v:.1}"));
    let report = format!(
        r#"{{"threads": {}, "fit_seconds": {fit_seconds:?}, "median_seconds": {median}{quality}, "peak_rss_mib": {peak}}}"#,
        args.threads
    );
    if args.json {
        println!("{report}");
    } else {
        println!("{}", report.replace(", \"", ",\n  \""));
    }
    Ok(())
}
