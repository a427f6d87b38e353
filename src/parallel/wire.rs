//! What travels between the dealer and the workers, as bytes: the training data (a copy for
//! each worker, as joblib pickles or memory-maps `X` for each process), the trees a worker
//! grew, and scores. Every number keeps all its bits, so a forest put together from trees grown
//! in several workers is the forest one engine grows.

use crate::Error;
use crate::forest::Features;
use crate::tree::Tree;

/// The training rows and labels as bytes: `n_rows u32, n_cols u32`, the column-major `f32`
/// values, then the labels as `i64`, all little-endian.
pub fn encode_data(x: &Features, y: &[i64]) -> Vec<u8> {
    let values = x.column_major();
    let mut out = Vec::with_capacity(8 + values.len() * 4 + y.len() * 8);
    out.extend_from_slice(&(x.n_rows() as u32).to_le_bytes());
    out.extend_from_slice(&(x.n_cols() as u32).to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for label in y {
        out.extend_from_slice(&label.to_le_bytes());
    }
    out
}

/// Reads [`encode_data`]'s bytes back; bytes of another shape are an error naming `data`.
pub fn decode_data(bytes: &[u8]) -> Result<(Features, Vec<i64>), Error> {
    let broken = |what: &str| Error::InvalidData {
        what: "data",
        message: format!("the bytes sent to a worker are not a dataset: {what}"),
    };
    let (head, body) = bytes
        .split_at_checked(8)
        .ok_or_else(|| broken("no header"))?;
    let n_rows = u32::from_le_bytes(head[..4].try_into().unwrap_or_default()) as usize;
    let n_cols = u32::from_le_bytes(head[4..].try_into().unwrap_or_default()) as usize;
    let cells = n_rows.checked_mul(n_cols);
    let expected = cells.and_then(|c| c.checked_mul(4)?.checked_add(n_rows.checked_mul(8)?));
    if expected != Some(body.len()) {
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
        .map(|b| i64::from_le_bytes(b.try_into().unwrap_or_default()))
        .collect();
    Ok((Features::from_column_major(values, n_rows, n_cols), y))
}

/// Trees as bytes: their count (`u32`), then each tree.
pub(super) fn encode_trees(trees: &[Tree]) -> Vec<u8> {
    let mut out = (trees.len() as u32).to_le_bytes().to_vec();
    for tree in trees {
        tree.write_bytes(&mut out);
    }
    out
}

/// Reads [`encode_trees`]'s bytes of trees on `n_features` features.
pub(super) fn decode_trees(bytes: &[u8], n_features: usize) -> Result<Vec<Tree>, Error> {
    let broken = |message: String| Error::InvalidData {
        what: "trees",
        message: format!("a worker's trees cannot be read: {message}"),
    };
    let (count, mut rest) = bytes
        .split_first_chunk::<4>()
        .ok_or_else(|| broken("no count".to_owned()))?;
    let count = u32::from_le_bytes(*count) as usize;
    let mut trees = Vec::with_capacity(count.min(rest.len() / 16));
    for _ in 0..count {
        let (tree, after) = Tree::read_bytes(rest, n_features).map_err(broken)?;
        trees.push(tree);
        rest = after;
    }
    if !rest.is_empty() {
        return Err(broken(format!("{} bytes after the last tree", rest.len())));
    }
    Ok(trees)
}

/// A score as bytes (`f64`, little-endian).
pub(super) fn encode_score(score: f64) -> Vec<u8> {
    score.to_le_bytes().to_vec()
}

/// Reads [`encode_score`]'s bytes.
pub(super) fn decode_score(bytes: &[u8]) -> Result<f64, Error> {
    let bytes: [u8; 8] = bytes.try_into().map_err(|_| Error::InvalidData {
        what: "score",
        message: format!("a worker's score is {} bytes, not 8", bytes.len()),
    })?;
    Ok(f64::from_le_bytes(bytes))
}
