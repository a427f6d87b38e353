//! The table reader: sklearn's forest on real tables read from CSV (`tests/oracles/tables/`,
//! written and fitted by `tests/oracles/generate.py`), and every refusal naming what is at fault.
//! A table as a plan's data: sklearn's `cross_val_score` folds, the plan's checks against the
//! table, the plan's text for a worker, and the results document that records the table.

#[path = "common/oracles.rs"]
mod oracles;

use coresweep::Error;
use coresweep::chart::{ChartStyle, draw_sweep};
use coresweep::datasets::{Table, TableInfo, TableOptions, check_table_size, read_table};
use coresweep::forest::{FitControl, ForestParams};
use coresweep::plan::{Plan, Request, TableSource, Threads, Workload};
use coresweep::sweep::{Device, Experiment, Outcome, SweepDocument};
use plotters::prelude::IntoDrawingArea;
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

/// The oracle's table as a request's data, read from its file when the request is checked.
fn oracle_source(name: &str) -> TableSource {
    let path = format!("{}/tables/{name}.csv", oracles::ORACLES);
    let length = std::fs::metadata(&path).unwrap().len();
    TableSource::from_reader(&format!("{name}.csv"), length, defaults(), move || {
        std::fs::File::open(&path)
    })
}

/// A request of `workload` on the oracle's table with the oracle's forest (sklearn's defaults,
/// 20 trees, random_state=0) and sklearn's `cv=5`.
fn oracle_request(name: &str, workload: Workload) -> Request {
    let mut request = Request::for_workload(workload);
    request.params.forest = ForestParams {
        n_estimators: 20,
        random_state: 0,
        ..ForestParams::default()
    };
    request.params.model_selection.cv = 5;
    request.params.model_selection.cv_repeats = None;
    request.data = Some(oracle_source(name));
    request
}

/// `cross_val_score(forest, X, y, cv=5)` on the table, as the plan runs it: sklearn's scores.
fn same_cross_val_score_as_sklearn(name: &str) {
    let oracle = oracles::load(&format!("tables/{name}.json"));
    assert_eq!(oracle["cv"]["n_splits"], 5);
    let plan = oracle_request(name, Workload::CrossValScore)
        .check()
        .unwrap();
    assert_eq!(plan.table().unwrap().info.sha256, oracle["csv_sha256"]);
    let experiment = Experiment::for_plan(&plan).unwrap();
    let report = experiment.run_workload(&FitControl::default()).unwrap();
    let Outcome::CrossValScore { scores } = report.outcome else {
        panic!("a cross-validation plan gives fold scores");
    };
    assert_eq!(scores, oracles::as_f64s(&oracle["cv_scores"]), "{name}");
}

#[test]
fn breast_cancer_cross_val_score_is_sklearns() {
    same_cross_val_score_as_sklearn("breast_cancer");
}

#[test]
fn wine_cross_val_score_is_sklearns() {
    same_cross_val_score_as_sklearn("wine");
}

#[test]
fn digits_cross_val_score_is_sklearns() {
    same_cross_val_score_as_sklearn("digits");
}

fn source(csv: &str) -> TableSource {
    TableSource::from_bytes("t.csv", csv.as_bytes().to_vec(), defaults())
}

