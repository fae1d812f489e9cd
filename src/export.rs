//! The machine-readable contract (DESIGN "The machine-readable contract"): `runs.csv` and
//! `summary.json`. Columns are only ever added; `SCHEMA_VERSION` changes when anything else
//! does. Unknown is an empty cell / `null`, never 0; money is exact decimal text.

use serde_json::{json, Map, Value as Json};

use crate::budget::Value;
use crate::error::ExportError;
use crate::evaluate::{EvaluatedRun, Evaluation};
use crate::format;
use crate::metric::{Level, Metric, Stat};
use crate::model::{Provenance, LATENCY_METRICS};

/// Version of the export schema.
pub const SCHEMA_VERSION: u32 = 1;

/// The statistics exported per latency metric, in column order.
const STATS: [Stat; 6] = [
    Stat::Mean,
    Stat::Median,
    Stat::Std,
    Stat::P(Level::P90),
    Stat::P(Level::P95),
    Stat::P(Level::P99),
];

/// `runs.csv` header, in contract order.
#[must_use]
pub fn runs_csv_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "run_id",
        "source_format",
        "source_file",
        "model",
        "engine",
        "instance_type",
        "instance_count",
        "dataset",
        "concurrency",
        "request_rate_rps",
        "num_requests",
        "num_failed",
        "error_rate",
        "duration_s",
        "request_throughput_rps",
        "output_token_throughput_tps",
        "total_token_throughput_tps",
    ]
    .map(String::from)
    .to_vec();
    for m in Metric::LATENCIES {
        for s in STATS {
            h.push(format!("{}_{s}", m.key()));
        }
    }
    h.extend(
        [
            "input_tokens_mean",
            "output_tokens_mean",
            "price_per_hour_usd",
            "price_source",
            "cost_per_1m_requests_usd",
            "cost_per_1m_output_tokens_usd",
            "cost_per_1m_total_tokens_usd",
            "budget_status",
            "failed_budgets",
            "metrics_provenance",
        ]
        .map(String::from),
    );
    h
}

fn num(v: Option<f64>) -> String {
    v.map(format::float).unwrap_or_default()
}

fn price_source(er: &EvaluatedRun) -> String {
    if let Some(m) = &er.cost.price {
        let mut s = format!(
            "{} ({} {})",
            m.table, m.row.instance_type, m.row.pricing_model
        );
        if let Some(d) = &m.row.as_of {
            s.push_str(&format!(", as of {d}"));
        }
        s
    } else if let Some(t) = &er.cost.token_price {
        format!("{} (token-based {})", t.source, t.key)
    } else {
        String::new()
    }
}

/// Provenance summary: `computed`, `reported`, or `mixed (...)` naming the reported metrics.
fn provenance_summary(er: &EvaluatedRun) -> String {
    let mut reported = Vec::new();
    let mut computed = false;
    for (k, a) in &er.summary.values {
        if a.value.is_none() {
            continue;
        }
        match a.provenance {
            Provenance::Reported { .. } => reported.push(k.clone()),
            _ => computed = true,
        }
    }
    match (computed, reported.is_empty()) {
        (_, true) => "computed".into(),
        (false, false) => "reported".into(),
        (true, false) => format!("mixed (reported: {})", reported.join(" ")),
    }
}

/// One `runs.csv` record.
#[must_use]
pub fn runs_csv_record(er: &EvaluatedRun) -> Vec<String> {
    let r = &er.run;
    let mut row = vec![
        r.run_id.clone(),
        r.source_format.clone(),
        r.source_file.clone(),
        r.model.clone().unwrap_or_default(),
        r.engine.clone().unwrap_or_default(),
        r.instance_type.clone().unwrap_or_default(),
        r.instance_count.map(|c| c.to_string()).unwrap_or_default(),
        r.dataset.clone().unwrap_or_default(),
        r.concurrency.map(|c| c.to_string()).unwrap_or_default(),
        r.request_rate_rps
            .map(|x| x.to_string())
            .unwrap_or_default(),
        r.num_requests.map(|c| c.to_string()).unwrap_or_default(),
        r.num_failed.map(|c| c.to_string()).unwrap_or_default(),
        num(er.number(Metric::ErrorRate.run_value())),
        num(er
            .summary
            .duration_s
            .as_ref()
            .and_then(|a| a.value)
            .or(r.duration_s)),
        num(er.number(Metric::RequestThroughputRps.run_value())),
        num(er.number(Metric::OutputTokenThroughputTps.run_value())),
        num(er.number(Metric::TotalTokenThroughputTps.run_value())),
    ];
    for m in Metric::LATENCIES {
        for s in STATS {
            row.push(num(er.number(m.stat(s))));
        }
    }
    let money =
        |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
    row.push(num(er.number(Metric::InputTokens.stat(Stat::Mean))));
    row.push(num(er.number(Metric::OutputTokens.stat(Stat::Mean))));
    row.push(money(
        er.cost.price.as_ref().map(|m| m.row.price_per_hour_usd),
    ));
    row.push(price_source(er));
    row.push(money(er.cost.cost_per_1m_requests_usd));
    row.push(money(er.cost.cost_per_1m_output_tokens_usd));
    row.push(money(er.cost.cost_per_1m_total_tokens_usd));
    row.push(er.status.map(|s| s.word().to_string()).unwrap_or_default());
    row.push(
        er.verdicts
            .iter()
            .filter(|v| v.status != crate::budget::Status::Pass)
            .map(|v| v.metric.clone())
            .collect::<Vec<_>>()
            .join(" "),
    );
    row.push(provenance_summary(er));
    row
}

