//! The JS-facing API (web/src/) in headless Chromium, inside a dedicated worker with the
//! threaded module, as the page's sweep worker uses it. Run with `npm run test:wasm`
//! (scripts/test-wasm.sh: wasm-bindgen-test-runner + Debian's chromedriver).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;

use coresweep::datasets::ClassificationParams;
use coresweep::plan::Request;
use coresweep::sweep::{self, Quality};
use coresweep_web::{
    Experiment, Plan, ResultsDocument, check_experiment, init_thread_pool, parameters,
};
use js_sys::{Atomics, Int32Array, JSON, Object, Reflect, Uint8Array, WebAssembly};
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn to_js(value: &Value) -> JsValue {
    JSON::parse(&value.to_string()).unwrap()
}

fn to_json(value: &JsValue) -> Value {
    serde_json::from_str(&String::from(JSON::stringify(value).unwrap())).unwrap()
}

/// Starts the worker's rayon pool of 2 threads, once: the tests share one worker, whose
/// global pool can start only once.
async fn pool_of_two() {
    thread_local!(static STARTED: Cell<bool> = const { Cell::new(false) });
    if !STARTED.get() {
        JsFuture::from(init_thread_pool(2)).await.unwrap();
        STARTED.set(true);
    }
}

/// The thrown error's message and `param` property.
fn error_parts(error: &JsValue) -> (String, Option<String>) {
    let message = Reflect::get(error, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    let param = Reflect::get(error, &"param".into()).unwrap().as_string();
    (message, param)
}

/// What the page reads of a plan: its getters, as one JSON object.
fn view(plan: &Plan) -> Value {
    json!({
        "dataset": to_json(&plan.dataset().unwrap()),
        "forest": to_json(&plan.forest().unwrap()),
        "threads": to_json(&plan.threads().unwrap()),
        "repeats": plan.repeats(),
        "estimate": to_json(&plan.estimate().unwrap()),
    })
}

/// A small experiment, with values as strings the way the page's form sends them.
fn small_plan() -> Plan {
    let params = json!({
        "n_samples": "300", "n_features": "8", "n_informative": "4", "n_redundant": "2",
        "n_estimators": "20", "random_state": "3", "threads": "1,2", "repeats": "2",
        "hardware_concurrency": 2,
    });
    check_experiment(&to_js(&params)).unwrap()
}

#[wasm_bindgen_test]
fn check_experiment_names_the_parameter_at_fault() {
    for (param, value) in [
        ("n_informative", json!("0")),
        ("n_samples", json!("many")),
        ("n_estimators", json!(-3)),
        ("max_features", json!("cubic")),
        // More features per split than the blog dataset's 70 columns.
        ("max_features", json!("71")),
        ("max_depth", json!("0")),
        ("bootstrap", json!("maybe")),
        ("threads", json!("0")),
        ("repeats", json!("0")),
    ] {
        let error = check_experiment(&to_js(&json!({ param: value }))).unwrap_err();
        let (message, named) = error_parts(&error);
        assert_eq!(
            named.as_deref(),
            Some(param),
            "{param} = {value}: {message}"
        );
        assert!(message.starts_with(param), "{param} = {value}: {message}");
    }
}

/// The input matrix (tests/input_cases.json, the truth both faces are held to): every row the
/// page can type, its own keys (`hardware_concurrency`, `device_memory`) included, is refused
/// by `check_experiment` with exactly the row's message, or accepted (cli/tests/input_matrix.rs
/// checks the CLI and the engine's readers on the same rows).
#[wasm_bindgen_test]
fn check_experiment_refuses_each_input_case_in_its_words() {
    let table: Value = serde_json::from_str(include_str!("../../tests/input_cases.json")).unwrap();
    let mut differing = Vec::new();
    let rows = table["cases"].as_array().unwrap();
    let page_rows = rows
        .iter()
        .filter(|row| row["page"] != false && row.get("data").is_none());
    let mut checked = 0;
    for row in page_rows {
        let mut values = table["base"].as_object().unwrap().clone();
        if let Some(with) = row["with"].as_object() {
            values.extend(with.clone());
        }
        let param = row["param"].as_str().unwrap();
        values.insert(param.to_owned(), row["value"].clone());
        let workload = match row["command"].as_str() {
            Some("cross-val") => "cross_val_score",
            Some("grid-search") => "grid_search",
            _ => "fit",
        };
        // The row's command is the page's workload, unless the row types one itself.
        values.entry("workload").or_insert_with(|| json!(workload));
        let result = check_experiment(&to_js(&Value::Object(values.clone())));
        let verdict = match (&row["message"], result) {
            (Value::String(expected), Err(error)) => {
                let (message, named) = error_parts(&error);
                let name = expected.split(':').next();
                (message == *expected && named.as_deref() == name)
                    .then_some(())
                    .ok_or(format!(
                        "{message:?} naming {named:?}, expected {expected:?}"
                    ))
            }
            (Value::String(expected), Ok(_)) => Err(format!("accepted, expected {expected:?}")),
            (_, Err(error)) => Err(format!("refused with {:?}", error_parts(&error).0)),
            (_, Ok(_)) => Ok(()),
        };
        if let Err(problem) = verdict {
            differing.push(format!("{}: {problem}", Value::Object(values)));
        }
        checked += 1;
    }
    assert!(checked > 300, "only {checked} rows");
    assert!(differing.is_empty(), "{}", differing.join("\n"));
}

#[wasm_bindgen_test]
fn check_experiment_says_what_a_value_should_be() {
    let message = |params: Value| error_parts(&check_experiment(&to_js(&params)).unwrap_err()).0;
    assert_eq!(
        message(json!({"n_samples": "many"})),
        r#"n_samples: expected a whole number (0 or more), got "many""#
    );
    assert_eq!(
        message(json!({"n_estimators": ""})),
        r#"n_estimators: expected a whole number (0 or more), got """#
    );
    assert_eq!(
        message(json!({"flip_y": "x"})),
        r#"flip_y: expected a number, got "x""#
    );
}

#[wasm_bindgen_test]
fn check_experiment_refuses_what_cannot_fit_in_wasm_memory_and_warns_of_long_runs() {
    // 200000 rows of the blog: the data fits, 500 trees at their worst do not (a message, not
    // an out-of-memory trap in the worker).
    let error = check_experiment(&to_js(&json!({ "n_samples": "200000" }))).unwrap_err();
    let (message, param) = error_parts(&error);
    assert_eq!(param.as_deref(), Some("n_estimators"));
    assert!(
        message.starts_with("n_estimators: too large: needs about "),
        "{message}"
    );
    assert!(message.ends_with("the limit is 1024 MiB"), "{message}");

    // 40000 rows (about 220 MiB) fit in wasm, not in half of a phone of 0.25 GiB
    // (navigator.deviceMemory); a device of 8 GiB leaves wasm's cap as the limit.
    let phone = |gib: f64| {
        check_experiment(&to_js(
            &json!({ "n_samples": "40000", "device_memory": gib }),
        ))
    };
    let (message, param) = error_parts(&phone(0.25).unwrap_err());
    assert_eq!(param.as_deref(), Some("n_estimators"));
    assert!(message.ends_with("the limit is 128 MiB"), "{message}");
    assert!(phone(8.0).is_ok());

    let plan = view(&check_experiment(&to_js(&json!({ "n_samples": "100000" }))).unwrap());
    let estimate = &plan["estimate"];
    assert!(
        estimate["memory_bytes"].as_u64().unwrap() < 1 << 30,
        "{estimate}"
    );
    assert!(
        estimate["fit_seconds"].as_f64().unwrap() > 0.0,
        "{estimate}"
    );
    assert!(
        estimate["warning"].as_str().unwrap().contains("minutes"),
        "{estimate}"
    );
    assert_eq!(view(&small_plan())["estimate"]["warning"], Value::Null);
}

#[wasm_bindgen_test]
fn check_experiment_reads_form_strings_and_fills_in_the_blog_experiment() {
    let params = json!({
        "n_samples": "2000", "n_estimators": "50", "max_depth": "None", "max_features": "0.5",
        "bootstrap": "false", "weights": "0.3,0.7", "shift": "random", "random_state": "7",
        "threads": "1,2", "repeats": "3", "hardware_concurrency": 2, "autorun": "1",
    });
    let plan = view(&check_experiment(&to_js(&params)).unwrap());
    let (dataset, forest) = (&plan["dataset"], &plan["forest"]);
    assert_eq!(dataset["n_samples"], 2000);
    assert_eq!(
        (&dataset["n_features"], &dataset["n_informative"]),
        (&json!(70), &json!(65))
    );
    assert_eq!(dataset["weights"], json!([0.3, 0.7]));
    assert_eq!(dataset["shift"], "random");
    assert_eq!(forest["n_estimators"], 50);
    assert_eq!(forest["max_depth"], Value::Null);
    assert_eq!(forest["max_features"], 0.5);
    assert_eq!(forest["bootstrap"], false);
    assert_eq!(
        (&dataset["random_state"], &forest["random_state"]),
        (&json!(7), &json!(7))
    );
    assert_eq!(plan["threads"], json!([1, 2]));
    assert_eq!(plan["repeats"], 3);

    let all = view(
        &check_experiment(&to_js(
            &json!({"threads": "all", "hardware_concurrency": "3"}),
        ))
        .unwrap(),
    );
    assert_eq!(all["threads"], json!([1, 2, 3]));
    // An int and a float of the same value mean different things, as in sklearn: 1 feature
    // per split, or all of them. JS numbers lose the ".0", so workers get the plan as its
    // exact text, which keeps it through a round trip.
    let max_features = |text: &str| {
        let plan = check_experiment(&to_js(&json!({ "max_features": text }))).unwrap();
        let back = Plan::from_json(&plan.to_json()).unwrap().to_json();
        assert_eq!(back, plan.to_json());
        let exact: Value = serde_json::from_str(&back).unwrap();
        exact["forest"]["max_features"].clone()
    };
    assert!(max_features("1").is_u64());
    assert_eq!(max_features("1"), 1);
    assert!(max_features("1.0").is_f64());
    assert_eq!(max_features("1.0"), 1.0);
    assert_eq!(max_features("0.5"), 0.5);
}

#[wasm_bindgen_test]
fn experiment_refuses_bad_parameters_naming_them() {
    // A worker makes its plan again from the text it was posted: a tampered one is refused.
    let mut text: Value = serde_json::from_str(&small_plan().to_json()).unwrap();
    text["dataset"]["n_informative"] = json!(0);
    let error = Plan::from_json(&text.to_string()).err().unwrap();
    assert_eq!(error_parts(&error).1.as_deref(), Some("n_informative"));
}

/// A later sweep point fits on the dataset the first one made (`data_bytes` → `on_data`):
/// the same forest as the native engine's; another plan's data is refused, naming `data`.
#[wasm_bindgen_test]
fn a_later_point_fits_on_the_dataset_the_first_one_made() {
    let plan = Plan::from_json(&small_plan().to_json()).unwrap();
    let first = Experiment::new(&plan).unwrap();
    assert!(!first.data_handed());
    let bytes = first.data_bytes();
    let mut later = Experiment::on_data(&plan, &bytes).unwrap();
    assert!(later.data_handed());
    later.fit().unwrap();
    let quality = to_json(&later.quality().unwrap());
    assert_eq!(quality["total_nodes"], 1132);
    assert_eq!(quality["oob_accuracy"], 272.0 / 300.0);
    let mut text: Value = serde_json::from_str(&small_plan().to_json()).unwrap();
    text["dataset"]["random_state"] = json!(4);
    let other = Plan::from_json(&text.to_string()).unwrap();
    let error = Experiment::on_data(&other, &bytes).err().unwrap();
    assert_eq!(error_parts(&error).1.as_deref(), Some("data"));
}

#[wasm_bindgen_test]
async fn experiment_fits_on_a_pool_of_two_threads_and_counts_its_trees() {
    pool_of_two().await;
    assert_eq!(rayon::current_num_threads(), 2);
    let plan = Plan::from_json(&small_plan().to_json()).unwrap();
    let mut experiment = Experiment::new(&plan).unwrap();
    assert!(
        experiment.quality().is_err(),
        "no quality before the first fit"
    );

    experiment.fit().unwrap();
    // Read the counter the way the page does: Atomics.load on the shared memory.
    let memory: WebAssembly::Memory = wasm_bindgen::memory().dyn_into().unwrap();
    let words = Int32Array::new(&memory.buffer());
    let trees_done = Atomics::load(&words, (experiment.progress_ptr() / 4) as u32).unwrap();
    assert_eq!(trees_done, 20);

    let first = to_json(&experiment.quality().unwrap());
    // The native engine's figures for this experiment at 1, 2 and 4 threads
    // (tests/determinism.rs): the page grows the CLI's forest.
    assert_eq!(first["total_nodes"], 1132);
    assert_eq!(first["oob_accuracy"], 272.0 / 300.0);
    // Each tree has its own seed: a second fit (other thread interleaving) grows the same forest.
    experiment.fit().unwrap();
    assert_eq!(to_json(&experiment.quality().unwrap()), first);

    // Cancel the way the page does: one byte stored in the shared memory.
    let bytes = Uint8Array::new(&memory.buffer());
    Atomics::store(&bytes, experiment.cancel_ptr() as u32, 1).unwrap();
    let (message, param) = error_parts(&experiment.fit().unwrap_err());
    assert_eq!((message.as_str(), param), ("cancelled", None));
}

#[wasm_bindgen_test]
async fn experiment_runs_a_cross_validation_and_a_grid_search_with_their_quality() {
    pool_of_two().await;
    let memory: WebAssembly::Memory = wasm_bindgen::memory().dyn_into().unwrap();
    let small = [("n_samples", "200"), ("n_estimators", "5"), ("cv", "3")];
    for (workload, grid) in [("cross_val_score", None), ("grid_search", Some("1,2"))] {
        let mut fields = vec![("workload", workload), ("threads", "2")];
        fields.extend(small);
        fields.extend(grid.map(|values| ("grid_max_features", values)));
        let request = Request::from_text(fields.iter().copied()).unwrap();
        let native_plan = request.check().unwrap();
        let object = Object::new();
        for (name, value) in &fields {
            Reflect::set(&object, &(*name).into(), &(*value).into()).unwrap();
        }
        let plan = check_experiment(&object).unwrap();
        assert_eq!(plan.workload(), workload);
        assert_eq!(plan.workload_trees(), native_plan.workload_trees());
        let mut experiment = Experiment::new(&Plan::from_json(&plan.to_json()).unwrap()).unwrap();
        assert!(
            experiment.workload_quality().is_err(),
            "no quality before a run"
        );
        experiment.run_workload().unwrap();
        // The page's progress: every tree of every fold's forest (and the refit).
        let words = Int32Array::new(&memory.buffer());
        let trees_done = Atomics::load(&words, (experiment.progress_ptr() / 4) as u32).unwrap();
        assert_eq!(trees_done as usize, plan.workload_trees());
        // The quality the engine records natively for the same plan.
        let outcome = sweep::Experiment::for_plan(&native_plan)
            .unwrap()
            .run_untimed(&())
            .unwrap();
        let mut native = Quality::default();
        native.record(&outcome, &native_plan);
        let quality = experiment.workload_quality().unwrap();
        assert_eq!(quality, serde_json::to_string(&native).unwrap());
        let device = json!({"label": "test"});
        let mut doc = ResultsDocument::new("wasm", String::new(), &to_js(&device), &plan).unwrap();
        doc.set_workload_quality(&quality).unwrap();
        let parsed: Value = serde_json::from_str(&doc.to_json()).unwrap();
        assert_eq!(parsed["workload"]["kind"], workload);
        assert_eq!(parsed["quality"], serde_json::to_value(&native).unwrap());
    }
}

#[wasm_bindgen_test]
fn documents_round_trip_with_derived_numbers() {
    let plan = small_plan();
    let device = json!({
        "label": "test", "user_agent": null, "hardware_concurrency": 2,
        "device_memory_gb": null, "cross_origin_isolated": true,
    });
    let mut doc = ResultsDocument::new(
        "wasm",
        "2026-11-24T12:00:00Z".into(),
        &to_js(&device),
        &plan,
    )
    .unwrap();
    assert!(!doc.has_points());
    doc.add_point(1, vec![3.0, 1.0, 2.0], None);
    doc.add_point(2, vec![1.0], None);
    doc.set_quality(Some(0.875), Some(31));
    let text = doc.to_json();
    let read = ResultsDocument::from_json(&text).unwrap();
    assert_eq!(read.to_json(), text);
    assert!(read.same_as(&doc) && doc.has_points());

    let parsed: Value = serde_json::from_str(&text).unwrap();
    // The view is the document's JSON as JS reads it (numbers without their ".0").
    assert_eq!(
        to_json(&doc.view().unwrap()),
        to_json(&JSON::parse(&text).unwrap())
    );
    assert_eq!(parsed["schema"], "coresweep-sweep/3");
    assert_eq!(parsed["workload"], json!({"kind": "fit"}));
    assert_eq!(doc.workload_label(), "fit");
    assert_eq!(parsed["engine"], "wasm");
    let dataset =
        |value: &Value| serde_json::from_value::<ClassificationParams>(value.clone()).unwrap();
    assert_eq!(
        dataset(&parsed["dataset"]),
        dataset(&view(&plan)["dataset"])
    );
    assert_eq!(parsed["points"][0]["median_seconds"], 2.0);
    assert_eq!(parsed["quality"]["oob_accuracy"], 0.875);
    let numbers = to_json(&doc.derived().unwrap());
    assert_eq!(numbers["speedups"], json!([[1, 1], [2, 2]]));
    assert_eq!(numbers["efficiencies"], json!([[1, 1], [2, 1]]));

    let error = ResultsDocument::from_json(r#"{"schema": "something-else"}"#)
        .err()
        .unwrap();
    assert_eq!(error_parts(&error).1, None);
}

#[wasm_bindgen_test]
fn parameters_give_the_registry_with_the_blog_defaults_and_sklearns() {
    let list = to_json(&parameters().unwrap());
    let find = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap()
    };
    let trees = find("n_estimators");
    assert_eq!(
        (
            &trees["group"],
            &trees["default"],
            &trees["sklearn_default"]
        ),
        (&json!("forest"), &json!("500"), &json!("100"))
    );
    assert_eq!(find("max_features")["sklearn_default"], "'sqrt'");
    assert_eq!(find("n_samples")["default"], "10000");
    assert_eq!(find("parallel")["group"], "workload");
    assert_eq!(
        list.as_array().unwrap().len(),
        coresweep::registry::PARAMETERS.len()
    );
}
