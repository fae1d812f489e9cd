//! FMBench's own arithmetic, as pure functions (format note §4): per-chunk percentiles,
//! summary rows from chunk rows, price per transaction / per 10k / per token, the three score
//! rule sets, best option, failed list and the per-instance recommendation.
//!
//! These reproduce what FMBench printed, operation for operation, so a test can compare them
//! with FMBench's CSVs bit for bit. They are FMBench's definitions, not bench-report's
//! (docs/metrics.md): callers label every value they attach with the method used here.

use std::collections::BTreeMap;

/// The measured columns that summary rows and chunk rows both carry, in FMBench's units:
/// latencies in seconds, rates per minute, token throughputs per second. In a summary row
/// each is the mean over the chunks (truncated or rounded as noted); in a chunk row, the
/// chunk's own value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measures {
    /// `error_rate`, 2 decimals.
    pub error_rate: Option<f64>,
    /// `prompt_token_count_mean` (truncated mean).
    pub prompt_token_count_mean: Option<f64>,
    /// `prompt_token_throughput`, tokens/s (truncated mean of per-chunk values).
    pub prompt_token_throughput: Option<f64>,
    /// `completion_token_count_mean`.
    pub completion_token_count_mean: Option<f64>,
    /// `completion_token_throughput`, tokens/s.
    pub completion_token_throughput: Option<f64>,
    /// `latency_mean`, s (Jan–May 2024).
    pub latency_mean_s: Option<f64>,
    /// `latency_p50`, s (mean of per-chunk p50s).
    pub latency_p50_s: Option<f64>,
    /// `latency_p95`, s.
    pub latency_p95_s: Option<f64>,
    /// `latency_p99`, s.
    pub latency_p99_s: Option<f64>,
    /// `TTFT_p50`, s.
    pub ttft_p50_s: Option<f64>,
    /// `TTFT_p99`, s.
    pub ttft_p99_s: Option<f64>,
    /// `TPOT_p50`, s.
    pub tpot_p50_s: Option<f64>,
    /// `TPOT_p99`, s.
    pub tpot_p99_s: Option<f64>,
    /// `transactions_per_minute` (truncated mean of per-chunk rates).
    pub transactions_per_minute: Option<f64>,
}

/// FMBench's own column for its error rate (a tool label, spelled as bench-report's key).
pub(super) const ERROR_RATE_COLUMN: &str = "error_rate";

impl Measures {
    /// Read every measured column with `get` (a number by FMBench column name), in the order
    /// FMBench writes them; the first bad cell is the error.
    ///
    /// # Errors
    /// `get`'s error.
    pub fn read<E>(mut get: impl FnMut(&str) -> Result<Option<f64>, E>) -> Result<Measures, E> {
        Ok(Measures {
            error_rate: get(ERROR_RATE_COLUMN)?,
            prompt_token_count_mean: get("prompt_token_count_mean")?,
            prompt_token_throughput: get("prompt_token_throughput")?,
            completion_token_count_mean: get("completion_token_count_mean")?,
            completion_token_throughput: get("completion_token_throughput")?,
            latency_mean_s: get("latency_mean")?,
            latency_p50_s: get("latency_p50")?,
            latency_p95_s: get("latency_p95")?,
            latency_p99_s: get("latency_p99")?,
            ttft_p50_s: get("TTFT_p50")?,
            ttft_p99_s: get("TTFT_p99")?,
            tpot_p50_s: get("TPOT_p50")?,
            tpot_p99_s: get("TPOT_p99")?,
            transactions_per_minute: get("transactions_per_minute")?,
        })
    }
}

/// One summary row (`all_metrics_summary.csv` and the tables derived from it), in FMBench's
/// units: latencies in seconds, rates per minute, token throughputs per second.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryRow {
    /// 1-based line of the record in its file (0 when computed).
    pub line: u64,
    /// The key columns.
    pub head: RowHead,
    /// The measured columns.
    pub measures: Measures,
    /// Scored tables: `price_per_hour` (January).
    pub price_per_hour: Option<f64>,
    /// Scored tables: `price_per_txn` (`inf` possible in January).
    pub price_per_txn: Option<f64>,
    /// Scored tables: `price_per_token`, the 8-decimal text.
    pub price_per_token_text: Option<String>,
    /// Scored tables: `score`.
    pub score: Option<f64>,
    /// Scored tables (Apr 2024 on): `any_criterion_failed`.
    pub any_criterion_failed: Option<bool>,
}

