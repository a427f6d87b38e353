//! [`Shard`]: one worker's engine in the workers backend.

use std::borrow::Cow;

use super::schedule::{Schedule, Task};
use super::wire::{decode_score, decode_trees, encode_score, encode_trees};
use crate::Error;
use crate::forest::{Features, FitHook, RandomForest, TreeGrower, ValidForestParams};
use crate::model_selection::{Fold, GridSearchScores};
use crate::plan::{Plan, Workload};
use crate::sweep::{Experiment, Outcome, handover};
use crate::tree::Tree;

/// One worker's copy of the data and what it needs to run any [`Task`] of its plan's
/// [`Schedule`]: the folds (made from the labels, as every worker makes them alike) and the
/// shared part of the last forest it grew trees of, kept for its next steps of trees.
pub struct Shard {
    plan: Plan,
    x: Features,
    y: Vec<i64>,
    folds: Vec<Fold>,
    /// The candidate and fold of `grower`.
    grower: Option<((usize, Option<usize>), TreeGrower<'static>)>,
}

impl Shard {
    /// The data of `plan` as bytes for every worker ([`Shard::new`]): made once, by one worker
    /// (generated, or the plan's table), and checked as the threads backend checks it.
    pub fn data_of(plan: &Plan) -> Result<Vec<u8>, Error> {
        Ok(Experiment::for_plan(plan)?.data_bytes(plan))
    }

    /// A worker's engine for `plan` on its copy of the data, `data` ([`Shard::data_of`]);
    /// another plan's data is refused (`sweep::handover`).
    pub fn new(plan: Plan, data: &[u8]) -> Result<Shard, Error> {
        let (x, y) = handover::decode(&plan, data)?;
        let folds = match plan.workload() {
            Workload::Fit => Vec::new(),
            _ => plan.cross_validator().split(&y)?,
        };
        Ok(Shard {
            plan,
            x,
            y,
            folds,
            grower: None,
        })
    }

    /// The forest of candidate `candidate`: the plan's forest for a fit.
    fn forest(&self, candidate: usize) -> Result<&ValidForestParams, Error> {
        if self.plan.workload() == Workload::Fit {
            return Ok(self.plan.forest());
        }
        self.plan
            .candidates()
            .get(candidate)
            .ok_or_else(|| step_error(format!("no candidate {candidate}")))
    }

    fn fold(&self, fold: usize) -> Result<&Fold, Error> {
        self.folds
            .get(fold)
            .ok_or_else(|| step_error(format!("no fold {fold}")))
    }

    /// The rows and labels of fold `fold`'s training part (every row for `None`).
    fn training_rows(&self, fold: Option<usize>) -> Result<(Features, Vec<i64>), Error> {
        Ok(match fold {
            None => (self.x.clone(), self.y.clone()),
            Some(fold) => {
                let train = &self.fold(fold)?.train;
                (
                    self.x.select_rows(train),
                    train.iter().map(|&i| self.y[i]).collect(),
                )
            }
        })
    }

    /// The shared part of candidate `candidate`'s fit on fold `fold`, made on first use and
    /// kept while the next steps grow trees of the same forest.
    fn grower(
        &mut self,
        candidate: usize,
        fold: Option<usize>,
    ) -> Result<&TreeGrower<'static>, Error> {
        let key = (candidate, fold);
        if self.grower.as_ref().is_none_or(|(k, _)| *k != key) {
            let (x, y) = self.training_rows(fold)?;
            let grower = self.forest(candidate)?.grower(Cow::Owned(x), &y)?;
            self.grower = Some((key, grower));
        }
        Ok(&self.grower.as_ref().expect("made above").1)
    }

    /// Grows trees `first..end` (those below the forest's size) of a forest; `hook` hears of each.
    fn grow(
        &mut self,
        candidate: usize,
        fold: Option<usize>,
        trees: std::ops::Range<usize>,
        hook: &dyn FitHook,
    ) -> Result<Vec<u8>, Error> {
        let grower = self.grower(candidate, fold)?;
        let trees = trees.start.min(grower.n_trees())..trees.end.min(grower.n_trees());
        let grown = trees
            .map(|index| {
                hook.tree_starting(index)?;
                let tree = grower.grow(index);
                hook.tree_finished(index);
                Ok(tree)
            })
            .collect::<Result<Vec<Tree>, Error>>()?;
        Ok(encode_trees(&grown))
    }

    /// The forest of candidate `candidate` on fold `fold` made of `outputs`' trees, in order.
    fn forest_of(
        &mut self,
        candidate: usize,
        fold: Option<usize>,
        outputs: &[&[u8]],
    ) -> Result<RandomForest, Error> {
        let n_features = self.x.n_cols();
        let mut trees = Vec::new();
        for output in outputs {
            trees.extend(decode_trees(output, n_features)?);
        }
        let grower = self.grower(candidate, fold)?;
        if trees.len() != grower.n_trees() {
            return Err(step_error(format!(
                "{} trees for a forest of {}",
                trees.len(),
                grower.n_trees()
            )));
        }
        Ok(grower.forest(trees))
    }

