//! G2+: the summaries GuideLLM stored (`metrics.*.successful`, `request_totals`) as
//! `Reported` values with the tool's label and method.

use super::{Generation, Node};
use crate::error::{IngestError, Location};
use crate::metric::Metric;
use crate::model::{Reported, Run};

/// How a GuideLLM metric maps onto bench-report's keys.
pub(super) struct MetricMap {
    /// GuideLLM's metric name under `metrics`.
    source: &'static str,
    /// bench-report key prefix (`ttft_ms`) or a `guidellm.`-prefixed extra.
    key: &'static str,
    /// Factor into bench-report's unit.
    scale: f64,
    /// Weights used by GuideLLM for this metric, when not 1 per request.
    weights: Option<&'static str>,
}

pub(super) const LATENCY_MAPS: [MetricMap; 4] = [
    MetricMap {
        source: "time_to_first_token_ms",
        key: Metric::TtftMs.key(),
        scale: 1.0,
        weights: None,
    },
    MetricMap {
        source: "request_latency",
        key: Metric::E2eMs.key(),
        scale: 1000.0,
        weights: None,
    },
    MetricMap {
        source: "inter_token_latency_ms",
        key: Metric::TpotMs.key(),
        scale: 1.0,
        weights: Some("output_tokens − 1"),
    },
    MetricMap {
        source: "time_per_output_token_ms",
        key: "guidellm.time_per_output_token_ms",
        scale: 1.0,
        weights: Some(Metric::OutputTokens.key()),
    },
];

/// `p001` → `p0.1`, `p05` → `p5`, `p999` → `p99.9` (GuideLLM's percentile keys).
pub(super) fn percentile_key(k: &str) -> Option<&'static str> {
    Some(match k {
        "p001" => "p0.1",
        "p01" => "p1",
        "p05" => "p5",
        "p10" => "p10",
        "p25" => "p25",
        "p50" => "p50",
        "p75" => "p75",
        "p90" => "p90",
        "p95" => "p95",
        "p99" => "p99",
        "p999" => "p99.9",
        _ => return None,
    })
}

/// Copy `metrics.<source>.successful` into `run.reported` with labels and methods.
pub(super) fn report_distribution(
    run: &mut Run,
    metrics: &Node<'_>,
    map: &MetricMap,
) -> Result<(), IngestError> {
    let Some(succ) = metrics.get(map.source).and_then(|m| m.get("successful")) else {
        return Ok(());
    };
    let weighted = map
        .weights
        .map(|w| format!(", weighted by {w}"))
        .unwrap_or_default();
    let label = |stat: &str| format!("{}.successful.{stat}", map.source);
    let unit = if map.scale == 1.0 {
        String::new()
    } else {
        " (s → ms)".into()
    };
    let mut put = |key: String, value: f64, label: String, method: Option<String>| {
        let label = format!("{label}{unit}");
        let rep = match method {
            Some(m) => Reported::with_method(value * map.scale, label, m),
            None => Reported::new(value * map.scale, label),
        };
        run.report(key, rep);
    };
    let nearest = format!(
        "weighted-nearest (first value whose weighted CDF ≥ q, no interpolation{weighted})"
    );
    for (stat, field) in [
        ("mean", "mean"),
        ("std", "std_dev"),
        ("median", "median"),
        ("min", "min"),
        ("max", "max"),
    ] {
        if let Some(v) = succ.f64(field)? {
            let method = match stat {
                "mean" => map.weights.map(|w| format!("weighted mean (weights {w})")),
                "std" => Some(format!("weighted population std (ddof 0{weighted})")),
                "median" => Some(nearest.clone()),
                _ => None,
            };
            put(format!("{}.{stat}", map.key), v, label(field), method);
        }
    }
    if let Some(pcts) = succ.get("percentiles") {
        let obj = pcts.obj()?;
        for k in obj.map.keys() {
            if let Some(p) = percentile_key(k) {
                if let Some(v) = obj.f64(k)? {
                    put(
                        format!("{}.{p}", map.key),
                        v,
                        label(&format!("percentiles.{k}")),
                        Some(nearest.clone()),
                    );
                }
            }
        }
    }
    Ok(())
}

/// The mean of `metrics.<source>.successful`, when present.
pub(super) fn successful_mean(
    metrics: &Node<'_>,
    source: &str,
) -> Result<Option<f64>, IngestError> {
    match metrics.get(source).and_then(|m| m.get("successful")) {
        Some(s) => s.f64("mean"),
        None => Ok(None),
    }
}

/// `request_totals` counts: (successful, errored, incomplete, total).
pub(super) struct Totals {
    pub(super) successful: u64,
    pub(super) errored: u64,
    pub(super) incomplete: u64,
    pub(super) total: u64,
}

