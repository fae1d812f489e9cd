//! Per-run aggregates (DESIGN §4): turns the request rows of every run into summary statistics
//! and run metrics, each with its provenance, and reconciles them with what the tools printed.
//!
//! This is the only module that builds polars expressions. All runs' request rows go into ONE
//! polars frame (run index, ok, tokens, ttft/e2e/tpot, start time) and all pooled inter-token
//! gaps into a second one; both are aggregated by a single lazy `group_by` on the run index, so
//! millions of rows cost a few vectorised passes plus a per-group selection (or sort, when the
//! group holds nulls) per percentile — no per-run filter loops, no per-row structs.
//!
//! Methods (DESIGN §4): latency statistics over successful rows with a value only; percentiles
//! linear (numpy's default, `QuantileMethod::Linear`) or nearest rank (`percentile_method =
//! "nearest"`, polars' `Equiprobable`, which is `stats::percentile_nearest_sorted` exactly);
//! population std (`ddof = 0`); per-request TPOT as given, else `(e2e − ttft) / (output − 1)`
//! for `output > 1`. NaN inputs count as missing.
//!
//! What it must not do: hand polars types to other modules (the public API is plain data);
//! invent numbers (an unknown stays `None`, never 0); silently prefer a tool's number over the
//! computed one (both are kept, mismatches become warnings); parse files or format output.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::config::{MetricsConfig, PercentileMethod, Slo};
use crate::error::MetricsError;
use crate::model::{ParsedRun, Provenance, Run};

/// Latency metrics computed from the request frame (ITL comes from the pooled-gap frame).
const ROW_LATENCIES: [&str; 3] = ["ttft_ms", "tpot_ms", "e2e_ms"];

/// Relative difference above which a computed and a reported value are said to disagree.
const MISMATCH_REL: f64 = 1e-6;

/// One number with its provenance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Aggregate {
    /// The value used everywhere downstream; `None` when unknown (never 0 for unknown).
    pub value: Option<f64>,
    /// Where `value` came from.
    pub provenance: Provenance,
    /// The tool's own value when both a computed (or derived) and a reported value exist.
    pub reported: Option<f64>,
}

impl Aggregate {
    fn computed(value: f64) -> Self {
        Aggregate {
            value: Some(value),
            provenance: Provenance::Computed,
            reported: None,
        }
    }

    fn derived(value: f64, formula: &str) -> Self {
        Aggregate {
            value: Some(value),
            provenance: Provenance::Derived {
                formula: formula.to_string(),
            },
            reported: None,
        }
    }
}

/// Per-run summary.
///
/// Keys of `values`: `<metric>.<stat>` for metric in `ttft_ms`, `tpot_ms`, `itl_ms`, `e2e_ms`
/// and stat in `mean`, `median`, `std`, `min`, `max`, `count` and the configured percentiles
/// (`p90`, `p99.9`); the run metrics `request_throughput_rps`, `output_token_throughput_tps`,
/// `total_token_throughput_tps`, `error_rate`, `goodput_rps`; `input_tokens.mean`,
/// `output_tokens.mean`; and every other key of `run.reported` passed through. A key is absent
/// when nothing is known about it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RunSummary {
    /// Aggregates by key.
    pub values: BTreeMap<String, Aggregate>,
    /// The duration throughputs and goodput divide by: the run's `duration_s` (reported) or,
    /// when the run has none, the span of its request rows (computed). `None`: unknown.
    pub duration_s: Option<Aggregate>,
    /// Mismatches between computed and reported values and other remarks, each naming the run.
    pub warnings: Vec<String>,
}

impl RunSummary {
    /// The value of `key`, when known.
    #[must_use]
    pub fn value(&self, key: &str) -> Option<f64> {
        self.values.get(key).and_then(|a| a.value)
    }
}

impl From<PolarsError> for MetricsError {
    fn from(e: PolarsError) -> Self {
        MetricsError::Engine(e.to_string())
    }
}

