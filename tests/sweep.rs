//! The results document (`coresweep-sweep/3`, reading `/2` and `/1`), its derived numbers and the chart.

use coresweep::Error;
use coresweep::chart::{ChartStyle, draw_sweep};
use coresweep::datasets::ClassificationParams;
use coresweep::forest::FitControl;
use coresweep::forest::ForestParams;
use coresweep::model_selection::train_test_split;
use coresweep::plan::{Plan, Request, Threads};
use coresweep::registry::Parameters;
use coresweep::sweep::{
    Device, Experiment, MAX_DOCUMENT_BYTES, SweepDocument, SweepEvent, WorkloadInfo, median,
    run_sweep,
};
use plotters::prelude::IntoDrawingArea;
use std::sync::atomic::Ordering;

fn document(label: &str, points: &[(usize, f64)]) -> SweepDocument {
    let mut doc = SweepDocument::new(
        "native",
        "2026-11-24T12:00:00Z".to_string(),
        Device::labelled(label),
        Some(&ClassificationParams::blog().check().unwrap()),
        &ForestParams::blog().check().unwrap(),
    );
    for &(threads, seconds) in points {
        doc.add_point(threads, vec![seconds]);
    }
    doc
}

/// The document's JSON with one field changed, as a foreign or broken file would have it.
fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value =
        serde_json::from_str(&document("laptop", &[(1, 20.0), (2, 11.0)]).to_json()).unwrap();
    edit(&mut value);
    value.to_string()
}

fn rejection(text: &str) -> String {
    match SweepDocument::from_json(text) {
        Err(Error::InvalidDocument(message)) => message,
        other => panic!("expected InvalidDocument, got {other:?}"),
    }
}

#[test]
fn hidden_during_is_written_only_when_true_and_read_back() {
    let mut doc = document("phone", &[(1, 20.0), (2, 11.0)]);
    let plain = doc.to_json();
    assert!(
        !plain.contains("hidden_during"),
        "documents of unhidden sweeps are unchanged"
    );
    doc.mark_hidden_during(2);
    doc.mark_hidden_during(8);
    let text = doc.to_json();
    assert_eq!(text.matches("\"hidden_during\": true").count(), 1);
    let read = SweepDocument::from_json(&text).unwrap();
    assert_eq!(
        read.points
            .iter()
            .map(|p| p.hidden_during)
            .collect::<Vec<_>>(),
        [false, true]
    );
    assert!(!SweepDocument::from_json(&plain).unwrap().points[1].hidden_during);
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12 * a.abs().max(1.0)
}

#[test]
fn document_round_trips_through_json() {
    let mut doc = document("laptop", &[]);
    doc.add_point(2, vec![13.5, 13.1, 13.9]);
    doc.add_point(1, vec![25.0, 26.0, 24.0, 25.5]);
    doc.quality.oob_accuracy = Some(0.916);
    doc.quality.holdout_accuracy = Some(0.917);
    doc.device.hardware_concurrency = Some(2);
    let text = doc.to_json();
    assert!(text.contains("\"schema\": \"coresweep-sweep/3\""));
    assert_eq!(SweepDocument::from_json(&text).unwrap(), doc);
}

/// A document written before workloads (`coresweep-sweep/1`, no `workload`) is a fit.
#[test]
fn a_v1_document_reads_as_a_fit() {
    let v1 = edited(|v| {
        v["schema"] = "coresweep-sweep/1".into();
        v.as_object_mut().unwrap().remove("workload");
    });
    let doc = SweepDocument::from_json(&v1).unwrap();
    assert_eq!(doc.workload, WorkloadInfo::default());
    assert_eq!(doc, document("laptop", &[(1, 20.0), (2, 11.0)]));
}

