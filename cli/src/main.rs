//! The `coresweep` command line: translates flags into engine calls and engine results into
//! text, JSON, CSV and SVG. Computation lives in the library.
//!
//! A face of the engine: it may import the engine (`coresweep`), clap, indicatif and
//! plotters-svg; nothing imports it.

mod args;
mod progress;

use args::{Cli, Command, FitArgs, Format, MakeClassificationArgs, SweepArgs};
use clap::FromArgMatches;
use clap::error::ErrorKind;
use coresweep::Error;
use coresweep::chart::{ChartStyle, draw_sweep};
use coresweep::datasets::Dataset;
use coresweep::forest::FitControl;
use coresweep::plan::{Plan, Request};
use coresweep::registry::Parameters;
use coresweep::sweep::{
    Device, Experiment, MAX_DOCUMENT_BYTES, SweepDocument, SweepEvent, run_sweep, thread_pool,
};
use plotters::prelude::IntoDrawingArea;
use progress::Progress;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

/// Why the command failed, and so its exit code.
enum Failure {
    /// Bad input (flags, parameters, results files): exit code 2, like clap's own errors.
    Usage(String),
    /// The work could not be done or written: exit code 1.
    Runtime(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match error {
            Error::Cancelled => Failure::Runtime(error.to_string()),
            other => Failure::Usage(flag_message(&other)),
        }
    }
}

/// The engine's message with sklearn's parameter name replaced by the flag that sets it.
fn flag_message(error: &Error) -> String {
    let text = error.to_string();
    match error.parameter() {
        Some(param) => {
            let flag = format!("--{}", param.replace('_', "-"));
            match text.strip_prefix(param) {
                Some(rest) => format!("{flag}{rest}"),
                None => format!("{flag}: {text}"),
            }
        }
        None => text,
    }
}

fn main() -> ExitCode {
    let (cli, matches) = match args::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)))
    {
        Ok(parsed) => parsed,
        Err(error) if !error.use_stderr() => {
            // --help and --version; a closed stdout (`| head`) is not an error here.
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            return ExitCode::from(2);
        }
        Err(error) => {
            // A value the engine's text readers refused: their words, as the page shows them.
            let engine = std::error::Error::source(&error).and_then(|e| e.downcast_ref::<Error>());
            match engine {
                Some(engine) => eprintln!("error: {}", flag_message(engine)),
                None => eprintln!(
                    "{}",
                    error
                        .to_string()
                        .lines()
                        .next()
                        .unwrap_or("error: invalid arguments")
                ),
            }
            return ExitCode::from(2);
        }
    };
    let result = args::parameters(&matches)
        .map_err(Failure::from)
        .and_then(|params| match &cli.command {
            Command::MakeClassification(args) => make_classification(args, &params),
            Command::Fit(args) => fit(args, params, cli.quiet),
            Command::Sweep(args) => sweep(args, params, cli.quiet),
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn make_classification(args: &MakeClassificationArgs, params: &Parameters) -> Result<(), Failure> {
    let data = params.dataset.check()?.generate();
    let text = match args.format {
        Format::Csv => dataset_csv(&data),
        Format::Json => dataset_json(&data),
    };
    write_output(args.output.as_deref(), "--output", &text)
}

/// Header `x0,…,x{F-1},y`, one row per sample, floats in shortest round-trip form.
fn dataset_csv(data: &Dataset) -> String {
    let mut out = String::with_capacity(data.x.len() * 20);
    for j in 0..data.n_features {
        out.push_str(&format!("x{j},"));
    }
    out.push_str("y\n");
    if data.n_features == 0 {
        for y in &data.y {
            out.push_str(&format!("{y}\n"));
        }
        return out;
    }
    for (row, y) in data.x.chunks(data.n_features).zip(&data.y) {
        for v in row {
            out.push_str(&format!("{v:?},"));
        }
        out.push_str(&format!("{y}\n"));
    }
    out
}

fn dataset_json(data: &Dataset) -> String {
    let rows: Vec<&[f64]> = if data.n_features == 0 {
        vec![&[]; data.n_samples]
    } else {
        data.x.chunks(data.n_features).collect()
    };
    let mut text = serde_json::json!({ "X": rows, "y": data.y }).to_string();
    text.push('\n');
    text
}

fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn fit(args: &FitArgs, params: Parameters, quiet: bool) -> Result<(), Failure> {
    let threads = args.threads.unwrap_or_else(available_threads);
    let plan = checked_plan(Request {
        params,
        threads: threads.to_string(),
        test_size: args.test_size,
        ..native_request()
    })?;
    let test_size = plan.test_size();
    let experiment = Experiment::new(plan.dataset(), plan.forest())?;
    let control = FitControl::default();
    let progress = Progress::new(quiet, experiment.n_estimators() as u64, "fitting");
    let pool = thread_pool(threads)?;
    let report = progress.run(
        || u64::from(control.trees_done.load(Ordering::Relaxed)),
        || pool.install(|| experiment.fit_report(test_size, &control)),
    )?;
    if args.json {
        let mut object = serde_json::json!({
            "fit_seconds": report.fit_seconds,
            "oob_accuracy": report.oob_accuracy,
            "total_nodes": report.total_nodes,
            "threads": threads,
            "n_estimators": experiment.n_estimators(),
            "n_train": report.n_train,
        });
        if test_size > 0.0 {
            object["holdout_accuracy"] = serde_json::json!(report.holdout_accuracy);
            object["n_test"] = serde_json::json!(report.n_test);
        }
        write_output(None, "", &format!("{object}\n"))
    } else {
        let mut text = format!(
            "fit: {:.3} s with {threads} thread(s), {} trees, {} nodes, {} training rows\n",
            report.fit_seconds,
            experiment.n_estimators(),
            report.total_nodes,
            report.n_train
        );
        text.push_str(&format!(
            "out-of-bag accuracy: {}\n",
            accuracy_text(report.oob_accuracy)
        ));
        if test_size > 0.0 {
            text.push_str(&format!(
                "hold-out accuracy: {} ({} rows)\n",
                accuracy_text(report.holdout_accuracy),
                report.n_test
            ));
        }
        write_output(None, "", &text)
    }
}

/// The request every command starts from: this machine's cores and memory.
fn native_request() -> Request {
    Request {
        cores: available_threads(),
        memory_limit_bytes: machine_memory_bytes(),
        ..Request::default()
    }
}

/// Checks the request before any data is made (so a bad value is named as such and nothing
/// is generated or written), and warns on stderr before a run estimated to take minutes.
fn checked_plan(request: Request) -> Result<Plan, Failure> {
    let plan = request.check()?;
    if let Some(warning) = plan.warning() {
        eprintln!("warning: {warning}");
    }
    Ok(plan)
}

/// Physical memory (Linux's MemTotal), or 64 GiB where it cannot be read.
fn machine_memory_bytes() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib.saturating_mul(1024))
        })
        .unwrap_or(64 << 30)
}

