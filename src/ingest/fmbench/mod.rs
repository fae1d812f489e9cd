//! FMBench results (aws-samples/foundation-model-benchmarking-tool, "FMBT" in January 2024):
//! per-request rows (`per_inference_request_results.csv`, `per_inference/*.json`), per-chunk
//! rows (`per_chunk/*.json`, `all_metrics.csv`), the summary and derived CSVs, the scored tables,
//! cost and price tables, `pricing.yml` and the config YAML. `report.md` / `results.md` are
//! FMBench's rendered pages and come back as not input.
//!
//! Mirrors the shapes of FMBench's notebooks from January 2024 (`e82f9d9e`) to 2.0.20, as
//! described in `formats/fmbench.md` §3; FMBench's arithmetic (§4) lives in [`rules`] as pure
//! functions so it can be checked against FMBench's own files.
//!
//! Runs without double counting: one run = one FMBench summary row (experiment, payload file,
//! instance type, instance count, concurrency). The per-request CSV yields the runs with request
//! rows when present; otherwise `per_inference/*.json` (read together by the first file of the
//! folder); otherwise `all_metrics_summary.csv`; otherwise `all_metrics.csv`; otherwise the scored
//! table. Every other file contributes 0 runs and a note naming the file that holds them.
//! FMBench's summary numbers are attached as `reported` values with their method; this parser
//! never computes bench-report's summary metrics.

mod folder;
mod requests;
mod rules;
mod summary;
mod table;
#[cfg(test)]
mod tests;
mod yaml;

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::{PriceRow, TokenPrice};

use folder::{instance_prices, Folder};
use requests::{chunk_from_json, csv_records, parse_per_inference, runs_from_requests};
use summary::{check_scores, cross_check, runs_from_summary};
use table::FmbenchCsv;

/// The `fmbench` parser.
pub struct Fmbench;

/// The reason rendered pages are not input.
const REPORT_REASON: &str = "FMBench's rendered report (an output, not input)";

const PER_REQUEST_CSV: &str = "per_inference_request_results.csv";
const SUMMARY_CSV: &str = "all_metrics_summary.csv";
const ALL_METRICS_CSV: &str = "all_metrics.csv";
const SCORED_CSV: &str = "summary_metrics_for_dataset_w_scores.csv";
const BEST_CSV: &str = "summary_metrics_for_dataset_best_option.csv";
const BEST_EACH_CSV: &str = "summary_metrics_for_dataset_best_option_each_instance_type.csv";
const COSTS_CSV: &str = "endpoint_per_instance_per_run_costs.csv";
const PRICES_CSV: &str = "instance_pricing_per_hour.csv";

/// The kinds of file FMBench writes (format note §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Report,
    PerRequestCsv,
    PerInferenceJson,
    PerChunkJson,
    AllMetrics,
    Summary,
    /// `error_rates.csv`, `experiment_counts.csv`, `summary_metrics_w_pricing.csv`.
    Derived,
    Scored,
    Best,
    Costs,
    InstancePrices,
    PricingYml,
    Config,
}

/// Each kind with its name in [`Sniff::variant`].
const KINDS: [(Kind, &str); 13] = [
    (Kind::Report, "report"),
    (Kind::PerRequestCsv, "per_request_csv"),
    (Kind::PerInferenceJson, "per_inference_json"),
    (Kind::PerChunkJson, "per_chunk_json"),
    (Kind::AllMetrics, "all_metrics"),
    (Kind::Summary, "summary"),
    (Kind::Derived, "derived"),
    (Kind::Scored, "scored"),
    (Kind::Best, "best"),
    (Kind::Costs, "costs"),
    (Kind::InstancePrices, "instance_prices"),
    (Kind::PricingYml, "pricing_yml"),
    (Kind::Config, "config"),
];

