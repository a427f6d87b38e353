//! Running an experiment: the data made once, then fitted as often as asked — by the CLI's
//! runner (a pool of exactly k threads per point, wall-clock timing of the fit alone) and by
//! the page's workers, which time `Experiment::fit` themselves: wasm32 has no clock in std and
//! no thread spawning in rayon's builder.

use std::time::Instant;

use super::{SweepDocument, handover};
use crate::Error;
use crate::datasets::{Table, ValidClassificationParams};
use crate::forest::{Features, FitHook, ForestParams, RandomForest, ValidForestParams};
use crate::model_selection::{
    CrossValidator, GridSearch, Parallel, check_class_members, cross_val_score, grid_search_cv,
    train_test_split,
};
use crate::plan::{Plan, Workload, check_threads};

/// The training data and the checked forest parameters of one experiment, built once and
/// fitted as often as asked: by the runner, and by the page's workers (which time `fit`
/// with `performance.now()`).
pub struct Experiment {
    x: Features,
    y: Vec<i64>,
    forest: ValidForestParams,
    /// Seeds the hold-out split of `fit_report`.
    split_random_state: u32,
    /// What [`Experiment::run_workload`] times (the plan's workload).
    workload: Workload,
    /// How a cross-validation or grid search splits and fits; `None` for a fit.
    model_selection: Option<ModelSelection>,
    /// Trees one run of the workload grows.
    trees: usize,
}

/// How a cross-validation or grid search splits and fits.
struct ModelSelection {
    cv: CrossValidator,
    parallel: Parallel,
    candidates: Vec<ValidForestParams>,
}

impl Experiment {
    /// Generates the dataset and checks that the forest can be fitted on it (data the forest
    /// refuses, an `X` that overflows `f32`, is known only once it is made). The hold-out
    /// split is seeded with the dataset's `random_state`.
    pub fn new(
        dataset: &ValidClassificationParams,
        forest: &ValidForestParams,
    ) -> Result<Self, Error> {
        let data = dataset.generate();
        let x = Features::from_row_major(&data.x, data.n_samples, data.n_features)?;
        Experiment::on_rows(x, data.y, forest, dataset.params().random_state)
    }

    /// The rows `x` and labels `y` for `forest`, checked (data the forest refuses is refused
    /// here), with the hold-out split seeded by `split_random_state`; a fit until a plan's
    /// workload is set.
    fn on_rows(
        x: Features,
        y: Vec<i64>,
        forest: &ValidForestParams,
        split_random_state: u32,
    ) -> Result<Self, Error> {
        forest.check_fit_input(&x, &y)?;
        Ok(Experiment {
            x,
            y,
            forest: forest.clone(),
            split_random_state,
            workload: Workload::Fit,
            model_selection: None,
            trees: forest.params().n_estimators,
        })
    }

    /// The rows and labels of a table read by the plan (copied: the plan keeps its table for
    /// the plans made of it), checked as [`Experiment::new`] checks generated data. The
    /// hold-out split is seeded with `random_state`.
    fn on_table(
        table: &Table,
        forest: &ValidForestParams,
        random_state: u32,
    ) -> Result<Self, Error> {
        Experiment::on_rows(table.x.clone(), table.y.clone(), forest, random_state)
    }

    /// The data of `plan` (generated, or its table) for its forest, without its workload: what
    /// one fit needs.
    pub fn of_data(plan: &Plan) -> Result<Self, Error> {
        match (plan.table(), plan.dataset()) {
            (Some(table), _) => Experiment::on_table(table, plan.forest(), plan.random_state()),
            (None, Some(dataset)) => Experiment::new(dataset, plan.forest()),
            (None, None) => Err(Error::param(
                "data",
                "the plan's table was read elsewhere: make the plan again with its bytes (Plan::from_json_with_table)",
            )),
        }
    }

    /// The experiment of `plan`, its workload included. For cross-validation and grid search
    /// on generated data the folds are checked against the classes right after the data is
    /// made and before any fit (param `cv`): `flip_y` relabels rows at random, so the class
    /// counts are known only now (a table's were checked with the plan).
    pub fn for_plan(plan: &Plan) -> Result<Self, Error> {
        Experiment::of_data(plan)?.with_workload(plan)
    }

