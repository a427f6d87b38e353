//! Every parameter of an experiment, defined once: its name (sklearn's), what it belongs to,
//! its help, sklearn's own default, how text sets it and how it is written back as text.
//!
//! The faces derive what they show from this table and write no parameter of their own: the
//! CLI's dataset and forest flags (name, value name, help, `[default: …]`), the page's form
//! defaults, the Python the page shows (arguments equal to sklearn's default are left out) and
//! the link's query (only values that differ from the default are written). A default is the
//! blog experiment's value ([`ClassificationParams::blog`], [`ForestParams::blog`]), read
//! through [`Parameter::text`], so it is written in one place.
//!
//! ```
//! use coresweep::registry::{Group, PARAMETERS, parameter};
//!
//! let trees = parameter("n_estimators").unwrap();
//! assert_eq!((trees.group, trees.default_text().as_str()), (Group::Forest, "500"));
//! assert_eq!(trees.sklearn_default, "100");
//! assert_eq!(parameter("max_depth").unwrap().default_text(), "None");
//! assert_eq!(PARAMETERS.iter().filter(|p| p.group == Group::Dataset).count(), 15);
//! ```

use crate::Error;
use crate::datasets::{ClassificationParams, Scale, Shift};
use crate::forest::{Criterion, ForestParams, MaxFeatures, MaxSamples};
use crate::input;
use crate::model_selection::Parallel;
use crate::plan::Workload;
use crate::sweep::SweepDocument;

/// What a parameter belongs to: sklearn's `make_classification` or `RandomForestClassifier`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// An argument of `make_classification`.
    Dataset,
    /// An argument of `RandomForestClassifier`.
    Forest,
    /// How cross-validation and grid search split and spread their work.
    Workload,
}

impl Group {
    /// `"dataset"` or `"forest"`, as the page and the results document name the groups.
    pub fn name(self) -> &'static str {
        match self {
            Group::Dataset => "dataset",
            Group::Forest => "forest",
            Group::Workload => "workload",
        }
    }
}

/// The parameters an experiment is made of, not yet checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameters {
    /// `make_classification`'s arguments.
    pub dataset: ClassificationParams,
    /// `RandomForestClassifier`'s arguments.
    pub forest: ForestParams,
    /// The folds and the parallel level of cross-validation and grid search.
    pub model_selection: ModelSelectionParams,
}

impl Default for Parameters {
    /// The blog experiment.
    fn default() -> Self {
        Parameters {
            dataset: ClassificationParams::blog(),
            forest: ForestParams::blog(),
            model_selection: ModelSelectionParams::default(),
        }
    }
}

impl Parameters {
    /// The sequels' experiment (cross-validation and grid search):
    /// `make_classification(n_samples=1000, n_features=20, n_informative=15, n_redundant=5)` and
    /// `RandomForestClassifier(n_estimators=100)`.
    pub fn sequels() -> Self {
        Parameters {
            dataset: ClassificationParams {
                n_samples: 1000,
                n_features: 20,
                n_informative: 15,
                n_redundant: 5,
                ..ClassificationParams::blog()
            },
            forest: ForestParams {
                n_estimators: 100,
                ..ForestParams::blog()
            },
            model_selection: ModelSelectionParams::default(),
        }
    }
}

/// The splitter and the parallel level of cross-validation and grid search.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSelectionParams {
    /// Folds per repeat (sklearn's `n_splits`).
    pub cv: usize,
    /// `Some(r)`: `RepeatedStratifiedKFold(cv, r, random_state)`; `None`: sklearn's `cv=N`,
    /// `StratifiedKFold(N)` without shuffling.
    pub cv_repeats: Option<usize>,
    /// Where the threads go.
    pub parallel: Parallel,
}

impl Default for ModelSelectionParams {
    /// The sequels': `RepeatedStratifiedKFold(n_splits=10, n_repeats=3)`, folds in parallel.
    fn default() -> Self {
        ModelSelectionParams {
            cv: 10,
            cv_repeats: Some(3),
            parallel: Parallel::Outer,
        }
    }
}

