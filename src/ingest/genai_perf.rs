//! NVIDIA GenAI-Perf and AIPerf exports (`formats/genai-perf.md`): AIPerf's per-request
//! `profile_export.jsonl` with its `profile_export_aiperf.json` / `.csv` summaries, and
//! GenAI-Perf's summary `*_genai_perf.json`.
//!
//! Upstream: ai-dynamo/aiperf 0.1.x (`MetricArray.to_result`, record JSONL) and
//! triton-inference-server/perf_analyzer genai-perf (`LLMProfileDataParser`). The AIPerf JSONL
//! is the run (request rows); its summaries beside it are read, checked to belong to it and
//! contribute no run of their own. A summary without its JSONL yields the run with reported
//! values. Not read yet: GenAI-Perf's raw `profile_export.json` and its `_genai_perf.csv`
//! (no public file exists; they are reported as unknown format).

use std::path::Path;

use serde_json::Value;

use super::csv_columns::{line_at, Cell};
use super::json::{self, Obj};
use super::{Parsed, Parser, Probe, Sidecar, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::ingest::stat_key;
use crate::metric::{self, Metric, MetricKey};
use crate::model::{ParsedRun, Reported, RequestColumns, RequestRate, RequestRow, Run};

/// The `genai_perf` parser.
pub struct GenaiPerf;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    AiperfJsonl,
    AiperfSummary,
    AiperfCsv,
    GenaiPerfSummary,
    GenaiPerfRaw,
    GenaiPerfCsv,
}

/// Each kind with its name in [`Sniff::variant`].
const KINDS: [(Kind, &str); 6] = [
    (Kind::AiperfJsonl, "aiperf_jsonl"),
    (Kind::AiperfSummary, "aiperf_summary"),
    (Kind::AiperfCsv, "aiperf_csv"),
    (Kind::GenaiPerfSummary, "genai_perf_summary"),
    (Kind::GenaiPerfRaw, "genai_perf_raw"),
    (Kind::GenaiPerfCsv, "genai_perf_csv"),
];

fn kind_of(probe: &Probe<'_>) -> Option<Kind> {
    let text = probe.text();
    let has = |k: &str| text.contains(&format!("\"{k}\""));
    match probe.extension.as_str() {
        "jsonl"
            if has("metadata")
                && has("metrics")
                && (has("x_request_id") || has("x_correlation_id")) =>
        {
            Some(Kind::AiperfJsonl)
        }
        "json" if has("records") && has("input_config") && has("error_summary") => {
            Some(Kind::AiperfSummary)
        }
        "json"
            if has("request_latency")
                && has("time_to_first_token")
                && has("input_config")
                && has("request_throughput") =>
        {
            Some(Kind::GenaiPerfSummary)
        }
        "json" if has("experiments") && has("response_timestamps") => Some(Kind::GenaiPerfRaw),
        "csv" if text.starts_with("Metric,avg,min,max,p1,") => Some(Kind::AiperfCsv),
        "csv" if text.starts_with("Metric,avg,min,max,p99,") => Some(Kind::GenaiPerfCsv),
        _ => None,
    }
}

