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

use std::fmt;
use std::io::{self, Read};
use std::rc::Rc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::budget::{self, Estimate};
use crate::datasets::{
    ClassificationParams, Table, TableInfo, TableOptions, ValidClassificationParams,
    check_table_size, read_table,
};
use crate::forest::{ForestParams, ValidForestParams};
use crate::input;
use crate::model_selection::{
    CrossValidator, Parallel, check_n_splits, check_smallest_class, check_split, parameter_grid,
};
use crate::parallel::Backend;
use crate::registry::{Group, PARAMETERS, Parameters, WorkloadParams, not_supported, parameter};

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
    /// `"fit"`, `"cross_val_score"` or `"grid_search"`: the page's and the document's name.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Fit => "fit",
            Workload::CrossValScore => "cross_val_score",
            Workload::GridSearch => "grid_search",
        }
    }

    /// The CLI's name: its command that runs the workload once (`cross-val`, `grid-search`).
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
        [Workload::Fit, Workload::CrossValScore, Workload::GridSearch]
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

/// An experiment as asked for, not yet checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// What is timed.
    pub workload: Workload,
    /// The dataset's and the forest's parameters, and the workload's folds and level.
    pub params: Parameters,
    /// The user's table to fit instead of `make_classification`'s data (whose parameters in
    /// `params.dataset` are then not used); `None` generates.
    pub data: Option<TableSource>,
    /// The grid of a grid search: forest parameter names and their values as comma-separated
    /// text (`("max_features", "1,2,3")`), read by the registry.
    pub grid: Vec<(String, String)>,
    /// Thread counts as text: `"1,2,4"` (run in this order) or `"all"`.
    pub threads: String,
    /// The logical cores `"all"` stands for.
    pub cores: usize,
    /// The page's pool: the most threads a count may ask for (the cores it was given). The
    /// CLI has none: its counts go up to [`MAX_THREADS`].
    pub pool: Option<usize>,
    /// Timed runs per thread count.
    pub repeats: usize,
    /// Share of rows held out for hold-out accuracy; 0 for none.
    pub test_size: f64,
    /// The most memory the run may take.
    pub memory_limit_bytes: u64,
    /// How the thread counts run: threads sharing memory, or workers each with a copy of the
    /// data (whose memory is counted once per worker).
    pub backend: Backend,
}

/// A user's table as a request names it: its name, its length in bytes (known before it is
/// read: a file's metadata, a browser `File`'s size, so that a file too large is refused
/// unread), how to read it, and how to get its bytes (once, when the request is checked).
#[derive(Clone)]
pub struct TableSource {
    /// The name the user knows it by (the file's name), recorded in the results.
    pub name: String,
    /// Its length in bytes.
    pub length: u64,
    /// Target, dropped columns, delimiter.
    pub options: TableOptions,
    // Not `Send`: the page's worker reads a browser `File`, a JS object of its thread.
    open: Rc<dyn Fn() -> io::Result<Box<dyn Read>>>,
}

impl TableSource {
    /// A table whose bytes are in memory: what the page's worker has of a dropped file.
    ///
    /// ```
    /// use coresweep::datasets::TableOptions;
    /// use coresweep::plan::{Request, TableSource, Workload};
    /// let csv = "a,b,kind\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n";
    /// let mut request = Request {
    ///     data: Some(TableSource::from_bytes("t.csv", csv.as_bytes().to_vec(), TableOptions::default())),
    ///     ..Request::for_workload(Workload::CrossValScore)
    /// };
    /// request.params.workload.cv = 3;
    /// assert_eq!(request.check().unwrap_err().to_string(),
    ///     "cv: n_splits=3 cannot be greater than the number of members in each class (the smallest class has 2)");
    /// ```
    pub fn from_bytes(name: &str, bytes: Vec<u8>, options: TableOptions) -> TableSource {
        // Shared as the `Vec` it came in (an `Arc<[u8]>` would copy a file of many MB).
        let bytes = SharedBytes(Arc::new(bytes));
        TableSource {
            name: name.to_owned(),
            length: bytes.as_ref().len() as u64,
            options,
            open: Rc::new(move || Ok(Box::new(io::Cursor::new(bytes.clone())) as Box<dyn Read>)),
        }
    }

