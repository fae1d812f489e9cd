//! Neuron parser tests: fixtures under `tests/fixtures/neuron/` and, when
//! `BENCH_REPORT_CORPUS` is set, the real corpus.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use super::*;
use crate::ingest::testing::{
    corpus, detect, files_under, fixture_path, parse_file, parse_fixture, sniff_file,
};
use crate::ingest::Confidence;
use crate::model::Run;
use crate::pricing::cost_per_1m_usd;

// ---------------------------------------------------------------------------------------------
// Page helpers: the cost cell of the Neuron page, from a run this parser produced and a price
// (pricing is a stage above ingest: only these tests join the two).
// ---------------------------------------------------------------------------------------------

/// The throughput the Neuron page divides the hourly rate by, for a run this parser produced
/// (the reported metric named by the run's `neuron.cost_metric` label). `None` for training
/// runs and rows without a throughput.
fn page_throughput(run: &Run) -> Option<f64> {
    let key = run.labels.get(LABEL_COST_METRIC)?;
    run.reported.get(key).map(|r| r.value)
}

/// The page's cost per 1M units (sequences, images, input+output tokens or generated tokens,
/// as the run's `neuron.cost_unit` label says) for a run at a price row, in USD, unrounded.
/// The formula is `pricing::cost_per_1m_usd`, the page's `1e6 / throughput × rate / 3600`.
fn page_cost_usd(run: &Run, price: &PriceRow) -> Option<Decimal> {
    cost_per_1m_usd(price.price_per_hour_usd, page_throughput(run)?)
}

/// The page's cost cell text: `'${:,.3f}'` (`$0.013`, `$54.180`, `$5,884.110`), rounded half
/// to even (no corpus value sits on a tie, so half-up would print the same).
fn page_cost_cell(cost: Decimal) -> String {
    crate::format::money(cost, 3)
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

fn parse(rel: &str) -> Parsed {
    parse_fixture(&Neuron, rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn reported(run: &Run, key: &str) -> f64 {
    run.reported
        .get(key)
        .unwrap_or_else(|| panic!("{key} missing in {:?}", run.reported.keys()))
        .value
}

fn run_for<'a>(parsed: &'a Parsed, model: &str) -> &'a Run {
    &parsed
        .runs
        .iter()
        .find(|r| r.run.model.as_deref() == Some(model))
        .unwrap_or_else(|| panic!("no {model}"))
        .run
}

fn price_for<'a>(parsed: &'a Parsed, instance: &str) -> &'a PriceRow {
    parsed
        .prices
        .iter()
        .find(|p| p.instance_type == instance)
        .unwrap_or_else(|| panic!("no price for {instance}"))
}

/// The page's cell computed independently of the parser: Decimal from the CSV texts,
/// `1000000 / throughput × rate / 3600`, half-even to 3 places, `$` and thousands.
fn independent_cell(throughput_text: &str, rate_text: &str) -> String {
    let t = d(throughput_text.trim());
    let r = d(rate_text.trim());
    let cost = (Decimal::from(1_000_000) / t * r / Decimal::from(3600))
        .round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven);
    let text = format!("{cost:.3}");
    let (int, frac) = text.split_once('.').expect("three places");
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{frac}")
}

