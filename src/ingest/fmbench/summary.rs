//! FMBench's verdicts for a folder's summary rows, and the runs built from those rows.

use std::collections::BTreeMap;

use super::folder::Folder;
use super::rules::{self, Measures, RowKey, RuleSet, Score, SummaryRow, ERROR_RATE_COLUMN};
use crate::metric::{Level, Metric, Stat};
use crate::model::{ParsedRun, Reported, Run};

/// What FMBench's rules say about one summary row.
#[derive(Debug, Clone, Default)]
pub(super) struct Verdict {
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
pub(super) fn analyze(rows: &[SummaryRow], folder: &Folder) -> (RuleSet, Vec<Verdict>) {
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
                .is_some_and(|d| rules::in_dataset_of_interest(&row.head.payload_file, d));
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
                        let s = match (v.price_per_txn, row.measures.latency_mean_s) {
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
pub(super) fn price_for(rule: RuleSet, row: &SummaryRow, folder: &Folder) -> Option<f64> {
    if let Some(&p) = folder.hourly.get(&row.head.instance_type) {
        return rules::price_per_txn_hourly(
            rule,
            p,
            row.head.instance_count,
            row.measures.transactions_per_minute,
        );
    }
    let &(i, o) = folder.tokens.get(&row.head.instance_type)?;
    Some(rules::price_per_txn_tokens(
        rule,
        i,
        o,
        row.measures.prompt_token_count_mean?,
        row.measures.completion_token_count_mean?,
    ))
}

/// Recompute price and score of scored rows; returns (equal, checked).
pub(super) fn check_scores(rows: &[SummaryRow], folder: &Folder) -> (usize, usize) {
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
            RuleSet::Jan2024 => row
                .measures
                .latency_mean_s
                .map(|l| rules::score_jan2024(price, l)),
            _ => Some(rules::score_budgeted(rule, row, Some(price), &budgets).score),
        };
        if row.price_per_txn == Some(price) && score == Some(file_score) {
            ok += 1;
        }
    }
    (ok, checked)
}

/// Compare recomputed summary rows with the printed ones: (rows equal in every metric, printed rows).
pub(super) fn cross_check(computed: &[SummaryRow], printed: &[SummaryRow]) -> (usize, usize) {
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
                close(c.measures.error_rate, p.measures.error_rate)
                    && close(
                        c.measures.prompt_token_count_mean,
                        p.measures.prompt_token_count_mean,
                    )
                    && close(
                        c.measures.prompt_token_throughput,
                        p.measures.prompt_token_throughput,
                    )
                    && close(
                        c.measures.completion_token_count_mean,
                        p.measures.completion_token_count_mean,
                    )
                    && close(
                        c.measures.completion_token_throughput,
                        p.measures.completion_token_throughput,
                    )
                    && close(c.measures.latency_mean_s, p.measures.latency_mean_s)
                    && close(c.measures.latency_p50_s, p.measures.latency_p50_s)
                    && close(c.measures.latency_p95_s, p.measures.latency_p95_s)
                    && close(c.measures.latency_p99_s, p.measures.latency_p99_s)
                    && close(
                        c.measures.transactions_per_minute,
                        p.measures.transactions_per_minute,
                    )
            })
        })
        .count();
    (matched, printed.len())
}

// ---------------------------------------------------------------------------------------------
// Runs.

