//! FMBench parser tests: fixtures under `tests/fixtures/fmbench/` and, when
//! `BENCH_REPORT_CORPUS` is set, the real corpus.

use std::path::{Path, PathBuf};

use super::folder::date_from_epoch;
use super::rules::{self, RuleSet};
use super::*;
use crate::ingest::testing::{self, assert_close};
use crate::model::{ParsedRun, RequestColumns};

fn fm(corpus: &Path) -> PathBuf {
    corpus.join("fmbench")
}

fn folder_named(corpus: &Path, part: &str) -> PathBuf {
    let dir = fm(corpus);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus fmbench folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.to_string_lossy().contains(part))
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no corpus folder containing {part}"))
}

fn table(path: &Path) -> FmbenchCsv {
    FmbenchCsv::read(&std::fs::read(path).expect("read"), path).expect("csv")
}

fn parse(path: &Path, root: &Path) -> Parsed {
    testing::parse_file(&Fmbench, path, root).unwrap_or_else(|e| panic!("{e}"))
}

/// The lines of a report.md the tests need: the Summary's concurrency, the failed table's
/// concurrencies in order, and per (payload, instance) the recommended concurrency.
struct ReportLines {
    best_concurrency: Option<u32>,
    failed: Vec<u32>,
    per_instance: Vec<(String, String, Option<u32>)>,
}

fn read_report(path: &Path) -> ReportLines {
    let text = std::fs::read_to_string(path).expect("report");
    let mut out = ReportLines {
        best_concurrency: None,
        failed: Vec::new(),
        per_instance: Vec::new(),
    };
    let mut in_failed = false;
    for line in text.lines() {
        if line.starts_with("### ") || line.starts_with("## ") {
            in_failed = line.contains("Failed experiments");
        }
        if let Some(rest) = line.strip_prefix("| concurrency | ") {
            out.best_concurrency = rest.trim_end_matches(" |").trim().parse().ok();
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if in_failed && cells.len() > 4 && cells.get(2).is_some_and(|c| c.ends_with(".jsonl")) {
            out.failed.push(
                cells
                    .get(3)
                    .and_then(|c| c.parse().ok())
                    .expect("failed concurrency"),
            );
        }
        if line.starts_with("|`payload") {
            let payload = cells
                .get(1)
                .map(|c| c.trim_matches('`').to_string())
                .unwrap_or_default();
            let inst = cells
                .get(2)
                .map(|c| c.trim_matches('`').to_string())
                .unwrap_or_default();
            let conc = line
                .split("concurrency level of ")
                .nth(1)
                .and_then(|r| r.split('`').next())
                .and_then(|n| n.parse().ok());
            out.per_instance.push((payload, inst, conc));
        }
    }
    out
}

#[test]
fn fmbench_corpus_walk() {
    let Some(corpus) = testing::corpus() else {
        return;
    };
    let mut stack = vec![fm(&corpus)];
    let (mut files, mut reports) = (0, 0);
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir").filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let ext = name
                .rsplit_once('.')
                .map(|(_, e)| e.to_string())
                .unwrap_or_default();
            match ext.as_str() {
                "csv" | "json" | "yml" | "yaml" => {
                    assert_eq!(
                        testing::detect(&path, &corpus).unwrap_or_else(|e| panic!("{e}")),
                        "fmbench",
                        "{}",
                        path.display()
                    );
                    let p = parse(&path, &corpus);
                    assert!(p.not_input.is_none(), "{}", path.display());
                    files += 1;
                }
                "md" if name == "report.md" || name == "results.md" => {
                    assert_eq!(
                        testing::detect(&path, &corpus).unwrap_or_else(|e| panic!("{e}")),
                        "fmbench",
                        "{}",
                        path.display()
                    );
                    assert_eq!(
                        parse(&path, &corpus).not_input.as_deref(),
                        Some(REPORT_REASON)
                    );
                    reports += 1;
                }
                _ => {}
            }
        }
    }
    assert_eq!(reports, 11);
    assert!(files > 100, "{files}");
}