/// One parameter of the table.
pub struct Parameter {
    /// sklearn's name (`n_estimators`); the CLI's flag is its kebab-case form.
    pub name: &'static str,
    /// What it belongs to.
    pub group: Group,
    /// The CLI's placeholder for its value (`N`, `F|random`).
    pub value_name: &'static str,
    /// One line of help, the same in `--help` and the page's tooltips.
    pub help: &'static str,
    /// sklearn's own default as a Python literal (`100`, `'sqrt'`, `None`).
    pub sklearn_default: &'static str,
    /// Reads `text` into the parameters ([`crate::input`]'s readers; refusals name it).
    set: fn(&mut Parameters, &str) -> Result<(), Error>,
    /// The value as text, in the form [`set`](Self::set) reads back.
    get: fn(&Parameters) -> String,
}

impl Parameter {
    /// Sets this parameter of `params` from `text`, or refuses the text naming the parameter.
    pub fn set(&self, params: &mut Parameters, text: &str) -> Result<(), Error> {
        (self.set)(params, text)
    }

    /// This parameter of `params` as text, e.g. `"500"`, `"sqrt"`, `"None"`, `"0.2,0.8"`.
    pub fn text(&self, params: &Parameters) -> String {
        (self.get)(params)
    }

    /// The blog experiment's value as text: what the form and the CLI start from.
    pub fn default_text(&self) -> String {
        self.text(&Parameters::default())
    }

    /// Whether this parameter describes `make_classification`'s data, and so is refused
    /// beside a table: every dataset parameter but `random_state`, which also seeds the
    /// forest.
    pub fn describes_generated_data(&self) -> bool {
        self.group == Group::Dataset && self.name != "random_state"
    }
}

/// The parameter named `name` (sklearn's name), if there is one.
pub fn parameter(name: &str) -> Option<&'static Parameter> {
    PARAMETERS.iter().find(|p| p.name == name)
}

fn none_or<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "None".to_owned(), |v| v.to_string())
}

/// A float as Python writes it, so that `1.0` stays a float (a share) and never reads back as
/// the count `1`.
fn float_text(value: f64) -> String {
    let text = value.to_string();
    if value.is_finite() && !text.contains(['.', 'e', 'E']) {
        format!("{text}.0")
    } else {
        text
    }
}

macro_rules! parameter {
    ($group:ident . $name:ident, $value_name:expr, $sklearn:expr, $help:expr,
     read: |$text:ident| $read:expr, show: |$value:ident| $show:expr) => {
        Parameter {
            name: stringify!($name),
            group: Group::$group,
            value_name: $value_name,
            help: $help,
            sklearn_default: $sklearn,
            set: |params, $text| {
                parameter!(@field params, $group).$name = $read;
                Ok(())
            },
            get: |params| {
                let $value = &parameter!(@field params, $group).$name;
                $show
            },
        }
    };
    (@field $params:ident, Dataset) => { $params.dataset };
    (@field $params:ident, Forest) => { $params.forest };
    (@field $params:ident, Workload) => { $params.model_selection };
}

