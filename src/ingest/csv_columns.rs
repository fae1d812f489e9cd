//! CSV column access shared by the CSV parsers (`generic_csv`, `neuron`, `fmbench`,
//! `genai_perf`): find a column by its header name, read a cell as a number, a whole number or
//! text, and when a cell is wrong, build the error that names the file, the record's line and
//! the column (README "Commands": one line per problem, naming its place).
//!
//! Each parser keeps its own idea of what an empty cell is (`None`, `N/A`, `nan`, blank) and
//! which number texts it accepts, and passes that in; the lookup, the location and the
//! messages are written here once.

use std::path::Path;
use std::str::FromStr;

use crate::error::{IngestError, Location};

/// A header row: the column names as written (a byte-order mark before the first removed).
#[derive(Debug, Clone, Default)]
pub struct Header {
    names: Vec<String>,
}

impl Header {
    /// A header from the names of the first record.
    #[must_use]
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Self {
        Header {
            names: names
                .into_iter()
                .enumerate()
                .map(|(i, n)| {
                    let n = n.as_ref();
                    if i == 0 {
                        n.trim_start_matches('\u{feff}').to_string()
                    } else {
                        n.to_string()
                    }
                })
                .collect(),
        }
    }

    /// The names as written.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many columns.
    #[must_use]
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Index of the first column called `name` (surrounding spaces of the header ignored).
    #[must_use]
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|h| h.trim() == name)
    }

    /// True when a column is called `name`.
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// The name of column `i`, trimmed: what error locations show.
    #[must_use]
    pub fn name(&self, i: usize) -> Option<&str> {
        self.names.get(i).map(|h| h.trim())
    }

    /// Cell `i` of the record on `line` of `path`, holding `text`.
    #[must_use]
    pub fn cell<'a>(&'a self, path: &'a Path, line: u64, i: usize, text: &'a str) -> Cell<'a> {
        Cell {
            path,
            line,
            column: self.name(i),
            text,
        }
    }
}

/// One cell's text and where it sits: the file, the record's 1-based line, the column.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    /// The file.
    pub path: &'a Path,
    /// 1-based line the record starts on.
    pub line: u64,
    /// The column's name, when known.
    pub column: Option<&'a str>,
    /// The cell's text, as the parser chose to see it (trimmed or not).
    pub text: &'a str,
}

impl Cell<'_> {
    /// `path: line N, column "name"`.
    #[must_use]
    pub fn location(&self) -> Location {
        Location::line(self.path, self.line, self.column)
    }

    /// "expected `expected`, found "text"".
    #[must_use]
    pub fn wrong_type(&self, expected: &str) -> IngestError {
        IngestError::wrong_type(self.location(), expected, format!("{:?}", self.text))
    }

    /// "missing required field `column`".
    #[must_use]
    pub fn missing(&self) -> IngestError {
        IngestError::missing(self.location(), self.column.unwrap_or_default())
    }

    /// The text read by `parse`; `None` from `parse` is an error saying `expected`.
    ///
    /// # Errors
    /// `WrongType` with this cell's place and text.
    pub fn parse<T>(
        &self,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, IngestError> {
        parse(self.text).ok_or_else(|| self.wrong_type(expected))
    }

    /// A whole number (`u32`, `u64`: batch sizes, degrees, lengths, concurrency).
    ///
    /// # Errors
    /// "expected a whole number" with this cell's place and text.
    pub fn whole<T: FromStr>(&self) -> Result<T, IngestError> {
        self.parse("a whole number", |t| t.parse::<T>().ok())
    }
}

/// The 1-based line of the record starting at `byte`. The csv crate's own line number is one
/// short in CRLF files (the record before ends at `\r`, its `\n` is counted with the next
/// record) and points at skipped blank lines, so the line is counted here from the first byte
/// of the record: past any CR/LF at `byte`.
#[must_use]
pub fn line_at(bytes: &[u8], byte: u64) -> u64 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_find_and_errors() {
        let h = Header::new(["\u{feff}Model", " Performance [seq/sec]", "ttft_ms"]);
        assert_eq!(h.find("Model"), Some(0));
        assert_eq!(h.find("Performance [seq/sec]"), Some(1));
        assert_eq!(h.name(1), Some("Performance [seq/sec]"));
        assert!(!h.has("e2e_ms"));
        let path = Path::new("t.csv");
        let cell = h.cell(path, 7, 2, "n/a");
        assert_eq!(
            cell.parse("a number", |t| t.parse::<f64>().ok())
                .expect_err("text")
                .to_string(),
            "t.csv: line 7, column \"ttft_ms\": expected a number, found \"n/a\""
        );
        assert_eq!(
            h.cell(path, 3, 0, "4.5")
                .whole::<u32>()
                .expect_err("fraction")
                .to_string(),
            "t.csv: line 3, column \"Model\": expected a whole number, found \"4.5\""
        );
        assert_eq!(h.cell(path, 3, 0, "12").whole::<u64>().ok(), Some(12));
        assert_eq!(
            h.cell(path, 3, 0, "").missing().to_string(),
            "t.csv: line 3, column \"Model\": missing required field `Model`"
        );
    }

    #[test]
    fn csv_columns_line_at_crlf_and_blank_lines() {
        // "h\r\n" is line 1; the record after the blank line starts on line 3.
        let bytes = b"h\r\n\r\nx\r\n";
        assert_eq!(line_at(bytes, 1), 3);
        assert_eq!(line_at(bytes, 0), 1);
        assert_eq!(line_at(b"a\nb\n", 2), 2);
    }
}
