//! Per-run aggregates (docs/metrics.md): turns the request rows of every run into summary statistics
//! and run metrics, each with its provenance, and reconciles them with what the tools printed.
//!
//! This is the only module that builds polars expressions. All runs' request rows go into ONE
//! polars frame (run index, ok, tokens, ttft/e2e/tpot, start time) and all pooled inter-token
//! gaps into a second one; both are aggregated by a single lazy `group_by` on the run index, so
//! millions of rows cost a few vectorised passes plus a per-group selection (or sort, when the
//! group holds nulls) per percentile — no per-run filter loops, no per-row structs.
//!
//! Methods (docs/metrics.md): latency statistics over successful rows with a value only; percentiles
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
use crate::metric::{Level, Metric, MetricKey, Stat};
use crate::model::{ParsedRun, Provenance, Run};

/// Latency metrics computed from the request frame, each with the frame column holding its
/// values of successful requests (ITL comes from the pooled-gap frame).
const ROW_LATENCIES: [(&str, Metric); 3] = [
    ("ttft_ok", Metric::TtftMs),
    ("tpot_ok", Metric::TpotMs),
    ("e2e_ok", Metric::E2eMs),
];

/// Frame counters of the tokens (input + output) of completed requests; not catalogue
/// metrics, only what the total token throughput divides.
const TOTAL_TOKENS_SUM: &str = "total_tokens_sum";
const TOTAL_TOKENS_COUNT: &str = "total_tokens_count";

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
/// Keys of `values` are [`MetricKey`]s as text: every latency of [`Metric::LATENCIES`] with
/// each statistic of [`Stat::BASIC`] and the configured percentiles (`ttft_ms.p99.9`); the run
/// metrics of [`Metric::RUN_VALUES`]; the means of [`Metric::InputTokens`] and
/// [`Metric::OutputTokens`]; and every other key of `run.reported` passed through, including
/// keys the catalogue does not know (`fmbench.transactions_per_minute`). A key is absent when
/// nothing is known about it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RunSummary {
    /// Aggregates by key, in the text order of the keys (the order `summary.json` lists them).
    pub values: BTreeMap<String, Aggregate>,
    /// The duration throughputs and goodput divide by: the run's `duration_s` (reported) or,
    /// when the run has none, the span of its request rows (computed). `None`: unknown.
    pub duration_s: Option<Aggregate>,
    /// Mismatches between computed and reported values and other remarks, each naming the run.
    pub warnings: Vec<String>,
    /// The shape of the TTFT and E2E distributions, for the CDF charts. Not exported
    /// (`summary.json` and `runs.csv` list the configured statistics only).
    #[serde(skip)]
    pub sketch: Sketch,
}

/// Quantiles of a run's successful requests at 0, 1, …, 100 % ([`SKETCH_POINTS`] values, by
/// the configured percentile method); empty when the run has no request rows with the value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sketch {
    /// TTFT quantiles, ms.
    pub ttft_ms: Vec<f64>,
    /// E2E latency quantiles, ms.
    pub e2e_ms: Vec<f64>,
}

/// Quantiles a [`Sketch`] keeps per metric: every whole percent, 0 to 100.
pub const SKETCH_POINTS: usize = 101;

/// The quantiles of one run's successful values of one column, NaN and missing left out.
fn sketch_of(ok: &[bool], values: &[Option<f64>], method: PercentileMethod) -> Vec<f64> {
    let mut v: Vec<f64> = ok
        .iter()
        .zip(values)
        .filter_map(|(&ok, x)| x.filter(|x| ok && !x.is_nan()))
        .collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    (0..SKETCH_POINTS)
        .filter_map(|i| {
            let p = i as f64;
            match method {
                PercentileMethod::Linear => crate::stats::percentile_linear_sorted(&v, p),
                PercentileMethod::Nearest => crate::stats::percentile_nearest_sorted(&v, p),
            }
        })
        .collect()
}

impl RunSummary {
    /// The aggregate of `key`, when the summary has one.
    #[must_use]
    pub fn aggregate(&self, key: MetricKey) -> Option<&Aggregate> {
        self.values.get(&key.to_string())
    }

    /// The value of `key`, when known.
    #[must_use]
    pub fn value(&self, key: MetricKey) -> Option<f64> {
        self.aggregate(key).and_then(|a| a.value)
    }

    fn insert(&mut self, key: MetricKey, aggregate: Aggregate) {
        self.values.insert(key.to_string(), aggregate);
    }
}

impl From<PolarsError> for MetricsError {
    fn from(e: PolarsError) -> Self {
        MetricsError::Engine(e.to_string())
    }
}

/// A configured percentile: the number it is computed at and the level that names it.
#[derive(Debug, Clone, Copy)]
struct Percentile {
    /// As configured (`99.9`).
    p: f64,
    /// Its name in keys (`p99.9`).
    level: Level,
}

