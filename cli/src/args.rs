//! The command line in two stages, as ripgrep's flags are: clap reads the words, then the
//! engine reads the values. The commands' own flags are declared here; the dataset's and the
//! forest's flags are made from the engine's parameter registry (sklearn's names in
//! kebab-case, the registry's help and the blog experiment's default), and their text is read
//! by the registry, so the CLI and the page refuse the same text in the same words.

use clap::{Arg, ArgAction, ArgMatches, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use coresweep::Error;
use coresweep::plan::{Threads, Workload};
use coresweep::registry::{Group, NOT_SUPPORTED, PARAMETERS, Parameters, not_supported};
use coresweep::{datasets, input};
use std::path::PathBuf;

/// How much faster does a random forest train with more cores?
///
/// Defaults reproduce the blog's experiment: make_classification(n_samples=10000,
/// n_features=70, n_informative=65, n_redundant=5, random_state=0) and
/// RandomForestClassifier(n_estimators=500, random_state=0), sklearn's defaults otherwise.
#[derive(Debug, Parser)]
#[command(name = "coresweep", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// No progress bar on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate sklearn's make_classification dataset and write it as CSV or JSON.
    #[command(allow_negative_numbers = true)]
    MakeClassification(MakeClassificationArgs),
    /// Fit one forest and report its fit time and quality.
    #[command(allow_negative_numbers = true)]
    Fit(FitArgs),
    /// Cross-validate one forest (sklearn's cross_val_score, accuracy) and report the time of
    /// the whole and each fold's score.
    #[command(allow_negative_numbers = true)]
    CrossVal(SequelArgs),
    /// Search a grid of forest parameters (sklearn's GridSearchCV(...).fit, refit included)
    /// and report the time of the whole and each candidate's scores.
    #[command(allow_negative_numbers = true)]
    GridSearch(GridSearchArgs),
    /// Time the fit with each thread count and write the results document and chart.
    #[command(allow_negative_numbers = true)]
    Sweep(SweepArgs),
}

const DATA_HEADING: &str = "Your data: a CSV table instead of make_classification";

/// The data of `fit`, `cross-val`, `grid-search` and `sweep`: a CSV table instead of
/// make_classification's.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Fit on this CSV file (a header row, numeric features, any labels) instead of
    /// make_classification's data; no make_classification flag but --random-state (the
    /// forest's seed) may be given with it.
    #[arg(long, value_name = "FILE.csv", help_heading = DATA_HEADING)]
    pub data: Option<PathBuf>,
    /// The target column's name [default: the last column].
    #[arg(long, value_name = "COL", requires = "data", help_heading = DATA_HEADING)]
    pub target: Option<String>,
    /// Columns that are not features (an id, a date, text), by name (repeatable).
    #[arg(
        long,
        value_name = "COL",
        num_args = 1..,
        action = ArgAction::Append,
        requires = "data",
        help_heading = DATA_HEADING
    )]
    pub drop: Vec<String>,
    /// The delimiter: , or ; or tab [default: sniffed from the header row].
    #[arg(
        long,
        value_name = ",|;|tab",
        requires = "data",
        help_heading = DATA_HEADING,
        value_parser = |t: &str| datasets::parse_delimiter(t)
    )]
    pub delimiter: Option<u8>,
}

/// `coresweep cross-val`.
#[derive(Debug, Args)]
pub struct SequelArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Threads of the pool the folds and trees share [default: all cores].
    #[arg(long, value_name = "K", value_parser = |t: &str| input::count("threads", t))]
    pub threads: Option<usize>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `coresweep grid-search`.
#[derive(Debug, Args)]
pub struct GridSearchArgs {
    #[command(flatten)]
    pub sequel: SequelArgs,
    /// A forest parameter and its values, NAME=V1,V2,… (repeatable) [default: the sequels'
    /// max_features=1,2,3,4,5].
    #[arg(long, value_name = "NAME=V1,V2,…", value_parser = |t: &str| input::grid_entry(t))]
    pub grid: Vec<(String, Vec<String>)>,
}

/// `coresweep make-classification`.
#[derive(Debug, Args)]
pub struct MakeClassificationArgs {
    /// Output format: CSV (header x0,…,x{F-1},y) or JSON ({"X": rows, "y": labels}).
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Output format of `make-classification`.
#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object with `X` (rows) and `y`.
    Json,
}

