//! One experiment, checked once, for both faces: a [`Request`] (the parameters as given, typed
//! or as text) becomes a [`Plan`] (every value valid, the run's memory and time estimated) or
//! the first error, naming its parameter. The CLI and the page both make a plan before any
//! data is generated, so they refuse the same input with the same words at the same moment.
//!
//! The order of the checks is the order a user would fix them in: each value's own range,
//! then the dataset's and the forest's consistency (`max_features` against `n_features`), the
//! thread counts, the repeats, the hold-out share, the workload's folds and grid, and last the
//! size the run needs.
//!
//! A [`Workload`] is what is timed: the first tutorial's `fit`, or its sequels'
//! `cross_val_score` and `grid_search` (`GridSearchCV(...).fit`, refit included), whose
//! defaults are the sequels' ([`Parameters::sequels`], the registry's `cv`, `cv_repeats` and
//! `parallel`, the grid [`SEQUEL_GRID`]).
//!
//! ```
//! use coresweep::plan::Request;
//!
//! let plan = Request::from_text([("n_samples", "2000"), ("threads", "1,2")])?.check()?;
//! let n_samples = plan.dataset().map(|dataset| dataset.params().n_samples);
//! assert_eq!((n_samples, plan.threads()), (Some(2000), &[1, 2][..]));
//! let error = Request::from_text([("max_features", "100"), ("n_samples", "200000")])?
//!     .check()
//!     .unwrap_err();
//! assert_eq!(error.to_string(), "max_features: must be in [1, n_features] = [1, 70], got 100");
//! # Ok::<(), coresweep::Error>(())
//! ```

mod check;
mod request;
mod source;
mod threads;
mod wire;
mod workload;

use std::io::{self, Read};
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::Error;
use crate::budget::Estimate;
use crate::datasets::{
    ClassificationParams, Table, TableInfo, TableOptions, ValidClassificationParams,
};
use crate::forest::ValidForestParams;
use crate::model_selection::{CrossValidator, Parallel};
use crate::registry::{ModelSelectionParams, Parameters};
use source::SharedBytes;

pub use check::{
    check_cv, check_cv_repeats, check_grid, check_repeats, check_thread_counts, check_threads,
};
pub use request::Request;
pub use source::TableSource;
pub use threads::Threads;
pub use workload::Workload;

/// The largest thread count a sweep accepts, and the most points a document may hold.
pub const MAX_THREADS: usize = 1024;

/// The most timed repeats one point may hold.
pub const MAX_REPEATS: usize = 1000;

/// The most candidates a grid search may hold: with the sequels' 30 folds that is 3000
/// forests, hours on a laptop; more is a mistake rather than an experiment.
pub const MAX_CANDIDATES: usize = 100;

/// The most repeats of cross-validation (sklearn's `n_repeats`).
pub const MAX_CV_REPEATS: usize = 100;

/// The sequels' grid: `{"max_features": [1, 2, 3, 4, 5]}`.
pub const SEQUEL_GRID: (&str, &str) = ("max_features", "1,2,3,4,5");

/// A checked experiment: what to generate, what to fit, with which thread counts, how often,
/// and what it is expected to take. Only [`Request::check`] makes one.
#[derive(Clone, Debug)]
pub struct Plan {
    workload: Workload,
    model_selection: ModelSelectionParams,
    grid: Vec<(String, Vec<String>)>,
    /// The forests a cross-validation (one) or grid search (each candidate) fits per fold.
    candidates: Vec<ValidForestParams>,
    data: PlanData,
    forest: ValidForestParams,
    threads: Vec<usize>,
    repeats: usize,
    test_size: f64,
    memory_limit_bytes: u64,
    estimate: Estimate,
}

impl Plan {
    /// What is timed.
    pub fn workload(&self) -> Workload {
        self.workload
    }

    /// The splitter of cross-validation and grid search, shuffled from the
    /// [`random_state`](Self::random_state) when repeated.
    pub fn cross_validator(&self) -> CrossValidator {
        CrossValidator::new(
            self.model_selection.cv,
            self.model_selection.cv_repeats,
            self.random_state(),
        )
    }

