//! Budgets and verdicts (docs/metrics.md "Budgets and recommendations"): each run against each `[[budget]]`, with value, limit,
//! pass/fail/unknown and margin. Pure functions over looked-up values; never reads files,
//! never computes a metric.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::config::BudgetSpec;
use crate::metric::MetricKey;

/// A metric value: latencies and rates are floats, money is exact.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A measured quantity.
    Float(f64),
    /// Money, exact.
    Money(Decimal),
}

impl Value {
    /// As f64 (for margins and sorting; never for money arithmetic).
    #[must_use]
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Float(v) => v,
            Value::Money(d) => rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(f64::NAN),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Float(v) => f.write_str(&crate::format::table(*v)),
            Value::Money(d) => f.write_str(&crate::format::money(*d, 4)),
        }
    }
}

/// Outcome of one budget for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Within the limit.
    Pass,
    /// Outside the limit.
    Fail,
    /// The value is unknown (e.g. an unpriced run against a cost budget).
    Unknown,
}

impl Status {
    /// The word used on pages and in exports.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

/// Direction of a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The value must be at most the limit.
    Max,
    /// The value must be at least the limit.
    Min,
}

/// One budget's verdict for one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The metric as the budget names it (`e2e_ms.p95`).
    pub metric: String,
    /// Max or min.
    pub bound: Bound,
    /// The limit.
    pub limit: f64,
    /// The run's value, when known.
    pub value: Option<Value>,
    /// Pass, fail or unknown.
    pub status: Status,
    /// `(limit − value) / limit` for a max, `(value − limit) / limit` for a min: positive is
    /// good. `None` when the value is unknown or the limit is 0.
    pub margin: Option<f64>,
}

/// Split a spec with both `min` and `max` into two one-sided budgets, in that order.
#[must_use]
pub fn bounds(spec: &BudgetSpec) -> Vec<(Bound, f64)> {
    let mut out = Vec::new();
    if let Some(m) = spec.max {
        out.push((Bound::Max, m));
    }
    if let Some(m) = spec.min {
        out.push((Bound::Min, m));
    }
    out
}

/// Evaluate every budget for one run. `lookup` returns the run's value of a metric; a
/// budget whose metric the catalogue does not know (a config that skipped validation) is
/// unknown.
#[must_use]
pub fn evaluate(specs: &[BudgetSpec], lookup: &dyn Fn(MetricKey) -> Option<Value>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for spec in specs {
        let value = spec
            .metric
            .key()
            .and_then(lookup)
            .filter(|v| !v.as_f64().is_nan());
        for (bound, limit) in bounds(spec) {
            out.push(verdict(spec.metric.as_str(), bound, limit, value));
        }
    }
    out
}

/// One verdict. Money is compared exactly (the limit as the Decimal of its text).
#[must_use]
pub fn verdict(metric: &str, bound: Bound, limit: f64, value: Option<Value>) -> Verdict {
    let (status, margin) = match value {
        None => (Status::Unknown, None),
        Some(v) => {
            let within = match (v, bound) {
                (Value::Money(d), b) => match crate::pricing::decimal_from_f64(limit) {
                    Some(l) => match b {
                        Bound::Max => d <= l,
                        Bound::Min => d >= l,
                    },
                    None => false,
                },
                (Value::Float(x), Bound::Max) => x <= limit,
                (Value::Float(x), Bound::Min) => x >= limit,
            };
            let x = v.as_f64();
            let margin = if limit == 0.0 {
                None
            } else {
                Some(match bound {
                    Bound::Max => (limit - x) / limit,
                    Bound::Min => (x - limit) / limit,
                })
            };
            (if within { Status::Pass } else { Status::Fail }, margin)
        }
    };
    Verdict {
        metric: metric.to_string(),
        bound,
        limit,
        value,
        status,
        margin,
    }
}

