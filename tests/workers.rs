//! The workers backend (`coresweep::parallel`): a workload cut into steps, dealt to several
//! engines that each hold their own copy of the data, and put together again, gives the forest
//! the threads backend grows and the scores sklearn computes, for any number of workers and
//! any order the steps run in.

#[path = "common/oracles.rs"]
mod oracles;

use coresweep::parallel::{Schedule, Shard, Task};
use coresweep::plan::{Plan, Request};
use coresweep::sweep::{Experiment, Outcome};
use oracles::{as_f64s, load};

fn plan(fields: &[(&str, &str)]) -> Plan {
    Request::from_text(fields.iter().copied())
        .and_then(|r| r.check())
        .expect("a valid plan")
}

/// Runs one run of `plan`'s workload as a page deals it: every step whose needs are met goes
/// to the next worker in turn (`reverse`: the ready steps taken last first), each worker its
/// own engine made from the data's bytes; the outcome is put together by worker 0.
fn run_on_workers(plan: &Plan, workers: usize, reverse: bool) -> Outcome {
    let data = Shard::data_of(plan).unwrap();
    let mut shards: Vec<Shard> = (0..workers)
        .map(|_| Shard::new(plan.clone(), &data).unwrap())
        .collect();
    let schedule = Schedule::for_plan(plan, workers);
    let mut outputs: Vec<Option<Vec<u8>>> = vec![None; schedule.steps.len()];
    let mut worker = 0;
    while outputs.iter().any(Option::is_none) {
        let mut ready: Vec<usize> = (0..schedule.steps.len())
            .filter(|&i| outputs[i].is_none())
            .filter(|&i| {
                let step = &schedule.steps[i];
                step.inputs
                    .iter()
                    .chain(&step.after)
                    .all(|&n| outputs[n].is_some())
            })
            .collect();
        assert!(!ready.is_empty(), "a schedule that cannot finish");
        if reverse {
            ready.reverse();
        }
        for i in ready {
            let step = &schedule.steps[i];
            let inputs: Vec<&[u8]> = step
                .inputs
                .iter()
                .map(|&n| outputs[n].as_deref().unwrap())
                .collect();
            let output = shards[worker].run(&step.task, &inputs, &()).unwrap();
            outputs[i] = Some(output);
            worker = (worker + 1) % workers;
        }
    }
    let outputs: Vec<&[u8]> = outputs.iter().map(|o| o.as_deref().unwrap()).collect();
    shards[0].outcome(&schedule, &outputs).unwrap()
}

fn fit_outcome(outcome: &Outcome) -> (Option<f64>, Option<usize>) {
    match outcome {
        Outcome::Fit {
            oob_accuracy,
            total_nodes,
        } => (*oob_accuracy, *total_nodes),
        other => panic!("not a fit: {other:?}"),
    }
}

#[test]
fn workers_grow_the_forest_threads_grow() {
    let plan = plan(&[
        ("n_samples", "700"),
        ("n_features", "12"),
        ("n_informative", "8"),
        ("n_redundant", "2"),
        ("n_estimators", "23"),
        ("random_state", "5"),
    ]);
    let threads = Experiment::for_plan(&plan)
        .unwrap()
        .run_untimed(&())
        .unwrap();
    let (oob, nodes) = fit_outcome(&threads);
    assert!(oob.is_some() && nodes.is_some_and(|n| n > 23));
    for workers in [1, 2, 3, 7] {
        for reverse in [false, true] {
            let got = fit_outcome(&run_on_workers(&plan, workers, reverse));
            assert_eq!(got, (oob, nodes), "{workers} workers, reverse {reverse}");
        }
    }
}

