//! A dataset made once and handed over as bytes to the other engines of the same plan: the
//! page's later sweep points (each its own wasm instance) and the workers backend's workers.
//! Generating `make_classification` bit for bit or reading a user's table takes far longer in
//! a browser than copying its rows, so one engine makes the data and the others read it.
//!
//! The bytes name the data they hold, so that an engine never fits on another plan's rows: a
//! digest of the plan's data (the generator's parameters, `random_state` included, or the
//! table's SHA-256 and how it was read) and the shape, both checked against the reader's own
//! plan before a value is read.

use crate::Error;
use crate::forest::Features;
use crate::plan::Plan;

/// Bytes before the values: rows (`u32`), columns (`u32`), the plan's data digest.
const HEADER: usize = 8 + 32;

/// The rows and labels of `plan`'s data as bytes: `n_rows u32, n_cols u32`, the plan's data
/// digest ([`Plan::data_digest`]), the column-major `f32` values, then the labels as `i64`,
/// all little-endian.
pub fn encode(plan: &Plan, x: &Features, y: &[i64]) -> Vec<u8> {
    let values = x.column_major();
    let mut out = Vec::with_capacity(HEADER + values.len() * 4 + y.len() * 8);
    out.extend_from_slice(&(x.n_rows() as u32).to_le_bytes());
    out.extend_from_slice(&(x.n_cols() as u32).to_le_bytes());
    out.extend_from_slice(&plan.data_digest());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for label in y {
        out.extend_from_slice(&label.to_le_bytes());
    }
    out
}

/// Reads [`encode`]'s bytes back for `plan`: bytes that are not a dataset, or the data of
/// another shape or of another plan's data, are refused (param `data`), never read as rows.
pub fn decode(plan: &Plan, bytes: &[u8]) -> Result<(Features, Vec<i64>), Error> {
    let refused = |message: String| Error::param("data", message);
    let broken = |what: &str| refused(format!("the bytes handed over are not a dataset: {what}"));
    let (head, body) = bytes
        .split_at_checked(HEADER)
        .ok_or_else(|| broken("no header"))?;
    let word = |at: usize| u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let (n_rows, n_cols) = (word(0) as usize, word(4) as usize);
    let planned = plan.data_shape();
    if (n_rows, n_cols) != planned {
        return Err(refused(format!(
            "the dataset handed over is {n_rows} × {n_cols}, the plan's is {} × {}",
            planned.0, planned.1
        )));
    }
    if head[8..] != plan.data_digest() {
        return Err(refused(
            "the dataset handed over was made for other data than the plan's (its digest differs)"
                .to_owned(),
        ));
    }
    if Some(body.len()) != n_rows.checked_mul(n_cols * 4 + 8) {
        return Err(broken(&format!(
            "{} bytes for {n_rows} × {n_cols}",
            body.len()
        )));
    }
    let (values, labels) = body.split_at(n_rows * n_cols * 4);
    let values: Vec<f32> = values
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if values.iter().any(|v| !v.is_finite()) {
        return Err(broken("a value that is not finite"));
    }
    let y = labels
        .chunks_exact(8)
        .map(|b| i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect();
    Ok((Features::from_column_major(values, n_rows, n_cols), y))
}
