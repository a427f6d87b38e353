//! The same parameters give the same forest through `sweep::Experiment` (the path of the CLI's
//! sweep and of the page's workers) for 1, 2 and 4 threads, and through the CLI
//! (cli/tests/cli.rs).
//! tests/forest.rs checks the same invariance on `fit` itself (predictions, probabilities).

use coresweep::datasets::ClassificationParams;
use coresweep::forest::{FitControl, ForestParams};
use coresweep::sweep::{Experiment, thread_pool};

#[path = "common/pinned.rs"]
mod pinned;
use pinned::{SMALL_OOB_ACCURACY, SMALL_TOTAL_NODES};

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

#[test]
fn same_forest_for_1_2_and_4_threads_through_the_experiment() {
    let (dataset, forest) = small();
    let experiment = Experiment::new(&dataset.check().unwrap(), &forest.check().unwrap()).unwrap();
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

/// Cross-validation and grid search give the same scores, ranks and refit at every parallel
/// level (outer, inner, both) and for 1, 2 and 4 threads.
#[test]
fn same_scores_for_every_parallel_level_and_thread_count() {
    use coresweep::forest::{Features, MaxFeatures};
    use coresweep::model_selection::{
        Parallel, RepeatedStratifiedKFold, cross_val_score, grid_search_cv,
    };
    let (dataset, forest) = small();
    let data = dataset.check().unwrap().generate();
    let x = Features::from_row_major(&data.x, data.n_samples, data.n_features).unwrap();
    let folds = RepeatedStratifiedKFold {
        n_splits: 4,
        n_repeats: 2,
        random_state: 3,
    }
    .split(&data.y)
    .unwrap();
    let candidates: Vec<_> = [1, 3]
        .map(|k| {
            ForestParams {
                max_features: MaxFeatures::Count(k),
                ..forest.clone()
            }
            .check()
            .unwrap()
        })
        .to_vec();
    let run = |threads: usize, parallel: Parallel| {
        thread_pool(threads).unwrap().install(|| {
            let scores =
                cross_val_score(&candidates[0], &x, &data.y, &folds, parallel, &()).unwrap();
            let search = grid_search_cv(&candidates, &x, &data.y, &folds, parallel, &()).unwrap();
            (
                scores,
                search.best_forest.total_nodes(),
                search.scores.split_test_scores,
                search.scores.rank_test_score,
            )
        })
    };
    let reference = run(1, Parallel::Inner);
    for threads in [1, 2, 4] {
        for parallel in [Parallel::Outer, Parallel::Inner, Parallel::Both] {
            assert_eq!(
                run(threads, parallel),
                reference,
                "{threads} threads, {parallel:?}"
            );
        }
    }
}
