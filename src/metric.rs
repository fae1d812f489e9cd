//! The metric catalogue (docs/metrics.md): every metric and statistic bench-report names, once, with
//! its unit, its direction and its label. The string keys of `summary.json`, budgets and
//! reported values (`ttft_ms.p99`, `request_throughput_rps`) are made here and parsed here;
//! no other file spells them.

use std::fmt;
use std::str::FromStr;

/// Whether a smaller or a larger value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Latency, cost, error rate.
    LowerIsBetter,
    /// Throughput, goodput.
    HigherIsBetter,
}

/// How a metric is measured per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A per-request distribution summarised by statistics (`ttft_ms.p99`).
    Distribution,
    /// One number per run (`request_throughput_rps`).
    RunValue,
    /// Money (exact decimal), one number per run.
    Money,
}

macro_rules! catalogue {
    ($( $variant:ident => $key:literal, $unit:literal, $dir:ident, $kind:ident, $label:literal; )*) => {
        /// Every metric bench-report computes, prices or checks.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Metric {
            $( #[doc = $label] $variant, )*
        }

        impl Metric {
            /// Every metric, in the order pages and exports list them.
            pub const ALL: &'static [Metric] = &[ $( Metric::$variant, )* ];

            /// The key (`ttft_ms`, `cost_per_1m_requests_usd`).
            #[must_use]
            pub const fn key(self) -> &'static str {
                match self { $( Metric::$variant => $key, )* }
            }

            /// The unit (`ms`, `req/s`, `USD`).
            #[must_use]
            pub fn unit(self) -> &'static str {
                match self { $( Metric::$variant => $unit, )* }
            }

            /// Which way is better.
            #[must_use]
            pub fn direction(self) -> Direction {
                match self { $( Metric::$variant => Direction::$dir, )* }
            }

            /// Distribution, run value or money.
            #[must_use]
            pub fn kind(self) -> Kind {
                match self { $( Metric::$variant => Kind::$kind, )* }
            }

            /// A human label (`Time to first token`).
            #[must_use]
            pub fn label(self) -> &'static str {
                match self { $( Metric::$variant => $label, )* }
            }
        }
    };
}

catalogue! {
    TtftMs => "ttft_ms", "ms", LowerIsBetter, Distribution, "Time to first token";
    TpotMs => "tpot_ms", "ms", LowerIsBetter, Distribution, "Time per output token";
    ItlMs => "itl_ms", "ms", LowerIsBetter, Distribution, "Inter-token latency";
    E2eMs => "e2e_ms", "ms", LowerIsBetter, Distribution, "End-to-end latency";
    InputTokens => "input_tokens", "tokens", LowerIsBetter, Distribution, "Prompt tokens per request";
    OutputTokens => "output_tokens", "tokens", HigherIsBetter, Distribution, "Generated tokens per request";
    RequestThroughputRps => "request_throughput_rps", "req/s", HigherIsBetter, RunValue, "Request throughput";
    OutputTokenThroughputTps => "output_token_throughput_tps", "tok/s", HigherIsBetter, RunValue, "Output token throughput";
    TotalTokenThroughputTps => "total_token_throughput_tps", "tok/s", HigherIsBetter, RunValue, "Total token throughput";
    ErrorRate => "error_rate", "ratio", LowerIsBetter, RunValue, "Error rate";
    GoodputRps => "goodput_rps", "req/s", HigherIsBetter, RunValue, "Goodput";
    PricePerHourUsd => "price_per_hour_usd", "USD/h", LowerIsBetter, Money, "Price per instance-hour";
    HourlyUsd => "hourly_usd", "USD/h", LowerIsBetter, Money, "Price per hour of the run's instances";
    CostPer1mRequestsUsd => "cost_per_1m_requests_usd", "USD", LowerIsBetter, Money, "Cost per 1M requests";
    CostPer1mOutputTokensUsd => "cost_per_1m_output_tokens_usd", "USD", LowerIsBetter, Money, "Cost per 1M output tokens";
    CostPer1mTotalTokensUsd => "cost_per_1m_total_tokens_usd", "USD", LowerIsBetter, Money, "Cost per 1M tokens (input + output)";
    CostPer10kRequestsUsd => "cost_per_10k_requests_usd", "USD", LowerIsBetter, Money, "Cost per 10k requests";
}

impl Metric {
    /// The four latency distributions, in the order pages and exports list them.
    pub const LATENCIES: [Metric; 4] =
        [Metric::TtftMs, Metric::TpotMs, Metric::ItlMs, Metric::E2eMs];

    /// The run metrics computed per run (one number each).
    pub const RUN_VALUES: [Metric; 5] = [
        Metric::RequestThroughputRps,
        Metric::OutputTokenThroughputTps,
        Metric::TotalTokenThroughputTps,
        Metric::ErrorRate,
        Metric::GoodputRps,
    ];

