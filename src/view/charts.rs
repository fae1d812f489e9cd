//! Chart data (README "Charts"): which charts a set of runs can show, each as a [`ChartSpec`]
//! of plain numbers with names, units, series and reference lines. `charts/` draws them; this
//! file decides what is drawn, from the evaluation only. A chart is made only where its data
//! exists (two points at least), so a page never shows an empty frame.
//!
//! Series are model × instance × engine, named in words; a series' colour is derived from its
//! name where it is drawn, so it is the same in every chart of a site.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::BudgetSpec;
use crate::evaluate::EvaluatedRun;
use crate::metric::{Level, Metric, MetricKey, Stat};
use crate::model::Run;
use sweep::load_sweep;

/// The most series (or CDF runs) one chart shows; the rest are counted in its title.
pub const MAX_SERIES: usize = 8;
/// The most bars one bar chart shows (the cheapest); the rest are counted in its title.
pub const MAX_BARS: usize = 25;

/// One chart to draw: everything `charts::draw` needs, nothing it has to look up.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// File stem under `charts/` (`all-latency-vs-throughput`).
    pub stem: String,
    /// How it is drawn.
    pub kind: ChartKind,
    /// Title drawn above the chart.
    pub title: String,
    /// Alternative text: what the chart shows, in one sentence.
    pub alt: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Lines and points (XY charts).
    pub series: Vec<Series>,
    /// The Pareto frontier over the points shown, sorted by x (empty: none marked).
    pub frontier: Vec<(f64, f64)>,
    /// Budgets drawn as lines.
    pub references: Vec<Reference>,
    /// Bars, in drawing order (bar charts).
    pub bars: Vec<Bar>,
    /// A line of text below the chart (what every bar shares), or empty.
    pub note: String,
}

/// The ways a chart is drawn; `charts::KINDS` has one drawing function per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Points and lines on two numeric axes.
    Xy,
    /// Horizontal bars, one per labelled configuration.
    Bars,
}

/// An axis: its name and unit (`E2E latency p99`, `ms`).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// What is measured.
    pub name: String,
    /// The unit, shown in parentheses.
    pub unit: String,
}

impl Axis {
    fn new(name: impl Into<String>, unit: impl Into<String>) -> Axis {
        Axis {
            name: name.into(),
            unit: unit.into(),
        }
    }

    /// `name (unit)`.
    #[must_use]
    pub fn label(&self) -> String {
        if self.unit.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.unit)
        }
    }
}

/// One series: points in drawing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name in words; also what its colour is derived from.
    pub name: String,
    /// (x, y) points.
    pub points: Vec<(f64, f64)>,
    /// How it is drawn.
    pub style: Style,
    /// Listed in the legend (a thin p50 companion line is not).
    pub legend: bool,
    /// A palette index instead of the colour of the name: the CDF charts' lines are runs,
    /// not series, and are told apart by position (the same in both CDFs).
    pub colour: Option<usize>,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Markers joined by a line.
    PointsLine,
    /// Markers only.
    Points,
    /// A thin line without markers.
    ThinLine,
    /// A line without markers (CDF).
    Line,
}

/// Which axis a reference line crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefAxis {
    /// A vertical line at an x value.
    X,
    /// A horizontal line at a y value.
    Y,
}

/// A budget drawn as a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The axis whose value it marks.
    pub axis: RefAxis,
    /// The value.
    pub value: f64,
    /// Its label (`budget e2e_ms.p95 ≤ 10000`).
    pub label: String,
}

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The configuration, in words.
    pub label: String,
    /// Its length.
    pub value: f64,
    /// Its budget verdict: `Some(true)` passes, `Some(false)` fails or is unknown, `None`
    /// when no budget is configured.
    pub pass: Option<bool>,
}

/// The series a run belongs to: model × instance × engine, the parts that are known.
#[must_use]
pub fn series_name(run: &Run) -> String {
    let parts: Vec<&str> = [&run.model, &run.instance_type, &run.engine]
        .into_iter()
        .filter_map(|p| p.as_deref().filter(|s| !s.is_empty()))
        .collect();
    if parts.is_empty() {
        super::run_label(run)
    } else {
        parts.join(" · ")
    }
}

