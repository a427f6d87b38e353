//! Reading the sklearn/numpy oracles in `tests/oracles` (sklearn's and numpy's own output, made by `tests/oracles/generate.py`).
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The oracle folder, relative to the crate like CI lays it out.
pub const ORACLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracles");

/// Parses one oracle file; a missing or broken oracle fails the test loudly.
pub fn load(file: &str) -> Value {
    let path = format!("{ORACLES}/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {path}: {e}"))
}

pub fn as_u64s(v: &Value) -> Vec<u64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_u64().expect("unsigned integer"))
        .collect()
}

pub fn as_f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

/// A big-endian hex string of an IEEE-754 double (the oracles' `*_bits`).
pub fn from_bits_hex(v: &Value) -> f64 {
    let s = v.as_str().expect("hex string");
    f64::from_bits(u64::from_str_radix(s, 16).expect("hex"))
}

/// A matrix of `*_bits` strings, flattened row-major.
pub fn bits_matrix(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("rows")
        .iter()
        .flat_map(|row| row.as_array().expect("row").iter().map(from_bits_hex))
        .collect()
}

/// A matrix of numbers, flattened row-major.
pub fn f64_matrix(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("rows")
        .iter()
        .flat_map(as_f64s)
        .collect()
}

/// SHA-256 of `data`, as lowercase hex: the oracles fingerprint whole arrays (numpy's
/// `hashlib.sha256(array.tobytes())`).
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
