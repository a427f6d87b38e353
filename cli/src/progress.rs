//! The progress bar on stderr: a thread polls the engine's counters while the work runs, so
//! the engine needs no callback per tree. Hidden with `--quiet` and when stderr is no terminal.

use indicatif::{ProgressBar, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often the bar reads the counters.
const POLL: Duration = Duration::from_millis(100);

/// A progress bar over a known number of steps (trees to build).
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar of `total` steps; hidden when `quiet`.
    pub fn new(quiet: bool, total: u64, prefix: &'static str) -> Self {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} trees  {msg}",
                )
                .expect("the template is valid"),
            );
            bar
        };
        bar.set_prefix(prefix);
        Progress { bar }
    }

    /// Runs `work` while a thread moves the bar to `position()`; clears the bar afterwards.
    pub fn run<T>(&self, position: impl Fn() -> u64 + Sync, work: impl FnOnce() -> T) -> T {
        let finished = AtomicBool::new(false);
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                while !finished.load(Ordering::Relaxed) {
                    self.bar.set_position(position());
                    std::thread::park_timeout(POLL);
                }
            });
            let result = work();
            finished.store(true, Ordering::Relaxed);
            result
        });
        self.bar.finish_and_clear();
        result
    }

    /// Shows `text` beside the bar.
    pub fn message(&self, text: String) {
        self.bar.set_message(text);
    }

    /// Prints a line above the bar (nothing when the bar is hidden).
    pub fn log(&self, text: String) {
        self.bar.println(text);
    }
}
