//! The criterion, sklearn's `_criterion.pyx`: impurity measures, the class counts of the left
//! side as a split position moves through a node ([`LeftCounts`]), and the Gini shortcut.
//!
//! Class counts are bootstrap-weighted integers, exact in `f64`, so every sum is exact and the
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

/// The Gini shortcut: whether a candidate split certainly loses to the best one so far, decided
/// without a division. For Gini, sklearn's proxy is `Q - W` with
/// `Q = sq_left / weight_left + sq_right / weight_right` (the sums of squared class counts over
/// the weights, see [`LeftCounts::squares`]) and `W` the node's weight; `best_q` is the best
/// proxy so far plus `W`. A candidate whose `Q`, compared by cross-multiplication, falls short
/// of `best_q` by more than a relative 1e-9 (a million times the rounding error of either side)
/// cannot win, so the exact proxy is computed only for the others and the chosen split stays
/// bit-for-bit sklearn's.
#[inline(always)]
pub(super) fn gini_cannot_win(
    sq_left: f64,
    sq_right: f64,
    weight_left: f64,
    weight_right: f64,
    best_q: f64,
) -> bool {
    sq_left * weight_right + sq_right * weight_left
        < best_q * (weight_left * weight_right) * (1.0 - 1e-9)
}

/// A count as `f64`, exactly (counts are far below 2^53). The signed conversion is one
/// instruction on x86-64, the unsigned one several: this runs for every class of every
/// candidate.
#[inline(always)]
pub(super) fn exact(count: u64) -> f64 {
    count as i64 as f64
}

/// Class counts of the left side of a sweep, kept as integers (bootstrap weights are counts),
/// converted to `f64` (exactly) only to evaluate a candidate.
pub(super) trait LeftCounts {
    fn clear(&mut self);
    fn add(&mut self, class: u32, weight: u64);
    /// Sums of squared class counts of (left, right): the Gini numerators.
    fn squares(&self, total: &[f64]) -> (f64, f64);
    /// The (weight, weight of class 1) of a two-class left side, which the split keeps for the
    /// children instead of counting their samples again (`None` for more classes).
    fn binary(&self) -> Option<(u64, u64)>;
    /// Impurities of (left, right) given the node's totals.
    fn children(
        &mut self,
        impurity: Impurity,
        total: &[f64],
        weight_left: f64,
        weight_right: f64,
    ) -> (f64, f64);
}

/// Two classes: the count of class 1 lives in a register; class 0 is the rest.
#[derive(Default)]
pub(super) struct Binary {
    weight: u64,
    class1: u64,
}

impl Binary {
    /// The counts of a left side of weight `weight`, `class1` of it in class 1.
    #[inline(always)]
    pub(super) fn at(weight: u64, class1: u64) -> Binary {
        Binary { weight, class1 }
    }
}

impl LeftCounts for Binary {
    #[inline(always)]
    fn clear(&mut self) {
        self.weight = 0;
        self.class1 = 0;
    }
    #[inline(always)]
    fn add(&mut self, class: u32, weight: u64) {
        self.weight += weight;
        self.class1 += weight * u64::from(class);
    }
    #[inline(always)]
    fn squares(&self, total: &[f64]) -> (f64, f64) {
        let c1 = exact(self.class1);
        let c0 = exact(self.weight - self.class1);
        let (r0, r1) = (total[0] - c0, total[1] - c1);
        (c0 * c0 + c1 * c1, r0 * r0 + r1 * r1)
    }
    #[inline(always)]
    fn binary(&self) -> Option<(u64, u64)> {
        Some((self.weight, self.class1))
    }
    #[inline(always)]
    fn children(
        &mut self,
        impurity: Impurity,
        total: &[f64],
        weight_left: f64,
        weight_right: f64,
    ) -> (f64, f64) {
        let c1 = exact(self.class1);
        let c0 = exact(self.weight - self.class1);
        (
            impurity.of(&[c0, c1], weight_left),
            impurity.of(&[total[0] - c0, total[1] - c1], weight_right),
        )
    }
}

/// Any number of classes.
#[derive(Default)]
pub(super) struct Many {
    counts: Vec<u64>,
    left: Vec<f64>,
    right: Vec<f64>,
}

impl Many {
    pub(super) fn new(n_classes: usize) -> Self {
        Many {
            counts: vec![0; n_classes],
            left: vec![0.0; n_classes],
            right: vec![0.0; n_classes],
        }
    }

    /// The integer class counts.
    pub(super) fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The integer class counts, to set.
    pub(super) fn counts_mut(&mut self) -> &mut [u64] {
        &mut self.counts
    }
}