#[test]
fn fmbench_w1_g5_2xlarge_from_request_rows() {
    let Some(corpus) = testing::corpus() else {
        return;
    };
    let dir = folder_named(&corpus, "g5.2xlarge-2024-09-24");
    let parsed = parse(&dir.join(PER_REQUEST_CSV), &corpus);
    assert_eq!(parsed.runs.len(), 2);
    let pr = parsed
        .runs
        .iter()
        .find(|r| r.run.dataset.as_deref() == Some("payload_en_1-500.jsonl"))
        .expect("1-500 run");
    let req = pr.requests.as_ref().expect("request rows");
    assert_eq!(req.len(), 5);
    assert!(
        req.ok.iter().all(|ok| *ok),
        "the 424 error body counts as a success"
    );
    assert_eq!(
        pr.run
            .labels
            .get("fmbench.error_body_successes")
            .map(String::as_str),
        Some("1")
    );
    // FMBench's p95: concurrency 1, so each request is a chunk; mean of per-chunk p95s.
    let lat_s: Vec<f64> = req
        .e2e_ms
        .iter()
        .map(|v| v.expect("latency") / 1000.0)
        .collect();
    let p95s: Vec<Option<f64>> = lat_s
        .iter()
        .map(|l| rules::chunk_percentiles(&[Some(*l)]).map(|p| p.1))
        .collect();
    let mean = rules::pandas_mean(p95s).expect("mean");
    assert_close(mean, 2.959893439999951, 1e-12, "mean of chunk p95s");
    assert_eq!(rules::np_round(mean, 2), 2.96);
    // TPM: int(mean of the per-chunk TPMs of all_metrics.csv).
    let chunks = table(&dir.join(ALL_METRICS_CSV))
        .chunk_rows()
        .expect("chunks");
    let summary = rules::summarize_chunks(&chunks);
    let s = summary
        .iter()
        .find(|r| r.head.payload_file == "payload_en_1-500.jsonl")
        .expect("row");
    assert_eq!(s.measures.transactions_per_minute, Some(911.0));
    assert_eq!(s.measures.latency_p95_s, Some(2.96));
    // Price from pricing.yml (TEXT 1.212) and the run's reported values.
    let pricing = parse(&dir.join("pricing.yml"), &corpus);
    let g5 = pricing
        .prices
        .iter()
        .find(|p| p.instance_type == "g5.2xlarge")
        .expect("price");
    assert_eq!(g5.price_per_hour_usd.to_string(), "1.212");
    assert!(g5.source.ends_with("pricing.yml"));
    let ppt =
        rules::price_per_txn_hourly(RuleSet::V2, 1.212, Some(1.0), Some(911.0)).expect("price");
    assert_eq!(ppt, 2.217343578485181e-05);
    let rep = &pr.run.reported;
    assert_eq!(
        rep["fmbench.price_per_txn_usd"].value,
        2.217343578485181e-05
    );
    assert_eq!(rep["fmbench.transactions_per_minute"].value, 911.0);
    assert_eq!(rep["e2e_ms.p95"].value, 2960.0);
    assert_eq!(
        rep["e2e_ms.p95"].method.as_deref(),
        Some("mean of per-chunk p95")
    );
    assert!(pr
        .run
        .definitions
        .contains_key("fmbench.transactions_per_minute"));
    // W4: the only dataset-of-interest row fails latency yet is the best option.
    assert_eq!(rep["fmbench.score"].value, 2.988913282107574);
    assert_eq!(
        pr.run.labels.get("fmbench.best_option").map(String::as_str),
        Some("yes")
    );
    assert_eq!(
        pr.run
            .labels
            .get("fmbench.any_criterion_failed")
            .map(String::as_str),
        Some("True")
    );
    assert_eq!(pr.run.date.as_deref(), Some("2024-09-24"));
    assert_eq!(pr.run.source_tool_version.as_deref(), Some("2.0.6"));
    assert_eq!(
        pr.run.model.as_deref(),
        Some("meta-llama/Meta-Llama-3-8B-Instruct")
    );
    // Best option and per-instance table against report.md.
    let report = read_report(&dir.join("report.md"));
    assert_eq!(report.best_concurrency, Some(1));
    assert_eq!(report.failed, vec![1]);
    let printed = table(&dir.join(SUMMARY_CSV))
        .summary_rows()
        .expect("summary");
    let recs = rules::per_instance_recommendations(&printed, RuleSet::V2, 2.0);
    let ours: Vec<(String, String, Option<u32>)> = recs
        .iter()
        .map(|r| {
            (
                r.payload_file.clone(),
                r.instance_type.clone(),
                r.chosen
                    .and_then(|i| printed.get(i))
                    .map(|row| row.head.concurrency),
            )
        })
        .collect();
    assert_eq!(ours, report.per_instance);
    let other = parsed
        .runs
        .iter()
        .find(|r| r.run.dataset.as_deref() == Some("payload_en_500-1000.jsonl"))
        .expect("500-1000");
    assert_eq!(
        other
            .run
            .labels
            .get("fmbench.recommended_for_instance")
            .map(String::as_str),
        Some("yes")
    );
}

