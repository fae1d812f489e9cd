//! The normalized model (README "How numbers are computed"): runs, their per-request rows and reported summaries.
//!
//! Parsers fill these types; `metrics.rs` turns request rows into aggregates. Nothing here
//! computes a metric. Units are fixed: times in milliseconds (`_ms`) or seconds (`_s`) as the
//! name says, rates per second, money in `pricing.rs` as `Decimal`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use rust_decimal::Decimal;
use serde::Serialize;

/// Offered load: a finite Poisson/constant rate or "all at once".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RequestRate {
    /// Requests per second.
    Finite(f64),
    /// `inf`: every request sent at once (vLLM's `request_rate = "inf"`).
    #[serde(serialize_with = "serialize_inf")]
    Infinite,
}

fn serialize_inf<S: serde::Serializer>(s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("inf")
}

impl RequestRate {
    /// Sort key: infinite sorts after every finite rate.
    #[must_use]
    pub fn sort_value(self) -> f64 {
        match self {
            RequestRate::Finite(v) => v,
            RequestRate::Infinite => f64::INFINITY,
        }
    }
}

impl fmt::Display for RequestRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestRate::Finite(v) => write!(f, "{}", crate::format::float(*v)),
            RequestRate::Infinite => f.write_str("inf"),
        }
    }
}

/// A summary number copied from the tool's own output, with the tool's name for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reported {
    /// The value in bench-report's unit (the metric name says which).
    pub value: f64,
    /// What the tool called it, e.g. `mean_ttft_ms` or `inter_token_latency_ms.avg`.
    pub label: String,
    /// How the tool computed it when that differs from docs/metrics.md (e.g. `weighted-nearest`
    /// percentiles, `sample std (ddof 1)`, `mean of per-chunk p95`). `None`: same method.
    pub method: Option<String>,
}

impl Reported {
    /// A reported value computed the way docs/metrics.md computes it.
    #[must_use]
    pub fn new(value: f64, label: impl Into<String>) -> Self {
        Reported {
            value,
            label: label.into(),
            method: None,
        }
    }

    /// A reported value whose method differs from docs/metrics.md.
    #[must_use]
    pub fn with_method(value: f64, label: impl Into<String>, method: impl Into<String>) -> Self {
        Reported {
            value,
            label: label.into(),
            method: Some(method.into()),
        }
    }
}

/// One execution of one benchmark configuration (README "How numbers are computed").
#[derive(Debug, Clone, Default, Serialize)]
pub struct Run {
    /// Stable id: hash of the source path (relative to its input root) and `index_in_file`.
    /// Filled by `ingest`, not by parsers.
    pub run_id: String,
    /// Registry name of the parser that read it (`vllm`, `generic_csv`, …).
    pub source_format: String,
    /// Path of the file relative to the input root, with `/` separators.
    pub source_file: String,
    /// Position of this run among the runs of its file (0-based).
    pub index_in_file: usize,
    /// Version of the benchmark tool when the file says (or when it can be inferred; the
    /// inference is then stated in `notes`).
    pub source_tool_version: Option<String>,
    /// Short human name of the run inside its file (test name, strategy, step id).
    pub name: Option<String>,
    /// Model name as the file gives it.
    pub model: Option<String>,
    /// Serving engine (`vllm`, `tgi`, `neuronx`, …).
    pub engine: Option<String>,
    /// Serving engine version.
    pub engine_version: Option<String>,
    /// Instance type, exactly as written (price lookups map spellings only through aliases).
    pub instance_type: Option<String>,
    /// Number of instances the run used; pricing treats `None` as 1.
    pub instance_count: Option<u32>,
    /// Accelerator description (`1xH100`, `A10G`).
    pub accelerator: Option<String>,
    /// Tensor parallel degree.
    pub tp: Option<u32>,
    /// Pipeline parallel degree.
    pub pp: Option<u32>,
    /// Data parallel degree.
    pub dp: Option<u32>,
    /// Batch size when the benchmark fixes one.
    pub batch_size: Option<u32>,
    /// Payload file, dataset name or test name.
    pub dataset: Option<String>,
    /// Concurrent requests (client-side cap).
    pub concurrency: Option<u32>,
    /// Offered request rate.
    pub request_rate_rps: Option<RequestRate>,
    /// Configured prompt length in tokens, when the benchmark fixes it.
    pub input_len: Option<u64>,
    /// Configured output length in tokens, when the benchmark fixes it.
    pub output_len: Option<u64>,
    /// Measured run duration in seconds (throughput and cost divide by it).
    pub duration_s: Option<f64>,
    /// Requests in the run (completed + failed), when known.
    pub num_requests: Option<u64>,
    /// Failed requests, when known.
    pub num_failed: Option<u64>,
    /// Date of the run, `YYYY-MM-DD`, when the file says: picks the price row in force.
    pub date: Option<String>,
    /// Any other key = value from the file or the config. Shown, never interpreted.
    pub labels: BTreeMap<String, String>,
    /// Summary values the tool printed, keyed `metric.stat` (`ttft_ms.p99`) or a run metric
    /// name (`request_throughput_rps`).
    pub reported: BTreeMap<String, Reported>,
    /// Where the tool's definition of a metric differs from docs/metrics.md: metric → explanation.
    pub definitions: BTreeMap<String, String>,
    /// Provenance remarks (quirks undone, inferred versions, derived fields).
    pub notes: Vec<String>,
}

