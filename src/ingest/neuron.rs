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
//! runs of its own folder. The page's cost cell is reproduced by [`page_cost_usd`] and
//! [`page_cost_cell`] through `pricing::cost_per_1m_usd` and `format::money`.
//!
//! What this file must not do: compute summary metrics (the rows are results only, there is no
//! per-request data), change an instance type's spelling (`Inf2.xlarge` stays as written; aliases
//! are the user's job), read the price as a float, or repeat pandas' silent acceptance of a
//! row whose field count differs from the header's.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::PriceRow;
use crate::model::{ParsedRun, Reported, Run};

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
            None if has(&header, INST_TYPE) && has(&header, "Neuron Version") => {
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
                    table.headers.join(",")
                ),
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Page helpers: the cost cell of the Neuron page, from a run this parser produced and a price.
// ---------------------------------------------------------------------------------------------

/// The throughput the Neuron page divides the hourly rate by, for a run this parser produced
/// (the reported metric named by the run's `neuron.cost_metric` label). `None` for training
/// runs and rows without a throughput.
#[must_use]
pub fn page_throughput(run: &Run) -> Option<f64> {
    let key = run.labels.get(LABEL_COST_METRIC)?;
    run.reported.get(key).map(|r| r.value)
}

/// The page's cost per 1M units (sequences, images, input+output tokens or generated tokens,
/// as the run's `neuron.cost_unit` label says) for a run at a price row, in USD, unrounded.
/// The formula is `pricing::cost_per_1m_usd`, the page's `1e6 / throughput × rate / 3600`.
/// Only the tests call it: pricing is a stage above ingest, which never calls it.
#[cfg(test)]
#[must_use]
pub fn page_cost_usd(run: &Run, price: &PriceRow) -> Option<Decimal> {
    crate::pricing::cost_per_1m_usd(price.price_per_hour_usd, page_throughput(run)?)
}

/// The page's cost cell text: `'${:,.3f}'` (`$0.013`, `$54.180`, `$5,884.110`), rounded half
/// to even (no corpus value sits on a tie, so half-up would print the same).
#[cfg(test)]
#[must_use]
pub fn page_cost_cell(cost: Decimal) -> String {
    crate::format::money(cost, 3)
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
    fn metric(self) -> &'static str {
        match self {
            Throughput::InferencesPerSecond | Throughput::InferencesPerSec => {
                "request_throughput_rps"
            }
            Throughput::TotalTokens => "total_token_throughput_tps",
            Throughput::OutputTokens => "output_token_throughput_tps",
        }
    }
}

/// Header names compared trimmed: training files write ` Optimizer`, ` OS Type.`.
fn has(headers: &[String], name: &str) -> bool {
    headers.iter().any(|h| h.trim() == name)
}

fn classify(headers: &[String]) -> Option<Kind> {
    if headers.len() == 2 && has(headers, INST_TYPE) {
        for (rate_column, pricing_model) in RATE_COLUMNS {
            if has(headers, rate_column) {
                return Some(Kind::Price {
                    rate_column,
                    pricing_model,
                });
            }
        }
    }
    if has(headers, INST_TYPE) && has(headers, "Model") {
        if let Some(t) = Throughput::ALL
            .into_iter()
            .find(|t| has(headers, t.column()))
        {
            return Some(Kind::Inference(t));
        }
    }
    if has(headers, "Model")
        && has(headers, "Performance [seq/sec]")
        && (has(headers, "Neuron Version") || has(headers, "Neuron Tutorial/Example"))
    {
        return Some(Kind::Training);
    }
    None
}

