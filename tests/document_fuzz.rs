//! Untrusted results documents: a deterministic fuzz of `SweepDocument::from_json`.
//!
//! Inputs are valid documents mutated structurally (a value replaced, a key removed, markup in
//! a label, hostile numbers) and byte-wise (flips, cuts, splices, deep nesting), plus random
//! bytes. For every input: no panic; an accepted document re-reads to itself; nothing over
//! the size limit is accepted; and no accepted text reaches the SVG chart as raw markup.
//! `CORESWEEP_FUZZ_INPUTS` runs more inputs than the default (e.g. 5000000 for a long run).

use coresweep::chart::{ChartStyle, draw_sweep};
use coresweep::datasets::{ClassificationParams, Scale, Shift, TableInfo};
use coresweep::forest::{Criterion, ForestParams, MaxFeatures, MaxSamples};
use coresweep::model_selection::Parallel;
use coresweep::plan::Workload;
use coresweep::sweep::{Device, MAX_DOCUMENT_BYTES, Quality, SweepDocument, WorkloadInfo};
use plotters::prelude::IntoDrawingArea;
use serde_json::{Map, Value};
use std::panic::{AssertUnwindSafe, catch_unwind};

#[path = "common/fuzz.rs"]
mod fuzz;
use fuzz::Rng;

/// Inputs of the default run: about 6 s with the test profile on a busy 2-core machine.
const DEFAULT_INPUTS: usize = 150_000;

/// Charts drawn at most (an SVG render costs far more than a parse).
const MAX_CHARTS: usize = 400;

/// Text that would be markup if a renderer copied it into SVG or HTML.
const MARKUP: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "</text><script>alert(1)</script><text>",
    "<![CDATA[<script>]]>",
    "<!-- x -->",
    "&lt;b&gt;",
    "<svg onload=alert(1)>",
    "'><a href='javascript:alert(1)'>",
];

const STRINGS: &[&str] = &[
    "",
    "sqrt",
    "log2",
    "random",
    "gini",
    "entropy",
    "log_loss",
    "none",
    "coresweep-sweep/1",
    "coresweep-sweep/2",
    "coresweep-sweep/3",
    "coresweep-sweep/4",
    "threads",
    "workers",
    "grid_search",
    "cross_val_score",
    "outer",
    "\u{0}",
    "\u{202e}evil",
    "\u{FFFF}",
    "😀",
    "NaN",
    "Infinity",
    "1e999",
];

/// Numbers at and beyond the edges of every field's range.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-0.0",
    "1",
    "-1",
    "2",
    "0.5",
    "1.0",
    "1.5",
    "1e-320",
    "1e-9",
    "1e9",
    "1e308",
    "-1e308",
    "1e999",
    "64",
    "65",
    "1024",
    "1025",
    "100000",
    "100001",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
];

fn random_scalar(rng: &mut Rng) -> Value {
    match rng.below(6) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::String(rng.pick(STRINGS).to_string()),
        3 => Value::String(rng.pick(MARKUP).to_string()),
        4 => Value::Array(vec![]),
        // Parsed through serde_json so huge literals become what a reader would see.
        _ => serde_json::from_str(rng.pick(NUMBERS)).unwrap_or(Value::Null),
    }
}

