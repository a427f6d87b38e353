//! A dataset made once and handed over (`sweep::handover`): what the page's later sweep points
//! and the workers backend's workers fit on instead of generating or reading the data again.
//! The rows handed over give the forest and scores the engine that made them gets, and an
//! engine refuses rows made for another plan's data.

use coresweep::datasets::TableOptions;
use coresweep::plan::{Plan, Request, TableSource};
use coresweep::sweep::{Experiment, Outcome};

fn plan(fields: &[(&str, &str)]) -> Plan {
    Request::from_text(fields.iter().copied())
        .and_then(|r| r.check())
        .expect("a valid plan")
}

const SMALL: &[(&str, &str)] = &[
    ("n_samples", "300"),
    ("n_features", "8"),
    ("n_informative", "5"),
    ("n_redundant", "2"),
    ("n_estimators", "10"),
    ("random_state", "3"),
];

fn with(extra: &[(&'static str, &'static str)]) -> Plan {
    let mut fields = SMALL.to_vec();
    fields.retain(|(name, _)| !extra.iter().any(|(n, _)| n == name));
    fields.extend_from_slice(extra);
    plan(&fields)
}

/// What a run of the workload found, in comparable form.
fn outcome(experiment: &Experiment) -> String {
    match experiment.run_untimed(&()).unwrap() {
        Outcome::Fit {
            oob_accuracy,
            total_nodes,
        } => format!("{oob_accuracy:?} {total_nodes:?}"),
        Outcome::CrossValScore { scores } => format!("{scores:?}"),
        Outcome::GridSearch(search) => format!("{search:?}"),
    }
}

#[test]
fn the_rows_handed_over_give_the_forest_and_scores_of_the_engine_that_made_them() {
    for plan in [
        with(&[]),
        with(&[("threads", "1,2"), ("n_estimators", "7")]),
        with(&[
            ("workload", "cross_val_score"),
            ("cv", "3"),
            ("cv_repeats", "1"),
        ]),
    ] {
        let made = Experiment::for_plan(&plan).unwrap();
        let bytes = made.data_bytes(&plan);
        let handed = Experiment::for_plan_on_data(&plan, &bytes).unwrap();
        assert_eq!(handed.data(), made.data());
        assert_eq!(outcome(&handed), outcome(&made));
        // Read from the plan's text, as a page's worker reads it.
        let text = Plan::from_json(&plan.to_json()).unwrap();
        assert_eq!(
            outcome(&Experiment::for_plan_on_data(&text, &bytes).unwrap()),
            outcome(&made)
        );
    }
}

#[test]
fn the_same_data_under_another_forest_or_workload_is_accepted() {
    let bytes = Experiment::for_plan(&with(&[]))
        .unwrap()
        .data_bytes(&with(&[]));
    for other in [
        with(&[("n_estimators", "3"), ("max_features", "2")]),
        with(&[("threads", "2"), ("repeats", "3")]),
        with(&[
            ("workload", "cross_val_score"),
            ("cv", "3"),
            ("cv_repeats", "1"),
        ]),
    ] {
        assert!(Experiment::for_plan_on_data(&other, &bytes).is_ok());
    }
}

#[test]
fn rows_made_for_other_data_are_refused_naming_data() {
    let plan = with(&[]);
    let bytes = Experiment::for_plan(&plan).unwrap().data_bytes(&plan);
    let refused = |other: &Plan, bytes: &[u8]| {
        let error = Experiment::for_plan_on_data(other, bytes)
            .err()
            .expect("refused");
        assert_eq!(error.parameter(), Some("data"));
        error.to_string()
    };
    // Same shape, other rows: another seed, or another generator parameter.
    for other in [
        with(&[("random_state", "4")]),
        with(&[("flip_y", "0.05")]),
        with(&[("class_sep", "0.5")]),
    ] {
        assert_eq!(
            refused(&other, &bytes),
            "data: the dataset handed over was made for other data than the plan's (its digest differs)"
        );
    }
    assert_eq!(
        refused(&with(&[("n_samples", "200")]), &bytes),
        "data: the dataset handed over is 300 × 8, the plan's is 200 × 8"
    );
    for cut in [0, 39, 40, bytes.len() - 1] {
        assert!(
            refused(&plan, &bytes[..cut])
                .starts_with("data: the bytes handed over are not a dataset"),
            "{cut}"
        );
    }
}

#[test]
fn a_tables_rows_are_handed_over_under_its_sha256() {
    let csv = "a,b,kind\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n5,5,x\n6,1,y\n";
    let on_table = |csv: &str| {
        Request {
            data: Some(TableSource::from_bytes(
                "t.csv",
                csv.as_bytes().to_vec(),
                TableOptions::default(),
            )),
            ..Request::from_text([("n_estimators", "5")]).unwrap()
        }
        .check()
        .unwrap()
    };
    let read = on_table(csv);
    let made = Experiment::for_plan(&read).unwrap();
    let bytes = made.data_bytes(&read);
    // A worker gets the plan's text without the file: the plan on the table's record.
    let record = Plan::from_json(&read.to_json()).unwrap();
    assert_eq!(record.table(), None);
    let handed = Experiment::for_plan_on_data(&record, &bytes).unwrap();
    assert_eq!(outcome(&handed), outcome(&made));
    // The same shape from another file: refused.
    let other = on_table(&csv.replace("6,1", "6,2"));
    let error = Experiment::for_plan_on_data(&other, &bytes)
        .err()
        .expect("refused");
    assert_eq!(error.parameter(), Some("data"));
}
