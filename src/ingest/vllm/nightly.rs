//! vLLM's nightly benchmark reports (`benchmark_results.json` / `.md`): each table row a run,
//! its GPU cell the accelerator, and the load and parallelism its test name spells; serving,
//! latency and throughput files beside a nightly report take their test name and GPU from it.

use serde_json::Value;

use super::super::json::{self, Obj};
use super::super::{Parsed, Sidecar, Source};
use crate::error::{IngestError, Location};
use crate::metric::{Level, Metric, MetricKey, Stat};
use crate::model::{ParsedRun, RequestRate, Run};

/// Nightly report table columns copied as reported: (column, our key).
pub(super) const NIGHTLY_COLUMNS: [(&str, MetricKey); 15] = [
    ("Tput (req/s)", Metric::RequestThroughputRps.run_value()),
    (
        "Output Tput (tok/s)",
        Metric::OutputTokenThroughputTps.run_value(),
    ),
    (
        "Total Tput (tok/s)",
        Metric::TotalTokenThroughputTps.run_value(),
    ),
    ("Mean TTFT (ms)", Metric::TtftMs.stat(Stat::Mean)),
    ("Median TTFT (ms)", Metric::TtftMs.stat(Stat::Median)),
    ("P99 TTFT (ms)", Metric::TtftMs.stat(Stat::P(Level::P99))),
    ("Mean TPOT (ms)", Metric::TpotMs.stat(Stat::Mean)),
    ("Median TPOT (ms)", Metric::TpotMs.stat(Stat::Median)),
    ("P99 TPOT (ms)", Metric::TpotMs.stat(Stat::P(Level::P99))),
    ("Mean ITL (ms)", Metric::ItlMs.stat(Stat::Mean)),
    ("Median ITL (ms)", Metric::ItlMs.stat(Stat::Median)),
    ("P99 ITL (ms)", Metric::ItlMs.stat(Stat::P(Level::P99))),
    ("Mean latency (ms)", Metric::E2eMs.stat(Stat::Mean)),
    ("Median latency (ms)", Metric::E2eMs.stat(Stat::Median)),
    ("P99 latency (ms)", Metric::E2eMs.stat(Stat::P(Level::P99))),
];

/// One nightly table row: its JSON pointer and its cells by column name.
type NightlyRow = (String, serde_json::Map<String, Value>);

/// The rows of a nightly `benchmark_results.json`: a list of row records (the corpus's
/// modified harness) or upstream's column-oriented `{"serving": {"Test name": {"0": …}}}`.
fn nightly_rows(value: &Value, path: &std::path::Path) -> Result<Vec<NightlyRow>, IngestError> {
    let mut rows: Vec<NightlyRow> = Vec::new();
    match &value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Object(m) => rows.push((format!("/{i}"), m.clone())),
                    other => {
                        return Err(IngestError::wrong_type(
                            Location::pointer(path, format!("/{i}")),
                            "an object",
                            json::describe(other),
                        ))
                    }
                }
            }
        }
        Value::Object(tables) => {
            for (table, cols) in tables {
                let Value::Object(cols) = cols else { continue };
                let mut by_row: std::collections::BTreeMap<String, serde_json::Map<String, Value>> =
                    Default::default();
                for (col, cells) in cols {
                    if let Value::Object(cells) = cells {
                        for (idx, cell) in cells {
                            by_row
                                .entry(idx.clone())
                                .or_default()
                                .insert(col.clone(), cell.clone());
                        }
                    }
                }
                for (idx, m) in by_row {
                    rows.push((format!("/{table}/{idx}"), m));
                }
            }
        }
        other => {
            return Err(IngestError::wrong_type(
                Location::pointer(path, ""),
                "a list or an object of tables",
                json::describe(other),
            ))
        }
    }
    Ok(rows)
}

/// Nightly `benchmark_results.json`: each row a run, its GPU cell the accelerator and the
/// load and parallelism its test name spells when the row has no column for them.
pub(super) fn nightly_json(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let value = json::parse(source.bytes, source.path)?;
    let rows = nightly_rows(&value, source.path)?;
    // Serving rows also saved as serving_*.json beside this file are read there: a row whose
    // request throughput equals a sibling's is not counted twice.
    let mut sibling_tputs = Vec::new();
    for name in source.list_beside("") {
        if name.ends_with(".json") && name != "benchmark_results.json" {
            let Ok(Some(Sidecar { path, bytes })) = source.beside(&name) else {
                continue;
            };
            if let Ok(v) = json::parse(&bytes, &path) {
                if let Some(t) = v.get("request_throughput").and_then(json::number) {
                    sibling_tputs.push(t);
                }
            }
        }
    }
    let mut parsed = Parsed::default();
    let mut duplicates = 0;
    for (ptr, m) in &rows {
        let o = Obj {
            map: m,
            pointer: ptr,
            path: source.path,
        };
        let tput = o.f64("Tput (req/s)")?;
        if tput.is_some_and(|t| sibling_tputs.contains(&t)) {
            duplicates += 1;
            continue;
        }
        let mut run = Run {
            engine: Some("vllm".into()),
            ..Run::default()
        };
        run.name = o.str("Test name")?;
        run.num_requests = o.u64("# of req.")?;
        for (column, key) in NIGHTLY_COLUMNS {
            run.report_opt(&key.to_string(), o.f64(column)?, column);
        }
        run.notes
            .push("from the nightly report table (no per-request data)".into());
        take_nightly_row(&o, &mut run)?;
        parsed.runs.push(ParsedRun {
            run,
            requests: None,
        });
    }
    if duplicates > 0 {
        parsed.notes.push(format!(
            "{duplicates} row(s) equal a serving_*.json result beside it and are read there"
        ));
    }
    Ok(parsed)
}

