//! G1: guidellm 0.1.x "GuidanceReport" (every request stored, no summaries).

use super::{emulated_lengths_g1, unix_date, Node};
use crate::error::IngestError;
use crate::ingest::json;
use crate::model::{ParsedRun, RequestColumns, RequestRate, RequestRow, Run};

pub(super) fn g1_runs(root: &Node<'_>) -> Result<Vec<ParsedRun>, IngestError> {
    let mut runs = Vec::new();
    let reports = root.req_items("benchmarks")?;
    let many_reports = reports.len() > 1;
    for (ri, report) in reports.iter().enumerate() {
        let args = report.get("args");
        for (bi, bench) in report.req_items("benchmarks")?.iter().enumerate() {
            let mut pr = g1_run(bench, args.as_ref())?;
            let label = pr.run.name.take().unwrap_or_default();
            pr.run.name = Some(if many_reports {
                format!("{ri}.{bi}-{label}")
            } else {
                format!("{label}-{bi}")
            });
            runs.push(pr);
        }
    }
    Ok(runs)
}

pub(super) fn g1_run(bench: &Node<'_>, args: Option<&Node<'_>>) -> Result<ParsedRun, IngestError> {
    let mut run = Run {
        source_tool_version: Some("0.1.x".into()),
        ..Run::default()
    };
    run.notes.push(
        "guidellm 0.1.x GuidanceReport: version inferred from the schema (the file has no version field)".into(),
    );
    let mode = bench.str("mode")?.unwrap_or_else(|| "unknown".into());
    let rate = bench.f64("rate")?;
    match mode.as_str() {
        "synchronous" => run.concurrency = Some(1),
        "throughput" => run.request_rate_rps = Some(RequestRate::Infinite),
        _ => run.request_rate_rps = rate.map(RequestRate::Finite),
    }
    run.name = Some(match rate {
        Some(r) if mode != "synchronous" && mode != "throughput" => {
            format!("{mode}@{}", crate::format::float(r))
        }
        _ => mode.clone(),
    });
    run.labels.insert("guidellm.mode".into(), mode);

    if let Some(args) = args {
        run.model = args.str("model")?;
        let data = args.str("data")?;
        let data_type = args.str("data_type")?;
        if data_type.as_deref() == Some("emulated") {
            if let Some(d) = data.as_deref() {
                let (input, output) = emulated_lengths_g1(d);
                run.input_len = input;
                run.output_len = output;
            }
        }
        run.dataset = data;
        for key in ["backend_type", "data_type", "mode", "tokenizer"] {
            if let Some(v) = args.str(key)? {
                run.labels.insert(format!("guidellm.args.{key}"), v);
            }
        }
    }

    let results = bench.req_items("results")?;
    let errors = bench.items("errors")?;
    let mut rows = RequestColumns::default();
    let mut first_start = None;
    let mut last_end = None;
    for (i, r) in results.iter().enumerate() {
        let start = r.f64("start_time")?;
        let end = r.f64("end_time")?;
        if i == 0 {
            first_start = start;
        }
        last_end = end;
        // first_token_time is a duration in seconds (start → first chunk), not a timestamp.
        let ttft_s = if r.get("first_token_set").and_then(|n| n.value.as_bool()) == Some(false) {
            None
        } else {
            r.f64("first_token_time")?
        };
        let e2e_ms = match (start, end) {
            (Some(s), Some(e)) => Some(1000.0 * (e - s)),
            _ => None,
        };
        rows.push(RequestRow {
            ok: true,
            error: None,
            input_tokens: r.f64("prompt_token_count")?,
            output_tokens: r.f64("output_token_count")?,
            ttft_ms: ttft_s.map(|t| 1000.0 * t),
            e2e_ms,
            tpot_ms: None,
            start_s: start,
        });
        if let Some(decode) = r.get("decode_times") {
            for gap in decode.req_items("data")? {
                let gap_s = json::number(gap.value).ok_or_else(|| {
                    IngestError::wrong_type(gap.loc(), "a number", json::describe(gap.value))
                })?;
                rows.itl_ms.push(1000.0 * gap_s);
            }
        }
    }
    for e in &errors {
        rows.push(RequestRow {
            ok: false,
            error: e.str("message")?,
            ..RequestRow::default()
        });
    }

    // guidellm 0.1 divides by results[-1].end_time − results[0].start_time in list order
    // (completion order), not max − min; keeping its duration keeps its throughput.
    if let (Some(s), Some(e)) = (first_start, last_end) {
        run.duration_s = Some(e - s);
        run.notes.push(
            "duration_s = results[-1].end_time − results[0].start_time in list (completion) order, as guidellm 0.1 computes it".into(),
        );
    }
    run.date = first_start
        .or(bench
            .items("concurrencies")?
            .first()
            .map(|c| c.f64("time"))
            .transpose()?
            .flatten())
        .and_then(unix_date);
    run.num_requests = Some((results.len() + errors.len()) as u64);
    run.num_failed = Some(errors.len() as u64);
    if let Some(last) = bench.items("concurrencies")?.last() {
        if let Some(p) = last.u64("processing")? {
            if p > 0 {
                run.notes.push(format!(
                    "{p} request(s) still in flight at the end (last concurrencies entry); guidellm 0.1 lists them in neither results nor errors"
                ));
            }
        }
    }
    run.notes.push(format!(
        "itl_ms pools {} individual chunk gaps (decode_times), guidellm 0.1's own inter_token_latency definition",
        rows.itl_ms.len()
    ));
    Ok(ParsedRun {
        run,
        requests: Some(rows),
    })
}
