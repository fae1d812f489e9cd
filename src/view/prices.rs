//! The prices used (one row per price-table row that priced a run) and the unpriced runs.

use std::collections::{BTreeMap, BTreeSet};

use crate::evaluate::EvaluatedRun;
use crate::metric::Metric;

use super::opt;
use super::runs::run_cell;
use super::table::{Cell, Table};

/// A price row is shown once per (instance type, table, as-of date).
type PriceKey = (String, String, String);

/// Every price row that priced a run, how many runs it priced and the notes on its choice.
#[must_use]
pub fn prices_table(evaluated: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[
        ("Instance", false),
        ("$/h", true),
        ("Pricing model", false),
        ("Region", false),
        ("As of", false),
        ("Table", false),
        ("Source", false),
        ("Runs", true),
        ("Note", false),
    ]);
    let mut runs: BTreeMap<PriceKey, usize> = BTreeMap::new();
    let mut notes: BTreeMap<PriceKey, BTreeSet<String>> = BTreeMap::new();
    let mut rows: BTreeMap<PriceKey, Vec<Cell>> = BTreeMap::new();
    for m in evaluated.iter().filter_map(|er| er.cost.price.as_ref()) {
        let key = (
            m.row.instance_type.clone(),
            m.table.clone(),
            m.row.as_of.clone().unwrap_or_default(),
        );
        *runs.entry(key.clone()).or_default() += 1;
        if let Some(n) = &m.note {
            notes.entry(key.clone()).or_default().insert(n.clone());
        }
        rows.entry(key).or_insert_with(|| {
            vec![
                Cell::text(m.row.instance_type.clone()),
                Cell::money(Some(m.row.price_per_hour_usd), 4, Metric::PricePerHourUsd),
                Cell::text(m.row.pricing_model.clone()),
                Cell::text(opt(m.row.region.as_ref())),
                Cell::text(m.row.as_of.clone().unwrap_or_else(|| "not stated".into())),
                Cell::text(m.table.clone()),
                Cell::text(m.row.source.clone()),
            ]
        });
    }
    for (key, mut row) in rows {
        row.push(Cell::count(runs.get(&key).copied().unwrap_or(0)));
        row.push(Cell::text(
            notes
                .get(&key)
                .map(|n| n.iter().cloned().collect::<Vec<_>>().join("; "))
                .unwrap_or_default(),
        ));
        table.rows.push(row);
    }
    table
}

/// Runs with neither an hourly nor a token price, and why: their cost is unknown, never 0.
#[must_use]
pub fn unpriced_table(runs: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[("Run", false), ("Instance", false), ("Why", false)]);
    for er in runs
        .iter()
        .filter(|e| e.cost.price.is_none() && e.cost.token_price.is_none())
    {
        table.rows.push(vec![
            run_cell(er),
            Cell::text(opt(er.run.instance_type.as_ref())),
            Cell::text(
                er.cost
                    .unknown_reason
                    .clone()
                    .unwrap_or_else(|| "unknown".into()),
            ),
        ]);
    }
    table
}
