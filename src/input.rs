//! Parameters written as text (a form field, a link's query, a command-line flag) read into
//! the engine's types. The [registry](crate::registry) reads every parameter through these
//! functions, and both faces read text only through the registry and
//! [`Request::from_text`](crate::plan::Request::from_text), so both refuse the same text in
//! the same words.
//!
//! A reader refuses only text that is not a value of the parameter's kind ("abc", "0x10",
//! "1.5" for a count, an empty field) with "expected …, got \"…\"". Any number of the right
//! kind gets through, NaN and infinity included ("NaN", "inf", "-inf", "1e999" as Python's
//! `float()` reads them), so that the engine's range checks ([`ClassificationParams::check`](crate::datasets::ClassificationParams::check),
//! [`ForestParams::check`](crate::forest::ForestParams::check),
//! [`check_repeats`](crate::plan::check_repeats), …) refuse it in their own words, the same on
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
use crate::datasets::{Scale, Shift};
use crate::forest::{Criterion, MaxFeatures, MaxSamples};

/// The refusal of `text` for `param`, which should have been `what`.
fn expected(param: &'static str, what: &str, text: &str) -> Error {
    Error::param(param, format!("expected {what}, got {:?}", text.trim()))
}

/// Whether `text` is sklearn's `None` as it may be written (`none`, `None`, `null`).
pub fn is_none(text: &str) -> bool {
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

/// One entry of a grid as the CLI's `--grid` gives it: `NAME=V1,V2,…` → `(NAME, [V1, V2, …])`
/// (param `grid`); the values are read later, by the parameter's own reader.
///
/// ```
/// use coresweep::input::grid_entry;
/// assert_eq!(grid_entry("max_features=1,2")?, ("max_features".to_owned(), vec!["1".to_owned(), "2".to_owned()]));
/// assert!(grid_entry("max_features").is_err());
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn grid_entry(text: &str) -> Result<(String, Vec<String>), Error> {
    match text.split_once('=') {
        Some((name, values)) => Ok((name.trim().to_owned(), grid_values(values))),
        None => Err(expected(
            "grid",
            "NAME=V1,V2,… like max_features=1,2,3",
            text,
        )),
    }
}

/// A grid parameter's values as given, comma-separated (`1,2,3`); each is read later by the
/// parameter's own reader.
pub fn grid_values(text: &str) -> Vec<String> {
    text.split(',').map(str::to_owned).collect()
}
