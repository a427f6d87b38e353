//! One experiment, checked once, for both faces: a [`Request`] (the parameters as given, typed
//! or as text) becomes a [`Plan`] (every value valid, the run's memory and time estimated) or
//! the first error, naming its parameter. The CLI and the page both make a plan before any
//! data is generated, so they refuse the same input with the same words at the same moment.
//!
//! The order of the checks is the order a user would fix them in: each value's own range,
//! then the dataset's and the forest's consistency (`max_features` against `n_features`), the
//! thread counts, the repeats, the hold-out share, and last the size the run needs.
//!
//! ```
//! use coresweep::plan::Request;
//!
//! let plan = Request::from_text([("n_samples", "2000"), ("threads", "1,2")])?.check()?;
//! assert_eq!((plan.dataset().params().n_samples, plan.threads()), (2000, &[1, 2][..]));
//! let error = Request::from_text([("max_features", "100"), ("n_samples", "200000")])?
//!     .check()
//!     .unwrap_err();
//! assert_eq!(error.to_string(), "max_features: must be in [1, n_features] = [1, 70], got 100");
//! # Ok::<(), coresweep::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::budget::{self, Estimate};
use crate::datasets::{ClassificationParams, ValidClassificationParams};
use crate::forest::{ForestParams, ValidForestParams};
use crate::input;
use crate::model_selection::check_split;
use crate::registry::{Parameters, parameter};

/// The largest thread count a sweep accepts, and the most points a document may hold.
pub const MAX_THREADS: usize = 1024;

/// The most timed repeats one point may hold.
pub const MAX_REPEATS: usize = 1000;

/// An experiment as asked for, not yet checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The dataset's and the forest's parameters.
    pub params: Parameters,
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
}

impl Default for Request {
    /// The blog experiment, once with one thread, no hold-out, within wasm's memory.
    fn default() -> Self {
        Request {
            params: Parameters::default(),
            threads: "1".to_owned(),
            cores: 1,
            pool: None,
            repeats: 1,
            test_size: 0.0,
            memory_limit_bytes: budget::WASM_MEMORY_BYTES,
        }
    }
}

impl Request {
    /// Reads an experiment given as `(name, text)` pairs, as a form or a link gives it:
    /// sklearn's names of the [registry](crate::registry), plus `threads` ("1,2", "all"),
    /// `repeats`, `hardware_concurrency` (the page's pool: the cores "all" stands for and the
    /// most threads a count may ask for) and `device_memory` (`navigator.deviceMemory`, GiB:
    /// the run may take half of it, at most wasm's 1 GiB). Missing values keep the blog
    /// experiment's; other names are ignored. Refuses the first text that is not a value of
    /// its parameter's kind.
    pub fn from_text<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Request, Error> {
        let mut request = Request::default();
        for (name, text) in fields {
            match name {
                "threads" => request.threads = text.to_owned(),
                "repeats" => request.repeats = input::count("repeats", text)?,
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
                    }
                }
            }
        }
        Ok(request)
    }

    /// Checks everything, before any data is made, and estimates the run; the first problem
    /// is returned, naming its parameter.
    pub fn check(&self) -> Result<Plan, Error> {
        let dataset = self.params.dataset.check()?;
        let forest = self.params.forest.check()?;
        // What the fit would refuse on this data (max_features > n_features, say).
        let (n_samples, n_features) = (dataset.params().n_samples, dataset.params().n_features);
        forest.check_shape(n_samples, n_features)?;
        let threads = parse_threads(&self.threads, self.cores)?;
        if let Some(pool) = self.pool {
            check_pool(&threads, pool)?;
        }
        let repeats = check_repeats(self.repeats)?;
        if self.test_size != 0.0 {
            check_split(n_samples, self.test_size)?;
        }
        let widest = threads.iter().copied().max().unwrap_or(1);
        let estimate = budget::estimate(dataset.params(), forest.params(), widest);
        estimate.check(self.memory_limit_bytes)?;
        Ok(Plan {
            dataset,
            forest,
            threads,
            repeats,
            test_size: self.test_size,
            memory_limit_bytes: self.memory_limit_bytes,
            estimate,
        })
    }
}

/// A checked experiment: what to generate, what to fit, with which thread counts, how often,
/// and what it is expected to take. Only [`Request::check`] makes one.
#[derive(Clone, Debug)]
pub struct Plan {
    dataset: ValidClassificationParams,
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
    dataset: ClassificationParams,
    forest: ForestParams,
    threads: Vec<usize>,
    repeats: usize,
    test_size: f64,
    memory_limit_bytes: u64,
}

impl Plan {
    /// The dataset to generate.
    pub fn dataset(&self) -> &ValidClassificationParams {
        &self.dataset
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
            dataset: self.dataset.params().clone(),
            forest: self.forest.params().clone(),
            threads: self.threads.clone(),
            repeats: self.repeats,
            test_size: self.test_size,
            memory_limit_bytes: self.memory_limit_bytes,
        })
        .expect("a plan always serialises")
    }

    /// Reads a plan written by [`Plan::to_json`] and checks it again.
    pub fn from_json(text: &str) -> Result<Plan, Error> {
        let plan: PlanText = serde_json::from_str(text)
            .map_err(|e| Error::param("plan", format!("cannot be read: {e}")))?;
        Request {
            params: Parameters {
                dataset: plan.dataset,
                forest: plan.forest,
            },
            memory_limit_bytes: plan.memory_limit_bytes,
            ..Request::default()
        }
        .with_runs(&plan.threads, plan.repeats, plan.test_size)
        .check()
    }

    /// The same experiment fitted once on one thread (the page's "one fit" step), checked and
    /// estimated again.
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
                dataset: self.dataset.params().clone(),
                forest: self.forest.params().clone(),
            },
            memory_limit_bytes: self.memory_limit_bytes,
            ..Request::default()
        }
        .with_runs(&[1], 1, self.test_size)
        .check()
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
