//! NVIDIA GenAI-Perf and AIPerf exports.
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `genai_perf` parser.
pub struct GenaiPerf;

impl Parser for GenaiPerf {
    fn name(&self) -> &'static str {
        "genai_perf"
    }

    fn describe(&self) -> &'static str {
        "NVIDIA GenAI-Perf and AIPerf exports"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(
            Location::file(source.path),
            "the genai_perf parser is not implemented yet",
        ))
    }
}
