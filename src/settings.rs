//! The command line and `bench-report.toml` resolved into one value per command. Clap types
//! stop here: everything below takes plain settings, parsers and renderers by reference.

use std::path::{Path, PathBuf};

use crate::cli::{BuildArgs, ExportArgs, ExportFormat, InputArgs, InspectArgs, OnBadFile};
use crate::config::Config;
use crate::error::{ConfigError, Error, UsageError};
use crate::ingest::{self, Ingested, Parser, SourceRule};
use crate::model::Mapping;
use crate::model::Skipped;
use crate::render::{self, Renderer};

/// What to do with a file that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadFilePolicy {
    /// List every bad file and stop (exit 2).
    Fail,
    /// Build without it and list it as skipped, with the reason.
    Skip,
}

/// Inputs, config and discovery rules shared by `build` and `export`.
pub struct InputSettings {
    /// Folders, files or globs (default `data/`).
    pub inputs: Vec<PathBuf>,
    /// The configuration in force (defaults when no file).
    pub config: Config,
    /// The config file used.
    pub config_path: Option<PathBuf>,
    /// `--on-bad-file`.
    pub on_bad_file: BadFilePolicy,
    /// `--format`: one parser for every file.
    pub forced: Option<&'static dyn Parser>,
    /// `[[source]]` rules with their parsers resolved.
    pub rules: Vec<SourceRule>,
}

/// `build`.
pub struct BuildSettings {
    /// Inputs and config.
    pub input: InputSettings,
    /// Output folder.
    pub output: PathBuf,
    /// Page formats, in `-f` order.
    pub renderers: Vec<&'static dyn Renderer>,
    /// `--templates DIR`.
    pub templates: Option<PathBuf>,
    /// `--force`.
    pub force: bool,
    /// `--fail-on-budget`.
    pub fail_on_budget: bool,
    /// `--check`: compare with the output folder instead of replacing it.
    pub check: bool,
    /// `--dump-context`: write `context/<page>.json` beside the pages.
    pub dump_context: bool,
    /// `-f` as given, for the pages' "how this page was made".
    pub format_names: Vec<String>,
    /// `--quiet`.
    pub quiet: bool,
    /// `--verbose`.
    pub verbose: bool,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// `summary.json`.
    SummaryJson,
    /// `runs.csv`.
    RunsCsv,
}

/// `export`.
pub struct ExportSettings {
    /// Inputs and config.
    pub input: InputSettings,
    /// What to write.
    pub kind: ExportKind,
    /// Output file (stdout when `None`).
    pub output: Option<PathBuf>,
}

/// `inspect`.
pub struct InspectSettings {
    /// Files to inspect.
    pub files: Vec<PathBuf>,
    /// `--format`.
    pub forced: Option<&'static dyn Parser>,
}

