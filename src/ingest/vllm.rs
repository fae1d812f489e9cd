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
use crate::metric::{Level, Metric, MetricKey, Stat};
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

/// Nightly report table columns copied as reported: (column, our key).
const NIGHTLY_COLUMNS: [(&str, MetricKey); 15] = [
    ("Tput (req/s)", Metric::RequestThroughputRps.run_value()),
    (
        "Output Tput (tok/s)",
        Metric::OutputTokenThroughputTps.run_value(),
    ),
    (
        "Total Tput (tok/s)",
        Metric::TotalTokenThroughputTps.run_value(),
    ),
    ("Mean TTFT (ms)", Metric::TtftMs.stat(Stat::Mean)),
    ("Median TTFT (ms)", Metric::TtftMs.stat(Stat::Median)),
    ("P99 TTFT (ms)", Metric::TtftMs.stat(Stat::P(Level::P99))),
    ("Mean TPOT (ms)", Metric::TpotMs.stat(Stat::Mean)),
    ("Median TPOT (ms)", Metric::TpotMs.stat(Stat::Median)),
    ("P99 TPOT (ms)", Metric::TpotMs.stat(Stat::P(Level::P99))),
    ("Mean ITL (ms)", Metric::ItlMs.stat(Stat::Mean)),
    ("Median ITL (ms)", Metric::ItlMs.stat(Stat::Median)),
    ("P99 ITL (ms)", Metric::ItlMs.stat(Stat::P(Level::P99))),
    ("Mean latency (ms)", Metric::E2eMs.stat(Stat::Mean)),
    ("Median latency (ms)", Metric::E2eMs.stat(Stat::Median)),
    ("P99 latency (ms)", Metric::E2eMs.stat(Stat::P(Level::P99))),
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

/// One nightly table row: its JSON pointer and its cells by column name.
type NightlyRow = (String, serde_json::Map<String, Value>);

/// The rows of a nightly `benchmark_results.json`: a list of row records (the corpus's
/// modified harness) or upstream's column-oriented `{"serving": {"Test name": {"0": …}}}`.
fn nightly_rows(value: &Value, path: &std::path::Path) -> Result<Vec<NightlyRow>, IngestError> {
    let mut rows: Vec<NightlyRow> = Vec::new();
    match &value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Object(m) => rows.push((format!("/{i}"), m.clone())),
                    other => {
                        return Err(IngestError::wrong_type(
                            Location::pointer(path, format!("/{i}")),
                            "an object",
                            json::describe(other),
                        ))
                    }
                }
            }
        }
        Value::Object(tables) => {
            for (table, cols) in tables {
                let Value::Object(cols) = cols else { continue };
                let mut by_row: std::collections::BTreeMap<String, serde_json::Map<String, Value>> =
                    Default::default();
                for (col, cells) in cols {
                    if let Value::Object(cells) = cells {
                        for (idx, cell) in cells {
                            by_row
                                .entry(idx.clone())
                                .or_default()
                                .insert(col.clone(), cell.clone());
                        }
                    }
                }
                for (idx, m) in by_row {
                    rows.push((format!("/{table}/{idx}"), m));
                }
            }
        }
        other => {
            return Err(IngestError::wrong_type(
                Location::pointer(path, ""),
                "a list or an object of tables",
                json::describe(other),
            ))
        }
    }
    Ok(rows)
}

/// Nightly `benchmark_results.json`: each row a run, its GPU cell the accelerator and the
/// load and parallelism its test name spells when the row has no column for them.
fn nightly_json(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let value = json::parse(source.bytes, source.path)?;
    let rows = nightly_rows(&value, source.path)?;
    // Serving rows also saved as serving_*.json beside this file are read there: a row whose
    // request throughput equals a sibling's is not counted twice.
    let mut sibling_tputs = Vec::new();
    for name in source.list_beside("") {
        if name.ends_with(".json") && name != "benchmark_results.json" {
            let Ok(Some(Sidecar { path, bytes })) = source.beside(&name) else {
                continue;
            };
            if let Ok(v) = json::parse(&bytes, &path) {
                if let Some(t) = v.get("request_throughput").and_then(json::number) {
                    sibling_tputs.push(t);
                }
            }
        }
    }
    let mut parsed = Parsed::default();
    let mut duplicates = 0;
    for (ptr, m) in &rows {
        let o = Obj {
            map: m,
            pointer: ptr,
            path: source.path,
        };
        let tput = o.f64("Tput (req/s)")?;
        if tput.is_some_and(|t| sibling_tputs.contains(&t)) {
            duplicates += 1;
            continue;
        }
        let mut run = Run {
            engine: Some("vllm".into()),
            ..Run::default()
        };
        run.name = o.str("Test name")?;
        run.num_requests = o.u64("# of req.")?;
        for (column, key) in NIGHTLY_COLUMNS {
            run.report_opt(&key.to_string(), o.f64(column)?, column);
        }
        run.notes
            .push("from the nightly report table (no per-request data)".into());
        take_nightly_row(&o, &mut run)?;
        parsed.runs.push(ParsedRun {
            run,
            requests: None,
        });
    }
    if duplicates > 0 {
        parsed.notes.push(format!(
            "{duplicates} row(s) equal a serving_*.json result beside it and are read there"
        ));
    }
    Ok(parsed)
}

