//! `summary.json` as typed structs (Serialize + Deserialize + JsonSchema), field for field and
//! in the order the file has always had them, so an archived export reads back (`compare`),
//! a change of shape is a compile error, and `docs/summary.schema.json` is generated from the
//! same types. Money is a string of the exact decimal; unknown is `null`, never 0.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use indexmap::IndexMap;
use rust_decimal::Decimal;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::SCHEMA_VERSION;
use crate::budget::{Bound, Status, Value};
use crate::error::ExportError;
use crate::evaluate::{EvaluatedRun, Evaluation};
use crate::metric::{self, Metric};
use crate::model::{Provenance, RequestRate};

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "bench-report summary.json")]
pub struct Summary {
    /// Version of this schema; changes when anything but an added field changes.
    pub schema_version: u32,
    /// `bench-report.summary/<schema_version>`.
    pub schema: String,
    /// Report title.
    pub title: String,
    /// Files read.
    pub inputs: Vec<InputEntry>,
    /// Files not read, and why.
    pub skipped: Vec<SkippedEntry>,
    /// How the numbers are computed.
    pub definitions: Definitions,
    /// Budgets as configured.
    pub budgets: Vec<BudgetEntry>,
    /// Every run with its metrics, cost and budget verdicts.
    pub runs: Vec<RunEntry>,
    /// One recommendation per group.
    pub recommendations: Vec<RecommendationEntry>,
    /// Best price-performance per dataset.
    pub best_price_performance: Vec<BestEntry>,
    /// Non-fatal findings.
    pub warnings: Vec<String>,
}

/// A file read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InputEntry {
    /// Path relative to its input root, `/`-separated.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// The parser that read it (`vllm`, `generic_csv`, …).
    pub format: String,
    /// Runs read from it.
    pub runs: usize,
    /// Remarks (pairing, price rows read, …).
    pub notes: Vec<String>,
}

/// A file not read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SkippedEntry {
    /// Path relative to its input root.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// How the numbers are computed (README "How numbers are computed", docs/metrics.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Definitions {
    /// `linear` (numpy's default) or `nearest`.
    pub percentile_method: String,
    /// Configured percentiles (`[90.0, 95.0, 99.0]`).
    pub percentiles: Vec<f64>,
    /// Degrees of freedom of the standard deviation (0: population).
    pub std_ddof: u32,
    /// Every formula: name → formula, in the catalogue's order.
    pub formulas: IndexMap<String, String>,
    /// Where a tool defines a metric differently, once per (tool, metric, definition).
    pub differing: Vec<DifferingDefinition>,
}

/// A tool's own definition of a metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DifferingDefinition {
    /// The tool (`source_format`).
    pub tool: String,
    /// The metric key.
    pub metric: String,
    /// The tool's definition.
    pub definition: String,
}

/// A configured budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetEntry {
    /// `metric.statistic` (`e2e_ms.p95`) or a run metric (`error_rate`).
    pub metric: String,
    /// Upper limit (inclusive).
    pub max: Option<f64>,
    /// Lower limit (inclusive).
    pub min: Option<f64>,
}

/// One run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunEntry {
    /// Stable id: hash of the source path and `index_in_file`.
    pub run_id: String,
    /// The parser that read it.
    pub source_format: String,
    /// Path of the file relative to its input root.
    pub source_file: String,
    /// Position among the runs of its file (0-based).
    pub index_in_file: usize,
    /// Version of the benchmark tool, when known.
    pub source_tool_version: Option<String>,
    /// Short name of the run inside its file.
    pub name: Option<String>,
    /// Model name as the file gives it.
    pub model: Option<String>,
    /// Serving engine.
    pub engine: Option<String>,
    /// Serving engine version.
    pub engine_version: Option<String>,
    /// Instance type, as written.
    pub instance_type: Option<String>,
    /// Instances the run used.
    pub instance_count: Option<u32>,
    /// Accelerator description.
    pub accelerator: Option<String>,
    /// Tensor parallel degree.
    pub tp: Option<u32>,
    /// Pipeline parallel degree.
    pub pp: Option<u32>,
    /// Data parallel degree.
    pub dp: Option<u32>,
    /// Batch size, when fixed.
    pub batch_size: Option<u32>,
    /// Payload file, dataset or test name.
    pub dataset: Option<String>,
    /// Concurrent requests.
    pub concurrency: Option<u32>,
    /// Offered request rate, requests per second, or `"inf"` (all at once).
    pub request_rate_rps: Option<Rate>,
    /// Configured prompt length, tokens.
    pub input_len: Option<u64>,
    /// Configured output length, tokens.
    pub output_len: Option<u64>,
    /// Run duration, seconds.
    pub duration_s: Option<f64>,
    /// Requests (completed + failed).
    pub num_requests: Option<u64>,
    /// Failed requests.
    pub num_failed: Option<u64>,
    /// Date of the run, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Other key = value pairs, shown, never interpreted.
    pub labels: BTreeMap<String, String>,
    /// Where the tool's definition of a metric differs: metric → explanation.
    pub definitions: BTreeMap<String, String>,
    /// Provenance remarks.
    pub notes: Vec<String>,
    /// Metric → its statistics, each with its provenance (and the tool's own value when
    /// both exist), in key order.
    pub metrics: IndexMap<String, MetricEntry>,
    /// Price and costs.
    pub cost: CostEntry,
    /// Overall budget status; `null` when no budgets are configured.
    pub budget_status: Option<BudgetStatus>,
    /// One verdict per budget bound.
    pub budgets: Vec<VerdictEntry>,
    /// Findings about this run.
    pub warnings: Vec<String>,
}

