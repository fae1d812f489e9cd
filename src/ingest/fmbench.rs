//! FMBench results (aws-samples/foundation-model-benchmarking-tool, "FMBT" in January 2024):
//! per-request rows (`per_inference_request_results.csv`, `per_inference/*.json`), per-chunk
//! rows (`per_chunk/*.json`, `all_metrics.csv`), the summary and derived CSVs, the scored tables,
//! cost and price tables, `pricing.yml` and the config YAML. `report.md` / `results.md` are
//! FMBench's rendered pages and come back as not input.
//!
//! Mirrors the shapes of FMBench's notebooks from January 2024 (`e82f9d9e`) to 2.0.20, as
//! described in `formats/fmbench.md` §3; FMBench's arithmetic (§4) lives in [`rules`] as pure
//! functions so it can be checked against FMBench's own files.
//!
//! Runs without double counting: one run = one FMBench summary row (experiment, payload file,
//! instance type, instance count, concurrency). The per-request CSV yields the runs with request
//! rows when present; otherwise `per_inference/*.json` (read together by the first file of the
//! folder); otherwise `all_metrics_summary.csv`; otherwise `all_metrics.csv`; otherwise the scored
//! table. Every other file contributes 0 runs and a note naming the file that holds them.
//! FMBench's summary numbers are attached as `reported` values with their method; this parser
//! never computes bench-report's summary metrics.

mod rules;
mod table;
mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::{ParsedRun, Reported, RequestColumns, RequestRow, Run};
use crate::model::{PriceRow, TokenPrice};

pub use rules::{Budgets, ChunkRow, Recommendation, RowKey, RuleSet, Score, SummaryRow};
use table::Table;

/// The `fmbench` parser.
pub struct Fmbench;

/// The reason rendered pages are not input.
const REPORT_REASON: &str = "FMBench's rendered report (an output, not input)";

const PER_REQUEST_CSV: &str = "per_inference_request_results.csv";
const SUMMARY_CSV: &str = "all_metrics_summary.csv";
const ALL_METRICS_CSV: &str = "all_metrics.csv";
const SCORED_CSV: &str = "summary_metrics_for_dataset_w_scores.csv";
const BEST_CSV: &str = "summary_metrics_for_dataset_best_option.csv";
const BEST_EACH_CSV: &str = "summary_metrics_for_dataset_best_option_each_instance_type.csv";
const COSTS_CSV: &str = "endpoint_per_instance_per_run_costs.csv";
const PRICES_CSV: &str = "instance_pricing_per_hour.csv";

/// The kinds of file FMBench writes (format note §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Report,
    PerRequestCsv,
    PerInferenceJson,
    PerChunkJson,
    AllMetrics,
    Summary,
    /// `error_rates.csv`, `experiment_counts.csv`, `summary_metrics_w_pricing.csv`.
    Derived,
    Scored,
    Best,
    Costs,
    InstancePrices,
    PricingYml,
    Config,
}

fn kind_of(file_name: &str, extension: &str, head: &str) -> Option<Kind> {
    let first_line = head.lines().next().unwrap_or("");
    match extension {
        "md" => head
            .trim_start()
            .starts_with("# Results for performance benchmarking")
            .then_some(Kind::Report),
        "csv" => {
            let by_name = match file_name {
                PER_REQUEST_CSV => Some(Kind::PerRequestCsv),
                SUMMARY_CSV => Some(Kind::Summary),
                ALL_METRICS_CSV => Some(Kind::AllMetrics),
                SCORED_CSV => Some(Kind::Scored),
                BEST_CSV | BEST_EACH_CSV => Some(Kind::Best),
                COSTS_CSV => Some(Kind::Costs),
                PRICES_CSV => Some(Kind::InstancePrices),
                "error_rates.csv" | "experiment_counts.csv" | "summary_metrics_w_pricing.csv" => {
                    Some(Kind::Derived)
                }
                _ => None,
            };
            let cols: Vec<&str> = first_line.trim_end_matches('\r').split(',').collect();
            let has = |c: &str| cols.contains(&c);
            if head.trim().is_empty() {
                // Zero-byte scored tables are an FMBench quirk (§5); only the name identifies them.
                return by_name.filter(|k| matches!(k, Kind::Scored | Kind::Best));
            }
            let fmbench_header = (has("experiment_name")
                && has("concurrency")
                && (has("payload_file") || has("latency")))
                || (has("experiment_name") && has("duration_in_seconds") && has("cost"))
                || first_line.trim_end() == "instance_type,price_per_hour";
            if !fmbench_header {
                return None;
            }
            by_name.or_else(|| {
                Some(if has("completion") && has("latency") {
                    Kind::PerRequestCsv
                } else if has("transactions") && has("successes") {
                    Kind::AllMetrics
                } else if has("score") {
                    Kind::Scored
                } else if has("duration_in_seconds") {
                    Kind::Costs
                } else if has("price_per_hour") && !has("experiment_name") {
                    Kind::InstancePrices
                } else if has("transactions_per_minute") {
                    Kind::Summary
                } else {
                    Kind::Derived
                })
            })
        }
        "json" => {
            let t = head;
            let is_fm = t.contains("\"experiment_name\"") && t.contains("\"concurrency\"");
            if !is_fm {
                None
            } else if t.contains("\"transactions_per_minute\"") && t.contains("\"successes\"") {
                Some(Kind::PerChunkJson)
            } else if t.contains("\"completion\"") && t.contains("\"latency\"") {
                Some(Kind::PerInferenceJson)
            } else {
                None
            }
        }
        "yml" | "yaml" => {
            let top = |k: &str| head.lines().any(|l| l.starts_with(k));
            if top("pricing:")
                && (head.contains("instance_based:") || head.contains("token_based:"))
                && !top("experiments:")
            {
                Some(Kind::PricingYml)
            } else if top("experiments:")
                && head.contains("concurrency_levels:")
                && head.contains("payload_files:")
            {
                Some(Kind::Config)
            } else {
                None
            }
        }
        _ => None,
    }
}

impl Parser for Fmbench {
    fn name(&self) -> &'static str {
        "fmbench"
    }

    fn describe(&self) -> &'static str {
        "FMBench result CSVs, per-request JSON, configs and pricing.yml"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        match kind_of(probe.file_name, &probe.extension, &probe.text()) {
            Some(kind) => Sniff::certain(format!("FMBench {kind:?} file (name and header/keys)")),
            None => Sniff::no("no FMBench header, keys or title"),
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let file_name = source.rel.rsplit('/').next().unwrap_or(source.rel);
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let head_len = source.bytes.len().min(super::PROBE_BYTES);
        let head = String::from_utf8_lossy(source.bytes.get(..head_len).unwrap_or_default());
        let kind = kind_of(file_name, &extension, &head).ok_or_else(|| {
            IngestError::invalid(
                Location::file(source.path),
                "not an FMBench file: no FMBench header, keys or title",
            )
        })?;
        let folder = Folder::load(source.path, source.rel);
        match kind {
            Kind::Report => Ok(Parsed {
                not_input: Some(REPORT_REASON.into()),
                ..Parsed::default()
            }),
            Kind::PerRequestCsv => {
                let t = Table::read(source.bytes, source.path)?;
                let records = csv_records(&t);
                let runs = runs_from_requests(&records, &folder)?;
                let notes = vec![format!(
                    "{} request row(s) in {} run(s)",
                    records.len(),
                    runs.len()
                )];
                Ok(Parsed {
                    runs,
                    notes,
                    ..Parsed::default()
                })
            }
            Kind::PerInferenceJson => parse_per_inference(source),
            Kind::PerChunkJson => {
                let v = super::json::parse(source.bytes, source.path)?;
                let _ = chunk_from_json(&v, source.path)?;
                Ok(zero_runs("one chunk record (per_chunk)", &folder))
            }
            Kind::AllMetrics => {
                let t = Table::read(source.bytes, source.path)?;
                let chunks = t.chunk_rows()?;
                let summary = rules::summarize_chunks(&chunks);
                if folder.run_source() == Some(Kind::AllMetrics) {
                    let mut parsed = Parsed {
                        runs: runs_from_summary(
                            &summary,
                            &folder,
                            "recomputed from all_metrics.csv",
                        ),
                        ..Parsed::default()
                    };
                    parsed.notes.push(format!(
                        "{} chunk row(s) → {} summary row(s) by FMBench's §4.3 rules",
                        chunks.len(),
                        summary.len()
                    ));
                    return Ok(parsed);
                }
                let mut parsed = zero_runs(&format!("{} chunk row(s)", chunks.len()), &folder);
                if let Some(printed) = &folder.summary {
                    let (matched, total) = cross_check(&summary, printed);
                    parsed.notes.push(format!(
                        "summary recomputed from the chunk rows matches {matched}/{total} row(s) of {SUMMARY_CSV}"
                    ));
                }
                Ok(parsed)
            }
            Kind::Summary => {
                let t = Table::read(source.bytes, source.path)?;
                let rows = t.summary_rows()?;
                if folder.run_source() == Some(Kind::Summary) {
                    Ok(Parsed {
                        runs: runs_from_summary(&rows, &folder, SUMMARY_CSV),
                        ..Parsed::default()
                    })
                } else {
                    Ok(zero_runs(
                        &format!("{} summary row(s)", rows.len()),
                        &folder,
                    ))
                }
            }
            Kind::Derived => {
                let t = Table::read(source.bytes, source.path)?;
                let rows = t.summary_rows()?;
                Ok(zero_runs(
                    &format!("{} row(s) derived from the summary", rows.len()),
                    &folder,
                ))
            }
            Kind::Scored | Kind::Best => {
                if source.bytes.iter().all(u8::is_ascii_whitespace) {
                    let mut p = zero_runs("empty file", &folder);
                    p.notes.push("zero-byte scored table: FMBench wrote the scored rows to a local path and uploaded an empty buffer under this name; the scored rows are in summary_metrics_for_dataset_best_option*.csv".into());
                    return Ok(p);
                }
                let t = Table::read(source.bytes, source.path)?;
                let rows = t.summary_rows()?;
                if kind == Kind::Scored && folder.run_source() == Some(Kind::Scored) {
                    return Ok(Parsed {
                        runs: runs_from_summary(&rows, &folder, SCORED_CSV),
                        ..Parsed::default()
                    });
                }
                let mut p = zero_runs(&format!("{} scored row(s)", rows.len()), &folder);
                let (ok, checked) = check_scores(&rows, &folder);
                if checked > 0 {
                    p.notes.push(format!("price_per_txn and score recomputed by FMBench's rules: {ok}/{checked} row(s) equal"));
                }
                Ok(p)
            }
            Kind::Costs => {
                let t = Table::read(source.bytes, source.path)?;
                for (line, row) in &t.rows {
                    t.req_text(*line, row, "experiment_name")?;
                    t.f64(*line, row, "duration_in_seconds")?;
                    t.f64(*line, row, "cost")?;
                }
                Ok(zero_runs(
                    &format!("{} experiment cost row(s)", t.rows.len()),
                    &folder,
                ))
            }
            Kind::InstancePrices => {
                let t = Table::read(source.bytes, source.path)?;
                let (prices, token_prices) = instance_prices(&t, source.rel)?;
                Ok(Parsed {
                    prices,
                    token_prices,
                    ..Parsed::default()
                })
            }
            Kind::PricingYml => {
                let text = utf8(source)?;
                let (prices, token_prices) = yaml::read_pricing(text, source.path, source.rel)?;
                Ok(Parsed {
                    prices,
                    token_prices,
                    ..Parsed::default()
                })
            }
            Kind::Config => {
                let text = utf8(source)?;
                let cfg = yaml::read_config(text, source.path, source.rel)?;
                let mut p = zero_runs("configuration", &folder);
                if let Some(b) = cfg.budgets {
                    p.notes.push(format!(
                        "report budgets: latency {} s (latitude {}), cost {} USD per 10k transactions, error rate {}",
                        b.latency_budget_s, b.latency_latitude, b.cost_per_10k_txn_budget_usd, b.error_rate_budget
                    ));
                }
                if folder.has(PRICES_CSV) && !(cfg.prices.is_empty() && cfg.token_prices.is_empty())
                {
                    p.notes.push(format!(
                        "inline prices not repeated: {PRICES_CSV} beside it carries them"
                    ));
                } else {
                    p.prices = cfg.prices;
                    p.token_prices = cfg.token_prices;
                }
                Ok(p)
            }
        }
    }
}