    /// The seed of the splits (hold-out and repeated folds): the dataset's `random_state`, or
    /// for a table the forest's (the registry's `random_state` sets both).
    pub fn random_state(&self) -> u32 {
        match &self.data {
            PlanData::Generated(dataset) => dataset.params().random_state,
            PlanData::Table { .. } | PlanData::Described { .. } => {
                self.forest.params().random_state
            }
        }
    }

    /// The folds and parallel level as given (`cv`, `cv_repeats`, `parallel`).
    pub fn model_selection(&self) -> &ModelSelectionParams {
        &self.model_selection
    }

    /// Where cross-validation and grid search spend their threads.
    pub fn parallel(&self) -> Parallel {
        self.model_selection.parallel
    }

    /// The grid searched: each forest parameter with its values as the registry writes them.
    pub fn grid(&self) -> &[(String, Vec<String>)] {
        &self.grid
    }

    /// The forests fitted on every fold: the one forest of a cross-validation, or the grid's
    /// candidates in sklearn's order; none for `fit`.
    pub fn candidates(&self) -> &[ValidForestParams] {
        &self.candidates
    }

    /// Trees one run of the workload grows: the forest's for a fit; every fold's forest of
    /// every candidate, and the refit of the largest, for the sequels.
    pub fn workload_trees(&self) -> usize {
        if self.workload == Workload::Fit {
            return self.forest.params().n_estimators;
        }
        let trees = self.candidates.iter().map(|c| c.params().n_estimators);
        let refit = if self.workload == Workload::GridSearch {
            trees.clone().max().unwrap_or(0)
        } else {
            0
        };
        trees.sum::<usize>() * self.cross_validator().n_folds() + refit
    }

    /// The dataset to generate; `None` when the data is a table.
    pub fn dataset(&self) -> Option<&ValidClassificationParams> {
        match &self.data {
            PlanData::Generated(dataset) => Some(dataset),
            PlanData::Table { .. } | PlanData::Described { .. } => None,
        }
    }

    /// The table read for this plan (its rows, labels and [`TableInfo`]); `None` for generated
    /// data, and for a table read elsewhere ([`Request::check_on_table_info`]).
    pub fn table(&self) -> Option<&Table> {
        match &self.data {
            PlanData::Table { table, .. } => Some(table),
            PlanData::Generated(_) | PlanData::Described { .. } => None,
        }
    }

    /// What a results document records of the plan's table, read here or elsewhere; `None`
    /// for generated data.
    pub fn table_info(&self) -> Option<&TableInfo> {
        self.data.table_info().map(|(info, _)| info)
    }

    /// The forest to fit.
    pub fn forest(&self) -> &ValidForestParams {
        &self.forest
    }

    /// Thread counts, in the order they run.
    pub fn threads(&self) -> &[usize] {
        &self.threads
    }

    /// Timed runs per thread count.
    pub fn repeats(&self) -> usize {
        self.repeats
    }

    /// Share of rows held out for hold-out accuracy; 0 for none.
    pub fn test_size(&self) -> f64 {
        self.test_size
    }

    /// The run's memory and time, estimated.
    pub fn estimate(&self) -> &Estimate {
        &self.estimate
    }

    /// A warning to show before a run estimated to take minutes, else `None`.
    pub fn warning(&self) -> Option<String> {
        self.estimate.warning(&self.threads, self.repeats)
    }

    /// The plan as JSON text; [`Plan::from_json`] makes the same plan of it (a float `1.0`
    /// stays a share, unlike in a JS number).
    pub fn to_json(&self) -> String {
        wire::to_json(self)
    }

    /// Reads a plan written by [`Plan::to_json`] and checks it again. A plan on a table is
    /// read as the plan on the table's record ([`Request::check_on_table_info`]): its
    /// experiment needs the rows, read from the bytes ([`Plan::from_json_with_table`]) or
    /// handed over by an engine that has them
    /// ([`Experiment::for_plan_on_data`](crate::sweep::Experiment::for_plan_on_data)).
    pub fn from_json(text: &str) -> Result<Plan, Error> {
        wire::from_json(text, None::<fn(&str, TableOptions) -> TableSource>)
    }