/// An offered request rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Rate {
    /// Requests per second.
    Finite(f64),
    /// Every request sent at once.
    Infinite(Inf),
}

/// The word `inf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Inf {
    /// `inf`.
    #[serde(rename = "inf")]
    Inf,
}

/// Where one statistic came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum StatProvenance {
    /// `"computed"`: by bench-report from request rows.
    Computed(ComputedWord),
    /// Derived from run fields, or reported by the tool.
    Detailed(ProvenanceDetail),
}

/// The word `computed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ComputedWord {
    /// `computed`.
    #[serde(rename = "computed")]
    Computed,
}

/// A derived or reported statistic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProvenanceDetail {
    /// Computed from other run fields by the named formula.
    Derived {
        /// The formula.
        formula: String,
    },
    /// Copied from the tool's summary.
    Reported {
        /// The tool's name for it.
        label: String,
        /// The tool's method when it differs from bench-report's.
        method: Option<String>,
    },
}

/// One metric's statistics. In the file the statistics (`mean`, `p99`, … or `value` for a
/// run metric) sit beside `provenance` (statistic → provenance) and, when the tool printed
/// its own value too, `reported` (statistic → the tool's value): `provenance` follows the
/// first statistic and `reported` the first statistic that has one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricEntry {
    /// Statistic → value (`null`: unknown).
    pub values: IndexMap<String, Option<f64>>,
    /// Statistic → where it came from.
    pub provenance: IndexMap<String, StatProvenance>,
    /// Statistic → the tool's own value, when both it and bench-report's exist.
    pub reported: IndexMap<String, Option<f64>>,
}

const PROVENANCE: &str = "provenance";
const REPORTED: &str = "reported";

impl Serialize for MetricEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let extra = 1 + usize::from(!self.reported.is_empty());
        let mut map = s.serialize_map(Some(self.values.len() + extra))?;
        let mut provenance_done = false;
        let mut reported_done = self.reported.is_empty();
        for (stat, value) in &self.values {
            map.serialize_entry(stat, value)?;
            if !provenance_done {
                map.serialize_entry(PROVENANCE, &self.provenance)?;
                provenance_done = true;
            }
            if !reported_done && self.reported.contains_key(stat) {
                map.serialize_entry(REPORTED, &self.reported)?;
                reported_done = true;
            }
        }
        if !provenance_done {
            map.serialize_entry(PROVENANCE, &self.provenance)?;
        }
        if !reported_done {
            map.serialize_entry(REPORTED, &self.reported)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for MetricEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = MetricEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a metric's statistics with their provenance")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<MetricEntry, A::Error> {
                let mut entry = MetricEntry::default();
                let mut seen_provenance = false;
                while let Some(key) = m.next_key::<String>()? {
                    match key.as_str() {
                        PROVENANCE => {
                            entry.provenance = m.next_value()?;
                            seen_provenance = true;
                        }
                        REPORTED => entry.reported = m.next_value()?,
                        _ => {
                            entry.values.insert(key, m.next_value()?);
                        }
                    }
                }
                if !seen_provenance {
                    return Err(de::Error::missing_field(PROVENANCE));
                }
                Ok(entry)
            }
        }
        d.deserialize_map(EntryVisitor)
    }
}

