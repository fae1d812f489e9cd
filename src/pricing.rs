//! Price tables, aliases and the cost formulas (docs/metrics.md "Money"). Money is `Decimal`, parsed from
//! text, never through f64.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::metric::Metric;
use crate::model::{folder_of, PriceRow, Run, Scoped, TokenPrice};

/// A measured rate (f64) as the Decimal of its shortest round-trip text, so a throughput
/// read from `3014.3` in a file becomes exactly 3014.3, not its binary approximation.
#[must_use]
pub fn decimal_from_f64(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    use std::str::FromStr;
    Decimal::from_str(&format!("{v}"))
        .ok()
        .or_else(|| Decimal::from_f64_retain(v))
}

/// Cost of one million units (requests, output tokens, total tokens, images) at a throughput
/// of `units_per_s`, for an hourly price (docs/metrics.md "Money"):
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
    per_unit_hours
        .checked_mul(hourly_usd)?
        .checked_div(Decimal::from(3600u32))
}

/// Cost per one million units at an hourly price, or `None` when either is unknown.
fn per_1m(hourly_usd: Option<Decimal>, units_per_s: Option<f64>) -> Option<Decimal> {
    cost_per_1m_usd(hourly_usd?, units_per_s?)
}

/// Which row priced a run, from which table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceMatch {
    /// The row used.
    pub row: PriceRow,
    /// The table file it came from (relative path for tables among the inputs, the configured
    /// path for `[pricing] tables`).
    pub table: String,
    /// The instance type looked up (after aliases).
    pub looked_up: String,
    /// How the row was chosen, when there was a choice (dated rows, several models).
    pub note: Option<String>,
}

/// The costs of one run (docs/metrics.md "Money"). `None` means unknown, never zero.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunCost {
    /// The hourly price used.
    pub price: Option<PriceMatch>,
    /// The token price used (token-priced endpoints).
    pub token_price: Option<TokenPrice>,
    /// `price_per_hour_usd × instance_count`.
    pub hourly_usd: Option<Decimal>,
    /// `hourly_usd / 3600 / request_throughput_rps × 1 000 000`.
    pub cost_per_1m_requests_usd: Option<Decimal>,
    /// `hourly_usd / 3600 / output_token_throughput_tps × 1 000 000`.
    pub cost_per_1m_output_tokens_usd: Option<Decimal>,
    /// `hourly_usd / 3600 / total_token_throughput_tps × 1 000 000`.
    pub cost_per_1m_total_tokens_usd: Option<Decimal>,
    /// `cost_per_1m_requests_usd / 100` (FMBench's budget unit).
    pub cost_per_10k_requests_usd: Option<Decimal>,
    /// Why the run has no price or no cost, when it has none.
    pub unknown_reason: Option<String>,
}

impl RunCost {
    /// A money metric of the run; `None` for the metrics that are not money.
    ///
    /// `price_per_hour_usd` answers with the price of all the run's instances (`hourly_usd`),
    /// which is what a budget on it has always checked.
    #[must_use]
    pub fn get(&self, metric: Metric) -> Option<Decimal> {
        match metric {
            Metric::PricePerHourUsd | Metric::HourlyUsd => self.hourly_usd,
            Metric::CostPer1mRequestsUsd => self.cost_per_1m_requests_usd,
            Metric::CostPer1mOutputTokensUsd => self.cost_per_1m_output_tokens_usd,
            Metric::CostPer1mTotalTokensUsd => self.cost_per_1m_total_tokens_usd,
            Metric::CostPer10kRequestsUsd => self.cost_per_10k_requests_usd,
            Metric::TtftMs
            | Metric::TpotMs
            | Metric::ItlMs
            | Metric::E2eMs
            | Metric::InputTokens
            | Metric::OutputTokens
            | Metric::RequestThroughputRps
            | Metric::OutputTokenThroughputTps
            | Metric::TotalTokenThroughputTps
            | Metric::ErrorRate
            | Metric::GoodputRps => None,
        }
    }
}

/// The throughputs and token means a cost needs, from `metrics.rs`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rates {
    /// Completed requests per second.
    pub request_throughput_rps: Option<f64>,
    /// Output tokens per second.
    pub output_token_throughput_tps: Option<f64>,
    /// Input + output tokens per second.
    pub total_token_throughput_tps: Option<f64>,
    /// Mean prompt tokens per completed request.
    pub input_tokens_mean: Option<f64>,
    /// Mean output tokens per completed request.
    pub output_tokens_mean: Option<f64>,
}

