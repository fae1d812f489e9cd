//! Per-request records (`per_inference_request_results.csv`, `per_inference/*.json`) and
//! per-chunk JSON records, and the runs built from request rows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::folder::Folder;
use super::rules::{ChunkRow, Measures, RowHead, RowKey, SummaryRow};
use super::summary::{analyze, run_from_row, Verdict};
use super::table::{number_text, FmbenchCsv};
use super::{PER_REQUEST_CSV, SUMMARY_CSV};
use crate::error::{IngestError, Location};
use crate::ingest::{Parsed, Sidecar, Source};
use crate::model::{ParsedRun, RequestColumns, RequestRow};

/// One per-request record: column → text (empty cells absent), and where it sits.
pub(super) struct Record {
    line: Option<u64>,
    file: PathBuf,
    cells: BTreeMap<String, String>,
}

impl Record {
    fn text(&self, k: &str) -> Option<&str> {
        self.cells
            .get(k)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    fn loc(&self, k: &str) -> Location {
        match self.line {
            Some(l) => Location::line(&self.file, l, Some(k)),
            None => Location::pointer(
                &self.file,
                format!("/{}", crate::ingest::json::escape_pointer(k)),
            ),
        }
    }

    fn f64(&self, k: &str) -> Result<Option<f64>, IngestError> {
        match self.text(k) {
            None => Ok(None),
            Some(t) => number_text(t)
                .ok_or_else(|| IngestError::wrong_type(self.loc(k), "a number", format!("{t:?}"))),
        }
    }
}

pub(super) fn csv_records(t: &FmbenchCsv) -> Vec<Record> {
    t.rows
        .iter()
        .map(|(line, row)| Record {
            line: Some(*line),
            file: t.path.clone(),
            cells: t
                .headers
                .names()
                .iter()
                .cloned()
                .zip(row.iter().cloned())
                .collect(),
        })
        .collect()
}

pub(super) fn json_record(v: &Value, path: &Path) -> Result<Record, IngestError> {
    let map = v.as_object().ok_or_else(|| {
        IngestError::wrong_type(
            Location::pointer(path, ""),
            "an object",
            crate::ingest::json::describe(v),
        )
    })?;
    let cells = map
        .iter()
        .filter_map(|(k, v)| {
            let t = match v {
                Value::Null => return None,
                Value::String(s) => s.clone(),
                Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                Value::Number(n) => n.to_string(),
                other => other.to_string(),
            };
            Some((k.clone(), t))
        })
        .collect();
    Ok(Record {
        line: None,
        file: path.to_path_buf(),
        cells,
    })
}

pub(super) fn parse_per_inference(source: &Source<'_>) -> Result<Parsed, IngestError> {
    let v = crate::ingest::json::parse(source.bytes, source.path)?;
    let rec = json_record(&v, source.path)?;
    request_row(&rec)?;
    // per_inference/ sits one level below the results folder.
    let parent = Folder::load(source, "../");
    let first = parent.per_inference_files.first().map(String::as_str);
    let me = source.rel.rsplit('/').next();
    if parent.has(PER_REQUEST_CSV) || first != me {
        let holder = if parent.has(PER_REQUEST_CSV) {
            format!("../{PER_REQUEST_CSV}")
        } else {
            "the first per_inference file of this folder".to_string()
        };
        return Ok(Parsed {
            notes: vec![format!(
                "one request record; 0 runs: the runs are read from {holder}"
            )],
            ..Parsed::default()
        });
    }
    // No per-request CSV: the first file (sorted) reads the whole per_inference folder.
    let mut records = Vec::new();
    for name in &parent.per_inference_files {
        // Listed a moment ago: a file gone since is an error, as a file that cannot be read.
        let Some(Sidecar { path, bytes }) = source.beside(name)? else {
            return Err(IngestError::Io {
                path: source.beside_path(name).unwrap_or_default(),
                source: std::io::ErrorKind::NotFound.into(),
            });
        };
        records.push(json_record(
            &crate::ingest::json::parse(&bytes, &path)?,
            &path,
        )?);
    }
    let runs = runs_from_requests(&records, &parent)?;
    Ok(Parsed {
        notes: vec![format!(
            "{} per_inference record(s) read together (no {PER_REQUEST_CSV})",
            records.len()
        )],
        runs,
        ..Parsed::default()
    })
}

/// One request row (format note §3.1): latency → e2e, TTFT/TPOT when streamed, client-side
/// token counts; failed when the completion or the completion-token count is missing. Returns
/// the row and whether the completion is an HTTP error body FMBench counted as a success.
pub(super) fn request_row(rec: &Record) -> Result<(RequestRow, bool), IngestError> {
    let completion = rec.text("completion");
    let has_token_col = rec.cells.contains_key("completion_tokens");
    let output_tokens = rec.f64("completion_tokens")?;
    let ok = completion.is_some() && (output_tokens.is_some() || !has_token_col);
    let error_body = completion.is_some_and(|c| {
        let c = c.trim_start();
        c.starts_with('{') && c.contains("\"code\"") && c.contains("\"message\"")
    });
    let error = (!ok).then(|| {
        if completion.is_none() {
            "no completion (FMBench: failed request)"
        } else {
            "no completion token count (FMBench: failed request)"
        }
        .to_string()
    });
    let ms = |v: Option<f64>| v.map(|s| s * 1000.0);
    Ok((
        RequestRow {
            ok,
            error,
            input_tokens: rec.f64("prompt_tokens")?,
            output_tokens,
            ttft_ms: ms(rec.f64("time_to_first_token")?),
            e2e_ms: ms(rec.f64("latency")?),
            tpot_ms: ms(rec.f64("time_per_output_token")?),
            start_s: None,
        },
        error_body,
    ))
}

pub(super) fn runs_from_requests(
    records: &[Record],
    folder: &Folder,
) -> Result<Vec<ParsedRun>, IngestError> {
    let summary: Vec<SummaryRow> = folder.summary.clone().unwrap_or_default();
    let (rule, verdicts) = analyze(&summary, folder);
    let mut order: Vec<RowKey> = Vec::new();
    let mut groups: BTreeMap<RowKey, (RequestColumns, usize, Vec<String>)> = BTreeMap::new();
    for rec in records {
        let experiment = rec
            .text("experiment_name")
            .ok_or_else(|| IngestError::missing(rec.loc("experiment_name"), "experiment_name"))?;
        let concurrency_f = rec
            .f64("concurrency")?
            .ok_or_else(|| IngestError::missing(rec.loc("concurrency"), "concurrency"))?;
        if concurrency_f.fract() != 0.0 || concurrency_f < 0.0 {
            return Err(IngestError::wrong_type(
                rec.loc("concurrency"),
                "a whole number",
                concurrency_f,
            ));
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked whole and non-negative"
        )]
        let concurrency = concurrency_f as u32;
        let instance_type = rec.text("instance_type").unwrap_or_default();
        let count = rec.f64("instance_count")?;
        let mut payload = rec.text("payload_file").unwrap_or_default().to_string();
        let mut notes = Vec::new();
        if payload.is_empty() {
            // March 2024 rows have no payload_file: take it from the only matching summary row.
            let m: Vec<&SummaryRow> = summary
                .iter()
                .filter(|s| {
                    s.head.experiment_name == experiment
                        && s.head.instance_type == instance_type
                        && s.head.concurrency == concurrency
                })
                .collect();
            if let [only] = m.as_slice() {
                payload.clone_from(&only.head.payload_file);
                notes.push(format!("payload_file {payload} taken from {SUMMARY_CSV} (the request rows of this version have none)"));
            }
        }
        let key = RowKey::new(experiment, &payload, instance_type, count, concurrency);
        let (row, error_body) = request_row(rec)?;
        let entry = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            (RequestColumns::default(), 0, notes)
        });
        entry.0.push(row);
        if error_body {
            entry.1 += 1;
        }
    }
    let mut runs = Vec::new();
    for key in order {
        let Some((requests, error_bodies, notes)) = groups.remove(&key) else {
            continue;
        };
        let idx = summary.iter().position(|s| s.key() == key);
        let fallback = SummaryRow {
            #[allow(clippy::cast_precision_loss, reason = "small counts")]
            head: key.head(Some(key.instance_count_milli as f64 / 1000.0)),
            ..SummaryRow::default()
        };
        let (row, verdict, from) = match idx {
            Some(i) => (
                summary.get(i).cloned().unwrap_or(fallback),
                verdicts.get(i).cloned().unwrap_or_default(),
                format!(
                    "{SUMMARY_CSV} line {}",
                    summary.get(i).map_or(0, |r| r.line)
                ),
            ),
            None => (
                fallback,
                Verdict::default(),
                "no summary row (only the request rows)".to_string(),
            ),
        };
        let mut run = run_from_row(&row, &verdict, rule, folder, &from);
        if idx.is_none() {
            run.instance_count = None;
        }
        run.notes.extend(notes);
        let n = requests.len() as u64;
        let failed = requests.ok.iter().filter(|ok| !**ok).count() as u64;
        run.num_requests = Some(n);
        run.num_failed = Some(failed);
        if error_bodies > 0 {
            run.notes.push(format!(
                "{error_bodies} request(s) returned an HTTP error body (e.g. {{\"code\":424,…}}) that FMBench counted as a success; kept as ok, as FMBench did"
            ));
            run.labels.insert(
                "fmbench.error_body_successes".into(),
                error_bodies.to_string(),
            );
        }
        runs.push(ParsedRun {
            run,
            requests: Some(requests),
        });
    }
    Ok(runs)
}

pub(super) fn chunk_from_json(v: &Value, path: &Path) -> Result<ChunkRow, IngestError> {
    let o = crate::ingest::json::Obj::new(v, "", path)?;
    let f = |k: &str| o.f64(k);
    let concurrency = o
        .u64("concurrency")?
        .ok_or_else(|| IngestError::missing(o.loc("concurrency"), "concurrency"))?;
    Ok(ChunkRow {
        line: 0,
        head: RowHead {
            experiment_name: o
                .str("experiment_name")?
                .ok_or_else(|| IngestError::missing(o.loc("experiment_name"), "experiment_name"))?,
            payload_file: o.str("payload_file")?.unwrap_or_default(),
            instance_type: String::new(),
            instance_count: None,
            concurrency: u32::try_from(concurrency).map_err(|_| {
                IngestError::wrong_type(o.loc("concurrency"), "a concurrency", concurrency)
            })?,
        },
        successes: f("successes")?,
        measures: Measures::read(f)?,
    })
}
