//! bench-report price table CSV (DESIGN §5).
//!
//! Not implemented yet: sniffs nothing, so files of this family are reported as unknown.

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};

/// The `price_table` parser.
pub struct PriceTable;

impl Parser for PriceTable {
    fn name(&self) -> &'static str {
        "price_table"
    }

    fn describe(&self) -> &'static str {
        "bench-report price table CSV (DESIGN §5)"
    }

    fn sniff(&self, _probe: &Probe<'_>) -> Sniff {
        Sniff::no("not implemented yet")
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Err(IngestError::invalid(Location::file(source.path), "the price_table parser is not implemented yet"))
    }
}

/// Read a price table file of any supported shape (placeholder until the parser lands).
///
/// # Errors
/// Always, for now.
pub fn read_price_table(path: &std::path::Path) -> Result<Vec<crate::pricing::PriceRow>, IngestError> {
    Err(IngestError::invalid(Location::file(path), "price tables are not implemented yet"))
}

/// Read token prices from a table (placeholder until the parser lands).
///
/// # Errors
/// Never, for now.
pub fn read_token_prices(_path: &std::path::Path) -> Result<Vec<crate::pricing::TokenPrice>, IngestError> {
    Ok(Vec::new())
}