    /// A table of `length` bytes that `open` reads (a file the CLI names, a `File` the page's
    /// worker streams): opened when the request is checked, if its length is within the limit.
    pub fn from_reader<R: Read + 'static>(
        name: &str,
        length: u64,
        options: TableOptions,
        open: impl Fn() -> io::Result<R> + 'static,
    ) -> TableSource {
        TableSource {
            name: name.to_owned(),
            length,
            options,
            open: Rc::new(move || open().map(|r| Box::new(r) as Box<dyn Read>)),
        }
    }

    /// Reads the table, refusing a file above `limit_bytes` by its length first and, should
    /// it be longer than it said (a device, a growing file), once that many bytes are read.
    pub fn read(&self, limit_bytes: u64) -> Result<Table, Error> {
        check_table_size(self.length, limit_bytes)?;
        let source = (self.open)()
            .map_err(|e| Error::param("data", format!("cannot be read: {e}")))?
            .take(limit_bytes.saturating_add(1));
        let table = read_table(&self.name, source, &self.options)?;
        check_table_size(table.info.bytes, limit_bytes)?;
        Ok(table)
    }
}

/// A file's bytes, shared by the clones of a [`TableSource`] and read through a cursor.
#[derive(Clone)]
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for TableSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TableSource")
            .field("name", &self.name)
            .field("length", &self.length)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Two sources are the same table when they say so: name, length and options.
impl PartialEq for TableSource {
    fn eq(&self, other: &Self) -> bool {
        (&self.name, self.length, &self.options) == (&other.name, other.length, &other.options)
    }
}

impl Default for Request {
    /// The blog experiment, once with one thread, no hold-out, within wasm's memory.
    fn default() -> Self {
        Request {
            workload: Workload::Fit,
            params: Parameters::default(),
            data: None,
            grid: Vec::new(),
            threads: "1".to_owned(),
            cores: 1,
            pool: None,
            repeats: 1,
            test_size: 0.0,
            memory_limit_bytes: budget::WASM_MEMORY_BYTES,
            backend: Backend::Threads,
        }
    }
}

impl Request {
    /// Reads an experiment given as `(name, text)` pairs, as a form or a link gives it:
    /// sklearn's names of the [registry](crate::registry), plus `threads` ("1,2", "all"),
    /// `repeats`, `hardware_concurrency` (the page's pool: the cores "all" stands for and the
    /// most threads a count may ask for), `device_memory` (`navigator.deviceMemory`, GiB:
    /// the run may take half of it, at most wasm's 1 GiB), `workload` and one
    /// `grid_<param>=v1,v2,…` per grid parameter. Missing values keep the workload's defaults
    /// ([`Workload::defaults`]); sklearn's parameters this engine does not have are refused by
    /// name ([`not_supported`]), other names ignored. The registry's parameters are read in
    /// its order (so `cv` before `cv_repeats`, whatever the order given). Refuses the first
    /// text that is not a value of its parameter's kind.
    pub fn from_text<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Request, Error> {
        let mut fields: Vec<(&str, &str)> = fields.into_iter().collect();
        let workload = match fields.iter().find(|(name, _)| *name == "workload") {
            Some((_, text)) => Workload::from_name(text)?,
            None => Workload::Fit,
        };
        let mut request = Request::for_workload(workload);
        let rank = |name: &str| PARAMETERS.iter().position(|p| p.name == name);
        fields.sort_by_key(|(name, _)| rank(name));
        for (name, text) in fields {
            if let Some(grid_param) = name.strip_prefix("grid_") {
                request.grid.push((grid_param.to_owned(), text.to_owned()));
                continue;
            }
            match name {
                "workload" => {}
                "threads" => request.threads = text.to_owned(),
                "repeats" => request.repeats = input::count("repeats", text)?,
                "backend" => request.backend = Backend::from_name(text)?,
                "hardware_concurrency" => {
                    let cores = input::count("hardware_concurrency", text)?;
                    request.cores = cores;
                    request.pool = Some(cores);
                }
                "device_memory" => {
                    request.memory_limit_bytes = budget::page_limit_bytes(text.trim().parse().ok())
                }
                _ => {
                    if let Some(parameter) = parameter(name) {
                        parameter.set(&mut request.params, text)?;
                    } else if let Some(refusal) = not_supported(name) {
                        return Err(refusal);
                    }
                }
            }
        }
        Ok(request)
    }

    /// The default request of `workload`: its parameters, and for a grid search the sequels'
    /// grid (a grid given replaces it).
    pub fn for_workload(workload: Workload) -> Request {
        Request {
            workload,
            params: workload.defaults(),
            ..Request::default()
        }
    }

