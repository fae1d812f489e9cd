//! G3–G5: guidellm 0.4 … 0.7 (`config`, `scheduler_metrics`, optional `metadata`).

use serde_json::Value;

use super::g2::check_counts;
use super::summaries::{report_metrics, STATUSES};
use super::{apply_strategy, apply_window, Generation, Node};
use crate::error::IngestError;
use crate::ingest::json;
use crate::model::{ParsedRun, RequestColumns, RequestRow, Run};

pub(super) fn g3_runs(
    root: &Node<'_>,
    generation: Generation,
) -> Result<Vec<ParsedRun>, IngestError> {
    let version = match root.get("metadata") {
        Some(meta) => meta.str("guidellm_version")?,
        None => None,
    };
    // G5 replaced the top-level `args` by `config` (a scenario).
    let args = root.get("args").or_else(|| root.get("config"));
    let mut runs = Vec::new();
    for (i, bench) in root.req_items("benchmarks")?.iter().enumerate() {
        runs.push(g3_run(
            bench,
            i,
            generation,
            version.as_deref(),
            args.as_ref(),
        )?);
    }
    Ok(runs)
}

pub(super) fn g3_run(
    bench: &Node<'_>,
    index: usize,
    generation: Generation,
    version: Option<&str>,
    args: Option<&Node<'_>>,
) -> Result<ParsedRun, IngestError> {
    let mut run = Run::default();
    match version {
        Some(v) => {
            run.source_tool_version = Some(v.to_string());
            run.notes.push(format!(
                "guidellm {v} (metadata.guidellm_version), report generation {generation:?}"
            ));
        }
        None => {
            run.source_tool_version = Some("0.4.x".into());
            run.notes.push(
                "guidellm 0.4.x: version inferred from the schema (no metadata block)".into(),
            );
        }
    }
    let config = bench.req("config")?;
    apply_strategy(&mut run, &config, "run_index", index)?;
    run.model = match config.get("backend") {
        Some(b) => b.str("model")?,
        None => None,
    };
    if let Some(a) = args {
        if run.model.is_none() {
            run.model = a.str("model")?;
        }
        if let Some(b) = a.str("backend")? {
            run.labels.insert("guidellm.backend".into(), b);
        }
        run.dataset = match a.get("data") {
            Some(d) => match d.value {
                Value::Array(items) => {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                        .collect();
                    Some(parts.join(", "))
                }
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            },
            None => None,
        };
    }
    apply_window(&mut run, bench)?;
    for (key, label) in [
        ("warmup_duration", "guidellm.warmup_duration_s"),
        ("cooldown_duration", "guidellm.cooldown_duration_s"),
    ] {
        if let Some(v) = bench.f64(key)? {
            run.labels.insert(label.into(), crate::format::float(v));
        }
    }

    let totals = report_metrics(&mut run, bench, generation, false)?;

    let sampled = match config.get("sample_requests") {
        Some(n) => Some(json::describe(n.value)),
        None => None,
    };
    let requests = match (sampled, bench.get("requests")) {
        (Some(n), _) => {
            run.notes.push(format!(
                "no request rows: requests were reservoir-sampled (sample_requests = {n})"
            ));
            None
        }
        (None, Some(reqs)) => {
            let window = match bench.get("scheduler_metrics") {
                Some(sm) => (sm.f64("measure_start_time")?, sm.f64("measure_end_time")?),
                None => (None, None),
            };
            let (rows, counts, listed) = g3_rows(&reqs, window)?;
            run.notes.push(format!(
                "measurement window applied to the request lists: {} of {listed} listed requests overlap it (request_end ≥ measure_start and request_start ≤ measure_end)",
                rows.len()
            ));
            check_counts(&mut run, (rows, counts), totals.as_ref())
        }
        (None, None) => None,
    };
    Ok(ParsedRun { run, requests })
}

/// Rows from G3+ `requests.*`, keeping only requests that overlap the measurement window.
pub(super) fn g3_rows(
    reqs: &Node<'_>,
    (measure_start, measure_end): (Option<f64>, Option<f64>),
) -> Result<(RequestColumns, [u64; 3], usize), IngestError> {
    let mut rows = RequestColumns::default();
    let mut counts = [0u64; 3];
    let mut listed = 0;
    for (si, (status, ok)) in STATUSES.iter().enumerate() {
        for r in reqs.items(status)? {
            listed += 1;
            let timings = r.get("info").and_then(|i| i.get("timings"));
            let timing = |key: &str| -> Result<Option<f64>, IngestError> {
                match &timings {
                    Some(t) => t.f64(key),
                    None => Ok(None),
                }
            };
            let start = match r.f64("request_start_time")? {
                Some(s) => Some(s),
                None => timing("request_start")?,
            };
            let end = match r.f64("request_end_time")? {
                Some(e) => Some(e),
                None => timing("request_end")?,
            };
            let after_start = match (end, measure_start) {
                (Some(e), Some(ms)) => e >= ms,
                _ => true,
            };
            let before_end = match (start, measure_end) {
                (Some(s), Some(me)) => s <= me,
                _ => true,
            };
            if !(after_start && before_end) {
                continue;
            }
            if let Some(c) = counts.get_mut(si) {
                *c += 1;
            }
            let error = if *ok {
                None
            } else {
                let info_error = match r.get("info") {
                    Some(i) => i.str("error")?,
                    None => None,
                };
                info_error.or_else(|| Some((*status).to_string()))
            };
            rows.push(RequestRow {
                ok: *ok,
                error,
                input_tokens: r.f64("prompt_tokens")?,
                output_tokens: r.f64("output_tokens")?,
                ttft_ms: r.f64("time_to_first_token_ms")?,
                e2e_ms: r.f64("request_latency")?.map(|l| 1000.0 * l),
                tpot_ms: r.f64("inter_token_latency_ms")?,
                start_s: start,
            });
        }
    }
    Ok((rows, counts, listed))
}
