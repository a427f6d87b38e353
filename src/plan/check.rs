//! Every rule a plan is checked against, written once: the plan calls them on a request, the
//! results document's reader ([`SweepDocument::from_json`](crate::sweep::SweepDocument::from_json))
//! on what a document records, so that a request and a document cannot disagree.

use crate::Error;
use crate::budget::{self, Estimate};
use crate::forest::ValidForestParams;
use crate::model_selection::{
    Parallel, check_n_splits, check_smallest_class, check_split, parameter_grid,
};
use crate::parallel::Backend;
use crate::registry::{Group, ModelSelectionParams, PARAMETERS, Parameters, parameter};

use super::{
    MAX_CANDIDATES, MAX_CV_REPEATS, MAX_REPEATS, MAX_THREADS, Plan, PlanData, Request, Workload,
};

/// Checks one thread count: 1 to [`MAX_THREADS`] (param `threads`).
pub fn check_threads(threads: usize) -> Result<usize, Error> {
    if threads == 0 || threads > MAX_THREADS {
        return Err(threads_out_of_range(threads as u64));
    }
    Ok(threads)
}

pub(super) fn threads_out_of_range(threads: u64) -> Error {
    Error::param(
        "threads",
        format!("each count must be in [1, {MAX_THREADS}], got {threads}"),
    )
}

