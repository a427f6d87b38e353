//! The data a forest is fitted on: sklearn's `make_classification`, reproduced draw for draw,
//! or a user's own table read from CSV ([`read_table`]).
//!
//! Given the same parameters and `random_state`, [`ValidClassificationParams::generate`] returns
//! sklearn 1.9's `X` and `y` bit for bit: the random streams are numpy's
//! ([`RandomState`](crate::rng::RandomState)) and the matrix products are rounded the way numpy
//! 2.4's OpenBLAS (SkylakeX kernels) rounds them ([`crate::numeric`]). The oracles in
//! `tests/oracles/` are sklearn's own output.
//!
//! - `params`: [`ClassificationParams`], their validation and serde form;
//! - `generate`: `make_classification` itself (`sklearn/datasets/_samples_generator.py`);
//! - `sample`: [`sample_without_replacement`] (`sklearn/utils/_random.pyx`);
//! - `table`: [`read_table`], a CSV table as [`Features`](crate::forest::Features) and labels;
//! - `preview`: [`preview_table`], the start of a table, to choose its target and columns.
//!
//! ```
//! use coresweep::datasets::ClassificationParams;
//!
//! let params = ClassificationParams { n_samples: 200, random_state: 3, ..Default::default() };
//! let data = params.check()?.generate();
//! assert_eq!((data.n_samples, data.n_features), (200, 20));
//! assert_eq!(data.x.len(), 200 * 20);
//! assert!(data.y.iter().all(|&label| label == 0 || label == 1));
//! # Ok::<(), coresweep::Error>(())
//! ```

mod generate;
mod params;
mod preview;
mod sample;
mod table;

pub use generate::{Dataset, GenerationTrace};
pub(crate) use params::data_size_param;
pub use params::{ClassificationParams, MAX_ARRAY_BYTES, Scale, Shift, ValidClassificationParams};
pub use preview::{ColumnKind, ColumnPreview, PREVIEW_ROWS, TablePreview, preview_table};
pub use sample::sample_without_replacement;
pub use table::{Table, TableInfo, TableOptions, check_table_size, parse_delimiter, read_table};
