//! The view model (README "Outputs"): what the pages show, built once from the [`Evaluation`] and
//! typed, so templates, charts and every page format read the same values. A cell keeps its
//! number, unit and provenance beside its display text (see [`table`]); the site is a list of
//! pages (the index today; one page per group later). Text here is never escaped: escaping
//! belongs to each renderer. Templates format; they compute nothing.
//!
//! The view reads the evaluation, the model, the metric catalogue and `format.rs`; it never
//! imports ingest, render or the commands (ARCHITECTURE.md).

pub mod charts;
mod prices;
mod runs;
mod sources;
pub mod table;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::budget::Status;
use crate::evaluate::Evaluation;
use crate::format;
use crate::metric;
use crate::model::Run;

pub use charts::ChartRef;
pub use prices::{prices_table, unpriced_table};
pub use runs::{failed_table, runs_table};
pub use sources::{definitions_table, inputs_table, notes_table, skipped_table};
pub use table::{Cell, Column, Number, Source, Table};

/// Every page of a build, in the order they are written.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// The pages.
    pub pages: Vec<Page>,
}

/// One page: its file stem (relative to the output folder, without extension) and content.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// File stem: `index` becomes `index.md` under the `md` renderer.
    pub name: String,
    /// What the page shows.
    pub content: PageContent,
}

/// The kinds of page; each kind has its template (`templates/<format>/<kind>.<ext>.j2`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum PageContent {
    /// The overview: runs, budgets, prices, inputs, methodology.
    Index(IndexPage),
}

impl PageContent {
    /// The template kind (`index`).
    #[must_use]
    pub fn template(&self) -> &'static str {
        match self {
            PageContent::Index(_) => "index",
        }
    }

    /// The page's tables by the name templates use, so a renderer can hand them to its
    /// template engine as tables rather than as plain data.
    #[must_use]
    pub fn tables(&self) -> Vec<(&'static str, &Table)> {
        match self {
            PageContent::Index(p) => vec![
                ("runs", &p.runs),
                ("failed", &p.failed),
                ("prices", &p.prices),
                ("unpriced", &p.unpriced),
                ("definitions", &p.definitions),
                ("inputs", &p.inputs),
                ("skipped", &p.skipped),
                ("notes", &p.notes),
            ],
        }
    }
}

/// The index page: every field is a template variable of `index.<ext>.j2`.
#[derive(Debug, Clone, Serialize)]
pub struct IndexPage {
    /// Page title.
    pub title: String,
    /// Counts for the header line.
    pub counts: Counts,
    /// The config file used, as given.
    pub config_path: Option<String>,
    /// One row per run.
    pub runs: Table,
    /// True when some values in the runs table are reported rather than computed.
    pub has_reported: bool,
    /// Budgets as configured.
    pub budgets: Vec<BudgetView>,
    /// Failed (or unknown) runs with the failing values.
    pub failed: Table,
    /// Recommendation sentences, one per group.
    pub recommendations: Vec<String>,
    /// Best price-performance sentences, one per dataset.
    pub best: Vec<String>,
    /// Prices used.
    pub prices: Table,
    /// Unpriced runs and why.
    pub unpriced: Table,
    /// Where tool definitions differ from bench-report's.
    pub definitions: Table,
    /// Files read.
    pub inputs: Table,
    /// Files skipped and why.
    pub skipped: Table,
    /// Warnings.
    pub warnings: Vec<String>,
    /// Provenance notes per run.
    pub notes: Table,
    /// Percentile method in force (`linear`, `nearest`).
    pub percentile_method: String,
    /// Configured percentiles (`p90, p95, p99`).
    pub percentiles: String,
    /// Every formula used.
    pub formulas: Vec<Formula>,
    /// Charts of every run of the build (`charts/<stem>.svg` and `.png`).
    pub charts: Vec<ChartRef>,
}

/// Counts shown near the title.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// Runs.
    pub runs: usize,
    /// Files read.
    pub inputs: usize,
    /// Files skipped.
    pub skipped: usize,
    /// Runs that pass every budget.
    pub passing: usize,
    /// Runs without a price.
    pub unpriced: usize,
}

