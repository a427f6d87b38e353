//! The core-count experiment: its results document (`coresweep-sweep/3`), the numbers derived
//! from it, and the runner that fills it.
//!
//! A document holds what was run (dataset and forest parameters), where (the device), and the
//! measured fit times per thread count. Speed-ups, efficiencies and the Amdahl serial fraction
//! are derived from the points on demand and never stored, so they cannot disagree with them.
//!
//! ```
//! use coresweep::datasets::ClassificationParams;
//! use coresweep::forest::ForestParams;
//! use coresweep::sweep::{Device, SweepDocument};
//!
//! let mut doc = SweepDocument::new(
//!     "native",
//!     "2026-01-01T00:00:00Z".to_string(),
//!     Device::labelled("laptop"),
//!     Some(&ClassificationParams::blog().check()?),
//!     &ForestParams::blog().check()?,
//! );
//! doc.add_point(1, vec![20.0, 22.0, 21.0]);
//! doc.add_point(2, vec![11.0, 10.5, 10.5]);
//! assert_eq!(doc.points[0].median_seconds, 21.0);
//! assert_eq!(doc.speedups(), vec![(1, 1.0), (2, 2.0)]);
//! let back = SweepDocument::from_json(&doc.to_json()).unwrap();
//! assert_eq!(back, doc);
//! # Ok::<(), coresweep::Error>(())
//! ```

mod compare;
mod document;
pub mod handover;
mod run;
mod stats;

pub use compare::{
    COMPARISON_COLUMNS, caption_lines, comparison_rows, comparison_text, difference_line,
    differences, series_names,
};
pub use document::{
    Device, MAX_DOCUMENT_BYTES, Point, Quality, SCHEMA, SCHEMA_V1, SCHEMA_V2, SweepDocument,
    WorkloadInfo,
};
pub use run::{Experiment, FitReport, Outcome, SweepEvent, WorkloadReport, run_sweep, thread_pool};
pub use stats::{PROJECTION_CORES, Projection, amdahl_speedup, median, ratio_text};
