//! Recommendations (docs/metrics.md "Budgets and recommendations"): per group (default dataset × instance type), among the runs
//! that pass every budget, the one the objective picks, with the sentence that justifies it;
//! a group with no passing run names its closest miss. Across groups, the best
//! price-performance per dataset. Pure functions over plain candidates.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::budget::{Bound, Status, Verdict};
use crate::config::{MetricName, Objective};
use crate::format;
use crate::metric::Metric;

/// What recommend needs to know about one run.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Index of the run in the build's run list.
    pub index: usize,
    /// Run id (last tie-breaker).
    pub run_id: String,
    /// Group key: (field, value) in `group_by` order; `None` where the run does not say.
    pub group: Vec<(String, Option<String>)>,
    /// Concurrency, when known.
    pub concurrency: Option<u32>,
    /// Request rate sort value (`inf` sorts highest), when known.
    pub request_rate: Option<f64>,
    /// How the load reads in a sentence (`concurrency 4`, `8 req/s`).
    pub load_label: String,
    /// Overall budget status (`None`: no budgets configured).
    pub status: Option<Status>,
    /// The budget verdicts.
    pub verdicts: Vec<Verdict>,
    /// Completed requests per second.
    pub request_throughput_rps: Option<f64>,
    /// The configured cost metric.
    pub cost: Option<Decimal>,
    /// Value of the first latency budget's metric (for `min_latency` and the sentence).
    pub latency: Option<f64>,
}

/// The recommendation for one group.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// The group: field → value ([`UNKNOWN`] where the runs do not say, as `summary.json`
    /// has always written it).
    pub group: BTreeMap<String, String>,
    /// Index of the recommended run, `None` when no run passes.
    pub run_index: Option<usize>,
    /// Run id of the recommended run.
    pub run_id: Option<String>,
    /// Index of the closest miss when no run passes.
    pub closest_miss: Option<usize>,
    /// The sentence with the numbers that justify it.
    pub sentence: String,
}

/// How `summary.json` spells a group value the runs do not state (kept for the export's
/// readers; pages never show it).
pub const UNKNOWN: &str = "(none)";

/// Settings the sentences need.
#[derive(Debug, Clone)]
pub struct Context {
    /// The objective.
    pub objective: Objective,
    /// The configured cost metric, one of [`Metric::COSTS`].
    pub cost_metric: Metric,
    /// The first latency budget: its metric as configured and its limit, if any.
    pub latency_budget: Option<(MetricName, f64)>,
}

fn load_value(c: &Candidate) -> Option<f64> {
    c.concurrency.map(f64::from).or(c.request_rate)
}

/// Compare two candidates under one objective: `Less` means `a` is better.
fn by_objective(objective: Objective, a: &Candidate, b: &Candidate) -> Ordering {
    // Unknown values always lose.
    fn desc(a: Option<f64>, b: Option<f64>) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    fn asc<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    match objective {
        Objective::MaxConcurrency => desc(load_value(a), load_value(b)),
        Objective::MaxThroughput => desc(a.request_throughput_rps, b.request_throughput_rps),
        Objective::MinCost => asc(a.cost, b.cost),
        Objective::MinLatency => asc(a.latency, b.latency),
    }
}

