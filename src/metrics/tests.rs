//! Tests of `metrics.rs`: statistics on hand-computed runs, reported-value merging, warnings.

use super::*;
use crate::model::{Reported, RequestColumns, RequestRow};

/// A key as `summary.json` spells it.
fn key(text: &str) -> MetricKey {
    text.parse()
        .unwrap_or_else(|()| panic!("{text} is not a catalogue key"))
}

fn close(got: Option<f64>, want: f64, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what}: no value, want {want}"));
    assert!(
        relative_difference(got, want) <= 1e-12,
        "{what}: got {got}, want {want}"
    );
}

/// The statistics every latency metric gets under the default percentiles, in the order
/// [`close_stats`] takes its expected values.
const STATS: [&str; 9] = [
    "mean", "median", "std", "min", "max", "count", "p90", "p95", "p99",
];

/// Check `metric`'s statistics in `s` against `want`, in [`STATS`] order, the standard
/// deviation given as its square (the variance the hand computation ends on).
fn close_stats(s: &RunSummary, metric: &str, mut want: [f64; 9]) {
    want[2] = want[2].sqrt();
    for (stat, want) in STATS.into_iter().zip(want) {
        close(
            s.value(key(&format!("{metric}.{stat}"))),
            want,
            &format!("{metric} {stat}"),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn row(ok: bool, inp: f64, out: Option<f64>, ttft: f64, e2e: f64, tpot: Option<f64>) -> RequestRow {
    RequestRow {
        ok,
        error: (!ok).then(|| "timeout".to_string()),
        input_tokens: Some(inp),
        output_tokens: out,
        ttft_ms: Some(ttft),
        e2e_ms: Some(e2e),
        tpot_ms: tpot,
        start_s: None,
    }
}

/// Run A: five successful requests and one failed one, duration 10 s, ITL gaps, reported values.
fn run_a() -> ParsedRun {
    let mut cols = RequestColumns::default();
    //            ok     in     out         ttft  e2e    given tpot
    cols.push(row(true, 100.0, Some(11.0), 10.0, 110.0, None)); // tpot (110-10)/10 = 10
    cols.push(row(true, 100.0, Some(21.0), 20.0, 420.0, None)); // tpot (420-20)/20 = 20
    cols.push(row(true, 200.0, Some(1.0), 30.0, 30.0, None)); // out 1: no tpot
    cols.push(row(true, 200.0, Some(5.0), 40.0, 200.0, Some(30.0))); // given 30 (derived would be 40)
    cols.push(row(true, 400.0, Some(2.0), 50.0, 100.0, None)); // tpot (100-50)/1 = 50
                                                               // Failed: would be the minimum of every latency and would meet every SLO if counted.
    cols.push(row(false, 100.0, Some(3.0), 1.0, 5.0, None));
    cols.itl_ms = vec![5.0, 15.0, 10.0, 30.0];
    let mut run = Run {
        source_file: "a.json".into(),
        name: Some("A".into()),
        duration_s: Some(10.0),
        num_requests: Some(6),
        num_failed: Some(1),
        ..Run::default()
    };
    run.report("ttft_ms.mean", Reported::new(30.0, "mean_ttft_ms"));
    run.report("e2e_ms.mean", Reported::new(175.0, "mean_e2el_ms"));
    run.report(
        "tpot_ms.std",
        Reported::with_method(16.0, "std_tpot_ms", "sample std (ddof 1)"),
    );
    run.report(
        "request_throughput_rps",
        Reported::new(0.5, "request_throughput"),
    );
    run.report("fmbench.score", Reported::new(7.0, "score"));
    ParsedRun {
        run,
        requests: Some(cols),
    }
}

/// Run B: ten successful requests with ttft 1..=10 ms only; no duration, no start times.
fn run_b() -> ParsedRun {
    let mut cols = RequestColumns::default();
    for t in 1..=10 {
        cols.push(RequestRow {
            ok: true,
            ttft_ms: Some(f64::from(t)),
            ..RequestRow::default()
        });
    }
    let run = Run {
        source_file: "b.json".into(),
        ..Run::default()
    };
    ParsedRun {
        run,
        requests: Some(cols),
    }
}

/// Run C: no request rows, only run fields and the tool's summary.
fn run_c() -> ParsedRun {
    let mut run = Run {
        source_file: "c.json".into(),
        num_requests: Some(100),
        num_failed: Some(4),
        duration_s: Some(50.0),
        ..Run::default()
    };
    run.report("ttft_ms.p99", Reported::new(123.0, "p99_ttft_ms"));
    run.report(
        "output_token_throughput_tps",
        Reported::new(900.0, "output_throughput"),
    );
    ParsedRun {
        run,
        requests: None,
    }
}

/// Run D: no duration_s but start times: duration from the span of the requests.
fn run_d() -> ParsedRun {
    let mut cols = RequestColumns::default();
    for (start_s, e2e, out) in [(0.0, 1000.0, 10.0), (1.5, 500.0, 30.0)] {
        cols.push(RequestRow {
            ok: true,
            input_tokens: Some(10.0),
            output_tokens: Some(out),
            ttft_ms: Some(100.0),
            e2e_ms: Some(e2e),
            start_s: Some(start_s),
            ..RequestRow::default()
        });
    }
    ParsedRun {
        run: Run {
            source_file: "d.json".into(),
            ..Run::default()
        },
        requests: Some(cols),
    }
}

fn slo() -> Slo {
    Slo {
        ttft_ms: Some(40.0),
        tpot_ms: Some(30.0),
        e2e_ms: Some(300.0),
    }
}

/// A percentile list holding `p` is refused, not rounded or clamped.
fn assert_percentile_refused(parsed: &ParsedRun, p: f64) {
    let config = MetricsConfig {
        percentiles: vec![p],
        ..MetricsConfig::default()
    };
    assert!(matches!(
        summarize(&[parsed], &config, &slo()),
        Err(MetricsError::InvalidPercentile(_))
    ));
}

#[test]
fn metrics_by_hand_linear() {
    let (a, b, c, d) = (run_a(), run_b(), run_c(), run_d());
    let out = summarize(&[&a, &b, &c, &d], &MetricsConfig::default(), &slo()).expect("summarize");
    assert_eq!(out.len(), 4);
    let s = &out[0];
    let v = |k: &str| s.value(key(k));

    for (metric, want) in [
        // ttft of the 5 successful rows: 10 20 30 40 50 (the failed row's 1 ms is excluded).
        // mean 150/5 = 30; median 30; std sqrt((400+100+0+100+400)/5) = sqrt(200);
        // linear p90: h = 4*0.9 = 3.6 → 40 + 0.6*10 = 46; p95: h = 3.8 → 48; p99: h = 3.96 → 49.6.
        (
            "ttft_ms",
            [30.0, 30.0, 200.0, 10.0, 50.0, 5.0, 46.0, 48.0, 49.6],
        ),
        // tpot: 10, 20, (out = 1 excluded), 30 given, 50 → [10 20 30 50]; the failed row's
        // derived (5-1)/2 = 2 is excluded. mean 110/4 = 27.5; median (20+30)/2 = 25;
        // std: deviations -17.5 -7.5 2.5 22.5 → 306.25+56.25+6.25+506.25 = 875, /4 = 218.75;
        // p90: h = 3*0.9 = 2.7 → 30 + 0.7*20 = 44; p95: h = 2.85 → 47; p99: h = 2.97 → 49.4.
        (
            "tpot_ms",
            [27.5, 25.0, 218.75, 10.0, 50.0, 4.0, 44.0, 47.0, 49.4],
        ),
        // e2e sorted: 30 100 110 200 420. mean 860/5 = 172; median 110;
        // deviations -142 -72 -62 28 248 → 20164+5184+3844+784+61504 = 91480, /5 = 18296;
        // p90: h = 3.6 → 200 + 0.6*220 = 332; p95: h = 3.8 → 376; p99: h = 3.96 → 411.2.
        (
            "e2e_ms",
            [172.0, 110.0, 18296.0, 30.0, 420.0, 5.0, 332.0, 376.0, 411.2],
        ),
        // itl sorted: 5 10 15 30. mean 15; median 12.5; deviations -10 -5 0 15 → 350/4 = 87.5;
        // p90: h = 2.7 → 15 + 0.7*15 = 25.5; p95: h = 2.85 → 27.75; p99: h = 2.97 → 29.55.
        (
            "itl_ms",
            [15.0, 12.5, 87.5, 5.0, 30.0, 4.0, 25.5, 27.75, 29.55],
        ),
    ] {
        close_stats(s, metric, want);
    }

    // Tokens of the completed requests: in 100+100+200+200+400 = 1000, out 11+21+1+5+2 = 40.
    close(v("input_tokens.mean"), 200.0, "input mean");
    close(v("output_tokens.mean"), 8.0, "output mean");
    // 5 completed / 10 s; 40 / 10; 1040 / 10; 1 failed of 6.
    close(v("request_throughput_rps"), 0.5, "rps");
    close(v("output_token_throughput_tps"), 4.0, "output tps");
    close(v("total_token_throughput_tps"), 104.0, "total tps");
    close(v("error_rate"), 1.0 / 6.0, "error rate");
    // SLO ttft ≤ 40, tpot ≤ 30, e2e ≤ 300: row 0 yes; row 1 no (e2e 420); row 2 yes (out 1
    // → tpot 0); row 3 yes (ttft 40, given tpot 30, both at the limit); row 4 no (ttft 50);
    // the failed row meets every SLO but does not count. 3 good / 10 s.
    close(v("goodput_rps"), 0.3, "goodput");
    assert_eq!(s.values["goodput_rps"].provenance, Provenance::Computed);
    assert_eq!(s.duration_s.as_ref().and_then(|d| d.value), Some(10.0));

    // Reported values: kept next to the computed ones.
    assert_eq!(s.values["ttft_ms.mean"].reported, Some(30.0));
    assert_eq!(s.values["ttft_ms.mean"].provenance, Provenance::Computed);
    assert_eq!(s.values["e2e_ms.mean"].reported, Some(175.0));
    assert_eq!(s.values["tpot_ms.std"].reported, Some(16.0));
    assert_eq!(s.values["request_throughput_rps"].reported, Some(0.5));
    let score = &s.values["fmbench.score"];
    assert_eq!(score.value, Some(7.0));
    assert_eq!(
        score.provenance,
        Provenance::Reported {
            label: "score".into(),
            method: None
        }
    );
    // Exactly one warning: e2e mean 172 vs 175 (tpot std differs by method: no warning).
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    let w = &s.warnings[0];
    assert!(
        w.contains("a.json#0 (A)") && w.contains("e2e_ms.mean"),
        "{w}"
    );
    assert!(
        w.contains("172") && w.contains("175") && w.contains("mean_e2el_ms"),
        "{w}"
    );

    // B: ttft 1..=10: mean 5.5, median 5.5, std sqrt((100-1)/12) = sqrt(8.25);
    // p90: h = 9*0.9 = 8.1 → 9.1; p95: h = 8.55 → 9.55; p99: h = 8.91 → 9.91.
    let s = &out[1];
    close(s.value(key("ttft_ms.mean")), 5.5, "B mean");
    close(s.value(key("ttft_ms.median")), 5.5, "B median");
    close(s.value(key("ttft_ms.std")), 8.25f64.sqrt(), "B std");
    close(s.value(key("ttft_ms.p90")), 9.1, "B p90");
    close(s.value(key("ttft_ms.p95")), 9.55, "B p95");
    close(s.value(key("ttft_ms.p99")), 9.91, "B p99");
    // Duration unknown: no throughput, no goodput (unknown, not 0); error rate known (0/10).
    assert!(s.duration_s.is_none());
    for key in [
        "request_throughput_rps",
        "output_token_throughput_tps",
        "goodput_rps",
        "e2e_ms.mean",
        "tpot_ms.mean",
    ] {
        assert!(
            s.value(self::key(key)).is_none(),
            "{key} should be unknown: {:?}",
            s.values.get(key)
        );
    }
    assert_eq!(s.value(key("error_rate")), Some(0.0));
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("b.json#0") && w.contains("duration unknown")),
        "{:?}",
        s.warnings
    );

    // C: no rows. (100 − 4) / 50 = 1.92 rps and 4/100 error rate, derived from run fields;
    // the tool's values pass through as reported.
    let s = &out[2];
    close(s.value(key("request_throughput_rps")), 1.92, "C rps");
    assert!(matches!(
        s.values["request_throughput_rps"].provenance,
        Provenance::Derived { .. }
    ));
    close(s.value(key("error_rate")), 0.04, "C error rate");
    assert_eq!(s.value(key("ttft_ms.p99")), Some(123.0));
    assert_eq!(
        s.values["ttft_ms.p99"].provenance,
        Provenance::Reported {
            label: "p99_ttft_ms".into(),
            method: None
        }
    );
    assert_eq!(s.value(key("output_token_throughput_tps")), Some(900.0));
    assert!(s.value(key("goodput_rps")).is_none() && s.value(key("ttft_ms.mean")).is_none());
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);

    // D: span max(0 + 1.0, 1.5 + 0.5) − 0 = 2 s → 2/2 = 1 rps, 40/2 = 20 tps, 60/2 = 30;
    // ttft 100 > 40 for both: goodput known and 0.
    let s = &out[3];
    let d = s.duration_s.as_ref().expect("duration from span");
    assert_eq!((d.value, &d.provenance), (Some(2.0), &Provenance::Computed));
    close(s.value(key("request_throughput_rps")), 1.0, "D rps");
    close(s.value(key("output_token_throughput_tps")), 20.0, "D tps");
    close(s.value(key("total_token_throughput_tps")), 30.0, "D total");
    assert_eq!(s.value(key("goodput_rps")), Some(0.0));
}

