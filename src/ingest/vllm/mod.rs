//! vLLM benchmark outputs (`formats/vllm.md`): serving results of `benchmark_serving.py` /
//! `vllm bench serve` (one object, `--append-result` JSONL, `vllm bench sweep` run and summary
//! files), `benchmark_latency.py` and `benchmark_throughput.py` JSON, and the nightly
//! `benchmark_results.json` / `.md`.
//!
//! Upstream schema: vllm-project/vllm `benchmarks/benchmark_serving.py` (2024-02 .. 2025-09)
//! and `vllm/benchmarks/serve.py` (to v0.25.1), as the format note records key by key.
//! Per-request arrays (`--save-detailed`, seconds) become request rows; the summary numbers
//! vLLM printed are kept as `Reported` so `metrics.rs` cross-checks them. Nothing here
//! computes a summary statistic.

use serde_json::Value;

use super::json::{self, Obj};
use super::{stat_key, Parsed, Parser, Probe, Sidecar, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::metric::{Metric, Stat};
use crate::model::{ParsedRun, Reported, RequestColumns, RequestRate, Run};

/// The `vllm` parser.
pub struct Vllm;

/// Which vLLM file a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Serving,
    SweepSummary,
    Latency,
    Throughput,
    NightlyJson,
    NightlyMd,
}

/// Each kind with its name in [`Sniff::variant`].
const KINDS: [(Kind, &str); 6] = [
    (Kind::Serving, "serving"),
    (Kind::SweepSummary, "sweep_summary"),
    (Kind::Latency, "latency"),
    (Kind::Throughput, "throughput"),
    (Kind::NightlyJson, "nightly_json"),
    (Kind::NightlyMd, "nightly_md"),
];

fn kind_of(probe: &Probe<'_>) -> Option<(Kind, &'static str)> {
    let text = probe.text();
    let has = |k: &str| text.contains(&format!("\"{k}\""));
    match probe.extension.as_str() {
        "md" => (probe.file_name == "benchmark_results.md"
            || (text.contains("Test name") && text.contains("Tput (req/s)")))
        .then_some((
            Kind::NightlyMd,
            "vLLM nightly report markdown (Test name | … Tput (req/s) tables)",
        )),
        "json" | "jsonl" => {
            if probe.file_name == "benchmark_results.json"
                && (has("Test name") || has("serving") || has("latency"))
            {
                return Some((Kind::NightlyJson, "vLLM nightly benchmark_results.json"));
            }
            let serving = has("model_id")
                && has("date")
                && (has("backend") || has("endpoint_type"))
                && (has("duration") || has("mean_ttft_ms") || has("completed"));
            if serving && text.trim_start().starts_with('[') {
                return Some((
                    Kind::SweepSummary,
                    "a list of vLLM serving results (vllm bench sweep summary.json)",
                ));
            }
            if serving {
                return Some((
                    Kind::Serving,
                    "has \"date\", \"backend\"/\"endpoint_type\", \"model_id\" and serving results",
                ));
            }
            if has("avg_latency") && has("latencies") && has("percentiles") {
                return Some((
                    Kind::Latency,
                    "has \"avg_latency\", \"latencies\", \"percentiles\" (benchmark_latency.py)",
                ));
            }
            if has("elapsed_time")
                && has("requests_per_second")
                && has("tokens_per_second")
                && has("total_num_tokens")
                && !has("benchmarks")
            {
                return Some((Kind::Throughput, "has \"elapsed_time\", \"requests_per_second\", \"tokens_per_second\" (benchmark_throughput.py)"));
            }
            None
        }
        _ => None,
    }
}

