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
mod tests {
    use super::*;
    use crate::model::{Reported, RequestColumns, RequestRow};

    fn close(got: Option<f64>, want: f64, what: &str) {
        let got = got.unwrap_or_else(|| panic!("{what}: no value, want {want}"));
        assert!(
            relative_difference(got, want) <= 1e-12,
            "{what}: got {got}, want {want}"
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        ok: bool,
        inp: f64,
        out: Option<f64>,
        ttft: f64,
        e2e: f64,
        tpot: Option<f64>,
    ) -> RequestRow {
        RequestRow {
            ok,
            error: (!ok).then(|| "timeout".to_string()),
            input_tokens: Some(inp),
            output_tokens: out,
            ttft_ms: Some(ttft),
            e2e_ms: Some(e2e),
            tpot_ms: tpot,
            start_s: None,
        }
    }

    /// Run A: five successful requests and one failed one, duration 10 s, ITL gaps, reported values.
    fn run_a() -> ParsedRun {
        let mut cols = RequestColumns::default();
        //            ok     in     out         ttft  e2e    given tpot
        cols.push(row(true, 100.0, Some(11.0), 10.0, 110.0, None)); // tpot (110-10)/10 = 10
        cols.push(row(true, 100.0, Some(21.0), 20.0, 420.0, None)); // tpot (420-20)/20 = 20
        cols.push(row(true, 200.0, Some(1.0), 30.0, 30.0, None)); // out 1: no tpot
        cols.push(row(true, 200.0, Some(5.0), 40.0, 200.0, Some(30.0))); // given 30 (derived would be 40)
        cols.push(row(true, 400.0, Some(2.0), 50.0, 100.0, None)); // tpot (100-50)/1 = 50
                                                                   // Failed: would be the minimum of every latency and would meet every SLO if counted.
        cols.push(row(false, 100.0, Some(3.0), 1.0, 5.0, None));
        cols.itl_ms = vec![5.0, 15.0, 10.0, 30.0];
        let mut run = Run {
            source_file: "a.json".into(),
            name: Some("A".into()),
            duration_s: Some(10.0),
            num_requests: Some(6),
            num_failed: Some(1),
            ..Run::default()
        };
        run.report("ttft_ms.mean", Reported::new(30.0, "mean_ttft_ms"));
        run.report("e2e_ms.mean", Reported::new(175.0, "mean_e2el_ms"));
        run.report(
            "tpot_ms.std",
            Reported::with_method(16.0, "std_tpot_ms", "sample std (ddof 1)"),
        );
        run.report(
            "request_throughput_rps",
            Reported::new(0.5, "request_throughput"),
        );
        run.report("fmbench.score", Reported::new(7.0, "score"));
        ParsedRun {
            run,
            requests: Some(cols),
        }
    }

    /// Run B: ten successful requests with ttft 1..=10 ms only; no duration, no start times.
    fn run_b() -> ParsedRun {
        let mut cols = RequestColumns::default();
        for t in 1..=10 {
            cols.push(RequestRow {
                ok: true,
                ttft_ms: Some(f64::from(t)),
                ..RequestRow::default()
            });
        }
        let run = Run {
            source_file: "b.json".into(),
            ..Run::default()
        };
        ParsedRun {
            run,
            requests: Some(cols),
        }
    }

    /// Run C: no request rows, only run fields and the tool's summary.
    fn run_c() -> ParsedRun {
        let mut run = Run {
            source_file: "c.json".into(),
            num_requests: Some(100),
            num_failed: Some(4),
            duration_s: Some(50.0),
            ..Run::default()
        };
        run.report("ttft_ms.p99", Reported::new(123.0, "p99_ttft_ms"));
        run.report(
            "output_token_throughput_tps",
            Reported::new(900.0, "output_throughput"),
        );
        ParsedRun {
            run,
            requests: None,
        }
    }

    /// Run D: no duration_s but start times: duration from the span of the requests.
    fn run_d() -> ParsedRun {
        let mut cols = RequestColumns::default();
        for (start_s, e2e, out) in [(0.0, 1000.0, 10.0), (1.5, 500.0, 30.0)] {
            cols.push(RequestRow {
                ok: true,
                input_tokens: Some(10.0),
                output_tokens: Some(out),
                ttft_ms: Some(100.0),
                e2e_ms: Some(e2e),
                start_s: Some(start_s),
                ..RequestRow::default()
            });
        }
        ParsedRun {
            run: Run {
                source_file: "d.json".into(),
                ..Run::default()
            },
            requests: Some(cols),
        }
    }

    fn slo() -> Slo {
        Slo {
            ttft_ms: Some(40.0),
            tpot_ms: Some(30.0),
            e2e_ms: Some(300.0),
        }
    }

    #[test]
    fn metrics_by_hand_linear() {
        let (a, b, c, d) = (run_a(), run_b(), run_c(), run_d());
        let out =
            summarize(&[&a, &b, &c, &d], &MetricsConfig::default(), &slo()).expect("summarize");
        assert_eq!(out.len(), 4);
        let s = &out[0];
        let v = |k: &str| s.value(k);

        // ttft of the 5 successful rows: 10 20 30 40 50 (the failed row's 1 ms is excluded).
        // mean 150/5 = 30; median 30; std sqrt((400+100+0+100+400)/5) = sqrt(200);
        // linear p90: h = 4*0.9 = 3.6 → 40 + 0.6*10 = 46; p95: h = 3.8 → 48; p99: h = 3.96 → 49.6.
        close(v("ttft_ms.mean"), 30.0, "ttft mean");
        close(v("ttft_ms.median"), 30.0, "ttft median");
        close(v("ttft_ms.std"), 200f64.sqrt(), "ttft std");
        close(v("ttft_ms.min"), 10.0, "ttft min");
        close(v("ttft_ms.max"), 50.0, "ttft max");
        close(v("ttft_ms.count"), 5.0, "ttft count");
        close(v("ttft_ms.p90"), 46.0, "ttft p90");
        close(v("ttft_ms.p95"), 48.0, "ttft p95");
        close(v("ttft_ms.p99"), 49.6, "ttft p99");

        // tpot: 10, 20, (out = 1 excluded), 30 given, 50 → [10 20 30 50]; the failed row's
        // derived (5-1)/2 = 2 is excluded. mean 110/4 = 27.5; median (20+30)/2 = 25;
        // std: deviations -17.5 -7.5 2.5 22.5 → 306.25+56.25+6.25+506.25 = 875, /4 = 218.75;
        // p90: h = 3*0.9 = 2.7 → 30 + 0.7*20 = 44; p95: h = 2.85 → 47; p99: h = 2.97 → 49.4.
        close(v("tpot_ms.mean"), 27.5, "tpot mean");
        close(v("tpot_ms.median"), 25.0, "tpot median");
        close(v("tpot_ms.std"), 218.75f64.sqrt(), "tpot std");
        close(v("tpot_ms.min"), 10.0, "tpot min");
        close(v("tpot_ms.max"), 50.0, "tpot max");
        close(v("tpot_ms.count"), 4.0, "tpot count");
        close(v("tpot_ms.p90"), 44.0, "tpot p90");
        close(v("tpot_ms.p95"), 47.0, "tpot p95");
        close(v("tpot_ms.p99"), 49.4, "tpot p99");

        // e2e sorted: 30 100 110 200 420. mean 860/5 = 172; median 110;
        // deviations -142 -72 -62 28 248 → 20164+5184+3844+784+61504 = 91480, /5 = 18296;
        // p90: h = 3.6 → 200 + 0.6*220 = 332; p95: h = 3.8 → 376; p99: h = 3.96 → 411.2.
        close(v("e2e_ms.mean"), 172.0, "e2e mean");
        close(v("e2e_ms.median"), 110.0, "e2e median");
        close(v("e2e_ms.std"), 18296f64.sqrt(), "e2e std");
        close(v("e2e_ms.min"), 30.0, "e2e min");
        close(v("e2e_ms.max"), 420.0, "e2e max");
        close(v("e2e_ms.count"), 5.0, "e2e count");
        close(v("e2e_ms.p90"), 332.0, "e2e p90");
        close(v("e2e_ms.p95"), 376.0, "e2e p95");
        close(v("e2e_ms.p99"), 411.2, "e2e p99");

        // itl sorted: 5 10 15 30. mean 15; median 12.5; deviations -10 -5 0 15 → 350/4 = 87.5;
        // p90: h = 2.7 → 15 + 0.7*15 = 25.5; p95: h = 2.85 → 27.75; p99: h = 2.97 → 29.55.
        close(v("itl_ms.mean"), 15.0, "itl mean");
        close(v("itl_ms.median"), 12.5, "itl median");
        close(v("itl_ms.std"), 87.5f64.sqrt(), "itl std");
        close(v("itl_ms.min"), 5.0, "itl min");
        close(v("itl_ms.max"), 30.0, "itl max");
        close(v("itl_ms.count"), 4.0, "itl count");
        close(v("itl_ms.p90"), 25.5, "itl p90");
        close(v("itl_ms.p95"), 27.75, "itl p95");
        close(v("itl_ms.p99"), 29.55, "itl p99");

        // Tokens of the completed requests: in 100+100+200+200+400 = 1000, out 11+21+1+5+2 = 40.
        close(v("input_tokens.mean"), 200.0, "input mean");
        close(v("output_tokens.mean"), 8.0, "output mean");
        // 5 completed / 10 s; 40 / 10; 1040 / 10; 1 failed of 6.
        close(v("request_throughput_rps"), 0.5, "rps");
        close(v("output_token_throughput_tps"), 4.0, "output tps");
        close(v("total_token_throughput_tps"), 104.0, "total tps");
        close(v("error_rate"), 1.0 / 6.0, "error rate");
        // SLO ttft ≤ 40, tpot ≤ 30, e2e ≤ 300: row 0 yes; row 1 no (e2e 420); row 2 yes (out 1
        // → tpot 0); row 3 yes (ttft 40, given tpot 30, both at the limit); row 4 no (ttft 50);
        // the failed row meets every SLO but does not count. 3 good / 10 s.
        close(v("goodput_rps"), 0.3, "goodput");
        assert_eq!(s.values["goodput_rps"].provenance, Provenance::Computed);
        assert_eq!(s.duration_s.as_ref().and_then(|d| d.value), Some(10.0));

        // Reported values: kept next to the computed ones.
        assert_eq!(s.values["ttft_ms.mean"].reported, Some(30.0));
        assert_eq!(s.values["ttft_ms.mean"].provenance, Provenance::Computed);
        assert_eq!(s.values["e2e_ms.mean"].reported, Some(175.0));
        assert_eq!(s.values["tpot_ms.std"].reported, Some(16.0));
        assert_eq!(s.values["request_throughput_rps"].reported, Some(0.5));
        let score = &s.values["fmbench.score"];
        assert_eq!(score.value, Some(7.0));
        assert_eq!(
            score.provenance,
            Provenance::Reported {
                label: "score".into(),
                method: None
            }
        );
        // Exactly one warning: e2e mean 172 vs 175 (tpot std differs by method: no warning).
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        let w = &s.warnings[0];
        assert!(
            w.contains("a.json#0 (A)") && w.contains("e2e_ms.mean"),
            "{w}"
        );
        assert!(
            w.contains("172") && w.contains("175") && w.contains("mean_e2el_ms"),
            "{w}"
        );

        // B: ttft 1..=10: mean 5.5, median 5.5, std sqrt((100-1)/12) = sqrt(8.25);
        // p90: h = 9*0.9 = 8.1 → 9.1; p95: h = 8.55 → 9.55; p99: h = 8.91 → 9.91.
        let s = &out[1];
        close(s.value("ttft_ms.mean"), 5.5, "B mean");
        close(s.value("ttft_ms.median"), 5.5, "B median");
        close(s.value("ttft_ms.std"), 8.25f64.sqrt(), "B std");
        close(s.value("ttft_ms.p90"), 9.1, "B p90");
        close(s.value("ttft_ms.p95"), 9.55, "B p95");
        close(s.value("ttft_ms.p99"), 9.91, "B p99");
        // Duration unknown: no throughput, no goodput (unknown, not 0); error rate known (0/10).
        assert!(s.duration_s.is_none());
        for key in [
            "request_throughput_rps",
            "output_token_throughput_tps",
            "goodput_rps",
            "e2e_ms.mean",
            "tpot_ms.mean",
        ] {
            assert!(
                s.value(key).is_none(),
                "{key} should be unknown: {:?}",
                s.values.get(key)
            );
        }
        assert_eq!(s.value("error_rate"), Some(0.0));
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("b.json#0") && w.contains("duration unknown")),
            "{:?}",
            s.warnings
        );

