//! The table reader: sklearn's forest on real tables read from CSV (`tests/oracles/tables/`,
//! written and fitted by `tests/oracles/generate.py`), and every refusal naming what is at fault.

#[path = "common/oracles.rs"]
mod oracles;

use coresweep::Error;
use coresweep::datasets::{Table, TableOptions, check_table_size, read_table};
use coresweep::forest::{FitControl, ForestParams};
use serde_json::Value;

fn read(csv: &str, options: &TableOptions) -> Result<Table, Error> {
    read_table("test.csv", csv.as_bytes(), options)
}

fn refusal(csv: &str, options: &TableOptions) -> String {
    read(csv, options).unwrap_err().to_string()
}

fn defaults() -> TableOptions {
    TableOptions::default()
}

/// The table's CSV read by coresweep, fitted as sklearn fitted it in the oracle, compared tree
/// for tree: node counts and the out-of-bag score exactly.
fn same_forest_as_sklearn(name: &str) {
    let oracle = oracles::load(&format!("tables/{name}.json"));
    let path = format!("{}/{}", oracles::ORACLES, oracle["csv"].as_str().unwrap());
    let file = std::fs::File::open(&path).unwrap();
    let table = read_table(&format!("{name}.csv"), file, &defaults()).unwrap();

    assert_eq!(table.info.sha256, oracle["csv_sha256"].as_str().unwrap());
    assert_eq!(table.info.bytes, std::fs::metadata(&path).unwrap().len());
    assert_eq!(table.info.n_rows as u64, oracle["n_rows"].as_u64().unwrap());
    assert_eq!(
        table.info.n_features as u64,
        oracle["n_features"].as_u64().unwrap()
    );
    assert_eq!(table.info.target, oracle["target"].as_str().unwrap());
    let classes = oracle["classes"].as_array().unwrap();
    assert_eq!(table.info.classes.len(), classes.len());
    for (ours, theirs) in table.info.classes.iter().zip(classes) {
        match theirs {
            Value::String(text) => assert_eq!(ours, text),
            number => assert_eq!(ours.parse::<f64>().ok(), number.as_f64()),
        }
    }

    let params = ForestParams {
        n_estimators: oracle["forest"]["n_estimators"].as_u64().unwrap() as usize,
        random_state: oracle["forest"]["random_state"].as_u64().unwrap() as u32,
        ..ForestParams::default()
    };
    let forest = params
        .check()
        .unwrap()
        .fit(&table.x, &table.y, &FitControl::default())
        .unwrap();
    let nodes: Vec<u64> = forest
        .trees()
        .iter()
        .map(|t| t.node_count() as u64)
        .collect();
    assert_eq!(nodes, oracles::as_u64s(&oracle["node_counts"]), "{name}");
    assert_eq!(
        forest.oob_accuracy(&table.x, &table.y),
        oracle["oob_score"].as_f64(),
        "{name}"
    );
}

#[test]
fn breast_cancer_forest_is_sklearns() {
    same_forest_as_sklearn("breast_cancer");
}

#[test]
fn wine_forest_is_sklearns() {
    same_forest_as_sklearn("wine");
}

#[test]
fn digits_forest_is_sklearns() {
    same_forest_as_sklearn("digits");
}

#[test]
fn reads_delimiters_quotes_labels_and_dropped_columns() {
    let csv = "\u{feff}\"name; id\";w;\"kind\"\r\nx;1.5;10\r\n\r\ny; 2 ;9\r\nz;-0.5e1;10\r\n";
    let options = TableOptions {
        drop: vec!["name; id".into()],
        ..defaults()
    };
    let table = read(csv, &options).unwrap();
    assert_eq!(table.info.features, ["w"]);
    assert_eq!(table.info.target, "kind");
    // Numbers sort by value: 9 before 10.
    assert_eq!(table.info.classes, ["9", "10"]);
    assert_eq!(table.info.class_counts, [1, 2]);
    assert_eq!(table.y, [1, 0, 1]);
    assert_eq!(table.smallest_class_count(), 1);

    let tab = read("a\tb\tc\n1\t2\tyes\n3\t4\tno\n", &defaults()).unwrap();
    assert_eq!((tab.info.n_rows, tab.info.n_features), (2, 2));
    assert_eq!(tab.info.classes, ["no", "yes"]);

    let by_name = TableOptions {
        target: Some("a".into()),
        delimiter: Some(b','),
        ..defaults()
    };
    let first = read("a,b\nu,1\nv,2\n", &by_name).unwrap();
    assert_eq!(first.info.features, ["b"]);
    assert_eq!(first.y, [0, 1]);
}