/// The configured percentiles without repeats (a repeated one would name two columns alike).
fn percentiles(config: &MetricsConfig) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::with_capacity(config.percentiles.len());
    for &p in &config.percentiles {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The key suffix of a percentile: `p90`, `p99.9`.
#[must_use]
pub fn percentile_name(p: f64) -> String {
    format!("p{}", crate::format::float(p))
}

/// Summarize every run (same order as `runs`).
///
/// # Errors
/// A configured percentile outside 0..=100, or an internal polars failure.
pub fn summarize(
    runs: &[&ParsedRun],
    config: &MetricsConfig,
    slo: &Slo,
) -> Result<Vec<RunSummary>, MetricsError> {
    for &p in &config.percentiles {
        if !(0.0..=100.0).contains(&p) {
            return Err(MetricsError::InvalidPercentile(p));
        }
    }
    let labels: Vec<String> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| run_label(&r.run, i))
        .collect();
    let mut warnings: Vec<Vec<String>> = vec![Vec::new(); runs.len()];
    let row_stats = aggregate_rows(runs, config, slo, &labels, &mut warnings)?;
    let itl_stats = aggregate_itl(runs, config)?;

    let mut out = Vec::with_capacity(runs.len());
    for (i, parsed) in runs.iter().enumerate() {
        let mut summary = RunSummary {
            warnings: std::mem::take(&mut warnings[i]),
            ..RunSummary::default()
        };
        let label = &labels[i];
        let rows = row_stats.get(&i);
        latency_values(&mut summary, rows, config);
        if let Some(itl) = itl_stats.get(&i) {
            insert_latency(&mut summary, "itl_ms", itl, config);
        }
        run_metrics(&mut summary, &parsed.run, rows, slo, label);
        merge_reported(&mut summary, &parsed.run, label);
        out.push(summary);
    }
    Ok(out)
}

/// Aggregated columns of one run, by output column name.
type Stats = HashMap<String, f64>;

/// Copy the row statistics into `values` (latencies and token means).
fn latency_values(summary: &mut RunSummary, rows: Option<&Stats>, config: &MetricsConfig) {
    let Some(rows) = rows else { return };
    for metric in ROW_LATENCIES {
        insert_latency(summary, metric, rows, config);
    }
    for key in ["input_tokens.mean", "output_tokens.mean"] {
        if let Some(&v) = rows.get(key) {
            summary
                .values
                .insert(key.to_string(), Aggregate::computed(v));
        }
    }
}

/// Insert `metric.<stat>` from `stats` when the metric has at least one value.
fn insert_latency(summary: &mut RunSummary, metric: &str, stats: &Stats, config: &MetricsConfig) {
    let count = stats
        .get(&format!("{metric}.count"))
        .copied()
        .unwrap_or(0.0);
    if count <= 0.0 {
        // No value: the metric is unknown for this run, not zero.
        return;
    }
    for stat in stat_names(config) {
        let key = format!("{metric}.{stat}");
        if let Some(&v) = stats.get(&key) {
            summary.values.insert(key, Aggregate::computed(v));
        }
    }
}

/// `mean, median, std, min, max, count, p..` in page order.
fn stat_names(config: &MetricsConfig) -> Vec<String> {
    let mut names: Vec<String> = ["mean", "median", "std", "min", "max", "count"]
        .map(String::from)
        .to_vec();
    names.extend(percentiles(config).into_iter().map(percentile_name));
    names
}