/// The configured percentiles without repeats (a repeated one would name two columns alike).
///
/// # Errors
/// A percentile outside 0..=100 or finer than a [`Level`] can name (four decimals).
fn percentiles(config: &MetricsConfig) -> Result<Vec<Percentile>, MetricsError> {
    let mut out: Vec<Percentile> = Vec::with_capacity(config.percentiles.len());
    for &p in &config.percentiles {
        let level = Level::new(p).ok_or(MetricsError::InvalidPercentile(p))?;
        if !out.iter().any(|q| q.level == level) {
            out.push(Percentile { p, level });
        }
    }
    Ok(out)
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
    let percentiles = percentiles(config)?;
    let labels: Vec<String> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| warning_subject(&r.run, i))
        .collect();
    let mut warnings: Vec<Vec<String>> = vec![Vec::new(); runs.len()];
    let row_stats = aggregate_rows(runs, config, &percentiles, slo, &labels, &mut warnings)?;
    let itl_stats = aggregate_itl(runs, config, &percentiles)?;

    let mut out = Vec::with_capacity(runs.len());
    for (i, parsed) in runs.iter().enumerate() {
        let mut summary = RunSummary {
            warnings: std::mem::take(&mut warnings[i]),
            ..RunSummary::default()
        };
        let label = &labels[i];
        let rows = row_stats.get(&i);
        latency_values(&mut summary, rows, &percentiles);
        if let Some(itl) = itl_stats.get(&i) {
            insert_latency(&mut summary, Metric::ItlMs, itl, &percentiles);
        }
        run_metrics(&mut summary, &parsed.run, rows, slo, label);
        merge_reported(&mut summary, &parsed.run, label);
        if let Some(cols) = &parsed.requests {
            let method = config.percentile_method;
            summary.sketch = Sketch {
                ttft_ms: sketch_of(&cols.ok, &cols.ttft_ms, method),
                e2e_ms: sketch_of(&cols.ok, &cols.e2e_ms, method),
            };
        }
        out.push(summary);
    }
    Ok(out)
}

/// Aggregated columns of one run, by output column name: a [`MetricKey`] as text
/// (`ttft_ms.p99`, `output_tokens.sum`) or one of the frame's own counters (`rows`, `good`).
#[derive(Debug, Default)]
struct Stats(HashMap<String, f64>);

impl Stats {
    /// A metric's statistic.
    fn metric(&self, key: MetricKey) -> Option<f64> {
        self.0.get(&key.to_string()).copied()
    }

    /// One of the frame's own counters.
    fn counter(&self, name: &str) -> Option<f64> {
        self.0.get(name).copied()
    }
}

/// Copy the row statistics into `values` (latencies and token means).
fn latency_values(summary: &mut RunSummary, rows: Option<&Stats>, percentiles: &[Percentile]) {
    let Some(rows) = rows else { return };
    for (_, metric) in ROW_LATENCIES {
        insert_latency(summary, metric, rows, percentiles);
    }
    for key in [
        Metric::InputTokens.stat(Stat::Mean),
        Metric::OutputTokens.stat(Stat::Mean),
    ] {
        if let Some(v) = rows.metric(key) {
            summary.insert(key, Aggregate::computed(v));
        }
    }
}

/// Insert `metric.<stat>` from `stats` when the metric has at least one value.
fn insert_latency(
    summary: &mut RunSummary,
    metric: Metric,
    stats: &Stats,
    percentiles: &[Percentile],
) {
    let count = stats.metric(metric.stat(Stat::Count)).unwrap_or(0.0);
    if count <= 0.0 {
        // No value: the metric is unknown for this run, not zero.
        return;
    }
    for stat in latency_stats(percentiles) {
        let key = metric.stat(stat);
        if let Some(v) = stats.metric(key) {
            summary.insert(key, Aggregate::computed(v));
        }
    }
}