/// Total order: the objective, then the next objectives in turn, then lower concurrency,
/// then run id (docs/metrics.md "Budgets and recommendations").
fn better(objective: Objective, a: &Candidate, b: &Candidate) -> Ordering {
    const ORDER: [Objective; 4] = [
        Objective::MaxConcurrency,
        Objective::MaxThroughput,
        Objective::MinCost,
        Objective::MinLatency,
    ];
    let start = ORDER.iter().position(|o| *o == objective).unwrap_or(0);
    for k in 0..ORDER.len() {
        let o = ORDER[(start + k) % ORDER.len()];
        let ord = by_objective(o, a, b);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    load_value(a)
        .partial_cmp(&load_value(b))
        .unwrap_or(Ordering::Equal)
        .then_with(|| a.run_id.cmp(&b.run_id))
}

/// How far a failing run is from passing: (number of failing or unknown budgets, sum of
/// negative margins). Smaller is closer.
fn miss_distance(c: &Candidate) -> (usize, f64) {
    let failing = c
        .verdicts
        .iter()
        .filter(|v| v.status != Status::Pass)
        .count();
    let shortfall: f64 = c
        .verdicts
        .iter()
        .filter_map(|v| v.margin)
        .filter(|m| *m < 0.0)
        .map(|m| -m)
        .sum();
    (failing, shortfall)
}

/// Recommend one run per group.
#[must_use]
pub fn recommend(candidates: &[Candidate], ctx: &Context) -> Vec<Recommendation> {
    let mut groups: BTreeMap<Vec<(String, Option<String>)>, Vec<&Candidate>> = BTreeMap::new();
    for c in candidates {
        groups.entry(c.group.clone()).or_default().push(c);
    }
    let mut out = Vec::new();
    for (key, members) in groups {
        let group: BTreeMap<String, String> = key
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().unwrap_or_else(|| UNKNOWN.into())))
            .collect();
        let passing: Vec<&Candidate> = members
            .iter()
            .copied()
            .filter(|c| matches!(c.status, None | Some(Status::Pass)))
            .collect();
        let place = describe_group(&key);
        if let Some(best) = passing
            .iter()
            .copied()
            .min_by(|a, b| better(ctx.objective, a, b))
        {
            out.push(Recommendation {
                group,
                run_index: Some(best.index),
                run_id: Some(best.run_id.clone()),
                closest_miss: None,
                sentence: sentence(&place, best, ctx),
            });
        } else {
            let miss = members.iter().copied().min_by(|a, b| {
                let (fa, sa) = miss_distance(a);
                let (fb, sb) = miss_distance(b);
                fa.cmp(&fb)
                    .then(sa.total_cmp(&sb))
                    .then_with(|| a.run_id.cmp(&b.run_id))
            });
            let sentence = match miss {
                Some(m) => {
                    let failing: Vec<String> = m
                        .verdicts
                        .iter()
                        .filter(|v| v.status != Status::Pass)
                        .map(describe_failure)
                        .collect();
                    format!(
                        "{place}, no run passes every budget; the closest miss is {} ({}).",
                        m.load_label_or_id(),
                        failing.join("; ")
                    )
                }
                None => format!("{place}, there are no runs."),
            };
            out.push(Recommendation {
                group,
                run_index: None,
                run_id: None,
                closest_miss: miss.map(|m| m.index),
                sentence,
            });
        }
    }
    out
}

impl Candidate {
    fn load_label_or_id(&self) -> String {
        if self.load_label.is_empty() {
            format!("run {}", self.run_id)
        } else {
            self.load_label.clone()
        }
    }
}

/// Where a group is, in words, from what is known: "On g5.2xlarge, for sharegpt", "On
/// g5.2xlarge (dataset unknown)", "For runs whose instance type and dataset are unknown".
fn describe_group(key: &[(String, Option<String>)]) -> String {
    let get = |f: &str| {
        key.iter()
            .find(|(k, _)| k == f)
            .and_then(|(_, v)| v.as_deref())
    };
    let mut parts = Vec::new();
    if let Some(i) = get("instance_type") {
        parts.push(format!("On {i}"));
    }
    if let Some(d) = get("dataset") {
        parts.push(format!("for {d}"));
    }
    for (k, v) in key {
        if let (false, Some(v)) = (k == "instance_type" || k == "dataset", v) {
            parts.push(format!("{} {v}", k.replace('_', " ")));
        }
    }
    let unknown: Vec<String> = key
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| k.replace('_', " "))
        .collect();
    if parts.is_empty() {
        return if unknown.is_empty() {
            "Over all runs".into()
        } else {
            format!(
                "For runs whose {} {} unknown",
                join_words(&unknown),
                if unknown.len() == 1 { "is" } else { "are" }
            )
        };
    }
    let mut s = parts.join(", ");
    if !s.starts_with("On ") {
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + s.get(1..).unwrap_or("");
        }
    }
    if !unknown.is_empty() {
        s.push_str(&format!(" ({} unknown)", join_words(&unknown)));
    }
    s
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn describe_failure(v: &Verdict) -> String {
    let op = match v.bound {
        Bound::Max => ">",
        Bound::Min => "<",
    };
    match v.value {
        Some(val) if v.status == Status::Fail => {
            format!("{} {} {op} {}", v.metric, val, format::float(v.limit))
        }
        _ => format!("{} unknown", v.metric),
    }
}

