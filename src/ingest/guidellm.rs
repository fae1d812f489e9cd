//! GuideLLM reports (`formats/guidellm.md`): every generation of its JSON/YAML report.
//!
//! - G1, guidellm 0.1.x "GuidanceReport": `{"benchmarks":[{"benchmarks":[{mode, results,
//!   errors, concurrencies}], "args"}]}`. No summaries are stored; every request is.
//! - G2, 0.2.x/0.3.x "GenerativeBenchmarksReport": `benchmarks[]` with `args.strategy`,
//!   `metrics`, `request_totals`, `requests`, `request_samples`, `worker`, `request_loader`
//!   (JSON, or YAML from `yaml.dump`).
//! - G3 (0.4.x), G4 (`metadata.version == 1`, 0.5–0.6) and G5 (`metadata.version == 2`,
//!   0.7+): `benchmarks[]` with `config`, `scheduler_metrics` (the measurement window),
//!   `metrics`, `requests`.
//!
//! Upstream: vllm-project/guidellm (formerly neuralmagic/guidellm) at tags v0.1.0 … v0.7.3,
//! as the format note records (`core/result.py` for G1, `objects/statistics.py` and
//! `benchmark/benchmark.py` for G2, `schemas/statistics.py` and `schemas/request_stats.py`
//! for G3+).
//!
//! One benchmark object is one run. The summaries GuideLLM stored (`metrics.*.successful`)
//! are kept as `Reported` values with the tool's label and method (weighted nearest-rank
//! percentiles, weighted population std, token-weighted ITL). Where the per-request lists are
//! the whole population the summaries were computed from, they become request rows. This file
//! never computes a summary statistic, and it drops the prompt/output texts.
//! The CSV output (G2+) is not read: no public file exists to check it against.

use std::path::Path;

use serde_json::Value;

use super::json::{self, Obj};
use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::{ParsedRun, Reported, RequestColumns, RequestRate, RequestRow, Run};

/// The `guidellm` parser.
pub struct Guidellm;

/// The report generation (format note §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generation {
    /// 0.1.x GuidanceReport.
    G1,
    /// 0.2.x / 0.3.x GenerativeBenchmarksReport.
    G2,
    /// 0.4.x: G4's benchmark objects without `metadata`.
    G3,
    /// `metadata.version == 1` (0.5–0.6).
    G4,
    /// `metadata.version == 2` (0.7+), `config` instead of `args`.
    G5,
}

/// The signature that makes a file certainly GuideLLM, or `None`.
fn signature(probe: &Probe<'_>) -> Option<&'static str> {
    let text = probe.text();
    match probe.extension.as_str() {
        "json" => {
            let has = |k: &str| text.contains(&format!("\"{k}\""));
            if has("guidellm_version") && has("benchmarks") {
                Some("has \"metadata\".\"guidellm_version\" and \"benchmarks\" (GuideLLM 0.5+)")
            } else if has("generative_benchmark") && has("benchmarks") {
                Some("has \"benchmarks\" of type \"generative_benchmark\" (GuideLLM 0.2+)")
            } else if has("benchmarks")
                && has("request_totals")
                && has("inter_token_latency_ms")
                && has("time_per_output_token_ms")
            {
                // A benchmark whose `type_` sits past the probe still carries GuideLLM's metric names.
                Some("has \"benchmarks\", \"request_totals\" and GuideLLM's metric names (GuideLLM 0.2+)")
            } else if has("decode_times") && has("first_token_set") && has("benchmarks") {
                Some("has \"benchmarks\" with \"decode_times\" and \"first_token_set\" (GuideLLM 0.1)")
            } else {
                None
            }
        }
        "yaml" | "yml" => {
            let has = |k: &str| text.contains(&format!("{k}:"));
            if !has("benchmarks") {
                None
            } else if has("guidellm_version") || text.contains("generative_benchmark") {
                Some("YAML with \"benchmarks\" of type generative_benchmark (GuideLLM 0.2+)")
            } else if has("inter_token_latency_ms")
                && has("time_per_output_token_ms")
                && has("request_totals")
            {
                // yaml.dump sorts keys, so `type_` may sit past the probe in a large file.
                Some("YAML with \"benchmarks\", \"request_totals\" and GuideLLM's metric names")
            } else if has("decode_times") && has("first_token_set") {
                Some("YAML with \"benchmarks\", \"decode_times\" and \"first_token_set\" (GuideLLM 0.1)")
            } else {
                None
            }
        }
        _ => None,
    }
}

impl Parser for Guidellm {
    fn name(&self) -> &'static str {
        "guidellm"
    }

    fn describe(&self) -> &'static str {
        "GuideLLM reports (JSON/YAML, 0.1 GuidanceReport through 0.7 metadata v2)"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        match signature(probe) {
            Some(why) => Sniff::certain(why),
            None => Sniff::no("no GuideLLM report signature"),
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let path = source.path;
        let value = load(source)?;
        let root = Node::root(&value, path);
        let generation = generation(&root)?;
        let runs = match generation {
            Generation::G1 => g1_runs(&root)?,
            Generation::G2 => g2_runs(&root)?,
            Generation::G3 | Generation::G4 | Generation::G5 => g3_runs(&root, generation)?,
        };
        let mut parsed = Parsed {
            runs,
            ..Parsed::default()
        };
        parsed
            .notes
            .push(format!("GuideLLM report, generation {generation:?}"));
        Ok(parsed)
    }
}

/// Read the whole document as JSON values; YAML goes through serde-saphyr into the same tree.
fn load(source: &Source<'_>) -> Result<Value, IngestError> {
    let path = source.path;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "yaml" || ext == "yml" {
        let text = std::str::from_utf8(source.bytes).map_err(|e| {
            IngestError::syntax(Location::file(path), format!("not UTF-8 text ({e})"))
        })?;
        serde_saphyr::from_str::<Value>(text)
            .map_err(|e| IngestError::syntax(Location::file(path), format!("invalid YAML: {e}")))
    } else {
        json::parse(source.bytes, path)
    }
}

/// A JSON value with its pointer, so every accessor error names the place.
#[derive(Clone)]
struct Node<'a> {
    value: &'a Value,
    ptr: String,
    path: &'a Path,
}

impl<'a> Node<'a> {
    fn root(value: &'a Value, path: &'a Path) -> Self {
        Node {
            value,
            ptr: String::new(),
            path,
        }
    }

