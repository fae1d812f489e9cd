//! LLMPerf (`ray-project/llmperf`, `formats/llmperf.md`): `*_summary.json` and
//! `*_individual_responses.json`, in the native names (same folder, same stem) and the
//! leaderboard layout (`summary/X.json` beside `individual/X.json`).
//!
//! Upstream schema: `token_benchmark_ray.py` at 1eac866f (2023-12) .. f1d6bed4 (2024-12).
//! The summary file yields the run with the tool's summaries as `Reported`; its paired
//! individual file supplies the request rows. An individual file with a summary partner is
//! read and validated but contributes no run (its run is the summary's); without a partner it
//! yields the run itself. Numbers may be stored as strings (`"550"`): they are read as numbers.

use std::path::Path;

use serde_json::Value;

use super::json::{self, Obj};
use super::{Parsed, Parser, Probe, Sidecar, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::metric::Metric;
use crate::model::{ParsedRun, Reported, RequestColumns, RequestRow, Run};

/// The `llmperf` parser.
pub struct Llmperf;

fn is_summary(text: &str) -> bool {
    text.contains("\"results_ttft_s_") && text.contains("\"results_end_to_end_latency_s_")
}

fn is_individual(text: &str) -> bool {
    text.trim_start().starts_with('[')
        && text.contains("\"error_code\"")
        && text.contains("\"ttft_s\"")
        && text.contains("\"end_to_end_latency_s\"")
        && text.contains("\"number_output_tokens\"")
}

impl Parser for Llmperf {
    fn name(&self) -> &'static str {
        "llmperf"
    }

    fn describe(&self) -> &'static str {
        "LLMPerf summary and individual-responses JSON"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        if probe.extension != "json" {
            return Sniff::no("not a .json file");
        }
        let text = probe.text();
        if is_summary(&text) {
            Sniff::certain(
                "has results_ttft_s_* and results_end_to_end_latency_s_* keys (LLMPerf summary)",
            )
        } else if is_individual(&text) {
            Sniff::certain("a list of error_code/ttft_s/end_to_end_latency_s records (LLMPerf individual responses)")
        } else {
            Sniff::no("no LLMPerf keys")
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let value = json::parse(source.bytes, source.path)?;
        match &value {
            Value::Object(_) => summary(source, &value),
            Value::Array(_) => {
                let partner = partner(source.path, INDIVIDUAL, SUMMARY);
                match partner.filter(|p| source.has_beside(p)) {
                    Some(p) => {
                        // Validate now so a broken file is named as itself, not via its partner.
                        individual_rows(source.path, &value)?;
                        Ok(Parsed {
                            notes: vec![format!(
                                "request rows of the run in {}",
                                p.rsplit('/').next().unwrap_or_default()
                            )],
                            ..Parsed::default()
                        })
                    }
                    None => {
                        let rows = individual_rows(source.path, &value)?;
                        let mut run = Run::default();
                        run.notes.push("individual responses without a summary file: no model, concurrency or duration".into());
                        run.num_requests = Some(rows.len() as u64);
                        run.num_failed = Some(rows.ok.iter().filter(|o| !**o).count() as u64);
                        Ok(Parsed {
                            runs: vec![ParsedRun {
                                run,
                                requests: Some(rows),
                            }],
                            ..Parsed::default()
                        })
                    }
                }
            }
            other => Err(IngestError::wrong_type(
                Location::pointer(source.path, ""),
                "an object or a list",
                json::describe(other),
            )),
        }
    }
}

/// The two files of a run: (file name suffix, leaderboard folder name).
const SUMMARY: (&str, &str) = ("_summary.json", "summary");
const INDIVIDUAL: (&str, &str) = ("_individual_responses.json", "individual");

/// The name, beside `path`, of its partner: `X_summary.json` ↔ `X_individual_responses.json`
/// in one folder, or `summary/X.json` ↔ `individual/X.json` (the leaderboard layout).
fn partner(path: &Path, (suffix, folder): (&str, &str), to: (&str, &str)) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let dir = path.parent()?;
    if let Some(stem) = name.strip_suffix(suffix) {
        return Some(format!("{stem}{}", to.0));
    }
    (dir.file_name()? == folder).then(|| format!("../{}/{name}", to.1))
}

/// Summary fields kept as run labels under their own names (`framework`, `api` and
/// `model_size` are the leaderboard's additions).
const LABELS: [&str; 5] = [
    "stddev_input_tokens",
    "stddev_output_tokens",
    "framework",
    "api",
    "model_size",
];

