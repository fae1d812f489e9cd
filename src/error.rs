//! Error values that name a place (ARCHITECTURE.md): every problem with an input file carries a
//! [`Location`], so the user reads one line: file, then line/column or JSON pointer, then
//! expected vs found.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in an input: always the file, and inside it as precisely as the parser knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it (relative paths stay relative).
    pub path: PathBuf,
    /// Where inside the file.
    pub at: Option<At>,
}

/// A position inside a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// 1-based line, and the CSV column name when known (`line 7, column "ttft_ms"`).
    Line {
        /// 1-based line.
        line: u64,
        /// The CSV column name, when known.
        column: Option<String>,
    },
    /// JSON pointer into the document (`/results/3/ttft_ms`).
    Pointer(String),
    /// A key in bench-report.toml (`budget[0].metric`).
    Key(String),
}

impl Location {
    /// The whole file.
    #[must_use]
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            at: None,
        }
    }

    /// A JSON pointer in the file.
    #[must_use]
    pub fn pointer(path: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            at: Some(At::Pointer(pointer.into())),
        }
    }

    /// A line (1-based) and optional column name.
    #[must_use]
    pub fn line(path: impl Into<PathBuf>, line: u64, column: Option<&str>) -> Self {
        Location {
            path: path.into(),
            at: Some(At::Line {
                line,
                column: column.map(str::to_string),
            }),
        }
    }
}

impl Location {
    /// The place inside the file as pages show it after a reason (`/x/3`, `line 7, column
    /// "ttft_ms"`), `None` for the whole file.
    fn inside(&self) -> Option<String> {
        let whole = Location::file(PathBuf::new()).to_string();
        let text = Location {
            path: PathBuf::new(),
            at: self.at.clone(),
        }
        .to_string();
        text.strip_prefix(&whole)
            .map(|t| t.trim_start_matches(": ").to_string())
            .filter(|t| !t.is_empty())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        match &self.at {
            None => Ok(()),
            Some(At::Line { line, column: None }) => write!(f, ": line {line}"),
            Some(At::Line {
                line,
                column: Some(c),
            }) => write!(f, ": line {line}, column \"{c}\""),
            Some(At::Pointer(p)) => write!(f, ": {}", if p.is_empty() { "/" } else { p }),
            Some(At::Key(k)) => write!(f, ": {k}"),
        }
    }
}