/// The worked examples of formats/neuron.md §7 (fixtures carry the note's rows and
/// rates), through the parser, `pricing::cost_per_1m_usd` and `format::money`.
#[test]
fn neuron_worked_examples() {
    // (data file, price file, model, instance, metric, throughput text, page cell)
    let cases = [
        (
            "od/inf2/throughput_data_LLM.csv",
            "od/inf2/inf2_instance_prices.csv",
            "opt-13b",
            "Inf2.48xlarge",
            "total_token_throughput_tps",
            3014.3_f64,
            "$1.196",
        ), // LLM-1
        (
            "od/trn1/latency_data_encoder_decoder.csv",
            "od/trn1/trn1_instance_prices.csv",
            "t5-3b",
            "trn1.32xlarge",
            "total_token_throughput_tps",
            110.23,
            "$54.180",
        ), // LLM-2
        (
            "od/inf2/throughput_data_decoder.csv",
            "od/inf2/inf2_instance_prices.csv",
            "Llama-3-8B",
            "Inf2.48xlarge",
            "output_token_throughput_tps",
            649.17,
            "$5.555",
        ), // LLM-3
        (
            "ri/inf2/throughput_data_encoder_decoder.csv",
            "ri/inf2/inf2_instance_prices.csv",
            "google/flan-t5-xl",
            "Inf2.24xlarge",
            "total_token_throughput_tps",
            117.61,
            "$6.623",
        ), // LLM-4
        (
            "od/inf2/throughput_data_language.csv",
            "od/inf2/inf2_instance_prices.csv",
            "xlm-roberta-base",
            "Inf2.48xlarge",
            "request_throughput_rps",
            48.66,
            "$74.103",
        ), // VL-1
        (
            "od/inf2/throughput_data_vision_sd.csv",
            "od/inf2/inf2_instance_prices.csv",
            "Stable Diffusion XL Base & Refiner",
            "Inf2.8xlarge",
            "request_throughput_rps",
            0.093,
            "$5,884.110",
        ), // VL-2
        (
            "ri/inf2/throughput_data_vision_cnn.csv",
            "ri/inf2/inf2_instance_prices.csv",
            "resnet18",
            "Inf2.xlarge",
            "request_throughput_rps",
            6949.174,
            "$0.013",
        ), // VL-3
        (
            "ri/trn1/latency_data_encoder.csv",
            "ri/trn1/trn1_instance_prices.csv",
            "albert-base-v2",
            "trn1.2xlarge",
            "request_throughput_rps",
            2321.97758889,
            "$0.061",
        ), // VL-4
    ];
    for (data, prices, model, instance, metric, tput, cell) in cases {
        let parsed = parse(&format!("neuron/{data}"));
        let price_file = parse(&format!("neuron/{prices}"));
        let run = run_for(&parsed, model);
        assert_eq!(run.instance_type.as_deref(), Some(instance), "{data}");
        assert_eq!(
            run.labels.get(LABEL_COST_METRIC).map(String::as_str),
            Some(metric),
            "{data}"
        );
        // Exact: the f64 of the CSV text, whose shortest text is the CSV text.
        assert_eq!(reported(run, metric).to_bits(), tput.to_bits(), "{data}");
        let price = price_for(&price_file, instance);
        let cost = page_cost_usd(run, price).expect("priced");
        assert_eq!(
            cost,
            cost_per_1m_usd(price.price_per_hour_usd, tput).expect("priced")
        );
        assert_eq!(page_cost_cell(cost), cell, "{data} {model}");
    }
    // 28-digit values the note prints: LLM-1 and VL-2.
    let llm1 = parse("neuron/od/inf2/throughput_data_LLM.csv");
    let prices = parse("neuron/od/inf2/inf2_instance_prices.csv");
    let cost = page_cost_usd(
        run_for(&llm1, "opt-13b"),
        price_for(&prices, "Inf2.48xlarge"),
    )
    .expect("priced");
    // 34-digit value 1.196242355881409724756438753054883, to 20 places.
    assert_eq!(cost.round_dp(20), d("1.19624235588140972476"));
    let vl2 = parse("neuron/od/inf2/throughput_data_vision_sd.csv");
    let cost = page_cost_usd(
        run_for(&vl2, "Stable Diffusion XL Base & Refiner"),
        price_for(&prices, "Inf2.8xlarge"),
    )
    .expect("priced");
    // 34-digit value 5884.109916367980884109916367980883, to 20 places.
    assert_eq!(cost.round_dp(20), d("5884.10991636798088410992"));
    // VL-2: recomputing from the page's rounded 0.09 gives a different (wrong) cell.
    assert_eq!(
        page_cost_cell(cost_per_1m_usd(d("1.97"), 0.09).expect("priced")),
        "$6,080.247"
    );
}