    /// The costs per unit served: what `[recommend] cost_metric` may name, in the order
    /// pages and exports list them.
    pub const COSTS: [Metric; 4] = [
        Metric::CostPer1mRequestsUsd,
        Metric::CostPer1mOutputTokensUsd,
        Metric::CostPer1mTotalTokensUsd,
        Metric::CostPer10kRequestsUsd,
    ];

    /// What a cost per unit is per, as a sentence says it (`1M output tokens`); `None` for
    /// every metric that is not in [`Metric::COSTS`].
    #[must_use]
    pub fn cost_unit(self) -> Option<&'static str> {
        Some(match self {
            Metric::CostPer1mRequestsUsd => "1M requests",
            Metric::CostPer1mOutputTokensUsd => "1M output tokens",
            Metric::CostPer1mTotalTokensUsd => "1M total tokens",
            Metric::CostPer10kRequestsUsd => "10k requests",
            _ => return None,
        })
    }

    /// The metric of a key (`ttft_ms`), if bench-report knows it.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.iter().copied().find(|m| m.key() == key)
    }

    /// True for the four latency distributions.
    #[must_use]
    pub fn is_latency(self) -> bool {
        Metric::LATENCIES.contains(&self)
    }

    /// This metric with a statistic: `Metric::TtftMs.stat(Stat::P(Level::P99))`.
    #[must_use]
    pub const fn stat(self, stat: Stat) -> MetricKey {
        MetricKey {
            metric: self,
            stat: Some(stat),
        }
    }

    /// This run metric as a key.
    #[must_use]
    pub const fn run_value(self) -> MetricKey {
        MetricKey {
            metric: self,
            stat: None,
        }
    }
}

/// A percentile level, exact to 1e-4 (`p99.99`), so a level a tool reports keeps its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Level(u32);

impl Level {
    /// p0, the minimum (a bound, not a level anyone configures).
    pub const P0: Level = Level(0);
    /// p50.
    pub const P50: Level = Level(50 * 10_000);
    /// p90.
    pub const P90: Level = Level(90 * 10_000);
    /// p95.
    pub const P95: Level = Level(95 * 10_000);
    /// p99.
    pub const P99: Level = Level(99 * 10_000);
    /// p100, the maximum (a bound, not a level anyone configures).
    pub const P100: Level = Level(100 * 10_000);
    const SCALE: f64 = 10_000.0;

    /// The level of a percentile given as a number (`99.9`), when it lies in 0..=100 and has
    /// at most four decimals.
    #[must_use]
    pub fn new(p: f64) -> Option<Level> {
        let scaled = (p * Level::SCALE).round();
        ((0.0..=100.0).contains(&p) && (scaled / Level::SCALE - p).abs() < 1e-9)
            .then_some(Level(scaled as u32))
    }

    /// The level as a number (`99.9`).
    #[must_use]
    pub fn value(self) -> f64 {
        f64::from(self.0) / Level::SCALE
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "p{}", crate::format::float(self.value()))
    }
}

/// A statistic of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stat {
    /// Arithmetic mean.
    Mean,
    /// The median (p50 by the configured method).
    Median,
    /// Standard deviation (population, ddof 0, unless the tool's method says otherwise).
    Std,
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
    /// Number of values.
    Count,
    /// Sum of values (token totals).
    Sum,
    /// A percentile.
    P(Level),
}

impl Stat {
    /// The statistics every distribution has besides its percentiles, in summary order.
    pub const BASIC: [Stat; 6] = [
        Stat::Mean,
        Stat::Median,
        Stat::Std,
        Stat::Min,
        Stat::Max,
        Stat::Count,
    ];
}

impl fmt::Display for Stat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stat::Mean => f.write_str("mean"),
            Stat::Median => f.write_str("median"),
            Stat::Std => f.write_str("std"),
            Stat::Min => f.write_str("min"),
            Stat::Max => f.write_str("max"),
            Stat::Count => f.write_str("count"),
            Stat::Sum => f.write_str("sum"),
            Stat::P(level) => level.fmt(f),
        }
    }
}

impl FromStr for Stat {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Ok(match s {
            "mean" => Stat::Mean,
            "median" => Stat::Median,
            "std" => Stat::Std,
            "min" => Stat::Min,
            "max" => Stat::Max,
            "count" => Stat::Count,
            "sum" => Stat::Sum,
            p => Stat::P(
                p.strip_prefix('p')
                    .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
                    .and_then(|n| n.parse::<f64>().ok())
                    .and_then(Level::new)
                    .ok_or(())?,
            ),
        })
    }
}

/// A metric, with a statistic for distributions: the key of one number of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MetricKey {
    /// The metric.
    pub metric: Metric,
    /// The statistic (distributions only).
    pub stat: Option<Stat>,
}

impl MetricKey {
    /// The same metric with the other spelling of the median (`median` ↔ `p50`), which
    /// answers when this one has no value.
    #[must_use]
    pub fn median_alias(self) -> Option<MetricKey> {
        let stat = match self.stat? {
            Stat::Median => Stat::P(Level::P50),
            Stat::P(Level::P50) => Stat::Median,
            _ => return None,
        };
        Some(self.metric.stat(stat))
    }
}