fn utf8<'a>(source: &Source<'a>) -> Result<&'a str, IngestError> {
    std::str::from_utf8(source.bytes).map_err(|e| {
        IngestError::syntax(Location::file(source.path), format!("not UTF-8 text ({e})"))
    })
}

fn zero_runs(what: &str, folder: &Folder) -> Parsed {
    let holder = match folder.run_source() {
        Some(Kind::PerRequestCsv) => PER_REQUEST_CSV.to_string(),
        Some(Kind::PerInferenceJson) => "per_inference/*.json".to_string(),
        Some(Kind::Summary) => SUMMARY_CSV.to_string(),
        Some(Kind::AllMetrics) => ALL_METRICS_CSV.to_string(),
        Some(Kind::Scored) => SCORED_CSV.to_string(),
        _ => "no file of this folder (no per-request, summary, chunk or scored table)".to_string(),
    };
    Parsed {
        notes: vec![format!("{what}; 0 runs: the runs are read from {holder}")],
        ..Parsed::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The folder a file sits in: its siblings decide which file yields the runs and supply the
// config, prices and FMBench's printed summaries.

/// Sibling files of one FMBench results folder.
#[derive(Default)]
struct Folder {
    dir: PathBuf,
    names: Vec<String>,
    per_inference_files: Vec<String>,
    config: Option<yaml::Config>,
    config_name: Option<String>,
    hourly: BTreeMap<String, f64>,
    tokens: BTreeMap<String, (f64, f64)>,
    price_source: Option<String>,
    summary: Option<Vec<SummaryRow>>,
    scored: Option<Vec<SummaryRow>>,
    date: Option<(String, String)>,
    version: Option<String>,
}

impl Folder {
    fn load(path: &Path, rel: &str) -> Folder {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        let mut per_inference_files: Vec<String> = std::fs::read_dir(dir.join("per_inference"))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".json"))
                    .collect()
            })
            .unwrap_or_default();
        per_inference_files.sort();
        let mut f = Folder {
            dir,
            names,
            per_inference_files,
            ..Folder::default()
        };
        f.load_config();
        f.load_prices();
        f.summary = f.read_rows(SUMMARY_CSV);
        f.scored = f
            .read_rows(SCORED_CSV)
            .filter(|r| !r.is_empty())
            .or_else(|| f.read_rows(BEST_CSV));
        f.load_date(rel);
        f
    }

    fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    fn read_rows(&self, name: &str) -> Option<Vec<SummaryRow>> {
        if !self.has(name) {
            return None;
        }
        let path = self.dir.join(name);
        let bytes = std::fs::read(&path).ok()?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Some(Vec::new());
        }
        Table::read(&bytes, &path)
            .and_then(|t| t.summary_rows())
            .ok()
    }

    fn load_config(&mut self) {
        for name in &self.names {
            if !(name.ends_with(".yml") || name.ends_with(".yaml")) || name == "pricing.yml" {
                continue;
            }
            let path = self.dir.join(name);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if kind_of(name, "yml", &text) != Some(Kind::Config) {
                continue;
            }
            if let Ok(cfg) = yaml::read_config(&text, &path, name) {
                self.config = Some(cfg);
                self.config_name = Some(name.clone());
                return;
            }
        }
    }

    /// Prices FMBench used: `pricing.yml` in this folder or up to two folders above (the
    /// corpus keeps it beside the `run-*` folders), else the config's inline map, else
    /// `instance_pricing_per_hour.csv`.
    fn load_prices(&mut self) {
        let mut dir = Some(self.dir.clone());
        for _ in 0..3 {
            let Some(d) = dir else { break };
            let p = d.join("pricing.yml");
            if let Ok(text) = std::fs::read_to_string(&p) {
                if let Ok((hourly, tokens)) = yaml::read_pricing(&text, &p, "pricing.yml") {
                    self.absorb_prices(&hourly, &tokens, p.display().to_string());
                    return;
                }
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        if let Some(cfg) = &self.config {
            if !cfg.prices.is_empty() || !cfg.token_prices.is_empty() {
                let (h, t) = (cfg.prices.clone(), cfg.token_prices.clone());
                let src = self.config_name.clone().unwrap_or_default();
                self.absorb_prices(&h, &t, src);
                return;
            }
        }
        let p = self.dir.join(PRICES_CSV);
        if let Ok(bytes) = std::fs::read(&p) {
            if let Ok((h, t)) =
                Table::read(&bytes, &p).and_then(|t| instance_prices(&t, PRICES_CSV))
            {
                self.absorb_prices(&h, &t, PRICES_CSV.to_string());
            }
        }
    }

    fn absorb_prices(&mut self, hourly: &[PriceRow], tokens: &[TokenPrice], source: String) {
        for r in hourly {
            if let Ok(v) = r.price_per_hour_usd.to_string().parse::<f64>() {
                self.hourly.insert(r.instance_type.clone(), v);
            }
        }
        for t in tokens {
            let i = t.input_per_1k_tokens_usd.to_string().parse::<f64>();
            let o = t.output_per_1k_tokens_usd.to_string().parse::<f64>();
            if let (Ok(i), Ok(o)) = (i, o) {
                self.tokens.insert(t.key.clone(), (i, o));
            }
        }
        self.price_source = Some(source);
    }

    /// Run date: the `yyyy=/mm=/dd=` partition of the path, else the earliest `per_inference`
    /// file name (`time.time()`), else the "Last modified (UTC)" line of the report beside it.
    fn load_date(&mut self, rel: &str) {
        let parts: Vec<&str> = rel.split('/').collect();
        let part = |prefix: &str, from: usize| {
            parts
                .iter()
                .skip(from)
                .position(|p| p.starts_with(prefix))
                .map(|i| i + from)
        };
        if let Some(y) = part("yyyy=", 0) {
            if let (Some(m), Some(d)) = (parts.get(y + 1), parts.get(y + 2)) {
                if let (Some(m), Some(d)) = (m.strip_prefix("mm="), d.strip_prefix("dd=")) {
                    let year = parts
                        .get(y)
                        .and_then(|p| p.strip_prefix("yyyy="))
                        .unwrap_or_default();
                    self.date = Some((
                        format!("{year}-{m}-{d}"),
                        "the yyyy=/mm=/dd= folder names".into(),
                    ));
                }
            }
        }
        if self.date.is_none() {
            let epoch = self
                .per_inference_files
                .first()
                .and_then(|n| n.trim_end_matches(".json").parse::<f64>().ok());
            if let Some(e) = epoch {
                self.date = Some((
                    date_from_epoch(e),
                    "the earliest per_inference file name (epoch seconds)".into(),
                ));
            }
        }
        for name in ["report.md", "results.md"] {
            let Ok(text) = std::fs::read_to_string(self.dir.join(name)) else {
                continue;
            };
            let (date, version) = report_header(&text);
            self.version = self.version.take().or(version);
            if self.date.is_none() {
                if let Some(d) = date {
                    self.date = Some((d, format!("the \"Last modified (UTC)\" line of {name} (report time, not measurement time)")));
                }
            }
        }
    }

    /// Which file of the folder yields the runs.
    fn run_source(&self) -> Option<Kind> {
        if self.has(PER_REQUEST_CSV) {
            Some(Kind::PerRequestCsv)
        } else if !self.per_inference_files.is_empty() {
            Some(Kind::PerInferenceJson)
        } else if self.has(SUMMARY_CSV) {
            Some(Kind::Summary)
        } else if self.has(ALL_METRICS_CSV) {
            Some(Kind::AllMetrics)
        } else if self.scored.as_ref().is_some_and(|r| !r.is_empty()) && self.has(SCORED_CSV) {
            Some(Kind::Scored)
        } else {
            None
        }
    }

    fn rule_set(&self, rows: &[SummaryRow]) -> RuleSet {
        if rows.iter().any(|r| r.latency_p95_s.is_some()) {
            RuleSet::V2
        } else if self.config.as_ref().is_some_and(|c| c.budgets.is_some()) {
            RuleSet::Apr2024
        } else {
            RuleSet::Jan2024
        }
    }
}

/// `(date, version)` from a report's header: 2.0.x `|2024-09-27 21:57:47.663450|2.0.8|`, or
/// January/March `**Last modified (UTC): 2024-03-23 16:04:07.799341**`.
fn report_header(text: &str) -> (Option<String>, Option<String>) {
    for line in text.lines().take(20) {
        if let Some(rest) = line.split("Last modified (UTC):").nth(1) {
            let d = rest.trim().get(..10).map(str::to_string);
            return (d, None);
        }
        let cells: Vec<&str> = line
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if let [ts, ver] = cells.as_slice() {
            let is_date = ts.len() >= 10 && ts.get(4..5) == Some("-") && ts.get(7..8) == Some("-");
            if is_date {
                return (ts.get(..10).map(str::to_string), Some((*ver).to_string()));
            }
        }
    }
    (None, None)
}

/// UTC calendar date of a Unix time (Howard Hinnant's days-to-civil).
fn date_from_epoch(epoch_s: f64) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "epoch seconds fit i64 days"
    )]
    let days = (epoch_s / 86400.0).floor() as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

