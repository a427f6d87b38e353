//! Cross-validation and grid search against sklearn 1.9.1's own output
//! (tests/oracles/cv_*.json, grid_*.json, made by tests/oracles/generate.py): every fold's test
//! rows, every fold's score, the means, deviations, ranks, the best candidate and its refit.

#[path = "common/oracles.rs"]
mod oracles;

use coresweep::datasets::ClassificationParams;
use coresweep::forest::{Features, ForestParams, MaxFeatures};
use coresweep::model_selection::{
    Fold, Parallel, RepeatedStratifiedKFold, StratifiedKFold, cross_val_score, grid_search_cv,
};
use coresweep::numeric::mean;
use oracles::{as_f64s, load};
use serde_json::Value;

fn count(value: &Value) -> usize {
    value.as_u64().unwrap() as usize
}

/// The oracle's data (sklearn's defaults but for the given arguments) and its forest.
fn data_and_forest(doc: &Value) -> (Features, Vec<i64>, ForestParams) {
    let d = &doc["dataset"];
    let dataset = ClassificationParams {
        n_samples: count(&d["n_samples"]),
        n_features: count(&d["n_features"]),
        n_informative: count(&d["n_informative"]),
        n_redundant: count(&d["n_redundant"]),
        random_state: count(&d["random_state"]) as u32,
        ..ClassificationParams::default()
    };
    let data = dataset.check().unwrap().generate();
    let x = Features::from_row_major(&data.x, data.n_samples, data.n_features).unwrap();
    let forest = ForestParams {
        n_estimators: count(&doc["forest"]["n_estimators"]),
        random_state: count(&doc["forest"]["random_state"]) as u32,
        ..ForestParams::default()
    };
    (x, data.y, forest)
}

/// The oracle's splitter applied to `y`.
fn folds(doc: &Value, y: &[i64]) -> Vec<Fold> {
    let cv = &doc["cv"];
    match cv["kind"].as_str().unwrap() {
        "StratifiedKFold" => StratifiedKFold {
            n_splits: count(&cv["n_splits"]),
            random_state: None,
        }
        .split(y),
        "RepeatedStratifiedKFold" => RepeatedStratifiedKFold {
            n_splits: count(&cv["n_splits"]),
            n_repeats: count(&cv["n_repeats"]),
            random_state: count(&cv["random_state"]) as u32,
        }
        .split(y),
        other => panic!("no splitter {other}"),
    }
    .unwrap()
}

fn assert_test_folds(doc: &Value, folds: &[Fold], name: &str) {
    let expected: Vec<Vec<usize>> = serde_json::from_value(doc["test_folds"].clone()).unwrap();
    let got: Vec<Vec<usize>> = folds.iter().map(|f| f.test.clone()).collect();
    assert_eq!(got, expected, "{name}: test folds");
    for fold in folds {
        assert_eq!(fold.train.len() + fold.test.len(), doc_rows(doc), "{name}");
        assert!(
            fold.train
                .iter()
                .all(|i| fold.test.binary_search(i).is_err())
        );
    }
}

fn doc_rows(doc: &Value) -> usize {
    count(&doc["dataset"]["n_samples"])
}

#[test]
fn cross_val_score_matches_sklearn_fold_by_fold() {
    for name in [
        "cv_default5_seed0.json",
        "cv_default5_seed42.json",
        "cv_seq02_seed0.json",
        "cv_seq02_seed42.json",
    ] {
        let doc = load(name);
        let (x, y, forest) = data_and_forest(&doc);
        let folds = folds(&doc, &y);
        assert_test_folds(&doc, &folds, name);
        let scores = cross_val_score(
            &forest.check().unwrap(),
            &x,
            &y,
            &folds,
            Parallel::Outer,
            &(),
        )
        .unwrap();
        assert_eq!(scores, as_f64s(&doc["scores"]), "{name}: scores");
        if let Some(expected) = doc["mean"].as_f64() {
            assert_eq!(mean(&scores), expected, "{name}: mean");
        }
    }
}

#[test]
fn grid_search_matches_sklearn_candidate_by_candidate() {
    for name in ["grid_seq03_seed0.json", "grid_seq03_seed42.json"] {
        let doc = load(name);
        let (x, y, forest) = data_and_forest(&doc);
        // The folds themselves are checked against cv_seq02 (the same splitter and seed).
        let folds = folds(&doc, &y);
        let values: Vec<usize> =
            serde_json::from_value(doc["param_grid"]["max_features"].clone()).unwrap();
        let candidates: Vec<_> = values
            .iter()
            .map(|&k| {
                ForestParams {
                    max_features: MaxFeatures::Count(k),
                    ..forest.clone()
                }
                .check()
                .unwrap()
            })
            .collect();
        let search = grid_search_cv(&candidates, &x, &y, &folds, Parallel::Both, &()).unwrap();
        let splits: Vec<Vec<f64>> =
            serde_json::from_value(doc["split_test_scores"].clone()).unwrap();
        assert_eq!(search.split_test_scores, splits, "{name}: split scores");
        assert_eq!(
            search.mean_test_score,
            as_f64s(&doc["mean_test_score"]),
            "{name}"
        );
        assert_eq!(
            search.std_test_score,
            as_f64s(&doc["std_test_score"]),
            "{name}"
        );
        let ranks: Vec<usize> = serde_json::from_value(doc["rank_test_score"].clone()).unwrap();
        assert_eq!(search.rank_test_score, ranks, "{name}");
        assert_eq!(
            values[search.best_index],
            count(&doc["best_params"]["max_features"]),
            "{name}"
        );
        assert_eq!(search.best_score, doc["best_score"].as_f64().unwrap());
        assert_eq!(
            search.best_forest.total_nodes(),
            count(&doc["refit_total_nodes"]),
            "{name}: refit"
        );
    }
}