/// A price table named in `[pricing] tables`.
#[derive(Debug, Clone)]
pub struct GlobalTable {
    /// The path as configured (shown on the page).
    pub shown: String,
    /// Its rows.
    pub rows: Vec<PriceRow>,
    /// Its token prices.
    pub token_prices: Vec<TokenPrice>,
}

/// Every price bench-report knows for a build, and the rules that pick one for a run.
#[derive(Debug, Clone, Default)]
pub struct PriceBook {
    /// Rows found among the inputs, scoped to their folder.
    pub scoped: Vec<Scoped<PriceRow>>,
    /// Token prices found among the inputs.
    pub scoped_tokens: Vec<Scoped<TokenPrice>>,
    /// `[pricing] tables`.
    pub global: Vec<GlobalTable>,
    /// `[pricing] aliases`: run spelling → table spelling.
    pub aliases: BTreeMap<String, String>,
    /// `[pricing] region`.
    pub region: Option<String>,
    /// `[pricing] pricing_model`.
    pub pricing_model: Option<String>,
}

/// True when `scope` (a folder relative to the root) contains `folder`.
fn scope_contains(scope: &str, folder: &str) -> bool {
    scope.is_empty() || folder == scope || folder.starts_with(&format!("{scope}/"))
}

impl PriceBook {
    /// Pick the price of a run (docs/metrics.md "Money"): the nearest table among the inputs that prices its
    /// instance wins; `[pricing] tables` apply when no input table does; never a sibling
    /// folder's table. Among rows of one table, the region/pricing model configured, then the
    /// row in force at the run's date (latest `as_of` not after it).
    #[must_use]
    pub fn price_for(&self, run: &Run, root: &Path) -> Option<PriceMatch> {
        let instance = run.instance_type.as_deref()?;
        let looked_up = self.aliases.get(instance).map_or(instance, String::as_str);
        let folder = folder_of(&run.source_file);
        // Input tables: group by (scope), nearest (longest) scope first.
        let mut by_scope: BTreeMap<usize, BTreeMap<String, Vec<&PriceRow>>> = BTreeMap::new();
        for sp in &self.scoped {
            if sp.root != root
                || !scope_contains(&sp.scope, &folder)
                || sp.value.instance_type != looked_up
            {
                continue;
            }
            by_scope
                .entry(sp.scope.len())
                .or_default()
                .entry(sp.value.source.clone())
                .or_default()
                .push(&sp.value);
        }
        if let Some((_, tables)) = by_scope.into_iter().next_back() {
            // Several tables at the same depth: the first by name, deterministically.
            if let Some((table, rows)) = tables.into_iter().next() {
                if let Some((row, note)) = self.pick_row(&rows, run.date.as_deref()) {
                    return Some(PriceMatch {
                        row: row.clone(),
                        table,
                        looked_up: looked_up.to_string(),
                        note,
                    });
                }
            }
        }
        for table in &self.global {
            let rows: Vec<&PriceRow> = table
                .rows
                .iter()
                .filter(|r| r.instance_type == looked_up)
                .collect();
            if let Some((row, note)) = self.pick_row(&rows, run.date.as_deref()) {
                return Some(PriceMatch {
                    row: row.clone(),
                    table: table.shown.clone(),
                    looked_up: looked_up.to_string(),
                    note,
                });
            }
        }
        None
    }

