//! bench-report's own price table CSV (README "Price tables"): exactly the columns
//! `instance_type,region,pricing_model,price_per_hour_usd,source,as_of`. Prices are read from
//! their text into `Decimal`, never through f64.
//!
//! [`load_price_table`] is what `[pricing] tables` uses: it reads this shape, the Neuron
//! `*_instance_prices.csv` shapes (through the `neuron` parser) and FMBench `pricing.yml`.

use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Mapping, Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::{PriceRow, TokenPrice};

/// The `price_table` parser.
pub struct PriceTable;

const HEADER: [&str; 6] = [
    "instance_type",
    "region",
    "pricing_model",
    "price_per_hour_usd",
    "source",
    "as_of",
];

impl Parser for PriceTable {
    fn name(&self) -> &'static str {
        "price_table"
    }

    fn describe(&self) -> &'static str {
        "bench-report price table CSV (README \"Price tables\")"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        let text = probe.text();
        let header: Vec<String> = text
            .lines()
            .next()
            .unwrap_or("")
            .split(',')
            .map(|c| c.trim().to_string())
            .collect();
        if header == HEADER {
            Sniff::certain(
                "header instance_type,region,pricing_model,price_per_hour_usd,source,as_of",
            )
        } else {
            Sniff::no("not the bench-report price table header")
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        Ok(Parsed {
            prices: parse_rows(source.bytes, source.path)?,
            ..Parsed::default()
        })
    }
}

/// A `YYYY-MM-DD` date, checked.
fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Ok(m), Ok(d)) = (s[5..7].parse::<u32>(), s[8..10].parse::<u32>()) else {
        return false;
    };
    s[0..4].parse::<u32>().is_ok() && (1..=12).contains(&m) && (1..=31).contains(&d)
}

fn parse_rows(bytes: &[u8], path: &Path) -> Result<Vec<PriceRow>, IngestError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| IngestError::syntax(Location::line(path, 1, None), e))?
        .clone();
    let names: Vec<&str> = headers.iter().map(str::trim).collect();
    if names != HEADER {
        return Err(IngestError::wrong_type(
            Location::line(path, 1, None),
            HEADER.join(","),
            names.join(","),
        ));
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            IngestError::syntax(
                Location::line(path, e.position().map_or(0, csv::Position::line), None),
                e,
            )
        })?;
        let line = rec.position().map_or(0, csv::Position::line);
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let instance = get(0);
        if instance.is_empty() {
            return Err(IngestError::missing(
                Location::line(path, line, Some("instance_type")),
                "instance_type",
            ));
        }
        let price_text = get(3);
        let price = Decimal::from_str(&price_text)
            .ok()
            .filter(|d| *d >= Decimal::ZERO)
            .ok_or_else(|| {
                IngestError::wrong_type(
                    Location::line(path, line, Some("price_per_hour_usd")),
                    "a decimal number of USD",
                    format!("{price_text:?}"),
                )
            })?;
        let as_of = get(5);
        if !as_of.is_empty() && !valid_date(&as_of) {
            return Err(IngestError::wrong_type(
                Location::line(path, line, Some("as_of")),
                "a date YYYY-MM-DD",
                format!("{as_of:?}"),
            ));
        }
        let model = get(2);
        rows.push(PriceRow {
            instance_type: instance,
            region: Some(get(1)).filter(|s| !s.is_empty()),
            pricing_model: if model.is_empty() {
                "on_demand".into()
            } else {
                model
            },
            price_per_hour_usd: price,
            source: get(4),
            as_of: Some(as_of).filter(|s| !s.is_empty()),
        });
    }
    Ok(rows)
}

/// The prices of one table file of any supported shape (this CSV, the Neuron
/// `*_instance_prices.csv` shapes, FMBench `pricing.yml`): hourly rows and token prices.
///
/// # Errors
/// Unreadable file, unknown shape, a bad row (with its line), or a file without prices.
pub fn load_price_table(path: &Path) -> Result<(Vec<PriceRow>, Vec<TokenPrice>), IngestError> {
    let rel = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (parser, mut parsed) = super::read_file(path, &rel, None, &Mapping::default()).outcome?;
    if parsed.prices.is_empty() && parsed.token_prices.is_empty() {
        return Err(IngestError::invalid(
            Location::file(path),
            format!("read as {} but holds no prices", parser.name()),
        ));
    }
    for p in &mut parsed.prices {
        if p.source.is_empty() || p.source == rel {
            p.source = path.display().to_string();
        }
    }
    Ok((parsed.prices, parsed.token_prices))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_table_reads_decimal_text_exactly() {
        let rows = parse_rows(
            b"instance_type,region,pricing_model,price_per_hour_usd,source,as_of\ng5.2xlarge,us-east-1,on_demand,1.212,https://x,2025-01-01\n",
            Path::new("p.csv"),
        )
        .expect("parses");
        assert_eq!(
            rows[0].price_per_hour_usd,
            Decimal::from_str("1.212").expect("d")
        );
        assert_eq!(rows[0].as_of.as_deref(), Some("2025-01-01"));
    }

    #[test]
    fn price_table_bad_price_and_date_name_line_and_column() {
        let err = parse_rows(
            b"instance_type,region,pricing_model,price_per_hour_usd,source,as_of\na,,,$1.2,,\n",
            Path::new("p.csv"),
        )
        .expect_err("bad price");
        assert_eq!(err.to_string(), "p.csv: line 2, column \"price_per_hour_usd\": expected a decimal number of USD, found \"$1.2\"");
        let err = parse_rows(b"instance_type,region,pricing_model,price_per_hour_usd,source,as_of\na,,,1.2,,2025-13-01\n", Path::new("p.csv"))
            .expect_err("bad date");
        assert!(
            err.to_string()
                .contains("column \"as_of\": expected a date"),
            "{err}"
        );
    }

    #[test]
    fn price_table_reads_neuron_price_csv_shape() {
        let Some(root) = crate::ingest::testing::corpus() else {
            return;
        };
        let (rows, _) = load_price_table(
            &root.join("neuron/aws-neuron-sdk-2024-07-24/trn1/trn1_instance_prices.csv"),
        )
        .expect("reads");
        // formats/neuron.md "Price CSVs": trn1.2xlarge 1.34, trn1.32xlarge 21.50 (On-Demand).
        let p = rows
            .iter()
            .find(|r| r.instance_type == "trn1.32xlarge")
            .expect("row");
        assert_eq!(p.price_per_hour_usd.to_string(), "21.50");
        assert_eq!(p.pricing_model, "on_demand");
    }
}