impl Parser for Vllm {
    fn name(&self) -> &'static str {
        "vllm"
    }

    fn describe(&self) -> &'static str {
        "vLLM benchmark outputs (serve, sweep, latency, throughput, nightly)"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        match kind_of(probe) {
            Some((kind, why)) => Sniff::certain(why).of_kind(&KINDS, kind),
            None => Sniff::no("no vLLM benchmark signature"),
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        // A file forced with `--format vllm` that vLLM's sniff did not recognise is read as
        // a serving result.
        let kind = source.sniff.kind(&KINDS).unwrap_or(Kind::Serving);
        let path = source.path;
        match kind {
            Kind::Serving => {
                let mut parsed = Parsed::default();
                if json::looks_like_jsonl(source.bytes) {
                    for (line, value) in json::parse_lines(source.bytes, path)? {
                        let ptr = String::new();
                        let obj = Obj::new(&value, &ptr, path).map_err(|_| {
                            IngestError::wrong_type(
                                Location::line(path, line, None),
                                "a JSON object per line",
                                "something else",
                            )
                        })?;
                        parsed
                            .runs
                            .push(serving_run(obj).map_err(|e| with_line(e, line))?);
                    }
                    parsed.notes.push(format!(
                        "JSON Lines: {} appended results",
                        parsed.runs.len()
                    ));
                } else {
                    let value = json::parse(source.bytes, path)?;
                    let mut pr = serving_run(Obj::new(&value, "", path)?)?;
                    nightly_file(source, &mut pr.run)?;
                    parsed.runs.push(pr);
                }
                Ok(parsed)
            }
            Kind::SweepSummary => sweep_summary(source),
            Kind::Latency => latency(source),
            Kind::Throughput => throughput(source),
            Kind::NightlyJson => nightly_json(source),
            Kind::NightlyMd => Ok(nightly_md(source)),
        }
    }
}

fn with_line(e: IngestError, line: u64) -> IngestError {
    match e {
        IngestError::WrongType {
            loc,
            expected,
            found,
        } => IngestError::WrongType {
            loc: Location {
                at: loc.at.map(|a| match a {
                    crate::error::At::Pointer(p) => {
                        crate::error::At::Pointer(format!("line {line}{p}"))
                    }
                    other => other,
                }),
                ..loc
            },
            expected,
            found,
        },
        other => other,
    }
}

/// `YYYYMMDD-HHMMSS` → `YYYY-MM-DD`.
fn iso_date(d: &str) -> Option<String> {
    let digits = d.get(0..8)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| format!("{}-{}-{}", &digits[0..4], &digits[4..6], &digits[6..8]))
}

/// Keys the serving parser interprets; any other key becomes a label or a `vllm.` extra.
fn is_stat_key(k: &str) -> Option<(Metric, String)> {
    let (rest, metric) = [
        ("_ttft_ms", Metric::TtftMs),
        ("_tpot_ms", Metric::TpotMs),
        ("_itl_ms", Metric::ItlMs),
        ("_e2el_ms", Metric::E2eMs),
    ]
    .into_iter()
    .find_map(|(suffix, m)| k.strip_suffix(suffix).map(|r| (r, m)))?;
    let stat = match rest {
        "mean" | "median" | "std" => rest.to_string(),
        p if p.starts_with('p') && p[1..].parse::<f64>().is_ok() => p.to_string(),
        _ => return None,
    };
    Some((metric, stat))
}

const ARRAYS: [&str; 7] = [
    "input_lens",
    "output_lens",
    "ttfts",
    "itls",
    "generated_texts",
    "errors",
    "start_times",
];

