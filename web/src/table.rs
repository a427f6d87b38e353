//! The user's own table in the page: its preview, its read and the plans on it. A file is read
//! only in a worker (FileReaderSync, slice by slice, never held whole): the table worker reads
//! it once for its record ([`read_table_file`]); the main thread plans on that record
//! ([`check_experiment_on_table`]); each sweep worker reads the file again into its own rows
//! ([`Plan::from_json_with_file`](crate::Plan::from_json_with_file)), which must hash to the
//! recorded SHA-256.

use std::io::{self, Read};

use js_sys::{Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, FileReaderSync};

use crate::device::{device_memory_gib, memory_limit_bytes};
use coresweep::datasets::{TableInfo, TableOptions, parse_delimiter, preview_table};
use coresweep::plan::TableSource;

use crate::errors::{engine_error, js_error, to_plain};
use crate::plan::{Plan, form_request};

/// Bytes of a file's start the preview reads.
const PREVIEW_BYTES: f64 = 64.0 * 1024.0;

/// Bytes read from the file at a time (a copy of each passes through JS).
const SLICE_BYTES: f64 = 1024.0 * 1024.0;

/// A [`Read`] of a browser `Blob` (a `File`), slice by slice, through `FileReaderSync`: a
/// worker's synchronous reader, so the engine's streaming reader runs on it unchanged.
pub(crate) struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    position: f64,
    slice: Vec<u8>,
    taken: usize,
}

impl BlobReader {
    pub(crate) fn new(blob: Blob) -> io::Result<BlobReader> {
        let reader = FileReaderSync::new().map_err(|e| {
            io::Error::other(format!(
                "the file can be read in a worker only: {}",
                js_text(&e)
            ))
        })?;
        Ok(BlobReader {
            blob,
            reader,
            position: 0.0,
            slice: Vec::new(),
            taken: 0,
        })
    }

    /// Reads `length` bytes from the current position.
    fn read_slice(&mut self, length: f64) -> io::Result<Vec<u8>> {
        let end = (self.position + length).min(self.blob.size());
        let part = self
            .blob
            .slice_with_f64_and_f64(self.position, end)
            .and_then(|part| self.reader.read_as_array_buffer(&part))
            .map_err(|e| io::Error::other(js_text(&e)))?;
        self.position = end;
        Ok(Uint8Array::new(&part).to_vec())
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.taken == self.slice.len() {
            if self.position >= self.blob.size() {
                return Ok(0);
            }
            self.slice = self.read_slice(SLICE_BYTES)?;
            self.taken = 0;
        }
        let n = buf.len().min(self.slice.len() - self.taken);
        buf[..n].copy_from_slice(&self.slice[self.taken..self.taken + n]);
        self.taken += n;
        Ok(n)
    }
}

fn js_text(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// The reading options the page's controls give: `{target, drop, delimiter}` (a column name
/// or null/"" for the last; an array of column names; ",", ";", "tab" or null/"" to sniff).
fn table_options(value: &JsValue) -> Result<TableOptions, JsValue> {
    let field = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name));
    let text = |v: JsValue| v.as_string().filter(|s| !s.is_empty());
    let drop = field("drop")?;
    let drop = if Array::is_array(&drop) {
        Array::from(&drop)
            .iter()
            .filter_map(|name| name.as_string())
            .collect()
    } else {
        Vec::new()
    };
    Ok(TableOptions {
        delimiter: delimiter(text(field("delimiter")?))?,
        target: text(field("target")?),
        drop,
    })
}

/// A delimiter as the page's chooser gives it (",", ";", "tab"), or `None` (null, "") to sniff.
fn delimiter(text: Option<String>) -> Result<Option<u8>, JsValue> {
    text.filter(|d| !d.is_empty())
        .map(|d| parse_delimiter(&d).map_err(engine_error))
        .transpose()
}

/// The start of `file` as [`preview_table`] sees it, given its delimiter (or null to sniff):
/// `{delimiter, columns: [{name, kind, missing, distinct}], rows, rows_seen, complete}`.
/// Worker only.
#[wasm_bindgen]
pub fn preview_file(file: &Blob, delimiter_text: Option<String>) -> Result<JsValue, JsValue> {
    let delimiter = delimiter(delimiter_text)?;
    let mut reader = BlobReader::new(file.clone()).map_err(|e| js_error(&e.to_string(), None))?;
    let bytes = reader
        .read_slice(PREVIEW_BYTES)
        .map_err(|e| js_error(&format!("data: cannot be read: {e}"), Some("data")))?;
    let complete = reader.position >= file.size();
    to_plain(&preview_table(&bytes, complete, delimiter).map_err(engine_error)?)
}

/// What reading a table found: its record and the options it was read with, as JSON text for
/// [`check_experiment_on_table`].
#[derive(Serialize)]
struct ReadTable<'a> {
    info: &'a TableInfo,
    options: &'a TableOptions,
}

/// Reads `file` (named `name`) whole with `options` (`{target, drop, delimiter}`), in a worker:
/// a file larger than the page's memory limit (wasm's, or half of `device_memory` GiB) is
/// refused by its size before any byte is read. Returns `{info, options}` as JSON text (the
/// record a results document keeps: name, shape, SHA-256, target, features, classes), or
/// throws the reader's error naming the row, column or option.
#[wasm_bindgen]
pub fn read_table_file(
    file: &Blob,
    name: &str,
    options: &JsValue,
    device_memory: Option<f64>,
) -> Result<String, JsValue> {
    let options = table_options(options)?;
    let limit = memory_limit_bytes(device_memory_gib(device_memory).map_err(engine_error)?);
    let length = file.size() as u64;
    let file = file.clone();
    let source = TableSource::from_reader(name, length, options.clone(), move || {
        BlobReader::new(file.clone())
    });
    // Refused by its length before a byte is read when it is above the limit.
    let table = source.read(limit).map_err(engine_error)?;
    serde_json::to_string(&ReadTable {
        info: &table.info,
        options: &options,
    })
    .map_err(|e| js_error(&e.to_string(), None))
}

/// [`check_experiment`](crate::check_experiment) on the table that [`read_table_file`] read,
/// given as its JSON text `{info, options}`: the main thread's plan, whose rows are in no
/// memory of its own (its workers read the file with the plan, `Plan.from_json_with_file`).
#[wasm_bindgen]
pub fn check_experiment_on_table(params: &JsValue, table: &str) -> Result<Plan, JsValue> {
    #[derive(serde::Deserialize)]
    struct Read {
        info: TableInfo,
        options: TableOptions,
    }
    let read: Read = serde_json::from_str(table)
        .map_err(|e| js_error(&format!("data: cannot be read: {e}"), Some("data")))?;
    Ok(Plan {
        plan: form_request(params)?
            .check_on_table_info(read.info, read.options)
            .map_err(engine_error)?,
    })
}