/// What the cost is per (`1M output tokens`); the metric's key for a metric that is not a
/// cost per unit.
fn cost_unit(metric: Metric) -> &'static str {
    metric.cost_unit().unwrap_or_else(|| metric.key())
}

fn sentence(place: &str, c: &Candidate, ctx: &Context) -> String {
    let mut s = format!("{place}, {} serves ", c.load_label_or_id());
    match c.request_throughput_rps {
        Some(r) => s.push_str(&format!(
            "{} requests/s ({} requests/min)",
            format::table(r),
            format::fixed(r * 60.0, 1)
        )),
        None => s.push_str("an unknown number of requests/s"),
    }
    if let Some((metric, limit)) = &ctx.latency_budget {
        match c.latency {
            Some(l) => s.push_str(&format!(
                " at {metric} {}, within the {} budget",
                format::table(l),
                format::float(*limit)
            )),
            None => s.push_str(&format!(" ({metric} unknown)")),
        }
    }
    let unit = cost_unit(ctx.cost_metric);
    match c.cost {
        Some(cost) => s.push_str(&format!(", at {} per {unit}", format::money(cost, 4))),
        None => s.push_str(&format!(", cost per {unit} unknown")),
    }
    let what = match ctx.objective {
        Objective::MaxConcurrency => "the highest load",
        Objective::MaxThroughput => "the highest throughput",
        Objective::MinCost => "the lowest cost",
        Objective::MinLatency => "the lowest latency",
    };
    if c.status.is_none() {
        // Nothing was checked: say what the choice rests on, not a budget it never met.
        s.push_str(&format!(
            "; {what} measured in this group (no budgets are configured, so no run was checked)."
        ));
    } else {
        s.push_str(&format!("; {what} that passes every budget."));
    }
    s
}