/// One serving result object → one run.
fn serving_run(o: Obj<'_>) -> Result<ParsedRun, IngestError> {
    let mut run = Run {
        engine: Some("vllm".into()),
        ..Run::default()
    };
    run.model = o.str("model_id")?;
    run.date = o.str("date")?.as_deref().and_then(iso_date);
    run.concurrency = o
        .u64("max_concurrency")?
        .and_then(|c| u32::try_from(c).ok());
    run.request_rate_rps = match o.get("request_rate") {
        None | Some(Value::Null) => None,
        Some(v) => match json::number(v) {
            Some(x) if x.is_infinite() => Some(RequestRate::Infinite),
            Some(x) => Some(RequestRate::Finite(x)),
            None => {
                return Err(IngestError::wrong_type(
                    o.loc("request_rate"),
                    "a number or \"inf\"",
                    json::describe(v),
                ))
            }
        },
    };
    run.duration_s = o.f64("duration")?;
    let completed = o.u64("completed")?;
    let failed = o.u64("failed")?;
    // `failed` exists only from 2025-10; before, every one of `num_prompts` was sent, so the
    // failures are the prompts that did not complete.
    match (completed, failed, o.u64("num_prompts")?) {
        (Some(c), Some(f), _) => {
            run.num_requests = Some(c + f);
            run.num_failed = Some(f);
        }
        (Some(c), None, Some(n)) if n >= c => {
            run.num_requests = Some(n);
            run.num_failed = Some(n - c);
        }
        (Some(c), None, _) => run.num_requests = Some(c),
        _ => {}
    }
    if let Some(n) = o.u64("run_number")? {
        run.name = Some(format!("run={n}"));
    }
    if let Some(label) = o.str("label")? {
        run.labels.insert("label".into(), label);
    }
    let backend = o.str("backend")?.or(o.str("endpoint_type")?);
    if let Some(b) = backend {
        run.labels.insert("backend".into(), b);
    }
    // Summary statistics, in ms.
    let swapped = o.has("mean_e2el_ms") && !o.has("burstiness");
    for (k, v) in o.map {
        if let Some((metric, stat)) = is_stat_key(k) {
            let Some(x) = o.f64(k)? else { continue };
            let stat = if metric == Metric::E2eMs && swapped {
                match stat.as_str() {
                    "mean" => "median".to_string(),
                    "median" => "mean".to_string(),
                    _ => stat,
                }
            } else {
                stat
            };
            let label =
                if metric == Metric::E2eMs && swapped && (stat == "mean" || stat == "median") {
                    format!("{k} (vLLM v0.6.0–v0.6.3 wrote mean and median swapped; swapped back)")
                } else {
                    k.clone()
                };
            run.report(stat_key(metric, &stat), Reported::new(x, label));
        } else if let Some((_, ours)) = SERVING_RATES.iter().find(|(theirs, _)| theirs == k) {
            run.report_opt(&ours.run_value().to_string(), o.f64(k)?, k);
        } else {
            match k.as_str() {
                "date" | "model_id" | "max_concurrency" | "request_rate" | "duration"
                | "completed" | "failed" | "run_number" | "label" | "backend" | "endpoint_type" => {
                }
                k if ARRAYS.contains(&k) => {}
                _ => match v {
                    Value::String(s) => {
                        run.labels.insert(k.clone(), s.clone());
                    }
                    Value::Number(_) | Value::Bool(_) => {
                        if let Some(x) = json::number(v) {
                            if k.ends_with("_ms")
                                || k.contains("throughput")
                                || k.starts_with("total_")
                                || k.starts_with("max_")
                            {
                                run.report(format!("vllm.{k}"), Reported::new(x, k.clone()));
                            } else {
                                run.labels.insert(k.clone(), v.to_string());
                            }
                        } else {
                            run.labels.insert(k.clone(), v.to_string());
                        }
                    }
                    _ => {}
                },
            }
        }
    }
    // `--metadata KEY=VALUE` pairs that name run fields (harnesses use these spellings).
    for (key, field) in [
        ("instance_type", 0),
        ("dataset", 1),
        ("dataset_name", 1),
        ("gpu", 2),
        ("accelerator", 2),
    ] {
        if let Some(v) = run.labels.remove(key) {
            let slot = match field {
                0 => &mut run.instance_type,
                1 => &mut run.dataset,
                _ => &mut run.accelerator,
            };
            if slot.is_none() {
                *slot = Some(v);
            }
        }
    }
    if swapped {
        run.notes.push("mean_e2el_ms/median_e2el_ms swapped back: the file has e2el statistics but no burstiness key, so it was written by vLLM v0.6.0–v0.6.3, which stored them exchanged".into());
        run.source_tool_version = Some("0.6.0–0.6.3 (inferred from keys)".into());
    }
    if o.has("request_goodput:") {
        run.notes
            .push("goodput key written as `request_goodput:` (vLLM 2024-10 .. 2025-07)".into());
    }
    if let (Some(i), Some(out), Some(c)) = (
        o.u64("total_input_tokens")?,
        o.u64("total_output_tokens")?,
        completed,
    ) {
        if c > 0 {
            run.labels
                .insert("total_input_tokens".into(), i.to_string());
            run.labels
                .insert("total_output_tokens".into(), out.to_string());
        }
    }
    let requests = detailed_rows(o, &mut run)?;
    Ok(ParsedRun { run, requests })
}

