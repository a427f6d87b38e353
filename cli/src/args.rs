//! The command line in two stages, as ripgrep's flags are: clap reads the words, then the
//! engine reads the values. The commands' own flags are declared here; the dataset's and the
//! forest's flags are made from the engine's parameter registry (sklearn's names in
//! kebab-case, the registry's help and the blog experiment's default), and their text is read
//! by the registry, so the CLI and the page refuse the same text in the same words.

use clap::{Arg, ArgAction, ArgMatches, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use coresweep::Error;
use coresweep::input;
use coresweep::registry::{Group, PARAMETERS, Parameters};
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
    /// Time the fit with each thread count and write the results document and chart.
    #[command(allow_negative_numbers = true)]
    Sweep(SweepArgs),
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
    /// Thread counts, comma-separated (1,2,4), or "all" for 1 up to the number of cores.
    #[arg(long, default_value = "all")]
    pub threads: String,
    /// Timed fits per thread count; the chart uses their median.
    #[arg(long, default_value_t = 3, value_parser = |t: &str| input::count("repeats", t))]
    pub repeats: usize,
    /// Share of rows held out for hold-out accuracy (an extra, untimed fit); 0 for none.
    #[arg(long, default_value_t = 0.0, value_parser = |t: &str| input::number("test_size", t))]
    pub test_size: f64,
    /// Write the results document (coresweep-sweep/1 JSON) to FILE.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Draw the chart (run time and speed-up against cores) into FILE as SVG.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Results documents of other runs to overlay on the chart.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub compare: Vec<PathBuf>,
    /// Name of this machine in the results and the chart legend.
    #[arg(long, value_name = "TEXT", default_value = "native")]
    pub label: String,
    /// Draw the chart with light text on a dark background.
    #[arg(long)]
    pub dark: bool,
}

/// Which registry groups each command takes flags for.
const COMMAND_GROUPS: [(&str, &[Group]); 3] = [
    ("make-classification", &[Group::Dataset]),
    ("fit", &[Group::Dataset, Group::Forest]),
    ("sweep", &[Group::Dataset, Group::Forest]),
];

fn heading(group: Group) -> &'static str {
    match group {
        Group::Dataset => "Dataset: make_classification",
        Group::Forest => "Forest: RandomForestClassifier",
    }
}

/// The command line: the declared commands with the registry's parameter flags added, each
/// flag's help ending with the blog experiment's value.
pub fn command() -> clap::Command {
    let mut command = Cli::command();
    for (name, groups) in COMMAND_GROUPS {
        command = command.mut_subcommand(name, |mut sub| {
            for &group in groups {
                sub = sub.next_help_heading(heading(group));
                for parameter in PARAMETERS.iter().filter(|p| p.group == group) {
                    sub = sub.arg(
                        Arg::new(parameter.name)
                            .long(parameter.flag()[2..].to_owned())
                            .value_name(parameter.value_name)
                            .action(ArgAction::Set)
                            .help(format!(
                                "{} [default: {}]",
                                parameter.help,
                                parameter.default_text()
                            )),
                    );
                }
            }
            sub
        });
    }
    command
}

/// The blog experiment with the parameter flags given to the command of `matches` applied,
/// in the registry's order; the first value the registry refuses is the error.
pub fn parameters(matches: &ArgMatches) -> Result<Parameters, Error> {
    let mut params = Parameters::default();
    if let Some((_, sub)) = matches.subcommand() {
        for parameter in PARAMETERS {
            let given = sub.try_get_one::<String>(parameter.name).ok().flatten();
            if let Some(text) = given {
                parameter.set(&mut params, text)?;
            }
        }
    }
    Ok(params)
}