impl JsonSchema for MetricEntry {
    fn schema_name() -> Cow<'static, str> {
        "MetricEntry".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let provenance = generator.subschema_for::<IndexMap<String, StatProvenance>>();
        let reported = generator.subschema_for::<IndexMap<String, Option<f64>>>();
        json_schema!({
            "description": "A metric's statistics (`mean`, `p99`, …, or `value` for a run metric; null when unknown) beside `provenance` (statistic → where it came from) and, when the tool printed its own value too, `reported` (statistic → the tool's value).",
            "type": "object",
            "properties": { "provenance": provenance, "reported": reported },
            "required": ["provenance"],
            "additionalProperties": { "type": ["number", "null"] }
        })
    }
}

/// Money: the exact decimal as a string (`"1.212"`), never rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money(pub Decimal);

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(d)?;
        text.parse::<Decimal>()
            .map(Money)
            .map_err(|e| de::Error::custom(format!("money `{text}`: {e}")))
    }
}

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "USD, the exact decimal as text (never rounded, never a float).",
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
        })
    }
}

/// A run's price and costs; each is `null` when unknown (never 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostEntry {
    /// USD per instance-hour of the price row used.
    pub price_per_hour_usd: Option<Money>,
    /// `price_per_hour_usd × instance_count`.
    pub hourly_usd: Option<Money>,
    /// The price row used.
    pub price_source: Option<PriceSource>,
    /// The token price used (token-priced endpoints).
    pub token_price: Option<TokenPriceEntry>,
    /// USD per 1M requests.
    pub cost_per_1m_requests_usd: Option<Money>,
    /// USD per 1M output tokens.
    pub cost_per_1m_output_tokens_usd: Option<Money>,
    /// USD per 1M tokens (input + output).
    pub cost_per_1m_total_tokens_usd: Option<Money>,
    /// USD per 10k requests.
    pub cost_per_10k_requests_usd: Option<Money>,
    /// Why the run has no price or no cost.
    pub unknown_reason: Option<String>,
}

/// The price-table row that priced a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PriceSource {
    /// The table file.
    pub table: String,
    /// Instance type as the table spells it.
    pub instance_type: String,
    /// `on_demand`, `reserved_1y`, …
    pub pricing_model: String,
    /// Region, when the table says.
    pub region: Option<String>,
    /// Date the price was in force from.
    pub as_of: Option<String>,
    /// Where the price comes from.
    pub source: String,
    /// How the row was chosen, when there was a choice.
    pub note: Option<String>,
}

/// A token-based price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TokenPriceEntry {
    /// The key runs are matched on.
    pub key: String,
    /// USD per 1,000 input tokens.
    pub input_per_1k_tokens_usd: Money,
    /// USD per 1,000 output tokens.
    pub output_per_1k_tokens_usd: Money,
    /// Where the price comes from.
    pub source: String,
}

/// Pass, fail, or unknown (the value is unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    /// Within the limit.
    Pass,
    /// Outside the limit.
    Fail,
    /// The value is unknown.
    Unknown,
}

/// Which side of the limit passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The value must be at most the limit.
    Max,
    /// The value must be at least the limit.
    Min,
}

/// A value checked against a budget: money as exact text, anything else a number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum BudgetValue {
    /// A measured quantity.
    Number(f64),
    /// Money.
    Money(Money),
}

/// One budget's verdict for one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VerdictEntry {
    /// The metric (`e2e_ms.p95`).
    pub metric: String,
    /// Max or min.
    pub bound: Limit,
    /// The limit.
    pub limit: f64,
    /// The run's value; `null` when unknown.
    pub value: Option<BudgetValue>,
    /// The verdict.
    pub status: BudgetStatus,
    /// `(limit − value) / limit` for a max, `(value − limit) / limit` for a min; positive is
    /// good; `null` when the value is unknown or the limit is 0.
    pub margin: Option<f64>,
}

/// The recommendation for one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecommendationEntry {
    /// The group: field → value.
    pub group: BTreeMap<String, String>,
    /// The recommended run; `null` when no run passes.
    pub run_id: Option<String>,
    /// The sentence with the numbers that justify it.
    pub sentence: String,
    /// The closest miss when no run passes.
    pub closest_miss_run_id: Option<String>,
}

/// Best price-performance of one dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BestEntry {
    /// The dataset.
    pub dataset: String,
    /// The run.
    pub run_id: Option<String>,
    /// The sentence.
    pub sentence: String,
}