/// W2/W3: every scored row of the trn1 days (and the g5.4xlarge runs) reproduced bit for bit,
/// and the best option, failed list and recommendation equal the report beside it.
#[test]
fn fmbench_w2_w3_scored_tables_and_reports() {
    let Some(corpus) = testing::corpus() else {
        return;
    };
    let mut checked_rows = 0;
    for (part, price) in [
        ("trn1.32xlarge-2024-09-27", 21.5),
        ("trn1.32xlarge-2024-09-30", 21.5),
        ("g5.4xlarge-2024-11-29", 1.624),
    ] {
        let day = folder_named(&corpus, part);
        let mut runs: Vec<PathBuf> = std::fs::read_dir(&day)
            .expect("day")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        runs.sort();
        for run_dir in runs {
            let scored_path = run_dir.join(SCORED_CSV);
            let t = table(&scored_path);
            let rows = t.summary_rows().expect("rows");
            let cfg_path = std::fs::read_dir(&run_dir)
                .expect("run")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == "yml"))
                .expect("config");
            let cfg = yaml::read_config(
                &std::fs::read_to_string(&cfg_path).expect("cfg"),
                &cfg_path,
                "cfg",
            )
            .expect("config");
            let b = cfg.budgets.expect("budgets");
            let mut scores = Vec::new();
            let mut failed = Vec::new();
            for (line, cells) in &t.rows {
                let row = rows.iter().find(|r| r.line == *line).expect("row");
                let ppt = rules::price_per_txn_hourly(
                    RuleSet::V2,
                    price,
                    row.head.instance_count,
                    row.measures.transactions_per_minute,
                );
                assert_eq!(
                    ppt,
                    row.price_per_txn,
                    "{} line {line}",
                    scored_path.display()
                );
                let s = rules::score_budgeted(RuleSet::V2, row, ppt, &b);
                assert_eq!(
                    Some(s.score.to_bits()),
                    row.score.map(f64::to_bits),
                    "{} line {line}",
                    scored_path.display()
                );
                assert_eq!(s.any_criterion_failed, row.any_criterion_failed);
                let ppt = ppt.expect("priced");
                let text = rules::price_per_token_text(
                    ppt,
                    row.measures.prompt_token_count_mean.expect("p"),
                    row.measures.completion_token_count_mean.expect("c"),
                );
                assert_eq!(Some(text.as_str()), t.text(cells, "price_per_token"));
                scores.push(Some(s.score));
                failed.push(s.any_criterion_failed == Some(true));
                checked_rows += 1;
            }
            let report = read_report(&run_dir.join("report.md"));
            let best = rules::best_option(&scores);
            assert_eq!(
                best.iter()
                    .map(|&i| rows[i].head.concurrency)
                    .collect::<Vec<_>>(),
                vec![report.best_concurrency.expect("best")],
                "{}",
                run_dir.display()
            );
            let ours_failed: Vec<u32> = rules::failed_rows(&scores, &failed)
                .into_iter()
                .map(|i| rows[i].head.concurrency)
                .collect();
            assert_eq!(ours_failed, report.failed, "{}", run_dir.display());
            // Only the dataset-of-interest rows survive: check that pair's recommendation.
            let recs = rules::per_instance_recommendations(&rows, RuleSet::V2, b.latency_budget_s);
            for r in recs {
                let printed = report
                    .per_instance
                    .iter()
                    .find(|(p, i, _)| *p == r.payload_file && *i == r.instance_type)
                    .expect("printed pair");
                assert_eq!(
                    r.chosen.map(|i| rows[i].head.concurrency),
                    printed.2,
                    "{}",
                    run_dir.display()
                );
            }
            if run_dir.ends_with("run-2024-09-30T20-48") {
                assert_eq!(report.best_concurrency, Some(14));
                assert_eq!(report.failed, vec![25, 18, 20, 15]);
            }
        }
    }
    assert_eq!(checked_rows, 7 + 10 + 11 + 11 + 3 * 2);
    // W2 exact values and the runs the scored table yields (no other data in the folder).
    let dir = folder_named(&corpus, "trn1.32xlarge-2024-09-27").join("run-2024-09-27T21-49");
    let parsed = parse(&dir.join(SCORED_CSV), &corpus);
    assert_eq!(parsed.runs.len(), 7);
    let c14 = parsed
        .runs
        .iter()
        .find(|r| r.run.concurrency == Some(14))
        .expect("c14");
    assert_eq!(
        c14.run.reported["fmbench.price_per_txn_usd"].value,
        0.000876120619396903
    );
    assert_eq!(c14.run.reported["fmbench.score"].value, 17.98238793806031);
    assert_eq!(
        c14.run
            .labels
            .get("fmbench.price_per_token_usd")
            .map(String::as_str),
        Some("0.00000025")
    );
    assert_eq!(
        c14.run
            .labels
            .get("fmbench.best_option")
            .map(String::as_str),
        Some("yes")
    );
    assert_eq!(c14.run.source_tool_version.as_deref(), Some("2.0.8"));
    assert_eq!(c14.run.date.as_deref(), Some("2024-09-27"));
}

