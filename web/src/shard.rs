//! The `WorkerShard` class a worker of the page's workers backend runs (single-threaded build): the engine's
//! [`Shard`] (its copy of the data, the steps dealt to it) with the page's per-tree progress.

use wasm_bindgen::prelude::*;

use coresweep::forest::FitHook;
use coresweep::parallel::{Schedule, Shard, Task};
use coresweep::sweep::Quality;

use crate::errors::{engine_error, js_error};
use crate::plan::Plan;

thread_local! {
    /// `WorkerShard.on_tree`'s callback: a worker of the workers backend runs the
    /// single-threaded build, on its one thread; a JS function cannot live in a `Sync` hook.
    static ON_TREE: std::cell::RefCell<Option<js_sys::Function>> =
        const { std::cell::RefCell::new(None) };
}

/// Calls the page's callback after every tree (a progress message); a callback that throws
/// never stops the work.
struct TreeCallback;

impl FitHook for TreeCallback {
    fn tree_finished(&self, _index: usize) {
        ON_TREE.with_borrow(|callback| {
            if let Some(callback) = callback {
                let _ = callback.call0(&JsValue::NULL);
            }
        });
    }
}

/// One worker's engine in the workers backend: made from the plan and the bytes of the data
/// (a copy of its own), it runs the steps dealt to it and returns their outputs as bytes.
#[wasm_bindgen]
pub struct WorkerShard {
    shard: Shard,
    /// Test hook (`?inject_worker_panic=<k>`): every step panics in the engine.
    panic_in_steps: bool,
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, JsValue> {
    serde_json::from_str(text).map_err(|e| js_error(&format!("{what}: {e}"), None))
}

#[wasm_bindgen]
impl WorkerShard {
    /// The data of `plan` as bytes, made here once (generated, or the plan's table) and checked
    /// as the threads backend checks it; every worker gets a copy ([`WorkerShard::new`]).
    pub fn data_of(plan: &Plan) -> Result<Vec<u8>, JsValue> {
        Shard::data_of(&plan.plan).map_err(engine_error)
    }

    /// The steps of one run of `plan`'s workload on `workers` workers, as JSON text: a list of
    /// `{task, inputs, after, trees}` (`task` is handed back to `run` as it is).
    pub fn schedule(plan: &Plan, workers: usize) -> String {
        serde_json::to_string(&Schedule::for_plan(&plan.plan, workers))
            .unwrap_or_else(|_| "[]".to_owned())
    }

    /// A worker's engine on its copy of the data (`WorkerShard.data_of`'s bytes).
    #[wasm_bindgen(constructor)]
    pub fn new(plan: &Plan, data: &[u8]) -> Result<WorkerShard, JsValue> {
        Ok(WorkerShard {
            shard: Shard::new(plan.plan.clone(), data).map_err(engine_error)?,
            panic_in_steps: false,
        })
    }

    /// Later steps call `callback()` after each tree they grow.
    pub fn on_tree(&mut self, callback: js_sys::Function) {
        ON_TREE.set(Some(callback));
    }

    /// Runs one step: `task` as the schedule gives it (JSON text) with the outputs of its
    /// input steps, in order; returns its output.
    pub fn run(&mut self, task: &str, inputs: Vec<js_sys::Uint8Array>) -> Result<Vec<u8>, JsValue> {
        let task: Task = parse(task, "task")?;
        if self.panic_in_steps {
            panic!("test hook: panic in a worker's step");
        }
        let inputs: Vec<Vec<u8>> = inputs.iter().map(js_sys::Uint8Array::to_vec).collect();
        let inputs: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
        self.shard
            .run(&task, &inputs, &TreeCallback)
            .map_err(engine_error)
    }

    /// Grows one tree of the first forest on all rows and drops it, untimed and unreported:
    /// V8 optimises the hot wasm functions while they run (see `Experiment.warm_up`).
    pub fn warm_up(&mut self) -> Result<(), JsValue> {
        let tree = Task::GrowTrees {
            candidate: 0,
            fold: None,
            first: 0,
            end: 1,
        };
        self.shard
            .run(&tree, &[], &())
            .map(drop)
            .map_err(engine_error)
    }

    /// Test hook, not part of the API: later steps panic in the engine.
    #[doc(hidden)]
    pub fn panic_in_steps(&mut self) {
        self.panic_in_steps = true;
    }

    /// What one run found, from the outputs of all the schedule's steps (`schedule`: the JSON
    /// text `WorkerShard.schedule` gave), as the results document's `quality` JSON text.
    pub fn quality(
        &mut self,
        plan: &Plan,
        schedule: &str,
        outputs: Vec<js_sys::Uint8Array>,
    ) -> Result<String, JsValue> {
        let schedule: Schedule = parse(schedule, "schedule")?;
        let outputs: Vec<Vec<u8>> = outputs.iter().map(js_sys::Uint8Array::to_vec).collect();
        let outputs: Vec<&[u8]> = outputs.iter().map(Vec::as_slice).collect();
        let outcome = self
            .shard
            .outcome(&schedule, &outputs)
            .map_err(engine_error)?;
        let mut quality = Quality::default();
        quality.record(&outcome, &plan.plan);
        serde_json::to_string(&quality).map_err(|e| js_error(&e.to_string(), None))
    }
}