/// A budget as shown (`e2e_ms.p95 ≤ 2000`).
#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    /// `e2e_ms.p95 ≤ 2000`, both bounds joined by `and`.
    pub text: String,
}

/// One formula of the methodology footer.
#[derive(Debug, Clone, Serialize)]
pub struct Formula {
    /// What it computes.
    pub name: String,
    /// The formula.
    pub text: String,
}

impl View {
    /// Every chart of every page, for `build` to draw and fill in.
    pub fn charts_mut(&mut self) -> impl Iterator<Item = &mut ChartRef> {
        self.pages.iter_mut().flat_map(|p| match &mut p.content {
            PageContent::Index(i) => i.charts.iter_mut(),
        })
    }

    /// Build every page.
    #[must_use]
    pub fn build(ev: &Evaluation) -> View {
        View {
            pages: vec![Page {
                name: "index".into(),
                content: PageContent::Index(IndexPage::build(ev)),
            }],
        }
    }
}

impl IndexPage {
    /// The index page: each table from its own function.
    #[must_use]
    pub fn build(ev: &Evaluation) -> IndexPage {
        let runs = runs_table(ev);
        let unpriced = unpriced_table(ev);
        IndexPage {
            title: ev.title.clone(),
            counts: Counts {
                runs: ev.runs.len(),
                inputs: ev.inputs.len(),
                skipped: ev.skipped.len(),
                passing: ev
                    .runs
                    .iter()
                    .filter(|e| e.status == Some(Status::Pass))
                    .count(),
                unpriced: unpriced.rows.len(),
            },
            config_path: ev.config_path.clone(),
            has_reported: runs.rows.iter().flatten().any(Cell::is_reported),
            runs,
            budgets: budgets(ev),
            failed: failed_table(ev),
            recommendations: ev
                .recommendations
                .iter()
                .map(|r| r.sentence.clone())
                .collect(),
            best: ev.best.iter().map(|(_, _, s)| s.clone()).collect(),
            prices: prices_table(ev),
            unpriced,
            definitions: definitions_table(ev),
            inputs: inputs_table(ev),
            skipped: skipped_table(ev),
            warnings: ev.warnings.clone(),
            notes: notes_table(ev),
            percentile_method: ev.config.metrics.percentile_method.name().to_string(),
            percentiles: ev
                .config
                .metrics
                .percentiles
                .iter()
                .map(|p| format!("p{}", format::float(*p)))
                .collect::<Vec<_>>()
                .join(", "),
            formulas: metric::FORMULAS
                .iter()
                .map(|(n, t)| Formula {
                    name: (*n).into(),
                    text: (*t).into(),
                })
                .collect(),
            charts: charts::chart_refs(
                &ev.runs.iter().collect::<Vec<_>>(),
                "all",
                &ev.config.budget,
            ),
        }
    }
}

/// The configured budgets, one line each.
fn budgets(ev: &Evaluation) -> Vec<BudgetView> {
    ev.config
        .budget
        .iter()
        .map(|b| {
            let mut parts = Vec::new();
            if let Some(m) = b.max {
                parts.push(format!("{} ≤ {}", b.metric, format::float(m)));
            }
            if let Some(m) = b.min {
                parts.push(format!("{} ≥ {}", b.metric, format::float(m)));
            }
            BudgetView {
                text: parts.join(" and "),
            }
        })
        .collect()
}

/// A run's short display name: the file name, and the run's name inside it when it has one.
#[must_use]
pub fn run_label(run: &Run) -> String {
    let stem = run
        .source_file
        .rsplit('/')
        .next()
        .unwrap_or(&run.source_file);
    match &run.name {
        Some(n) if !n.is_empty() => format!("{stem} · {n}"),
        _ => stem.to_string(),
    }
}

fn opt(s: Option<&String>) -> String {
    s.cloned().unwrap_or_default()
}
