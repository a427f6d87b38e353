//! `RandomState` against numpy 2.4.6's raw streams (`tests/oracles/rng_streams.json`).

#[path = "common/oracles.rs"]
mod oracles;

use coresweep::rng::RandomState;
use oracles::{as_f64s, as_u64s, from_bits_hex, load};
use serde_json::Value;

fn seeds() -> Vec<Value> {
    let doc = load("rng_streams.json");
    let seeds = doc["seeds"].as_array().expect("seeds").clone();
    assert!(
        seeds.len() >= 3,
        "expected at least 3 seeds in rng_streams.json"
    );
    seeds
}

fn seed_of(s: &Value) -> u32 {
    s["seed"].as_u64().expect("seed") as u32
}

#[test]
fn seeding_is_init_genrand() {
    for s in seeds() {
        let rng = RandomState::new(seed_of(&s));
        let key: Vec<u64> = rng.key().iter().map(|&w| u64::from(w)).collect();
        assert_eq!(
            key,
            as_u64s(&s["state_after_seed"]["key"]),
            "seed {}",
            s["seed"]
        );
        assert_eq!(
            rng.pos(),
            s["state_after_seed"]["pos"].as_u64().unwrap() as usize
        );
        assert_eq!(rng.cached_gaussian(), None);
    }
}

#[test]
fn raw_words_across_regenerations() {
    for s in seeds() {
        let mut rng = RandomState::new(seed_of(&s));
        let raw: Vec<u64> = (0..1300).map(|_| u64::from(rng.next_u32())).collect();
        assert_eq!(raw[..20], as_u64s(&s["raw_uint32_first_20"])[..]);
        assert_eq!(raw[620..640], as_u64s(&s["raw_uint32_620_to_640"])[..]);
        assert_eq!(raw[1240..1260], as_u64s(&s["raw_uint32_1240_to_1260"])[..]);
    }
}

