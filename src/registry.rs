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

/// What a parameter belongs to: sklearn's `make_classification` or `RandomForestClassifier`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// An argument of `make_classification`.
    Dataset,
    /// An argument of `RandomForestClassifier`.
    Forest,
}

impl Group {
    /// `"dataset"` or `"forest"`, as the page and the results document name the groups.
    pub fn name(self) -> &'static str {
        match self {
            Group::Dataset => "dataset",
            Group::Forest => "forest",
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
}

impl Default for Parameters {
    /// The blog experiment.
    fn default() -> Self {
        Parameters {
            dataset: ClassificationParams::blog(),
            forest: ForestParams::blog(),
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

    /// The CLI's flag: `--n-estimators`.
    pub fn flag(&self) -> String {
        format!("--{}", self.name.replace('_', "-"))
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
];

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
        for params in [Parameters::default(), odd] {
            let mut read = Parameters {
                dataset: ClassificationParams::default(),
                forest: ForestParams::default(),
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