    fn obj(&self) -> Result<Obj<'_>, IngestError> {
        Obj::new(self.value, &self.ptr, self.path)
    }

    fn loc(&self) -> Location {
        Location::pointer(self.path, self.ptr.clone())
    }

    /// A child that is present and not null.
    fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value {
            Value::Object(map) => match map.get(key) {
                None | Some(Value::Null) => None,
                Some(v) => Some(Node {
                    value: v,
                    ptr: format!("{}/{}", self.ptr, json::escape_pointer(key)),
                    path: self.path,
                }),
            },
            _ => None,
        }
    }

    /// A child that must be present.
    fn req(&self, key: &str) -> Result<Node<'a>, IngestError> {
        self.obj()?;
        self.get(key).ok_or_else(|| {
            IngestError::missing(self.obj().map_or_else(|_| self.loc(), |o| o.loc(key)), key)
        })
    }

    fn has(&self, key: &str) -> bool {
        matches!(self.value, Value::Object(map) if map.contains_key(key))
    }

    fn f64(&self, key: &str) -> Result<Option<f64>, IngestError> {
        self.obj()?.f64(key)
    }

    fn u64(&self, key: &str) -> Result<Option<u64>, IngestError> {
        self.obj()?.u64(key)
    }

    fn str(&self, key: &str) -> Result<Option<String>, IngestError> {
        self.obj()?.str(key)
    }

    /// The items of an array child; absent or null is empty.
    fn items(&self, key: &str) -> Result<Vec<Node<'a>>, IngestError> {
        let obj = self.obj()?;
        let base = obj.child_pointer(key);
        // Checked for type by the accessor; walk the value itself to keep lifetime 'a.
        obj.array(key)?;
        let path = self.path;
        Ok(match self.value.get(key) {
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| Node {
                    value: v,
                    ptr: format!("{base}/{i}"),
                    path,
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// The items of a required array child.
    fn req_items(&self, key: &str) -> Result<Vec<Node<'a>>, IngestError> {
        let obj = self.obj()?;
        if obj.array(key)?.is_none() {
            return Err(IngestError::missing(obj.loc(key), key));
        }
        self.items(key)
    }
}

/// Which generation a document is (format note §0).
fn generation(root: &Node<'_>) -> Result<Generation, IngestError> {
    if let Some(meta) = root.get("metadata") {
        return match meta.u64("version")? {
            Some(1) => Ok(Generation::G4),
            Some(2) => Ok(Generation::G5),
            other => Err(IngestError::invalid(
                meta.obj()?.loc("version"),
                format!("unknown GuideLLM report metadata version {other:?} (known: 1, 2)"),
            )),
        };
    }
    let benchmarks = root.req_items("benchmarks")?;
    let Some(first) = benchmarks.first() else {
        // An empty report: nothing to tell the generations apart by; G2 reads it as zero runs.
        return Ok(Generation::G2);
    };
    if first.has("benchmarks") && !first.has("type_") {
        Ok(Generation::G1)
    } else if first.has("scheduler_metrics") || first.has("config") {
        Ok(Generation::G3)
    } else if first.has("run_stats") || first.has("request_totals") || first.has("args") {
        Ok(Generation::G2)
    } else {
        Err(IngestError::invalid(
            first.loc(),
            "a GuideLLM benchmark object of no known generation (expected 0.1 \"benchmarks\", 0.2–0.3 \"run_stats\"/\"request_totals\" or 0.4+ \"scheduler_metrics\")",
        ))
    }
}

/// Unix seconds → `YYYY-MM-DD` (UTC), by the civil-from-days algorithm.
fn unix_date(ts: f64) -> Option<String> {
    if !(0.0..=1.0e11).contains(&ts) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, reason = "checked range above")]
    let days = (ts / 86_400.0).floor() as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn to_u32(v: Option<u64>) -> Option<u32> {
    v.and_then(|x| u32::try_from(x).ok())
}

/// Load described by a strategy: its label, concurrency and rate.
struct Strategy {
    label: String,
    concurrency: Option<u32>,
    rate: Option<RequestRate>,
}

/// A G2+ `strategy` object (`{type_: synchronous|concurrent|throughput|constant|poisson, …}`).
fn strategy(node: &Node<'_>) -> Result<Strategy, IngestError> {
    let kind = node.str("type_")?.unwrap_or_else(|| "unknown".into());
    let max_concurrency = to_u32(node.u64("max_concurrency")?);
    Ok(match kind.as_str() {
        "synchronous" => Strategy {
            label: kind,
            concurrency: Some(1),
            rate: None,
        },
        "concurrent" => {
            let streams = to_u32(node.u64("streams")?).or(max_concurrency);
            let label = streams.map_or_else(|| kind.clone(), |s| format!("concurrent@{s}"));
            Strategy {
                label,
                concurrency: streams,
                rate: None,
            }
        }
        // Throughput sends everything at once, capped only by max_concurrency when set.
        "throughput" => Strategy {
            label: kind,
            concurrency: max_concurrency,
            rate: Some(RequestRate::Infinite),
        },
        _ => {
            let rate = node.f64("rate")?;
            let label = rate.map_or_else(
                || kind.clone(),
                |r| format!("{kind}@{}", crate::format::float(r)),
            );
            Strategy {
                label,
                concurrency: max_concurrency,
                rate: rate.map(RequestRate::Finite),
            }
        }
    })
}

/// `prompt_tokens=1500,…,generated_tokens=250` (G1 emulated data) → (input, output) lengths.
fn emulated_lengths_g1(data: &str) -> (Option<u64>, Option<u64>) {
    let mut input = None;
    let mut output = None;
    for part in data.split(',') {
        if let Some((k, v)) = part.split_once('=') {
            match k.trim() {
                "prompt_tokens" => input = v.trim().parse().ok(),
                "generated_tokens" | "output_tokens" => output = v.trim().parse().ok(),
                _ => {}
            }
        }
    }
    (input, output)
}

// ---------------------------------------------------------------------------------------------
// G1 — guidellm 0.1.x
// ---------------------------------------------------------------------------------------------