/// The first CSV record of a probe head, trimmed of a UTF-8 BOM (cheap: one record only).
fn first_record(head: &[u8]) -> Option<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let rec = rdr.records().next()?.ok()?;
    Some(
        rec.iter()
            .enumerate()
            .map(|(i, h)| {
                if i == 0 {
                    h.trim_start_matches('\u{feff}').to_string()
                } else {
                    h.to_string()
                }
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// Reading the CSV: quirks taken here, once.
// ---------------------------------------------------------------------------------------------

/// A CSV file as read: header names as written and the data rows with their 1-based line.
struct Table {
    /// Header names as written (a leading space kept; compare with `trim`).
    headers: Vec<String>,
    /// Data rows: line number where the row starts, and its cells.
    rows: Vec<(u64, csv::StringRecord)>,
    /// Blank lines skipped (pandas skips them too).
    blank_lines: usize,
}

impl Table {
    /// Index of a column by its trimmed name.
    fn index(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.trim() == name)
    }
}

/// Read every record with the `csv` crate: CRLF or LF, a missing final newline, quoted cells
/// (`"FP32, BF16"`, `"""FP32, BF16"""` → the text with its quote marks) are the crate's
/// business. Empty lines are skipped by the crate; a line of only whitespace is skipped here.
/// A row whose field count differs from the header's is an error naming its line, where
/// pandas would shift the cells silently (2024-12-20 trn1 latency encoder file).
fn read_table(source: &Source<'_>) -> Result<Table, IngestError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source.bytes);
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| line_at(source.bytes, p.byte()));
        IngestError::syntax(
            Location::line(source.path, line, None),
            format!("not readable as CSV: {e}"),
        )
    };
    let mut records = rdr.records();
    let header = match records.next() {
        Some(rec) => rec.map_err(csv_error)?,
        None => {
            return Err(IngestError::invalid(
                Location::file(source.path),
                "expected a CSV header row, found an empty file",
            ))
        }
    };
    let headers: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                h.trim_start_matches('\u{feff}').to_string()
            } else {
                h.to_string()
            }
        })
        .collect();
    let mut rows = Vec::new();
    for rec in records {
        let rec = rec.map_err(csv_error)?;
        let line = rec
            .position()
            .map_or(0, |p| line_at(source.bytes, p.byte()));
        if rec.len() <= 1 && rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != headers.len() {
            return Err(IngestError::invalid(
                Location::line(source.path, line, None),
                format!(
                    "expected {} fields as in the header, found {} (a missing or extra cell would shift the row's values into the wrong columns)",
                    headers.len(),
                    rec.len()
                ),
            ));
        }
        rows.push((line, rec));
    }
    Ok(Table {
        headers,
        rows,
        blank_lines: count_blank_lines(source.bytes),
    })
}

/// The 1-based line of the record starting at `byte`. The csv crate's own line number is one
/// short in CRLF files (the record before ends at `\r`, its `\n` is counted with the next
/// record) and points at skipped blank lines, so the line is counted here from the first byte
/// of the record: past any CR/LF at `byte`.
fn line_at(bytes: &[u8], byte: u64) -> u64 {
    let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    #[expect(
        clippy::naive_bytecount,
        reason = "small files; no bytecount dependency for this"
    )]
    let newlines = bytes
        .get(..start)
        .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
    u64::try_from(newlines).map_or(u64::MAX, |n| n + 1)
}

/// Lines after the header holding nothing but whitespace (`\r` included), for the file note;
/// the final line end does not count as a blank line.
fn count_blank_lines(bytes: &[u8]) -> usize {
    let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
        .iter()
        .skip(1)
        .filter(|l| l.iter().all(u8::is_ascii_whitespace))
        .count()
}

/// One row's cells with the file and line for errors.
struct Row<'a> {
    path: &'a std::path::Path,
    line: u64,
    headers: &'a [String],
    rec: &'a csv::StringRecord,
}