/// A grid-search sweep records its workload and the search's quality, reads back, and is
/// labelled with its workload beside a fit in one chart.
#[test]
fn a_grid_search_sweep_records_its_workload_and_results() {
    let request = Request::from_text([
        ("workload", "grid_search"),
        ("n_samples", "200"),
        ("n_estimators", "5"),
        ("cv", "3"),
        ("grid_max_features", "1,2"),
        ("threads", "1,2"),
        ("parallel", "both"),
    ])
    .unwrap();
    let plan = request.check().unwrap();
    let experiment = Experiment::for_plan(&plan).unwrap();
    let mut doc = SweepDocument::for_plan("native", String::new(), Device::labelled("a"), &plan);
    run_sweep(&mut doc, &experiment, &plan, &(), |_, _| {}).unwrap();
    assert_eq!(doc.workload.label(), "grid search (both)");
    assert_eq!(
        serde_json::to_value(&doc.workload).unwrap(),
        serde_json::json!({"kind": "grid_search", "cv": 3, "grid": {"max_features": [1, 2]}, "parallel": "both"})
    );
    let q = &doc.quality;
    assert_eq!(q.mean_test_score.as_ref().map(Vec::len), Some(2));
    let best = q.best_params.as_ref().unwrap();
    assert!(best["max_features"] == 1 || best["max_features"] == 2);
    assert_eq!(SweepDocument::from_json(&doc.to_json()).unwrap(), doc);
    let fit = document("a", &[(1, 2.0)]);
    let mut svg = String::new();
    {
        let root = plotters_svg::SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
        draw_sweep(&root, &[doc, fit], &[], &ChartStyle::default()).unwrap();
        root.present().unwrap();
    }
    assert!(svg.contains("a · grid search (both)") && svg.contains("a · fit"));
}

#[test]
fn add_point_keeps_points_sorted_with_their_median() {
    let mut doc = document("laptop", &[]);
    doc.add_point(4, vec![3.0, 1.0, 2.0]);
    doc.add_point(1, vec![9.0, 7.0]);
    doc.add_point(2, vec![5.0]);
    doc.add_point(4, vec![4.0]);
    let summary: Vec<(usize, f64)> = doc
        .points
        .iter()
        .map(|p| (p.threads, p.median_seconds))
        .collect();
    assert_eq!(summary, vec![(1, 8.0), (2, 5.0), (4, 4.0)]);
}

#[test]
fn median_is_numpys() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    assert!(median(&[]).is_nan());
}

#[test]
fn from_json_sorts_points_and_recomputes_medians() {
    let text = edited(|v| {
        v["points"] = serde_json::json!([
            {"threads": 2, "fit_seconds": [11.0, 12.0, 10.0], "median_seconds": 99.0},
            {"threads": 1, "fit_seconds": [20.0], "median_seconds": 20.0}
        ]);
    });
    let doc = SweepDocument::from_json(&text).unwrap();
    assert_eq!(doc.points[0].threads, 1);
    assert_eq!(doc.points[1].threads, 2);
    assert_eq!(doc.points[1].median_seconds, 11.0);
}

#[test]
fn from_json_rejects_foreign_and_broken_files_naming_the_field() {
    let cases: Vec<(String, &str)> = vec![
        ("not json".to_string(), "not valid JSON"),
        ("{\"points\": []}".to_string(), "schema"),
        (
            edited(|v| v["schema"] = "coresweep-sweep/4".into()),
            "schema",
        ),
        (
            edited(|v| v["points"][0]["threads"] = 0.into()),
            "points[0].threads",
        ),
        (
            edited(|v| v["points"][1]["threads"] = 5000.into()),
            "points[1].threads",
        ),
        (
            edited(|v| v["points"][0]["fit_seconds"] = serde_json::json!([])),
            "points[0].fit_seconds",
        ),
        (
            edited(|v| v["points"][1]["fit_seconds"] = serde_json::json!([1.0, -2.0])),
            "points[1].fit_seconds",
        ),
        (
            edited(|v| v["points"][1]["fit_seconds"] = serde_json::json!([0.0])),
            "points[1].fit_seconds",
        ),
        (
            edited(|v| v["points"][1]["threads"] = 1.into()),
            "thread count 1 appears more than once",
        ),
        (
            edited(|v| v["points"] = serde_json::json!(vec![serde_json::Value::Null; 1025])),
            "points",
        ),
        (
            edited(|v| v["quality"]["oob_accuracy"] = 1.5.into()),
            "quality.oob_accuracy",
        ),
        (
            edited(|v| v["dataset"]["n_informative"] = 0.into()),
            "dataset.n_informative",
        ),
        (
            edited(|v| v["forest"]["n_estimators"] = 0.into()),
            "forest.n_estimators",
        ),
        (edited(|v| v["points"] = "many".into()), "points"),
    ];
    for (text, field) in cases {
        let message = rejection(&text);
        assert!(message.contains(field), "{message:?} should name {field:?}");
    }
}

