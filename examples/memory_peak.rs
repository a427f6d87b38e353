//! Peak memory of one experiment as the page's worker runs it (generate the data, fit on
//! `threads` threads, out-of-bag accuracy), beside `budget::estimate` for the same shape.
//!
//! `cargo run --release --example memory_peak -- n_samples=40000 n_estimators=10 threads=2`
//! (any sklearn parameter of the dataset or the forest, as JSON values; the rest are the
//! blog's). Prints one JSON line: the peak of live heap bytes in each phase (a counting
//! allocator), the process's peak RSS above its baseline (`VmHWM`), the forest's nodes and
//! leaves, and the estimate. `bench/memory_grid.sh` runs it over a grid of shapes.

use coresweep::budget::estimate;
use coresweep::datasets::ClassificationParams;
use coresweep::forest::{FitControl, ForestParams};
use coresweep::sweep::{Experiment, thread_pool};
use serde_json::{Map, Value, json};
use std::time::Instant;

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{peak, reset_peak};

/// Peak resident set size of this process so far (`VmHWM`), in bytes.
fn peak_rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<usize>().ok())
        .map_or(0, |kib| kib * 1024)
}

fn main() {
    let mut dataset = to_map(&ClassificationParams::blog());
    let mut forest = to_map(&ForestParams::blog());
    let mut threads = 1;
    for arg in std::env::args().skip(1) {
        let (key, text) = arg.split_once('=').expect("arguments are key=value");
        let value = serde_json::from_str(text).unwrap_or_else(|_| Value::from(text));
        if key == "threads" {
            threads = value.as_u64().expect("threads is a number") as usize;
        } else if dataset.contains_key(key) {
            dataset.insert(key.to_string(), value);
        } else if forest.contains_key(key) {
            forest.insert(key.to_string(), value);
        } else {
            panic!("unknown parameter {key}");
        }
    }
    let dataset: ClassificationParams = serde_json::from_value(Value::Object(dataset)).unwrap();
    let forest: ForestParams = serde_json::from_value(Value::Object(forest)).unwrap();
    let pool = thread_pool(threads).unwrap();
    // Start the pool's threads before the baseline, as the page's worker does.
    pool.broadcast(|_| ());

    let rss_base = peak_rss();
    let base = reset_peak();
    let experiment = Experiment::new(&dataset.check().unwrap(), &forest.check().unwrap()).unwrap();
    let generate = peak() - base;
    reset_peak();
    let start = Instant::now();
    let fitted = pool
        .install(|| experiment.fit(&FitControl::default()))
        .unwrap();
    let fit_seconds = start.elapsed().as_secs_f64();
    let fit = peak() - base;
    reset_peak();
    let oob = pool.install(|| experiment.oob_accuracy(&fitted));
    let quality = peak() - base;
    let leaves: usize = fitted
        .trees()
        .iter()
        .map(|t| t.leaf_sample_counts().len())
        .sum();
    let bound = estimate(&dataset, &forest, threads);
    let line = json!({
        "n_samples": dataset.n_samples,
        "n_features": dataset.n_features,
        "n_classes": dataset.n_classes,
        "threads": threads,
        "n_estimators": forest.n_estimators,
        "peak_bytes": generate.max(fit).max(quality),
        "generate_bytes": generate,
        "fit_bytes": fit,
        "oob_bytes": quality,
        "rss_bytes": peak_rss() - rss_base,
        "total_nodes": fitted.total_nodes(),
        "leaves": leaves,
        "fit_seconds": fit_seconds,
        "estimate_bytes": bound.memory_bytes(),
        "estimate_fit_bytes": bound.data_bytes + bound.forest_bytes,
        "estimate_seconds": bound.fit_seconds,
        "oob_accuracy": oob,
    });
    println!("{line}");
}

fn to_map<T: serde::Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value).unwrap() {
        Value::Object(map) => map,
        _ => unreachable!("parameters serialise to an object"),
    }
}
