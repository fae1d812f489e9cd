//! The view from a small hand-made evaluation: values, units and provenance beside the
//! text, the † marker, unknown money shown as `unknown` and never 0.

use std::path::PathBuf;

use rust_decimal::Decimal;

use super::*;
use crate::config::Config;
use crate::evaluate::EvaluatedRun;
use crate::metric::{Level, Metric, MetricKey, Stat};
use crate::metrics::{Aggregate, RunSummary};
use crate::model::{Provenance, Reported, Run};
use crate::pricing::RunCost;

fn put(summary: &mut RunSummary, key: MetricKey, value: f64, provenance: Provenance) {
    summary.values.insert(
        key.to_string(),
        Aggregate {
            value: Some(value),
            provenance,
            reported: None,
        },
    );
}

fn run(id: &str, file: &str, hourly: Option<Decimal>) -> EvaluatedRun {
    let mut summary = RunSummary::default();
    put(
        &mut summary,
        Metric::TtftMs.stat(Stat::P(Level::P99)),
        123.456,
        Provenance::Computed,
    );
    put(
        &mut summary,
        Metric::RequestThroughputRps.run_value(),
        2.5,
        Provenance::Reported {
            label: "request_throughput".into(),
            method: None,
        },
    );
    put(
        &mut summary,
        Metric::ErrorRate.run_value(),
        0.0123,
        Provenance::Computed,
    );
    let mut r = Run {
        run_id: id.into(),
        source_format: "vllm".into(),
        source_file: file.into(),
        instance_type: Some("g5.2xlarge".into()),
        instance_count: Some(2),
        model: Some("llama".into()),
        concurrency: Some(8),
        ..Run::default()
    };
    r.report(
        Metric::TtftMs.stat(Stat::Mean),
        Reported::with_method(1.0, "mean_ttft", "weighted"),
    );
    EvaluatedRun {
        run: r,
        root: PathBuf::from("data"),
        summary,
        cost: RunCost {
            hourly_usd: hourly,
            unknown_reason: hourly.is_none().then(|| "no price for g5.2xlarge".into()),
            ..RunCost::default()
        },
        verdicts: Vec::new(),
        status: None,
    }
}

fn evaluation() -> Evaluation {
    Evaluation {
        title: "A <title>".into(),
        config_path: None,
        config: Config::default(),
        runs: vec![
            run("aaa", "vllm/a.json", Some(Decimal::new(24_240, 4))),
            run("bbb", "vllm/b.json", None),
        ],
        inputs: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
        recommendations: Vec::new(),
        best: Vec::new(),
    }
}