#[test]
fn from_json_refuses_files_over_the_size_limit() {
    let padded = format!(
        "{}{}",
        document("laptop", &[]).to_json(),
        " ".repeat(MAX_DOCUMENT_BYTES)
    );
    assert!(rejection(&padded).contains("limit"));
}

#[test]
fn perfect_scaling_has_no_serial_fraction() {
    let doc = document("ideal", &[(1, 24.0), (2, 12.0), (4, 6.0), (8, 3.0)]);
    assert_eq!(doc.speedups(), vec![(1, 1.0), (2, 2.0), (4, 4.0), (8, 8.0)]);
    assert_eq!(
        doc.efficiencies(),
        vec![(1, 1.0), (2, 1.0), (4, 1.0), (8, 1.0)]
    );
    assert!(doc.amdahl_serial_fraction().unwrap().abs() < 1e-12);
}

#[test]
fn amdahl_data_gives_back_its_serial_fraction() {
    let t = |k: usize| 30.0 * (0.2 + 0.8 / k as f64);
    let doc = document("amdahl", &[(1, t(1)), (2, t(2)), (3, t(3)), (6, t(6))]);
    assert!(close(doc.amdahl_serial_fraction().unwrap(), 0.2));
    let speedups = doc.speedups();
    assert!(close(speedups[1].1, 1.0 / 0.6));
    assert!(close(
        doc.efficiencies()[3].1,
        1.0 / (6.0 * (0.2 + 0.8 / 6.0))
    ));
}

#[test]
fn serial_fraction_is_clamped_and_needs_two_points() {
    assert_eq!(document("one", &[(2, 5.0)]).amdahl_serial_fraction(), None);
    let slower = document("slower", &[(1, 10.0), (2, 12.0)]);
    assert_eq!(slower.amdahl_serial_fraction(), Some(1.0));
}

#[test]
fn speedups_without_a_one_thread_point_scale_the_smallest_count() {
    let doc = document("no-1", &[(2, 10.0), (4, 5.0)]);
    assert_eq!(doc.speedups(), vec![(2, 2.0), (4, 4.0)]);
    assert!(document("empty", &[]).speedups().is_empty());
}

#[test]
fn threads_read_lists_and_all() {
    let counts = |text: &str, cores| Threads::from_text(text).unwrap().counts(cores);
    assert_eq!(counts("1,2,4", 8), vec![1, 2, 4]);
    assert_eq!(counts(" 4 , 1 ", 8), vec![4, 1]);
    assert_eq!(counts("all", 4), vec![1, 2, 3, 4]);
    assert_eq!(counts("ALL", 0), vec![1]);
}

#[test]
fn threads_errors_name_threads() {
    for bad in ["0", "1,1", "two", "", "1,,2", "2000", "-1"] {
        let error = Threads::from_text(bad).unwrap_err();
        assert_eq!(error.parameter(), Some("threads"), "{bad:?}: {error}");
    }
}

/// Thin (1 px) lines in `colour`: the whiskers and their caps (the series' lines are thicker).
fn thin_lines(svg: &str, colour: &str) -> usize {
    svg.lines()
        .filter(|l| {
            l.contains("<polyline")
                && l.contains(&format!("stroke=\"{colour}\""))
                && l.contains("stroke-width=\"1\"")
        })
        .count()
}

#[test]
fn points_timed_more_than_once_get_a_whisker_from_fastest_to_slowest() {
    let mut spread = document("laptop", &[]);
    spread.add_point(1, vec![1.0, 1.2, 1.6]);
    spread.add_point(2, vec![0.6, 0.7, 0.9]);
    let once = document("laptop", &[(1, 1.2), (2, 0.7)]);
    let style = ChartStyle::default();
    let blue = "#1F77B4";
    assert_eq!(thin_lines(&svg_of(&[once], &style), blue), 0);
    let svg = svg_of(&[spread], &style);
    // Per point: the whisker and its two caps.
    assert_eq!(thin_lines(&svg, blue), 6, "{svg}");
    // The slowest repeat (1.6 s) sets the top of the time axis, so its whisker is not cut.
    assert!(
        numeric_texts(&svg)
            .iter()
            .any(|t| t.parse::<f64>().unwrap() >= 1.6)
    );
}

fn svg_of(docs: &[SweepDocument], style: &ChartStyle) -> String {
    svg_sized(docs, style, (1000, 400))
}