/// `--save-detailed` arrays → request rows. Arrays are seconds; rows are ms.
fn detailed_rows(o: Obj<'_>, run: &mut Run) -> Result<Option<RequestColumns>, IngestError> {
    let Some(ttfts) = o.array("ttfts")? else {
        return Ok(None);
    };
    let n = ttfts.len();
    let arr = |key: &str| -> Result<Option<&Vec<Value>>, IngestError> {
        let a = o.array(key)?;
        if let Some(a) = a {
            if a.len() != n {
                return Err(IngestError::invalid(
                    o.loc(key),
                    format!("expected {n} entries like \"ttfts\", found {}", a.len()),
                ));
            }
        }
        Ok(a)
    };
    let itls = arr("itls")?;
    let input_lens = arr("input_lens")?;
    let output_lens = arr("output_lens")?;
    let errors = arr("errors")?;
    let start_times = arr("start_times")?;
    // Exact per-request e2e/TPOT from the gaps only for the 2025+ client (latency ends at the
    // last chunk). The 2024 client timed to the [DONE] line; its `use_beam_search`/`best_of`
    // era keys mark it (formats/vllm.md §4).
    let old_client = o.has("use_beam_search")
        || o.has("input_throughput")
        || run.date.as_deref().is_some_and(|d| d < "2025-01-21");
    if old_client {
        run.notes.push("2024 vLLM client: its latency ended at the [DONE] line, so per-request E2E and TPOT cannot be recovered from the gaps; the reported TPOT and E2E are shown".into());
    }
    let mut cols = RequestColumns::default();
    for i in 0..n {
        let ptr = |k: &str| format!("{}/{k}/{i}", o.pointer);
        let num_at = |a: Option<&Vec<Value>>, k: &str| -> Result<Option<f64>, IngestError> {
            match a.and_then(|a| a.get(i)) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => json::number(v).map(Some).ok_or_else(|| {
                    IngestError::wrong_type(
                        Location::pointer(o.path, ptr(k)),
                        "a number",
                        json::describe(v),
                    )
                }),
            }
        };
        let ttft_s = num_at(Some(ttfts), "ttfts")?;
        let err_text = match errors.and_then(|e| e.get(i)) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => {
                return Err(IngestError::wrong_type(
                    Location::pointer(o.path, ptr("errors")),
                    "a string",
                    json::describe(v),
                ))
            }
        };
        let ok = err_text.is_empty();
        let gaps_s: Vec<f64> = match itls.and_then(|a| a.get(i)) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(g)) => g
                .iter()
                .enumerate()
                .map(|(j, v)| {
                    json::number(v).ok_or_else(|| {
                        IngestError::wrong_type(
                            Location::pointer(o.path, format!("{}/itls/{i}/{j}", o.pointer)),
                            "a number",
                            json::describe(v),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(v) => {
                return Err(IngestError::wrong_type(
                    Location::pointer(o.path, ptr("itls")),
                    "an array of gaps",
                    json::describe(v),
                ))
            }
        };
        let out = num_at(output_lens, "output_lens")?;
        let sum_gaps_s: f64 = gaps_s.iter().sum();
        let (e2e_ms, tpot_ms) = if ok && !old_client && itls.is_some() {
            let e2e = ttft_s.map(|t| (t + sum_gaps_s) * 1000.0);
            let tpot = out
                .filter(|o| *o > 1.0)
                .map(|o| sum_gaps_s / (o - 1.0) * 1000.0);
            (e2e, tpot)
        } else {
            (None, None)
        };
        if ok {
            cols.itl_ms.extend(gaps_s.iter().map(|g| g * 1000.0));
        }
        cols.push(crate::model::RequestRow {
            ok,
            error: (!ok).then_some(err_text),
            input_tokens: num_at(input_lens, "input_lens")?,
            output_tokens: out,
            ttft_ms: ttft_s.map(|t| t * 1000.0),
            e2e_ms,
            tpot_ms,
            start_s: num_at(start_times, "start_times")?,
        });
    }
    if !old_client {
        run.definitions.insert(
            Metric::TpotMs.key().into(),
            "vLLM files keep no per-request latency: TPOT per request is the sum of its token gaps / (output tokens − 1), and E2E is TTFT + the sum of its gaps (exact for the 2025+ client to ~1e-6)".into(),
        );
    }
    Ok(Some(cols))
}

fn sweep_summary(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let value = json::parse(source.bytes, source.path)?;
    let Value::Array(items) = &value else {
        return Err(IngestError::wrong_type(
            Location::pointer(source.path, ""),
            "a JSON list of serving results",
            json::describe(&value),
        ));
    };
    // The sweep tool also writes each element as run=N.json beside this file; when those exist
    // they hold the runs and this list is only checked against them.
    let mut parsed = Parsed::default();
    let mut covered = 0;
    for (i, item) in items.iter().enumerate() {
        let ptr = format!("/{i}");
        let obj = Obj::new(item, &ptr, source.path)?;
        let pr = serving_run(obj)?;
        let sibling = obj.u64("run_number")?.map(|n| format!("run={n}.json"));
        let read = match &sibling {
            Some(name) => source.beside(name)?,
            None => None,
        };
        match read {
            Some(Sidecar { path: p, bytes }) => {
                let other = json::parse(&bytes, &p)?;
                let a = item.get("request_throughput");
                if other.get("request_throughput") != a {
                    return Err(IngestError::invalid(
                        Location::pointer(source.path, format!("{ptr}/request_throughput")),
                        format!("disagrees with {}", p.display()),
                    ));
                }
                covered += 1;
            }
            None => parsed.runs.push(pr),
        }
    }
    if covered > 0 {
        parsed.notes.push(format!("{covered} result(s) also written as run=N.json beside it (read there, checked equal here)"));
    }
    Ok(parsed)
}

fn latency(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let value = json::parse(source.bytes, source.path)?;
    let o = Obj::new(&value, "", source.path)?;
    let mut run = Run {
        engine: Some("vllm".into()),
        name: Some("latency".into()),
        ..Run::default()
    };
    let def = "benchmark_latency.py: end-to-end time of one batch of --batch-size prompts (one iteration), not of one request";
    run.definitions
        .insert(Metric::E2eMs.key().into(), def.into());
    if let Some(avg) = o.f64("avg_latency")? {
        run.report(
            Metric::E2eMs.stat(Stat::Mean),
            Reported::with_method(avg * 1000.0, "avg_latency", "per batch iteration"),
        );
    }
    if let Some(p) = o.get("percentiles") {
        let pptr = o.child_pointer("percentiles");
        let po = Obj::new(p, &pptr, source.path)?;
        for (k, _) in po.map {
            if let Some(x) = po.f64(k)? {
                let stat = if k == "50" {
                    "median".to_string()
                } else {
                    format!("p{k}")
                };
                run.report(
                    stat_key(Metric::E2eMs, &stat),
                    Reported::with_method(
                        x * 1000.0,
                        format!("percentiles.{k}"),
                        "per batch iteration",
                    ),
                );
            }
        }
    }
    if let Some(l) = o.array("latencies")? {
        run.num_requests = Some(l.len() as u64);
        run.notes.push(format!("{} timed iterations", l.len()));
    }
    nightly_file(source, &mut run)?;
    Ok(Parsed {
        runs: vec![ParsedRun {
            run,
            requests: None,
        }],
        ..Parsed::default()
    })
}

/// Serving-result rate fields copied as reported: (vLLM's key, our metric).
/// `request_inthroughput` and `request_goodput:` are spellings older versions wrote.
const SERVING_RATES: [(&str, Metric); 6] = [
    ("request_throughput", Metric::RequestThroughputRps),
    ("request_inthroughput", Metric::RequestThroughputRps),
    ("output_throughput", Metric::OutputTokenThroughputTps),
    ("total_token_throughput", Metric::TotalTokenThroughputTps),
    ("request_goodput", Metric::GoodputRps),
    ("request_goodput:", Metric::GoodputRps),
];

fn throughput(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let value = json::parse(source.bytes, source.path)?;
    let o = Obj::new(&value, "", source.path)?;
    let mut run = Run {
        engine: Some("vllm".into()),
        name: Some("throughput (offline)".into()),
        ..Run::default()
    };
    run.duration_s = o.f64("elapsed_time")?;
    run.num_requests = o.u64("num_requests")?;
    run.report_opt(
        &Metric::RequestThroughputRps.run_value().to_string(),
        o.f64("requests_per_second")?,
        "requests_per_second",
    );
    if let Some(t) = o.f64("tokens_per_second")? {
        run.report(
            Metric::TotalTokenThroughputTps.run_value(),
            Reported::with_method(t, "tokens_per_second", "prompt + expected output tokens"),
        );
        run.definitions.insert(
            Metric::TotalTokenThroughputTps.run_value().into(),
            "benchmark_throughput.py counts prompt tokens plus the dataset's expected output lengths, not generated tokens".into(),
        );
    }
    nightly_file(source, &mut run)?;
    Ok(Parsed {
        runs: vec![ParsedRun {
            run,
            requests: None,
        }],
        ..Parsed::default()
    })
}

mod nightly;
#[cfg(test)]
mod tests;

use nightly::{nightly_file, nightly_json, nightly_md};
