//! bench-report's own per-request CSV (README "bench-report's per-request CSV"): the raw
//! logs users write from their own harnesses. `[[source]]` rules map other column names and
//! units onto it and fill run fields from labels.
//!
//! Rows with equal key columns form one run, in order of first appearance. The parser only
//! translates rows; duration and throughput are derived in `metrics.rs`, except that an
//! explicit `duration_s` column is copied to the run.

use std::collections::BTreeMap;

use super::csv_columns::{Cell, Header};
use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::{ParsedRun, RequestColumns, RequestRate, RequestRow, Run};

/// The `generic_csv` parser.
pub struct GenericCsv;

/// Key columns: rows with equal values form one run.
const KEY_COLUMNS: [&str; 8] = [
    "model",
    "instance_type",
    "engine",
    "dataset",
    "concurrency",
    "request_rate_rps",
    "instance_count",
    "run",
];
/// Columns with a meaning of their own (everything else becomes a label).
const KNOWN: [&str; 10] = [
    "start_s",
    "duration_s",
    "ttft_ms",
    "e2e_ms",
    "tpot_ms",
    "input_tokens",
    "output_tokens",
    "ok",
    "error",
    "date",
];

impl Parser for GenericCsv {
    fn name(&self) -> &'static str {
        "generic_csv"
    }

    fn describe(&self) -> &'static str {
        "bench-report per-request CSV (README \"bench-report's per-request CSV\"), with [[source]] column mapping"
    }

    fn is_fallback(&self) -> bool {
        true
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        if probe.extension != "csv" {
            return Sniff::no("not a .csv file");
        }
        let text = probe.text();
        let header = text.lines().next().unwrap_or("").to_ascii_lowercase();
        let cols: Vec<&str> = header
            .split(',')
            .map(|c| c.trim().trim_matches('"'))
            .collect();
        if cols.contains(&"ttft_ms") && cols.contains(&"e2e_ms") {
            Sniff::plausible("a CSV with ttft_ms and e2e_ms columns")
        } else if header.contains("ttft") || header.contains("e2e") || header.contains("latency") {
            Sniff::plausible("a CSV with latency-like columns (map them with [[source]] columns)")
        } else {
            Sniff::no("no latency columns in the header")
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        parse_csv(source)
    }
}

/// Where each of our columns is in the file, and its factor to our unit.
struct Layout {
    index: BTreeMap<&'static str, (usize, String, f64)>,
    labels: Vec<(usize, String)>,
}

fn layout(headers: &csv::StringRecord, source: &Source<'_>) -> Result<Layout, IngestError> {
    let header = Header::new(headers.iter());
    let mut index = BTreeMap::new();
    let mut used = vec![false; header.len()];
    for ours in KEY_COLUMNS.iter().chain(KNOWN.iter()) {
        let theirs = source
            .mapping
            .columns
            .get(*ours)
            .cloned()
            .unwrap_or_else(|| (*ours).to_string());
        if let Some(i) = header.find(&theirs) {
            let factor = match source.mapping.units.get(&theirs) {
                Some(unit) if ours.ends_with("_ms") => {
                    crate::units::time_factor_to_ms(unit).unwrap_or(1.0)
                }
                Some(unit) if ours.ends_with("_s") => {
                    crate::units::time_factor_to_ms(unit).map_or(1.0, |f| f / 1000.0)
                }
                _ => 1.0,
            };
            index.insert(*ours, (i, theirs, factor));
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
        }
    }
    for required in ["e2e_ms", "input_tokens", "output_tokens", "ttft_ms"] {
        if !index.contains_key(required) {
            let theirs = source
                .mapping
                .columns
                .get(required)
                .cloned()
                .unwrap_or_else(|| required.to_string());
            return Err(cell_at(source, 1, &theirs, "").missing());
        }
    }
    for required in ["model", "instance_type"] {
        if !index.contains_key(required) && !source.mapping.labels.contains_key(required) {
            return Err(IngestError::missing(
                Location::line(source.path, 1, Some(required)),
                format!("{required} (a column or a [[source]] label)"),
            ));
        }
    }
    let labels = (0..header.len())
        .filter(|i| !used.get(*i).copied().unwrap_or(true))
        .filter_map(|i| header.name(i).map(|n| (i, n.to_string())))
        .collect();
    Ok(Layout { index, labels })
}