/// Best price-performance per dataset: among the groups' recommendations for one dataset,
/// the one with the lowest cost. Returns (dataset, run index, sentence).
#[must_use]
pub fn best_per_dataset(
    recs: &[Recommendation],
    candidates: &[Candidate],
    ctx: &Context,
) -> Vec<(String, usize, String)> {
    let by_index: BTreeMap<usize, &Candidate> = candidates.iter().map(|c| (c.index, c)).collect();
    let mut per: BTreeMap<String, Vec<&Candidate>> = BTreeMap::new();
    for r in recs {
        let Some(i) = r.run_index else { continue };
        let Some(c) = by_index.get(&i) else { continue };
        let dataset = r.group.get("dataset").cloned().unwrap_or_default();
        per.entry(dataset).or_default().push(c);
    }
    let mut out = Vec::new();
    for (dataset, cands) in per {
        let priced: Vec<&&Candidate> = cands.iter().filter(|c| c.cost.is_some()).collect();
        let Some(best) = priced
            .into_iter()
            .min_by(|a, b| a.cost.cmp(&b.cost).then_with(|| a.run_id.cmp(&b.run_id)))
        else {
            continue;
        };
        let instance = best
            .group
            .iter()
            .find(|(k, _)| k == "instance_type")
            .and_then(|(_, v)| v.as_deref())
            .unwrap_or("an unknown instance type");
        let unit = cost_unit(ctx.cost_metric);
        let cost = best.cost.map(|c| format::money(c, 4)).unwrap_or_default();
        let label = match dataset.as_str() {
            "" => "all runs".to_string(),
            UNKNOWN => "runs whose dataset is unknown".to_string(),
            d => d.to_string(),
        };
        out.push((
            dataset.clone(),
            best.index,
            format!(
                "For {label}, the best price-performance is {instance} at {} ({cost} per {unit}).",
                best.load_label_or_id()
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::verdict;

    fn cand(i: usize, conc: u32, rps: f64, cost: &str, status: Status) -> Candidate {
        let v = match status {
            Status::Pass => verdict(
                "e2e_ms.p95",
                Bound::Max,
                2000.0,
                Some(crate::budget::Value::Float(1000.0 + f64::from(conc))),
            ),
            _ => verdict(
                "e2e_ms.p95",
                Bound::Max,
                2000.0,
                Some(crate::budget::Value::Float(
                    2000.0 + 100.0 * f64::from(conc),
                )),
            ),
        };
        Candidate {
            index: i,
            run_id: format!("r{i}"),
            group: vec![
                ("dataset".into(), Some("d".into())),
                ("instance_type".into(), Some("g5.2xlarge".into())),
            ],
            concurrency: Some(conc),
            request_rate: None,
            load_label: format!("concurrency {conc}"),
            status: Some(status),
            verdicts: vec![v],
            request_throughput_rps: Some(rps),
            cost: Some(cost.parse().expect("decimal")),
            latency: Some(1000.0 + f64::from(conc)),
        }
    }

    fn ctx(objective: Objective) -> Context {
        Context {
            objective,
            cost_metric: Metric::CostPer1mRequestsUsd,
            latency_budget: Some(("e2e_ms.p95".into(), 2000.0)),
        }
    }

    #[test]
    fn max_concurrency_is_not_max_throughput() {
        // FMBench's rule: concurrency 8 passes with less throughput than concurrency 6.
        let cands = vec![
            cand(0, 6, 3.05, "10", Status::Pass),
            cand(1, 8, 2.18, "12", Status::Pass),
            cand(2, 10, 4.0, "8", Status::Fail),
        ];
        let recs = recommend(&cands, &ctx(Objective::MaxConcurrency));
        assert_eq!(recs[0].run_index, Some(1));
        assert!(
            recs[0]
                .sentence
                .starts_with("On g5.2xlarge, for d, concurrency 8 serves 2.18 requests/s"),
            "{}",
            recs[0].sentence
        );
        assert_eq!(
            recommend(&cands, &ctx(Objective::MaxThroughput))[0].run_index,
            Some(0)
        );
        assert_eq!(
            recommend(&cands, &ctx(Objective::MinCost))[0].run_index,
            Some(0)
        );
        assert_eq!(
            recommend(&cands, &ctx(Objective::MinLatency))[0].run_index,
            Some(0)
        );
    }

    #[test]
    fn no_passing_run_names_the_closest_miss() {
        let cands = vec![
            cand(0, 4, 1.0, "10", Status::Fail),
            cand(1, 8, 2.0, "9", Status::Fail),
        ];
        let recs = recommend(&cands, &ctx(Objective::MaxConcurrency));
        assert_eq!(recs[0].run_index, None);
        // c=4 misses by 400 ms (margin −0.2), c=8 by 800 ms (−0.4).
        assert_eq!(recs[0].closest_miss, Some(0));
        assert!(
            recs[0]
                .sentence
                .contains("no run passes every budget; the closest miss is concurrency 4"),
            "{}",
            recs[0].sentence
        );
    }

    #[test]
    fn ties_fall_through_to_next_objective_then_lower_concurrency() {
        let mut a = cand(0, 4, 2.0, "10", Status::Pass);
        let b = cand(1, 4, 3.0, "10", Status::Pass);
        assert_eq!(
            recommend(&[a.clone(), b.clone()], &ctx(Objective::MaxConcurrency))[0].run_index,
            Some(1)
        );
        a.request_throughput_rps = Some(3.0);
        a.latency = b.latency;
        // Everything equal: run id decides.
        assert_eq!(
            recommend(&[b, a], &ctx(Objective::MaxConcurrency))[0].run_index,
            Some(0)
        );
    }

    #[test]
    fn best_price_performance_across_instances() {
        let mut other = cand(1, 2, 1.0, "5", Status::Pass);
        other.group[1].1 = Some("inf2.xlarge".into());
        let cands = vec![cand(0, 4, 2.0, "10", Status::Pass), other];
        let c = ctx(Objective::MaxConcurrency);
        let recs = recommend(&cands, &c);
        let best = best_per_dataset(&recs, &cands, &c);
        assert_eq!(best.len(), 1);
        assert_eq!(best[0].1, 1);
        assert!(best[0].2.contains("inf2.xlarge"), "{}", best[0].2);
    }
}
