//! Discovery, format sniffing, the [`Parser`] trait and the registry of parsers (ARCHITECTURE.md).
//!
//! `ingest_all` walks the inputs, asks every parser how sure it is that a file is its format,
//! parses each file with the single best parser and collects bad files as problems instead
//! of stopping at the first. Parsers never compute summary metrics; they translate.

mod json;

mod csv_columns;
mod fmbench;
mod genai_perf;
mod generic_csv;
mod guidellm;
mod inference_benchmarker;
mod llmperf;
mod neuron;
mod notes;
mod price_table;
mod tgi;
mod vllm;

#[cfg(test)]
mod testing;

mod discover;

use std::path::Path;

use crate::error::IngestError;
use crate::metric::{Metric, Stat};
pub use crate::model::Mapping;
use crate::model::{ParsedRun, PriceRow, TokenPrice};
#[cfg(test)]
use discover::run_id;
pub(crate) use discover::Sidecar;
pub use discover::{
    discover, ingest_all, make_probe, read_file, relative, DiscoverOptions, FileRead, Found,
    Ingested, IngestedRun, SourceRule,
};
pub use price_table::load_price_table;

/// The key of `metric` with a statistic a tool names (`median`, `p99`, `p99.9`), as the
/// catalogue spells it; a statistic the catalogue would spell differently keeps the tool's
/// spelling, so no reported key changes.
pub(crate) fn stat_key(metric: Metric, stat: &str) -> String {
    match stat.parse::<Stat>() {
        Ok(s) if s.to_string() == stat => metric.stat(s).to_string(),
        _ => format!("{}.{stat}", metric.key()),
    }
}

/// How sure a parser is that a file is its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Not this format.
    No,
    /// Could be this format (e.g. the right extension and some expected keys).
    Plausible,
    /// Certainly this format (its signature keys or header are present).
    Certain,
}

/// A parser's verdict on a file, with the reason `inspect` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniff {
    /// How sure.
    pub confidence: Confidence,
    /// Why, in a few words (`has "date", "backend" and "mean_ttft_ms"`).
    pub why: String,
    /// Which of its file kinds the parser recognised (its own name for it, `serving`,
    /// `nightly_md`), handed to `parse` so it never sniffs again; empty when it has none.
    pub variant: &'static str,
}

impl Sniff {
    /// Not this format.
    #[must_use]
    pub fn no(why: impl Into<String>) -> Self {
        Sniff {
            confidence: Confidence::No,
            why: why.into(),
            variant: "",
        }
    }
    /// Possibly this format.
    #[must_use]
    pub fn plausible(why: impl Into<String>) -> Self {
        Sniff {
            confidence: Confidence::Plausible,
            why: why.into(),
            variant: "",
        }
    }
    /// Certainly this format.
    #[must_use]
    pub fn certain(why: impl Into<String>) -> Self {
        Sniff {
            confidence: Confidence::Certain,
            why: why.into(),
            variant: "",
        }
    }

    /// This verdict naming the file kind the parser recognised: `KINDS` is the parser's
    /// table of its kinds and their names.
    #[must_use]
    pub(crate) fn of_kind<K: Copy + PartialEq>(self, kinds: &[(K, &'static str)], kind: K) -> Self {
        let variant = kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |(_, name)| *name);
        Sniff { variant, ..self }
    }

    /// The file kind this verdict recognised, looked up in the parser's table; `None` when
    /// the parser said `No` (a file forced with `--format`) or named no kind.
    #[must_use]
    pub(crate) fn kind<K: Copy>(&self, kinds: &[(K, &'static str)]) -> Option<K> {
        if self.confidence == Confidence::No {
            return None;
        }
        kinds
            .iter()
            .find(|(_, name)| *name == self.variant)
            .map(|(k, _)| *k)
    }
}

/// What a parser may look at when sniffing: the name and the first bytes of the file.
pub struct Probe<'a> {
    /// The file path as found (for reading siblings if really needed; prefer `rel`).
    pub path: &'a Path,
    /// Path relative to the input root, `/`-separated.
    pub rel: &'a str,
    /// The file name.
    pub file_name: &'a str,
    /// Lower-case extension without the dot (`json`, `csv`, `md`), empty when none.
    pub extension: String,
    /// The first [`PROBE_BYTES`] bytes of the file.
    pub head: &'a [u8],
}

impl Probe<'_> {
    /// The head as text (lossy).
    #[must_use]
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.head)
    }
}

/// How many bytes sniffing sees.
pub const PROBE_BYTES: usize = 256 * 1024;

/// One file to parse.
pub struct Source<'a> {
    /// Path to read companions from (as the user gave it, joined with the walk).
    pub path: &'a Path,
    /// Path relative to the input root, `/`-separated: shown on pages and hashed into run ids.
    pub rel: &'a str,
    /// The whole file.
    pub bytes: &'a [u8],
    /// The `[[source]]` mapping that matched the file, if any.
    pub mapping: &'a Mapping,
    /// This parser's own verdict on the file (also when `--format` forced it and it said
    /// `No`): what it recognised, so `parse` never sniffs again.
    pub sniff: &'a Sniff,
}

