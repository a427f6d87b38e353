//! Documents side by side: the name each gets in a chart's legend and a table (unique, even
//! for two runs of one machine), what each differs in from the first one (so that times of
//! different experiments are never silently compared), and the comparison table. The page and
//! the CLI both show these words, so they say the same thing.

use super::SweepDocument;
use super::stats::ratio_text;
use serde::Serialize;

/// The backend of a document: how its threads ran, `"threads"` or `"workers"`.
fn backend(doc: &SweepDocument) -> &'static str {
    doc.backend.name()
}

/// The name of each document in a legend or a table: its device label (or its engine without
/// one), with its workload when the documents time different workloads, and its data when
/// they were made on different data; a name two documents share gets the file it came from
/// (`sources[i]`; "this run" for the first document without one) and then a number, so every
/// document has a name of its own. `sources` may be shorter than `docs`.
///
/// ```
/// use coresweep::sweep::{Device, SweepDocument, series_names};
/// # use coresweep::datasets::ClassificationParams;
/// # use coresweep::forest::ForestParams;
/// # let doc = |label: &str| SweepDocument::new("native", String::new(), Device::labelled(label),
/// #     Some(&ClassificationParams::blog().check().unwrap()), &ForestParams::blog().check().unwrap());
/// let docs = [doc("laptop"), doc("laptop"), doc("phone")];
/// assert_eq!(series_names(&docs, &["", "a.json", "b.json"]),
///     ["laptop (this run)", "laptop (a.json)", "phone"]);
/// ```
pub fn series_names(docs: &[SweepDocument], sources: &[&str]) -> Vec<String> {
    let mixed = docs.windows(2).any(|w| w[0].workload != w[1].workload);
    let other_data = docs.windows(2).any(|w| !w[0].same_table(&w[1]));
    let mut names: Vec<String> = docs
        .iter()
        .map(|doc| {
            let mut name = if doc.device.label.is_empty() {
                doc.engine.clone()
            } else {
                doc.device.label.clone()
            };
            if mixed {
                name.push_str(&format!(" · {}", doc.workload.label()));
            }
            if other_data {
                name.push_str(&format!(" · {}", doc.data_label()));
            }
            name
        })
        .collect();
    let shared = |names: &[String], i: usize| names.iter().filter(|n| **n == names[i]).count() > 1;
    let with_sources: Vec<String> = (0..names.len())
        .map(|i| {
            if !shared(&names, i) {
                return names[i].clone();
            }
            match sources.get(i).copied().filter(|s| !s.is_empty()) {
                Some(source) => format!("{} ({source})", names[i]),
                None if i == 0 => format!("{} (this run)", names[i]),
                None => names[i].clone(),
            }
        })
        .collect();
    names = with_sources;
    // The same file twice, or no files: number the later ones.
    for i in 0..names.len() {
        let earlier = names[..i].iter().filter(|n| **n == names[i]).count();
        if earlier > 0 {
            names[i] = format!("{} #{}", names[i], earlier + 1);
        }
    }
    names
}

/// What `other` differs in from `reference` in what was fitted: the data (each
/// make_classification parameter, or the table), each forest parameter, the workload and its
/// parameters, and the backend; each as `name value (reference's value)`, the first one saying
/// "this run". Empty when the experiments are the same.
///
/// ```
/// use coresweep::sweep::{Device, SweepDocument, differences};
/// # use coresweep::datasets::ClassificationParams;
/// # use coresweep::forest::ForestParams;
/// let mut data = ClassificationParams::blog();
/// let forest = ForestParams::blog().check()?;
/// let this_run = SweepDocument::new("native", String::new(), Device::labelled("a"),
///     Some(&data.check()?), &forest);
/// data.n_samples = 1000;
/// let other = SweepDocument::new("native", String::new(), Device::labelled("b"),
///     Some(&data.check()?), &forest);
/// assert_eq!(differences(&this_run, &other), ["n_samples 1000 (this run 10000)"]);
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn differences(reference: &SweepDocument, other: &SweepDocument) -> Vec<String> {
    let mut found: Vec<(String, String, String)> = Vec::new();
    match (&reference.dataset, &other.dataset) {
        (Some(ours), Some(theirs)) => fields_differ(ours, theirs, &mut found),
        _ if !reference.same_table(other) => found.push((
            "data".to_owned(),
            other.data_label(),
            reference.data_label(),
        )),
        _ => {}
    }
    fields_differ(&reference.forest, &other.forest, &mut found);
    if reference.workload.kind != other.workload.kind {
        found.push((
            "workload".to_owned(),
            other.workload.kind.name().to_owned(),
            reference.workload.kind.name().to_owned(),
        ));
    } else {
        fields_differ(&reference.workload, &other.workload, &mut found);
    }
    if backend(reference) != backend(other) {
        found.push((
            "backend".to_owned(),
            backend(other).to_owned(),
            backend(reference).to_owned(),
        ));
    }
    found
        .into_iter()
        .enumerate()
        .map(|(i, (name, theirs, ours))| {
            let ours = if i == 0 {
                format!("this run {ours}")
            } else {
                ours
            };
            format!("{name} {theirs} ({ours})")
        })
        .collect()
}

