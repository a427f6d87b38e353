//! Every parameter of the dataset, the forest and the sweep, given a bad value: out of range,
//! NaN, infinity, empty, of the wrong kind, or inconsistent with another parameter. Each is
//! refused with an error naming the parameter, through the engine API and through the CLI
//! (exit code 2, one line, the flag name followed by the engine's own words), before any fit.
//! Weights summing above 1 are not here: sklearn accepts them (the last clusters come out
//! short) and so does the engine (tests/make_classification_oracle.rs).

use coresweep::Error;
use coresweep::datasets::{ClassificationParams, Scale, Shift, train_test_split};
use coresweep::forest::{ForestParams, MaxFeatures, MaxSamples};
use coresweep::sweep::{Experiment, check_repeats, check_threads, parse_threads};
use std::process::Command;

/// The small experiment every case starts from (blog defaults otherwise, as in the CLI).
const BASE: &[(&str, &str)] = &[
    ("--n-samples", "60"),
    ("--n-features", "6"),
    ("--n-informative", "3"),
    ("--n-redundant", "1"),
    ("--n-estimators", "2"),
];

fn dataset() -> ClassificationParams {
    ClassificationParams {
        n_samples: 60,
        n_features: 6,
        n_informative: 3,
        n_redundant: 1,
        ..ClassificationParams::blog()
    }
}

fn forest() -> ForestParams {
    ForestParams {
        n_estimators: 2,
        ..ForestParams::blog()
    }
}

/// How the engine is asked.
enum Engine {
    Dataset(fn(&mut ClassificationParams)),
    Forest(fn(&mut ForestParams)),
    Threads(&'static str),
    Repeats(usize),
    TestSize(f64),
    /// Only the CLI can be given this value (text that is not of the parameter's type).
    CliOnly,
}

struct Case {
    /// sklearn's name of the parameter the error must name.
    param: &'static str,
    /// Further words the message must hold (the other parameters of an inconsistency).
    mentions: &'static [&'static str],
    engine: Engine,
    /// `coresweep <command>` and the flags that differ from [`BASE`].
    command: &'static str,
    flags: &'static [(&'static str, &'static str)],
}

const fn case(
    param: &'static str,
    engine: Engine,
    command: &'static str,
    flags: &'static [(&'static str, &'static str)],
) -> Case {
    Case {
        param,
        mentions: &[],
        engine,
        command,
        flags,
    }
}