impl Parser for GenaiPerf {
    fn name(&self) -> &'static str {
        "genai_perf"
    }

    fn describe(&self) -> &'static str {
        "NVIDIA GenAI-Perf and AIPerf exports"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        let Some(kind) = kind_of(probe) else {
            return Sniff::no("no GenAI-Perf/AIPerf signature");
        };
        let why = match kind {
            Kind::AiperfJsonl => "AIPerf per-request records (metadata + metrics per line)",
            Kind::AiperfSummary => "AIPerf summary (records, input_config, error_summary)",
            Kind::AiperfCsv => "AIPerf summary CSV (Metric,avg,min,max,p1,…)",
            Kind::GenaiPerfRaw => {
                "GenAI-Perf raw export (experiments[].requests[].response_timestamps)"
            }
            Kind::GenaiPerfCsv => "GenAI-Perf summary CSV (Metric,avg,min,max,p99,…)",
            Kind::GenaiPerfSummary => {
                "GenAI-Perf summary (request_latency, time_to_first_token, input_config)"
            }
        };
        Sniff::certain(why).of_kind(&KINDS, kind)
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        match source.sniff.kind(&KINDS) {
            Some(Kind::AiperfJsonl) => aiperf_jsonl(source),
            Some(kind @ (Kind::AiperfSummary | Kind::AiperfCsv)) if source.has_beside("profile_export.jsonl") => {
                if kind == Kind::AiperfSummary {
                    let v = json::parse(source.bytes, source.path)?;
                    Obj::new(&v, "", source.path)?;
                }
                Ok(Parsed { notes: vec!["summary of profile_export.jsonl beside it; its run is read there".into()], ..Parsed::default() })
            }
            Some(Kind::AiperfSummary) => {
                let v = json::parse(source.bytes, source.path)?;
                let mut run = aiperf_run_fields(&v);
                attach_aiperf_summary(&mut run, &v, source.path)?;
                Ok(Parsed { runs: vec![ParsedRun { run, requests: None }], ..Parsed::default() })
            }
            Some(Kind::AiperfCsv) => Err(IngestError::invalid(
                Location::file(source.path),
                "an AIPerf summary CSV without profile_export.jsonl or profile_export_aiperf.json beside it is not read (its values are rounded to 2 decimals)",
            )),
            Some(Kind::GenaiPerfSummary) => genai_perf_summary(source),
            Some(Kind::GenaiPerfRaw) => genai_perf_raw(source),
            Some(Kind::GenaiPerfCsv) => genai_perf_csv(source),
            None => Err(IngestError::invalid(Location::file(source.path), "not a GenAI-Perf or AIPerf export")),
        }
    }
}

/// AIPerf tag / GenAI-Perf block name → bench-report metric and the factor to its unit.
fn metric_for(tag: &str) -> Option<Metric> {
    Some(match tag {
        "ttft" | "time_to_first_token" => Metric::TtftMs,
        "request_latency" => Metric::E2eMs,
        "inter_token_latency" => Metric::TpotMs,
        "inter_chunk_latency" => Metric::ItlMs,
        "request_throughput" => Metric::RequestThroughputRps,
        "output_token_throughput" => Metric::OutputTokenThroughputTps,
        _ => return None,
    })
}

fn stat_name(k: &str) -> Option<String> {
    match k {
        "avg" => Some("mean".into()),
        "p50" => Some("median".into()),
        "min" | "max" | "std" => Some(k.into()),
        p if p.starts_with('p') && p[1..].parse::<f64>().is_ok() => Some(p.into()),
        _ => None,
    }
}

fn aiperf_definitions(run: &mut Run) {
    run.definitions.insert(
        Metric::TtftMs.key().into(),
        "AIPerf: first response of any kind, reasoning text included".into(),
    );
    run.definitions.insert(Metric::TpotMs.key().into(), "AIPerf inter_token_latency: (request_latency − ttft) / (output_sequence_length − 1), reasoning tokens included".into());
    run.definitions.insert(Metric::ItlMs.key().into(), "AIPerf inter_chunk_latency: gaps between responses (chunks), a chunk can hold more than one token".into());
    run.definitions.insert(
        Metric::OutputTokens.key().into(),
        "AIPerf output_sequence_length counts answer and reasoning tokens".into(),
    );
}

/// The run's concurrency and request rate from the tool's input config: the first of
/// `concurrency_at` (JSON pointers) present, and the rate at `rate_at`.
fn set_load(run: &mut Run, cfg: Option<&Value>, concurrency_at: &[&str], rate_at: &str) {
    run.concurrency = cfg
        .and_then(|c| concurrency_at.iter().find_map(|p| c.pointer(p)))
        .and_then(Value::as_u64)
        .and_then(|c| u32::try_from(c).ok());
    if let Some(r) = cfg.and_then(|c| c.pointer(rate_at)).and_then(Value::as_f64) {
        run.request_rate_rps = Some(RequestRate::Finite(r));
    }
}

