//! Corpus helpers shared by the integration tests (`tests/corpus.rs`, `tests/fidelity.rs`) and,
//! through a `#[path]` module, by the crate's own parser tests (`src/ingest/testing.rs`), so
//! the rule for `BENCH_REPORT_CORPUS` is written once. It uses nothing from the crate.

use std::path::{Path, PathBuf};

/// The corpus root from `BENCH_REPORT_CORPUS` (relative to the crate root), or `None` when it
/// is not set: the test then prints why it skips.
///
/// # Panics
/// When `BENCH_REPORT_CORPUS` is set but is not a folder: a corpus run that checks nothing
/// must not pass.
#[must_use]
pub fn corpus() -> Option<PathBuf> {
    let Some(p) = std::env::var_os("BENCH_REPORT_CORPUS") else {
        eprintln!("skipped: BENCH_REPORT_CORPUS is not set");
        return None;
    };
    let p = PathBuf::from(p);
    let p = if p.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
    } else {
        p
    };
    assert!(
        p.is_dir(),
        "BENCH_REPORT_CORPUS={} is not a folder (unset it to skip the corpus tests)",
        p.display()
    );
    Some(p)
}

/// Every file below `dir`, sorted (corpus walks).
///
/// # Panics
/// When a folder cannot be read (a broken corpus).
#[must_use]
#[allow(dead_code, reason = "not every test crate walks the corpus")]
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("cannot read folder {}: {e}", d.display()));
        for e in entries {
            let p = e
                .unwrap_or_else(|e| panic!("cannot read folder {}: {e}", d.display()))
                .path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
