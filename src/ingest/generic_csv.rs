//! bench-report per-request CSV (DESIGN §3), with [[source]] column mapping.
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `generic_csv` parser.
pub struct GenericCsv;

impl Parser for GenericCsv {
    fn name(&self) -> &'static str {
        "generic_csv"
    }

    fn describe(&self) -> &'static str {
        "bench-report per-request CSV (DESIGN §3), with [[source]] column mapping"
    }

    fn is_fallback(&self) -> bool {
        true
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(Location::file(source.path), "the generic_csv parser is not implemented yet"))
    }
}
