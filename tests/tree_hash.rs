//! The forest's trees, node for node, are those grown before the speed work of issue 21: a
//! SHA-256 of every tree's nodes (threshold, feature, children, sample count) and leaf values,
//! pinned from the code as it was, on 100 and 500 trees at 1, 2 and 4 threads. The trees are
//! sklearn's (tests/forest.rs and the oracles check that); this test says no speed-up changed
//! a single split, threshold bit or node order.

use coresweep::datasets::ClassificationParams;
use coresweep::forest::{
    Criterion, Features, FitControl, ForestParams, MaxFeatures, MaxSamples, RandomForest,
};
use coresweep::sweep::thread_pool;
use sha2::{Digest, Sha256};

/// SHA-256 of the trees' debug form, which lists every field of every node and every leaf value
/// (floats printed so that they read back to the same bits), in hex.
fn tree_hash(forest: &RandomForest) -> String {
    let digest = Sha256::digest(format!("{:?}", forest.trees()).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fits `dataset` at 1, 2 and 4 threads (see [`check_on`]).
fn check(dataset: &ClassificationParams, params: &ForestParams, want: &str) {
    let data = dataset.check().unwrap().generate();
    let x = Features::from_row_major(&data.x, data.n_samples, data.n_features).unwrap();
    check_on(&x, &data.y, params, want);
}

/// Fits at 1, 2 and 4 threads; every fit must give `want` and the same out-of-bag score.
fn check_on(x: &Features, y: &[i64], params: &ForestParams, want: &str) {
    let params = params.check().unwrap();
    let mut oob = None;
    for threads in [1, 2, 4] {
        let forest = thread_pool(threads)
            .unwrap()
            .install(|| params.fit(x, y, &FitControl::default()))
            .unwrap();
        assert_eq!(tree_hash(&forest), want, "{threads} threads");
        let score = forest.oob_accuracy(x, y);
        assert!(oob.is_none_or(|o| o == score), "{threads} threads");
        oob = Some(score);
    }
}

/// The seed's workload (make_classification 10000 x 70), 100 trees.
#[test]
fn seed_workload_100_trees() {
    check(
        &ClassificationParams::blog(),
        &ForestParams {
            n_estimators: 100,
            ..ForestParams::default()
        },
        "45a821b964b3a2363261d46255cc069f84ab6a54e8c287be5726190e0f23fd01",
    );
}

/// 500 trees on make_classification(2000, 20, n_informative=15, n_redundant=5).
#[test]
fn moderate_500_trees() {
    check(
        &ClassificationParams {
            n_samples: 2000,
            n_features: 20,
            n_informative: 15,
            n_redundant: 5,
            ..ClassificationParams::default()
        },
        &ForestParams {
            n_estimators: 500,
            ..ForestParams::default()
        },
        "720271e62c1c052c838864dae5c26cc8ac8bb6462917adb92515b4a7a2510378",
    );
}

/// Four classes, entropy, columns rounded to few distinct values (ties, levels) beside full
/// ones, min_samples_leaf and max_samples: the other paths of the splitter.
#[test]
fn multiclass_entropy_ties_100_trees() {
    let dataset = ClassificationParams {
        n_samples: 3000,
        n_features: 12,
        n_informative: 8,
        n_redundant: 2,
        n_classes: 4,
        random_state: 5,
        ..ClassificationParams::default()
    };
    let data = dataset.check().unwrap().generate();
    let mut values = data.x.clone();
    for (i, v) in values.iter_mut().enumerate() {
        match i % data.n_features {
            // ~20 distinct values: swept through the levels on large nodes.
            0..=2 => *v = (*v * 3.0).round(),
            // ~600 distinct values: many ties, sorted.
            3..=4 => *v = (*v * 100.0).round() / 100.0,
            _ => {}
        }
    }
    let x = Features::from_row_major(&values, data.n_samples, data.n_features).unwrap();
    check_on(
        &x,
        &data.y,
        &ForestParams {
            n_estimators: 100,
            criterion: Criterion::Entropy,
            min_samples_leaf: 2,
            max_features: MaxFeatures::Count(5),
            max_samples: Some(MaxSamples::Fraction(0.7)),
            random_state: 11,
            ..ForestParams::default()
        },
        "58f2bdb0f97d7a8c0580d706765e60667437e6baac064e462899b513f4ed2367",
    );
}
