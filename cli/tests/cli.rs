//! The `coresweep` binary, run as a user would, on small sizes.

use coresweep::sweep::SweepDocument;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

#[path = "../../tests/common/pinned.rs"]
mod pinned;
use pinned::{SMALL_OOB_ACCURACY, SMALL_TOTAL_NODES};

const ORACLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/oracles");

/// A small experiment: fast enough for a test, large enough for real trees.
const SMALL: &[&str] = &[
    "--n-samples",
    "200",
    "--n-features",
    "10",
    "--n-informative",
    "5",
    "--n-redundant",
    "2",
    "--n-estimators",
    "10",
];

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn with_small(args: &[&str]) -> Vec<String> {
    args.iter().chain(SMALL).map(|s| s.to_string()).collect()
}

/// `coresweep sweep` of one point (one thread, one timed fit) on the small data, plus `args`.
fn one_point_sweep(args: &[&str]) -> Vec<String> {
    let sweep = ["sweep", "--threads", "1", "--repeats", "1"];
    with_small(&sweep.iter().chain(args).copied().collect::<Vec<_>>())
}

fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn run_owned(args: &[String]) -> Output {
    run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn oracle(file: &str) -> Value {
    let text = std::fs::read_to_string(format!("{ORACLES}/{file}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The oracle's make_classification parameters as flags (sklearn's None is "random" for
/// shift/scale and "none" for weights).
fn oracle_flags(case: &Value) -> Vec<String> {
    let mut params = case["effective_defaults"].as_object().unwrap().clone();
    params.extend(case["params"].as_object().unwrap().clone());
    let mut flags = Vec::new();
    for (name, value) in params {
        let text = match (name.as_str(), &value) {
            ("shift" | "scale", Value::Null) => "random".to_string(),
            (_, Value::Null) => "none".to_string(),
            (_, Value::Array(items)) => items
                .iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join(","),
            (_, other) => other.to_string(),
        };
        flags.push(format!("--{}", name.replace('_', "-")));
        flags.push(text);
    }
    flags
}

fn bit_exact(file: &str) -> bool {
    oracle("index.json")["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == file)
        .map(|d| d["x_bit_exact_with_documented_blas_model"] == true)
        .unwrap()
}

#[test]
fn make_classification_csv_equals_the_oracles() {
    for file in [
        "mc_base_seed0.json",
        "mc_weights_2cls_seed0.json",
        "mc_shift_scale_none_seed0.json",
    ] {
        // Each of these datasets is one the oracles' BLAS model reproduces bit for bit.
        assert!(
            bit_exact(file),
            "{file}: not bit-exact in tests/oracles/index.json"
        );
        let case = oracle(file);
        let mut args = vec!["make-classification".to_string()];
        args.extend(oracle_flags(&case));
        let csv = stdout(&run_owned(&args));
        let mut lines = csv.lines();
        let n_features = case["shape"][1].as_u64().unwrap() as usize;
        let header: Vec<String> = (0..n_features).map(|j| format!("x{j}")).collect();
        assert_eq!(lines.next().unwrap(), format!("{},y", header.join(",")));
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), case["y"].as_array().unwrap().len(), "{file}");
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<&str> = row.split(',').collect();
            assert_eq!(cells.len(), n_features + 1);
            assert_eq!(cells[n_features], case["y"][i].to_string(), "{file} y[{i}]");
            for j in 0..n_features {
                let got: f64 = cells[j].parse().unwrap();
                let bits = case["X_bits"][i][j].as_str().unwrap();
                let want = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
                assert_eq!(got.to_bits(), want.to_bits(), "{file} X[{i}][{j}]");
                // Shortest round-trip form: printing the value again gives the same text.
                assert_eq!(format!("{got:?}"), cells[j]);
            }
        }
    }
}

#[test]
fn make_classification_json_and_output_file() {
    let case = oracle("mc_base_seed0.json");
    let path = scratch("base.json");
    let mut args = vec!["make-classification".to_string()];
    args.extend(oracle_flags(&case));
    args.extend(["--format", "json", "-o", path.to_str().unwrap()].map(String::from));
    assert!(stdout(&run_owned(&args)).is_empty());
    let data: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(data["y"], case["y"]);
    assert_eq!(data["X"].as_array().unwrap().len(), 20);
    assert_eq!(data["X"][0].as_array().unwrap().len(), 6);
}

#[test]
fn fit_json_reports_time_quality_and_nodes() {
    let out = stdout(&run_owned(&with_small(&[
        "fit",
        "--json",
        "--threads",
        "2",
        "--test-size",
        "0.25",
    ])));
    assert_eq!(out.lines().count(), 1, "one JSON object");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(report["fit_seconds"].as_f64().unwrap() > 0.0);
    for field in ["oob_accuracy", "holdout_accuracy"] {
        let accuracy = report[field].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&accuracy), "{field} = {accuracy}");
    }
    assert!(report["total_nodes"].as_u64().unwrap() >= 10);
    assert_eq!(report["n_train"], 150);
    assert_eq!(report["n_test"], 50);

    let all_rows: Value =
        serde_json::from_str(&stdout(&run_owned(&with_small(&["fit", "--json", "-q"])))).unwrap();
    assert!(all_rows.get("holdout_accuracy").is_none());
    assert_eq!(all_rows["n_train"], 200);
}