fn aiperf_run_fields(summary: &Value) -> Run {
    let mut run = Run::default();
    let cfg = summary.get("input_config");
    let model = cfg
        .and_then(|c| {
            c.pointer("/endpoint/model_names/0")
                .or_else(|| c.pointer("/model_names/0"))
        })
        .and_then(Value::as_str);
    run.model = model.map(str::to_string);
    set_load(
        &mut run,
        cfg,
        &["/loadgen/concurrency", "/concurrency"],
        "/loadgen/request_rate",
    );
    run.date = summary
        .get("start_time")
        .and_then(Value::as_str)
        .and_then(|t| t.get(0..10))
        .map(str::to_string);
    aiperf_definitions(&mut run);
    run
}

fn attach_aiperf_summary(run: &mut Run, v: &Value, path: &Path) -> Result<(), IngestError> {
    let Some(Value::Object(records)) = v.get("records") else {
        return Err(IngestError::missing(
            Location::pointer(path, "/records"),
            "records",
        ));
    };
    for (tag, block) in records {
        let Some(metric) = metric_for(tag) else {
            continue;
        };
        let ptr = format!("/records/{}", json::escape_pointer(tag));
        let b = Obj::new(block, &ptr, path)?;
        for (k, _) in b.map {
            let Some(stat) = stat_name(k) else { continue };
            let Some(x) = b.f64(k)? else { continue };
            let key = if metric.kind() == metric::Kind::RunValue {
                if stat != "mean" {
                    continue;
                }
                metric.run_value().to_string()
            } else {
                stat_key(metric, &stat)
            };
            run.report(key, Reported::new(x, format!("records.{tag}.{k}")));
        }
    }
    if let Some(d) = records
        .get("benchmark_duration")
        .and_then(|b| b.get("avg"))
        .and_then(json::number)
    {
        run.duration_s = Some(d);
    }
    Ok(())
}

fn aiperf_jsonl(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let path = source.path;
    let mut cols = RequestColumns::default();
    // Timestamps are integer ns (~1.8e18): kept as integers so the duration is exact.
    let (mut min_start, mut max_end) = (u64::MAX, 0u64);
    let mut warmup = 0usize;
    for (line, value) in json::parse_lines(source.bytes, path)? {
        let ptr = format!("/line {line}");
        let o = Obj::new(&value, &ptr, path)?;
        let phase = value
            .pointer("/metadata/credit_phase")
            .or_else(|| value.pointer("/metadata/benchmark_phase"))
            .and_then(Value::as_str)
            .unwrap_or("profiling");
        if phase != "profiling" {
            warmup += 1;
            continue;
        }
        let m = |tag: &str| -> Result<Option<f64>, IngestError> {
            match value.pointer(&format!("/metrics/{tag}/value")) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => json::number(v).map(Some).ok_or_else(|| {
                    IngestError::wrong_type(
                        Location::line(path, line, Some(tag)),
                        "a number",
                        json::describe(v),
                    )
                }),
            }
        };
        let error = match o.get("error") {
            None | Some(Value::Null) => None,
            Some(e) => Some(format!(
                "{} {}: {}",
                e.get("code").map(ToString::to_string).unwrap_or_default(),
                e.get("type").and_then(Value::as_str).unwrap_or(""),
                e.get("message").and_then(Value::as_str).unwrap_or("")
            )),
        };
        let ok = error.is_none();
        if ok {
            if let Some(s) = value
                .pointer("/metrics/min_request_timestamp/value")
                .and_then(Value::as_u64)
            {
                min_start = min_start.min(s);
            }
            if let Some(e) = value
                .pointer("/metrics/max_response_timestamp/value")
                .and_then(Value::as_u64)
            {
                max_end = max_end.max(e);
            }
            if let Some(Value::Array(gaps)) = value.pointer("/metrics/inter_chunk_latency/value") {
                for g in gaps {
                    cols.itl_ms.push(json::number(g).ok_or_else(|| {
                        IngestError::wrong_type(
                            Location::line(path, line, Some("inter_chunk_latency")),
                            "a number",
                            json::describe(g),
                        )
                    })?);
                }
            }
        }
        cols.push(RequestRow {
            ok,
            error,
            input_tokens: m("input_sequence_length")?,
            output_tokens: m("output_sequence_length")?,
            ttft_ms: m("ttft")?,
            e2e_ms: m("request_latency")?,
            tpot_ms: m("inter_token_latency")?,
            start_s: m("min_request_timestamp")?.map(|ns| ns / 1e9),
        });
    }
    let mut run = if let Some(Sidecar {
        path: summary_path,
        bytes,
    }) = source.beside("profile_export_aiperf.json")?
    {
        let v = json::parse(&bytes, &summary_path)?;
        let mut run = aiperf_run_fields(&v);
        attach_aiperf_summary(&mut run, &v, &summary_path)?;
        run
    } else {
        let mut run = Run::default();
        aiperf_definitions(&mut run);
        run
    };
    // benchmark_duration = max response − min request over completed requests (ns).
    if max_end > min_start {
        run.duration_s = Some((max_end - min_start) as f64 / 1e9);
    }
    if warmup > 0 {
        run.notes
            .push(format!("{warmup} warmup record(s) not counted"));
    }
    run.num_requests = Some(cols.len() as u64);
    run.num_failed = Some(cols.ok.iter().filter(|o| !**o).count() as u64);
    run.engine.get_or_insert_with(|| "aiperf".into());
    Ok(Parsed {
        runs: vec![ParsedRun {
            run,
            requests: Some(cols),
        }],
        ..Parsed::default()
    })
}

