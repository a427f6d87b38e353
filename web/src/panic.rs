//! The panic record: the first panic of this wasm instance, on any of its threads, kept in its
//! shared memory where the page can read it (`Experiment.panic_ptr`), because a pool thread's
//! exception reaches no one.

use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};

#[cfg(feature = "threads")]
use wasm_bindgen::prelude::*;

/// Bytes of a panic message the record keeps; a longer one is cut at a character boundary.
const PANIC_MESSAGE_BYTES: usize = 1024;

/// The first panic of this wasm instance, on any of its threads, in its shared memory: the
/// UTF-8 message from byte offset 8, then its length (`len`, 0 until a panic) stored last.
/// `claimed` is taken by the first writer, so a second one never writes over the message.
#[repr(C)]
struct PanicRecord {
    len: AtomicU32,
    claimed: AtomicU32,
    bytes: [AtomicU8; PANIC_MESSAGE_BYTES],
}

static PANIC_RECORD: PanicRecord = PanicRecord {
    len: AtomicU32::new(0),
    claimed: AtomicU32::new(0),
    bytes: [const { AtomicU8::new(0) }; PANIC_MESSAGE_BYTES],
};

/// Byte address of the panic record in the wasm memory.
pub(crate) fn record_address() -> usize {
    std::ptr::from_ref::<PanicRecord>(&PANIC_RECORD) as usize
}

/// Writes `message` into the panic record unless an earlier panic did.
fn record_panic(message: &str) {
    if PANIC_RECORD.claimed.swap(1, Ordering::AcqRel) != 0 {
        return;
    }
    let kept = &message[..message.floor_char_boundary(PANIC_MESSAGE_BYTES)];
    for (slot, &byte) in PANIC_RECORD.bytes.iter().zip(kept.as_bytes()) {
        slot.store(byte, Ordering::Relaxed);
    }
    // `kept` is at most PANIC_MESSAGE_BYTES long.
    PANIC_RECORD.len.store(kept.len() as u32, Ordering::Release);
}

/// Installs the panic hook (shared by all threads of the memory): a panic is recorded for the
/// page, logged, and thrown as a JS `Error` "internal error: …", instead of ending in a bare
/// `unreachable` trap.
pub(crate) fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("internal error: {info}");
        record_panic(&message);
        console_error_panic_hook::hook(info);
        wasm_bindgen::throw_str(&message);
    }));
}

// A pool thread can also die without a panic: a trap (`unreachable`, which is how an
// allocation failure aborts) runs no hook. Its exception ends up uncaught in the thread's
// worker, whose parent (the sweep worker) is blocked waiting for the pool and never hears of
// it. This listener, set in each pool thread's worker by `watch_pool_threads`, writes it into
// the panic record from JS, without calling into the wasm instance, whose state it cannot
// trust any more.
#[cfg(feature = "threads")]
#[wasm_bindgen(inline_js = r#"
export function record_uncaught(memory, ptr, capacity) {
  const record = (error) => {
    const words = new Int32Array(memory.buffer);
    if (Atomics.compareExchange(words, (ptr >>> 2) + 1, 0, 1) !== 0) return;
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const bytes = new Uint8Array(capacity);
    const message = `internal error: a thread stopped: ${what}`;
    const { written } = new TextEncoder().encodeInto(message, bytes);
    new Uint8Array(memory.buffer, ptr + 8, written).set(bytes.subarray(0, written));
    Atomics.store(words, ptr >>> 2, written);
  };
  globalThis.addEventListener("error", (event) => record(event.error ?? event.message));
  globalThis.addEventListener("unhandledrejection", (event) => record(event.reason));
}
"#)]
extern "C" {
    fn record_uncaught(memory: JsValue, ptr: usize, capacity: usize);
}

/// Makes every thread of the current rayon pool record an uncaught error of its worker in the
/// panic record; later calls do nothing.
#[cfg(feature = "threads")]
pub(crate) fn watch_pool_threads() {
    static WATCHING: std::sync::Once = std::sync::Once::new();
    WATCHING.call_once(|| {
        rayon::broadcast(|_| {
            record_uncaught(
                wasm_bindgen::memory(),
                record_address(),
                PANIC_MESSAGE_BYTES,
            );
        });
    });
}
