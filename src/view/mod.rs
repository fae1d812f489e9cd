//! The view model (README "Outputs"): what the pages show, built once from the [`Evaluation`] and
//! typed, so templates, charts and every page format read the same values. A cell keeps its
//! number, unit and provenance beside its display text (see [`table`]); the site is a list of
//! pages (the index today; one page per group later). Text here is never escaped: escaping
//! belongs to each renderer. Templates format; they compute nothing.
//!
//! The view reads the evaluation, the model, the metric catalogue and `format.rs`; it never
//! imports ingest, render or the commands (ARCHITECTURE.md).

pub mod charts;
mod group;
mod made;
mod prices;
mod runs;
pub mod site;
mod sources;
pub mod table;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::budget::Status;
use crate::evaluate::{EvaluatedRun, Evaluation};
use crate::format;
use crate::metric;
use crate::model::Run;

pub use charts::ChartRef;
pub use group::{group_sections, GroupCounts, GroupPage, GroupSection, KeyView, Link, Part};
pub use made::{Made, Options, Setting};
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

/// One page: its file stem (relative to the output folder, `/`-separated, without
/// extension: `index`, `groups/llama-3-1-8b`) and content.
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
    /// The overview: recommendations, budgets, the groups with links, prices, methodology.
    Index(IndexPage),
    /// One group of runs (`[site] page_by`): its runs, failures, prices and notes.
    Group(GroupPage),
}

impl PageContent {
    /// The template kind (`index`, `group`).
    #[must_use]
    pub fn template(&self) -> &'static str {
        match self {
            PageContent::Index(_) => "index",
            PageContent::Group(_) => "group",
        }
    }

    /// How the page was made (every page ends with it).
    #[must_use]
    pub fn made(&self) -> &Made {
        match self {
            PageContent::Index(p) => &p.made,
            PageContent::Group(p) => &p.made,
        }
    }

    /// The index's sections of its table of groups (none on other pages).
    #[must_use]
    pub fn group_sections(&self) -> &[GroupSection] {
        match self {
            PageContent::Index(p) => &p.groups,
            PageContent::Group(_) => &[],
        }
    }

    /// The page's tables by the name templates use, so a renderer can hand them to its
    /// template engine as tables rather than as plain data.
    #[must_use]
    pub fn tables(&self) -> Vec<(&'static str, &Table)> {
        match self {
            PageContent::Index(p) => vec![("prices", &p.prices), ("skipped", &p.skipped)],
            PageContent::Group(p) => vec![
                ("runs", &p.runs),
                ("failed", &p.failed),
                ("prices", &p.prices),
                ("unpriced", &p.unpriced),
                ("definitions", &p.definitions),
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
    /// `description` from bench-report.toml (markdown written by the report's author).
    pub description: Option<String>,
    /// Counts for the header line.
    pub counts: Counts,
    /// The config file used, relative to the input root when it lies under it.
    pub config_path: Option<String>,
    /// The table of groups, in sections of at most 40 rows, each row linking to its page.
    pub groups: Vec<GroupSection>,
    /// Budgets as configured.
    pub budgets: Vec<BudgetView>,
    /// Recommendation sentences, one per group.
    pub recommendations: Vec<String>,
    /// Best price-performance sentences, one per dataset.
    pub best: Vec<String>,
    /// Prices used.
    pub prices: Table,
    /// Files skipped and why.
    pub skipped: Table,
    /// Warnings.
    pub warnings: Vec<String>,
    /// Percentile method in force (`linear`, `nearest`).
    pub percentile_method: String,
    /// Configured percentiles (`p90, p95, p99`).
    pub percentiles: String,
    /// Every formula used.
    pub formulas: Vec<Formula>,
    /// Charts of every run of the build (`charts/<stem>.svg` and `.png`).
    pub charts: Vec<ChartRef>,
    /// How the page was made.
    pub made: Made,
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
    /// Group pages.
    pub groups: usize,
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
            PageContent::Group(g) => g.charts.iter_mut(),
        })
    }

    /// Build every page with default options.
    #[must_use]
    pub fn build(ev: &Evaluation) -> View {
        View::build_with(ev, &Options::default())
    }

    /// Build every page: the index, then one page per group (`[site] page_by`), citing
    /// the build's `opts` in each page's footer.
    #[must_use]
    pub fn build_with(ev: &Evaluation, opts: &Options) -> View {
        let plans = site::plan(ev, &ev.config.site.page_by);
        let mut pages = vec![Page {
            name: "index".into(),
            content: PageContent::Index(IndexPage::build(ev, opts, &plans)),
        }];
        pages.extend(plans.iter().map(|p| Page {
            name: p.name.clone(),
            content: PageContent::Group(GroupPage::build(ev, opts, p)),
        }));
        View { pages }
    }
}

impl IndexPage {
    /// The index page: the summary and the table of groups.
    #[must_use]
    pub fn build(ev: &Evaluation, opts: &Options, plans: &[site::Plan]) -> IndexPage {
        let all: Vec<&EvaluatedRun> = ev.runs.iter().collect();
        let unpriced = unpriced_table(&all);
        IndexPage {
            title: ev.title.clone(),
            description: ev.config.description.clone(),
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
                groups: plans.len(),
            },
            config_path: opts.config.clone(),
            groups: group_sections(ev, plans),
            budgets: budgets(ev),
            recommendations: ev
                .recommendations
                .iter()
                .map(|r| r.sentence.clone())
                .collect(),
            best: ev.best.iter().map(|(_, _, s)| s.clone()).collect(),
            prices: prices_table(&all),
            skipped: skipped_table(ev),
            warnings: ev.warnings.clone(),
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
                "index",
            ),
            made: Made::build(ev, opts, &all, false),
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