    /// The experiment of `plan` on a dataset another engine made of the same plan
    /// ([`Experiment::data_bytes`]) instead of generating or reading it again: bytes of
    /// another shape or of other data are refused (param `data`), and the rows are checked as
    /// [`Experiment::for_plan`] checks the data it makes.
    pub fn for_plan_on_data(plan: &Plan, bytes: &[u8]) -> Result<Self, Error> {
        let (x, y) = handover::decode(plan, bytes)?;
        Experiment::on_rows(x, y, plan.forest(), plan.random_state())?.with_workload(plan)
    }

    /// The rows and labels as bytes for another engine of `plan` (the plan this experiment was
    /// made of): [`Experiment::for_plan_on_data`] reads them.
    pub fn data_bytes(&self, plan: &Plan) -> Vec<u8> {
        handover::encode(plan, &self.x, &self.y)
    }

    /// This experiment (its data made) with `plan`'s workload.
    fn with_workload(self, plan: &Plan) -> Result<Self, Error> {
        let mut experiment = self;
        experiment.workload = plan.workload();
        if plan.workload() != Workload::Fit {
            let cv = plan.cross_validator();
            if plan.table_info().is_none() {
                check_class_members(cv.n_splits(), &experiment.y)?;
            }
            experiment.model_selection = Some(ModelSelection {
                cv,
                parallel: plan.parallel(),
                candidates: plan.candidates().to_vec(),
            });
            experiment.trees = plan.workload_trees();
        }
        Ok(experiment)
    }

    /// Trees one run of the workload grows ([`Plan::workload_trees`]).
    pub fn workload_trees(&self) -> usize {
        self.trees
    }

    /// Runs the workload once in the current rayon pool, timed as the tutorials' `time()`
    /// pair encloses it: the fit; the whole `cross_val_score` (splitting included); the whole
    /// `GridSearchCV.fit`, refit included. Quality is measured after the clock stops.
    pub fn run_workload(&self, hook: &dyn FitHook) -> Result<WorkloadReport, Error> {
        let start = Instant::now();
        if self.workload == Workload::Fit {
            let forest = self.fit(hook)?;
            let seconds = start.elapsed().as_secs_f64();
            let oob_accuracy = self.oob_accuracy(&forest);
            return Ok(WorkloadReport {
                seconds,
                outcome: Outcome::Fit {
                    oob_accuracy,
                    total_nodes: Some(forest.total_nodes()),
                },
            });
        }
        let outcome = self.run_untimed(hook)?;
        Ok(WorkloadReport {
            seconds: start.elapsed().as_secs_f64(),
            outcome,
        })
    }

    /// Runs the workload once in the current rayon pool without a clock, for callers that time
    /// the call themselves (the page's workers: wasm32's std has no clock). A cross-validation
    /// or grid search is all the call does, its results read from the outcome; a fit also
    /// measures its out-of-bag accuracy, so time [`Experiment::fit`] instead.
    pub fn run_untimed(&self, hook: &dyn FitHook) -> Result<Outcome, Error> {
        let Some(selection) = &self.model_selection else {
            let forest = self.fit(hook)?;
            return Ok(Outcome::Fit {
                oob_accuracy: self.oob_accuracy(&forest),
                total_nodes: Some(forest.total_nodes()),
            });
        };
        let folds = selection.cv.split(&self.y)?;
        let (x, y, parallel) = (&self.x, &self.y, selection.parallel);
        let candidates = &selection.candidates;
        Ok(match self.workload {
            Workload::GridSearch => {
                Outcome::GridSearch(grid_search_cv(candidates, x, y, &folds, parallel, hook)?)
            }
            Workload::CrossValScore | Workload::Fit => {
                let scores = cross_val_score(&candidates[0], x, y, &folds, parallel, hook)?;
                Outcome::CrossValScore { scores }
            }
        })
    }

    /// The training rows and their labels.
    pub fn data(&self) -> (&Features, &[i64]) {
        (&self.x, &self.y)
    }

    /// Number of trees one fit builds.
    pub fn n_estimators(&self) -> usize {
        self.forest.params().n_estimators
    }

    /// Fits on all rows in the current rayon pool; `hook` hears of every tree.
    pub fn fit(&self, hook: &dyn FitHook) -> Result<RandomForest, Error> {
        self.forest.fit(&self.x, &self.y, hook)
    }