fn accuracy_text(accuracy: Option<f64>) -> String {
    accuracy.map_or_else(|| "n/a".to_string(), |a| format!("{a:.4}"))
}

fn sweep(args: &SweepArgs, params: Parameters, quiet: bool) -> Result<(), Failure> {
    // Checked first, so that a bad value leaves no results file behind.
    let plan = checked_plan(Request {
        params,
        threads: args.threads.clone(),
        repeats: args.repeats,
        test_size: args.test_size,
        ..native_request()
    })?;
    let compared = read_documents(&args.compare)?;
    let device = Device {
        label: args.label.clone(),
        hardware_concurrency: u32::try_from(available_threads()).ok(),
        ..Device::default()
    };
    // Made before the first save, so that data the forest refuses (a class_sep so large that
    // X overflows float32) leaves no results file behind either.
    let experiment = Experiment::new(plan.dataset(), plan.forest())?;
    let n_estimators = experiment.n_estimators() as u64;
    let mut document = SweepDocument::new(
        "native",
        now_iso8601(),
        device,
        plan.dataset(),
        plan.forest(),
    );

    // Written before the first fit so that a bad path fails at once, and after every point
    // so that a long sweep cut short keeps what it measured.
    save(args, &document, &compared)?;
    let fits = (plan.threads().len() * plan.repeats()) as u64;
    let progress = Progress::new(quiet, fits * n_estimators, "sweeping");
    let control = FitControl::default();
    let fits_done = AtomicU64::new(0);
    progress.run(
        || {
            fits_done.load(Ordering::Relaxed) * n_estimators
                + u64::from(control.trees_done.load(Ordering::Relaxed))
        },
        || {
            run_sweep(
                &mut document,
                &experiment,
                &plan,
                &control,
                |event, so_far| match event {
                    SweepEvent::FitStarted { threads, repeat } => progress.message(format!(
                        "{threads} thread(s), fit {}/{}",
                        repeat + 1,
                        plan.repeats()
                    )),
                    SweepEvent::FitFinished {
                        threads, seconds, ..
                    } => {
                        fits_done.fetch_add(1, Ordering::Relaxed);
                        progress.log(format!("{threads} thread(s): {seconds:.3} s"));
                    }
                    SweepEvent::PointAdded { .. } => {
                        // The final save below reports a failure; this one only keeps progress.
                        let _ = save(args, so_far, &compared);
                    }
                    SweepEvent::QualityStarted => progress.message("hold-out fit".to_string()),
                },
            )
        },
    )?;
    save(args, &document, &compared)?;
    write_output(None, "", &summary(&document))
}