fn svg_sized(docs: &[SweepDocument], style: &ChartStyle, size: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let root = plotters_svg::SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_sweep(&root, docs, &[], style).unwrap();
        root.present().unwrap();
    }
    svg
}

/// Text elements reading exactly `text` (plotters-svg puts the text on its own line).
fn texts(svg: &str, text: &str) -> usize {
    svg.lines().filter(|l| l.trim() == text).count()
}

/// Centres of the `<circle>` elements filled with `colour` (an SVG `#RRGGBB`).
fn circles(svg: &str, colour: &str) -> Vec<(f64, f64)> {
    svg.lines()
        .filter(|l| l.contains("<circle") && l.contains(&format!("fill=\"{colour}\"")))
        .map(|l| (attribute(l, "cx"), attribute(l, "cy")))
        .collect()
}

/// `<circle>` elements filled with `colour`.
fn markers(svg: &str, colour: &str) -> usize {
    circles(svg, colour).len()
}

fn attribute(line: &str, name: &str) -> f64 {
    let start = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let end = start + line[start..].find('"').unwrap();
    line[start..end].parse().unwrap()
}

/// The text lines of the SVG that are numbers (the tick labels).
fn numeric_texts(svg: &str) -> Vec<&str> {
    svg.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.parse::<f64>().is_ok())
        .collect()
}

#[test]
fn chart_draws_both_panels_with_one_series_per_device() {
    let laptop = document("laptop", &[(1, 25.0), (2, 13.0), (4, 7.5)]);
    let phone = document("phone", &[(1, 60.0), (2, 34.0)]);
    let svg = svg_of(&[laptop, phone], &ChartStyle::default());
    assert!(svg.contains("Number of cores"));
    assert!(svg.contains("Run time (secs)"));
    assert!(svg.contains("Speed-up"));
    assert_eq!(texts(&svg, "laptop"), 2, "one legend entry per panel");
    assert_eq!(texts(&svg, "phone"), 2);
    assert!(svg.contains("ideal (y = k)"));
    // One marker per point and one in the legend in each of the two panels, each device in
    // its own colour.
    assert_eq!(markers(&svg, "#1F77B4"), 2 * (3 + 1));
    assert_eq!(markers(&svg, "#FF7F0E"), 2 * (2 + 1));
}

#[test]
fn chart_gives_two_documents_of_one_label_two_colours_and_names() {
    let a = document("laptop", &[(1, 25.0), (2, 13.0)]);
    let b = document("laptop", &[(1, 24.0), (2, 12.5)]);
    let svg = svg_of(&[a, b], &ChartStyle::default());
    // Two points and one legend marker per panel, each document in its own colour.
    assert_eq!(markers(&svg, "#1F77B4"), 2 * (2 + 1));
    assert_eq!(markers(&svg, "#FF7F0E"), 2 * (2 + 1));
    assert_eq!(
        texts(&svg, "laptop (this run)"),
        2,
        "one legend entry per panel"
    );
    assert_eq!(texts(&svg, "laptop"), 2);
}

#[test]
fn chart_gives_an_empty_document_no_legend_entry_but_keeps_its_colour() {
    // The page's own document before its first point, shown with an imported one.
    let this_device = document("this browser", &[]);
    let laptop = document("laptop", &[(1, 25.0), (2, 13.0)]);
    let svg = svg_of(&[this_device, laptop], &ChartStyle::default());
    assert_eq!(
        texts(&svg, "this browser"),
        0,
        "no legend slot without points"
    );
    assert_eq!(texts(&svg, "laptop"), 2, "one legend entry per panel");
    // The import keeps the second colour, the one it will have once this device has points.
    assert_eq!(markers(&svg, "#1F77B4"), 0);
    assert_eq!(markers(&svg, "#FF7F0E"), 2 * (2 + 1));
}

