//! What travels back from the workers, as bytes: the trees a worker grew, and scores (the
//! training data goes to them as `sweep::handover` writes it, a copy for each worker as joblib
//! pickles or memory-maps `X` for each process). Every number keeps all its bits, so a forest
//! put together from trees grown in several workers is the forest one engine grows.

use crate::Error;
use crate::tree::Tree;

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