#[test]
fn the_hash_covers_every_byte() {
    let csv = "a,b\n1,x\n2,y\n";
    let info = read(csv, &defaults()).unwrap().info;
    // printf 'a,b\n1,x\n2,y\n' | sha256sum
    assert_eq!(
        info.sha256,
        "15920f3fb7c051cc15fceee84432e8803a139a9b53a4ea832c37bf1109e200cf"
    );
    assert_eq!(info.bytes, csv.len() as u64);
}

#[test]
fn refusals_name_the_row_column_or_option() {
    let cases: Vec<(&str, TableOptions, &str)> = vec![
        ("", defaults(), "data: row 1: the file is empty"),
        ("a,b\n", defaults(), "data: row 2: no data rows"),
        (
            "a,b,c\n1,2,x\n3,4\n",
            defaults(),
            "data: row 3 has 2 fields, the header row has 3",
        ),
        (
            "a,b\n1,x\n,y\n",
            defaults(),
            "data: row 3, column \"a\": missing value (\"\")",
        ),
        (
            "a,b\n1,x\nNA,y\n",
            defaults(),
            "data: row 3, column \"a\": missing value (\"NA\")",
        ),
        (
            "a,b\n1,x\nnan,y\n",
            defaults(),
            "data: row 3, column \"a\": missing value",
        ),
        (
            "a,b\n1,x\n2,\n",
            defaults(),
            "data: row 3, column \"b\": missing value",
        ),
        (
            "a,b,c\n1,,x\n2,,y\n",
            defaults(),
            "data: column \"b\" is empty",
        ),
        (
            "a,b\n1,x\nred,y\n",
            defaults(),
            "data: row 3, column \"a\": \"red\" is not a number",
        ),
        (
            "a,b\ninf,x\n1,y\n",
            defaults(),
            "data: row 2, column \"a\": \"inf\" is not finite in float32",
        ),
        (
            "a,b\n1e39,x\n1,y\n",
            defaults(),
            "data: row 2, column \"a\": \"1e39\" is not finite",
        ),
        (
            "a,b\n1,x\n2,\u{0}\n",
            defaults(),
            "data: row 3, column \"b\": is not text",
        ),
        (
            "a,a\n1,x\n",
            defaults(),
            "data: row 1: columns 1 and 2 are both named \"a\"",
        ),
        (
            "a,,b\n1,2,x\n",
            defaults(),
            "data: row 1, column 2 has no name",
        ),
        (
            "y\nx\n",
            defaults(),
            "data: no feature column: besides the target column \"y\"",
        ),
        (
            "a,b\n1,x\n2,x\n",
            defaults(),
            "target: column \"b\" has one class only (\"x\")",
        ),
        (
            "a,b\n1,x\n",
            TableOptions {
                target: Some("c".into()),
                ..defaults()
            },
            "target: no column is named \"c\" in the header row",
        ),
        (
            "a,b\n1,x\n",
            TableOptions {
                drop: vec!["c".into()],
                ..defaults()
            },
            "drop: no column is named \"c\"",
        ),
        (
            "a,b\n1,x\n",
            TableOptions {
                drop: vec!["b".into()],
                ..defaults()
            },
            "drop: \"b\" is the target column",
        ),
        (
            "a,b\n1,x\n",
            TableOptions {
                delimiter: Some(b'|'),
                ..defaults()
            },
            "delimiter: '|' is not one of comma, semicolon, tab",
        ),
    ];
    for (csv, options, expected) in cases {
        let message = refusal(csv, &options);
        assert!(message.starts_with(expected), "{csv:?}: {message}");
    }
    let long = format!("a,b\n{},x\n", "7x".repeat(50_000));
    assert_eq!(
        refusal(&long, &defaults()),
        format!(
            "data: row 2, column \"a\": \"{}\"… is not a number: features must be numeric; drop the column (drop) if it is not a feature",
            "7x".repeat(20)
        )
    );
    let binary: &[u8] = b"a,b\n\xff\xfe\x00\x01,x\n";
    let message = read_table("t.bin", binary, &defaults())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("data: row 2, column \"a\": is not text"),
        "{message}"
    );
}

#[test]
fn a_file_above_the_limit_is_refused_by_its_length() {
    assert!(check_table_size(100, 100).is_ok());
    let err = check_table_size(101, 100).unwrap_err();
    assert_eq!(err.parameter(), Some("data"));
}