fn column(t: &Table, header: &str) -> usize {
    t.columns
        .iter()
        .position(|c| c.header == header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

#[test]
fn runs_table_keeps_numbers_units_and_provenance_beside_the_text() {
    let ev = evaluation();
    let t = runs_table(&ev.runs.iter().collect::<Vec<_>>());
    assert_eq!(t.rows.len(), 2);
    let row = &t.rows[0];
    assert_eq!(row[column(&t, "Run")].text, "a.json (aaa)");
    assert_eq!(row[column(&t, "Instance")].text, "2× g5.2xlarge");
    assert_eq!(row[column(&t, "Load")].text, "c=8");

    let ttft = &row[column(&t, "TTFT p99 ms")];
    assert_eq!(ttft.text, "123.5");
    assert_eq!(ttft.value, Some(Number::Float(123.456)));
    assert_eq!(ttft.unit, Some("ms"));
    assert!(!ttft.is_reported());
    assert_eq!(ttft.source.as_ref().map(|s| s.tool.as_str()), Some("vllm"));

    let rps = &row[column(&t, "req/s")];
    assert_eq!(rps.text, "2.50†", "a reported value carries the † marker");
    assert_eq!(rps.value, Some(Number::Float(2.5)));
    assert!(rps.is_reported());

    let errors = &row[column(&t, "Errors")];
    assert_eq!(errors.text, "1.23%");
    assert_eq!(errors.unit, Some("ratio"));

    let unknown = &row[column(&t, "TPOT p50 ms")];
    assert_eq!(unknown.text, "");
    assert_eq!(unknown.value, None);

    let hourly = &row[column(&t, "$/h")];
    assert_eq!(hourly.text, "$2.4240");
    assert_eq!(hourly.value, Some(Number::Money(Decimal::new(24_240, 4))));
    assert_eq!(row[column(&t, "Budgets")].text, "—");
}

#[test]
fn unknown_prices_read_unknown_never_zero() {
    let ev = evaluation();
    let t = runs_table(&ev.runs.iter().collect::<Vec<_>>());
    let row = &t.rows[1];
    for header in ["$/h", "$/1M req", "$/1M out tok"] {
        let cell = &row[column(&t, header)];
        assert_eq!(cell.text, "unknown", "{header}");
        assert_eq!(cell.value, None, "{header}");
    }
    let unpriced = unpriced_table(&ev.runs.iter().collect::<Vec<_>>());
    assert_eq!(unpriced.texts().len(), 2);
    assert_eq!(
        unpriced.texts()[1],
        vec!["b.json (bbb)", "g5.2xlarge", "no price for g5.2xlarge"]
    );
}

#[test]
fn index_and_group_pages_count_flag_and_list_their_tables() {
    let view = View::build(&evaluation());
    let names: Vec<&str> = view.pages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["index", "groups/llama"]);
    let PageContent::Index(index) = &view.pages[0].content else {
        panic!("index first");
    };
    assert_eq!(index.title, "A <title>", "the view never escapes");
    assert_eq!(index.counts.runs, 2);
    assert_eq!(index.counts.unpriced, 2);
    assert_eq!(index.counts.groups, 1);
    assert_eq!(index.percentiles, "p90, p95, p99");
    assert_eq!(
        index.groups[0].table.rows[0][0].link.as_deref(),
        Some("groups/llama")
    );
    let PageContent::Group(group) = &view.pages[1].content else {
        panic!("a group page");
    };
    assert_eq!(group.index.path, "../index");
    assert!(group.has_reported);
    assert!(group.failed.is_empty());
    // The tool's own method is listed where it differs.
    let mean = Metric::TtftMs.stat(Stat::Mean).to_string();
    assert_eq!(
        group.definitions.texts(),
        vec![vec!["vllm", mean.as_str(), "mean_ttft (weighted)"]]
    );
    // Every table field of a page is handed to renderers as a table.
    for page in &view.pages {
        let json = serde_json::to_value(&page.content).expect("serializes");
        let listed: Vec<&str> = page.content.tables().iter().map(|(n, _)| *n).collect();
        for (name, value) in json.as_object().expect("a map") {
            let is_table = value.get("columns").is_some() && value.get("rows").is_some();
            assert_eq!(is_table, listed.contains(&name.as_str()), "{name}");
        }
    }
}

#[test]
fn a_large_group_is_split_by_instance_then_into_parts() {
    let mut ev = evaluation();
    let first = ev.runs[0].clone();
    ev.runs = (0..90)
        .map(|i| {
            let mut r = first.clone();
            r.run.run_id = format!("r{i:02}");
            if i >= 45 {
                r.run.instance_type = None;
            }
            r
        })
        .collect();
    let plans = site::plan(&ev, &["model".to_string()]);
    let names: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "groups/llama-unknown-instance-type-part-1",
            "groups/llama-unknown-instance-type-part-2",
            "groups/llama-g5-2xlarge-part-1",
            "groups/llama-g5-2xlarge-part-2",
        ]
    );
    assert!(plans
        .iter()
        .all(|p| p.runs.len() <= site::MAX_RUNS_PER_PAGE));
    assert_eq!(plans.iter().map(|p| p.runs.len()).sum::<usize>(), 90);
    assert_eq!(
        plans[0].title(),
        "llama · unknown instance type · part 1 of 2"
    );
}