/// Accelerators a run used: tensor × pipeline × data parallel when any is known, else a count
/// in `accelerator` (`1xH100`, `8 x A100`) times the instance count. `None`: unknown.
#[must_use]
pub fn accelerator_count(run: &Run) -> Option<u32> {
    if run.tp.is_some() || run.pp.is_some() || run.dp.is_some() {
        let n = run.tp.unwrap_or(1) * run.pp.unwrap_or(1) * run.dp.unwrap_or(1);
        return (n > 0).then_some(n);
    }
    let n = parse_accelerator_count(run.accelerator.as_deref()?)?;
    Some(n * run.instance_count.unwrap_or(1).max(1))
}

/// Accelerator names a count in `accelerator` may multiply (case-insensitive prefixes). A
/// count before anything else (`1xStandard_ND96asr_v4`: one VM of eight GPUs) is not a GPU
/// count.
const ACCELERATORS: [&str; 22] = [
    "H100", "H200", "H20", "A100", "A10", "A40", "A6000", "L4", "L40", "V100", "T4", "B200",
    "B100", "GB200", "MI2", "MI3", "GAUDI", "TPU", "RTX", "INF", "TRN", "NEURON",
];

/// The count in an accelerator description: digits, optional spaces, `x` or `×`, then an
/// accelerator's name (`1xH100`, `8 x A100-80GB`, `4×L4`). `None` without one.
#[must_use]
pub fn parse_accelerator_count(text: &str) -> Option<u32> {
    let t = text.trim();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = t[digits.len()..].trim_start();
    let mut chars = rest.chars();
    let sep = chars.next()?;
    let name = chars.as_str().trim_start().to_ascii_uppercase();
    if !matches!(sep, 'x' | 'X' | '×') || !ACCELERATORS.iter().any(|a| name.starts_with(a)) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// The points of `points` that no other point beats on both axes (`x_high`: larger x is
/// better; `y_high` likewise), sorted by x then y, without repeats.
#[must_use]
pub fn pareto(points: &[(f64, f64)], x_high: bool, y_high: bool) -> Vec<(f64, f64)> {
    let better_eq = |a: f64, b: f64, high: bool| if high { a >= b } else { a <= b };
    let mut out: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|&(x, y)| x.is_finite() && y.is_finite())
        .filter(|&p| {
            !points.iter().any(|&q| {
                q != p
                    && q.0.is_finite()
                    && q.1.is_finite()
                    && better_eq(q.0, p.0, x_high)
                    && better_eq(q.1, p.1, y_high)
            })
        })
        .collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    out.dedup();
    out
}

/// A chart's file stem: `<slug>-<name>`, or `<slug><name>` when `slug` is a folder (ends
/// with `/`: a group's charts go to `charts/groups/<slug>/`, so no two groups' stems meet).
fn stem(slug: &str, name: &str) -> String {
    if slug.ends_with('/') {
        format!("{slug}{name}")
    } else {
        format!("{slug}-{name}")
    }
}

/// Every chart `runs` can show, stems made by [`stem`] from `slug`. `budgets` are drawn where they
/// bound a plotted metric.
#[must_use]
pub fn chart_specs(runs: &[&EvaluatedRun], slug: &str, budgets: &[BudgetSpec]) -> Vec<ChartSpec> {
    let mut out = Vec::new();
    out.extend(latency_vs_throughput(runs, slug, budgets));
    out.extend(cost_vs_latency(runs, slug, budgets));
    out.extend(load_sweep(runs, slug));
    out.extend(cdfs(runs, slug));
    out.extend(cost_bars(runs, slug));
    out.extend(per_gpu(runs, slug));
    out
}

const P99: Stat = Stat::P(Level::P99);
const P95: Stat = Stat::P(Level::P95);

/// The first key that two runs at least have a value for, each with the chart's other
/// value (`with`), so the chart it picks has points.
fn first_known(
    runs: &[&EvaluatedRun],
    keys: &[MetricKey],
    with: impl Fn(&EvaluatedRun) -> bool,
) -> Option<MetricKey> {
    keys.iter().copied().find(|k| {
        runs.iter()
            .filter(|r| r.number(*k).is_some() && with(r))
            .count()
            >= 2
    })
}

