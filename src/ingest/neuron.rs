//! AWS Neuron performance CSVs and instance price CSVs.
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `neuron` parser.
pub struct Neuron;

impl Parser for Neuron {
    fn name(&self) -> &'static str {
        "neuron"
    }

    fn describe(&self) -> &'static str {
        "AWS Neuron performance CSVs and instance price CSVs"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(Location::file(source.path), "the neuron parser is not implemented yet"))
    }
}