fn instance_prices(t: &Table, rel: &str) -> Result<(Vec<PriceRow>, Vec<TokenPrice>), IngestError> {
    use std::str::FromStr;
    let mut prices = Vec::new();
    let mut tokens = Vec::new();
    for (line, row) in &t.rows {
        let key = t.req_text(*line, row, "instance_type")?;
        let text = t.req_text(*line, row, "price_per_hour")?;
        let loc = || Location::line(&t.path, *line, Some("price_per_hour"));
        if text.trim_start().starts_with('[') {
            // Python repr of [{'input-per-1k-tokens': x}, {'output-per-1k-tokens': y}].
            let find = |name: &str| -> Result<rust_decimal::Decimal, IngestError> {
                let at = text
                    .find(name)
                    .ok_or_else(|| IngestError::missing(loc(), name.to_string()))?;
                let rest = text.get(at + name.len()..).unwrap_or_default();
                let num: String = rest
                    .trim_start_matches(['\'', '"', ':', ' '])
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
                    .collect();
                rust_decimal::Decimal::from_str(&num)
                    .or_else(|_| rust_decimal::Decimal::from_scientific(&num))
                    .map_err(|_| {
                        IngestError::wrong_type(loc(), "a per-1k-token price", format!("{num:?}"))
                    })
            };
            tokens.push(TokenPrice {
                key,
                input_per_1k_tokens_usd: find("input-per-1k-tokens")?,
                output_per_1k_tokens_usd: find("output-per-1k-tokens")?,
                source: rel.to_string(),
            });
        } else {
            let price = rust_decimal::Decimal::from_str(text.trim())
                .or_else(|_| rust_decimal::Decimal::from_scientific(text.trim()))
                .map_err(|_| {
                    IngestError::wrong_type(loc(), "a price per hour", format!("{text:?}"))
                })?;
            prices.push(PriceRow {
                instance_type: key,
                region: None,
                pricing_model: "on_demand".into(),
                price_per_hour_usd: price,
                source: rel.to_string(),
                as_of: None,
            });
        }
    }
    Ok((prices, tokens))
}

// ---------------------------------------------------------------------------------------------
// FMBench's verdicts for a folder's summary rows.

/// What FMBench's rules say about one summary row.
#[derive(Debug, Clone, Default)]
struct Verdict {
    in_doi: bool,
    price_per_txn: Option<f64>,
    price_from_file: bool,
    score: Option<Score>,
    score_from_file: Option<f64>,
    best: bool,
    best_for_instance: bool,
    failed_rank: Option<usize>,
    recommended: bool,
}

/// Apply FMBench's rule set to the folder's summary rows (format note §4.4–4.6).
fn analyze(rows: &[SummaryRow], folder: &Folder) -> (RuleSet, Vec<Verdict>) {
    let rule = folder.rule_set(rows);
    let doi = folder
        .config
        .as_ref()
        .and_then(|c| c.dataset_of_interest.clone());
    let budgets = folder
        .config
        .as_ref()
        .and_then(|c| c.budgets)
        .unwrap_or_default();
    let scored: BTreeMap<RowKey, &SummaryRow> = folder
        .scored
        .iter()
        .flatten()
        .map(|r| (r.key(), r))
        .collect();
    let mut verdicts: Vec<Verdict> = rows
        .iter()
        .map(|row| {
            let in_doi = doi
                .as_deref()
                .is_some_and(|d| rules::in_dataset_of_interest(&row.payload_file, d));
            let file = scored
                .get(&row.key())
                .copied()
                .or_else(|| row.score.is_some().then_some(row));
            let mut v = Verdict {
                in_doi,
                ..Verdict::default()
            };
            v.price_per_txn = price_for(rule, row, folder);
            if v.price_per_txn.is_none() {
                if let Some(p) = file.and_then(|f| f.price_per_txn) {
                    v.price_per_txn = Some(p);
                    v.price_from_file = true;
                }
            }
            if in_doi {
                v.score = Some(match rule {
                    RuleSet::Jan2024 => {
                        let s = match (v.price_per_txn, row.latency_mean_s) {
                            (Some(p), Some(l)) => rules::score_jan2024(p, l),
                            _ => f64::NAN,
                        };
                        Score {
                            score: s,
                            any_criterion_failed: None,
                            error_rate_failed: false,
                            latency_failed: false,
                            cost_failed: false,
                        }
                    }
                    _ => rules::score_budgeted(rule, row, v.price_per_txn, &budgets),
                });
            }
            v.score_from_file = file.and_then(|f| f.score);
            v
        })
        .collect();
    let scores: Vec<Option<f64>> = verdicts
        .iter()
        .map(|v| v.score.map(|s| s.score).filter(|s| !s.is_nan()))
        .collect();
    let failed: Vec<bool> = verdicts
        .iter()
        .map(|v| {
            v.score
                .and_then(|s| s.any_criterion_failed)
                .unwrap_or(false)
        })
        .collect();
    for (rank, i) in rules::failed_rows(&scores, &failed).into_iter().enumerate() {
        if let Some(v) = verdicts.get_mut(i) {
            v.failed_rank = Some(rank + 1);
        }
    }
    for (_, i) in rules::best_per_instance_type(rows, &scores) {
        if let Some(v) = verdicts.get_mut(i) {
            v.best_for_instance = true;
        }
    }
    for i in rules::best_option(&scores) {
        if let Some(v) = verdicts.get_mut(i) {
            v.best = true;
        }
    }
    let table_budget = match rule {
        RuleSet::Jan2024 => rules::JAN_LATENCY_BUDGET_S,
        _ => budgets.latency_budget_s,
    };
    for rec in rules::per_instance_recommendations(rows, rule, table_budget) {
        if let Some(v) = rec.chosen.and_then(|i| verdicts.get_mut(i)) {
            v.recommended = true;
        }
    }
    (rule, verdicts)
}

/// FMBench's `price_per_txn` for a row from the folder's prices: instance-based first, then
/// token-based (exact match on `instance_type`).
fn price_for(rule: RuleSet, row: &SummaryRow, folder: &Folder) -> Option<f64> {
    if let Some(&p) = folder.hourly.get(&row.instance_type) {
        return rules::price_per_txn_hourly(
            rule,
            p,
            row.instance_count,
            row.transactions_per_minute,
        );
    }
    let &(i, o) = folder.tokens.get(&row.instance_type)?;
    Some(rules::price_per_txn_tokens(
        rule,
        i,
        o,
        row.prompt_token_count_mean?,
        row.completion_token_count_mean?,
    ))
}

/// Recompute price and score of scored rows; returns (equal, checked).
fn check_scores(rows: &[SummaryRow], folder: &Folder) -> (usize, usize) {
    let rule = folder.rule_set(rows);
    let budgets = folder
        .config
        .as_ref()
        .and_then(|c| c.budgets)
        .unwrap_or_default();
    let (mut ok, mut checked) = (0, 0);
    for row in rows {
        let (Some(file_score), Some(price)) = (row.score, price_for(rule, row, folder)) else {
            continue;
        };
        checked += 1;
        let score = match rule {
            RuleSet::Jan2024 => row.latency_mean_s.map(|l| rules::score_jan2024(price, l)),
            _ => Some(rules::score_budgeted(rule, row, Some(price), &budgets).score),
        };
        if row.price_per_txn == Some(price) && score == Some(file_score) {
            ok += 1;
        }
    }
    (ok, checked)
}