#[test]
fn fmbench_budgets_from_config() {
    let Some(corpus) = testing::corpus() else {
        return;
    };
    let dir = folder_named(&corpus, "trn1.32xlarge-2024-09-30").join("run-2024-09-30T20-48");
    let path = dir.join("config-llama3-8b-trn1.32xl-ec2-triton.yml");
    let cfg = yaml::read_config(&std::fs::read_to_string(&path).expect("cfg"), &path, "cfg")
        .expect("config");
    let b = cfg.budgets.expect("budgets");
    assert_eq!(
        (
            b.latency_budget_s,
            b.cost_per_10k_txn_budget_usd,
            b.error_rate_budget,
            b.latency_latitude
        ),
        (2.0, 100.0, 0.0, 0.01)
    );
    assert!(!cfg.has_latitude, "latitude is the default here");
    assert_eq!(cfg.dataset_of_interest.as_deref(), Some("en_3000-3840"));
    assert_eq!(cfg.pricing_file.as_deref(), Some("pricing.yml"));
    let g5 = folder_named(&corpus, "g5.2xlarge-2024-09-24").join("config-ec2-llama3-8b.yml");
    let cfg =
        yaml::read_config(&std::fs::read_to_string(&g5).expect("cfg"), &g5, "cfg").expect("config");
    let b = cfg.budgets.expect("budgets");
    assert_eq!(
        (
            b.latency_budget_s,
            b.cost_per_10k_txn_budget_usd,
            b.error_rate_budget
        ),
        (2.0, 20.0, 0.0)
    );
    // January: no report section, so no budgets; prices inline.
    let jan = folder_named(&corpus, "llama2-70b");
    let path = jan.join("config-llama2-70b-g5-p4d-tgi.yml");
    let cfg = yaml::read_config(&std::fs::read_to_string(&path).expect("cfg"), &path, "cfg")
        .expect("config");
    assert!(cfg.budgets.is_none());
    let p4d = cfg
        .prices
        .iter()
        .find(|p| p.instance_type == "ml.p4d.24xlarge")
        .expect("p4d");
    assert_eq!(p4d.price_per_hour_usd.to_string(), "37.688");
}