/// `mean, median, std, min, max, count, p..` in page order.
fn latency_stats(percentiles: &[Percentile]) -> impl Iterator<Item = Stat> + '_ {
    Stat::BASIC
        .into_iter()
        .chain(percentiles.iter().map(|p| Stat::P(p.level)))
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
            summary.insert(
                Metric::RequestThroughputRps.run_value(),
                Aggregate::derived(completed as f64 / d, formula),
            );
        }
        if let (Some(n), Some(f)) = (run.num_requests, run.num_failed) {
            if n > 0 {
                summary.insert(
                    Metric::ErrorRate.run_value(),
                    Aggregate::derived(f as f64 / n as f64, "num_failed / num_requests"),
                );
            }
        }
        return;
    };

    let get = |k: &str| rows.counter(k).unwrap_or(0.0);
    let output_tokens = |stat: Stat| rows.metric(Metric::OutputTokens.stat(stat)).unwrap_or(0.0);
    let n_rows = get("rows");
    let completed = get("completed");
    let failed = n_rows - completed;
    if n_rows > 0.0 {
        summary.insert(
            Metric::ErrorRate.run_value(),
            Aggregate::computed(failed / n_rows),
        );
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

    let span = match (rows.counter("first_start_s"), rows.counter("last_end_s")) {
        (Some(a), Some(b)) if b > a => Some(b - a),
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

    summary.insert(
        Metric::RequestThroughputRps.run_value(),
        Aggregate::computed(completed / duration),
    );
    // A throughput summed over completed requests is only right when every one has its tokens.
    if output_tokens(Stat::Count) == completed {
        summary.insert(
            Metric::OutputTokenThroughputTps.run_value(),
            Aggregate::computed(output_tokens(Stat::Sum) / duration),
        );
    } else if completed > 0.0 {
        summary.warnings.push(format!(
            "run {label}: {} of {completed} completed requests have no output_tokens: token throughput unknown",
            completed - output_tokens(Stat::Count)
        ));
    }
    if get(TOTAL_TOKENS_COUNT) == completed {
        summary.insert(
            Metric::TotalTokenThroughputTps.run_value(),
            Aggregate::computed(get(TOTAL_TOKENS_SUM) / duration),
        );
    }
    if slo.is_set() {
        summary.insert(
            Metric::GoodputRps.run_value(),
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
                // Only computed keys are here yet, and every one of them is a catalogue key.
                let metric = key
                    .parse::<MetricKey>()
                    .map_or(key.as_str(), |k| k.metric.key());
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
fn warning_subject(run: &Run, i: usize) -> String {
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
fn latency_exprs(
    column: &str,
    metric: Metric,
    config: &MetricsConfig,
    percentiles: &[Percentile],
) -> Vec<Expr> {
    let method = match config.percentile_method {
        PercentileMethod::Linear => QuantileMethod::Linear,
        // polars' `Nearest` rounds the linear index (numpy "nearest"); `Equiprobable` is the
        // nearest rank ceil(p·n) − 1 that `stats::percentile_nearest_sorted` defines.
        PercentileMethod::Nearest => QuantileMethod::Equiprobable,
    };
    let c = || col(column);
    let mut exprs = vec![
        (Stat::Mean, c().mean()),
        (Stat::Median, c().median()),
        (Stat::Std, c().std(0)),
        (Stat::Min, c().min()),
        (Stat::Max, c().max()),
        (Stat::Count, c().count()),
    ];
    for q in percentiles {
        exprs.push((Stat::P(q.level), c().quantile(lit(q.p / 100.0), method)));
    }
    exprs
        .into_iter()
        .map(|(stat, e)| {
            e.cast(DataType::Float64)
                .alias(metric.stat(stat).to_string())
        })
        .collect()
}

/// One frame for all runs' request rows, one group-by → statistics per run index.
fn aggregate_rows(
    runs: &[&ParsedRun],
    config: &MetricsConfig,
    percentiles: &[Percentile],
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
        col("in_ok")
            .mean()
            .alias(Metric::InputTokens.stat(Stat::Mean).to_string()),
        col("out_ok")
            .mean()
            .alias(Metric::OutputTokens.stat(Stat::Mean).to_string()),
        col("out_ok")
            .sum()
            .alias(Metric::OutputTokens.stat(Stat::Sum).to_string()),
        col("out_ok")
            .count()
            .cast(DataType::Float64)
            .alias(Metric::OutputTokens.stat(Stat::Count).to_string()),
        col("total_ok").sum().alias(TOTAL_TOKENS_SUM),
        col("total_ok")
            .count()
            .cast(DataType::Float64)
            .alias(TOTAL_TOKENS_COUNT),
        col("good").cast(DataType::Float64).sum().alias("good"),
        col("start_s").min().alias("first_start_s"),
        col("end_s").max().alias("last_end_s"),
    ];
    for (column, metric) in ROW_LATENCIES {
        aggs.extend(latency_exprs(column, metric, config, percentiles));
    }
    let result = prepared.group_by([col("run")]).agg(aggs).collect()?;
    stats_by_run(&result)
}

/// One frame of every run's pooled inter-token gaps, one group-by → ITL statistics per run.
fn aggregate_itl(
    runs: &[&ParsedRun],
    config: &MetricsConfig,
    percentiles: &[Percentile],
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
        .agg(latency_exprs("itl_ms", Metric::ItlMs, config, percentiles))
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
                    .0
                    .insert(column.name().to_string(), value);
            }
        }
    }
    Ok(out)
}

/// Reference statistics for one metric on plain values, by `crate::stats` (numpy-exact), by
/// statistic (`mean`, `p99`, `count`). Empty input, or a configured percentile no [`Level`]
/// names, gives an empty map. Tests and fidelity checks compare the polars results with this.
#[must_use]
pub fn reference_stats(values: &[f64], config: &MetricsConfig) -> BTreeMap<Stat, f64> {
    use crate::stats;
    let mut out = BTreeMap::new();
    let Ok(percentiles) = percentiles(config) else {
        return out;
    };
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
    out.insert(Stat::Mean, mean);
    out.insert(Stat::Median, median);
    out.insert(Stat::Std, std);
    out.insert(Stat::Min, min);
    out.insert(Stat::Max, max);
    out.insert(Stat::Count, values.len() as f64);
    for Percentile { p, level } in percentiles {
        let v = match config.percentile_method {
            PercentileMethod::Linear => stats::percentile_linear_sorted(&s, p),
            PercentileMethod::Nearest => stats::percentile_nearest_sorted(&s, p),
        };
        if let Some(v) = v {
            out.insert(Stat::P(level), v);
        }
    }
    out
}

#[cfg(test)]
mod tests;
