//! The `coresweep` command line: translates flags into engine calls and engine results into
//! text, JSON, CSV and SVG. Computation lives in the library.
//!
//! A face of the engine: it may import the engine (`coresweep`), clap, indicatif and
//! plotters-svg; nothing imports it.

mod args;
mod progress;

use args::{
    Cli, Command, DataArgs, FitArgs, Format, GridSearchArgs, MakeClassificationArgs, SequelArgs,
    SweepArgs,
};
use clap::error::ErrorKind;
use clap::{ArgMatches, FromArgMatches};
use coresweep::Error;
use coresweep::chart::{ChartStyle, draw_sweep_with_caption};
use coresweep::datasets::{Dataset, TableInfo, TableOptions};
use coresweep::forest::FitControl;
use coresweep::model_selection::parameter_grid;
use coresweep::numeric::mean;
use coresweep::plan::{Plan, Request, TableSource, Threads, Workload};
use coresweep::registry::{Parameters, experiment_text, json_value};
use coresweep::sweep::{
    Device, Experiment, MAX_DOCUMENT_BYTES, Outcome, SweepDocument, SweepEvent, WorkloadReport,
    caption_lines, comparison_rows, comparison_text, run_sweep, series_names, thread_pool,
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
            let flag = args::flag(param);
            match text.strip_prefix(param) {
                Some(rest) => format!("{flag}{rest}"),
                None => format!("{flag}: {text}"),
            }
        }
        None => text,
    }
}

fn main() -> ExitCode {
    let (cli, matches) = match parse_arguments() {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    match run(&cli, &matches) {
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

/// The command line read by clap, or the exit code once clap's own output (help, version,
/// a refusal on one line) is printed.
fn parse_arguments() -> Result<(Cli, ArgMatches), ExitCode> {
    let error = match args::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)))
    {
        Ok(parsed) => return Ok(parsed),
        Err(error) => error,
    };
    if !error.use_stderr() {
        // --help and --version; a closed stdout (`| head`) is not an error here.
        let _ = error.print();
        return Err(ExitCode::SUCCESS);
    }
    match error.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
        }
        ErrorKind::MissingRequiredArgument => {
            // "…were not provided:" and the flags on the lines after it, as one line.
            let text = error.to_string();
            let lines: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
            eprintln!(
                "{}",
                lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
            );
        }
        _ => {
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
        }
    }
    Err(ExitCode::from(2))
}