pub(super) fn totals(node: &Node<'_>) -> Result<Totals, IngestError> {
    let get = |k: &str| -> Result<u64, IngestError> {
        node.u64(k)?.ok_or_else(|| {
            IngestError::missing(Location::pointer(node.path, format!("{}/{k}", node.ptr)), k)
        })
    };
    Ok(Totals {
        successful: get("successful")?,
        errored: get("errored")?,
        incomplete: get("incomplete")?,
        total: get("total")?,
    })
}

/// Summaries, run metrics and counts shared by G2 and G3+.
pub(super) fn report_metrics(
    run: &mut Run,
    bench: &Node<'_>,
    generation: Generation,
    tokens_double_counted: bool,
) -> Result<Option<Totals>, IngestError> {
    let metrics = bench.req("metrics")?;
    for map in &LATENCY_MAPS {
        report_distribution(run, &metrics, map)?;
    }
    run.definitions.insert(
        Metric::TpotMs.key().into(),
        "GuideLLM inter_token_latency_ms: per request (last token − first token)/(output_tokens − 1); its summary is token-weighted (weights output_tokens − 1), so the mean is the pooled mean gap".into(),
    );
    let tpot_def = if generation == Generation::G2 {
        "(last token − first token)/output_tokens: excludes TTFT and divides by N (not bench-report's TPOT)"
    } else {
        "(last token − request start)/output_tokens: includes TTFT (not bench-report's TPOT)"
    };
    run.notes.push(format!("guidellm.time_per_output_token_ms is GuideLLM's time_per_output_token_ms = {tpot_def}; weighted by output_tokens"));

    let rps_method = if generation == Generation::G2 {
        "mean of GuideLLM's rate distribution = successful requests / (last end − first start of successful requests)"
    } else {
        "mean of GuideLLM's rate distribution = successful request ends inside the measurement window / window"
    };
    if let Some(v) = successful_mean(&metrics, "requests_per_second")? {
        run.report(
            Metric::RequestThroughputRps.run_value(),
            Reported::with_method(v, "requests_per_second.successful.mean", rps_method),
        );
    }
    if let Some(v) = successful_mean(&metrics, "output_tokens_per_second")? {
        run.report(
            Metric::OutputTokenThroughputTps.run_value(),
            Reported::with_method(
                v,
                "output_tokens_per_second.successful.mean",
                "mean of GuideLLM's token-event rate distribution ≈ Σ output tokens / token-event span",
            ),
        );
    }
    if let Some(v) = successful_mean(&metrics, "tokens_per_second")? {
        run.report(
            "guidellm.tokens_per_second.mean",
            Reported::new(v, "tokens_per_second.successful.mean"),
        );
        if tokens_double_counted {
            run.notes.push(
                "guidellm 0.2.x tokens_per_second counts prompt tokens twice (upstream bug): kept only as guidellm.tokens_per_second.mean, not as total_token_throughput_tps".into(),
            );
        } else {
            run.report(
                Metric::TotalTokenThroughputTps.run_value(),
                Reported::with_method(
                    v,
                    "tokens_per_second.successful.mean",
                    "mean of GuideLLM's token-event rate distribution ≈ Σ (prompt + output) tokens / token-event span",
                ),
            );
        }
    }
    for (source, key) in [
        ("request_concurrency", "guidellm.request_concurrency.mean"),
        ("prompt_token_count", "guidellm.prompt_token_count.mean"),
        ("output_token_count", "guidellm.output_token_count.mean"),
    ] {
        if let Some(v) = successful_mean(&metrics, source)? {
            run.report(key, Reported::new(v, format!("{source}.successful.mean")));
        }
    }

    // request_totals sits on the benchmark in G2 and under metrics in G3+.
    let totals_node = bench
        .get("request_totals")
        .or_else(|| metrics.get("request_totals"));
    let Some(node) = totals_node else {
        return Ok(None);
    };
    let t = totals(&node)?;
    run.num_requests = Some(t.total);
    run.num_failed = Some(t.errored + t.incomplete);
    if t.total > 0 {
        #[allow(
            clippy::cast_precision_loss,
            reason = "request counts are far below 2^52"
        )]
        let rate = (t.errored + t.incomplete) as f64 / t.total as f64;
        let method = if generation == Generation::G2 {
            "(errored + incomplete) / total from request_totals; incomplete = cancelled or timed out in flight"
        } else {
            "(errored + incomplete) / total from metrics.request_totals, which counts only requests overlapping the measurement window"
        };
        run.report(
            Metric::ErrorRate.run_value(),
            Reported::with_method(
                rate,
                "request_totals: (errored + incomplete) / total",
                method,
            ),
        );
    }
    Ok(Some(t))
}

/// Status lists in `requests` with whether they count as successful.
pub(super) const STATUSES: [(&str, bool); 3] = [
    ("successful", true),
    ("errored", false),
    ("incomplete", false),
];
