//! Runs → metrics → prices → budgets → recommendations (docs/metrics.md): everything a build
//! knows before it is turned into pages and exports.

use std::path::{Path, PathBuf};

use crate::budget::{self, Status, Value, Verdict};
use crate::config::Config;
use crate::error::{Error, ExitStatus};
use crate::format;
use crate::ingest::{self, Ingested};
use crate::metric::{Kind, Metric, MetricKey, Stat};
use crate::metrics::{self, Aggregate, RunSummary};
use crate::model::{self, InputFile, Provenance, Run, Skipped};
use crate::pricing::{self, GlobalTable, RunCost};
use crate::recommend::{self, Recommendation};

/// One run after every stage: metrics, price, budgets.
#[derive(Debug, Clone)]
pub struct EvaluatedRun {
    /// The normalized run.
    pub run: Run,
    /// The input root it was read under.
    pub root: PathBuf,
    /// Its aggregates.
    pub summary: RunSummary,
    /// Its price and costs.
    pub cost: RunCost,
    /// One verdict per budget bound.
    pub verdicts: Vec<Verdict>,
    /// Overall budget status (`None`: no budgets).
    pub status: Option<Status>,
}

impl EvaluatedRun {
    /// A float aggregate (`ttft_ms.p99`, `request_throughput_rps`). For the median either
    /// spelling (`median`, `p50`) answers.
    #[must_use]
    pub fn number(&self, key: MetricKey) -> Option<f64> {
        self.aggregate(key).and_then(|a| a.value)
    }

    /// Provenance of an aggregate.
    #[must_use]
    pub fn provenance(&self, key: MetricKey) -> Option<&Provenance> {
        self.aggregate(key).map(|a| &a.provenance)
    }

    fn aggregate(&self, key: MetricKey) -> Option<&Aggregate> {
        let get = |k: MetricKey| self.summary.aggregate(k);
        get(key).or_else(|| key.median_alias().and_then(get))
    }

    /// A metric's value as budgets see it: money exact, everything else float.
    #[must_use]
    pub fn value(&self, key: MetricKey) -> Option<Value> {
        match key.metric.kind() {
            Kind::Money => self.cost.get(key.metric).map(Value::Money),
            Kind::Distribution | Kind::RunValue => self.number(key).map(Value::Float),
        }
    }
}

/// Everything a build evaluated, before it is turned into pages and exports.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Page title.
    pub title: String,
    /// The config file used, as given.
    pub config_path: Option<String>,
    /// The configuration in force.
    pub config: Config,
    /// Runs, sorted for display.
    pub runs: Vec<EvaluatedRun>,
    /// Files read.
    pub inputs: Vec<InputFile>,
    /// Files skipped, with reasons.
    pub skipped: Vec<Skipped>,
    /// Non-fatal findings.
    pub warnings: Vec<String>,
    /// One per group.
    pub recommendations: Vec<Recommendation>,
    /// Best price-performance per dataset: (dataset, run index, sentence).
    pub best: Vec<(String, usize, String)>,
}