/// Why one input file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A value of the wrong type or shape.
    #[error("{loc}: expected {expected}, found {found}")]
    WrongType {
        /// Where in the file.
        loc: Location,
        /// What the format allows there.
        expected: String,
        /// What the file holds (shortened, made safe for a terminal).
        found: String,
    },
    /// A required field is absent.
    #[error("{loc}: missing required field `{field}`")]
    Missing {
        /// Where in the file.
        loc: Location,
        /// The field's name.
        field: String,
    },
    /// The file is not valid syntax for its format (JSON, CSV, YAML).
    #[error("{loc}: {message}")]
    Syntax {
        /// Where in the file.
        loc: Location,
        /// What is wrong.
        message: String,
    },
    /// The content is well-formed but contradicts itself or the format's rules.
    #[error("{loc}: {message}")]
    Invalid {
        /// Where in the file.
        loc: Location,
        /// What is wrong.
        message: String,
    },
    /// No parser recognises the file.
    #[error("{}: unknown format: {reason} (force one with --format NAME or a [[source]] format)", .path.display())]
    Unrecognized {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Several parsers are certain; the user must choose.
    #[error("{}: ambiguous format: {candidates} all match (choose with --format NAME or a [[source]] format)", .path.display())]
    Ambiguous {
        /// The file.
        path: PathBuf,
        /// The parsers that match, comma separated.
        candidates: String,
    },
    /// Reading the file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl IngestError {
    /// A wrong-type error; `found` is shortened and made safe for a terminal.
    #[must_use]
    pub fn wrong_type(
        loc: Location,
        expected: impl Into<String>,
        found: impl fmt::Display,
    ) -> Self {
        IngestError::WrongType {
            loc,
            expected: expected.into(),
            found: sanitize(&found.to_string()),
        }
    }

    /// A missing-field error.
    #[must_use]
    pub fn missing(loc: Location, field: impl Into<String>) -> Self {
        IngestError::Missing {
            loc,
            field: field.into(),
        }
    }

    /// A syntax error.
    #[must_use]
    pub fn syntax(loc: Location, message: impl fmt::Display) -> Self {
        IngestError::Syntax {
            loc,
            message: sanitize(&message.to_string()),
        }
    }

    /// A content error.
    #[must_use]
    pub fn invalid(loc: Location, message: impl fmt::Display) -> Self {
        IngestError::Invalid {
            loc,
            message: sanitize(&message.to_string()),
        }
    }

    /// The file the problem is about.
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            IngestError::WrongType { loc, .. }
            | IngestError::Missing { loc, .. }
            | IngestError::Syntax { loc, .. }
            | IngestError::Invalid { loc, .. } => &loc.path,
            IngestError::Unrecognized { path, .. }
            | IngestError::Ambiguous { path, .. }
            | IngestError::Io { path, .. } => path,
        }
    }

    /// The problem without its file, for a list of skipped files: `expected a number, found
    /// "n/a" (at /results/3/ttft_ms)`.
    #[must_use]
    pub fn reason(&self) -> String {
        let (loc, why) = match self {
            IngestError::WrongType {
                loc,
                expected,
                found,
            } => (loc, format!("expected {expected}, found {found}")),
            IngestError::Missing { loc, field } => {
                (loc, format!("missing required field `{field}`"))
            }
            IngestError::Syntax { loc, message } | IngestError::Invalid { loc, message } => {
                (loc, message.clone())
            }
            other => {
                let text = other.to_string();
                let shown = other.path().display().to_string();
                return text
                    .strip_prefix(&shown)
                    .map_or(text.clone(), |t| t.trim_start_matches(": ").to_string());
            }
        };
        match (&loc.at, loc.inside()) {
            (Some(At::Key(_)), Some(inside)) => format!("{inside}: {why}"),
            (_, Some(inside)) => format!("{why} (at {inside})"),
            (_, None) => why,
        }
    }
}

/// Problems with `bench-report.toml`.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file does not parse or has an unknown key.
    #[error("{}: {message}", .path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A value is out of range or inconsistent.
    #[error("{}: {key}: {message}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The key, as written in the file (`budget[0].metric`).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// Reading the file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// A command-line value names something that does not exist.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// `--format NAME` with no such parser.
    #[error("unknown --format {name:?}; known formats: {}", .known.join(", "))]
    UnknownFormat {
        /// The name given.
        name: String,
        /// The names that exist.
        known: Vec<&'static str>,
    },
    /// `-f NAME` with no such renderer.
    #[error("unknown page format {name:?}; known: {}", .known.join(", "))]
    UnknownPageFormat {
        /// The name given.
        name: String,
        /// The names that exist.
        known: Vec<&'static str>,
    },
}

/// Why aggregation could not run at all (a configuration error or an internal bug; bad input
/// data never causes one).
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// A configured percentile outside 0..=100 or finer than 1e-4.
    #[error("metrics: [metrics] percentiles: {0} is not a level between 0 and 100 with at most four decimals")]
    InvalidPercentile(f64),
    /// polars refused the query (a bug in the metrics stage).
    #[error("metrics: aggregating request rows failed: {0}")]
    Engine(String),
}