impl Run {
    /// The load shown in tables: concurrency, else the request rate.
    #[must_use]
    pub fn load_label(&self) -> String {
        match (self.concurrency, self.request_rate_rps) {
            (Some(c), Some(r)) => format!("c={c}, {r} rps"),
            (Some(c), None) => format!("c={c}"),
            (None, Some(r)) => format!("{r} rps"),
            (None, None) => String::new(),
        }
    }

    /// Record a reported value.
    pub fn report(&mut self, key: impl Into<String>, reported: Reported) {
        self.reported.insert(key.into(), reported);
    }

    /// Record a reported value when present.
    pub fn report_opt(&mut self, key: &str, value: Option<f64>, label: &str) {
        if let Some(v) = value {
            self.reported
                .insert(key.to_string(), Reported::new(v, label));
        }
    }
}

/// Per-request rows of one run, column-wise (README "bench-report's per-request CSV").
///
/// Parsers push into these vectors; `metrics.rs` moves them into one polars frame for all
/// runs. Every vector except `itl_ms` has one entry per request.
#[derive(Debug, Clone, Default)]
pub struct RequestColumns {
    /// The request completed successfully.
    pub ok: Vec<bool>,
    /// Error text of a failed request (`None` when it succeeded or the tool kept no text).
    pub error: Vec<Option<String>>,
    /// Prompt tokens.
    pub input_tokens: Vec<Option<f64>>,
    /// Generated tokens.
    pub output_tokens: Vec<Option<f64>>,
    /// Request sent → first token, ms.
    pub ttft_ms: Vec<Option<f64>>,
    /// Request sent → last token, ms.
    pub e2e_ms: Vec<Option<f64>>,
    /// Per-request time per output token, ms, when the source gives or implies it directly
    /// (e.g. vLLM detailed arrays: sum of gaps / (output − 1)). When `None`, `metrics.rs`
    /// derives it as `(e2e_ms − ttft_ms) / (output_tokens − 1)` for `output_tokens > 1`.
    pub tpot_ms: Vec<Option<f64>>,
    /// Request send time in seconds from any fixed origin.
    pub start_s: Vec<Option<f64>>,
    /// Every individual gap between consecutive tokens (or chunks) of the run's successful
    /// requests, pooled, ms.
    pub itl_ms: Vec<f64>,
}

impl RequestColumns {
    /// Number of request rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ok.len()
    }

    /// True when there are no request rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ok.is_empty()
    }

    /// Append one request row.
    pub fn push(&mut self, row: RequestRow) {
        self.ok.push(row.ok);
        self.error.push(row.error);
        self.input_tokens.push(row.input_tokens);
        self.output_tokens.push(row.output_tokens);
        self.ttft_ms.push(row.ttft_ms);
        self.e2e_ms.push(row.e2e_ms);
        self.tpot_ms.push(row.tpot_ms);
        self.start_s.push(row.start_s);
    }
}

