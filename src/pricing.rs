//! Price tables, aliases and the cost formulas (DESIGN §5). Money is `Decimal`, parsed from
//! text, never through f64.

use rust_decimal::Decimal;
use serde::Serialize;

/// One row of a price table: what one instance costs per hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRow {
    /// Instance type exactly as the table spells it.
    pub instance_type: String,
    /// Region (`us-east-1`) when the table says.
    pub region: Option<String>,
    /// `on_demand`, `reserved_1y`, `ri_effective`, … as the table says.
    pub pricing_model: String,
    /// USD per instance-hour.
    pub price_per_hour_usd: Decimal,
    /// Where the price comes from (URL, document, or the file that carried it).
    pub source: String,
    /// Date the price was in force from, `YYYY-MM-DD`, when known.
    pub as_of: Option<String>,
}

/// A token-based price (FMBench `token_based`, Bedrock on-demand): USD per 1,000 tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenPrice {
    /// The key runs are matched on (FMBench: the experiment's `instance_type` / model id).
    pub key: String,
    /// USD per 1,000 input tokens.
    pub input_per_1k_tokens_usd: Decimal,
    /// USD per 1,000 output tokens.
    pub output_per_1k_tokens_usd: Decimal,
    /// Where the price comes from.
    pub source: String,
}
