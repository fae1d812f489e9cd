//! Discovery, format sniffing, the [`Parser`] trait and the registry of parsers (DESIGN §2,
//! STYLE §3).
//!
//! `ingest_all` walks the inputs, asks every parser how sure it is that a file is its format,
//! parses each file with the single best parser and collects bad files as problems instead
//! of stopping at the first. Parsers never compute summary metrics; they translate.

pub mod json;

mod csv_columns;
pub mod fmbench;
pub mod genai_perf;
pub mod generic_csv;
pub mod guidellm;
pub mod inference_benchmarker;
pub mod llmperf;
pub mod neuron;
pub mod notes;
pub mod price_table;
pub mod tgi;
pub mod vllm;

#[cfg(test)]
pub mod testing;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::config::{Config, SourceRule};
use crate::error::IngestError;
use crate::model::ParsedRun;
use crate::pricing::{PriceRow, TokenPrice};

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
}

impl Sniff {
    /// Not this format.
    #[must_use]
    pub fn no(why: impl Into<String>) -> Self {
        Sniff {
            confidence: Confidence::No,
            why: why.into(),
        }
    }
    /// Possibly this format.
    #[must_use]
    pub fn plausible(why: impl Into<String>) -> Self {
        Sniff {
            confidence: Confidence::Plausible,
            why: why.into(),
        }
    }
    /// Certainly this format.
    #[must_use]
    pub fn certain(why: impl Into<String>) -> Self {
        Sniff {
            confidence: Confidence::Certain,
            why: why.into(),
        }
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

/// Column mapping and labels a `[[source]]` rule applies to a file.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Our column name → the file's column name.
    pub columns: BTreeMap<String, String>,
    /// The file's column name → its unit (`s`, `ms`, `us`, `ns`).
    pub units: BTreeMap<String, String>,
    /// Labels added to every run of the file (`model`, `instance_type`, … fill run fields).
    pub labels: BTreeMap<String, String>,
}

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
}

/// What a parser read from one file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Runs, in file order.
    pub runs: Vec<ParsedRun>,
    /// Hourly price rows this file carries (price tables); they apply to runs in this
    /// file's folder and below (DESIGN §5).
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

/// A file found by discovery.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path to open.
    pub path: PathBuf,
    /// Path relative to its input root, `/`-separated (what pages show and ids hash).
    pub rel: String,
    /// The input root it was found under.
    pub root: PathBuf,
}

/// A file that was read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputFile {
    /// Path relative to its input root.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Parser name.
    pub format: String,
    /// Runs read from it.
    pub runs: usize,
    /// Remarks (pairing, price rows read, …).
    pub notes: Vec<String>,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    /// Path relative to its input root.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// A price row together with the folder it applies to.
#[derive(Debug, Clone)]
pub struct ScopedPrice {
    /// Folder (relative to the input root, `/`-separated, `""` for the root) whose runs it may price.
    pub scope: String,
    /// The input root the scope is relative to.
    pub root: PathBuf,
    /// The row.
    pub row: PriceRow,
}

/// A token price together with the folder it applies to.
#[derive(Debug, Clone)]
pub struct ScopedTokenPrice {
    /// Folder scope, as for [`ScopedPrice`].
    pub scope: String,
    /// The input root.
    pub root: PathBuf,
    /// The price.
    pub price: TokenPrice,
}

/// A run with the input root it came from.
#[derive(Debug, Clone)]
pub struct IngestedRun {
    /// The parsed run (its `run_id` filled).
    pub parsed: ParsedRun,
    /// The input root.
    pub root: PathBuf,
}

/// Everything ingest produced.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Runs in discovery order (files sorted by path, runs in file order).
    pub runs: Vec<IngestedRun>,
    /// Files read.
    pub inputs: Vec<InputFile>,
    /// Files not read and why (notes, non-matching names, and bad files under `skip`).
    pub skipped: Vec<Skipped>,
    /// Bad files.
    pub problems: Vec<IngestError>,
    /// Hourly prices found among the inputs.
    pub prices: Vec<ScopedPrice>,
    /// Token prices found among the inputs.
    pub token_prices: Vec<ScopedTokenPrice>,
}

/// Discovery options.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Include globs, relative to each input root.
    pub include: Vec<String>,
    /// Exclude globs, relative to each input root.
    pub exclude: Vec<String>,
    /// Folders never read (the output folder and its staging siblings), absolute.
    pub never: Vec<PathBuf>,
}

