//! FMBench YAML: the config (`experiments`, `metrics.dataset_of_interest`, `report:` budgets,
//! inline `pricing:` of Jan–Mar 2024) and `pricing.yml` (`instance_based`, `token_based`).
//! Prices are read as the scalar's TEXT (sliced from the source by its span) and parsed into
//! `Decimal`, never through f64.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::{IngestError, Location};
use crate::model::{PriceRow, TokenPrice};

use super::rules::Budgets;

/// One `experiments:` entry (only what a report needs).
#[derive(Debug, Clone, Deserialize)]
#[allow(
    dead_code,
    reason = "fields kept for tests and future checks against the summary rows"
)]
pub struct RawExperiment {
    /// `name` = `experiment_name` in the CSVs.
    pub name: String,
    /// Model id (`meta-llama/Meta-Llama-3-8B-Instruct`).
    pub model_id: Option<String>,
    /// FMBench's short model name.
    pub model_name: Option<String>,
    /// Instance type (key into the prices).
    pub instance_type: Option<String>,
    /// Instance count, as text (`null` → none).
    pub instance_count: Option<String>,
    /// Container image.
    pub image_uri: Option<String>,
    /// Concurrency levels, as text.
    pub concurrency_levels: Option<Vec<String>>,
    /// Payload files.
    pub payload_files: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct RawMetrics {
    dataset_of_interest: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawGeneral {
    name: Option<String>,
    model_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawConfig {
    experiments: Vec<RawExperiment>,
    metrics: Option<RawMetrics>,
    general: Option<RawGeneral>,
    report: Option<BTreeMap<String, Spanned<Scalar>>>,
    pricing: Option<Spanned<PricingField>>,
}

/// A config read for what bench-report needs.
#[derive(Debug, Clone, Default)]
pub struct FmbenchConfig {
    /// Experiments in config order.
    pub experiments: Vec<RawExperiment>,
    /// `metrics.dataset_of_interest`.
    pub dataset_of_interest: Option<String>,
    /// `general.name`.
    pub general_name: Option<String>,
    /// `general.model_name`.
    pub general_model_name: Option<String>,
    /// `report:` budgets when the config has a `report:` section with `latency_budget`.
    pub budgets: Option<Budgets>,
    /// `report.latency_latitude` was present (2.0.x from Sep 2024).
    pub has_latitude: bool,
    /// Inline `pricing:` map (Jan–Mar 2024): hourly prices.
    pub prices: Vec<PriceRow>,
    /// Inline token prices.
    pub token_prices: Vec<TokenPrice>,
    /// `pricing: pricing.yml` (2.0.x): the file name FMBench loaded from its package.
    pub pricing_file: Option<String>,
}

impl FmbenchConfig {
    /// The experiment of this name.
    #[must_use]
    pub fn experiment(&self, name: &str) -> Option<&RawExperiment> {
        self.experiments.iter().find(|e| e.name == name)
    }
}

/// A scalar as text, or anything else (ignored).
#[derive(Debug)]
pub enum Scalar {
    /// Scalar text (numbers arrive as f64 from the deserializer; the text is sliced by span).
    Value,
    /// A sequence or map.
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Scalar, E> {
                Ok(Scalar::Value)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
                Ok(Scalar::Value)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Scalar, E> {
                Ok(Scalar::Value)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Scalar, E> {
                Ok(Scalar::Value)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar, E> {
                Ok(Scalar::Value)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Scalar, A::Error> {
                while s.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Scalar, A::Error> {
                while m.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// An inline price entry: an hourly scalar or a list of one-key maps (token prices).
#[derive(Debug)]
pub enum PriceEntry {
    /// Hourly price (text sliced by span).
    Hourly,
    /// `[{input-per-1k-tokens: x}, {output-per-1k-tokens: y}]`, values as text.
    Tokens(Vec<BTreeMap<String, String>>),
}

impl<'de> Deserialize<'de> for PriceEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PriceEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a price per hour or a list of per-1k-token prices")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<PriceEntry, E> {
                Ok(PriceEntry::Hourly)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<PriceEntry, E> {
                Ok(PriceEntry::Hourly)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<PriceEntry, E> {
                Ok(PriceEntry::Hourly)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<PriceEntry, E> {
                Ok(PriceEntry::Hourly)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<PriceEntry, A::Error> {
                let mut out = Vec::new();
                while let Some(m) = s.next_element::<BTreeMap<String, String>>()? {
                    out.push(m);
                }
                Ok(PriceEntry::Tokens(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// `pricing:` in a config: a file name (2.0.x) or an inline map (Jan–Mar 2024).
#[derive(Debug)]
pub enum PricingField {
    /// `pricing: pricing.yml`.
    File(String),
    /// Inline map.
    Map(BTreeMap<String, Spanned<PriceEntry>>),
}

impl<'de> Deserialize<'de> for PricingField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PricingField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a pricing file name or a map of prices")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PricingField, E> {
                Ok(PricingField::File(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<PricingField, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((k, v)) = m.next_entry::<String, Spanned<PriceEntry>>()? {
                    out.insert(k, v);
                }
                Ok(PricingField::Map(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn options() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    // FMBench's templates carry long commented-out blocks; comment events are not needed and
    // the default look-ahead budget for buffered comments rejects them.
    o.emit_comments = false;
    o
}

fn yaml_error(e: &serde_saphyr::Error, path: &Path) -> IngestError {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").to_string();
    IngestError::syntax(Location::file(path), format!("invalid YAML: {first}"))
}

/// The source text of a spanned scalar.
fn span_text<'a, T>(text: &'a str, s: &Spanned<T>) -> Option<&'a str> {
    let span = s.defined.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    let t = text.get(start..start.checked_add(len)?)?.trim();
    Some(t.trim_matches(|c| c == '"' || c == '\''))
}

fn decimal(text: &str, path: &Path, line: u64, key: &str) -> Result<Decimal, IngestError> {
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| {
            IngestError::wrong_type(
                Location::line(path, line, Some(key)),
                "a price (decimal number)",
                format!("{text:?}"),
            )
        })
}

fn f64_text(text: &str, path: &Path, line: u64, key: &str) -> Result<f64, IngestError> {
    text.parse::<f64>().map_err(|_| {
        IngestError::wrong_type(
            Location::line(path, line, Some(key)),
            "a number",
            format!("{text:?}"),
        )
    })
}

fn token_price(
    key: &str,
    items: &[BTreeMap<String, String>],
    path: &Path,
    line: u64,
    source: &str,
) -> Result<TokenPrice, IngestError> {
    let find = |name: &str| items.iter().find_map(|m| m.get(name)).map(String::as_str);
    let get = |name: &'static str| -> Result<Decimal, IngestError> {
        let t = find(name)
            .ok_or_else(|| IngestError::missing(Location::line(path, line, Some(key)), name))?;
        decimal(t.trim(), path, line, name)
    };
    Ok(TokenPrice {
        key: key.to_string(),
        input_per_1k_tokens_usd: get("input-per-1k-tokens")?,
        output_per_1k_tokens_usd: get("output-per-1k-tokens")?,
        source: source.to_string(),
    })
}

fn hourly(key: &str, price: Decimal, source: &str) -> PriceRow {
    PriceRow {
        instance_type: key.to_string(),
        region: None,
        pricing_model: "on_demand".into(),
        price_per_hour_usd: price,
        source: source.to_string(),
        as_of: None,
    }
}

/// Read a config.
///
/// # Errors
/// Invalid YAML, or a budget or price that is not a number.
pub fn read_config(text: &str, path: &Path, rel: &str) -> Result<FmbenchConfig, IngestError> {
    let raw: RawConfig =
        serde_saphyr::from_str_with_options(text, options()).map_err(|e| yaml_error(&e, path))?;
    let mut cfg = FmbenchConfig {
        experiments: raw.experiments,
        dataset_of_interest: raw.metrics.and_then(|m| m.dataset_of_interest),
        general_name: raw.general.as_ref().and_then(|g| g.name.clone()),
        general_model_name: raw.general.as_ref().and_then(|g| g.model_name.clone()),
        ..FmbenchConfig::default()
    };
    if let Some(report) = &raw.report {
        let get = |key: &str| -> Result<Option<f64>, IngestError> {
            match report.get(key) {
                Some(s) if matches!(s.value, Scalar::Value) => {
                    let t = span_text(text, s).unwrap_or_default();
                    f64_text(t, path, s.defined.line(), &format!("report.{key}")).map(Some)
                }
                _ => Ok(None),
            }
        };
        if let Some(latency) = get("latency_budget")? {
            let d = Budgets::default();
            let latitude = get("latency_latitude")?;
            cfg.has_latitude = latitude.is_some();
            cfg.budgets = Some(Budgets {
                latency_budget_s: latency,
                cost_per_10k_txn_budget_usd: get("cost_per_10k_txn_budget")?
                    .unwrap_or(d.cost_per_10k_txn_budget_usd),
                error_rate_budget: get("error_rate_budget")?.unwrap_or(d.error_rate_budget),
                latency_latitude: latitude.unwrap_or(d.latency_latitude),
            });
        }
    }
    match raw.pricing.map(|p| p.value) {
        Some(PricingField::File(f)) => cfg.pricing_file = Some(f),
        Some(PricingField::Map(map)) => {
            for (key, entry) in &map {
                let line = entry.defined.line();
                match &entry.value {
                    PriceEntry::Hourly => {
                        let t = span_text(text, entry).unwrap_or_default();
                        cfg.prices
                            .push(hourly(key, decimal(t, path, line, key)?, rel));
                    }
                    PriceEntry::Tokens(items) => cfg
                        .token_prices
                        .push(token_price(key, items, path, line, rel)?),
                }
            }
        }
        None => {}
    }
    Ok(cfg)
}

#[derive(Debug, Deserialize)]
struct RawPricingFile {
    pricing: RawPricing,
}

#[derive(Debug, Deserialize)]
struct RawPricing {
    instance_based: Option<BTreeMap<String, Spanned<String>>>,
    token_based: Option<BTreeMap<String, Spanned<BTreeMap<String, String>>>>,
}

/// Read `pricing.yml`: `instance_based` → hourly rows, `token_based` → token prices, each with
/// `source` = the file's relative path.
///
/// # Errors
/// Invalid YAML, or a price that is not a decimal number.
pub fn read_pricing(
    text: &str,
    path: &Path,
    rel: &str,
) -> Result<(Vec<PriceRow>, Vec<TokenPrice>), IngestError> {
    let raw: RawPricingFile =
        serde_saphyr::from_str_with_options(text, options()).map_err(|e| yaml_error(&e, path))?;
    let mut prices = Vec::new();
    for (key, v) in raw.pricing.instance_based.unwrap_or_default() {
        prices.push(hourly(
            &key,
            decimal(v.value.trim(), path, v.defined.line(), &key)?,
            rel,
        ));
    }
    let mut tokens = Vec::new();
    for (key, v) in raw.pricing.token_based.unwrap_or_default() {
        let items = vec![v.value.clone()];
        tokens.push(token_price(&key, &items, path, v.defined.line(), rel)?);
    }
    Ok((prices, tokens))
}
