//! Parameters written as text (a form field, a link's query, a command-line flag) read into
//! the engine's types. The page (`web::check_experiment`) and the CLI's flags read text only
//! through these functions, so both refuse the same text in the same words.
//!
//! A reader refuses only text that is not a value of the parameter's kind ("abc", "0x10",
//! "1.5" for a count, an empty field) with "expected …, got \"…\"". Any number of the right
//! kind gets through, NaN and infinity included ("NaN", "inf", "-inf", "1e999" as Python's
//! `float()` reads them), so that the engine's range checks ([`ClassificationParams::check`],
//! [`ForestParams::check`], [`check_repeats`], …) refuse it in their own words, the same on
//! both faces. Blanks around a value are ignored, as Python's `int(" 5 ")` ignores them.
//!
//! ```
//! use coresweep::input;
//!
//! assert_eq!(input::count("n_samples", " 5 ")?, 5);
//! let error = input::count("n_samples", "1.5").unwrap_err();
//! assert_eq!(error.to_string(), r#"n_samples: expected a whole number (0 or more), got "1.5""#);
//! assert!(input::number("flip_y", "NaN")?.is_nan());
//! # Ok::<(), coresweep::Error>(())
//! ```

use crate::Error;
use crate::datasets::{ClassificationParams, Scale, Shift, ValidClassificationParams};
use crate::forest::{Criterion, ForestParams, MaxFeatures, MaxSamples, ValidForestParams};
use crate::sweep::{check_repeats, parse_threads};

/// The refusal of `text` for `param`, which should have been `what`.
fn expected(param: &'static str, what: &str, text: &str) -> Error {
    Error::param(param, format!("expected {what}, got {:?}", text.trim()))
}

/// sklearn's `None`, as it may be written.
fn is_none(text: &str) -> bool {
    let text = text.trim();
    text.eq_ignore_ascii_case("none") || text.eq_ignore_ascii_case("null")
}

/// The largest count a reader takes: the same on every target (the page's wasm has 32-bit
/// `usize`), so a huge count is refused in the same words by the page and the CLI.
pub const MAX_COUNT: u64 = u32::MAX as u64;

/// A count: `"5"`; not `"5.0"`, `"-1"` or `"abc"`, nor more than [`MAX_COUNT`].
pub fn count(param: &'static str, text: &str) -> Result<usize, Error> {
    let count: u64 = text
        .trim()
        .parse()
        .map_err(|_| expected(param, "a whole number (0 or more)", text))?;
    usize::try_from(count)
        .ok()
        .filter(|_| count <= MAX_COUNT)
        .ok_or_else(|| Error::param(param, format!("must be at most {MAX_COUNT}, got {count}")))
}

/// A seed of numpy's `RandomState`: a whole number in [0, 2**32 - 1].
pub fn seed(param: &'static str, text: &str) -> Result<u32, Error> {
    text.trim()
        .parse()
        .map_err(|_| expected(param, "a whole number in [0, 4294967295]", text))
}

/// A float, as Python's `float()` reads it ("0.5", "1e-3", "NaN", "inf").
pub fn number(param: &'static str, text: &str) -> Result<f64, Error> {
    text.trim()
        .parse()
        .map_err(|_| expected(param, "a number", text))
}

/// `true` or `false`, in any case (Python's `True` and `False` too).
pub fn boolean(param: &'static str, text: &str) -> Result<bool, Error> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(expected(param, "true or false", text)),
    }
}

