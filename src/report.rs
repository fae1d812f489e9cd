//! The evaluated build and the view model (DESIGN §8): one serializable struct that templates
//! format and never compute from. Tables are built here, as display strings with the raw
//! values kept beside them in the exports; renderers only choose syntax.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::budget::Status;
use crate::config::BudgetSpec;
use crate::evaluate::Evaluation;
use crate::format;
use crate::metric::{self, Level, Metric, MetricKey, Stat};
use crate::model::{Provenance, Run};

/// A table: headers and display rows. Renderers escape and lay it out.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<String>,
    /// True for numeric columns (right-aligned).
    pub numeric: Vec<bool>,
    /// Display strings, one per cell.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(headers: &[(&str, bool)]) -> Table {
        Table {
            headers: headers.iter().map(|(h, _)| (*h).to_string()).collect(),
            numeric: headers.iter().map(|(_, n)| *n).collect(),
            rows: Vec::new(),
        }
    }
}

/// One formula shown in the methodology footer.
#[derive(Debug, Clone, Serialize)]
pub struct Formula {
    /// What it computes.
    pub name: String,
    /// The formula.
    pub text: String,
}

/// The view model every template receives.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Page title.
    pub title: String,
    /// Counts for the header line.
    pub counts: Counts,
    /// The config file used.
    pub config_path: Option<String>,
    /// The runs table.
    pub runs: Table,
    /// True when some values in the runs table are reported rather than computed.
    pub has_reported: bool,
    /// Budget list as configured.
    pub budgets: Vec<BudgetView>,
    /// Failed (or unknown) runs with the failing values marked.
    pub failed: Table,
    /// Recommendation sentences per group.
    pub recommendations: Vec<String>,
    /// Best price-performance sentences per dataset.
    pub best: Vec<String>,
    /// Prices used.
    pub prices: Table,
    /// Unpriced runs and why.
    pub unpriced: Table,
    /// Where tool definitions differ from bench-report's.
    pub definitions: Table,
    /// Files read.
    pub inputs: Table,
    /// Files skipped and why.
    pub skipped: Table,
    /// Warnings.
    pub warnings: Vec<String>,
    /// Provenance notes per run.
    pub notes: Table,
    /// Percentile method in force.
    pub percentile_method: String,
    /// Configured percentiles (`p90, p95, p99`).
    pub percentiles: String,
    /// Every formula used.
    pub formulas: Vec<Formula>,
}

/// Counts shown near the title.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// Runs.
    pub runs: usize,
    /// Files read.
    pub inputs: usize,
    /// Files skipped.
    pub skipped: usize,
    /// Runs that pass every budget.
    pub passing: usize,
    /// Runs without a price.
    pub unpriced: usize,
}

/// A budget as shown.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    /// `e2e_ms.p95 ≤ 2000`.
    pub text: String,
}

fn budget_text(b: &BudgetSpec) -> String {
    let mut parts = Vec::new();
    if let Some(m) = b.max {
        parts.push(format!("{} ≤ {}", b.metric, format::float(m)));
    }
    if let Some(m) = b.min {
        parts.push(format!("{} ≥ {}", b.metric, format::float(m)));
    }
    parts.join(" and ")
}

/// A run's short display name.
#[must_use]
pub fn run_label(run: &Run) -> String {
    let stem = run
        .source_file
        .rsplit('/')
        .next()
        .unwrap_or(&run.source_file);
    match &run.name {
        Some(n) if !n.is_empty() => format!("{stem} · {n}"),
        _ => stem.to_string(),
    }
}

fn opt(s: Option<&String>) -> String {
    s.cloned().unwrap_or_default()
}

