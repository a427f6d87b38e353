//! [`Backend`]: threads or workers.

use serde::{Deserialize, Serialize};

use crate::Error;

/// How a sweep point runs its k-way parallel work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// k threads sharing one memory (rayon; in a page it needs SharedArrayBuffer):
    /// joblib's threading backend.
    #[default]
    Threads,
    /// k workers, each its own engine with its own copy of the data, dealt the work as
    /// messages: joblib's loky processes. Needs no shared memory.
    Workers,
}

impl Backend {
    /// `"threads"` or `"workers"`, as the page, its links and the document name it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Threads => "threads",
            Backend::Workers => "workers",
        }
    }

    /// Reads a backend by its [name](Self::name) (param `backend`).
    ///
    /// ```
    /// use coresweep::parallel::Backend;
    /// assert_eq!(Backend::from_name("workers"), Ok(Backend::Workers));
    /// assert_eq!(Backend::from_name("loky").unwrap_err().to_string(),
    ///     "backend: expected threads or workers, got \"loky\"");
    /// ```
    pub fn from_name(text: &str) -> Result<Backend, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "threads" => Ok(Backend::Threads),
            "workers" => Ok(Backend::Workers),
            _ => Err(Error::param(
                "backend",
                format!("expected threads or workers, got {:?}", text.trim()),
            )),
        }
    }
}
