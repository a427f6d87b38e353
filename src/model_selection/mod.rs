//! sklearn's `model_selection`: [`train_test_split`] (`split`), the cross-validation splitters
//! [`KFold`], [`StratifiedKFold`] and [`RepeatedStratifiedKFold`] (`folds`), [`cross_val_score`]
//! and its [`Parallel`] levels (`validate`), and [`grid_search_cv`] over [`parameter_grid`]
//! (`search`). Same `random_state`, same folds and scores as sklearn 1.9.1.

mod folds;
mod search;
mod split;
mod validate;

pub use folds::{
    CrossValidator, Fold, KFold, RepeatedStratifiedKFold, StratifiedKFold, check_class_members,
    check_n_splits, check_smallest_class,
};
pub use search::{GridSearch, GridSearchScores, grid_search_cv, parameter_grid, rank_min};
pub use split::{check_split, check_test_size, train_test_split};
pub use validate::{Parallel, cross_val_score};