impl SummaryRow {
    /// The run key: (experiment, payload, instance type, instance count with empty → 1,
    /// concurrency).
    #[must_use]
    pub fn key(&self) -> RowKey {
        self.head.key()
    }
}

/// The key columns every summary and chunk row starts with, as written in the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowHead {
    /// `experiment_name`.
    pub experiment_name: String,
    /// `payload_file` (the dataset).
    pub payload_file: String,
    /// `instance_type` (chunk rows: joined from the endpoint table; `instance_type_x` in March).
    pub instance_type: String,
    /// `instance_count` (2.0.x; empty before).
    pub instance_count: Option<f64>,
    /// `concurrency`.
    pub concurrency: u32,
}

impl RowHead {
    /// The run key these columns name.
    #[must_use]
    pub fn key(&self) -> RowKey {
        RowKey::new(
            &self.experiment_name,
            &self.payload_file,
            &self.instance_type,
            self.instance_count,
            self.concurrency,
        )
    }
}

/// The key of one FMBench "experiment run" (one summary row).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    /// Experiment name.
    pub experiment_name: String,
    /// Payload file.
    pub payload_file: String,
    /// Instance type.
    pub instance_type: String,
    /// Instance count × 1000 as an integer (empty → 1, as 2.0.x fills it), for ordering.
    pub instance_count_milli: i64,
    /// Concurrency.
    pub concurrency: u32,
}

impl RowKey {
    /// Build a key; an empty instance count counts as 1 (FMBench 2.0.x `fillna(1)`).
    #[must_use]
    pub fn new(
        experiment: &str,
        payload: &str,
        instance_type: &str,
        count: Option<f64>,
        concurrency: u32,
    ) -> Self {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "instance counts are small whole numbers"
        )]
        let milli = (count.unwrap_or(1.0) * 1000.0).round() as i64;
        RowKey {
            experiment_name: experiment.to_string(),
            payload_file: payload.to_string(),
            instance_type: instance_type.to_string(),
            instance_count_milli: milli,
            concurrency,
        }
    }

    /// The key columns of this key, with `instance_count` as the row has it.
    #[must_use]
    pub fn head(&self, instance_count: Option<f64>) -> RowHead {
        RowHead {
            experiment_name: self.experiment_name.clone(),
            payload_file: self.payload_file.clone(),
            instance_type: self.instance_type.clone(),
            instance_count,
            concurrency: self.concurrency,
        }
    }
}

/// One chunk row (`per_chunk/*.json`, `all_metrics.csv`), FMBench units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChunkRow {
    /// Where it came from (line or file), for messages.
    pub line: u64,
    /// The key columns.
    pub head: RowHead,
    /// `successes`.
    pub successes: Option<f64>,
    /// The measured columns.
    pub measures: Measures,
}

/// Which of FMBench's rule sets priced and scored a table (format note §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSet {
    /// January–early April 2024: `0.5/price_per_txn + 0.5/latency_mean`, 20 s table budget.
    Jan2024,
    /// April–May 2024: budgets, `latency_mean`, the cost bonus uses the per-transaction price.
    Apr2024,
    /// 2.0.x: budgets, `latency_p95` with latitude.
    V2,
}

impl RuleSet {
    /// Short name for labels.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RuleSet::Jan2024 => "2024-01",
            RuleSet::Apr2024 => "2024-04",
            RuleSet::V2 => "2.0.x",
        }
    }
}

