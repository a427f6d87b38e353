//! The JavaScript-facing API of the wasm build (being written: thread pool first).

pub use wasm_bindgen_rayon::init_thread_pool;
