//! The command line: sklearn's parameter names in kebab-case, translated into the engine's
//! parameter structs. Every flag left out keeps the blog experiment's value
//! (`ClassificationParams::blog()`, `ForestParams::blog()`).

use clap::{Arg, ArgAction, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use coresweep::datasets::{ClassificationParams, Scale, Shift};
use coresweep::forest::{Criterion, ForestParams, MaxFeatures, MaxSamples};
use coresweep::input;
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
    #[command(flatten)]
    pub dataset: DatasetArgs,
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
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub forest: ForestArgs,
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
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub forest: ForestArgs,
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

/// make_classification's parameters.
#[derive(Debug, Args)]
#[command(next_help_heading = "Dataset: make_classification")]
pub struct DatasetArgs {
    /// Number of rows.
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("n_samples", t))]
    pub n_samples: Option<usize>,
    /// Number of features (columns).
    #[arg(long, value_name = "F", value_parser = |t: &str| input::count("n_features", t))]
    pub n_features: Option<usize>,
    /// Informative features.
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("n_informative", t))]
    pub n_informative: Option<usize>,
    /// Redundant features (linear combinations of the informative ones).
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("n_redundant", t))]
    pub n_redundant: Option<usize>,
    /// Repeated features (copies of informative and redundant ones).
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("n_repeated", t))]
    pub n_repeated: Option<usize>,
    /// Number of classes.
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("n_classes", t))]
    pub n_classes: Option<usize>,
    /// Gaussian clusters per class.
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("n_clusters_per_class", t))]
    pub n_clusters_per_class: Option<usize>,
    /// Class proportions, comma-separated (0.2,0.8), or "none" for balanced classes.
    #[arg(long, value_name = "W,…", value_parser = parse_weights)]
    pub weights: Option<OrNone<Vec<f64>>>,
    /// Share of labels assigned at random.
    #[arg(long, value_name = "F", value_parser = |t: &str| input::number("flip_y", t))]
    pub flip_y: Option<f64>,
    /// Size of the hypercube the clusters sit on.
    #[arg(long, value_name = "F", value_parser = |t: &str| input::number("class_sep", t))]
    pub class_sep: Option<f64>,
    /// Clusters on the vertices of a hypercube (true) or a random polytope (false).
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, value_parser = |t: &str| input::boolean("hypercube", t))]
    pub hypercube: Option<bool>,
    /// Added to every feature: a number, or "random" (sklearn's None: drawn per feature).
    #[arg(long, value_name = "F|random", value_parser = input::shift)]
    pub shift: Option<Shift>,
    /// Multiplies every feature: a number, or "random" (sklearn's None: drawn per feature).
    #[arg(long, value_name = "F|random", value_parser = input::scale)]
    pub scale: Option<Scale>,
    /// Shuffle rows and columns.
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, value_parser = |t: &str| input::boolean("shuffle", t))]
    pub shuffle: Option<bool>,
    /// Seeds the dataset, the hold-out split and the forest alike.
    #[arg(long, value_name = "S", value_parser = |t: &str| input::seed("random_state", t))]
    pub random_state: Option<u32>,
}

/// RandomForestClassifier's parameters.
#[derive(Debug, Args)]
#[command(next_help_heading = "Forest: RandomForestClassifier")]
pub struct ForestArgs {
    /// Number of trees.
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("n_estimators", t))]
    pub n_estimators: Option<usize>,
    /// Split quality: gini, entropy or log_loss.
    #[arg(long, value_parser = input::criterion)]
    pub criterion: Option<Criterion>,
    /// Deepest level a tree may reach, or "none" for no limit.
    #[arg(long, value_name = "N|none", value_parser = parse_max_depth)]
    pub max_depth: Option<OrNone<usize>>,
    /// Fewest rows a node needs to be split.
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("min_samples_split", t))]
    pub min_samples_split: Option<usize>,
    /// Fewest rows in a leaf.
    #[arg(long, value_name = "N", value_parser = |t: &str| input::count("min_samples_leaf", t))]
    pub min_samples_leaf: Option<usize>,
    /// A split must lower the weighted impurity by at least this much.
    #[arg(long, value_name = "F", value_parser = |t: &str| input::number("min_impurity_decrease", t))]
    pub min_impurity_decrease: Option<f64>,
    /// Features tried per split: sqrt, log2, a count (7), a share (0.5), or "none" for all.
    #[arg(long, value_name = "sqrt|log2|N|F|none", value_parser = input::max_features)]
    pub max_features: Option<MaxFeatures>,
    /// Fit each tree on a bootstrap sample (true) or on all rows (false).
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, value_parser = |t: &str| input::boolean("bootstrap", t))]
    pub bootstrap: Option<bool>,
    /// Rows per bootstrap sample: a count (5000), a share (0.5), or "none" for all.
    #[arg(long, value_name = "N|F|none", value_parser = parse_max_samples)]
    pub max_samples: Option<OrNone<MaxSamples>>,
}

