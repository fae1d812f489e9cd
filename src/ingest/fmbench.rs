//! FMBench result CSVs, per-request JSON, configs and pricing.yml.
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `fmbench` parser.
pub struct Fmbench;

impl Parser for Fmbench {
    fn name(&self) -> &'static str {
        "fmbench"
    }

    fn describe(&self) -> &'static str {
        "FMBench result CSVs, per-request JSON, configs and pricing.yml"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(
            Location::file(source.path),
            "the fmbench parser is not implemented yet",
        ))
    }
}
