//! A plan as JSON text: what a page posts to its workers, which make the same plan of it.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::datasets::{ClassificationParams, TableInfo, TableOptions};
use crate::forest::ForestParams;
use crate::model_selection::Parallel;
use crate::registry::{ModelSelectionParams, Parameters};

use super::{Plan, Request, TableSource, Workload};

/// A plan as JSON: the request it was checked from, with the thread counts resolved.
#[derive(Serialize, Deserialize)]
struct PlanText {
    #[serde(default)]
    workload: Workload,
    #[serde(default = "default_cv")]
    cv: usize,
    #[serde(default)]
    cv_repeats: Option<usize>,
    #[serde(default = "default_parallel")]
    parallel: Parallel,
    #[serde(default)]
    grid: Vec<(String, Vec<String>)>,
    /// Generated data's parameters; absent when the data is a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dataset: Option<ClassificationParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    table: Option<PlannedTable>,
    forest: ForestParams,
    threads: Vec<usize>,
    repeats: usize,
    test_size: f64,
    memory_limit_bytes: u64,
}

/// A plan's table as its text names it: its record (the bytes are not in the text, and must
/// be those hashed when the plan was made) and how it is read.
#[derive(Serialize, Deserialize)]
struct PlannedTable {
    info: TableInfo,
    options: TableOptions,
}

fn default_cv() -> usize {
    ModelSelectionParams::default().cv
}

fn default_parallel() -> Parallel {
    ModelSelectionParams::default().parallel
}

/// [`Plan::to_json`].
pub(super) fn to_json(plan: &Plan) -> String {
    let model_selection = plan.model_selection();
    serde_json::to_string(&PlanText {
        workload: plan.workload(),
        cv: model_selection.cv,
        cv_repeats: model_selection.cv_repeats,
        parallel: model_selection.parallel,
        grid: plan.grid().to_vec(),
        dataset: plan.dataset().map(|dataset| dataset.params().clone()),
        table: plan.data.table_info().map(|(info, options)| PlannedTable {
            info: info.clone(),
            options: options.clone(),
        }),
        forest: plan.forest().params().clone(),
        threads: plan.threads().to_vec(),
        repeats: plan.repeats(),
        test_size: plan.test_size(),
        memory_limit_bytes: plan.memory_limit_bytes,
    })
    .expect("a plan always serialises")
}

/// Reads a plan's text and checks it again; `source` makes the table's source of its name
/// and options when the plan reads one. A plan on a table without a `source` is the plan on
/// the table's record ([`Request::check_on_table_info`]): its rows come from elsewhere.
pub(super) fn from_json(
    text: &str,
    source: Option<impl FnOnce(&str, TableOptions) -> TableSource>,
) -> Result<Plan, Error> {
    let plan: PlanText = serde_json::from_str(text)
        .map_err(|e| Error::param("plan", format!("cannot be read: {e}")))?;
    let (table, data) = match (plan.table, source) {
        (None, None) => (None, None),
        (Some(table), Some(source)) => {
            let data = source(&table.info.name, table.options.clone());
            (Some(table), Some(data))
        }
        (Some(table), None) => (Some(table), None),
        (None, Some(_)) => {
            return Err(Error::param("data", "the plan reads no table"));
        }
    };
    let request = Request {
        workload: plan.workload,
        params: Parameters {
            dataset: plan.dataset.unwrap_or_default(),
            forest: plan.forest,
            model_selection: ModelSelectionParams {
                cv: plan.cv,
                cv_repeats: plan.cv_repeats,
                parallel: plan.parallel,
            },
        },
        data,
        grid: plan.grid,
        memory_limit_bytes: plan.memory_limit_bytes,
        ..Request::default()
    }
    .with_runs(&plan.threads, plan.repeats, plan.test_size);
    let Some(PlannedTable { info, options }) = table else {
        return request.check();
    };
    if request.data.is_none() {
        return request.check_on_table_info(info, options);
    }
    let checked = request.check()?;
    if let Some(table) = checked.table()
        && table.info.sha256 != info.sha256
    {
        return Err(Error::param(
            "data",
            format!(
                "these bytes are not the planned table {:?} (SHA-256 {}, planned {})",
                table.info.name, table.info.sha256, info.sha256
            ),
        ));
    }
    Ok(checked)
}
