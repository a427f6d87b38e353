//! sklearn's cross-validation splitters (`sklearn/model_selection/_split.py`): [`KFold`],
//! [`StratifiedKFold`] and [`RepeatedStratifiedKFold`], each giving the same folds, in the same
//! order, as sklearn 1.9.1 for the same `random_state`.

use crate::Error;
use crate::rng::RandomState;

/// One train/test split of the rows, both lists ascending (sklearn's `split` yields them so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    /// Rows the model is fitted on.
    pub train: Vec<usize>,
    /// Rows it is scored on.
    pub test: Vec<usize>,
}

/// The fold of `n_samples` rows whose test rows are those `is_test` selects.
fn fold_of(n_samples: usize, is_test: impl Fn(usize) -> bool) -> Fold {
    let (test, train) = (0..n_samples).partition(|&i| is_test(i));
    Fold { train, test }
}

/// sklearn's `_BaseKFold` checks (param `cv`): at least 2 splits, at most one per row.
///
/// ```
/// use coresweep::model_selection::check_n_splits;
/// assert_eq!(check_n_splits(1, 100).unwrap_err().to_string(),
///     "cv: k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, got n_splits=1");
/// assert!(check_n_splits(5, 4).is_err());
/// ```
pub fn check_n_splits(n_splits: usize, n_samples: usize) -> Result<(), Error> {
    if n_splits < 2 {
        return Err(Error::param(
            "cv",
            format!(
                "k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, got n_splits={n_splits}"
            ),
        ));
    }
    if n_splits > n_samples {
        return Err(Error::param(
            "cv",
            format!(
                "Cannot have number of splits n_splits={n_splits} greater than the number of samples: n_samples={n_samples}"
            ),
        ));
    }
    Ok(())
}

/// sklearn's `KFold(n_splits, shuffle=random_state.is_some(), random_state)`: consecutive
/// blocks of the rows (shuffled first with `RandomState(random_state).shuffle`), the first
/// `n_samples % n_splits` blocks one row larger.
///
/// ```
/// use coresweep::model_selection::KFold;
/// let folds = KFold { n_splits: 3, random_state: None }.split(7)?;
/// assert_eq!(folds.iter().map(|f| f.test.clone()).collect::<Vec<_>>(), [vec![0, 1, 2], vec![3, 4], vec![5, 6]]);
/// // np.random.RandomState(0).permutation(10) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
/// let shuffled = KFold { n_splits: 2, random_state: Some(0) }.split(10)?;
/// assert_eq!(shuffled[0].test, [1, 2, 4, 8, 9]);
/// # Ok::<(), coresweep::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KFold {
    /// Number of folds.
    pub n_splits: usize,
    /// `Some(seed)` shuffles the rows first (sklearn's `shuffle=True, random_state=seed`).
    pub random_state: Option<u32>,
}

impl KFold {
    /// The folds of `n_samples` rows, in sklearn's order.
    pub fn split(&self, n_samples: usize) -> Result<Vec<Fold>, Error> {
        check_n_splits(self.n_splits, n_samples)?;
        let mut order: Vec<usize> = (0..n_samples).collect();
        if let Some(seed) = self.random_state {
            RandomState::new(seed).shuffle(&mut order);
        }
        let mut fold_of_row = vec![0; n_samples];
        let mut start = 0;
        for fold in 0..self.n_splits {
            let size = n_samples / self.n_splits + usize::from(fold < n_samples % self.n_splits);
            for &row in &order[start..start + size] {
                fold_of_row[row] = fold;
            }
            start += size;
        }
        Ok((0..self.n_splits)
            .map(|fold| fold_of(n_samples, |i| fold_of_row[i] == fold))
            .collect())
    }
}

