//! The JavaScript-facing API of the wasm build: it translates between JS values and the engine
//! and computes nothing itself. Built with `wasm-bindgen --target web` into `www/pkg/`
//! (`scripts/build-wasm.sh`).
//!
//! A face of the engine: it may import the engine (`coresweep`) and the web crates; nothing
//! imports it. Built for wasm32 only; natively it is an empty crate.
//!
//! - [`check_experiment`] and [`Plan`] (`plan.rs`): the form's parameters → the engine's checked plan.
//! - [`Experiment`] (`experiment.rs`): what a sweep worker fits and times, with the page's hook.
//! - `WorkerShard` (`shard.rs`, single-threaded build): a worker of the workers backend, its
//!   copy of the data and the steps dealt to it.
//! - [`preview_file`], [`read_table_file`], [`check_experiment_on_table`] (`table.rs`): the
//!   user's CSV file, read in workers, and the plans on it.
//! - [`parameters`] (`registry.rs`): the engine's parameter registry, for the form's defaults.
//! - [`ResultsDocument`] (`document.rs`, drawn by `chart.rs`): the results the page holds.
//! - `device.rs`: the page's policy of what a run may take of the device (cores, memory).
//! - `panic.rs`: the panic record the page reads; `errors.rs`: errors as JS `Error`s.
//!
//! Errors are thrown as JS `Error`s carrying the engine's message and a `param` property:
//! sklearn's name of the parameter at fault, or `null`.
//!
//! One deviation from the team contract: there is no exported `memory()` function, because
//! wasm-bindgen already exports the module's memory under that name and a second export of it
//! does not link. The shared memory is the `memory` field of what `init()` resolves to.
//! One addition: `Experiment.cancel_ptr()`, the address of the fit's cancel flag (the worker's
//! "ready" message carries it as `cancelPtr`), so the page can stop a fit at once.
//! Another: `Experiment.panic_ptr()`, the address of the instance's panic record (`panicPtr`),
//! so the page hears of a panic on a pool thread, whose exception reaches no one.
#![cfg(target_arch = "wasm32")]

mod chart;
mod device;
mod document;
mod errors;
mod experiment;
mod panic;
mod plan;
mod registry;
#[cfg(not(feature = "threads"))]
mod shard;
mod table;

use wasm_bindgen::prelude::*;

pub use document::ResultsDocument;
pub use experiment::Experiment;
pub use plan::{Plan, check_backend, check_experiment};
pub use registry::{experiment_of, not_supported_parameter, parameters};
#[cfg(not(feature = "threads"))]
pub use shard::WorkerShard;
pub use table::{check_experiment_on_table, preview_file, read_table_file};
#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Runs when an instance starts (page, sweep worker; pool threads run no start function, but
/// the hook is shared by all threads of the memory).
#[wasm_bindgen(start)]
fn start() {
    panic::install_hook();
}
