//! `coresweep sweep --like result.json`: runs the experiment a results document records (its
//! workload, every parameter, grid, thread counts and repeats), each flag given changing its
//! value; a result fitted on a table needs that file again. tests/browser/faces.test.mjs runs
//! it on documents the page wrote, one per parameter of the registry.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

const TABLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/oracles/tables");

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .arg("--quiet")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("like-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

/// Runs `args` (which must succeed) and reads the document it wrote to `out`.
fn sweep(args: &[&str], out: &str) -> Value {
    let output = run(&[&["sweep", "-o", out], args].concat());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// The one line the CLI refused `args` with (exit code 2).
fn refusal(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(output.status.code(), Some(2));
    String::from_utf8(output.stderr)
        .unwrap()
        .trim_end()
        .to_owned()
}

fn points(doc: &Value) -> Vec<(u64, usize)> {
    doc["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let repeats = p["fit_seconds"].as_array().unwrap().len();
            (p["threads"].as_u64().unwrap(), repeats)
        })
        .collect()
}

#[test]
fn like_runs_the_documents_experiment_and_flags_change_it() {
    let first = scratch("entropy.json");
    let original = sweep(
        &[
            "--criterion=entropy",
            "--weights=0.3,0.7",
            "--shift=random",
            "--n-samples=300",
            "--n-estimators=10",
            "--threads=1,2",
            "--repeats=2",
        ],
        &first,
    );
    let again = sweep(&["--like", &first], &scratch("again.json"));
    for part in ["dataset", "forest", "workload"] {
        assert_eq!(again[part], original[part], "{part}");
    }
    assert_eq!(
        points(&again),
        vec![(1, 2), (2, 2)],
        "the thread counts and repeats"
    );
    assert_eq!(again["quality"], original["quality"], "the same forest");

    let changed = sweep(
        &[
            "--like",
            &first,
            "--n-estimators=5",
            "--threads=1",
            "--repeats=1",
        ],
        &scratch("changed.json"),
    );
    assert_eq!(changed["forest"]["n_estimators"], 5);
    assert_eq!(changed["forest"]["criterion"], "entropy");
    assert_eq!(changed["dataset"], original["dataset"]);
    assert_eq!(points(&changed), vec![(1, 1)]);
}

#[test]
fn like_a_cross_validation_runs_its_folds_and_level() {
    let first = scratch("cv.json");
    let original = sweep(
        &[
            "--workload=cross-val",
            "--cv=3",
            "--parallel=inner",
            "--n-samples=120",
            "--n-estimators=4",
            "--threads=1",
            "--repeats=1",
        ],
        &first,
    );
    let again = sweep(&["--like", &first], &scratch("cv-again.json"));
    assert_eq!(again["workload"], original["workload"]);
    assert_eq!(
        again["quality"]["cv_scores"],
        original["quality"]["cv_scores"]
    );
}

#[test]
fn like_a_result_on_a_table_needs_that_table() {
    let wine = format!("{TABLES}/wine.csv");
    let first = scratch("wine.json");
    let original = sweep(
        &[
            "--data",
            &wine,
            "--n-estimators=5",
            "--threads=1",
            "--repeats=1",
        ],
        &first,
    );
    let table = &original["table"];
    let record = format!(
        "{} ({} rows × {} features, SHA-256 {})",
        table["name"].as_str().unwrap(),
        table["n_rows"],
        table["n_features"],
        table["sha256"].as_str().unwrap()
    );
    assert_eq!(
        refusal(&["sweep", "--like", &first]),
        format!(
            "error: --like: the result was fitted on the table {record}: give that file with --data"
        )
    );
    let digits = format!("{TABLES}/digits.csv");
    let other = refusal(&["sweep", "--like", &first, "--data", &digits]);
    assert!(
        other.starts_with(&format!(
            "error: --data digits.csv: not the table the --like result was fitted on, {record}"
        )),
        "{other}"
    );
    let again = sweep(
        &["--like", &first, "--data", &wine],
        &scratch("wine-again.json"),
    );
    assert_eq!(again["table"], original["table"]);
    assert_eq!(again["forest"], original["forest"]);
}

#[test]
fn like_refuses_a_file_that_is_not_a_result_naming_the_flag() {
    let missing = scratch("missing.json");
    assert!(
        refusal(&["sweep", "--like", &missing]).starts_with(&format!("error: --like {missing}: ")),
    );
    let table = format!("{TABLES}/wine.csv");
    assert!(refusal(&["sweep", "--like", &table]).starts_with(&format!("error: --like {table}: ")));
}