#[test]
fn fmbench_w5_january_summary_recomputed() {
    let Some(corpus) = testing::corpus() else {
        return;
    };
    for (part, rows_expected) in [("llama2-70b", 50), ("llama2-13b", 87)] {
        let dir = folder_named(&corpus, part);
        let chunks = table(&dir.join(ALL_METRICS_CSV))
            .chunk_rows()
            .expect("chunks");
        let printed = table(&dir.join(SUMMARY_CSV))
            .summary_rows()
            .expect("summary");
        let ours = rules::summarize_chunks(&chunks);
        assert_eq!(
            cross_check(&ours, &printed),
            (rows_expected, rows_expected),
            "{part}"
        );
        // Per-instance sentences of results.md (latency_mean <= 20 s, highest concurrency).
        let report = read_report(&dir.join("results.md"));
        let recs = rules::per_instance_recommendations(
            &printed,
            RuleSet::Jan2024,
            rules::JAN_LATENCY_BUDGET_S,
        );
        for (payload, inst, conc) in &report.per_instance {
            let r = recs
                .iter()
                .find(|r| &r.payload_file == payload && &r.instance_type == inst)
                .expect("pair");
            let ours = r.chosen.map(|i| printed[i].head.concurrency);
            if conc.is_some() {
                assert_eq!(ours, *conc, "{part} {payload} {inst}");
            }
        }
    }
    let dir = folder_named(&corpus, "llama2-70b");
    let chunks = table(&dir.join(ALL_METRICS_CSV))
        .chunk_rows()
        .expect("chunks");
    let p4: Vec<Option<f64>> = chunks
        .iter()
        .filter(|c| {
            c.head.instance_type == "ml.p4d.24xlarge"
                && c.head.payload_file == "payload_en_3000-4000.jsonl"
                && c.head.concurrency == 6
        })
        .map(|c| c.measures.transactions_per_minute)
        .collect();
    assert_eq!(rules::pandas_mean(p4).map(f64::trunc), Some(30.0));
    // The summary CSV yields the runs here; the best one carries FMBench's score.
    let parsed = parse(&dir.join(SUMMARY_CSV), &corpus);
    assert_eq!(parsed.runs.len(), 50);
    let best: Vec<&ParsedRun> = parsed
        .runs
        .iter()
        .filter(|r| r.run.labels.contains_key("fmbench.best_option"))
        .collect();
    assert_eq!(best.len(), 1);
    assert_eq!(best[0].run.concurrency, Some(6));
    assert_eq!(
        best[0].run.reported["fmbench.price_per_txn_usd"].value,
        0.020937777777777777
    );
    assert_eq!(
        best[0].run.reported["fmbench.score"].value,
        23.942469250013993
    );
    let g5c6 = parsed
        .runs
        .iter()
        .find(|r| {
            r.run.instance_type.as_deref() == Some("ml.g5.48xlarge")
                && r.run.dataset.as_deref() == Some("payload_en_3000-4000.jsonl")
                && r.run.concurrency == Some(6)
        })
        .expect("g5 c6");
    assert_eq!(
        g5c6.run.reported["fmbench.price_per_txn_usd"].value,
        f64::INFINITY
    );
    assert_eq!(
        g5c6.run.reported["fmbench.score"].value,
        0.011296882060551289
    );
    // all_metrics.csv itself yields no runs and says the recomputation matches.
    let am = parse(&dir.join(ALL_METRICS_CSV), &corpus);
    assert!(am.runs.is_empty());
    assert!(
        am.notes.iter().any(|n| n.contains("matches 50/50")),
        "{:?}",
        am.notes
    );
}

#[test]
fn fmbench_w6_token_price() {
    let Some(corpus) = testing::corpus() else {
        return;
    };
    let dir = folder_named(&corpus, "claude-instant");
    let cfg_parsed = parse(&dir.join("config-claude-models.yml"), &corpus);
    let prices_csv = parse(&dir.join(PRICES_CSV), &corpus);
    assert!(
        cfg_parsed.token_prices.is_empty(),
        "the CSV beside it carries the prices"
    );
    let ci = prices_csv
        .token_prices
        .iter()
        .find(|t| t.key == "ClaudeInstant-ODT")
        .expect("token price");
    assert_eq!(ci.input_per_1k_tokens_usd.to_string(), "0.0008");
    assert_eq!(ci.output_per_1k_tokens_usd.to_string(), "0.0024");
    let parsed = parse(&dir.join(PER_REQUEST_CSV), &corpus);
    assert_eq!(parsed.runs.len(), 1);
    let run = &parsed.runs[0].run;
    assert_eq!(run.dataset.as_deref(), Some("payload_en_1000-2000.jsonl"));
    assert_eq!(
        parsed.runs[0].requests.as_ref().map(RequestColumns::len),
        Some(15)
    );
    assert_eq!(run.reported["fmbench.price_per_txn_usd"].value, 0.0014424);
    assert_eq!(run.reported["fmbench.score"].value, 346.873839218021);
    assert_eq!(run.date.as_deref(), Some("2024-03-23"));
}