/// sklearn's `StratifiedKFold(n_splits, shuffle=random_state.is_some(), random_state)`: each
/// fold holds about the same share of every class. `cv=N` of `cross_val_score` and
/// `GridSearchCV` is `StratifiedKFold(N)` without shuffling.
///
/// ```
/// use coresweep::model_selection::StratifiedKFold;
/// let y = [0, 0, 0, 1, 1, 1];
/// let folds = StratifiedKFold { n_splits: 3, random_state: None }.split(&y)?;
/// assert_eq!(folds[0].test, [0, 3]);
/// assert_eq!(folds[2].train, [0, 1, 3, 4]);
/// # Ok::<(), coresweep::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StratifiedKFold {
    /// Number of folds.
    pub n_splits: usize,
    /// `Some(seed)` shuffles each class's fold labels (sklearn's `shuffle=True`).
    pub random_state: Option<u32>,
}

impl StratifiedKFold {
    /// The folds of the rows labelled `y`, in sklearn's order.
    pub fn split(&self, y: &[i64]) -> Result<Vec<Fold>, Error> {
        let mut rng = self.random_state.map(RandomState::new);
        stratified_split(self.n_splits, y, rng.as_mut())
    }
}

/// The class counts of `y` (any order), for the check of [`check_class_members`].
fn class_counts(y: &[i64]) -> Vec<usize> {
    let mut sorted = y.to_vec();
    sorted.sort_unstable();
    sorted.chunk_by(|a, b| a == b).map(<[i64]>::len).collect()
}

/// Refuses (param `cv`) more folds than the smallest class of `y` has members. sklearn
/// itself refuses only more folds than *every* class has and merely warns when one class is
/// too small; coresweep refuses both, since a fold without a class scores a different
/// problem. The words are sklearn's.
///
/// ```
/// use coresweep::model_selection::check_class_members;
/// assert!(check_class_members(3, &[0, 0, 0, 1, 1, 1]).is_ok());
/// assert_eq!(check_class_members(4, &[0, 0, 0, 1, 1, 1, 1]).unwrap_err().to_string(),
///     "cv: n_splits=4 cannot be greater than the number of members in each class (the smallest class has 3)");
/// ```
pub fn check_class_members(n_splits: usize, y: &[i64]) -> Result<(), Error> {
    check_smallest_class(n_splits, class_counts(y).into_iter().min().unwrap_or(0))
}

/// [`check_class_members`] where the rows of the smallest class are known (a table's counts).
pub fn check_smallest_class(n_splits: usize, smallest: usize) -> Result<(), Error> {
    if n_splits > smallest {
        return Err(Error::param(
            "cv",
            format!(
                "n_splits={n_splits} cannot be greater than the number of members in each class (the smallest class has {smallest})"
            ),
        ));
    }
    Ok(())
}

/// sklearn's `StratifiedKFold._make_test_folds` and `split`: classes numbered in order of
/// first appearance; the sorted labels dealt round-robin to the folds give each fold's count
/// per class; each class's rows, in order, get their fold numbers in blocks (shuffled by
/// `rng` per class, in class order, when given).
fn stratified_split(
    n_splits: usize,
    y: &[i64],
    mut rng: Option<&mut RandomState>,
) -> Result<Vec<Fold>, Error> {
    check_n_splits(n_splits, y.len())?;
    check_class_members(n_splits, y)?;
    let mut first_seen: Vec<i64> = Vec::new();
    let encoded: Vec<usize> = y
        .iter()
        .map(|label| {
            first_seen
                .iter()
                .position(|c| c == label)
                .unwrap_or_else(|| {
                    first_seen.push(*label);
                    first_seen.len() - 1
                })
        })
        .collect();
    let n_classes = first_seen.len();
    let mut sorted = encoded.clone();
    sorted.sort_unstable();
    // allocation[class][fold]: sklearn's np.bincount(y_order[fold::n_splits]), transposed.
    let mut allocation = vec![vec![0usize; n_splits]; n_classes];
    for (i, &class) in sorted.iter().enumerate() {
        allocation[class][i % n_splits] += 1;
    }
    let mut test_fold = vec![0usize; y.len()];
    for (class, per_fold) in allocation.iter().enumerate() {
        let mut folds_for_class: Vec<usize> = per_fold
            .iter()
            .enumerate()
            .flat_map(|(fold, &count)| std::iter::repeat_n(fold, count))
            .collect();
        if let Some(rng) = rng.as_deref_mut() {
            rng.shuffle(&mut folds_for_class);
        }
        let rows = encoded.iter().enumerate().filter(|(_, c)| **c == class);
        for ((row, _), fold) in rows.zip(folds_for_class) {
            test_fold[row] = fold;
        }
    }
    Ok((0..n_splits)
        .map(|fold| fold_of(y.len(), |i| test_fold[i] == fold))
        .collect())
}