/// The `report:` budgets of a config, with FMBench 2.0.x defaults for missing keys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budgets {
    /// `latency_budget`, s (default 10).
    pub latency_budget_s: f64,
    /// `cost_per_10k_txn_budget`, USD (default 5).
    pub cost_per_10k_txn_budget_usd: f64,
    /// `error_rate_budget`, fraction (default 0).
    pub error_rate_budget: f64,
    /// `latency_latitude` (default 0.01).
    pub latency_latitude: f64,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            latency_budget_s: 10.0,
            cost_per_10k_txn_budget_usd: 5.0,
            error_rate_budget: 0.0,
            latency_latitude: 0.01,
        }
    }
}

/// January/March table budget (`globals.py` `LATENCY_BUDGET`).
pub const JAN_LATENCY_BUDGET_S: f64 = 20.0;

/// Per-chunk latency percentiles (p50, p95, p99) the way FMBench 2.0.x computes them:
/// `numpy.percentile` (linear) over the chunk's latencies with missing **and zero** values
/// removed. `None` when nothing remains.
#[must_use]
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "used by the tests to rebuild FMBench's chunk rows from request rows"
    )
)]
pub fn chunk_percentiles(latencies_s: &[Option<f64>]) -> Option<(f64, f64, f64)> {
    let kept: Vec<f64> = latencies_s
        .iter()
        .flatten()
        .copied()
        .filter(|v| *v != 0.0 && !v.is_nan())
        .collect();
    let s = crate::stats::sorted(&kept);
    Some((
        crate::stats::percentile_linear_sorted(&s, 50.0)?,
        crate::stats::percentile_linear_sorted(&s, 95.0)?,
        crate::stats::percentile_linear_sorted(&s, 99.0)?,
    ))
}

/// `numpy.round(x, decimals)`: scale, round half to even on the binary value, unscale.
#[must_use]
pub fn np_round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round_ties_even() / scale
}

/// pandas' group mean: Kahan-compensated sum over the non-missing values / their count.
#[must_use]
pub fn pandas_mean(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (mut sum, mut comp, mut n) = (0.0f64, 0.0f64, 0u32);
    for v in values.into_iter().flatten() {
        if v.is_nan() {
            continue;
        }
        let y = v - comp;
        let t = sum + y;
        comp = (t - sum) - y;
        sum = t;
        n += 1;
    }
    (n > 0).then(|| sum / f64::from(n))
}

/// Summary rows from chunk rows (format note §4.3): group by experiment, payload, instance
/// type, [instance count,] concurrency (sorted, as pandas `groupby`), mean every metric over the
/// chunks, truncate the token and transaction columns, round latencies and error rate to 2
/// decimals and TTFT/TPOT to 4.
#[must_use]
pub fn summarize_chunks(chunks: &[ChunkRow]) -> Vec<SummaryRow> {
    let mut groups: BTreeMap<RowKey, Vec<&ChunkRow>> = BTreeMap::new();
    for c in chunks {
        groups.entry(c.head.key()).or_default().push(c);
    }
    let trunc = |v: Option<f64>| v.map(f64::trunc);
    let r2 = |v: Option<f64>| v.map(|x| np_round(x, 2));
    let r4 = |v: Option<f64>| v.map(|x| np_round(x, 4));
    groups
        .into_iter()
        .map(|(key, rows)| {
            let m = |f: fn(&ChunkRow) -> Option<f64>| pandas_mean(rows.iter().map(|r| f(r)));
            SummaryRow {
                line: 0,
                head: key.head(
                    rows.first()
                        .and_then(|r| r.head.instance_count)
                        .or(Some(1.0))
                        .filter(|_| rows.iter().any(|r| r.head.instance_count.is_some())),
                ),
                measures: Measures {
                    error_rate: r2(m(|r| r.measures.error_rate)),
                    prompt_token_count_mean: trunc(m(|r| r.measures.prompt_token_count_mean)),
                    prompt_token_throughput: trunc(m(|r| r.measures.prompt_token_throughput)),
                    completion_token_count_mean: trunc(m(|r| {
                        r.measures.completion_token_count_mean
                    })),
                    completion_token_throughput: trunc(m(|r| {
                        r.measures.completion_token_throughput
                    })),
                    latency_mean_s: r2(m(|r| r.measures.latency_mean_s)),
                    latency_p50_s: r2(m(|r| r.measures.latency_p50_s)),
                    latency_p95_s: r2(m(|r| r.measures.latency_p95_s)),
                    latency_p99_s: r2(m(|r| r.measures.latency_p99_s)),
                    ttft_p50_s: r4(m(|r| r.measures.ttft_p50_s)),
                    ttft_p99_s: r4(m(|r| r.measures.ttft_p99_s)),
                    tpot_p50_s: r4(m(|r| r.measures.tpot_p50_s)),
                    tpot_p99_s: r4(m(|r| r.measures.tpot_p99_s)),
                    transactions_per_minute: trunc(m(|r| r.measures.transactions_per_minute)),
                },
                ..SummaryRow::default()
            }
        })
        .collect()
}