/// The differences of `other` from `reference` in a line, named `name`: "b.json: n_samples
/// 1000 (this run 2000), n_estimators 20 (100): its times do not compare". `None` when the
/// experiments are the same.
pub fn difference_line(
    name: &str,
    reference: &SweepDocument,
    other: &SweepDocument,
) -> Option<String> {
    let found = differences(reference, other);
    (!found.is_empty()).then(|| format!("{name}: {}: its times do not compare", found.join(", ")))
}

/// Adds `(name, theirs, ours)` for each field of two serialisable values that differs (fields
/// one of them lacks count as `None`).
fn fields_differ<T: Serialize>(ours: &T, theirs: &T, found: &mut Vec<(String, String, String)>) {
    let (Ok(serde_json::Value::Object(ours)), Ok(serde_json::Value::Object(theirs))) =
        (serde_json::to_value(ours), serde_json::to_value(theirs))
    else {
        return;
    };
    let mut keys: Vec<&String> = ours.keys().collect();
    keys.extend(theirs.keys().filter(|k| !ours.contains_key(*k)));
    let none = serde_json::Value::Null;
    for key in keys {
        let (a, b) = (
            ours.get(key).unwrap_or(&none),
            theirs.get(key).unwrap_or(&none),
        );
        if a != b {
            found.push((key.clone(), python_text(b), python_text(a)));
        }
    }
}

/// A JSON value written as Python would: `None`, `True`, `sqrt`, `[1, 2]`.
fn python_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "None".to_owned(),
        serde_json::Value::Bool(true) => "True".to_owned(),
        serde_json::Value::Bool(false) => "False".to_owned(),
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(values) => format!(
            "[{}]",
            values
                .iter()
                .map(python_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        serde_json::Value::Object(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(k, v)| format!("{k}: {}", python_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// The comparison table's columns.
pub const COMPARISON_COLUMNS: [&str; 8] = [
    "device",
    "cores",
    "1 thread",
    "best",
    "speed-up",
    "efficiency",
    "serial fraction",
    "backend",
];

/// One row per document, as text: its name, its logical cores, its 1-thread time, its best
/// time and at how many threads, the best speed-up, the efficiency there, the serial fraction
/// and the backend. A document without points has no row; a figure that cannot be had (no
/// 1-thread point, a single point's serial fraction) is a dash.
pub fn comparison_rows(docs: &[SweepDocument], names: &[String]) -> Vec<Vec<String>> {
    const NONE: &str = "—";
    docs.iter()
        .zip(names)
        .filter(|(doc, _)| !doc.points.is_empty())
        .map(|(doc, name)| {
            let cores = doc
                .device
                .hardware_concurrency
                .map_or(NONE.to_owned(), |c| c.to_string());
            let one = doc
                .points
                .iter()
                .find(|p| p.threads == 1)
                .map_or(NONE.to_owned(), |p| seconds_text(p.median_seconds));
            let best = doc
                .points
                .iter()
                .min_by(|a, b| a.median_seconds.total_cmp(&b.median_seconds));
            let speedup =
                best.and_then(|best| doc.speedups().into_iter().find(|&(k, _)| k == best.threads));
            let serial = doc
                .amdahl_serial_fraction()
                .filter(|_| doc.points.len() >= 2);
            vec![
                name.clone(),
                cores,
                one,
                best.map_or(NONE.to_owned(), |p| {
                    format!("{} s at {}", seconds_text(p.median_seconds), p.threads)
                }),
                speedup.map_or(NONE.to_owned(), |(_, s)| ratio_text(s)),
                speedup.map_or(NONE.to_owned(), |(k, s)| percent_text(s / k as f64)),
                serial.map_or(NONE.to_owned(), percent_text),
                backend(doc).to_owned(),
            ]
        })
        .collect()
}

/// The comparison table as aligned text for a terminal: a header line, then one line per row.
pub fn comparison_text(rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = COMPARISON_COLUMNS
        .iter()
        .map(|c| c.chars().count())
        .collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let padded: Vec<String> = cells
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(&mut COMPARISON_COLUMNS.iter().copied());
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

/// Seconds with as many decimals as a person needs to compare them (the page's rule too).
fn seconds_text(seconds: f64) -> String {
    if seconds >= 100.0 {
        format!("{seconds:.0}")
    } else if seconds >= 10.0 {
        format!("{seconds:.1}")
    } else if seconds >= 1.0 {
        format!("{seconds:.2}")
    } else {
        format!("{seconds:.3}")
    }
}

/// A fraction as a whole percentage: `8 %`.
fn percent_text(fraction: f64) -> String {
    format!("{} %", (fraction * 100.0).round())
}

/// The lines under a chart of `docs` (the first one this run's): what Amdahl's law projects
/// for it, or why it cannot, then, for each other document that differs in what was fitted,
/// a line saying how (named by its file, else its series name).
pub fn caption_lines(docs: &[SweepDocument], sources: &[&str]) -> Vec<String> {
    let Some((first, others)) = docs.split_first() else {
        return Vec::new();
    };
    let names = series_names(docs, sources);
    let mut lines = Vec::new();
    if !first.points.is_empty() {
        lines.push(match first.amdahl_projection() {
            Ok(projection) => projection.words(),
            Err(why) => why,
        });
    }
    for (i, other) in others.iter().enumerate() {
        // The file's name, unless two documents came from files of one name.
        let name = sources
            .get(i + 1)
            .copied()
            .filter(|s| !s.is_empty() && sources.iter().filter(|t| *t == s).count() == 1)
            .unwrap_or(&names[i + 1]);
        lines.extend(difference_line(name, first, other));
    }
    lines
}