#[test]
fn neuron_llm_row_fields() {
    let parsed = parse("neuron/od/inf2/throughput_data_LLM.csv");
    assert_eq!(parsed.runs.len(), 1);
    let run = &parsed.runs[0].run;
    // The note's excerpt row: opt-13b,…,3014.3,68.9,80,Batch,2.14.0,Tensor Parallel,8,1,256,128,9,119,FP16,Matmult-BF16
    assert_eq!(run.model.as_deref(), Some("opt-13b"));
    assert_eq!(run.engine.as_deref(), Some("Transformers Neuron"));
    assert_eq!(run.engine_version.as_deref(), Some("2.14.0"));
    assert_eq!(run.dataset.as_deref(), Some("Text Generation"));
    assert_eq!(
        (run.tp, run.dp, run.batch_size),
        (Some(8), Some(1), Some(256))
    );
    assert_eq!((run.input_len, run.output_len), (Some(9), Some(119)));
    assert_eq!(run.labels["sequence_length"], "128");
    assert_eq!(run.labels["application_type"], "Batch");
    assert_eq!(run.labels["run_mode"], "Tensor Parallel");
    assert_eq!(run.labels["model_data_type"], "FP16");
    assert_eq!(run.labels["compilation_autocast_data_type"], "Matmult-BF16");
    assert_eq!(run.labels["scripts"], ":benchmark-pt:`Benchmark <opt>`");
    assert_eq!(run.labels["neuron.family"], "LLM");
    assert_eq!(run.labels["neuron.table"], "throughput");
    assert!(run.labels["neuron.cost_unit"].starts_with("1M tokens (input + output"));
    assert_eq!(reported(run, "neuron.latency_per_token_ms.p50"), 68.9);
    assert_eq!(reported(run, "neuron.latency_per_token_ms.p99"), 80.0);
    assert!(!run.reported.contains_key("e2e_ms.p50"));
    assert!(run.definitions["neuron.latency_per_token_ms"].contains("input and output"));
    assert!(run.definitions["total_token_throughput_tps"].contains("input and output"));
    assert_eq!(
        run.name.as_deref(),
        Some("opt-13b, Inf2.48xlarge, TP 8, batch 256")
    );
}

#[test]
fn neuron_decoder_row_fields() {
    let parsed = parse("neuron/od/inf2/throughput_data_decoder.csv");
    let run = &parsed.runs[0].run;
    // Llama-3-8B,…,649.17,68.95,99.28,15.22,15.48,Batch,2.18.1,Tensor Parallel,24,8,8192,128,8064,FP16,Matmult-BF16,int8
    assert_eq!(reported(run, "output_token_throughput_tps"), 649.17);
    assert_eq!(reported(run, "ttft_ms.p50"), 68.95);
    assert_eq!(reported(run, "ttft_ms.median"), 68.95);
    assert_eq!(reported(run, "ttft_ms.p99"), 99.28);
    assert_eq!(reported(run, "tpot_ms.p50"), 15.22);
    assert_eq!(reported(run, "tpot_ms.p99"), 15.48);
    assert_eq!((run.tp, run.dp, run.batch_size), (Some(24), None, Some(8)));
    assert_eq!((run.input_len, run.output_len), (Some(128), Some(8064)));
    assert_eq!(run.labels["weight_storage_data_type"], "int8");
    assert_eq!(run.labels["neuron.cost_unit"], "1M generated tokens");
    assert!(run.definitions.contains_key("ttft_ms") && run.definitions.contains_key("tpot_ms"));
}

#[test]
fn neuron_encoder_row_fields() {
    let parsed = parse("neuron/ri/trn1/latency_data_encoder.csv");
    let run = run_for(&parsed, "albert-base-v2");
    // albert-base-v2,…,2321.97758889,0.85997581,0.9086132,Real Time,2.27.0,Data Parallel,1,128,FP32,Matmult-BF16,U22
    assert_eq!(reported(run, "request_throughput_rps"), 2321.97758889);
    assert_eq!(reported(run, "e2e_ms.p50"), 0.85997581);
    assert_eq!(reported(run, "e2e_ms.median"), 0.85997581);
    assert_eq!(reported(run, "e2e_ms.p99"), 0.9086132);
    assert_eq!(run.input_len, Some(128));
    assert_eq!(run.labels["os_type"], "U22");
    assert_eq!(run.labels["neuron.table"], "latency");
    assert_eq!(run.labels["neuron.family"], "encoder");
    assert!(run.definitions["e2e_ms"].contains("batched"));
    assert!(run.definitions["request_throughput_rps"].contains("sequence"));
    // Pricing turns the throughput back into the CSV text.
    assert_eq!(
        crate::pricing::decimal_from_f64(reported(run, "request_throughput_rps")),
        Some(d("2321.97758889"))
    );
}