fn genai_perf_summary(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let path = source.path;
    let v = json::parse(source.bytes, path)?;
    let root = Obj::new(&v, "", path)?;
    let mut run = Run::default();
    let cfg = v.get("input_config");
    run.model = cfg
        .and_then(|c| {
            c.pointer("/model_names/0")
                .or_else(|| c.pointer("/model/0"))
                .or_else(|| c.get("model"))
        })
        .and_then(|m| {
            m.as_str()
                .map(str::to_string)
                .or_else(|| m.get(0).and_then(Value::as_str).map(str::to_string))
        });
    set_load(
        &mut run,
        cfg,
        &["/perf_analyzer/stimulus/concurrency", "/concurrency"],
        "/perf_analyzer/stimulus/request_rate",
    );
    for (tag, block) in root.map {
        let Some(metric) = metric_for(tag) else {
            continue;
        };
        let ptr = root.child_pointer(tag);
        let b = Obj::new(block, &ptr, path)?;
        for (k, _) in b.map {
            let Some(stat) = stat_name(k) else { continue };
            let Some(x) = b.f64(k)? else { continue };
            if metric.kind() == metric::Kind::RunValue {
                if stat == "mean" {
                    let rep = if metric == Metric::RequestThroughputRps {
                        Reported::with_method(
                            x,
                            format!("{tag}.avg"),
                            "all requests (errors included) / duration",
                        )
                    } else {
                        Reported::new(x, format!("{tag}.avg"))
                    };
                    run.report(metric.run_value(), rep);
                }
            } else {
                run.report(
                    stat_key(metric, &stat),
                    Reported::new(x, format!("{tag}.{k}")),
                );
            }
        }
    }
    if let Some(n) = v.pointer("/request_count/avg").and_then(json::number) {
        run.num_requests = Some(n as u64);
        if let Some(rps) = run
            .reported
            .get(&Metric::RequestThroughputRps.run_value().to_string())
            .map(|r| r.value)
            .filter(|r| *r > 0.0)
        {
            run.duration_s = Some(n / rps);
            run.notes.push("duration_s derived as request_count / request_throughput (GenAI-Perf does not store it)".into());
        }
    }
    run.definitions.insert(
        Metric::TtftMs.key().into(),
        "GenAI-Perf: time to the first content token (reasoning ignored)".into(),
    );
    run.definitions.insert(Metric::TpotMs.key().into(), "GenAI-Perf inter_token_latency: (request_latency − ttft) / (output tokens − 1), integer ns, content tokens only".into());
    run.definitions.insert(
        Metric::RequestThroughputRps.run_value().into(),
        "GenAI-Perf counts all requests, failed ones included, over the measurement window".into(),
    );
    run.notes.push(
        "GenAI-Perf summary: no per-request data and no error count (error rate unknown)".into(),
    );
    run.engine = Some("genai-perf".into());
    Ok(Parsed {
        runs: vec![ParsedRun {
            run,
            requests: None,
        }],
        ..Parsed::default()
    })
}

