//! Fit time at several thread counts on the seed's workload, alternated in one process.
//!
//! `cargo run --release --example fit_bench -- [TREES] [ROUNDS] [THREADS,…] [RANDOM_STATE]`
//! (default 100 trees, 5 rounds, threads 1,2, random_state 7) generates make_classification
//! 10000 x 70 once, then per round fits the forest once at each thread count (the order flips
//! every round) and prints one JSON line per fit:
//! - `seconds`, `cpu_seconds`: the fit's wall time, and the CPU time of the process's threads
//!   meanwhile (Linux's `schedstat`, which other processes on a loaded machine move less);
//! - `setup_seconds`: the set-up every tree waits for (ranking the columns), timed apart;
//! - `tree_seconds`, `tree_cpu_seconds`: the trees' wall and CPU times summed;
//! - `idle_seconds`: threads × wall − the trees' wall times: the set-up, the hand-outs and the
//!   threads waiting for the last tree;
//! - `tail_seconds`: from the last tree's start to the fit's end.
//!
//! Under callgrind, count only the trees with `--toggle-collect='coresweep::tree::builder::build'`.

use std::sync::Mutex;
use std::time::Instant;

use coresweep::datasets::ClassificationParams;
use coresweep::forest::{Features, FitHook, ForestParams};
use coresweep::sweep::thread_pool;
use serde_json::json;

mod common;
use common::{cpu_nanos, thread_cpu_nanos};

/// One tree's (start, end) from the fit's start in seconds, and its thread's CPU nanoseconds
/// at the start, then while it grew.
type TreeTimes = (f64, f64, u64);

/// When each tree started and finished, and its thread's CPU time while it grew.
struct Timeline {
    start: Instant,
    trees: Vec<Mutex<TreeTimes>>,
}

impl FitHook for Timeline {
    fn tree_starting(&self, index: usize) -> Result<(), coresweep::Error> {
        let times = (self.start.elapsed().as_secs_f64(), 0.0, thread_cpu_nanos());
        *self.trees[index].lock().expect("not poisoned") = times;
        Ok(())
    }

    fn tree_finished(&self, index: usize) {
        let (cpu, end) = (thread_cpu_nanos(), self.start.elapsed().as_secs_f64());
        let mut times = self.trees[index].lock().expect("not poisoned");
        times.1 = end;
        times.2 = cpu - times.2;
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n_trees: usize = args.next().map_or(Ok(100), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let threads: Vec<usize> = args.next().map_or(Ok(vec![1, 2]), |a| {
        a.split(',').map(str::parse).collect::<Result<_, _>>()
    })?;
    let random_state: u32 = args.next().map_or(Ok(7), |a| a.parse())?;
    let data = ClassificationParams {
        random_state,
        ..ClassificationParams::blog()
    }
    .check()?
    .generate();
    let x = Features::from_row_major(&data.x, data.n_samples, data.n_features)?;
    let params = ForestParams {
        n_estimators: n_trees,
        random_state,
        ..ForestParams::blog()
    }
    .check()?;
    let pools = threads
        .iter()
        .map(|&k| thread_pool(k).map(|pool| (k, pool)))
        .collect::<Result<Vec<_>, _>>()?;
    for round in 0..rounds {
        let mut order: Vec<_> = pools.iter().collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for (k, pool) in order {
            let setup_start = Instant::now();
            pool.install(|| params.grower(std::borrow::Cow::Borrowed(&x), &data.y))?;
            let setup = setup_start.elapsed().as_secs_f64();
            let timeline = Timeline {
                start: Instant::now(),
                trees: (0..n_trees).map(|_| Mutex::default()).collect(),
            };
            let cpu_start = cpu_nanos();
            let forest = pool.install(|| params.fit(&x, &data.y, &timeline))?;
            let seconds = timeline.start.elapsed().as_secs_f64();
            let cpu = (cpu_nanos() - cpu_start) as f64 * 1e-9;
            let trees: Vec<TreeTimes> = timeline
                .trees
                .into_iter()
                .map(|t| t.into_inner().expect("not poisoned"))
                .collect();
            let tree_seconds: f64 = trees.iter().map(|t| t.1 - t.0).sum();
            let tree_cpu = trees.iter().map(|t| t.2).sum::<u64>() as f64 * 1e-9;
            let last_start = trees.iter().map(|t| t.0).fold(0.0, f64::max);
            println!(
                "{}",
                json!({ "round": round, "threads": k, "seconds": seconds, "cpu_seconds": cpu,
                        "setup_seconds": setup, "tree_seconds": tree_seconds,
                        "tree_cpu_seconds": tree_cpu,
                        "idle_seconds": *k as f64 * seconds - tree_seconds,
                        "tail_seconds": seconds - last_start,
                        "nodes": forest.total_nodes() })
            );
        }
    }
    Ok(())
}