impl Row<'_> {
    /// The cell under column `i`, trimmed; `None` when empty.
    fn cell(&self, i: usize) -> Option<&str> {
        self.rec.get(i).map(str::trim).filter(|s| !s.is_empty())
    }

    fn loc(&self, i: usize) -> Location {
        let column = self.headers.get(i).map(|h| h.trim());
        Location::line(self.path, self.line, column)
    }

    /// A number cell: empty or the bare word `None` is missing (pandas 2.x reads `None` as
    /// missing); anything else must parse.
    fn number(&self, i: usize) -> Result<Option<f64>, IngestError> {
        match self.cell(i) {
            None | Some("None") => Ok(None),
            Some(text) => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(IngestError::wrong_type(
                    self.loc(i),
                    "a number",
                    format!("{text:?}"),
                )),
            },
        }
    }

    /// A whole-number cell (batch size, degrees, lengths).
    fn integer<T: FromStr>(&self, i: usize) -> Result<Option<T>, IngestError> {
        match self.cell(i) {
            None | Some("None") => Ok(None),
            Some(text) => text.parse::<T>().map(Some).map_err(|_| {
                IngestError::wrong_type(self.loc(i), "a whole number", format!("{text:?}"))
            }),
        }
    }
}

/// A label key from a column name: lower case, runs of other characters as `_`
/// (`Compilation Autocast Data Type` → `compilation_autocast_data_type`, `MFU[%]` → `mfu`).
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// The file name without folders.
fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Which page tab a table belongs to, from its file name (`throughput_*` / `latency_*`).
fn table_tab(rel: &str) -> Option<&'static str> {
    let name = file_name(rel).trim_start_matches("trn1_");
    if name.starts_with("throughput") {
        Some("throughput")
    } else if name.starts_with("latency") {
        Some("latency")
    } else {
        None
    }
}