/// Find input files. A folder is walked recursively (sorted, hidden entries skipped); a file
/// is taken as is; anything else is treated as a glob. Returns files to read and files listed
/// as skipped because no include pattern matched.
///
/// # Errors
/// An input that does not exist, or a bad glob.
pub fn discover(
    inputs: &[PathBuf],
    opts: &DiscoverOptions,
) -> Result<(Vec<Found>, Vec<Skipped>), IngestError> {
    let include = compile_globs(&opts.include)?;
    let exclude = compile_globs(&opts.exclude)?;
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut files = Vec::new();
            walk(input, &opts.never, &mut files).map_err(|e| IngestError::Io {
                path: input.clone(),
                source: e,
            })?;
            files.sort();
            for path in files {
                let rel = relative(&path, input);
                if exclude.iter().any(|g| g.matches_with(&rel, glob_options())) {
                    continue;
                }
                if rel == "bench-report.toml" {
                    continue;
                }
                if include.iter().any(|g| g.matches_with(&rel, glob_options())) {
                    found.push(Found {
                        path,
                        rel,
                        root: input.clone(),
                    });
                } else {
                    skipped.push(Skipped {
                        path: rel,
                        reason:
                            "not a benchmark file: its name matches no [inputs] include pattern"
                                .into(),
                    });
                }
            }
        } else if input.is_file() {
            let root = input.parent().map(Path::to_path_buf).unwrap_or_default();
            let rel = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push(Found {
                path: input.clone(),
                rel,
                root,
            });
        } else {
            let pattern = input.to_string_lossy().into_owned();
            let paths = glob::glob(&pattern).map_err(|e| {
                IngestError::invalid(
                    crate::error::Location::file(input),
                    format!("bad glob: {e}"),
                )
            })?;
            let mut matched: Vec<PathBuf> = paths
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect();
            if matched.is_empty() {
                return Err(IngestError::Io {
                    path: input.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no such file, folder or matching glob",
                    ),
                });
            }
            matched.sort();
            let root = glob_root(&pattern);
            for path in matched {
                let rel = relative(&path, &root);
                found.push(Found {
                    path,
                    rel,
                    root: root.clone(),
                });
            }
        }
    }
    Ok((found, skipped))
}

fn glob_options() -> glob::MatchOptions {
    glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: false,
        require_literal_leading_dot: false,
    }
}

fn compile_globs(patterns: &[String]) -> Result<Vec<glob::Pattern>, IngestError> {
    patterns
        .iter()
        .map(|p| {
            glob::Pattern::new(p).map_err(|e| {
                IngestError::invalid(
                    crate::error::Location::file("bench-report.toml"),
                    format!("bad glob {p:?}: {e}"),
                )
            })
        })
        .collect()
}

fn glob_root(pattern: &str) -> PathBuf {
    let mut root = PathBuf::new();
    for part in Path::new(pattern).components() {
        let s = part.as_os_str().to_string_lossy();
        if s.contains(['*', '?', '[']) {
            break;
        }
        root.push(part);
    }
    root
}

fn walk(dir: &Path, never: &[PathBuf], out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            if let Ok(canon) = path.canonicalize() {
                if never.iter().any(|n| canon.starts_with(n)) {
                    continue;
                }
            }
            walk(&path, never, out)?;
        } else if ft.is_file() || (ft.is_symlink() && path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

/// `path` relative to `root`, `/`-separated.
#[must_use]
pub fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Stable run id (DESIGN §3): hash of the relative source path and the index in the file.
#[must_use]
pub fn run_id(rel: &str, index: usize) -> String {
    let mut h = Sha256::new();
    h.update(rel.as_bytes());
    h.update(b"\0");
    h.update(index.to_string().as_bytes());
    let digest = h.finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The folder part of a relative path (`a/b/c.json` → `a/b`, `c.json` → ``).
#[must_use]
pub fn folder_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

/// Read, sniff and parse every found file. Bad files become `problems`; files recognised as
/// non-input become `skipped`.
#[must_use]
pub fn ingest_all(found: &[Found], config: &Config, forced_format: Option<&str>) -> Ingested {
    let mut out = Ingested::default();
    for file in found {
        let bytes = match std::fs::read(&file.path) {
            Ok(b) => b,
            Err(e) => {
                out.problems.push(IngestError::Io {
                    path: file.path.clone(),
                    source: e,
                });
                continue;
            }
        };
        let (rule, mapping) = match_source_rule(&config.source, &file.rel);
        let forced = forced_format.or(rule.and_then(|r| r.format.as_deref()));
        let parser = match forced {
            Some(name) => match parser_by_name(name) {
                Some(p) => p,
                None => {
                    out.problems.push(IngestError::invalid(
                        crate::error::Location::file(&file.path),
                        format!(
                            "unknown format {name:?}; known: {}",
                            parser_names().join(", ")
                        ),
                    ));
                    continue;
                }
            },
            None => {
                let probe = make_probe(&file.path, &file.rel, &bytes);
                match choose(&file.path, &verdicts(&probe)) {
                    Ok(p) => p,
                    Err(e) => {
                        out.problems.push(e);
                        continue;
                    }
                }
            }
        };
        let source = Source {
            path: &file.path,
            rel: &file.rel,
            bytes: &bytes,
            mapping: &mapping,
        };
        match parser.parse(&source) {
            Ok(parsed) => absorb(&mut out, file, parser, &bytes, parsed, &mapping),
            Err(e) => out.problems.push(e),
        }
    }
    out
}

/// Build a probe over the first bytes of a file.
#[must_use]
pub fn make_probe<'a>(path: &'a Path, rel: &'a str, bytes: &'a [u8]) -> Probe<'a> {
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(PROBE_BYTES)];
    Probe {
        path,
        rel,
        file_name,
        extension,
        head,
    }
}