/// The plan checks the forest, the folds and the grid against the table, and its size, before
/// anything is fitted; a file above the limit is refused by its length, never opened.
#[test]
fn a_plan_checks_the_table_before_any_fit() {
    let refusal = |request: Request| request.check().unwrap_err().to_string();

    let mut wide = oracle_request("wine", Workload::Fit);
    wide.params.forest.max_features = coresweep::forest::MaxFeatures::Count(14);
    assert_eq!(
        refusal(wide),
        "max_features: must be in [1, n_features] = [1, 13], got 14"
    );

    let mut grid = oracle_request("wine", Workload::GridSearch);
    grid.grid = vec![("max_features".into(), vec!["1".into(), "20".into()])];
    assert_eq!(
        refusal(grid),
        "max_features: must be in [1, n_features] = [1, 13], got 20"
    );

    // Seven rows, the rarest class has one: StratifiedKFold(2) cannot split it.
    let mut lonely = Request::for_workload(Workload::CrossValScore);
    lonely.params.model_selection.cv = 2;
    lonely.data = Some(source("a,b\n1,x\n2,x\n3,x\n4,y\n5,y\n6,y\n7,z\n"));
    assert_eq!(
        refusal(lonely.clone()),
        "cv: n_splits=2 cannot be greater than the number of members in each class (the smallest class has 1)"
    );
    // A fit of the same table needs no folds.
    lonely.workload = Workload::Fit;
    assert!(lonely.check().is_ok());

    let unopened = TableSource::from_reader("huge.csv", 2 << 30, defaults(), || {
        panic!("a file above the limit is not opened");
        #[allow(unreachable_code)]
        Ok(std::io::empty())
    });
    let huge = Request {
        data: Some(unopened),
        ..Request::default()
    };
    assert_eq!(
        refusal(huge),
        "data: too large: needs about 2048 MiB, the limit is 1024 MiB"
    );

    // The size guard counts the table's rows and features (and its copies).
    let mut tight = oracle_request("digits", Workload::Fit);
    tight.params.forest.n_estimators = 1;
    tight.memory_limit_bytes = 1 << 20;
    assert_eq!(tight.check().unwrap_err().parameter(), Some("data"));
}

/// A worker makes the same plan of its text and the file's bytes; other bytes are refused.
#[test]
fn a_plan_on_a_table_travels_as_text_with_the_bytes() {
    let csv = "a,b,kind\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n";
    let plan = Request {
        data: Some(TableSource::from_bytes(
            "t.csv",
            csv.as_bytes().to_vec(),
            TableOptions {
                drop: vec!["b".into()],
                ..defaults()
            },
        )),
        threads: Threads::Counts(vec![1, 2]),
        ..Request::default()
    }
    .check()
    .unwrap();
    let text = plan.to_json();
    assert!(!text.contains("\"dataset\""), "{text}");
    let again = Plan::from_json_with_table(&text, csv.as_bytes().to_vec()).unwrap();
    assert_eq!(again.table(), plan.table());
    assert_eq!(again.table().unwrap().info.features, ["a"]);
    assert_eq!(again.threads(), [1, 2]);
    assert_eq!(again.to_json(), text);
    // Without the bytes, the plan on the table's record: its rows must come from elsewhere.
    let record = Plan::from_json(&text).unwrap();
    assert_eq!(record.table_info(), plan.table_info());
    assert_eq!(record.table(), None);
    assert_eq!(record.to_json(), text);
    assert_eq!(
        Experiment::for_plan(&record).err().unwrap().parameter(),
        Some("data")
    );
    let other = csv.replace("4,0", "4,9");
    let err = Plan::from_json_with_table(&text, other.into_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("data: these bytes are not the planned table \"t.csv\""),
        "{err}"
    );
    let one = plan.one_fit().unwrap();
    assert_eq!((one.table(), one.threads()), (plan.table(), &[1][..]));
}