impl LeftCounts for Many {
    #[inline(always)]
    fn clear(&mut self) {
        self.counts.fill(0);
    }
    #[inline(always)]
    fn add(&mut self, class: u32, weight: u64) {
        self.counts[class as usize] += weight;
    }
    #[inline(always)]
    fn squares(&self, total: &[f64]) -> (f64, f64) {
        self.counts
            .iter()
            .zip(total)
            .fold((0.0, 0.0), |(sl, sr), (&c, &t)| {
                let (l, r) = (exact(c), t - exact(c));
                (sl + l * l, sr + r * r)
            })
    }
    #[inline(always)]
    fn binary(&self) -> Option<(u64, u64)> {
        None
    }
    #[inline(always)]
    fn children(
        &mut self,
        impurity: Impurity,
        total: &[f64],
        weight_left: f64,
        weight_right: f64,
    ) -> (f64, f64) {
        for (((l, r), &c), &t) in self
            .left
            .iter_mut()
            .zip(&mut self.right)
            .zip(&self.counts)
            .zip(total)
        {
            *l = exact(c);
            *r = t - *l;
        }
        (
            impurity.of(&self.left, weight_left),
            impurity.of(&self.right, weight_right),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{Binary, Impurity, LeftCounts, Many, gini_cannot_win, proxy};
    use crate::rng::RandomState;

    /// One candidate split: integer class counts of each side (both sides non-empty), as
    /// bootstrap weights make them.
    fn random_split(rng: &mut RandomState, n_classes: usize) -> (Vec<u64>, Vec<u64>) {
        loop {
            let scale = [1, 10, 1000, 100_000][rng.randint(0, 4) as usize];
            let mut side = || -> Vec<u64> {
                (0..n_classes)
                    .map(|_| rng.randint(0, scale + 1) as u64)
                    .collect()
            };
            let (left, right) = (side(), side());
            if left.iter().sum::<u64>() > 0 && right.iter().sum::<u64>() > 0 {
                return (left, right);
            }
        }
    }

    /// The left counts as the sweep accumulates them, and the node's totals.
    fn fill<C: LeftCounts>(counts: &mut C, left: &[u64], right: &[u64]) -> Vec<f64> {
        counts.clear();
        for (class, &c) in left.iter().enumerate() {
            // In pieces, as samples of different bootstrap weights arrive.
            counts.add(class as u32, c / 2);
            counts.add(class as u32, c - c / 2);
        }
        left.iter()
            .zip(right)
            .map(|(&l, &r)| (l + r) as f64)
            .collect()
    }

    /// `1 - Σ_k (c_k / w)²`, the Gini impurity as textbooks write it.
    fn textbook_gini(counts: &[u64]) -> f64 {
        let w: u64 = counts.iter().sum();
        1.0 - counts
            .iter()
            .map(|&c| (c as f64 / w as f64).powi(2))
            .sum::<f64>()
    }

    #[test]
    fn gini_squares_give_the_textbook_impurity() {
        let mut rng = RandomState::new(3);
        for n_classes in 2..6 {
            for _ in 0..2000 {
                let (left, right) = random_split(&mut rng, n_classes);
                let mut many = Many::new(n_classes);
                let total = fill(&mut many, &left, &right);
                let wl = left.iter().sum::<u64>() as f64;
                let wr = right.iter().sum::<u64>() as f64;
                let (sq_left, sq_right) = many.squares(&total);
                let (il, ir) = many.children(Impurity::Gini, &total, wl, wr);
                // The numerators are exact integers, so this is the impurity bit for bit.
                assert_eq!(1.0 - sq_left / (wl * wl), il);
                assert_eq!(1.0 - sq_right / (wr * wr), ir);
                assert!((il - textbook_gini(&left)).abs() <= 1e-15, "{left:?}");
                assert!((ir - textbook_gini(&right)).abs() <= 1e-15, "{right:?}");
                // The shortcut's Q - W is sklearn's proxy up to rounding.
                let q = sq_left / wl + sq_right / wr;
                let p = proxy(il, ir, wl, wr);
                assert!(((q - (wl + wr)) - p).abs() <= 1e-12 * (wl + wr), "{q} {p}");
                if n_classes == 2 {
                    let mut binary = Binary::default();
                    fill(&mut binary, &left, &right);
                    assert_eq!(binary.squares(&total), (sq_left, sq_right));
                    assert_eq!(binary.children(Impurity::Gini, &total, wl, wr), (il, ir));
                }
            }
        }
    }

    #[test]
    fn gini_shortcut_skips_only_losers() {
        let mut rng = RandomState::new(4);
        for n_classes in 2..5 {
            for _ in 0..2000 {
                let (left, right) = random_split(&mut rng, n_classes);
                let mut many = Many::new(n_classes);
                let total = fill(&mut many, &left, &right);
                let wl = left.iter().sum::<u64>() as f64;
                let wr = right.iter().sum::<u64>() as f64;
                let w = wl + wr;
                let (sq_left, sq_right) = many.squares(&total);
                let (il, ir) = many.children(Impurity::Gini, &total, wl, wr);
                let p = proxy(il, ir, wl, wr);
                let ulp = f64::EPSILON * w;
                for best in [
                    p - 4.0 * ulp,
                    p - ulp,
                    p,
                    p + ulp,
                    p + 1e-6 * w,
                    p + 0.1 * w,
                ] {
                    let skipped = gini_cannot_win(sq_left, sq_right, wl, wr, best + w);
                    // Skipping a candidate that would beat the best changes the tree.
                    assert!(!(skipped && p > best), "skipped a winner: {p} > {best}");
                    // The shortcut does its job on clear losers.
                    if best >= p + 1e-6 * w {
                        assert!(skipped, "kept a clear loser: {p} < {best}");
                    }
                }
            }
        }
    }
}