#[test]
fn neuron_prices_on_demand_and_ri_effective() {
    let od = parse("neuron/od/trn1/trn1_instance_prices.csv");
    assert_eq!(od.runs.len(), 0);
    let row = price_for(&od, "trn1.32xlarge");
    assert_eq!(row.pricing_model, "on_demand");
    assert_eq!(row.price_per_hour_usd.to_string(), "21.50"); // from the text, scale kept
    assert_eq!(row.source, "neuron/od/trn1/trn1_instance_prices.csv");
    assert_eq!((row.region.as_deref(), row.as_of.as_deref()), (None, None));
    let ri = parse("neuron/ri/inf2/inf2_instance_prices.csv");
    let row = price_for(&ri, "Inf2.8xlarge");
    assert_eq!(row.pricing_model, "ri_effective");
    assert_eq!(row.price_per_hour_usd.to_string(), "0.850");
    // Spelling kept: no lower-cased key.
    assert!(ri
        .prices
        .iter()
        .all(|p| p.instance_type.starts_with("Inf2.")));
    assert_eq!(ri.prices.len(), 4);
}

/// CRLF, no final newline, blank lines, quoted commas, quotes inside a cell, `None`,
/// a header name with leading spaces: values checked by hand against the fixture text.
#[test]
fn neuron_quirks() {
    let path = fixture_path("neuron/quirks/throughput_data_vision_dit.csv");
    let bytes = std::fs::read(&path).expect("fixture");
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n") && !bytes.ends_with(b"\n"),
        "fixture lost its quirks"
    );
    let parsed = parse("neuron/quirks/throughput_data_vision_dit.csv");
    assert_eq!(parsed.runs.len(), 3);
    assert!(
        parsed.notes.iter().any(|n| n.contains("2 blank line(s)")),
        "{:?}",
        parsed.notes
    );
    let a = &parsed.runs[0].run;
    assert_eq!(a.labels["model_data_type"], "\"FP32, BF16\""); // """FP32, BF16""" → text with quotes
    assert_eq!(a.labels["image_size"], "256x256");
    assert_eq!(a.engine_version.as_deref(), Some("2.20")); // text: not the number 2.2
    assert_eq!(a.batch_size, Some(1)); // header ` Batch Size` matched trimmed
    assert_eq!(reported(a, "request_throughput_rps"), 1.975);
    assert_eq!(a.labels["neuron.family"], "vision_dit");
    assert_eq!(a.labels["neuron.cost_unit"], "1M images");
    assert_eq!(
        a.name.as_deref(),
        Some("PixArt Alpha 256x256, Inf2.xlarge, batch 1")
    );
    let b = &parsed.runs[1].run;
    assert_eq!(b.labels["model_data_type"], "FP32, BF16");
    assert_eq!(b.labels["compilation_autocast_data_type"], "None");
    assert!(b.notes.iter().any(|n| n.contains("None")));
    assert_eq!(reported(b, "e2e_ms.p99"), 1271.0);
    let c = &parsed.runs[2].run;
    assert_eq!(c.instance_type.as_deref(), Some("Inf2.8xlarge"));
    assert!(!c.labels.contains_key("compilation_autocast_data_type")); // empty cell: no label
    assert_eq!(reported(c, "e2e_ms.p50"), 10741.0);
}

#[test]
fn neuron_training() {
    let parsed = parse("neuron/training/training_data_decoder.csv");
    assert_eq!(parsed.runs.len(), 2);
    assert!(parsed.prices.is_empty());
    let run = &parsed.runs[0].run;
    assert_eq!(run.labels["kind"], "training");
    assert_eq!(
        run.instance_type.as_deref(),
        Some("trn1.32xlarge/trn1n.32xlarge")
    );
    assert_eq!(run.instance_count, Some(32));
    assert_eq!(reported(run, "neuron.performance_seq_per_s"), 107.18);
    assert_eq!(run.labels["os_type"], "U20"); // ` U20` trimmed
    assert_eq!(run.labels["optimizer"], "AdamW"); // header ` Optimizer`
    assert_eq!(run.labels["sequence_length"], "2048");
    assert_eq!((run.tp, run.dp, run.pp), (Some(8), Some(32), Some(4)));
    assert_eq!(page_throughput(run), None, "training is never priced");
    let second = &parsed.runs[1].run;
    assert_eq!((second.tp, second.dp, second.pp), (None, None, None)); // `[32xNC(DP)] x 16Nodes(DP)`
    assert_eq!(second.labels["topology"], "[32xNC(DP)] x 16Nodes(DP)");
}