    /// Fits a forest of `trees` of the configured trees (at least 1, at most all) on all rows
    /// and drops it. Untimed work for a JIT: V8 runs wasm in baseline code first and optimises
    /// the hot functions while they run, so without it the first fit of a page, the baseline
    /// of every speed-up, would pay that alone.
    pub fn warm_up(&self, trees: usize) -> Result<(), Error> {
        let params = ForestParams {
            n_estimators: trees.clamp(1, self.n_estimators()),
            ..self.forest.params().clone()
        };
        params.check()?.fit(&self.x, &self.y, &()).map(drop)
    }

    /// Out-of-bag accuracy of `forest`, fitted by [`Experiment::fit`] on all rows (`None`
    /// without bootstrap).
    pub fn oob_accuracy(&self, forest: &RandomForest) -> Option<f64> {
        forest.oob_accuracy(&self.x, &self.y)
    }
}

/// One timed run of a workload and what it found.
#[derive(Clone, Debug)]
pub struct WorkloadReport {
    /// Wall-clock seconds of the whole workload.
    pub seconds: f64,
    /// Its result.
    pub outcome: Outcome,
}

/// What a workload found.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// A fit on all rows: its out-of-bag accuracy and the forest's size.
    Fit {
        /// `None` without bootstrap.
        oob_accuracy: Option<f64>,
        /// Nodes of all the forest's trees.
        total_nodes: Option<usize>,
    },
    /// `cross_val_score`'s scores, in sklearn's split order.
    CrossValScore {
        /// One accuracy per fold.
        scores: Vec<f64>,
    },
    /// `GridSearchCV`'s results and refit.
    GridSearch(GridSearch),
}

/// What one fit measured.
#[derive(Clone, Debug, PartialEq)]
pub struct FitReport {
    /// Wall-clock seconds of `fit` alone.
    pub fit_seconds: f64,
    /// Out-of-bag accuracy on the rows the forest was fitted on.
    pub oob_accuracy: Option<f64>,
    /// Accuracy on the held-out rows (`None` without a split).
    pub holdout_accuracy: Option<f64>,
    /// Nodes of all trees together.
    pub total_nodes: usize,
    /// Rows the forest was fitted on.
    pub n_train: usize,
    /// Held-out rows.
    pub n_test: usize,
}

impl Experiment {
    /// Fits on all rows in the current rayon pool; returns the forest and the seconds
    /// `fit` took.
    pub fn timed_fit(&self, hook: &dyn FitHook) -> Result<(RandomForest, f64), Error> {
        timed_fit(&self.forest, &self.x, &self.y, hook)
    }

    /// One fit in the current rayon pool and its quality. With `test_size` > 0 the forest
    /// is fitted on the training part of sklearn's `train_test_split` and scored on the
    /// rest; out-of-bag accuracy is always measured on the rows it was fitted on.
    pub fn fit_report(&self, test_size: f64, hook: &dyn FitHook) -> Result<FitReport, Error> {
        if test_size == 0.0 {
            let (forest, fit_seconds) = self.timed_fit(hook)?;
            return Ok(self.report(&forest, fit_seconds, &self.x, &self.y, None));
        }
        let (train, test) = train_test_split(self.y.len(), test_size, self.split_random_state)?;
        let x_train = self.x.select_rows(&train);
        let y_train: Vec<i64> = train.iter().map(|&i| self.y[i]).collect();
        let (forest, fit_seconds) = timed_fit(&self.forest, &x_train, &y_train, hook)?;
        let x_test = self.x.select_rows(&test);
        let y_test: Vec<i64> = test.iter().map(|&i| self.y[i]).collect();
        let holdout = forest.accuracy(&x_test, &y_test);
        Ok(self.report(
            &forest,
            fit_seconds,
            &x_train,
            &y_train,
            Some((holdout, test.len())),
        ))
    }

    fn report(
        &self,
        forest: &RandomForest,
        fit_seconds: f64,
        x_train: &Features,
        y_train: &[i64],
        holdout: Option<(f64, usize)>,
    ) -> FitReport {
        FitReport {
            fit_seconds,
            oob_accuracy: forest.oob_accuracy(x_train, y_train),
            holdout_accuracy: holdout.map(|(accuracy, _)| accuracy),
            total_nodes: forest.total_nodes(),
            n_train: x_train.n_rows(),
            n_test: holdout.map_or(0, |(_, n)| n),
        }
    }
}

