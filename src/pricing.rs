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

/// A measured rate (f64) as the Decimal of its shortest round-trip text, so a throughput
/// read from `3014.3` in a file becomes exactly 3014.3, not its binary approximation.
#[must_use]
pub fn decimal_from_f64(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    use std::str::FromStr;
    Decimal::from_str(&format!("{v}")).ok().or_else(|| Decimal::from_f64_retain(v))
}

/// Cost of one million units (requests, output tokens, total tokens, images) at a throughput
/// of `units_per_s`, for an hourly price (DESIGN §5):
///
/// ```text
/// cost_per_1m_usd = hourly_usd / 3600 / units_per_s × 1 000 000
/// ```
///
/// Evaluated in Decimal as `1 000 000 / units_per_s × hourly_usd / 3600` (the Neuron page's
/// order; rust_decimal keeps 28 significant digits, so the result rounds the same to any shown
/// precision either way). `None` when the throughput is unknown, zero or negative: a run
/// that served nothing has no cost per unit, and it is shown as unknown, never as zero.
#[must_use]
pub fn cost_per_1m_usd(hourly_usd: Decimal, units_per_s: f64) -> Option<Decimal> {
    let rate = decimal_from_f64(units_per_s)?;
    if rate <= Decimal::ZERO {
        return None;
    }
    let million = Decimal::from(1_000_000u32);
    let per_unit_hours = million.checked_div(rate)?;
    per_unit_hours.checked_mul(hourly_usd)?.checked_div(Decimal::from(3600u32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal literal")
    }

    #[test]
    fn neuron_worked_examples_round_to_the_published_cents() {
        // formats/neuron.md §7: (throughput, rate) → the page's "$x.xxx".
        let cases = [
            (3014.3, "12.981", "1.196"),      // LLM-1
            (110.23, "21.50", "54.180"),      // LLM-2
            (649.17, "12.981", "5.555"),      // LLM-3
            (117.61, "2.804", "6.623"),       // LLM-4
            (48.66, "12.981", "74.103"),      // VL-1
            (0.093, "1.97", "5884.110"),      // VL-2
            (6949.174, "0.328", "0.013"),     // VL-3
            (2321.97758889, "0.512", "0.061"), // VL-4
        ];
        for (tput, rate, shown) in cases {
            let cost = cost_per_1m_usd(d(rate), tput).expect("priced");
            let r = cost.round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointNearestEven);
            assert_eq!(r, d(shown), "throughput {tput} at {rate}/h: {cost}");
        }
        // The 28-digit value of LLM-1 the note prints.
        assert_eq!(cost_per_1m_usd(d("12.981"), 3014.3).expect("priced").round_dp(15), d("1.196242355881410"));
    }

    #[test]
    fn zero_or_unknown_throughput_has_no_cost() {
        assert_eq!(cost_per_1m_usd(d("1.0"), 0.0), None);
        assert_eq!(cost_per_1m_usd(d("1.0"), f64::NAN), None);
    }
}