    /// The grid to search: the one given, else the sequels' [`SEQUEL_GRID`].
    fn grid_text(&self) -> Vec<(String, String)> {
        if self.grid.is_empty() && self.workload == Workload::GridSearch {
            return vec![(SEQUEL_GRID.0.to_owned(), SEQUEL_GRID.1.to_owned())];
        }
        self.grid.clone()
    }

    /// Checks everything, before any data is made, and estimates the run; the first problem
    /// is returned, naming its parameter. A table is read here, once (after its length is
    /// checked against the memory limit), and kept by the plan.
    ///
    /// `cv` against the members of the smallest class: a table's classes are known once it is
    /// read, so it is checked here; `make_classification`'s are checked later, by
    /// [`Experiment::for_plan`](crate::sweep::Experiment::for_plan) right after the data is
    /// made and before any fit: its class sizes follow from its parameters, but `flip_y`
    /// then relabels a random share of the rows, so the counts are known only once the data
    /// is.
    pub fn check(&self) -> Result<Plan, Error> {
        let data = match &self.data {
            None => PlanData::Generated(self.params.dataset.check()?),
            Some(source) => PlanData::Table {
                table: Arc::new(source.read(self.memory_limit_bytes)?),
                options: source.options.clone(),
            },
        };
        self.check_with(data)
    }

    /// Checks everything as [`check`](Self::check) does, on a table already read elsewhere,
    /// known by its `info` (as `read_table` recorded it, with `options`): what a page's main
    /// thread plans while its worker holds the file (the rows stay out of the main thread;
    /// the plan's workers read the bytes again and must find the same SHA-256). The plan
    /// cannot be run where it was made (param `data`).
    ///
    /// ```
    /// use coresweep::datasets::{TableOptions, read_table};
    /// use coresweep::plan::{Request, Workload};
    /// let csv = "a,b,kind\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n";
    /// let table = read_table("t.csv", csv.as_bytes(), &TableOptions::default())?;
    /// let plan = Request::default().check_on_table_info(table.info.clone(), TableOptions::default())?;
    /// assert_eq!(plan.table_info(), Some(&table.info));
    /// let mut folds = Request::for_workload(Workload::CrossValScore);
    /// folds.params.workload.cv = 3;
    /// assert_eq!(folds.check_on_table_info(table.info, TableOptions::default()).unwrap_err().parameter(), Some("cv"));
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn check_on_table_info(
        &self,
        info: TableInfo,
        options: TableOptions,
    ) -> Result<Plan, Error> {
        info.check()
            .map_err(|e| Error::param("data", format!("table.{e}")))?;
        self.check_with(PlanData::Described { info, options })
    }

