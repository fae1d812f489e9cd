//! A group page (`group.<ext>.j2`): one group's runs, failures, prices, notes and how the
//! page was made; and the index's table of groups that links to them.

use serde::Serialize;

use crate::budget::Status;
use crate::evaluate::{EvaluatedRun, Evaluation};
use crate::metric::Metric;

use super::charts::ChartRef;
use super::made::{Made, Options};
use super::site::{relative, GroupKey, Plan};
use super::table::{Cell, Table};
use super::{
    budgets, definitions_table, failed_table, notes_table, prices_table, run_label, runs_table,
    unpriced_table, BudgetView,
};

/// A link to another page: its text and its path relative to the page it is on, without
/// extension (each renderer adds its own and writes the link in its syntax).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// What the link reads.
    pub text: String,
    /// `../index`, `groups/llama-3-1-8b`.
    pub path: String,
}

/// Counts for a group page's header line.
#[derive(Debug, Clone, Serialize)]
pub struct GroupCounts {
    /// Runs on the page.
    pub runs: usize,
    /// Runs that pass every budget.
    pub passing: usize,
    /// Runs that fail a budget or cannot be checked.
    pub failing: usize,
    /// Runs without a price.
    pub unpriced: usize,
}

/// `(n, of)` of a group split into parts.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// This part, from 1.
    pub number: usize,
    /// How many parts.
    pub of: usize,
}

/// One group's page: every field is a template variable of `group.<ext>.j2`.
#[derive(Debug, Clone, Serialize)]
pub struct GroupPage {
    /// The group in words (`Llama-2-70b · instance type Inf2.48xlarge`).
    pub title: String,
    /// The report's title.
    pub report_title: String,
    /// Back to the index.
    pub index: Link,
    /// The group's key: `{ field, value, text }` (`value` none when unknown; `text` says
    /// `unknown model` then).
    pub group: Vec<KeyView>,
    /// Set when the group is split into parts.
    pub part: Option<Part>,
    /// Counts for the header line.
    pub counts: GroupCounts,
    /// Budgets as configured.
    pub budgets: Vec<BudgetView>,
    /// Recommendation sentences whose run (or closest miss) is on this page.
    pub recommendations: Vec<String>,
    /// One row per run.
    pub runs: Table,
    /// True when some values in `runs` are reported rather than computed.
    pub has_reported: bool,
    /// Runs that fail or cannot be checked against a budget.
    pub failed: Table,
    /// Prices used by these runs.
    pub prices: Table,
    /// These runs without a price, and why.
    pub unpriced: Table,
    /// Where these runs' tools define metrics differently.
    pub definitions: Table,
    /// Provenance notes, one row per distinct note.
    pub notes: Table,
    /// Warnings about these runs.
    pub warnings: Vec<String>,
    /// Charts of the group's runs (`charts/groups/<slug>/<kind>.svg` and `.png`).
    pub charts: Vec<ChartRef>,
    /// How the page was made.
    pub made: Made,
}

/// One field of a group's key as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    /// The run field (`model`).
    pub field: String,
    /// Its value, none when the runs do not say.
    pub value: Option<String>,
    /// The value, or `unknown model`.
    pub text: String,
}

impl From<&GroupKey> for KeyView {
    fn from(k: &GroupKey) -> Self {
        KeyView {
            field: k.field.clone(),
            value: k.value.clone(),
            text: k.text(),
        }
    }
}