fn kind_of(file_name: &str, extension: &str, head: &str) -> Option<Kind> {
    let first_line = head.lines().next().unwrap_or("");
    match extension {
        "md" => head
            .trim_start()
            .starts_with("# Results for performance benchmarking")
            .then_some(Kind::Report),
        "csv" => {
            let by_name = match file_name {
                PER_REQUEST_CSV => Some(Kind::PerRequestCsv),
                SUMMARY_CSV => Some(Kind::Summary),
                ALL_METRICS_CSV => Some(Kind::AllMetrics),
                SCORED_CSV => Some(Kind::Scored),
                BEST_CSV | BEST_EACH_CSV => Some(Kind::Best),
                COSTS_CSV => Some(Kind::Costs),
                PRICES_CSV => Some(Kind::InstancePrices),
                "error_rates.csv" | "experiment_counts.csv" | "summary_metrics_w_pricing.csv" => {
                    Some(Kind::Derived)
                }
                _ => None,
            };
            let cols: Vec<&str> = first_line.trim_end_matches('\r').split(',').collect();
            let has = |c: &str| cols.contains(&c);
            if head.trim().is_empty() {
                // Zero-byte scored tables are an FMBench quirk (§5); only the name identifies them.
                return by_name.filter(|k| matches!(k, Kind::Scored | Kind::Best));
            }
            let fmbench_header = (has("experiment_name")
                && has("concurrency")
                && (has("payload_file") || has("latency")))
                || (has("experiment_name") && has("duration_in_seconds") && has("cost"))
                || first_line.trim_end() == "instance_type,price_per_hour";
            if !fmbench_header {
                return None;
            }
            by_name.or_else(|| {
                Some(if has("completion") && has("latency") {
                    Kind::PerRequestCsv
                } else if has("transactions") && has("successes") {
                    Kind::AllMetrics
                } else if has("score") {
                    Kind::Scored
                } else if has("duration_in_seconds") {
                    Kind::Costs
                } else if has("price_per_hour") && !has("experiment_name") {
                    Kind::InstancePrices
                } else if has("transactions_per_minute") {
                    Kind::Summary
                } else {
                    Kind::Derived
                })
            })
        }
        "json" => {
            let t = head;
            let is_fm = t.contains("\"experiment_name\"") && t.contains("\"concurrency\"");
            if !is_fm {
                None
            } else if t.contains("\"transactions_per_minute\"") && t.contains("\"successes\"") {
                Some(Kind::PerChunkJson)
            } else if t.contains("\"completion\"") && t.contains("\"latency\"") {
                Some(Kind::PerInferenceJson)
            } else {
                None
            }
        }
        "yml" | "yaml" => {
            let top = |k: &str| head.lines().any(|l| l.starts_with(k));
            if top("pricing:")
                && (head.contains("instance_based:") || head.contains("token_based:"))
                && !top("experiments:")
            {
                Some(Kind::PricingYml)
            } else if top("experiments:")
                && head.contains("concurrency_levels:")
                && head.contains("payload_files:")
            {
                Some(Kind::Config)
            } else {
                None
            }
        }
        _ => None,
    }
}

