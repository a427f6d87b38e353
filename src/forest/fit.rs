//! Fitting: the tree seeds and bootstraps drawn as sklearn draws them, one rayon task per tree,
//! and the [`FitHook`] through which a face watches and cancels a fit.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use rayon::prelude::*;

use super::{Criterion, Features, MAX_INT, RandomForest, ValidForestParams};
use crate::Error;
use crate::rng::RandomState;
use crate::tree::{Impurity, Levels, RAND_R_MAX, SplitSettings, TrainingData, Tree, TreeSettings};

/// How a fit reports its progress and learns that it should stop: the one way a face (a
/// progress bar, the page's counter in shared memory, a test's fault injection) reaches into a
/// running fit. Called on the fitting threads, so it must be cheap and `Sync`. `()` watches
/// nothing.
pub trait FitHook: Sync {
    /// The fit of `n_trees` trees starts (before any tree).
    fn fit_started(&self, n_trees: usize) {
        let _ = n_trees;
    }

    /// Tree `index` is about to be grown; an error stops the fit with it
    /// ([`Error::Cancelled`] to cancel).
    fn tree_starting(&self, index: usize) -> Result<(), Error> {
        let _ = index;
        Ok(())
    }

    /// Tree `index` is grown.
    fn tree_finished(&self, index: usize) {
        let _ = index;
    }
}

impl FitHook for () {}

/// The engine's own [`FitHook`]: a counter of finished trees and a cancel flag, both atomics
/// a watcher on another thread can read and set while the fit runs.
///
/// ```
/// use coresweep::forest::{Features, FitControl, ForestParams};
/// use std::sync::atomic::Ordering;
/// let x = Features::from_row_major(&[0.0, 1.0, 2.0, 3.0], 4, 1)?;
/// let control = FitControl::default();
/// let params = ForestParams { n_estimators: 7, ..ForestParams::default() }.check()?;
/// params.fit(&x, &[0, 0, 1, 1], &control)?;
/// assert_eq!(control.trees_done.load(Ordering::Relaxed), 7);
/// control.cancel.store(true, Ordering::Relaxed);
/// assert_eq!(params.fit(&x, &[0, 0, 1, 1], &control).unwrap_err(), coresweep::Error::Cancelled);
/// # Ok::<(), coresweep::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct FitControl {
    /// Trees finished in the current fit (0 when a fit starts, then one more per tree).
    pub trees_done: AtomicU32,
    /// Set to stop the fit; checked before each tree starts.
    pub cancel: AtomicBool,
}

impl FitHook for FitControl {
    fn fit_started(&self, _n_trees: usize) {
        self.trees_done.store(0, Ordering::Relaxed);
    }

    fn tree_starting(&self, _index: usize) -> Result<(), Error> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    fn tree_finished(&self, _index: usize) {
        self.trees_done.fetch_add(1, Ordering::Relaxed);
    }
}

/// The classes of `y` (sorted, like `np.unique`) and every label's index among them.
fn encode_labels(y: &[i64]) -> (Vec<i64>, Vec<u32>) {
    let mut classes = y.to_vec();
    classes.sort_unstable();
    classes.dedup();
    let labels = y
        .iter()
        .map(|v| classes.binary_search(v).unwrap_or_default() as u32)
        .collect();
    (classes, labels)
}

/// How many times each row is drawn into the bootstrap of the tree seeded with `seed`
/// (sklearn's `np.bincount(_generate_sample_indices(seed, n_samples, n_samples_bootstrap))`).
fn bootstrap_counts(seed: u32, n_samples: usize, n_samples_bootstrap: usize) -> Vec<u32> {
    let mut counts = vec![0u32; n_samples];
    for row in bootstrap_draws(seed, n_samples, n_samples_bootstrap) {
        counts[row] += 1;
    }
    counts
}

/// The rows sklearn draws into the bootstrap of the tree seeded with `seed`, in draw order
/// (`RandomState(seed).randint(0, n_samples, n_samples_bootstrap)`).
///
/// ```
/// // np.random.RandomState(0).randint(0, 10, 5) == [5, 0, 3, 3, 7]
/// assert_eq!(coresweep::forest::bootstrap_indices(0, 10, 5), vec![5, 0, 3, 3, 7]);
/// ```
pub fn bootstrap_indices(seed: u32, n_samples: usize, n_samples_bootstrap: usize) -> Vec<usize> {
    bootstrap_draws(seed, n_samples, n_samples_bootstrap).collect()
}

/// The draws of [`bootstrap_indices`], one at a time (a tree needs only their counts, the
/// out-of-bag score only which rows were drawn).
pub(super) fn bootstrap_draws(
    seed: u32,
    n_samples: usize,
    n_samples_bootstrap: usize,
) -> impl Iterator<Item = usize> {
    RandomState::new(seed)
        .randints(0, n_samples as i64)
        .take(n_samples_bootstrap)
        .map(|row| row as usize)
}

impl ValidForestParams {
    /// The settings every tree is grown with on `n_features` features.
    fn tree_settings(&self, n_features: usize) -> TreeSettings {
        let p = &self.params;
        TreeSettings {
            split: SplitSettings {
                impurity: match p.criterion {
                    Criterion::Gini => Impurity::Gini,
                    Criterion::Entropy | Criterion::LogLoss => Impurity::Entropy,
                },
                max_features: p.max_features.resolve(n_features),
                min_samples_leaf: p.min_samples_leaf,
            },
            max_depth: p.max_depth.unwrap_or(i32::MAX as usize),
            min_samples_split: p.min_samples_split.max(2 * p.min_samples_leaf),
            min_impurity_decrease: p.min_impurity_decrease,
        }
    }

