//! The runs table and the table of runs that do not pass their budgets.

use crate::budget::Status;
use crate::evaluate::EvaluatedRun;
use crate::format;
use crate::metric::{Level, Metric, MetricKey, Stat};

use super::table::{Cell, Number, Source, Table};
use super::{opt, run_label};

/// How a metric's number is shown in the runs table.
#[derive(Clone, Copy)]
enum Shape {
    /// Significant digits (`format::table`).
    Plain,
    /// A ratio as a percentage.
    Percent,
}

/// The metric columns of the runs table, in order.
fn metric_columns() -> [(&'static str, MetricKey, Shape); 11] {
    let p99 = Stat::P(Level::P99);
    [
        (
            "req/s",
            Metric::RequestThroughputRps.run_value(),
            Shape::Plain,
        ),
        (
            "out tok/s",
            Metric::OutputTokenThroughputTps.run_value(),
            Shape::Plain,
        ),
        (
            "TTFT p50 ms",
            Metric::TtftMs.stat(Stat::Median),
            Shape::Plain,
        ),
        ("TTFT p99 ms", Metric::TtftMs.stat(p99), Shape::Plain),
        (
            "TPOT p50 ms",
            Metric::TpotMs.stat(Stat::Median),
            Shape::Plain,
        ),
        ("TPOT p99 ms", Metric::TpotMs.stat(p99), Shape::Plain),
        ("ITL p50 ms", Metric::ItlMs.stat(Stat::Median), Shape::Plain),
        ("ITL p99 ms", Metric::ItlMs.stat(p99), Shape::Plain),
        ("E2E p50 ms", Metric::E2eMs.stat(Stat::Median), Shape::Plain),
        ("E2E p99 ms", Metric::E2eMs.stat(p99), Shape::Plain),
        ("Errors", Metric::ErrorRate.run_value(), Shape::Percent),
    ]
}

/// A metric cell: the number, its unit and provenance; `†` marks a reported value; empty
/// text when unknown.
fn metric_cell(er: &EvaluatedRun, key: MetricKey, shape: Shape) -> Cell {
    let Some(v) = er.number(key) else {
        return Cell {
            unit: Some(key.metric.unit()),
            ..Cell::text("")
        };
    };
    let mut cell = Cell {
        text: match shape {
            Shape::Plain => format::table(v),
            Shape::Percent => format::percent(v),
        },
        value: Some(Number::Float(v)),
        unit: Some(key.metric.unit()),
        source: er.provenance(key).map(|p| Source {
            tool: er.run.source_format.clone(),
            provenance: p.clone(),
        }),
        link: None,
    };
    if cell.is_reported() {
        cell.text.push('†');
    }
    cell
}

/// `Run (id)`: the label every table uses for a run.
pub(super) fn run_cell(er: &EvaluatedRun) -> Cell {
    Cell::text(format!("{} ({})", run_label(&er.run), er.run.run_id))
}

/// One row per run: configuration, metrics, costs and budget status.
#[must_use]
pub fn runs_table(runs: &[&EvaluatedRun]) -> Table {
    let columns = metric_columns();
    let mut headers: Vec<(&str, bool)> = vec![
        ("Run", false),
        ("Model", false),
        ("Instance", false),
        ("Dataset", false),
        ("Load", false),
    ];
    headers.extend(columns.iter().map(|(h, _, _)| (*h, true)));
    headers.extend([
        ("$/h", true),
        ("$/1M req", true),
        ("$/1M out tok", true),
        ("Budgets", false),
    ]);
    let mut table = Table::new(&headers);
    for er in runs {
        let r = &er.run;
        let mut row = vec![
            run_cell(er),
            Cell::text(opt(r.model.as_ref())),
            Cell::text(match (r.instance_type.as_ref(), r.instance_count) {
                (Some(i), Some(n)) if n > 1 => format!("{n}× {i}"),
                (Some(i), _) => i.clone(),
                _ => String::new(),
            }),
            Cell::text(opt(r.dataset.as_ref())),
            Cell::text(r.load_label()),
        ];
        row.extend(
            columns
                .iter()
                .map(|(_, key, shape)| metric_cell(er, *key, *shape)),
        );
        row.extend([
            Cell::money(er.cost.hourly_usd, 4, Metric::HourlyUsd),
            Cell::money(
                er.cost.cost_per_1m_requests_usd,
                3,
                Metric::CostPer1mRequestsUsd,
            ),
            Cell::money(
                er.cost.cost_per_1m_output_tokens_usd,
                3,
                Metric::CostPer1mOutputTokensUsd,
            ),
            Cell::text(er.status.map_or("—", Status::word)),
        ]);
        table.rows.push(row);
    }
    table
}

/// Runs that fail (or cannot be checked against) a budget, with the failing values.
#[must_use]
pub fn failed_table(runs: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[
        ("Run", false),
        ("Instance", false),
        ("Dataset", false),
        ("Load", false),
        ("Failing budgets", false),
    ]);
    for er in runs
        .iter()
        .filter(|e| matches!(e.status, Some(Status::Fail | Status::Unknown)))
    {
        let fails: Vec<String> = er
            .verdicts
            .iter()
            .filter(|v| v.status != Status::Pass)
            .map(|v| match (v.status, v.value) {
                (Status::Fail, Some(val)) => format!(
                    "✗ {} = {} (limit {})",
                    v.metric,
                    val,
                    format::float(v.limit)
                ),
                _ => format!("{} unknown", v.metric),
            })
            .collect();
        table.rows.push(vec![
            run_cell(er),
            Cell::text(opt(er.run.instance_type.as_ref())),
            Cell::text(opt(er.run.dataset.as_ref())),
            Cell::text(er.run.load_label()),
            Cell::text(fails.join("; ")),
        ]);
    }
    table
}
