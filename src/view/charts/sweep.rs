//! The load sweeps: TTFT, TPOT and E2E p99 and p50, and the error rate, against concurrency
//! and against the request rate, one line per configuration coloured by its series.

use std::collections::BTreeMap;

use super::{more_suffix, series_name, xy, Axis, ChartSpec, Series, Style, MAX_SERIES, P99};
use crate::evaluate::EvaluatedRun;
use crate::metric::{Metric, Stat};
use crate::model::{RequestRate, Run};

/// A load axis: its axis, how to read a run's load, its name in titles and in file stems.
type LoadAxis = (Axis, fn(&Run) -> Option<f64>, &'static str, &'static str);

/// The loads sweeps are plotted against: concurrency and the finite request rate, each where
/// some series has two values of it at least.
fn load_axes(runs: &[&EvaluatedRun]) -> Vec<LoadAxis> {
    fn concurrency(r: &Run) -> Option<f64> {
        r.concurrency.map(f64::from)
    }
    fn rate(r: &Run) -> Option<f64> {
        match r.request_rate_rps {
            Some(RequestRate::Finite(v)) => Some(v),
            _ => None,
        }
    }
    let varies = |f: fn(&Run) -> Option<f64>| {
        let mut seen: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for r in runs {
            if let Some(v) = f(&r.run) {
                let vs = seen.entry(series_name(&r.run)).or_default();
                if !vs.contains(&v) {
                    vs.push(v);
                }
            }
        }
        seen.values().any(|v| v.len() >= 2)
    };
    let mut out: Vec<LoadAxis> = Vec::new();
    if varies(concurrency) {
        out.push((
            Axis::new("Concurrency", "requests"),
            concurrency,
            "concurrency",
            "concurrency",
        ));
    }
    if varies(rate) {
        out.push((
            Axis::new("Request rate", "req/s"),
            rate,
            "request rate",
            "request-rate",
        ));
    }
    out
}

/// Sweep charts against every load axis the runs vary.
pub(super) fn load_sweep(runs: &[&EvaluatedRun], slug: &str) -> Vec<ChartSpec> {
    load_axes(runs)
        .into_iter()
        .flat_map(|axis| sweep(runs, slug, axis))
        .collect()
}

/// TTFT, TPOT and E2E p99 (thick) and p50 (thin) vs load, and error rate vs load.
fn sweep(runs: &[&EvaluatedRun], slug: &str, axis: LoadAxis) -> Vec<ChartSpec> {
    let (x, load, load_name, load_file) = axis;
    let mut out = Vec::new();
    for (metric, short, file) in [
        (Metric::TtftMs, "TTFT", "ttft"),
        (Metric::TpotMs, "TPOT", "tpot"),
        (Metric::E2eMs, "E2E latency", "e2e"),
    ] {
        let p99 = sweep_lines(runs, load, |r| r.number(metric.stat(P99)));
        let (keep, more) = pick_lines(&p99);
        if keep.is_empty() {
            continue;
        }
        let p50 = sweep_lines(runs, load, |r| r.number(metric.stat(Stat::Median)));
        let mut series = lines(&p99, &keep, Style::PointsLine);
        series.extend(
            lines(&p50, &keep, Style::ThinLine)
                .into_iter()
                .map(|s| Series { legend: false, ..s }),
        );
        out.push(xy(
            slug,
            &format!("{file}-vs-{load_file}"),
            format!(
                "{short} p99 (thick) and p50 (thin) vs {load_name}{}",
                more_suffix(more, "series")
            ),
            format!(
                "{short} p99 and p50 in ms against {load_name}, one line per configuration, coloured by series ({} line(s)).",
                keep.len()
            ),
            x.clone(),
            Axis::new(short, "ms"),
            series,
            Vec::new(),
            Vec::new(),
        ));
    }
    let errors = sweep_lines(runs, load, |r| {
        r.number(Metric::ErrorRate.run_value()).map(|v| v * 100.0)
    });
    let (keep, more) = pick_lines(&errors);
    if !keep.is_empty() {
        out.push(xy(
            slug,
            &format!("error-rate-vs-{load_file}"),
            format!("Error rate vs {load_name}{}", more_suffix(more, "series")),
            format!(
                "Failed requests in percent against {load_name}, one line per configuration, coloured by series ({} line(s)).",
                keep.len()
            ),
            x,
            Axis::new("Error rate", "%"),
            lines(&errors, &keep, Style::PointsLine),
            Vec::new(),
            Vec::new(),
        ));
    }
    out
}

