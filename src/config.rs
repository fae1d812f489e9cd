//! `bench-report.toml` (README "Configuration"): serde types with defaults, unknown keys rejected so that
//! typos don't pass silently, and `validate()` for values serde cannot check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::metric::{Level, Metric, MetricKey, Stat};

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Page title.
    pub title: Option<String>,
    /// Markdown shown under the index page's title (what was benchmarked, how, by whom):
    /// rendered by each page format, as markdown in `.md`, as HTML (raw HTML escaped) in `.html`,
    /// as plain text in `.rst`.
    pub description: Option<String>,
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
    /// One page per value of these keys (not read yet; `[site] page_by` makes the pages).
    pub group: Vec<GroupSpec>,
    /// How the site is split into pages.
    pub site: SiteConfig,
    /// Compare settings.
    pub compare: CompareConfig,
}

/// `[inputs]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Inputs {
    /// Folders, files or globs read when the command line names none, relative to the config
    /// file's folder (so an example's config can point at a corpus beside the checkout).
    pub paths: Vec<PathBuf>,
    /// Globs (relative to each input folder) of files to read.
    pub include: Vec<String>,
    /// Globs of files never read.
    pub exclude: Vec<String>,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs {
            paths: Vec::new(),
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

/// A metric named in `bench-report.toml`: the text as written (pages and `summary.json` echo
/// it as given) and the catalogue key it names, parsed once when the file is read. Which keys
/// a setting accepts is [`Config::validate`]'s business, so an unknown name is kept, not
/// refused here, and reported with its setting's key.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(from = "String", into = "String")]
pub struct MetricName {
    text: String,
    key: Option<MetricKey>,
}

impl MetricName {
    /// The catalogue key, `None` when the text names none.
    #[must_use]
    pub fn key(&self) -> Option<MetricKey> {
        self.key
    }

    /// The text as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<String> for MetricName {
    fn from(text: String) -> Self {
        MetricName {
            key: text.parse().ok(),
            text,
        }
    }
}

impl From<&str> for MetricName {
    fn from(text: &str) -> Self {
        MetricName::from(text.to_string())
    }
}

impl From<MetricKey> for MetricName {
    fn from(key: MetricKey) -> Self {
        MetricName {
            text: key.to_string(),
            key: Some(key),
        }
    }
}

impl From<MetricName> for String {
    fn from(name: MetricName) -> String {
        name.text
    }
}

impl std::fmt::Display for MetricName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// `[[budget]]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetSpec {
    /// `metric.statistic` (`e2e_ms.p95`) or a run-level metric (`error_rate`,
    /// `cost_per_10k_requests_usd`).
    pub metric: MetricName,
    /// Upper limit (inclusive).
    pub max: Option<f64>,
    /// Lower limit (inclusive).
    pub min: Option<f64>,
}

/// Recommendation objective (docs/metrics.md "Budgets and recommendations").
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
    /// Cost metric for `min_cost` and price-performance: one of [`Metric::COSTS`].
    pub cost_metric: MetricName,
}

impl RecommendConfig {
    /// The configured cost metric, when it is one of [`Metric::COSTS`] (always, once
    /// [`Config::validate`] passed).
    #[must_use]
    pub fn cost_metric(&self) -> Option<Metric> {
        self.cost_metric
            .key()
            .filter(|k| k.stat.is_none() && Metric::COSTS.contains(&k.metric))
            .map(|k| k.metric)
    }
}