    fn pick_row<'r>(
        &self,
        rows: &[&'r PriceRow],
        date: Option<&str>,
    ) -> Option<(&'r PriceRow, Option<String>)> {
        let mut candidates: Vec<&PriceRow> = rows
            .iter()
            .copied()
            .filter(|r| {
                self.region
                    .as_deref()
                    .is_none_or(|want| r.region.as_deref().is_none_or(|have| have == want))
            })
            .filter(|r| {
                self.pricing_model
                    .as_deref()
                    .is_none_or(|want| r.pricing_model == want)
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let mut note = None;
        if let Some(d) = date {
            let in_force: Vec<&PriceRow> = candidates
                .iter()
                .copied()
                .filter(|r| r.as_of.as_deref().is_none_or(|a| a <= d))
                .collect();
            if in_force.is_empty() {
                note = Some(format!(
                    "no price dated on or before the run date {d}; the earliest price was used"
                ));
                candidates.sort_by(|a, b| a.as_of.cmp(&b.as_of));
                candidates.truncate(1);
            } else {
                candidates = in_force;
            }
        } else if candidates.iter().any(|r| r.as_of.is_some()) && candidates.len() > 1 {
            note = Some("run date unknown; the latest price was used".into());
        }
        // Latest as_of first, on-demand before other models, then the rest deterministically.
        candidates.sort_by(|a, b| {
            b.as_of
                .cmp(&a.as_of)
                .then_with(|| {
                    (a.pricing_model != "on_demand").cmp(&(b.pricing_model != "on_demand"))
                })
                .then_with(|| a.pricing_model.cmp(&b.pricing_model))
                .then_with(|| a.region.cmp(&b.region))
        });
        let first = candidates.first().copied()?;
        let alternatives = candidates
            .iter()
            .filter(|r| {
                r.as_of == first.as_of
                    && (r.pricing_model != first.pricing_model || r.region != first.region)
            })
            .count();
        if alternatives > 0 && note.is_none() {
            note = Some(format!(
                "{} other row(s) for this instance; {} {} chosen (set [pricing] region / pricing_model to choose)",
                alternatives,
                first.pricing_model,
                first.region.as_deref().unwrap_or("(no region)")
            ));
        }
        Some((first, note))
    }

    /// A token price for the run, matched on its instance type (FMBench's key) or model.
    #[must_use]
    pub fn token_price_for(&self, run: &Run, root: &Path) -> Option<TokenPrice> {
        let folder = folder_of(&run.source_file);
        let keys: Vec<&str> = [run.instance_type.as_deref(), run.model.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let mut best: Option<(usize, &TokenPrice)> = None;
        for sp in &self.scoped_tokens {
            if sp.root != root
                || !scope_contains(&sp.scope, &folder)
                || !keys.contains(&sp.value.key.as_str())
            {
                continue;
            }
            if best.is_none_or(|(len, _)| sp.scope.len() > len) {
                best = Some((sp.scope.len(), &sp.value));
            }
        }
        if let Some((_, p)) = best {
            return Some(p.clone());
        }
        self.global
            .iter()
            .flat_map(|t| &t.token_prices)
            .find(|p| keys.contains(&p.key.as_str()))
            .cloned()
    }

    /// Price a run and compute its costs.
    #[must_use]
    pub fn cost(&self, run: &Run, root: &Path, rates: &Rates) -> RunCost {
        let price = self.price_for(run, root);
        let mut cost = RunCost::default();
        if let Some(m) = price {
            let hourly = m.row.price_per_hour_usd * Decimal::from(run.instance_count.unwrap_or(1));
            cost.hourly_usd = Some(hourly);
            cost.cost_per_1m_requests_usd = per_1m(Some(hourly), rates.request_throughput_rps);
            cost.cost_per_1m_output_tokens_usd =
                per_1m(Some(hourly), rates.output_token_throughput_tps);
            cost.cost_per_1m_total_tokens_usd =
                per_1m(Some(hourly), rates.total_token_throughput_tps);
            cost.cost_per_10k_requests_usd = cost
                .cost_per_1m_requests_usd
                .map(|c| c / Decimal::from(100u32));
            if cost.cost_per_1m_requests_usd.is_none()
                && cost.cost_per_1m_output_tokens_usd.is_none()
                && cost.cost_per_1m_total_tokens_usd.is_none()
            {
                cost.unknown_reason =
                    Some("priced, but the run has no throughput to divide by".into());
            }
            cost.price = Some(m);
            return cost;
        }
        if let Some(tp) = self.token_price_for(run, root) {
            token_costs(&mut cost, &tp, rates);
            cost.token_price = Some(tp);
            return cost;
        }
        cost.unknown_reason = Some(match run.instance_type.as_deref() {
            None => "no instance type in the file or [[source]] labels".into(),
            Some(i) => match self.aliases.get(i) {
                Some(a) => format!("no price for {i} (alias {a}) in any table that applies"),
                None => format!("no price for {i} in any table that applies"),
            },
        });
        cost
    }
}

/// Token-priced endpoints (docs/metrics.md "Money"): cost per request = input_tokens × input price +
/// output_tokens × output price, averaged over completed requests (prices per 1,000 tokens).
/// Per 1M output / total tokens follow from the same mean request.
fn token_costs(cost: &mut RunCost, tp: &TokenPrice, rates: &Rates) {
    let thousand = Decimal::from(1000u32);
    let million = Decimal::from(1_000_000u32);
    let (Some(inp), Some(out)) = (
        rates.input_tokens_mean.and_then(decimal_from_f64),
        rates.output_tokens_mean.and_then(decimal_from_f64),
    ) else {
        cost.unknown_reason = Some("token-priced, but the run has no token counts".into());
        return;
    };
    let per_request =
        inp / thousand * tp.input_per_1k_tokens_usd + out / thousand * tp.output_per_1k_tokens_usd;
    cost.cost_per_1m_requests_usd = Some(per_request * million);
    cost.cost_per_10k_requests_usd = Some(per_request * Decimal::from(10_000u32));
    if out > Decimal::ZERO {
        cost.cost_per_1m_output_tokens_usd = per_request.checked_div(out).map(|c| c * million);
    }
    if inp + out > Decimal::ZERO {
        cost.cost_per_1m_total_tokens_usd = per_request.checked_div(inp + out).map(|c| c * million);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal literal")
    }

    #[test]
    fn neuron_worked_examples_round_to_the_published_cents() {
        // The Neuron performance page: (throughput, rate) → its published "$x.xxx".
        let cases = [
            (3014.3, "12.981", "1.196"),       // LLM-1
            (110.23, "21.50", "54.180"),       // LLM-2
            (649.17, "12.981", "5.555"),       // LLM-3
            (117.61, "2.804", "6.623"),        // LLM-4
            (48.66, "12.981", "74.103"),       // VL-1
            (0.093, "1.97", "5884.110"),       // VL-2
            (6949.174, "0.328", "0.013"),      // VL-3
            (2321.97758889, "0.512", "0.061"), // VL-4
        ];
        for (tput, rate, shown) in cases {
            let cost = cost_per_1m_usd(d(rate), tput).expect("priced");
            let r =
                cost.round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointNearestEven);
            assert_eq!(r, d(shown), "throughput {tput} at {rate}/h: {cost}");
        }
        // The 28-digit value of LLM-1 the note prints.
        assert_eq!(
            cost_per_1m_usd(d("12.981"), 3014.3)
                .expect("priced")
                .round_dp(15),
            d("1.196242355881410")
        );
    }

    fn row(instance: &str, price: &str, as_of: Option<&str>, source: &str) -> PriceRow {
        PriceRow {
            instance_type: instance.into(),
            region: None,
            pricing_model: "on_demand".into(),
            price_per_hour_usd: d(price),
            source: source.into(),
            as_of: as_of.map(str::to_string),
        }
    }

    fn run_in(file: &str, instance: &str, date: Option<&str>) -> Run {
        Run {
            source_file: file.into(),
            instance_type: Some(instance.into()),
            date: date.map(str::to_string),
            ..Run::default()
        }
    }

    #[test]
    fn nearest_table_wins_and_siblings_never_price() {
        let root = PathBuf::from("r");
        let scoped = |scope: &str, price: &str| Scoped {
            scope: scope.into(),
            root: root.clone(),
            value: row("g5.2xlarge", price, None, &format!("{scope}/p.csv")),
        };
        let book = PriceBook {
            scoped: vec![scoped("", "1.0"), scoped("a", "2.0"), scoped("b", "3.0")],
            ..PriceBook::default()
        };
        let m = book
            .price_for(&run_in("a/x/run.json", "g5.2xlarge", None), &root)
            .expect("priced");
        assert_eq!(m.row.price_per_hour_usd, d("2.0"));
        let m = book
            .price_for(&run_in("c/run.json", "g5.2xlarge", None), &root)
            .expect("priced");
        assert_eq!(
            m.row.price_per_hour_usd,
            d("1.0"),
            "root table applies, sibling b does not"
        );
        assert!(book
            .price_for(&run_in("a/run.json", "g6.xlarge", None), &root)
            .is_none());
    }

    #[test]
    fn dated_rows_pick_the_one_in_force_and_aliases_map_spellings() {
        let book = PriceBook {
            global: vec![GlobalTable {
                shown: "p.csv".into(),
                rows: vec![
                    row("inf2.xlarge", "0.99", Some("2023-01-01"), "s"),
                    row("inf2.xlarge", "0.7582", Some("2024-06-01"), "s"),
                ],
                token_prices: vec![],
            }],
            aliases: [("Inf2.xlarge".to_string(), "inf2.xlarge".to_string())].into(),
            ..PriceBook::default()
        };
        let root = PathBuf::from("r");
        let old = book
            .price_for(&run_in("x.json", "Inf2.xlarge", Some("2023-09-21")), &root)
            .expect("priced");
        assert_eq!(old.row.price_per_hour_usd, d("0.99"));
        let new = book
            .price_for(&run_in("x.json", "Inf2.xlarge", Some("2025-01-01")), &root)
            .expect("priced");
        assert_eq!(new.row.price_per_hour_usd, d("0.7582"));
        assert_eq!(new.looked_up, "inf2.xlarge");
    }

    #[test]
    fn costs_follow_design_formulas_and_unpriced_is_unknown() {
        let book = PriceBook {
            global: vec![GlobalTable {
                shown: "p.csv".into(),
                rows: vec![row("g5.2xlarge", "1.212", None, "s")],
                token_prices: vec![],
            }],
            ..PriceBook::default()
        };
        let mut run = run_in("x.json", "g5.2xlarge", None);
        run.instance_count = Some(2);
        let rates = Rates {
            request_throughput_rps: Some(2.0),
            output_token_throughput_tps: Some(400.0),
            total_token_throughput_tps: Some(1000.0),
            ..Rates::default()
        };
        let c = book.cost(&run, Path::new("r"), &rates);
        // hourly 2.424; per request-second 2.424/3600; /2 rps × 1e6 = 336.666…
        assert_eq!(c.hourly_usd, Some(d("2.424")));
        assert_eq!(
            c.cost_per_1m_requests_usd.expect("cost").round_dp(6),
            d("336.666667")
        );
        assert_eq!(
            c.cost_per_1m_output_tokens_usd.expect("cost").round_dp(6),
            d("1.683333")
        );
        assert_eq!(
            c.cost_per_1m_total_tokens_usd.expect("cost").round_dp(6),
            d("0.673333")
        );
        assert_eq!(
            c.cost_per_10k_requests_usd.expect("cost").round_dp(6),
            d("3.366667")
        );
        let unpriced = book.cost(
            &run_in("x.json", "p5.48xlarge", None),
            Path::new("r"),
            &rates,
        );
        assert!(unpriced.cost_per_1m_requests_usd.is_none());
        assert!(unpriced
            .unknown_reason
            .expect("reason")
            .contains("p5.48xlarge"));
    }

    #[test]
    fn token_prices_cost_per_request() {
        // FMBench W6: 0.0008 / 0.0024 USD per 1k tokens; a request of 1000 in / 100 out costs
        // 0.0008 + 0.00024 = 0.00104 USD → 1040 USD per 1M requests.
        let tp = TokenPrice {
            key: "ClaudeInstant-ODT".into(),
            input_per_1k_tokens_usd: d("0.0008"),
            output_per_1k_tokens_usd: d("0.0024"),
            source: "s".into(),
        };
        let mut c = RunCost::default();
        token_costs(
            &mut c,
            &tp,
            &Rates {
                input_tokens_mean: Some(1000.0),
                output_tokens_mean: Some(100.0),
                ..Rates::default()
            },
        );
        assert_eq!(c.cost_per_1m_requests_usd, Some(d("1040")));
        // 0.00104 USD over 100 output tokens = 0.0000104 USD per token → 10.4 per 1M.
        assert_eq!(c.cost_per_1m_output_tokens_usd, Some(d("10.4")));
    }

    #[test]
    fn zero_or_unknown_throughput_has_no_cost() {
        assert_eq!(cost_per_1m_usd(d("1.0"), 0.0), None);
        assert_eq!(cost_per_1m_usd(d("1.0"), f64::NAN), None);
    }
}