/// Every path (keys and indices) into `value`, for picking a node to change.
fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(fields) => {
            for (key, child) in fields {
                prefix.push(Step::Key(key.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate().take(8) {
                prefix.push(Step::Index(i));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn node<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(key) => &mut v[key.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// One structural change to a document's JSON.
fn mutate_value(value: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    paths(value, &mut Vec::new(), &mut all);
    let path = rng.pick(&all).clone();
    let target = node(value, &path);
    match rng.below(7) {
        0 | 1 => *target = random_scalar(rng),
        2 => {
            if let Value::Object(fields) = target
                && !fields.is_empty()
            {
                let key = fields.keys().nth(rng.below(fields.len())).cloned();
                fields.remove(&key.unwrap_or_default());
            }
        }
        3 => {
            if let Value::Array(items) = target
                && !items.is_empty()
            {
                let item = items[rng.below(items.len())].clone();
                items.push(item);
            }
        }
        4 => {
            if let Value::Object(fields) = target {
                fields.insert(rng.pick(STRINGS).to_string(), random_scalar(rng));
            }
        }
        5 => set_text(value, &["device", "label"], rng.pick(MARKUP)),
        _ => {
            set_text(value, &["device", "label"], "");
            set_text(value, &["engine"], rng.pick(MARKUP));
        }
    }
}

/// Sets the string at `path` when every object on the way is still there.
fn set_text(value: &mut Value, path: &[&str], text: &str) {
    let (last, parents) = path.split_last().unwrap();
    let parent = parents
        .iter()
        .try_fold(value, |v, key| v.get_mut(*key))
        .and_then(Value::as_object_mut);
    if let Some(parent) = parent {
        parent.insert(last.to_string(), Value::from(text));
    }
}

/// One byte-level change to a document's text (kept UTF-8, as `from_json` takes `&str`).
fn mutate_text(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let len = bytes.len().max(1);
    match rng.below(6) {
        0 => {
            let i = rng.below(len).min(bytes.len().saturating_sub(1));
            if let Some(b) = bytes.get_mut(i) {
                *b ^= 1 << rng.below(8);
            }
        }
        1 => bytes.truncate(rng.below(len)),
        2 => {
            let (a, b) = (rng.below(len), rng.below(len));
            let (a, b) = (a.min(b).min(bytes.len()), a.max(b).min(bytes.len()));
            bytes.drain(a..b);
        }
        3 => {
            let at = rng.below(len).min(bytes.len());
            let token = rng.pick(&[
                "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "-", "e9",
            ]);
            bytes.splice(at..at, token.bytes());
        }
        4 => {
            let at = rng.below(len).min(bytes.len());
            let depth = 1 + rng.below(400);
            let nesting = "[".repeat(depth) + &"]".repeat(depth);
            bytes.splice(at..at, nesting.bytes());
        }
        _ => {
            let at = rng.below(len).min(bytes.len());
            let number = rng.pick(NUMBERS);
            bytes.splice(at..at, number.bytes());
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn random_text(rng: &mut Rng) -> String {
    let len = rng.below(300);
    let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Valid documents with every optional part both present and absent.
fn seeds() -> Vec<String> {
    let mut plain = SweepDocument::new(
        "native",
        "2026-11-24T12:00:00Z".to_string(),
        Device::labelled("laptop"),
        Some(&ClassificationParams::blog().check().unwrap()),
        &ForestParams::blog().check().unwrap(),
    );
    plain.add_point(1, vec![20.0, 21.5, 19.75]);
    plain.add_point(2, vec![10.25]);
    plain.add_point(4, vec![5.5, 5.25]);
    plain.quality = Quality {
        oob_accuracy: Some(0.91),
        holdout_accuracy: None,
        ..Quality::default()
    };
    let mut full = SweepDocument::new(
        "wasm",
        "2026-11-24T12:00:00.123Z".to_string(),
        Device {
            label: "phone".to_string(),
            user_agent: Some("Mozilla/5.0".to_string()),
            hardware_concurrency: Some(8),
            device_memory_gb: Some(4.0),
            cross_origin_isolated: Some(true),
        },
        Some(
            &ClassificationParams {
                n_samples: 500,
                n_features: 12,
                n_informative: 4,
                n_redundant: 2,
                n_repeated: 1,
                n_classes: 3,
                weights: Some(vec![0.2, 0.3]),
                shift: Shift::Random,
                scale: Scale::Value(2.5),
                ..ClassificationParams::default()
            }
            .check()
            .unwrap(),
        ),
        &ForestParams {
            n_estimators: 50,
            criterion: Criterion::Entropy,
            max_depth: Some(8),
            max_features: MaxFeatures::Fraction(0.5),
            max_samples: Some(MaxSamples::Count(300)),
            ..ForestParams::default()
        }
        .check()
        .unwrap(),
    );
    full.add_point(3, vec![1.0, 1.5]);
    full.add_point(1, vec![2.75]);
    full.quality.holdout_accuracy = Some(0.875);
    let empty = SweepDocument::new(
        "native",
        String::new(),
        Device::default(),
        Some(&ClassificationParams::default().check().unwrap()),
        &ForestParams {
            max_features: MaxFeatures::Count(3),
            ..ForestParams::default()
        }
        .check()
        .unwrap(),
    );
    // coresweep-sweep/2: a cross-validation and a grid search with their quality.
    let mut cross_val = plain.clone();
    cross_val.workload = WorkloadInfo {
        kind: Workload::CrossValScore,
        cv: Some(3),
        cv_repeats: Some(2),
        grid: None,
        parallel: Some(Parallel::Outer),
    };
    cross_val.quality = Quality {
        cv_scores: Some(vec![0.75, 0.8, 0.875, 0.5, 1.0, 0.0]),
        cv_mean_score: Some(0.65),
        ..Quality::default()
    };
    let mut grid_search = full.clone();
    let grid = serde_json::json!({"max_features": [1, "sqrt", null], "max_depth": [null, 4]});
    grid_search.workload = WorkloadInfo {
        kind: Workload::GridSearch,
        cv: Some(5),
        cv_repeats: None,
        grid: grid.as_object().cloned(),
        parallel: Some(Parallel::Both),
    };
    grid_search.quality = Quality {
        mean_test_score: Some(vec![0.5, 0.625, 0.75, 0.875, 0.25, 1.0]),
        best_params: serde_json::json!({"max_features": 2, "max_depth": null})
            .as_object()
            .cloned(),
        best_score: Some(1.0),
        ..Quality::default()
    };
    // A table instead of make_classification's parameters.
    let mut on_table = cross_val.clone();
    on_table.dataset = None;
    on_table.table = Some(TableInfo {
        name: "<my data>.csv".to_string(),
        n_rows: 569,
        n_features: 2,
        bytes: 123_456,
        sha256: "62dce411778129f3cd79e514e076cf8baac37c12249b61b6907134c9b1b8b5b6".to_string(),
        target: "target".to_string(),
        features: vec!["mean radius".to_string(), "mean texture".to_string()],
        classes: vec!["benign".to_string(), "malignant".to_string()],
        class_counts: vec![357, 212],
    });
    let mut v1: Value = serde_json::from_str(&plain.to_json()).unwrap();
    v1["schema"] = "coresweep-sweep/1".into();
    v1.as_object_mut().unwrap().remove("workload");
    [plain, full, empty, cross_val, grid_search, on_table]
        .iter()
        .map(|d| d.to_json())
        .chain([v1.to_string()])
        .collect()
}

fn svg_of(doc: &SweepDocument) -> String {
    let mut svg = String::new();
    {
        let root = plotters_svg::SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
        draw_sweep(
            &root,
            std::slice::from_ref(doc),
            &[],
            &ChartStyle::default(),
        )
        .unwrap();
        root.present().unwrap();
    }
    svg
}

/// The elements plotters-svg writes; any other `<` would be markup carried in from the input.
const SVG_TAGS: &[&str] = &[
    "<?xml",
    "<svg",
    "</svg",
    "<rect",
    "<circle",
    "<text",
    "</text",
    "<polyline",
    "<line",
    "<path",
    "<polygon",
    "<g",
    "</g",
    "<defs",
    "</defs",
];

fn assert_no_markup(doc: &SweepDocument, svg: &str, input: &str) {
    for (at, _) in svg.match_indices('<') {
        assert!(
            SVG_TAGS.iter().any(|tag| svg[at..].starts_with(tag)),
            "unexpected markup at byte {at} of the SVG: {:?}\ninput: {input}",
            &svg[at..(at + 40).min(svg.len())]
        );
    }
    for text in [&doc.device.label, &doc.engine] {
        if text.contains(['<', '>', '&', '"']) {
            assert!(
                !svg.contains(text.as_str()),
                "{text:?} appears raw in the SVG"
            );
        }
    }
}

/// The properties every input must have; returns whether it was accepted.
fn check(input: &str, charts: &mut usize) -> bool {
    let result = catch_unwind(AssertUnwindSafe(|| SweepDocument::from_json(input)))
        .unwrap_or_else(|_| panic!("from_json panicked on: {input}"));
    let Ok(doc) = result else {
        return false;
    };
    assert!(input.len() <= MAX_DOCUMENT_BYTES);
    let written = doc.to_json();
    assert!(
        written.len() <= MAX_DOCUMENT_BYTES,
        "written back too large"
    );
    let again = SweepDocument::from_json(&written)
        .unwrap_or_else(|e| panic!("accepted, then refused its own output ({e}): {input}"));
    assert_eq!(again, doc, "round trip changed the document: {input}");
    assert_eq!(again.to_json(), written);
    let markup = |t: &str| t.contains(['<', '>', '&', '"', '\'']);
    // Extreme times test the chart's ranges; markup tests its escaping.
    let extreme = doc
        .points
        .iter()
        .any(|p| !(1e-3..=1e3).contains(&p.median_seconds));
    if *charts < MAX_CHARTS && (markup(&doc.device.label) || markup(&doc.engine) || extreme) {
        *charts += 1;
        assert_no_markup(&doc, &svg_of(&doc), input);
    }
    true
}

#[test]
fn from_json_survives_mutated_and_random_input() {
    let inputs = fuzz::inputs(DEFAULT_INPUTS);
    let seeds = seeds();
    for seed in &seeds {
        assert!(
            SweepDocument::from_json(seed).is_ok(),
            "seed refused: {seed}"
        );
    }
    let mut rng = Rng(0x00C0_FFEE);
    let (mut accepted, mut charts) = (0, 0);
    for i in 0..inputs {
        let seed = rng.pick(&seeds);
        let input = match i % 4 {
            0 | 1 => {
                let mut value: Value = serde_json::from_str(seed).unwrap();
                for _ in 0..1 + rng.below(3) {
                    mutate_value(&mut value, &mut rng);
                }
                if rng.below(2) == 0 {
                    value.to_string()
                } else {
                    serde_json::to_string_pretty(&value).unwrap()
                }
            }
            2 => mutate_text(seed, &mut rng),
            _ => random_text(&mut rng),
        };
        accepted += usize::from(check(&input, &mut charts));
    }
    eprintln!("{inputs} inputs, {accepted} accepted, {charts} charts checked for markup");
    // The generator must reach both sides: some mutants stay valid, most do not.
    assert!(accepted > inputs / 50, "only {accepted} accepted");
    assert!(accepted < inputs / 2, "{accepted} accepted");
    assert!(charts >= MAX_CHARTS.min(inputs / 1000));
}

#[test]
fn size_limit_holds_at_the_edge_and_for_what_is_written_back() {
    let seed = &seeds()[0];
    let at_limit = format!("{seed}{}", " ".repeat(MAX_DOCUMENT_BYTES - seed.len()));
    assert!(SweepDocument::from_json(&at_limit).is_ok());
    let over = format!("{at_limit} ");
    let message = SweepDocument::from_json(&over).unwrap_err().to_string();
    assert!(message.contains("limit"), "{message}");

    // A compact document just under the limit whose pretty form (one value per line) is far
    // over it: what is accepted must still be written back within the limit.
    let mut value: Value = serde_json::from_str(seed).unwrap();
    let repeats: Vec<Value> = vec![Value::from(1); 1000];
    let points: Vec<Value> = (1..=1024)
        .map(|k| {
            let mut point = Map::new();
            point.insert("threads".into(), Value::from(k));
            point.insert("fit_seconds".into(), Value::Array(repeats.clone()));
            point.insert("median_seconds".into(), Value::from(1));
            Value::Object(point)
        })
        .collect();
    value["points"] = Value::Array(points);
    let text = value.to_string();
    let mut charts = MAX_CHARTS;
    assert!(check(&text, &mut charts), "refused {} bytes", text.len());
    let written = SweepDocument::from_json(&text).unwrap().to_json();
    assert!(
        !written.contains('\n'),
        "compact, as pretty would be over the limit"
    );

    // The same points with padding up to the limit: accepted as text, but over it once the
    // counts are written as floats, so refused.
    let room = MAX_DOCUMENT_BYTES - text.len() + value["created"].as_str().unwrap().len();
    value["created"] = Value::from("x".repeat(room));
    let text = value.to_string();
    assert_eq!(text.len(), MAX_DOCUMENT_BYTES);
    let message = SweepDocument::from_json(&text).unwrap_err().to_string();
    assert!(message.contains("once normalised"), "{message}");
}
