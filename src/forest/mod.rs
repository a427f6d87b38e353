//! sklearn's `RandomForestClassifier`: parameters → [`ForestParams::check`] → a
//! [`ValidForestParams`] that can [fit](ValidForestParams::fit) → a [`RandomForest`] that predicts.
//!
//! Every tree's seed is drawn up front from numpy's `RandomState(random_state)` exactly as sklearn
//! draws them, its bootstrap is sklearn's `_generate_sample_indices`, and its split search is
//! sklearn's `BestSplitter` (see [`crate::tree`]). Trees are grown in parallel on the current
//! rayon pool, one task per tree, so the forest is the same for any number of threads.
//!
//! - `params`: [`ForestParams`], their validation and serde form;
//! - `features`: [`Features`], the training matrix as the trees read it;
//! - `fit`: seeds, bootstraps, the parallel fit and its [`FitHook`];
//! - `predict`: [`RandomForest`], its predictions and out-of-bag score.
//!
//! ```
//! use coresweep::forest::{Features, FitControl, ForestParams};
//!
//! // Two well separated blobs.
//! let x: Vec<f64> = (0..40).map(|i| if i < 20 { i as f64 * 0.1 } else { 5.0 + i as f64 * 0.1 }).collect();
//! let y: Vec<i64> = (0..40).map(|i| i64::from(i >= 20)).collect();
//! let x = Features::from_row_major(&x, 40, 1)?;
//! let params = ForestParams { n_estimators: 10, ..ForestParams::default() };
//! let forest = params.check()?.fit(&x, &y, &FitControl::default())?;
//! assert_eq!(forest.predict(&x), y);
//! assert_eq!(forest.accuracy(&x, &y), 1.0);
//! # Ok::<(), coresweep::Error>(())
//! ```

mod features;
mod fit;
mod params;
mod predict;

pub use features::Features;
pub use fit::{FitControl, FitHook, TreeGrower, bootstrap_indices};
pub use params::{Criterion, ForestParams, MaxFeatures, MaxSamples, ValidForestParams};
pub use predict::RandomForest;

/// sklearn's `MAX_INT` (`np.iinfo(np.int32).max`): tree seeds are drawn below it.
const MAX_INT: i64 = i32::MAX as i64;
