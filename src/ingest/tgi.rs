//! text-generation-benchmark markdown tables (TGI).
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `tgi` parser.
pub struct Tgi;

impl Parser for Tgi {
    fn name(&self) -> &'static str {
        "tgi"
    }

    fn describe(&self) -> &'static str {
        "text-generation-benchmark markdown tables (TGI)"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(
            Location::file(source.path),
            "the tgi parser is not implemented yet",
        ))
    }
}