/// Compare recomputed summary rows with the printed ones: (rows equal in every metric, printed rows).
fn cross_check(computed: &[SummaryRow], printed: &[SummaryRow]) -> (usize, usize) {
    let by_key: BTreeMap<RowKey, &SummaryRow> = computed.iter().map(|r| (r.key(), r)).collect();
    let matched = printed
        .iter()
        .filter(|p| {
            by_key.get(&p.key()).is_some_and(|c| {
                let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
                    (Some(a), Some(b)) => (a - b).abs() <= 1e-8 * b.abs().max(1.0),
                    (None, None) => true,
                    _ => false,
                };
                close(c.error_rate, p.error_rate)
                    && close(c.prompt_token_count_mean, p.prompt_token_count_mean)
                    && close(c.prompt_token_throughput, p.prompt_token_throughput)
                    && close(c.completion_token_count_mean, p.completion_token_count_mean)
                    && close(c.completion_token_throughput, p.completion_token_throughput)
                    && close(c.latency_mean_s, p.latency_mean_s)
                    && close(c.latency_p50_s, p.latency_p50_s)
                    && close(c.latency_p95_s, p.latency_p95_s)
                    && close(c.latency_p99_s, p.latency_p99_s)
                    && close(c.transactions_per_minute, p.transactions_per_minute)
            })
        })
        .count();
    (matched, printed.len())
}

// ---------------------------------------------------------------------------------------------
// Runs.

/// A run from a summary row: fields, FMBench's printed numbers as `reported`, and its verdicts.
fn run_from_row(
    row: &SummaryRow,
    verdict: &Verdict,
    rule: RuleSet,
    folder: &Folder,
    from: &str,
) -> Run {
    let mut run = Run {
        name: Some(row.experiment_name.clone()),
        ..Run::default()
    };
    run.dataset = (!row.payload_file.is_empty()).then(|| row.payload_file.clone());
    run.instance_type = (!row.instance_type.is_empty()).then(|| row.instance_type.clone());
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "instance counts are small whole numbers"
    )]
    {
        run.instance_count = row
            .instance_count
            .filter(|c| *c >= 1.0 && c.fract() == 0.0)
            .map(|c| c as u32);
    }
    run.concurrency = Some(row.concurrency);
    run.source_tool_version.clone_from(&folder.version);
    if let Some((date, how)) = &folder.date {
        run.date = Some(date.clone());
        run.notes.push(format!("date {date} from {how}"));
    }
    if let Some(cfg) = &folder.config {
        if let Some(e) = cfg.experiment(&row.experiment_name) {
            run.model = e.model_id.clone().or_else(|| e.model_name.clone());
            if let Some(img) = &e.image_uri {
                run.labels.insert("fmbench.image_uri".into(), img.clone());
            }
        }
        if run.model.is_none() {
            run.model.clone_from(&cfg.general_model_name);
        }
        if let Some(n) = &cfg.general_name {
            run.labels.insert("fmbench.config_name".into(), n.clone());
        }
    }
    run.labels.insert(
        "fmbench.experiment_name".into(),
        row.experiment_name.clone(),
    );
    run.labels
        .insert("fmbench.rule_set".into(), rule.name().into());
    run.notes.push(format!("FMBench summary row from {from}"));

    let chunk = |stat: &str| format!("mean of per-chunk {stat}, rounded to 2 decimals");
    let ms = |v: Option<f64>| v.map(|s| s * 1000.0);
    let put = |run: &mut Run, key: &str, value: Option<f64>, label: &str, method: String| {
        if let Some(v) = value {
            run.report(key, Reported::with_method(v, label, method));
        }
    };
    put(
        &mut run,
        "e2e_ms.mean",
        ms(row.latency_mean_s),
        "latency_mean",
        chunk("mean latency"),
    );
    put(
        &mut run,
        "e2e_ms.p50",
        ms(row.latency_p50_s),
        "latency_p50",
        chunk("p50"),
    );
    put(
        &mut run,
        "e2e_ms.p95",
        ms(row.latency_p95_s),
        "latency_p95",
        "mean of per-chunk p95".into(),
    );
    put(
        &mut run,
        "e2e_ms.p99",
        ms(row.latency_p99_s),
        "latency_p99",
        chunk("p99"),
    );
    let r4 = |stat: &str| format!("mean of per-chunk {stat}, rounded to 4 decimals");
    put(
        &mut run,
        "ttft_ms.p50",
        ms(row.ttft_p50_s),
        "TTFT_p50",
        r4("p50"),
    );
    put(
        &mut run,
        "ttft_ms.p99",
        ms(row.ttft_p99_s),
        "TTFT_p99",
        r4("p99"),
    );
    put(
        &mut run,
        "tpot_ms.p50",
        ms(row.tpot_p50_s),
        "TPOT_p50",
        r4("p50 of per-request TPOT"),
    );
    put(
        &mut run,
        "tpot_ms.p99",
        ms(row.tpot_p99_s),
        "TPOT_p99",
        r4("p99 of per-request TPOT"),
    );
    put(&mut run, "error_rate", row.error_rate, "error_rate", "mean of per-chunk error rates, rounded to 2 decimals; HTTP error bodies count as successes".into());
    put(
        &mut run,
        "fmbench.transactions_per_minute",
        row.transactions_per_minute,
        "transactions_per_minute",
        "int(mean over chunks of int(round(successes / chunk elapsed, 2) × 60))".into(),
    );
    put(
        &mut run,
        "fmbench.prompt_token_count_mean",
        row.prompt_token_count_mean,
        "prompt_token_count_mean",
        "int(mean of per-chunk means)".into(),
    );
    put(
        &mut run,
        "fmbench.completion_token_count_mean",
        row.completion_token_count_mean,
        "completion_token_count_mean",
        "int(mean of per-chunk means)".into(),
    );
    put(
        &mut run,
        "fmbench.prompt_token_throughput_tps",
        row.prompt_token_throughput,
        "prompt_token_throughput",
        "int(mean of per-chunk tokens / chunk elapsed)".into(),
    );
    put(
        &mut run,
        "fmbench.completion_token_throughput_tps",
        row.completion_token_throughput,
        "completion_token_throughput",
        "int(mean of per-chunk tokens / chunk elapsed)".into(),
    );

    if let Some(p) = verdict.price_per_txn {
        let method = if verdict.price_from_file {
            "copied from FMBench's scored table".to_string()
        } else {
            format!("FMBench {} rule: hourly price / 60 × instance_count / transactions_per_minute (token price: per-1k prices × token means); prices from {}", rule.name(), folder.price_source.clone().unwrap_or_default())
        };
        run.report(
            "fmbench.price_per_txn_usd",
            Reported::with_method(p, "price_per_txn", method.clone()),
        );
        if let (Some(pm), Some(cm)) = (row.prompt_token_count_mean, row.completion_token_count_mean)
        {
            run.labels.insert(
                "fmbench.price_per_token_usd".into(),
                rules::price_per_token_text(p, pm, cm),
            );
        }
        run.report(
            "fmbench.price_per_10k_txn_usd",
            Reported::with_method(
                rules::price_per_10k_txn(p),
                "price_per_10k_txn",
                "price_per_txn × 10000".to_string(),
            ),
        );
    }
    if let Some(s) = verdict.score.filter(|s| !s.score.is_nan()) {
        if let Some(f) = verdict.score_from_file {
            if f.to_bits() != s.score.to_bits() {
                run.notes.push(format!(
                    "FMBench's printed score {f:?} differs from its rule's recomputation {:?}",
                    s.score
                ));
            }
        }
        let value = verdict.score_from_file.unwrap_or(s.score);
        run.report(
            "fmbench.score",
            Reported::with_method(
                value,
                "score",
                format!("FMBench {} score (format note §4.6)", rule.name()),
            ),
        );
        if let Some(failed) = s.any_criterion_failed {
            run.labels.insert(
                "fmbench.any_criterion_failed".into(),
                if failed { "True" } else { "False" }.into(),
            );
        }
    }
    run.labels.insert(
        "fmbench.dataset_of_interest".into(),
        if verdict.in_doi { "yes" } else { "no" }.into(),
    );
    if verdict.best {
        run.labels
            .insert("fmbench.best_option".into(), "yes".into());
    }
    if verdict.best_for_instance {
        run.labels
            .insert("fmbench.best_option_for_instance_type".into(), "yes".into());
    }
    if let Some(rank) = verdict.failed_rank {
        run.labels
            .insert("fmbench.failed_rank".into(), rank.to_string());
    }
    if verdict.recommended {
        run.labels
            .insert("fmbench.recommended_for_instance".into(), "yes".into());
    }

    run.definitions.insert("e2e_ms".into(), "FMBench's latency is the wall time of the blocking endpoint call; its summary percentiles are means of per-chunk percentiles (one chunk = `concurrency` requests fired together), not percentiles over all requests.".into());
    run.definitions.insert("fmbench.transactions_per_minute".into(), "FMBench's transactions per minute is the truncated mean of per-chunk rates (successes / chunk elapsed), not completed requests / total time; one fast chunk (e.g. a quick error body) dominates it.".into());
    run.definitions.insert("error_rate".into(), "FMBench counts a request as failed only when its completion or completion-token count is missing; an HTTP error body that parses counts as a success.".into());
    run.definitions.insert("fmbench.price_per_txn_usd".into(), "FMBench spreads the hourly price over its transactions_per_minute (price/60 × instance_count / TPM) instead of the measured duration; token-priced endpoints use per-1k token prices × token means.".into());
    run.definitions.insert("fmbench.best_option".into(), "FMBench's best option is the maximum score, which is dominated by the highest passing concurrency, not the highest throughput.".into());
    if row.tpot_p50_s.is_some() {
        run.definitions.insert("tpot_ms".into(), "FMBench's time_per_output_token is a per-request mean of the gaps after the first token (the same per-request definition); its summary p50/p99 are means of per-chunk percentiles.".into());
    }
    run
}