impl fmt::Display for MetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.stat {
            Some(s) => write!(f, "{}.{s}", self.metric.key()),
            None => f.write_str(self.metric.key()),
        }
    }
}

impl FromStr for MetricKey {
    type Err = ();

    /// `ttft_ms.p99.9` (a distribution and a statistic; the statistic may hold a dot) or a
    /// run metric (`error_rate`).
    fn from_str(s: &str) -> Result<Self, ()> {
        if let Some(m) = Metric::from_key(s) {
            return (m.kind() != Kind::Distribution)
                .then_some(m.run_value())
                .ok_or(());
        }
        let (m, stat) = s.split_once('.').ok_or(())?;
        let metric = Metric::from_key(m)
            .filter(|m| m.kind() == Kind::Distribution)
            .ok_or(())?;
        Ok(metric.stat(stat.parse()?))
    }
}

impl From<MetricKey> for String {
    fn from(k: MetricKey) -> String {
        k.to_string()
    }
}

/// Every formula bench-report uses, with docs/metrics.md's wording: the methodology footer of every
/// page and `summary.json`'s `definitions.formulas`.
pub const FORMULAS: &[(&str, &str)] = &[
    ("ttft_ms", "request sent → first token received, per request"),
    ("e2e_ms", "request sent → last token received, per request"),
    ("tpot_ms", "per request (e2e_ms − ttft_ms) / (output_tokens − 1), requests with output_tokens > 1"),
    ("itl_ms", "every gap between consecutive tokens, pooled over the run's requests"),
    ("request_throughput_rps", "completed requests / duration_s"),
    ("output_token_throughput_tps", "Σ output tokens of completed requests / duration_s"),
    ("total_token_throughput_tps", "Σ (input + output) tokens of completed requests / duration_s"),
    ("error_rate", "failed / (completed + failed)"),
    ("goodput_rps", "requests meeting every [slo] objective / duration_s"),
    ("hourly_usd", "price_per_hour_usd × instance_count"),
    ("cost_per_1m_requests_usd", "hourly_usd / 3600 / request_throughput_rps × 1 000 000"),
    ("cost_per_1m_output_tokens_usd", "hourly_usd / 3600 / output_token_throughput_tps × 1 000 000"),
    ("cost_per_1m_total_tokens_usd", "hourly_usd / 3600 / total_token_throughput_tps × 1 000 000"),
    ("cost_per_10k_requests_usd", "cost_per_1m_requests_usd / 100"),
    ("token-priced cost per request", "input_tokens × input price + output_tokens × output price, averaged over completed requests"),
    ("budget margin", "(limit − value) / limit for a max, (value − limit) / limit for a min; positive is good"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_including_fractional_percentiles() {
        for text in [
            "ttft_ms.p99",
            "tpot_ms.p99.9",
            "e2e_ms.p0.1",
            "itl_ms.p99.99",
            "e2e_ms.median",
            "output_tokens.sum",
            "request_throughput_rps",
            "cost_per_1m_output_tokens_usd",
        ] {
            let key: MetricKey = text.parse().unwrap_or_else(|()| panic!("{text}"));
            assert_eq!(key.to_string(), text);
        }
        let k: MetricKey = "tpot_ms.p99.9".parse().expect("key");
        assert_eq!(k.metric, Metric::TpotMs);
        assert_eq!(k.stat, Level::new(99.9).map(Stat::P));
    }

    #[test]
    fn unknown_keys_are_refused() {
        for text in [
            "ttft_ms",
            "ttft_ms.p101",
            "ttft_ms.pxx",
            "error_rate.mean",
            "latency.p99",
            "",
        ] {
            assert!(text.parse::<MetricKey>().is_err(), "{text}");
        }
    }

    #[test]
    fn every_key_is_unique_and_directions_follow_the_unit() {
        let mut keys: Vec<&str> = Metric::ALL.iter().map(|m| m.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Metric::ALL.len());
        for m in Metric::ALL {
            if m.unit() == "ms" || m.kind() == Kind::Money {
                assert_eq!(m.direction(), Direction::LowerIsBetter, "{m:?}");
            }
        }
        for m in Metric::ALL {
            assert_eq!(m.cost_unit().is_some(), Metric::COSTS.contains(m), "{m:?}");
        }
        // The sentence unit is the key without `cost_per_`/`_usd`, spaced, with `1M`.
        for m in Metric::COSTS {
            let from_key = m
                .key()
                .trim_start_matches("cost_per_")
                .trim_end_matches("_usd")
                .replace('_', " ")
                .replace("1m ", "1M ");
            assert_eq!(m.cost_unit(), Some(from_key.as_str()));
        }
        assert_eq!(
            Metric::E2eMs
                .stat(Stat::Median)
                .median_alias()
                .map(|k| k.to_string()),
            Some("e2e_ms.p50".to_string())
        );
    }
}
