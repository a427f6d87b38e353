//! Float-exact numerics: the operations whose rounding sklearn's output depends on, computed
//! so that every target (x86-64, aarch64, wasm32) gets numpy's bits.
//!
//! - [`log()`]: glibc's `log`, which numpy's Gaussians call;
//! - [`mul_add`]: a fused multiply-add that stays fast where the CPU has none (wasm32);
//! - `np_dot`: numpy's matrix product as OpenBLAS's kernels round it.
//!
//! This is the one place in the engine where code may depend on the target (`cfg(target_arch)`):
//! the same result has to be reached by different instructions.

mod fma;
mod log;
mod openblas;

pub use fma::{mul_add, mul_add_emulated};
pub use log::log;
pub(crate) use openblas::np_dot;