fn runs_from_summary(rows: &[SummaryRow], folder: &Folder, from: &str) -> Vec<ParsedRun> {
    let (rule, verdicts) = analyze(rows, folder);
    rows.iter()
        .zip(&verdicts)
        .map(|(row, v)| ParsedRun {
            run: run_from_row(row, v, rule, folder, from),
            requests: None,
        })
        .collect()
}

/// One per-request record: column → text (empty cells absent), and where it sits.
struct Record {
    line: Option<u64>,
    file: PathBuf,
    cells: BTreeMap<String, String>,
}

impl Record {
    fn text(&self, k: &str) -> Option<&str> {
        self.cells
            .get(k)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    fn loc(&self, k: &str) -> Location {
        match self.line {
            Some(l) => Location::line(&self.file, l, Some(k)),
            None => Location::pointer(&self.file, format!("/{}", super::json::escape_pointer(k))),
        }
    }

    fn f64(&self, k: &str) -> Result<Option<f64>, IngestError> {
        match self.text(k) {
            None => Ok(None),
            Some(t) => super::json::parse_number_text(t)
                .map(|v| if v.is_nan() { None } else { Some(v) })
                .map(Some)
                .ok_or_else(|| IngestError::wrong_type(self.loc(k), "a number", format!("{t:?}")))
                .map(Option::flatten),
        }
    }
}

fn csv_records(t: &Table) -> Vec<Record> {
    t.rows
        .iter()
        .map(|(line, row)| Record {
            line: Some(*line),
            file: t.path.clone(),
            cells: t.headers.iter().cloned().zip(row.iter().cloned()).collect(),
        })
        .collect()
}

fn json_record(v: &Value, path: &Path) -> Result<Record, IngestError> {
    let map = v.as_object().ok_or_else(|| {
        IngestError::wrong_type(
            Location::pointer(path, ""),
            "an object",
            super::json::describe(v),
        )
    })?;
    let cells = map
        .iter()
        .filter_map(|(k, v)| {
            let t = match v {
                Value::Null => return None,
                Value::String(s) => s.clone(),
                Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                Value::Number(n) => n.to_string(),
                other => other.to_string(),
            };
            Some((k.clone(), t))
        })
        .collect();
    Ok(Record {
        line: None,
        file: path.to_path_buf(),
        cells,
    })
}

fn parse_per_inference(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let v = super::json::parse(source.bytes, source.path)?;
    let rec = json_record(&v, source.path)?;
    request_row(&rec)?;
    // per_inference/ sits one level below the results folder.
    let results_dir = source
        .path
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let parent = Folder::load(
        &results_dir.join("x"),
        source.rel.rsplit_once('/').map_or("", |(d, _)| d),
    );
    let first = parent.per_inference_files.first().map(String::as_str);
    let me = source.rel.rsplit('/').next();
    if parent.has(PER_REQUEST_CSV) || first != me {
        let holder = if parent.has(PER_REQUEST_CSV) {
            format!("../{PER_REQUEST_CSV}")
        } else {
            "the first per_inference file of this folder".to_string()
        };
        return Ok(Parsed {
            notes: vec![format!(
                "one request record; 0 runs: the runs are read from {holder}"
            )],
            ..Parsed::default()
        });
    }
    // No per-request CSV: the first file (sorted) reads the whole per_inference folder.
    let mut records = Vec::new();
    for name in &parent.per_inference_files {
        let path = results_dir.join("per_inference").join(name);
        let bytes = std::fs::read(&path).map_err(|e| IngestError::Io {
            path: path.clone(),
            source: e,
        })?;
        records.push(json_record(&super::json::parse(&bytes, &path)?, &path)?);
    }
    let runs = runs_from_requests(&records, &parent)?;
    Ok(Parsed {
        notes: vec![format!(
            "{} per_inference record(s) read together (no {PER_REQUEST_CSV})",
            records.len()
        )],
        runs,
        ..Parsed::default()
    })
}

/// One request row (format note §3.1): latency → e2e, TTFT/TPOT when streamed, client-side
/// token counts; failed when the completion or the completion-token count is missing. Returns
/// the row and whether the completion is an HTTP error body FMBench counted as a success.
fn request_row(rec: &Record) -> Result<(RequestRow, bool), IngestError> {
    let completion = rec.text("completion");
    let has_token_col = rec.cells.contains_key("completion_tokens");
    let output_tokens = rec.f64("completion_tokens")?;
    let ok = completion.is_some() && (output_tokens.is_some() || !has_token_col);
    let error_body = completion.is_some_and(|c| {
        let c = c.trim_start();
        c.starts_with('{') && c.contains("\"code\"") && c.contains("\"message\"")
    });
    let error = (!ok).then(|| {
        if completion.is_none() {
            "no completion (FMBench: failed request)"
        } else {
            "no completion token count (FMBench: failed request)"
        }
        .to_string()
    });
    let ms = |v: Option<f64>| v.map(|s| s * 1000.0);
    Ok((
        RequestRow {
            ok,
            error,
            input_tokens: rec.f64("prompt_tokens")?,
            output_tokens,
            ttft_ms: ms(rec.f64("time_to_first_token")?),
            e2e_ms: ms(rec.f64("latency")?),
            tpot_ms: ms(rec.f64("time_per_output_token")?),
            start_s: None,
        },
        error_body,
    ))
}

fn runs_from_requests(records: &[Record], folder: &Folder) -> Result<Vec<ParsedRun>, IngestError> {
    let summary: Vec<SummaryRow> = folder.summary.clone().unwrap_or_default();
    let (rule, verdicts) = analyze(&summary, folder);
    let mut order: Vec<RowKey> = Vec::new();
    let mut groups: BTreeMap<RowKey, (RequestColumns, usize, Vec<String>)> = BTreeMap::new();
    for rec in records {
        let experiment = rec
            .text("experiment_name")
            .ok_or_else(|| IngestError::missing(rec.loc("experiment_name"), "experiment_name"))?;
        let concurrency_f = rec
            .f64("concurrency")?
            .ok_or_else(|| IngestError::missing(rec.loc("concurrency"), "concurrency"))?;
        if concurrency_f.fract() != 0.0 || concurrency_f < 0.0 {
            return Err(IngestError::wrong_type(
                rec.loc("concurrency"),
                "a whole number",
                concurrency_f,
            ));
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked whole and non-negative"
        )]
        let concurrency = concurrency_f as u32;
        let instance_type = rec.text("instance_type").unwrap_or_default();
        let count = rec.f64("instance_count")?;
        let mut payload = rec.text("payload_file").unwrap_or_default().to_string();
        let mut notes = Vec::new();
        if payload.is_empty() {
            // March 2024 rows have no payload_file: take it from the only matching summary row.
            let m: Vec<&SummaryRow> = summary
                .iter()
                .filter(|s| {
                    s.experiment_name == experiment
                        && s.instance_type == instance_type
                        && s.concurrency == concurrency
                })
                .collect();
            if let [only] = m.as_slice() {
                payload.clone_from(&only.payload_file);
                notes.push(format!("payload_file {payload} taken from {SUMMARY_CSV} (the request rows of this version have none)"));
            }
        }
        let key = RowKey::new(experiment, &payload, instance_type, count, concurrency);
        let (row, error_body) = request_row(rec)?;
        let entry = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            (RequestColumns::default(), 0, notes)
        });
        entry.0.push(row);
        if error_body {
            entry.1 += 1;
        }
    }
    let mut runs = Vec::new();
    for key in order {
        let Some((requests, error_bodies, notes)) = groups.remove(&key) else {
            continue;
        };
        let idx = summary.iter().position(|s| s.key() == key);
        let fallback = SummaryRow {
            experiment_name: key.experiment_name.clone(),
            payload_file: key.payload_file.clone(),
            instance_type: key.instance_type.clone(),
            concurrency: key.concurrency,
            #[allow(clippy::cast_precision_loss, reason = "small counts")]
            instance_count: Some(key.instance_count_milli as f64 / 1000.0),
            ..SummaryRow::default()
        };
        let (row, verdict, from) = match idx {
            Some(i) => (
                summary.get(i).cloned().unwrap_or(fallback),
                verdicts.get(i).cloned().unwrap_or_default(),
                format!(
                    "{SUMMARY_CSV} line {}",
                    summary.get(i).map_or(0, |r| r.line)
                ),
            ),
            None => (
                fallback,
                Verdict::default(),
                "no summary row (only the request rows)".to_string(),
            ),
        };
        let mut run = run_from_row(&row, &verdict, rule, folder, &from);
        if idx.is_none() {
            run.instance_count = None;
        }
        run.notes.extend(notes);
        let n = requests.len() as u64;
        let failed = requests.ok.iter().filter(|ok| !**ok).count() as u64;
        run.num_requests = Some(n);
        run.num_failed = Some(failed);
        if error_bodies > 0 {
            run.notes.push(format!(
                "{error_bodies} request(s) returned an HTTP error body (e.g. {{\"code\":424,…}}) that FMBench counted as a success; kept as ok, as FMBench did"
            ));
            run.labels.insert(
                "fmbench.error_body_successes".into(),
                error_bodies.to_string(),
            );
        }
        runs.push(ParsedRun {
            run,
            requests: Some(requests),
        });
    }
    Ok(runs)
}