/// Throughputs, error rate, goodput and the duration they divide by.
fn run_metrics(summary: &mut RunSummary, run: &Run, rows: Option<&Stats>, slo: &Slo, label: &str) {
    let from_run = run.duration_s.filter(|d| d.is_finite() && *d > 0.0);
    if let Some(d) = run.duration_s {
        if from_run.is_none() {
            summary.warnings.push(format!(
                "run {label}: duration_s = {d} is not a positive duration; ignored"
            ));
        }
    }
    let Some(rows) = rows else {
        // No request rows: derive what the run's own fields allow.
        if let Some(d) = from_run {
            summary.duration_s = Some(duration_reported(d));
        }
        if let (Some(n), Some(f)) = (run.num_requests, run.num_failed) {
            if f > n {
                summary.warnings.push(format!(
                    "run {label}: num_failed = {f} exceeds num_requests = {n}; request throughput and error rate unknown"
                ));
                return;
            }
        }
        if let (Some(n), Some(d)) = (run.num_requests, from_run) {
            let (completed, formula) = match run.num_failed {
                Some(f) => (n - f, "(num_requests − num_failed) / duration_s"),
                None => (n, "num_requests / duration_s"),
            };
            summary.values.insert(
                "request_throughput_rps".into(),
                Aggregate::derived(completed as f64 / d, formula),
            );
        }
        if let (Some(n), Some(f)) = (run.num_requests, run.num_failed) {
            if n > 0 {
                summary.values.insert(
                    "error_rate".into(),
                    Aggregate::derived(f as f64 / n as f64, "num_failed / num_requests"),
                );
            }
        }
        return;
    };

    let get = |k: &str| rows.get(k).copied().unwrap_or(0.0);
    let n_rows = get("rows");
    let completed = get("completed");
    let failed = n_rows - completed;
    if n_rows > 0.0 {
        summary
            .values
            .insert("error_rate".into(), Aggregate::computed(failed / n_rows));
    }
    // Rows and run fields should tell the same story; say so when they don't.
    if let Some(n) = run.num_requests {
        if n as f64 != n_rows {
            summary.warnings.push(format!(
                "run {label}: {n_rows} request rows but num_requests = {n}; metrics use the rows"
            ));
        }
    }
    if let Some(f) = run.num_failed {
        if f as f64 != failed {
            summary.warnings.push(format!(
                "run {label}: {failed} failed request rows but num_failed = {f}; metrics use the rows"
            ));
        }
    }

    let span = match (rows.get("first_start_s"), rows.get("last_end_s")) {
        (Some(&a), Some(&b)) if b > a => Some(b - a),
        _ => None,
    };
    let duration = if let Some(d) = from_run {
        summary.duration_s = Some(duration_reported(d));
        d
    } else if let Some(d) = span {
        summary.duration_s = Some(Aggregate::computed(d));
        summary.warnings.push(format!(
            "run {label}: no duration_s; using the span of its requests, max(start_s + e2e_ms/1000) − min(start_s) = {d} s"
        ));
        d
    } else {
        summary.warnings.push(format!(
            "run {label}: duration unknown (no duration_s, no start_s with e2e_ms): throughputs and goodput unknown"
        ));
        return;
    };

    summary.values.insert(
        "request_throughput_rps".into(),
        Aggregate::computed(completed / duration),
    );
    // A throughput summed over completed requests is only right when every one has its tokens.
    if get("output_tokens.count") == completed {
        summary.values.insert(
            "output_token_throughput_tps".into(),
            Aggregate::computed(get("output_tokens.sum") / duration),
        );
    } else if completed > 0.0 {
        summary.warnings.push(format!(
            "run {label}: {} of {completed} completed requests have no output_tokens: token throughput unknown",
            completed - get("output_tokens.count")
        ));
    }
    if get("total_tokens.count") == completed {
        summary.values.insert(
            "total_token_throughput_tps".into(),
            Aggregate::computed(get("total_tokens.sum") / duration),
        );
    }
    if slo.is_set() {
        summary.values.insert(
            "goodput_rps".into(),
            Aggregate::computed(get("good") / duration),
        );
    }
}

fn duration_reported(d: f64) -> Aggregate {
    Aggregate {
        value: Some(d),
        provenance: Provenance::Reported {
            label: "duration_s".into(),
            method: None,
        },
        reported: None,
    }
}

/// Attach the tool's values: next to ours when we have one (warning on a mismatch of the same
/// method), as the value itself when we don't. No warning either when the tool's method
/// differs (`Reported.method`) or the parser recorded that the tool defines the metric
/// differently (`run.definitions[metric]`): the numbers are then not expected to agree.
fn merge_reported(summary: &mut RunSummary, run: &Run, label: &str) {
    for (key, rep) in &run.reported {
        // A tool printing NaN (e.g. std of nothing) tells us nothing.
        let reported = Some(rep.value).filter(|v| !v.is_nan());
        match summary.values.get_mut(key) {
            Some(agg) if agg.value.is_some() => {
                agg.reported = reported;
                let metric = key.split('.').next().unwrap_or(key);
                let same_definition = rep.method.is_none() && !run.definitions.contains_key(metric);
                if let (Some(ours), Some(theirs), true) = (agg.value, reported, same_definition) {
                    let rel = relative_difference(ours, theirs);
                    if rel > MISMATCH_REL {
                        summary.warnings.push(format!(
                            "run {label}: {key} computed {ours} but the tool reported {theirs} ({}), relative difference {rel:.3e}",
                            rep.label
                        ));
                    }
                }
            }
            _ => {
                summary.values.insert(
                    key.clone(),
                    Aggregate {
                        value: reported,
                        provenance: Provenance::Reported {
                            label: rep.label.clone(),
                            method: rep.method.clone(),
                        },
                        reported: None,
                    },
                );
            }
        }
    }
}