/// Instance-based `price_per_txn` (format note §4.4).
///
/// - `Jan2024`: `price_per_hour / 60 / TPM`, `inf` when TPM is 0.
/// - `Apr2024`, `V2`: `((price_per_hour / 60) × instance_count) / TPM` with an empty count as 1;
///   TPM 0 → `None`.
#[must_use]
pub fn price_per_txn_hourly(
    rule: RuleSet,
    price_per_hour: f64,
    instance_count: Option<f64>,
    tpm: Option<f64>,
) -> Option<f64> {
    let tpm = tpm?;
    match rule {
        RuleSet::Jan2024 => Some(price_per_hour / 60.0 / tpm),
        RuleSet::Apr2024 | RuleSet::V2 => {
            if tpm == 0.0 {
                None
            } else {
                Some(((price_per_hour / 60.0) * instance_count.unwrap_or(1.0)) / tpm)
            }
        }
    }
}

/// Token-based `price_per_txn` (USD per 1,000 tokens), in each version's operation order: March
/// 2024 `p_in × prompt / 1000 + p_out × completion / 1000`; April 2024 on `(prompt / 1000) × p_in +
/// (completion / 1000) × p_out`. The two can differ in the last bit (W6).
#[must_use]
pub fn price_per_txn_tokens(
    rule: RuleSet,
    in_per_1k: f64,
    out_per_1k: f64,
    prompt_mean: f64,
    completion_mean: f64,
) -> f64 {
    match rule {
        RuleSet::Jan2024 => {
            (in_per_1k * prompt_mean / 1000.0) + (out_per_1k * completion_mean / 1000.0)
        }
        RuleSet::Apr2024 | RuleSet::V2 => {
            (prompt_mean / 1000.0) * in_per_1k + (completion_mean / 1000.0) * out_per_1k
        }
    }
}

/// `price_per_10k_txn = price_per_txn × 10000` (the budget unit).
#[must_use]
pub fn price_per_10k_txn(price_per_txn: f64) -> f64 {
    price_per_txn * 10000.0
}

/// `price_per_token`: `'{:.8f}'.format(price_per_txn / (prompt_mean + completion_mean))`.
#[must_use]
pub fn price_per_token_text(price_per_txn: f64, prompt_mean: f64, completion_mean: f64) -> String {
    format!("{:.8}", price_per_txn / (prompt_mean + completion_mean))
}

/// The verdicts of one scored row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// `score`.
    pub score: f64,
    /// `any_criterion_failed` (`None` in the January rule set, which has no criteria).
    pub any_criterion_failed: Option<bool>,
    /// `error_rate_criterion_failed`.
    pub error_rate_failed: bool,
    /// `latency_criterion_failed`.
    pub latency_failed: bool,
    /// `cost_per_txn_criterion_failed`.
    pub cost_failed: bool,
}

/// January 2024 score: `0.5 × (1 / price_per_txn) + 0.5 × (1 / latency_mean)` (weights ignored).
#[must_use]
pub fn score_jan2024(price_per_txn: f64, latency_mean_s: f64) -> f64 {
    0.5 * (1.0 / price_per_txn) + 0.5 * (1.0 / latency_mean_s)
}