/// The nightly row's GPU cell and test name onto `run`: the GPU text as written becomes the
/// accelerator (with a `gpu_count` label when it reads `<N>x<name>`), and the test name gives
/// the load, tp and pp the run lacks.
fn take_nightly_row(o: &Obj<'_>, run: &mut Run) -> Result<(), IngestError> {
    if run.accelerator.is_none() {
        if let Some(gpu) = o.str("GPU")? {
            if let Some(n) = gpu_count(&gpu) {
                run.labels.insert("gpu_count".into(), n.to_string());
            }
            run.accelerator = Some(gpu);
        }
    }
    if let Some(test) = o.str("Test name")? {
        from_test_name(&test, run);
    }
    Ok(())
}

/// `8xH100` → 8: the nightly GPU cell is `{lines of gpu_type}x{first line}`. `None` when the
/// text has no such prefix or names a second multiplier (`1xStandard_ND96asr_v4 x 2`), where
/// the count of accelerators is not what the prefix says.
fn gpu_count(gpu: &str) -> Option<u32> {
    let (n, name) = gpu.split_once('x')?;
    let n: u32 = n.parse().ok()?;
    let second = name
        .rsplit_once(" x ")
        .is_some_and(|(_, m)| m.trim().parse::<u32>().is_ok());
    (!name.is_empty() && !second).then_some(n)
}

