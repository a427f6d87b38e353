//! The `Experiment` class the sweep worker times: one dataset and the plan's workload (a fit,
//! a cross-validation or a grid search), run on the worker's rayon pool, with the page's
//! [`FitHook`] (progress, cancel, test hooks).

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use serde::Serialize;
use wasm_bindgen::prelude::*;

use coresweep::Error;
use coresweep::forest::{FitControl, FitHook, RandomForest};
use coresweep::sweep::{self, Outcome, Quality};

use crate::errors::{engine_error, js_error, to_plain};
use crate::panic;
use crate::plan::Plan;

#[cfg(not(feature = "threads"))]
thread_local! {
    /// `Experiment.on_tree`'s callback. The single-threaded build fits on the worker's own
    /// thread, the only one there is; a JS function cannot live in the (`Sync`) hook.
    static ON_TREE: std::cell::RefCell<Option<js_sys::Function>> =
        const { std::cell::RefCell::new(None) };
}

/// The page's [`FitHook`]: the engine's counter and cancel flag (read and set by the page
/// through shared memory), the single-threaded build's per-tree callback, and the test hooks
/// that make a fit fail the way a bug would.
#[derive(Default)]
struct PageHook {
    control: FitControl,
    /// Trees finished in the current run of the workload, by all its forests (the engine's
    /// counter restarts with each forest).
    run_trees: AtomicU32,
    /// `?inject_panic=<k>`: panic when tree `k` starts.
    panic_in_tree: Option<usize>,
    /// `?inject_abort=<k>`: abort (a trap without a panic, as an allocation failure is) when
    /// tree `k` starts.
    abort_in_tree: Option<usize>,
}

impl FitHook for PageHook {
    fn fit_started(&self, n_trees: usize) {
        self.control.fit_started(n_trees);
    }

    fn tree_starting(&self, index: usize) -> Result<(), Error> {
        self.control.tree_starting(index)?;
        if self.panic_in_tree == Some(index) {
            panic!("test hook: panic in tree {index}");
        }
        if self.abort_in_tree == Some(index) {
            std::process::abort();
        }
        Ok(())
    }

    fn tree_finished(&self, index: usize) {
        self.control.tree_finished(index);
        self.run_trees.fetch_add(1, Ordering::Relaxed);
        #[cfg(not(feature = "threads"))]
        ON_TREE.with_borrow(|callback| {
            if let Some(callback) = callback {
                // A page's progress callback failing is no reason to lose the fit.
                let _ = callback.call0(&JsValue::NULL);
            }
        });
    }
}

/// One dataset and the workload of a plan ([`sweep::Experiment`]), run again and again on the
/// current rayon pool (the worker's, of k threads) while JS times each `fit()` or
/// `run_workload()`.
#[wasm_bindgen]
pub struct Experiment {
    experiment: sweep::Experiment,
    plan: coresweep::plan::Plan,
    /// Boxed so the counter's address, handed to JS by `progress_ptr`, never moves.
    hook: Box<PageHook>,
    fitted: Option<RandomForest>,
    /// What the last `run_workload()` found.
    outcome: Option<Outcome>,
    /// Made on an earlier point's dataset (`on_data`).
    data_handed: bool,
}

impl Experiment {
    fn of(experiment: sweep::Experiment, plan: &Plan, data_handed: bool) -> Experiment {
        Experiment {
            experiment,
            plan: plan.plan.clone(),
            hook: Box::default(),
            fitted: None,
            outcome: None,
            data_handed,
        }
    }
}

#[wasm_bindgen]
impl Experiment {
    /// Generates the dataset of `plan` (deterministic for a `random_state`), or takes its
    /// table's rows, for its forest and workload; a cross-validation's folds are checked
    /// against the classes here (param `cv`).
    #[wasm_bindgen(constructor)]
    pub fn new(plan: &Plan) -> Result<Experiment, JsValue> {
        let experiment = sweep::Experiment::for_plan(&plan.plan).map_err(engine_error)?;
        Ok(Experiment::of(experiment, plan, false))
    }

    /// The experiment of `plan` on the dataset an earlier point made (`data_bytes`), instead
    /// of generating or reading it again; data of another shape or made for other data is
    /// refused (param `data`).
    pub fn on_data(plan: &Plan, data: &[u8]) -> Result<Experiment, JsValue> {
        let experiment =
            sweep::Experiment::for_plan_on_data(&plan.plan, data).map_err(engine_error)?;
        Ok(Experiment::of(experiment, plan, true))
    }

    /// The dataset as bytes for the later points of the sweep (`Experiment.on_data`).
    pub fn data_bytes(&self) -> Vec<u8> {
        self.experiment.data_bytes(&self.plan)
    }

    /// Whether the dataset was handed over (`on_data`) rather than made here.
    #[wasm_bindgen(getter)]
    pub fn data_handed(&self) -> bool {
        self.data_handed
    }

    /// Fits the forest once on all rows; the finished-trees counter restarts at 0.
    pub fn fit(&mut self) -> Result<(), JsValue> {
        // Free the last forest first, so two forests never share the wasm memory.
        self.fitted = None;
        self.hook.run_trees.store(0, Ordering::Relaxed);
        self.fitted = Some(self.experiment.fit(&*self.hook).map_err(engine_error)?);
        Ok(())
    }

