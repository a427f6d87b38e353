//! `--data FILE.csv` on `fit`, `cross-val`, `grid-search` and `sweep`: sklearn's forest and
//! fold scores on the tables of tests/oracles/tables/ (made by tests/oracles/generate.py),
//! and every bad file or flag refused with one line naming the row, column, parameter or flag,
//! exit 2, before anything runs or is written.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn table(name: &str) -> String {
    format!(
        "{}/../tests/oracles/tables/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn oracle(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(table(&format!("{name}.json"))).unwrap()).unwrap()
}

fn coresweep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args(args)
        .arg("--quiet")
        .output()
        .unwrap()
}

/// Runs `coresweep` with `args` plus `--json` and reads its one JSON object.
fn json(args: &[&str]) -> Value {
    let output = coresweep(&[args, &["--json"]].concat());
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The oracle's forest: sklearn's defaults with 20 trees and random_state=0, one thread.
const ORACLE_FOREST: [&str; 3] = ["--n-estimators=20", "--random-state=0", "--threads=1"];

#[test]
fn fit_on_a_table_is_sklearns_forest() {
    for name in ["breast_cancer", "wine", "digits"] {
        let expected = oracle(name);
        let path = table(&format!("{name}.csv"));
        let out = json(&[&["fit", "--data", &path], &ORACLE_FOREST[..]].concat());
        let nodes: u64 = expected["node_counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .sum();
        assert_eq!(out["total_nodes"].as_u64(), Some(nodes), "{name}");
        assert_eq!(out["oob_accuracy"], expected["oob_score"], "{name}");
        assert_eq!(out["table"]["sha256"], expected["csv_sha256"], "{name}");
        assert_eq!(out["table"]["name"], format!("{name}.csv"));
    }
}

#[test]
fn cross_val_on_a_table_gives_sklearns_fold_scores() {
    for name in ["breast_cancer", "wine", "digits"] {
        let path = table(&format!("{name}.csv"));
        let args = [
            &["cross-val", "--data", &path, "--cv=5", "--cv-repeats=none"],
            &ORACLE_FOREST[..],
        ]
        .concat();
        assert_eq!(json(&args)["scores"], oracle(name)["cv_scores"], "{name}");
    }
}

#[test]
fn sweep_and_grid_search_run_on_a_table_and_the_document_records_it() {
    let dir = scratch("sweep");
    let doc_path = dir.join("doc.json");
    let path = table("wine.csv");
    let output = coresweep(&[
        "sweep",
        "--data",
        &path,
        "--n-estimators=5",
        "--threads=1",
        "--repeats=1",
        "-o",
        doc_path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&doc_path).unwrap()).unwrap();
    assert_eq!(doc["table"]["sha256"], oracle("wine")["csv_sha256"]);
    assert_eq!(doc["table"]["n_rows"], 178);
    assert!(doc.get("dataset").is_none(), "{doc}");

    let search = json(&[
        "grid-search",
        "--data",
        &path,
        "--grid=max_features=1,13",
        "--n-estimators=5",
        "--cv=3",
        "--cv-repeats=none",
        "--threads=1",
    ]);
    assert_eq!(search["mean_test_score"].as_array().unwrap().len(), 2);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A fresh folder for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("coresweep-data-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `coresweep <command> --data <csv> <flags>`, with a results file for `sweep`: exit 2, no
/// stdout, stderr the one line `error: {expected}…`, and no results file.
fn assert_refused(dir: &Path, command: &str, csv: &[u8], flags: &[&str], expected: &str) {
    let file = dir.join("input.csv");
    std::fs::write(&file, csv).unwrap();
    let results = dir.join("results.json");
    let mut args = vec![command, "--data", file.to_str().unwrap(), "--threads=1"];
    args.extend(flags);
    if command == "sweep" {
        args.extend(["--repeats=1", "-o", results.to_str().unwrap()]);
    }
    let output = coresweep(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let label = format!("{command} {:?} {flags:?}", String::from_utf8_lossy(csv));
    assert_eq!(output.status.code(), Some(2), "{label}: {stderr}");
    assert!(output.stdout.is_empty(), "{label}");
    assert_eq!(stderr.lines().count(), 1, "{label}: {stderr}");
    assert!(
        stderr.starts_with(&format!("error: {expected}")),
        "{label}: {stderr}"
    );
    assert!(!results.exists(), "{label}: wrote a results file");
}

#[test]
fn a_bad_file_is_refused_naming_its_row_column_or_parameter() {
    let dir = scratch("bad");
    let cases: [(&[u8], &[&str], &str); 13] = [
        (
            b"a,b\n\xff\xfe\x00\x01,x\n",
            &[],
            "--data: row 2, column \"a\": is not text",
        ),
        (
            b"a,b,c\n1,2,x\n3,4\n",
            &[],
            "--data: row 3 has 2 fields, the header row has 3",
        ),
        (
            b"a,b\n1,x\n2,x\n",
            &[],
            "--target: column \"b\" has one class only (\"x\")",
        ),
        (b"a,b,c\n1,,x\n2,,y\n", &[], "--data: column \"b\" is empty"),
        (
            b"a,a\n1,x\n2,y\n",
            &[],
            "--data: row 1: columns 1 and 2 are both named \"a\"",
        ),
        (b"a,b\n", &[], "--data: row 2: no data rows"),
        (b"", &[], "--data: row 1: the file is empty"),
        (
            b"a,b\n1,x\nNA,y\n",
            &[],
            "--data: row 3, column \"a\": missing value (\"NA\")",
        ),
        (
            b"a,b\n1,x\nred,y\n",
            &[],
            "--data: row 3, column \"a\": \"red\" is not a number",
        ),
        (
            b"a,b\n1,x\n2,y\n",
            &["--target=c"],
            "--target: no column is named \"c\" in the header row",
        ),
        (
            b"a,b\n1,x\n2,y\n",
            &["--drop", "b"],
            "--drop: \"b\" is the target column",
        ),
        (
            b"a,b\n1,x\n2,y\n",
            &["--max-features=2"],
            "--max-features: must be in [1, n_features] = [1, 1], got 2",
        ),
        (
            b"a,b\n1,x\n2,y\n",
            &["--delimiter=|"],
            "--delimiter: expected \",\" or \";\" or \"tab\", got \"|\"",
        ),
    ];
    for (csv, flags, expected) in cases {
        for command in ["fit", "cross-val", "grid-search", "sweep"] {
            assert_refused(&dir, command, csv, flags, expected);
        }
    }
    // A class of one row cannot be split by stratified folds; a fit does not split.
    let lonely = b"a,b\n1,x\n2,x\n3,x\n4,y\n5,y\n6,y\n7,z\n";
    for command in ["cross-val", "grid-search", "sweep"] {
        let workload: &[&str] = if command == "sweep" {
            &["--workload=cross-val", "--cv=2"]
        } else {
            &["--cv=2"]
        };
        assert_refused(
            &dir,
            command,
            lonely,
            workload,
            "--cv: n_splits=2 cannot be greater than the number of members in each class (the smallest class has 1)",
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn data_with_make_classification_flags_or_no_file_is_refused() {
    let dir = scratch("flags");
    assert_refused(
        &dir,
        "sweep",
        b"a,b\n1,x\n2,y\n",
        &["--n-samples=100", "--random-state=3", "--flip-y=0"],
        "--n-samples: cannot be given with a table: make_classification's parameters describe the data the table replaces (random_state may stay: it seeds the forest)",
    );
    let missing = dir.join("missing.csv");
    let output = coresweep(&["fit", "--data", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!("error: --data {}: ", missing.display())),
        "{stderr}"
    );
    let output = coresweep(&["fit", "--target=y"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim_end(),
        "error: the following required arguments were not provided: --data <FILE.csv>"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