/// Writes the results document (`-o`) and the chart (`--svg`, with the compared documents).
fn save(
    args: &SweepArgs,
    document: &SweepDocument,
    compared: &[SweepDocument],
) -> Result<(), Failure> {
    if let Some(path) = &args.output {
        write_output(Some(path), "--output", &document.to_json())?;
    }
    if let Some(path) = &args.svg {
        let mut docs = vec![document.clone()];
        docs.extend_from_slice(compared);
        let style = ChartStyle {
            dark: args.dark,
            ..ChartStyle::default()
        };
        write_output(Some(path), "--svg", &svg_chart(&docs, &style)?)?;
    }
    Ok(())
}

fn read_documents(paths: &[PathBuf]) -> Result<Vec<SweepDocument>, Failure> {
    paths
        .iter()
        .map(|path| {
            let refuse = |message: String| {
                Failure::Usage(format!("--compare {}: {message}", path.display()))
            };
            // Read no more than the limit allows, so a huge file or a device (/dev/zero) is
            // refused without being loaded.
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .and_then(|file| {
                    file.take(MAX_DOCUMENT_BYTES as u64 + 1)
                        .read_to_end(&mut bytes)
                })
                .map_err(|e| refuse(e.to_string()))?;
            if bytes.len() > MAX_DOCUMENT_BYTES {
                return Err(refuse(format!(
                    "results file: is over the limit of {MAX_DOCUMENT_BYTES} bytes (4 MiB)"
                )));
            }
            let text = String::from_utf8(bytes)
                .map_err(|_| refuse("results file: is not UTF-8 text".to_string()))?;
            SweepDocument::from_json(&text).map_err(|e| refuse(e.to_string()))
        })
        .collect()
}

fn svg_chart(docs: &[SweepDocument], style: &ChartStyle) -> Result<String, Failure> {
    let mut svg = String::new();
    {
        let root = plotters_svg::SVGBackend::with_string(&mut svg, (1100, 450)).into_drawing_area();
        draw_sweep(&root, docs, style).map_err(|e| Failure::Runtime(e.to_string()))?;
        root.present()
            .map_err(|e| Failure::Runtime(format!("chart: {e}")))?;
    }
    Ok(svg)
}

/// The table printed after a sweep: the points and the numbers derived from them.
fn summary(document: &SweepDocument) -> String {
    let mut out = String::from("threads  median s  speed-up  efficiency\n");
    let speedups = document.speedups();
    let efficiencies = document.efficiencies();
    for ((point, (_, speedup)), (_, efficiency)) in
        document.points.iter().zip(&speedups).zip(&efficiencies)
    {
        out.push_str(&format!(
            "{:>7}  {:>8.3}  {:>8.2}  {:>10.2}\n",
            point.threads, point.median_seconds, speedup, efficiency
        ));
    }
    if let Some(s) = document.amdahl_serial_fraction() {
        out.push_str(&format!("Amdahl serial fraction: {s:.3}\n"));
    }
    out.push_str(&format!(
        "out-of-bag accuracy: {}\n",
        accuracy_text(document.quality.oob_accuracy)
    ));
    if document.quality.holdout_accuracy.is_some() {
        out.push_str(&format!(
            "hold-out accuracy: {}\n",
            accuracy_text(document.quality.holdout_accuracy)
        ));
    }
    out
}

fn now_iso8601() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Writes `text` to `path` (set by `flag`), or to stdout without one; errors name the flag
/// and the file.
fn write_output(path: Option<&Path>, flag: &str, text: &str) -> Result<(), Failure> {
    let result = match path {
        Some(path) => std::fs::write(path, text),
        None => std::io::stdout().lock().write_all(text.as_bytes()),
    };
    match (result, path) {
        (Ok(()), _) => Ok(()),
        // A reader that stopped early (`| head`) wanted no more.
        (Err(e), None) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        (Err(e), None) => Err(Failure::Runtime(format!("stdout: {e}"))),
        (Err(e), Some(path)) => Err(Failure::Runtime(format!("{flag} {}: {e}", path.display()))),
    }
}