/// `|a − b| / max(|a|, |b|)`, 0 when both are 0; infinite when exactly one is infinite.
fn relative_difference(a: f64, b: f64) -> f64 {
    if a == b {
        return 0.0;
    }
    let d = (a - b).abs();
    if !d.is_finite() {
        return f64::INFINITY;
    }
    d / a.abs().max(b.abs())
}

/// How warnings name a run: its file and position, plus its name.
fn run_label(run: &Run, i: usize) -> String {
    let base = if run.source_file.is_empty() {
        if run.run_id.is_empty() {
            format!("#{i}")
        } else {
            run.run_id.clone()
        }
    } else {
        format!("{}#{}", run.source_file, run.index_in_file)
    };
    match &run.name {
        Some(n) => format!("{base} ({n})"),
        None => base,
    }
}

// ---------------------------------------------------------------------------------------------
// polars

/// Column builder for optional floats from every run's vectors; NaN becomes null, a vector
/// shorter than the run's `ok` column is padded with nulls (a parser bug, reported once).
fn float_column<'a>(
    name: &str,
    runs: &[(usize, &'a crate::model::RequestColumns)],
    total: usize,
    pick: impl Fn(&'a crate::model::RequestColumns) -> &'a [Option<f64>],
    labels: &[String],
    warnings: &mut [Vec<String>],
) -> Column {
    let mut b = PrimitiveChunkedBuilder::<Float64Type>::new(name.into(), total);
    for &(i, cols) in runs {
        let n = cols.len();
        let v = pick(cols);
        if v.len() != n {
            warnings[i].push(format!(
                "run {}: request column {name} has {} entries for {n} rows; missing entries count as unknown",
                labels[i],
                v.len()
            ));
        }
        for x in v.iter().take(n) {
            b.append_option(x.filter(|x| !x.is_nan()));
        }
        for _ in v.len()..n {
            b.append_null();
        }
    }
    b.finish().into_column()
}

/// The latency statistic expressions for `column`, aliased `<metric>.<stat>`, as Float64.
fn latency_exprs(column: &str, metric: &str, config: &MetricsConfig) -> Vec<Expr> {
    let method = match config.percentile_method {
        PercentileMethod::Linear => QuantileMethod::Linear,
        // polars' `Nearest` rounds the linear index (numpy "nearest"); `Equiprobable` is the
        // nearest rank ceil(p·n) − 1 that `stats::percentile_nearest_sorted` defines.
        PercentileMethod::Nearest => QuantileMethod::Equiprobable,
    };
    let c = || col(column);
    let mut exprs = vec![
        c().mean().alias(format!("{metric}.mean")),
        c().median().alias(format!("{metric}.median")),
        c().std(0).alias(format!("{metric}.std")),
        c().min().alias(format!("{metric}.min")),
        c().max().alias(format!("{metric}.max")),
        c().count().alias(format!("{metric}.count")),
    ];
    for p in percentiles(config) {
        exprs.push(
            c().quantile(lit(p / 100.0), method)
                .alias(format!("{metric}.{}", percentile_name(p))),
        );
    }
    exprs
        .into_iter()
        .map(|e| e.cast(DataType::Float64))
        .collect()
}

/// One frame for all runs' request rows, one group-by → statistics per run index.
fn aggregate_rows(
    runs: &[&ParsedRun],
    config: &MetricsConfig,
    slo: &Slo,
    labels: &[String],
    warnings: &mut [Vec<String>],
) -> Result<HashMap<usize, Stats>, MetricsError> {
    let with_rows: Vec<(usize, &crate::model::RequestColumns)> = runs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            r.requests
                .as_ref()
                .filter(|c| !c.is_empty())
                .map(|c| (i, c))
        })
        .collect();
    let total: usize = with_rows.iter().map(|(_, c)| c.len()).sum();
    if total == 0 {
        return Ok(HashMap::new());
    }

    let mut run_idx: Vec<u32> = Vec::with_capacity(total);
    let mut ok: Vec<bool> = Vec::with_capacity(total);
    for &(i, cols) in &with_rows {
        #[allow(clippy::cast_possible_truncation, reason = "fewer than 2^32 runs")]
        run_idx.extend(std::iter::repeat_n(i as u32, cols.len()));
        ok.extend_from_slice(&cols.ok);
    }
    let columns = vec![
        UInt32Chunked::from_vec("run".into(), run_idx).into_column(),
        BooleanChunked::from_slice("ok".into(), &ok).into_column(),
        float_column(
            "input_tokens",
            &with_rows,
            total,
            |c| &c.input_tokens,
            labels,
            warnings,
        ),
        float_column(
            "output_tokens",
            &with_rows,
            total,
            |c| &c.output_tokens,
            labels,
            warnings,
        ),
        float_column(
            "ttft_ms",
            &with_rows,
            total,
            |c| &c.ttft_ms,
            labels,
            warnings,
        ),
        float_column("e2e_ms", &with_rows, total, |c| &c.e2e_ms, labels, warnings),
        float_column(
            "tpot_given_ms",
            &with_rows,
            total,
            |c| &c.tpot_ms,
            labels,
            warnings,
        ),
        float_column(
            "start_s",
            &with_rows,
            total,
            |c| &c.start_s,
            labels,
            warnings,
        ),
    ];
    drop(ok);
    let df = DataFrame::new(total, columns)?;

    let null = || lit(NULL).cast(DataType::Float64);
    // Values of successful requests only; failed rows become null and drop out of every
    // statistic (polars aggregations skip nulls).
    let if_ok = |e: Expr| when(col("ok")).then(e).otherwise(null());
    let out = col("output_tokens");
    let tpot_derived = when(out.clone().gt(lit(1.0)))
        .then((col("e2e_ms") - col("ttft_ms")) / (out.clone() - lit(1.0)))
        .otherwise(null());
    let tpot = col("tpot_given_ms").fill_null(tpot_derived);

    // A good request (goodput) meets every configured objective; a missing value fails it.
    // TPOT of a request with at most one output token is 0, as vLLM counts it.
    let mut good = col("ok");
    if let Some(max) = slo.ttft_ms {
        good = good.and(col("ttft_ms").lt_eq(lit(max)));
    }
    if let Some(max) = slo.tpot_ms {
        let tpot_slo = when(out.clone().lt_eq(lit(1.0)))
            .then(lit(0.0))
            .otherwise(tpot.clone());
        good = good.and(tpot_slo.lt_eq(lit(max)));
    }
    if let Some(max) = slo.e2e_ms {
        good = good.and(col("e2e_ms").lt_eq(lit(max)));
    }

    let prepared = df.lazy().select([
        col("run"),
        col("ok"),
        if_ok(col("ttft_ms")).alias("ttft_ok"),
        if_ok(col("e2e_ms")).alias("e2e_ok"),
        if_ok(tpot).alias("tpot_ok"),
        if_ok(col("input_tokens")).alias("in_ok"),
        if_ok(out.clone()).alias("out_ok"),
        if_ok(col("input_tokens") + out).alias("total_ok"),
        good.fill_null(lit(false)).alias("good"),
        col("start_s"),
        (col("start_s") + col("e2e_ms") / lit(1000.0)).alias("end_s"),
    ]);

    let mut aggs = vec![
        len().cast(DataType::Float64).alias("rows"),
        col("ok").cast(DataType::Float64).sum().alias("completed"),
        col("in_ok").mean().alias("input_tokens.mean"),
        col("out_ok").mean().alias("output_tokens.mean"),
        col("out_ok").sum().alias("output_tokens.sum"),
        col("out_ok")
            .count()
            .cast(DataType::Float64)
            .alias("output_tokens.count"),
        col("total_ok").sum().alias("total_tokens.sum"),
        col("total_ok")
            .count()
            .cast(DataType::Float64)
            .alias("total_tokens.count"),
        col("good").cast(DataType::Float64).sum().alias("good"),
        col("start_s").min().alias("first_start_s"),
        col("end_s").max().alias("last_end_s"),
    ];
    for (column, metric) in [
        ("ttft_ok", "ttft_ms"),
        ("tpot_ok", "tpot_ms"),
        ("e2e_ok", "e2e_ms"),
    ] {
        aggs.extend(latency_exprs(column, metric, config));
    }
    let result = prepared.group_by([col("run")]).agg(aggs).collect()?;
    stats_by_run(&result)
}