/// What a nightly test name spells (`serving_llama8B_tp1_sharegpt_qps_1`): `tpN`/`ppN`
/// tokens and the rate after `qps_` (`inf` = all at once). Only fields the run lacks are set,
/// the load only when the run has neither concurrency nor request rate; a note says so.
fn from_test_name(test: &str, run: &mut Run) {
    let tokens: Vec<&str> = test.split('_').collect();
    let degree = |prefix: &str| {
        tokens.iter().find_map(|t| {
            let n = t.strip_prefix(prefix)?;
            (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .then(|| n.parse::<u32>().ok())
                .flatten()
        })
    };
    let mut read = Vec::new();
    if run.concurrency.is_none() && run.request_rate_rps.is_none() {
        let rate = tokens
            .windows(2)
            .rfind(|w| w[0] == "qps")
            .and_then(|w| match w[1] {
                "inf" => Some(RequestRate::Infinite),
                x => x
                    .parse::<f64>()
                    .ok()
                    .filter(|r| r.is_finite() && *r > 0.0)
                    .map(RequestRate::Finite),
            });
        if let Some(r) = rate {
            run.request_rate_rps = Some(r);
            read.push(format!("request rate {r} rps"));
        }
    }
    if run.tp.is_none() {
        if let Some(n) = degree("tp") {
            run.tp = Some(n);
            read.push(format!("tp {n}"));
        }
    }
    if run.pp.is_none() {
        if let Some(n) = degree("pp") {
            run.pp = Some(n);
            read.push(format!("pp {n}"));
        }
    }
    if !read.is_empty() {
        run.notes.push(format!(
            "{} read from the test name `{test}` (the file gives none)",
            read.join(", ")
        ));
    }
}

/// A serving, latency or throughput file of a nightly run (beside `benchmark_results.json`,
/// or upstream's `results/` folder): the nightly row that holds it gives its test name and
/// GPU; without one, the file stem is the test name, as the nightly script sets it.
fn nightly_file(source: &Source<'_>, run: &mut Run) -> Result<(), IngestError> {
    let in_results = source
        .path
        .parent()
        .and_then(|d| d.file_name())
        .is_some_and(|d| d == "results");
    let stem = source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let upstream_name = ["serving_", "latency_", "throughput_"]
        .iter()
        .any(|p| stem.starts_with(p));
    let beside = source.beside("benchmark_results.json")?;
    if beside.is_none() && !(in_results && upstream_name) {
        return Ok(());
    }
    let tput = run
        .reported
        .get(&Metric::RequestThroughputRps.run_value().to_string())
        .map(|r| r.value);
    if let (Some(Sidecar { path, bytes }), Some(tput)) = (beside, tput) {
        // An unreadable table is reported when that file itself is parsed.
        let rows = json::parse(&bytes, &path)
            .and_then(|v| nightly_rows(&v, &path))
            .unwrap_or_default();
        for (ptr, m) in &rows {
            let o = Obj {
                map: m,
                pointer: ptr,
                path: &path,
            };
            if o.f64("Tput (req/s)").ok().flatten() == Some(tput) {
                if run.name.is_none() {
                    run.name = o.str("Test name")?;
                }
                run.notes.push(
                    "test name and GPU from its row of benchmark_results.json beside it".into(),
                );
                take_nightly_row(&o, run)?;
                return Ok(());
            }
        }
    }
    if upstream_name {
        if run.name.is_none() {
            run.name = Some(stem.clone());
        }
        from_test_name(&stem, run);
    }
    Ok(())
}

/// Nightly markdown: a rendering of `benchmark_results.json` (and the serving files) in the
/// same folder. It is read and listed, but contributes no runs of its own.
fn nightly_md(source: &Source<'_>) -> Parsed {
    let mut parsed = Parsed::default();
    if source.has_beside("benchmark_results.json") {
        parsed.notes.push("rendering of benchmark_results.json beside it (6 significant digits); its runs are read there".into());
    } else {
        parsed.notes.push("nightly markdown without benchmark_results.json beside it: its tables hold rounded values only and are not read as runs".into());
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::testing::{
        corpus, detect_and_parse_all, files_under, ok_values, parse_file, parse_fixture,
    };

    #[test]
    fn vllm_quirks_goodput_colon_inf_rate_nan_and_swap() {
        let p = parse_fixture(&Vllm, "vllm/quirks_v0.6.2.json").expect("parses");
        let run = &p.runs[0].run;
        assert_eq!(run.request_rate_rps, Some(RequestRate::Infinite));
        // The file says mean 900, median 1000 inside the swap window: swapped back.
        assert_eq!(run.reported["e2e_ms.mean"].value, 1000.0);
        assert_eq!(run.reported["e2e_ms.median"].value, 900.0);
        assert!(run.notes.iter().any(|n| n.contains("swapped back")));
        assert!(
            run.reported["tpot_ms.std"].value.is_nan(),
            "NaN literal read"
        );
        assert!(
            run.notes.iter().any(|n| n.contains("`request_goodput:`")),
            "colon key recognised"
        );
        assert_eq!(run.date.as_deref(), Some("2024-10-25"));
    }

    #[test]
    fn vllm_jsonl_appended_results() {
        let p = parse_fixture(&Vllm, "vllm/appended.jsonl").expect("parses");
        assert_eq!(p.runs.len(), 2);
        assert_eq!(p.runs[1].run.reported["request_throughput_rps"].value, 4.0);
    }

    #[test]
    fn vllm_bad_number_names_pointer() {
        let err = parse_fixture(&Vllm, "vllm/bad/text_in_number.json").expect_err("bad");
        assert!(
            err.to_string()
                .ends_with("/ttfts/1: expected a number, found \"n/a\""),
            "{err}"
        );
        let err = parse_fixture(&Vllm, "vllm/bad/truncated.json").expect_err("bad");
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn vllm_detailed_rows_reproduce_printed_statistics() {
        let Some(root) = corpus() else { return };
        let dir = root.join("vllm/aurotripathy-vllm-bench-2025-03");
        let files: Vec<_> = files_under(&dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        assert_eq!(files.len(), 5);
        for f in files {
            let raw: Value =
                serde_json::from_slice(&std::fs::read(&f).expect("read")).expect("json");
            let p = parse_file(&Vllm, &f, &root).expect("parses");
            let rows = p.runs[0].requests.as_ref().expect("detailed");
            for (key, vals, tol) in [
                ("ttft", ok_values(rows, &rows.ttft_ms), 1e-6),
                ("itl", rows.itl_ms.clone(), 1e-6),
                ("tpot", ok_values(rows, &rows.tpot_ms), 1e-5),
            ] {
                let s = crate::stats::sorted(&vals);
                let got = [
                    ("mean", crate::stats::mean(&vals)),
                    ("median", crate::stats::median_sorted(&s)),
                    ("std", crate::stats::std(&vals, 0)),
                    ("p99", crate::stats::percentile_linear_sorted(&s, 99.0)),
                ];
                for (stat, g) in got {
                    let want = raw[format!("{stat}_{key}_ms")].as_f64().expect("printed");
                    crate::ingest::testing::assert_close(
                        g.expect("value"),
                        want,
                        tol,
                        &format!("{} {stat}_{key}_ms", f.display()),
                    );
                }
            }
        }
    }

    #[test]
    fn vllm_latency_and_throughput_files_worked_example_5() {
        let Some(root) = corpus() else { return };
        let dir = root
            .join("vllm/zhangxinyuehfad-vllm-benchmarks-ascend-nightly-2025-02/benchmarks/results");
        let p = parse_file(&Vllm, &dir.join("latency_llama8B_tp1.json"), &root).expect("parses");
        let r = &p.runs[0].run;
        // formats/vllm.md example 5: avg_latency 7.1091228867570555 s, p99 7.868931790143251 s.
        assert_eq!(r.reported["e2e_ms.mean"].value, 7.1091228867570555 * 1000.0);
        assert_eq!(r.reported["e2e_ms.p99"].value, 7.868931790143251 * 1000.0);
        let p = parse_file(&Vllm, &dir.join("throughput_llama8B_tp1.json"), &root).expect("parses");
        let r = &p.runs[0].run;
        assert_eq!(
            r.reported["request_throughput_rps"].value,
            2.781764499305893
        );
        assert_eq!(r.duration_s, Some(71.89681227505207));
    }

    /// The `benchmark_results.md` serving table: header cells and rows of cells, as printed.
    fn printed_table(md: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let cells = |l: &str| -> Vec<String> {
            let t = l.trim().trim_start_matches('|').trim_end_matches('|');
            t.split('|').map(|c| c.trim().to_string()).collect()
        };
        let mut lines = md.lines().skip_while(|l| !l.starts_with("| Test name"));
        let header = cells(lines.next().expect("a `| Test name` table"));
        let rows = lines
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .map(cells)
            .collect();
        (header, rows)
    }

    /// The load a nightly test name spells, read here independently of the parser.
    fn load_in_name(test: &str) -> Option<RequestRate> {
        let (_, rate) = test.rsplit_once("qps_")?;
        Some(match rate {
            "inf" => RequestRate::Infinite,
            r => RequestRate::Finite(r.parse().ok()?),
        })
    }

    /// Every row of `dir/benchmark_results.md` against the run of that test name read from
    /// the folder's files: GPU text, load from the name, # of req. and each number column at
    /// the printed decimals. Returns (rows, cells) compared.
    fn check_nightly_table(dir: &std::path::Path, root: &std::path::Path) -> (usize, usize) {
        let md = std::fs::read_to_string(dir.join("benchmark_results.md")).expect("md");
        let (header, rows) = printed_table(&md);
        let runs: Vec<Run> = detect_and_parse_all(&Vllm, dir, root)
            .into_iter()
            .flat_map(|(_, p)| p.runs.into_iter().map(|r| r.run))
            .collect();
        assert!(!rows.is_empty(), "{}: no table rows", dir.display());
        let col = |name: &str| header.iter().position(|h| h == name);
        let mut cells = 0;
        for row in &rows {
            let test = &row[col("Test name").expect("Test name")];
            let matching: Vec<&Run> = runs
                .iter()
                .filter(|r| r.name.as_deref() == Some(test.as_str()))
                .collect();
            assert_eq!(matching.len(), 1, "{test}: one run of that name");
            let run = matching[0];
            let gpu = &row[col("GPU").expect("GPU")];
            assert_eq!(run.accelerator.as_deref(), Some(gpu.as_str()), "{test}");
            assert_eq!(run.request_rate_rps, load_in_name(test), "{test}");
            if let Some(i) = col("# of req.") {
                assert_eq!(run.num_requests, row[i].parse().ok(), "{test} # of req.");
                cells += 1;
            }
            for (column, key) in NIGHTLY_COLUMNS {
                let Some(i) = col(column) else { continue };
                let printed = &row[i];
                let got = run.reported[&key.to_string()].value;
                if printed.contains('e') {
                    let want: f64 = printed.parse().expect("number");
                    assert!((got - want).abs() <= want.abs() * 5e-6, "{test} {column}");
                } else {
                    let decimals = printed.split_once('.').map_or(0, |(_, d)| d.len());
                    assert_eq!(
                        &format!("{got:.decimals$}"),
                        printed,
                        "{test} {column}: {got}"
                    );
                }
                cells += 1;
            }
            cells += 2;
        }
        println!(
            "{}: {} rows, {cells} cells equal the printed table",
            dir.display(),
            rows.len()
        );
        (rows.len(), cells)
    }

    #[test]
    fn vllm_nightly_fixture_matches_its_printed_table() {
        let dir = crate::ingest::testing::fixture_path("vllm/nightly");
        let (rows, cells) = check_nightly_table(&dir, &crate::ingest::testing::fixture_path(""));
        assert_eq!((rows, cells), (3, 3 * 15));
        let p = parse_fixture(&Vllm, "vllm/nightly/benchmark_results.json").expect("parses");
        let by_name = |n: &str| {
            p.runs
                .iter()
                .map(|r| &r.run)
                .find(|r| r.name.as_deref() == Some(n))
                .expect(n)
        };
        let r = by_name("serving_llama8B_tp1_sharegpt_qps_1");
        assert_eq!((r.tp, r.labels["gpu_count"].as_str()), (Some(1), "8"));
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("request rate 1 rps, tp 1 read from the test name")),
            "{:?}",
            r.notes
        );
        let r = by_name("serving_qwen7B_tp2_sharegpt_qps_0.5");
        assert_eq!(r.request_rate_rps, Some(RequestRate::Finite(0.5)));
        assert_eq!(r.accelerator.as_deref(), Some("8xAscend910B3"));
        // The qps_inf row is the serving file beside it: read there, named and placed by the row.
        assert!(p
            .runs
            .iter()
            .all(|r| r.run.name.as_deref() != Some("serving_llama70B_tp4_sharegpt_qps_inf")));
        let p = parse_fixture(
            &Vllm,
            "vllm/nightly/serving_llama70B_tp4_sharegpt_qps_inf.json",
        )
        .expect("parses");
        let r = &p.runs[0].run;
        assert_eq!(r.accelerator.as_deref(), Some("1xA100"));
        assert_eq!(r.tp, Some(4));
        assert!(
            !r.notes.iter().any(|n| n.contains("request rate")),
            "the file's own rate is kept: {:?}",
            r.notes
        );
    }

    #[test]
    fn vllm_test_name_fills_only_what_the_file_lacks() {
        let mut run = Run {
            concurrency: Some(8),
            tp: Some(2),
            ..Run::default()
        };
        from_test_name("serving_x_tp4_pp2_sharegpt_qps_16", &mut run);
        assert_eq!(
            (run.concurrency, run.request_rate_rps, run.tp, run.pp),
            (Some(8), None, Some(2), Some(2))
        );
        let mut run = Run::default();
        from_test_name("latency_llama8B_tp1", &mut run);
        assert_eq!((run.request_rate_rps, run.tp), (None, Some(1)));
        let mut run = Run::default();
        from_test_name("serving_model_stp1x_qps_fast", &mut run);
        assert_eq!((run.request_rate_rps, run.tp), (None, None));
        assert!(run.notes.is_empty());
        assert_eq!(gpu_count("8xH100"), Some(8));
        assert_eq!(gpu_count("1xA100-SXM4-80GB"), Some(1));
        assert_eq!(
            gpu_count("1xStandard_ND96asr_v4-GPUDirect-RDMA-Infiniband x 2"),
            None
        );
        assert_eq!(gpu_count("Ascend910B3"), None);
    }

    #[test]
    fn vllm_nightly_corpus_folders_match_their_printed_tables() {
        let Some(root) = corpus() else { return };
        let dir = root.join("vllm/surajssd-llm-k8s-nightly-2025-04/04_tp4_pp2_IB");
        let (rows, _) = check_nightly_table(&dir, &root);
        assert_eq!(rows, 4);
        // The Ascend folder keeps upstream's results/ layout and no benchmark_results.md (no
        // GPU column): the file stems are the test names, and tp comes from them.
        let dir = root
            .join("vllm/zhangxinyuehfad-vllm-benchmarks-ascend-nightly-2025-02/benchmarks/results");
        let p = parse_file(
            &Vllm,
            &dir.join("serving_llama8B_tp1_sharegpt_qps_inf.json"),
            &root,
        )
        .expect("parses");
        let r = &p.runs[0].run;
        assert_eq!(
            r.name.as_deref(),
            Some("serving_llama8B_tp1_sharegpt_qps_inf")
        );
        assert_eq!(
            (r.tp, r.request_rate_rps),
            (Some(1), Some(RequestRate::Infinite))
        );
        assert!(r
            .notes
            .iter()
            .any(|n| n.starts_with("tp 1 read from the test name")));
        println!(
            "{}: serving run tp 1 from its name, rate inf from the file",
            dir.display()
        );
    }

    #[test]
    fn vllm_corpus_walk_every_file_detected_and_parsed() {
        let Some(root) = corpus() else { return };
        let runs: usize = detect_and_parse_all(&Vllm, &root.join("vllm"), &root)
            .iter()
            .map(|(_, p)| p.runs.len())
            .sum();
        assert!(runs >= 20, "{runs}");
    }
}