fn cases() -> Vec<Case> {
    use Engine::*;
    vec![
        // make_classification
        case(
            "n_samples",
            Dataset(|p| p.n_samples = 0),
            "fit",
            &[("--n-samples", "0")],
        ),
        case(
            "n_samples",
            Dataset(|p| p.n_samples = 1 << 40),
            "fit",
            &[("--n-samples", "1099511627776")],
        ),
        case("n_samples", CliOnly, "fit", &[("--n-samples", "-5")]),
        case("n_samples", CliOnly, "fit", &[("--n-samples", "1.5")]),
        case("n_samples", CliOnly, "fit", &[("--n-samples", "")]),
        case(
            "n_features",
            Dataset(|p| p.n_features = 0),
            "fit",
            &[("--n-features", "0")],
        ),
        case("n_features", CliOnly, "fit", &[("--n-features", "NaN")]),
        case(
            "n_informative",
            Dataset(|p| p.n_informative = 0),
            "fit",
            &[("--n-informative", "0")],
        ),
        Case {
            mentions: &["n_redundant", "n_repeated", "n_features"],
            ..case(
                "n_informative",
                Dataset(|p| p.n_informative = 7),
                "fit",
                &[("--n-informative", "7")],
            )
        },
        Case {
            mentions: &["n_redundant"],
            ..case(
                "n_informative",
                Dataset(|p| p.n_redundant = 4),
                "fit",
                &[("--n-redundant", "4")],
            )
        },
        Case {
            mentions: &["n_repeated"],
            ..case(
                "n_informative",
                Dataset(|p| p.n_repeated = 3),
                "fit",
                &[("--n-repeated", "3")],
            )
        },
        case("n_repeated", CliOnly, "fit", &[("--n-repeated", "-1")]),
        case(
            "n_classes",
            Dataset(|p| p.n_classes = 0),
            "fit",
            &[("--n-classes", "0")],
        ),
        Case {
            mentions: &["n_clusters_per_class", "2**n_informative"],
            ..case(
                "n_classes",
                Dataset(|p| p.n_classes = 5),
                "fit",
                &[("--n-classes", "5")],
            )
        },
        case(
            "n_classes",
            Dataset(|p| p.n_classes = usize::MAX),
            "fit",
            &[("--n-classes", "18446744073709551615")],
        ),
        case(
            "n_classes",
            Dataset(|p| {
                p.n_informative = 64;
                p.n_redundant = 0;
                p.n_features = 64;
                p.n_classes = 1 << 40;
            }),
            "fit",
            &[
                ("--n-informative", "64"),
                ("--n-redundant", "0"),
                ("--n-features", "64"),
                ("--n-classes", "1099511627776"),
            ],
        ),
        case(
            "n_clusters_per_class",
            Dataset(|p| p.n_clusters_per_class = 0),
            "fit",
            &[("--n-clusters-per-class", "0")],
        ),
        Case {
            mentions: &["n_clusters_per_class"],
            ..case(
                "n_classes",
                Dataset(|p| p.n_clusters_per_class = 5),
                "fit",
                &[("--n-clusters-per-class", "5")],
            )
        },
        case(
            "weights",
            Dataset(|p| p.weights = Some(vec![0.2, 0.3, 0.5])),
            "fit",
            &[("--weights", "0.2,0.3,0.5")],
        ),
        case(
            "weights",
            Dataset(|p| p.weights = Some(vec![])),
            "fit",
            &[("--weights", "")],
        ),
        case(
            "weights",
            Dataset(|p| p.weights = Some(vec![-0.5, 1.5])),
            "fit",
            &[("--weights", "-0.5,1.5")],
        ),
        case(
            "weights",
            Dataset(|p| p.weights = Some(vec![f64::NAN])),
            "fit",
            &[("--weights", "NaN")],
        ),
        case(
            "weights",
            Dataset(|p| p.weights = Some(vec![f64::INFINITY, 0.5])),
            "fit",
            &[("--weights", "inf,0.5")],
        ),
        case(
            "weights",
            Dataset(|p| p.weights = Some(vec![1.5])),
            "fit",
            &[("--weights", "1.5")],
        ),
        case("weights", CliOnly, "fit", &[("--weights", "0.5,x")]),
        case(
            "flip_y",
            Dataset(|p| p.flip_y = -0.1),
            "fit",
            &[("--flip-y", "-0.1")],
        ),
        case(
            "flip_y",
            Dataset(|p| p.flip_y = 1.5),
            "fit",
            &[("--flip-y", "1.5")],
        ),
        case(
            "flip_y",
            Dataset(|p| p.flip_y = f64::NAN),
            "fit",
            &[("--flip-y", "NaN")],
        ),
        case(
            "flip_y",
            Dataset(|p| p.flip_y = f64::INFINITY),
            "fit",
            &[("--flip-y", "inf")],
        ),
        case(
            "class_sep",
            Dataset(|p| p.class_sep = 0.0),
            "fit",
            &[("--class-sep", "0")],
        ),
        case(
            "class_sep",
            Dataset(|p| p.class_sep = -1.0),
            "fit",
            &[("--class-sep", "-1")],
        ),
        case(
            "class_sep",
            Dataset(|p| p.class_sep = f64::NAN),
            "fit",
            &[("--class-sep", "nan")],
        ),
        case(
            "class_sep",
            Dataset(|p| p.class_sep = f64::INFINITY),
            "fit",
            &[("--class-sep", "inf")],
        ),
        case(
            "shift",
            Dataset(|p| p.shift = Shift::Value(f64::NAN)),
            "fit",
            &[("--shift", "NaN")],
        ),
        case(
            "shift",
            Dataset(|p| p.shift = Shift::Value(f64::NEG_INFINITY)),
            "fit",
            &[("--shift", "-inf")],
        ),
        case("shift", CliOnly, "fit", &[("--shift", "left")]),
        case(
            "scale",
            Dataset(|p| p.scale = Scale::Value(0.0)),
            "fit",
            &[("--scale", "0")],
        ),
        case(
            "scale",
            Dataset(|p| p.scale = Scale::Value(-2.0)),
            "fit",
            &[("--scale", "-2")],
        ),
        case(
            "scale",
            Dataset(|p| p.scale = Scale::Value(f64::NAN)),
            "fit",
            &[("--scale", "NaN")],
        ),
        case(
            "scale",
            Dataset(|p| p.scale = Scale::Value(f64::INFINITY)),
            "fit",
            &[("--scale", "inf")],
        ),
        case("hypercube", CliOnly, "fit", &[("--hypercube", "maybe")]),
        case("shuffle", CliOnly, "fit", &[("--shuffle", "1")]),
        case("random_state", CliOnly, "fit", &[("--random-state", "-1")]),
        case(
            "random_state",
            CliOnly,
            "fit",
            &[("--random-state", "4294967296")],
        ),
        // RandomForestClassifier
        case(
            "n_estimators",
            Forest(|p| p.n_estimators = 0),
            "fit",
            &[("--n-estimators", "0")],
        ),
        case(
            "n_estimators",
            Forest(|p| p.n_estimators = 100_001),
            "fit",
            &[("--n-estimators", "100001")],
        ),
        case("n_estimators", CliOnly, "fit", &[("--n-estimators", "ten")]),
        case("criterion", CliOnly, "fit", &[("--criterion", "gain")]),
        case(
            "max_depth",
            Forest(|p| p.max_depth = Some(0)),
            "fit",
            &[("--max-depth", "0")],
        ),
        case("max_depth", CliOnly, "fit", &[("--max-depth", "-1")]),
        case(
            "min_samples_split",
            Forest(|p| p.min_samples_split = 1),
            "fit",
            &[("--min-samples-split", "1")],
        ),
        case(
            "min_samples_split",
            Forest(|p| p.min_samples_split = 0),
            "fit",
            &[("--min-samples-split", "0")],
        ),
        case(
            "min_samples_leaf",
            Forest(|p| p.min_samples_leaf = 0),
            "fit",
            &[("--min-samples-leaf", "0")],
        ),
        case(
            "min_impurity_decrease",
            Forest(|p| p.min_impurity_decrease = -0.1),
            "fit",
            &[("--min-impurity-decrease", "-0.1")],
        ),
        case(
            "min_impurity_decrease",
            Forest(|p| p.min_impurity_decrease = f64::NAN),
            "fit",
            &[("--min-impurity-decrease", "NaN")],
        ),
        case(
            "min_impurity_decrease",
            Forest(|p| p.min_impurity_decrease = f64::INFINITY),
            "fit",
            &[("--min-impurity-decrease", "inf")],
        ),
        case(
            "max_features",
            Forest(|p| p.max_features = MaxFeatures::Count(0)),
            "fit",
            &[("--max-features", "0")],
        ),
        Case {
            mentions: &["n_features"],
            ..case(
                "max_features",
                Forest(|p| p.max_features = MaxFeatures::Count(7)),
                "fit",
                &[("--max-features", "7")],
            )
        },
        case(
            "max_features",
            Forest(|p| p.max_features = MaxFeatures::Fraction(0.0)),
            "fit",
            &[("--max-features", "0.0")],
        ),
        case(
            "max_features",
            Forest(|p| p.max_features = MaxFeatures::Fraction(1.5)),
            "fit",
            &[("--max-features", "1.5")],
        ),
        case(
            "max_features",
            Forest(|p| p.max_features = MaxFeatures::Fraction(f64::INFINITY)),
            "fit",
            &[("--max-features", "1e400")],
        ),
        case(
            "max_features",
            Forest(|p| p.max_features = MaxFeatures::Fraction(f64::NAN)),
            "fit",
            &[("--max-features", "NaN")],
        ),
        case(
            "max_features",
            CliOnly,
            "fit",
            &[("--max-features", "cube")],
        ),
        case(
            "max_samples",
            Forest(|p| p.max_samples = Some(MaxSamples::Count(0))),
            "fit",
            &[("--max-samples", "0")],
        ),
        case(
            "max_samples",
            Forest(|p| p.max_samples = Some(MaxSamples::Fraction(0.0))),
            "fit",
            &[("--max-samples", "0.0")],
        ),
        case(
            "max_samples",
            Forest(|p| p.max_samples = Some(MaxSamples::Fraction(-0.5))),
            "fit",
            &[("--max-samples", "-0.5")],
        ),
        case(
            "max_samples",
            Forest(|p| p.max_samples = Some(MaxSamples::Fraction(f64::NAN))),
            "fit",
            &[("--max-samples", "NaN")],
        ),
        case(
            "max_samples",
            Forest(|p| p.max_samples = Some(MaxSamples::Fraction(f64::INFINITY))),
            "fit",
            &[("--max-samples", "inf")],
        ),
        case(
            "max_samples",
            Forest(|p| p.max_samples = Some(MaxSamples::Fraction(1e10))),
            "fit",
            &[("--max-samples", "1e10")],
        ),
        Case {
            mentions: &["bootstrap"],
            ..case(
                "max_samples",
                Forest(|p| {
                    p.bootstrap = false;
                    p.max_samples = Some(MaxSamples::Fraction(0.5));
                }),
                "fit",
                &[("--bootstrap", "false"), ("--max-samples", "0.5")],
            )
        },
        case("bootstrap", CliOnly, "fit", &[("--bootstrap", "maybe")]),
        // the sweep
        case("threads", Threads("0"), "fit", &[("--threads", "0")]),
        case("threads", Threads("1025"), "fit", &[("--threads", "1025")]),
        case("threads", CliOnly, "fit", &[("--threads", "-1")]),
        case("threads", Threads("0"), "sweep", &[("--threads", "0")]),
        case(
            "threads",
            Threads("1,1025"),
            "sweep",
            &[("--threads", "1,1025")],
        ),
        case("threads", Threads("1,1"), "sweep", &[("--threads", "1,1")]),
        case("threads", Threads(""), "sweep", &[("--threads", "")]),
        case(
            "threads",
            Threads("1,,2"),
            "sweep",
            &[("--threads", "1,,2")],
        ),
        case("threads", Threads("NaN"), "sweep", &[("--threads", "NaN")]),
        case("threads", Threads("two"), "sweep", &[("--threads", "two")]),
        case("repeats", Repeats(0), "sweep", &[("--repeats", "0")]),
        case("repeats", Repeats(1001), "sweep", &[("--repeats", "1001")]),
        case("repeats", CliOnly, "sweep", &[("--repeats", "1.5")]),
        case(
            "test_size",
            TestSize(-0.1),
            "fit",
            &[("--test-size", "-0.1")],
        ),
        case("test_size", TestSize(1.0), "fit", &[("--test-size", "1")]),
        case(
            "test_size",
            TestSize(f64::NAN),
            "fit",
            &[("--test-size", "NaN")],
        ),
        case(
            "test_size",
            TestSize(f64::INFINITY),
            "sweep",
            &[("--test-size", "inf")],
        ),
        case(
            "test_size",
            TestSize(0.999),
            "fit",
            &[("--test-size", "0.999")],
        ),
    ]
}