fn g1_runs(root: &Node<'_>) -> Result<Vec<ParsedRun>, IngestError> {
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

fn g1_run(bench: &Node<'_>, args: Option<&Node<'_>>) -> Result<ParsedRun, IngestError> {
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

// ---------------------------------------------------------------------------------------------
// G2+ — summaries
// ---------------------------------------------------------------------------------------------

/// How a GuideLLM metric maps onto bench-report's keys.
struct MetricMap {
    /// GuideLLM's metric name under `metrics`.
    source: &'static str,
    /// bench-report key prefix (`ttft_ms`) or a `guidellm.`-prefixed extra.
    key: &'static str,
    /// Factor into bench-report's unit.
    scale: f64,
    /// Weights used by GuideLLM for this metric, when not 1 per request.
    weights: Option<&'static str>,
}

const LATENCY_MAPS: [MetricMap; 4] = [
    MetricMap {
        source: "time_to_first_token_ms",
        key: "ttft_ms",
        scale: 1.0,
        weights: None,
    },
    MetricMap {
        source: "request_latency",
        key: "e2e_ms",
        scale: 1000.0,
        weights: None,
    },
    MetricMap {
        source: "inter_token_latency_ms",
        key: "tpot_ms",
        scale: 1.0,
        weights: Some("output_tokens − 1"),
    },
    MetricMap {
        source: "time_per_output_token_ms",
        key: "guidellm.time_per_output_token_ms",
        scale: 1.0,
        weights: Some("output_tokens"),
    },
];

/// `p001` → `p0.1`, `p05` → `p5`, `p999` → `p99.9` (GuideLLM's percentile keys).
fn percentile_key(k: &str) -> Option<&'static str> {
    Some(match k {
        "p001" => "p0.1",
        "p01" => "p1",
        "p05" => "p5",
        "p10" => "p10",
        "p25" => "p25",
        "p50" => "p50",
        "p75" => "p75",
        "p90" => "p90",
        "p95" => "p95",
        "p99" => "p99",
        "p999" => "p99.9",
        _ => return None,
    })
}

/// Copy `metrics.<source>.successful` into `run.reported` with labels and methods.
fn report_distribution(
    run: &mut Run,
    metrics: &Node<'_>,
    map: &MetricMap,
) -> Result<(), IngestError> {
    let Some(succ) = metrics.get(map.source).and_then(|m| m.get("successful")) else {
        return Ok(());
    };
    let weighted = map
        .weights
        .map(|w| format!(", weighted by {w}"))
        .unwrap_or_default();
    let label = |stat: &str| format!("{}.successful.{stat}", map.source);
    let unit = if map.scale == 1.0 {
        String::new()
    } else {
        " (s → ms)".into()
    };
    let mut put = |key: String, value: f64, label: String, method: Option<String>| {
        let label = format!("{label}{unit}");
        let rep = match method {
            Some(m) => Reported::with_method(value * map.scale, label, m),
            None => Reported::new(value * map.scale, label),
        };
        run.report(key, rep);
    };
    let nearest = format!(
        "weighted-nearest (first value whose weighted CDF ≥ q, no interpolation{weighted})"
    );
    for (stat, field) in [
        ("mean", "mean"),
        ("std", "std_dev"),
        ("median", "median"),
        ("min", "min"),
        ("max", "max"),
    ] {
        if let Some(v) = succ.f64(field)? {
            let method = match stat {
                "mean" => map.weights.map(|w| format!("weighted mean (weights {w})")),
                "std" => Some(format!("weighted population std (ddof 0{weighted})")),
                "median" => Some(nearest.clone()),
                _ => None,
            };
            put(format!("{}.{stat}", map.key), v, label(field), method);
        }
    }
    if let Some(pcts) = succ.get("percentiles") {
        let obj = pcts.obj()?;
        for k in obj.map.keys() {
            if let Some(p) = percentile_key(k) {
                if let Some(v) = obj.f64(k)? {
                    put(
                        format!("{}.{p}", map.key),
                        v,
                        label(&format!("percentiles.{k}")),
                        Some(nearest.clone()),
                    );
                }
            }
        }
    }
    Ok(())
}

/// The mean of `metrics.<source>.successful`, when present.
fn successful_mean(metrics: &Node<'_>, source: &str) -> Result<Option<f64>, IngestError> {
    match metrics.get(source).and_then(|m| m.get("successful")) {
        Some(s) => s.f64("mean"),
        None => Ok(None),
    }
}

/// `request_totals` counts: (successful, errored, incomplete, total).
struct Totals {
    successful: u64,
    errored: u64,
    incomplete: u64,
    total: u64,
}

fn totals(node: &Node<'_>) -> Result<Totals, IngestError> {
    let get = |k: &str| -> Result<u64, IngestError> {
        node.u64(k)?.ok_or_else(|| {
            IngestError::missing(Location::pointer(node.path, format!("{}/{k}", node.ptr)), k)
        })
    };
    Ok(Totals {
        successful: get("successful")?,
        errored: get("errored")?,
        incomplete: get("incomplete")?,
        total: get("total")?,
    })
}

/// Summaries, run metrics and counts shared by G2 and G3+.
fn report_metrics(
    run: &mut Run,
    bench: &Node<'_>,
    generation: Generation,
    tokens_double_counted: bool,
) -> Result<Option<Totals>, IngestError> {
    let metrics = bench.req("metrics")?;
    for map in &LATENCY_MAPS {
        report_distribution(run, &metrics, map)?;
    }
    run.definitions.insert(
        "tpot_ms".into(),
        "GuideLLM inter_token_latency_ms: per request (last token − first token)/(output_tokens − 1); its summary is token-weighted (weights output_tokens − 1), so the mean is the pooled mean gap".into(),
    );
    let tpot_def = if generation == Generation::G2 {
        "(last token − first token)/output_tokens: excludes TTFT and divides by N (not DESIGN's TPOT)"
    } else {
        "(last token − request start)/output_tokens: includes TTFT (not DESIGN's TPOT)"
    };
    run.notes.push(format!("guidellm.time_per_output_token_ms is GuideLLM's time_per_output_token_ms = {tpot_def}; weighted by output_tokens"));

    let rps_method = if generation == Generation::G2 {
        "mean of GuideLLM's rate distribution = successful requests / (last end − first start of successful requests)"
    } else {
        "mean of GuideLLM's rate distribution = successful request ends inside the measurement window / window"
    };
    if let Some(v) = successful_mean(&metrics, "requests_per_second")? {
        run.report(
            "request_throughput_rps",
            Reported::with_method(v, "requests_per_second.successful.mean", rps_method),
        );
    }
    if let Some(v) = successful_mean(&metrics, "output_tokens_per_second")? {
        run.report(
            "output_token_throughput_tps",
            Reported::with_method(
                v,
                "output_tokens_per_second.successful.mean",
                "mean of GuideLLM's token-event rate distribution ≈ Σ output tokens / token-event span",
            ),
        );
    }
    if let Some(v) = successful_mean(&metrics, "tokens_per_second")? {
        run.report(
            "guidellm.tokens_per_second.mean",
            Reported::new(v, "tokens_per_second.successful.mean"),
        );
        if tokens_double_counted {
            run.notes.push(
                "guidellm 0.2.x tokens_per_second counts prompt tokens twice (upstream bug): kept only as guidellm.tokens_per_second.mean, not as total_token_throughput_tps".into(),
            );
        } else {
            run.report(
                "total_token_throughput_tps",
                Reported::with_method(
                    v,
                    "tokens_per_second.successful.mean",
                    "mean of GuideLLM's token-event rate distribution ≈ Σ (prompt + output) tokens / token-event span",
                ),
            );
        }
    }
    for (source, key) in [
        ("request_concurrency", "guidellm.request_concurrency.mean"),
        ("prompt_token_count", "guidellm.prompt_token_count.mean"),
        ("output_token_count", "guidellm.output_token_count.mean"),
    ] {
        if let Some(v) = successful_mean(&metrics, source)? {
            run.report(key, Reported::new(v, format!("{source}.successful.mean")));
        }
    }

    // request_totals sits on the benchmark in G2 and under metrics in G3+.
    let totals_node = bench
        .get("request_totals")
        .or_else(|| metrics.get("request_totals"));
    let Some(node) = totals_node else {
        return Ok(None);
    };
    let t = totals(&node)?;
    run.num_requests = Some(t.total);
    run.num_failed = Some(t.errored + t.incomplete);
    if t.total > 0 {
        #[allow(
            clippy::cast_precision_loss,
            reason = "request counts are far below 2^52"
        )]
        let rate = (t.errored + t.incomplete) as f64 / t.total as f64;
        let method = if generation == Generation::G2 {
            "(errored + incomplete) / total from request_totals; incomplete = cancelled or timed out in flight"
        } else {
            "(errored + incomplete) / total from metrics.request_totals, which counts only requests overlapping the measurement window"
        };
        run.report(
            "error_rate",
            Reported::with_method(
                rate,
                "request_totals: (errored + incomplete) / total",
                method,
            ),
        );
    }
    Ok(Some(t))
}

