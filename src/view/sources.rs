//! Where the numbers come from: files read and skipped, the tools' own metric definitions and
//! the provenance notes of each run.

use std::collections::BTreeSet;

use std::collections::BTreeMap;

use crate::evaluate::{EvaluatedRun, Evaluation};

use super::runs::run_cell;
use super::table::{Cell, Table};

/// Where a tool's definition of a metric differs from bench-report's, once per (tool, metric,
/// text), sorted.
#[must_use]
pub fn definitions_table(runs: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[
        ("Tool", false),
        ("Metric", false),
        ("The tool's definition", false),
    ]);
    let mut defs: BTreeSet<(String, String, String)> = BTreeSet::new();
    for er in runs {
        let tool = &er.run.source_format;
        for (metric, text) in &er.run.definitions {
            defs.insert((tool.clone(), metric.clone(), text.clone()));
        }
        for (metric, rep) in &er.run.reported {
            if let Some(m) = &rep.method {
                defs.insert((tool.clone(), metric.clone(), format!("{} ({m})", rep.label)));
            }
        }
    }
    for (tool, metric, text) in defs {
        table.push_text([tool, metric, text]);
    }
    table
}

/// Every file read: its format, runs and the start of its SHA-256.
#[must_use]
pub fn inputs_table(ev: &Evaluation) -> Table {
    let mut table = Table::new(&[
        ("File", false),
        ("Format", false),
        ("Runs", true),
        ("SHA-256", false),
        ("Notes", false),
    ]);
    for i in &ev.inputs {
        table.rows.push(vec![
            Cell::text(i.path.clone()),
            Cell::text(i.format.clone()),
            Cell::count(i.runs),
            Cell::text(i.sha256.chars().take(12).collect::<String>()),
            Cell::text(i.notes.join("; ")),
        ]);
    }
    table
}

/// Files not read, and why.
#[must_use]
pub fn skipped_table(ev: &Evaluation) -> Table {
    let mut table = Table::new(&[("File", false), ("Why it was skipped", false)]);
    for s in &ev.skipped {
        table.push_text([s.path.clone(), s.reason.clone()]);
    }
    table
}

/// Provenance remarks, one row per distinct note, with the runs it is about (`every run`
/// when it is about all of them), so a page of 40 runs does not repeat one note 40 times.
#[must_use]
pub fn notes_table(runs: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[("Note", false), ("Runs", false)]);
    let mut notes: BTreeMap<&str, Vec<&EvaluatedRun>> = BTreeMap::new();
    for er in runs {
        for n in &er.run.notes {
            let about = notes.entry(n.as_str()).or_default();
            if !about.iter().any(|e| std::ptr::eq(*e, *er)) {
                about.push(er);
            }
        }
    }
    for (note, about) in notes {
        let who = if about.len() == runs.len() && runs.len() > 1 {
            format!("every run ({})", runs.len())
        } else {
            about
                .iter()
                .map(|er| run_cell(er).text)
                .collect::<Vec<_>>()
                .join(", ")
        };
        table.rows.push(vec![Cell::text(note), Cell::text(who)]);
    }
    table
}