impl Default for RecommendConfig {
    fn default() -> Self {
        RecommendConfig {
            group_by: vec!["dataset".into(), "instance_type".into()],
            objective: Objective::MaxConcurrency,
            cost_metric: Metric::CostPer1mRequestsUsd.run_value().into(),
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

/// `[site]`: how the runs are split into pages (README "Configuration").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Run fields whose values make one page each (default `["model"]`: a reader looks for
    /// their model first, and a model's runs on several instances belong side by side).
    pub page_by: Vec<String>,
    /// Output folder when `-o` is not given, relative to the config file.
    pub output: Option<PathBuf>,
    /// Page formats when `-f` is not given (default `["md"]`).
    pub formats: Vec<String>,
    /// Template folder when `--templates` is not given, relative to the config file.
    pub templates: Option<PathBuf>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            page_by: vec!["model".into()],
            output: None,
            formats: Vec::new(),
            templates: None,
        }
    }
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

/// Metrics a budget can name besides `latency.stat`: the run values, the costs per unit and
/// the hourly price, in the order the validation message lists them.
pub const BUDGET_RUN_METRICS: [Metric; 10] = [
    Metric::RUN_VALUES[0],
    Metric::RUN_VALUES[1],
    Metric::RUN_VALUES[2],
    Metric::RUN_VALUES[3],
    Metric::RUN_VALUES[4],
    Metric::COSTS[0],
    Metric::COSTS[1],
    Metric::COSTS[2],
    Metric::COSTS[3],
    Metric::PricePerHourUsd,
];

/// Statistics a latency budget can name besides a percentile.
const BUDGET_STATS: [Stat; 5] = [Stat::Mean, Stat::Median, Stat::Std, Stat::Min, Stat::Max];

/// Percentiles a budget may name even when `[metrics] percentiles` leaves them out (they are
/// then unknown for every run, and the budget says so).
const BUDGET_DEFAULT_LEVELS: [Level; 4] = [Level::P50, Level::P90, Level::P95, Level::P99];

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
            if Level::new(*p).is_none() {
                return Err(invalid(
                    format!("metrics.percentiles[{i}]"),
                    format!("expected at most four decimals, found {p}"),
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
            if !b
                .metric
                .key()
                .is_some_and(|k| budget_metric_known(k, &self.metrics.percentiles))
            {
                return Err(invalid(
                    format!("budget[{i}].metric"),
                    format!(
                        "unknown metric {:?}; expected LATENCY.STAT (latency: {}; stat: {}, pNN) or one of {}",
                        b.metric.as_str(),
                        join(Metric::LATENCIES.map(Metric::key)),
                        join(BUDGET_STATS),
                        join(BUDGET_RUN_METRICS.map(Metric::key)),
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
        for (i, f) in self.site.page_by.iter().enumerate() {
            if !GROUP_FIELDS.contains(&f.as_str()) {
                return Err(invalid(
                    format!("site.page_by[{i}]"),
                    format!(
                        "unknown field {f:?}; expected one of {}",
                        GROUP_FIELDS.join(", ")
                    ),
                ));
            }
        }
        if self.recommend.cost_metric().is_none() {
            return Err(invalid(
                "recommend.cost_metric".into(),
                format!(
                    "unknown cost metric {:?}",
                    self.recommend.cost_metric.as_str()
                ),
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

/// True when a budget may name `key`: a run metric of [`BUDGET_RUN_METRICS`], or a latency
/// with a basic statistic or a percentile strictly between 0 and 100 that is configured
/// (`percentiles`) or one of p50, p90, p95, p99.
#[must_use]
pub fn budget_metric_known(key: MetricKey, percentiles: &[f64]) -> bool {
    match key.stat {
        None => BUDGET_RUN_METRICS.contains(&key.metric),
        Some(_) if !key.metric.is_latency() => false,
        Some(Stat::P(level)) => {
            level > Level::P0
                && level < Level::P100
                && (BUDGET_DEFAULT_LEVELS.contains(&level)
                    || percentiles.iter().any(|&p| Level::new(p) == Some(level)))
        }
        Some(stat) => BUDGET_STATS.contains(&stat),
    }
}

/// `a, b, c`.
fn join<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(", ")
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
        assert_eq!(c.site.page_by, vec!["model"]);
        assert_eq!(c.recommend.objective, Objective::MaxConcurrency);
    }

    /// The validation error of `toml`, as a message.
    fn invalid(toml: &str) -> Option<String> {
        let c: Config = toml::from_str(toml).expect("parses");
        match c.validate(Path::new("b.toml")) {
            Ok(()) => None,
            Err(ConfigError::Invalid { key, message, .. }) => Some(format!("{key}: {message}")),
            Err(e) => panic!("not a validation error: {e}"),
        }
    }

    fn budget(metric: &str, percentiles: &str) -> Option<String> {
        invalid(&format!(
            "[metrics]\npercentiles = [{percentiles}]\n[[budget]]\nmetric = \"{metric}\"\nmax = 1"
        ))
    }

    #[test]
    fn budget_metric_validation() {
        for ok in [
            "e2e_ms.p95",
            "e2e_ms.p50",
            "itl_ms.median",
            "tpot_ms.std",
            "cost_per_10k_requests_usd",
            "price_per_hour_usd",
            "error_rate",
        ] {
            assert_eq!(budget(ok, "90, 95, 99"), None, "{ok}");
        }
        for bad in [
            "e2e.p95",
            "ttft_ms.p101",
            "ttft_ms.p77",
            "ttft_ms.count",
            "ttft_ms",
            "input_tokens.mean",
            "hourly_usd",
            "error_rate.mean",
        ] {
            let err = budget(bad, "90, 95, 99").unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(err.starts_with("budget[0].metric: "), "{err}");
        }
        // The message lists the catalogue exactly as it always has.
        assert_eq!(
            budget("ttft_ms.p77", "90, 95, 99").as_deref(),
            Some(
                "budget[0].metric: unknown metric \"ttft_ms.p77\"; expected LATENCY.STAT (latency: ttft_ms, tpot_ms, itl_ms, e2e_ms; stat: mean, median, std, min, max, pNN) or one of request_throughput_rps, output_token_throughput_tps, total_token_throughput_tps, error_rate, goodput_rps, cost_per_1m_requests_usd, cost_per_1m_output_tokens_usd, cost_per_1m_total_tokens_usd, cost_per_10k_requests_usd, price_per_hour_usd"
            )
        );
    }

    #[test]
    fn a_fractional_percentile_budget_needs_its_percentile_configured() {
        assert!(budget("e2e_ms.p99.9", "90, 95, 99").is_some());
        assert_eq!(budget("e2e_ms.p99.9", "90, 99.9"), None);
        let c: Config = toml::from_str(
            "[metrics]\npercentiles = [99.9]\n[[budget]]\nmetric = \"e2e_ms.p99.9\"\nmax = 1",
        )
        .expect("parses");
        let key = c.budget[0].metric.key().expect("a catalogue key");
        assert_eq!(key.to_string(), "e2e_ms.p99.9");
        assert!(budget_metric_known(key, &c.metrics.percentiles));
        // A percentile no level can name is refused where it is configured.
        assert_eq!(
            invalid("[metrics]\npercentiles = [99.12345]").as_deref(),
            Some("metrics.percentiles[0]: expected at most four decimals, found 99.12345")
        );
    }

    #[test]
    fn cost_metric_is_a_cost_per_unit() {
        let c: Config = toml::from_str("").expect("empty config");
        assert_eq!(
            c.recommend.cost_metric(),
            Some(Metric::CostPer1mRequestsUsd)
        );
        for m in Metric::COSTS {
            let toml = format!("[recommend]\ncost_metric = \"{}\"", m.key());
            assert_eq!(invalid(&toml), None, "{m:?}");
        }
        for bad in ["price_per_hour_usd", "error_rate", "cost_per_1m_requests"] {
            assert_eq!(
                invalid(&format!("[recommend]\ncost_metric = \"{bad}\"")),
                Some(format!(
                    "recommend.cost_metric: unknown cost metric \"{bad}\""
                )),
            );
        }
    }

    #[test]
    fn metric_names_serialize_as_written() {
        // summary.json echoes the budgets as configured.
        let c: Config =
            toml::from_str("[[budget]]\nmetric = \"e2e_ms.p95\"\nmax = 2").expect("parses");
        assert_eq!(
            serde_json::to_string(&c.budget).expect("json"),
            r#"[{"metric":"e2e_ms.p95","max":2.0,"min":null}]"#
        );
    }
}