/// What a parser read from one file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Runs, in file order.
    pub runs: Vec<ParsedRun>,
    /// Hourly price rows this file carries (price tables); they apply to runs in this
    /// file's folder and below (docs/metrics.md "Money").
    pub prices: Vec<PriceRow>,
    /// Token prices this file carries (FMBench `token_based`).
    pub token_prices: Vec<TokenPrice>,
    /// Set when the file is recognised but is not benchmark input (a note, a rendered
    /// report): it is listed as skipped with this reason, never as an error.
    pub not_input: Option<String>,
    /// Remarks about the file as a whole (pairing, ignored sections), shown in the inputs list.
    pub notes: Vec<String>,
}

/// One benchmark tool's output format. Each implementation lives in its own file in
/// `ingest/`, named after `name()`, with fixtures in `tests/fixtures/<name>/`.
pub trait Parser: Sync {
    /// Stable id: the `--format` value, config key, fixture folder and provenance tag.
    fn name(&self) -> &'static str;
    /// One line for `bench-report inspect` and `--help`.
    fn describe(&self) -> &'static str;
    /// Cheap look at the file name and first bytes. Never parses the whole file.
    fn sniff(&self, probe: &Probe<'_>) -> Sniff;
    /// Reads one file into normalized runs. Every error names the file and the place in it.
    ///
    /// # Errors
    /// Any problem with the file's content, with its location.
    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError>;
    /// A fallback is consulted only when no other parser says `Plausible` or better.
    fn is_fallback(&self) -> bool {
        false
    }
}

/// Every input format bench-report knows, in the order `inspect` lists them.
pub static PARSERS: &[&dyn Parser] = &[
    &vllm::Vllm,
    &tgi::Tgi,
    &inference_benchmarker::InferenceBenchmarker,
    &guidellm::Guidellm,
    &neuron::Neuron,
    &fmbench::Fmbench,
    &llmperf::Llmperf,
    &genai_perf::GenaiPerf,
    &price_table::PriceTable,
    &notes::Notes,
    &generic_csv::GenericCsv, // last: the fallback for per-request CSVs
];

/// Look a parser up by name (accepting `-` for `_`).
#[must_use]
pub fn parser_by_name(name: &str) -> Option<&'static dyn Parser> {
    let wanted = name.replace('-', "_");
    PARSERS.iter().copied().find(|p| p.name() == wanted)
}

/// The names of all parsers, for `--format` help.
#[must_use]
pub fn parser_names() -> Vec<&'static str> {
    PARSERS.iter().map(|p| p.name()).collect()
}

/// Every parser's verdict on a probe, in registry order.
#[must_use]
pub fn verdicts(probe: &Probe<'_>) -> Vec<(&'static dyn Parser, Sniff)> {
    PARSERS.iter().map(|p| (*p, p.sniff(probe))).collect()
}

/// Pick the parser for a file from the verdicts.
///
/// # Errors
/// `Unrecognized` when nothing matches, `Ambiguous` when several parsers tie at the top.
pub fn choose(
    path: &Path,
    verdicts: &[(&'static dyn Parser, Sniff)],
) -> Result<&'static dyn Parser, IngestError> {
    let best = |fallback: bool| {
        let candidates: Vec<_> = verdicts
            .iter()
            .filter(|(p, _)| p.is_fallback() == fallback)
            .collect();
        let top = candidates
            .iter()
            .map(|(_, s)| s.confidence)
            .max()
            .unwrap_or(Confidence::No);
        let at_top: Vec<_> = candidates
            .into_iter()
            .filter(|(_, s)| s.confidence == top && top > Confidence::No)
            .collect();
        (top, at_top)
    };
    let (top, at_top) = best(false);
    let (_, at_top) = if top == Confidence::No {
        best(true)
    } else {
        (top, at_top)
    };
    match at_top.as_slice() {
        [] => Err(IngestError::Unrecognized {
            path: path.to_path_buf(),
            reason: "no parser recognises its content".into(),
        }),
        [(p, _)] => Ok(*p),
        many => Err(IngestError::Ambiguous {
            path: path.to_path_buf(),
            candidates: many
                .iter()
                .map(|(p, _)| p.name())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names_are_unique_and_snake_case() {
        let names = parser_names();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            names.len(),
            "duplicate parser names: {names:?}"
        );
        for n in names {
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{n}");
        }
    }

    #[test]
    fn only_generic_csv_is_fallback() {
        let fallbacks: Vec<_> = PARSERS
            .iter()
            .filter(|p| p.is_fallback())
            .map(|p| p.name())
            .collect();
        assert_eq!(fallbacks, vec!["generic_csv"]);
    }

    #[test]
    fn sniff_hands_its_kind_to_parse_unless_it_said_no() {
        const KINDS: [(u8, &str); 2] = [(1, "one"), (2, "two")];
        let sure = Sniff::certain("why").of_kind(&KINDS, 2);
        assert_eq!((sure.variant, sure.kind(&KINDS)), ("two", Some(2)));
        let forced = Sniff {
            variant: "two",
            ..Sniff::no("not mine")
        };
        assert_eq!(forced.kind(&KINDS), None, "a No verdict names no kind");
        assert_eq!(Sniff::plausible("maybe").kind(&KINDS), None);
    }

    #[test]
    fn run_ids_are_stable_and_distinct() {
        assert_eq!(run_id("a/b.json", 0), run_id("a/b.json", 0));
        assert_ne!(run_id("a/b.json", 0), run_id("a/b.json", 1));
        assert_eq!(run_id("a/b.json", 0).len(), 12);
    }
}