#[test]
fn fmbench_basic() {
    let parsed =
        testing::parse_fixture(&Fmbench, "fmbench/basic/per_inference_request_results.csv")
            .expect("parse");
    assert_eq!(parsed.runs.len(), 2);
    let a = &parsed.runs[0];
    assert_eq!(a.run.dataset.as_deref(), Some("payload_en_1-500.jsonl"));
    assert_eq!(a.run.model.as_deref(), Some("org/tiny-model"));
    assert_eq!(
        (a.run.concurrency, a.run.instance_count),
        (Some(2), Some(1))
    );
    assert_eq!((a.run.num_requests, a.run.num_failed), (Some(2), Some(1)));
    let r = a.requests.as_ref().expect("rows");
    assert_eq!(r.ok, vec![true, false]);
    assert_eq!(r.e2e_ms, vec![Some(1250.0), Some(500.0)]);
    assert_eq!(r.ttft_ms, vec![Some(250.0), None]);
    assert_eq!(r.tpot_ms, vec![Some(125.0), None]);
    assert_eq!(r.input_tokens, vec![Some(12.0), Some(5.0)]);
    assert_eq!(r.output_tokens, vec![Some(8.0), None]);
    // By hand: 1.200 $/h / 60 / 48 TPM; score = latency 1 + (2 - 1.25)/2 + cost 1 + (50 - 10000·p)/50,
    // error rate 0.5 fails, so no concurrency bonus.
    let ppt = 0.02 / 48.0;
    assert_close(
        a.run.reported["fmbench.price_per_txn_usd"].value,
        ppt,
        1e-15,
        "price_per_txn",
    );
    assert_close(
        a.run.reported["fmbench.score"].value,
        1.375 + 1.0 + (50.0 - ppt * 10000.0) / 50.0,
        1e-15,
        "score",
    );
    assert_eq!(
        a.run
            .labels
            .get("fmbench.any_criterion_failed")
            .map(String::as_str),
        Some("True")
    );
    assert_eq!(
        a.run.labels.get("fmbench.best_option").map(String::as_str),
        Some("yes")
    );
    assert_eq!(a.run.labels.get("fmbench.recommended_for_instance"), None);
    assert_eq!(a.run.reported["ttft_ms.p50"].value, 250.0);
    let b = &parsed.runs[1];
    assert_eq!(b.requests.as_ref().map(|r| r.ok.clone()), Some(vec![true]));
    assert_eq!(
        b.run
            .labels
            .get("fmbench.error_body_successes")
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(
        b.run
            .labels
            .get("fmbench.recommended_for_instance")
            .map(String::as_str),
        Some("yes")
    );
    assert_eq!(
        b.run
            .labels
            .get("fmbench.dataset_of_interest")
            .map(String::as_str),
        Some("no")
    );
    // The summary beside the per-request CSV yields no runs.
    let s =
        testing::parse_fixture(&Fmbench, "fmbench/basic/all_metrics_summary.csv").expect("parse");
    assert!(s.runs.is_empty());
    assert!(s.notes.iter().any(|n| n.contains(PER_REQUEST_CSV)));
    // pricing.yml: numbers kept as written.
    let p = testing::parse_fixture(&Fmbench, "fmbench/basic/pricing.yml").expect("parse");
    assert_eq!(p.prices.len(), 2);
    let g5 = p
        .prices
        .iter()
        .find(|r| r.instance_type == "g5.2xlarge")
        .expect("g5");
    assert_eq!(g5.price_per_hour_usd.to_string(), "1.200");
    assert_eq!(g5.source, "fmbench/basic/pricing.yml");
    assert_eq!(p.token_prices.len(), 1);
    assert_eq!(
        p.token_prices[0].key,
        "anthropic.claude-3-haiku-20240307-v1:0"
    );
    assert_eq!(
        p.token_prices[0].output_per_1k_tokens_usd.to_string(),
        "0.00125"
    );
    let c = testing::parse_fixture(&Fmbench, "fmbench/basic/config-tiny.yml").expect("parse");
    assert!(c.runs.is_empty());
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("latency 2 s (latitude 0.05)")),
        "{:?}",
        c.notes
    );
}

#[test]
fn fmbench_bad_number_cell() {
    let err = testing::parse_fixture(&Fmbench, "fmbench/bad/all_metrics_summary.csv")
        .expect_err("bad cell");
    let msg = err.to_string();
    assert!(
        msg.contains("all_metrics_summary.csv: line 3, column \"latency_p95\""),
        "{msg}"
    );
    assert!(msg.contains("expected a number, found \"n/a\""), "{msg}");
}

#[test]
fn fmbench_sniff() {
    for f in [
        "fmbench/basic/per_inference_request_results.csv",
        "fmbench/basic/pricing.yml",
        "fmbench/basic/config-tiny.yml",
    ] {
        assert_eq!(
            testing::sniff_file(&Fmbench, &testing::fixture_path(f)),
            super::super::Confidence::Certain,
            "{f}"
        );
    }
    assert_eq!(date_from_epoch(1_727_194_100.744_735), "2024-09-24");
}

/// Ingest and evaluate `dir` as `bench-report build dir` would with no config file: the runs
/// with their costs.
fn build_folder(dir: &Path) -> crate::evaluate::Evaluation {
    let config = crate::config::Config::default();
    let input = crate::settings::InputSettings {
        inputs: vec![dir.to_path_buf()],
        config: config.clone(),
        config_path: None,
        on_bad_file: crate::settings::BadFilePolicy::Fail,
        forced: None,
        rules: Vec::new(),
    };
    let ingested = input.read_inputs(Vec::new()).expect("inputs");
    crate::evaluate::evaluate(ingested, &config, None).expect("evaluate")
}

fn decimal_f64(d: Option<rust_decimal::Decimal>, what: &str) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.and_then(|d| d.to_f64())
        .unwrap_or_else(|| panic!("{what}: no value"))
}