fn timed_fit(
    forest: &ValidForestParams,
    x: &Features,
    y: &[i64],
    hook: &dyn FitHook,
) -> Result<(RandomForest, f64), Error> {
    let start = Instant::now();
    let fitted = forest.fit(x, y, hook)?;
    Ok((fitted, start.elapsed().as_secs_f64()))
}

/// Progress of [`run_sweep`], for a progress bar.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepEvent {
    /// A timed fit starts.
    FitStarted {
        /// Size of the pool it runs in.
        threads: usize,
        /// Which repeat, counting from 0.
        repeat: usize,
    },
    /// A timed fit ended.
    FitFinished {
        /// Size of the pool it ran in.
        threads: usize,
        /// Which repeat, counting from 0.
        repeat: usize,
        /// Wall-clock seconds of the fit.
        seconds: f64,
    },
    /// The fits with `threads` threads are done and their point is in the document.
    PointAdded {
        /// Size of the pool the fits ran in.
        threads: usize,
    },
    /// The untimed fit that measures hold-out accuracy starts.
    QualityStarted,
}

/// Runs the sweep of `plan` on `experiment` (made from the plan by the caller, so that data
/// the forest refuses is refused before anything is written), and adds its points and
/// quality to `document`.
///
/// For each thread count k a fresh rayon pool of exactly k threads runs the workload
/// `repeats` times, each timed alone: a fit of all rows, or a whole cross-validation or grid
/// search ([`Experiment::run_workload`], whose last run gives the fold scores or the search's
/// results as quality). Quality is measured outside the timed fits: with
/// `test_size` 0 the last timed forest gives the out-of-bag accuracy; otherwise one more
/// fit on the training split gives both accuracies, as [`Experiment::fit_report`] does.
/// `on_event` sees every event with the document as it stands, so a caller can save the
/// points measured so far. `hook` hears of every tree of every fit and can stop the sweep
/// (with [`Error::Cancelled`]).
pub fn run_sweep(
    document: &mut SweepDocument,
    experiment: &Experiment,
    plan: &Plan,
    hook: &dyn FitHook,
    mut on_event: impl FnMut(SweepEvent, &SweepDocument),
) -> Result<(), Error> {
    let (repeats, test_size) = (plan.repeats(), plan.test_size());
    let mut last_forest = None;
    let mut last_outcome = None;
    for &threads in plan.threads() {
        let pool = thread_pool(threads)?;
        let mut fit_seconds = Vec::with_capacity(repeats);
        for repeat in 0..repeats {
            on_event(SweepEvent::FitStarted { threads, repeat }, document);
            let seconds = if plan.workload() == Workload::Fit {
                let (forest, seconds) = pool.install(|| experiment.timed_fit(hook))?;
                last_forest = Some(forest);
                seconds
            } else {
                let report = pool.install(|| experiment.run_workload(hook))?;
                last_outcome = Some(report.outcome);
                report.seconds
            };
            on_event(
                SweepEvent::FitFinished {
                    threads,
                    repeat,
                    seconds,
                },
                document,
            );
            fit_seconds.push(seconds);
        }
        document.add_point(threads, fit_seconds);
        on_event(SweepEvent::PointAdded { threads }, document);
    }
    let quality = &mut document.quality;
    match last_outcome {
        Some(outcome) => quality.record(&outcome, plan),
        _ if test_size == 0.0 => {
            quality.oob_accuracy = last_forest
                .as_ref()
                .and_then(|forest| experiment.oob_accuracy(forest));
            quality.total_nodes = last_forest.as_ref().map(RandomForest::total_nodes);
            quality.holdout_accuracy = None;
        }
        _ => {
            on_event(SweepEvent::QualityStarted, document);
            let widest = plan.threads().iter().copied().max().unwrap_or(1);
            let report = thread_pool(widest)?.install(|| experiment.fit_report(test_size, hook))?;
            document.quality.oob_accuracy = report.oob_accuracy;
            document.quality.holdout_accuracy = report.holdout_accuracy;
        }
    }
    Ok(())
}

/// A rayon pool of exactly `threads` threads; run work in it with `install`.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    check_threads(threads)?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::param("threads", format!("cannot start {threads} threads: {e}")))
}