/// `runs.csv` as bytes.
///
/// # Errors
/// Never in practice (writing to memory); kept fallible for the csv writer's signature.
pub fn runs_csv(ev: &Evaluation) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(runs_csv_header())?;
    for er in &ev.runs {
        w.write_record(runs_csv_record(er))?;
    }
    w.into_inner()
        .map_err(|e| ExportError::Csv(csv::Error::from(e.into_error())))
}

fn json_num(v: f64) -> Json {
    serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number)
}

fn json_value(v: Option<Value>) -> Json {
    match v {
        None => Json::Null,
        Some(Value::Float(x)) => json_num(x),
        Some(Value::Money(d)) => Json::String(d.normalize().to_string()),
    }
}

/// One run in `summary.json`.
#[must_use]
pub fn run_json(er: &EvaluatedRun) -> Json {
    let r = &er.run;
    // Metrics grouped: {"ttft_ms": {"mean": x, "p99": y, "provenance": "computed", ...}, "error_rate": {...}}
    let mut metrics = Map::new();
    for (key, agg) in &er.summary.values {
        let (metric, stat) = match key.rsplit_once('.') {
            Some((m, s))
                if LATENCY_METRICS.contains(&m) || m.ends_with("_tokens") || m.contains('.') =>
            {
                (m.to_string(), s.to_string())
            }
            _ => (key.clone(), "value".to_string()),
        };
        let entry = metrics
            .entry(metric)
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(obj) = entry {
            obj.insert(stat.clone(), agg.value.map_or(Json::Null, json_num));
            let prov = match &agg.provenance {
                Provenance::Computed => json!("computed"),
                Provenance::Derived { formula } => json!({"kind": "derived", "formula": formula}),
                Provenance::Reported { label, method } => {
                    json!({"kind": "reported", "label": label, "method": method})
                }
            };
            let provs = obj
                .entry("provenance")
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(p) = provs {
                p.insert(stat.clone(), prov);
            }
            if let Some(rep) = agg.reported {
                let reps = obj
                    .entry("reported")
                    .or_insert_with(|| Json::Object(Map::new()));
                if let Json::Object(p) = reps {
                    p.insert(stat, json_num(rep));
                }
            }
        }
    }
    let money = |d: Option<rust_decimal::Decimal>| {
        d.map_or(Json::Null, |d| Json::String(d.normalize().to_string()))
    };
    let cost = json!({
        "price_per_hour_usd": money(er.cost.price.as_ref().map(|m| m.row.price_per_hour_usd)),
        "hourly_usd": money(er.cost.hourly_usd),
        "price_source": er.cost.price.as_ref().map(|m| json!({
            "table": m.table, "instance_type": m.row.instance_type, "pricing_model": m.row.pricing_model,
            "region": m.row.region, "as_of": m.row.as_of, "source": m.row.source, "note": m.note,
        })),
        "token_price": er.cost.token_price.as_ref().map(|t| json!({
            "key": t.key, "input_per_1k_tokens_usd": t.input_per_1k_tokens_usd.normalize().to_string(),
            "output_per_1k_tokens_usd": t.output_per_1k_tokens_usd.normalize().to_string(), "source": t.source,
        })),
        "cost_per_1m_requests_usd": money(er.cost.cost_per_1m_requests_usd),
        "cost_per_1m_output_tokens_usd": money(er.cost.cost_per_1m_output_tokens_usd),
        "cost_per_1m_total_tokens_usd": money(er.cost.cost_per_1m_total_tokens_usd),
        "cost_per_10k_requests_usd": money(er.cost.cost_per_10k_requests_usd),
        "unknown_reason": er.cost.unknown_reason,
    });
    let budgets: Vec<Json> = er
        .verdicts
        .iter()
        .map(|v| {
            json!({
                "metric": v.metric,
                "bound": v.bound,
                "limit": json_num(v.limit),
                "value": json_value(v.value),
                "status": v.status.word(),
                "margin": v.margin.map_or(Json::Null, json_num),
            })
        })
        .collect();
    json!({
        "run_id": r.run_id,
        "source_format": r.source_format,
        "source_file": r.source_file,
        "index_in_file": r.index_in_file,
        "source_tool_version": r.source_tool_version,
        "name": r.name,
        "model": r.model,
        "engine": r.engine,
        "engine_version": r.engine_version,
        "instance_type": r.instance_type,
        "instance_count": r.instance_count,
        "accelerator": r.accelerator,
        "tp": r.tp, "pp": r.pp, "dp": r.dp, "batch_size": r.batch_size,
        "dataset": r.dataset,
        "concurrency": r.concurrency,
        "request_rate_rps": r.request_rate_rps,
        "input_len": r.input_len,
        "output_len": r.output_len,
        "duration_s": er.summary.duration_s.as_ref().and_then(|a| a.value).or(r.duration_s).map_or(Json::Null, json_num),
        "num_requests": r.num_requests,
        "num_failed": r.num_failed,
        "date": r.date,
        "labels": r.labels,
        "definitions": r.definitions,
        "notes": r.notes,
        "metrics": metrics,
        "cost": cost,
        "budget_status": er.status.map(|s| s.word()),
        "budgets": budgets,
        "warnings": er.summary.warnings,
    })
}

