//! Fidelity: bench-report's numbers, computed through the real pipeline (ingest → metrics),
//! against the numbers each tool printed in the same files. Skipped (with a printed reason)
//! when `BENCH_REPORT_CORPUS` is not set; fails when it is set to a missing folder.

use std::path::Path;

use bench_report::config::{MetricsConfig, Slo};
use bench_report::ingest::{self, DiscoverOptions};
use bench_report::metrics;
use bench_report::model::Provenance;
use common::corpus;

mod common;

fn close(got: f64, want: f64, tol: f64, what: &str) {
    let rel = (got - want).abs() / want.abs().max(f64::MIN_POSITIVE);
    assert!(
        rel <= tol,
        "{what}: computed {got:?}, the file says {want:?} (relative {rel:e} > {tol:e})"
    );
}

/// Ingest and summarize one folder.
fn summarize(dir: &Path) -> Vec<(bench_report::model::Run, metrics::RunSummary)> {
    let opts = DiscoverOptions {
        include: vec!["**/*.json".into()],
        exclude: vec![],
        ..DiscoverOptions::default()
    };
    let (found, _) = ingest::discover(&[dir.to_path_buf()], &opts).expect("discover");
    let ing = ingest::ingest_all(&found, &opts);
    assert!(
        ing.problems.is_empty(),
        "{:?}",
        ing.problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
    let parsed: Vec<_> = ing.runs.iter().map(|r| &r.parsed).collect();
    let mc = MetricsConfig {
        percentiles: vec![90.0, 95.0, 99.0],
        ..MetricsConfig::default()
    };
    let sums = metrics::summarize(&parsed, &mc, &Slo::default()).expect("summarize");
    ing.runs
        .into_iter()
        .map(|r| r.parsed.run)
        .zip(sums)
        .collect()
}

#[test]
fn fidelity_vllm_detailed_files_reproduce_vllm_statistics() {
    let Some(root) = corpus() else { return };
    let dir = root.join("vllm/aurotripathy-vllm-bench-2025-03");
    let results = summarize(&dir);
    assert_eq!(results.len(), 5, "five detailed serving files");
    for (run, summary) in &results {
        let raw: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(&run.source_file)).expect("read"),
        )
        .expect("json");
        for (metric, key, tol) in [
            ("ttft_ms", "ttft", 1e-6),
            ("itl_ms", "itl", 1e-6),
            ("tpot_ms", "tpot", 1e-5),
        ] {
            for (stat, prefix) in [
                ("mean", "mean"),
                ("median", "median"),
                ("std", "std"),
                ("p99", "p99"),
            ] {
                let want = raw[format!("{prefix}_{key}_ms")]
                    .as_f64()
                    .expect("vLLM printed it");
                let agg = summary
                    .values
                    .get(&format!("{metric}.{stat}"))
                    .unwrap_or_else(|| panic!("{metric}.{stat} missing"));
                assert_eq!(
                    agg.provenance,
                    Provenance::Computed,
                    "{metric}.{stat} of {} is computed",
                    run.source_file
                );
                close(
                    agg.value.expect("value"),
                    want,
                    tol,
                    &format!("{} {metric}.{stat}", run.source_file),
                );
            }
        }
        let rps = raw["request_throughput"].as_f64().expect("printed");
        close(
            summary.values["request_throughput_rps"].value.expect("rps"),
            rps,
            1e-12,
            "request throughput",
        );
        let otps = raw["output_throughput"].as_f64().expect("printed");
        close(
            summary.values["output_token_throughput_tps"]
                .value
                .expect("tps"),
            otps,
            1e-12,
            "output throughput",
        );
    }
}

#[test]
fn fidelity_vllm_summary_only_values_pass_through_as_reported() {
    let Some(root) = corpus() else { return };
    let dir = root
        .join("vllm/llmd-bench-automation/llm-d-llm-d-benchmark-exp7-2025-05/H100/vllm-2replicas");
    let results = summarize(&dir);
    assert_eq!(results.len(), 1);
    let (run, summary) = &results[0];
    let raw: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(run.source_file.rsplit('/').next().expect("name")))
            .expect("read"),
    )
    .expect("json");
    for (metric, key) in [("ttft_ms", "ttft"), ("tpot_ms", "tpot"), ("itl_ms", "itl")] {
        let want = raw[format!("mean_{key}_ms")].as_f64().expect("printed");
        let agg = &summary.values[&format!("{metric}.mean")];
        assert_eq!(
            agg.value,
            Some(want),
            "{metric}.mean passes through unchanged"
        );
        assert!(
            matches!(agg.provenance, Provenance::Reported { .. }),
            "{metric}.mean is marked reported"
        );
    }
}
