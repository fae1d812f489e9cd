//! Where the numbers come from: files read and skipped, the tools' own metric definitions and
//! the provenance notes of each run.

use std::collections::BTreeSet;

use std::collections::BTreeMap;

use crate::evaluate::{EvaluatedRun, Evaluation};
use crate::metric::Stat;

use super::runs::run_cell;
use super::table::{Cell, Table};

/// Where a tool's definition of a metric differs from bench-report's, sorted. The statistics
/// of one metric that a tool computes by one method share a row (`e2e_ms: median, p0.1, …,
/// p99.9`), so a tool that reports a dozen percentiles takes one line, not a dozen.
#[must_use]
pub fn definitions_table(runs: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[
        ("Tool", false),
        ("Metric", false),
        ("The tool's definition", false),
    ]);
    let mut defs: BTreeSet<(String, String, String)> = BTreeSet::new();
    // (tool, metric family, method) → (statistic, the tool's label), for reported statistics.
    let mut stats: BTreeMap<(String, String, String), BTreeSet<(Stat, String)>> = BTreeMap::new();
    for er in runs {
        let tool = &er.run.source_format;
        for (metric, text) in &er.run.definitions {
            defs.insert((tool.clone(), metric.clone(), text.clone()));
        }
        for (metric, rep) in &er.run.reported {
            let Some(m) = &rep.method else { continue };
            match split_statistic(metric) {
                Some((family, stat)) => {
                    stats
                        .entry((tool.clone(), family.to_string(), m.clone()))
                        .or_default()
                        .insert((stat, rep.label.clone()));
                }
                None => {
                    defs.insert((tool.clone(), metric.clone(), format!("{} ({m})", rep.label)));
                }
            }
        }
    }
    for ((tool, family, method), members) in stats {
        let names: Vec<String> = members.iter().map(|(s, _)| s.to_string()).collect();
        let labels: Vec<&str> = members.iter().map(|(_, l)| l.as_str()).collect();
        let (metric, label) = if let [only] = names.as_slice() {
            (format!("{family}.{only}"), labels[0].to_string())
        } else {
            (
                format!("{family}: {}", names.join(", ")),
                label_pattern(&labels),
            )
        };
        defs.insert((tool, metric, format!("{label} ({method})")));
    }
    for (tool, metric, text) in defs {
        table.push_text([tool, metric, text]);
    }
    table
}

/// `e2e_ms.p99.9` → (`e2e_ms`, p99.9); `guidellm.time_per_output_token_ms.median` →
/// (`guidellm.time_per_output_token_ms`, median); `None` when no suffix is a statistic.
fn split_statistic(key: &str) -> Option<(&str, Stat)> {
    key.match_indices('.')
        .find_map(|(i, _)| Some((&key[..i], key[i + 1..].parse::<Stat>().ok()?)))
}

/// What the labels of one metric's statistics share: `request_latency.successful.… (s → ms)`
/// for `request_latency.successful.median (s → ms)` and `….percentiles.p99 (s → ms)`.
fn label_pattern(labels: &[&str]) -> String {
    let first = labels.first().copied().unwrap_or_default();
    let mut prefix = first.len();
    let mut suffix = first.len();
    for l in labels {
        prefix = prefix.min(common_len(first.chars(), l.chars(), |s| s.len_utf8()));
        suffix = suffix.min(common_len(first.chars().rev(), l.chars().rev(), |s| {
            s.len_utf8()
        }));
    }
    if prefix + suffix >= first.len() {
        return first.to_string();
    }
    format!("{}…{}", &first[..prefix], &first[first.len() - suffix..])
}

/// Bytes of the common start of two character sequences.
fn common_len(
    a: impl Iterator<Item = char>,
    b: impl Iterator<Item = char>,
    width: impl Fn(char) -> usize,
) -> usize {
    a.zip(b)
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| width(x))
        .sum()
}

/// Every file read: its format, runs and the start of its SHA-256.
#[must_use]
pub fn inputs_table(ev: &Evaluation) -> Table {
    let mut table = Table::new(&[
        ("File", false),
        ("Format", false),
        ("Runs", true),
        ("SHA-256", false),
        ("Notes", false),
    ]);
    for i in &ev.inputs {
        table.rows.push(vec![
            Cell::text(i.path.clone()),
            Cell::text(i.format.clone()),
            Cell::count(i.runs),
            Cell::text(i.sha256.chars().take(12).collect::<String>()),
            Cell::text(i.notes.join("; ")),
        ]);
    }
    table
}

/// Files not read, and why.
#[must_use]
pub fn skipped_table(ev: &Evaluation) -> Table {
    let mut table = Table::new(&[("File", false), ("Why it was skipped", false)]);
    for s in &ev.skipped {
        table.push_text([s.path.clone(), s.reason.clone()]);
    }
    table
}

/// Provenance remarks, one row per distinct note, with the runs it is about (`every run`
/// when it is about all of them), so a page of 40 runs does not repeat one note 40 times.
#[must_use]
pub fn notes_table(runs: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[("Note", false), ("Runs", false)]);
    let mut notes: BTreeMap<&str, Vec<&EvaluatedRun>> = BTreeMap::new();
    for er in runs {
        for n in &er.run.notes {
            let about = notes.entry(n.as_str()).or_default();
            if !about.iter().any(|e| std::ptr::eq(*e, *er)) {
                about.push(er);
            }
        }
    }
    for (note, about) in notes {
        let who = if about.len() == runs.len() && runs.len() > 1 {
            format!("every run ({})", runs.len())
        } else {
            about
                .iter()
                .map(|er| run_cell(er).text)
                .collect::<Vec<_>>()
                .join(", ")
        };
        table.rows.push(vec![Cell::text(note), Cell::text(who)]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::Level;

    #[test]
    fn statistics_split_from_their_metric_at_the_first_statistic_suffix() {
        assert_eq!(
            split_statistic("e2e_ms.p99.9"),
            Some(("e2e_ms", Stat::P(Level::new(99.9).expect("level"))))
        );
        assert_eq!(
            split_statistic("guidellm.time_per_output_token_ms.median"),
            Some(("guidellm.time_per_output_token_ms", Stat::Median))
        );
        assert_eq!(split_statistic("request_throughput_rps"), None);
    }

    #[test]
    fn labels_of_one_metric_show_what_they_share() {
        assert_eq!(
            label_pattern(&[
                "request_latency.successful.median (s → ms)",
                "request_latency.successful.percentiles.p99 (s → ms)",
            ]),
            "request_latency.successful.… (s → ms)"
        );
        assert_eq!(label_pattern(&["a.mean", "a.mean"]), "a.mean");
    }
}
