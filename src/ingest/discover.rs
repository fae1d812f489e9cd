//! Discovery (ARCHITECTURE.md): walk the inputs, then read, sniff, choose and parse each file
//! ([`read_file`], written once), and gather runs, prices, skipped files and problems.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{choose, verdicts, Parsed, Parser, Probe, Sniff, Source, PROBE_BYTES};
use crate::error::{IngestError, Location};
use crate::model::{
    folder_of, InputFile, Mapping, ParsedRun, PriceRow, Scoped, Skipped, TokenPrice,
};

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
    pub prices: Vec<Scoped<PriceRow>>,
    /// Token prices found among the inputs.
    pub token_prices: Vec<Scoped<TokenPrice>>,
}

/// Discovery options.
#[derive(Default)]
pub struct DiscoverOptions {
    /// Include globs, relative to each input root.
    pub include: Vec<String>,
    /// Exclude globs, relative to each input root.
    pub exclude: Vec<String>,
    /// Folders never read (the output folder and its staging siblings), absolute.
    pub never: Vec<PathBuf>,
    /// `[[source]]` rules, first match wins.
    pub rules: Vec<SourceRule>,
    /// `--format`: one parser for every file.
    pub forced: Option<&'static dyn Parser>,
}

/// A `[[source]]` rule as ingest applies it: files whose relative path matches `glob` are read
/// with `parser` (when given) and `mapping`.
#[derive(Clone)]
pub struct SourceRule {
    /// The rule's glob, relative to the input root.
    pub glob: glob::Pattern,
    /// The parser it forces.
    pub parser: Option<&'static dyn Parser>,
    /// Columns, units and labels.
    pub mapping: Mapping,
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
                IngestError::invalid(Location::file(input), format!("bad glob: {e}"))
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
                    Location::file("bench-report.toml"),
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

/// Stable run id (README "How numbers are computed"): hash of the relative source path and the index in the file.
#[must_use]
pub(crate) fn run_id(rel: &str, index: usize) -> String {
    let mut h = Sha256::new();
    h.update(rel.as_bytes());
    h.update(b"\0");
    h.update(index.to_string().as_bytes());
    let digest = h.finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Read, sniff and parse every found file. Bad files become `problems`; files recognised as
/// non-input become `skipped`.
#[must_use]
pub fn ingest_all(found: &[Found], opts: &DiscoverOptions) -> Ingested {
    let mut out = Ingested::default();
    for file in found {
        let rule = opts
            .rules
            .iter()
            .find(|r| r.glob.matches_with(&file.rel, glob_options()));
        let mapping = rule.map(|r| r.mapping.clone()).unwrap_or_default();
        let forced = opts.forced.or(rule.and_then(|r| r.parser));
        let read = read_file(&file.path, &file.rel, forced, &mapping);
        match read.outcome {
            Ok((parser, parsed)) => absorb(&mut out, file, parser, &read.bytes, parsed, &mapping),
            Err(e) => out.problems.push(e),
        }
    }
    out
}

/// One file through read → sniff → choose → parse, with what each step found.
pub struct FileRead {
    /// The file's bytes (empty when it could not be read).
    pub bytes: Vec<u8>,
    /// Every parser's verdict on the file, in registry order (empty when it could not be read).
    pub verdicts: Vec<(&'static dyn Parser, Sniff)>,
    /// The parser used and what it read, or the first problem.
    pub outcome: Result<(&'static dyn Parser, Parsed), IngestError>,
}

/// Read one file, sniff it, choose its parser (or take `forced`) and parse it. The only place
/// that runs this sequence: `build`, `export`, `inspect` and price tables all come through here.
#[must_use]
pub fn read_file(
    path: &Path,
    rel: &str,
    forced: Option<&'static dyn Parser>,
    mapping: &Mapping,
) -> FileRead {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return FileRead {
                bytes: Vec::new(),
                verdicts: Vec::new(),
                outcome: Err(IngestError::Io {
                    path: path.to_path_buf(),
                    source: e,
                }),
            }
        }
    };
    let probe = make_probe(path, rel, &bytes);
    let verdicts = verdicts(&probe);
    let outcome = forced
        .map_or_else(|| choose(path, &verdicts), Ok)
        .and_then(|parser| {
            // The chosen parser's own verdict (a parser outside the registry sniffs here).
            let sniff = verdicts
                .iter()
                .find(|(p, _)| p.name() == parser.name())
                .map_or_else(|| parser.sniff(&probe), |(_, s)| s.clone());
            let source = Source {
                path,
                rel,
                bytes: &bytes,
                mapping,
                sniff: &sniff,
            };
            parser.parse(&source).map(|parsed| (parser, parsed))
        });
    FileRead {
        bytes,
        verdicts,
        outcome,
    }
}

/// A file read beside the one being parsed.
pub(crate) struct Sidecar {
    /// Its path (what its errors name).
    pub(crate) path: PathBuf,
    /// Its bytes.
    pub(crate) bytes: Vec<u8>,
}

/// Files beside the one being parsed (FMBench run-folder configs and tables, LLMPerf
/// summary/individual pairs, vLLM sweep and nightly siblings, AIPerf summaries): the only way a
/// parser reads a file other than its own. Names are relative to the file's folder and may
/// climb with leading `../`, resolved on the path as given (not on disk).
impl Source<'_> {
    /// The path of `name` beside this file; `None` when it climbs above the path given.
    #[must_use]
    pub(crate) fn beside_path(&self, name: &str) -> Option<PathBuf> {
        let mut dir = self.path.parent().unwrap_or(Path::new("."));
        let mut rest = name;
        while let Some(r) = rest.strip_prefix("../") {
            dir = dir.parent()?;
            rest = r;
        }
        Some(dir.join(rest))
    }

    /// Whether a file `name` exists beside this one.
    #[must_use]
    pub(crate) fn has_beside(&self, name: &str) -> bool {
        self.beside_path(name).is_some_and(|p| p.is_file())
    }

    /// The file `name` beside this one, or `None` when there is no such file.
    ///
    /// # Errors
    /// The file exists but cannot be read; the error names the file beside, not this one.
    pub(crate) fn beside(&self, name: &str) -> Result<Option<Sidecar>, IngestError> {
        let Some(path) = self.beside_path(name).filter(|p| p.is_file()) else {
            return Ok(None);
        };
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(Sidecar { path, bytes })),
            Err(e) => Err(IngestError::Io { path, source: e }),
        }
    }

    /// The names of the entries (files and folders) of the folder `dir` beside this file
    /// (`""`: its own folder), sorted; empty when the folder cannot be listed.
    #[must_use]
    pub(crate) fn list_beside(&self, dir: &str) -> Vec<String> {
        let Some(path) = self.beside_path(dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = std::fs::read_dir(path)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
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
        out.prices.push(Scoped {
            scope: scope.clone(),
            root: file.root.clone(),
            value: row,
        });
    }
    for price in parsed.token_prices {
        out.token_prices.push(Scoped {
            scope: scope.clone(),
            root: file.root.clone(),
            value: price,
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
fn apply_labels(run: &mut crate::model::Run, labels: &BTreeMap<String, String>) {
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
fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
