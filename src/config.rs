//! `bench-report.toml` (DESIGN §12): serde types with defaults, unknown keys rejected so that
//! typos don't pass silently, and `validate()` for values serde cannot check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Page title.
    pub title: Option<String>,
    /// Which files are inputs.
    pub inputs: Inputs,
    /// Per-glob format, column mapping, units and labels.
    pub source: Vec<SourceRule>,
    /// Price tables and aliases.
    pub pricing: PricingConfig,
    /// Percentiles and method.
    pub metrics: MetricsConfig,
    /// Service-level objectives for goodput.
    pub slo: Slo,
    /// Budgets every run is checked against.
    pub budget: Vec<BudgetSpec>,
    /// How recommendations are made.
    pub recommend: RecommendConfig,
    /// One page per value of these keys.
    pub group: Vec<GroupSpec>,
    /// Compare settings.
    pub compare: CompareConfig,
}

/// `[inputs]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Inputs {
    /// Globs (relative to each input folder) of files to read.
    pub include: Vec<String>,
    /// Globs of files never read.
    pub exclude: Vec<String>,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs {
            include: [
                "**/*.json",
                "**/*.jsonl",
                "**/*.csv",
                "**/*.yml",
                "**/*.yaml",
                "**/*.md",
            ]
            .map(String::from)
            .to_vec(),
            exclude: vec!["site/**".into()],
        }
    }
}

/// `[[source]]`: force a format, map columns and units, add labels.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SourceRule {
    /// Glob relative to the input folder.
    pub glob: String,
    /// Parser name to use for matching files.
    pub format: Option<String>,
    /// Our column → the file's column.
    pub columns: BTreeMap<String, String>,
    /// The file's column → unit (`s`, `ms`, `us`, `ns`).
    pub units: BTreeMap<String, String>,
    /// Labels for every run of matching files.
    pub labels: BTreeMap<String, String>,
}

/// `[pricing]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PricingConfig {
    /// Price tables (bench-report CSV, Neuron price CSV, FMBench pricing.yml), relative to the
    /// config file.
    pub tables: Vec<PathBuf>,
    /// Region to use when a table has several.
    pub region: Option<String>,
    /// Pricing model to use when a table has several (`on_demand`, `reserved_1y`, …).
    pub pricing_model: Option<String>,
    /// Instance-type spellings: run's name → table's name.
    pub aliases: BTreeMap<String, String>,
}

/// Percentile method.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PercentileMethod {
    /// Linear interpolation between closest ranks (numpy default, Hyndman–Fan 7).
    #[default]
    Linear,
    /// Nearest rank.
    Nearest,
}

impl PercentileMethod {
    /// Name as written in the config and the footer.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            PercentileMethod::Linear => "linear",
            PercentileMethod::Nearest => "nearest",
        }
    }
}

/// `[metrics]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Percentiles to compute, 0 < p < 100.
    pub percentiles: Vec<f64>,
    /// Interpolation method.
    pub percentile_method: PercentileMethod,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            percentiles: vec![90.0, 95.0, 99.0],
            percentile_method: PercentileMethod::Linear,
        }
    }
}

/// `[slo]`: a request is good when it meets every objective given.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Slo {
    /// Max time to first token, ms.
    pub ttft_ms: Option<f64>,
    /// Max time per output token, ms.
    pub tpot_ms: Option<f64>,
    /// Max end-to-end latency, ms.
    pub e2e_ms: Option<f64>,
}

impl Slo {
    /// True when any objective is set.
    #[must_use]
    pub fn is_set(&self) -> bool {
        self.ttft_ms.is_some() || self.tpot_ms.is_some() || self.e2e_ms.is_some()
    }
}

/// `[[budget]]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetSpec {
    /// `metric.statistic` (`e2e_ms.p95`) or a run-level metric (`error_rate`,
    /// `cost_per_10k_requests_usd`).
    pub metric: String,
    /// Upper limit (inclusive).
    pub max: Option<f64>,
    /// Lower limit (inclusive).
    pub min: Option<f64>,
}

/// Recommendation objective (DESIGN §7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Highest load that passes every budget (FMBench's rule).
    #[default]
    MaxConcurrency,
    /// Highest request throughput among passing runs.
    MaxThroughput,
    /// Lowest cost among passing runs.
    MinCost,
    /// Lowest value of the first latency budget's metric.
    MinLatency,
}

impl Objective {
    /// Config spelling.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Objective::MaxConcurrency => "max_concurrency",
            Objective::MaxThroughput => "max_throughput",
            Objective::MinCost => "min_cost",
            Objective::MinLatency => "min_latency",
        }
    }
}

/// `[recommend]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecommendConfig {
    /// Run fields that form a group.
    pub group_by: Vec<String>,
    /// Objective.
    pub objective: Objective,
    /// Cost metric for `min_cost` and price-performance.
    pub cost_metric: String,
}

impl Default for RecommendConfig {
    fn default() -> Self {
        RecommendConfig {
            group_by: vec!["dataset".into(), "instance_type".into()],
            objective: Objective::MaxConcurrency,
            cost_metric: "cost_per_1m_requests_usd".into(),
        }
    }
}

/// `[[group]]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GroupSpec {
    /// Run fields.
    pub by: Vec<String>,
}

/// `[compare]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompareConfig {
    /// Baseline folder.
    pub baseline: Option<PathBuf>,
    /// Matching key.
    pub key: Vec<String>,
    /// Default threshold (`5%`).
    pub threshold: Option<String>,
    /// Per-metric thresholds.
    pub thresholds: BTreeMap<String, String>,
}