/// The summary's metrics → bench-report names (seconds → ms where the name says `_s`).
const METRICS: [(&str, &str, f64); 3] = [
    ("ttft_s", Metric::TtftMs.key(), 1000.0),
    ("end_to_end_latency_s", Metric::E2eMs.key(), 1000.0),
    (
        "inter_token_latency_s",
        "llmperf.inter_token_latency_s",
        1.0,
    ),
];

fn summary(source: &Source<'_>, value: &Value) -> Result<Parsed, IngestError> {
    let path = source.path;
    let o = Obj::new(value, "", path)?;
    let mut run = Run {
        model: o.str("model")?,
        name: o.str("name")?,
        concurrency: o
            .u64("num_concurrent_requests")?
            .and_then(|c| u32::try_from(c).ok()),
        input_len: o.f64("mean_input_tokens")?.map(|x| x as u64),
        output_len: o.f64("mean_output_tokens")?.map(|x| x as u64),
        num_requests: o.u64("results_num_requests_started")?,
        num_failed: o.u64("results_number_errors")?,
        source_tool_version: o.str("version")?,
        ..Run::default()
    };
    for key in LABELS {
        if let Some(v) = o.str(key)? {
            run.labels.insert(key.into(), v);
        }
    }
    for (m, ours, factor) in METRICS {
        for q in ["p25", "p50", "p75", "p90", "p95", "p99"] {
            let key = format!("results_{m}_quantiles_{q}");
            if let Some(x) = o.f64(&key)? {
                let stat = if q == "p50" { "median" } else { q };
                run.report(format!("{ours}.{stat}"), Reported::new(x * factor, key));
            }
        }
        for stat in ["mean", "min", "max"] {
            let key = format!("results_{m}_{stat}");
            if let Some(x) = o.f64(&key)? {
                run.report(format!("{ours}.{stat}"), Reported::new(x * factor, key));
            }
        }
        let key = format!("results_{m}_stddev");
        if let Some(x) = o.f64(&key)? {
            run.report(
                format!("{ours}.std"),
                Reported::with_method(x * factor, key, "sample std (ddof 1, pandas)"),
            );
        }
    }
    run.report_opt(
        &Metric::ErrorRate.run_value().to_string(),
        o.f64("results_error_rate")?,
        "results_error_rate",
    );
    if let Some(e) = o.str("results_error_code_frequency")? {
        run.labels.insert("error_code_frequency".into(), e);
    }
    // Both rates divide by the same unrecorded wall time, so it is recovered from them
    // (formats/llmperf.md WE3): duration = completed · 60 / completed-per-minute.
    if let (Some(done), Some(per_min)) = (
        o.f64("results_num_completed_requests")?,
        o.f64("results_num_completed_requests_per_min")?,
    ) {
        if per_min > 0.0 {
            run.duration_s = Some(done * 60.0 / per_min);
            run.notes.push("duration_s derived as results_num_completed_requests × 60 / results_num_completed_requests_per_min (LLMPerf does not store it)".into());
        }
        run.report(
            Metric::RequestThroughputRps.run_value(),
            Reported::new(
                per_min / 60.0,
                "results_num_completed_requests_per_min / 60",
            ),
        );
    }
    run.report_opt(
        &Metric::OutputTokenThroughputTps.run_value().to_string(),
        o.f64("results_mean_output_throughput_token_per_s")?,
        "results_mean_output_throughput_token_per_s",
    );
    run.definitions.insert(
        "llmperf.inter_token_latency_s".into(),
        "LLMPerf's inter_token_latency_s is (last content chunk − request start) / token count per request: it includes TTFT, so it is neither TPOT nor ITL".into(),
    );
    run.definitions.insert(
        Metric::OutputTokens.key().into(),
        "LLMPerf counts tokens with the hf-internal-testing/llama-tokenizer on the client (an empty answer counts 1), not the served model's tokenizer".into(),
    );
    let individual = match partner(path, SUMMARY, INDIVIDUAL) {
        Some(name) => source.beside(&name)?,
        None => None,
    };
    let requests = match individual {
        Some(Sidecar { path: p, bytes }) => {
            let v = json::parse(&bytes, &p)?;
            let rows = individual_rows(&p, &v)?;
            if let Some(n) = run.num_requests {
                if n != rows.len() as u64 {
                    return Err(IngestError::invalid(
                        Location::pointer(path, "/results_num_requests_started"),
                        format!("says {n} requests but {} holds {}", p.display(), rows.len()),
                    ));
                }
            }
            Some(rows)
        }
        None => None,
    };
    Ok(Parsed {
        runs: vec![ParsedRun { run, requests }],
        ..Parsed::default()
    })
}