/// sklearn's `RepeatedStratifiedKFold(n_splits, n_repeats, random_state)`: `n_repeats`
/// shuffled [`StratifiedKFold`]s one after the other, all drawing from the one
/// `RandomState(random_state)` (sklearn passes that generator object to every repeat).
///
/// ```
/// use coresweep::model_selection::RepeatedStratifiedKFold;
/// let y = [0, 1, 0, 1, 0, 1, 0, 1];
/// let folds = RepeatedStratifiedKFold { n_splits: 2, n_repeats: 3, random_state: 0 }.split(&y)?;
/// assert_eq!(folds.len(), 6);
/// # Ok::<(), coresweep::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RepeatedStratifiedKFold {
    /// Folds per repeat.
    pub n_splits: usize,
    /// Repeats.
    pub n_repeats: usize,
    /// Seeds the one generator every repeat shuffles with.
    pub random_state: u32,
}

impl RepeatedStratifiedKFold {
    /// The `n_splits × n_repeats` folds of the rows labelled `y`, repeat by repeat.
    pub fn split(&self, y: &[i64]) -> Result<Vec<Fold>, Error> {
        let mut rng = RandomState::new(self.random_state);
        let mut folds = Vec::with_capacity(self.n_splits * self.n_repeats);
        for _ in 0..self.n_repeats {
            folds.extend(stratified_split(self.n_splits, y, Some(&mut rng))?);
        }
        Ok(folds)
    }
}

/// The splitter of a cross-validation or grid search as coresweep's parameters choose it:
/// `cv=N` alone is sklearn's `StratifiedKFold(N)`, with `cv_repeats=R` it is
/// `RepeatedStratifiedKFold(N, R, random_state)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CrossValidator {
    /// `StratifiedKFold(n_splits)`, no shuffle.
    Stratified(StratifiedKFold),
    /// `RepeatedStratifiedKFold(n_splits, n_repeats, random_state)`.
    RepeatedStratified(RepeatedStratifiedKFold),
}

impl CrossValidator {
    /// The splitter of `cv` folds, repeated `cv_repeats` times (none: sklearn's `cv=N`),
    /// shuffled from `random_state` when repeated.
    pub fn new(cv: usize, cv_repeats: Option<usize>, random_state: u32) -> Self {
        match cv_repeats {
            None => CrossValidator::Stratified(StratifiedKFold {
                n_splits: cv,
                random_state: None,
            }),
            Some(n_repeats) => CrossValidator::RepeatedStratified(RepeatedStratifiedKFold {
                n_splits: cv,
                n_repeats,
                random_state,
            }),
        }
    }

    /// Folds per repeat.
    pub fn n_splits(&self) -> usize {
        match self {
            CrossValidator::Stratified(cv) => cv.n_splits,
            CrossValidator::RepeatedStratified(cv) => cv.n_splits,
        }
    }

    /// Folds in all (sklearn's `get_n_splits`).
    pub fn n_folds(&self) -> usize {
        match self {
            CrossValidator::Stratified(cv) => cv.n_splits,
            CrossValidator::RepeatedStratified(cv) => cv.n_splits * cv.n_repeats,
        }
    }

    /// The folds of the rows labelled `y`, in sklearn's order.
    pub fn split(&self, y: &[i64]) -> Result<Vec<Fold>, Error> {
        match self {
            CrossValidator::Stratified(cv) => cv.split(y),
            CrossValidator::RepeatedStratified(cv) => cv.split(y),
        }
    }
}
