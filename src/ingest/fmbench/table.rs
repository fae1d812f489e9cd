//! Whole-file CSV reading for FMBench's pandas-written tables: header-name lookup and typed
//! cells whose errors name the file, the record's line and the column.

use std::path::{Path, PathBuf};

use crate::error::{IngestError, Location};
use crate::ingest::csv_columns::{Cell, Header};

use super::rules::{ChunkRow, Measures, RowHead, SummaryRow};

/// A CSV file read whole.
pub struct FmbenchCsv {
    /// The file, for error locations.
    pub path: PathBuf,
    /// Header names.
    pub headers: Header,
    /// Records with the 1-based line each starts on.
    pub rows: Vec<(u64, Vec<String>)>,
}

impl FmbenchCsv {
    /// Read a CSV (comma, `"`-quoted, embedded newlines, rectangular).
    ///
    /// # Errors
    /// Syntax errors and ragged records, with their line.
    pub fn read(bytes: &[u8], path: &Path) -> Result<FmbenchCsv, IngestError> {
        let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
        let headers = Header::new(rdr.headers().map_err(|e| csv_error(&e, path))?.iter());
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(&e, path))?;
            let line = rec.position().map_or(0, csv::Position::line);
            rows.push((line, rec.iter().map(str::to_string).collect()));
        }
        Ok(FmbenchCsv {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// Column index by header name.
    #[must_use]
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.find(name)
    }

    /// A cell's text, `None` when the column is absent or the cell empty.
    #[must_use]
    pub fn text<'a>(&self, row: &'a [String], name: &str) -> Option<&'a str> {
        let i = self.col(name)?;
        row.get(i).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// A required text cell.
    ///
    /// # Errors
    /// `Missing` with the line and column.
    pub fn req_text(&self, line: u64, row: &[String], name: &str) -> Result<String, IngestError> {
        self.text(row, name)
            .map(str::to_string)
            .ok_or_else(|| self.at(line, name, "").missing())
    }

    /// Cell `name` of the record on `line`, holding `text`, for typed reads and errors.
    fn at<'a>(&'a self, line: u64, name: &'a str, text: &'a str) -> Cell<'a> {
        Cell {
            path: &self.path,
            line,
            column: Some(name),
            text,
        }
    }

    /// A number cell (Python float repr, `inf`, `nan`); empty → `None`.
    ///
    /// # Errors
    /// Text that is not a number, with the line and column.
    pub fn f64(&self, line: u64, row: &[String], name: &str) -> Result<Option<f64>, IngestError> {
        match self.text(row, name) {
            None => Ok(None),
            Some(t) => self.at(line, name, t).parse("a number", number_text),
        }
    }

    /// A whole, non-negative number cell (`4`, `4.0`).
    ///
    /// # Errors
    /// Not a whole number, with the line and column.
    pub fn u32(&self, line: u64, row: &[String], name: &str) -> Result<Option<u32>, IngestError> {
        let Some(v) = self.f64(line, row, name)? else {
            return Ok(None);
        };
        if v.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&v) {
            return Err(IngestError::wrong_type(
                self.at(line, name, "").location(),
                "a whole number",
                v,
            ));
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked whole and in range"
        )]
        Ok(Some(v as u32))
    }

    /// A required whole number.
    ///
    /// # Errors
    /// Missing or not whole.
    pub fn req_u32(&self, line: u64, row: &[String], name: &str) -> Result<u32, IngestError> {
        self.u32(line, row, name)?
            .ok_or_else(|| self.at(line, name, "").missing())
    }

    /// A Python bool cell (`True`/`False`).
    ///
    /// # Errors
    /// Anything else, with the line and column.
    pub fn bool(&self, line: u64, row: &[String], name: &str) -> Result<Option<bool>, IngestError> {
        match self.text(row, name) {
            None => Ok(None),
            Some("True" | "true") => Ok(Some(true)),
            Some("False" | "false") => Ok(Some(false)),
            Some(t) => Err(self.at(line, name, t).wrong_type("True or False")),
        }
    }

    /// Instance type: `instance_type`, else March's merge-suffixed `instance_type_x`.
    #[must_use]
    pub fn instance_type(&self, row: &[String]) -> Option<String> {
        self.text(row, "instance_type")
            .or_else(|| self.text(row, "instance_type_x"))
            .map(str::to_string)
    }

    /// The key columns every summary and chunk row starts with.
    ///
    /// # Errors
    /// A missing experiment name or concurrency, or a bad instance count.
    fn head(&self, line: u64, row: &[String]) -> Result<RowHead, IngestError> {
        Ok(RowHead {
            experiment_name: self.req_text(line, row, "experiment_name")?,
            payload_file: self
                .text(row, "payload_file")
                .unwrap_or_default()
                .to_string(),
            instance_type: self.instance_type(row).unwrap_or_default(),
            instance_count: self.f64(line, row, "instance_count")?,
            concurrency: self.req_u32(line, row, "concurrency")?,
        })
    }

    /// Read every record with `build`, given its line, its cells and its key columns (read
    /// first, so a bad key cell is the error before any other).
    fn rows_with_head<T>(
        &self,
        build: impl Fn(u64, &[String], RowHead) -> Result<T, IngestError>,
    ) -> Result<Vec<T>, IngestError> {
        self.rows
            .iter()
            .map(|(line, row)| build(*line, row, self.head(*line, row)?))
            .collect()
    }

    /// Read every record as a summary row (summary, pricing, scored tables).
    ///
    /// # Errors
    /// A bad cell, with its line and column.
    pub fn summary_rows(&self) -> Result<Vec<SummaryRow>, IngestError> {
        self.rows_with_head(|line, row, head| {
            let f = |name: &str| self.f64(line, row, name);
            Ok(SummaryRow {
                line,
                head,
                measures: Measures::read(f)?,
                price_per_hour: f("price_per_hour")?,
                price_per_txn: f("price_per_txn")?,
                price_per_token_text: self.text(row, "price_per_token").map(str::to_string),
                score: f("score")?,
                any_criterion_failed: self.bool(line, row, "any_criterion_failed")?,
            })
        })
    }

    /// Read every record as a chunk row (`all_metrics.csv`).
    ///
    /// # Errors
    /// A bad cell, with its line and column.
    pub fn chunk_rows(&self) -> Result<Vec<ChunkRow>, IngestError> {
        self.rows_with_head(|line, row, head| {
            let f = |name: &str| self.f64(line, row, name);
            Ok(ChunkRow {
                line,
                head,
                successes: f("successes")?,
                measures: Measures::read(f)?,
            })
        })
    }
}

/// FMBench's number text (Python float repr, `inf`); `nan` is no value. `None` when the text
/// is not a number at all.
pub fn number_text(t: &str) -> Option<Option<f64>> {
    crate::ingest::json::parse_number_text(t).map(|v| (!v.is_nan()).then_some(v))
}

fn csv_error(e: &csv::Error, path: &Path) -> IngestError {
    let line = e.position().map_or(0, csv::Position::line);
    IngestError::syntax(
        Location::line(path, line, None),
        format!("invalid CSV: {e}"),
    )
}
