//! The JavaScript-facing API of the wasm build: it translates between JS values and the engine
//! and computes nothing itself. Built with `wasm-bindgen --target web` into `www/pkg/`
//! (`scripts/build-wasm.sh`).
//!
//! Errors are thrown as JS `Error`s carrying the engine's message and a `param` property:
//! sklearn's name of the parameter at fault, or `null`.
//!
//! One deviation from the team contract: there is no exported `memory()` function, because
//! wasm-bindgen already exports the module's memory under that name and a second export of it
//! does not link. The shared memory is the `memory` field of what `init()` resolves to.
//! One addition: `Experiment.cancel_ptr()`, the address of the fit's cancel flag (the worker's
//! "ready" message carries it as `cancelPtr`), so the page can stop a fit at once.
//! Another: `Experiment.panic_ptr()`, the address of the instance's panic record (`panicPtr`),
//! so the page hears of a panic on a pool thread, whose exception reaches no one.
//!
//! A face of the engine: it may import the engine (`coresweep`) and the web crates; nothing
//! imports it. Built for wasm32 only; natively it is an empty crate.
#![cfg(target_arch = "wasm32")]

mod registry;

pub use registry::parameters;

#[cfg(feature = "threads")]
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, Ordering};

use js_sys::{Array, JSON, Object, Reflect};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use coresweep::Error;
use coresweep::chart::{ChartStyle, draw_sweep};
use coresweep::datasets::ClassificationParams;
use coresweep::forest::{FitControl, FitHook, ForestParams, MaxFeatures, MaxSamples, RandomForest};
use coresweep::plan::Request;
use coresweep::sweep::{self, Device, SweepDocument};

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

#[cfg(not(feature = "threads"))]
thread_local! {
    /// `Experiment.on_tree`'s callback. The single-threaded build fits on the worker's own
    /// thread, the only one there is; a JS function cannot live in the (`Sync`) hook.
    static ON_TREE: std::cell::RefCell<Option<js_sys::Function>> =
        const { std::cell::RefCell::new(None) };
}

/// The page's [`FitHook`]: the engine's counter and cancel flag (read and set by the page
/// through shared memory), the single-threaded build's per-tree callback, and the test hooks
/// that make a fit fail the way a bug would.
#[derive(Default)]
struct PageHook {
    control: FitControl,
    /// `?inject_panic=<k>`: panic when tree `k` starts.
    panic_in_tree: Option<usize>,
    /// `?inject_abort=<k>`: abort (a trap without a panic, as an allocation failure is) when
    /// tree `k` starts.
    abort_in_tree: Option<usize>,
}

impl FitHook for PageHook {
    fn fit_started(&self, n_trees: usize) {
        self.control.fit_started(n_trees);
    }

    fn tree_starting(&self, index: usize) -> Result<(), Error> {
        self.control.tree_starting(index)?;
        if self.panic_in_tree == Some(index) {
            panic!("test hook: panic in tree {index}");
        }
        if self.abort_in_tree == Some(index) {
            std::process::abort();
        }
        Ok(())
    }

    fn tree_finished(&self, index: usize) {
        self.control.tree_finished(index);
        #[cfg(not(feature = "threads"))]
        ON_TREE.with_borrow(|callback| {
            if let Some(callback) = callback {
                // A page's progress callback failing is no reason to lose the fit.
                let _ = callback.call0(&JsValue::NULL);
            }
        });
    }
}

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

/// Installs the panic hook when an instance starts (page, sweep worker; pool threads run no
/// start function, but the hook is shared by all threads of the memory): a panic is recorded
/// for the page (`Experiment.panic_ptr`), logged, and thrown as a JS `Error` "internal error:
/// …", instead of ending in a bare `unreachable` trap.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("internal error: {info}");
        record_panic(&message);
        console_error_panic_hook::hook(info);
        wasm_bindgen::throw_str(&message);
    }));
}

/// A JS `Error` with `message` and the `param` property (sklearn's name, or `null`).
fn js_error(message: &str, param: Option<&str>) -> JsValue {
    let error = js_sys::Error::new(message);
    let param = param.map_or(JsValue::NULL, JsValue::from_str);
    // Setting a property on a fresh, unfrozen Error cannot fail.
    let _ = Reflect::set(&error, &JsValue::from_str("param"), &param);
    error.into()
}

fn engine_error(error: Error) -> JsValue {
    js_error(&error.to_string(), error.parameter())
}

/// A plain JS object (or array) with the same shape as `value`'s JSON.
fn to_plain<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| js_error(&e.to_string(), None))?;
    JSON::parse(&text)
}

