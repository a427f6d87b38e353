//! The size guard: memory and time estimated before a run; what cannot fit in wasm's 1 GiB (or
//! the machine) is refused with a message, not a trap; long runs are warned about.

use coresweep::Error;
use coresweep::budget::{WASM_MEMORY_BYTES, estimate};
use coresweep::datasets::ClassificationParams;
use coresweep::forest::{FitControl, ForestParams};
use coresweep::sweep::{Experiment, thread_pool};

fn noisy() -> ClassificationParams {
    // Half the labels random: trees grow close to their worst (a few rows a leaf).
    ClassificationParams {
        n_samples: 2000,
        n_features: 10,
        n_informative: 5,
        n_redundant: 0,
        flip_y: 0.5,
        ..ClassificationParams::blog()
    }
}

#[test]
fn forest_bound_holds_for_the_worst_trees() {
    let dataset = noisy();
    for forest in [
        ForestParams {
            n_estimators: 8,
            ..ForestParams::blog()
        },
        ForestParams {
            n_estimators: 8,
            bootstrap: false,
            ..ForestParams::blog()
        },
    ] {
        let experiment = Experiment::new(&dataset, &forest).unwrap();
        let fitted = thread_pool(2)
            .unwrap()
            .install(|| experiment.fit(&FitControl::default()))
            .unwrap();
        let bound = estimate(&dataset, &forest, 2);
        // 24 bytes of node plus one f64 per class: the estimate's own accounting.
        let node_bytes = 24 + 8 * dataset.n_classes as u64;
        let actual = fitted.total_nodes() as u64 * node_bytes;
        assert!(
            actual <= bound.forest_bytes,
            "{actual} bytes of nodes over the bound {}",
            bound.forest_bytes
        );
        // A bound, but not a wild one: within 8x of these noisy trees (about 4 rows a leaf).
        assert!(bound.forest_bytes < 8 * actual, "{bound:?} vs {actual}");
        assert!(bound.data_bytes >= (dataset.n_samples * dataset.n_features * 8) as u64);
    }
}

#[test]
fn the_blog_fits_in_wasm_and_a_larger_run_is_refused_with_numbers() {
    let blog = estimate(&ClassificationParams::blog(), &ForestParams::blog(), 8);
    assert!(blog.check(WASM_MEMORY_BYTES).is_ok(), "{blog:?}");

    let big = ClassificationParams {
        n_samples: 200_000,
        ..ClassificationParams::blog()
    };
    // The dataset alone passes make_classification's own limit; the forest does not fit.
    assert!(big.check().is_ok());
    let err = estimate(&big, &ForestParams::blog(), 8)
        .check(WASM_MEMORY_BYTES)
        .unwrap_err();
    let Error::TooLarge {
        param,
        needed_bytes,
        limit_bytes,
    } = err.clone()
    else {
        panic!("{err:?}")
    };
    assert_eq!(param, "n_estimators");
    assert!(needed_bytes > limit_bytes);
    assert_eq!(limit_bytes, 1 << 30);
    let message = err.to_string();
    assert!(
        message.starts_with("n_estimators: too large: needs about "),
        "{message}"
    );
    assert!(message.ends_with("the limit is 1024 MiB"), "{message}");

    // Nonsense sizes give numbers, not overflow panics.
    let absurd = ClassificationParams {
        n_samples: usize::MAX,
        n_features: usize::MAX,
        ..ClassificationParams::blog()
    };
    let forest = ForestParams {
        n_estimators: usize::MAX,
        max_depth: Some(usize::MAX),
        ..ForestParams::blog()
    };
    assert!(
        estimate(&absurd, &forest, usize::MAX)
            .check(u64::MAX - 1)
            .is_err()
    );
}

#[test]
fn long_runs_are_warned_about() {
    let blog = estimate(&ClassificationParams::blog(), &ForestParams::blog(), 4);
    let warning = blog
        .warning(&[1, 2, 3, 4], 3)
        .expect("the blog sweep takes minutes");
    assert!(warning.contains("minutes"), "{warning}");
    let small = estimate(&noisy(), &ForestParams::default(), 2);
    assert_eq!(small.warning(&[1, 2], 3), None);
}

#[test]
fn the_cli_refuses_before_generating_data_and_names_the_flag() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args([
            "fit",
            "--quiet",
            "--threads=1",
            "--n-samples=1000000",
            "--n-features=20",
            "--n-informative=10",
            "--n-redundant=0",
            "--n-estimators=100000",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: --n-estimators: too large: needs about "),
        "{stderr}"
    );
    assert!(stderr.contains("MiB, the limit is "), "{stderr}");
}
