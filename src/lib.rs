//! coresweep: how much faster does a random forest train with more cores?
//!
//! The engine is pure Rust and knows nothing of the web: [`rng`] reproduces numpy's
//! `RandomState`, [`datasets`] sklearn's `make_classification` and `train_test_split`,
//! [`tree`] and [`forest`] a random forest with sklearn's parameters, [`sweep`] the core-count
//! experiment and its results document, [`chart`] draws it on any plotters backend.
//! [`input`] reads parameters written as text, for the page and the CLI alike.
//! [`web`] is the JavaScript-facing API of the wasm build; `main.rs` is the native CLI.

pub mod budget;
pub mod chart;
pub mod datasets;
pub mod error;
pub mod forest;
pub mod input;
pub mod rng;
pub mod sweep;
pub mod tree;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::Error;
