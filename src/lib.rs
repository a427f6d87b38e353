//! coresweep: how much faster does a random forest train with more cores?
//!
//! The engine is pure Rust and knows nothing of the web: [`rng`] reproduces numpy's
//! `RandomState` and [`numeric`] its float-exact arithmetic, [`datasets`] sklearn's
//! `make_classification` and a user's CSV table, [`model_selection`] its `train_test_split`,
//! folds, `cross_val_score` and `GridSearchCV`,
//! [`tree`] and [`forest`] a random forest with sklearn's parameters, [`sweep`] the core-count
//! experiment and its results document, [`chart`] draws it on any plotters backend.
//! [`registry`] defines every parameter once, [`input`] reads parameters written as text, and
//! [`plan`] checks an experiment once for both faces before any work.
//!
//! This crate is the engine and imports no face: the CLI (`cli/`, package `coresweep-cli`)
//! and the page's wasm module (`web/`, package `coresweep-web`) depend on it, never the other
//! way round. It has no web or CLI types and no code for one target only, bar the float-exact
//! numerics that must round like numpy on every target.

pub mod budget;
pub mod chart;
pub mod datasets;
pub mod error;
pub mod forest;
pub mod input;
pub mod model_selection;
pub mod numeric;
pub mod parallel;
pub mod plan;
pub mod registry;
pub mod rng;
pub mod sweep;
pub mod tree;

pub use error::Error;
