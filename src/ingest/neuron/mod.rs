//! AWS Neuron performance CSVs (inf2 / trn1) and their `*_instance_prices.csv` price tables.
//!
//! Upstream: the hand-maintained benchmark tables of the aws-neuron/aws-neuron-sdk
//! documentation repository (`general/benchmarks/{inf2,trn1}/` until 2025-10-17,
//! `about-neuron/benchmarks/{inf2,trn1}/` after), as described in `formats/neuron.md`
//! (states 2023-09-21 `5b489f8f`, 2024-07-24 `31420c81`, 2026-04-09 `539a73c5`). No benchmark
//! tool signs these files; every family is recognised by its header row:
//!
//! | family | throughput column → reported metric |
//! | --- | --- |
//! | language / encoder (inf2, trn1) | `Throughput (inference/second)` or `(inference/sec)` → `request_throughput_rps` |
//! | vision (+ `_cnn`, `_transformers`, `_sd`, `_dit`) | `Throughput (inference/sec)` + `Image Size` → `request_throughput_rps` (images) |
//! | LLM 2023, encoder-decoder 2024+ | `Throughput (tokens/second)` (input + output) → `total_token_throughput_tps` |
//! | decoder 2024+ | `Output Token Throughput (tokens/sec)` → `output_token_throughput_tps` |
//! | training (`trn1_trn1n_nlp_data`, `training_data_*`, `cv_data`) | ` Performance [seq/sec]` → `neuron.performance_seq_per_s` |
//! | prices (`*_instance_prices.csv`) | `Inst. Type` + `On-Demand hourly rate` / `RI-Effective hourly rate` → [`PriceRow`]s |
//!
//! Each data row becomes one run; a price file becomes price rows that ingest scopes to the
//! runs of its own folder. The page's cost cell is reproduced in the tests (`page_cost_usd`,
//! `page_cost_cell`) through `pricing::cost_per_1m_usd` and `format::money`.
//!
//! What this file must not do: compute summary metrics (the rows are results only, there is no
//! per-request data), change an instance type's spelling (`Inf2.xlarge` stays as written; aliases
//! are the user's job), read the price as a float, or repeat pandas' silent acceptance of a
//! row whose field count differs from the header's.

mod inference;
mod prices;
mod table;
#[cfg(test)]
mod tests;
mod training;

use super::csv_columns::Header;
use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::PriceRow;

use crate::metric::{Metric, MetricKey};
use inference::parse_inference;
use prices::parse_prices;
use table::read_table;
use training::parse_training;

/// The `neuron` parser.
pub struct Neuron;