impl View {
    /// Build the view model.
    #[must_use]
    pub fn build(ev: &Evaluation) -> View {
        let mut runs = Table::new(&[
            ("Run", false),
            ("Model", false),
            ("Instance", false),
            ("Dataset", false),
            ("Load", false),
            ("req/s", true),
            ("out tok/s", true),
            ("TTFT p50 ms", true),
            ("TTFT p99 ms", true),
            ("TPOT p50 ms", true),
            ("TPOT p99 ms", true),
            ("ITL p50 ms", true),
            ("ITL p99 ms", true),
            ("E2E p50 ms", true),
            ("E2E p99 ms", true),
            ("Errors", true),
            ("$/h", true),
            ("$/1M req", true),
            ("$/1M out tok", true),
            ("Budgets", false),
        ]);
        let mut has_reported = false;
        for er in &ev.runs {
            let r = &er.run;
            let mut cell = |key: MetricKey, pct: bool| -> String {
                match er.number(key) {
                    None => String::new(),
                    Some(v) => {
                        let mut s = if pct {
                            format::percent(v)
                        } else {
                            format::table(v)
                        };
                        if matches!(er.provenance(key), Some(Provenance::Reported { .. })) {
                            s.push('†');
                            has_reported = true;
                        }
                        s
                    }
                }
            };
            let row = vec![
                format!("{} ({})", run_label(r), r.run_id),
                opt(r.model.as_ref()),
                match (r.instance_type.as_ref(), r.instance_count) {
                    (Some(i), Some(n)) if n > 1 => format!("{n}× {i}"),
                    (Some(i), _) => i.clone(),
                    _ => String::new(),
                },
                opt(r.dataset.as_ref()),
                r.load_label(),
                cell(Metric::RequestThroughputRps.run_value(), false),
                cell(Metric::OutputTokenThroughputTps.run_value(), false),
                cell(Metric::TtftMs.stat(Stat::Median), false),
                cell(Metric::TtftMs.stat(Stat::P(Level::P99)), false),
                cell(Metric::TpotMs.stat(Stat::Median), false),
                cell(Metric::TpotMs.stat(Stat::P(Level::P99)), false),
                cell(Metric::ItlMs.stat(Stat::Median), false),
                cell(Metric::ItlMs.stat(Stat::P(Level::P99)), false),
                cell(Metric::E2eMs.stat(Stat::Median), false),
                cell(Metric::E2eMs.stat(Stat::P(Level::P99)), false),
                cell(Metric::ErrorRate.run_value(), true),
                er.cost
                    .hourly_usd
                    .map_or_else(|| "unknown".into(), |d| format::money(d, 4)),
                er.cost
                    .cost_per_1m_requests_usd
                    .map_or_else(|| "unknown".into(), |d| format::money(d, 3)),
                er.cost
                    .cost_per_1m_output_tokens_usd
                    .map_or_else(|| "unknown".into(), |d| format::money(d, 3)),
                er.status
                    .map_or_else(|| "—".into(), |s| s.word().to_string()),
            ];
            runs.rows.push(row);
        }

        let mut failed = Table::new(&[
            ("Run", false),
            ("Instance", false),
            ("Dataset", false),
            ("Load", false),
            ("Failing budgets", false),
        ]);
        for er in ev
            .runs
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
            failed.rows.push(vec![
                format!("{} ({})", run_label(&er.run), er.run.run_id),
                opt(er.run.instance_type.as_ref()),
                opt(er.run.dataset.as_ref()),
                er.run.load_label(),
                fails.join("; "),
            ]);
        }

        let mut prices = Table::new(&[
            ("Instance", false),
            ("$/h", true),
            ("Pricing model", false),
            ("Region", false),
            ("As of", false),
            ("Table", false),
            ("Source", false),
            ("Runs", true),
            ("Note", false),
        ]);
        let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        let mut price_notes: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
        let mut price_rows: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
        for er in &ev.runs {
            if let Some(m) = &er.cost.price {
                let key = (
                    m.row.instance_type.clone(),
                    m.table.clone(),
                    m.row.as_of.clone().unwrap_or_default(),
                );
                *seen.entry(key.clone()).or_default() += 1;
                if let Some(n) = &m.note {
                    price_notes
                        .entry(key.clone())
                        .or_default()
                        .insert(n.clone());
                }
                price_rows.entry(key).or_insert_with(|| {
                    vec![
                        m.row.instance_type.clone(),
                        format::money(m.row.price_per_hour_usd, 4),
                        m.row.pricing_model.clone(),
                        m.row.region.clone().unwrap_or_default(),
                        m.row.as_of.clone().unwrap_or_else(|| "not stated".into()),
                        m.table.clone(),
                        m.row.source.clone(),
                    ]
                });
            }
        }
        for (key, mut row) in price_rows {
            row.push(seen.get(&key).copied().unwrap_or(0).to_string());
            row.push(
                price_notes
                    .get(&key)
                    .map(|n| n.iter().cloned().collect::<Vec<_>>().join("; "))
                    .unwrap_or_default(),
            );
            prices.rows.push(row);
        }