#[test]
fn random_sample_bits() {
    for s in seeds() {
        let mut rng = RandomState::new(seed_of(&s));
        let got: Vec<u64> = (0..10).map(|_| rng.random_sample().to_bits()).collect();
        let want: Vec<u64> = s["random_sample_10_bits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| from_bits_hex(b).to_bits())
            .collect();
        assert_eq!(got, want, "seed {}", s["seed"]);
        let decimal: Vec<u64> = as_f64s(&s["random_sample_10"])
            .iter()
            .map(|x| x.to_bits())
            .collect();
        assert_eq!(got, decimal);
    }
}

#[test]
fn standard_normal_bits_and_cache() {
    for s in seeds() {
        let mut rng = RandomState::new(seed_of(&s));
        let got: Vec<u64> = (0..10).map(|_| rng.standard_normal().to_bits()).collect();
        let want: Vec<u64> = s["standard_normal_10_bits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| from_bits_hex(b).to_bits())
            .collect();
        assert_eq!(got, want, "seed {}", s["seed"]);

        // Scalar calls one at a time give the same stream (the 11th starts a new pair).
        let mut rng = RandomState::new(seed_of(&s));
        let scalar: Vec<f64> = (0..11).map(|_| rng.standard_normal()).collect();
        assert_eq!(scalar, as_f64s(&s["standard_normal_scalar_11"]));

        let after = &s["after_1_standard_normal"];
        let mut rng = RandomState::new(seed_of(&s));
        rng.standard_normal();
        assert_eq!(rng.pos(), after["pos"].as_u64().unwrap() as usize);
        assert_eq!(after["has_gauss"].as_u64(), Some(1));
        assert_eq!(
            rng.cached_gaussian().map(f64::to_bits),
            Some(from_bits_hex(&after["cached_gaussian_bits"]).to_bits())
        );
    }
}

#[test]
fn gaussian_cache_survives_uniform_draws() {
    for s in seeds() {
        let mut rng = RandomState::new(seed_of(&s));
        let got = [
            rng.standard_normal(),
            rng.random_sample(),
            rng.standard_normal(),
        ];
        assert_eq!(got[..], as_f64s(&s["interleave_normal_uniform_normal"])[..]);
    }
}

/// `n` draws of `randint(low, high)`, checked equal to those of the `randints` stream.
fn randint_stream(seed: u32, low: i64, high: i64, n: usize) -> Vec<u64> {
    let mut rng = RandomState::new(seed);
    let draws: Vec<u64> = (0..n).map(|_| rng.randint(low, high) as u64).collect();
    let stream = RandomState::new(seed).randints(low, high).take(n);
    assert!(stream.map(|v| v as u64).eq(draws.iter().copied()));
    draws
}

#[test]
fn randint_masked_rejection() {
    for s in seeds() {
        let seed = seed_of(&s);
        assert_eq!(
            randint_stream(seed, 0, 7, 10),
            as_u64s(&s["randint_0_7_size10"])
        );
        assert_eq!(
            randint_stream(seed, 0, 7, 10),
            as_u64s(&s["randint_0_7_scalar_10"])
        );
        assert_eq!(
            randint_stream(seed, 0, 2, 20),
            as_u64s(&s["randint_2_size20"])
        );
        assert_eq!(
            randint_stream(seed, 0, 32768, 10),
            as_u64s(&s["randint_32768_scalar_10"])
        );
    }
}

/// The stream gives `randint`'s values across many blocks of words, for ranges of one value,
/// of one word (at its edges) and of two words.
#[test]
fn randints_stream_is_repeated_randint() {
    let ranges = [
        (0, 1),
        (0, 2),
        (-5, 5),
        (0, 10_000),
        (0, 1 << 31),
        (0, (1 << 31) + 1),
        (0, 1 << 32),
        (0, (1 << 32) + 1),
        (i64::MIN, i64::MAX),
    ];
    for seed in [0, 7, 4_294_967_295] {
        for (low, high) in ranges {
            let mut rng = RandomState::new(seed);
            let draws = (0..3000).map(|_| rng.randint(low, high));
            let stream = RandomState::new(seed).randints(low, high).take(3000);
            assert!(stream.eq(draws), "seed {seed}, randint({low}, {high})");
        }
    }
}

#[test]
fn randint_of_one_value_draws_nothing() {
    for s in seeds() {
        let mut rng = RandomState::new(seed_of(&s));
        let zeros: Vec<u64> = (0..5).map(|_| rng.randint(0, 1) as u64).collect();
        let case = &s["randint_1_size5_then_raw"];
        assert_eq!(zeros, as_u64s(&case["randint1"]));
        assert_eq!(
            u64::from(rng.next_u32()),
            case["next_raw_uint32"].as_u64().unwrap()
        );
    }
}

#[test]
fn shuffle_and_permutation() {
    for s in seeds() {
        let seed = seed_of(&s);
        let mut ten: Vec<u64> = (0..10).collect();
        RandomState::new(seed).shuffle(&mut ten);
        assert_eq!(ten, as_u64s(&s["shuffle_arange10"]));
        let perm: Vec<u64> = RandomState::new(seed)
            .permutation(10)
            .iter()
            .map(|&i| i as u64)
            .collect();
        assert_eq!(perm, as_u64s(&s["permutation_10"]));
        let hundred: Vec<u64> = RandomState::new(seed)
            .permutation(100)
            .iter()
            .map(|&i| i as u64)
            .collect();
        assert_eq!(hundred, as_u64s(&s["shuffle_arange100"]));
    }
}

#[test]
fn rand_core_traits_follow_the_same_stream() {
    use rand::RngExt;
    use rand_core::Rng;
    for s in seeds() {
        let seed = seed_of(&s);
        let mut rng = RandomState::new(seed);
        let words: Vec<u64> = (0..20)
            .map(|_| u64::from(Rng::next_u32(&mut rng)))
            .collect();
        assert_eq!(words, as_u64s(&s["raw_uint32_first_20"]));
        let raw = as_u64s(&s["raw_uint32_first_20"]);
        let mut rng = RandomState::new(seed);
        assert_eq!(Rng::next_u64(&mut rng), (raw[0] << 32) | raw[1]);
        let mut bytes = [0u8; 8];
        let mut rng = RandomState::new(seed);
        rng.fill_bytes(&mut bytes);
        assert_eq!(&bytes[..4], &(raw[0] as u32).to_le_bytes());
        let mut rng = RandomState::new(seed);
        let x: f64 = rng.random();
        assert!((0.0..1.0).contains(&x));
        assert!(rng.random_range(3..9) >= 3);
    }
}