/// `coresweep fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Threads of the pool the forest is fitted in [default: all cores].
    #[arg(long, value_name = "K", value_parser = |t: &str| input::count("threads", t))]
    pub threads: Option<usize>,
    /// Share of rows held out (sklearn's train_test_split) for hold-out accuracy; 0 fits on
    /// all rows.
    #[arg(long, default_value_t = 0.0, value_parser = |t: &str| input::number("test_size", t))]
    pub test_size: f64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `coresweep sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// What is timed: fit, cross-val or grid-search; the dataset's and forest's defaults are
    /// the blog's for fit and the sequels' (1000 x 20, 100 trees) otherwise [default: fit].
    #[arg(long, value_name = "fit|cross-val|grid-search", value_parser = |t: &str| Workload::from_name(t))]
    pub workload: Option<Workload>,
    /// With --workload grid-search: a forest parameter and its values, NAME=V1,V2,…
    /// (repeatable) [default: max_features=1,2,3,4,5].
    #[arg(long, value_name = "NAME=V1,V2,…", value_parser = |t: &str| input::grid_entry(t))]
    pub grid: Vec<(String, Vec<String>)>,
    /// Thread counts, comma-separated (1,2,4), or "all" for 1 up to the number of cores.
    #[arg(long, default_value = "all", value_parser = |t: &str| Threads::from_text(t))]
    pub threads: Threads,
    /// Timed fits per thread count; the chart uses their median.
    #[arg(long, default_value_t = 3, value_parser = |t: &str| input::count("repeats", t))]
    pub repeats: usize,
    /// Share of rows held out for hold-out accuracy (an extra, untimed fit); 0 for none.
    #[arg(long, default_value_t = 0.0, value_parser = |t: &str| input::number("test_size", t))]
    pub test_size: f64,
    /// Write the results document (coresweep-sweep/2 JSON) to FILE.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Draw the chart (run time and speed-up against cores) into FILE as SVG.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Results documents of other runs to overlay on the chart.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub compare: Vec<PathBuf>,
    /// Run the experiment of this results document (a page's or another machine's): its
    /// workload, parameters, thread counts and repeats, each flag given overriding its value;
    /// a result fitted on a table needs that file again (--data, the same SHA-256).
    #[arg(long, value_name = "FILE")]
    pub like: Option<PathBuf>,
    /// Name of this machine in the results and the chart legend [default: its system,
    /// architecture and logical cores, e.g. "Linux x86_64, 32 cores"].
    #[arg(long, value_name = "TEXT")]
    pub label: Option<String>,
    /// Draw the chart with light text on a dark background.
    #[arg(long)]
    pub dark: bool,
}

/// Which registry groups each command takes flags for, and the workload whose defaults its
/// flags start from.
const COMMAND_GROUPS: [(&str, &[Group], Workload); 5] = [
    ("make-classification", &[Group::Dataset], Workload::Fit),
    ("fit", &[Group::Dataset, Group::Forest], Workload::Fit),
    ("cross-val", &ALL_GROUPS, Workload::CrossValScore),
    ("grid-search", &ALL_GROUPS, Workload::GridSearch),
    ("sweep", &ALL_GROUPS, Workload::Fit),
];

const ALL_GROUPS: [Group; 3] = [Group::Dataset, Group::Forest, Group::Workload];

/// The workload whose defaults the command named `name` starts from.
pub fn command_workload(name: &str) -> Workload {
    COMMAND_GROUPS
        .iter()
        .find(|(command, _, _)| *command == name)
        .map_or(Workload::Fit, |(_, _, workload)| *workload)
}

fn heading(group: Group) -> &'static str {
    match group {
        Group::Dataset => "Dataset: make_classification",
        Group::Forest => "Forest: RandomForestClassifier",
        Group::Workload => "Cross-validation and grid search",
    }
}

/// The command line: the declared commands with the registry's parameter flags added, each
/// flag's help ending with the value of the command's workload (the blog's or the sequels').
pub fn command() -> clap::Command {
    let mut command = Cli::command();
    for (name, groups, workload) in COMMAND_GROUPS {
        let defaults = workload.defaults();
        command = command.mut_subcommand(name, |mut sub| {
            for &group in groups {
                sub = sub.next_help_heading(heading(group));
                for parameter in PARAMETERS.iter().filter(|p| p.group == group) {
                    sub = sub.arg(
                        Arg::new(parameter.name)
                            .long(flag(parameter.name)[2..].to_owned())
                            .value_name(parameter.value_name)
                            .action(ArgAction::Set)
                            .help(format!(
                                "{} [default: {}]",
                                parameter.help,
                                parameter.text(&defaults)
                            )),
                    );
                }
            }
            // sklearn's forest parameters coresweep does not have: taken, to be refused by
            // name (`parameters`), and not listed.
            if groups.contains(&Group::Forest) {
                for name in NOT_SUPPORTED {
                    sub = sub.arg(
                        Arg::new(*name)
                            .long(name.replace('_', "-"))
                            .action(ArgAction::Set)
                            .hide(true),
                    );
                }
            }
            sub
        });
    }
    command
}

/// `start` (the defaults of the command's workload, or the experiment `--like` names) with the
/// parameter flags given to the command of `matches` applied, in the registry's order; a flag
/// of sklearn's that coresweep does not have, then the first value the registry refuses, is
/// the error.
pub fn parameters(matches: &ArgMatches, start: Parameters) -> Result<Parameters, Error> {
    let mut params = start;
    if let Some((_, sub)) = matches.subcommand() {
        let refused = NOT_SUPPORTED
            .iter()
            .filter(|name| sub.try_get_one::<String>(name).ok().flatten().is_some())
            .find_map(|name| not_supported(name));
        if let Some(refusal) = refused {
            return Err(refusal);
        }
        for parameter in PARAMETERS {
            let given = sub.try_get_one::<String>(parameter.name).ok().flatten();
            if let Some(text) = given {
                parameter.set(&mut params, text)?;
            }
        }
    }
    Ok(params)
}

/// The make_classification parameters given on the command line of `matches`' command, by
/// sklearn's name: those the engine refuses beside `--data`, whose data they would describe.
pub fn dataset_given(matches: &ArgMatches) -> Vec<&'static str> {
    let Some((_, sub)) = matches.subcommand() else {
        return Vec::new();
    };
    PARAMETERS
        .iter()
        .filter(|p| p.describes_generated_data())
        .filter(|p| sub.try_get_one::<String>(p.name).ok().flatten().is_some())
        .map(|p| p.name)
        .collect()
}

/// The flag that sets sklearn's parameter `name`: `--n-estimators`.
pub fn flag(name: &str) -> String {
    format!("--{}", name.replace('_', "-"))
}

/// Whether the flag of `id` was given on the command line of `matches`' command (not its
/// default): what `--like` keeps the document's value for.
pub fn given(matches: &ArgMatches, id: &str) -> bool {
    matches.subcommand().is_some_and(|(_, sub)| {
        sub.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
    })
}