/// The most lines one sweep chart draws.
const MAX_LINES: usize = 24;

/// Sweep lines keyed (series, configuration): the configuration is everything but the load
/// (folder of the file, dataset, lengths, parallelism, batch, the other load setting), so one
/// line is one sweep and never zigzags between configurations, or repeated sweeps in other
/// folders, at the same load. Files of one folder are one sweep (vLLM writes a file per rate).
type Lines = BTreeMap<(String, String), Vec<(f64, f64)>>;

fn sweep_lines(
    runs: &[&EvaluatedRun],
    load: fn(&Run) -> Option<f64>,
    value: impl Fn(&EvaluatedRun) -> Option<f64>,
) -> Lines {
    let mut out: Lines = BTreeMap::new();
    for r in runs {
        let (Some(x), Some(y)) = (load(&r.run), value(r)) else {
            continue;
        };
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let u = &r.run;
        // The load setting that is not on the axis stays part of the configuration.
        let other = if load(u) == u.concurrency.map(f64::from) {
            u.request_rate_rps.map(|r| r.to_string())
        } else {
            u.concurrency.map(|c| c.to_string())
        };
        let config = format!(
            "{:?}",
            (
                u.source_file.rsplit_once('/').map_or("", |(dir, _)| dir),
                &u.dataset,
                u.input_len,
                u.output_len,
                (u.tp, u.pp, u.dp),
                u.batch_size,
                other
            )
        );
        out.entry((series_name(u), config))
            .or_default()
            .push((x, y));
    }
    for points in out.values_mut() {
        points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    }
    // Two loads at least: runs repeated at one load are not a sweep.
    out.retain(|_, p| p.windows(2).any(|w| w[0].0 != w[1].0));
    out
}

/// The lines to draw: those of the [`MAX_SERIES`] series with most points, at most
/// [`MAX_LINES`] (longest first); and how many series were left out.
fn pick_lines(lines: &Lines) -> (Vec<(String, String)>, usize) {
    let mut per_series: BTreeMap<&str, usize> = BTreeMap::new();
    for ((name, _), p) in lines {
        *per_series.entry(name).or_default() += p.len();
    }
    let mut names: Vec<(&str, usize)> = per_series.into_iter().collect();
    names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let more = names.len().saturating_sub(MAX_SERIES);
    names.truncate(MAX_SERIES);
    let mut keep: Vec<(&(String, String), usize)> = lines
        .iter()
        .filter(|((n, _), _)| names.iter().any(|(m, _)| m == n))
        .map(|(k, p)| (k, p.len()))
        .collect();
    keep.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    keep.truncate(MAX_LINES);
    let mut keys: Vec<(String, String)> = keep.into_iter().map(|(k, _)| k.clone()).collect();
    keys.sort();
    (keys, more)
}

/// `keep`'s lines as series; the first line of each series carries the legend entry.
fn lines(all: &Lines, keep: &[(String, String)], style: Style) -> Vec<Series> {
    let mut named: Vec<&str> = Vec::new();
    keep.iter()
        .filter_map(|k| {
            let points = all.get(k)?.clone();
            let legend = !named.contains(&k.0.as_str());
            named.push(&k.0);
            Some(Series {
                name: k.0.clone(),
                points,
                style,
                legend,
                colour: None,
            })
        })
        .collect()
}
