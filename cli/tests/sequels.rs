//! The sequels' commands, whose names and JSON fields are a contract (scripts that compare
//! coresweep with sklearn call them): `cross-val` and `grid-search` print sklearn's fold
//! scores and search results (tests/oracles/cv_*.json, grid_*.json) at every parallel level.

use serde_json::Value;
use std::process::Command;

/// Runs `coresweep` with `args` plus `--json --quiet` and reads its one JSON object.
fn json(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args(args)
        .args(["--json", "--quiet"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn oracle(name: &str) -> Value {
    let path = format!("{}/../tests/oracles/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `--cv 5` alone is sklearn's `cv=5`: StratifiedKFold(5) without shuffling.
#[test]
fn cross_val_with_cv_alone_is_sklearns_cv_n() {
    let expected = oracle("cv_default5_seed0.json");
    let data = [
        "--n-samples=2000",
        "--n-features=70",
        "--n-informative=65",
        "--n-redundant=5",
        "--n-estimators=50",
    ];
    for parallel in ["outer", "inner", "both"] {
        let mut args = vec!["cross-val", "--cv=5", "--threads=2", "--parallel", parallel];
        args.extend(data);
        let out = json(&args);
        assert_eq!(out["scores"], expected["scores"], "{parallel}");
        assert_eq!(out["cv_repeats"], Value::Null);
        assert!(out["mean_score"].as_f64().unwrap() > 0.8);
        assert!(out["fit_seconds"].as_f64().unwrap() > 0.0);
    }
}

/// Without flags `cross-val` is the sequel: the sequels' data and forest,
/// RepeatedStratifiedKFold(10, 3, random_state).
#[test]
fn cross_val_defaults_are_the_sequels() {
    let expected = oracle("cv_seq02_seed42.json");
    let out = json(&["cross-val", "--random-state=42", "--threads=2"]);
    assert_eq!(out["scores"], expected["scores"]);
    assert_eq!(out["mean_score"], expected["mean"]);
    assert_eq!(
        (out["cv"].as_u64(), out["cv_repeats"].as_u64()),
        (Some(10), Some(3))
    );
}

/// `grid-search --grid NAME=V1,…` prints sklearn's `cv_results_` in candidate order and
/// `best_params` as an object; the level changes nothing but the time.
#[test]
fn grid_search_prints_sklearns_results_and_best_params() {
    let base = [
        "grid-search",
        "--n-samples=300",
        "--n-estimators=10",
        "--cv=3",
        "--grid",
        "min_samples_leaf=1,3",
        "--grid=max_features=sqrt,2",
        "--threads=2",
    ];
    let outer = json(&[&base[..], &["--parallel=outer"]].concat());
    let inner = json(&[&base[..], &["--parallel=inner"]].concat());
    for field in [
        "mean_test_score",
        "rank_test_score",
        "best_params",
        "best_score",
    ] {
        assert_eq!(outer[field], inner[field], "{field}");
    }
    // ParameterGrid: names sorted, the last varying fastest.
    assert_eq!(
        outer["params"],
        serde_json::json!([
            {"max_features": "sqrt", "min_samples_leaf": 1},
            {"max_features": "sqrt", "min_samples_leaf": 3},
            {"max_features": 2, "min_samples_leaf": 1},
            {"max_features": 2, "min_samples_leaf": 3},
        ])
    );
    let ranks = outer["rank_test_score"].as_array().unwrap();
    let best = ranks.iter().position(|r| r == 1).unwrap();
    assert_eq!(outer["best_params"], outer["params"][best]);
    assert_eq!(outer["best_score"], outer["mean_test_score"][best]);
    assert!(outer["fit_seconds"].as_f64().unwrap() > 0.0);
}

/// `sweep --workload cross-val` writes a coresweep-sweep/3 document naming its workload, with
/// the fold scores as quality.
#[test]
fn sweep_of_a_cross_validation_writes_its_workload() {
    let path = std::env::temp_dir().join(format!("coresweep-sequel-{}.json", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args([
            "sweep",
            "--workload=cross-val",
            "--n-samples=200",
            "--n-estimators=5",
            "--cv=4",
            "--threads=1,2",
            "--repeats=1",
            "--quiet",
        ])
        .arg(format!("--output={}", path.display()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(doc["schema"], "coresweep-sweep/3");
    assert_eq!(
        doc["workload"],
        serde_json::json!({"kind": "cross_val_score", "cv": 4, "parallel": "outer"})
    );
    assert_eq!(doc["quality"]["cv_scores"].as_array().unwrap().len(), 4);
    assert_eq!(doc["points"].as_array().unwrap().len(), 2);
}