/// The command line, each dataset and forest flag's help ending with the blog's value (read
/// from `ClassificationParams::blog()` and `ForestParams::blog()`, so it cannot go stale).
pub fn command() -> clap::Command {
    let mut defaults = serde_json::Map::new();
    for params in [
        serde_json::to_value(ForestParams::blog()),
        serde_json::to_value(ClassificationParams::blog()),
    ] {
        if let Ok(serde_json::Value::Object(fields)) = params {
            defaults.extend(fields);
        }
    }
    let with_default = |arg: Arg| match defaults.get(arg.get_id().as_str()) {
        Some(value) => {
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            arg.help(format!("{help} [default: {}]", flag_text(value)))
        }
        None => arg,
    };
    let mut command = Cli::command();
    for name in ["make-classification", "fit", "sweep"] {
        command = command.mut_subcommand(name, |sub| sub.mut_args(with_default));
    }
    command
}

/// A parameter's JSON value as it is written on the command line.
fn flag_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "none".to_string(),
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) => {
            items.iter().map(flag_text).collect::<Vec<_>>().join(",")
        }
        other => other.to_string(),
    }
}

/// A value that may also be spelled "none" (sklearn's None).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrNone<T>(pub Option<T>);

impl DatasetArgs {
    /// The blog's dataset with the given flags applied.
    pub fn params(&self) -> ClassificationParams {
        let mut p = ClassificationParams::blog();
        set(&mut p.n_samples, self.n_samples);
        set(&mut p.n_features, self.n_features);
        set(&mut p.n_informative, self.n_informative);
        set(&mut p.n_redundant, self.n_redundant);
        set(&mut p.n_repeated, self.n_repeated);
        set(&mut p.n_classes, self.n_classes);
        set(&mut p.n_clusters_per_class, self.n_clusters_per_class);
        set(&mut p.weights, self.weights.clone().map(|w| w.0));
        set(&mut p.flip_y, self.flip_y);
        set(&mut p.class_sep, self.class_sep);
        set(&mut p.hypercube, self.hypercube);
        set(&mut p.shift, self.shift);
        set(&mut p.scale, self.scale);
        set(&mut p.shuffle, self.shuffle);
        set(&mut p.random_state, self.random_state);
        p
    }
}

impl ForestArgs {
    /// The blog's forest with the given flags applied; `random_state` is the dataset's, as a
    /// script passing `random_state=S` everywhere would have it.
    pub fn params(&self, random_state: Option<u32>) -> ForestParams {
        let mut p = ForestParams::blog();
        set(&mut p.n_estimators, self.n_estimators);
        set(&mut p.criterion, self.criterion);
        set(&mut p.max_depth, self.max_depth.map(|d| d.0));
        set(&mut p.min_samples_split, self.min_samples_split);
        set(&mut p.min_samples_leaf, self.min_samples_leaf);
        set(&mut p.min_impurity_decrease, self.min_impurity_decrease);
        set(&mut p.max_features, self.max_features);
        set(&mut p.bootstrap, self.bootstrap);
        set(&mut p.max_samples, self.max_samples.map(|m| m.0));
        set(&mut p.random_state, random_state);
        p
    }
}

fn set<T>(field: &mut T, flag: Option<T>) {
    if let Some(value) = flag {
        *field = value;
    }
}

fn parse_weights(text: &str) -> Result<OrNone<Vec<f64>>, coresweep::Error> {
    input::weights(text).map(OrNone)
}

fn parse_max_depth(text: &str) -> Result<OrNone<usize>, coresweep::Error> {
    input::max_depth(text).map(OrNone)
}

fn parse_max_samples(text: &str) -> Result<OrNone<MaxSamples>, coresweep::Error> {
    input::max_samples(text).map(OrNone)
}