#[test]
fn metrics_by_hand_nearest() {
    let (a, b) = (run_a(), run_b());
    let config = MetricsConfig {
        percentiles: vec![50.0, 90.0, 95.0, 99.0],
        percentile_method: PercentileMethod::Nearest,
    };
    let out = summarize(&[&a, &b], &config, &Slo::default()).expect("summarize");
    // Nearest rank: index ceil(p/100 · n) − 1 in the sorted values.
    // A ttft (n = 5): p50 ceil(2.5) = 3 → 30; p90 ceil(4.5) = 5 → 50; p95, p99 → 50.
    let s = &out[0];
    close(s.value(key("ttft_ms.p50")), 30.0, "ttft p50");
    close(s.value(key("ttft_ms.p90")), 50.0, "ttft p90");
    close(s.value(key("ttft_ms.p99")), 50.0, "ttft p99");
    // A tpot [10 20 30 50] (n = 4): p50 ceil(2) = 2 → 20 (linear: 25); p90 ceil(3.6) = 4 → 50.
    close(s.value(key("tpot_ms.p50")), 20.0, "tpot p50");
    close(s.value(key("tpot_ms.p90")), 50.0, "tpot p90");
    // The median stays the median.
    close(s.value(key("tpot_ms.median")), 25.0, "tpot median");
    // A itl [5 10 15 30]: p50 → 10; p95 ceil(3.8) = 4 → 30.
    close(s.value(key("itl_ms.p50")), 10.0, "itl p50");
    close(s.value(key("itl_ms.p95")), 30.0, "itl p95");
    // No SLO: no goodput.
    assert!(s.value(key("goodput_rps")).is_none());
    // B 1..=10: p50 ceil(5) = 5 → 5 (linear 5.5); p90 ceil(9) = 9 → 9; p95 ceil(9.5) = 10 → 10.
    let s = &out[1];
    close(s.value(key("ttft_ms.p50")), 5.0, "B p50");
    close(s.value(key("ttft_ms.p90")), 9.0, "B p90");
    close(s.value(key("ttft_ms.p95")), 10.0, "B p95");
    close(s.value(key("ttft_ms.p99")), 10.0, "B p99");
}

