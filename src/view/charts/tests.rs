//! Tests of the chart data: Pareto frontier, accelerator counts, specs from an evaluation.

use std::path::PathBuf;

use rust_decimal::Decimal;

use super::*;
use crate::metrics::{Aggregate, RunSummary, Sketch};
use crate::model::Provenance;
use crate::pricing::RunCost;

#[test]
fn pareto_frontier_by_hand() {
    // Higher x (throughput) and lower y (latency) are better.
    let pts = [
        (100.0, 50.0),  // frontier: lowest latency
        (200.0, 80.0),  // frontier
        (150.0, 90.0),  // beaten by (200, 80)
        (300.0, 200.0), // frontier: highest throughput
        (250.0, 250.0), // beaten by (300, 200)
        (100.0, 60.0),  // beaten by (100, 50): same x, worse y
        (200.0, 80.0),  // a repeat of a frontier point, listed once
        (f64::NAN, 1.0),
    ];
    assert_eq!(
        pareto(&pts, true, false),
        vec![(100.0, 50.0), (200.0, 80.0), (300.0, 200.0)]
    );
    // Both lower is better (cost vs latency): only (100, 50) is not beaten.
    assert_eq!(pareto(&pts, false, false), vec![(100.0, 50.0)]);
    // Both higher is better (per GPU vs per user).
    assert_eq!(
        pareto(&pts, true, true),
        vec![(250.0, 250.0), (300.0, 200.0)]
    );
    assert!(pareto(&[], true, true).is_empty());
}

#[test]
fn accelerator_counts() {
    for (text, want) in [
        ("1xH100", Some(1)),
        ("8x A100-80GB", Some(8)),
        ("4 x L4", Some(4)),
        ("2×H200", Some(2)),
        ("A10G", None),
        ("1xStandard_ND96asr_v4-GPUDirect-RDMA-Infiniband x 2", None),
        ("2xNVIDIA", None),
        ("H100", None),
        ("8x", None),
        ("0xH100", None),
        ("", None),
    ] {
        assert_eq!(parse_accelerator_count(text), want, "{text:?}");
    }
    let run = |tp, pp, dp, acc: Option<&str>, instances| Run {
        tp,
        pp,
        dp,
        accelerator: acc.map(str::to_string),
        instance_count: instances,
        ..Run::default()
    };
    assert_eq!(
        accelerator_count(&run(Some(4), None, Some(2), None, None)),
        Some(8)
    );
    assert_eq!(
        accelerator_count(&run(Some(2), Some(2), None, Some("1xH100"), None)),
        Some(4)
    );
    assert_eq!(
        accelerator_count(&run(None, None, None, Some("4xL4"), Some(2))),
        Some(8)
    );
    assert_eq!(
        accelerator_count(&run(None, None, None, Some("A10G"), None)),
        None
    );
}

fn agg(v: f64) -> Aggregate {
    Aggregate {
        value: Some(v),
        provenance: Provenance::Computed,
        reported: None,
    }
}

/// A run of series `model · inst · vllm` at concurrency `c`.
fn evaluated(inst: &str, c: u32, tput: f64, e2e_p99: f64, cost: &str) -> EvaluatedRun {
    let mut summary = RunSummary::default();
    for (k, v) in [
        ("output_token_throughput_tps", tput),
        ("e2e_ms.p99", e2e_p99),
        ("e2e_ms.p95", e2e_p99 * 0.9),
        ("e2e_ms.median", e2e_p99 / 2.0),
        ("ttft_ms.p99", 100.0),
        ("ttft_ms.median", 50.0),
        ("tpot_ms.p99", 20.0),
        ("tpot_ms.median", 10.0),
        ("error_rate", 0.0),
    ] {
        summary.values.insert(k.into(), agg(v));
    }
    summary.sketch = Sketch {
        ttft_ms: (0..=100).map(f64::from).collect(),
        e2e_ms: Vec::new(),
    };
    EvaluatedRun {
        run: Run {
            run_id: format!("{inst}-{c}"),
            source_file: format!("{inst}-{c}.json"),
            model: Some("model".into()),
            instance_type: Some(inst.into()),
            engine: Some("vllm".into()),
            concurrency: Some(c),
            tp: Some(2),
            ..Run::default()
        },
        root: PathBuf::from("."),
        summary,
        cost: RunCost {
            cost_per_1m_output_tokens_usd: cost.parse::<Decimal>().ok(),
            ..RunCost::default()
        },
        verdicts: Vec::new(),
        status: None,
    }
}

