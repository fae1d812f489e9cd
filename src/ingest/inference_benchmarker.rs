//! Hugging Face inference-benchmarker JSON reports.
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `inference_benchmarker` parser.
pub struct InferenceBenchmarker;

impl Parser for InferenceBenchmarker {
    fn name(&self) -> &'static str {
        "inference_benchmarker"
    }

    fn describe(&self) -> &'static str {
        "Hugging Face inference-benchmarker JSON reports"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(
            Location::file(source.path),
            "the inference_benchmarker parser is not implemented yet",
        ))
    }
}
