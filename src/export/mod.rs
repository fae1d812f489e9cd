//! The machine-readable contract (README "Outputs"; `docs/summary.schema.json`): `runs.csv`
//! and `summary.json`. Columns and fields are only ever added; [`SCHEMA_VERSION`] changes
//! when anything else does. Unknown is an empty cell / `null`, never 0; money is exact
//! decimal text.

pub mod runs_csv;
pub mod summary;
#[cfg(test)]
mod tests;

pub use runs_csv::{runs_csv, runs_csv_header, runs_csv_record};
pub use summary::{summary_json_bytes, Summary};

/// Version of the `summary.json` schema (`schema_version`, and `schema`:
/// `bench-report.summary/2`). 2: `summary.json` is written from typed structs and has a
/// published JSON Schema; its fields are those of version 1.
pub const SCHEMA_VERSION: u32 = 2;