/// The snapshot family from the file name (`throughput_data_vision_sd.csv` → `vision_sd`,
/// `trn1_latency_data_LLM.csv` → `LLM`), or `fallback` when the name carries none
/// (`trn1/throughput_data.csv` of 2023 is the language family).
fn family(rel: &str, fallback: &str) -> String {
    let stem = file_name(rel)
        .trim_end_matches(".csv")
        .trim_end_matches(".CSV");
    let rest = stem
        .trim_start_matches("trn1_")
        .trim_start_matches("trn1n_");
    let rest = ["throughput_data", "latency_data", "training_data"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .map_or(rest, |r| r.trim_start_matches('_'));
    if rest.is_empty() {
        fallback.to_string()
    } else {
        rest.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Price tables.
// ---------------------------------------------------------------------------------------------

fn parse_prices(
    source: &Source<'_>,
    table: &Table,
    rate_column: &'static str,
    pricing_model: &'static str,
) -> Result<Parsed, IngestError> {
    let (Some(key_i), Some(rate_i)) = (table.index(INST_TYPE), table.index(rate_column)) else {
        return Err(IngestError::missing(
            Location::line(source.path, 1, None),
            INST_TYPE,
        ));
    };
    let mut prices: Vec<PriceRow> = Vec::new();
    for (line, rec) in &table.rows {
        let row = Row {
            path: source.path,
            line: *line,
            headers: &table.headers,
            rec,
        };
        let Some(instance) = row.cell(key_i) else {
            return Err(IngestError::missing(row.loc(key_i), INST_TYPE));
        };
        let Some(text) = row.cell(rate_i) else {
            return Err(IngestError::missing(row.loc(rate_i), rate_column));
        };
        // Money from the text, never through f64 (`21.50` stays 21.50).
        let price = Decimal::from_str(text)
            .ok()
            .filter(|p| !p.is_sign_negative())
            .ok_or_else(|| {
                IngestError::wrong_type(
                    row.loc(rate_i),
                    "a decimal hourly rate in USD",
                    format!("{text:?}"),
                )
            })?;
        if prices.iter().any(|p| p.instance_type == instance) {
            return Err(IngestError::invalid(
                row.loc(key_i),
                format!("instance type {instance:?} has a second price row; expected one row per instance type"),
            ));
        }
        prices.push(PriceRow {
            instance_type: instance.to_string(),
            region: None,
            pricing_model: pricing_model.to_string(),
            price_per_hour_usd: price,
            source: source.rel.to_string(),
            as_of: None,
        });
    }
    let mut notes = vec![format!(
        "Neuron price table: {} row(s) of `{rate_column}` (pricing model {pricing_model}, USD per instance-hour; the file names no region or date)",
        prices.len()
    )];
    if pricing_model == "ri_effective" {
        notes.push(
            "the reservation term behind \"RI-Effective\" is not stated in the file or on the page"
                .into(),
        );
    }
    Ok(Parsed {
        prices,
        notes,
        ..Parsed::default()
    })
}

// ---------------------------------------------------------------------------------------------
// Inference tables.
// ---------------------------------------------------------------------------------------------

/// What the page's cost column is per, for a throughput column (formats/neuron.md §3).
fn cost_unit(tput: Throughput, vision: bool) -> &'static str {
    match tput {
        Throughput::InferencesPerSecond | Throughput::InferencesPerSec if vision => "1M images",
        Throughput::InferencesPerSecond | Throughput::InferencesPerSec => {
            "1M inferences (sequences)"
        }
        Throughput::TotalTokens => {
            "1M tokens (input + output; the page labels it \"per 1M inferences\")"
        }
        Throughput::OutputTokens => "1M generated tokens",
    }
}

/// Definitions that differ from DESIGN §4, per throughput family.
fn inference_definitions(run: &mut Run, tput: Throughput, vision: bool) {
    let d = &mut run.definitions;
    let unit = if vision { "image" } else { "sequence" };
    match tput {
        Throughput::InferencesPerSecond | Throughput::InferencesPerSec => {
            d.insert(
                "request_throughput_rps".into(),
                format!("Neuron's inferences per second, one inference = one {unit} of a batch: a call with Batch Size N counts N, so this is {unit}s per second, not requests per second."),
            );
        }
        Throughput::TotalTokens => {
            d.insert(
                "total_token_throughput_tps".into(),
                "Neuron's Throughput (tokens/second) counts input and output tokens of the whole batch (page note), measured by Neuron at the configured lengths, not summed from requests.".into(),
            );
        }
        Throughput::OutputTokens => {
            d.insert(
                "output_token_throughput_tps".into(),
                "Neuron's Output Token Throughput: generated tokens per second of the whole batch at the configured lengths.".into(),
            );
        }
    }
}

fn parse_inference(
    source: &Source<'_>,
    table: &Table,
    tput: Throughput,
) -> Result<Parsed, IngestError> {
    let vision = table.index("Image Size").is_some();
    let family_name = family(
        source.rel,
        match tput {
            Throughput::InferencesPerSecond | Throughput::InferencesPerSec if vision => "vision",
            Throughput::InferencesPerSecond | Throughput::InferencesPerSec => "language",
            Throughput::TotalTokens => "LLM",
            Throughput::OutputTokens => "decoder",
        },
    );
    let unit = cost_unit(tput, vision);
    let mut runs = Vec::new();
    for (line, rec) in &table.rows {
        let row = Row {
            path: source.path,
            line: *line,
            headers: &table.headers,
            rec,
        };
        let mut run = Run::default();
        run.labels.insert("kind".into(), "inference".into());
        run.labels
            .insert("neuron.family".into(), family_name.clone());
        if let Some(tab) = table_tab(source.rel) {
            run.labels.insert("neuron.table".into(), tab.into());
        }
        run.labels.insert("neuron.cost_unit".into(), unit.into());
        run.labels
            .insert("neuron.cost_throughput_column".into(), tput.column().into());
        inference_definitions(&mut run, tput, vision);
        let mut sequence_length: Option<u64> = None;
        for (i, header) in table.headers.iter().enumerate() {
            inference_cell(&mut run, &row, i, header.trim(), tput, &mut sequence_length)?;
        }
        // An encoder reads one sequence of `Sequence Length` tokens and generates none; LLM
        // and decoder rows have their own Input/Output Length (and encoder-decoder rows do not
        // satisfy Sequence = Input + Output), so only encoders take it as input_len.
        if !vision
            && matches!(
                tput,
                Throughput::InferencesPerSecond | Throughput::InferencesPerSec
            )
            && run.input_len.is_none()
        {
            if let Some(len) = sequence_length {
                run.input_len = Some(len);
                run.notes.push(
                    "input_len is the encoder's `Sequence Length` (tokens per sequence)".into(),
                );
            }
        }
        if run.reported.contains_key(tput.metric()) {
            run.labels
                .insert(LABEL_COST_METRIC.into(), tput.metric().into());
        }
        run.notes.push(format!(
            "Neuron {family_name} table: the page's cost column divides the hourly rate by `{}`, so it is per {unit}",
            tput.column()
        ));
        if run.engine_version.is_some() {
            run.notes.push("engine_version is the Neuron SDK release (`Neuron Version`); the framework and its version are in `engine`".into());
        }
        run.name = Some(run_name(&run));
        if run.model.is_none() {
            return Err(IngestError::missing(
                Location::line(source.path, *line, Some("Model")),
                "Model",
            ));
        }
        if run.instance_type.is_none() {
            return Err(IngestError::missing(
                Location::line(source.path, *line, Some(INST_TYPE)),
                INST_TYPE,
            ));
        }
        runs.push(ParsedRun {
            run,
            requests: None,
        });
    }
    let mut notes = vec![format!(
        "Neuron {family_name} table, {} row(s); throughput `{}`, cost per {unit}",
        runs.len(),
        tput.column()
    )];
    if table.blank_lines > 0 {
        notes.push(format!(
            "{} blank line(s) skipped (pandas skips them too)",
            table.blank_lines
        ));
    }
    if runs.is_empty() {
        notes.push("header only: no data rows, no runs".into());
    }
    Ok(Parsed {
        runs,
        notes,
        ..Parsed::default()
    })
}

/// One cell of an inference row → run field, reported value or label.
fn inference_cell(
    run: &mut Run,
    row: &Row<'_>,
    i: usize,
    name: &str,
    tput: Throughput,
    sequence_length: &mut Option<u64>,
) -> Result<(), IngestError> {
    match name {
        "Model" => run.model = row.cell(i).map(str::to_string),
        // Exactly as written: `Inf2.xlarge` is not `inf2.xlarge`; aliases are the user's.
        INST_TYPE => run.instance_type = row.cell(i).map(str::to_string),
        "Framework" => {
            run.engine = row.cell(i).map(str::to_string);
            label(run, "framework", row.cell(i));
        }
        "Task" => {
            run.dataset = row.cell(i).map(str::to_string);
            label(run, "task", row.cell(i));
        }
        "Neuron Version" => {
            run.engine_version = row.cell(i).map(str::to_string);
            label(run, "neuron_version", row.cell(i));
        }
        "Batch Size" => run.batch_size = row.integer(i)?,
        "TP Degree" => run.tp = row.integer(i)?,
        "DP Degree" => run.dp = row.integer(i)?,
        "Input Length" => run.input_len = row.integer(i)?,
        "Output Length" => run.output_len = row.integer(i)?,
        "Sequence Length" => {
            *sequence_length = row.integer(i)?;
            label(run, "sequence_length", row.cell(i));
        }
        _ if name == tput.column() => match row.number(i)? {
            // The f64 of the CSV text: its shortest round-trip text is that text, so
            // pricing's Decimal equals the page's input exactly.
            Some(v) => run.report(tput.metric(), Reported::new(v, name)),
            None => run.notes.push(format!(
                "`{name}` is empty: the page's cost for this row would be $nan"
            )),
        },
        "Latency P50 (ms)" => report_latency(run, row, i, "e2e_ms", "p50")?,
        "Latency P99 (ms)" => report_latency(run, row, i, "e2e_ms", "p99")?,
        "TTFT Latency P50 (ms)" => report_latency(run, row, i, "ttft_ms", "p50")?,
        "TTFT Latency P99 (ms)" => report_latency(run, row, i, "ttft_ms", "p99")?,
        "TPOT Latency P50 (ms)" => report_latency(run, row, i, "tpot_ms", "p50")?,
        "TPOT Latency P99 (ms)" => report_latency(run, row, i, "tpot_ms", "p99")?,
        "Latency per Token P50 (ms)" => {
            report_latency(run, row, i, "neuron.latency_per_token_ms", "p50")?
        }
        "Latency per Token P99 (ms)" => {
            report_latency(run, row, i, "neuron.latency_per_token_ms", "p99")?
        }
        _ => {
            if name == "Compilation Autocast Data Type" && row.cell(i) == Some("None") {
                run.notes.push(
                    "`Compilation Autocast Data Type` is the word None (no autocast): kept as text, as the pandas 1.3.1 pages show it; pandas 2.x pages show an empty cell".into(),
                );
            }
            label(run, &slug(name), row.cell(i));
        }
    }
    Ok(())
}

/// Record one latency percentile (ms, as the file has it). p50 is also the median, kept under
/// both keys so the median column and a `*.p50` budget both find it.
fn report_latency(
    run: &mut Run,
    row: &Row<'_>,
    i: usize,
    metric: &str,
    stat: &str,
) -> Result<(), IngestError> {
    let Some(v) = row.number(i)? else {
        return Ok(());
    };
    let label = row.headers.get(i).map_or("", |h| h.trim()).to_string();
    let method =
        "Neuron records neither the percentile method nor how many calls it was taken over";
    run.report(
        format!("{metric}.{stat}"),
        Reported::with_method(v, label.clone(), method),
    );
    if stat == "p50" && !metric.starts_with("neuron.") {
        run.report(
            format!("{metric}.median"),
            Reported::with_method(v, label, method),
        );
    }
    let definition = match metric {
        "e2e_ms" => Some("Neuron's Latency P50/P99 is the time of one batched inference call of one worker (Batch Size sequences or images at once), not a request's send-to-last-token time."),
        "ttft_ms" => Some("Neuron's TTFT Latency: time to the first token of a batched call of Batch Size sequences; the page defines it no further."),
        "tpot_ms" => Some("Neuron's TPOT Latency: time per output token of a batched call of Batch Size sequences; the page defines it no further (not necessarily (e2e − ttft)/(output − 1) per request)."),
        "neuron.latency_per_token_ms" => Some("Neuron's Latency per Token counts input and output tokens both (page note): it is neither tpot_ms nor itl_ms."),
        _ => None,
    };
    if let Some(text) = definition {
        run.definitions
            .entry(metric.to_string())
            .or_insert_with(|| text.to_string());
    }
    Ok(())
}

fn label(run: &mut Run, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        if !key.is_empty() {
            run.labels.insert(key.to_string(), v.to_string());
        }
    }
}

/// `opt-13b, Inf2.48xlarge, TP 8, batch 256` (vision: `resnet18 224x224, …`).
fn run_name(run: &Run) -> String {
    let mut name = run.model.clone().unwrap_or_default();
    if let Some(size) = run.labels.get("image_size") {
        name.push(' ');
        name.push_str(size);
    }
    if let Some(inst) = &run.instance_type {
        name.push_str(", ");
        name.push_str(inst);
    }
    if let Some(tp) = run.tp {
        let _ = write!(name, ", TP {tp}");
    }
    if let Some(b) = run.batch_size {
        let _ = write!(name, ", batch {b}");
    }
    name
}

// ---------------------------------------------------------------------------------------------
// Training tables.
// ---------------------------------------------------------------------------------------------

fn parse_training(source: &Source<'_>, table: &Table) -> Result<Parsed, IngestError> {
    let family_name = family(source.rel, "training");
    let mut runs = Vec::new();
    for (line, rec) in &table.rows {
        let row = Row {
            path: source.path,
            line: *line,
            headers: &table.headers,
            rec,
        };
        let mut run = Run::default();
        run.labels.insert("kind".into(), "training".into());
        run.labels
            .insert("neuron.family".into(), format!("training {family_name}"));
        let mut trimmed_cells = false;
        for (i, header) in table.headers.iter().enumerate() {
            let name = header.trim();
            if rec.get(i).is_some_and(|c| c != c.trim()) {
                trimmed_cells = true;
            }
            match name {
                "Model" => run.model = row.cell(i).map(str::to_string),
                // `trn1.32xlarge/trn1n.32xlarge`: two types in one cell, kept as written, so it
                // joins no price row (the page shows no cost for training).
                "Instance-Type" => run.instance_type = row.cell(i).map(str::to_string),
                "Nodes" | "# Nodes" => {
                    run.instance_count = row.integer(i)?;
                    label(&mut run, "nodes", row.cell(i));
                }
                "Neuron Version" => {
                    run.engine_version = row.cell(i).map(str::to_string);
                    label(&mut run, "neuron_version", row.cell(i));
                }
                "Performance [seq/sec]" => {
                    if let Some(v) = row.number(i)? {
                        run.report("neuron.performance_seq_per_s", Reported::new(v, name));
                        run.definitions.insert(
                            "neuron.performance_seq_per_s".into(),
                            "Neuron's training Performance [seq/sec]: training sequences (samples) per second over all Nodes.".into(),
                        );
                    }
                }
                "Topology" => {
                    label(&mut run, "topology", row.cell(i));
                    if let Some(t) = row.cell(i) {
                        topology_degrees(&mut run, t);
                    }
                }
                "Pytorch Neuron(torch-neuronx) Version" => {
                    label(&mut run, "torch_neuronx_version", row.cell(i))
                }
                "MFU[%]" => label(&mut run, "mfu_percent", row.cell(i)),
                "OS Type." => label(&mut run, "os_type", row.cell(i)),
                _ => label(&mut run, &slug(name), row.cell(i)),
            }
        }
        if trimmed_cells {
            run.notes
                .push("cells with leading/trailing spaces (` U20`) were trimmed".into());
        }
        run.notes.push(
            "Neuron training table: shown verbatim on the page, never priced; instance_type is kept as written and instance_count is `Nodes`".into(),
        );
        run.name.clone_from(&run.model);
        if run.model.is_none() {
            return Err(IngestError::missing(
                Location::line(source.path, *line, Some("Model")),
                "Model",
            ));
        }
        runs.push(ParsedRun {
            run,
            requests: None,
        });
    }
    let mut notes = vec![format!(
        "Neuron training table ({family_name}), {} row(s); no price, no cost",
        runs.len()
    )];
    if table.blank_lines > 0 {
        notes.push(format!(
            "{} blank line(s) skipped (pandas skips them too)",
            table.blank_lines
        ));
    }
    if runs.is_empty() {
        notes.push("header only: no data rows, no runs".into());
    }
    Ok(Parsed {
        runs,
        notes,
        ..Parsed::default()
    })
}

/// `TP=8 DP=32 PP=4` → tp, dp, pp (other topology texts, `[32xNC(DP)] x 16Nodes(DP)`, stay a
/// label only).
fn topology_degrees(run: &mut Run, topology: &str) {
    let mut found: BTreeMap<&str, u32> = BTreeMap::new();
    for part in topology.split_whitespace() {
        if let Some((k, v)) = part.split_once('=') {
            if let Ok(n) = v.parse::<u32>() {
                found.insert(k, n);
            }
        }
    }
    if found.is_empty() {
        return;
    }
    run.tp = found.get("TP").copied();
    run.dp = found.get("DP").copied();
    run.pp = found.get("PP").copied();
    run.notes
        .push(format!("tp/dp/pp read from Topology {topology:?}"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::testing::{
        corpus, detect, fixture_path, parse_file, parse_fixture, sniff_file,
    };
    use crate::ingest::Confidence;
    use crate::pricing::cost_per_1m_usd;
    use rust_decimal::RoundingStrategy;
    use std::path::{Path, PathBuf};

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
        let err =
            parse_fixture(&Neuron, "neuron/bad/long_row_after_blank.csv").expect_err("long row");
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
        let err =
            parse_fixture(&Neuron, "neuron/bad/price_not_decimal.csv").expect_err("bad price");
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

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else {
                out.push(p);
            }
        }
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
            files(s, &mut all);
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
            let price_file =
                parse_file(&Neuron, &n.join(snap).join(prices), &root).expect("parses");
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
}
