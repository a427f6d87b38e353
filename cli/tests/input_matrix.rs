//! The input matrix: every parameter of the dataset, the forest and the sweep, given a bad
//! value (out of range, NaN, infinity, empty, not a number, inconsistent with another one), is
//! refused naming the parameter, in the same words on both faces, before anything runs. The
//! rows are tests/input_cases.json, which the page's test (tests/browser/input.test.mjs) reads
//! too, so the page, the engine and the CLI cannot drift apart:
//!
//! - the page's path: the text goes through `plan::Request::from_text` and `check`, what the
//!   page's `check_experiment` calls (on the row's `data` table, if any, as the page's
//!   `check_experiment_on_table` does), and must give exactly the row's message (or value);
//! - the CLI: `coresweep fit` (or the row's command) must exit 2 with one line, `error: `, the
//!   flag and the same words, and leave no results file behind; an accepted value must run.

use coresweep::Error;
use coresweep::datasets::TableOptions;
use coresweep::plan::{Plan, Request, TableSource};
use serde_json::{Map, Value};
use std::process::Command;

fn table() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/input_cases.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// One row: the values typed (base, then `with`, then the parameter itself) and the verdict.
struct Case {
    /// The row as typed, for messages: `fit n_features="70" n_informative="80"`.
    label: String,
    values: Vec<(String, String)>,
    command: String,
    /// A table of the repository the values are typed beside (`--data`), if any.
    data: Option<String>,
    page: bool,
    cli: bool,
    verdict: Result<Value, String>,
}

fn cases(table: &Value) -> Vec<Case> {
    let text = |value: &Value| value.as_str().unwrap().to_owned();
    let pairs = |object: &Value| -> Vec<(String, String)> {
        object
            .as_object()
            .map(Map::iter)
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.clone(), text(value)))
            .collect()
    };
    table["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let command = row["command"].as_str().unwrap_or("fit").to_owned();
            let typed: Vec<(String, String)> = pairs(&row["with"])
                .into_iter()
                .chain([(text(&row["param"]), text(&row["value"]))])
                .collect();
            let label = typed.iter().fold(command.clone(), |label, (k, v)| {
                format!("{label} {k}={v:?}")
            });
            let mut values = pairs(&table["base"]);
            for (key, value) in typed {
                values.retain(|(k, _)| *k != key);
                values.push((key, value));
            }
            Case {
                label,
                values,
                command,
                data: row["data"].as_str().map(repository_file),
                page: row["page"] != false,
                cli: row["cli"] != false,
                verdict: match row.get("message") {
                    Some(message) => Err(text(message)),
                    None => Ok(row["accepted"].clone()),
                },
            }
        })
        .collect()
}

/// The absolute path of `path`, relative to the repository's root.
fn repository_file(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

/// sklearn's name the message starts with.
fn named(message: &str) -> &str {
    message.split(':').next().unwrap_or_default()
}

/// The value the engine settled on for the row's parameter.
fn settled(plan: &Plan, param: &str) -> Value {
    match param {
        "threads" => serde_json::json!(plan.threads()),
        "repeats" => serde_json::json!(plan.repeats()),
        "cv" => serde_json::json!(plan.model_selection().cv),
        "cv_repeats" => serde_json::json!(plan.model_selection().cv_repeats),
        "parallel" => serde_json::json!(plan.parallel().name()),
        "workload" => serde_json::json!(plan.workload().name()),
        _ => {
            let dataset = serde_json::to_value(plan.dataset().unwrap().params()).unwrap();
            let forest = serde_json::to_value(plan.forest().params()).unwrap();
            dataset.get(param).or(forest.get(param)).cloned().unwrap()
        }
    }
}

/// JSON values equal as the page sees them (5 and 5.0 are one number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        _ => a == b,
    }
}

/// The page's name of the workload of a CLI command.
fn workload(command: &str) -> &'static str {
    match command {
        "cross-val" => "cross_val_score",
        "grid-search" => "grid_search",
        _ => "fit",
    }
}

/// The page's verdict on a case, or what is wrong with it.
fn check_page(case: &Case) -> Result<(), String> {
    let fields = case.values.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let result = Request::from_text(fields.chain([("workload", workload(&case.command))]))
        .and_then(|request| {
            let data = case.data.as_ref().map(|path| {
                let bytes = std::fs::read(path).unwrap();
                TableSource::from_bytes(path, bytes, TableOptions::default())
            });
            Request { data, ..request }.check()
        });
    let (param, _) = case.values.last().unwrap();
    match (&case.verdict, result) {
        (Err(message), Err(error)) => {
            let named_by = Error::parameter(&error);
            if error.to_string() != *message || named_by != Some(named(message)) {
                return Err(format!("page: {error:?}, expected {message:?}"));
            }
            Ok(())
        }
        (Ok(value), Ok(plan)) if same(&settled(&plan, param), value) => Ok(()),
        (Ok(value), Ok(plan)) => Err(format!(
            "page: settled on {}, expected {value}",
            settled(&plan, param)
        )),
        (Err(message), Ok(_)) => Err(format!("page: accepted, expected {message:?}")),
        (Ok(_), Err(error)) => Err(format!("page: refused with {error}")),
    }
}

fn flag(param: &str) -> String {
    format!("--{}", param.replace('_', "-"))
}