/// The page's main thread plans on the table's record alone (its worker read the file); the
/// plan's text is the one a plan on the rows writes, its document records the same table, and
/// the workers that get the text with the bytes run it. Run where it was made, it refuses.
#[test]
fn a_plan_on_a_tables_record_is_the_plan_on_its_rows() {
    let csv = "a,b,kind\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n5,5,x\n";
    let options = TableOptions {
        drop: vec!["b".into()],
        ..defaults()
    };
    let request = Request {
        workload: Workload::CrossValScore,
        threads: Threads::Counts(vec![1, 2]),
        ..Request::default()
    };
    let read = Request {
        data: Some(TableSource::from_bytes(
            "t.csv",
            csv.as_bytes().to_vec(),
            options.clone(),
        )),
        ..request.clone()
    };
    let mut folds = read.clone();
    folds.params.model_selection.cv = 2;
    let on_rows = folds.check().unwrap();
    let info = on_rows.table().unwrap().info.clone();
    let mut described = request.clone();
    described.params.model_selection.cv = 2;
    let on_record = described
        .check_on_table_info(info.clone(), options.clone())
        .unwrap();
    assert_eq!(on_record.to_json(), on_rows.to_json());
    assert_eq!(on_record.table_info(), Some(&info));
    assert_eq!(on_record.table(), None);
    let document = |plan: &Plan| {
        SweepDocument::for_plan("wasm", String::new(), Device::labelled("box"), plan).table
    };
    assert_eq!(document(&on_record), document(&on_rows));
    let err = Experiment::for_plan(&on_record).err().unwrap();
    assert_eq!(err.parameter(), Some("data"));
    let bytes = csv.as_bytes().to_vec();
    let worker = Plan::from_json_with_reader(&on_record.to_json(), bytes.len() as u64, move || {
        Ok(std::io::Cursor::new(bytes.clone()))
    })
    .unwrap();
    assert_eq!(worker.table(), on_rows.table());
    // The class counts of the record bound the folds as the rows do (the smallest class has 2).
    described.params.model_selection.cv = 3;
    assert_eq!(
        described
            .check_on_table_info(info.clone(), options.clone())
            .unwrap_err()
            .to_string(),
        "cv: n_splits=3 cannot be greater than the number of members in each class (the smallest class has 2)"
    );
    // A record no reader could have made is refused.
    let forged = TableInfo {
        class_counts: vec![1, 1],
        ..info
    };
    assert_eq!(
        request
            .check_on_table_info(forged, options)
            .unwrap_err()
            .to_string(),
        "data: table.class_counts: must be positive and add up to n_rows = 5"
    );
}

/// The document records the table (never its values), reads back, and tells whether two
/// documents were made on the same file.
#[test]
fn the_document_records_the_table() {
    let document = |csv: &str| {
        let plan = Request {
            data: Some(source(csv)),
            ..Request::default()
        }
        .check()
        .unwrap();
        SweepDocument::for_plan("native", String::new(), Device::labelled("box"), &plan)
    };
    let doc = document("a,b\n1.25,x\n2.5,y\n");
    assert_eq!(doc.dataset, None);
    let table = doc.table.as_ref().unwrap();
    assert_eq!(
        (table.name.as_str(), table.n_rows, table.classes.len()),
        ("t.csv", 2, 2)
    );
    let text = doc.to_json();
    assert!(!text.contains("1.25") && !text.contains("2.5"), "{text}");
    let read = SweepDocument::from_json(&text).unwrap();
    assert_eq!(read, doc);
    assert!(read.same_table(&doc));
    assert!(!read.same_table(&document("a,b\n1.25,x\n2.75,y\n")));
    assert_eq!(read.data_label(), format!("t.csv ({})", &table.sha256[..8]));

    // Overlaid, documents on different tables are labelled with their table; on one, not.
    let mut other = document("a,b\n1.25,x\n2.75,y\n");
    let mut mine = read.clone();
    mine.add_point(1, vec![1.0]);
    other.add_point(1, vec![2.0]);
    let legend = |docs: &[SweepDocument]| {
        let mut svg = String::new();
        {
            let root =
                plotters_svg::SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
            draw_sweep(&root, docs, &[], &ChartStyle::default()).unwrap();
            root.present().unwrap();
        }
        svg
    };
    let mixed = legend(&[mine.clone(), other.clone()]);
    assert!(
        mixed.contains(&format!("box · {}", other.data_label())),
        "{mixed}"
    );
    assert!(mixed.contains(&format!("box · {}", mine.data_label())));
    assert!(!legend(&[mine.clone(), mine]).contains("t.csv"));

    let mut both: Value = serde_json::from_str(&text).unwrap();
    both["dataset"] =
        serde_json::to_value(coresweep::datasets::ClassificationParams::blog()).unwrap();
    assert_eq!(
        SweepDocument::from_json(&both.to_string())
            .unwrap_err()
            .to_string(),
        "results file: dataset, table: expected exactly one (the data's parameters or its table)"
    );
    let mut forged: Value = serde_json::from_str(&text).unwrap();
    forged["table"]["class_counts"] = serde_json::json!([1, 5]);
    assert_eq!(
        SweepDocument::from_json(&forged.to_string())
            .unwrap_err()
            .to_string(),
        "results file: table.class_counts: must be positive and add up to n_rows = 2"
    );
}
