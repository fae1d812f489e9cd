//! The contract holds: an archived `summary.json` reads back into the typed structs and
//! writes out to the same bytes, and the published JSON Schema is the one the types generate.

use std::path::PathBuf;

use super::summary::Summary;

const REGENERATE: &str = "cargo test --lib export::tests::write_summary_schema -- --ignored";

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn round_trip(bytes: &[u8]) {
    let summary = Summary::from_slice(bytes).expect("summary.json reads back");
    let again = summary.to_bytes().expect("writes");
    assert!(
        again == bytes,
        "summary.json does not round-trip byte for byte"
    );
}

#[test]
fn the_data_builds_summary_reads_back_to_identical_bytes() {
    let bytes = std::fs::read(repo("site/data/summary.json")).expect("site/data/summary.json");
    let summary = Summary::from_slice(&bytes).expect("reads back");
    assert_eq!(summary.schema_version, super::SCHEMA_VERSION);
    assert!(!summary.runs.is_empty());
    round_trip(&bytes);
}

#[test]
fn published_schema_matches_the_types() {
    let committed = std::fs::read_to_string(repo("docs/summary.schema.json")).unwrap_or_default();
    assert!(
        committed == Summary::json_schema_text(),
        "docs/summary.schema.json differs from the schema the export types generate; \
         regenerate it with `{REGENERATE}` and commit it"
    );
}

/// Writes `docs/summary.schema.json` from the types.
#[test]
#[ignore = "writes docs/summary.schema.json; run it after changing the export types"]
fn write_summary_schema() {
    std::fs::write(
        repo("docs/summary.schema.json"),
        Summary::json_schema_text(),
    )
    .expect("write docs/summary.schema.json");
}
