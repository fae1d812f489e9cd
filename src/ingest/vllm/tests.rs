//! vLLM parser tests: fixtures under `tests/fixtures/vllm/` and, when `BENCH_REPORT_CORPUS`
//! is set, the real corpus.

use super::nightly::{from_test_name, gpu_count, NIGHTLY_COLUMNS};
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
        let raw: Value = serde_json::from_slice(&std::fs::read(&f).expect("read")).expect("json");
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
    let dir =
        root.join("vllm/zhangxinyuehfad-vllm-benchmarks-ascend-nightly-2025-02/benchmarks/results");
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
    let dir =
        root.join("vllm/zhangxinyuehfad-vllm-benchmarks-ascend-nightly-2025-02/benchmarks/results");
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
