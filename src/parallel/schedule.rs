//! [`Schedule`]: a plan's workload cut into steps that workers can run anywhere, in any order
//! their needs allow.

use serde::{Deserialize, Serialize};

use crate::model_selection::Parallel;
use crate::plan::{Plan, Workload};

/// A forest's trees are cut into steps of shrinking size, guided self-scheduling: each step
/// takes this share of the trees left per worker. Large steps first, so that a worker always
/// has work queued while the page (whose main thread deals them) is busy drawing; single trees
/// at the end, so that the workers finish together.
const GUIDED_SHARE: usize = 2;

/// One piece of a workload, run by one worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Task {
    /// Grow the trees `first..end` of candidate `candidate`'s forest (the plan's forest for a
    /// fit) on the training rows of fold `fold` (all rows when `None`). Output: the trees.
    GrowTrees {
        candidate: usize,
        fold: Option<usize>,
        first: usize,
        end: usize,
    },
    /// Fit candidate `candidate` on fold `fold`'s training rows, its trees one after the other
    /// on this worker, and score it on the fold's test rows: the outer level's unit, as
    /// `cross_val_score(n_jobs=k)` runs `_fit_and_score` in a process. Output: the score.
    FitAndScore { candidate: usize, fold: usize },
    /// Put the trees of the inputs (every `GrowTrees` step of this candidate and fold, in tree
    /// order) together and score the forest on the fold's test rows. Output: the score.
    ScoreTrees { candidate: usize, fold: usize },
    /// The grid search's refit: rank the candidates by the inputs (every score, candidate
    /// by candidate, fold by fold) and grow the best one's trees `first..end` on all rows
    /// (fewer, or none, when the best has fewer trees). Output: the trees.
    RefitBest { first: usize, end: usize },
}

/// A task and what it waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// What to run.
    pub task: Task,
    /// Steps whose outputs this one reads, in this order; it starts when they are done.
    pub inputs: Vec<usize>,
    /// Steps that must be done first although their outputs are not read (the inner level:
    /// one fold after the other).
    pub after: Vec<usize>,
    /// Trees this step grows at most (the progress it makes).
    pub trees: usize,
}

/// The steps of one run of a plan's workload on `workers` workers; step `i` needs only steps
/// before it. A run is done when every step is; its outcome is read from all their outputs
/// ([`Shard::outcome`](super::Shard::outcome)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Schedule {
    /// In the order a dealer should prefer among those ready.
    pub steps: Vec<Step>,
}

impl Schedule {
    /// The steps of `plan`'s workload for `workers` workers: a fit's trees in runs of a few;
    /// at the outer level one step per candidate × fold; at the inner level each fold's trees
    /// dealt out, a fold after the one before it is scored; at both levels the same without
    /// the order; a grid search's refit after every score.
    ///
    /// ```
    /// use coresweep::parallel::{Schedule, Task};
    /// use coresweep::plan::Request;
    /// let plan = Request::from_text([("n_estimators", "10")])?.check()?;
    /// let schedule = Schedule::for_plan(&plan, 2);
    /// assert_eq!(schedule.steps.iter().map(|s| s.trees).sum::<usize>(), 10);
    /// assert!(matches!(schedule.steps[0].task, Task::GrowTrees { fold: None, first: 0, .. }));
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn for_plan(plan: &Plan, workers: usize) -> Schedule {
        let mut schedule = Schedule { steps: Vec::new() };
        if plan.workload() == Workload::Fit {
            schedule.grow(0, None, plan.forest().params().n_estimators, workers, &[]);
            return schedule;
        }
        let n_folds = plan.cross_validator().n_folds();
        let mut scores = Vec::new();
        let mut last_score: Option<usize> = None;
        for (candidate, forest) in plan.candidates().iter().enumerate() {
            let n_trees = forest.params().n_estimators;
            for fold in 0..n_folds {
                let score = match plan.parallel() {
                    Parallel::Outer => schedule.push(
                        Task::FitAndScore { candidate, fold },
                        vec![],
                        vec![],
                        n_trees,
                    ),
                    level => {
                        let after: Vec<usize> = match level {
                            Parallel::Inner => last_score.into_iter().collect(),
                            _ => Vec::new(),
                        };
                        let grown = schedule.grow(candidate, Some(fold), n_trees, workers, &after);
                        schedule.push(Task::ScoreTrees { candidate, fold }, grown, vec![], 0)
                    }
                };
                last_score = Some(score);
                scores.push(score);
            }
        }
        if plan.workload() == Workload::GridSearch {
            let most = plan
                .candidates()
                .iter()
                .map(|c| c.params().n_estimators)
                .max()
                .unwrap_or(0);
            for (first, end) in runs(most, workers) {
                schedule.push(
                    Task::RefitBest { first, end },
                    scores.clone(),
                    vec![],
                    end - first,
                );
            }
        }
        schedule
    }

    fn push(&mut self, task: Task, inputs: Vec<usize>, after: Vec<usize>, trees: usize) -> usize {
        self.steps.push(Step {
            task,
            inputs,
            after,
            trees,
        });
        self.steps.len() - 1
    }

    /// Adds the steps growing a forest's `n_trees` trees in runs; returns their indices.
    fn grow(
        &mut self,
        candidate: usize,
        fold: Option<usize>,
        n_trees: usize,
        workers: usize,
        after: &[usize],
    ) -> Vec<usize> {
        runs(n_trees, workers)
            .map(|(first, end)| {
                let task = Task::GrowTrees {
                    candidate,
                    fold,
                    first,
                    end,
                };
                self.push(task, vec![], after.to_vec(), end - first)
            })
            .collect()
    }
}

/// `0..n` cut into consecutive runs of shrinking size: a run takes `1 / (GUIDED_SHARE ·
/// workers)` of what is left, at least one.
///
/// ```text
/// 500 trees, 2 workers: 125, 94, 71, 53, 40, 30, 22, 17, 12, 9, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1
/// ```
fn runs(n: usize, workers: usize) -> impl Iterator<Item = (usize, usize)> {
    let parts = GUIDED_SHARE * workers.max(1);
    let mut first = 0;
    std::iter::from_fn(move || {
        let size = (n - first).div_ceil(parts);
        (size > 0).then(|| {
            let run = (first, first + size);
            first += size;
            run
        })
    })
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn runs_shrink_and_cover_every_tree_once() {
        let sizes: Vec<usize> = runs(500, 2).map(|(a, b)| b - a).collect();
        assert_eq!(&sizes[..4], &[125, 94, 71, 53]);
        assert_eq!(sizes.iter().sum::<usize>(), 500);
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(*sizes.last().unwrap(), 1);
        let mut next = 0;
        for (first, end) in runs(37, 3) {
            assert_eq!(first, next);
            next = end;
        }
        assert_eq!(next, 37);
        assert_eq!(runs(0, 4).count(), 0);
    }
}