#[test]
fn chart_ideal_line_runs_through_the_point_one_one() {
    // Speed-ups barely above 1: the y range (up to about 2) is shorter than the x range (3).
    let doc = document("laptop", &[(1, 10.0), (2, 9.0)]);
    let svg = svg_of(&[doc], &ChartStyle::default());
    let ideal = svg
        .lines()
        .filter(|l| l.contains("<polyline") && l.contains("stroke=\"#8C8C8C\""))
        .map(|l| {
            let start = l.find("points=\"").unwrap() + 8;
            let points: Vec<f64> = l[start..]
                .split(['"', ' ', ','])
                .map_while(|v| v.parse().ok())
                .collect();
            points
        })
        .find(|p| p.len() == 4 && (p[2] - p[0]).abs() > 100.0)
        .expect("the ideal line");
    let (x0, y0, x1, y1) = (ideal[0], ideal[1], ideal[2], ideal[3]);
    // The 1-thread point has speed-up 1 exactly, so it lies on y = k: the line must cross its
    // marker's centre (the marker drawn last is the speed-up panel's).
    let &(cx, cy) = circles(&svg, "#1F77B4").iter().rev().nth(1).unwrap();
    let distance = ((x1 - x0) * (y0 - cy) - (x0 - cx) * (y1 - y0)).abs() / (x1 - x0).hypot(y1 - y0);
    assert!(distance < 1.5, "{distance} px off the ideal line");
}

#[test]
fn chart_ticks_of_an_axis_share_their_decimals() {
    let doc = document("laptop", &[(1, 0.0042), (2, 0.0023), (4, 0.0011)]);
    let svg = svg_of(&[doc], &ChartStyle::default());
    let seconds: Vec<&str> = numeric_texts(&svg)
        .into_iter()
        .filter(|t| t.len() > 3)
        .collect();
    assert!(seconds.len() >= 3, "{seconds:?}");
    assert!(
        seconds.iter().all(|t| t.len() == seconds[0].len()),
        "{seconds:?}"
    );
    assert!(
        seconds.contains(&"0.0000") || seconds.contains(&"0.000"),
        "{seconds:?}"
    );
}

#[test]
fn chart_small_panels_have_few_ticks() {
    let doc = document("phone", &[(1, 0.017), (2, 0.0062)]);
    // A phone's 3:4 canvas: the panels are stacked and about 170 px tall.
    let svg = svg_sized(&[doc], &ChartStyle::default(), (340, 450));
    let labels = numeric_texts(&svg);
    let decimals = labels.iter().filter(|t| t.contains('.')).count();
    assert!(decimals <= 8, "{labels:?}");
}

#[test]
fn chart_dark_style_and_empty_input() {
    let dark = ChartStyle {
        dark: true,
        ..ChartStyle::default()
    };
    let svg = svg_of(&[], &dark);
    assert!(svg.contains("#181A1B"), "dark background");
    assert!(svg.contains("Number of cores"));
}

fn small_document() -> SweepDocument {
    let dataset = ClassificationParams {
        n_samples: 120,
        n_features: 8,
        n_informative: 4,
        n_redundant: 2,
        ..ClassificationParams::default()
    };
    let forest = ForestParams {
        n_estimators: 6,
        ..ForestParams::default()
    };
    SweepDocument::new(
        "native",
        String::new(),
        Device::labelled("test"),
        Some(&dataset.check().unwrap()),
        &forest.check().unwrap(),
    )
}

/// The experiment of a document's parameters.
fn experiment_of(doc: &SweepDocument) -> Experiment {
    Experiment::new(
        &doc.dataset.as_ref().unwrap().check().unwrap(),
        &doc.forest.check().unwrap(),
    )
    .unwrap()
}

/// The plan of a document's parameters with these thread counts, repeats and hold-out share.
fn plan_of(
    doc: &SweepDocument,
    threads: &str,
    repeats: usize,
    test_size: f64,
) -> Result<Plan, Error> {
    Request {
        params: Parameters {
            dataset: doc.dataset.clone().unwrap(),
            forest: doc.forest.clone(),
            ..Parameters::default()
        },
        threads: Threads::from_text(threads)?,
        repeats,
        test_size,
        ..Request::default()
    }
    .check()
}

