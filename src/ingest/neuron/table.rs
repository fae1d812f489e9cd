//! Reading a Neuron CSV: its quirks taken here, once, and the names the file carries
//! (page tab and snapshot family).

use std::str::FromStr;

use crate::error::{IngestError, Location};
use crate::ingest::csv_columns::{line_at, Header};
use crate::ingest::{Parsed, Source};
use crate::model::{ParsedRun, Run};

/// A CSV file as read: header names as written and the data rows with their 1-based line.
pub(super) struct NeuronCsv {
    /// Header names as written (a leading space kept; looked up trimmed).
    pub(super) headers: Header,
    /// Data rows: line number where the row starts, and its cells.
    pub(super) rows: Vec<(u64, csv::StringRecord)>,
    /// Blank lines skipped (pandas skips them too).
    pub(super) blank_lines: usize,
}

impl NeuronCsv {
    /// Index of a column by its trimmed name.
    pub(super) fn index(&self, name: &str) -> Option<usize> {
        self.headers.find(name)
    }

    /// The data row `rec` starting on `line`, for typed cell reads.
    pub(super) fn row<'a>(
        &'a self,
        path: &'a std::path::Path,
        line: u64,
        rec: &'a csv::StringRecord,
    ) -> Row<'a> {
        Row {
            path,
            line,
            headers: &self.headers,
            rec,
        }
    }

    /// What every data table ends with: its runs, the `summary` note, a note on skipped blank
    /// lines, and one when the file has a header only.
    pub(super) fn finish(&self, runs: Vec<ParsedRun>, summary: String) -> Parsed {
        let mut notes = vec![summary];
        if self.blank_lines > 0 {
            notes.push(format!(
                "{} blank line(s) skipped (pandas skips them too)",
                self.blank_lines
            ));
        }
        if runs.is_empty() {
            notes.push("header only: no data rows, no runs".into());
        }
        Parsed {
            runs,
            notes,
            ..Parsed::default()
        }
    }
}

/// Every data row names its model: a row without one is an error at its line.
pub(super) fn require_model(
    run: &Run,
    path: &std::path::Path,
    line: u64,
) -> Result<(), IngestError> {
    if run.model.is_none() {
        return Err(IngestError::missing(
            Location::line(path, line, Some("Model")),
            "Model",
        ));
    }
    Ok(())
}

/// A label from a cell, when the cell and the key are not empty.
pub(super) fn label(run: &mut Run, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        if !key.is_empty() {
            run.labels.insert(key.to_string(), v.to_string());
        }
    }
}

/// Read every record with the `csv` crate: CRLF or LF, a missing final newline, quoted cells
/// (`"FP32, BF16"`, `"""FP32, BF16"""` → the text with its quote marks) are the crate's
/// business. Empty lines are skipped by the crate; a line of only whitespace is skipped here.
/// A row whose field count differs from the header's is an error naming its line, where
/// pandas would shift the cells silently (2024-12-20 trn1 latency encoder file).
pub(super) fn read_table(source: &Source<'_>) -> Result<NeuronCsv, IngestError> {
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
    let headers = Header::new(header.iter());
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
    Ok(NeuronCsv {
        headers,
        rows,
        blank_lines: count_blank_lines(source.bytes),
    })
}

/// Lines after the header holding nothing but whitespace (`\r` included), for the file note;
/// the final line end does not count as a blank line.
pub(super) fn count_blank_lines(bytes: &[u8]) -> usize {
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
pub(super) struct Row<'a> {
    pub(super) path: &'a std::path::Path,
    pub(super) line: u64,
    pub(super) headers: &'a Header,
    pub(super) rec: &'a csv::StringRecord,
}

impl Row<'_> {
    /// The cell under column `i`, trimmed; `None` when empty.
    pub(super) fn cell(&self, i: usize) -> Option<&str> {
        self.rec.get(i).map(str::trim).filter(|s| !s.is_empty())
    }

    pub(super) fn loc(&self, i: usize) -> Location {
        Location::line(self.path, self.line, self.headers.name(i))
    }

    /// A number cell: empty or the bare word `None` is missing (pandas 2.x reads `None` as
    /// missing); anything else must parse.
    pub(super) fn number(&self, i: usize) -> Result<Option<f64>, IngestError> {
        match self.cell(i) {
            None | Some("None") => Ok(None),
            Some(text) => self
                .headers
                .cell(self.path, self.line, i, text)
                .parse("a number", |t| {
                    t.parse::<f64>().ok().filter(|v| v.is_finite())
                })
                .map(Some),
        }
    }

    /// A whole-number cell (batch size, degrees, lengths).
    pub(super) fn integer<T: FromStr>(&self, i: usize) -> Result<Option<T>, IngestError> {
        match self.cell(i) {
            None | Some("None") => Ok(None),
            Some(text) => self
                .headers
                .cell(self.path, self.line, i, text)
                .whole()
                .map(Some),
        }
    }
}

/// A label key from a column name: lower case, runs of other characters as `_`
/// (`Compilation Autocast Data Type` → `compilation_autocast_data_type`, `MFU[%]` → `mfu`).
pub(super) fn slug(name: &str) -> String {
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
pub(super) fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Which page tab a table belongs to, from its file name (`throughput_*` / `latency_*`).
pub(super) fn table_tab(rel: &str) -> Option<&'static str> {
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
pub(super) fn family(rel: &str, fallback: &str) -> String {
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