/// One frame of every run's pooled inter-token gaps, one group-by → ITL statistics per run.
fn aggregate_itl(
    runs: &[&ParsedRun],
    config: &MetricsConfig,
) -> Result<HashMap<usize, Stats>, MetricsError> {
    let total: usize = runs
        .iter()
        .filter_map(|r| r.requests.as_ref())
        .map(|c| c.itl_ms.len())
        .sum();
    if total == 0 {
        return Ok(HashMap::new());
    }
    let mut run_idx: Vec<u32> = Vec::with_capacity(total);
    let mut b = PrimitiveChunkedBuilder::<Float64Type>::new("itl_ms".into(), total);
    for (i, r) in runs.iter().enumerate() {
        let Some(cols) = &r.requests else { continue };
        #[allow(clippy::cast_possible_truncation, reason = "fewer than 2^32 runs")]
        run_idx.extend(std::iter::repeat_n(i as u32, cols.itl_ms.len()));
        for &x in &cols.itl_ms {
            b.append_option(Some(x).filter(|x| !x.is_nan()));
        }
    }
    let df = DataFrame::new(
        total,
        vec![
            UInt32Chunked::from_vec("run".into(), run_idx).into_column(),
            b.finish().into_column(),
        ],
    )?;
    let result = df
        .lazy()
        .group_by([col("run")])
        .agg(latency_exprs("itl_ms", "itl_ms", config))
        .collect()?;
    stats_by_run(&result)
}