#[test]
fn run_sweep_times_every_thread_count_and_reports_progress() {
    let mut doc = small_document();
    let experiment = experiment_of(&doc);
    let plan = plan_of(&doc, "2,1", 2, 0.25).unwrap();
    let mut events = Vec::new();
    run_sweep(
        &mut doc,
        &experiment,
        &plan,
        &FitControl::default(),
        |event, so_far| {
            let event = match event {
                SweepEvent::FitFinished {
                    threads, repeat, ..
                } => format!("done {threads}/{repeat}"),
                SweepEvent::FitStarted { threads, repeat } => format!("start {threads}/{repeat}"),
                SweepEvent::PointAdded { threads } => {
                    format!("point {threads} of {}", so_far.points.len())
                }
                SweepEvent::QualityStarted => "quality".to_string(),
            };
            events.push(event);
        },
    )
    .unwrap();
    assert_eq!(
        events,
        [
            "start 2/0",
            "done 2/0",
            "start 2/1",
            "done 2/1",
            "point 2 of 1",
            "start 1/0",
            "done 1/0",
            "start 1/1",
            "done 1/1",
            "point 1 of 2",
            "quality"
        ]
    );
    let threads: Vec<usize> = doc.points.iter().map(|p| p.threads).collect();
    assert_eq!(threads, [1, 2]);
    assert!(doc.points.iter().all(|p| p.fit_seconds.len() == 2));
    assert!(doc.quality.oob_accuracy.is_some() && doc.quality.holdout_accuracy.is_some());
}

#[test]
fn fit_report_uses_sklearns_split() {
    let doc = small_document();
    let experiment = experiment_of(&doc);
    let report = experiment.fit_report(0.25, &FitControl::default()).unwrap();
    let (train, test) =
        train_test_split(120, 0.25, doc.dataset.as_ref().unwrap().random_state).unwrap();
    assert_eq!((report.n_train, report.n_test), (train.len(), test.len()));
    assert!(report.holdout_accuracy.is_some() && report.total_nodes >= 6);
    let all_rows = experiment.fit_report(0.0, &FitControl::default()).unwrap();
    assert_eq!((all_rows.n_train, all_rows.holdout_accuracy), (120, None));
}

#[test]
fn untimed_fit_counts_its_trees_and_matches_the_timed_one() {
    // The page's workers use `fit` (JS does the timing), the CLI `timed_fit`: same forest.
    let doc = small_document();
    let experiment = experiment_of(&doc);
    let control = FitControl::default();
    control.trees_done.store(99, Ordering::Relaxed);
    let forest = experiment.fit(&control).unwrap();
    assert_eq!(control.trees_done.load(Ordering::Relaxed), 6);
    let (timed, _) = experiment.timed_fit(&control).unwrap();
    assert_eq!(control.trees_done.load(Ordering::Relaxed), 6);
    assert_eq!(forest.total_nodes(), timed.total_nodes());
    assert_eq!(
        experiment.oob_accuracy(&forest),
        experiment.oob_accuracy(&timed)
    );
    assert!(experiment.oob_accuracy(&forest).is_some());
}

#[test]
fn no_plan_is_made_of_bad_values_and_a_cancelled_sweep_stops() {
    // A sweep runs only a checked plan, so these are refused before any data or fit.
    let bad_plans = [
        ("1", 0, 0.0, "repeats"),
        ("", 1, 0.0, "threads"),
        ("0", 1, 0.0, "threads"),
        ("1", 1, 1.5, "test_size"),
    ];
    let document = small_document();
    for (threads, repeats, test_size, param) in bad_plans {
        let error = plan_of(&document, threads, repeats, test_size).unwrap_err();
        assert_eq!(error.parameter(), Some(param), "{error}");
    }
    let experiment = experiment_of(&document);
    let control = FitControl::default();
    control
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let plan = plan_of(&document, "1", 1, 0.0).unwrap();
    let result = run_sweep(
        &mut small_document(),
        &experiment,
        &plan,
        &control,
        |_, _| {},
    );
    assert_eq!(result.unwrap_err(), Error::Cancelled);
}

/// A document's quality is read by the type of its workload: a fit carrying a grid search's
/// or a cross-validation's results says something impossible, and is refused naming the field.
#[test]
fn a_fit_document_with_another_workloads_quality_is_refused_naming_the_field() {
    let mut doc = small_document();
    doc.add_point(1, vec![0.5]);
    for (field, value) in [
        ("mean_test_score", serde_json::json!([0.5])),
        ("best_params", serde_json::json!({"max_features": 2})),
        ("cv_scores", serde_json::json!([0.5, 0.5])),
    ] {
        let mut value_of_doc: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
        value_of_doc["quality"][field] = value;
        let error = SweepDocument::from_json(&value_of_doc.to_string()).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(&format!("quality: unknown field `{field}`")),
            "{field}: {error}"
        );
    }
    assert!(SweepDocument::from_json(&doc.to_json()).is_ok());
}
