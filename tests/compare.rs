//! Documents side by side (src/sweep/compare.rs) and Amdahl's projection (src/sweep/stats.rs),
//! against values worked by hand.

use coresweep::chart::{ChartStyle, draw_sweep, draw_sweep_with_caption};
use coresweep::datasets::ClassificationParams;
use coresweep::forest::ForestParams;
use coresweep::parallel::Backend;
use coresweep::sweep::{
    Device, SweepDocument, amdahl_speedup, caption_lines, comparison_rows, comparison_text,
    difference_line, differences, series_names,
};
use plotters::prelude::IntoDrawingArea;

/// A blog-experiment document whose points have the given repeats.
fn document(label: &str, points: &[(usize, &[f64])]) -> SweepDocument {
    let mut doc = SweepDocument::new(
        "native",
        "2026-12-06T12:00:00Z".to_string(),
        Device::labelled(label),
        Some(&ClassificationParams::blog().check().unwrap()),
        &ForestParams::blog().check().unwrap(),
    );
    for &(threads, seconds) in points {
        doc.add_point(threads, seconds.to_vec());
    }
    doc
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn amdahl_speedup_matches_the_law_worked_by_hand() {
    // s = 0.1: 1 / (0.1 + 0.9/8) = 1 / 0.2125; 1 / (0.1 + 0.9/32) = 1 / 0.128125.
    assert!(close(amdahl_speedup(0.1, 8.0), 1.0 / 0.2125));
    assert!(close(amdahl_speedup(0.1, 32.0), 1.0 / 0.128125));
    assert!(close(amdahl_speedup(0.0, 64.0), 64.0));
    assert!(close(amdahl_speedup(1.0, 64.0), 1.0));
    // The example: s = 0.08125 gives 8 cores 5.1× and 32 cores 9.1×.
    assert!((amdahl_speedup(0.08125, 8.0) - 5.1).abs() < 0.01);
    assert!((amdahl_speedup(0.08125, 32.0) - 9.1).abs() < 0.01);
}

#[test]
fn projection_of_three_points_on_the_law_finds_their_serial_fraction() {
    // T(k) = 1 + 9/k exactly: T1 = 10, s = 1/10; no repeats, so no band.
    let doc = document("laptop", &[(1, &[10.0]), (2, &[5.5]), (4, &[3.25])]);
    let projection = doc.amdahl_projection().unwrap();
    assert!(close(projection.serial_fraction, 0.1));
    assert!(close(projection.low, 0.1) && close(projection.high, 0.1));
    assert_eq!(projection.measured_threads, 4);
    let curve = projection.curve();
    assert_eq!(curve.len(), 64 - 4 + 1, "from 4 to 64 cores");
    let (k, speedup, low, high) = curve[4];
    assert_eq!(k, 8.0);
    assert!(close(speedup, 1.0 / 0.2125) && close(low, speedup) && close(high, speedup));
    assert_eq!(
        projection.words(),
        "With this serial fraction, 8 cores would give about 4.7×, 32 cores about 7.8×: Amdahl's law, which ignores memory bandwidth, turbo and hyper-threads."
    );
}

#[test]
fn projection_band_spans_the_repeats_most_and_least_favourable_to_more_cores() {
    // Medians 10 and 6: a + b = 10, a + b/2 = 6, so b = 8, a = 2, s = 0.2.
    // Fewest threads slowest (11), the others fastest (5.5): b = 11, a = 0, s = 0.
    // Fewest threads fastest (9), the others slowest (6.5): b = 5, a = 4, s = 4/9.
    let doc = document("laptop", &[(1, &[9.0, 10.0, 11.0]), (2, &[5.5, 6.0, 6.5])]);
    let projection = doc.amdahl_projection().unwrap();
    assert!(close(projection.serial_fraction, 0.2));
    assert!(close(projection.low, 0.0));
    assert!(close(projection.high, 4.0 / 9.0));
    // From 2 cores: 4 and 16 named. s = 0.2: 1/(0.2 + 0.2) = 2.5, 1/(0.2 + 0.05) = 4.
    assert!(
        projection.words().starts_with(
            "With this serial fraction, 4 cores would give about 2.5×, 16 cores about 4.0×:"
        ),
        "{}",
        projection.words()
    );
    let (_, speedup, low, high) = projection.curve()[0];
    assert!(low < speedup && speedup < high);
}

#[test]
fn projection_is_refused_where_the_fit_means_nothing_and_says_why() {
    let why = |points: &[(usize, &[f64])]| document("a", points).amdahl_projection().unwrap_err();
    assert!(why(&[]).contains("at least two thread counts"));
    assert!(why(&[(1, &[10.0])]).contains("at least two thread counts, this sweep has 1"));
    assert!(why(&[(1, &[10.0]), (2, &[6.0])]).contains("one fit each"));
    assert!(why(&[(1, &[10.0, 7.0]), (2, &[6.0, 8.0])]).contains("overlap"));
    assert!(why(&[(1, &[5.0]), (2, &[6.0]), (4, &[7.0])]).contains("do not fall"));
    assert!(why(&[(16, &[4.0]), (32, &[2.5]), (64, &[2.0])]).contains("measured up to 64 already"));
}

#[test]
fn two_documents_of_one_label_get_names_of_their_own() {
    let a = document("laptop", &[(1, &[2.0])]);
    let names = series_names(
        &[a.clone(), a.clone(), a.clone(), document("phone", &[])],
        &["", "b.json", "b.json", "c.json"],
    );
    assert_eq!(
        names,
        [
            "laptop (this run)",
            "laptop (b.json)",
            "laptop (b.json) #2",
            "phone"
        ]
    );
}

#[test]
fn differences_name_each_parameter_and_both_values() {
    let this_run = document("a", &[]);
    let mut other = document("b", &[]);
    assert!(differences(&this_run, &other).is_empty());
    assert_eq!(difference_line("b.json", &this_run, &other), None);
    other.dataset.as_mut().unwrap().n_samples = 1000;
    other.forest.n_estimators = 20;
    other.forest.max_depth = Some(8);
    assert_eq!(
        difference_line("b.json", &this_run, &other).unwrap(),
        "b.json: n_samples 1000 (this run 10000), max_depth 8 (None), n_estimators 20 (500): its times do not compare"
    );
    other.backend = Backend::Workers;
    assert!(
        difference_line("b.json", &this_run, &other)
            .unwrap()
            .ends_with(
                "n_estimators 20 (500), backend workers (threads): its times do not compare"
            )
    );
}

#[test]
fn comparison_rows_hold_the_figures_worked_by_hand() {
    let mut laptop = document("laptop", &[(1, &[10.0]), (2, &[5.5]), (4, &[3.25])]);
    laptop.device.hardware_concurrency = Some(8);
    let phone = document("phone", &[]);
    let docs = [laptop, phone];
    let names = series_names(&docs, &[]);
    let rows = comparison_rows(&docs, &names);
    // Best at 4 threads: 10 / 3.25 = 3.08×, 77 % efficiency; s = 0.1.
    assert_eq!(
        rows[0],
        [
            "laptop",
            "8",
            "10.0",
            "3.25 s at 4",
            "3.1×",
            "77 %",
            "10 %",
            "threads"
        ]
    );
    assert_eq!(rows.len(), 1, "no row for a document without points");
    let single = document("phone", &[(2, &[4.0])]);
    // One point at 2 threads: T1 taken as 2 × 4 s (as if scaling were perfect up to 2).
    let rows = comparison_rows(std::slice::from_ref(&single), &["phone".to_owned()]);
    assert_eq!(
        rows[0],
        [
            "phone",
            "—",
            "—",
            "4.00 s at 2",
            "2.0×",
            "100 %",
            "—",
            "threads"
        ]
    );
    let text = comparison_text(&rows);
    assert!(text.starts_with("device  cores  1 thread"), "{text}");
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn caption_says_the_projection_then_what_differs() {
    let this_run = document("a", &[(1, &[10.0]), (2, &[5.5]), (4, &[3.25])]);
    let mut other = document("b", &[(1, &[3.0])]);
    other.forest.n_estimators = 100;
    let lines = caption_lines(&[this_run.clone(), other], &["", "b.json"]);
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("With this serial fraction"));
    assert_eq!(
        lines[1],
        "b.json: n_estimators 100 (this run 500): its times do not compare"
    );
    // Drawn into an SVG under the chart, with the projection in the speed-up panel.
    let mut svg = String::new();
    {
        let root = plotters_svg::SVGBackend::with_string(&mut svg, (1100, 530)).into_drawing_area();
        draw_sweep_with_caption(
            &root,
            std::slice::from_ref(&this_run),
            &[],
            &lines,
            &ChartStyle::default(),
        )
        .unwrap();
        root.present().unwrap();
    }
    assert!(svg.contains("n_estimators 100 (this run 500)"));
    assert!(
        svg.contains("Amdahl&apos;s law, projected") || svg.contains("Amdahl's law, projected")
    );
    // The projection's axis reaches 64 cores; without one it stops after the last point.
    let ticks = |svg: &str| svg.lines().any(|l| l.trim() == "60");
    assert!(ticks(&svg));
    let mut plain = String::new();
    {
        let root =
            plotters_svg::SVGBackend::with_string(&mut plain, (1100, 450)).into_drawing_area();
        let two = document("a", &[(1, &[10.0]), (2, &[6.0])]);
        draw_sweep(&root, &[two], &[], &ChartStyle::default()).unwrap();
        root.present().unwrap();
    }
    assert!(!ticks(&plain));
}