/// `TTFT p99` for `ttft_ms.p99`: the catalogue's short name and the statistic.
fn key_name(key: MetricKey) -> String {
    let short = match key.metric {
        Metric::TtftMs => "TTFT",
        Metric::TpotMs => "TPOT",
        Metric::ItlMs => "ITL",
        Metric::E2eMs => "E2E latency",
        m => m.label(),
    };
    match key.stat {
        Some(Stat::Median) => format!("{short} p50"),
        Some(s) => format!("{short} {s}"),
        None => short.to_string(),
    }
}

/// Budget lines on `key` (upper and lower bounds).
fn budget_lines(budgets: &[BudgetSpec], key: MetricKey, axis: RefAxis) -> Vec<Reference> {
    let mut out = Vec::new();
    for b in budgets.iter().filter(|b| b.metric.key() == Some(key)) {
        for (bound, sign) in [(b.max, '≤'), (b.min, '≥')] {
            if let Some(v) = bound {
                out.push(Reference {
                    axis,
                    value: v,
                    label: format!("budget {} {sign} {}", b.metric, crate::format::float(v)),
                });
            }
        }
    }
    out
}

/// Group points by series name; keep at most [`MAX_SERIES`] (those with most points, then by
/// name), in name order. Returns the series and how many were left out.
fn by_series(
    points: Vec<(String, (f64, f64))>,
    style: Style,
    sort_x: bool,
) -> (Vec<Series>, usize) {
    let mut map: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for (name, p) in points {
        if p.0.is_finite() && p.1.is_finite() {
            map.entry(name).or_default().push(p);
        }
    }
    let mut list: Vec<(String, Vec<(f64, f64)>)> = map.into_iter().collect();
    list.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let more = list.len().saturating_sub(MAX_SERIES);
    list.truncate(MAX_SERIES);
    list.sort_by(|a, b| a.0.cmp(&b.0));
    let series = list
        .into_iter()
        .map(|(name, mut points)| {
            if sort_x {
                points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            }
            Series {
                name,
                points,
                style,
                legend: true,
                colour: None,
            }
        })
        .collect();
    (series, more)
}

/// Every point the chart shows: its frontier is drawn over these, so it never runs through
/// series that are not shown.
fn shown_points(series: &[Series]) -> Vec<(f64, f64)> {
    series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .collect()
}

fn more_suffix(more: usize, what: &str) -> String {
    if more == 0 {
        String::new()
    } else {
        format!(" (+{more} more {what} not shown)")
    }
}

#[allow(clippy::too_many_arguments, reason = "one call site per XY chart")]
fn xy(
    slug: &str,
    name: &str,
    title: String,
    alt: String,
    x: Axis,
    y: Axis,
    series: Vec<Series>,
    frontier: Vec<(f64, f64)>,
    references: Vec<Reference>,
) -> ChartSpec {
    ChartSpec {
        stem: stem(slug, name),
        kind: ChartKind::Xy,
        title,
        alt,
        x,
        y,
        series,
        frontier,
        references,
        bars: Vec::new(),
        note: String::new(),
    }
}