/// One request, for parsers that build rows one at a time.
#[derive(Debug, Clone, Default)]
pub struct RequestRow {
    /// Completed successfully.
    pub ok: bool,
    /// Error text when failed.
    pub error: Option<String>,
    /// Prompt tokens.
    pub input_tokens: Option<f64>,
    /// Generated tokens.
    pub output_tokens: Option<f64>,
    /// Time to first token, ms.
    pub ttft_ms: Option<f64>,
    /// End-to-end latency, ms.
    pub e2e_ms: Option<f64>,
    /// Per-request time per output token, ms (see [`RequestColumns::tpot_ms`]).
    pub tpot_ms: Option<f64>,
    /// Send time, s.
    pub start_s: Option<f64>,
}

/// A run as a parser produced it: the run and, when the source has them, its request rows.
#[derive(Debug, Clone, Default)]
pub struct ParsedRun {
    /// The run's fields and reported summaries.
    pub run: Run,
    /// Per-request rows, when the source has per-request data.
    pub requests: Option<RequestColumns>,
}

/// Where an aggregate came from (docs/metrics.md "Provenance").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// Computed by bench-report from request rows.
    Computed,
    /// Computed by bench-report from other run fields (e.g. throughput from token totals and
    /// duration); the string names the formula.
    Derived {
        /// The formula, in words.
        formula: String,
    },
    /// Copied from the tool's summary.
    Reported {
        /// The tool's label.
        label: String,
        /// The tool's method when it differs from docs/metrics.md.
        method: Option<String>,
    },
}

impl Provenance {
    /// Short word for tables: `computed`, `derived`, `reported`.
    #[must_use]
    pub fn word(&self) -> &'static str {
        match self {
            Provenance::Computed => "computed",
            Provenance::Derived { .. } => "derived",
            Provenance::Reported { .. } => "reported",
        }
    }
}

/// One row of a price table: what one instance costs per hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRow {
    /// Instance type exactly as the table spells it.
    pub instance_type: String,
    /// Region (`us-east-1`) when the table says.
    pub region: Option<String>,
    /// `on_demand`, `reserved_1y`, `ri_effective`, … as the table says.
    pub pricing_model: String,
    /// USD per instance-hour.
    pub price_per_hour_usd: Decimal,
    /// Where the price comes from (URL, document, or the file that carried it).
    pub source: String,
    /// Date the price was in force from, `YYYY-MM-DD`, when known.
    pub as_of: Option<String>,
}

/// A token-based price (FMBench `token_based`, Bedrock on-demand): USD per 1,000 tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenPrice {
    /// The key runs are matched on (FMBench: the experiment's `instance_type` / model id).
    pub key: String,
    /// USD per 1,000 input tokens.
    pub input_per_1k_tokens_usd: Decimal,
    /// USD per 1,000 output tokens.
    pub output_per_1k_tokens_usd: Decimal,
    /// Where the price comes from.
    pub source: String,
}

/// A value found among the inputs, with the folder it applies to (a price table prices the
/// runs of its own folder and below, never a sibling's).
#[derive(Debug, Clone)]
pub struct Scoped<T> {
    /// Folder (relative to the input root, `/`-separated, `""` for the root) it applies to.
    pub scope: String,
    /// The input root the scope is relative to.
    pub root: PathBuf,
    /// The value.
    pub value: T,
}

/// The folder part of a relative path (`a/b/c.json` → `a/b`, `c.json` → ``).
#[must_use]
pub fn folder_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

/// A file that was read.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// Path relative to its input root.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Parser name.
    pub format: String,
    /// Runs read from it.
    pub runs: usize,
    /// Remarks (pairing, price rows read, …).
    pub notes: Vec<String>,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// Path relative to its input root.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// Column renames, units and labels for the files of one `[[source]]` rule, as plain values
/// (the config owns the rules; parsers only read the mapping).
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Normalized column → column in the file.
    pub columns: BTreeMap<String, String>,
    /// Column in the file → unit (`s`, `ms`, `us`, `ns`, `tokens`).
    pub units: BTreeMap<String, String>,
    /// Labels added to every run (known run fields are filled when empty).
    pub labels: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_of_paths() {
        assert_eq!(folder_of("a/b/c.json"), "a/b");
        assert_eq!(folder_of("c.json"), "");
    }
}