fn individual_rows(path: &Path, value: &Value) -> Result<RequestColumns, IngestError> {
    let Value::Array(items) = value else {
        return Err(IngestError::wrong_type(
            Location::pointer(path, ""),
            "a list of responses",
            json::describe(value),
        ));
    };
    let mut cols = RequestColumns::default();
    for (i, item) in items.iter().enumerate() {
        let ptr = format!("/{i}");
        let o = Obj::new(item, &ptr, path)?;
        let code = match o.get("error_code") {
            None | Some(Value::Null) => None,
            Some(v) => {
                Some(json::number(v).map_or_else(|| json::describe(v), crate::format::float))
            }
        };
        let ok = code.is_none();
        let msg = o.str("error_msg")?.unwrap_or_default();
        let ttft = o.f64("ttft_s")?;
        let e2e = o.f64("end_to_end_latency_s")?;
        cols.push(RequestRow {
            ok,
            error: code.map(|c| {
                if msg.is_empty() {
                    c
                } else {
                    format!("{c}: {msg}")
                }
            }),
            input_tokens: o.f64("number_input_tokens")?,
            output_tokens: o.f64("number_output_tokens")?,
            ttft_ms: if ok { ttft.map(|t| t * 1000.0) } else { None },
            e2e_ms: if ok { e2e.map(|t| t * 1000.0) } else { None },
            tpot_ms: None,
            start_s: None,
        });
    }
    Ok(cols)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::testing::{
        assert_close, corpus, detect, detect_and_parse_all, files_under, fixture_path, ok_values,
        parse_file, parse_fixture,
    };
    use crate::stats;

    #[test]
    fn llmperf_native_pair() {
        let dir = fixture_path("llmperf/native");
        for name in [
            "tiny_100_20_summary.json",
            "tiny_100_20_individual_responses.json",
        ] {
            assert_eq!(
                detect(&dir.join(name), &fixture_path("")).map_err(|e| e.to_string()),
                Ok("llmperf"),
                "{name}"
            );
        }
        let p = parse_fixture(&Llmperf, "llmperf/native/tiny_100_20_summary.json").expect("parses");
        assert_eq!(p.runs.len(), 1);
        let run = &p.runs[0].run;
        assert_eq!(run.model.as_deref(), Some("org/tiny-7b"));
        assert_eq!(run.concurrency, Some(2));
        assert_eq!((run.input_len, run.output_len), (Some(100), Some(20)));
        assert_eq!((run.num_requests, run.num_failed), (Some(4), Some(1)));
        // duration = completed · 60 / completed-per-minute = 3 · 60 / 90 = 2 s;
        // request rate = 90 / 60 = 1.5 req/s.
        assert_eq!(run.duration_s, Some(2.0));
        assert_eq!(run.reported["request_throughput_rps"].value, 1.5);
        assert_eq!(run.reported["error_rate"].value, 0.25);
        assert_eq!(run.reported["output_token_throughput_tps"].value, 30.0);
        // Seconds become ms: ttft p50 0.3 s = 300 ms, e2e max 1.5 s = 1500 ms,
        // ttft sample std 0.1 s = 100 ms.
        assert_close(
            run.reported["ttft_ms.median"].value,
            300.0,
            1e-12,
            "ttft p50",
        );
        assert_close(run.reported["e2e_ms.max"].value, 1500.0, 1e-12, "e2e max");
        assert_close(run.reported["ttft_ms.std"].value, 100.0, 1e-12, "ttft std");
        assert_eq!(run.labels["error_code_frequency"], "{429: 1}");
        // The paired individual file gives the rows: 4 requests, the 429 failed and keeps
        // no latency.
        let rows = p.runs[0].requests.as_ref().expect("rows from the pair");
        assert_eq!(rows.ok, [true, true, true, false]);
        assert_eq!(rows.error[3].as_deref(), Some("429"));
        // Rounded to µs: 0.3 s × 1000 is 300.00000000000006 in binary floating point.
        let ms = |v: &[Option<f64>]| -> Vec<Option<f64>> {
            v.iter()
                .map(|x| x.map(|x| (x * 1e3).round() / 1e3))
                .collect()
        };
        assert_eq!(
            ms(&rows.ttft_ms),
            [Some(200.0), Some(400.0), Some(300.0), None]
        );
        assert_eq!(
            ms(&rows.e2e_ms),
            [Some(1000.0), Some(1500.0), Some(1200.0), None]
        );
        assert_eq!(rows.output_tokens[3], Some(1.0));
        // The summary's numbers are those of the completed rows: linear quantiles over the
        // sorted ttfts [0.2, 0.3, 0.4] s put p90 at index 0.9 · 2 = 1.8, so
        // 0.3 + 0.8 · (0.4 − 0.3) = 0.38 s.
        let ttft: Vec<f64> = rows.ttft_ms.iter().flatten().copied().collect();
        assert_close(
            stats::percentile_linear_sorted(&stats::sorted(&ttft), 90.0).expect("p90"),
            run.reported["ttft_ms.p90"].value,
            1e-12,
            "ttft p90 recomputed",
        );
        assert_close(run.reported["ttft_ms.p90"].value, 380.0, 1e-12, "p90");
        // The individual file alone carries no run: its run is the summary's.
        let ind = parse_fixture(
            &Llmperf,
            "llmperf/native/tiny_100_20_individual_responses.json",
        )
        .expect("parses");
        assert!(ind.runs.is_empty());
        assert_eq!(
            ind.notes,
            ["request rows of the run in tiny_100_20_summary.json"]
        );
    }

    #[test]
    fn llmperf_summaries_recomputed_from_individual_responses() {
        // formats/llmperf.md §7: quantiles (linear), mean (pairwise) and sample std reproduce
        // the summary bit for bit; we allow 1e-12 relative.
        let Some(root) = corpus() else { return };
        let mut pairs = 0;
        for f in files_under(&root.join("llmperf")) {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            if !is_summary(&text) {
                continue;
            }
            let raw: Value = serde_json::from_str(&text).expect("json");
            let p = parse_file(&Llmperf, &f, &root).expect("parses");
            let rows = p.runs[0].requests.as_ref().expect("paired individual file");
            pairs += 1;
            for (m, vals) in [
                ("ttft_s", ok_values(rows, &rows.ttft_ms)),
                ("end_to_end_latency_s", ok_values(rows, &rows.e2e_ms)),
            ] {
                let secs: Vec<f64> = vals.iter().map(|v| v / 1000.0).collect();
                let s = stats::sorted(&secs);
                let num = |k: String| json::number(&raw[k.as_str()]).expect("printed");
                for q in [25.0, 50.0, 75.0, 90.0, 95.0, 99.0] {
                    let want = num(format!("results_{m}_quantiles_p{q}"));
                    assert_close(
                        stats::percentile_linear_sorted(&s, q).expect("v"),
                        want,
                        1e-12,
                        &format!("{} {m} p{q}", f.display()),
                    );
                }
                assert_close(
                    stats::mean(&secs).expect("v"),
                    num(format!("results_{m}_mean")),
                    1e-12,
                    "mean",
                );
                assert_close(
                    stats::std(&secs, 1).expect("v"),
                    num(format!("results_{m}_stddev")),
                    1e-12,
                    "sample std",
                );
            }
            let failed = rows.ok.iter().filter(|o| !**o).count() as f64;
            assert_eq!(json::number(&raw["results_number_errors"]), Some(failed));
            assert_eq!(
                json::number(&raw["results_num_requests_started"]),
                Some(rows.len() as f64)
            );
        }
        assert_eq!(pairs, 6, "six summary/individual pairs in the corpus");
    }

    #[test]
    fn llmperf_corpus_walk_detects_and_pairs() {
        let Some(root) = corpus() else { return };
        for (f, p) in detect_and_parse_all(&Llmperf, &root.join("llmperf"), &root) {
            let text = std::fs::read_to_string(&f).expect("read");
            assert_eq!(
                p.runs.len(),
                usize::from(is_summary(&text)),
                "{}: individual files carry no run of their own",
                f.display()
            );
        }
    }

    #[test]
    fn llmperf_bad_type_names_pointer() {
        let v: Value = serde_json::from_str(r#"[{"error_code": null, "ttft_s": "fast", "end_to_end_latency_s": 1.0, "number_output_tokens": 3}]"#).expect("json");
        let err = individual_rows(Path::new("i.json"), &v).expect_err("bad");
        assert_eq!(
            err.to_string(),
            "i.json: /0/ttft_s: expected a number, found \"fast\""
        );
    }
}