fn budget(toml_text: &str) -> Vec<BudgetSpec> {
    #[derive(serde::Deserialize)]
    struct B {
        budget: Vec<BudgetSpec>,
    }
    toml::from_str::<B>(toml_text).expect("budgets").budget
}

#[test]
fn specs_from_a_hand_made_evaluation() {
    let runs = [
        evaluated("a", 1, 100.0, 1000.0, "2.0"),
        evaluated("a", 4, 300.0, 3000.0, "1.0"),
        evaluated("b", 1, 200.0, 900.0, "3.0"),
    ];
    let refs: Vec<&EvaluatedRun> = runs.iter().collect();
    let specs = chart_specs(
        &refs,
        "all",
        &budget("[[budget]]\nmetric = \"e2e_ms.p99\"\nmax = 2500\n"),
    );
    let stems: Vec<&str> = specs.iter().map(|s| s.stem.as_str()).collect();
    assert_eq!(
        stems,
        [
            "all-latency-vs-throughput",
            "all-cost-vs-latency",
            "all-ttft-vs-concurrency",
            "all-tpot-vs-concurrency",
            "all-e2e-vs-concurrency",
            "all-error-rate-vs-concurrency",
            "all-ttft-cdf",
            "all-cost-per-configuration",
            "all-throughput-per-gpu",
        ]
    );
    let lat = &specs[0];
    assert_eq!(lat.y.label(), "E2E latency p99 (ms)");
    let by_name = |s: &ChartSpec, name: &str| {
        s.series
            .iter()
            .find(|x| x.name == name)
            .map(|x| x.points.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        by_name(lat, "model · a · vllm"),
        vec![(100.0, 1000.0), (300.0, 3000.0)]
    );
    assert_eq!(by_name(lat, "model · b · vllm"), vec![(200.0, 900.0)]);
    // (100, 1000) is beaten by (200, 900).
    assert_eq!(lat.frontier, vec![(200.0, 900.0), (300.0, 3000.0)]);
    assert_eq!(
        lat.references,
        vec![Reference {
            axis: RefAxis::Y,
            value: 2500.0,
            label: "budget e2e_ms.p99 ≤ 2500".into()
        }]
    );
    // The sweep: only series a has two loads; p99 thick with legend, p50 thin without.
    let e2e = &specs[4];
    assert_eq!(e2e.series.len(), 2);
    assert_eq!(e2e.series[0].points, vec![(1.0, 1000.0), (4.0, 3000.0)]);
    assert_eq!(e2e.series[1].points, vec![(1.0, 500.0), (4.0, 1500.0)]);
    assert!(e2e.series[0].legend && !e2e.series[1].legend);
    // Bars: cheapest first; the parts every bar shares are said once.
    let bars = &specs[7];
    let got: Vec<(&str, f64)> = bars
        .bars
        .iter()
        .map(|b| (b.label.as_str(), b.value))
        .collect();
    assert_eq!(got, [("a · c=4", 1.0), ("a · c=1", 2.0), ("b · c=1", 3.0)]);
    assert_eq!(bars.note, "Every bar: model · vllm · tp2");
    // Per GPU: tp 2, TPOT p50 10 ms → 100 tokens/s per user.
    let gpu = &specs[8];
    assert_eq!(
        by_name(gpu, "model · a · vllm"),
        vec![(100.0, 50.0), (100.0, 150.0)]
    );
    // CDF: the sketch's 101 quantiles, y in percent.
    let cdf = &specs[6];
    assert_eq!(cdf.series.len(), 3);
    assert_eq!(cdf.series[0].points[100], (100.0, 100.0));
}

#[test]
fn one_run_draws_no_chart() {
    let runs = [evaluated("a", 1, 100.0, 1000.0, "2.0")];
    let refs: Vec<&EvaluatedRun> = runs.iter().collect();
    let stems: Vec<String> = chart_specs(&refs, "g", &[])
        .into_iter()
        .map(|s| s.stem)
        .collect();
    // A CDF needs one run only; every other chart needs two points.
    assert_eq!(stems, ["g-ttft-cdf"]);
}
