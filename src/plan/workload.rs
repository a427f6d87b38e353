//! What is timed: the first tutorial's fit, or its sequels' cross-validation and grid search.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::registry::Parameters;

/// What is timed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    /// `RandomForestClassifier(...).fit(X, y)`: the first tutorial.
    #[default]
    Fit,
    /// `cross_val_score(forest, X, y, scoring="accuracy", cv=...)`: sequel 1.
    CrossValScore,
    /// `GridSearchCV(forest, grid, cv=...).fit(X, y)`, refit included: sequel 2.
    GridSearch,
}

impl Workload {
    /// Every workload, in the tutorials' order.
    pub const ALL: [Workload; 3] = [Workload::Fit, Workload::CrossValScore, Workload::GridSearch];

    /// `"fit"`, `"cross_val_score"` or `"grid_search"`: the page's and the document's name.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Fit => "fit",
            Workload::CrossValScore => "cross_val_score",
            Workload::GridSearch => "grid_search",
        }
    }

    /// The CLI's name: its command that runs the workload once (`cross-val`, `grid-search`).
    /// Kept beside [`name`](Self::name) because [`from_name`](Self::from_name) reads both,
    /// so that a link and a flag are read, and refused, by one function in the same words.
    pub fn command(self) -> &'static str {
        match self {
            Workload::Fit => "fit",
            Workload::CrossValScore => "cross-val",
            Workload::GridSearch => "grid-search",
        }
    }

    /// Reads a workload by its [name](Self::name) or its CLI [command](Self::command)
    /// (param `workload`).
    ///
    /// ```
    /// use coresweep::plan::Workload;
    /// assert_eq!(Workload::from_name("grid-search"), Workload::from_name("grid_search"));
    /// assert_eq!(Workload::from_name("x").unwrap_err().to_string(),
    ///     "workload: expected fit, cross_val_score (cross-val) or grid_search (grid-search), got \"x\"");
    /// ```
    pub fn from_name(text: &str) -> Result<Workload, Error> {
        let text = text.trim();
        Workload::ALL
            .into_iter()
            .find(|w| w.name() == text || w.command() == text)
            .ok_or_else(|| {
                Error::param(
                    "workload",
                    format!(
                        "expected fit, cross_val_score (cross-val) or grid_search (grid-search), got {text:?}"
                    ),
                )
            })
    }

    /// The parameters this workload starts from: the blog's for `fit`, the sequels' otherwise.
    pub fn defaults(self) -> Parameters {
        match self {
            Workload::Fit => Parameters::default(),
            Workload::CrossValScore | Workload::GridSearch => Parameters::sequels(),
        }
    }
}
