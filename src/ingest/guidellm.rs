//! GuideLLM reports (JSON/YAML, all generations).
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `guidellm` parser.
pub struct Guidellm;

impl Parser for Guidellm {
    fn name(&self) -> &'static str {
        "guidellm"
    }

    fn describe(&self) -> &'static str {
        "GuideLLM reports (JSON/YAML, all generations)"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(
            Location::file(source.path),
            "the guidellm parser is not implemented yet",
        ))
    }
}
