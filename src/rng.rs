//! numpy's legacy `RandomState` (MT19937), bit for bit.
//!
//! sklearn's `random_state=int` means `np.random.RandomState(int)`; reproducing its streams is
//! what lets the engine build the same dataset and the same train/test split as sklearn.
//! Seeding is MT19937's `init_genrand` (numpy's `_legacy_seeding` for an integer seed), and every
//! method consumes raw 32-bit words exactly as numpy's C code does
//! (`numpy/random/src/mt19937/mt19937.c`, `numpy/random/src/legacy/legacy-distributions.c`,
//! `numpy/random/src/distributions/distributions.c`; checked against `tests/oracles/`).
//!
//! ```
//! use coresweep::rng::RandomState;
//!
//! let mut rng = RandomState::new(0);
//! // np.random.RandomState(0).random_sample()
//! assert_eq!(rng.random_sample(), 0.5488135039273248);
//! ```

use rand_core::{Infallible, SeedableRng, TryRng, utils};

use crate::numeric::log;

/// Number of 32-bit words in the MT19937 state.
const N: usize = 624;
/// MT19937's middle word offset.
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// numpy's legacy `np.random.RandomState`: an MT19937 generator plus the one-value cache of
/// the polar Gaussian method.
///
/// It also implements `rand_core`'s [`TryRng`] (hence [`rand_core::Rng`]) and [`SeedableRng`],
/// so `rand`'s extension methods work on it:
///
/// ```
/// use coresweep::rng::RandomState;
/// use rand::RngExt;
///
/// let mut rng = RandomState::new(42);
/// let k: usize = rng.random_range(0..10);
/// assert!(k < 10);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RandomState {
    key: [u32; N],
    pos: usize,
    cached_gaussian: Option<f64>,
}

/// MT19937's tempering of a state word into an output word.
#[inline(always)]
fn temper(mut y: u32) -> u32 {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c_5680;
    y ^= (y << 15) & 0xefc6_0000;
    y ^ (y >> 18)
}

impl RandomState {
    /// `np.random.RandomState(seed)`: MT19937 `init_genrand(seed)`, no cached Gaussian.
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// let mut rng = RandomState::new(0);
    /// assert_eq!(rng.next_u32(), 2357136044);
    /// ```
    pub fn new(seed: u32) -> Self {
        let mut key = [0u32; N];
        let mut s = seed;
        for (i, word) in key.iter_mut().enumerate() {
            *word = s;
            s = 1_812_433_253u32
                .wrapping_mul(s ^ (s >> 30))
                .wrapping_add(i as u32 + 1);
        }
        RandomState {
            key,
            pos: N,
            cached_gaussian: None,
        }
    }

    /// The 624 state words (numpy's `get_state()[1]`).
    pub fn key(&self) -> &[u32; N] {
        &self.key
    }

    /// How many words of the current block were used (numpy's `get_state()[2]`).
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The Gaussian the next [`standard_normal`](Self::standard_normal) returns without drawing
    /// (numpy's `has_gauss` / `cached_gaussian`).
    pub fn cached_gaussian(&self) -> Option<f64> {
        self.cached_gaussian
    }

    /// Regenerates all 624 words at once (MT19937's twist), in three loops so that no index
    /// needs a modulo.
    #[inline(never)]
    fn regenerate(&mut self) {
        let k = &mut self.key;
        #[inline(always)]
        fn twist(upper: u32, lower: u32, far: u32) -> u32 {
            let y = (upper & UPPER_MASK) | (lower & LOWER_MASK);
            far ^ (y >> 1) ^ (MATRIX_A & (y & 1).wrapping_neg())
        }
        for i in 0..N - M {
            k[i] = twist(k[i], k[i + 1], k[i + M]);
        }
        for i in N - M..N - 1 {
            k[i] = twist(k[i], k[i + 1], k[i + M - N]);
        }
        k[N - 1] = twist(k[N - 1], k[0], k[M - 1]);
        self.pos = 0;
    }

    /// The next raw 32-bit word (numpy's `next_uint32`).
    #[inline(always)]
    pub fn next_u32(&mut self) -> u32 {
        if self.pos >= N {
            self.regenerate();
        }
        let y = self.key[self.pos];
        self.pos += 1;
        temper(y)
    }

    /// The rest of the current block's raw words (a new block if it is used up), as
    /// [`next_u32`](Self::next_u32) would return them one by one, tempered together in `out`
    /// (whose first `n` words this fills and returns `n` of).
    fn next_block(&mut self, out: &mut [u32; N]) -> usize {
        if self.pos >= N {
            self.regenerate();
        }
        let n = N - self.pos;
        for (o, &y) in out.iter_mut().zip(&self.key[self.pos..]) {
            *o = temper(y);
        }
        self.pos = N;
        n
    }