/// The nightly row's GPU cell and test name onto `run`: the GPU text as written becomes the
/// accelerator (with a `gpu_count` label when it reads `<N>x<name>`), and the test name gives
/// the load, tp and pp the run lacks.
fn take_nightly_row(o: &Obj<'_>, run: &mut Run) -> Result<(), IngestError> {
    if run.accelerator.is_none() {
        if let Some(gpu) = o.str("GPU")? {
            if let Some(n) = gpu_count(&gpu) {
                run.labels.insert("gpu_count".into(), n.to_string());
            }
            run.accelerator = Some(gpu);
        }
    }
    if let Some(test) = o.str("Test name")? {
        from_test_name(&test, run);
    }
    Ok(())
}

/// `8xH100` → 8: the nightly GPU cell is `{lines of gpu_type}x{first line}`. `None` when the
/// text has no such prefix or names a second multiplier (`1xStandard_ND96asr_v4 x 2`), where
/// the count of accelerators is not what the prefix says.
pub(super) fn gpu_count(gpu: &str) -> Option<u32> {
    let (n, name) = gpu.split_once('x')?;
    let n: u32 = n.parse().ok()?;
    let second = name
        .rsplit_once(" x ")
        .is_some_and(|(_, m)| m.trim().parse::<u32>().is_ok());
    (!name.is_empty() && !second).then_some(n)
}

/// What a nightly test name spells (`serving_llama8B_tp1_sharegpt_qps_1`): `tpN`/`ppN`
/// tokens and the rate after `qps_` (`inf` = all at once). Only fields the run lacks are set,
/// the load only when the run has neither concurrency nor request rate; a note says so.
pub(super) fn from_test_name(test: &str, run: &mut Run) {
    let tokens: Vec<&str> = test.split('_').collect();
    let degree = |prefix: &str| {
        tokens.iter().find_map(|t| {
            let n = t.strip_prefix(prefix)?;
            (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .then(|| n.parse::<u32>().ok())
                .flatten()
        })
    };
    let mut read = Vec::new();
    if run.concurrency.is_none() && run.request_rate_rps.is_none() {
        let rate = tokens
            .windows(2)
            .rfind(|w| w[0] == "qps")
            .and_then(|w| match w[1] {
                "inf" => Some(RequestRate::Infinite),
                x => x
                    .parse::<f64>()
                    .ok()
                    .filter(|r| r.is_finite() && *r > 0.0)
                    .map(RequestRate::Finite),
            });
        if let Some(r) = rate {
            run.request_rate_rps = Some(r);
            read.push(format!("request rate {r} rps"));
        }
    }
    if run.tp.is_none() {
        if let Some(n) = degree("tp") {
            run.tp = Some(n);
            read.push(format!("tp {n}"));
        }
    }
    if run.pp.is_none() {
        if let Some(n) = degree("pp") {
            run.pp = Some(n);
            read.push(format!("pp {n}"));
        }
    }
    if !read.is_empty() {
        run.notes.push(format!(
            "{} read from the test name `{test}` (the file gives none)",
            read.join(", ")
        ));
    }
}

/// A serving, latency or throughput file of a nightly run (beside `benchmark_results.json`,
/// or upstream's `results/` folder): the nightly row that holds it gives its test name and
/// GPU; without one, the file stem is the test name, as the nightly script sets it.
pub(super) fn nightly_file(source: &Source<'_>, run: &mut Run) -> Result<(), IngestError> {
    let in_results = source
        .path
        .parent()
        .and_then(|d| d.file_name())
        .is_some_and(|d| d == "results");
    let stem = source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let upstream_name = ["serving_", "latency_", "throughput_"]
        .iter()
        .any(|p| stem.starts_with(p));
    let beside = source.beside("benchmark_results.json")?;
    if beside.is_none() && !(in_results && upstream_name) {
        return Ok(());
    }
    let tput = run
        .reported
        .get(&Metric::RequestThroughputRps.run_value().to_string())
        .map(|r| r.value);
    if let (Some(Sidecar { path, bytes }), Some(tput)) = (beside, tput) {
        // An unreadable table is reported when that file itself is parsed.
        let rows = json::parse(&bytes, &path)
            .and_then(|v| nightly_rows(&v, &path))
            .unwrap_or_default();
        for (ptr, m) in &rows {
            let o = Obj {
                map: m,
                pointer: ptr,
                path: &path,
            };
            if o.f64("Tput (req/s)").ok().flatten() == Some(tput) {
                if run.name.is_none() {
                    run.name = o.str("Test name")?;
                }
                run.notes.push(
                    "test name and GPU from its row of benchmark_results.json beside it".into(),
                );
                take_nightly_row(&o, run)?;
                return Ok(());
            }
        }
    }
    if upstream_name {
        if run.name.is_none() {
            run.name = Some(stem.clone());
        }
        from_test_name(&stem, run);
    }
    Ok(())
}

/// Nightly markdown: a rendering of `benchmark_results.json` (and the serving files) in the
/// same folder. It is read and listed, but contributes no runs of its own.
pub(super) fn nightly_md(source: &Source<'_>) -> Parsed {
    let mut parsed = Parsed::default();
    if source.has_beside("benchmark_results.json") {
        parsed.notes.push("rendering of benchmark_results.json beside it (6 significant digits); its runs are read there".into());
    } else {
        parsed.notes.push("nightly markdown without benchmark_results.json beside it: its tables hold rounded values only and are not read as runs".into());
    }
    parsed
}