/// One run being assembled.
struct Building {
    run: Run,
    rows: RequestColumns,
    duration_s: Option<(f64, u64)>,
    labels: BTreeMap<String, Option<String>>,
}

fn parse_csv(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(source.bytes);
    let headers = rdr
        .headers()
        .map_err(|e| IngestError::syntax(Location::line(source.path, 1, None), e))?
        .clone();
    let lay = layout(&headers, source)?;
    let mut runs: Vec<Building> = Vec::new();
    let mut by_key: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Err(IngestError::syntax(
                    Location::line(source.path, line, None),
                    e,
                ));
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |ours: &str| -> Option<(&str, &str, f64)> {
            lay.index
                .get(ours)
                .and_then(|(i, name, f)| record.get(*i).map(|v| (v.trim(), name.as_str(), *f)))
        };
        let number = |ours: &str| -> Result<Option<f64>, IngestError> {
            match cell(ours) {
                None => Ok(None),
                Some(("", _, _)) => Ok(None),
                Some((v, name, factor)) => cell_at(source, line, name, v)
                    .parse("a number", |t| {
                        crate::ingest::json::parse_number_text(t).filter(|x| !x.is_nan())
                    })
                    .map(|x| Some(x * factor)),
            }
        };
        let key: Vec<String> = KEY_COLUMNS
            .iter()
            .map(|k| cell(k).map(|(v, _, _)| v.to_string()).unwrap_or_default())
            .collect();
        let idx = match by_key.get(&key) {
            Some(i) => *i,
            None => {
                let run = new_run(&key, source, line)?;
                runs.push(Building {
                    run,
                    rows: RequestColumns::default(),
                    duration_s: None,
                    labels: BTreeMap::new(),
                });
                by_key.insert(key.clone(), runs.len() - 1);
                runs.len() - 1
            }
        };
        let ok_text = cell("ok").map(|(v, n, _)| (v.to_ascii_lowercase(), n));
        let mut ok = match &ok_text {
            None => true,
            Some((v, _)) if v.is_empty() || v == "true" || v == "1" => true,
            Some((v, _)) if v == "false" || v == "0" => false,
            Some((v, n)) => {
                return Err(cell_at(source, line, n, v).wrong_type("true, false, 1 or 0"))
            }
        };
        let error = cell("error")
            .map(|(v, _, _)| v.to_string())
            .filter(|v| !v.is_empty());
        if error.is_some() {
            ok = false;
        }
        let row = RequestRow {
            ok,
            error,
            input_tokens: number("input_tokens")?,
            output_tokens: number("output_tokens")?,
            ttft_ms: number("ttft_ms")?,
            e2e_ms: number("e2e_ms")?,
            tpot_ms: number("tpot_ms")?,
            start_s: number("start_s")?,
        };
        if ok && row.e2e_ms.is_none() {
            let name = lay
                .index
                .get("e2e_ms")
                .map_or("e2e_ms", |(_, n, _)| n.as_str());
            return Err(IngestError::missing(
                Location::line(source.path, line, Some(name)),
                format!("{name} (required for a successful request)"),
            ));
        }
        let b = runs.get_mut(idx).ok_or_else(|| {
            IngestError::invalid(
                Location::line(source.path, line, None),
                "internal: run index",
            )
        })?;
        if let Some(d) = number("duration_s")? {
            match b.duration_s {
                None => b.duration_s = Some((d, line)),
                Some((first, first_line)) if (first - d).abs() > 0.0 => {
                    let name = lay
                        .index
                        .get("duration_s")
                        .map_or("duration_s", |(_, n, _)| n.as_str());
                    return Err(IngestError::invalid(
                        Location::line(source.path, line, Some(name)),
                        format!("expected the same duration on every row of a run ({first} on line {first_line}), found {d}"),
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some((_, date)) = cell("date")
            .map(|(v, _, _)| ((), v.to_string()))
            .filter(|(_, v)| !v.is_empty())
        {
            b.run.date.get_or_insert(date);
        }
        for (i, name) in &lay.labels {
            let v = record.get(*i).unwrap_or("").trim().to_string();
            match b.labels.get(name) {
                None => {
                    b.labels.insert(name.clone(), Some(v));
                }
                Some(Some(prev)) if *prev != v => {
                    b.labels.insert(name.clone(), None);
                }
                _ => {}
            }
        }
        b.rows.push(row);
    }
    let mut parsed = Parsed::default();
    for mut b in runs {
        b.run.duration_s = b.duration_s.map(|(d, _)| d);
        if b.run.duration_s.is_none() && b.rows.start_s.iter().all(Option::is_none) {
            b.run.notes.push(
                "no duration_s or start_s column: duration, throughput and cost are unknown".into(),
            );
        }
        for (k, v) in b.labels {
            match v {
                Some(v) if !v.is_empty() => {
                    b.run.labels.insert(k, v);
                }
                Some(_) => {}
                None => b.run.notes.push(format!(
                    "column {k:?} varies within the run; not kept as a label"
                )),
            }
        }
        let n = b.rows.len() as u64;
        b.run.num_failed = Some(b.rows.ok.iter().filter(|o| !**o).count() as u64);
        b.run.num_requests = Some(n);
        parsed.runs.push(ParsedRun {
            run: b.run,
            requests: Some(b.rows),
        });
    }
    Ok(parsed)
}

/// Cell `column` of the record on `line`, holding `text`, for typed reads and errors.
fn cell_at<'a>(source: &'a Source<'_>, line: u64, column: &'a str, text: &'a str) -> Cell<'a> {
    Cell {
        path: source.path,
        line,
        column: Some(column),
        text,
    }
}

fn new_run(key: &[String], source: &Source<'_>, line: u64) -> Result<Run, IngestError> {
    let get = |i: usize| key.get(i).filter(|v| !v.is_empty()).cloned();
    let mut run = Run {
        model: get(0),
        instance_type: get(1),
        engine: get(2),
        dataset: get(3),
        ..Run::default()
    };
    if let Some(c) = get(4) {
        run.concurrency = Some(cell_at(source, line, "concurrency", &c).whole()?);
    }
    if let Some(r) = get(5) {
        run.request_rate_rps = Some(cell_at(source, line, "request_rate_rps", &r).parse(
            "a number or inf",
            |t| match crate::ingest::json::parse_number_text(t) {
                Some(x) if x.is_infinite() => Some(RequestRate::Infinite),
                Some(x) if x >= 0.0 => Some(RequestRate::Finite(x)),
                _ => None,
            },
        )?);
    }
    if let Some(c) = get(6) {
        run.instance_count = Some(cell_at(source, line, "instance_count", &c).whole()?);
    }
    run.name = get(7);
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::testing::{detect, fixture_path, parse_fixture};
    use crate::ingest::Mapping;
    use std::path::Path;

    #[test]
    fn generic_csv_two_runs() {
        assert_eq!(
            detect(&fixture_path("generic_csv/two_runs.csv"), &fixture_path(""))
                .map_err(|e| e.to_string()),
            Ok("generic_csv")
        );
        let p = parse_fixture(&GenericCsv, "generic_csv/two_runs.csv").expect("parses");
        // Key (model, instance_type, concurrency): concurrency 1 and 4 are two runs.
        assert_eq!(p.runs.len(), 2);
        let (c1, c4) = (&p.runs[0], &p.runs[1]);
        assert_eq!((c1.run.concurrency, c4.run.concurrency), (Some(1), Some(4)));
        assert_eq!(c1.run.model.as_deref(), Some("tiny-7b"));
        assert_eq!(c1.run.instance_type.as_deref(), Some("g5.xlarge"));
        // A column outside the schema, equal on every row of a run, becomes a label.
        assert_eq!(c1.run.labels["gpu"], "A10G");
        let rows = c1.requests.as_ref().expect("rows");
        assert_eq!(rows.ttft_ms, [Some(100.0), Some(120.0)]);
        assert_eq!(rows.e2e_ms, [Some(1100.0), Some(1320.0)]);
        assert_eq!(rows.start_s, [Some(0.0), Some(1.1)]);
        assert_eq!((c1.run.num_requests, c1.run.num_failed), (Some(2), Some(0)));
        // The timeout row is a failure with its text and no latencies: 2 requests, 1 failed.
        let rows = c4.requests.as_ref().expect("rows");
        assert_eq!(rows.ok, [true, false]);
        assert_eq!(rows.error[1].as_deref(), Some("timeout"));
        assert_eq!(rows.e2e_ms[1], None);
        assert_eq!((c4.run.num_requests, c4.run.num_failed), (Some(2), Some(1)));
        // No duration_s column, but start_s is there, so no "duration unknown" note.
        assert!(c1.run.notes.is_empty(), "{:?}", c1.run.notes);
    }

    fn parse(text: &str, mapping: &Mapping) -> Result<Parsed, IngestError> {
        crate::ingest::testing::parse_bytes(
            &GenericCsv,
            Path::new("h.csv"),
            "h.csv",
            text.as_bytes(),
            mapping,
        )
    }

    #[test]
    fn generic_csv_groups_rows_into_runs_by_key() {
        let p = parse(
            "model,instance_type,concurrency,ttft_ms,e2e_ms,input_tokens,output_tokens,gpu\n\
             m,a,1,10,100,5,6,A10G\nm,b,1,20,200,5,6,L4\nm,a,1,30,300,5,6,A10G\nm,a,2,40,400,5,6,A10G\n",
            &Mapping::default(),
        )
        .expect("parses");
        assert_eq!(p.runs.len(), 3);
        let first = &p.runs[0];
        assert_eq!(first.run.instance_type.as_deref(), Some("a"));
        assert_eq!(first.run.concurrency, Some(1));
        assert_eq!(first.requests.as_ref().map(RequestColumns::len), Some(2));
        assert_eq!(
            first.run.labels.get("gpu").map(String::as_str),
            Some("A10G")
        );
    }

    #[test]
    fn generic_csv_maps_columns_and_units_and_labels() {
        let mapping = Mapping {
            columns: [
                ("ttft_ms".to_string(), "first_s".to_string()),
                ("e2e_ms".to_string(), "lat_s".to_string()),
            ]
            .into(),
            units: [
                ("first_s".to_string(), "s".to_string()),
                ("lat_s".to_string(), "s".to_string()),
            ]
            .into(),
            labels: [
                ("model".to_string(), "llama".to_string()),
                ("instance_type".to_string(), "g5.2xlarge".to_string()),
            ]
            .into(),
        };
        let p = parse(
            "first_s,lat_s,input_tokens,output_tokens\n0.25,1.5,10,20\n",
            &mapping,
        )
        .expect("parses");
        let rows = p.runs[0].requests.as_ref().expect("rows");
        assert_eq!(rows.ttft_ms[0], Some(250.0));
        assert_eq!(rows.e2e_ms[0], Some(1500.0));
    }

    #[test]
    fn generic_csv_bad_number_names_line_and_column() {
        let err = parse("model,instance_type,ttft_ms,e2e_ms,input_tokens,output_tokens\nm,a,1,2,3,4\nm,a,n/a,2,3,4\n", &Mapping::default())
            .expect_err("bad");
        assert_eq!(
            err.to_string(),
            "h.csv: line 3, column \"ttft_ms\": expected a number, found \"n/a\""
        );
    }

    #[test]
    fn generic_csv_missing_column_and_inconsistent_duration() {
        let err = parse(
            "model,instance_type,ttft_ms,input_tokens,output_tokens\n",
            &Mapping::default(),
        )
        .expect_err("no e2e");
        assert!(
            err.to_string().contains("missing required field `e2e_ms`"),
            "{err}"
        );
        let err = parse(
            "model,instance_type,ttft_ms,e2e_ms,input_tokens,output_tokens,duration_s\nm,a,1,2,3,4,10\nm,a,1,2,3,4,11\n",
            &Mapping::default(),
        )
        .expect_err("durations differ");
        assert!(
            err.to_string()
                .starts_with("h.csv: line 3, column \"duration_s\": expected the same duration"),
            "{err}"
        );
    }

    #[test]
    fn generic_csv_error_text_marks_failure() {
        let p = parse("model,instance_type,ttft_ms,e2e_ms,input_tokens,output_tokens,error\nm,a,,,3,0,timeout\nm,a,1,2,3,4,\n", &Mapping::default())
            .expect("parses");
        let rows = p.runs[0].requests.as_ref().expect("rows");
        assert_eq!(rows.ok, vec![false, true]);
        assert_eq!(p.runs[0].run.num_failed, Some(1));
    }
}