/// Status lists in `requests` with whether they count as successful.
const STATUSES: [(&str, bool); 3] = [
    ("successful", true),
    ("errored", false),
    ("incomplete", false),
];

// ---------------------------------------------------------------------------------------------
// G2 — guidellm 0.2.x / 0.3.x
// ---------------------------------------------------------------------------------------------

fn g2_runs(root: &Node<'_>) -> Result<Vec<ParsedRun>, IngestError> {
    let mut runs = Vec::new();
    for (i, bench) in root.req_items("benchmarks")?.iter().enumerate() {
        runs.push(g2_run(bench, i)?);
    }
    Ok(runs)
}

/// True when any `percentiles` block of the benchmark has `p50` (added in 0.3.0).
fn has_p50(bench: &Node<'_>) -> bool {
    bench
        .get("metrics")
        .and_then(|m| m.get("time_to_first_token_ms"))
        .and_then(|m| m.get("successful"))
        .and_then(|s| s.get("percentiles"))
        .is_some_and(|p| p.has("p50"))
}

fn g2_run(bench: &Node<'_>, index: usize) -> Result<ParsedRun, IngestError> {
    let mut run = Run::default();
    let v03 = has_p50(bench);
    let version = if v03 { "0.3.x" } else { "0.2.x" };
    run.source_tool_version = Some(version.into());
    run.notes.push(format!(
        "guidellm {version} GenerativeBenchmarksReport: version inferred from the schema (percentiles {} p50; the file has no version field)",
        if v03 { "with" } else { "without" }
    ));

    let args = bench.req("args")?;
    let strat = match args.get("strategy") {
        Some(s) => strategy(&s)?,
        None => Strategy {
            label: "unknown".into(),
            concurrency: None,
            rate: None,
        },
    };
    run.name = Some(format!(
        "{}-{}",
        strat.label,
        args.u64("strategy_index")?.unwrap_or(index as u64)
    ));
    run.concurrency = strat.concurrency;
    run.request_rate_rps = strat.rate;
    if let Some(profile) = args.get("profile") {
        if let Some(p) = profile.str("type_")? {
            run.labels.insert("guidellm.profile".into(), p);
        }
    }
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
    let start = bench.f64("start_time")?;
    run.date = start.and_then(unix_date);
    run.duration_s = bench.f64("duration")?;

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
fn g2_rows(reqs: &Node<'_>) -> Result<(RequestColumns, [u64; 3]), IngestError> {
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
fn check_counts(
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

// ---------------------------------------------------------------------------------------------
// G3–G5 — guidellm 0.4 … 0.7
// ---------------------------------------------------------------------------------------------

fn g3_runs(root: &Node<'_>, generation: Generation) -> Result<Vec<ParsedRun>, IngestError> {
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

fn g3_run(
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
    let strat = match config.get("strategy") {
        Some(s) => strategy(&s)?,
        None => Strategy {
            label: "unknown".into(),
            concurrency: None,
            rate: None,
        },
    };
    run.name = Some(format!(
        "{}-{}",
        strat.label,
        config.u64("run_index")?.unwrap_or(index as u64)
    ));
    run.concurrency = strat.concurrency;
    run.request_rate_rps = strat.rate;
    if let Some(profile) = config.get("profile") {
        if let Some(p) = profile.str("type_")? {
            run.labels.insert("guidellm.profile".into(), p);
        }
    }
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
    run.date = bench.f64("start_time")?.and_then(unix_date);
    run.duration_s = bench.f64("duration")?;
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
fn g3_rows(
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use serde_json::Value;

    use super::Guidellm;
    use crate::ingest::testing::{self, assert_close};
    use crate::ingest::{Confidence, Parsed};
    use crate::model::{ParsedRun, RequestColumns, RequestRate};
    use crate::stats;

    /// GuideLLM's weighted distribution (format note §2.2 and §3.2): sorted values with their
    /// probabilities. Written from the note, independently of the parser.
    struct Dist {
        values: Vec<f64>,
        probs: Vec<f64>,
        /// 0.2.x `np.argmax(cdf >= q)` falls back to index 0; 0.4+ `searchsorted` past the end.
        legacy: bool,
    }

    impl Dist {
        /// guidellm 0.2.x `from_values`: probabilities from the weights in input order, then
        /// sorted by value; no merging of equal values.
        fn v02(pairs: &[(f64, f64)]) -> Dist {
            let weights: Vec<f64> = pairs.iter().map(|p| p.1).collect();
            let total = stats::numpy_sum(&weights);
            let mut pv: Vec<(f64, f64)> = pairs.iter().map(|(v, w)| (*v, w / total)).collect();
            pv.sort_by(|a, b| a.0.total_cmp(&b.0));
            Dist {
                values: pv.iter().map(|p| p.0).collect(),
                probs: pv.iter().map(|p| p.1).collect(),
                legacy: true,
            }
        }

        /// guidellm 0.4+ `from_values`: sort, merge equal values by summing weights, drop zero
        /// weights, then normalise.
        fn v04(pairs: &[(f64, f64)]) -> Dist {
            let mut sorted = pairs.to_vec();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut merged: Vec<(f64, f64)> = Vec::new();
            for (v, w) in sorted {
                match merged.last_mut() {
                    Some(last) if last.0 == v => last.1 += w,
                    _ => merged.push((v, w)),
                }
            }
            merged.retain(|p| p.1 > 0.0);
            let weights: Vec<f64> = merged.iter().map(|p| p.1).collect();
            let total = stats::numpy_sum(&weights);
            Dist {
                values: merged.iter().map(|p| p.0).collect(),
                probs: weights.iter().map(|w| w / total).collect(),
                legacy: false,
            }
        }

        fn mean(&self) -> f64 {
            let vp: Vec<f64> = self
                .values
                .iter()
                .zip(&self.probs)
                .map(|(v, p)| v * p)
                .collect();
            stats::numpy_sum(&vp)
        }

        /// Weighted population std: sqrt(Σ (v − mean)² · p).
        fn std(&self) -> f64 {
            let m = self.mean();
            let sq: Vec<f64> = self
                .values
                .iter()
                .zip(&self.probs)
                .map(|(v, p)| (v - m) * (v - m) * p)
                .collect();
            stats::numpy_sum(&sq).sqrt()
        }

        /// The first value whose cumulative probability (sequential `np.cumsum`) is ≥ q.
        fn pct(&self, q: f64) -> f64 {
            let mut cdf = 0.0;
            for (v, p) in self.values.iter().zip(&self.probs) {
                cdf += p;
                if cdf >= q {
                    return *v;
                }
            }
            if self.legacy {
                self.values[0]
            } else {
                *self.values.last().expect("values")
            }
        }
    }

    fn fixture(rel: &str) -> Parsed {
        testing::parse_fixture(&Guidellm, &format!("guidellm/{rel}")).expect("fixture parses")
    }

    fn rows(pr: &ParsedRun) -> &RequestColumns {
        pr.requests.as_ref().expect("request rows")
    }

    fn reported(pr: &ParsedRun, key: &str) -> f64 {
        pr.run
            .reported
            .get(key)
            .unwrap_or_else(|| panic!("reported {key} missing"))
            .value
    }

    /// (value, weight) of the successful rows for one column, weight 1 or output_tokens − 1.
    fn ok_pairs(r: &RequestColumns, col: &[Option<f64>], token_weighted: bool) -> Vec<(f64, f64)> {
        (0..r.len())
            .filter(|&i| r.ok[i])
            .filter_map(|i| {
                let v = col[i]?;
                let w = if token_weighted {
                    r.output_tokens[i]? - 1.0
                } else {
                    1.0
                };
                Some((v, w))
            })
            .collect()
    }

    fn corpus_file(rel: &str) -> Option<(PathBuf, PathBuf)> {
        let root = testing::corpus()?.join("guidellm");
        Some((root.join(rel), root))
    }

    fn parse_corpus(rel: &str) -> Option<Parsed> {
        let (path, root) = corpus_file(rel)?;
        Some(testing::parse_file(&Guidellm, &path, &root).expect("corpus file parses"))
    }

    const G1_FILE: &str = "huggingface-optimum-neuron-guidellm-report-2026-03/meta-llama_Llama-3.1-8B-Instruct#2026-03-03-14-07-33_guidellm_report.json";
    const G2_FILE: &str =
        "jhurlocker-guidellm-pipeline-benchmark-results-2025-07/benchmark-results.yaml";
    const G4_SANITY: &str = "danielkorat-guidellm-bench-benchmarks-2026-03/guidellm_sanity_results/20260302_1856/Qwen_Qwen3-4B-Thinking-2507_tp4_quant-fp8_benchmarks.json";
    const G4_30B: &str = "danielkorat-guidellm-bench-benchmarks-2026-03/guidellm_results/20260302_1917/Qwen_Qwen3-30B-A3B_tp4_quant-fp8_benchmarks.json";

    // ---- fixtures (values computed by hand) ----

    #[test]
    fn guidellm_g1_async_fixture() {
        let parsed = fixture("g1_async.json");
        assert_eq!(parsed.runs.len(), 1);
        let pr = &parsed.runs[0];
        let run = &pr.run;
        assert_eq!(run.name.as_deref(), Some("asynchronous@2-0"));
        assert_eq!(run.request_rate_rps, Some(RequestRate::Finite(2.0)));
        assert_eq!(run.concurrency, None);
        assert_eq!(run.model.as_deref(), Some("org/test-model"));
        assert_eq!((run.input_len, run.output_len), (Some(16), Some(4)));
        assert_eq!(run.source_tool_version.as_deref(), Some("0.1.x"));
        // 1700000000 s = 2023-11-14T22:13:20Z.
        assert_eq!(run.date.as_deref(), Some("2023-11-14"));
        // List order: results[-1].end (…002.0) − results[0].start (…000.0) = 2.0, not 2.5.
        assert_eq!(run.duration_s, Some(2.0));
        assert_eq!((run.num_requests, run.num_failed), (Some(3), Some(1)));
        assert!(
            run.notes
                .iter()
                .any(|n| n.contains("1 request(s) still in flight")),
            "{:?}",
            run.notes
        );
        assert!(run.reported.is_empty(), "G1 stores no summaries");
        let r = rows(pr);
        assert_eq!(r.ok, vec![true, true, false]);
        assert_eq!(r.ttft_ms, vec![Some(250.0), Some(500.0), None]);
        assert_eq!(r.e2e_ms, vec![Some(1000.0), Some(2500.0), None]);
        assert_eq!(r.input_tokens, vec![Some(10.0), Some(20.0), None]);
        assert_eq!(r.output_tokens, vec![Some(4.0), Some(3.0), None]);
        assert_eq!(r.error[2].as_deref(), Some("ConnectionError: refused"));
        assert_eq!(r.itl_ms, vec![250.0, 250.0, 250.0, 500.0, 1500.0]);
    }

    #[test]
    fn guidellm_g2_concurrent_fixture() {
        let parsed = fixture("g2_concurrent.json");
        let pr = &parsed.runs[0];
        let run = &pr.run;
        assert_eq!(run.name.as_deref(), Some("concurrent@2-0"));
        assert_eq!(run.concurrency, Some(2));
        assert_eq!(run.model.as_deref(), Some("org/g2-model"));
        assert_eq!((run.input_len, run.output_len), (Some(32), Some(8)));
        assert_eq!(
            run.source_tool_version.as_deref(),
            Some("0.3.x"),
            "percentiles carry p50"
        );
        assert_eq!(run.duration_s, Some(3.0));
        assert_eq!((run.num_requests, run.num_failed), (Some(3), Some(1)));
        assert_eq!(reported(pr, "error_rate"), 1.0 / 3.0);
        // 0.3 counts prompt tokens once: tokens_per_second is a total token throughput.
        assert_eq!(reported(pr, "total_token_throughput_tps"), 40.0);
        assert_eq!(reported(pr, "e2e_ms.mean"), 1250.0);
        assert_eq!(reported(pr, "request_throughput_rps"), 0.8);
        let r = rows(pr);
        assert_eq!(r.ok, vec![true, true, false]);
        // first_token_time = -1.0: no TTFT, not the bogus computed value.
        assert_eq!(r.ttft_ms, vec![Some(125.0), Some(250.0), None]);
        assert_eq!(r.tpot_ms, vec![Some(125.0), Some(250.0), None]);
        assert_eq!(r.e2e_ms, vec![Some(1000.0), Some(1500.0), Some(500.0)]);
        assert_eq!(
            r.error[2].as_deref(),
            Some("HTTPStatusError: 500 Internal Server Error")
        );
        // The summaries in the fixture, by hand: TTFT {125, 250} → mean 187.5, std 62.5,
        // p50 125; ITL {125 ×6, 250 ×4} → mean 175, std √3750, p50 125, p90 250.
        let ttft = Dist::v02(&ok_pairs(r, &r.ttft_ms, false));
        assert_eq!(
            (ttft.mean(), ttft.std(), ttft.pct(0.5)),
            (187.5, 62.5, 125.0)
        );
        assert_eq!(reported(pr, "ttft_ms.mean"), 187.5);
        let itl = Dist::v02(&ok_pairs(r, &r.tpot_ms, true));
        assert_close(itl.mean(), 175.0, 1e-15, "itl mean");
        assert_close(itl.std(), 3750f64.sqrt(), 1e-15, "itl std");
        assert_eq!((itl.pct(0.5), itl.pct(0.9)), (125.0, 250.0));
        assert_eq!(reported(pr, "tpot_ms.std"), 61.237243569579455);
        assert!(run.definitions.contains_key("tpot_ms"));
    }

    #[test]
    fn guidellm_g2_sampled_yaml_fixture() {
        let parsed = fixture("g2_sampled.yaml");
        let pr = &parsed.runs[0];
        let run = &pr.run;
        assert_eq!(run.source_tool_version.as_deref(), Some("0.2.x"));
        assert_eq!(run.name.as_deref(), Some("synchronous-0"));
        assert_eq!(run.concurrency, Some(1));
        assert_eq!(run.model.as_deref(), Some("org/yaml-model"));
        assert_eq!(run.date.as_deref(), Some("2025-02-19"));
        assert!(
            pr.requests.is_none(),
            "request_samples = 2: lists are a sample"
        );
        // 0.2.x tokens_per_second double-counts prompt tokens: kept, but not mapped.
        assert!(!run.reported.contains_key("total_token_throughput_tps"));
        assert_eq!(reported(pr, "guidellm.tokens_per_second.mean"), 700.0);
        assert_eq!(reported(pr, "tpot_ms.p99.9"), 30.0);
        assert_eq!(reported(pr, "tpot_ms.p0.1"), 20.0);
        assert_eq!(
            reported(pr, "guidellm.time_per_output_token_ms.median"),
            23.5
        );
        assert_eq!(reported(pr, "error_rate"), 0.0);
        let median = &run.reported["tpot_ms.median"];
        assert_eq!(median.label, "inter_token_latency_ms.successful.median");
        assert!(median
            .method
            .as_deref()
            .is_some_and(|m| m.starts_with("weighted-nearest")));
    }

    #[test]
    fn guidellm_g5_window_fixture() {
        let parsed = fixture("g5_constant.json");
        let pr = &parsed.runs[0];
        let run = &pr.run;
        assert_eq!(run.source_tool_version.as_deref(), Some("0.7.0"));
        assert_eq!(run.name.as_deref(), Some("constant@1.5-0"));
        assert_eq!(run.request_rate_rps, Some(RequestRate::Finite(1.5)));
        assert_eq!(run.model.as_deref(), Some("org/g5-model"));
        assert_eq!(
            run.dataset.as_deref(),
            Some("prompt_tokens=20,output_tokens=11")
        );
        assert_eq!(run.duration_s, Some(8.0));
        assert_eq!((run.num_requests, run.num_failed), (Some(3), Some(1)));
        assert_eq!(reported(pr, "error_rate"), 1.0 / 3.0);
        let r = rows(pr);
        // w0 ends before measure_start and c2 starts after measure_end: both left out.
        assert_eq!(r.ok, vec![true, true, false]);
        assert_eq!(r.ttft_ms, vec![Some(200.0), Some(400.0), None]);
        assert_eq!(r.e2e_ms, vec![Some(1000.0), Some(1500.0), None]);
        assert_eq!(r.error[2].as_deref(), Some("Request was cancelled"));
        let ttft = Dist::v04(&ok_pairs(r, &r.ttft_ms, false));
        assert_eq!(
            (ttft.mean(), ttft.std(), ttft.pct(0.5), ttft.pct(0.99)),
            (300.0, 100.0, 200.0, 400.0)
        );
        let itl = Dist::v04(&ok_pairs(r, &r.tpot_ms, true));
        assert_eq!((itl.mean(), itl.std(), itl.pct(0.5)), (75.0, 25.0, 50.0));
        assert_eq!(reported(pr, "tpot_ms.mean"), 75.0);
        assert_eq!(reported(pr, "request_throughput_rps"), 0.125);
    }

    #[test]
    fn guidellm_bad_wrong_type_names_pointer() {
        let err =
            testing::parse_fixture(&Guidellm, "guidellm/bad/wrong_type.json").expect_err("bad");
        let msg = err.to_string();
        assert!(
            msg.ends_with("wrong_type.json: /benchmarks/0/metrics/time_to_first_token_ms/successful/mean: expected a number, found \"fast\""),
            "{msg}"
        );
    }

    #[test]
    fn guidellm_bad_missing_results_names_pointer() {
        let err = testing::parse_fixture(&Guidellm, "guidellm/bad/missing_results.json")
            .expect_err("bad");
        let msg = err.to_string();
        assert!(msg.ends_with("missing_results.json: /benchmarks/0/benchmarks/0/results: missing required field `results`"), "{msg}");
    }

    #[test]
    fn guidellm_sniff_fixtures_certain_and_others_no() {
        for f in [
            "g1_async.json",
            "g2_concurrent.json",
            "g2_sampled.yaml",
            "g5_constant.json",
        ] {
            let path = testing::fixture_path(&format!("guidellm/{f}"));
            assert_eq!(
                testing::sniff_file(&Guidellm, &path),
                Confidence::Certain,
                "{f}"
            );
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let other = dir.path().join("serving.json");
        std::fs::write(
            &other,
            r#"{"date": "20240101-000000", "backend": "vllm", "model_id": "m", "benchmarks": 1}"#,
        )
        .expect("write");
        assert_eq!(testing::sniff_file(&Guidellm, &other), Confidence::No);
    }

    // ---- corpus: the format note's worked examples ----

    /// §1.3: the numbers optimum-neuron's CSV took from guidellm 0.1.0's own properties.
    #[test]
    fn guidellm_g1_worked_example() {
        let Some(parsed) = parse_corpus(G1_FILE) else {
            return;
        };
        assert_eq!(parsed.runs.len(), 2);
        // (name, n, duration, rps, latency s, ttft ms, itl ms, output tok/s, gaps)
        let expected = [
            (
                "synchronous-0",
                11,
                118.22610998153687,
                0.09304205307708972,
                10.747336929494685,
                340.1387388055975,
                48.218728726161416,
                20.080166727728272,
                2363,
            ),
            (
                "throughput-1",
                55,
                64.10993671417236,
                0.857901330416405,
                29.476369602029973,
                3936.1499439586296,
                123.80237010113954,
                176.99284356790815,
                11292,
            ),
        ];
        for (pr, (name, n, duration, rps, latency_s, ttft, itl, otps, gaps)) in
            parsed.runs.iter().zip(expected)
        {
            let run = &pr.run;
            assert_eq!(run.name.as_deref(), Some(name));
            assert_eq!(
                run.model.as_deref(),
                Some("meta-llama/Llama-3.1-8B-Instruct")
            );
            assert_eq!(run.date.as_deref(), Some("2026-03-03"));
            assert_eq!((run.input_len, run.output_len), (Some(1500), Some(250)));
            let r = rows(pr);
            assert_eq!(r.len(), n);
            assert!(r.ok.iter().all(|ok| *ok));
            let d = run.duration_s.expect("duration");
            assert_eq!(d, duration);
            #[allow(clippy::cast_precision_loss, reason = "small counts")]
            let n_f = n as f64;
            assert_eq!(n_f / d, rps, "{name} requests per second");
            let out: f64 = r.output_tokens.iter().map(|t| t.expect("tokens")).sum();
            assert_eq!(out / d, otps, "{name} output token throughput");
            // Rows are in ms (×1000 per request); the tool averaged seconds, then scaled:
            // equal to a few ulp.
            let e2e: Vec<f64> = r.e2e_ms.iter().map(|v| v.expect("e2e")).collect();
            assert_close(
                stats::mean(&e2e).expect("mean") / 1000.0,
                latency_s,
                1e-14,
                "request latency",
            );
            let t: Vec<f64> = r.ttft_ms.iter().map(|v| v.expect("ttft")).collect();
            assert_close(stats::mean(&t).expect("mean"), ttft, 1e-14, "ttft");
            assert_eq!(r.itl_ms.len(), gaps);
            assert_close(stats::mean(&r.itl_ms).expect("mean"), itl, 1e-14, "itl");
        }
        // Extra values from the same gaps (linear percentiles, population std).
        let itl = stats::sorted(&rows(&parsed.runs[0]).itl_ms);
        for (p, v) in [
            (50.0, 48.39134216308594),
            (90.0, 52.014875411987305),
            (99.0, 55.16271591186525),
        ] {
            assert_close(
                stats::percentile_linear_sorted(&itl, p).expect("p"),
                v,
                1e-13,
                "itl percentile",
            );
        }
        assert_close(
            stats::std(&itl, 0).expect("std"),
            4.453947603042476,
            1e-12,
            "itl std",
        );
    }

    /// §2.3: G2 summaries recomputed from the request rows with guidellm 0.2's method.
    #[test]
    fn guidellm_g2_worked_example() {
        let Some(parsed) = parse_corpus(G2_FILE) else {
            return;
        };
        assert_eq!(parsed.runs.len(), 1);
        let pr = &parsed.runs[0];
        let run = &pr.run;
        assert_eq!(run.source_tool_version.as_deref(), Some("0.2.x"));
        assert_eq!(run.model.as_deref(), Some("llama-3-2-3b"));
        assert_eq!(run.name.as_deref(), Some("synchronous-0"));
        assert_eq!(run.concurrency, Some(1));
        assert_eq!((run.input_len, run.output_len), (Some(512), Some(128)));
        assert_eq!((run.num_requests, run.num_failed), (Some(15), Some(1)));
        assert_eq!(run.date.as_deref(), Some("2025-07-20"));
        let r = rows(pr);
        assert_eq!(r.len(), 15);
        assert_eq!(r.ok.iter().filter(|ok| **ok).count(), 14);
        // First successful request: 1000·(first_token_time − start_time).
        assert_eq!(r.ttft_ms[0], Some(460.0398540496826));
        assert_eq!(r.tpot_ms[0], Some(27.37930628258412));

        // TTFT (successful, weight 1): bit-identical.
        let ttft = Dist::v02(&ok_pairs(r, &r.ttft_ms, false));
        assert_eq!(ttft.mean(), 409.5635414123535);
        assert_eq!(ttft.pct(0.5), 410.4878902435303);
        assert_eq!(ttft.std(), 17.29586922304042);
        assert_eq!(ttft.pct(0.9), 424.8471260070801);
        // ITL → tpot_ms (successful, weights output_tokens − 1): bit-identical.
        let itl = Dist::v02(&ok_pairs(r, &r.tpot_ms, true));
        assert_eq!(itl.mean(), 27.583449710206587);
        assert_eq!(itl.pct(0.5), 27.580242457352284);
        assert_eq!(itl.std(), 0.1312996884092356);
        assert_eq!(itl.pct(0.9), 27.795891123493824);
        // Request latency from e2e_ms (ms → s loses a few ulp).
        let lat = |ok_only: bool| -> Dist {
            let pairs: Vec<(f64, f64)> = (0..r.len())
                .filter(|&i| r.ok[i] || !ok_only)
                .map(|i| (r.e2e_ms[i].expect("e2e") / 1000.0, 1.0))
                .collect();
            Dist::v02(&pairs)
        };
        let (s, t) = (lat(true), lat(false));
        for (got, want, what) in [
            (s.mean(), 3.9127264874322076, "latency mean"),
            (s.pct(0.5), 3.9081149101257324, "latency median"),
            (s.std(), 0.014145385196195267, "latency std"),
            (s.pct(0.9), 3.937253713607788, "latency p90"),
            (t.mean(), 3.816836261749268, "total latency mean"),
            (t.pct(0.5), 3.907853841781616, "total latency median"),
            (t.std(), 0.3590485312631297, "total latency std"),
        ] {
            assert_close(got, want, 1e-12, what);
        }
        // Reported values as GuideLLM printed them.
        assert_eq!(reported(pr, "request_throughput_rps"), 0.25550426540581317);
        assert_eq!(
            reported(pr, "output_token_throughput_tps"),
            32.68629566727224
        );
        assert_eq!(reported(pr, "error_rate"), 1.0 / 15.0);
        assert_eq!(
            reported(pr, "guidellm.tokens_per_second.mean"),
            294.57816770823075
        );
        assert!(
            !run.reported.contains_key("total_token_throughput_tps"),
            "0.2.x double-counts prompt tokens"
        );
    }

    /// §3.3: G4 (danielkorat) summaries recomputed from in-window request rows with the 0.4+ method.
    #[test]
    fn guidellm_g4_worked_example() {
        let Some(sanity) = parse_corpus(G4_SANITY) else {
            return;
        };
        let pr = &sanity.runs[0];
        assert_eq!(pr.run.source_tool_version.as_deref(), Some("0.5.0.dev0"));
        assert_eq!(pr.run.name.as_deref(), Some("concurrent@4-0"));
        assert_eq!(pr.run.concurrency, Some(4));
        assert_eq!(pr.run.model.as_deref(), Some("Qwen/Qwen3-4B-Thinking-2507"));
        assert_eq!(pr.run.duration_s, Some(24.909644603729248));
        let r = rows(pr);
        assert_eq!(r.len(), 4);
        let ttft = Dist::v04(&ok_pairs(r, &r.ttft_ms, false));
        assert_eq!(
            (ttft.mean(), ttft.pct(0.5), ttft.pct(0.99)),
            (171.7655062675476, 171.52166366577148, 172.63293266296387)
        );
        let itl_pairs = ok_pairs(r, &r.tpot_ms, true);
        assert_eq!(
            itl_pairs.iter().map(|p| p.1).sum::<f64>(),
            4092.0,
            "count = Σ(output_tokens − 1)"
        );
        let itl = Dist::v04(&itl_pairs);
        assert_eq!(
            (itl.mean(), itl.pct(0.5), itl.pct(0.99)),
            (24.17877651496134, 24.178653868062757, 24.178931207367867)
        );
        let lat_pairs: Vec<(f64, f64)> = r
            .e2e_ms
            .iter()
            .map(|v| (v.expect("e2e") / 1000.0, 1.0))
            .collect();
        let lat = Dist::v04(&lat_pairs);
        assert_close(lat.mean(), 24.90865981578827, 1e-12, "latency mean");
        assert_close(lat.pct(0.5), 24.90842366218567, 1e-12, "latency p50");
        assert_close(lat.pct(0.99), 24.909693002700806, 1e-12, "latency p99");
        // One request ended after measure_end: 3 / window.
        assert_eq!(
            reported(pr, "request_throughput_rps"),
            3.0 / 24.909644603729248
        );
        assert_eq!(reported(pr, "request_throughput_rps"), 0.12043527909470322);

        let Some(big) = parse_corpus(G4_30B) else {
            return;
        };
        let pr = &big.runs[0];
        assert_eq!(pr.run.name.as_deref(), Some("synchronous-0"));
        assert_eq!(pr.run.model.as_deref(), Some("Qwen/Qwen3-30B-A3B"));
        assert_eq!(pr.run.duration_s, Some(720.0));
        assert_eq!(
            (pr.run.num_requests, pr.run.num_failed),
            (Some(19), Some(0))
        );
        assert_eq!(reported(pr, "error_rate"), 0.0);
        let r = rows(pr);
        // 23 successful + 1 incomplete listed; 19 successful overlap the 720 s window.
        assert_eq!(r.len(), 19);
        assert!(r.ok.iter().all(|ok| *ok));
        assert_eq!(
            r.ttft_ms
                .iter()
                .map(|v| v.expect("ttft"))
                .filter(|v| *v == 72.79777526855469)
                .count(),
            1
        );
        let ttft = Dist::v04(&ok_pairs(r, &r.ttft_ms, false));
        assert_eq!(
            (ttft.mean(), ttft.pct(0.9)),
            (59.9928153188605, 71.49863243103027)
        );
        let itl_pairs = ok_pairs(r, &r.tpot_ms, true);
        assert_eq!(itl_pairs.iter().map(|p| p.1).sum::<f64>(), 19437.0);
        assert_eq!(Dist::v04(&itl_pairs).mean(), 38.65124784686373);
        let lat_pairs: Vec<(f64, f64)> = r
            .e2e_ms
            .iter()
            .map(|v| (v.expect("e2e") / 1000.0, 1.0))
            .collect();
        let lat = Dist::v04(&lat_pairs);
        assert_close(lat.mean(), 39.60116597225791, 1e-12, "latency mean");
        assert_close(lat.pct(0.5), 40.01813006401062, 1e-12, "latency p50");
        assert_close(lat.std(), 0.7332408779549611, 1e-10, "latency std");
        assert_eq!(reported(pr, "request_throughput_rps"), 0.024999999999999994);
        assert_eq!(
            reported(pr, "output_token_throughput_tps"),
            25.859765493102046
        );
    }

    // ---- corpus: reported values pass through unchanged ----

    fn read_raw(path: &Path) -> Value {
        let bytes = std::fs::read(path).expect("read");
        if path.extension().is_some_and(|e| e == "yaml") {
            serde_saphyr::from_str(std::str::from_utf8(&bytes).expect("utf8")).expect("yaml")
        } else {
            serde_json::from_slice(&bytes).expect("json")
        }
    }

    #[test]
    fn guidellm_reported_values_pass_through() {
        for rel in [G2_FILE, G4_SANITY, G4_30B] {
            let Some((path, _)) = corpus_file(rel) else {
                return;
            };
            let raw = read_raw(&path);
            let parsed = parse_corpus(rel).expect("parsed");
            let benches = raw["benchmarks"].as_array().expect("benchmarks");
            assert_eq!(benches.len(), parsed.runs.len(), "{rel}");
            for (b, pr) in benches.iter().zip(&parsed.runs) {
                let m = &b["metrics"];
                let mut checked = 0;
                for (src, key, scale) in [
                    ("time_to_first_token_ms", "ttft_ms", 1.0),
                    ("request_latency", "e2e_ms", 1000.0),
                    ("inter_token_latency_ms", "tpot_ms", 1.0),
                    (
                        "time_per_output_token_ms",
                        "guidellm.time_per_output_token_ms",
                        1.0,
                    ),
                ] {
                    let s = &m[src]["successful"];
                    for (field, stat) in [
                        ("mean", "mean"),
                        ("median", "median"),
                        ("std_dev", "std"),
                        ("min", "min"),
                        ("max", "max"),
                    ] {
                        assert_eq!(
                            reported(pr, &format!("{key}.{stat}")),
                            s[field].as_f64().expect("number") * scale,
                            "{rel} {src}.{field}"
                        );
                        checked += 1;
                    }
                    for (field, stat) in [
                        ("p001", "p0.1"),
                        ("p01", "p1"),
                        ("p10", "p10"),
                        ("p25", "p25"),
                        ("p90", "p90"),
                        ("p95", "p95"),
                        ("p99", "p99"),
                        ("p999", "p99.9"),
                    ] {
                        let want = s["percentiles"][field].as_f64().expect("number") * scale;
                        let rep = &pr.run.reported[&format!("{key}.{stat}")];
                        assert_eq!(rep.value, want, "{rel} {src}.{field}");
                        assert!(rep
                            .method
                            .as_deref()
                            .is_some_and(|m| m.starts_with("weighted-nearest")));
                        checked += 1;
                    }
                }
                assert_eq!(checked, 52);
                let mean = |metric: &str| m[metric]["successful"]["mean"].as_f64().expect("mean");
                assert_eq!(
                    reported(pr, "request_throughput_rps"),
                    mean("requests_per_second")
                );
                assert_eq!(
                    reported(pr, "output_token_throughput_tps"),
                    mean("output_tokens_per_second")
                );
                assert_eq!(
                    reported(pr, "guidellm.request_concurrency.mean"),
                    mean("request_concurrency")
                );
                let totals = if b["request_totals"].is_object() {
                    &b["request_totals"]
                } else {
                    &m["request_totals"]
                };
                let n = |k: &str| totals[k].as_f64().expect("count");
                assert_eq!(
                    reported(pr, "error_rate"),
                    (n("errored") + n("incomplete")) / n("total")
                );
                assert!(pr.run.reported["ttft_ms.std"]
                    .method
                    .as_deref()
                    .is_some_and(|m| m.contains("weighted population")));
            }
        }
    }

    // ---- corpus walk ----

    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    #[test]
    fn guidellm_corpus_walk_every_file_detected_and_parsed() {
        let Some(corpus) = testing::corpus() else {
            return;
        };
        let root = corpus.join("guidellm");
        let mut files = Vec::new();
        walk(&root, &mut files);
        let data: Vec<_> = files
            .into_iter()
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
            })
            .collect();
        assert_eq!(data.len(), 4, "{data:?}");
        for path in data {
            assert_eq!(
                testing::detect(&path, &root).expect("detected"),
                "guidellm",
                "{}",
                path.display()
            );
            let parsed = testing::parse_file(&Guidellm, &path, &root).expect("parses");
            assert!(parsed.not_input.is_none());
            assert!(!parsed.runs.is_empty(), "{}", path.display());
            for pr in &parsed.runs {
                assert!(
                    pr.run.source_tool_version.is_some()
                        && pr.run.model.is_some()
                        && pr.run.date.is_some()
                );
            }
        }
    }
}