    /// Runs the plan's cross-validation or grid search once (`cross_val_score`, or
    /// `GridSearchCV.fit` with its refit), untimed: the page times the call. The
    /// finished-trees counter restarts at 0 and counts the trees of all its forests.
    pub fn run_workload(&mut self) -> Result<(), JsValue> {
        self.outcome = None;
        self.hook.run_trees.store(0, Ordering::Relaxed);
        self.outcome = Some(
            self.experiment
                .run_untimed(&*self.hook)
                .map_err(engine_error)?,
        );
        Ok(())
    }

    /// Trees one run of the workload grows (`Plan.workload_trees`): 100% of the progress.
    pub fn workload_trees(&self) -> usize {
        self.experiment.workload_trees()
    }

    /// What the last `run_workload()` found, as the results document's `quality` JSON text
    /// (`cv_scores`, `cv_mean_score`; `mean_test_score`, `best_params`, `best_score`), for
    /// `ResultsDocument.set_workload_quality`.
    pub fn workload_quality(&self) -> Result<String, JsValue> {
        let outcome = self.outcome.as_ref().ok_or_else(|| {
            js_error(
                "workload_quality: no run yet; call run_workload() first",
                None,
            )
        })?;
        let mut quality = Quality::default();
        quality.record(outcome, &self.plan);
        serde_json::to_string(&quality).map_err(|e| js_error(&e.to_string(), None))
    }

    /// Fits and drops a forest of `trees` of the configured trees, untimed, so that V8 has
    /// optimised the hot code before the timed fits (see `sweep::Experiment::warm_up`).
    pub fn warm_up(&self, trees: usize) -> Result<(), JsValue> {
        self.experiment.warm_up(trees).map_err(engine_error)
    }

    /// Byte address in the wasm memory of the u32 counter of trees finished in the current
    /// fit or run of the workload: `Atomics.load(new Int32Array(memory.buffer), ptr / 4)`.
    pub fn progress_ptr(&self) -> usize {
        std::ptr::from_ref::<AtomicU32>(&self.hook.run_trees) as usize
    }

    /// Byte address of the fit's cancel flag (one byte): after
    /// `Atomics.store(new Uint8Array(memory.buffer), ptr, 1)` the running fit stops before its
    /// next tree and throws "cancelled", and later fits do too. A worker that is only
    /// `terminate()`d keeps computing until Chromium stops it by force (about 2 s per worker).
    pub fn cancel_ptr(&self) -> usize {
        std::ptr::from_ref::<AtomicBool>(&self.hook.control.cancel) as usize
    }

    /// Byte address of the panic record of this wasm instance (all its threads): the u32 at
    /// `ptr` is 0 until a thread panics (or, on the threaded build, a worker's thread dies of
    /// an uncaught error such as a trap), then the length in bytes of the UTF-8 message stored
    /// from `ptr + 8` ("internal error: …", cut to at most 1024 bytes). A pool thread that dies
    /// leaves `fit()` waiting for ever, so the page reads the record and terminates the worker.
    pub fn panic_ptr(&self) -> usize {
        panic::record_address()
    }

    /// Makes every thread of the current rayon pool record an uncaught error of its worker (a
    /// trap, which runs no panic hook) in the panic record, as "internal error: a thread
    /// stopped: …". Call it once the pool is up (after `initThreadPool`), before fitting; later
    /// calls do nothing.
    #[cfg(feature = "threads")]
    pub fn watch_pool_threads(&self) {
        panic::watch_pool_threads();
    }

    /// Single-threaded build only, whose memory the page cannot read while a fit blocks the
    /// worker: later fits call `callback()` after each finished tree, so the page can still
    /// show a fit's progress. An exception it throws is ignored: progress never stops a fit.
    #[cfg(not(feature = "threads"))]
    pub fn on_tree(&mut self, callback: js_sys::Function) {
        ON_TREE.set(Some(callback));
    }

    /// Test hook, not part of the API (the page's `?inject_panic=<k>`): later fits panic when
    /// they start tree number `tree`.
    #[doc(hidden)]
    pub fn panic_in_tree(&mut self, tree: usize) {
        self.hook.panic_in_tree = Some(tree);
    }

    /// Test hook, not part of the API (the page's `?inject_abort=<k>`): later fits abort, a
    /// trap without a panic, when they start tree number `tree`.
    #[doc(hidden)]
    pub fn abort_in_tree(&mut self, tree: usize) {
        self.hook.abort_in_tree = Some(tree);
    }

    /// `{oob_accuracy, total_nodes}` of the last fit (`oob_accuracy` is null without bootstrap).
    pub fn quality(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct FitQuality {
            oob_accuracy: Option<f64>,
            total_nodes: usize,
        }
        let forest = self
            .fitted
            .as_ref()
            .ok_or_else(|| js_error("quality: no fit yet; call fit() first", None))?;
        to_plain(&FitQuality {
            oob_accuracy: self.experiment.oob_accuracy(forest),
            total_nodes: forest.total_nodes(),
        })
    }
}