/// `summary.json` as a value.
#[must_use]
pub fn summary_json(ev: &Evaluation) -> Json {
    let mut formula_map = Map::new();
    for (name, text) in crate::metric::FORMULAS {
        formula_map.insert((*name).to_string(), Json::String((*text).to_string()));
    }
    let mut differing: Vec<Json> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for er in &ev.runs {
        for (metric, text) in &er.run.definitions {
            if seen.insert((er.run.source_format.clone(), metric.clone(), text.clone())) {
                differing.push(
                    json!({"tool": er.run.source_format, "metric": metric, "definition": text}),
                );
            }
        }
    }
    json!({
        "schema_version": SCHEMA_VERSION,
        "schema": format!("bench-report.summary/{SCHEMA_VERSION}"),
        "title": ev.title,
        "inputs": ev.inputs.iter().map(|i| json!({"path": i.path, "sha256": i.sha256, "format": i.format, "runs": i.runs, "notes": i.notes})).collect::<Vec<_>>(),
        "skipped": ev.skipped.iter().map(|s| json!({"path": s.path, "reason": s.reason})).collect::<Vec<_>>(),
        "definitions": {
            "percentile_method": ev.config.metrics.percentile_method.name(),
            "percentiles": ev.config.metrics.percentiles,
            "std_ddof": 0,
            "formulas": formula_map,
            "differing": differing,
        },
        "budgets": ev.config.budget,
        "runs": ev.runs.iter().map(run_json).collect::<Vec<_>>(),
        "recommendations": ev.recommendations.iter().map(|r| json!({
            "group": r.group, "run_id": r.run_id, "sentence": r.sentence,
            "closest_miss_run_id": r.closest_miss.and_then(|i| ev.runs.get(i)).map(|e| e.run.run_id.clone()),
        })).collect::<Vec<_>>(),
        "best_price_performance": ev.best.iter().map(|(d, i, s)| json!({
            "dataset": d, "run_id": ev.runs.get(*i).map(|e| e.run.run_id.clone()), "sentence": s,
        })).collect::<Vec<_>>(),
        "warnings": ev.warnings,
    })
}

/// `summary.json` as pretty bytes with a final newline.
///
/// # Errors
/// Serialization failures (not expected).
pub fn summary_json_bytes(ev: &Evaluation) -> Result<Vec<u8>, ExportError> {
    let mut bytes = serde_json::to_vec_pretty(&summary_json(ev))?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_follows_the_contract_order() {
        let h = runs_csv_header();
        assert_eq!(h[0], "run_id");
        assert_eq!(h[16], "total_token_throughput_tps");
        assert_eq!(h[17], "ttft_ms_mean");
        assert_eq!(h[17 + 23], "e2e_ms_p99");
        assert_eq!(h[41], "input_tokens_mean");
        assert_eq!(h.last().map(String::as_str), Some("metrics_provenance"));
        assert_eq!(h.len(), 17 + 24 + 10);
    }
}