    /// Reads a plan on a table written by [`Plan::to_json`], with the table's `bytes` (what
    /// a page's worker gets: the plan's text and the file's bytes), and checks it again: the
    /// bytes must hash to the planned table's SHA-256 (param `data`).
    pub fn from_json_with_table(text: &str, bytes: Vec<u8>) -> Result<Plan, Error> {
        let length = bytes.len() as u64;
        Plan::from_json_with_reader(text, length, SharedBytes::opener(bytes))
    }

    /// [`from_json_with_table`](Self::from_json_with_table) on a table of `length` bytes that
    /// `open` streams (a browser `File` in a page's worker), never held whole.
    pub fn from_json_with_reader<R: Read + 'static>(
        text: &str,
        length: u64,
        open: impl Fn() -> io::Result<R> + 'static,
    ) -> Result<Plan, Error> {
        wire::from_json(
            text,
            Some(|name: &str, options| TableSource::from_reader(name, length, options, open)),
        )
    }

    /// Rows and feature columns of the plan's data (generated, or its table's).
    pub fn data_shape(&self) -> (usize, usize) {
        self.data.shape()
    }

    /// SHA-256 of what makes the plan's data: `make_classification`'s parameters
    /// (`random_state` included), or the table's SHA-256 and how it is read. Two plans with
    /// the same digest fit on the same rows, whatever their forest, workload or threads:
    /// a dataset handed from one engine to another carries it (`sweep::handover`).
    pub fn data_digest(&self) -> [u8; 32] {
        #[derive(Serialize)]
        enum Source<'a> {
            MakeClassification(&'a ClassificationParams),
            Table(&'a str, &'a TableOptions),
        }
        let source = match &self.data {
            PlanData::Generated(dataset) => Source::MakeClassification(dataset.params()),
            PlanData::Table { table, options } => Source::Table(&table.info.sha256, options),
            PlanData::Described { info, options } => Source::Table(&info.sha256, options),
        };
        let text = serde_json::to_vec(&source).expect("a data source always serialises");
        Sha256::digest(text).into()
    }

    /// The same data and forest fitted once on one thread (the page's "one fit" step, a `fit`
    /// workload whatever this plan's), checked and estimated again.
    ///
    /// ```
    /// use coresweep::plan::Request;
    /// let sweep = Request::from_text([("threads", "1,2"), ("repeats", "3")])?.check()?;
    /// let once = sweep.one_fit()?;
    /// assert_eq!((once.threads(), once.repeats()), (&[1][..], 1));
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn one_fit(&self) -> Result<Plan, Error> {
        Request {
            params: Parameters {
                forest: self.forest.params().clone(),
                model_selection: ModelSelectionParams::default(),
                ..Parameters::default()
            },
            memory_limit_bytes: self.memory_limit_bytes,
            ..Request::default()
        }
        .with_runs(&[1], 1, self.test_size)
        .check_on(self.data.clone())
    }
}

/// Where a plan's rows come from: generated by `make_classification`, or a table read once
/// (and how it was read, for [`Plan::to_json`]), or a table read elsewhere and known here by
/// its [`TableInfo`] only.
#[derive(Clone, Debug)]
enum PlanData {
    Generated(ValidClassificationParams),
    Table {
        table: Arc<Table>,
        options: TableOptions,
    },
    Described {
        info: TableInfo,
        options: TableOptions,
    },
}

impl PlanData {
    /// Rows and feature columns.
    fn shape(&self) -> (usize, usize) {
        match self {
            PlanData::Generated(dataset) => {
                (dataset.params().n_samples, dataset.params().n_features)
            }
            PlanData::Table { table, .. } => (table.info.n_rows, table.info.n_features),
            PlanData::Described { info, .. } => (info.n_rows, info.n_features),
        }
    }

    /// The table's record and how it was read; `None` for generated data.
    fn table_info(&self) -> Option<(&TableInfo, &TableOptions)> {
        match self {
            PlanData::Generated(_) => None,
            PlanData::Table { table, options } => Some((&table.info, options)),
            PlanData::Described { info, options } => Some((info, options)),
        }
    }
}
