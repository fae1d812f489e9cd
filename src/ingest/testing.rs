//! Fixture helpers shared by every parser's tests (CONTRIBUTING.md "Adding an input format").

use std::path::{Path, PathBuf};

use super::{make_probe, Confidence, Mapping, Parsed, Parser, Source};
use crate::error::IngestError;
use crate::model::RequestColumns;

/// `tests/fixtures/<rel>` inside the crate.
#[must_use]
pub fn fixture_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

// The corpus root and walk are the integration tests' own (`tests/common/mod.rs`), compiled
// here too so the `BENCH_REPORT_CORPUS` rule is written once.
#[path = "../../tests/common/mod.rs"]
mod common;
pub use common::{corpus, files_under};

/// The values of `column` on the requests `rows` marks ok, empty cells dropped: what the
/// tools' printed statistics are over.
#[must_use]
pub fn ok_values(rows: &RequestColumns, column: &[Option<f64>]) -> Vec<f64> {
    column
        .iter()
        .zip(&rows.ok)
        .filter(|(_, ok)| **ok)
        .filter_map(|(x, _)| *x)
        .collect()
}

/// Every file below `dir` but the corpus's `PROVENANCE.md` notes, each checked to be
/// auto-detected as `parser` and parsed by it: the files with what `parser` read.
///
/// # Panics
/// When a file is detected as another format or does not parse.
#[must_use]
pub fn detect_and_parse_all(
    parser: &dyn Parser,
    dir: &Path,
    root: &Path,
) -> Vec<(PathBuf, Parsed)> {
    files_under(dir)
        .into_iter()
        .filter(|f| f.file_name().is_none_or(|n| n != "PROVENANCE.md"))
        .map(|f| {
            assert_eq!(
                detect(&f, root).map_err(|e| e.to_string()),
                Ok(parser.name()),
                "{}",
                f.display()
            );
            let parsed =
                parse_file(parser, &f, root).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f, parsed)
        })
        .collect()
}

/// Sniff then parse a file with `parser`, as ingest would (the relative path is the file name
/// relative to `root`).
///
/// # Errors
/// The parser's error.
pub fn parse_file(parser: &dyn Parser, path: &Path, root: &Path) -> Result<Parsed, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| IngestError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let rel = super::relative(path, root);
    parse_bytes(parser, path, &rel, &bytes, &Mapping::default())
}

/// Sniff then parse bytes with `parser`, as ingest would for a file at `path` (`rel` relative
/// to its input root): the parser gets its own verdict, whatever it says.
///
/// # Errors
/// The parser's error.
pub fn parse_bytes(
    parser: &dyn Parser,
    path: &Path,
    rel: &str,
    bytes: &[u8],
    mapping: &Mapping,
) -> Result<Parsed, IngestError> {
    let sniff = parser.sniff(&make_probe(path, rel, bytes));
    parser.parse(&Source {
        path,
        rel,
        bytes,
        mapping,
        sniff: &sniff,
    })
}

/// Parse `tests/fixtures/<rel>` with `parser`.
///
/// # Panics
/// When the file cannot be read (a broken test setup).
pub fn parse_fixture(parser: &dyn Parser, rel: &str) -> Result<Parsed, IngestError> {
    let path = fixture_path(rel);
    parse_file(parser, &path, &fixture_path(""))
}

/// How `parser` sniffs a file.
#[must_use]
pub fn sniff_file(parser: &dyn Parser, path: &Path) -> Confidence {
    let bytes = std::fs::read(path).unwrap_or_default();
    let rel = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parser.sniff(&make_probe(path, &rel, &bytes)).confidence
}

/// Which parser auto-detection picks for a file (registry-wide), or the error.
///
/// # Errors
/// Unrecognized or ambiguous.
pub fn detect(path: &Path, root: &Path) -> Result<&'static str, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| IngestError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let rel = super::relative(path, root);
    let probe = make_probe(path, &rel, &bytes);
    super::choose(path, &super::verdicts(&probe)).map(|p| p.name())
}

/// Assert two floats agree to a relative tolerance, with a readable message.
///
/// # Panics
/// When they differ by more.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, rel_tol: f64, what: &str) {
    let scale = expected.abs().max(f64::MIN_POSITIVE);
    let rel = (actual - expected).abs() / scale;
    assert!(
        rel <= rel_tol || actual == expected,
        "{what}: got {actual:?}, expected {expected:?} (relative difference {rel:e} > {rel_tol:e})"
    );
}