fn chunk_from_json(v: &Value, path: &Path) -> Result<ChunkRow, IngestError> {
    let o = super::json::Obj::new(v, "", path)?;
    let f = |k: &str| o.f64(k);
    let concurrency = o
        .u64("concurrency")?
        .ok_or_else(|| IngestError::missing(o.loc("concurrency"), "concurrency"))?;
    Ok(ChunkRow {
        line: 0,
        experiment_name: o
            .str("experiment_name")?
            .ok_or_else(|| IngestError::missing(o.loc("experiment_name"), "experiment_name"))?,
        payload_file: o.str("payload_file")?.unwrap_or_default(),
        instance_type: String::new(),
        instance_count: None,
        concurrency: u32::try_from(concurrency).map_err(|_| {
            IngestError::wrong_type(o.loc("concurrency"), "a concurrency", concurrency)
        })?,
        successes: f("successes")?,
        error_rate: f("error_rate")?,
        prompt_token_count_mean: f("prompt_token_count_mean")?,
        prompt_token_throughput: f("prompt_token_throughput")?,
        completion_token_count_mean: f("completion_token_count_mean")?,
        completion_token_throughput: f("completion_token_throughput")?,
        transactions_per_minute: f("transactions_per_minute")?,
        latency_mean_s: f("latency_mean")?,
        latency_p50_s: f("latency_p50")?,
        latency_p95_s: f("latency_p95")?,
        latency_p99_s: f("latency_p99")?,
        ttft_p50_s: f("TTFT_p50")?,
        ttft_p99_s: f("TTFT_p99")?,
        tpot_p50_s: f("TPOT_p50")?,
        tpot_p99_s: f("TPOT_p99")?,
    })
}

#[cfg(test)]
mod tests {
    use super::rules::{self, RuleSet};
    use super::*;
    use crate::ingest::testing::{self, assert_close};

    fn fm(corpus: &Path) -> PathBuf {
        corpus.join("fmbench")
    }

    fn folder_named(corpus: &Path, part: &str) -> PathBuf {
        let dir = fm(corpus);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("corpus fmbench folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir() && p.to_string_lossy().contains(part))
            .collect();
        found.sort();
        found
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no corpus folder containing {part}"))
    }

    fn table(path: &Path) -> Table {
        Table::read(&std::fs::read(path).expect("read"), path).expect("csv")
    }

    fn parse(path: &Path, root: &Path) -> Parsed {
        testing::parse_file(&Fmbench, path, root).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The lines of a report.md the tests need: the Summary's concurrency, the failed table's
    /// concurrencies in order, and per (payload, instance) the recommended concurrency.
    struct ReportLines {
        best_concurrency: Option<u32>,
        failed: Vec<u32>,
        per_instance: Vec<(String, String, Option<u32>)>,
    }

    fn read_report(path: &Path) -> ReportLines {
        let text = std::fs::read_to_string(path).expect("report");
        let mut out = ReportLines {
            best_concurrency: None,
            failed: Vec::new(),
            per_instance: Vec::new(),
        };
        let mut in_failed = false;
        for line in text.lines() {
            if line.starts_with("### ") || line.starts_with("## ") {
                in_failed = line.contains("Failed experiments");
            }
            if let Some(rest) = line.strip_prefix("| concurrency | ") {
                out.best_concurrency = rest.trim_end_matches(" |").trim().parse().ok();
            }
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if in_failed && cells.len() > 4 && cells.get(2).is_some_and(|c| c.ends_with(".jsonl")) {
                out.failed.push(
                    cells
                        .get(3)
                        .and_then(|c| c.parse().ok())
                        .expect("failed concurrency"),
                );
            }
            if line.starts_with("|`payload") {
                let payload = cells
                    .get(1)
                    .map(|c| c.trim_matches('`').to_string())
                    .unwrap_or_default();
                let inst = cells
                    .get(2)
                    .map(|c| c.trim_matches('`').to_string())
                    .unwrap_or_default();
                let conc = line
                    .split("concurrency level of ")
                    .nth(1)
                    .and_then(|r| r.split('`').next())
                    .and_then(|n| n.parse().ok());
                out.per_instance.push((payload, inst, conc));
            }
        }
        out
    }

    #[test]
    fn fmbench_corpus_walk() {
        let Some(corpus) = testing::corpus() else {
            return;
        };
        let mut stack = vec![fm(&corpus)];
        let (mut files, mut reports) = (0, 0);
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("dir").filter_map(Result::ok) {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let ext = name
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_string())
                    .unwrap_or_default();
                match ext.as_str() {
                    "csv" | "json" | "yml" | "yaml" => {
                        assert_eq!(
                            testing::detect(&path, &corpus).unwrap_or_else(|e| panic!("{e}")),
                            "fmbench",
                            "{}",
                            path.display()
                        );
                        let p = parse(&path, &corpus);
                        assert!(p.not_input.is_none(), "{}", path.display());
                        files += 1;
                    }
                    "md" if name == "report.md" || name == "results.md" => {
                        assert_eq!(
                            testing::detect(&path, &corpus).unwrap_or_else(|e| panic!("{e}")),
                            "fmbench",
                            "{}",
                            path.display()
                        );
                        assert_eq!(
                            parse(&path, &corpus).not_input.as_deref(),
                            Some(REPORT_REASON)
                        );
                        reports += 1;
                    }
                    _ => {}
                }
            }
        }
        assert_eq!(reports, 11);
        assert!(files > 100, "{files}");
    }

    #[test]
    fn fmbench_w1_g5_2xlarge_from_request_rows() {
        let Some(corpus) = testing::corpus() else {
            return;
        };
        let dir = folder_named(&corpus, "g5.2xlarge-2024-09-24");
        let parsed = parse(&dir.join(PER_REQUEST_CSV), &corpus);
        assert_eq!(parsed.runs.len(), 2);
        let pr = parsed
            .runs
            .iter()
            .find(|r| r.run.dataset.as_deref() == Some("payload_en_1-500.jsonl"))
            .expect("1-500 run");
        let req = pr.requests.as_ref().expect("request rows");
        assert_eq!(req.len(), 5);
        assert!(
            req.ok.iter().all(|ok| *ok),
            "the 424 error body counts as a success"
        );
        assert_eq!(
            pr.run
                .labels
                .get("fmbench.error_body_successes")
                .map(String::as_str),
            Some("1")
        );
        // FMBench's p95: concurrency 1, so each request is a chunk; mean of per-chunk p95s.
        let lat_s: Vec<f64> = req
            .e2e_ms
            .iter()
            .map(|v| v.expect("latency") / 1000.0)
            .collect();
        let p95s: Vec<Option<f64>> = lat_s
            .iter()
            .map(|l| rules::chunk_percentiles(&[Some(*l)]).map(|p| p.1))
            .collect();
        let mean = rules::pandas_mean(p95s).expect("mean");
        assert_close(mean, 2.959893439999951, 1e-12, "mean of chunk p95s");
        assert_eq!(rules::np_round(mean, 2), 2.96);
        // TPM: int(mean of the per-chunk TPMs of all_metrics.csv).
        let chunks = table(&dir.join(ALL_METRICS_CSV))
            .chunk_rows()
            .expect("chunks");
        let summary = rules::summarize_chunks(&chunks);
        let s = summary
            .iter()
            .find(|r| r.payload_file == "payload_en_1-500.jsonl")
            .expect("row");
        assert_eq!(s.transactions_per_minute, Some(911.0));
        assert_eq!(s.latency_p95_s, Some(2.96));
        // Price from pricing.yml (TEXT 1.212) and the run's reported values.
        let pricing = parse(&dir.join("pricing.yml"), &corpus);
        let g5 = pricing
            .prices
            .iter()
            .find(|p| p.instance_type == "g5.2xlarge")
            .expect("price");
        assert_eq!(g5.price_per_hour_usd.to_string(), "1.212");
        assert!(g5.source.ends_with("pricing.yml"));
        let ppt =
            rules::price_per_txn_hourly(RuleSet::V2, 1.212, Some(1.0), Some(911.0)).expect("price");
        assert_eq!(ppt, 2.217343578485181e-05);
        let rep = &pr.run.reported;
        assert_eq!(
            rep["fmbench.price_per_txn_usd"].value,
            2.217343578485181e-05
        );
        assert_eq!(rep["fmbench.transactions_per_minute"].value, 911.0);
        assert_eq!(rep["e2e_ms.p95"].value, 2960.0);
        assert_eq!(
            rep["e2e_ms.p95"].method.as_deref(),
            Some("mean of per-chunk p95")
        );
        assert!(pr
            .run
            .definitions
            .contains_key("fmbench.transactions_per_minute"));
        // W4: the only dataset-of-interest row fails latency yet is the best option.
        assert_eq!(rep["fmbench.score"].value, 2.988913282107574);
        assert_eq!(
            pr.run.labels.get("fmbench.best_option").map(String::as_str),
            Some("yes")
        );
        assert_eq!(
            pr.run
                .labels
                .get("fmbench.any_criterion_failed")
                .map(String::as_str),
            Some("True")
        );
        assert_eq!(pr.run.date.as_deref(), Some("2024-09-24"));
        assert_eq!(pr.run.source_tool_version.as_deref(), Some("2.0.6"));
        assert_eq!(
            pr.run.model.as_deref(),
            Some("meta-llama/Meta-Llama-3-8B-Instruct")
        );
        // Best option and per-instance table against report.md.
        let report = read_report(&dir.join("report.md"));
        assert_eq!(report.best_concurrency, Some(1));
        assert_eq!(report.failed, vec![1]);
        let printed = table(&dir.join(SUMMARY_CSV))
            .summary_rows()
            .expect("summary");
        let recs = rules::per_instance_recommendations(&printed, RuleSet::V2, 2.0);
        let ours: Vec<(String, String, Option<u32>)> = recs
            .iter()
            .map(|r| {
                (
                    r.payload_file.clone(),
                    r.instance_type.clone(),
                    r.chosen
                        .and_then(|i| printed.get(i))
                        .map(|row| row.concurrency),
                )
            })
            .collect();
        assert_eq!(ours, report.per_instance);
        let other = parsed
            .runs
            .iter()
            .find(|r| r.run.dataset.as_deref() == Some("payload_en_500-1000.jsonl"))
            .expect("500-1000");
        assert_eq!(
            other
                .run
                .labels
                .get("fmbench.recommended_for_instance")
                .map(String::as_str),
            Some("yes")
        );
    }

