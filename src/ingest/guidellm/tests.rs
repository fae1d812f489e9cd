//! GuideLLM parser tests: fixtures under `tests/fixtures/guidellm/` and, when
//! `BENCH_REPORT_CORPUS` is set, the real corpus.

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

/// GuideLLM 0.4+'s request-latency distribution: every listed row's e2e in seconds, weight 1.
fn latency_seconds(r: &RequestColumns) -> Dist {
    let pairs: Vec<(f64, f64)> = r
        .e2e_ms
        .iter()
        .map(|v| (v.expect("e2e") / 1000.0, 1.0))
        .collect();
    Dist::v04(&pairs)
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
    let err = testing::parse_fixture(&Guidellm, "guidellm/bad/wrong_type.json").expect_err("bad");
    let msg = err.to_string();
    assert!(
        msg.ends_with("wrong_type.json: /benchmarks/0/metrics/time_to_first_token_ms/successful/mean: expected a number, found \"fast\""),
        "{msg}"
    );
}

#[test]
fn guidellm_bad_missing_results_names_pointer() {
    let err =
        testing::parse_fixture(&Guidellm, "guidellm/bad/missing_results.json").expect_err("bad");
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
    let lat = latency_seconds(r);
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
    let lat = latency_seconds(r);
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

#[test]
fn guidellm_corpus_walk_every_file_detected_and_parsed() {
    let Some(corpus) = testing::corpus() else {
        return;
    };
    let root = corpus.join("guidellm");
    let data: Vec<_> = testing::files_under(&root)
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