impl Parser for Neuron {
    fn name(&self) -> &'static str {
        "neuron"
    }

    fn describe(&self) -> &'static str {
        "AWS Neuron performance CSVs (inf2/trn1 docs tables) and instance price CSVs"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        if probe.extension != "csv" {
            return Sniff::no("not a .csv file");
        }
        let Some(header) = first_record(probe.head) else {
            return Sniff::no("no readable CSV header row");
        };
        match classify(&header) {
            Some(Kind::Price { rate_column, .. }) => {
                Sniff::certain(format!("header is `Inst. Type,{rate_column}` (Neuron price table)"))
            }
            Some(Kind::Inference(tput)) => {
                Sniff::certain(format!("has `Inst. Type`, `Neuron Version` and `{}`", tput.column()))
            }
            Some(Kind::Training) => {
                Sniff::certain("has `Performance [seq/sec]` and a Neuron version/tutorial column (Neuron training table)")
            }
            None if header.has(INST_TYPE) && header.has("Neuron Version") => {
                Sniff::plausible("has `Inst. Type` and `Neuron Version` but no known throughput column")
            }
            None => Sniff::no("no Neuron benchmark or price header"),
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let table = read_table(source)?;
        match classify(&table.headers) {
            Some(Kind::Price { rate_column, pricing_model }) => parse_prices(source, &table, rate_column, pricing_model),
            Some(Kind::Inference(tput)) => parse_inference(source, &table, tput),
            Some(Kind::Training) => parse_training(source, &table),
            None => Err(IngestError::invalid(
                Location::line(source.path, 1, None),
                format!(
                    "expected a Neuron header (`Inst. Type` with a throughput column, `Performance [seq/sec]`, or `Inst. Type` with an hourly rate), found {}",
                    table.headers.names().join(",")
                ),
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Header classification (shared by sniff and parse).
// ---------------------------------------------------------------------------------------------

/// The join key column of data and price files.
const INST_TYPE: &str = "Inst. Type";
/// Label naming the reported metric the page's cost divides by.
const LABEL_COST_METRIC: &str = "neuron.cost_metric";

/// Price columns and the pricing model each one means (the name changed on 2024-09-16).
const RATE_COLUMNS: [(&str, &str); 2] = [
    ("On-Demand hourly rate", "on_demand"),
    ("RI-Effective hourly rate", "ri_effective"),
];

/// What a file is, by its header.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `Inst. Type` + one hourly rate column.
    Price {
        rate_column: &'static str,
        pricing_model: &'static str,
    },
    /// A priced inference table with this throughput column.
    Inference(Throughput),
    /// A training table (shown verbatim on the page, never priced).
    Training,
}

/// The throughput column of an inference table, which fixes the metric and the cost unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Throughput {
    /// `Throughput (inference/second)` (inf2 language/encoder).
    InferencesPerSecond,
    /// `Throughput (inference/sec)` (trn1 encoder, vision).
    InferencesPerSec,
    /// `Throughput (tokens/second)`: input and output tokens (LLM 2023, encoder-decoder).
    TotalTokens,
    /// `Output Token Throughput (tokens/sec)`: generated tokens (decoder).
    OutputTokens,
}

impl Throughput {
    const ALL: [Throughput; 4] = [
        Throughput::InferencesPerSecond,
        Throughput::InferencesPerSec,
        Throughput::TotalTokens,
        Throughput::OutputTokens,
    ];

    fn column(self) -> &'static str {
        match self {
            Throughput::InferencesPerSecond => "Throughput (inference/second)",
            Throughput::InferencesPerSec => "Throughput (inference/sec)",
            Throughput::TotalTokens => "Throughput (tokens/second)",
            Throughput::OutputTokens => "Output Token Throughput (tokens/sec)",
        }
    }

    /// The bench-report run metric the column is reported as.
    fn metric(self) -> MetricKey {
        match self {
            Throughput::InferencesPerSecond | Throughput::InferencesPerSec => {
                Metric::RequestThroughputRps
            }
            Throughput::TotalTokens => Metric::TotalTokenThroughputTps,
            Throughput::OutputTokens => Metric::OutputTokenThroughputTps,
        }
        .run_value()
    }
}

/// Header names compared trimmed: training files write ` Optimizer`, ` OS Type.`.
fn classify(headers: &Header) -> Option<Kind> {
    if headers.len() == 2 && headers.has(INST_TYPE) {
        for (rate_column, pricing_model) in RATE_COLUMNS {
            if headers.has(rate_column) {
                return Some(Kind::Price {
                    rate_column,
                    pricing_model,
                });
            }
        }
    }
    if headers.has(INST_TYPE) && headers.has("Model") {
        if let Some(t) = Throughput::ALL
            .into_iter()
            .find(|t| headers.has(t.column()))
        {
            return Some(Kind::Inference(t));
        }
    }
    if headers.has("Model")
        && headers.has("Performance [seq/sec]")
        && (headers.has("Neuron Version") || headers.has("Neuron Tutorial/Example"))
    {
        return Some(Kind::Training);
    }
    None
}

/// The first CSV record of a probe head, trimmed of a UTF-8 BOM (cheap: one record only).
fn first_record(head: &[u8]) -> Option<Header> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let rec = rdr.records().next()?.ok()?;
    Some(Header::new(rec.iter()))
}