#[test]
fn metrics_unknown_and_bad_inputs_do_not_panic() {
    // Short columns (a parser bug), NaN values, zero duration, no runs at all.
    let mut cols = RequestColumns::default();
    cols.push(RequestRow {
        ok: true,
        ttft_ms: Some(f64::NAN),
        ..RequestRow::default()
    });
    cols.push(RequestRow {
        ok: true,
        ttft_ms: Some(4.0),
        ..RequestRow::default()
    });
    cols.e2e_ms.pop();
    let run = Run {
        duration_s: Some(0.0),
        ..Run::default()
    };
    let parsed = ParsedRun {
        run,
        requests: Some(cols),
    };
    let out = summarize(&[&parsed], &MetricsConfig::default(), &slo()).expect("summarize");
    let s = &out[0];
    assert_eq!(s.value(key("ttft_ms.count")), Some(1.0));
    assert_eq!(s.value(key("ttft_ms.mean")), Some(4.0));
    assert!(s.value(key("request_throughput_rps")).is_none());
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("e2e_ms has 1 entries for 2 rows")),
        "{:?}",
        s.warnings
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("not a positive duration")),
        "{:?}",
        s.warnings
    );
    assert!(summarize(&[], &MetricsConfig::default(), &slo())
        .expect("empty")
        .is_empty());
    // A repeated percentile is computed once.
    let twice = MetricsConfig {
        percentiles: vec![90.0, 90.0],
        ..MetricsConfig::default()
    };
    let out = summarize(&[&parsed], &twice, &slo()).expect("repeated percentile");
    assert_eq!(out[0].value(key("ttft_ms.p90")), Some(4.0));
    assert_percentile_refused(&parsed, 101.0);
}