/// Every parameter, in the order the CLI's help and the page's form list them.
pub static PARAMETERS: &[Parameter] = &[
    parameter!(Dataset.n_samples, "N", "100", "Number of rows.",
        read: |t| input::count("n_samples", t)?, show: |v| v.to_string()),
    parameter!(Dataset.n_features, "F", "20", "Number of features (columns).",
        read: |t| input::count("n_features", t)?, show: |v| v.to_string()),
    parameter!(Dataset.n_informative, "N", "2", "Informative features.",
        read: |t| input::count("n_informative", t)?, show: |v| v.to_string()),
    parameter!(Dataset.n_redundant, "N", "2",
        "Redundant features (linear combinations of the informative ones).",
        read: |t| input::count("n_redundant", t)?, show: |v| v.to_string()),
    parameter!(Dataset.n_repeated, "N", "0",
        "Repeated features (copies of informative and redundant ones).",
        read: |t| input::count("n_repeated", t)?, show: |v| v.to_string()),
    parameter!(Dataset.n_classes, "N", "2", "Number of classes.",
        read: |t| input::count("n_classes", t)?, show: |v| v.to_string()),
    parameter!(Dataset.n_clusters_per_class, "N", "2", "Gaussian clusters per class.",
        read: |t| input::count("n_clusters_per_class", t)?, show: |v| v.to_string()),
    parameter!(Dataset.weights, "W,…", "None",
    "Class proportions, comma-separated (0.2,0.8), or \"none\" for balanced classes.",
    read: |t| input::weights(t)?,
    show: |v| v.as_ref().map_or_else(
        || "None".to_owned(),
        |w| w.iter().map(|s| float_text(*s)).collect::<Vec<_>>().join(","),
    )),
    parameter!(Dataset.flip_y, "F", "0.01", "Share of labels assigned at random.",
        read: |t| input::number("flip_y", t)?, show: |v| float_text(*v)),
    parameter!(Dataset.class_sep, "F", "1.0", "Size of the hypercube the clusters sit on.",
        read: |t| input::number("class_sep", t)?, show: |v| float_text(*v)),
    parameter!(Dataset.hypercube, "BOOL", "True",
        "Clusters on the vertices of a hypercube (true) or a random polytope (false).",
        read: |t| input::boolean("hypercube", t)?, show: |v| v.to_string()),
    parameter!(Dataset.shift, "F|random", "0.0",
        "Added to every feature: a number, or \"random\" (sklearn's None: drawn per feature).",
        read: |t| input::shift(t)?,
        show: |v| match v { Shift::Value(x) => float_text(*x), Shift::Random => "random".to_owned() }),
    parameter!(Dataset.scale, "F|random", "1.0",
        "Multiplies every feature: a number, or \"random\" (sklearn's None: drawn per feature).",
        read: |t| input::scale(t)?,
        show: |v| match v { Scale::Value(x) => float_text(*x), Scale::Random => "random".to_owned() }),
    parameter!(Dataset.shuffle, "BOOL", "True", "Shuffle rows and columns.",
        read: |t| input::boolean("shuffle", t)?, show: |v| v.to_string()),
    Parameter {
        name: "random_state",
        group: Group::Dataset,
        value_name: "S",
        help: "Seeds the dataset, the hold-out split and the forest alike.",
        sklearn_default: "None",
        set: |params, text| {
            let seed = input::seed("random_state", text)?;
            params.dataset.random_state = seed;
            params.forest.random_state = seed;
            Ok(())
        },
        get: |params| params.dataset.random_state.to_string(),
    },
    parameter!(Forest.n_estimators, "N", "100", "Number of trees.",
        read: |t| input::count("n_estimators", t)?, show: |v| v.to_string()),
    parameter!(Forest.criterion, "gini|entropy|log_loss", "'gini'",
        "Split quality: gini, entropy or log_loss.",
        read: |t| input::criterion(t)?,
        show: |v| match v {
            Criterion::Gini => "gini",
            Criterion::Entropy => "entropy",
            Criterion::LogLoss => "log_loss",
        }.to_owned()),
    parameter!(Forest.max_depth, "N|none", "None",
        "Deepest level a tree may reach, or \"none\" for no limit.",
        read: |t| input::max_depth(t)?, show: |v| none_or(*v)),
    parameter!(Forest.min_samples_split, "N", "2", "Fewest rows a node needs to be split.",
        read: |t| input::count("min_samples_split", t)?, show: |v| v.to_string()),
    parameter!(Forest.min_samples_leaf, "N", "1", "Fewest rows in a leaf.",
        read: |t| input::count("min_samples_leaf", t)?, show: |v| v.to_string()),
    parameter!(Forest.min_impurity_decrease, "F", "0.0",
        "A split must lower the weighted impurity by at least this much.",
        read: |t| input::number("min_impurity_decrease", t)?, show: |v| float_text(*v)),
    parameter!(Forest.max_features, "sqrt|log2|N|F|none", "'sqrt'",
    "Features tried per split: sqrt, log2, a count (7), a share (0.5), or \"none\" for all.",
    read: |t| input::max_features(t)?,
    show: |v| match v {
        MaxFeatures::Sqrt => "sqrt".to_owned(),
        MaxFeatures::Log2 => "log2".to_owned(),
        MaxFeatures::Count(k) => k.to_string(),
        MaxFeatures::Fraction(f) => float_text(*f),
        MaxFeatures::All => "None".to_owned(),
    }),
    parameter!(Forest.bootstrap, "BOOL", "True",
        "Fit each tree on a bootstrap sample (true) or on all rows (false).",
        read: |t| input::boolean("bootstrap", t)?, show: |v| v.to_string()),
    parameter!(Forest.max_samples, "N|F|none", "None",
    "Rows per bootstrap sample: a count (5000), a share (0.5), or \"none\" for all.",
    read: |t| input::max_samples(t)?,
    show: |v| match v {
        None => "None".to_owned(),
        Some(MaxSamples::Count(k)) => k.to_string(),
        Some(MaxSamples::Fraction(f)) => float_text(*f),
    }),
    Parameter {
        name: "cv",
        group: Group::Workload,
        value_name: "N",
        help: "Folds of cross-validation; alone it is sklearn's cv=N (StratifiedKFold(N), no shuffle).",
        sklearn_default: "5",
        // sklearn's `cv=N` means no repeats: giving the folds alone turns the sequels' repeats
        // off, and `cv_repeats` (read after it, in this table's order) turns them back on.
        set: |params, text| {
            params.model_selection.cv = input::count("cv", text)?;
            params.model_selection.cv_repeats = None;
            Ok(())
        },
        get: |params| params.model_selection.cv.to_string(),
    },
    parameter!(Workload.cv_repeats, "R|none", "None",
        "Repeats: RepeatedStratifiedKFold(n_splits=cv, n_repeats=R, random_state), or \"none\".",
        read: |t| if input::is_none(t) { None } else { Some(input::count("cv_repeats", t)?) },
        show: |v| none_or(*v)),
    parameter!(Workload.parallel, "outer|inner|both", "'outer'",
        "Threads on folds (outer, each forest on one thread), on trees (inner), or both nested.",
        read: |t| Parallel::from_name(t)?, show: |v| v.name().to_owned()),
];