/// `weights`: comma-separated shares ("0.2,0.8", one value for two classes), or None; an empty
/// list is the engine's to refuse (or to accept, for one class).
pub fn weights(text: &str) -> Result<Option<Vec<f64>>, Error> {
    if is_none(text) {
        return Ok(None);
    }
    if text.trim().is_empty() {
        return Ok(Some(Vec::new()));
    }
    text.split(',')
        .map(|share| {
            number("weights", share).map_err(|_| {
                expected(
                    "weights",
                    "comma-separated numbers like 0.2,0.8, or None",
                    text,
                )
            })
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// A number, or "random" (sklearn's None: drawn per feature).
fn number_or_random(param: &'static str, text: &str) -> Result<Option<f64>, Error> {
    if is_none(text) || text.trim().eq_ignore_ascii_case("random") {
        return Ok(None);
    }
    number(param, text)
        .map(Some)
        .map_err(|_| expected(param, "a number or \"random\"", text))
}

/// `shift`: a number, or "random".
pub fn shift(text: &str) -> Result<Shift, Error> {
    Ok(number_or_random("shift", text)?.map_or(Shift::Random, Shift::Value))
}

/// `scale`: a number, or "random".
pub fn scale(text: &str) -> Result<Scale, Error> {
    Ok(number_or_random("scale", text)?.map_or(Scale::Random, Scale::Value))
}

/// `criterion`: gini, entropy or log_loss.
pub fn criterion(text: &str) -> Result<Criterion, Error> {
    match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
        "gini" => Ok(Criterion::Gini),
        "entropy" => Ok(Criterion::Entropy),
        "log_loss" => Ok(Criterion::LogLoss),
        _ => Err(expected("criterion", "gini, entropy or log_loss", text)),
    }
}

/// `max_depth`: a count, or None (also an empty field, the page's way of saying None).
pub fn max_depth(text: &str) -> Result<Option<usize>, Error> {
    if is_none(text) || text.trim().is_empty() {
        return Ok(None);
    }
    if text.trim().parse::<u64>().is_err() {
        return Err(expected("max_depth", "a whole number or None", text));
    }
    count("max_depth", text).map(Some)
}

/// A count or a share, as `max_features` and `max_samples` take them.
enum Amount {
    Count(usize),
    Share(f64),
}

/// sklearn tells a count from a share by the Python type; in text a count is written as a
/// whole number (`1` is one) and a share with a decimal point or an exponent (`1.0` is all of
/// them). NaN and infinity are shares too, for the engine to refuse. `None` for other text,
/// a negative whole number included. A count is read as a `u64` and held to [`MAX_COUNT`], so
/// that `"4294967296"` is a count refused in the same words on 32-bit wasm as natively.
fn amount(param: &'static str, text: &str) -> Result<Option<Amount>, Error> {
    let text = text.trim();
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(text.parse().ok().map(Amount::Share));
    }
    if text.parse::<u64>().is_err() {
        return Ok(None);
    }
    count(param, text).map(|count| Some(Amount::Count(count)))
}

/// `max_features`: "sqrt", "log2", a count, a share, or None.
pub fn max_features(text: &str) -> Result<MaxFeatures, Error> {
    match text.trim().to_ascii_lowercase().as_str() {
        "sqrt" => return Ok(MaxFeatures::Sqrt),
        "log2" => return Ok(MaxFeatures::Log2),
        _ if is_none(text) => return Ok(MaxFeatures::All),
        _ => {}
    }
    match amount("max_features", text)? {
        Some(Amount::Count(count)) => Ok(MaxFeatures::Count(count)),
        Some(Amount::Share(share)) => Ok(MaxFeatures::Fraction(share)),
        None => Err(expected(
            "max_features",
            "\"sqrt\", \"log2\", a whole number, a float like 0.5, or None",
            text,
        )),
    }
}

/// `max_samples`: a count, a share, or None (also an empty value).
pub fn max_samples(text: &str) -> Result<Option<MaxSamples>, Error> {
    if is_none(text) || text.trim().is_empty() {
        return Ok(None);
    }
    match amount("max_samples", text)? {
        Some(Amount::Count(count)) => Ok(Some(MaxSamples::Count(count))),
        Some(Amount::Share(share)) => Ok(Some(MaxSamples::Fraction(share))),
        None => Err(expected(
            "max_samples",
            "a whole number, a float like 0.5, or None",
            text,
        )),
    }
}

/// Sets the parameter named `key` (sklearn's name) from `text`; `random_state` seeds both the
/// dataset and the forest. Returns whether `key` names a parameter.
pub fn set(
    dataset: &mut ClassificationParams,
    forest: &mut ForestParams,
    key: &str,
    text: &str,
) -> Result<bool, Error> {
    match key {
        "n_samples" => dataset.n_samples = count("n_samples", text)?,
        "n_features" => dataset.n_features = count("n_features", text)?,
        "n_informative" => dataset.n_informative = count("n_informative", text)?,
        "n_redundant" => dataset.n_redundant = count("n_redundant", text)?,
        "n_repeated" => dataset.n_repeated = count("n_repeated", text)?,
        "n_classes" => dataset.n_classes = count("n_classes", text)?,
        "n_clusters_per_class" => {
            dataset.n_clusters_per_class = count("n_clusters_per_class", text)?
        }
        "weights" => dataset.weights = weights(text)?,
        "flip_y" => dataset.flip_y = number("flip_y", text)?,
        "class_sep" => dataset.class_sep = number("class_sep", text)?,
        "hypercube" => dataset.hypercube = boolean("hypercube", text)?,
        "shift" => dataset.shift = shift(text)?,
        "scale" => dataset.scale = scale(text)?,
        "shuffle" => dataset.shuffle = boolean("shuffle", text)?,
        "random_state" => {
            dataset.random_state = seed("random_state", text)?;
            forest.random_state = dataset.random_state;
        }
        "n_estimators" => forest.n_estimators = count("n_estimators", text)?,
        "criterion" => forest.criterion = criterion(text)?,
        "max_depth" => forest.max_depth = max_depth(text)?,
        "min_samples_split" => forest.min_samples_split = count("min_samples_split", text)?,
        "min_samples_leaf" => forest.min_samples_leaf = count("min_samples_leaf", text)?,
        "min_impurity_decrease" => {
            forest.min_impurity_decrease = number("min_impurity_decrease", text)?
        }
        "max_features" => forest.max_features = max_features(text)?,
        "bootstrap" => forest.bootstrap = boolean("bootstrap", text)?,
        "max_samples" => forest.max_samples = max_samples(text)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// An experiment as a form gives it, checked: the dataset, the forest, the thread counts and
/// the timed fits per count.
#[derive(Debug)]
pub struct FormExperiment {
    /// The dataset's parameters.
    pub dataset: ValidClassificationParams,
    /// The forest's parameters.
    pub forest: ValidForestParams,
    /// Thread counts, in the order given.
    pub threads: Vec<usize>,
    /// Timed fits per thread count.
    pub repeats: usize,
}

/// Reads and checks an experiment given as `(name, text)` pairs with sklearn's names, plus
/// `threads` ("1,2", "all"; default 1), `repeats` (default 1) and `hardware_concurrency` (the
/// page's pool: the cores "all" stands for and the most threads a count may ask for; without
/// it, "all" is 1 and counts go up to the engine's limit). Missing parameters take the blog experiment's values;
/// other names are ignored. The first problem is returned, naming its parameter.
///
/// ```
/// use coresweep::input::form_experiment;
///
/// let plan = form_experiment([("n_samples", "2000"), ("threads", "1,2"), ("autorun", "1")])?;
/// assert_eq!((plan.dataset.params().n_samples, plan.threads), (2000, vec![1, 2]));
/// let error = form_experiment([("flip_y", "NaN")]).unwrap_err();
/// assert_eq!(error.to_string(), "flip_y: must be in [0, 1], got NaN");
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn form_experiment<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<FormExperiment, Error> {
    let mut dataset = ClassificationParams::blog();
    let mut forest = ForestParams::blog();
    let (mut threads, mut repeats, mut cores) = ("1", 1, None);
    for (key, text) in fields {
        match key {
            "threads" => threads = text,
            "repeats" => repeats = count("repeats", text)?,
            "hardware_concurrency" => cores = Some(count("hardware_concurrency", text)?),
            _ => {
                set(&mut dataset, &mut forest, key, text)?;
            }
        }
    }
    let dataset = dataset.check()?;
    let forest = forest.check()?;
    // What the fit would refuse on this data (max_features > n_features, say), before any
    // data is generated.
    forest.check_shape(dataset.params().n_samples, dataset.params().n_features)?;
    let threads = parse_threads(threads, cores.unwrap_or(1))?;
    if let Some(cores) = cores {
        check_pool(&threads, cores)?;
    }
    Ok(FormExperiment {
        dataset,
        forest,
        threads,
        repeats: check_repeats(repeats)?,
    })
}

/// The page sizes its pools from the cores it was given (the browser's count, or the user's):
/// a thread count above them is refused rather than run on a pool the page did not offer.
fn check_pool(threads: &[usize], cores: usize) -> Result<(), Error> {
    match threads.iter().find(|&&k| k > cores) {
        Some(k) => Err(Error::param(
            "threads",
            format!(
                "{k} is more than the {cores} logical cores given (hardware_concurrency); raise that count to run more threads than cores"
            ),
        )),
        None => Ok(()),
    }
}
