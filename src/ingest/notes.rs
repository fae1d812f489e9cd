//! files that are not benchmark input (provenance notes, rendered reports).
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `notes` parser.
pub struct Notes;

impl Parser for Notes {
    fn name(&self) -> &'static str {
        "notes"
    }

    fn describe(&self) -> &'static str {
        "files that are not benchmark input (provenance notes, rendered reports)"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(Location::file(source.path), "the notes parser is not implemented yet"))
    }
}