#[test]
fn neuron_header_only() {
    let parsed = parse("neuron/training/cv_data.csv");
    assert!(parsed.runs.is_empty());
    assert!(parsed.not_input.is_none());
    assert!(
        parsed.notes.iter().any(|n| n.contains("header only")),
        "{:?}",
        parsed.notes
    );
}

#[test]
fn neuron_bad_short_row() {
    let err = parse_fixture(&Neuron, "neuron/bad/short_row.csv").expect_err("short row");
    let msg = err.to_string();
    assert!(msg.contains("short_row.csv: line 3"), "{msg}");
    assert!(
        msg.contains("expected 16 fields as in the header, found 15"),
        "{msg}"
    );
}

/// LF line ends and a blank line before the bad row: the line is the file's, blank counted.
#[test]
fn neuron_bad_long_row_after_blank() {
    let err = parse_fixture(&Neuron, "neuron/bad/long_row_after_blank.csv").expect_err("long row");
    let msg = err.to_string();
    assert!(
        msg.contains(
            "long_row_after_blank.csv: line 4: expected 16 fields as in the header, found 17"
        ),
        "{msg}"
    );
}

#[test]
fn neuron_bad_number() {
    let err = parse_fixture(&Neuron, "neuron/bad/text_in_number.csv").expect_err("bad number");
    let msg = err.to_string();
    assert!(
        msg.contains("text_in_number.csv: line 2, column \"Throughput (inference/second)\""),
        "{msg}"
    );
    assert!(msg.contains("expected a number, found \"n/a\""), "{msg}");
}

#[test]
fn neuron_bad_price() {
    let err = parse_fixture(&Neuron, "neuron/bad/price_not_decimal.csv").expect_err("bad price");
    let msg = err.to_string();
    assert!(
        msg.contains("price_not_decimal.csv: line 3, column \"On-Demand hourly rate\""),
        "{msg}"
    );
}

#[test]
fn neuron_sniff() {
    let certain = [
        "od/inf2/inf2_instance_prices.csv",
        "ri/trn1/latency_data_encoder.csv",
        "training/cv_data.csv",
    ];
    for rel in certain {
        assert_eq!(
            sniff_file(&Neuron, &fixture_path(&format!("neuron/{rel}"))),
            Confidence::Certain,
            "{rel}"
        );
    }
    let probe_of = |name: &str, text: &'static str| {
        let rel = name.to_string();
        (rel, text.as_bytes())
    };
    for (name, text) in [
        probe_of("page-recipe.json", "{\"snapshot\": \"x\", \"pages\": []}"),
        probe_of(
            "r.csv",
            "model,instance_type,ttft_ms,e2e_ms,input_tokens,output_tokens\n",
        ),
        probe_of(
            "p.csv",
            "instance_type,region,pricing_model,price_per_hour_usd\n",
        ),
    ] {
        let probe = crate::ingest::make_probe(Path::new(&name), &name, text);
        assert_eq!(Neuron.sniff(&probe).confidence, Confidence::No, "{name}");
    }
}

// ------------------------------------------------------------------ corpus ----------