/// E2E (or TTFT) tail latency vs output tokens/s per series, frontier and latency budget.
fn latency_vs_throughput(
    runs: &[&EvaluatedRun],
    slug: &str,
    budgets: &[BudgetSpec],
) -> Option<ChartSpec> {
    let x_key = Metric::OutputTokenThroughputTps.run_value();
    // The first latency budget on E2E or TTFT names the y axis, so its line can be drawn.
    let budgeted: Vec<MetricKey> = budgets
        .iter()
        .filter_map(|b| b.metric.key())
        .filter(|k| matches!(k.metric, Metric::E2eMs | Metric::TtftMs) && k.stat.is_some())
        .collect();
    let mut keys = budgeted;
    keys.extend([Metric::E2eMs.stat(P99), Metric::TtftMs.stat(P99)]);
    let y_key = first_known(runs, &keys, |r| r.number(x_key).is_some())?;
    let points: Vec<(String, (f64, f64))> = runs
        .iter()
        .filter_map(|r| Some((series_name(&r.run), (r.number(x_key)?, r.number(y_key)?))))
        .collect();
    let all: Vec<(f64, f64)> = points.iter().map(|(_, p)| *p).collect();
    if all.len() < 2 {
        return None;
    }
    // Points only: a series mixes datasets and lengths, so a line through it would zigzag.
    let (series, more) = by_series(points, Style::Points, true);
    let frontier = pareto(&shown_points(&series), true, false);
    let yname = key_name(y_key);
    Some(xy(
        slug,
        "latency-vs-throughput",
        format!(
            "{yname} vs output throughput{}",
            more_suffix(more, "series")
        ),
        format!(
            "{yname} in ms against output tokens per second for {} run(s) in {} series, Pareto frontier marked.",
            all.len(),
            series.len() + more
        ),
        Axis::new("Output throughput", "tokens/s"),
        Axis::new(yname, "ms"),
        series,
        frontier,
        budget_lines(budgets, y_key, RefAxis::Y),
    ))
}

/// The cost metric charts use: per 1M output tokens when any run has it, else per 1M requests.
fn chart_cost_metric(runs: &[&EvaluatedRun]) -> Option<Metric> {
    [
        Metric::CostPer1mOutputTokensUsd,
        Metric::CostPer1mRequestsUsd,
    ]
    .into_iter()
    .find(|m| runs.iter().any(|r| cost(r, *m).is_some()))
}

fn cost(r: &EvaluatedRun, m: Metric) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive;
    r.cost.get(m).and_then(|d| d.to_f64())
}

/// Cost per 1M output tokens (or requests) vs E2E p95, frontier and both budgets.
fn cost_vs_latency(
    runs: &[&EvaluatedRun],
    slug: &str,
    budgets: &[BudgetSpec],
) -> Option<ChartSpec> {
    let m = chart_cost_metric(runs)?;
    let x_key = first_known(
        runs,
        &[
            Metric::E2eMs.stat(P95),
            Metric::E2eMs.stat(P99),
            Metric::E2eMs.stat(Stat::Median),
            // Neuron's tables have no E2E: a tail of what they do have, named on the axis.
            Metric::TtftMs.stat(P99),
            Metric::TpotMs.stat(P99),
        ],
        |r| cost(r, m).is_some(),
    )?;
    let points: Vec<(String, (f64, f64))> = runs
        .iter()
        .filter_map(|r| Some((series_name(&r.run), (r.number(x_key)?, cost(r, m)?))))
        .collect();
    let all: Vec<(f64, f64)> = points.iter().map(|(_, p)| *p).collect();
    if all.len() < 2 {
        return None;
    }
    let (series, more) = by_series(points, Style::Points, true);
    let frontier = pareto(&shown_points(&series), false, false);
    let mut refs = budget_lines(budgets, m.run_value(), RefAxis::Y);
    refs.extend(budget_lines(budgets, x_key, RefAxis::X));
    let xname = key_name(x_key);
    let per = m.cost_unit().unwrap_or("unit");
    Some(xy(
        slug,
        "cost-vs-latency",
        format!("Cost per {per} vs {xname}{}", more_suffix(more, "series")),
        format!(
            "Cost in USD per {per} against {xname} in ms for {} run(s), Pareto frontier marked.",
            all.len()
        ),
        Axis::new(xname, "ms"),
        Axis::new(format!("Cost per {per}"), "USD"),
        series,
        frontier,
        refs,
    ))
}

