//! sklearn's `ParameterGrid` and `GridSearchCV` (`sklearn/model_selection/_search.py`) over
//! forest parameters: the candidates in sklearn's order, each scored on every fold, ranked by
//! mean score with sklearn's tie rule, and the best refitted on all rows.

use super::Fold;
use super::validate::{Parallel, Workload, fit_and_score};
use crate::Error;
use crate::forest::{Features, FitHook, RandomForest, ValidForestParams};
use crate::numeric::{mean, std};

/// sklearn's `ParameterGrid({name: values, …})` with each value as text: the candidates are the
/// product of the values, names sorted, the last name varying fastest.
///
/// ```
/// use coresweep::model_selection::parameter_grid;
/// let grid = [("min_samples_leaf".to_owned(), vec!["1".to_owned(), "2".to_owned()]),
///             ("max_features".to_owned(), vec!["3".to_owned(), "4".to_owned()])];
/// let candidates = parameter_grid(&grid);
/// assert_eq!(candidates[1], [("max_features".to_owned(), "3".to_owned()),
///                            ("min_samples_leaf".to_owned(), "2".to_owned())]);
/// assert_eq!(candidates.len(), 4);
/// ```
pub fn parameter_grid(grid: &[(String, Vec<String>)]) -> Vec<Vec<(String, String)>> {
    let mut sorted: Vec<&(String, Vec<String>)> = grid.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted
        .into_iter()
        .fold(vec![Vec::new()], |candidates, (name, values)| {
            candidates
                .iter()
                .flat_map(|candidate| {
                    values.iter().map(move |value| {
                        let mut next = candidate.clone();
                        next.push((name.clone(), value.clone()));
                        next
                    })
                })
                .collect()
        })
}

/// scipy's `rankdata(-scores, method="min")`, as sklearn's `rank_test_score`: 1 for the best
/// mean score; tied candidates share the best rank of their group.
///
/// ```
/// use coresweep::model_selection::rank_min;
/// assert_eq!(rank_min(&[0.8, 0.9, 0.8, 0.7]), [2, 1, 2, 4]);
/// ```
pub fn rank_min(scores: &[f64]) -> Vec<usize> {
    scores
        .iter()
        .map(|s| 1 + scores.iter().filter(|other| *other > s).count())
        .collect()
}

/// What [`grid_search_cv`] found: sklearn's `cv_results_` (candidate order, read through
/// [`GridSearchScores`]'s fields: `search.mean_test_score`, `search.best_index`, …) and the refit.
#[derive(Clone, Debug)]
pub struct GridSearch {
    /// The candidates' scores, ranked.
    pub scores: GridSearchScores,
    /// The best candidate fitted on all rows (`best_estimator_`).
    pub best_forest: RandomForest,
}

impl std::ops::Deref for GridSearch {
    type Target = GridSearchScores;

    fn deref(&self) -> &GridSearchScores {
        &self.scores
    }
}

/// Every candidate's scores ranked as `GridSearchCV` ranks them, before the refit.
#[derive(Clone, Debug)]
pub struct GridSearchScores {
    /// Each candidate's score on each fold (`split{i}_test_score`), `[candidate][fold]`.
    pub split_test_scores: Vec<Vec<f64>>,
    /// Each candidate's mean over the folds (numpy's mean).
    pub mean_test_score: Vec<f64>,
    /// Each candidate's standard deviation over the folds (numpy's population std).
    pub std_test_score: Vec<f64>,
    /// Each candidate's rank by mean score, 1 the best, ties sharing the lowest rank ([`rank_min`]).
    pub rank_test_score: Vec<usize>,
    /// sklearn's `best_index_`: the first candidate ranked 1.
    pub best_index: usize,
    /// The best candidate's mean score (`best_score_`).
    pub best_score: f64,
}

impl GridSearchScores {
    /// Ranks the candidates of `split_test_scores` (`[candidate][fold]`, at least one).
    pub fn rank(split_test_scores: Vec<Vec<f64>>) -> GridSearchScores {
        let mean_test_score: Vec<f64> = split_test_scores.iter().map(|s| mean(s)).collect();
        let std_test_score = split_test_scores.iter().map(|s| std(s)).collect();
        let rank_test_score = rank_min(&mean_test_score);
        let best_index = rank_test_score.iter().position(|&r| r == 1).unwrap_or(0);
        GridSearchScores {
            best_score: mean_test_score.get(best_index).copied().unwrap_or(f64::NAN),
            split_test_scores,
            mean_test_score,
            std_test_score,
            rank_test_score,
            best_index,
        }
    }

    /// The search's results with the best candidate refitted on all rows.
    pub fn with_forest(self, best_forest: RandomForest) -> GridSearch {
        GridSearch {
            scores: self,
            best_forest,
        }
    }
}

/// sklearn's `GridSearchCV(forest, grid, cv=folds, scoring="accuracy").fit(X, y)` with the
/// grid's candidates already made into forests (`candidates`, in [`parameter_grid`] order):
/// every candidate on every fold in the current rayon pool at the `parallel` level, then the
/// best refitted on all rows with its trees in parallel (the one fit left, at any level).
/// `hook` hears of every tree, the refit's included.
pub fn grid_search_cv(
    candidates: &[ValidForestParams],
    x: &Features,
    y: &[i64],
    folds: &[Fold],
    parallel: Parallel,
    hook: &dyn FitHook,
) -> Result<GridSearch, Error> {
    if candidates.is_empty() {
        return Err(Error::param("grid", "is empty: give at least one value"));
    }
    let most_trees = candidates
        .iter()
        .map(|c| c.params().n_estimators)
        .max()
        .unwrap_or(0);
    let split_test_scores = fit_and_score(candidates, x, y, folds, parallel, hook, most_trees)?;
    let ranked = GridSearchScores::rank(split_test_scores);
    let best_forest = candidates[ranked.best_index].fit(x, y, &Workload(hook))?;
    Ok(ranked.with_forest(best_forest))
}