/// The engine's verdict on a case: the first error, as the CLI would meet it.
fn engine_error(engine: &Engine) -> Option<Error> {
    let result = match engine {
        Engine::Dataset(edit) => {
            let mut p = dataset();
            edit(&mut p);
            p.check().map(drop)
        }
        Engine::Forest(edit) => {
            let mut p = forest();
            edit(&mut p);
            Experiment::new(&dataset(), &p).map(drop)
        }
        Engine::Threads(text) => match text.parse::<usize>() {
            Ok(k) if !text.contains(',') => check_threads(k).map(drop),
            _ => parse_threads(text, 4).map(drop),
        },
        Engine::Repeats(r) => check_repeats(*r).map(drop),
        Engine::TestSize(t) => train_test_split(60, *t, 0).map(drop),
        Engine::CliOnly => return None,
    };
    Some(result.expect_err("the engine accepted a bad value"))
}

fn flag_of(param: &str) -> String {
    format!("--{}", param.replace('_', "-"))
}

/// Runs the case's command; also says whether a sweep left a results file (`-o`) behind.
fn cli(case: &Case) -> (Option<i32>, String, String, bool) {
    let mut flags: Vec<(&str, &str)> = BASE
        .iter()
        .filter(|(flag, _)| case.flags.iter().all(|(f, _)| f != flag))
        .copied()
        .collect();
    flags.extend_from_slice(case.flags);
    let mut args = vec![case.command.to_string(), "--quiet".to_string()];
    if case.command == "fit" && case.flags.iter().all(|(f, _)| *f != "--threads") {
        args.extend(["--threads".to_string(), "1".to_string()]);
    }
    for (flag, value) in flags {
        // `--flag=value` keeps empty values and values starting with '-' as values.
        args.push(format!("{flag}={value}"));
    }
    let results =
        std::env::temp_dir().join(format!("coresweep-matrix-{}.json", std::process::id()));
    if case.command == "sweep" {
        args.push(format!("--output={}", results.display()));
    }
    let output = Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args(&args)
        .output()
        .unwrap();
    let wrote = std::fs::remove_file(&results).is_ok();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        wrote,
    )
}