/// Reads a plain JS object as `T`, the way the engine reads the same JSON; `what` names it in
/// the error.
fn from_plain<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    let text: String = JSON::stringify(value)?.into();
    serde_json::from_str(&text).map_err(|e| js_error(&format!("{what}: {e}"), None))
}

/// A form value as the text it stands for: strings as typed into a form or a URL ("500",
/// "0.5", "sqrt", "None", "0.2,0.8"); numbers as Rust writes them (5 for 5.0, "NaN", "inf"),
/// booleans as "true"/"false", null as "None", arrays comma-separated.
fn form_text(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    if let Some(number) = value.as_f64() {
        return number.to_string();
    }
    if let Some(flag) = value.as_bool() {
        return flag.to_string();
    }
    if value.is_null() || value.is_undefined() {
        return "None".to_owned();
    }
    if Array::is_array(value) {
        return Array::from(value)
            .iter()
            .map(|item| form_text(&item))
            .collect::<Vec<_>>()
            .join(",");
    }
    JSON::stringify(value).map_or_else(|_| String::new(), String::from)
}

/// The experiment's plan, as returned to the page.
#[derive(Serialize)]
struct Plan {
    dataset: ClassificationParams,
    forest: ForestParams,
    threads: Vec<usize>,
    repeats: usize,
    estimate: PlanEstimate,
}

/// What the run is expected to take ([`coresweep::budget::estimate`]): bytes of one worker's memory,
/// seconds of one fit on one thread, and a warning to show first when the sweep may take
/// minutes (`null` otherwise).
#[derive(Serialize)]
struct PlanEstimate {
    memory_bytes: u64,
    fit_seconds: f64,
    warning: Option<String>,
}

/// To sklearn the float 1.0 and the int 1 differ for `max_features` and `max_samples` (all
/// features or rows, or one), but JS numbers cannot keep them apart. The plan handed to JS says
/// `null` instead of 1.0, which sklearn treats the same (all features, all rows).
fn without_float_one(mut forest: ForestParams) -> ForestParams {
    if forest.max_features == MaxFeatures::Fraction(1.0) {
        forest.max_features = MaxFeatures::All;
    }
    if forest.max_samples == Some(MaxSamples::Fraction(1.0)) {
        forest.max_samples = None;
    }
    forest
}

/// Validates an experiment given as a flat object with sklearn's parameter names (values as
/// strings or numbers, as they come from a form or a URL) plus `threads` ("1,2", "all"),
/// `repeats` and `hardware_concurrency`, read by [`Request::from_text`] with the CLI's text
/// readers. Missing parameters take the blog experiment's values; `random_state` seeds both
/// the dataset and the forest; other keys are ignored.
///
/// Returns `{dataset, forest, threads, repeats, estimate}` with every field normalised, or
/// throws on the first problem with the same words as the CLI. `estimate` is
/// `{memory_bytes, fit_seconds, warning}`; a run whose memory estimate exceeds the wasm cap
/// (1 GiB), or half of `device_memory` when given (`navigator.deviceMemory`, GiB), is refused
/// ("n_estimators: too large: needs about … MiB, the limit is 1024 MiB").
#[wasm_bindgen]
pub fn check_experiment(params: &JsValue) -> Result<JsValue, JsValue> {
    let object = params
        .dyn_ref::<Object>()
        .ok_or_else(|| js_error("parameters: expected an object", None))?;
    let fields: Vec<(String, String)> = Object::entries(object)
        .iter()
        .map(|entry| {
            let entry = Array::from(&entry);
            (
                entry.get(0).as_string().unwrap_or_default(),
                form_text(&entry.get(1)),
            )
        })
        .collect();
    let request = Request::from_text(
        fields
            .iter()
            .map(|(key, text)| (key.as_str(), text.as_str())),
    )
    .map_err(engine_error)?;
    // Refused here, with the estimate and the limit, rather than by a trap in the worker.
    let plan = request.check().map_err(engine_error)?;
    let estimate = plan.estimate();
    to_plain(&Plan {
        dataset: plan.dataset().params().clone(),
        forest: without_float_one(plan.forest().params().clone()),
        estimate: PlanEstimate {
            memory_bytes: estimate.memory_bytes(),
            fit_seconds: estimate.fit_seconds,
            warning: plan.warning(),
        },
        threads: plan.threads().to_vec(),
        repeats: plan.repeats(),
    })
}

/// One dataset and one forest configuration ([`sweep::Experiment`]), fitted again and again
/// on the current rayon pool (the worker's, of k threads) while JS times each `fit()`.
#[wasm_bindgen]
pub struct Experiment {
    experiment: sweep::Experiment,
    /// Boxed so the counter's address, handed to JS by `progress_ptr`, never moves.
    hook: Box<PageHook>,
    fitted: Option<RandomForest>,
}