impl Summary {
    /// The summary of an evaluation.
    #[must_use]
    pub fn build(ev: &Evaluation) -> Summary {
        let run_id = |i: usize| ev.runs.get(i).map(|e| e.run.run_id.clone());
        Summary {
            schema_version: SCHEMA_VERSION,
            schema: format!("bench-report.summary/{SCHEMA_VERSION}"),
            title: ev.title.clone(),
            inputs: ev
                .inputs
                .iter()
                .map(|i| InputEntry {
                    path: i.path.clone(),
                    sha256: i.sha256.clone(),
                    format: i.format.clone(),
                    runs: i.runs,
                    notes: i.notes.clone(),
                })
                .collect(),
            skipped: ev
                .skipped
                .iter()
                .map(|s| SkippedEntry {
                    path: s.path.clone(),
                    reason: s.reason.clone(),
                })
                .collect(),
            definitions: definitions(ev),
            budgets: ev
                .config
                .budget
                .iter()
                .map(|b| BudgetEntry {
                    metric: b.metric.to_string(),
                    max: b.max,
                    min: b.min,
                })
                .collect(),
            runs: ev.runs.iter().map(RunEntry::build).collect(),
            recommendations: ev
                .recommendations
                .iter()
                .map(|r| RecommendationEntry {
                    group: r.group.clone(),
                    run_id: r.run_id.clone(),
                    sentence: r.sentence.clone(),
                    closest_miss_run_id: r.closest_miss.and_then(run_id),
                })
                .collect(),
            best_price_performance: ev
                .best
                .iter()
                .map(|(dataset, i, sentence)| BestEntry {
                    dataset: dataset.clone(),
                    run_id: run_id(*i),
                    sentence: sentence.clone(),
                })
                .collect(),
            warnings: ev.warnings.clone(),
        }
    }

    /// Pretty JSON with a final newline: the bytes of `summary.json`.
    ///
    /// # Errors
    /// Serialization failures (not expected).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ExportError> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Read an archived `summary.json` back.
    ///
    /// # Errors
    /// Text that is not a summary of this shape.
    pub fn from_slice(bytes: &[u8]) -> Result<Summary, ExportError> {
        Ok(serde_json::from_slice(bytes)?)
    }

