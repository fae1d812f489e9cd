//! The markdown tables that TGI's `text-generation-benchmark` prints on exit
//! (`formats/tgi.md` Part 2; huggingface/text-generation-inference `benchmark/src/table.rs`),
//! as users paste them into `.md` files, often several table pairs under their own headings.
//!
//! One run per (latency table, batch size). The numbers are server-internal step timings
//! (prefill, one decode token, the whole decode), not request latencies, so they are kept
//! under `tgi.*` keys, never mapped to TTFT/TPOT/E2E. Cells blanked by the tool's vertical
//! merge are forward-filled; `NaN` cells mean "no data".

use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::{ParsedRun, Reported, Run};

/// The `tgi` parser.
pub struct Tgi;

fn has_tables(text: &str) -> bool {
    text.contains("| Step") && text.contains("Batch Size") && text.contains("Decode (token)")
}

impl Parser for Tgi {
    fn name(&self) -> &'static str {
        "tgi"
    }

    fn describe(&self) -> &'static str {
        "text-generation-benchmark markdown tables (TGI)"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        if !matches!(probe.extension.as_str(), "md" | "txt") {
            return Sniff::no("not a markdown or text file");
        }
        if has_tables(&probe.text()) {
            Sniff::certain(
                "text-generation-benchmark tables (Step | Batch Size | … with Decode (token))",
            )
        } else {
            Sniff::no("no text-generation-benchmark table")
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let text = String::from_utf8_lossy(source.bytes);
        parse_text(&text, source.path)
    }
}

/// A pipe-table row's cells, or `None` for a separator or non-table line.
fn cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if !t.starts_with('|') || !t.ends_with('|') || t.len() < 2 {
        return None;
    }
    let inner = &t[1..t.len() - 1];
    if inner
        .chars()
        .all(|c| matches!(c, '-' | '|' | ':' | ' ' | '+'))
    {
        return None;
    }
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

/// `"141.97 ms"` / `"7.04 tokens/secs"` / `"NaN ms"` → number (NaN → None).
fn value(cell: &str, unit: &str) -> Option<Result<Option<f64>, ()>> {
    let v = cell.strip_suffix(unit)?.trim();
    Some(match v.parse::<f64>() {
        Ok(x) if x.is_nan() => Ok(None),
        Ok(x) => Ok(Some(x)),
        Err(_) => Err(()),
    })
}