    /// W2/W3: every scored row of the trn1 days (and the g5.4xlarge runs) reproduced bit for bit,
    /// and the best option, failed list and recommendation equal the report beside it.
    #[test]
    fn fmbench_w2_w3_scored_tables_and_reports() {
        let Some(corpus) = testing::corpus() else {
            return;
        };
        let mut checked_rows = 0;
        for (part, price) in [
            ("trn1.32xlarge-2024-09-27", 21.5),
            ("trn1.32xlarge-2024-09-30", 21.5),
            ("g5.4xlarge-2024-11-29", 1.624),
        ] {
            let day = folder_named(&corpus, part);
            let mut runs: Vec<PathBuf> = std::fs::read_dir(&day)
                .expect("day")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            runs.sort();
            for run_dir in runs {
                let scored_path = run_dir.join(SCORED_CSV);
                let t = table(&scored_path);
                let rows = t.summary_rows().expect("rows");
                let cfg_path = std::fs::read_dir(&run_dir)
                    .expect("run")
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .find(|p| p.extension().is_some_and(|e| e == "yml"))
                    .expect("config");
                let cfg = yaml::read_config(
                    &std::fs::read_to_string(&cfg_path).expect("cfg"),
                    &cfg_path,
                    "cfg",
                )
                .expect("config");
                let b = cfg.budgets.expect("budgets");
                let mut scores = Vec::new();
                let mut failed = Vec::new();
                for (line, cells) in &t.rows {
                    let row = rows.iter().find(|r| r.line == *line).expect("row");
                    let ppt = rules::price_per_txn_hourly(
                        RuleSet::V2,
                        price,
                        row.instance_count,
                        row.transactions_per_minute,
                    );
                    assert_eq!(
                        ppt,
                        row.price_per_txn,
                        "{} line {line}",
                        scored_path.display()
                    );
                    let s = rules::score_budgeted(RuleSet::V2, row, ppt, &b);
                    assert_eq!(
                        Some(s.score.to_bits()),
                        row.score.map(f64::to_bits),
                        "{} line {line}",
                        scored_path.display()
                    );
                    assert_eq!(s.any_criterion_failed, row.any_criterion_failed);
                    let ppt = ppt.expect("priced");
                    let text = rules::price_per_token_text(
                        ppt,
                        row.prompt_token_count_mean.expect("p"),
                        row.completion_token_count_mean.expect("c"),
                    );
                    assert_eq!(Some(text.as_str()), t.text(cells, "price_per_token"));
                    scores.push(Some(s.score));
                    failed.push(s.any_criterion_failed == Some(true));
                    checked_rows += 1;
                }
                let report = read_report(&run_dir.join("report.md"));
                let best = rules::best_option(&scores);
                assert_eq!(
                    best.iter()
                        .map(|&i| rows[i].concurrency)
                        .collect::<Vec<_>>(),
                    vec![report.best_concurrency.expect("best")],
                    "{}",
                    run_dir.display()
                );
                let ours_failed: Vec<u32> = rules::failed_rows(&scores, &failed)
                    .into_iter()
                    .map(|i| rows[i].concurrency)
                    .collect();
                assert_eq!(ours_failed, report.failed, "{}", run_dir.display());
                // Only the dataset-of-interest rows survive: check that pair's recommendation.
                let recs =
                    rules::per_instance_recommendations(&rows, RuleSet::V2, b.latency_budget_s);
                for r in recs {
                    let printed = report
                        .per_instance
                        .iter()
                        .find(|(p, i, _)| *p == r.payload_file && *i == r.instance_type)
                        .expect("printed pair");
                    assert_eq!(
                        r.chosen.map(|i| rows[i].concurrency),
                        printed.2,
                        "{}",
                        run_dir.display()
                    );
                }
                if run_dir.ends_with("run-2024-09-30T20-48") {
                    assert_eq!(report.best_concurrency, Some(14));
                    assert_eq!(report.failed, vec![25, 18, 20, 15]);
                }
            }
        }
        assert_eq!(checked_rows, 7 + 10 + 11 + 11 + 3 * 2);
        // W2 exact values and the runs the scored table yields (no other data in the folder).
        let dir = folder_named(&corpus, "trn1.32xlarge-2024-09-27").join("run-2024-09-27T21-49");
        let parsed = parse(&dir.join(SCORED_CSV), &corpus);
        assert_eq!(parsed.runs.len(), 7);
        let c14 = parsed
            .runs
            .iter()
            .find(|r| r.run.concurrency == Some(14))
            .expect("c14");
        assert_eq!(
            c14.run.reported["fmbench.price_per_txn_usd"].value,
            0.000876120619396903
        );
        assert_eq!(c14.run.reported["fmbench.score"].value, 17.98238793806031);
        assert_eq!(
            c14.run
                .labels
                .get("fmbench.price_per_token_usd")
                .map(String::as_str),
            Some("0.00000025")
        );
        assert_eq!(
            c14.run
                .labels
                .get("fmbench.best_option")
                .map(String::as_str),
            Some("yes")
        );
        assert_eq!(c14.run.source_tool_version.as_deref(), Some("2.0.8"));
        assert_eq!(c14.run.date.as_deref(), Some("2024-09-27"));
    }

    #[test]
    fn fmbench_budgets_from_config() {
        let Some(corpus) = testing::corpus() else {
            return;
        };
        let dir = folder_named(&corpus, "trn1.32xlarge-2024-09-30").join("run-2024-09-30T20-48");
        let path = dir.join("config-llama3-8b-trn1.32xl-ec2-triton.yml");
        let cfg = yaml::read_config(&std::fs::read_to_string(&path).expect("cfg"), &path, "cfg")
            .expect("config");
        let b = cfg.budgets.expect("budgets");
        assert_eq!(
            (
                b.latency_budget_s,
                b.cost_per_10k_txn_budget_usd,
                b.error_rate_budget,
                b.latency_latitude
            ),
            (2.0, 100.0, 0.0, 0.01)
        );
        assert!(!cfg.has_latitude, "latitude is the default here");
        assert_eq!(cfg.dataset_of_interest.as_deref(), Some("en_3000-3840"));
        assert_eq!(cfg.pricing_file.as_deref(), Some("pricing.yml"));
        let g5 = folder_named(&corpus, "g5.2xlarge-2024-09-24").join("config-ec2-llama3-8b.yml");
        let cfg = yaml::read_config(&std::fs::read_to_string(&g5).expect("cfg"), &g5, "cfg")
            .expect("config");
        let b = cfg.budgets.expect("budgets");
        assert_eq!(
            (
                b.latency_budget_s,
                b.cost_per_10k_txn_budget_usd,
                b.error_rate_budget
            ),
            (2.0, 20.0, 0.0)
        );
        // January: no report section, so no budgets; prices inline.
        let jan = folder_named(&corpus, "llama2-70b");
        let path = jan.join("config-llama2-70b-g5-p4d-tgi.yml");
        let cfg = yaml::read_config(&std::fs::read_to_string(&path).expect("cfg"), &path, "cfg")
            .expect("config");
        assert!(cfg.budgets.is_none());
        let p4d = cfg
            .prices
            .iter()
            .find(|p| p.instance_type == "ml.p4d.24xlarge")
            .expect("p4d");
        assert_eq!(p4d.price_per_hour_usd.to_string(), "37.688");
    }