#[test]
fn one_random_state_seeds_dataset_and_forest() {
    let fit = |seed: &str| -> Value {
        let args = with_small(&["fit", "--json", "--random-state", seed, "--threads", "1"]);
        serde_json::from_str(&stdout(&run_owned(&args))).unwrap()
    };
    let (a, b, c) = (fit("5"), fit("5"), fit("6"));
    assert_eq!(a["total_nodes"], b["total_nodes"]);
    assert_eq!(a["oob_accuracy"], b["oob_accuracy"]);
    assert_ne!(
        (&a["total_nodes"], &a["oob_accuracy"]),
        (&c["total_nodes"], &c["oob_accuracy"])
    );
}

#[test]
fn sweep_writes_a_document_and_a_chart() {
    let doc_path = scratch("sweep.json");
    let svg_path = scratch("sweep.svg");
    let args = with_small(&[
        "sweep",
        "--threads",
        "1,2",
        "--repeats",
        "2",
        "--random-state",
        "3",
        "--label",
        "test box",
        "-o",
        doc_path.to_str().unwrap(),
        "--svg",
        svg_path.to_str().unwrap(),
    ]);
    let table = stdout(&run_owned(&args));
    assert!(table.contains("speed-up"));
    let doc = SweepDocument::from_json(&std::fs::read_to_string(&doc_path).unwrap()).unwrap();
    assert_eq!(doc.engine, "native");
    assert_eq!(doc.device.label, "test box");
    let dataset = doc.dataset.as_ref().unwrap();
    assert_eq!(dataset.n_samples, 200);
    assert_eq!(dataset.random_state, 3);
    assert_eq!(doc.forest.random_state, 3);
    assert_eq!(doc.forest.n_estimators, 10);
    let threads: Vec<usize> = doc.points.iter().map(|p| p.threads).collect();
    assert_eq!(threads, vec![1, 2]);
    assert!(doc.points.iter().all(|p| p.fit_seconds.len() == 2));
    let oob = doc.quality.oob_accuracy.unwrap();
    assert!((0.0..=1.0).contains(&oob));
    assert_eq!(doc.quality.holdout_accuracy, None);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.contains("Number of cores") && svg.contains("Run time (secs)"));

    // A second run overlays the first.
    let compared_svg = scratch("compared.svg");
    let args = one_point_sweep(&[
        "--test-size",
        "0.25",
        "--svg",
        compared_svg.to_str().unwrap(),
        "--compare",
        doc_path.to_str().unwrap(),
    ]);
    assert!(stdout(&run_owned(&args)).contains("hold-out accuracy"));
    let svg = std::fs::read_to_string(&compared_svg).unwrap();
    assert!(svg.lines().any(|l| l.trim() == "test box"));
    // Unlabelled, the run is named after the machine.
    let machine = format!("{}, {} cores", std::env::consts::ARCH, available_cores());
    assert!(
        svg.lines().any(|l| l.trim().ends_with(&machine)),
        "{machine}"
    );
}