#[test]
fn every_bad_parameter_is_refused_by_the_engine_and_the_cli_in_the_same_words() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let what = format!("{} {:?}", case.command, case.flags);
        let (code, stdout, stderr, wrote) = cli(case);
        // Nothing started: no results file.
        if wrote {
            failures.push(format!("{what}: wrote a results file"));
        }
        let flag = flag_of(case.param);
        if code != Some(2) || !stdout.is_empty() || stderr.trim_end().lines().count() != 1 {
            failures.push(format!(
                "{what}: exit {code:?}, stdout {stdout:?}, stderr {stderr:?}"
            ));
            continue;
        }
        let line = stderr.trim_end();
        match engine_error(&case.engine) {
            Some(error) => {
                let message = error.to_string();
                if error.parameter() != Some(case.param) {
                    failures.push(format!(
                        "{what}: engine names {:?}: {message}",
                        error.parameter()
                    ));
                }
                let rest = message.strip_prefix(case.param).unwrap_or(&message);
                if line != format!("error: {flag}{rest}") {
                    failures.push(format!("{what}: CLI {line:?} vs engine {message:?}"));
                }
                for word in case.mentions {
                    if !message.contains(word) {
                        failures.push(format!("{what}: {message:?} should mention {word}"));
                    }
                }
            }
            None if !line.contains(&flag) => {
                failures.push(format!("{what}: {line:?} should name {flag}"));
            }
            None => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("{} bad inputs refused", cases.len());
}