/// Runs the command: its request made of the flags (and of `sweep --like FILE`'s document,
/// which the flags given change), then its work.
fn run(cli: &Cli, matches: &ArgMatches) -> Result<(), Failure> {
    let like = match &cli.command {
        Command::Sweep(SweepArgs {
            like: Some(path), ..
        }) => Some(read_document("--like", path).and_then(|doc| like_request(&doc, path))?),
        _ => None,
    };
    let workload = match &cli.command {
        Command::Sweep(args) => args
            .workload
            .or(like.as_ref().map(|like| like.request.workload))
            .unwrap_or_default(),
        _ => args::command_workload(matches.subcommand_name().unwrap_or_default()),
    };
    let data_args = match &cli.command {
        Command::MakeClassification(_) => None,
        Command::Fit(args) => Some(&args.data),
        Command::CrossVal(args) => Some(&args.data),
        Command::GridSearch(args) => Some(&args.sequel.data),
        Command::Sweep(args) => Some(&args.data),
    };
    let start = like
        .as_ref()
        .map_or_else(|| workload.defaults(), |like| like.request.params.clone());
    let request = Request {
        params: args::parameters(matches, start)?,
        data: table_source(data_args, like.as_ref())?,
        dataset_given: args::dataset_given(matches),
        ..native_request()
    };
    match &cli.command {
        Command::MakeClassification(args) => make_classification(args, &request.params),
        Command::Fit(args) => fit(args, request, cli.quiet),
        Command::CrossVal(args) => cross_val(args, request, cli.quiet),
        Command::GridSearch(args) => grid_search(args, request, cli.quiet),
        Command::Sweep(args) => sweep(args, matches, like.as_ref(), request, cli.quiet),
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

/// The table `--data` names, if any. Its length is read from the file system, so that a file
/// too large is refused unread; the engine opens and reads it when the plan is checked (and
/// refuses make_classification's flags beside it).
fn table_source(
    args: Option<&DataArgs>,
    like: Option<&Like>,
) -> Result<Option<TableSource>, Failure> {
    let liked_table = like.and_then(|like| like.table.as_ref());
    let Some(DataArgs {
        data: Some(path),
        target,
        drop,
        delimiter,
    }) = args
    else {
        return match liked_table {
            Some(table) => Err(Failure::Usage(format!(
                "--like: the result was fitted on the table {}: give that file with --data",
                table_record(table)
            ))),
            None => Ok(None),
        };
    };
    let refuse = |e: std::io::Error| Failure::Usage(format!("--data {}: {e}", path.display()));
    let length = std::fs::metadata(path).map_err(refuse)?.len();
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let options = TableOptions {
        delimiter: *delimiter,
        // The liked result's target, unless another is given.
        target: target
            .clone()
            .or_else(|| liked_table.map(|table| table.target.clone())),
        drop: drop.clone(),
    };
    let path = path.clone();
    Ok(Some(TableSource::from_reader(
        &name,
        length,
        options,
        move || std::fs::File::open(&path),
    )))
}

fn fit(args: &FitArgs, request: Request, quiet: bool) -> Result<(), Failure> {
    let threads = args.threads.unwrap_or_else(available_threads);
    let plan = checked_plan(Request {
        threads: Threads::Counts(vec![threads]),
        test_size: args.test_size,
        ..request
    })?;
    let test_size = plan.test_size();
    let experiment = Experiment::of_data(&plan)?;
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
        if let Some(table) = plan.table() {
            object["table"] = serde_json::json!(table.info);
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

/// Runs a cross-validation or grid search once with `args.threads` threads (all cores by
/// default): the plan is checked before any data is made, the folds against the classes
/// right after, and a progress bar counts the trees of all fits.
fn run_sequel(
    workload: Workload,
    args: &SequelArgs,
    request: Request,
    grid: &[(String, Vec<String>)],
    quiet: bool,
) -> Result<(Plan, WorkloadReport, usize), Failure> {
    let threads = args.threads.unwrap_or_else(available_threads);
    let plan = checked_plan(Request {
        workload,
        grid: grid.to_vec(),
        threads: Threads::Counts(vec![threads]),
        ..request
    })?;
    let experiment = Experiment::for_plan(&plan)?;
    let control = FitControl::default();
    let progress = Progress::new(quiet, experiment.workload_trees() as u64, "fitting");
    let pool = thread_pool(threads)?;
    let report = progress.run(
        || u64::from(control.trees_done.load(Ordering::Relaxed)),
        || pool.install(|| experiment.run_workload(&control)),
    )?;
    Ok((plan, report, threads))
}

/// The workload's own parameters as the JSON output names them.
fn workload_json(plan: &Plan, threads: usize) -> serde_json::Value {
    let w = plan.model_selection();
    serde_json::json!({
        "threads": threads,
        "parallel": w.parallel.name(),
        "cv": w.cv,
        "cv_repeats": w.cv_repeats,
    })
}

fn cross_val(args: &SequelArgs, request: Request, quiet: bool) -> Result<(), Failure> {
    let (plan, report, threads) = run_sequel(Workload::CrossValScore, args, request, &[], quiet)?;
    let Outcome::CrossValScore { scores } = &report.outcome else {
        unreachable!("a cross-validation plan gives fold scores");
    };
    let mean_score = mean(scores);
    if args.json {
        let mut object = workload_json(&plan, threads);
        object["scores"] = serde_json::json!(scores);
        object["mean_score"] = serde_json::json!(mean_score);
        object["fit_seconds"] = serde_json::json!(report.seconds);
        return write_output(None, "", &format!("{object}\n"));
    }
    let text = format!(
        "cross_val_score: {:.3} s with {threads} thread(s) ({} level), {} folds\nmean accuracy: {mean_score:.4}\nscores: {}\n",
        report.seconds,
        plan.parallel().name(),
        scores.len(),
        scores
            .iter()
            .map(|s| format!("{s:.4}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    write_output(None, "", &text)
}

fn grid_search(args: &GridSearchArgs, request: Request, quiet: bool) -> Result<(), Failure> {
    let (plan, report, threads) = run_sequel(
        Workload::GridSearch,
        &args.sequel,
        request,
        &args.grid,
        quiet,
    )?;
    let Outcome::GridSearch(search) = &report.outcome else {
        unreachable!("a grid-search plan gives a search");
    };
    let candidates: Vec<serde_json::Map<String, serde_json::Value>> = parameter_grid(plan.grid())
        .into_iter()
        .map(|candidate| {
            candidate
                .into_iter()
                .map(|(name, value)| (name, json_value(&value)))
                .collect()
        })
        .collect();
    let best_params = &candidates[search.best_index];
    if args.sequel.json {
        let mut object = workload_json(&plan, threads);
        object["params"] = serde_json::json!(candidates);
        object["mean_test_score"] = serde_json::json!(search.mean_test_score);
        object["std_test_score"] = serde_json::json!(search.std_test_score);
        object["rank_test_score"] = serde_json::json!(search.rank_test_score);
        object["best_params"] = serde_json::json!(best_params);
        object["best_score"] = serde_json::json!(search.best_score);
        object["fit_seconds"] = serde_json::json!(report.seconds);
        return write_output(None, "", &format!("{object}\n"));
    }
    let mut text = format!(
        "GridSearchCV.fit: {:.3} s with {threads} thread(s) ({} level), {} candidates x {} folds + refit\n",
        report.seconds,
        plan.parallel().name(),
        candidates.len(),
        search.split_test_scores.first().map_or(0, Vec::len)
    );
    for (i, candidate) in candidates.iter().enumerate() {
        text.push_str(&format!(
            "rank {:>3}  mean {:.4}  std {:.4}  {}\n",
            search.rank_test_score[i],
            search.mean_test_score[i],
            search.std_test_score[i],
            serde_json::Value::Object(candidate.clone())
        ));
    }
    text.push_str(&format!(
        "best: {} with {:.4}\n",
        serde_json::Value::Object(best_params.clone()),
        search.best_score
    ));
    write_output(None, "", &text)
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

fn sweep(
    args: &SweepArgs,
    matches: &ArgMatches,
    like: Option<&Like>,
    request: Request,
    quiet: bool,
) -> Result<(), Failure> {
    // The cores "all" stands for are the ones the document says the machine has.
    let cores = request.cores;
    // Checked first, so that a bad value leaves no results file behind.
    let plan = checked_plan(sweep_request(args, matches, like, request))?;
    if let (Some(wanted), Some(table)) = (like.and_then(|like| like.table.as_ref()), plan.table())
        && table.info.sha256 != wanted.sha256
    {
        return Err(Failure::Usage(format!(
            "--data {}: not the table the --like result was fitted on, {} (its SHA-256 is {})",
            table.info.name,
            table_record(wanted),
            table.info.sha256
        )));
    }
    let compared = read_documents(&args.compare)?;
    let device = Device {
        label: args.label.clone().unwrap_or_else(|| machine_label(cores)),
        hardware_concurrency: u32::try_from(cores).ok(),
        ..Device::default()
    };
    // Made before the first save, so that data the forest refuses (a class_sep so large that
    // X overflows float32) leaves no results file behind either.
    let experiment = Experiment::for_plan(&plan)?;
    let mut document = SweepDocument::for_plan("native", now_iso8601(), device, &plan);
    // Written before the first fit so that a bad path fails at once, and after every point
    // so that a long sweep cut short keeps what it measured.
    save(args, &document, &compared)?;
    run_points(args, &plan, &experiment, &mut document, &compared, quiet)?;
    save(args, &document, &compared)?;
    write_output(None, "", &sweep_text(&document, &compared))
}

/// The sweep's request: a liked result's workload, grid, thread counts and repeats, unless
/// given.
fn sweep_request(
    args: &SweepArgs,
    matches: &ArgMatches,
    like: Option<&Like>,
    request: Request,
) -> Request {
    let liked = like.map(|like| &like.request);
    let grid = match liked {
        Some(liked) if args.grid.is_empty() => liked.grid.clone(),
        _ => args.grid.clone(),
    };
    let threads = match liked {
        Some(liked) if !args::given(matches, "threads") => liked.threads.clone(),
        _ => args.threads.clone(),
    };
    let repeats = match liked {
        Some(liked) if !args::given(matches, "repeats") => liked.repeats,
        _ => args.repeats,
    };
    Request {
        workload: args
            .workload
            .or(liked.map(|liked| liked.workload))
            .unwrap_or_default(),
        grid,
        threads,
        repeats,
        test_size: args.test_size,
        ..request
    }
}

/// Times every point of `plan` into `document` with a progress bar over all their trees,
/// saving the document after each point.
fn run_points(
    args: &SweepArgs,
    plan: &Plan,
    experiment: &Experiment,
    document: &mut SweepDocument,
    compared: &[(String, SweepDocument)],
    quiet: bool,
) -> Result<(), Failure> {
    let n_trees = experiment.workload_trees() as u64;
    let fits = (plan.threads().len() * plan.repeats()) as u64;
    let progress = Progress::new(quiet, fits * n_trees, "sweeping");
    let control = FitControl::default();
    let fits_done = AtomicU64::new(0);
    progress.run(
        || {
            fits_done.load(Ordering::Relaxed) * n_trees
                + u64::from(control.trees_done.load(Ordering::Relaxed))
        },
        || {
            run_sweep(
                document,
                experiment,
                plan,
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
                        // The final save reports a failure; this one only keeps progress.
                        let _ = save(args, so_far, compared);
                    }
                    SweepEvent::QualityStarted => progress.message("hold-out fit".to_string()),
                },
            )
        },
    )?;
    Ok(())
}

/// What a sweep prints: the summary, the comparison with `compared` and the captions.
fn sweep_text(document: &SweepDocument, compared: &[(String, SweepDocument)]) -> String {
    let mut text = summary(document);
    let (docs, sources) = with_compared(document, compared);
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    if !compared.is_empty() {
        let names = series_names(&docs, &sources);
        text.push('\n');
        text.push_str(&comparison_text(&comparison_rows(&docs, &names)));
    }
    for line in caption_lines(&docs, &sources) {
        text.push_str(&format!("{line}\n"));
    }
    text
}

/// "Linux x86_64, 32 cores": what the machine is, the default name of its results.
fn machine_label(cores: usize) -> String {
    let system = match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "macOS",
        "windows" => "Windows",
        "freebsd" => "FreeBSD",
        other => other,
    };
    format!("{system} {}, {cores} cores", std::env::consts::ARCH)
}

/// This run's document followed by the compared ones, and where each came from (the
/// compared files' names; "" for this run).
fn with_compared(
    document: &SweepDocument,
    compared: &[(String, SweepDocument)],
) -> (Vec<SweepDocument>, Vec<String>) {
    std::iter::once((String::new(), document.clone()))
        .chain(compared.iter().cloned())
        .map(|(source, doc)| (doc, source))
        .unzip()
}

/// Writes the results document (`-o`) and the chart (`--svg`, with the compared documents).
fn save(
    args: &SweepArgs,
    document: &SweepDocument,
    compared: &[(String, SweepDocument)],
) -> Result<(), Failure> {
    if let Some(path) = &args.output {
        write_output(Some(path), "--output", &document.to_json())?;
    }
    if let Some(path) = &args.svg {
        let (docs, sources) = with_compared(document, compared);
        let style = ChartStyle {
            dark: args.dark,
            ..ChartStyle::default()
        };
        write_output(Some(path), "--svg", &svg_chart(&docs, &sources, &style)?)?;
    }
    Ok(())
}

/// The documents of `paths`, each with its file's name.
fn read_documents(paths: &[PathBuf]) -> Result<Vec<(String, SweepDocument)>, Failure> {
    paths
        .iter()
        .map(|path| {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Ok((name, read_document("--compare", path)?))
        })
        .collect()
}

/// The results document at `path`, given with `flag`; errors name both.
fn read_document(flag: &str, path: &Path) -> Result<SweepDocument, Failure> {
    let refuse = |message: String| Failure::Usage(format!("{flag} {}: {message}", path.display()));
    // Refused by its length first, as the page refuses a file; then read no more than the
    // limit allows, so that a device (/dev/zero) or a growing file is refused unloaded too.
    let file = std::fs::File::open(path).map_err(|e| refuse(e.to_string()))?;
    let length = file.metadata().map_err(|e| refuse(e.to_string()))?.len();
    SweepDocument::check_length(length).map_err(|e| refuse(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(e.to_string()))?;
    SweepDocument::check_length(bytes.len() as u64).map_err(|e| refuse(e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| refuse("results file: is not UTF-8 text".to_string()))?;
    SweepDocument::from_json(&text).map_err(|e| refuse(e.to_string()))
}

/// The experiment of `sweep --like`: the document's request and, for a result fitted on a
/// table, that table's record (the file must be given again).
struct Like {
    request: Request,
    table: Option<TableInfo>,
}

/// Reads the experiment `document` records (`experiment_text`) as the page reads a link.
fn like_request(document: &SweepDocument, path: &Path) -> Result<Like, Failure> {
    let fields = experiment_text(document);
    let request = Request::from_text(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| Failure::Usage(format!("--like {}: {e}", path.display())))?;
    Ok(Like {
        request,
        table: document.table.clone(),
    })
}

/// A table as its record names it: `digits.csv (1797 rows × 64 features, SHA-256 …)`.
fn table_record(table: &TableInfo) -> String {
    format!(
        "{} ({} rows × {} features, SHA-256 {})",
        table.name, table.n_rows, table.n_features, table.sha256
    )
}

/// The chart of `docs` (from `sources`) with its caption lines under it.
fn svg_chart(
    docs: &[SweepDocument],
    sources: &[String],
    style: &ChartStyle,
) -> Result<String, Failure> {
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    let lines = caption_lines(docs, &sources);
    let mut svg = String::new();
    {
        let height = 450 + 40 * lines.len() as u32;
        let root =
            plotters_svg::SVGBackend::with_string(&mut svg, (1100, height)).into_drawing_area();
        draw_sweep_with_caption(&root, docs, &sources, &lines, style)
            .map_err(|e| Failure::Runtime(e.to_string()))?;
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
    let quality = &document.quality;
    if let Some(mean_score) = quality.cv_mean_score {
        out.push_str(&format!(
            "cross-validation mean accuracy: {mean_score:.4}\n"
        ));
        return out;
    }
    if let (Some(best_params), Some(best_score)) = (&quality.best_params, quality.best_score) {
        let best = serde_json::Value::Object(best_params.clone());
        out.push_str(&format!("best: {best} with {best_score:.4}\n"));
        return out;
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
