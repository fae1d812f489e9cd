//! G2: guidellm 0.2.x / 0.3.x "GenerativeBenchmarksReport".

use serde_json::Value;

use super::summaries::{report_metrics, Totals, STATUSES};
use super::{apply_strategy, apply_window, Generation, Node};
use crate::error::IngestError;
use crate::ingest::json;
use crate::model::{ParsedRun, RequestColumns, RequestRow, Run};

pub(super) fn g2_runs(root: &Node<'_>) -> Result<Vec<ParsedRun>, IngestError> {
    let mut runs = Vec::new();
    for (i, bench) in root.req_items("benchmarks")?.iter().enumerate() {
        runs.push(g2_run(bench, i)?);
    }
    Ok(runs)
}

/// True when any `percentiles` block of the benchmark has `p50` (added in 0.3.0).
pub(super) fn has_p50(bench: &Node<'_>) -> bool {
    bench
        .get("metrics")
        .and_then(|m| m.get("time_to_first_token_ms"))
        .and_then(|m| m.get("successful"))
        .and_then(|s| s.get("percentiles"))
        .is_some_and(|p| p.has("p50"))
}

pub(super) fn g2_run(bench: &Node<'_>, index: usize) -> Result<ParsedRun, IngestError> {
    let mut run = Run::default();
    let v03 = has_p50(bench);
    let version = if v03 { "0.3.x" } else { "0.2.x" };
    run.source_tool_version = Some(version.into());
    run.notes.push(format!(
        "guidellm {version} GenerativeBenchmarksReport: version inferred from the schema (percentiles {} p50; the file has no version field)",
        if v03 { "with" } else { "without" }
    ));

    let args = bench.req("args")?;
    apply_strategy(&mut run, &args, "strategy_index", index)?;
    if let Some(worker) = bench.get("worker") {
        run.model = worker.str("backend_model")?;
        if let Some(b) = worker.str("backend_type")? {
            run.labels.insert("guidellm.backend_type".into(), b);
        }
    }
    if let Some(loader) = bench.get("request_loader") {
        if let Some(data) = loader.str("data")? {
            // Emulated data is a JSON string: {"type": "emulated", "prompt_tokens": 512, …}.
            if let Ok(Value::Object(spec)) = serde_json::from_str::<Value>(&data) {
                if spec.get("type").and_then(Value::as_str) == Some("emulated") {
                    run.input_len = spec.get("prompt_tokens").and_then(Value::as_u64);
                    run.output_len = spec.get("output_tokens").and_then(Value::as_u64);
                }
            }
            run.dataset = Some(data);
        }
    }
    apply_window(&mut run, bench)?;

    let totals = report_metrics(&mut run, bench, Generation::G2, !v03)?;

    // Every request is listed only when no output sampling was asked for.
    let requests = match (bench.get("request_samples"), bench.get("requests")) {
        (Some(n), _) => {
            run.notes.push(format!(
                "no request rows: requests were sampled (request_samples = {}) after the metrics were computed",
                json::describe(n.value)
            ));
            None
        }
        (None, Some(reqs)) => {
            let rows = g2_rows(&reqs)?;
            check_counts(&mut run, rows, totals.as_ref())
        }
        (None, None) => None,
    };
    Ok(ParsedRun { run, requests })
}

/// Rows from G2 `requests.{successful,errored,incomplete}` (with per-status counts).
pub(super) fn g2_rows(reqs: &Node<'_>) -> Result<(RequestColumns, [u64; 3]), IngestError> {
    let mut rows = RequestColumns::default();
    let mut counts = [0u64; 3];
    for (si, (status, ok)) in STATUSES.iter().enumerate() {
        for r in reqs.items(status)? {
            if let Some(c) = counts.get_mut(si) {
                *c += 1;
            }
            let start = r.f64("start_time")?;
            let end = r.f64("end_time")?;
            let output_tokens = r.f64("output_tokens")?;
            // A request with no streamed iteration has first_token_time = -1.0.
            let streamed = r.f64("first_token_time")?.is_some_and(|t| t > 0.0);
            let ttft_ms = if streamed {
                r.f64("time_to_first_token_ms")?
            } else {
                None
            };
            let tpot_ms = if streamed && output_tokens.is_some_and(|n| n > 1.0) {
                r.f64("inter_token_latency_ms")?
            } else {
                None
            };
            let e2e_ms = match r.f64("request_latency")? {
                Some(l) => Some(1000.0 * l),
                None => start.zip(end).map(|(s, e)| 1000.0 * (e - s)),
            };
            rows.push(RequestRow {
                ok: *ok,
                error: if *ok {
                    None
                } else {
                    r.str("error")?.or_else(|| Some((*status).to_string()))
                },
                input_tokens: r.f64("prompt_tokens")?,
                output_tokens,
                ttft_ms,
                e2e_ms,
                tpot_ms,
                start_s: start,
            });
        }
    }
    Ok((rows, counts))
}

/// Keep request rows only when they are the population `request_totals` counts.
pub(super) fn check_counts(
    run: &mut Run,
    (rows, counts): (RequestColumns, [u64; 3]),
    totals: Option<&Totals>,
) -> Option<RequestColumns> {
    if let Some(t) = totals {
        let expected = [t.successful, t.errored, t.incomplete];
        if counts != expected {
            run.notes.push(format!(
                "no request rows: the listed requests (successful/errored/incomplete {counts:?}) are not the {expected:?} request_totals counts, so the lists are not the population GuideLLM summarised"
            ));
            return None;
        }
    }
    run.notes.push(format!("{} request rows from requests.* (every request listed; per-request tpot_ms = GuideLLM's inter_token_latency_ms)", rows.len()));
    Some(rows)
}