    /// Fits the forest on all rows of `x` with labels `y`, one rayon task per tree on the
    /// current pool. `hook` hears of every tree and can stop the fit before the next one
    /// ([`FitControl`]: a counter and a cancel flag).
    pub fn fit(&self, x: &Features, y: &[i64], hook: &dyn FitHook) -> Result<RandomForest, Error> {
        self.fit_trees(x, y, hook, true)
    }

    /// [`fit`](Self::fit) with the trees grown one after the other on the calling thread: the
    /// same forest. Cross-validation's outer level runs one such fit per thread, as sklearn's
    /// `cross_val_score(RandomForestClassifier(n_jobs=1), …, n_jobs=k)` does.
    pub fn fit_on_one_thread(
        &self,
        x: &Features,
        y: &[i64],
        hook: &dyn FitHook,
    ) -> Result<RandomForest, Error> {
        self.fit_trees(x, y, hook, false)
    }

    fn fit_trees(
        &self,
        x: &Features,
        y: &[i64],
        hook: &dyn FitHook,
        parallel: bool,
    ) -> Result<RandomForest, Error> {
        let grower = self.grower_on(Cow::Borrowed(x), y, parallel)?;
        hook.fit_started(grower.n_trees());
        let grow = |index: usize| {
            hook.tree_starting(index)?;
            let tree = grower.grow(index);
            hook.tree_finished(index);
            Ok(tree)
        };
        let trees = if parallel {
            (0..grower.n_trees())
                .into_par_iter()
                .with_max_len(1)
                .map(grow)
                .collect::<Result<Vec<Tree>, Error>>()?
        } else {
            (0..grower.n_trees())
                .map(grow)
                .collect::<Result<Vec<Tree>, Error>>()?
        };
        Ok(grower.forest(trees))
    }

    /// What every tree of a fit on `x` and `y` shares (seeds, labels, settings, the columns'
    /// levels), made once so that any tree can then be grown alone, on any thread or worker:
    /// tree `i` depends on its seed only, so who grows it does not change the forest. The
    /// columns are ranked on the current rayon pool.
    pub fn grower<'a>(&self, x: Cow<'a, Features>, y: &[i64]) -> Result<TreeGrower<'a>, Error> {
        self.grower_on(x, y, true)
    }

    /// [`grower`](Self::grower), the columns ranked on the current rayon pool when `parallel`,
    /// else on the calling thread.
    fn grower_on<'a>(
        &self,
        x: Cow<'a, Features>,
        y: &[i64],
        parallel: bool,
    ) -> Result<TreeGrower<'a>, Error> {
        self.check_fit_input(&x, y)?;
        let p = &self.params;
        let n_samples = x.n_rows();
        let (classes, labels) = encode_labels(y);
        let n_samples_bootstrap = p
            .bootstrap
            .then(|| p.max_samples.map_or(n_samples, |m| m.resolve(n_samples)));
        let mut rng = RandomState::new(p.random_state);
        let seeds: Vec<u32> = (0..p.n_estimators)
            .map(|_| rng.randint(0, MAX_INT) as u32)
            .collect();
        let all_rows = vec![
            1u32;
            if n_samples_bootstrap.is_some() {
                0
            } else {
                n_samples
            }
        ];
        Ok(TreeGrower {
            settings: self.tree_settings(x.n_cols()),
            // Shared by all trees: which columns have few distinct values, and each row's rank.
            levels: Levels::ranked(&x.values, n_samples, parallel),
            x,
            labels,
            classes,
            n_samples_bootstrap,
            seeds,
            all_rows,
        })
    }
}

/// The part of a fit every tree shares ([`ValidForestParams::grower`]): grow its trees one by
/// one with [`TreeGrower::grow`], in any order and anywhere, then put them together with
/// [`TreeGrower::forest`].
pub struct TreeGrower<'a> {
    x: Cow<'a, Features>,
    labels: Vec<u32>,
    classes: Vec<i64>,
    settings: TreeSettings,
    n_samples_bootstrap: Option<usize>,
    seeds: Vec<u32>,
    levels: Levels,
    /// Every row once: the weights of a fit without bootstrap (empty with one).
    all_rows: Vec<u32>,
}

impl TreeGrower<'_> {
    /// Trees of the forest (`n_estimators`).
    pub fn n_trees(&self) -> usize {
        self.seeds.len()
    }

    /// Grows tree `index` (below [`n_trees`](Self::n_trees)), as sklearn grows the tree of
    /// that seed.
    pub fn grow(&self, index: usize) -> Tree {
        let seed = self.seeds[index];
        let n_samples = self.x.n_rows();
        let counts = self
            .n_samples_bootstrap
            .map(|n_boot| bootstrap_counts(seed, n_samples, n_boot));
        let data = TrainingData {
            n_rows: n_samples,
            n_features: self.x.n_cols(),
            labels: &self.labels,
            n_classes: self.classes.len(),
            weights: counts.as_deref().unwrap_or(&self.all_rows),
            levels: &self.levels,
        };
        // sklearn's splitter seeds its `rand_r` from the tree's own RandomState.
        let rand_r_state = RandomState::new(seed).randint(0, i64::from(RAND_R_MAX)) as u32;
        Tree::fit(&data, &self.settings, rand_r_state)
    }

    /// The forest of `trees`, every tree of this fit in index order.
    pub fn forest(&self, trees: Vec<Tree>) -> RandomForest {
        debug_assert_eq!(trees.len(), self.seeds.len());
        RandomForest {
            trees,
            classes: self.classes.clone(),
            seeds: self.seeds.clone(),
            n_features: self.x.n_cols(),
            n_samples_fit: self.x.n_rows(),
            n_samples_bootstrap: self.n_samples_bootstrap,
        }
    }
}