    /// Checks everything else on `data` (made of this request, or kept by a plan).
    fn check_with(&self, data: PlanData) -> Result<Plan, Error> {
        let forest = self.params.forest.check()?;
        // What the fit would refuse on this data (max_features > n_features, say).
        let (n_samples, n_features) = data.shape();
        forest.check_shape(n_samples, n_features)?;
        let threads = parse_threads(&self.threads, self.cores)?;
        if let Some(pool) = self.pool {
            check_pool(&threads, pool)?;
        }
        let repeats = check_repeats(self.repeats)?;
        if self.test_size != 0.0 {
            check_split(n_samples, self.test_size)?;
        }
        let workload = self.params.workload.clone();
        if self.workload != Workload::Fit {
            check_cv(&workload, n_samples)?;
            // A table's classes are known (read here or elsewhere); generated data's are checked
            // once it is made.
            if let Some((info, _)) = data.table_info() {
                check_smallest_class(workload.cv, info.smallest_class_count())?;
            }
        }
        let (grid, candidates) = match self.workload {
            Workload::Fit => (Vec::new(), Vec::new()),
            Workload::CrossValScore => (Vec::new(), vec![forest.clone()]),
            Workload::GridSearch => self.check_grid(n_samples, n_features)?,
        };
        let widest = threads.iter().copied().max().unwrap_or(1);
        let mut estimate = match &data {
            PlanData::Generated(dataset) => {
                budget::estimate(dataset.params(), forest.params(), widest)
            }
            PlanData::Table { table, .. } => {
                budget::estimate_table(&table.info, forest.params(), widest)
            }
            PlanData::Described { info, .. } => {
                budget::estimate_table(info, forest.params(), widest)
            }
        };
        if self.workload != Workload::Fit {
            let folds = workload.cv * workload.cv_repeats.unwrap_or(1);
            let fits =
                candidates.len() * folds + usize::from(self.workload == Workload::GridSearch);
            let concurrent = match workload.parallel {
                Parallel::Inner => 1,
                Parallel::Outer | Parallel::Both => widest.min(fits),
            };
            estimate = estimate.for_fits(fits, concurrent);
        }
        estimate.check(self.memory_limit_bytes)?;
        if self.backend == Backend::Workers {
            estimate.check_workers(widest, self.memory_limit_bytes)?;
        }
        Ok(Plan {
            workload: self.workload,
            cv: workload,
            grid,
            candidates,
            data,
            forest,
            threads,
            repeats,
            test_size: self.test_size,
            memory_limit_bytes: self.memory_limit_bytes,
            estimate,
        })
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

impl Request {
    /// The grid's names and values, each value read by the registry into the forest and
    /// checked on this data (a value the forest refuses is named with its parameter), and the
    /// candidates in sklearn's `ParameterGrid` order.
    #[allow(clippy::type_complexity)]
    fn check_grid(
        &self,
        n_samples: usize,
        n_features: usize,
    ) -> Result<(Vec<(String, Vec<String>)>, Vec<ValidForestParams>), Error> {
        let mut grid: Vec<(String, Vec<String>)> = Vec::new();
        for (name, text) in self.grid_text() {
            let param = parameter(&name)
                .filter(|p| p.group == Group::Forest)
                .ok_or_else(|| {
                    let names: Vec<&str> = PARAMETERS
                        .iter()
                        .filter(|p| p.group == Group::Forest)
                        .map(|p| p.name)
                        .collect();
                    Error::param(
                        "grid",
                        format!(
                            "unknown parameter {name:?}: a grid takes the forest's parameters ({})",
                            names.join(", ")
                        ),
                    )
                })?;
            if grid.iter().any(|(known, _)| *known == name) {
                return Err(Error::param("grid", format!("{name} is given twice")));
            }
            let mut values = Vec::new();
            for value in text.split(',') {
                let mut params = self.params.clone();
                param.set(&mut params, value)?;
                values.push(param.text(&params));
            }
            grid.push((param.name.to_owned(), values));
        }
        if grid.is_empty() {
            return Err(Error::param(
                "grid",
                "is empty: give a forest parameter and its values, e.g. max_features=1,2,3",
            ));
        }
        let n_candidates = grid
            .iter()
            .fold(1usize, |n, (_, values)| n.saturating_mul(values.len()));
        if n_candidates > MAX_CANDIDATES {
            return Err(Error::param(
                "grid",
                format!("has {n_candidates} candidates, at most {MAX_CANDIDATES} are allowed"),
            ));
        }
        let candidates = parameter_grid(&grid)
            .into_iter()
            .map(|candidate| {
                let mut params = self.params.clone();
                for (name, value) in &candidate {
                    parameter(name)
                        .expect("read above")
                        .set(&mut params, value)?;
                }
                let forest = params.forest.check()?;
                forest.check_shape(n_samples, n_features)?;
                Ok(forest)
            })
            .collect::<Result<_, Error>>()?;
        Ok((grid, candidates))
    }
}

/// Checks the folds before any data is made (param `cv`, `cv_repeats`): sklearn's `n_splits`
/// range (at least 2, at most one per row) and at least one repeat.
fn check_cv(workload: &WorkloadParams, n_samples: usize) -> Result<(), Error> {
    check_n_splits(workload.cv, n_samples)?;
    match workload.cv_repeats {
        Some(r) if r == 0 || r > MAX_CV_REPEATS => Err(Error::param(
            "cv_repeats",
            format!("must be in [1, {MAX_CV_REPEATS}], got {r}"),
        )),
        _ => Ok(()),
    }
}

/// A checked experiment: what to generate, what to fit, with which thread counts, how often,
/// and what it is expected to take. Only [`Request::check`] makes one.
#[derive(Clone, Debug)]
pub struct Plan {
    workload: Workload,
    cv: WorkloadParams,
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

/// A plan as JSON: what a page posts to its workers, which make the same plan of it.
#[derive(Serialize, Deserialize)]
struct PlanText {
    #[serde(default)]
    workload: Workload,
    #[serde(default = "default_cv")]
    cv: usize,
    #[serde(default)]
    cv_repeats: Option<usize>,
    #[serde(default = "default_parallel")]
    parallel: Parallel,
    #[serde(default)]
    grid: Vec<(String, Vec<String>)>,
    /// Generated data's parameters; absent when the data is a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dataset: Option<ClassificationParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    table: Option<PlannedTable>,
    forest: ForestParams,
    threads: Vec<usize>,
    repeats: usize,
    test_size: f64,
    memory_limit_bytes: u64,
}

/// A plan's table as its text names it: the bytes are not in the text, and must be those
/// hashed when the plan was made.
#[derive(Serialize, Deserialize)]
struct PlannedTable {
    name: String,
    sha256: String,
    options: TableOptions,
}

fn default_cv() -> usize {
    WorkloadParams::default().cv
}

fn default_parallel() -> Parallel {
    WorkloadParams::default().parallel
}

impl Plan {
    /// What is timed.
    pub fn workload(&self) -> Workload {
        self.workload
    }

    /// The splitter of cross-validation and grid search, shuffled from the
    /// [`random_state`](Self::random_state) when repeated.
    pub fn cross_validator(&self) -> CrossValidator {
        CrossValidator::new(self.cv.cv, self.cv.cv_repeats, self.random_state())
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
    pub fn workload_params(&self) -> &WorkloadParams {
        &self.cv
    }

    /// Where cross-validation and grid search spend their threads.
    pub fn parallel(&self) -> Parallel {
        self.cv.parallel
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
        serde_json::to_string(&PlanText {
            workload: self.workload,
            cv: self.cv.cv,
            cv_repeats: self.cv.cv_repeats,
            parallel: self.cv.parallel,
            grid: self.grid.clone(),
            dataset: self.dataset().map(|dataset| dataset.params().clone()),
            table: self.data.table_info().map(|(info, options)| PlannedTable {
                name: info.name.clone(),
                sha256: info.sha256.clone(),
                options: options.clone(),
            }),
            forest: self.forest.params().clone(),
            threads: self.threads.clone(),
            repeats: self.repeats,
            test_size: self.test_size,
            memory_limit_bytes: self.memory_limit_bytes,
        })
        .expect("a plan always serialises")
    }

    /// Reads a plan written by [`Plan::to_json`] and checks it again. A plan on a table
    /// needs the table's bytes: [`Plan::from_json_with_table`].
    pub fn from_json(text: &str) -> Result<Plan, Error> {
        Plan::from_text(text, None::<fn(&str, TableOptions) -> TableSource>)
    }

    /// Reads a plan on a table written by [`Plan::to_json`], with the table's `bytes` (what
    /// a page's worker gets: the plan's text and the file's bytes), and checks it again: the
    /// bytes must hash to the planned table's SHA-256 (param `data`).
    pub fn from_json_with_table(text: &str, bytes: Vec<u8>) -> Result<Plan, Error> {
        let length = bytes.len() as u64;
        let bytes = SharedBytes(Arc::new(bytes));
        Plan::from_json_with_reader(text, length, move || Ok(io::Cursor::new(bytes.clone())))
    }

    /// [`from_json_with_table`](Self::from_json_with_table) on a table of `length` bytes that
    /// `open` streams (a browser `File` in a page's worker), never held whole.
    pub fn from_json_with_reader<R: Read + 'static>(
        text: &str,
        length: u64,
        open: impl Fn() -> io::Result<R> + 'static,
    ) -> Result<Plan, Error> {
        Plan::from_text(
            text,
            Some(|name: &str, options| TableSource::from_reader(name, length, options, open)),
        )
    }

    /// Reads a plan's text; `source` makes the table's source of its name and options when the
    /// plan reads one.
    fn from_text(
        text: &str,
        source: Option<impl FnOnce(&str, TableOptions) -> TableSource>,
    ) -> Result<Plan, Error> {
        let plan: PlanText = serde_json::from_str(text)
            .map_err(|e| Error::param("plan", format!("cannot be read: {e}")))?;
        let (planned_sha256, data) = match (plan.table, source) {
            (None, None) => (None, None),
            (Some(table), Some(source)) => {
                (Some(table.sha256), Some(source(&table.name, table.options)))
            }
            (Some(_), None) => {
                return Err(Error::param(
                    "data",
                    "the plan reads a table: give its bytes with the plan",
                ));
            }
            (None, Some(_)) => {
                return Err(Error::param("data", "the plan reads no table"));
            }
        };
        let request = Request {
            workload: plan.workload,
            params: Parameters {
                dataset: plan.dataset.unwrap_or_default(),
                forest: plan.forest,
                workload: WorkloadParams {
                    cv: plan.cv,
                    cv_repeats: plan.cv_repeats,
                    parallel: plan.parallel,
                },
            },
            data,
            grid: plan
                .grid
                .into_iter()
                .map(|(name, values)| (name, values.join(",")))
                .collect(),
            memory_limit_bytes: plan.memory_limit_bytes,
            ..Request::default()
        }
        .with_runs(&plan.threads, plan.repeats, plan.test_size);
        let checked = request.check()?;
        if let (Some(sha256), Some(table)) = (&planned_sha256, checked.table())
            && table.info.sha256 != *sha256
        {
            return Err(Error::param(
                "data",
                format!(
                    "these bytes are not the planned table {:?} (SHA-256 {}, planned {sha256})",
                    table.info.name, table.info.sha256
                ),
            ));
        }
        Ok(checked)
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
                workload: WorkloadParams::default(),
                ..Parameters::default()
            },
            memory_limit_bytes: self.memory_limit_bytes,
            ..Request::default()
        }
        .with_runs(&[1], 1, self.test_size)
        .check_with(self.data.clone())
    }
}

impl Request {
    /// This request with the given thread counts, repeats and hold-out share.
    fn with_runs(self, threads: &[usize], repeats: usize, test_size: f64) -> Request {
        let threads: Vec<String> = threads.iter().map(ToString::to_string).collect();
        Request {
            threads: threads.join(","),
            repeats,
            test_size,
            ..self
        }
    }
}

/// Parses the thread counts of a sweep: a comma-separated list (`"1,2,4"`, kept in the order
/// given) or `"all"` (every count from 1 to `available`). Errors name the parameter `threads`.
///
/// ```
/// use coresweep::plan::parse_threads;
/// assert_eq!(parse_threads("1, 2,4", 8).unwrap(), vec![1, 2, 4]);
/// assert_eq!(parse_threads("all", 3).unwrap(), vec![1, 2, 3]);
/// assert!(parse_threads("2,2", 8).is_err());
/// ```
pub fn parse_threads(text: &str, available: usize) -> Result<Vec<usize>, Error> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("all") {
        return Ok((1..=available.clamp(1, MAX_THREADS)).collect());
    }
    let mut threads = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let k: u64 = part.parse().map_err(|_| {
            Error::param(
                "threads",
                format!("expected \"all\" or comma-separated counts like 1,2,4, got {part:?}"),
            )
        })?;
        // Read as u64, so that a count beyond 32 bits is refused in the same words by the
        // page's wasm as natively.
        let k = usize::try_from(k)
            .map_err(|_| threads_out_of_range(k))
            .and_then(check_threads)?;
        if threads.contains(&k) {
            return Err(Error::param("threads", format!("{k} is listed twice")));
        }
        threads.push(k);
    }
    Ok(threads)
}

