//! Error values that name a place (STYLE §5): every problem with an input file carries a
//! [`Location`], so the user reads one line: file, then line/column or JSON pointer, then
//! expected vs found.

use std::fmt;
use std::path::PathBuf;

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
    Line { line: u64, column: Option<String> },
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
        loc: Location,
        expected: String,
        found: String,
    },
    /// A required field is absent.
    #[error("{loc}: missing required field `{field}`")]
    Missing { loc: Location, field: String },
    /// The file is not valid syntax for its format (JSON, CSV, YAML).
    #[error("{loc}: {message}")]
    Syntax { loc: Location, message: String },
    /// The content is well-formed but contradicts itself or the format's rules.
    #[error("{loc}: {message}")]
    Invalid { loc: Location, message: String },
    /// No parser recognises the file.
    #[error("{}: unknown format: {reason} (force one with --format NAME or a [[source]] format)", .path.display())]
    Unrecognized { path: PathBuf, reason: String },
    /// Several parsers are certain; the user must choose.
    #[error("{}: ambiguous format: {candidates} all match (choose with --format NAME or a [[source]] format)", .path.display())]
    Ambiguous { path: PathBuf, candidates: String },
    /// Reading the file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
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
}

/// Problems with `bench-report.toml` or the command line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file does not parse or has an unknown key.
    #[error("{}: {message}", .path.display())]
    Parse { path: PathBuf, message: String },
    /// A value is out of range or inconsistent.
    #[error("{}: {key}: {message}", .path.display())]
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
    /// Reading the file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A command-line value is wrong.
    #[error("{0}")]
    Usage(String),
}

/// Problems writing the output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The destination exists and bench-report did not create it.
    #[error("{}: exists and was not created by bench-report (no .bench-report marker); use --force to replace it", .path.display())]
    NotOurs { path: PathBuf },
    /// An I/O failure while writing.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A template failed to render.
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    /// The output folder would overlap an input or sit in a dangerous place.
    #[error("{}: {message}", .path.display())]
    Unsafe { path: PathBuf, message: String },
}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more input files were bad and `--on-bad-file fail` was in force.
    #[error("{} bad input file(s)", .0.len())]
    BadInputs(Vec<IngestError>),
    /// A single input problem.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A configuration or usage problem.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// An output problem.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Writing to stdout failed because the reader went away.
    #[error("broken pipe")]
    BrokenPipe,
}

impl Error {
    /// Exit status for this error: 0 for a broken pipe (as ripgrep and xsv), else 2.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::BrokenPipe => 0,
            _ => 2,
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
            Error::BrokenPipe => Vec::new(),
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
    fn sanitize_strips_control_and_truncates() {
        assert_eq!(sanitize("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        let long = "x".repeat(100);
        assert_eq!(sanitize(&long).chars().count(), 81);
    }
}