impl BuildSettings {
    /// Resolve `build`'s arguments.
    ///
    /// # Errors
    /// Config, `--format` or `-f` errors.
    pub fn resolve(args: &BuildArgs, quiet: bool, verbose: bool) -> Result<Self, Error> {
        let input = InputSettings::resolve(&args.input)?;
        let site = &input.config.site;
        // The command line wins; then the config (paths relative to its file); then defaults.
        let format_names = if !args.formats.is_empty() {
            args.formats.clone()
        } else if !site.formats.is_empty() {
            site.formats.clone()
        } else {
            vec!["md".to_owned()]
        };
        let output = args
            .output
            .clone()
            .or_else(|| site.output.as_ref().map(|o| input.relative_to_config(o)))
            .unwrap_or_else(|| PathBuf::from("site"));
        let templates = args
            .templates
            .clone()
            .or_else(|| site.templates.as_ref().map(|t| input.relative_to_config(t)));
        let renderers = format_names
            .iter()
            .map(|f| {
                render::renderer_by_name(f).ok_or_else(|| UsageError::UnknownPageFormat {
                    name: f.clone(),
                    known: render::RENDERERS.iter().map(|r| r.name()).collect(),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(BuildSettings {
            input,
            output,
            renderers,
            templates,
            force: args.force,
            fail_on_budget: args.fail_on_budget,
            check: args.check,
            dump_context: args.dump_context,
            format_names,
            quiet,
            verbose,
        })
    }
}

impl ExportSettings {
    /// Resolve `export`'s arguments.
    ///
    /// # Errors
    /// Config or `--format` errors.
    pub fn resolve(args: &ExportArgs) -> Result<Self, Error> {
        Ok(ExportSettings {
            input: InputSettings::resolve(&args.input)?,
            kind: match args.to {
                ExportFormat::Json => ExportKind::SummaryJson,
                ExportFormat::Csv => ExportKind::RunsCsv,
            },
            output: args.output.clone(),
        })
    }
}

impl InspectSettings {
    /// Resolve `inspect`'s arguments.
    ///
    /// # Errors
    /// An unknown `--format`.
    pub fn resolve(args: &InspectArgs) -> Result<Self, Error> {
        Ok(InspectSettings {
            files: args.files.clone(),
            forced: args.format.as_deref().map(parser_named).transpose()?,
        })
    }
}

impl InputSettings {
    /// Resolve inputs, the config file (given, or `bench-report.toml` in the first input
    /// folder), `--format` and the `[[source]]` rules.
    ///
    /// # Errors
    /// An unreadable or invalid config, an unknown format name.
    pub fn resolve(args: &InputArgs) -> Result<Self, Error> {
        let named_inputs = if args.inputs.is_empty() {
            vec![PathBuf::from("data")]
        } else {
            args.inputs.clone()
        };
        let config_path = match &args.config {
            Some(p) => Some(p.clone()),
            None => named_inputs
                .first()
                .filter(|p| p.is_dir())
                .map(|d| d.join("bench-report.toml"))
                .filter(|p| p.is_file()),
        };
        let config = match &config_path {
            Some(p) => Config::load(p)?,
            None => Config::default(),
        };
        // `[inputs] paths` stands in for the command line's inputs only when it names none.
        let inputs = match &config_path {
            Some(p) if args.inputs.is_empty() && !config.inputs.paths.is_empty() => {
                let base = p.parent().unwrap_or(Path::new(""));
                config.inputs.paths.iter().map(|i| base.join(i)).collect()
            }
            _ => named_inputs,
        };
        let rules = source_rules(&config, config_path.as_deref())?;
        let forced = args.format.as_deref().map(parser_named).transpose()?;
        Ok(InputSettings {
            inputs,
            config,
            config_path,
            on_bad_file: match args.on_bad_file {
                OnBadFile::Fail => BadFilePolicy::Fail,
                OnBadFile::Skip => BadFilePolicy::Skip,
            },
            forced,
            rules,
        })
    }
}

impl InputSettings {
    /// `path` as written in the config file: relative to the file's folder.
    pub fn relative_to_config(&self, path: &Path) -> PathBuf {
        match self.config_path.as_deref().and_then(Path::parent) {
            Some(base) => base.join(path),
            None => path.to_path_buf(),
        }
    }

    /// Discover and ingest the inputs, never reading below `never`; apply `--on-bad-file`.
    ///
    /// # Errors
    /// A missing input or bad glob; every bad file at once under `--on-bad-file fail`.
    pub fn read_inputs(&self, never: Vec<PathBuf>) -> Result<Ingested, Error> {
        let s = self;
        let opts = ingest::DiscoverOptions {
            include: s.config.inputs.include.clone(),
            exclude: s.config.inputs.exclude.clone(),
            never,
            rules: s.rules.clone(),
            forced: s.forced,
        };
        let (found, skipped) = ingest::discover(&s.inputs, &opts)?;
        let mut ingested = ingest::ingest_all(&found, &opts);
        ingested.skipped.extend(skipped);
        let problems = std::mem::take(&mut ingested.problems);
        if !problems.is_empty() && s.on_bad_file == BadFilePolicy::Fail {
            return Err(Error::BadInputs(problems));
        }
        for p in problems {
            // A problem in a file beside the one found (a sidecar) keeps its whole text.
            let (path, reason) = match found.iter().find(|f| f.path == p.path()) {
                Some(f) => (f.rel.clone(), p.reason()),
                None => (String::new(), p.to_string()),
            };
            ingested.skipped.push(Skipped {
                path,
                reason: format!("bad file: {reason}"),
            });
        }
        ingested.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(ingested)
    }

    /// `--verbose`: the config used, every file read and every file skipped.
    #[must_use]
    pub fn reading_log(&self, ingested: &Ingested) -> Vec<String> {
        let s = self;
        let mut out = Vec::new();
        if let Some(c) = &s.config_path {
            out.push(format!("config: {}", c.display()));
        }
        for i in &ingested.inputs {
            out.push(format!(
                "read {} as {} ({} run(s))",
                i.path, i.format, i.runs
            ));
        }
        for k in &ingested.skipped {
            out.push(format!("skipped {}: {}", k.path, k.reason));
        }
        out
    }
}

fn parser_named(name: &str) -> Result<&'static dyn Parser, UsageError> {
    ingest::parser_by_name(name).ok_or_else(|| UsageError::UnknownFormat {
        name: name.to_string(),
        known: ingest::parser_names(),
    })
}

/// `[[source]]` rules as ingest applies them: globs compiled, format names resolved.
fn source_rules(
    config: &Config,
    config_path: Option<&std::path::Path>,
) -> Result<Vec<SourceRule>, ConfigError> {
    let invalid = |key: String, message: String| ConfigError::Invalid {
        path: config_path.map(PathBuf::from).unwrap_or_default(),
        key,
        message,
    };
    config
        .source
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let parser = match &rule.format {
                Some(f) => Some(ingest::parser_by_name(f).ok_or_else(|| {
                    invalid(
                        format!("source[{i}].format"),
                        format!(
                            "unknown format {f:?}; known: {}",
                            ingest::parser_names().join(", ")
                        ),
                    )
                })?),
                None => None,
            };
            let glob = glob::Pattern::new(&rule.glob)
                .map_err(|e| invalid(format!("source[{i}].glob"), format!("bad glob: {e}")))?;
            Ok(SourceRule {
                glob,
                parser,
                mapping: Mapping {
                    columns: rule.columns.clone(),
                    units: rule.units.clone(),
                    labels: rule.labels.clone(),
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SourceRule as ConfigRule;

    fn config_with_rule(glob: &str, format: Option<&str>) -> Config {
        Config {
            source: vec![ConfigRule {
                glob: glob.into(),
                format: format.map(str::to_string),
                columns: [("ttft_ms".to_string(), "first_token_s".to_string())].into(),
                units: [("first_token_s".to_string(), "s".to_string())].into(),
                labels: [("model".to_string(), "m".to_string())].into(),
            }],
            ..Config::default()
        }
    }

    #[test]
    fn source_rules_resolve_their_parser_and_keep_their_mapping() {
        let rules = source_rules(
            &config_with_rule("harness/*.csv", Some("generic-csv")),
            None,
        )
        .expect("valid");
        assert_eq!(rules[0].parser.map(|p| p.name()), Some("generic_csv"));
        assert!(rules[0].glob.matches("harness/a.csv"));
        assert_eq!(rules[0].mapping.columns["ttft_ms"], "first_token_s");
        assert_eq!(rules[0].mapping.labels["model"], "m");
    }

    #[test]
    fn an_unknown_source_format_or_bad_glob_names_its_key() {
        let path = std::path::Path::new("b.toml");
        let err = source_rules(&config_with_rule("*.csv", Some("nope")), Some(path))
            .err()
            .expect("unknown format");
        let text = err.to_string();
        assert!(
            text.starts_with("b.toml: source[0].format: unknown format \"nope\"; known: vllm, "),
            "{text}"
        );
        let err = source_rules(&config_with_rule("[", None), Some(path))
            .err()
            .expect("bad glob");
        assert!(
            err.to_string()
                .starts_with("b.toml: source[0].glob: bad glob"),
            "{err}"
        );
    }
}
