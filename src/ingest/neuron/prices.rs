//! Neuron price tables (`*_instance_prices.csv`) → hourly [`PriceRow`]s.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::table::NeuronCsv;
use super::{PriceRow, INST_TYPE};
use crate::error::{IngestError, Location};
use crate::ingest::{Parsed, Source};

pub(super) fn parse_prices(
    source: &Source<'_>,
    table: &NeuronCsv,
    rate_column: &'static str,
    pricing_model: &'static str,
) -> Result<Parsed, IngestError> {
    let (Some(key_i), Some(rate_i)) = (table.index(INST_TYPE), table.index(rate_column)) else {
        return Err(IngestError::missing(
            Location::line(source.path, 1, None),
            INST_TYPE,
        ));
    };
    let mut prices: Vec<PriceRow> = Vec::new();
    for (line, rec) in &table.rows {
        let row = table.row(source.path, *line, rec);
        let Some(instance) = row.cell(key_i) else {
            return Err(IngestError::missing(row.loc(key_i), INST_TYPE));
        };
        let Some(text) = row.cell(rate_i) else {
            return Err(IngestError::missing(row.loc(rate_i), rate_column));
        };
        // Money from the text, never through f64 (`21.50` stays 21.50).
        let price = Decimal::from_str(text)
            .ok()
            .filter(|p| !p.is_sign_negative())
            .ok_or_else(|| {
                IngestError::wrong_type(
                    row.loc(rate_i),
                    "a decimal hourly rate in USD",
                    format!("{text:?}"),
                )
            })?;
        if prices.iter().any(|p| p.instance_type == instance) {
            return Err(IngestError::invalid(
                row.loc(key_i),
                format!("instance type {instance:?} has a second price row; expected one row per instance type"),
            ));
        }
        prices.push(PriceRow {
            instance_type: instance.to_string(),
            region: None,
            pricing_model: pricing_model.to_string(),
            price_per_hour_usd: price,
            source: source.rel.to_string(),
            as_of: None,
        });
    }
    let mut notes = vec![format!(
        "Neuron price table: {} row(s) of `{rate_column}` (pricing model {pricing_model}, USD per instance-hour; the file names no region or date)",
        prices.len()
    )];
    if pricing_model == "ri_effective" {
        notes.push(
            "the reservation term behind \"RI-Effective\" is not stated in the file or on the page"
                .into(),
        );
    }
    Ok(Parsed {
        prices,
        notes,
        ..Parsed::default()
    })
}
