//! Figures pinned from the native engine, asserted by the engine tests (tests/determinism.rs),
//! the CLI tests (cli/tests/cli.rs) and the wasm tests (web/tests/web.rs).

/// Pinned from the native engine (x86_64) so the page (wasm, any thread count) can be compared
/// with it: `coresweep fit --n-samples 300 --n-features 8 --n-informative 4 --n-redundant 2
/// --n-estimators 20 --random-state 3 --json` prints these for --threads 1, 2 and 4; the wasm
/// test (web/tests/web.rs, 2 threads in Chromium) asserts the same two numbers.
pub const SMALL_TOTAL_NODES: usize = 1132;
/// 272 of the 300 rows are predicted right by the trees that did not see them.
pub const SMALL_OOB_ACCURACY: f64 = 272.0 / 300.0;