        // C: no rows. (100 − 4) / 50 = 1.92 rps and 4/100 error rate, derived from run fields;
        // the tool's values pass through as reported.
        let s = &out[2];
        close(s.value("request_throughput_rps"), 1.92, "C rps");
        assert!(matches!(
            s.values["request_throughput_rps"].provenance,
            Provenance::Derived { .. }
        ));
        close(s.value("error_rate"), 0.04, "C error rate");
        assert_eq!(s.value("ttft_ms.p99"), Some(123.0));
        assert_eq!(
            s.values["ttft_ms.p99"].provenance,
            Provenance::Reported {
                label: "p99_ttft_ms".into(),
                method: None
            }
        );
        assert_eq!(s.value("output_token_throughput_tps"), Some(900.0));
        assert!(s.value("goodput_rps").is_none() && s.value("ttft_ms.mean").is_none());
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);

        // D: span max(0 + 1.0, 1.5 + 0.5) − 0 = 2 s → 2/2 = 1 rps, 40/2 = 20 tps, 60/2 = 30;
        // ttft 100 > 40 for both: goodput known and 0.
        let s = &out[3];
        let d = s.duration_s.as_ref().expect("duration from span");
        assert_eq!((d.value, &d.provenance), (Some(2.0), &Provenance::Computed));
        close(s.value("request_throughput_rps"), 1.0, "D rps");
        close(s.value("output_token_throughput_tps"), 20.0, "D tps");
        close(s.value("total_token_throughput_tps"), 30.0, "D total");
        assert_eq!(s.value("goodput_rps"), Some(0.0));
    }

    #[test]
    fn metrics_by_hand_nearest() {
        let (a, b) = (run_a(), run_b());
        let config = MetricsConfig {
            percentiles: vec![50.0, 90.0, 95.0, 99.0],
            percentile_method: PercentileMethod::Nearest,
        };
        let out = summarize(&[&a, &b], &config, &Slo::default()).expect("summarize");
        // Nearest rank: index ceil(p/100 · n) − 1 in the sorted values.
        // A ttft (n = 5): p50 ceil(2.5) = 3 → 30; p90 ceil(4.5) = 5 → 50; p95, p99 → 50.
        let s = &out[0];
        close(s.value("ttft_ms.p50"), 30.0, "ttft p50");
        close(s.value("ttft_ms.p90"), 50.0, "ttft p90");
        close(s.value("ttft_ms.p99"), 50.0, "ttft p99");
        // A tpot [10 20 30 50] (n = 4): p50 ceil(2) = 2 → 20 (linear: 25); p90 ceil(3.6) = 4 → 50.
        close(s.value("tpot_ms.p50"), 20.0, "tpot p50");
        close(s.value("tpot_ms.p90"), 50.0, "tpot p90");
        // The median stays the median.
        close(s.value("tpot_ms.median"), 25.0, "tpot median");
        // A itl [5 10 15 30]: p50 → 10; p95 ceil(3.8) = 4 → 30.
        close(s.value("itl_ms.p50"), 10.0, "itl p50");
        close(s.value("itl_ms.p95"), 30.0, "itl p95");
        // No SLO: no goodput.
        assert!(s.value("goodput_rps").is_none());
        // B 1..=10: p50 ceil(5) = 5 → 5 (linear 5.5); p90 ceil(9) = 9 → 9; p95 ceil(9.5) = 10 → 10.
        let s = &out[1];
        close(s.value("ttft_ms.p50"), 5.0, "B p50");
        close(s.value("ttft_ms.p90"), 9.0, "B p90");
        close(s.value("ttft_ms.p95"), 10.0, "B p95");
        close(s.value("ttft_ms.p99"), 10.0, "B p99");
    }

    #[test]
    fn metrics_unknown_and_bad_inputs_do_not_panic() {
        // Short columns (a parser bug), NaN values, zero duration, no runs at all.
        let mut cols = RequestColumns::default();
        cols.push(RequestRow {
            ok: true,
            ttft_ms: Some(f64::NAN),
            ..RequestRow::default()
        });
        cols.push(RequestRow {
            ok: true,
            ttft_ms: Some(4.0),
            ..RequestRow::default()
        });
        cols.e2e_ms.pop();
        let run = Run {
            duration_s: Some(0.0),
            ..Run::default()
        };
        let parsed = ParsedRun {
            run,
            requests: Some(cols),
        };
        let out = summarize(&[&parsed], &MetricsConfig::default(), &slo()).expect("summarize");
        let s = &out[0];
        assert_eq!(s.value("ttft_ms.count"), Some(1.0));
        assert_eq!(s.value("ttft_ms.mean"), Some(4.0));
        assert!(s.value("request_throughput_rps").is_none());
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("e2e_ms has 1 entries for 2 rows")),
            "{:?}",
            s.warnings
        );
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("not a positive duration")),
            "{:?}",
            s.warnings
        );
        assert!(summarize(&[], &MetricsConfig::default(), &slo())
            .expect("empty")
            .is_empty());
        // A repeated percentile is computed once.
        let twice = MetricsConfig {
            percentiles: vec![90.0, 90.0],
            ..MetricsConfig::default()
        };
        let out = summarize(&[&parsed], &twice, &slo()).expect("repeated percentile");
        assert_eq!(out[0].value("ttft_ms.p90"), Some(4.0));
        let bad = MetricsConfig {
            percentiles: vec![101.0],
            ..MetricsConfig::default()
        };
        assert!(matches!(
            summarize(&[&parsed], &bad, &slo()),
            Err(MetricsError::InvalidPercentile(_))
        ));
    }

    /// A fixed 64-bit LCG (Knuth's MMIX constants): reproducible values without a dependency.
    struct Lcg(u64);
    impl Lcg {
        fn next_f64(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// 10 000 random rows over three runs (with failed rows and missing values) and pooled ITL:
    /// every polars statistic equals `crate::stats` (numpy-exact) to 1e-9 relative, for both
    /// percentile methods.
    #[test]
    fn metrics_random_rows_match_reference_stats() {
        let mut rng = Lcg(42);
        let sizes = [6_000usize, 3_999, 1];
        let mut runs = Vec::new();
        for &n in &sizes {
            let mut cols = RequestColumns::default();
            for _ in 0..n {
                let ok = rng.next_f64() > 0.1;
                let missing = rng.next_f64() < 0.05;
                let ttft = 50.0 + 500.0 * rng.next_f64();
                let out = (1.0 + 200.0 * rng.next_f64()).floor();
                cols.push(RequestRow {
                    ok,
                    input_tokens: Some(100.0),
                    output_tokens: Some(out),
                    ttft_ms: (!missing).then_some(ttft),
                    e2e_ms: Some(ttft + 10_000.0 * rng.next_f64()),
                    tpot_ms: Some(5.0 + 45.0 * rng.next_f64()),
                    ..RequestRow::default()
                });
            }
            cols.itl_ms = (0..n * 3)
                .map(|_| 100.0 * rng.next_f64() * rng.next_f64())
                .collect();
            runs.push(ParsedRun {
                run: Run::default(),
                requests: Some(cols),
            });
        }
        let refs: Vec<&ParsedRun> = runs.iter().collect();
        let mut compared = 0;
        for method in [PercentileMethod::Linear, PercentileMethod::Nearest] {
            let config = MetricsConfig {
                percentiles: vec![1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9],
                percentile_method: method,
            };
            let out = summarize(&refs, &config, &Slo::default()).expect("summarize");
            for (parsed, summary) in runs.iter().zip(&out) {
                let cols = parsed.requests.as_ref().expect("rows");
                let ok_values = |v: &[Option<f64>]| -> Vec<f64> {
                    v.iter()
                        .zip(&cols.ok)
                        .filter(|(_, ok)| **ok)
                        .filter_map(|(x, _)| *x)
                        .collect()
                };
                let metrics = [
                    ("ttft_ms", ok_values(&cols.ttft_ms)),
                    ("e2e_ms", ok_values(&cols.e2e_ms)),
                    ("tpot_ms", ok_values(&cols.tpot_ms)),
                    ("itl_ms", cols.itl_ms.clone()),
                ];
                for (metric, values) in metrics {
                    let reference = reference_stats(&values, &config);
                    if values.is_empty() {
                        assert!(summary.value(&format!("{metric}.count")).is_none());
                        continue;
                    }
                    assert_eq!(reference.len(), 6 + config.percentiles.len());
                    for (stat, want) in reference {
                        let key = format!("{metric}.{stat}");
                        let got = summary
                            .value(&key)
                            .unwrap_or_else(|| panic!("{key} missing"));
                        let rel = relative_difference(got, want);
                        assert!(
                            rel <= 1e-9,
                            "{} {key}: polars {got}, stats {want}, rel {rel}",
                            method.name()
                        );
                        compared += 1;
                    }
                }
            }
        }
        // Both methods × at least the two large runs × 4 metrics × 13 statistics.
        assert!(compared >= 2 * 2 * 4 * 13, "{compared}");
    }

    /// Rough timing for large inputs (debug builds are slow; run with --release --ignored).
    #[test]
    #[ignore = "timing only"]
    fn metrics_timing_two_million_rows() {
        let mut rng = Lcg(7);
        let mut runs = Vec::new();
        for _ in 0..20 {
            let mut cols = RequestColumns::default();
            for _ in 0..100_000 {
                let ttft = 50.0 + 500.0 * rng.next_f64();
                cols.push(RequestRow {
                    ok: true,
                    input_tokens: Some(100.0),
                    output_tokens: Some(100.0),
                    ttft_ms: Some(ttft),
                    e2e_ms: Some(ttft + 1000.0 * rng.next_f64()),
                    start_s: Some(rng.next_f64()),
                    ..RequestRow::default()
                });
            }
            runs.push(ParsedRun {
                run: Run::default(),
                requests: Some(cols),
            });
        }
        let refs: Vec<&ParsedRun> = runs.iter().collect();
        let t = std::time::Instant::now();
        let out = summarize(&refs, &MetricsConfig::default(), &slo()).expect("summarize");
        eprintln!("2M rows, 20 runs: {:?}", t.elapsed());
        assert_eq!(out.len(), 20);
    }
}
