//! sklearn's `model_selection` (`sklearn/model_selection/_split.py`): [`train_test_split`]
//! and the checks of its `test_size`.

use crate::Error;
use crate::rng::RandomState;

/// Checks a hold-out share on its own: a fraction in (0, 1) (param `test_size`).
/// [`check_split`] also refuses a share that leaves either set empty.
pub fn check_test_size(test_size: f64) -> Result<f64, Error> {
    if !(test_size > 0.0 && test_size < 1.0) {
        return Err(Error::param(
            "test_size",
            format!("must be a fraction in (0, 1), got {test_size}"),
        ));
    }
    Ok(test_size)
}

/// The sizes `(n_train, n_test)` of [`train_test_split`] of `n_samples` rows, with
/// `n_test = ceil(test_size * n_samples)`; refused (param `test_size`) when either set would be
/// empty, as sklearn refuses it, so a caller can check before any work.
///
/// ```
/// use coresweep::model_selection::check_split;
///
/// assert_eq!(check_split(10, 0.25)?, (7, 3));
/// assert_eq!(check_split(60, 0.999).unwrap_err().parameter(), Some("test_size"));
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn check_split(n_samples: usize, test_size: f64) -> Result<(usize, usize), Error> {
    check_test_size(test_size)?;
    let n_test = (test_size * n_samples as f64).ceil() as usize;
    let n_train = n_samples.saturating_sub(n_test);
    if n_train == 0 || n_test == 0 {
        return Err(Error::param(
            "test_size",
            format!(
                "with n_samples={n_samples} and test_size={test_size} the {} set would be empty",
                if n_train == 0 { "train" } else { "test" }
            ),
        ));
    }
    Ok((n_train, n_test))
}

/// sklearn's `train_test_split(range(n_samples), test_size=test_size, random_state=seed)`
/// (shuffle, no stratification): `n_test = ceil(test_size * n_samples)`, the rest for training,
/// both taken from numpy's `permutation(n_samples)`. Returns `(train, test)` indices.
///
/// ```
/// use coresweep::model_selection::train_test_split;
///
/// let (train, test) = train_test_split(10, 0.25, 0)?;
/// // np.random.RandomState(0).permutation(10) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
/// assert_eq!(test, [2, 8, 4]);
/// assert_eq!(train, [9, 1, 6, 7, 3, 0, 5]);
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn train_test_split(
    n_samples: usize,
    test_size: f64,
    random_state: u32,
) -> Result<(Vec<usize>, Vec<usize>), Error> {
    let (_, n_test) = check_split(n_samples, test_size)?;
    let mut permutation = RandomState::new(random_state).permutation(n_samples);
    let train = permutation.split_off(n_test);
    Ok((train, permutation))
}
