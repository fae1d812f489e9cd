//! vLLM benchmark outputs (serve, sweep, latency, throughput, nightly).
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `vllm` parser.
pub struct Vllm;

impl Parser for Vllm {
    fn name(&self) -> &'static str {
        "vllm"
    }

    fn describe(&self) -> &'static str {
        "vLLM benchmark outputs (serve, sweep, latency, throughput, nightly)"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(Location::file(source.path), "the vllm parser is not implemented yet"))
    }
}