#[wasm_bindgen]
impl Experiment {
    /// Checks both parameter objects (as returned by `check_experiment`) and generates the
    /// dataset (deterministic for a `random_state`).
    #[wasm_bindgen(constructor)]
    pub fn new(dataset: &JsValue, forest: &JsValue) -> Result<Experiment, JsValue> {
        let dataset: ClassificationParams = from_plain(dataset, "dataset")?;
        let forest: ForestParams = from_plain(forest, "forest")?;
        Ok(Experiment {
            experiment: sweep::Experiment::new(
                &dataset.check().map_err(engine_error)?,
                &forest.check().map_err(engine_error)?,
            )
            .map_err(engine_error)?,
            hook: Box::default(),
            fitted: None,
        })
    }

    /// Fits the forest once on all rows; the finished-trees counter restarts at 0.
    pub fn fit(&mut self) -> Result<(), JsValue> {
        // Free the last forest first, so two forests never share the wasm memory.
        self.fitted = None;
        self.fitted = Some(self.experiment.fit(&*self.hook).map_err(engine_error)?);
        Ok(())
    }

    /// Fits and drops a forest of `trees` of the configured trees, untimed, so that V8 has
    /// optimised the hot code before the timed fits (see `sweep::Experiment::warm_up`).
    pub fn warm_up(&self, trees: usize) -> Result<(), JsValue> {
        self.experiment.warm_up(trees).map_err(engine_error)
    }

    /// Byte address in the wasm memory of the u32 counter of trees finished in the current
    /// fit: `Atomics.load(new Int32Array(memory.buffer), ptr / 4)`.
    pub fn progress_ptr(&self) -> usize {
        std::ptr::from_ref::<AtomicU32>(&self.hook.control.trees_done) as usize
    }

    /// Byte address of the fit's cancel flag (one byte): after
    /// `Atomics.store(new Uint8Array(memory.buffer), ptr, 1)` the running fit stops before its
    /// next tree and throws "cancelled", and later fits do too. A worker that is only
    /// `terminate()`d keeps computing until Chromium stops it by force (about 2 s per worker).
    pub fn cancel_ptr(&self) -> usize {
        std::ptr::from_ref::<AtomicBool>(&self.hook.control.cancel) as usize
    }

    /// Byte address of the panic record of this wasm instance (all its threads): the u32 at
    /// `ptr` is 0 until a thread panics (or, on the threaded build, a worker's thread dies of
    /// an uncaught error such as a trap), then the length in bytes of the UTF-8 message stored
    /// from `ptr + 8` ("internal error: …", cut to at most 1024 bytes). A pool thread that dies
    /// leaves `fit()` waiting for ever, so the page reads the record and terminates the worker.
    pub fn panic_ptr(&self) -> usize {
        std::ptr::from_ref::<PanicRecord>(&PANIC_RECORD) as usize
    }

    /// Makes every thread of the current rayon pool record an uncaught error of its worker (a
    /// trap, which runs no panic hook) in the panic record, as "internal error: a thread
    /// stopped: …". Call it once the pool is up (after `initThreadPool`), before fitting; later
    /// calls do nothing.
    #[cfg(feature = "threads")]
    pub fn watch_pool_threads(&self) {
        static WATCHING: Once = Once::new();
        WATCHING.call_once(|| {
            rayon::broadcast(|_| {
                record_uncaught(
                    wasm_bindgen::memory(),
                    std::ptr::from_ref(&PANIC_RECORD) as usize,
                    PANIC_MESSAGE_BYTES,
                );
            });
        });
    }

    /// Single-threaded build only, whose memory the page cannot read while a fit blocks the
    /// worker: later fits call `callback()` after each finished tree, so the page can still
    /// show a fit's progress. An exception it throws is ignored: progress never stops a fit.
    #[cfg(not(feature = "threads"))]
    pub fn on_tree(&mut self, callback: js_sys::Function) {
        ON_TREE.set(Some(callback));
    }

    /// Test hook, not part of the API (the page's `?inject_panic=<k>`): later fits panic when
    /// they start tree number `tree`.
    #[doc(hidden)]
    pub fn panic_in_tree(&mut self, tree: usize) {
        self.hook.panic_in_tree = Some(tree);
    }

    /// Test hook, not part of the API (the page's `?inject_abort=<k>`): later fits abort, a
    /// trap without a panic, when they start tree number `tree`.
    #[doc(hidden)]
    pub fn abort_in_tree(&mut self, tree: usize) {
        self.hook.abort_in_tree = Some(tree);
    }

