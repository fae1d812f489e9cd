//! `runs.csv` (README "Outputs"): one row per run, columns in contract order. Columns are
//! only ever added. Unknown is an empty cell, never 0; money is exact decimal text.

use crate::error::ExportError;
use crate::evaluate::{EvaluatedRun, Evaluation};
use crate::format;
use crate::metric::{Level, Metric, Stat};
use crate::model::Provenance;

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