#[test]
fn bad_input_exits_with_2_and_names_the_flag() {
    let broken = scratch("broken.json");
    std::fs::write(&broken, r#"{"schema": "something-else/1"}"#).unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["fit", "--n-informative", "0"], "--n-informative"),
        (vec!["fit", "--n-samples", "abc"], "--n-samples"),
        (vec!["fit", "--n-samples", "-5"], "--n-samples"),
        (vec!["fit", "--n-estimators", "0"], "--n-estimators"),
        (vec!["fit", "--criterion", "gain"], "--criterion"),
        (
            vec![
                "fit",
                "--max-features",
                "1000",
                "--n-features",
                "10",
                "--n-informative",
                "5",
                "--n-redundant",
                "2",
                "--n-samples",
                "50",
            ],
            "--max-features",
        ),
        (vec!["fit", "--threads", "0"], "--threads"),
        (
            vec!["fit", "--test-size", "1.5", "--n-samples", "50"],
            "--test-size",
        ),
        (vec!["fit", "--bootstrap", "maybe"], "--bootstrap"),
        (vec!["fit", "--shift", "left"], "--shift"),
        (vec!["sweep", "--threads", "1,1"], "--threads"),
        (vec!["sweep", "--threads", "0"], "--threads"),
        (
            vec![
                "sweep",
                "--repeats",
                "0",
                "--n-samples",
                "50",
                "--n-estimators",
                "2",
            ],
            "--repeats",
        ),
        (
            vec!["sweep", "--compare", broken.to_str().unwrap()],
            "--compare",
        ),
        (vec!["make-classification", "--format", "xml"], "--format"),
        (
            vec!["make-classification", "--weights", "0.5,x"],
            "--weights",
        ),
        (
            vec!["make-classification", "--no-such-flag"],
            "--no-such-flag",
        ),
    ];
    for (args, flag) in cases {
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains(flag),
            "{args:?} should name {flag}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

/// A sweep refused after its flags were read leaves no results file or chart behind:
/// `--test-size` is checked with the other parameters (a share that leaves the training set
/// empty used to be refused by the split, after the first save and every timed fit), and the
/// data is generated and checked before the first save (a `--class-sep` so large that X
/// overflows, as sklearn's forest refuses it: "Input X contains infinity or a value too large
/// for dtype('float32')").
#[test]
fn a_sweep_refused_before_its_first_fit_writes_nothing() {
    let results = scratch("refused.json");
    let chart = scratch("refused.svg");
    for (flag, value, message) in [
        (
            "--test-size",
            "0.999",
            "--test-size: with n_samples=200 and test_size=0.999 the train set would be empty",
        ),
        (
            "--class-sep",
            "1e308",
            "X: row 0, column 0 is NaN: values must be finite and fit in float32",
        ),
    ] {
        for path in [&results, &chart] {
            let _ = std::fs::remove_file(path);
        }
        let output = run_owned(&one_point_sweep(&[
            flag,
            value,
            "-o",
            results.to_str().unwrap(),
            "--svg",
            chart.to_str().unwrap(),
        ]));
        assert_eq!(output.status.code(), Some(2), "{flag}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!("error: {message}\n")
        );
        assert!(
            !results.exists() && !chart.exists(),
            "{flag}: a file was left behind"
        );
    }
}

#[test]
fn help_and_version_exit_0() {
    let help = stdout(&run(&["sweep", "--help"]));
    for flag in [
        "--n-informative",
        "--max-features",
        "--threads",
        "--compare",
        "--svg",
    ] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
    assert!(stdout(&run(&["--version"])).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_cli_refuses_before_generating_data_and_names_the_flag() {
    let output = Command::new(env!("CARGO_BIN_EXE_coresweep"))
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

#[test]
fn the_cli_prints_the_pinned_figures() {
    let output = Command::new(env!("CARGO_BIN_EXE_coresweep"))
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

#[test]
fn cli_chart_escapes_labels_from_flags_and_compared_files() {
    let compared = scratch("escaped-other.json");
    let made = run_owned(&one_point_sweep(&[
        "--quiet",
        "-o",
        compared.to_str().unwrap(),
    ]));
    assert!(made.status.success(), "{made:?}");
    let mut other: Value =
        serde_json::from_str(&std::fs::read_to_string(&compared).unwrap()).unwrap();
    other["device"]["label"] = Value::from("</text><script>alert(2)</script>");
    std::fs::write(&compared, other.to_string()).unwrap();
    let svg = scratch("escaped-chart.svg");
    let output = run_owned(&one_point_sweep(&[
        "--quiet",
        "--label",
        "<script>alert(1)</script>",
        "--svg",
        svg.to_str().unwrap(),
        "--compare",
        compared.to_str().unwrap(),
    ]));
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(!text.contains("<script"), "raw markup in the CLI's SVG");
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(text.contains("&lt;/text&gt;&lt;script&gt;alert(2)"));
}

#[test]
fn cli_compare_refuses_oversized_and_endless_files_without_loading_them() {
    let dir = std::env::temp_dir().join(format!("coresweep-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.json");
    std::fs::write(&big, " ".repeat(coresweep::sweep::MAX_DOCUMENT_BYTES + 1)).unwrap();
    let binary = dir.join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, b'{', b'}']).unwrap();
    for (path, words) in [
        // The engine's words (SweepDocument::check_length), as the page says them.
        (
            big.as_path(),
            "results file: is 4194305 bytes, the limit is 4194304 bytes (4 MiB)",
        ),
        (
            std::path::Path::new("/dev/zero"),
            "the limit is 4194304 bytes (4 MiB)",
        ),
        (binary.as_path(), "not UTF-8"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_coresweep"))
            .args(["sweep", "--quiet", "--threads", "1", "--compare"])
            .arg(path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{path:?}: {stderr}");
        assert!(stderr.starts_with("error: --compare "), "{stderr}");
        assert!(stderr.contains(words), "{path:?}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