/// CDFs of TTFT and E2E from each run's quantile sketch, runs as lines.
fn cdfs(runs: &[&EvaluatedRun], slug: &str) -> Vec<ChartSpec> {
    let mut out = Vec::new();
    // A run's colour is its position among the runs with any sketch: the same in both CDFs.
    let sketched: Vec<&str> = runs
        .iter()
        .filter(|r| r.summary.sketch.ttft_ms.len() >= 2 || r.summary.sketch.e2e_ms.len() >= 2)
        .map(|r| r.run.run_id.as_str())
        .collect();
    for (short, file, pick) in [
        (
            "TTFT",
            "ttft-cdf",
            (|r: &EvaluatedRun| &r.summary.sketch.ttft_ms) as fn(&EvaluatedRun) -> &Vec<f64>,
        ),
        ("E2E latency", "e2e-cdf", |r: &EvaluatedRun| {
            &r.summary.sketch.e2e_ms
        }),
    ] {
        let with: Vec<&&EvaluatedRun> = runs.iter().filter(|r| pick(r).len() >= 2).collect();
        if with.is_empty() {
            continue;
        }
        let more = with.len().saturating_sub(MAX_SERIES);
        let series: Vec<Series> = with
            .iter()
            .take(MAX_SERIES)
            .map(|r| {
                let q = pick(r);
                let last = (q.len() - 1) as f64;
                Series {
                    name: run_name(&r.run),
                    points: q
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (*v, i as f64 * 100.0 / last))
                        .collect(),
                    style: Style::Line,
                    legend: true,
                    colour: sketched.iter().position(|id| *id == r.run.run_id),
                }
            })
            .collect();
        out.push(xy(
            slug,
            file,
            format!("{short} distribution per run{}", more_suffix(more, "runs")),
            format!(
                "Cumulative share of successful requests against {short} in ms, one line per run ({} shown).",
                series.len()
            ),
            Axis::new(short, "ms"),
            Axis::new("Requests at or below", "%"),
            series,
            Vec::new(),
            Vec::new(),
        ));
    }
    out
}

/// A run in words: its series, dataset and load (`model · instance · engine · dataset ·
/// c=4`), the parts that are known; its file when none is.
fn run_name(run: &Run) -> String {
    let parts = run_parts(run);
    if parts.iter().all(String::is_empty) {
        super::run_label(run)
    } else {
        join_known(parts.iter())
    }
}

/// What tells runs apart, in the order labels list it.
const RUN_PARTS: usize = 8;

fn run_parts(run: &Run) -> [String; RUN_PARTS] {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let lengths = match (run.input_len, run.output_len) {
        (Some(i), Some(o)) => format!("{i}→{o} tokens"),
        (Some(i), None) => format!("{i} tokens in"),
        (None, Some(o)) => format!("{o} tokens out"),
        (None, None) => String::new(),
    };
    let parallel: Vec<String> = [("tp", run.tp), ("pp", run.pp), ("dp", run.dp)]
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| format!("{n}{v}")))
        .collect();
    [
        s(&run.model),
        s(&run.instance_type),
        s(&run.engine),
        s(&run.dataset),
        lengths,
        parallel.join(" "),
        run.batch_size
            .map(|b| format!("batch {b}"))
            .unwrap_or_default(),
        run.load_label(),
    ]
}