/// Checks a list of thread counts: each one ([`check_threads`]), none twice (param `threads`).
pub fn check_thread_counts(counts: &[usize]) -> Result<(), Error> {
    for (i, &k) in counts.iter().enumerate() {
        check_threads(k)?;
        if counts[..i].contains(&k) {
            return Err(Error::param("threads", format!("{k} is listed twice")));
        }
    }
    Ok(())
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

/// Checks the repeats of cross-validation: none (sklearn's `cv=N`) or 1 to
/// [`MAX_CV_REPEATS`] (param `cv_repeats`).
pub fn check_cv_repeats(cv_repeats: Option<usize>) -> Result<(), Error> {
    match cv_repeats {
        Some(r) if r == 0 || r > MAX_CV_REPEATS => Err(Error::param(
            "cv_repeats",
            format!("must be in [1, {MAX_CV_REPEATS}], got {r}"),
        )),
        _ => Ok(()),
    }
}

/// Checks the folds before any data is made (param `cv`, `cv_repeats`): sklearn's `n_splits`
/// range (at least 2, at most one per row) and the repeats.
pub fn check_cv(params: &ModelSelectionParams, n_samples: usize) -> Result<(), Error> {
    check_n_splits(params.cv, n_samples)?;
    check_cv_repeats(params.cv_repeats)
}

/// Checks a grid (param `grid`): the forest's parameters, each once, each value one the
/// registry reads on `base` (refused naming that parameter), 1 to [`MAX_CANDIDATES`]
/// candidates. Returns the grid with each value as the registry writes it back.
///
/// ```
/// use coresweep::plan::check_grid;
/// use coresweep::registry::Parameters;
/// let grid = vec![("max_features".to_owned(), vec!["1".to_owned(), " sqrt".to_owned()])];
/// assert_eq!(check_grid(&Parameters::default(), grid)?[0].1, ["1", "sqrt"]);
/// let unknown = vec![("n_samples".to_owned(), vec!["10".to_owned()])];
/// assert!(check_grid(&Parameters::default(), unknown).unwrap_err().to_string()
///     .starts_with("grid: unknown parameter \"n_samples\": a grid takes the forest's parameters"));
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn check_grid(
    base: &Parameters,
    given: impl IntoIterator<Item = (String, Vec<String>)>,
) -> Result<Vec<(String, Vec<String>)>, Error> {
    let mut grid: Vec<(String, Vec<String>)> = Vec::new();
    for (name, texts) in given {
        let param = parameter(&name)
            .filter(|p| p.group == Group::Forest)
            .ok_or_else(|| unknown_grid_parameter(&name))?;
        if grid.iter().any(|(known, _)| *known == name) {
            return Err(Error::param("grid", format!("{name} is given twice")));
        }
        if texts.is_empty() {
            return Err(Error::param("grid", format!("{name} has no values")));
        }
        let mut values = Vec::new();
        for text in texts {
            let mut params = base.clone();
            param.set(&mut params, &text)?;
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
    Ok(grid)
}

fn unknown_grid_parameter(name: &str) -> Error {
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

/// Checks everything but the data's own parameters on `data` (made of `request`, or kept by
/// a plan), in the order a user would fix them, and estimates the run.
pub(super) fn plan_on(request: &Request, data: PlanData) -> Result<Plan, Error> {
    let forest = request.params.forest.check()?;
    // What the fit would refuse on this data (max_features > n_features, say).
    let (n_samples, n_features) = data.shape();
    forest.check_shape(n_samples, n_features)?;
    let threads = request.threads.counts(request.cores);
    check_thread_counts(&threads)?;
    if let Some(pool) = request.pool {
        check_pool(&threads, pool)?;
    }
    let repeats = check_repeats(request.repeats)?;
    if request.test_size != 0.0 {
        check_split(n_samples, request.test_size)?;
    }
    let model_selection = request.params.model_selection.clone();
    if request.workload != Workload::Fit {
        check_cv(&model_selection, n_samples)?;
        // A table's classes are known (read here or elsewhere); generated data's are checked
        // once it is made.
        if let Some((info, _)) = data.table_info() {
            check_smallest_class(model_selection.cv, info.smallest_class_count())?;
        }
    }
    let (grid, candidates) = match request.workload {
        Workload::Fit => (Vec::new(), Vec::new()),
        Workload::CrossValScore => (Vec::new(), vec![forest.clone()]),
        Workload::GridSearch => {
            let grid = check_grid(&request.params, request.grid_values())?;
            let candidates = grid_candidates(&request.params, &grid, n_samples, n_features)?;
            (grid, candidates)
        }
    };
    let widest = threads.iter().copied().max().unwrap_or(1);
    let estimate = estimate(request, &data, &forest, candidates.len(), widest);
    estimate.check(request.memory_limit_bytes)?;
    if request.backend == Backend::Workers {
        estimate.check_workers(widest, request.memory_limit_bytes)?;
    }
    Ok(Plan {
        workload: request.workload,
        model_selection,
        grid,
        candidates,
        data,
        forest,
        threads,
        repeats,
        test_size: request.test_size,
        memory_limit_bytes: request.memory_limit_bytes,
        estimate,
    })
}

/// The grid's candidates in sklearn's `ParameterGrid` order, each checked on this data (a
/// value the forest refuses is named with its parameter).
fn grid_candidates(
    base: &Parameters,
    grid: &[(String, Vec<String>)],
    n_samples: usize,
    n_features: usize,
) -> Result<Vec<ValidForestParams>, Error> {
    parameter_grid(grid)
        .into_iter()
        .map(|candidate| {
            let mut params = base.clone();
            for (name, value) in &candidate {
                parameter(name)
                    .expect("checked by check_grid")
                    .set(&mut params, value)?;
            }
            let forest = params.forest.check()?;
            forest.check_shape(n_samples, n_features)?;
            Ok(forest)
        })
        .collect()
}

/// The run's memory and time on `data` with at most `widest` threads: one fit, or the fits
/// of every fold of every candidate (and the refit) as many at once as the level allows.
fn estimate(
    request: &Request,
    data: &PlanData,
    forest: &ValidForestParams,
    n_candidates: usize,
    widest: usize,
) -> Estimate {
    let estimate = match data {
        PlanData::Generated(dataset) => budget::estimate(dataset.params(), forest.params(), widest),
        PlanData::Table { table, .. } => {
            budget::estimate_table(&table.info, forest.params(), widest)
        }
        PlanData::Described { info, .. } => budget::estimate_table(info, forest.params(), widest),
    };
    if request.workload == Workload::Fit {
        return estimate;
    }
    let model_selection = &request.params.model_selection;
    let folds = model_selection.cv * model_selection.cv_repeats.unwrap_or(1);
    let fits = n_candidates * folds + usize::from(request.workload == Workload::GridSearch);
    let concurrent = match model_selection.parallel {
        Parallel::Inner => 1,
        Parallel::Outer | Parallel::Both => widest.min(fits),
    };
    estimate.for_fits(fits, concurrent)
}