    /// `{oob_accuracy, total_nodes}` of the last fit (`oob_accuracy` is null without bootstrap).
    pub fn quality(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct FitQuality {
            oob_accuracy: Option<f64>,
            total_nodes: usize,
        }
        let forest = self
            .fitted
            .as_ref()
            .ok_or_else(|| js_error("quality: no fit yet; call fit() first", None))?;
        to_plain(&FitQuality {
            oob_accuracy: self.experiment.oob_accuracy(forest),
            total_nodes: forest.total_nodes(),
        })
    }
}

/// A new results document (`coresweep-sweep/1`) without points, as JSON.
#[wasm_bindgen]
pub fn new_document(
    engine: &str,
    created_iso: String,
    device: &JsValue,
    dataset: &JsValue,
    forest: &JsValue,
) -> Result<String, JsValue> {
    let device: Device = from_plain(device, "device")?;
    let dataset: ClassificationParams = from_plain(dataset, "dataset")?;
    let forest: ForestParams = from_plain(forest, "forest")?;
    let (dataset, forest) = (
        dataset.check().map_err(engine_error)?,
        forest.check().map_err(engine_error)?,
    );
    Ok(SweepDocument::new(engine, created_iso, device, &dataset, &forest).to_json())
}

/// The document with one more point: `threads` and its timed fits in seconds; `hidden_during`
/// true marks the point as measured while the page was hidden.
#[wasm_bindgen]
pub fn add_point(
    doc_json: &str,
    threads: usize,
    fit_seconds: Vec<f64>,
    hidden_during: Option<bool>,
) -> Result<String, JsValue> {
    let mut doc = SweepDocument::from_json(doc_json).map_err(engine_error)?;
    doc.add_point(threads, fit_seconds);
    if hidden_during == Some(true) {
        doc.mark_hidden_during(threads);
    }
    Ok(doc.to_json())
}

/// The document with its out-of-bag accuracy set (`null`/`undefined`: not measured).
#[wasm_bindgen]
pub fn set_quality(doc_json: &str, oob_accuracy: Option<f64>) -> Result<String, JsValue> {
    let mut doc = SweepDocument::from_json(doc_json).map_err(engine_error)?;
    doc.quality.oob_accuracy = oob_accuracy;
    Ok(doc.to_json())
}

/// Reads a results file (size limit and schema checks) and returns it as normalised JSON.
#[wasm_bindgen]
pub fn parse_document(text: &str) -> Result<String, JsValue> {
    Ok(SweepDocument::from_json(text)
        .map_err(engine_error)?
        .to_json())
}

/// `{speedups: [[k, s]…], efficiencies: [[k, e]…], serial_fraction}` of a document.
#[wasm_bindgen]
pub fn derived(doc_json: &str) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Derived {
        speedups: Vec<(usize, f64)>,
        efficiencies: Vec<(usize, f64)>,
        serial_fraction: Option<f64>,
    }
    let doc = SweepDocument::from_json(doc_json).map_err(engine_error)?;
    to_plain(&Derived {
        speedups: doc.speedups(),
        efficiencies: doc.efficiencies(),
        serial_fraction: doc.amdahl_serial_fraction(),
    })
}

/// Draws the documents (a JSON array of results documents) on `canvas`, whose pixel size the
/// page has already set for `devicePixelRatio`; text and lines are scaled by the canvas's
/// pixels per CSS pixel. Main thread only: text is measured in the DOM.
#[wasm_bindgen]
pub fn draw_chart(canvas: HtmlCanvasElement, docs_json: &str, dark: bool) -> Result<(), JsValue> {
    let docs: Vec<Value> = serde_json::from_str(docs_json)
        .map_err(|e| js_error(&format!("results files: {e}"), None))?;
    let docs = docs
        .iter()
        .map(|doc| SweepDocument::from_json(&doc.to_string()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(engine_error)?;
    // Canvas pixels per CSS pixel (the page's devicePixelRatio), so text and lines keep their
    // size on a HiDPI screen; 1 for a canvas that is not laid out.
    let css_width = canvas.client_width();
    let scale = if css_width > 0 {
        f64::from(canvas.width()) / f64::from(css_width)
    } else {
        1.0
    };
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| js_error("chart: the canvas has no 2d context", None))?;
    let root = backend.into_drawing_area();
    let style = ChartStyle { dark, scale };
    draw_sweep(&root, &docs, &style).map_err(engine_error)?;
    root.present()
        .map_err(|e| js_error(&format!("chart: {e}"), None))
}