#[test]
fn cross_val_score_on_workers_is_sklearns_at_every_level() {
    let doc = load("cv_seq02_seed0.json");
    let expected = as_f64s(&doc["scores"]);
    for (parallel, workers) in [("outer", 2), ("inner", 3), ("both", 2)] {
        let plan = plan(&[
            ("workload", "cross_val_score"),
            ("random_state", "0"),
            ("parallel", parallel),
        ]);
        let Outcome::CrossValScore { scores } = run_on_workers(&plan, workers, parallel == "both")
        else {
            panic!("not a cross-validation");
        };
        assert_eq!(scores, expected, "{parallel} on {workers} workers");
    }
}

#[test]
fn grid_search_on_workers_is_sklearns() {
    let doc = load("grid_seq03_seed0.json");
    let plan = plan(&[("workload", "grid_search"), ("random_state", "0")]);
    let Outcome::GridSearch(search) = run_on_workers(&plan, 3, true) else {
        panic!("not a grid search");
    };
    let splits: Vec<Vec<f64>> = serde_json::from_value(doc["split_test_scores"].clone()).unwrap();
    assert_eq!(search.split_test_scores, splits);
    assert_eq!(search.mean_test_score, as_f64s(&doc["mean_test_score"]));
    assert_eq!(
        search.best_index + 1,
        doc["best_params"]["max_features"].as_u64().unwrap() as usize
    );
    assert_eq!(search.best_score, doc["best_score"].as_f64().unwrap());
    assert_eq!(
        search.best_forest.total_nodes(),
        doc["refit_total_nodes"].as_u64().unwrap() as usize
    );
}

#[test]
fn every_level_has_its_own_shape_of_steps() {
    let steps = |parallel: &str| {
        Schedule::for_plan(
            &plan(&[
                ("workload", "cross_val_score"),
                ("cv", "3"),
                ("cv_repeats", "none"),
                ("n_estimators", "10"),
                ("parallel", parallel),
            ]),
            2,
        )
        .steps
    };
    let outer = steps("outer");
    assert_eq!(outer.len(), 3);
    assert!(
        outer
            .iter()
            .all(|s| matches!(s.task, Task::FitAndScore { .. }) && s.trees == 10)
    );
    // Inner: a fold's trees wait for the fold before it to be scored; both: nothing waits.
    let inner = steps("inner");
    let both = steps("both");
    assert_eq!(inner.len(), both.len());
    assert!(inner.iter().any(|s| !s.after.is_empty()));
    assert!(both.iter().all(|s| s.after.is_empty()));
    let trees: usize = inner.iter().map(|s| s.trees).sum();
    assert_eq!(trees, 30);
}

#[test]
fn bytes_that_are_not_data_or_trees_are_refused_without_a_panic() {
    let plan = plan(&[
        ("n_samples", "200"),
        ("n_features", "5"),
        ("n_informative", "3"),
        ("n_redundant", "1"),
        ("n_estimators", "3"),
    ]);
    let data = Shard::data_of(&plan).unwrap();
    for cut in [0, 7, 8, data.len() - 1] {
        let error = Shard::new(plan.clone(), &data[..cut])
            .err()
            .expect("refused");
        assert!(error.to_string().contains("not a dataset"), "{error}");
    }
    let mut shard = Shard::new(plan.clone(), &data).unwrap();
    let schedule = Schedule::for_plan(&plan, 1);
    let outputs: Vec<Vec<u8>> = schedule
        .steps
        .iter()
        .map(|s| shard.run(&s.task, &[], &()).unwrap())
        .collect();
    let mut broken = outputs.clone();
    // A child that points back to the root would make a walk down the tree never end.
    let child = 4 + 16 + 12;
    broken[0][child..child + 4].copy_from_slice(&0u32.to_le_bytes());
    let truncated: Vec<Vec<u8>> = outputs.iter().map(|o| o[..o.len() - 3].to_vec()).collect();
    for bad in [broken, truncated] {
        let views: Vec<&[u8]> = bad.iter().map(Vec::as_slice).collect();
        let error = shard.outcome(&schedule, &views).expect_err("refused");
        assert!(
            error.to_string().contains("trees cannot be read"),
            "{error}"
        );
    }
}