/// The text a GenAI-Perf response carries (empty responses are dropped with their timestamp,
/// as `LLMProfileDataParser` does): OpenAI SSE `delta.content` / `text`, or Triton `text_output`.
fn response_text(out: &Value) -> String {
    if let Some(t) = out.get("text_output").and_then(Value::as_str) {
        return t.to_string();
    }
    let Some(raw) = out.get("response").and_then(Value::as_str) else {
        return String::new();
    };
    let mut text = String::new();
    for event in raw
        .split("data:")
        .map(str::trim)
        .filter(|e| !e.is_empty() && *e != "[DONE]")
    {
        if let Ok(v) = serde_json::from_str::<Value>(event) {
            for key in [
                "/choices/0/delta/content",
                "/choices/0/text",
                "/choices/0/message/content",
            ] {
                if let Some(t) = v.pointer(key).and_then(Value::as_str) {
                    text.push_str(t);
                }
            }
        }
    }
    text
}

/// GenAI-Perf raw `profile_export.json`: one run per experiment (load level); timestamps are
/// integer ns read as u64 (never through f64). Token counts need the tokenizer GenAI-Perf was
/// given, so output tokens (and TPOT) are unknown here; TTFT, E2E and chunk gaps are exact.
fn genai_perf_raw(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let path = source.path;
    let v = json::parse(source.bytes, path)?;
    let root = Obj::new(&v, "", path)?;
    let Some(exps) = root.array("experiments")? else {
        return Err(IngestError::missing(root.loc("experiments"), "experiments"));
    };
    let mut parsed = Parsed::default();
    for (e, exp) in exps.iter().enumerate() {
        let mut run = Run {
            engine: Some("genai-perf".into()),
            ..Run::default()
        };
        let mode = exp
            .pointer("/experiment/mode")
            .and_then(Value::as_str)
            .unwrap_or("");
        let value = exp.pointer("/experiment/value").and_then(json::number);
        match (mode, value) {
            ("concurrency", Some(c)) => run.concurrency = Some(c as u32),
            ("request_rate", Some(r)) => run.request_rate_rps = Some(RequestRate::Finite(r)),
            _ => {}
        }
        run.name = Some(format!(
            "{mode} {}",
            value.map(crate::format::float).unwrap_or_default()
        ));
        let reqs_ptr = format!("/experiments/{e}/requests");
        let Some(Value::Array(reqs)) = exp.get("requests") else {
            return Err(IngestError::missing(
                Location::pointer(path, reqs_ptr),
                "requests",
            ));
        };
        let mut cols = RequestColumns::default();
        let (mut first, mut last) = (u64::MAX, 0u64);
        for (i, r) in reqs.iter().enumerate() {
            let at = |k: &str| format!("{reqs_ptr}/{i}/{k}");
            let t0 = r.get("timestamp").and_then(Value::as_u64).ok_or_else(|| {
                IngestError::wrong_type(
                    Location::pointer(path, at("timestamp")),
                    "an integer of nanoseconds",
                    r.get("timestamp").map_or("nothing".into(), json::describe),
                )
            })?;
            let ts: Vec<u64> = match r.get("response_timestamps") {
                Some(Value::Array(a)) => a
                    .iter()
                    .enumerate()
                    .map(|(j, x)| {
                        x.as_u64().ok_or_else(|| {
                            IngestError::wrong_type(
                                Location::pointer(
                                    path,
                                    format!("{}/{j}", at("response_timestamps")),
                                ),
                                "an integer of nanoseconds",
                                json::describe(x),
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?,
                _ => {
                    return Err(IngestError::missing(
                        Location::pointer(path, at("response_timestamps")),
                        "response_timestamps",
                    ))
                }
            };
            let outs: Vec<&Value> = match r.get("response_outputs") {
                Some(Value::Array(a)) => a.iter().collect(),
                _ => Vec::new(),
            };
            let kept: Vec<u64> = ts
                .iter()
                .enumerate()
                .filter(|(j, _)| outs.get(*j).is_some_and(|o| !response_text(o).is_empty()))
                .map(|(_, t)| *t)
                .collect();
            let (Some(&f), Some(&l)) = (kept.first(), kept.last()) else {
                cols.push(RequestRow {
                    ok: false,
                    error: Some("no response with content".into()),
                    ..RequestRow::default()
                });
                continue;
            };
            first = first.min(t0);
            last = last.max(l);
            cols.itl_ms
                .extend(kept.windows(2).map(|w| (w[1] - w[0]) as f64 / 1e6));
            cols.push(RequestRow {
                ok: true,
                ttft_ms: Some(f.saturating_sub(t0) as f64 / 1e6),
                e2e_ms: Some(l.saturating_sub(t0) as f64 / 1e6),
                start_s: Some(t0 as f64 / 1e9),
                ..RequestRow::default()
            });
        }
        if last > first {
            run.duration_s = Some((last - first) as f64 / 1e9);
        }
        run.num_requests = Some(cols.len() as u64);
        run.num_failed = Some(cols.ok.iter().filter(|o| !**o).count() as u64);
        run.notes.push("GenAI-Perf raw export: token counts need its tokenizer, so output tokens and TPOT are unknown; requests with no content are counted as failed".into());
        run.definitions.insert(Metric::ItlMs.key().into(), "GenAI-Perf raw export: gaps between responses with content (a response can hold several tokens)".into());
        parsed.runs.push(ParsedRun {
            run,
            requests: Some(cols),
        });
    }
    Ok(parsed)
}

/// Rate rows of a `_genai_perf.csv` copied as reported: (row name, our key, method).
const CSV_RATES: [(&str, MetricKey, &str); 3] = [
    (
        "Request Throughput (per sec)",
        Metric::RequestThroughputRps.run_value(),
        "all requests (errors included) / duration, 2 decimals",
    ),
    (
        "Output Token Throughput (per sec)",
        Metric::OutputTokenThroughputTps.run_value(),
        "2 decimals",
    ),
    (
        "Output Token Throughput (tokens/sec)",
        Metric::OutputTokenThroughputTps.run_value(),
        "2 decimals",
    ),
];

/// GenAI-Perf `<stem>_genai_perf.csv`: numbers written `f"{v:,.2f}"` (thousands separators,
/// quoted when ≥ 1000), `N/A` for a missing stat; rows matched by name.
fn genai_perf_csv(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let path = source.path;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source.bytes);
    let mut run = Run {
        engine: Some("genai-perf".into()),
        ..Run::default()
    };
    let mut header: Vec<String> = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        let start = rdr.position().byte();
        let more = rdr.read_record(&mut rec).map_err(|e| {
            IngestError::syntax(
                Location::line(path, e.position().map_or(0, csv::Position::line), None),
                e,
            )
        })?;
        if !more {
            break;
        }
        // Line of the record's first byte (skipping the newline that ended the previous one);
        // csv's own line counter is off by one on CRLF files.
        let line = line_at(source.bytes, start);
        let cells: Vec<&str> = rec.iter().collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            header.clear();
            continue;
        }
        if cells.first() == Some(&"Metric") {
            header = cells.iter().map(|c| c.to_string()).collect();
            continue;
        }
        let name = cells.first().copied().unwrap_or("");
        let num = |i: usize| -> Result<Option<f64>, IngestError> {
            let raw = cells.get(i).copied().unwrap_or("").trim();
            if raw.is_empty() || raw == "N/A" {
                return Ok(None);
            }
            let cell = Cell {
                path,
                line,
                column: header.get(i).map(String::as_str),
                text: raw,
            };
            cell.parse("a number like 5,919.16 or N/A", |t| {
                t.replace(',', "").parse::<f64>().ok()
            })
            .map(Some)
        };
        let metric = match name {
            "Time To First Token (ms)" => Some(Metric::TtftMs.key()),
            "Request Latency (ms)" => Some(Metric::E2eMs.key()),
            "Inter Token Latency (ms)" => Some(Metric::TpotMs.key()),
            _ => None,
        };
        if let Some(m) = metric {
            for (i, h) in header.iter().enumerate().skip(1) {
                if let (Some(stat), Some(x)) = (stat_name(h), num(i)?) {
                    run.report(
                        format!("{m}.{stat}"),
                        Reported::with_method(x, format!("{name} {h}"), "rounded to 2 decimals"),
                    );
                }
            }
        } else if header.len() == 2 {
            if let Some((_, key, method)) = CSV_RATES.iter().find(|(row, _, _)| *row == name) {
                if let Some(x) = num(1)? {
                    run.report(*key, Reported::with_method(x, name, *method));
                }
            } else if name == "Request Count (count)" {
                run.num_requests = num(1)?.map(|x| x as u64);
            }
        }
    }
    run.definitions.insert(Metric::TpotMs.key().into(), "GenAI-Perf inter_token_latency: (request_latency − ttft) / (output tokens − 1), content tokens only".into());
    Ok(Parsed {
        runs: vec![ParsedRun {
            run,
            requests: None,
        }],
        ..Parsed::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::testing::{
        assert_close, corpus, detect_and_parse_all, ok_values, parse_file,
    };
    use crate::stats;

    #[test]
    fn genai_perf_aiperf_summary_from_jsonl() {
        // formats/genai-perf.md WE1: AIPerf's summary statistics equal numpy over the JSONL's
        // completed profiling records (population std, linear percentiles).
        let Some(root) = corpus() else { return };
        let dir = root.join("genai-perf/ai-dynamo-aiperf-example-run1-2025-10-03");
        let p = parse_file(&GenaiPerf, &dir.join("profile_export.jsonl"), &root).expect("parses");
        let raw: Value = serde_json::from_slice(
            &std::fs::read(dir.join("profile_export_aiperf.json")).expect("read"),
        )
        .expect("json");
        let rows = p.runs[0].requests.as_ref().expect("rows");
        for (tag, vals) in [
            ("ttft", ok_values(rows, &rows.ttft_ms)),
            ("request_latency", ok_values(rows, &rows.e2e_ms)),
            ("inter_token_latency", ok_values(rows, &rows.tpot_ms)),
            ("inter_chunk_latency", rows.itl_ms.clone()),
        ] {
            let s = stats::sorted(&vals);
            let rec = &raw["records"][tag];
            assert_close(
                stats::mean(&vals).expect("v"),
                rec["avg"].as_f64().expect("avg"),
                1e-12,
                &format!("{tag} avg"),
            );
            assert_close(
                stats::std(&vals, 0).expect("v"),
                rec["std"].as_f64().expect("std"),
                1e-9,
                &format!("{tag} std"),
            );
            for q in ["p50", "p90", "p99"] {
                let want = rec[q].as_f64().expect("pct");
                let got =
                    stats::percentile_linear_sorted(&s, q[1..].parse().expect("p")).expect("v");
                assert_close(got, want, 1e-12, &format!("{tag} {q}"));
            }
            assert_eq!(
                rec["count"].as_f64(),
                Some(vals.len() as f64),
                "{tag} count"
            );
        }
        let completed = rows.ok.iter().filter(|o| **o).count() as f64;
        assert_eq!(
            raw["records"]["request_count"]["avg"].as_f64(),
            Some(completed)
        );
        let d = p.runs[0].run.duration_s.expect("duration");
        assert_close(
            d,
            raw["records"]["benchmark_duration"]["avg"]
                .as_f64()
                .expect("duration"),
            1e-9,
            "benchmark_duration",
        );
    }

    #[test]
    fn genai_perf_corpus_walk() {
        let Some(root) = corpus() else { return };
        let all = detect_and_parse_all(&GenaiPerf, &root.join("genai-perf"), &root);
        assert!(!all.is_empty());
    }

    #[test]
    fn genai_perf_summary_passes_through() {
        let Some(root) = corpus() else { return };
        let f = root.join("genai-perf/wellflat-k8s-dev-genai-perf-summary-2025-09-30/profile_export_genai_perf.json");
        let p = parse_file(&GenaiPerf, &f, &root).expect("parses");
        let r = &p.runs[0].run;
        // The file prints time_to_first_token avg 1524.6265132 and p99 2342.05304546 ms.
        assert_eq!(r.reported["ttft_ms.mean"].value, 1524.6265132);
        assert_eq!(r.reported["ttft_ms.p99"].value, 2342.05304546);
        assert!(r.definitions.contains_key("request_throughput_rps"));
    }

    #[test]
    fn genai_perf_raw_export_fixture() {
        // tests/fixtures/genai_perf/raw/profile_export.json, hand-made in the documented shape.
        // Request 0: t0 = 1_000_000_000_000 ns; responses at +50 ms (role chunk, no content:
        // dropped), +120 ms ("Hel"), +150 ms ("lo"), +160 ms ([DONE], dropped).
        //   TTFT = 120 ms, E2E = 150 ms (last content response), one gap of 30 ms.
        // Request 1: t0 + 10 ms; one content response at +210 ms → TTFT = E2E = 200 ms.
        // Request 2: only [DONE] → no content → failed.
        // Duration = (t0 + 210 ms − t0) = 0.21 s over kept requests.
        let p =
            crate::ingest::testing::parse_fixture(&GenaiPerf, "genai_perf/raw/profile_export.json")
                .expect("parses");
        let run = &p.runs[0];
        assert_eq!(run.run.concurrency, Some(2));
        let rows = run.requests.as_ref().expect("rows");
        assert_eq!(rows.ok, vec![true, true, false]);
        assert_eq!(rows.ttft_ms[0], Some(120.0));
        assert_eq!(rows.e2e_ms[0], Some(150.0));
        assert_eq!(rows.ttft_ms[1], Some(200.0));
        assert_eq!(rows.itl_ms, vec![30.0]);
        assert_eq!(run.run.duration_s, Some(0.21));
    }

    #[test]
    fn genai_perf_csv_fixture_with_thousands_separators() {
        // "5,919.16" is 5919.16; N/A is unknown.
        let p = crate::ingest::testing::parse_fixture(
            &GenaiPerf,
            "genai_perf/csv/llama_genai_perf.csv",
        )
        .expect("parses");
        let r = &p.runs[0].run;
        assert_eq!(r.reported["e2e_ms.mean"].value, 5919.16);
        assert_eq!(r.reported["ttft_ms.p99"].value, 1234.5);
        assert!(!r.reported.contains_key("tpot_ms.p25"), "N/A is unknown");
        assert_eq!(r.reported["request_throughput_rps"].value, 0.31);
        assert_eq!(r.num_requests, Some(66));
        let err = crate::ingest::testing::parse_fixture(
            &GenaiPerf,
            "genai_perf/bad/text_in_number_genai_perf.csv",
        )
        .expect_err("bad");
        assert!(
            err.to_string().ends_with(
                "line 2, column \"avg\": expected a number like 5,919.16 or N/A, found \"fast\""
            ),
            "{err}"
        );
    }

    #[test]
    fn genai_perf_bad_metric_names_line() {
        let m = crate::ingest::Mapping::default();
        let bytes = b"{\"metadata\":{\"x_request_id\":\"a\",\"credit_phase\":\"profiling\"},\"metrics\":{\"ttft\":{\"value\":\"slow\",\"unit\":\"ms\"}},\"error\":null}\n";
        let err = crate::ingest::testing::parse_bytes(
            &GenaiPerf,
            Path::new("p.jsonl"),
            "p.jsonl",
            bytes,
            &m,
        )
        .expect_err("bad");
        assert_eq!(
            err.to_string(),
            "p.jsonl: line 1, column \"ttft\": expected a number, found \"slow\""
        );
    }
}