/// Evaluate: metrics, prices, budgets, recommendations.
///
/// # Errors
/// A configured price table that cannot be read.
pub fn evaluate(
    ingested: Ingested,
    config: &Config,
    config_path: Option<&Path>,
) -> Result<Evaluation, Error> {
    let global = load_price_tables(config, config_path)?;
    let book = pricing::PriceBook {
        scoped: ingested.prices,
        scoped_tokens: ingested.token_prices,
        global,
        aliases: config.pricing.aliases.clone(),
        region: config.pricing.region.clone(),
        pricing_model: config.pricing.pricing_model.clone(),
    };
    let parsed: Vec<&model::ParsedRun> = ingested.runs.iter().map(|r| &r.parsed).collect();
    let summaries = metrics::summarize(&parsed, &config.metrics, &config.slo)?;
    let mut warnings = Vec::new();
    let mut runs: Vec<EvaluatedRun> = Vec::new();
    for (ir, summary) in ingested.runs.into_iter().zip(summaries) {
        let rates = pricing::Rates {
            request_throughput_rps: summary.value(Metric::RequestThroughputRps.run_value()),
            output_token_throughput_tps: summary
                .value(Metric::OutputTokenThroughputTps.run_value()),
            total_token_throughput_tps: summary.value(Metric::TotalTokenThroughputTps.run_value()),
            input_tokens_mean: summary.value(Metric::InputTokens.stat(Stat::Mean)),
            output_tokens_mean: summary.value(Metric::OutputTokens.stat(Stat::Mean)),
        };
        let cost = book.cost(&ir.parsed.run, &ir.root, &rates);
        warnings.extend(summary.warnings.iter().map(|w| {
            format!(
                "{} ({}): {w}",
                ir.parsed.run.source_file, ir.parsed.run.run_id
            )
        }));
        let mut er = EvaluatedRun {
            run: ir.parsed.run,
            root: ir.root,
            summary,
            cost,
            verdicts: Vec::new(),
            status: None,
        };
        er.verdicts = budget::evaluate(&config.budget, &|m| er.value(m));
        er.status = budget::overall(&er.verdicts);
        runs.push(er);
    }
    runs.sort_by(|a, b| {
        display_order(a)
            .partial_cmp(&display_order(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    // The first upper bound on a latency statistic (README "Configuration", `objective = "min_latency"`).
    let latency_budget = config.budget.iter().find_map(|b| {
        let key = b.metric.key().filter(|k| k.metric.is_latency())?;
        Some((key, b.metric.clone(), b.max?))
    });
    // Config::validate accepts only a cost per unit; a config that skipped it gets the default.
    let cost_metric = config
        .recommend
        .cost_metric()
        .unwrap_or(Metric::CostPer1mRequestsUsd);
    let ctx = recommend::Context {
        objective: config.recommend.objective,
        cost_metric,
        latency_budget: latency_budget
            .as_ref()
            .map(|(_, name, max)| (name.clone(), *max)),
    };
    // A warmup step (inference-benchmarker) is shown but is not a benchmark point to recommend.
    let candidates: Vec<recommend::Candidate> = runs
        .iter()
        .enumerate()
        .filter(|(_, er)| er.run.labels.get("warmup").is_none_or(|w| w != "true"))
        .map(|(i, er)| recommend::Candidate {
            index: i,
            run_id: er.run.run_id.clone(),
            group: config
                .recommend
                .group_by
                .iter()
                .map(|f| (f.clone(), group_value(&er.run, f)))
                .collect(),
            concurrency: er.run.concurrency,
            request_rate: er.run.request_rate_rps.map(model::RequestRate::sort_value),
            load_label: load_sentence(&er.run),
            status: er.status,
            verdicts: er.verdicts.clone(),
            request_throughput_rps: er.number(Metric::RequestThroughputRps.run_value()),
            cost: er.cost.get(cost_metric),
            latency: latency_budget.as_ref().and_then(|(k, _, _)| er.number(*k)),
        })
        .collect();
    let recommendations = recommend::recommend(&candidates, &ctx);
    let best = recommend::best_per_dataset(&recommendations, &candidates, &ctx);
    let title = config
        .title
        .clone()
        .unwrap_or_else(|| "Benchmark report".to_string());
    Ok(Evaluation {
        title,
        config_path: config_path.map(|p| p.display().to_string()),
        config: config.clone(),
        runs,
        inputs: ingested.inputs,
        skipped: ingested.skipped,
        warnings,
        recommendations,
        best,
    })
}

/// Display order: model, instance, dataset, engine, load, then file and index.
fn display_order(er: &EvaluatedRun) -> (String, String, String, String, u32, f64, String, usize) {
    let r = &er.run;
    (
        r.model.clone().unwrap_or_default(),
        r.instance_type.clone().unwrap_or_default(),
        r.dataset.clone().unwrap_or_default(),
        r.engine.clone().unwrap_or_default(),
        r.concurrency.unwrap_or(0),
        r.request_rate_rps
            .map_or(-1.0, model::RequestRate::sort_value),
        r.source_file.clone(),
        r.index_in_file,
    )
}

/// A run's value for a grouping field (`GROUP_FIELDS` in config.rs); `None` when the run does
/// not say, so sentences and page titles can say what is known instead.
#[must_use]
pub fn group_value(run: &model::Run, field: &str) -> Option<String> {
    let n = |v: Option<u32>| v.map(|x| x.to_string());
    match field {
        "model" => run.model.clone(),
        "engine" => run.engine.clone(),
        "engine_version" => run.engine_version.clone(),
        "instance_type" => run.instance_type.clone(),
        "accelerator" => run.accelerator.clone(),
        "dataset" => run.dataset.clone(),
        "source_format" => Some(run.source_format.clone()),
        "source_file" => Some(run.source_file.clone()),
        "input_len" => run.input_len.map(|x| x.to_string()),
        "output_len" => run.output_len.map(|x| x.to_string()),
        "tp" => n(run.tp),
        "pp" => n(run.pp),
        "batch_size" => n(run.batch_size),
        _ => None,
    }
    .filter(|v| !v.trim().is_empty())
}

fn load_sentence(run: &model::Run) -> String {
    match (run.concurrency, run.request_rate_rps) {
        (Some(c), Some(model::RequestRate::Finite(r))) => {
            format!("concurrency {c} at {} req/s", format::float(r))
        }
        (Some(c), _) => format!("concurrency {c}"),
        (None, Some(model::RequestRate::Infinite)) => "an unlimited request rate".into(),
        (None, Some(model::RequestRate::Finite(r))) => format!("{} req/s", format::float(r)),
        (None, None) => String::new(),
    }
}

/// `[pricing] tables`, paths relative to the config file's folder.
fn load_price_tables(
    config: &Config,
    config_path: Option<&Path>,
) -> Result<Vec<GlobalTable>, Error> {
    let base = config_path
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut out = Vec::new();
    for t in &config.pricing.tables {
        let path = if t.is_absolute() {
            t.clone()
        } else {
            base.join(t)
        };
        let (rows, token_prices) = ingest::load_price_table(&path)?;
        out.push(GlobalTable {
            shown: t.to_string_lossy().replace('\\', "/"),
            rows,
            token_prices,
        });
    }
    Ok(out)
}

/// The line `build` prints when done, then the warnings.
#[must_use]
pub fn build_summary(ev: &Evaluation, output: &Path) -> Vec<String> {
    let mut out = vec![format!(
        "built {}: {} run(s) from {} file(s), {} skipped, {} failing a budget",
        output.display(),
        ev.runs.len(),
        ev.inputs.len(),
        ev.skipped.len(),
        ev.count_status(Status::Fail)
    )];
    out.extend(ev.warnings.iter().map(|w| format!("warning: {w}")));
    out
}

/// The `--fail-on-budget` verdict: its exit status, and the line that says why it tripped.
pub struct Gate {
    /// Exit status.
    pub status: ExitStatus,
    /// Why it tripped.
    pub message: Option<String>,
}

/// Apply `--fail-on-budget` (when `enabled`). An unknown verdict (an unpriced run against a
/// cost budget) is not a pass, so it trips the gate too: CI must not go green on a number
/// nobody could check.
#[must_use]
pub fn budget_gate(ev: &Evaluation, enabled: bool) -> Gate {
    let failing = ev.count_status(Status::Fail);
    let unknown = ev.count_status(Status::Unknown);
    if enabled && failing + unknown > 0 {
        Gate {
            status: ExitStatus::GateFailed,
            message: Some(format!(
                "error: {} run(s) do not pass every budget ({failing} fail, {unknown} unknown) (--fail-on-budget)",
                failing + unknown
            )),
        }
    } else {
        Gate {
            status: ExitStatus::Success,
            message: None,
        }
    }
}

impl Evaluation {
    /// Runs whose overall budget status is `status`.
    #[must_use]
    pub fn count_status(&self, status: Status) -> usize {
        self.runs
            .iter()
            .filter(|e| e.status == Some(status))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Bound;
    use crate::ingest::IngestedRun;
    use crate::model::{ParsedRun, RequestColumns, RequestRow};

    /// One run at concurrency 4 over 10 s: ten successful requests with e2e 100, 200, …,
    /// 1000 ms. Linear p99.9 sits at rank 0.999 × 9 = 8.991 → 900 + 0.991 × 100 = 999.1 ms.
    fn ingested() -> Ingested {
        let mut cols = RequestColumns::default();
        for t in 1..=10 {
            cols.push(RequestRow {
                ok: true,
                ttft_ms: Some(10.0),
                e2e_ms: Some(100.0 * f64::from(t)),
                output_tokens: Some(2.0),
                ..RequestRow::default()
            });
        }
        let run = Run {
            run_id: "r".into(),
            concurrency: Some(4),
            duration_s: Some(10.0),
            ..Run::default()
        };
        Ingested {
            runs: vec![IngestedRun {
                parsed: ParsedRun {
                    run,
                    requests: Some(cols),
                },
                root: PathBuf::from("."),
            }],
            ..Ingested::default()
        }
    }

    fn config(toml: &str) -> Config {
        let c: Config = toml::from_str(toml).expect("config parses");
        c.validate(Path::new("t.toml")).expect("config valid");
        c
    }

    #[test]
    fn budgets_on_a_fractional_percentile() {
        let c = config(
            "[metrics]\npercentiles = [99.9]\n\
             [[budget]]\nmetric = \"e2e_ms.p99.9\"\nmax = 1000\n\
             [[budget]]\nmetric = \"e2e_ms.p99.9\"\nmax = 999\nmin = 999\n\
             [[budget]]\nmetric = \"cost_per_10k_requests_usd\"\nmax = 20\n\
             [recommend]\nobjective = \"min_latency\"",
        );
        let ev = evaluate(ingested(), &c, None).expect("evaluates");
        let er = &ev.runs[0];
        let p999 = "e2e_ms.p99.9".parse::<MetricKey>().expect("key");
        let Some(Value::Float(v)) = er.value(p999) else {
            panic!("no p99.9: {:?}", er.summary.values.keys());
        };
        assert!((v - 999.1).abs() < 1e-9, "{v}");
        let got: Vec<(&str, Bound, Status)> = er
            .verdicts
            .iter()
            .map(|v| (v.metric.as_str(), v.bound, v.status))
            .collect();
        assert_eq!(
            got,
            [
                ("e2e_ms.p99.9", Bound::Max, Status::Pass),
                ("e2e_ms.p99.9", Bound::Max, Status::Fail),
                ("e2e_ms.p99.9", Bound::Min, Status::Pass),
                // Unpriced: a cost budget is unknown, never a pass.
                ("cost_per_10k_requests_usd", Bound::Max, Status::Unknown),
            ]
        );
        // (1000 − 999.1) / 1000 = 0.0009; (999 − 999.1) / 999 ≈ −0.0001001.
        let margins: Vec<f64> = er.verdicts.iter().filter_map(|v| v.margin).collect();
        assert!((margins[0] - 0.0009).abs() < 1e-12, "{margins:?}");
        assert!((margins[1] + 0.1 / 999.0).abs() < 1e-12, "{margins:?}");
        assert_eq!(er.status, Some(Status::Fail));
    }

    #[test]
    fn the_first_latency_budget_names_the_recommendation() {
        let c = config(
            "[metrics]\npercentiles = [99.9]\n\
             [[budget]]\nmetric = \"error_rate\"\nmax = 0\n\
             [[budget]]\nmetric = \"e2e_ms.p99.9\"\nmax = 1000\n\
             [recommend]\ncost_metric = \"cost_per_1m_output_tokens_usd\"",
        );
        let ev = evaluate(ingested(), &c, None).expect("evaluates");
        assert_eq!(ev.runs[0].status, Some(Status::Pass));
        let sentence = &ev.recommendations[0].sentence;
        assert!(
            sentence.contains("at e2e_ms.p99.9 999.1") && sentence.contains("the 1000 budget"),
            "{sentence}"
        );
        assert!(
            sentence.contains("cost per 1M output tokens unknown"),
            "{sentence}"
        );
    }
}