impl GroupPage {
    /// The page of one planned group.
    #[must_use]
    pub fn build(ev: &Evaluation, opts: &Options, plan: &Plan) -> GroupPage {
        let runs: Vec<&EvaluatedRun> = plan.runs.iter().map(|i| &ev.runs[*i]).collect();
        let runs_t = runs_table(&runs);
        let unpriced = unpriced_table(&runs);
        let on_page = |i: Option<usize>| i.is_some_and(|i| plan.runs.contains(&i));
        let ids: Vec<String> = runs
            .iter()
            .map(|er| format!("({})", er.run.run_id))
            .collect();
        GroupPage {
            title: plan.title(),
            report_title: ev.title.clone(),
            index: Link {
                text: ev.title.clone(),
                path: relative(&plan.name, "index"),
            },
            group: plan.key.iter().map(KeyView::from).collect(),
            part: plan.part.map(|(number, of)| Part { number, of }),
            counts: GroupCounts {
                runs: runs.len(),
                passing: count(&runs, Status::Pass),
                failing: count(&runs, Status::Fail) + count(&runs, Status::Unknown),
                unpriced: unpriced.rows.len(),
            },
            budgets: budgets(ev),
            recommendations: ev
                .recommendations
                .iter()
                .filter(|r| on_page(r.run_index) || on_page(r.closest_miss))
                .map(|r| r.sentence.clone())
                .collect(),
            has_reported: runs_t.rows.iter().flatten().any(Cell::is_reported),
            runs: runs_t,
            failed: failed_table(&runs),
            prices: prices_table(&runs),
            unpriced,
            definitions: definitions_table(&runs),
            notes: notes_table(&runs),
            warnings: ev
                .warnings
                .iter()
                .filter(|w| ids.iter().any(|id| w.contains(id.as_str())))
                .cloned()
                .collect(),
            charts: super::charts::chart_refs(
                &runs,
                &format!("{}/", plan.name),
                &ev.config.budget,
                &plan.name,
            ),
            made: Made::build(ev, opts, &runs, true),
        }
    }
}

fn count(runs: &[&EvaluatedRun], status: Status) -> usize {
    runs.iter().filter(|e| e.status == Some(status)).count()
}

/// A section of the index's table of groups (at most [`super::site::MAX_RUNS_PER_PAGE`]
/// rows each, headed by the first and last group it lists, as a dictionary's guide words).
#[derive(Debug, Clone, Serialize)]
pub struct GroupSection {
    /// `Groups CodeLlama-13b-hf … Llama-3-8B`.
    pub title: String,
    /// One row per group page: link, runs, passing, best price-performance.
    pub table: Table,
}

/// The index's table of groups, in sections of at most 40 rows.
#[must_use]
pub fn group_sections(ev: &Evaluation, plans: &[Plan]) -> Vec<GroupSection> {
    let cost_metric = ev
        .config
        .recommend
        .cost_metric()
        .unwrap_or(Metric::CostPer1mRequestsUsd);
    let unit = cost_metric.cost_unit().unwrap_or("unit");
    let headers = [
        ("Group", false),
        ("Runs", true),
        ("Pass", true),
        ("Lowest cost run", false),
        ("Cost", true),
    ];
    let chunks = plans.len().div_ceil(super::site::MAX_RUNS_PER_PAGE).max(1);
    let size = plans.len().div_ceil(chunks).max(1);
    let mut out = Vec::new();
    for chunk in plans.chunks(size) {
        let mut table = Table::new(&headers);
        for plan in chunk {
            let runs: Vec<&EvaluatedRun> = plan.runs.iter().map(|i| &ev.runs[*i]).collect();
            let checked = runs.iter().any(|e| e.status.is_some());
            let best = runs
                .iter()
                .filter(|e| !checked || e.status == Some(Status::Pass))
                .filter_map(|e| e.cost.get(cost_metric).map(|c| (c, *e)))
                .min_by(|a, b| {
                    a.0.cmp(&b.0)
                        .then_with(|| a.1.run.run_id.cmp(&b.1.run.run_id))
                });
            let (who, cost) = match best {
                Some((c, e)) => (
                    format!("{} ({})", run_label(&e.run), e.run.load_label()),
                    Cell::money(Some(c), 3, cost_metric),
                ),
                None if checked => ("no priced run passes".into(), Cell::text("")),
                None => ("no run is priced".into(), Cell::text("")),
            };
            table.rows.push(vec![
                Cell::link(plan.title(), relative("index", &plan.name)),
                Cell::count(runs.len()),
                if checked {
                    Cell::count(count(&runs, Status::Pass))
                } else {
                    Cell::text("")
                },
                Cell::text(who),
                cost,
            ]);
        }
        let first = chunk.first().map(Plan::title).unwrap_or_default();
        let last = chunk.last().map(Plan::title).unwrap_or_default();
        out.push(GroupSection {
            title: if chunks == 1 {
                format!("Groups (cost per {unit})")
            } else {
                format!("Groups {first} … {last} (cost per {unit})")
            },
            table,
        });
    }
    out
}