        let mut unpriced = Table::new(&[("Run", false), ("Instance", false), ("Why", false)]);
        for er in ev
            .runs
            .iter()
            .filter(|e| e.cost.price.is_none() && e.cost.token_price.is_none())
        {
            unpriced.rows.push(vec![
                format!("{} ({})", run_label(&er.run), er.run.run_id),
                opt(er.run.instance_type.as_ref()),
                er.cost
                    .unknown_reason
                    .clone()
                    .unwrap_or_else(|| "unknown".into()),
            ]);
        }

        let mut definitions = Table::new(&[
            ("Tool", false),
            ("Metric", false),
            ("The tool's definition", false),
        ]);
        let mut defs: BTreeSet<(String, String, String)> = BTreeSet::new();
        for er in &ev.runs {
            for (metric, text) in &er.run.definitions {
                defs.insert((er.run.source_format.clone(), metric.clone(), text.clone()));
            }
            for (metric, rep) in &er.run.reported {
                if let Some(m) = &rep.method {
                    defs.insert((
                        er.run.source_format.clone(),
                        metric.clone(),
                        format!("{} ({m})", rep.label),
                    ));
                }
            }
        }
        for (tool, metric, text) in defs {
            definitions.rows.push(vec![tool, metric, text]);
        }

        let mut inputs = Table::new(&[
            ("File", false),
            ("Format", false),
            ("Runs", true),
            ("SHA-256", false),
            ("Notes", false),
        ]);
        for i in &ev.inputs {
            inputs.rows.push(vec![
                i.path.clone(),
                i.format.clone(),
                i.runs.to_string(),
                i.sha256.chars().take(12).collect(),
                i.notes.join("; "),
            ]);
        }
        let mut skipped = Table::new(&[("File", false), ("Why it was skipped", false)]);
        for s in &ev.skipped {
            skipped.rows.push(vec![s.path.clone(), s.reason.clone()]);
        }
        let mut notes = Table::new(&[("Run", false), ("Note", false)]);
        for er in &ev.runs {
            for n in &er.run.notes {
                notes.rows.push(vec![
                    format!("{} ({})", run_label(&er.run), er.run.run_id),
                    n.clone(),
                ]);
            }
        }

        let passing = ev
            .runs
            .iter()
            .filter(|e| e.status == Some(Status::Pass))
            .count();
        View {
            title: ev.title.clone(),
            counts: Counts {
                runs: ev.runs.len(),
                inputs: ev.inputs.len(),
                skipped: ev.skipped.len(),
                passing,
                unpriced: unpriced.rows.len(),
            },
            config_path: ev.config_path.clone(),
            runs,
            has_reported,
            budgets: ev
                .config
                .budget
                .iter()
                .map(|b| BudgetView {
                    text: budget_text(b),
                })
                .collect(),
            failed,
            recommendations: ev
                .recommendations
                .iter()
                .map(|r| r.sentence.clone())
                .collect(),
            best: ev.best.iter().map(|(_, _, s)| s.clone()).collect(),
            prices,
            unpriced,
            definitions,
            inputs,
            skipped,
            warnings: ev.warnings.clone(),
            notes,
            percentile_method: ev.config.metrics.percentile_method.name().to_string(),
            percentiles: ev
                .config
                .metrics
                .percentiles
                .iter()
                .map(|p| format!("p{}", format::float(*p)))
                .collect::<Vec<_>>()
                .join(", "),
            formulas: metric::FORMULAS
                .iter()
                .map(|(n, t)| Formula {
                    name: (*n).into(),
                    text: (*t).into(),
                })
                .collect(),
        }
    }
}
