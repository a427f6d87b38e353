//! An experiment as asked for, typed or as text, not yet checked.

use std::sync::Arc;

use crate::Error;
use crate::budget;
use crate::datasets::{TableInfo, TableOptions};
use crate::input;
use crate::parallel::Backend;
use crate::registry::{PARAMETERS, Parameters, not_supported, parameter};

use super::check::plan_on;
use super::{Plan, PlanData, SEQUEL_GRID, TableSource, Threads, Workload};

/// An experiment as asked for, not yet checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// What is timed.
    pub workload: Workload,
    /// The dataset's and the forest's parameters, and the folds and level of model selection.
    pub params: Parameters,
    /// The user's table to fit instead of `make_classification`'s data; `None` generates.
    pub data: Option<TableSource>,
    /// The dataset parameters given (other than `random_state`, which also seeds the forest),
    /// by name: refused beside a table, whose data they would describe
    /// ([`Request::check`]).
    pub dataset_given: Vec<&'static str>,
    /// The grid of a grid search: forest parameter names and their values as text
    /// (`("max_features", ["1", "2", "3"])`), read by the registry.
    pub grid: Vec<(String, Vec<String>)>,
    /// Thread counts, in the order they run.
    pub threads: Threads,
    /// The logical cores [`Threads::All`] stands for.
    pub cores: usize,
    /// The page's pool: the most threads a count may ask for (the cores it was given). The
    /// CLI has none: its counts go up to [`MAX_THREADS`](super::MAX_THREADS).
    pub pool: Option<usize>,
    /// Timed runs per thread count.
    pub repeats: usize,
    /// Share of rows held out for hold-out accuracy; 0 for none.
    pub test_size: f64,
    /// The most memory the run may take: a face's policy (the page's share of the device, the
    /// CLI's machine memory), given here as a value.
    pub memory_limit_bytes: u64,
    /// How the thread counts run: threads sharing memory, or workers each with a copy of the
    /// data (whose memory is counted once per worker).
    pub backend: Backend,
}

impl Default for Request {
    /// The blog experiment, once with one thread, no hold-out, within wasm's memory.
    fn default() -> Self {
        Request {
            workload: Workload::Fit,
            params: Parameters::default(),
            data: None,
            dataset_given: Vec::new(),
            grid: Vec::new(),
            threads: Threads::default(),
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
    /// `repeats`, `backend`, `workload` and one `grid_<param>=v1,v2,…` per grid parameter.
    /// Missing values keep the workload's defaults ([`Workload::defaults`]); sklearn's
    /// parameters this engine does not have are refused by name ([`not_supported`]), other
    /// names ignored (a face reads its own keys: the page's cores and memory). The registry's
    /// parameters are read in its order (so `cv` before `cv_repeats`, whatever the order
    /// given). Refuses the first text that is not a value of its parameter's kind.
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
                request
                    .grid
                    .push((grid_param.to_owned(), input::grid_values(text)));
                continue;
            }
            match name {
                "workload" => {}
                "threads" => request.threads = Threads::from_text(text)?,
                "repeats" => request.repeats = input::count("repeats", text)?,
                "backend" => request.backend = Backend::from_name(text)?,
                _ => request.set(name, text)?,
            }
        }
        Ok(request)
    }

    /// Sets the registry's parameter `name` from `text`, remembering a dataset parameter as
    /// given; refuses sklearn's parameters this engine does not have, ignores other names.
    fn set(&mut self, name: &str, text: &str) -> Result<(), Error> {
        if let Some(parameter) = parameter(name) {
            parameter.set(&mut self.params, text)?;
            if parameter.describes_generated_data() {
                self.dataset_given.push(parameter.name);
            }
            return Ok(());
        }
        match not_supported(name) {
            Some(refusal) => Err(refusal),
            None => Ok(()),
        }
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

    /// The grid to search: the one given, else for a grid search the sequels' [`SEQUEL_GRID`].
    pub(super) fn grid_values(&self) -> Vec<(String, Vec<String>)> {
        if self.grid.is_empty() && self.workload == Workload::GridSearch {
            return vec![(SEQUEL_GRID.0.to_owned(), input::grid_values(SEQUEL_GRID.1))];
        }
        self.grid.clone()
    }

    /// Checks everything, before any data is made, and estimates the run; the first problem
    /// is returned, naming its parameter. A table is read here, once (after its length is
    /// checked against the memory limit), and kept by the plan; dataset parameters given
    /// beside it are refused by name ([`Request::dataset_given`]).
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
            Some(source) => {
                self.check_no_dataset_given()?;
                PlanData::Table {
                    table: Arc::new(source.read(self.memory_limit_bytes)?),
                    options: source.options.clone(),
                }
            }
        };
        plan_on(self, data)
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
    /// folds.params.model_selection.cv = 3;
    /// assert_eq!(folds.check_on_table_info(table.info, TableOptions::default()).unwrap_err().parameter(), Some("cv"));
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn check_on_table_info(
        &self,
        info: TableInfo,
        options: TableOptions,
    ) -> Result<Plan, Error> {
        self.check_no_dataset_given()?;
        info.check()
            .map_err(|e| Error::param("data", format!("table.{e}")))?;
        plan_on(self, PlanData::Described { info, options })
    }

    /// Checks the request on data a plan already holds (its table, read once).
    pub(super) fn check_on(&self, data: PlanData) -> Result<Plan, Error> {
        plan_on(self, data)
    }

    /// A table is the data: `make_classification`'s parameters would describe other data, so
    /// they are refused rather than ignored (`random_state` may stay: it seeds the forest).
    ///
    /// ```
    /// use coresweep::datasets::{TableOptions, read_table};
    /// use coresweep::plan::Request;
    /// let csv = "a,b,kind\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n";
    /// let info = read_table("t.csv", csv.as_bytes(), &TableOptions::default())?.info;
    /// let request = Request::from_text([("n_samples", "500"), ("random_state", "3")])?;
    /// assert_eq!(request.check_on_table_info(info, TableOptions::default()).unwrap_err().to_string(),
    ///     "n_samples: cannot be given with a table: make_classification's parameters describe the data the table replaces (random_state may stay: it seeds the forest)");
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    fn check_no_dataset_given(&self) -> Result<(), Error> {
        match self.dataset_given.first() {
            Some(name) => Err(Error::param(
                name,
                "cannot be given with a table: make_classification's parameters describe the data the table replaces (random_state may stay: it seeds the forest)",
            )),
            None => Ok(()),
        }
    }

    /// This request with the given thread counts, repeats and hold-out share.
    pub(super) fn with_runs(self, threads: &[usize], repeats: usize, test_size: f64) -> Request {
        Request {
            threads: Threads::Counts(threads.to_vec()),
            repeats,
            test_size,
            ..self
        }
    }
}