/// sklearn's parameters of `RandomForestClassifier` that this forest does not have yet (all of
/// `make_classification`'s are in [`PARAMETERS`]): a link or a flag naming one is refused by
/// name ([`not_supported`]), so that nobody runs another experiment than the one they asked for.
pub static NOT_SUPPORTED: &[&str] = &[
    "min_weight_fraction_leaf",
    "max_leaf_nodes",
    "oob_score",
    "verbose",
    "warm_start",
    "class_weight",
    "ccp_alpha",
    "monotonic_cst",
];

/// The refusal of a parameter sklearn has and this engine does not, by its name; `None` for
/// any other name.
///
/// ```
/// use coresweep::registry::not_supported;
/// assert_eq!(not_supported("max_leaf_nodes").unwrap().to_string(),
///     "max_leaf_nodes: not supported yet (a parameter of sklearn's RandomForestClassifier that coresweep's forest does not have)");
/// assert!(not_supported("n_estimators").is_none());
/// ```
pub fn not_supported(name: &str) -> Option<Error> {
    let name = NOT_SUPPORTED.iter().find(|n| **n == name.trim())?;
    Some(Error::param(
        name,
        "not supported yet (a parameter of sklearn's RandomForestClassifier that coresweep's forest does not have)",
    ))
}

/// The experiment a results document records, as the `(name, text)` pairs of a form or a
/// link ([`Request::from_text`](crate::plan::Request::from_text) reads them back): the
/// workload, the backend (the page's `backend=`; the CLI has threads only), every parameter of the registry (the dataset's but `random_state` only for
/// generated data: a table is chosen again, by its record), the workload's folds, level and
/// grid for a sequel, the thread counts and the repeats. What "Run the same experiment here"
/// and `coresweep sweep --like` start from.
///
/// ```
/// use coresweep::plan::Request;
/// use coresweep::registry::experiment_text;
/// use coresweep::sweep::{Device, SweepDocument};
///
/// let fields = [("n_samples", "300"), ("criterion", "entropy"), ("weights", "0.3,0.7"), ("threads", "1,2")];
/// let plan = Request::from_text(fields)?.check()?;
/// let mut document = SweepDocument::for_plan("native", String::new(), Device::default(), &plan);
/// document.add_point(1, vec![0.5, 0.6]);
/// document.add_point(2, vec![0.3, 0.4]);
/// let text = experiment_text(&document);
/// let same = Request::from_text(text.iter().map(|(k, v)| (k.as_str(), v.as_str())))?.check()?;
/// assert_eq!((same.dataset().unwrap().params(), same.forest().params()),
///     (plan.dataset().unwrap().params(), plan.forest().params()));
/// assert_eq!((same.threads(), same.repeats()), (&[1, 2][..], 2));
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn experiment_text(document: &SweepDocument) -> Vec<(String, String)> {
    let info = &document.workload;
    let mut params = info.kind.defaults();
    params.forest = document.forest.clone();
    params.dataset.random_state = document.forest.random_state;
    if let Some(dataset) = &document.dataset {
        params.dataset = dataset.clone();
    }
    let sequel = info.kind != Workload::Fit;
    if sequel {
        params.model_selection.cv = info.cv.unwrap_or(params.model_selection.cv);
        params.model_selection.cv_repeats = info.cv_repeats;
        params.model_selection.parallel = info.parallel.unwrap_or(params.model_selection.parallel);
    }
    let generated = document.dataset.is_some();
    let mut fields = vec![
        ("workload".to_owned(), info.kind.name().to_owned()),
        ("backend".to_owned(), document.backend.name().to_owned()),
    ];
    fields.extend(
        PARAMETERS
            .iter()
            .filter(|p| match p.group {
                Group::Dataset => generated || p.name == "random_state",
                Group::Forest => true,
                Group::Workload => sequel,
            })
            .map(|p| (p.name.to_owned(), p.text(&params))),
    );
    for (name, values) in info.grid.iter().flatten() {
        let values: Vec<String> = values
            .as_array()
            .into_iter()
            .flatten()
            .map(|value| match value {
                serde_json::Value::Null => "None".to_owned(),
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect();
        fields.push((format!("grid_{name}"), values.join(",")));
    }
    let threads: Vec<String> = document
        .points
        .iter()
        .map(|p| p.threads.to_string())
        .collect();
    if !threads.is_empty() {
        fields.push(("threads".to_owned(), threads.join(",")));
    }
    if let Some(repeats) = document.points.iter().map(|p| p.fit_seconds.len()).max() {
        fields.push(("repeats".to_owned(), repeats.to_string()));
    }
    fields
}

/// A parameter's text as the JSON value of its Python literal: a number, `true`/`false`,
/// `null` for None, else a string (`{"max_features": 2}`, `{"max_features": "sqrt"}`).
///
/// ```
/// use coresweep::registry::json_value;
/// assert_eq!(json_value("2"), serde_json::json!(2));
/// assert_eq!(json_value("0.5"), serde_json::json!(0.5));
/// assert_eq!(json_value("None"), serde_json::Value::Null);
/// assert_eq!(json_value("sqrt"), serde_json::json!("sqrt"));
/// ```
pub fn json_value(text: &str) -> serde_json::Value {
    if input::is_none(text) {
        return serde_json::Value::Null;
    }
    match serde_json::from_str::<serde_json::Value>(text.trim()) {
        Ok(value @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => value,
        _ => serde_json::Value::String(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parameter's text reads back to the same value, so the form, the link and the
    /// CLI's `[default: …]` say exactly what runs.
    #[test]
    fn text_reads_back_to_the_same_parameters() {
        let mut odd = Parameters::default();
        odd.dataset.weights = Some(vec![0.25, 0.75]);
        odd.dataset.shift = Shift::Random;
        odd.dataset.scale = Scale::Value(2.0);
        odd.forest.max_depth = Some(7);
        odd.forest.max_features = MaxFeatures::Fraction(1.0);
        odd.forest.max_samples = Some(MaxSamples::Count(5));
        odd.forest.criterion = Criterion::LogLoss;
        odd.model_selection.cv_repeats = None;
        odd.model_selection.parallel = Parallel::Inner;
        for params in [Parameters::default(), odd] {
            let mut read = Parameters {
                dataset: ClassificationParams::default(),
                forest: ForestParams::default(),
                model_selection: ModelSelectionParams {
                    cv: 2,
                    cv_repeats: None,
                    parallel: Parallel::Both,
                },
            };
            for p in PARAMETERS {
                p.set(&mut read, &p.text(&params)).unwrap();
            }
            assert_eq!(read, params);
        }
    }

    #[test]
    fn names_are_unique_and_every_field_has_a_row() {
        let mut names: Vec<&str> = PARAMETERS.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PARAMETERS.len());
        let fields = |value: serde_json::Value| -> Vec<String> {
            value.as_object().unwrap().keys().cloned().collect()
        };
        let defaults = Parameters::default();
        for field in fields(serde_json::to_value(&defaults.dataset).unwrap())
            .into_iter()
            .chain(fields(serde_json::to_value(&defaults.forest).unwrap()))
        {
            assert!(parameter(&field).is_some(), "no row for {field}");
        }
    }
}