/// Aggregated frame (one row per run index, Float64 columns) → plain maps.
fn stats_by_run(result: &DataFrame) -> Result<HashMap<usize, Stats>, MetricsError> {
    let runs = result.column("run")?.u32()?;
    let mut out: HashMap<usize, Stats> = HashMap::with_capacity(result.height());
    for column in result.columns() {
        if column.name().as_str() == "run" {
            continue;
        }
        let values = column.f64()?;
        // One row per run: few rows, so indexed access is fine here.
        for row in 0..result.height() {
            if let (Some(run), Some(value)) = (runs.get(row), values.get(row)) {
                out.entry(run as usize)
                    .or_default()
                    .insert(column.name().to_string(), value);
            }
        }
    }
    Ok(out)
}

/// Reference statistics for one metric on plain values, by `crate::stats` (numpy-exact), keyed
/// like [`RunSummary::values`] without the metric prefix (`mean`, `p99`, `count`). Empty input
/// gives an empty map. Tests and fidelity checks compare the polars results with this.
#[must_use]
pub fn reference_stats(values: &[f64], config: &MetricsConfig) -> BTreeMap<String, f64> {
    use crate::stats;
    let mut out = BTreeMap::new();
    let s = stats::sorted(values);
    let (Some(mean), Some(median), Some(std), Some(&min), Some(&max)) = (
        stats::mean(values),
        stats::median_sorted(&s),
        stats::std(values, 0),
        s.first(),
        s.last(),
    ) else {
        return out;
    };
    out.insert("mean".into(), mean);
    out.insert("median".into(), median);
    out.insert("std".into(), std);
    out.insert("min".into(), min);
    out.insert("max".into(), max);
    out.insert("count".into(), values.len() as f64);
    for &p in &config.percentiles {
        let v = match config.percentile_method {
            PercentileMethod::Linear => stats::percentile_linear_sorted(&s, p),
            PercentileMethod::Nearest => stats::percentile_nearest_sorted(&s, p),
        };
        if let Some(v) = v {
            out.insert(percentile_name(p), v);
        }
    }
    out
}

#[cfg(test)]
mod tests;