impl Parser for Fmbench {
    fn name(&self) -> &'static str {
        "fmbench"
    }

    fn describe(&self) -> &'static str {
        "FMBench result CSVs, per-request JSON, configs and pricing.yml"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        match kind_of(probe.file_name, &probe.extension, &probe.text()) {
            Some(kind) => Sniff::certain(format!("FMBench {kind:?} file (name and header/keys)"))
                .of_kind(&KINDS, kind),
            None => Sniff::no("no FMBench header, keys or title"),
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let kind = source.sniff.kind(&KINDS).ok_or_else(|| {
            IngestError::invalid(
                Location::file(source.path),
                "not an FMBench file: no FMBench header, keys or title",
            )
        })?;
        let folder = Folder::load(source, "");
        match kind {
            Kind::Report => Ok(Parsed {
                not_input: Some(REPORT_REASON.into()),
                ..Parsed::default()
            }),
            Kind::PerRequestCsv => {
                let t = FmbenchCsv::read(source.bytes, source.path)?;
                let records = csv_records(&t);
                let runs = runs_from_requests(&records, &folder)?;
                let notes = vec![format!(
                    "{} request row(s) in {} run(s)",
                    records.len(),
                    runs.len()
                )];
                Ok(Parsed {
                    runs,
                    notes,
                    ..Parsed::default()
                })
            }
            Kind::PerInferenceJson => parse_per_inference(source),
            Kind::PerChunkJson => {
                let v = super::json::parse(source.bytes, source.path)?;
                let _ = chunk_from_json(&v, source.path)?;
                Ok(zero_runs("one chunk record (per_chunk)", &folder))
            }
            Kind::AllMetrics => {
                let t = FmbenchCsv::read(source.bytes, source.path)?;
                let chunks = t.chunk_rows()?;
                let summary = rules::summarize_chunks(&chunks);
                if folder.run_source() == Some(Kind::AllMetrics) {
                    let mut parsed = Parsed {
                        runs: runs_from_summary(
                            &summary,
                            &folder,
                            "recomputed from all_metrics.csv",
                        ),
                        ..Parsed::default()
                    };
                    parsed.notes.push(format!(
                        "{} chunk row(s) → {} summary row(s) by FMBench's §4.3 rules",
                        chunks.len(),
                        summary.len()
                    ));
                    return Ok(parsed);
                }
                let mut parsed = zero_runs(&format!("{} chunk row(s)", chunks.len()), &folder);
                if let Some(printed) = &folder.summary {
                    let (matched, total) = cross_check(&summary, printed);
                    parsed.notes.push(format!(
                        "summary recomputed from the chunk rows matches {matched}/{total} row(s) of {SUMMARY_CSV}"
                    ));
                }
                Ok(parsed)
            }
            Kind::Summary => {
                let t = FmbenchCsv::read(source.bytes, source.path)?;
                let rows = t.summary_rows()?;
                if folder.run_source() == Some(Kind::Summary) {
                    Ok(Parsed {
                        runs: runs_from_summary(&rows, &folder, SUMMARY_CSV),
                        ..Parsed::default()
                    })
                } else {
                    Ok(zero_runs(
                        &format!("{} summary row(s)", rows.len()),
                        &folder,
                    ))
                }
            }
            Kind::Derived => {
                let t = FmbenchCsv::read(source.bytes, source.path)?;
                let rows = t.summary_rows()?;
                Ok(zero_runs(
                    &format!("{} row(s) derived from the summary", rows.len()),
                    &folder,
                ))
            }
            Kind::Scored | Kind::Best => {
                if source.bytes.iter().all(u8::is_ascii_whitespace) {
                    let mut p = zero_runs("empty file", &folder);
                    p.notes.push("zero-byte scored table: FMBench wrote the scored rows to a local path and uploaded an empty buffer under this name; the scored rows are in summary_metrics_for_dataset_best_option*.csv".into());
                    return Ok(p);
                }
                let t = FmbenchCsv::read(source.bytes, source.path)?;
                let rows = t.summary_rows()?;
                if kind == Kind::Scored && folder.run_source() == Some(Kind::Scored) {
                    return Ok(Parsed {
                        runs: runs_from_summary(&rows, &folder, SCORED_CSV),
                        ..Parsed::default()
                    });
                }
                let mut p = zero_runs(&format!("{} scored row(s)", rows.len()), &folder);
                let (ok, checked) = check_scores(&rows, &folder);
                if checked > 0 {
                    p.notes.push(format!("price_per_txn and score recomputed by FMBench's rules: {ok}/{checked} row(s) equal"));
                }
                Ok(p)
            }
            Kind::Costs => {
                let t = FmbenchCsv::read(source.bytes, source.path)?;
                for (line, row) in &t.rows {
                    t.req_text(*line, row, "experiment_name")?;
                    t.f64(*line, row, "duration_in_seconds")?;
                    t.f64(*line, row, "cost")?;
                }
                Ok(zero_runs(
                    &format!("{} experiment cost row(s)", t.rows.len()),
                    &folder,
                ))
            }
            Kind::InstancePrices => {
                let t = FmbenchCsv::read(source.bytes, source.path)?;
                let (prices, token_prices) = instance_prices(&t, source.rel)?;
                Ok(Parsed {
                    prices,
                    token_prices,
                    ..Parsed::default()
                })
            }
            Kind::PricingYml => {
                let text = utf8(source)?;
                let (prices, token_prices) = yaml::read_pricing(text, source.path, source.rel)?;
                Ok(Parsed {
                    prices,
                    token_prices,
                    ..Parsed::default()
                })
            }
            Kind::Config => {
                let text = utf8(source)?;
                let cfg = yaml::read_config(text, source.path, source.rel)?;
                let mut p = zero_runs("configuration", &folder);
                if let Some(b) = cfg.budgets {
                    p.notes.push(format!(
                        "report budgets: latency {} s (latitude {}), cost {} USD per 10k transactions, error rate {}",
                        b.latency_budget_s, b.latency_latitude, b.cost_per_10k_txn_budget_usd, b.error_rate_budget
                    ));
                }
                if folder.has(PRICES_CSV) && !(cfg.prices.is_empty() && cfg.token_prices.is_empty())
                {
                    p.notes.push(format!(
                        "inline prices not repeated: {PRICES_CSV} beside it carries them"
                    ));
                } else {
                    p.prices = cfg.prices;
                    p.token_prices = cfg.token_prices;
                }
                Ok(p)
            }
        }
    }
}

fn utf8<'a>(source: &Source<'a>) -> Result<&'a str, IngestError> {
    std::str::from_utf8(source.bytes).map_err(|e| {
        IngestError::syntax(Location::file(source.path), format!("not UTF-8 text ({e})"))
    })
}

fn zero_runs(what: &str, folder: &Folder) -> Parsed {
    let holder = match folder.run_source() {
        Some(Kind::PerRequestCsv) => PER_REQUEST_CSV.to_string(),
        Some(Kind::PerInferenceJson) => "per_inference/*.json".to_string(),
        Some(Kind::Summary) => SUMMARY_CSV.to_string(),
        Some(Kind::AllMetrics) => ALL_METRICS_CSV.to_string(),
        Some(Kind::Scored) => SCORED_CSV.to_string(),
        _ => "no file of this folder (no per-request, summary, chunk or scored table)".to_string(),
    };
    Parsed {
        notes: vec![format!("{what}; 0 runs: the runs are read from {holder}")],
        ..Parsed::default()
    }
}
