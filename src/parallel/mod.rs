//! How a sweep point spends its k-way parallelism, like joblib's backends: **threads** share one
//! memory (a rayon pool of k threads runs the workload, `sweep::Experiment`), **workers** share
//! nothing (k single-threaded engines, each with its own copy of the data, are dealt parts of
//! the workload as messages and send their results back: joblib's loky processes).
//!
//! The workers backend in three pieces, none of which knows how messages travel:
//! - [`Schedule`]: the workload of a plan cut into [`Step`]s — trees of a forest, folds,
//!   candidate × fold fits, the grid search's refit — with what each step needs of the others;
//!   the dealer (the page) hands out any step whose needs are met to any idle worker.
//! - [`Shard`]: one worker's engine — the data from bytes, then any step run on it, its output
//!   bytes (trees, a score) sent back; and at the end the outcome assembled from all outputs.
//! - `wire`: the trees and scores as bytes, read back bit for bit (the data travels as
//!   `sweep::handover` writes it).
//!
//! Every tree is seeded up front as sklearn seeds it, and each fold or candidate is fitted
//! alike wherever it runs, so the forest, the scores and the grid's results are the same for
//! any number of workers and the same as the threads backend's.

mod backend;
mod schedule;
mod shard;
mod wire;

pub use backend::Backend;
pub use schedule::{Schedule, Step, Task};
pub use shard::Shard;
