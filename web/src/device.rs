//! The page's policy for what a run may take of the device, kept in the face: the browser's
//! `navigator.hardwareConcurrency` (or the user's count) becomes the request's cores and pool,
//! `navigator.deviceMemory` its memory limit. The engine takes both as values.

use coresweep::Error;
use coresweep::budget::WASM_MEMORY_BYTES;
use coresweep::input;
use coresweep::plan::Request;

/// The most memory the page lets one run take on a device of `device_memory_gib` GiB
/// (`navigator.deviceMemory`: rounded down to a power of two, at most 8): wasm's cap, or half
/// the device, whichever is less (a tab beside the system and the browser gets no more on a
/// phone of 1 or 2 GiB). Without a report, wasm's cap.
pub(crate) fn memory_limit_bytes(device_memory_gib: Option<f64>) -> u64 {
    match device_memory_gib {
        Some(gib) => WASM_MEMORY_BYTES.min((gib * (1u64 << 30) as f64 / 2.0) as u64),
        None => WASM_MEMORY_BYTES,
    }
}

/// `navigator.deviceMemory` as the page gives it: absent, or a positive number of GiB; any
/// other value is refused (param `device_memory`) rather than silently ignored.
pub(crate) fn device_memory_gib(value: Option<f64>) -> Result<Option<f64>, Error> {
    match value {
        Some(gib) if !(gib.is_finite() && gib > 0.0) => Err(Error::param(
            "device_memory",
            format!("expected a positive number of GiB (navigator.deviceMemory), got {gib}"),
        )),
        _ => Ok(value),
    }
}

/// Applies the page's own keys of a form to `request`: `hardware_concurrency` (the cores
/// "all" stands for and the most threads a count may ask for) and `device_memory` (GiB;
/// empty when the browser does not tell).
pub(crate) fn apply_page_keys<'a>(
    request: &mut Request,
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), Error> {
    for (name, text) in fields {
        match name {
            "hardware_concurrency" => {
                let cores = input::count("hardware_concurrency", text)?;
                request.cores = cores;
                request.pool = Some(cores);
            }
            "device_memory" if !text.trim().is_empty() => {
                let gib = input::number("device_memory", text)?;
                request.memory_limit_bytes = memory_limit_bytes(device_memory_gib(Some(gib))?);
            }
            _ => {}
        }
    }
    Ok(())
}
