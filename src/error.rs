//! One error type for the engine, the web binding and the CLI.
//!
//! Every message about bad input names the parameter (sklearn's spelling, e.g. `n_informative`)
//! and says what is allowed, so the page and the CLI can show the same words.

use std::fmt;

/// What went wrong, in words a user can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A parameter is out of range, of the wrong kind, or inconsistent with another one.
    InvalidParameter {
        /// sklearn's name of the parameter (`n_informative`, `max_features`, `threads`, …).
        param: &'static str,
        /// What is wrong and what would be allowed.
        message: String,
    },
    /// The input data cannot be used (NaN, infinity, mismatched lengths).
    InvalidData { what: &'static str, message: String },
    /// The work would need more memory than the limit allows.
    TooLarge {
        param: &'static str,
        needed_bytes: u64,
        limit_bytes: u64,
    },
    /// A results document (`coresweep-sweep/1`) that cannot be read.
    InvalidDocument(String),
    /// The caller asked the fit to stop.
    Cancelled,
}

impl Error {
    /// An [`Error::InvalidParameter`] for `param`.
    pub fn param(param: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidParameter {
            param,
            message: message.into(),
        }
    }

    /// The parameter this error is about, if it is about one.
    pub fn parameter(&self) -> Option<&'static str> {
        match self {
            Error::InvalidParameter { param, .. } | Error::TooLarge { param, .. } => Some(param),
            _ => None,
        }
    }
}

fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidParameter { param, message } => write!(f, "{param}: {message}"),
            Error::InvalidData { what, message } => write!(f, "{what}: {message}"),
            Error::TooLarge {
                param,
                needed_bytes,
                limit_bytes,
            } => write!(
                f,
                "{param}: too large: needs about {:.0} MiB, the limit is {:.0} MiB",
                mebibytes(*needed_bytes),
                mebibytes(*limit_bytes)
            ),
            Error::InvalidDocument(message) => write!(f, "results file: {message}"),
            Error::Cancelled => write!(f, "cancelled"),
        }
    }
}

impl std::error::Error for Error {}