/// Serialising an export failed (not expected: both are written to memory).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// `runs.csv`.
    #[error("runs.csv: {0}")]
    Csv(#[from] csv::Error),
    /// `summary.json`.
    #[error("summary.json: {0}")]
    Json(#[from] serde_json::Error),
}

/// Problems writing the output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The destination exists and bench-report did not create it.
    #[error("{}: exists and was not created by bench-report (no .bench-report marker); use --force to replace it", .path.display())]
    NotOurs {
        /// The file.
        path: PathBuf,
    },
    /// An I/O failure while writing.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A template failed to render.
    #[error("template {name}: {message}")]
    Template {
        /// The name given.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The output folder would overlap an input or sit in a dangerous place.
    #[error("{}: {message}", .path.display())]
    Unsafe {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A chart could not be drawn.
    #[error("chart {stem}: {message}")]
    Chart {
        /// The chart's file stem.
        stem: String,
        /// What went wrong.
        message: String,
    },
    /// Writing to stdout failed because the reader went away.
    #[error("broken pipe")]
    BrokenPipe,
}

/// The exit status contract; README "Exit status" documents the same table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Built; every requested gate passed (also a broken pipe, as ripgrep and xsv).
    Success = 0,
    /// `--fail-on-budget` tripped: the report was still written.
    GateFailed = 1,
    /// Bad input, bad usage, I/O failure: nothing was published.
    Error = 2,
}

/// Every error the library returns, by stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more input files were bad and `--on-bad-file fail` was in force.
    #[error("{} bad input file(s)", .0.len())]
    BadInputs(Vec<IngestError>),
    /// A single input problem.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A configuration problem.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A command-line problem.
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// Aggregation failed.
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    /// An export could not be serialised.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// An output problem.
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl Error {
    /// The exit status for this error: success for a broken pipe, else error.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Output(OutputError::BrokenPipe) => ExitStatus::Success,
            _ => ExitStatus::Error,
        }
    }

    /// One line per problem, each starting with `error: `.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        match self {
            Error::BadInputs(list) => {
                let mut out: Vec<String> = list.iter().map(|e| format!("error: {e}")).collect();
                out.push(format!(
                    "error: {} bad input file(s); nothing was written (use --on-bad-file skip to build without them)",
                    list.len()
                ));
                out
            }
            Error::Output(OutputError::BrokenPipe) => Vec::new(),
            other => vec![format!("error: {other}")],
        }
    }
}

/// Make text from an input file safe to echo: no control characters, at most 80 chars.
#[must_use]
pub fn sanitize(text: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_display_forms() {
        assert_eq!(Location::file("a.json").to_string(), "a.json");
        assert_eq!(
            Location::pointer("a.json", "/x/3").to_string(),
            "a.json: /x/3"
        );
        assert_eq!(
            Location::line("r.csv", 7, Some("ttft_ms")).to_string(),
            "r.csv: line 7, column \"ttft_ms\""
        );
    }

    #[test]
    fn reason_drops_the_file_and_puts_the_place_after_the_problem() {
        let e =
            IngestError::wrong_type(Location::pointer("d/a.json", "/x/3"), "a number", "\"n/a\"");
        assert_eq!(e.path(), Path::new("d/a.json"));
        assert_eq!(e.reason(), "expected a number, found \"n/a\" (at /x/3)");
        let e = IngestError::missing(Location::line("r.csv", 7, Some("ttft_ms")), "ttft_ms");
        assert_eq!(
            e.reason(),
            "missing required field `ttft_ms` (at line 7, column \"ttft_ms\")"
        );
        let e = IngestError::invalid(Location::pointer("a.json", ""), "empty");
        assert_eq!(e.reason(), "empty (at /)");
        let e = IngestError::invalid(Location::file("a.json"), "no runs");
        assert_eq!(e.reason(), "no runs");
        let e = IngestError::Unrecognized {
            path: "n.txt".into(),
            reason: "no parser recognises its content".into(),
        };
        assert_eq!(
            e.reason(),
            "unknown format: no parser recognises its content (force one with --format NAME or a [[source]] format)"
        );
    }

    #[test]
    fn sanitize_strips_control_and_truncates() {
        assert_eq!(sanitize("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        let long = "x".repeat(100);
        assert_eq!(sanitize(&long).chars().count(), 81);
    }
}
