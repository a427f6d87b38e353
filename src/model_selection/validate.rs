//! sklearn's `cross_val_score` with `scoring="accuracy"`, and the fitting of candidate × fold
//! pairs it shares with [`grid_search_cv`](super::grid_search_cv), at one of three
//! [`Parallel`] levels. Every pair's forest is seeded alike whatever the level, so the scores
//! are the same for any level and thread count.

use rayon::prelude::*;

use super::Fold;
use crate::Error;
use crate::forest::{Features, FitHook, ValidForestParams};

/// Where cross-validation and grid search spend their threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Parallel {
    /// Folds (candidate × fold pairs) in parallel, each forest on one thread: sklearn's
    /// `n_jobs=k` of `cross_val_score` and `GridSearchCV` with `RandomForestClassifier(n_jobs=1)`.
    Outer,
    /// Folds one after the other, each forest's trees in parallel: `n_jobs=k` of the forest.
    Inner,
    /// Both at once, nested in one pool; rayon's work stealing balances them.
    Both,
}

impl Parallel {
    /// `"outer"`, `"inner"` or `"both"`, as the CLI, the page and the document name it.
    pub fn name(self) -> &'static str {
        match self {
            Parallel::Outer => "outer",
            Parallel::Inner => "inner",
            Parallel::Both => "both",
        }
    }

    /// Reads a level by its [name](Self::name) (param `parallel`).
    ///
    /// ```
    /// use coresweep::model_selection::Parallel;
    /// assert_eq!(Parallel::from_name("both"), Ok(Parallel::Both));
    /// assert_eq!(Parallel::from_name("x").unwrap_err().to_string(),
    ///     "parallel: expected outer, inner or both, got \"x\"");
    /// ```
    pub fn from_name(text: &str) -> Result<Parallel, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "outer" => Ok(Parallel::Outer),
            "inner" => Ok(Parallel::Inner),
            "both" => Ok(Parallel::Both),
            _ => Err(Error::param(
                "parallel",
                format!("expected outer, inner or both, got {:?}", text.trim()),
            )),
        }
    }
}

/// Passes a workload's trees on to the caller's hook but not each forest's `fit_started`, so
/// a counter of finished trees counts across all the fits of one workload (which announces
/// their total itself).
pub(super) struct Workload<'a>(pub(super) &'a dyn FitHook);

impl FitHook for Workload<'_> {
    fn tree_starting(&self, index: usize) -> Result<(), Error> {
        self.0.tree_starting(index)
    }

    fn tree_finished(&self, index: usize) {
        self.0.tree_finished(index);
    }
}

/// The accuracy of `forest` fitted on each fold's training rows and scored on its test rows,
/// as `[candidate][fold]`, with `parallel` deciding where the threads of the current rayon pool
/// go. `hook` hears `fit_started` once, with every tree of every fit, then each tree; `extra`
/// trees (a refit the caller runs after) are counted in that total.
pub(super) fn fit_and_score(
    candidates: &[ValidForestParams],
    x: &Features,
    y: &[i64],
    folds: &[Fold],
    parallel: Parallel,
    hook: &dyn FitHook,
    extra_trees: usize,
) -> Result<Vec<Vec<f64>>, Error> {
    let trees: usize = candidates.iter().map(|c| c.params().n_estimators).sum();
    hook.fit_started(trees * folds.len() + extra_trees);
    let hook = Workload(hook);
    // sklearn's order: candidate-major, fold-minor.
    let pairs: Vec<(&ValidForestParams, &Fold)> = candidates
        .iter()
        .flat_map(|candidate| folds.iter().map(move |fold| (candidate, fold)))
        .collect();
    let score = |(forest, fold): (&ValidForestParams, &Fold)| -> Result<f64, Error> {
        let x_train = x.select_rows(&fold.train);
        let y_train: Vec<i64> = fold.train.iter().map(|&i| y[i]).collect();
        let fitted = match parallel {
            Parallel::Outer => forest.fit_on_one_thread(&x_train, &y_train, &hook)?,
            Parallel::Inner | Parallel::Both => forest.fit(&x_train, &y_train, &hook)?,
        };
        let y_test: Vec<i64> = fold.test.iter().map(|&i| y[i]).collect();
        Ok(fitted.accuracy(&x.select_rows(&fold.test), &y_test))
    };
    let scores: Vec<f64> = match parallel {
        Parallel::Inner => pairs.into_iter().map(score).collect::<Result<_, _>>()?,
        Parallel::Outer | Parallel::Both => pairs
            .into_par_iter()
            .with_max_len(1)
            .map(score)
            .collect::<Result<_, _>>()?,
    };
    Ok(scores
        .chunks(folds.len().max(1))
        .map(<[f64]>::to_vec)
        .collect())
}

/// sklearn's `cross_val_score(forest, X, y, scoring="accuracy", cv=folds)`: the accuracy on
/// each fold's test rows of the forest fitted on its training rows, in the folds' order, in the
/// current rayon pool at the `parallel` level. `hook` hears of every tree of every fold.
///
/// ```
/// use coresweep::forest::{Features, ForestParams};
/// use coresweep::model_selection::{Parallel, StratifiedKFold, cross_val_score};
///
/// let x: Vec<f64> = (0..40).map(f64::from).collect();
/// let y: Vec<i64> = (0..40).map(|i| i64::from(i >= 20)).collect();
/// let x = Features::from_row_major(&x, 40, 1)?;
/// let folds = StratifiedKFold { n_splits: 4, random_state: None }.split(&y)?;
/// let forest = ForestParams { n_estimators: 5, ..ForestParams::default() }.check()?;
/// let scores = cross_val_score(&forest, &x, &y, &folds, Parallel::Outer, &())?;
/// assert_eq!(scores.len(), 4);
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn cross_val_score(
    forest: &ValidForestParams,
    x: &Features,
    y: &[i64],
    folds: &[Fold],
    parallel: Parallel,
    hook: &dyn FitHook,
) -> Result<Vec<f64>, Error> {
    let mut scores = fit_and_score(std::slice::from_ref(forest), x, y, folds, parallel, hook, 0)?;
    Ok(scores.pop().unwrap_or_default())
}
