//! `coresweep sweep --compare`: every document in its own colour under a name of its own, a
//! table row per document, the documents of other experiments named with what differs, and
//! Amdahl's projection printed and drawn.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

const SMALL: [&str; 6] = [
    "--n-features",
    "8",
    "--n-informative",
    "5",
    "--n-redundant",
    "2",
];

/// Runs `coresweep sweep --quiet` on the small data with `args` (200 rows, 10 trees, one fit
/// on one thread unless they say otherwise); its standard output.
fn sweep(args: &[&str]) -> String {
    let unless_given = |flag: &'static str, value: &'static str| {
        if args.contains(&flag) {
            vec![]
        } else {
            vec![flag, value]
        }
    };
    let output = Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args(["sweep", "--quiet"])
        .args(SMALL)
        .args(unless_given("--n-samples", "200"))
        .args(unless_given("--n-estimators", "10"))
        .args(unless_given("--threads", "1"))
        .args(unless_given("--repeats", "1"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn scratch(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-compare");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_str().unwrap().to_owned()
}

/// Text elements of the SVG reading exactly `text` (plotters-svg puts text on its own line).
fn texts(svg: &str, text: &str) -> usize {
    svg.lines().filter(|l| l.trim() == text).count()
}

/// Distinct fill colours of the SVG's circles (the points' and the legend's markers).
fn marker_colours(svg: &str) -> Vec<String> {
    let mut colours: Vec<String> = svg
        .lines()
        .filter(|l| l.contains("<circle"))
        .filter_map(|l| {
            l.split("fill=\"")
                .nth(1)?
                .split('"')
                .next()
                .map(str::to_owned)
        })
        .collect();
    colours.sort();
    colours.dedup();
    colours
}

#[test]
fn documents_of_one_label_get_two_colours_and_two_names() {
    let a = scratch("same-a.json");
    let b = scratch("same-b.json");
    let svg = scratch("same.svg");
    sweep(&["--label", "box", "-o", &a]);
    sweep(&["--label", "box", "-o", &b]);
    let out = sweep(&["--label", "box", "--svg", &svg, "--compare", &a, &b]);
    let chart = std::fs::read_to_string(&svg).unwrap();
    for name in ["box (this run)", "box (same-a.json)", "box (same-b.json)"] {
        assert_eq!(texts(&chart, name), 2, "{name}: one legend entry per panel");
        // One table row per document, under the header.
        assert_eq!(
            out.lines().filter(|l| l.starts_with(name)).count(),
            1,
            "{out}"
        );
    }
    assert_eq!(
        marker_colours(&chart).len(),
        3,
        "{:?}",
        marker_colours(&chart)
    );
    assert!(out.contains("device") && out.contains("serial fraction") && out.contains("backend"));
    // The same experiment: nothing said to differ.
    assert!(!out.contains("do not compare"), "{out}");
}

#[test]
fn a_document_of_another_experiment_is_named_with_what_differs() {
    let other = scratch("other.json");
    let svg = scratch("other.svg");
    sweep(&["--n-estimators", "20", "-o", &other]);
    let out = sweep(&["--n-samples", "300", "--svg", &svg, "--compare", &other]);
    let line =
        "other.json: n_samples 200 (this run 300), n_estimators 20 (10): its times do not compare";
    assert!(out.lines().any(|l| l == line), "{out}");
    assert!(std::fs::read_to_string(&svg).unwrap().contains(line));
    // A table instead of generated data: the data is named.
    let mut table: Value = serde_json::from_str(&std::fs::read_to_string(&other).unwrap()).unwrap();
    let fields = table.as_object_mut().unwrap();
    fields.remove("dataset");
    fields.insert(
        "table".to_owned(),
        serde_json::json!({"name": "t.csv", "n_rows": 200, "n_features": 2, "bytes": 40,
            "sha256": "62dce411".repeat(8), "target": "y", "features": ["a", "b"],
            "classes": ["0", "1"], "class_counts": [100, 100]}),
    );
    let on_table = scratch("table.json");
    std::fs::write(&on_table, table.to_string()).unwrap();
    let out = sweep(&["--compare", &on_table]);
    assert!(
        out.contains(
            "table.json: data t.csv (62dce411) (this run make_classification), n_estimators 20 (10)"
        ),
        "{out}"
    );
}

#[test]
fn sweep_prints_and_draws_amdahls_projection_or_why_not() {
    let svg = scratch("projection.svg");
    let out = sweep(&["--threads", "1,2", "--repeats", "1", "--svg", &svg]);
    // Two points of one fit each: no projection, and the reason.
    let why = "No projection for more cores: with two thread counts of one fit each";
    assert!(out.lines().any(|l| l.starts_with(why)), "{out}");
    assert!(
        !std::fs::read_to_string(&svg)
            .unwrap()
            .contains("Amdahl's law, projected")
    );
    let out = sweep(&["--threads", "1,2,3", "--repeats", "1", "--svg", &svg]);
    let said = out.lines().find(|l| {
        l.starts_with("With this serial fraction, 4 cores would give about ")
            || l.starts_with("No projection for more cores: the times do not fall")
    });
    let said = said.unwrap_or_else(|| panic!("{out}"));
    let chart = std::fs::read_to_string(&svg).unwrap();
    if said.starts_with("With") {
        assert!(chart.contains("projected"), "the projection is drawn");
    }
    assert!(
        chart.contains(said.split(':').next().unwrap()),
        "the words are in the SVG"
    );
}