#[test]
fn fmbench_throughput_reported_from_summary_fixture() {
    use crate::metric::Metric;
    let rps = Metric::RequestThroughputRps.run_value().to_string();
    let out = Metric::OutputTokenThroughputTps.run_value().to_string();
    let total = Metric::TotalTokenThroughputTps.run_value().to_string();
    let parsed =
        testing::parse_fixture(&Fmbench, "fmbench/basic/per_inference_request_results.csv")
            .expect("parse");
    // all_metrics_summary.csv by hand: row 1 (1-500, c=2) TPM 48, prompt 13 tok/s, completion
    // 6 tok/s; row 2 (500-1000, c=1) TPM 6000, prompt 60000, completion 400.
    let expect = [(48.0 / 60.0, 6.0, 13.0 + 6.0), (100.0, 400.0, 60400.0)];
    for (r, (req, o, t)) in parsed.runs.iter().zip(expect) {
        let rep = &r.run.reported;
        assert_eq!(rep[&rps].value, req, "request_throughput_rps");
        assert_eq!(rep[&rps].label, "transactions_per_minute / 60");
        assert!(rep[&rps]
            .method
            .as_deref()
            .is_some_and(|m| m.starts_with("transactions_per_minute / 60; FMBench counts")));
        assert_eq!(rep[&out].value, o, "output_token_throughput_tps");
        assert_eq!(rep[&total].value, t, "total_token_throughput_tps");
        assert!(r.run.definitions.contains_key(&rps));
        // FMBench's own numbers stay beside them.
        assert_eq!(rep["fmbench.transactions_per_minute"].value, req * 60.0);
    }
    // A build of the folder prices the runs. By hand, run 1: 1.200 $/h / 3600 / 0.8 req/s × 1e6
    // = 416.666… $ per 1M requests; FMBench's price_per_txn = 1.200 / 60 × 1 / 48 = 0.000416666…,
    // × 1e6 = the same (same definition: the hourly price spread over FMBench's TPM). Per 1M
    // output tokens: 1.200 / 3600 / 6 × 1e6 = 55.555…
    let ev = build_folder(&testing::fixture_path("fmbench/basic"));
    let a = ev
        .runs
        .iter()
        .find(|er| er.run.concurrency == Some(2))
        .expect("c=2 run");
    let per_1m = decimal_f64(a.cost.cost_per_1m_requests_usd, "cost per 1M requests");
    assert_close(
        per_1m,
        1.2 / 3600.0 / 0.8 * 1e6,
        1e-12,
        "cost per 1M requests",
    );
    assert_close(per_1m, 416.666_666_666_666_7, 1e-12, "by hand");
    assert_close(
        per_1m,
        a.run.reported["fmbench.price_per_txn_usd"].value * 1e6,
        1e-12,
        "FMBench's price_per_txn × 1e6",
    );
    assert_close(
        decimal_f64(a.cost.cost_per_1m_output_tokens_usd, "per 1M output tokens"),
        1.2 / 3600.0 / 6.0 * 1e6,
        1e-12,
        "cost per 1M output tokens",
    );
    assert!(a.run.reported.contains_key("fmbench.price_per_txn_usd"));
}

#[test]
fn fmbench_zero_tpm_stays_unknown() {
    use crate::metric::Metric;
    // FMBench truncates its mean rate: TPM 0 says "below 1 per minute", not "none".
    let row = rules::SummaryRow {
        head: rules::RowHead {
            experiment_name: "x".into(),
            payload_file: "payload_en_1-500.jsonl".into(),
            instance_type: "g5.2xlarge".into(),
            instance_count: Some(1.0),
            concurrency: 6,
        },
        measures: rules::Measures {
            transactions_per_minute: Some(0.0),
            completion_token_throughput: None,
            ..rules::Measures::default()
        },
        ..rules::SummaryRow::default()
    };
    let run = summary::run_from_row(
        &row,
        &summary::Verdict::default(),
        RuleSet::V2,
        &folder::Folder::default(),
        "test",
    );
    for m in [
        Metric::RequestThroughputRps,
        Metric::OutputTokenThroughputTps,
        Metric::TotalTokenThroughputTps,
    ] {
        assert!(!run.reported.contains_key(&m.run_value().to_string()));
    }
    assert!(run
        .notes
        .iter()
        .any(|n| n.contains("transactions_per_minute / 60 is 0")));
}