    #[test]
    fn fmbench_w5_january_summary_recomputed() {
        let Some(corpus) = testing::corpus() else {
            return;
        };
        for (part, rows_expected) in [("llama2-70b", 50), ("llama2-13b", 87)] {
            let dir = folder_named(&corpus, part);
            let chunks = table(&dir.join(ALL_METRICS_CSV))
                .chunk_rows()
                .expect("chunks");
            let printed = table(&dir.join(SUMMARY_CSV))
                .summary_rows()
                .expect("summary");
            let ours = rules::summarize_chunks(&chunks);
            assert_eq!(
                cross_check(&ours, &printed),
                (rows_expected, rows_expected),
                "{part}"
            );
            // Per-instance sentences of results.md (latency_mean <= 20 s, highest concurrency).
            let report = read_report(&dir.join("results.md"));
            let recs = rules::per_instance_recommendations(
                &printed,
                RuleSet::Jan2024,
                rules::JAN_LATENCY_BUDGET_S,
            );
            for (payload, inst, conc) in &report.per_instance {
                let r = recs
                    .iter()
                    .find(|r| &r.payload_file == payload && &r.instance_type == inst)
                    .expect("pair");
                let ours = r.chosen.map(|i| printed[i].concurrency);
                if conc.is_some() {
                    assert_eq!(ours, *conc, "{part} {payload} {inst}");
                }
            }
        }
        let dir = folder_named(&corpus, "llama2-70b");
        let chunks = table(&dir.join(ALL_METRICS_CSV))
            .chunk_rows()
            .expect("chunks");
        let p4: Vec<Option<f64>> = chunks
            .iter()
            .filter(|c| {
                c.instance_type == "ml.p4d.24xlarge"
                    && c.payload_file == "payload_en_3000-4000.jsonl"
                    && c.concurrency == 6
            })
            .map(|c| c.transactions_per_minute)
            .collect();
        assert_eq!(rules::pandas_mean(p4).map(f64::trunc), Some(30.0));
        // The summary CSV yields the runs here; the best one carries FMBench's score.
        let parsed = parse(&dir.join(SUMMARY_CSV), &corpus);
        assert_eq!(parsed.runs.len(), 50);
        let best: Vec<&ParsedRun> = parsed
            .runs
            .iter()
            .filter(|r| r.run.labels.contains_key("fmbench.best_option"))
            .collect();
        assert_eq!(best.len(), 1);
        assert_eq!(best[0].run.concurrency, Some(6));
        assert_eq!(
            best[0].run.reported["fmbench.price_per_txn_usd"].value,
            0.020937777777777777
        );
        assert_eq!(
            best[0].run.reported["fmbench.score"].value,
            23.942469250013993
        );
        let g5c6 = parsed
            .runs
            .iter()
            .find(|r| {
                r.run.instance_type.as_deref() == Some("ml.g5.48xlarge")
                    && r.run.dataset.as_deref() == Some("payload_en_3000-4000.jsonl")
                    && r.run.concurrency == Some(6)
            })
            .expect("g5 c6");
        assert_eq!(
            g5c6.run.reported["fmbench.price_per_txn_usd"].value,
            f64::INFINITY
        );
        assert_eq!(
            g5c6.run.reported["fmbench.score"].value,
            0.011296882060551289
        );
        // all_metrics.csv itself yields no runs and says the recomputation matches.
        let am = parse(&dir.join(ALL_METRICS_CSV), &corpus);
        assert!(am.runs.is_empty());
        assert!(
            am.notes.iter().any(|n| n.contains("matches 50/50")),
            "{:?}",
            am.notes
        );
    }

    #[test]
    fn fmbench_w6_token_price() {
        let Some(corpus) = testing::corpus() else {
            return;
        };
        let dir = folder_named(&corpus, "claude-instant");
        let cfg_parsed = parse(&dir.join("config-claude-models.yml"), &corpus);
        let prices_csv = parse(&dir.join(PRICES_CSV), &corpus);
        assert!(
            cfg_parsed.token_prices.is_empty(),
            "the CSV beside it carries the prices"
        );
        let ci = prices_csv
            .token_prices
            .iter()
            .find(|t| t.key == "ClaudeInstant-ODT")
            .expect("token price");
        assert_eq!(ci.input_per_1k_tokens_usd.to_string(), "0.0008");
        assert_eq!(ci.output_per_1k_tokens_usd.to_string(), "0.0024");
        let parsed = parse(&dir.join(PER_REQUEST_CSV), &corpus);
        assert_eq!(parsed.runs.len(), 1);
        let run = &parsed.runs[0].run;
        assert_eq!(run.dataset.as_deref(), Some("payload_en_1000-2000.jsonl"));
        assert_eq!(
            parsed.runs[0].requests.as_ref().map(RequestColumns::len),
            Some(15)
        );
        assert_eq!(run.reported["fmbench.price_per_txn_usd"].value, 0.0014424);
        assert_eq!(run.reported["fmbench.score"].value, 346.873839218021);
        assert_eq!(run.date.as_deref(), Some("2024-03-23"));
    }

    #[test]
    fn fmbench_basic() {
        let parsed =
            testing::parse_fixture(&Fmbench, "fmbench/basic/per_inference_request_results.csv")
                .expect("parse");
        assert_eq!(parsed.runs.len(), 2);
        let a = &parsed.runs[0];
        assert_eq!(a.run.dataset.as_deref(), Some("payload_en_1-500.jsonl"));
        assert_eq!(a.run.model.as_deref(), Some("org/tiny-model"));
        assert_eq!(
            (a.run.concurrency, a.run.instance_count),
            (Some(2), Some(1))
        );
        assert_eq!((a.run.num_requests, a.run.num_failed), (Some(2), Some(1)));
        let r = a.requests.as_ref().expect("rows");
        assert_eq!(r.ok, vec![true, false]);
        assert_eq!(r.e2e_ms, vec![Some(1250.0), Some(500.0)]);
        assert_eq!(r.ttft_ms, vec![Some(250.0), None]);
        assert_eq!(r.tpot_ms, vec![Some(125.0), None]);
        assert_eq!(r.input_tokens, vec![Some(12.0), Some(5.0)]);
        assert_eq!(r.output_tokens, vec![Some(8.0), None]);
        // By hand: 1.200 $/h / 60 / 48 TPM; score = latency 1 + (2 - 1.25)/2 + cost 1 + (50 - 10000·p)/50,
        // error rate 0.5 fails, so no concurrency bonus.
        let ppt = 0.02 / 48.0;
        assert_close(
            a.run.reported["fmbench.price_per_txn_usd"].value,
            ppt,
            1e-15,
            "price_per_txn",
        );
        assert_close(
            a.run.reported["fmbench.score"].value,
            1.375 + 1.0 + (50.0 - ppt * 10000.0) / 50.0,
            1e-15,
            "score",
        );
        assert_eq!(
            a.run
                .labels
                .get("fmbench.any_criterion_failed")
                .map(String::as_str),
            Some("True")
        );
        assert_eq!(
            a.run.labels.get("fmbench.best_option").map(String::as_str),
            Some("yes")
        );
        assert_eq!(a.run.labels.get("fmbench.recommended_for_instance"), None);
        assert_eq!(a.run.reported["ttft_ms.p50"].value, 250.0);
        let b = &parsed.runs[1];
        assert_eq!(b.requests.as_ref().map(|r| r.ok.clone()), Some(vec![true]));
        assert_eq!(
            b.run
                .labels
                .get("fmbench.error_body_successes")
                .map(String::as_str),
            Some("1")
        );
        assert_eq!(
            b.run
                .labels
                .get("fmbench.recommended_for_instance")
                .map(String::as_str),
            Some("yes")
        );
        assert_eq!(
            b.run
                .labels
                .get("fmbench.dataset_of_interest")
                .map(String::as_str),
            Some("no")
        );
        // The summary beside the per-request CSV yields no runs.
        let s = testing::parse_fixture(&Fmbench, "fmbench/basic/all_metrics_summary.csv")
            .expect("parse");
        assert!(s.runs.is_empty());
        assert!(s.notes.iter().any(|n| n.contains(PER_REQUEST_CSV)));
        // pricing.yml: numbers kept as written.
        let p = testing::parse_fixture(&Fmbench, "fmbench/basic/pricing.yml").expect("parse");
        assert_eq!(p.prices.len(), 2);
        let g5 = p
            .prices
            .iter()
            .find(|r| r.instance_type == "g5.2xlarge")
            .expect("g5");
        assert_eq!(g5.price_per_hour_usd.to_string(), "1.200");
        assert_eq!(g5.source, "fmbench/basic/pricing.yml");
        assert_eq!(p.token_prices.len(), 1);
        assert_eq!(
            p.token_prices[0].key,
            "anthropic.claude-3-haiku-20240307-v1:0"
        );
        assert_eq!(
            p.token_prices[0].output_per_1k_tokens_usd.to_string(),
            "0.00125"
        );
        let c = testing::parse_fixture(&Fmbench, "fmbench/basic/config-tiny.yml").expect("parse");
        assert!(c.runs.is_empty());
        assert!(
            c.notes
                .iter()
                .any(|n| n.contains("latency 2 s (latitude 0.05)")),
            "{:?}",
            c.notes
        );
    }

    #[test]
    fn fmbench_bad_number_cell() {
        let err = testing::parse_fixture(&Fmbench, "fmbench/bad/all_metrics_summary.csv")
            .expect_err("bad cell");
        let msg = err.to_string();
        assert!(
            msg.contains("all_metrics_summary.csv: line 3, column \"latency_p95\""),
            "{msg}"
        );
        assert!(msg.contains("expected a number, found \"n/a\""), "{msg}");
    }

    #[test]
    fn fmbench_sniff() {
        for f in [
            "fmbench/basic/per_inference_request_results.csv",
            "fmbench/basic/pricing.yml",
            "fmbench/basic/config-tiny.yml",
        ] {
            assert_eq!(
                testing::sniff_file(&Fmbench, &testing::fixture_path(f)),
                super::super::Confidence::Certain,
                "{f}"
            );
        }
        assert_eq!(date_from_epoch(1_727_194_100.744_735), "2024-09-24");
    }
}