    /// Two raw words, the first one as the high half (numpy's `next_uint64`).
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// let (mut a, mut b) = (RandomState::new(1), RandomState::new(1));
    /// let hi = u64::from(b.next_u32());
    /// assert_eq!(a.next_u64(), (hi << 32) | u64::from(b.next_u32()));
    /// ```
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        (hi << 32) | u64::from(self.next_u32())
    }

    /// A double in [0, 1) with 53 random bits from two words (`random_sample`, `uniform()`).
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// let mut rng = RandomState::new(0);
    /// assert_eq!(rng.random_sample(), 0.5488135039273248);
    /// assert_eq!(rng.random_sample(), 0.7151893663724195);
    /// ```
    #[inline]
    pub fn random_sample(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) / 9_007_199_254_740_992.0
    }

    /// A standard normal by numpy's legacy polar method: each accepted pair yields two values,
    /// `f*x2` now and `f*x1` cached for the next call.
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// let mut rng = RandomState::new(0);
    /// assert_eq!(rng.standard_normal(), 1.764052345967664);
    /// assert_eq!(rng.cached_gaussian(), Some(0.4001572083672233));
    /// assert_eq!(rng.standard_normal(), 0.4001572083672233);
    /// ```
    #[inline]
    pub fn standard_normal(&mut self) -> f64 {
        if let Some(g) = self.cached_gaussian.take() {
            return g;
        }
        loop {
            let x1 = 2.0 * self.random_sample() - 1.0;
            let x2 = 2.0 * self.random_sample() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * log(r2) / r2).sqrt();
                self.cached_gaussian = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// An integer in `[low, high)` by numpy's legacy masked rejection (`randint(low, high)`).
    /// A range of one value returns `low` without drawing.
    ///
    /// # Panics
    /// If `high <= low` (numpy raises `ValueError: low >= high`).
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// let mut rng = RandomState::new(0);
    /// let draws: Vec<i64> = (0..5).map(|_| rng.randint(0, 7)).collect();
    /// assert_eq!(draws, [4, 5, 0, 3, 3]);
    /// ```
    #[inline]
    pub fn randint(&mut self, low: i64, high: i64) -> i64 {
        assert!(low < high, "randint: low >= high ({low} >= {high})");
        let range = high.wrapping_sub(low).wrapping_sub(1) as u64;
        low.wrapping_add(self.random_interval(range) as i64)
    }

    /// An integer in `[0, max]` by masked rejection: draw a word (two above `u32::MAX`), keep
    /// the bits under the smallest all-ones mask covering `max`, retry while above `max`.
    /// `max == 0` draws nothing.
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// let mut rng = RandomState::new(0);
    /// assert_eq!(rng.random_interval(0), 0);
    /// assert_eq!(rng.pos(), 624); // nothing drawn yet
    /// assert!(rng.random_interval(9) <= 9);
    /// ```
    #[inline]
    pub fn random_interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        let mask = u64::MAX >> max.leading_zeros();
        if max <= u64::from(u32::MAX) {
            let (mask, max) = (mask as u32, max as u32);
            loop {
                let v = self.next_u32() & mask;
                if v <= max {
                    return u64::from(v);
                }
            }
        }
        loop {
            let v = self.next_u64() & mask;
            if v <= max {
                return v;
            }
        }
    }

    /// `randint(low, high)` drawn again and again, the same values in the same order, from a
    /// state the iterator takes: many draws cost less when a block of words is tempered at once
    /// (a tree's bootstrap draws as many rows as the data has).
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// let mut rng = RandomState::new(5);
    /// let one_by_one: Vec<i64> = (0..2000).map(|_| rng.randint(-3, 10_000)).collect();
    /// let stream: Vec<i64> = RandomState::new(5).randints(-3, 10_000).take(2000).collect();
    /// assert_eq!(stream, one_by_one);
    /// ```
    pub fn randints(mut self, low: i64, high: i64) -> impl Iterator<Item = i64> {
        assert!(low < high, "randint: low >= high ({low} >= {high})");
        let range = high.wrapping_sub(low).wrapping_sub(1) as u64;
        // Ranges of one word: `random_interval`'s masked rejection on the block's words (a mask
        // of 0 for a range of one value, which keeps every word: the value without a draw).
        let one_word = u32::try_from(range).ok();
        let mask = one_word.map_or(0, |r| u32::MAX.checked_shr(r.leading_zeros()).unwrap_or(0));
        let mut words = [0u32; N];
        let (mut at, mut filled) = (0, 0);
        std::iter::repeat_with(move || {
            let Some(max) = one_word else {
                return self.randint(low, high);
            };
            loop {
                if at == filled {
                    filled = self.next_block(&mut words);
                    at = 0;
                }
                let v = words[at] & mask;
                at += 1;
                if v <= max {
                    return low.wrapping_add(i64::from(v));
                }
            }
        })
    }

    /// Shuffles in place like numpy's `shuffle`: Fisher–Yates from the end,
    /// `swap(x[i], x[random_interval(i)])` for `i = n-1 … 1`.
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// let mut x: Vec<u32> = (0..10).collect();
    /// RandomState::new(0).shuffle(&mut x);
    /// assert_eq!(x, [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    /// ```
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.random_interval(i as u64) as usize;
            x.swap(i, j);
        }
    }

    /// `permutation(n)`: `0..n` shuffled by [`shuffle`](Self::shuffle).
    ///
    /// ```
    /// use coresweep::rng::RandomState;
    ///
    /// assert_eq!(RandomState::new(0).permutation(10), [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    /// ```
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut x: Vec<usize> = (0..n).collect();
        self.shuffle(&mut x);
        x
    }
}

impl TryRng for RandomState {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(RandomState::next_u32(self))
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(RandomState::next_u64(self))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        utils::fill_bytes_via_next_word(dst, || self.try_next_u32())
    }
}

/// The seed is a little-endian `u32`, as given to [`RandomState::new`]. (`seed_from_u64` keeps
/// `rand_core`'s default expansion, so it is *not* numpy's `RandomState(seed)`; use
/// [`RandomState::new`] for that.)
///
/// ```
/// use coresweep::rng::RandomState;
/// use rand_core::SeedableRng;
///
/// assert_eq!(RandomState::from_seed(7u32.to_le_bytes()), RandomState::new(7));
/// ```
impl SeedableRng for RandomState {
    type Seed = [u8; 4];

    fn from_seed(seed: Self::Seed) -> Self {
        RandomState::new(u32::from_le_bytes(seed))
    }
}