    /// The accuracy of `forest` on fold `fold`'s test rows.
    fn score(&self, forest: &RandomForest, fold: usize) -> Result<f64, Error> {
        let test = &self.fold(fold)?.test;
        let y_test: Vec<i64> = test.iter().map(|&i| self.y[i]).collect();
        Ok(forest.accuracy(&self.x.select_rows(test), &y_test))
    }

    /// The best candidate by `scores` (every candidate's score on every fold, in order).
    fn best_candidate(&self, scores: &[&[u8]]) -> Result<usize, Error> {
        Ok(self.grid_scores(scores)?.best_index)
    }

    fn grid_scores(&self, scores: &[&[u8]]) -> Result<GridSearchScores, Error> {
        let scores = scores
            .iter()
            .map(|s| decode_score(s))
            .collect::<Result<Vec<f64>, Error>>()?;
        let n_folds = self.folds.len().max(1);
        if scores.len() != n_folds * self.plan.candidates().len() {
            return Err(step_error(format!(
                "{} scores for {} candidates × {n_folds} folds",
                scores.len(),
                self.plan.candidates().len()
            )));
        }
        let split: Vec<Vec<f64>> = scores.chunks(n_folds).map(<[f64]>::to_vec).collect();
        Ok(GridSearchScores::rank(split))
    }

    /// Runs `task` with the outputs of its input steps, `inputs`; returns its output.
    pub fn run(
        &mut self,
        task: &Task,
        inputs: &[&[u8]],
        hook: &dyn FitHook,
    ) -> Result<Vec<u8>, Error> {
        match *task {
            Task::GrowTrees {
                candidate,
                fold,
                first,
                end,
            } => self.grow(candidate, fold, first..end, hook),
            Task::FitAndScore { candidate, fold } => {
                let (x, y) = self.training_rows(Some(fold))?;
                let forest = self.forest(candidate)?.fit_on_one_thread(&x, &y, hook)?;
                Ok(encode_score(self.score(&forest, fold)?))
            }
            Task::ScoreTrees { candidate, fold } => {
                let forest = self.forest_of(candidate, Some(fold), inputs)?;
                Ok(encode_score(self.score(&forest, fold)?))
            }
            Task::RefitBest { first, end } => {
                let best = self.best_candidate(inputs)?;
                self.grow(best, None, first..end, hook)
            }
        }
    }

    /// What one run of the workload found, from the outputs of all of `schedule`'s steps (in
    /// step order): a fit's forest (its out-of-bag accuracy and nodes), the fold scores, or the
    /// grid search's results and refit.
    pub fn outcome(&mut self, schedule: &Schedule, outputs: &[&[u8]]) -> Result<Outcome, Error> {
        if outputs.len() != schedule.steps.len() {
            return Err(step_error(format!(
                "{} outputs for {} steps",
                outputs.len(),
                schedule.steps.len()
            )));
        }
        let of = |keep: fn(&Task) -> bool| -> Vec<&[u8]> {
            schedule
                .steps
                .iter()
                .zip(outputs)
                .filter(|(step, _)| keep(&step.task))
                .map(|(_, o)| *o)
                .collect()
        };
        let scores = of(|t| matches!(t, Task::FitAndScore { .. } | Task::ScoreTrees { .. }));
        Ok(match self.plan.workload() {
            Workload::Fit => {
                let forest =
                    self.forest_of(0, None, &of(|t| matches!(t, Task::GrowTrees { .. })))?;
                Outcome::Fit {
                    oob_accuracy: forest.oob_accuracy(&self.x, &self.y),
                    total_nodes: Some(forest.total_nodes()),
                }
            }
            Workload::CrossValScore => Outcome::CrossValScore {
                scores: scores
                    .iter()
                    .map(|s| decode_score(s))
                    .collect::<Result<_, _>>()?,
            },
            Workload::GridSearch => {
                let ranked = self.grid_scores(&scores)?;
                let best_forest = self.forest_of(
                    ranked.best_index,
                    None,
                    &of(|t| matches!(t, Task::RefitBest { .. })),
                )?;
                Outcome::GridSearch(ranked.with_forest(best_forest))
            }
        })
    }
}

/// A step that does not fit the plan: a bug in the dealer, never the user's doing.
fn step_error(message: String) -> Error {
    Error::InvalidData {
        what: "step",
        message: format!("a worker's step does not fit its plan: {message}"),
    }
}
