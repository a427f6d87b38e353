//! A tree as bytes, so that a tree grown in one wasm instance (a worker of the page's workers
//! backend) can be read in another, exactly: thresholds and class fractions keep every bit.
//!
//! Layout, little-endian: `n_nodes u32, n_classes u32, depth u32, n_values u32`, then per node
//! `threshold f64, feature u32, left u32, right u32, n_samples u32`, then `n_values` `f64`s.
//! Reading checks every index (children after their parent, leaves inside the values), so bytes
//! that are not a tree give an error, never a panic or a walk that does not end.

use super::{LEAF, Node, Tree};

const HEADER: usize = 16;
const NODE: usize = 24;

impl Tree {
    /// Appends the tree's bytes to `out`.
    pub(crate) fn write_bytes(&self, out: &mut Vec<u8>) {
        out.reserve(HEADER + self.nodes.len() * NODE + self.values.len() * 8);
        for n in [
            self.nodes.len(),
            self.n_classes,
            self.depth,
            self.values.len(),
        ] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for node in &self.nodes {
            out.extend_from_slice(&node.threshold.to_le_bytes());
            for n in [node.feature, node.left, node.right, node.n_samples] {
                out.extend_from_slice(&n.to_le_bytes());
            }
        }
        for v in &self.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// Reads one tree of `n_features` features from the start of `bytes`; returns it and the
    /// bytes after it, or what is wrong.
    pub(crate) fn read_bytes(bytes: &[u8], n_features: usize) -> Result<(Tree, &[u8]), String> {
        let mut reader = Reader(bytes);
        let n_nodes = reader.u32()? as usize;
        let n_classes = reader.u32()? as usize;
        let depth = reader.u32()? as usize;
        let n_values = reader.u32()? as usize;
        if n_nodes == 0 || n_classes == 0 || !n_values.is_multiple_of(n_classes) {
            return Err(format!(
                "a tree of {n_nodes} nodes, {n_classes} classes and {n_values} values"
            ));
        }
        let body = n_nodes
            .checked_mul(NODE)
            .and_then(|nodes| n_values.checked_mul(8)?.checked_add(nodes));
        if body.is_none_or(|body| body > reader.0.len()) {
            return Err("a tree cut short".to_owned());
        }
        let n_leaves = (n_values / n_classes) as u32;
        let mut nodes = Vec::with_capacity(n_nodes);
        for i in 0..n_nodes {
            let node = Node {
                threshold: reader.f64()?,
                feature: reader.u32()?,
                left: reader.u32()?,
                right: reader.u32()?,
                n_samples: reader.u32()?,
            };
            // The builder numbers a node before its children: a child after its parent is
            // what makes every walk down the tree end.
            let valid = if node.left == LEAF {
                node.right < n_leaves
            } else {
                let child = |c: u32| (c as usize) > i && (c as usize) < n_nodes;
                child(node.left) && child(node.right) && (node.feature as usize) < n_features
            };
            if !valid {
                return Err(format!("node {i} of a tree points outside it"));
            }
            nodes.push(node);
        }
        let values = (0..n_values)
            .map(|_| reader.f64())
            .collect::<Result<_, _>>()?;
        let tree = Tree {
            nodes,
            values,
            n_classes,
            depth,
        };
        Ok((tree, reader.0))
    }
}

/// Little-endian numbers read off the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or_else(|| "a tree cut short".to_owned())?;
        self.0 = rest;
        Ok(*head)
    }

    fn u32(&mut self) -> Result<u32, String> {
        self.take().map(u32::from_le_bytes)
    }

    fn f64(&mut self) -> Result<f64, String> {
        self.take().map(f64::from_le_bytes)
    }
}