/// The case through the CLI, or what is wrong with it.
fn check_cli(case: &Case) -> Result<(), String> {
    let mut args = vec![case.command.clone(), "--quiet".to_owned()];
    let given = |name: &str| case.values.iter().any(|(k, _)| k == name);
    // The smallest run: one thread, one fit.
    if !given("threads") {
        args.push("--threads=1".to_owned());
    }
    if case.command == "sweep" && !given("repeats") {
        args.push("--repeats=1".to_owned());
    }
    if let Some(path) = &case.data {
        args.push(format!("--data={path}"));
    }
    // `--flag=value` keeps empty values and values starting with '-' as values.
    args.extend(case.values.iter().map(|(k, v)| format!("{}={v}", flag(k))));
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
    let stderr = String::from_utf8_lossy(&output.stderr);
    match &case.verdict {
        Ok(_) if output.status.success() => Ok(()),
        Ok(_) => Err(format!("CLI refused: {stderr}")),
        Err(message) => {
            let rest = &message[named(message).len()..];
            let line = format!("error: {}{rest}", flag(named(message)));
            if output.status.code() != Some(2)
                || !output.stdout.is_empty()
                || stderr.trim_end() != line
            {
                return Err(format!(
                    "CLI exit {:?}, stderr {stderr:?}, expected {line:?}",
                    output.status.code()
                ));
            }
            if wrote {
                return Err("CLI wrote a results file".to_owned());
            }
            Ok(())
        }
    }
}

#[test]
fn every_bad_parameter_is_refused_by_the_page_and_the_cli_in_the_same_words() {
    let table = table();
    let cases = cases(&table);
    let mut failures = Vec::new();
    let mut page_rows = 0;
    for case in &cases {
        // The page's own keys are read by web/, not the engine: web/tests/web.rs checks
        // those rows through the page's `check_experiment`.
        let page_keys = ["hardware_concurrency", "device_memory"];
        if case.page
            && !case
                .values
                .iter()
                .any(|(k, _)| page_keys.contains(&k.as_str()))
        {
            page_rows += 1;
            if let Err(problem) = check_page(case) {
                failures.push(format!("{}: {problem}", case.label));
            }
        }
        if case.cli
            && let Err(problem) = check_cli(case)
        {
            failures.push(format!("{}: {problem}", case.label));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems in {} rows:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} rows through the CLI, {page_rows} through the page's readers",
        cases.iter().filter(|case| case.cli).count()
    );
}

/// The flags of `coresweep <command>` that set a parameter of the experiment, as sklearn's
/// names, read from the command's `--help` (outputs and switches left out).
///
/// `--like` names a results file, refused naming its flag as `--compare`'s are (cli/tests/cli.rs).
/// The table's flags (`--data`, `--target`, `--drop`, `--delimiter`) are not parameters of
/// this table's scheme either: its rows type a value on top of make_classification's `base`,
/// which `--data` refuses; their text is a file, column names or a delimiter, each refused
/// naming its flag in cli/tests/data.rs.
fn cli_params(command: &str) -> Vec<String> {
    const NOT_PARAMETERS: [&str; 13] = [
        "help",
        "quiet",
        "json",
        "output",
        "svg",
        "compare",
        "like",
        "dark",
        "label",
        "data",
        "target",
        "drop",
        "delimiter",
    ];
    let help = Command::new(env!("CARGO_BIN_EXE_coresweep"))
        .args([command, "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let mut params: Vec<String> = help
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("--"))
        .map(|flag| flag.trim_end_matches([',', '=']).replace('-', "_"))
        .filter(|name| !name.is_empty() && !NOT_PARAMETERS.contains(&name.as_str()))
        .collect();
    params.sort();
    params.dedup();
    params
}

/// Each special value of the issue is in the table for every parameter the page has and every
/// parameter flag of the CLI's `fit`, `cross-val`, `grid-search` and `sweep`, so a parameter
/// added to either face without its rows is noticed.
#[test]
fn the_table_covers_nan_infinity_empty_and_non_numbers_for_every_parameter() {
    let table = table();
    let rows = table["cases"].as_array().unwrap();
    let mut params: Vec<String> = ["fit", "cross-val", "grid-search", "sweep"]
        .into_iter()
        .flat_map(cli_params)
        .collect();
    params.sort();
    params.dedup();
    // The page's parameters are the CLI's, with the same names.
    let page_params = table["page_params"].as_array().unwrap();
    let page_only: Vec<&Value> = page_params
        .iter()
        .filter(|param| !params.iter().any(|p| *param == p.as_str()))
        .collect();
    assert!(page_only.is_empty(), "no CLI flag for {page_only:?}");
    let mut missing = Vec::new();
    for param in &params {
        for value in ["NaN", "inf", "-inf", "", "abc", "1e999", "0x10", " 5 "] {
            if !rows
                .iter()
                .any(|row| row["param"] == param.as_str() && row["value"] == value)
            {
                missing.push(format!("{param}={value:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "no row for {}", missing.join(", "));
}

/// Every parameter of sklearn's the engine refuses as not supported yet has its row (refused
/// by both faces in the same words), so a name added to the list without a face is noticed.
#[test]
fn every_parameter_not_supported_yet_has_a_row() {
    let table = table();
    let rows = table["cases"].as_array().unwrap();
    let missing: Vec<&str> = coresweep::registry::NOT_SUPPORTED
        .iter()
        .copied()
        .filter(|name| {
            !rows.iter().any(|row| {
                row["param"] == *name
                    && row["message"]
                        .as_str()
                        .is_some_and(|m| m.starts_with(&format!("{name}: not supported yet")))
            })
        })
        .collect();
    assert!(missing.is_empty(), "no row for {missing:?}");
}
