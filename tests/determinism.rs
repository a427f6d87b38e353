//! The same parameters give the same forest through `sweep::Experiment` (the path of the CLI's
//! sweep and of the page's workers) for 1, 2 and 4 threads, and through the CLI.
//! tests/forest.rs checks the same invariance on `fit` itself (predictions, probabilities).

use coresweep::datasets::ClassificationParams;
use coresweep::forest::{FitControl, ForestParams};
use coresweep::sweep::{Experiment, thread_pool};

/// The page's small test experiment (tests/web.rs `small_plan`): make_classification(300, 8,
/// n_informative=4, n_redundant=2, random_state=3), 20 trees, random_state=3.
fn small() -> (ClassificationParams, ForestParams) {
    let dataset = ClassificationParams {
        n_samples: 300,
        n_features: 8,
        n_informative: 4,
        n_redundant: 2,
        random_state: 3,
        ..ClassificationParams::blog()
    };
    let forest = ForestParams {
        n_estimators: 20,
        random_state: 3,
        ..ForestParams::blog()
    };
    (dataset, forest)
}

/// Pinned from the native engine (x86_64) so the page (wasm, any thread count) can be compared
/// with it: `coresweep fit --n-samples 300 --n-features 8 --n-informative 4 --n-redundant 2
/// --n-estimators 20 --random-state 3 --json` prints these for --threads 1, 2 and 4; the wasm
/// test (tests/web.rs, 2 threads in Chromium) asserts the same two numbers.
const SMALL_TOTAL_NODES: usize = 1132;
/// 272 of the 300 rows are predicted right by the trees that did not see them.
const SMALL_OOB_ACCURACY: f64 = 272.0 / 300.0;

#[test]
fn same_forest_for_1_2_and_4_threads_through_the_experiment() {
    let (dataset, forest) = small();
    let experiment = Experiment::new(&dataset, &forest).unwrap();
    for threads in [1, 2, 4] {
        let fitted = thread_pool(threads)
            .unwrap()
            .install(|| experiment.fit(&FitControl::default()))
            .unwrap();
        assert_eq!(fitted.total_nodes(), SMALL_TOTAL_NODES, "{threads} threads");
        assert_eq!(
            experiment.oob_accuracy(&fitted),
            Some(SMALL_OOB_ACCURACY),
            "{threads} threads"
        );
    }
}

#[test]
fn the_cli_prints_the_pinned_figures() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args([
            "fit",
            "--quiet",
            "--json",
            "--threads=2",
            "--n-samples=300",
            "--n-features=8",
            "--n-informative=4",
            "--n-redundant=2",
            "--n-estimators=20",
            "--random-state=3",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["total_nodes"], SMALL_TOTAL_NODES);
    assert_eq!(report["oob_accuracy"], SMALL_OOB_ACCURACY);
}