fn parse_text(text: &str, path: &std::path::Path) -> Result<Parsed, IngestError> {
    let mut parsed = Parsed::default();
    let mut heading = String::new();
    let mut params: Vec<(String, String)> = Vec::new();
    // The table being read: its header, and the previous row for forward-fill.
    let mut header: Option<Vec<String>> = None;
    let mut prev: Vec<String> = Vec::new();
    // Runs of the latest latency table, by batch size, waiting for their throughput table.
    let mut open: Vec<(String, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let t = line.trim();
        if t.starts_with('#') {
            heading = t.trim_start_matches('#').trim().to_string();
            continue;
        }
        let Some(row) = cells(line) else {
            if !t.starts_with('|') {
                header = None;
            }
            continue;
        };
        match &header {
            None => {
                header = Some(row.clone());
                prev = vec![String::new(); row.len()];
                if row.first().is_some_and(|c| c == "Parameter") {
                    params.clear();
                }
                if row.first().is_some_and(|c| c == "Step") && row.len() == 8 {
                    open.clear(); // a new latency table starts a new set of runs
                }
                continue;
            }
            Some(h) => {
                if row.len() != h.len() {
                    return Err(IngestError::invalid(
                        Location::line(path, line_no, None),
                        format!(
                            "expected {} cells as in the table header, found {}",
                            h.len(),
                            row.len()
                        ),
                    ));
                }
                let filled: Vec<String> = row
                    .iter()
                    .zip(&prev)
                    .map(|(c, p)| if c.is_empty() { p.clone() } else { c.clone() })
                    .collect();
                prev.clone_from(&filled);
                let kind = h.first().map(String::as_str).unwrap_or("");
                if kind == "Parameter" {
                    if let (Some(k), Some(v)) = (filled.first(), filled.get(1)) {
                        params.push((k.clone(), v.clone()));
                    }
                    continue;
                }
                if kind != "Step" {
                    continue;
                }
                let step = filled.first().cloned().unwrap_or_default();
                let batch = filled.get(1).cloned().unwrap_or_default();
                let (prefix, unit, stats): (&str, &str, &[&str]) = match (h.len(), step.as_str()) {
                    (8, "Prefill") => (
                        "tgi.prefill_latency_ms",
                        "ms",
                        &["mean", "min", "max", "p50", "p90", "p99"],
                    ),
                    (8, "Decode (token)") => (
                        "tgi.decode_token_latency_ms",
                        "ms",
                        &["mean", "min", "max", "p50", "p90", "p99"],
                    ),
                    (8, "Decode (total)") => (
                        "tgi.decode_total_latency_ms",
                        "ms",
                        &["mean", "min", "max", "p50", "p90", "p99"],
                    ),
                    (5, "Prefill") => (
                        "tgi.prefill_throughput",
                        "tokens/secs",
                        &["mean", "min", "max"],
                    ),
                    (5, "Decode") => (
                        "tgi.decode_throughput_tps",
                        "tokens/secs",
                        &["mean", "min", "max"],
                    ),
                    _ => {
                        return Err(IngestError::invalid(
                            Location::line(path, line_no, Some("Step")),
                            format!("unknown step {step:?}"),
                        ));
                    }
                };
                if h.len() == 8 && step == "Prefill" && !open.iter().any(|(b, _)| *b == batch) {
                    let mut run = Run {
                        engine: Some("tgi".into()),
                        ..Run::default()
                    };
                    run.batch_size = batch.parse().ok();
                    run.name = Some(if heading.is_empty() {
                        format!("batch {batch}")
                    } else {
                        format!("{heading}, batch {batch}")
                    });
                    for (k, v) in &params {
                        match k.as_str() {
                            "Model" => run.model = Some(v.clone()),
                            "Sequence Length" => run.input_len = v.parse().ok(),
                            "Decode Length" => run.output_len = v.parse().ok(),
                            _ => {
                                run.labels.insert(
                                    format!("tgi.{}", k.to_lowercase().replace(' ', "_")),
                                    v.clone(),
                                );
                            }
                        }
                    }
                    if !heading.is_empty() {
                        run.labels.insert("section".into(), heading.clone());
                    }
                    run.notes.push("text-generation-benchmark: server-internal step timings (gRPC to the shards), not request latencies; no request counts, errors or duration".into());
                    run.definitions.insert("tgi.*.p50/p90/p99".into(), "text-generation-benchmark percentiles are the element at index floor(p·n) of the run-order list (not sorted, not interpolated)".into());
                    run.definitions.insert("tgi.prefill_throughput".into(), "before TGI 2.4.1 the prefill 'tokens/secs' is batch / prefill time, i.e. requests per second".into());
                    parsed.runs.push(ParsedRun {
                        run,
                        requests: None,
                    });
                    open.push((batch.clone(), parsed.runs.len() - 1));
                }
                let Some(&(_, idx)) = open.iter().find(|(b, _)| *b == batch) else {
                    return Err(IngestError::invalid(
                        Location::line(path, line_no, Some("Batch Size")),
                        format!("batch size {batch:?} has no Prefill row above it"),
                    ));
                };
                for (j, stat) in stats.iter().enumerate() {
                    let cell = filled.get(j + 2).map(String::as_str).unwrap_or("");
                    match value(cell, unit) {
                        Some(Ok(Some(x))) => {
                            let col = h.get(j + 2).cloned().unwrap_or_default();
                            let method = if stat.starts_with('p') {
                                Some("run-order index floor(p·n)")
                            } else {
                                None
                            };
                            let label = format!("{step} {col}");
                            let rep = match method {
                                Some(m) => Reported::with_method(x, label, m),
                                None => Reported::new(x, label),
                            };
                            if let Some(pr) = parsed.runs.get_mut(idx) {
                                pr.run.report(format!("{prefix}.{stat}"), rep);
                            }
                        }
                        Some(Ok(None)) => {}
                        Some(Err(())) | None => {
                            return Err(IngestError::wrong_type(
                                Location::line(path, line_no, h.get(j + 2).map(String::as_str)),
                                format!("a number with unit {unit:?} or NaN"),
                                format!("{cell:?}"),
                            ));
                        }
                    }
                }
            }
        }
    }
    if parsed.runs.is_empty() {
        parsed.not_input =
            Some("not a benchmark file: no text-generation-benchmark latency table".into());
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::testing::{
        corpus, detect, detect_and_parse_all, fixture_path, parse_file, parse_fixture,
    };

    #[test]
    fn tgi_two_batches() {
        let f = fixture_path("tgi/two_batches.md");
        assert_eq!(
            detect(&f, &fixture_path("")).map_err(|e| e.to_string()),
            Ok("tgi")
        );
        let p = parse_fixture(&Tgi, "tgi/two_batches.md").expect("parses");
        // One run per batch size of the latency table: batches 1 and 2.
        assert_eq!(p.runs.len(), 2);
        let (b1, b2) = (&p.runs[0].run, &p.runs[1].run);
        assert_eq!((b1.batch_size, b2.batch_size), (Some(1), Some(2)));
        assert_eq!(b1.name.as_deref(), Some("tp_2, batch 1"));
        assert_eq!(b1.labels["section"], "tp_2");
        // The parameter table fills model and lengths; other parameters become labels.
        assert_eq!(b1.model.as_deref(), Some("org/tiny-7b"));
        assert_eq!((b1.input_len, b1.output_len), (Some(512), Some(16)));
        assert_eq!(b1.labels["tgi.n_runs"], "5");
        assert_eq!(b1.engine.as_deref(), Some("tgi"));
        let r = |run: &Run, k: &str| run.reported[k].value;
        assert_eq!(r(b1, "tgi.prefill_latency_ms.mean"), 100.0);
        assert_eq!(r(b1, "tgi.prefill_latency_ms.p50"), 99.0);
        assert_eq!(r(b1, "tgi.decode_token_latency_ms.min"), 19.0);
        assert_eq!(r(b1, "tgi.decode_total_latency_ms.p99"), 310.0);
        // Batch 2's blank Prefill cell and its blank p99 are the tool's vertical merge: the
        // cell above (Prefill, 110.00 ms) fills them.
        assert_eq!(r(b2, "tgi.prefill_latency_ms.p99"), 110.0);
        assert_eq!(r(b2, "tgi.decode_total_latency_ms.mean"), 375.0);
        // Throughput rows land on the batch's run: prefill 1 / 0.100 s = 10 tokens/secs at
        // batch 1 (2 / 0.200 s = 10 at batch 2); decode 1 token / 0.020 s = 50 tokens/secs at
        // batch 1 and 2 tokens / 0.025 s = 80 at batch 2.
        assert_eq!(r(b1, "tgi.prefill_throughput.mean"), 1.0 / 0.100);
        assert_eq!(r(b2, "tgi.prefill_throughput.mean"), 2.0 / 0.200);
        assert_eq!(r(b1, "tgi.decode_throughput_tps.mean"), 1.0 / 0.020);
        assert_eq!(r(b2, "tgi.decode_throughput_tps.mean"), 2.0 / 0.025);
        assert_eq!(r(b2, "tgi.decode_throughput_tps.max"), 83.33);
        assert_eq!(
            b1.reported["tgi.prefill_latency_ms.p90"].method.as_deref(),
            Some("run-order index floor(p·n)")
        );
        // 3 latency steps × 6 statistics + 2 throughput steps × 3 statistics.
        assert_eq!(b1.reported.len(), 3 * 6 + 2 * 3);
        assert_eq!(b2.reported.len(), 3 * 6 + 2 * 3);
    }

    #[test]
    fn tgi_tp8_printed_values_and_batch_runs() {
        let Some(root) = corpus() else { return };
        let f = root.join(
            "tgi/DataCrunch-io-text-generation-inference-benchmark-2023-06/bloomz-7b1-mt/tp_8.md",
        );
        let p = parse_file(&Tgi, &f, &root).expect("parses");
        let b1 = p
            .runs
            .iter()
            .find(|r| r.run.batch_size == Some(1))
            .expect("batch 1");
        // formats/tgi.md 2.2 excerpt: Prefill b=1 141.97 ms average, Decode b=1 34.35 tokens/secs.
        assert_eq!(b1.run.reported["tgi.prefill_latency_ms.mean"].value, 141.97);
        assert_eq!(
            b1.run.reported["tgi.decode_token_latency_ms.min"].value,
            29.04
        );
        assert_eq!(
            b1.run.reported["tgi.decode_throughput_tps.mean"].value,
            34.35
        );
        assert_eq!(b1.run.model.as_deref(), Some("bigscience/bloomz-7b1-mt"));
        // 2.4 (a): highest prefill throughput at b=1 = 1 / 0.14141 s = 7.07 (printed).
        assert_eq!(b1.run.reported["tgi.prefill_throughput.max"].value, 7.07);
        assert!(
            (1.0 / (b1.run.reported["tgi.prefill_latency_ms.min"].value / 1000.0) - 7.07).abs()
                < 0.005
        );
    }

    #[test]
    fn tgi_vertical_merge_and_nan() {
        let text = "| Step | Batch Size | Average | Lowest | Highest | p50 | p90 | p99 |\n|-|-|-|-|-|-|-|-|\n\
                    | Prefill | 1 | 10.00 ms | 9.00 ms | 11.00 ms | 10.00 ms | 11.00 ms | 11.00 ms |\n\
                    | | 2 | NaN ms | NaN ms | NaN ms | NaN ms | NaN ms | NaN ms |\n\
                    | Decode (token) | 1 | 5.00 ms | 4.00 ms | 6.00 ms | 5.00 ms | 6.00 ms | |\n\
                    | Decode (total) | 1 | 50.00 ms | 40.00 ms | 60.00 ms | 50.00 ms | 60.00 ms | 60.00 ms |\n";
        let p = parse_text(text, std::path::Path::new("t.md")).expect("parses");
        assert_eq!(p.runs.len(), 2);
        // The tool blanks a cell equal to the one above it: the blank p99 takes the cell above
        // in its column ("NaN ms" of batch 2), so it is no data.
        assert!(!p.runs[0]
            .run
            .reported
            .contains_key("tgi.decode_token_latency_ms.p99"));
        assert_eq!(
            p.runs[0].run.reported["tgi.decode_token_latency_ms.p90"].value,
            6.0
        );
        assert!(p.runs[1].run.reported.is_empty(), "NaN rows carry no data");
    }

    #[test]
    fn tgi_bad_row_names_line() {
        let text = "| Step | Batch Size | Average | Lowest | Highest | p50 | p90 | p99 |\n|-|-|-|-|-|-|-|-|\n| Prefill | 1 | 10.00 ms |\n";
        let err = parse_text(text, std::path::Path::new("t.md")).expect_err("short row");
        assert_eq!(
            err.to_string(),
            "t.md: line 3: expected 8 cells as in the table header, found 3"
        );
    }

    #[test]
    fn tgi_corpus_walk() {
        let Some(root) = corpus() else { return };
        let dir = root.join("tgi/DataCrunch-io-text-generation-inference-benchmark-2023-06");
        let all = detect_and_parse_all(&Tgi, &dir, &root);
        assert_eq!(all.len(), 4, "four pasted table files");
        for (f, p) in all {
            assert!(!p.runs.is_empty(), "{}", f.display());
        }
    }
}
