//! Impurity measures, computed exactly as sklearn's `_criterion.pyx` does.
//!
//! Class counts are bootstrap-weighted integers held in `f64`, so every sum is exact and the
//! impurities, proxies and improvements below are bit-for-bit sklearn's.

use crate::numeric::log;

/// Which impurity a split minimises (`log_loss` is `entropy` under another name, as in sklearn).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Impurity {
    Gini,
    Entropy,
}

impl Impurity {
    /// The impurity of a node with these weighted class counts and total weight.
    #[inline]
    pub(crate) fn of(self, counts: &[f64], weight: f64) -> f64 {
        match self {
            Impurity::Gini => {
                let sq: f64 = counts.iter().fold(0.0, |acc, &c| acc + c * c);
                1.0 - sq / (weight * weight)
            }
            Impurity::Entropy => {
                // glibc's log on every target (f64::ln is musl's on wasm), so an entropy
                // forest is the same in the page and the CLI.
                let ln2 = log(2.0);
                counts.iter().fold(0.0, |acc, &c| {
                    if c > 0.0 {
                        let p = c / weight;
                        acc - p * (log(p) / ln2)
                    } else {
                        acc
                    }
                })
            }
        }
    }
}

/// sklearn's `proxy_impurity_improvement`: larger is better, only comparable within one node.
#[inline]
pub(crate) fn proxy(
    impurity_left: f64,
    impurity_right: f64,
    weight_left: f64,
    weight_right: f64,
) -> f64 {
    -weight_right * impurity_right - weight_left * impurity_left
}

/// sklearn's weighted impurity decrease `N_t / N * (I - N_R / N_t * I_R - N_L / N_t * I_L)`,
/// the quantity `min_impurity_decrease` is compared with.
#[inline]
pub(crate) fn improvement(
    weight_total: f64,
    weight_node: f64,
    weight_left: f64,
    weight_right: f64,
    impurity: f64,
    impurity_left: f64,
    impurity_right: f64,
) -> f64 {
    (weight_node / weight_total)
        * (impurity
            - (weight_right / weight_node * impurity_right)
            - (weight_left / weight_node * impurity_left))
}