/// Fields a run can be grouped by.
pub const GROUP_FIELDS: &[&str] = &[
    "model",
    "engine",
    "engine_version",
    "instance_type",
    "accelerator",
    "dataset",
    "source_format",
    "source_file",
    "input_len",
    "output_len",
    "tp",
    "pp",
    "batch_size",
];

/// Metrics a budget can name besides `latency.stat`.
pub const BUDGET_RUN_METRICS: &[&str] = &[
    "request_throughput_rps",
    "output_token_throughput_tps",
    "total_token_throughput_tps",
    "error_rate",
    "goodput_rps",
    "cost_per_1m_requests_usd",
    "cost_per_1m_output_tokens_usd",
    "cost_per_1m_total_tokens_usd",
    "cost_per_10k_requests_usd",
    "price_per_hour_usd",
];

impl Config {
    /// Read and validate a config file.
    ///
    /// # Errors
    /// Unreadable file, TOML error or unknown key (with its location), or invalid values.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let config: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: one_line(&e.to_string()),
        })?;
        config.validate(path)?;
        Ok(config)
    }

    /// Check what serde cannot.
    ///
    /// # Errors
    /// The first invalid value, naming its key.
    pub fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |key: String, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            key,
            message,
        };
        for (i, p) in self.metrics.percentiles.iter().enumerate() {
            if !(*p > 0.0 && *p < 100.0) {
                return Err(invalid(
                    format!("metrics.percentiles[{i}]"),
                    format!("expected a number between 0 and 100 (exclusive), found {p}"),
                ));
            }
        }
        for (i, b) in self.budget.iter().enumerate() {
            if b.max.is_none() && b.min.is_none() {
                return Err(invalid(
                    format!("budget[{i}]"),
                    "expected `max` or `min`".into(),
                ));
            }
            if !budget_metric_known(&b.metric, &self.metrics.percentiles) {
                return Err(invalid(
                    format!("budget[{i}].metric"),
                    format!(
                        "unknown metric {:?}; expected LATENCY.STAT (latency: ttft_ms, tpot_ms, itl_ms, e2e_ms; stat: mean, median, std, min, max, pNN) or one of {}",
                        b.metric,
                        BUDGET_RUN_METRICS.join(", ")
                    ),
                ));
            }
        }
        for (i, f) in self.recommend.group_by.iter().enumerate() {
            if !GROUP_FIELDS.contains(&f.as_str()) {
                return Err(invalid(
                    format!("recommend.group_by[{i}]"),
                    format!(
                        "unknown field {f:?}; expected one of {}",
                        GROUP_FIELDS.join(", ")
                    ),
                ));
            }
        }
        if !self.recommend.cost_metric.starts_with("cost_per_")
            || !BUDGET_RUN_METRICS.contains(&self.recommend.cost_metric.as_str())
        {
            return Err(invalid(
                "recommend.cost_metric".into(),
                format!("unknown cost metric {:?}", self.recommend.cost_metric),
            ));
        }
        for (i, s) in self.source.iter().enumerate() {
            for (col, unit) in &s.units {
                if crate::units::time_factor_to_ms(unit).is_none() && unit != "tokens" {
                    return Err(invalid(
                        format!("source[{i}].units.{col}"),
                        format!("unknown unit {unit:?}; expected s, ms, us or ns"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// True when a budget metric names something bench-report computes.
#[must_use]
pub fn budget_metric_known(metric: &str, percentiles: &[f64]) -> bool {
    if BUDGET_RUN_METRICS.contains(&metric) {
        return true;
    }
    let Some((m, stat)) = metric.split_once('.') else {
        return false;
    };
    if !crate::model::LATENCY_METRICS.contains(&m) {
        return false;
    }
    match stat {
        "mean" | "median" | "std" | "min" | "max" => true,
        s => s
            .strip_prefix('p')
            .and_then(|n| n.parse::<f64>().ok())
            .is_some_and(|p| {
                p > 0.0
                    && p < 100.0
                    && (p == 50.0 || percentiles.contains(&p) || [90.0, 95.0, 99.0].contains(&p))
            }),
    }
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error() {
        let err = toml::from_str::<Config>("titel = \"x\"").expect_err("typo rejected");
        assert!(err.to_string().contains("titel"), "{err}");
    }

    #[test]
    fn defaults_are_design_defaults() {
        let c: Config = toml::from_str("").expect("empty config");
        assert_eq!(c.metrics.percentiles, vec![90.0, 95.0, 99.0]);
        assert_eq!(c.recommend.group_by, vec!["dataset", "instance_type"]);
        assert_eq!(c.recommend.objective, Objective::MaxConcurrency);
    }

    #[test]
    fn budget_metric_validation() {
        assert!(budget_metric_known("e2e_ms.p95", &[90.0, 95.0, 99.0]));
        assert!(budget_metric_known("cost_per_10k_requests_usd", &[]));
        assert!(!budget_metric_known("e2e.p95", &[]));
        assert!(!budget_metric_known("ttft_ms.p101", &[]));
        let c: Config =
            toml::from_str("[[budget]]\nmetric = \"ttft_ms.p77\"\nmax = 1").expect("parses");
        let err = c
            .validate(Path::new("b.toml"))
            .expect_err("p77 not configured");
        assert!(err.to_string().contains("budget[0].metric"), "{err}");
    }
}
