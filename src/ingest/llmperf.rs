//! LLMPerf summary and individual-responses JSON.
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `llmperf` parser.
pub struct Llmperf;

impl Parser for Llmperf {
    fn name(&self) -> &'static str {
        "llmperf"
    }

    fn describe(&self) -> &'static str {
        "LLMPerf summary and individual-responses JSON"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(
            Location::file(source.path),
            "the llmperf parser is not implemented yet",
        ))
    }
}