/// A run from a summary row: fields, FMBench's printed numbers as `reported`, and its verdicts.
pub(super) fn run_from_row(
    row: &SummaryRow,
    verdict: &Verdict,
    rule: RuleSet,
    folder: &Folder,
    from: &str,
) -> Run {
    let mut run = Run {
        name: Some(row.head.experiment_name.clone()),
        ..Run::default()
    };
    run.dataset = (!row.head.payload_file.is_empty()).then(|| row.head.payload_file.clone());
    run.instance_type =
        (!row.head.instance_type.is_empty()).then(|| row.head.instance_type.clone());
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "instance counts are small whole numbers"
    )]
    {
        run.instance_count = row
            .head
            .instance_count
            .filter(|c| *c >= 1.0 && c.fract() == 0.0)
            .map(|c| c as u32);
    }
    run.concurrency = Some(row.head.concurrency);
    run.source_tool_version.clone_from(&folder.version);
    if let Some((date, how)) = &folder.date {
        run.date = Some(date.clone());
        run.notes.push(format!("date {date} from {how}"));
    }
    if let Some(cfg) = &folder.config {
        if let Some(e) = cfg.experiment(&row.head.experiment_name) {
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
        row.head.experiment_name.clone(),
    );
    run.labels
        .insert("fmbench.rule_set".into(), rule.name().into());
    run.notes.push(format!("FMBench summary row from {from}"));

    let chunk = |stat: &str| format!("mean of per-chunk {stat}, rounded to 2 decimals");
    let ms = |v: Option<f64>| v.map(|s| s * 1000.0);
    let put = |run: &mut Run, key: String, value: Option<f64>, label: &str, method: String| {
        if let Some(v) = value {
            run.report(key, Reported::with_method(v, label, method));
        }
    };
    put(
        &mut run,
        Metric::E2eMs.stat(Stat::Mean).into(),
        ms(row.measures.latency_mean_s),
        "latency_mean",
        chunk("mean latency"),
    );
    put(
        &mut run,
        Metric::E2eMs.stat(Stat::P(Level::P50)).into(),
        ms(row.measures.latency_p50_s),
        "latency_p50",
        chunk("p50"),
    );
    put(
        &mut run,
        Metric::E2eMs.stat(Stat::P(Level::P95)).into(),
        ms(row.measures.latency_p95_s),
        "latency_p95",
        "mean of per-chunk p95".into(),
    );
    put(
        &mut run,
        Metric::E2eMs.stat(Stat::P(Level::P99)).into(),
        ms(row.measures.latency_p99_s),
        "latency_p99",
        chunk("p99"),
    );
    let r4 = |stat: &str| format!("mean of per-chunk {stat}, rounded to 4 decimals");
    put(
        &mut run,
        Metric::TtftMs.stat(Stat::P(Level::P50)).into(),
        ms(row.measures.ttft_p50_s),
        "TTFT_p50",
        r4("p50"),
    );
    put(
        &mut run,
        Metric::TtftMs.stat(Stat::P(Level::P99)).into(),
        ms(row.measures.ttft_p99_s),
        "TTFT_p99",
        r4("p99"),
    );
    put(
        &mut run,
        Metric::TpotMs.stat(Stat::P(Level::P50)).into(),
        ms(row.measures.tpot_p50_s),
        "TPOT_p50",
        r4("p50 of per-request TPOT"),
    );
    put(
        &mut run,
        Metric::TpotMs.stat(Stat::P(Level::P99)).into(),
        ms(row.measures.tpot_p99_s),
        "TPOT_p99",
        r4("p99 of per-request TPOT"),
    );
    put(&mut run, Metric::ErrorRate.run_value().into(), row.measures.error_rate, ERROR_RATE_COLUMN, "mean of per-chunk error rates, rounded to 2 decimals; HTTP error bodies count as successes".into());
    put(
        &mut run,
        "fmbench.transactions_per_minute".into(),
        row.measures.transactions_per_minute,
        "transactions_per_minute",
        "int(mean over chunks of int(round(successes / chunk elapsed, 2) × 60))".into(),
    );
    put_throughputs(&mut run, &row.measures);
    put(
        &mut run,
        "fmbench.prompt_token_count_mean".into(),
        row.measures.prompt_token_count_mean,
        "prompt_token_count_mean",
        "int(mean of per-chunk means)".into(),
    );
    put(
        &mut run,
        "fmbench.completion_token_count_mean".into(),
        row.measures.completion_token_count_mean,
        "completion_token_count_mean",
        "int(mean of per-chunk means)".into(),
    );
    put(
        &mut run,
        "fmbench.prompt_token_throughput_tps".into(),
        row.measures.prompt_token_throughput,
        "prompt_token_throughput",
        "int(mean of per-chunk tokens / chunk elapsed)".into(),
    );
    put(
        &mut run,
        "fmbench.completion_token_throughput_tps".into(),
        row.measures.completion_token_throughput,
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
        if let (Some(pm), Some(cm)) = (
            row.measures.prompt_token_count_mean,
            row.measures.completion_token_count_mean,
        ) {
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

    run.definitions.insert(Metric::E2eMs.key().into(), "FMBench's latency is the wall time of the blocking endpoint call; its summary percentiles are means of per-chunk percentiles (one chunk = `concurrency` requests fired together), not percentiles over all requests.".into());
    run.definitions.insert("fmbench.transactions_per_minute".into(), "FMBench's transactions per minute is the truncated mean of per-chunk rates (successes / chunk elapsed), not completed requests / total time; one fast chunk (e.g. a quick error body) dominates it.".into());
    run.definitions.insert(Metric::ErrorRate.run_value().into(), "FMBench counts a request as failed only when its completion or completion-token count is missing; an HTTP error body that parses counts as a success.".into());
    run.definitions.insert("fmbench.price_per_txn_usd".into(), "FMBench spreads the hourly price over its transactions_per_minute (price/60 × instance_count / TPM) instead of the measured duration; token-priced endpoints use per-1k token prices × token means.".into());
    run.definitions.insert("fmbench.best_option".into(), "FMBench's best option is the maximum score, which is dominated by the highest passing concurrency, not the highest throughput.".into());
    if row.measures.tpot_p50_s.is_some() {
        run.definitions.insert(Metric::TpotMs.key().into(), "FMBench's time_per_output_token is a per-request mean of the gaps after the first token (the same per-request definition); its summary p50/p99 are means of per-chunk percentiles.".into());
    }
    run
}

/// FMBench's throughputs as bench-report's run-level throughputs, reported with FMBench's
/// method, so a priced run gets a cost per 1M requests / tokens. FMBench truncates its means to
/// whole numbers, so a 0 only says "below 1 per minute (or second)": it stays unknown, with a
/// note, rather than becoming a throughput of zero.
fn put_throughputs(run: &mut Run, m: &Measures) {
    let mut put = |metric: Metric, value: Option<f64>, label: &str, method: &str| match value {
        Some(v) if v > 0.0 => {
            run.report(metric.run_value(), Reported::with_method(v, label, method))
        }
        Some(_) => run.notes.push(format!(
            "FMBench's {label} is 0 (a truncated mean): {} left unknown",
            metric.run_value()
        )),
        None => {}
    };
    put(
        Metric::RequestThroughputRps,
        m.transactions_per_minute.map(|tpm| tpm / 60.0),
        "transactions_per_minute / 60",
        "transactions_per_minute / 60; FMBench counts transactions per chunk (successes / chunk elapsed, one chunk = `concurrency` requests fired together) and truncates the mean over chunks (see its definition)",
    );
    put(
        Metric::OutputTokenThroughputTps,
        m.completion_token_throughput,
        "completion_token_throughput",
        "FMBench's completion_token_throughput: int(mean over chunks of completion tokens / chunk elapsed), tokens counted by FMBench's tokenizer (see its definition)",
    );
    put(
        Metric::TotalTokenThroughputTps,
        m.prompt_token_throughput
            .zip(m.completion_token_throughput)
            .map(|(p, c)| p + c),
        "prompt_token_throughput + completion_token_throughput",
        "sum of FMBench's prompt_token_throughput and completion_token_throughput, each int(mean over chunks of tokens / chunk elapsed) (see its definition)",
    );
    let per_chunk = "FMBench's rate is the truncated mean of per-chunk rates (count / chunk elapsed, one chunk = `concurrency` requests fired together), not count / total run time; one fast chunk (e.g. a quick error body) dominates it.";
    for metric in [
        Metric::RequestThroughputRps,
        Metric::OutputTokenThroughputTps,
        Metric::TotalTokenThroughputTps,
    ] {
        if run.reported.contains_key(&metric.run_value().to_string()) {
            run.definitions
                .insert(metric.run_value().into(), per_chunk.into());
        }
    }
}

pub(super) fn runs_from_summary(
    rows: &[SummaryRow],
    folder: &Folder,
    from: &str,
) -> Vec<ParsedRun> {
    let (rule, verdicts) = analyze(rows, folder);
    rows.iter()
        .zip(&verdicts)
        .map(|(row, v)| ParsedRun {
            run: run_from_row(row, v, rule, folder, from),
            requests: None,
        })
        .collect()
}