#[test]
fn fmbench_seed_002_throughput_and_cost() {
    use crate::metric::Metric;
    let Some(corpus) = testing::corpus() else {
        return;
    };
    let rps = Metric::RequestThroughputRps.run_value().to_string();
    let day = folder_named(&corpus, "llama3-1-8b-g5.4xlarge-2024-11-29");
    // g5.4xlarge in the day folder's pricing.yml (EC2 on-demand), instance_count 1.0.
    let price = 1.624;
    let mut run_dirs: Vec<PathBuf> = std::fs::read_dir(&day)
        .expect("day")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    run_dirs.sort();
    assert_eq!(run_dirs.len(), 3);
    let mut checked = 0;
    for dir in &run_dirs {
        let scored = dir.join(SCORED_CSV);
        let t = table(&scored);
        let parsed = parse(&scored, &corpus);
        assert_eq!(parsed.runs.len(), t.rows.len());
        for (line, cells) in &t.rows {
            let c: u32 = t
                .text(cells, "concurrency")
                .and_then(|c| c.parse().ok())
                .expect("concurrency");
            let tpm: f64 = t
                .text(cells, "transactions_per_minute")
                .and_then(|c| c.parse().ok())
                .expect("TPM");
            let run = &parsed
                .runs
                .iter()
                .find(|r| r.run.concurrency == Some(c))
                .expect("run")
                .run;
            assert_eq!(
                run.reported[&rps].value,
                tpm / 60.0,
                "{} line {line}",
                scored.display()
            );
            checked += 1;
        }
        // The TPM report.md prints in its Information table (the best row).
        let report = std::fs::read_to_string(dir.join("report.md")).expect("report");
        let printed: f64 = report
            .lines()
            .find_map(|l| l.strip_prefix("| transactions_per_minute | "))
            .and_then(|r| r.trim_end_matches(" |").trim().parse().ok())
            .expect("printed TPM");
        let best = read_report(&dir.join("report.md"))
            .best_concurrency
            .expect("best");
        let run = &parsed
            .runs
            .iter()
            .find(|r| r.run.concurrency == Some(best))
            .expect("best run")
            .run;
        assert_eq!(
            run.reported[&rps].value,
            printed / 60.0,
            "{}",
            dir.display()
        );
    }
    assert_eq!(checked, 3 * 2);

    // A build of the folder now prices every run. By hand (run-2024-11-29T15-55, the seed's
    // report): c=1 has TPM 35, so 35 / 60 = 0.58333 req/s and 1.624 / 3600 / 0.58333 × 1e6 =
    // 1.624e6 / 2100 = 773.333… $ per 1M requests; FMBench's price_per_txn is 1.624 / 60 × 1.0
    // / 35 = 0.0007733333333333334 (CSV), × 1e6 = 773.333…: the same definition (hourly price
    // spread over FMBench's TPM), so equal up to float vs decimal rounding. c=2: TPM 55 →
    // 1.624e6 / 3300 = 492.1212…, FMBench 0.0004921212121212122. They would differ for a
    // token-priced endpoint (FMBench prices the mean request's tokens) and where bench-report
    // computes its own throughput from timed requests instead of FMBench's per-chunk TPM.
    let ev = build_folder(&day);
    assert_eq!(ev.runs.len(), 6);
    for er in &ev.runs {
        let tpm = er.run.reported["fmbench.transactions_per_minute"].value;
        let ours = decimal_f64(er.cost.cost_per_1m_requests_usd, "cost per 1M requests");
        assert_close(ours, price / 3600.0 / (tpm / 60.0) * 1e6, 1e-12, "cost");
        assert_close(
            ours,
            er.run.reported["fmbench.price_per_txn_usd"].value * 1e6,
            1e-12,
            "FMBench's price_per_txn × 1e6",
        );
        assert!(
            er.cost.unknown_reason.is_none(),
            "{:?}",
            er.cost.unknown_reason
        );
        let out = er.run.reported["fmbench.completion_token_throughput_tps"].value;
        assert_close(
            decimal_f64(
                er.cost.cost_per_1m_output_tokens_usd,
                "per 1M output tokens",
            ),
            price / 3600.0 / out * 1e6,
            1e-12,
            "cost per 1M output tokens",
        );
    }
    let seed = ev
        .runs
        .iter()
        .find(|er| {
            er.run.source_file.contains("run-2024-11-29T15-55") && er.run.concurrency == Some(1)
        })
        .expect("seed 002 best row");
    assert_close(
        decimal_f64(seed.cost.cost_per_1m_requests_usd, "seed"),
        773.333_333_333_333_3,
        1e-12,
        "seed 002 c=1 by hand",
    );
}