/// A run's overall status: pass only when every budget passes; any fail is a fail; otherwise
/// unknown. `None` when there are no budgets.
#[must_use]
pub fn overall(verdicts: &[Verdict]) -> Option<Status> {
    if verdicts.is_empty() {
        return None;
    }
    if verdicts.iter().any(|v| v.status == Status::Fail) {
        Some(Status::Fail)
    } else if verdicts.iter().all(|v| v.status == Status::Pass) {
        Some(Status::Pass)
    } else {
        Some(Status::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::{Level, Metric, Stat};
    use std::str::FromStr;

    #[test]
    fn max_budget_pass_fail_and_margin() {
        let v = verdict("e2e_ms.p95", Bound::Max, 2000.0, Some(Value::Float(1500.0)));
        assert_eq!(v.status, Status::Pass);
        assert_eq!(v.margin, Some(0.25)); // (2000 − 1500) / 2000
        let v = verdict("e2e_ms.p95", Bound::Max, 2000.0, Some(Value::Float(2500.0)));
        assert_eq!(v.status, Status::Fail);
        assert_eq!(v.margin, Some(-0.25));
        // The limit itself passes (inclusive).
        assert_eq!(
            verdict("x", Bound::Max, 2.0, Some(Value::Float(2.0))).status,
            Status::Pass
        );
    }

    #[test]
    fn min_budget_margin_sign_positive_is_good() {
        let v = verdict(
            "output_token_throughput_tps",
            Bound::Min,
            500.0,
            Some(Value::Float(600.0)),
        );
        assert_eq!(v.status, Status::Pass);
        assert_eq!(v.margin, Some(0.2));
    }

    #[test]
    fn unknown_value_is_not_a_pass_and_zero_limit_has_no_margin() {
        let v = verdict("cost_per_10k_requests_usd", Bound::Max, 20.0, None);
        assert_eq!(v.status, Status::Unknown);
        let e = verdict("error_rate", Bound::Max, 0.0, Some(Value::Float(0.0)));
        assert_eq!((e.status, e.margin), (Status::Pass, None));
        assert_eq!(overall(&[v, e]), Some(Status::Unknown));
        assert_eq!(overall(&[]), None);
    }

    #[test]
    fn money_compares_exactly() {
        // 20.000…01 USD is over a 20 USD budget even though f64 would round it to 20.
        let d = Decimal::from_str("20.0000000000000000001").expect("decimal");
        assert_eq!(
            verdict("c", Bound::Max, 20.0, Some(Value::Money(d))).status,
            Status::Fail
        );
        let d = Decimal::from_str("20").expect("decimal");
        assert_eq!(
            verdict("c", Bound::Max, 20.0, Some(Value::Money(d))).status,
            Status::Pass
        );
    }

    #[test]
    fn evaluate_splits_min_and_max() {
        let specs = vec![BudgetSpec {
            metric: "ttft_ms.p99".into(),
            max: Some(500.0),
            min: Some(10.0),
        }];
        let p99 = Metric::TtftMs.stat(Stat::P(Level::P99));
        let out = evaluate(&specs, &|m| (m == p99).then_some(Value::Float(600.0)));
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].status, Status::Fail);
        assert_eq!(out[1].status, Status::Pass);
    }

    #[test]
    fn a_fractional_percentile_is_looked_up_by_its_key() {
        // e2e p99.9 of 999.1 ms against max 1000: pass, margin (1000 − 999.1) / 1000 = 0.0009.
        let p999 = Metric::E2eMs.stat(Stat::P(Level::new(99.9).expect("level")));
        let specs = vec![
            BudgetSpec {
                metric: "e2e_ms.p99.9".into(),
                max: Some(1000.0),
                min: None,
            },
            // Never validated: no catalogue key, so no value, so unknown.
            BudgetSpec {
                metric: "e2e_ms.p99.9x".into(),
                max: Some(1000.0),
                min: None,
            },
        ];
        let out = evaluate(&specs, &|k| (k == p999).then_some(Value::Float(999.1)));
        assert_eq!(out[0].metric, "e2e_ms.p99.9");
        assert_eq!(out[0].status, Status::Pass);
        let margin = out[0].margin.expect("margin");
        assert!((margin - 0.0009).abs() < 1e-12, "{margin}");
        assert_eq!((out[1].status, out[1].value), (Status::Unknown, None));
    }
}
