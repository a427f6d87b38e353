//! The thread counts of a sweep as asked for: a list, or every count up to the cores.

use crate::Error;

use super::check::{check_thread_counts, threads_out_of_range};

/// The thread counts of a sweep as asked for: `"1,2,4"` (run in this order) or `"all"`
/// (every count from 1 to the cores the request stands for).
///
/// ```
/// use coresweep::plan::Threads;
/// assert_eq!(Threads::from_text("1, 2,4")?.counts(8), vec![1, 2, 4]);
/// assert_eq!(Threads::from_text("all")?.counts(3), vec![1, 2, 3]);
/// assert_eq!(Threads::from_text("2,2").unwrap_err().to_string(), "threads: 2 is listed twice");
/// # Ok::<(), coresweep::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Threads {
    /// Every count from 1 to the cores.
    All,
    /// These counts, each in [1, [`MAX_THREADS`](super::MAX_THREADS)], none twice.
    Counts(Vec<usize>),
}

impl Threads {
    /// Reads a comma-separated list of counts or `"all"`; errors name the parameter `threads`.
    pub fn from_text(text: &str) -> Result<Threads, Error> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(Threads::All);
        }
        let mut counts = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let k: u64 = part.parse().map_err(|_| {
                Error::param(
                    "threads",
                    format!("expected \"all\" or comma-separated counts like 1,2,4, got {part:?}"),
                )
            })?;
            // Read as u64, so that a count beyond 32 bits is refused in the same words by the
            // page's wasm as natively.
            counts.push(usize::try_from(k).map_err(|_| threads_out_of_range(k))?);
            check_thread_counts(&counts)?;
        }
        Ok(Threads::Counts(counts))
    }

    /// The counts in the order they run; `All` stands for 1 to `cores` (at least 1, at most
    /// [`MAX_THREADS`](super::MAX_THREADS)).
    pub fn counts(&self, cores: usize) -> Vec<usize> {
        match self {
            Threads::All => (1..=cores.clamp(1, super::MAX_THREADS)).collect(),
            Threads::Counts(counts) => counts.clone(),
        }
    }
}

impl Default for Threads {
    /// One thread.
    fn default() -> Self {
        Threads::Counts(vec![1])
    }
}
