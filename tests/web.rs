//! The JS-facing API (src/web.rs) in headless Chromium, inside a dedicated worker with the
//! threaded module. Run with `npm run test:wasm` (scripts/test-wasm.sh).
#![cfg(target_arch = "wasm32")]

use rayon::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
async fn pool_runs_two_threads() {
    JsFuture::from(coresweep::web::init_thread_pool(2)).await.unwrap();
    assert_eq!(rayon::current_num_threads(), 2);
    let sum: u64 = (0..1000u64).into_par_iter().sum();
    assert_eq!(sum, 499500);
}