fn snapshots(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("neuron"))
        .map(|it| {
            it.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Every CSV of the three snapshots is auto-detected as `neuron` and parses; the JSON
/// recipes are not claimed by this parser.
#[test]
fn neuron_corpus_walk() {
    let Some(root) = corpus() else { return };
    let snaps = snapshots(&root);
    assert_eq!(
        snaps.len(),
        3,
        "three snapshots expected under {}",
        root.display()
    );
    let mut all = Vec::new();
    for s in &snaps {
        all.extend(files_under(s));
    }
    all.sort();
    let (mut csvs, mut runs, mut prices) = (0, 0, 0);
    for path in &all {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".csv") {
            csvs += 1;
            assert_eq!(
                detect(path, &root).unwrap_or_else(|e| panic!("{e}")),
                "neuron",
                "{}",
                path.display()
            );
            let parsed = parse_file(&Neuron, path, &root).unwrap_or_else(|e| panic!("{e}"));
            assert!(parsed.not_input.is_none());
            runs += parsed.runs.len();
            prices += parsed.prices.len();
            for r in &parsed.runs {
                assert!(
                    r.run.model.is_some() && r.run.instance_type.is_some(),
                    "{}",
                    path.display()
                );
            }
        } else if name == "page-recipe.json" {
            assert_eq!(
                sniff_file(&Neuron, path),
                Confidence::No,
                "{}",
                path.display()
            );
            assert!(
                !matches!(detect(path, &root), Ok("neuron")),
                "{}",
                path.display()
            );
        }
    }
    assert_eq!(csvs, 68); // 14 + 27 + 27, as the recipes' csv_files_in_snapshot list
                          // Price rows: 3+2 (2023), 4+2 (2024), 4+2 (2026).
    assert_eq!(prices, 17);
    assert!(runs > 318, "{runs}");
}

/// The header-only file of 2023 parses to no runs, with a note.
#[test]
fn neuron_corpus_cv_data() {
    let Some(root) = corpus() else { return };
    let path = root.join("neuron/aws-neuron-sdk-2023-09-21/trn1/cv_data.csv");
    let parsed = parse_file(&Neuron, &path, &root).expect("parses");
    assert!(parsed.runs.is_empty() && parsed.notes.iter().any(|n| n.contains("header only")));
}

/// Reads one CSV independently of the parser: (trimmed header, rows of cells), blank
/// lines skipped.
fn raw_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .expect("open");
    let mut recs = rdr.records().map(|r| r.expect("record"));
    let header: Vec<String> = recs
        .next()
        .expect("header")
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let rows = recs
        .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// For every priced table of the three page recipes (and the decoder tables under
/// `history`): every row's cost cell through the parser, `page_cost_usd` and
/// `page_cost_cell` equals the note's Decimal formula applied to the raw CSV texts.
#[test]
fn neuron_corpus_page_recipe_costs() {
    let Some(root) = corpus() else { return };
    let (mut tables, mut rows) = (0usize, 0usize);
    let mut history_tables = 0usize;
    for snap in snapshots(&root) {
        let text = std::fs::read_to_string(snap.join("page-recipe.json")).expect("recipe");
        let recipe: serde_json::Value = serde_json::from_str(&text).expect("json");
        let mut entries: Vec<(bool, &serde_json::Value)> = Vec::new();
        for page in recipe["pages"].as_array().expect("pages") {
            for t in page["tables"].as_array().expect("tables") {
                entries.push((false, t));
            }
        }
        if let Some(h) = recipe
            .get("history")
            .and_then(|h| h["decoder_tables_as_rendered_at_previous_commit"].as_array())
        {
            entries.extend(h.iter().map(|t| (true, t)));
        }
        for (is_history, t) in entries {
            let Some(price_csv) = t["price_csv"].as_str() else {
                continue;
            };
            let csv_rel = t["csv"].as_str().expect("csv");
            let tput_col = t["throughput_column"].as_str().expect("throughput_column");
            let price_col = t["price_column"].as_str().expect("price_column");
            let data_path = snap.join(csv_rel);
            let price_path = snap.join(price_csv);
            let parsed = parse_file(&Neuron, &data_path, &root).expect("data parses");
            let price_file = parse_file(&Neuron, &price_path, &root).expect("prices parse");
            // The price file's pricing model matches its rate column.
            let model = if price_col.starts_with("On-Demand") {
                "on_demand"
            } else {
                "ri_effective"
            };
            assert!(
                price_file.prices.iter().all(|p| p.pricing_model == model),
                "{price_csv}"
            );
            let (dh, drows) = raw_csv(&data_path);
            let (ph, prows) = raw_csv(&price_path);
            let ti = dh
                .iter()
                .position(|h| h == tput_col)
                .expect("throughput column");
            let ki = dh.iter().position(|h| h == INST_TYPE).expect("key column");
            let pki = ph.iter().position(|h| h == INST_TYPE).expect("price key");
            let pri = ph
                .iter()
                .position(|h| h == price_col)
                .expect("price column");
            assert_eq!(parsed.runs.len(), drows.len(), "{csv_rel}");
            for (pr, raw) in parsed.runs.iter().zip(&drows) {
                let run = &pr.run;
                assert_eq!(run.instance_type.as_deref(), Some(raw[ki].as_str()));
                assert_eq!(run.labels["neuron.cost_throughput_column"], tput_col);
                // Inner merge on the exact key (0 rows dropped in the corpus).
                let prow = prows
                    .iter()
                    .find(|p| p[pki] == raw[ki])
                    .unwrap_or_else(|| panic!("{csv_rel}: no price for {}", raw[ki]));
                let expected = independent_cell(&raw[ti], &prow[pri]);
                let price = price_for(&price_file, &raw[ki]);
                let cell = page_cost_cell(page_cost_usd(run, price).expect("priced"));
                assert_eq!(cell, expected, "{csv_rel}: {:?}", run.name);
                for key in ["expected_cost", "published_cost", "expected", "published"] {
                    assert!(
                        t.get(key).is_none(),
                        "recipe carries {key}: compare it here"
                    );
                }
                if !is_history {
                    rows += 1;
                }
            }
            if is_history {
                history_tables += 1;
            } else {
                tables += 1;
            }
        }
    }
    // formats/neuron.md §3: 40 priced tables, 318 data rows, none dropped by the merge.
    assert_eq!(tables, 40);
    assert_eq!(rows, 318);
    assert_eq!(history_tables, 4);
}

/// The worked examples again, from the corpus files themselves.
#[test]
fn neuron_corpus_worked_examples() {
    let Some(root) = corpus() else { return };
    let n = root.join("neuron");
    let cases = [
        (
            "aws-neuron-sdk-2023-09-21",
            "inf2/throughput_data_LLM.csv",
            "inf2/inf2_instance_prices.csv",
            "opt-13b",
            "Inf2.48xlarge",
            "$1.196",
        ),
        (
            "aws-neuron-sdk-2024-07-24",
            "trn1/latency_data_encoder_decoder.csv",
            "trn1/trn1_instance_prices.csv",
            "t5-3b",
            "trn1.32xlarge",
            "$54.180",
        ),
        (
            "aws-neuron-sdk-2024-07-24",
            "inf2/throughput_data_decoder.csv",
            "inf2/inf2_instance_prices.csv",
            "Llama-3-8B",
            "Inf2.48xlarge",
            "$5.555",
        ),
        (
            "aws-neuron-sdk-2026-04-09",
            "inf2/throughput_data_encoder_decoder.csv",
            "inf2/inf2_instance_prices.csv",
            "google/flan-t5-xl",
            "Inf2.24xlarge",
            "$6.623",
        ),
        (
            "aws-neuron-sdk-2023-09-21",
            "inf2/throughput_data_language.csv",
            "inf2/inf2_instance_prices.csv",
            "xlm-roberta-base",
            "Inf2.48xlarge",
            "$74.103",
        ),
        (
            "aws-neuron-sdk-2024-07-24",
            "inf2/throughput_data_vision_sd.csv",
            "inf2/inf2_instance_prices.csv",
            "Stable Diffusion XL Base & Refiner",
            "Inf2.8xlarge",
            "$5,884.110",
        ),
        (
            "aws-neuron-sdk-2026-04-09",
            "inf2/throughput_data_vision_cnn.csv",
            "inf2/inf2_instance_prices.csv",
            "resnet18",
            "Inf2.xlarge",
            "$0.013",
        ),
        (
            "aws-neuron-sdk-2026-04-09",
            "trn1/latency_data_encoder.csv",
            "trn1/trn1_instance_prices.csv",
            "albert-base-v2",
            "trn1.2xlarge",
            "$0.061",
        ),
    ];
    for (snap, data, prices, model, instance, cell) in cases {
        let parsed = parse_file(&Neuron, &n.join(snap).join(data), &root).expect("parses");
        let price_file = parse_file(&Neuron, &n.join(snap).join(prices), &root).expect("parses");
        let run = &parsed
            .runs
            .iter()
            .find(|r| {
                r.run.model.as_deref() == Some(model)
                    && r.run.instance_type.as_deref() == Some(instance)
            })
            .unwrap_or_else(|| panic!("{snap}/{data}: no {model}"))
            .run;
        let cost = page_cost_usd(run, price_for(&price_file, instance)).expect("priced");
        assert_eq!(page_cost_cell(cost), cell, "{snap}/{data}");
    }
}
