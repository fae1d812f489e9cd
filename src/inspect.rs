//! The `inspect` command's report: per file, every parser's verdict and why, the chosen
//! format, and the runs, request rows, prices and reported values it would read.

use std::fmt::Write as _;
use std::path::Path;

use crate::ingest::{self, Confidence, FileRead, Parsed, Parser};
use crate::model::{Mapping, RequestColumns};

/// The report for some files, and how many of them have a problem.
#[must_use]
pub fn report(files: &[impl AsRef<Path>], forced: Option<&'static dyn Parser>) -> (String, usize) {
    let mut text = String::new();
    let mut bad = 0usize;
    for path in files {
        let path = path.as_ref();
        let rel = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let read = ingest::read_file(path, &rel, forced, &Mapping::default());
        if !file_report(&mut text, path, forced, &read) {
            bad += 1;
        }
        text.push('\n');
    }
    (text, bad)
}

/// One file's section; false when the file has a problem.
fn file_report(
    text: &mut String,
    path: &Path,
    forced: Option<&'static dyn Parser>,
    read: &FileRead,
) -> bool {
    let _ = writeln!(text, "{}", path.display());
    if read.verdicts.is_empty() {
        if let Err(e) = &read.outcome {
            // Unreadable: the error is the io error alone, without the path again.
            let _ = writeln!(text, "  error: {}", e.reason());
            return false;
        }
    }
    text.push_str("  verdicts:\n");
    for (p, s) in &read.verdicts {
        let word = match s.confidence {
            Confidence::Certain => "certain",
            Confidence::Plausible => "plausible",
            Confidence::No => "no",
        };
        let _ = writeln!(text, "    {:<22} {:<9} {}", p.name(), word, s.why);
    }
    // The parser used: the forced one even when it failed, so the error reads as its.
    let used = read.outcome.as_ref().ok().map(|(p, _)| *p).or(forced);
    if let Some(parser) = used {
        let _ = writeln!(
            text,
            "  format: {} ({}){}",
            parser.name(),
            parser.describe(),
            if forced.is_some() { ", forced" } else { "" }
        );
    }
    match &read.outcome {
        Ok((_, parsed)) => {
            parsed_report(text, parsed);
            true
        }
        Err(e) => {
            let _ = writeln!(text, "  error: {e}");
            false
        }
    }
}

fn parsed_report(text: &mut String, parsed: &Parsed) {
    if let Some(reason) = &parsed.not_input {
        let _ = writeln!(text, "  not input: {reason}");
    }
    for n in &parsed.notes {
        let _ = writeln!(text, "  note: {n}");
    }
    if !parsed.prices.is_empty() {
        let _ = writeln!(text, "  price rows: {}", parsed.prices.len());
        for p in &parsed.prices {
            let _ = writeln!(
                text,
                "    {} {} {} $/h",
                p.instance_type, p.pricing_model, p.price_per_hour_usd
            );
        }
    }
    if !parsed.token_prices.is_empty() {
        let _ = writeln!(text, "  token price rows: {}", parsed.token_prices.len());
    }
    let _ = writeln!(text, "  runs: {}", parsed.runs.len());
    for (i, pr) in parsed.runs.iter().enumerate() {
        let r = &pr.run;
        let rows = pr.requests.as_ref().map_or(0, RequestColumns::len);
        let _ = writeln!(
            text,
            "    [{i}] {} | model {} | instance {} | load {} | {} request row(s) | reported: {}",
            r.name.clone().unwrap_or_default(),
            r.model.clone().unwrap_or_else(|| "?".into()),
            r.instance_type.clone().unwrap_or_else(|| "?".into()),
            r.load_label(),
            rows,
            r.reported.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
}
