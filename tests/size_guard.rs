//! The size guard: memory and time estimated before a run; what cannot fit in wasm's 1 GiB (or
//! the machine) is refused with a message, not a trap; long runs are warned about.
//!
//! This test binary counts every heap allocation (the peak of live bytes), so its tests run
//! one at a time (`serial`): the measured peak is the one experiment's.

use coresweep::Error;
use coresweep::budget::{WASM_MEMORY_BYTES, estimate};
use coresweep::datasets::ClassificationParams;
use coresweep::forest::{FitControl, ForestParams, MaxFeatures, MaxSamples};
use coresweep::sweep::{Experiment, thread_pool};
use std::sync::{Mutex, MutexGuard};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

/// One test at a time, so the counters see one experiment.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Peak heap bytes above what was live before: generating the data, fitting on `threads`
/// threads and the out-of-bag score, as the page's worker runs them.
fn measured_peak(dataset: &ClassificationParams, forest: &ForestParams, threads: usize) -> usize {
    let pool = thread_pool(threads).unwrap();
    pool.broadcast(|_| ());
    let before = counting_alloc::reset_peak();
    let experiment = Experiment::new(&dataset.check().unwrap(), &forest.check().unwrap()).unwrap();
    let fitted = pool
        .install(|| experiment.fit(&FitControl::default()))
        .unwrap();
    pool.install(|| experiment.oob_accuracy(&fitted));
    counting_alloc::peak() - before
}

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

fn blog(n_samples: usize, n_estimators: usize) -> (ClassificationParams, ForestParams) {
    (
        ClassificationParams {
            n_samples,
            ..ClassificationParams::blog()
        },
        ForestParams {
            n_estimators,
            ..ForestParams::blog()
        },
    )
}

#[test]
fn the_estimate_bounds_the_measured_peak_within_twice() {
    let _serial = serial();
    let narrow = |n_classes| ClassificationParams {
        n_samples: 2000,
        n_features: 20,
        n_informative: 15,
        n_redundant: 5,
        n_classes,
        ..ClassificationParams::blog()
    };
    let trees = |n_estimators| blog(0, n_estimators).1;
    let with = |change: fn(&mut ForestParams)| {
        let (dataset, mut forest) = blog(2000, 300);
        change(&mut forest);
        (dataset, forest)
    };
    let table = [
        // The data dominates: generating holds two f64 copies of the rows.
        ("blog, 3000 rows, 5 trees", blog(3000, 5), 1),
        ("blog, 3000 rows, 5 trees", blog(3000, 5), 2),
        // The forest dominates (300 trees: at 80 the generation's peak is still the larger).
        ("blog, 2000 rows, 300 trees", blog(2000, 300), 1),
        ("blog, 2000 rows, 300 trees", blog(2000, 300), 2),
        ("20 features, 2 classes", (narrow(2), trees(60)), 2),
        ("20 features, 5 classes", (narrow(5), trees(60)), 2),
        ("flip_y=0.5, 10 features", (noisy(), trees(60)), 2),
        ("max_depth=6", with(|f| f.max_depth = Some(6)), 2),
        ("min_samples_leaf=5", with(|f| f.min_samples_leaf = 5), 2),
        (
            "max_samples=0.3",
            with(|f| f.max_samples = Some(MaxSamples::Fraction(0.3))),
            2,
        ),
        ("bootstrap=false", with(|f| f.bootstrap = false), 2),
        (
            "max_features=1",
            with(|f| f.max_features = MaxFeatures::Count(1)),
            1,
        ),
    ];
    let mut report = Vec::new();
    for (label, (dataset, forest), threads) in table {
        let measured = measured_peak(&dataset, &forest, threads) as f64;
        let estimated = estimate(&dataset, &forest, threads).memory_bytes() as f64;
        let ratio = estimated / measured;
        report.push(format!(
            "{label}, {threads} threads: measured {measured} B, estimate {estimated} B ({ratio:.2}x)"
        ));
        assert!((1.0..=2.0).contains(&ratio), "{}", report.join("\n"));
    }
    println!("{}", report.join("\n"));
}

#[test]
fn forest_bound_holds_for_the_worst_trees() {
    let _serial = serial();
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
        let experiment =
            Experiment::new(&dataset.check().unwrap(), &forest.check().unwrap()).unwrap();
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
        assert!(bound.generate_bytes >= (dataset.n_samples * dataset.n_features * 8) as u64);
    }
}

#[test]
fn the_blog_fits_in_wasm_and_a_larger_run_is_refused_with_numbers() {
    let _serial = serial();
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

    // Wide data names n_features, the parameter raised, in both checks: make_classification's
    // own and the estimate's.
    let wide = ClassificationParams {
        n_features: 1_000_000,
        ..ClassificationParams::blog()
    };
    let err = wide.check().unwrap_err();
    assert_eq!(err.parameter(), Some("n_features"), "{err}");
    let err = estimate(&wide, &ForestParams::blog(), 8)
        .check(WASM_MEMORY_BYTES)
        .unwrap_err();
    assert_eq!(err.parameter(), Some("n_features"), "{err}");
    let long = ClassificationParams {
        n_samples: 100_000_000,
        ..ClassificationParams::blog()
    };
    assert_eq!(long.check().unwrap_err().parameter(), Some("n_samples"));

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
    let _serial = serial();
    // The blog's forest on 100000 rows: over a minute a fit.
    let (big, forest) = blog(100_000, 500);
    let warning = estimate(&big, &forest, 4)
        .warning(&[1, 2, 3, 4], 3)
        .expect("the sweep takes minutes");
    assert!(warning.contains("minutes"), "{warning}");
    let small = estimate(&noisy(), &ForestParams::default(), 2);
    assert_eq!(small.warning(&[1, 2], 3), None);
}