/// A fixed 64-bit LCG (Knuth's MMIX constants): reproducible values without a dependency.
struct Lcg(u64);
impl Lcg {
    fn next_f64(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 10 000 random rows over three runs (with failed rows and missing values) and pooled ITL:
/// every polars statistic equals `crate::stats` (numpy-exact) to 1e-9 relative, for both
/// percentile methods.
#[test]
fn metrics_random_rows_match_reference_stats() {
    let mut rng = Lcg(42);
    let sizes = [6_000usize, 3_999, 1];
    let mut runs = Vec::new();
    for &n in &sizes {
        let mut cols = RequestColumns::default();
        for _ in 0..n {
            let ok = rng.next_f64() > 0.1;
            let missing = rng.next_f64() < 0.05;
            let ttft = 50.0 + 500.0 * rng.next_f64();
            let out = (1.0 + 200.0 * rng.next_f64()).floor();
            cols.push(RequestRow {
                ok,
                input_tokens: Some(100.0),
                output_tokens: Some(out),
                ttft_ms: (!missing).then_some(ttft),
                e2e_ms: Some(ttft + 10_000.0 * rng.next_f64()),
                tpot_ms: Some(5.0 + 45.0 * rng.next_f64()),
                ..RequestRow::default()
            });
        }
        cols.itl_ms = (0..n * 3)
            .map(|_| 100.0 * rng.next_f64() * rng.next_f64())
            .collect();
        runs.push(ParsedRun {
            run: Run::default(),
            requests: Some(cols),
        });
    }
    let refs: Vec<&ParsedRun> = runs.iter().collect();
    let mut compared = 0;
    for method in [PercentileMethod::Linear, PercentileMethod::Nearest] {
        let config = MetricsConfig {
            percentiles: vec![1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9],
            percentile_method: method,
        };
        let out = summarize(&refs, &config, &Slo::default()).expect("summarize");
        for (parsed, summary) in runs.iter().zip(&out) {
            let cols = parsed.requests.as_ref().expect("rows");
            let ok_values = |v: &[Option<f64>]| -> Vec<f64> {
                v.iter()
                    .zip(&cols.ok)
                    .filter(|(_, ok)| **ok)
                    .filter_map(|(x, _)| *x)
                    .collect()
            };
            let metrics = [
                (Metric::TtftMs, ok_values(&cols.ttft_ms)),
                (Metric::E2eMs, ok_values(&cols.e2e_ms)),
                (Metric::TpotMs, ok_values(&cols.tpot_ms)),
                (Metric::ItlMs, cols.itl_ms.clone()),
            ];
            for (metric, values) in metrics {
                let reference = reference_stats(&values, &config);
                if values.is_empty() {
                    assert!(summary.value(metric.stat(Stat::Count)).is_none());
                    continue;
                }
                assert_eq!(reference.len(), 6 + config.percentiles.len());
                for (stat, want) in reference {
                    let key = metric.stat(stat);
                    let got = summary
                        .value(key)
                        .unwrap_or_else(|| panic!("{key} missing"));
                    let rel = relative_difference(got, want);
                    assert!(
                        rel <= 1e-9,
                        "{} {key}: polars {got}, stats {want}, rel {rel}",
                        method.name()
                    );
                    compared += 1;
                }
            }
        }
    }
    // Both methods × at least the two large runs × 4 metrics × 13 statistics.
    assert!(compared >= 2 * 2 * 4 * 13, "{compared}");
}

/// Rough timing for large inputs (debug builds are slow; run with --release --ignored).
#[test]
#[ignore = "timing only"]
fn metrics_timing_two_million_rows() {
    let mut rng = Lcg(7);
    let mut runs = Vec::new();
    for _ in 0..20 {
        let mut cols = RequestColumns::default();
        for _ in 0..100_000 {
            let ttft = 50.0 + 500.0 * rng.next_f64();
            cols.push(RequestRow {
                ok: true,
                input_tokens: Some(100.0),
                output_tokens: Some(100.0),
                ttft_ms: Some(ttft),
                e2e_ms: Some(ttft + 1000.0 * rng.next_f64()),
                start_s: Some(rng.next_f64()),
                ..RequestRow::default()
            });
        }
        runs.push(ParsedRun {
            run: Run::default(),
            requests: Some(cols),
        });
    }
    let refs: Vec<&ParsedRun> = runs.iter().collect();
    let t = std::time::Instant::now();
    let out = summarize(&refs, &MetricsConfig::default(), &slo()).expect("summarize");
    eprintln!("2M rows, 20 runs: {:?}", t.elapsed());
    assert_eq!(out.len(), 20);
}

#[test]
fn metrics_fractional_percentiles_are_named_by_their_level() {
    // ttft 1..=10 ms. Linear: p99.9 at rank 0.999 × 9 = 8.991 → 9 + 0.991 × (10 − 9) = 9.991;
    // p0.5 at rank 0.005 × 9 = 0.045 → 1 + 0.045 × (2 − 1) = 1.045.
    let mut parsed = run_b();
    parsed
        .run
        .report("vendor.queue_depth", Reported::new(3.0, "queue depth"));
    let config = MetricsConfig {
        percentiles: vec![99.9, 0.5],
        ..MetricsConfig::default()
    };
    let s = &summarize(&[&parsed], &config, &slo()).expect("summarize")[0];
    let p999 = Metric::TtftMs.stat(Stat::P(Level::new(99.9).expect("level")));
    assert_eq!(p999.to_string(), "ttft_ms.p99.9");
    close(s.value(p999), 9.991, "p99.9");
    close(s.value(key("ttft_ms.p0.5")), 1.045, "p0.5");
    // The map keeps the text order of the keys, as summary.json lists them.
    let ttft: Vec<&str> = s
        .values
        .keys()
        .map(String::as_str)
        .filter(|k| k.starts_with("ttft_ms."))
        .collect();
    assert_eq!(
        ttft,
        [
            "ttft_ms.count",
            "ttft_ms.max",
            "ttft_ms.mean",
            "ttft_ms.median",
            "ttft_ms.min",
            "ttft_ms.p0.5",
            "ttft_ms.p99.9",
            "ttft_ms.std"
        ]
    );
    // A reported key the catalogue does not know passes through as reported.
    let passed = &s.values["vendor.queue_depth"];
    assert_eq!(passed.value, Some(3.0));
    assert!(matches!(passed.provenance, Provenance::Reported { .. }));
    // A level finer than four decimals has no name: refused, never rounded to another.
    assert_percentile_refused(&parsed, 99.123_45);
}

#[test]
fn the_sketch_holds_every_whole_percentile_of_successful_rows() {
    let mut cols = RequestColumns::default();
    for t in 1..=10 {
        cols.push(row(
            true,
            1.0,
            Some(2.0),
            f64::from(t),
            100.0 * f64::from(t),
            None,
        ));
    }
    // A failed request and a NaN are left out.
    cols.push(row(false, 1.0, Some(2.0), 5000.0, 9000.0, None));
    cols.push(row(true, 1.0, Some(2.0), f64::NAN, 50.0, None));
    let run = ParsedRun {
        run: Run::default(),
        requests: Some(cols),
    };
    let out = summarize(&[&run], &MetricsConfig::default(), &Slo::default()).expect("summary");
    let s = &out[0].sketch;
    assert_eq!(s.ttft_ms.len(), SKETCH_POINTS);
    assert_eq!(s.e2e_ms.len(), SKETCH_POINTS);
    // TTFT 1..=10: linear quantile at p is 1 + 9p/100.
    assert_eq!(
        (s.ttft_ms[0], s.ttft_ms[50], s.ttft_ms[100]),
        (1.0, 5.5, 10.0)
    );
    // E2E adds the 50 ms row of the NaN-TTFT request: eleven values 50, 100, …, 1000.
    assert_eq!(
        (s.e2e_ms[0], s.e2e_ms[50], s.e2e_ms[100]),
        (50.0, 500.0, 1000.0)
    );
    // Not exported: summary.json and runs.csv are built from `values`.
    let json = serde_json::to_string(&out[0]).expect("json");
    assert!(!json.contains("sketch"), "{json}");
}