fn match_source_rule<'c>(rules: &'c [SourceRule], rel: &str) -> (Option<&'c SourceRule>, Mapping) {
    for rule in rules {
        if let Ok(pattern) = glob::Pattern::new(&rule.glob) {
            if pattern.matches_with(rel, glob_options()) {
                let mapping = Mapping {
                    columns: rule.columns.clone(),
                    units: rule.units.clone(),
                    labels: rule.labels.clone(),
                };
                return (Some(rule), mapping);
            }
        }
    }
    (None, Mapping::default())
}

fn absorb(
    out: &mut Ingested,
    file: &Found,
    parser: &dyn Parser,
    bytes: &[u8],
    parsed: Parsed,
    mapping: &Mapping,
) {
    if let Some(reason) = parsed.not_input {
        out.skipped.push(Skipped {
            path: file.rel.clone(),
            reason,
        });
        return;
    }
    let scope = folder_of(&file.rel);
    let mut notes = parsed.notes;
    if !parsed.prices.is_empty() {
        notes.push(format!("{} hourly price row(s)", parsed.prices.len()));
    }
    if !parsed.token_prices.is_empty() {
        notes.push(format!("{} token price row(s)", parsed.token_prices.len()));
    }
    for row in parsed.prices {
        out.prices.push(ScopedPrice {
            scope: scope.clone(),
            root: file.root.clone(),
            row,
        });
    }
    for price in parsed.token_prices {
        out.token_prices.push(ScopedTokenPrice {
            scope: scope.clone(),
            root: file.root.clone(),
            price,
        });
    }
    let runs = parsed.runs.len();
    for (index, mut pr) in parsed.runs.into_iter().enumerate() {
        let run = &mut pr.run;
        run.index_in_file = index;
        run.run_id = run_id(&file.rel, index);
        run.source_file.clone_from(&file.rel);
        if run.source_format.is_empty() {
            run.source_format = parser.name().to_string();
        }
        apply_labels(run, &mapping.labels);
        out.runs.push(IngestedRun {
            parsed: pr,
            root: file.root.clone(),
        });
    }
    out.inputs.push(InputFile {
        path: file.rel.clone(),
        sha256: hex_sha256(bytes),
        format: parser.name().to_string(),
        runs,
        notes,
    });
}

/// Apply `[[source]] labels`: known run fields are filled (when the file left them empty),
/// everything else becomes a label.
pub fn apply_labels(run: &mut crate::model::Run, labels: &BTreeMap<String, String>) {
    for (k, v) in labels {
        match k.as_str() {
            "model" => fill(&mut run.model, v),
            "engine" => fill(&mut run.engine, v),
            "engine_version" => fill(&mut run.engine_version, v),
            "instance_type" => fill(&mut run.instance_type, v),
            "accelerator" => fill(&mut run.accelerator, v),
            "dataset" => fill(&mut run.dataset, v),
            "date" => fill(&mut run.date, v),
            "instance_count" => {
                if run.instance_count.is_none() {
                    run.instance_count = v.parse().ok();
                }
            }
            _ => {
                run.labels.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

fn fill(field: &mut Option<String>, value: &str) {
    if field.is_none() {
        *field = Some(value.to_string());
    }
}

/// SHA-256 of bytes, hex.
#[must_use]
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
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
    fn run_ids_are_stable_and_distinct() {
        assert_eq!(run_id("a/b.json", 0), run_id("a/b.json", 0));
        assert_ne!(run_id("a/b.json", 0), run_id("a/b.json", 1));
        assert_eq!(run_id("a/b.json", 0).len(), 12);
    }

    #[test]
    fn folder_of_paths() {
        assert_eq!(folder_of("a/b/c.json"), "a/b");
        assert_eq!(folder_of("c.json"), "");
    }
}