fn join_known<'a>(parts: impl Iterator<Item = &'a String>) -> String {
    parts
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Cost per 1M output tokens (or requests) per configuration, cheapest first.
fn cost_bars(runs: &[&EvaluatedRun], slug: &str) -> Option<ChartSpec> {
    let m = chart_cost_metric(runs)?;
    let priced: Vec<(&&EvaluatedRun, f64)> =
        runs.iter().filter_map(|r| Some((r, cost(r, m)?))).collect();
    if priced.len() < 2 {
        return None;
    }
    // Parts every bar shares are said once, below the chart, so labels keep what differs.
    let parts: Vec<[String; RUN_PARTS]> = priced.iter().map(|(r, _)| run_parts(&r.run)).collect();
    let same: Vec<bool> = (0..RUN_PARTS)
        .map(|i| parts.iter().all(|p| p[i] == parts[0][i]))
        .collect();
    let common = join_known(
        parts[0]
            .iter()
            .zip(&same)
            .filter(|(_, s)| **s)
            .map(|(p, _)| p),
    );
    let mut bars: Vec<Bar> = priced
        .iter()
        .zip(&parts)
        .map(|((r, value), p)| {
            let own = join_known(p.iter().zip(&same).filter(|(_, s)| !**s).map(|(p, _)| p));
            Bar {
                label: if own.is_empty() {
                    super::run_label(&r.run)
                } else {
                    own
                },
                value: *value,
                pass: r.status.map(|s| s == crate::budget::Status::Pass),
            }
        })
        .collect();
    bars.sort_by(|a, b| a.value.total_cmp(&b.value).then(a.label.cmp(&b.label)));
    let total = bars.len();
    let more = total.saturating_sub(MAX_BARS);
    bars.truncate(MAX_BARS);
    let per = m.cost_unit().unwrap_or("unit");
    Some(ChartSpec {
        stem: stem(slug, "cost-per-configuration"),
        kind: ChartKind::Bars,
        title: format!(
            "Cost per {per} per configuration, cheapest first{}",
            more_suffix(more, "configurations")
        ),
        alt: format!("Cost in USD per {per} of {total} configuration(s), sorted, passing and failing runs in different colours."),
        x: Axis::new(format!("Cost per {per}"), "USD"),
        y: Axis::new("Configuration", ""),
        series: Vec::new(),
        frontier: Vec::new(),
        references: Vec::new(),
        bars,
        note: if common.is_empty() {
            String::new()
        } else {
            format!("Every bar: {common}")
        },
    })
}

/// Output tokens/s per accelerator vs output tokens/s per user (1000 / TPOT p50).
fn per_gpu(runs: &[&EvaluatedRun], slug: &str) -> Option<ChartSpec> {
    let tput = Metric::OutputTokenThroughputTps.run_value();
    let tpot = Metric::TpotMs.stat(Stat::Median);
    let points: Vec<(String, (f64, f64))> = runs
        .iter()
        .filter_map(|r| {
            let gpus = f64::from(accelerator_count(&r.run)?);
            let t = r.number(tpot).filter(|t| *t > 0.0)?;
            Some((series_name(&r.run), (1000.0 / t, r.number(tput)? / gpus)))
        })
        .collect();
    let all: Vec<(f64, f64)> = points.iter().map(|(_, p)| *p).collect();
    if all.len() < 2 {
        return None;
    }
    let (series, more) = by_series(points, Style::Points, true);
    let frontier = pareto(&shown_points(&series), true, true);
    Some(xy(
        slug,
        "throughput-per-gpu",
        format!(
            "Output throughput per GPU vs per user{}",
            more_suffix(more, "series")
        ),
        format!(
            "Output tokens per second per accelerator against output tokens per second per user (1000 / TPOT p50) for {} run(s), Pareto frontier marked.",
            all.len()
        ),
        Axis::new("Output throughput per user, 1000 / TPOT p50", "tokens/s"),
        Axis::new("Output throughput per GPU", "tokens/s"),
        series,
        frontier,
        Vec::new(),
    ))
}

/// A chart as a page shows it: its files, title and alt text, and its SVG once drawn.
#[derive(Debug, Clone, Serialize)]
pub struct ChartRef {
    /// File stem: `charts/<stem>.svg` and `charts/<stem>.png`.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Alternative text.
    pub alt: String,
    /// The chart's files as seen from its page, without extension (`charts/all-cost-vs-latency`,
    /// `../charts/groups/llama-cost-vs-latency`): add `.svg` or `.png`.
    pub path: String,
    /// The SVG document, for pages that inline it; empty until `build` draws the chart.
    pub svg: String,
    /// What to draw.
    #[serde(skip)]
    pub spec: ChartSpec,
}

/// [`chart_specs`] as entries of page `page` (a page name: `index`, `groups/llama`), not
/// drawn yet. Stems start with `slug`, which must be unique across the site's pages.
#[must_use]
pub fn chart_refs(
    runs: &[&EvaluatedRun],
    slug: &str,
    budgets: &[BudgetSpec],
    page: &str,
) -> Vec<ChartRef> {
    chart_specs(runs, slug, budgets)
        .into_iter()
        .map(|spec| ChartRef {
            stem: spec.stem.clone(),
            title: spec.title.clone(),
            alt: spec.alt.clone(),
            path: super::site::relative(page, &format!("charts/{}", spec.stem)),
            svg: String::new(),
            spec,
        })
        .collect()
}

mod sweep;
#[cfg(test)]
mod tests;