/// April/May 2024 and 2.0.x score (format note §4.6). `latency_s` is `latency_mean` (April) or
/// `latency_p95` (2.0.x); April has no latitude and its cost bonus uses the per-transaction
/// price, not the 10k price (FMBench's bug, kept).
#[must_use]
pub fn score_budgeted(
    rule: RuleSet,
    row: &SummaryRow,
    price_per_txn: Option<f64>,
    b: &Budgets,
) -> Score {
    let mut score = 0.0;
    let error_ok = row
        .measures
        .error_rate
        .is_some_and(|e| e <= b.error_rate_budget);
    if error_ok {
        score += 1.0;
    }
    let (latency, limit) = match rule {
        RuleSet::V2 => (
            row.measures.latency_p95_s,
            (1.0 + b.latency_latitude) * b.latency_budget_s,
        ),
        _ => (row.measures.latency_mean_s, b.latency_budget_s),
    };
    let latency_ok = latency.is_some_and(|l| l <= limit);
    if let (true, Some(l)) = (latency_ok, latency) {
        score += 1.0 + (b.latency_budget_s - l) / b.latency_budget_s;
    }
    let cost_ok =
        price_per_txn.is_some_and(|p| price_per_10k_txn(p) <= b.cost_per_10k_txn_budget_usd);
    if let (true, Some(p)) = (cost_ok, price_per_txn) {
        let used = if rule == RuleSet::V2 {
            price_per_10k_txn(p)
        } else {
            p
        };
        score += 1.0 + (b.cost_per_10k_txn_budget_usd - used) / b.cost_per_10k_txn_budget_usd;
    }
    let all = error_ok && latency_ok && cost_ok;
    if all {
        score += f64::from(row.head.concurrency);
    }
    Score {
        score,
        any_criterion_failed: Some(!all),
        error_rate_failed: !error_ok,
        latency_failed: !latency_ok,
        cost_failed: !cost_ok,
    }
}

/// True when `payload_file` belongs to the dataset of interest (`str.contains`, which for the
/// plain names FMBench uses is a substring test).
#[must_use]
pub fn in_dataset_of_interest(payload_file: &str, dataset_of_interest: &str) -> bool {
    payload_file.contains(dataset_of_interest)
}

/// Indices of `scores` sorted by score descending (FMBench's scored-table order; ties keep
/// input order, which FMBench's unstable sort does not promise).
#[must_use]
pub(crate) fn score_order(scores: &[Option<f64>]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len())
        .filter(|&i| scores.get(i).copied().flatten().is_some())
        .collect();
    idx.sort_by(|&a, &b| {
        let sa = scores
            .get(a)
            .copied()
            .flatten()
            .unwrap_or(f64::NEG_INFINITY);
        let sb = scores
            .get(b)
            .copied()
            .flatten()
            .unwrap_or(f64::NEG_INFINITY);
        sb.total_cmp(&sa)
    });
    idx
}

/// `…best_option.csv`: the rows with the maximum score.
#[must_use]
pub fn best_option(scores: &[Option<f64>]) -> Vec<usize> {
    let max = scores
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    (0..scores.len())
        .filter(|&i| scores.get(i).copied().flatten() == Some(max))
        .collect()
}

/// `…best_option_each_instance_type.csv`: per instance type (sorted, as `groupby`), the first
/// row with the maximum score (`idxmax`).
#[must_use]
pub fn best_per_instance_type(rows: &[SummaryRow], scores: &[Option<f64>]) -> Vec<(String, usize)> {
    let mut best: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(s) = scores.get(i).copied().flatten() else {
            continue;
        };
        match best.get(&row.head.instance_type) {
            Some((_, b)) if *b >= s => {}
            _ => {
                best.insert(row.head.instance_type.clone(), (i, s));
            }
        }
    }
    best.into_iter().map(|(k, (i, _))| (k, i)).collect()
}

/// The failed-experiments table: rows with a failed criterion, in score order.
#[must_use]
pub fn failed_rows(scores: &[Option<f64>], failed: &[bool]) -> Vec<usize> {
    score_order(scores)
        .into_iter()
        .filter(|&i| failed.get(i).copied().unwrap_or(false))
        .collect()
}