/// Checks one thread count: 1 to [`MAX_THREADS`] (param `threads`).
pub fn check_threads(threads: usize) -> Result<usize, Error> {
    if threads == 0 || threads > MAX_THREADS {
        return Err(threads_out_of_range(threads as u64));
    }
    Ok(threads)
}

fn threads_out_of_range(threads: u64) -> Error {
    Error::param(
        "threads",
        format!("each count must be in [1, {MAX_THREADS}], got {threads}"),
    )
}

/// Checks the number of timed fits per thread count: 1 to [`MAX_REPEATS`] (param `repeats`).
pub fn check_repeats(repeats: usize) -> Result<usize, Error> {
    if repeats == 0 || repeats > MAX_REPEATS {
        return Err(Error::param(
            "repeats",
            format!("must be in [1, {MAX_REPEATS}], got {repeats}"),
        ));
    }
    Ok(repeats)
}

/// The page sizes its pools from the cores it was given (the browser's count, or the user's):
/// a thread count above them is refused rather than run on a pool the page did not offer.
fn check_pool(threads: &[usize], cores: usize) -> Result<(), Error> {
    match threads.iter().find(|&&k| k > cores) {
        Some(k) => Err(Error::param(
            "threads",
            format!(
                "{k} is more than the {cores} logical cores given (hardware_concurrency); raise that count to run more threads than cores"
            ),
        )),
        None => Ok(()),
    }
}