    /// The JSON Schema of `summary.json`, as published in `docs/summary.schema.json`.
    #[must_use]
    pub fn json_schema_text() -> String {
        let schema = schemars::schema_for!(Summary);
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn definitions(ev: &Evaluation) -> Definitions {
    let mut differing = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for er in &ev.runs {
        for (metric, text) in &er.run.definitions {
            if seen.insert((&er.run.source_format, metric, text)) {
                differing.push(DifferingDefinition {
                    tool: er.run.source_format.clone(),
                    metric: metric.clone(),
                    definition: text.clone(),
                });
            }
        }
    }
    Definitions {
        percentile_method: ev.config.metrics.percentile_method.name().to_string(),
        percentiles: ev.config.metrics.percentiles.clone(),
        std_ddof: 0,
        formulas: metric::FORMULAS
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect(),
        differing,
    }
}

/// Split an aggregate's key into (metric, statistic) as `summary.json` groups them: the
/// statistic of a distribution (a latency, a token count, or a tool's own dotted name), or
/// `value` for a run metric.
fn metric_and_stat(key: &str) -> (String, String) {
    match key.rsplit_once('.') {
        Some((m, s))
            if Metric::from_key(m).is_some_and(Metric::is_latency)
                || m.ends_with("_tokens")
                || m.contains('.') =>
        {
            (m.to_string(), s.to_string())
        }
        _ => (key.to_string(), "value".to_string()),
    }
}

fn stat_provenance(p: &Provenance) -> StatProvenance {
    match p {
        Provenance::Computed => StatProvenance::Computed(ComputedWord::Computed),
        Provenance::Derived { formula } => StatProvenance::Detailed(ProvenanceDetail::Derived {
            formula: formula.clone(),
        }),
        Provenance::Reported { label, method } => {
            StatProvenance::Detailed(ProvenanceDetail::Reported {
                label: label.clone(),
                method: method.clone(),
            })
        }
    }
}

fn status(s: Status) -> BudgetStatus {
    match s {
        Status::Pass => BudgetStatus::Pass,
        Status::Fail => BudgetStatus::Fail,
        Status::Unknown => BudgetStatus::Unknown,
    }
}

impl RunEntry {
    /// One run of the evaluation.
    #[must_use]
    pub fn build(er: &EvaluatedRun) -> RunEntry {
        let r = &er.run;
        let mut metrics: IndexMap<String, MetricEntry> = IndexMap::new();
        for (key, agg) in &er.summary.values {
            let (metric, stat) = metric_and_stat(key);
            let entry = metrics.entry(metric).or_default();
            entry.values.insert(stat.clone(), agg.value);
            entry
                .provenance
                .insert(stat.clone(), stat_provenance(&agg.provenance));
            if let Some(rep) = agg.reported {
                entry.reported.insert(stat, Some(rep));
            }
        }
        let c = &er.cost;
        let money = |d: Option<Decimal>| d.map(Money);
        RunEntry {
            run_id: r.run_id.clone(),
            source_format: r.source_format.clone(),
            source_file: r.source_file.clone(),
            index_in_file: r.index_in_file,
            source_tool_version: r.source_tool_version.clone(),
            name: r.name.clone(),
            model: r.model.clone(),
            engine: r.engine.clone(),
            engine_version: r.engine_version.clone(),
            instance_type: r.instance_type.clone(),
            instance_count: r.instance_count,
            accelerator: r.accelerator.clone(),
            tp: r.tp,
            pp: r.pp,
            dp: r.dp,
            batch_size: r.batch_size,
            dataset: r.dataset.clone(),
            concurrency: r.concurrency,
            request_rate_rps: r.request_rate_rps.map(|rate| match rate {
                RequestRate::Finite(v) => Rate::Finite(v),
                RequestRate::Infinite => Rate::Infinite(Inf::Inf),
            }),
            input_len: r.input_len,
            output_len: r.output_len,
            duration_s: er
                .summary
                .duration_s
                .as_ref()
                .and_then(|a| a.value)
                .or(r.duration_s),
            num_requests: r.num_requests,
            num_failed: r.num_failed,
            date: r.date.clone(),
            labels: r.labels.clone(),
            definitions: r.definitions.clone(),
            notes: r.notes.clone(),
            metrics,
            cost: CostEntry {
                price_per_hour_usd: money(c.price.as_ref().map(|m| m.row.price_per_hour_usd)),
                hourly_usd: money(c.hourly_usd),
                price_source: c.price.as_ref().map(|m| PriceSource {
                    table: m.table.clone(),
                    instance_type: m.row.instance_type.clone(),
                    pricing_model: m.row.pricing_model.clone(),
                    region: m.row.region.clone(),
                    as_of: m.row.as_of.clone(),
                    source: m.row.source.clone(),
                    note: m.note.clone(),
                }),
                token_price: c.token_price.as_ref().map(|t| TokenPriceEntry {
                    key: t.key.clone(),
                    input_per_1k_tokens_usd: Money(t.input_per_1k_tokens_usd),
                    output_per_1k_tokens_usd: Money(t.output_per_1k_tokens_usd),
                    source: t.source.clone(),
                }),
                cost_per_1m_requests_usd: money(c.cost_per_1m_requests_usd),
                cost_per_1m_output_tokens_usd: money(c.cost_per_1m_output_tokens_usd),
                cost_per_1m_total_tokens_usd: money(c.cost_per_1m_total_tokens_usd),
                cost_per_10k_requests_usd: money(c.cost_per_10k_requests_usd),
                unknown_reason: c.unknown_reason.clone(),
            },
            budget_status: er.status.map(status),
            budgets: er
                .verdicts
                .iter()
                .map(|v| VerdictEntry {
                    metric: v.metric.clone(),
                    bound: match v.bound {
                        Bound::Max => Limit::Max,
                        Bound::Min => Limit::Min,
                    },
                    limit: v.limit,
                    value: v.value.map(|x| match x {
                        Value::Float(f) => BudgetValue::Number(f),
                        Value::Money(d) => BudgetValue::Money(Money(d)),
                    }),
                    status: status(v.status),
                    margin: v.margin,
                })
                .collect(),
            warnings: er.summary.warnings.clone(),
        }
    }
}

/// `summary.json` as pretty bytes with a final newline.
///
/// # Errors
/// Serialization failures (not expected).
pub fn summary_json_bytes(ev: &Evaluation) -> Result<Vec<u8>, ExportError> {
    Summary::build(ev).to_bytes()
}