/// One line of the "Per instance results" table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BestOption {
    /// Instance type.
    pub instance_type: String,
    /// Payload file.
    pub payload_file: String,
    /// The chosen row, or `None` ("did not find any combination").
    pub chosen: Option<usize>,
}

/// The per-instance table (format note §4.6): for every (instance type, payload) pair, in the
/// order the pairs first appear in `rows` (summary order), the rows with `error_rate == 0` and
/// latency ≤ the budget (`latency_p95` in 2.0.x, `latency_mean` before; no latitude, no cost
/// budget), choosing the highest concurrency (the first such row when experiments share it).
#[must_use]
pub fn per_instance_recommendations(
    rows: &[SummaryRow],
    rule: RuleSet,
    latency_budget_s: f64,
) -> Vec<BestOption> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for r in rows {
        let pair = (r.head.instance_type.clone(), r.head.payload_file.clone());
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    pairs
        .into_iter()
        .map(|(instance_type, payload_file)| {
            let mut chosen: Option<usize> = None;
            for (i, r) in rows.iter().enumerate() {
                if r.head.instance_type != instance_type || r.head.payload_file != payload_file {
                    continue;
                }
                let latency = if rule == RuleSet::V2 {
                    r.measures.latency_p95_s
                } else {
                    r.measures.latency_mean_s
                };
                let ok = r.measures.error_rate == Some(0.0)
                    && latency.is_some_and(|l| l <= latency_budget_s);
                if !ok {
                    continue;
                }
                let better = match chosen.and_then(|c| rows.get(c)) {
                    Some(c) => r.head.concurrency > c.head.concurrency,
                    None => true,
                };
                if better {
                    chosen = Some(i);
                }
            }
            BestOption {
                instance_type,
                payload_file,
                chosen,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fmbench_rules_w1_price_per_txn() {
        // Format note W1: (1.212 / 60 * 1.0) / 911 printed as 2.217343578485181e-05.
        let p = price_per_txn_hourly(RuleSet::V2, 1.212, Some(1.0), Some(911.0));
        assert_eq!(p, Some(2.217343578485181e-05));
    }

    #[test]
    fn fmbench_rules_w2_score_and_token_price() {
        // Format note W2: trn1 concurrency 14, 21.50 $/h, TPM 409.
        let ppt = price_per_txn_hourly(RuleSet::V2, 21.5, Some(1.0), Some(409.0)).unwrap();
        assert_eq!(ppt, 0.000876120619396903);
        assert_eq!(format!("{:.2}", price_per_10k_txn(ppt)), "8.76");
        assert_eq!(price_per_token_text(ppt, 3433.0, 42.0), "0.00000025");
    }

    #[test]
    fn fmbench_rules_w5_w6_january_march() {
        // W5: 37.688 / 60 / 30 and its score with latency_mean 8.04.
        let ppt = price_per_txn_hourly(RuleSet::Jan2024, 37.688, None, Some(30.0)).unwrap();
        assert_eq!(ppt, 0.020937777777777777);
        assert_eq!(score_jan2024(ppt, 8.04), 23.942469250013993);
        assert_eq!(
            price_per_txn_hourly(RuleSet::Jan2024, 20.36, None, Some(0.0)),
            Some(f64::INFINITY)
        );
        // W6: Claude Instant, 1623 / 60 tokens at 0.0008 / 0.0024 per 1k.
        let t = price_per_txn_tokens(RuleSet::Jan2024, 0.0008, 0.0024, 1623.0, 60.0);
        assert_eq!(t, 0.0014424);
        assert_eq!(score_jan2024(t, 2.18), 346.873839218021);
        assert_eq!(
            price_per_txn_tokens(RuleSet::V2, 0.0008, 0.0024, 1623.0, 60.0),
            0.0014424000000000001
        );
    }

    #[test]
    fn fmbench_rules_np_round() {
        assert_eq!(np_round(2.959893439999951, 2), 2.96);
        assert_eq!(np_round(0.125, 2), 0.12); // half to even on the binary value
    }
}
