//! Hugging Face inference-benchmarker JSON reports (`formats/tgi.md` Part 1), written by
//! `BenchmarkReportWriter::json` (huggingface/inference-benchmarker `src/writers.rs`).
//!
//! One run per `results[]` element; the warmup step is kept and flagged (label
//! `warmup = true`), never dropped silently. The file has no per-request rows, so every
//! latency is `Reported`; its "inter token latency" is a per-request average and is mapped to
//! `tpot_ms` with the tool's label. Token counts like `max_tokens` may be u64::MAX: they are
//! read as u64, never through i64.

use serde_json::Value;

use super::json::{self, Obj};
use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::metric::Metric;
use crate::model::{ParsedRun, Reported, RequestRate, Run};

/// The `inference_benchmarker` parser.
pub struct InferenceBenchmarker;

impl Parser for InferenceBenchmarker {
    fn name(&self) -> &'static str {
        "inference_benchmarker"
    }

    fn describe(&self) -> &'static str {
        "Hugging Face inference-benchmarker JSON reports"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        let text = probe.text();
        if probe.extension == "json"
            && text.contains("\"executor_type\"")
            && text.contains("\"token_throughput_secs\"")
            && text.contains("\"results\"")
            && text.contains("\"config\"")
        {
            Sniff::certain("has config, results[].executor_type and token_throughput_secs")
        } else {
            Sniff::no("no inference-benchmarker keys")
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let path = source.path;
        let value = json::parse(source.bytes, path)?;
        let root = Obj::new(&value, "", path)?;
        let cfg_ptr = root.child_pointer("config");
        let cfg = match root.get("config") {
            Some(c) => Obj::new(c, &cfg_ptr, path)?,
            None => return Err(IngestError::missing(root.loc("config"), "config")),
        };
        let model = cfg.str("model_name")?.or(cfg.str("tokenizer")?);
        let date = root
            .str("start_time")?
            .and_then(|t| t.get(0..10).map(str::to_string));
        let engine = cfg
            .get("meta")
            .and_then(|m| m.get("engine"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let len = |key: &str| -> Result<Option<u64>, IngestError> {
            match cfg.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => {
                    let p = cfg.child_pointer(key);
                    Obj::new(v, &p, path)?.u64("num_tokens")
                }
            }
        };
        let input_len = len("prompt_options")?;
        let output_len = len("decode_options")?;
        let Some(results) = root.array("results")? else {
            return Err(IngestError::missing(root.loc("results"), "results"));
        };
        let mut parsed = Parsed::default();
        for (i, item) in results.iter().enumerate() {
            let ptr = format!("/results/{i}");
            let r = Obj::new(item, &ptr, path)?;
            let mut run = Run {
                model: model.clone(),
                engine: engine.clone(),
                date: date.clone(),
                input_len,
                output_len,
                ..Run::default()
            };
            let id = r.str("id")?.unwrap_or_default();
            let executor = r.str("executor_type")?.unwrap_or_default();
            run.name = Some(id.clone());
            run.labels.insert("executor_type".into(), executor.clone());
            if let Some(run_id) = cfg.str("run_id")? {
                run.labels.insert("run_id".into(), run_id);
            }
            if let Some(Value::Object(meta)) = cfg.get("meta") {
                for (k, v) in meta {
                    if let Some(s) = v.as_str() {
                        run.labels
                            .entry(format!("meta.{k}"))
                            .or_insert_with(|| s.to_string());
                    }
                }
            }
            if id == "warmup" {
                run.labels.insert("warmup".into(), "true".into());
                run.notes
                    .push("warmup step (1 VU): not a benchmark point".into());
            }
            let rcfg_ptr = r.child_pointer("config");
            if let Some(c) = r.get("config") {
                let rc = Obj::new(c, &rcfg_ptr, path)?;
                match rc.f64("rate")? {
                    Some(rate) => run.request_rate_rps = Some(RequestRate::Finite(rate)),
                    None => {
                        run.concurrency = rc.u64("max_vus")?.and_then(|v| u32::try_from(v).ok())
                    }
                }
            }
            let ok = r.u64("successful_requests")?;
            let failed = r.u64("failed_requests")?;
            run.num_requests = r.u64("total_requests")?;
            run.num_failed = failed;
            let tokens = r.u64("total_tokens")?;
            let sent = r.u64("total_tokens_sent")?;
            let tput = r.f64("token_throughput_secs")?;
            let rate = r.f64("request_rate")?;
            // The ns-exact duration (formats/tgi.md 1.5 a): total_tokens / token_throughput.
            run.duration_s = match (tokens, tput, ok, rate) {
                (Some(t), Some(x), _, _) if x > 0.0 => Some(t as f64 / x),
                (_, _, Some(n), Some(q)) if q > 0.0 => Some(n as f64 / q),
                _ => r.f64("duration_ms")?.map(|ms| ms / 1000.0),
            };
            run.report_opt(
                &Metric::RequestThroughputRps.run_value().to_string(),
                rate,
                "request_rate",
            );
            run.report_opt(
                &Metric::OutputTokenThroughputTps.run_value().to_string(),
                tput,
                "token_throughput_secs",
            );
            if let (Some(t), Some(s), Some(d)) = (tokens, sent, run.duration_s) {
                if d > 0.0 {
                    run.report(
                        Metric::TotalTokenThroughputTps.run_value(),
                        Reported::new(
                            (t + s) as f64 / d,
                            "(total_tokens + total_tokens_sent) / duration",
                        ),
                    );
                }
            }
            if let (Some(f), Some(n)) = (failed, run.num_requests) {
                if n > 0 {
                    run.report(
                        Metric::ErrorRate.run_value(),
                        Reported::new(f as f64 / n as f64, "failed_requests / total_requests"),
                    );
                }
            }
            for (key, metric) in [
                ("time_to_first_token_ms", Metric::TtftMs.key()),
                ("inter_token_latency_ms", Metric::TpotMs.key()),
                ("e2e_latency_ms", Metric::E2eMs.key()),
            ] {
                let Some(block) = r.get(key) else { continue };
                let bptr = r.child_pointer(key);
                let b = Obj::new(block, &bptr, path)?;
                for (stat_key, _) in b.map {
                    let Some(x) = b.f64(stat_key)? else { continue };
                    let stat = match stat_key.as_str() {
                        "avg" => "mean".to_string(),
                        "p50" => "median".to_string(),
                        other => other.to_string(),
                    };
                    run.report(
                        format!("{metric}.{stat}"),
                        Reported::with_method(
                            x,
                            format!("{key}.{stat_key}"),
                            "µs-truncated; percentiles linear",
                        ),
                    );
                }
            }
            run.definitions.insert(
                Metric::TpotMs.key().into(),
                "inference-benchmarker's inter_token_latency is a per-request average, (last content chunk − first) / (N − 1) with N re-tokenised on the client; shown as TPOT".into(),
            );
            parsed.runs.push(ParsedRun {
                run,
                requests: None,
            });
        }
        if parsed.runs.is_empty() {
            return Err(IngestError::invalid(
                Location::pointer(path, "/results"),
                "expected at least one result, found none",
            ));
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::testing::{
        corpus, detect, fixture_path, parse_bytes, parse_file, parse_fixture,
    };

    #[test]
    fn inference_benchmarker_sweep() {
        assert_eq!(
            detect(
                &fixture_path("inference_benchmarker/sweep.json"),
                &fixture_path("")
            )
            .map_err(|e| e.to_string()),
            Ok("inference_benchmarker")
        );
        let p = parse_fixture(&InferenceBenchmarker, "inference_benchmarker/sweep.json")
            .expect("parses");
        let names: Vec<_> = p.runs.iter().map(|r| r.run.name.as_deref()).collect();
        assert_eq!(
            names,
            [
                Some("warmup"),
                Some("throughput"),
                Some("constant@1.00req/s")
            ]
        );
        let (warm, tp, step) = (&p.runs[0].run, &p.runs[1].run, &p.runs[2].run);
        // The warmup is kept and flagged.
        assert_eq!(warm.labels["warmup"], "true");
        assert!(!tp.labels.contains_key("warmup"));
        // Shared settings: model_name over tokenizer, engine from meta, date from start_time,
        // lengths from num_tokens (decode max_tokens is u64::MAX and must not matter).
        assert_eq!(tp.model.as_deref(), Some("tiny-7b"));
        assert_eq!(tp.engine.as_deref(), Some("tgi"));
        assert_eq!(tp.date.as_deref(), Some("2026-07-19"));
        assert_eq!((tp.input_len, tp.output_len), (Some(500), Some(100)));
        assert_eq!(tp.labels["run_id"], "fixture-sweep");
        assert_eq!(tp.labels["meta.campaign"], "fixture");
        assert_eq!(tp.labels["executor_type"], "ConstantVUs");
        // throughput step: duration = total_tokens / token_throughput_secs = 900 / 90 = 10 s;
        // total throughput = (900 + 4500) / 10 = 540 tok/s; error rate = 1 / 10 = 0.1.
        assert_eq!(tp.concurrency, Some(4));
        assert_eq!(tp.request_rate_rps, None);
        assert_eq!(tp.duration_s, Some(10.0));
        assert_eq!((tp.num_requests, tp.num_failed), (Some(10), Some(1)));
        assert_eq!(tp.reported["total_token_throughput_tps"].value, 540.0);
        assert_eq!(tp.reported["error_rate"].value, 0.1);
        assert_eq!(tp.reported["request_throughput_rps"].value, 0.9);
        assert_eq!(tp.reported["output_token_throughput_tps"].value, 90.0);
        // Statistic names: avg → mean, p50 → median, the rest as printed.
        assert_eq!(tp.reported["ttft_ms.mean"].value, 118.0);
        assert_eq!(tp.reported["ttft_ms.median"].value, 120.5);
        assert_eq!(tp.reported["tpot_ms.mean"].value, 20.25);
        assert_eq!(tp.reported["e2e_ms.p99"].value, 2500.0);
        assert_eq!(
            tp.reported["ttft_ms.median"].label,
            "time_to_first_token_ms.p50"
        );
        // rate step: duration = 500 / 62.5 = 8 s; total throughput (500 + 2500) / 8 = 375.
        assert_eq!(step.request_rate_rps, Some(RequestRate::Finite(1.0)));
        assert_eq!(step.concurrency, None);
        assert_eq!(step.duration_s, Some(8.0));
        assert_eq!(step.reported["total_token_throughput_tps"].value, 375.0);
        assert_eq!(step.reported["error_rate"].value, 0.0);
    }

    #[test]
    fn inference_benchmarker_worked_examples_a_b() {
        let Some(root) = corpus() else { return };
        let dir = root.join("tgi/infervisor-plow-inference-benchmarker-2026-07");
        let f = dir.join("google_gemma-4-12B-it_2026-07-19-04-14-11.json");
        assert_eq!(
            detect(&f, &root).map_err(|e| e.to_string()),
            Ok("inference_benchmarker")
        );
        let p = parse_file(&InferenceBenchmarker, &f, &root).expect("parses");
        let tp = p
            .runs
            .iter()
            .find(|r| r.run.name.as_deref() == Some("throughput"))
            .expect("throughput step");
        // formats/tgi.md 1.5 (a)/(b): 28007 / 232.9694104024083 = 120.217499592 s;
        // 220 / 120.217499592 = 1.8300164347673733 = request_rate.
        let d = tp.run.duration_s.expect("duration");
        assert!((d - 120.217_499_592).abs() < 1e-9, "{d}");
        assert_eq!(
            220.0 / 120.217_499_592,
            tp.run.reported["request_throughput_rps"].value
        );
        assert_eq!(tp.run.concurrency, Some(64));
        // (c): the first sweep step's rate.
        let step = p
            .runs
            .iter()
            .find(|r| r.run.name.as_deref() == Some("constant@0.27req/s"))
            .expect("step");
        assert_eq!(
            step.run.request_rate_rps,
            Some(RequestRate::Finite(0.274_502_465_215_105_96))
        );
        assert_eq!(step.run.reported["ttft_ms.median"].value, 381.052);
        assert!(step.run.definitions.contains_key("tpot_ms"));
        // Every file parses; the warmup is flagged, not dropped.
        for f in std::fs::read_dir(&dir).expect("dir").flatten() {
            let p = parse_file(&InferenceBenchmarker, &f.path(), &root).expect("parses");
            assert!(p
                .runs
                .iter()
                .any(|r| r.run.labels.get("warmup").is_some_and(|w| w == "true")));
        }
    }

    #[test]
    fn inference_benchmarker_u64_max_tokens_and_bad_type() {
        let good = br#"{"config":{"max_vus":1,"decode_options":{"num_tokens":128,"min_tokens":128,"max_tokens":18446744073709551615,"variance":0},"model_name":"m"},"results":[{"id":"warmup","executor_type":"ConstantVUs","config":{"max_vus":1,"rate":null},"total_requests":2,"total_tokens":10,"token_throughput_secs":5.0,"successful_requests":2,"failed_requests":0,"request_rate":1.0,"total_tokens_sent":20}],"start_time":"2026-07-19T03:55:32+00:00","end_time":"x","system":{}}"#;
        let m = crate::ingest::Mapping::default();
        let ib = std::path::Path::new("ib.json");
        let p =
            parse_bytes(&InferenceBenchmarker, ib, "ib.json", good, &m).expect("parses u64::MAX");
        // duration = 10 / 5 = 2 s; total throughput (10 + 20) / 2 = 15 tok/s.
        assert_eq!(p.runs[0].run.duration_s, Some(2.0));
        assert_eq!(
            p.runs[0].run.reported["total_token_throughput_tps"].value,
            15.0
        );
        assert_eq!(p.runs[0].run.output_len, Some(128));
        let bad = br#"{"config":{},"results":[{"id":"x","executor_type":"ConstantVUs","token_throughput_secs":"fast"}]}"#;
        let err = parse_bytes(&InferenceBenchmarker, ib, "ib.json", bad, &m).expect_err("bad");
        assert_eq!(
            err.to_string(),
            "ib.json: /results/0/token_throughput_secs: expected a number, found \"fast\""
        );
    }
}
