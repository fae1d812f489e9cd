//! bench-report: turns LLM-inference benchmark results into priced, budgeted report pages.
//!
//! ```text
//! discover (glob, config)  →  sniff format  →  ingest (one parser per format)
//!   →  normalized model (runs + per-request rows)  →  join prices  →  aggregate metrics
//!   →  evaluate budgets  →  recommend  →  view model  →  render (md) and exports
//!   →  staged output directory, renamed into place when everything succeeded
//! ```
//!
//! One public function per command (`build`, `export`, `inspect`); `run` dispatches from the
//! parsed command line and returns an [`Outcome`] whose status `main.rs` turns into the exit
//! code (0 success, 1 gate failed, 2 error).

pub mod budget;
pub mod cli;
pub mod config;
pub mod error;
pub mod export;
pub mod format;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod output;
pub mod pricing;
pub mod recommend;
pub mod render;
pub mod report;
pub mod stats;
pub mod units;

use std::io::Write;
use std::path::{Path, PathBuf};

use cli::{BuildArgs, Cli, Command, ExportArgs, ExportFormat, InputArgs, InspectArgs, OnBadFile};
use config::Config;
use error::{ConfigError, Error, IngestError};
use ingest::{DiscoverOptions, Ingested};
use report::{EvaluatedRun, Evaluation, View};

/// The exit status contract; README "Exit status" documents the same table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Built; every requested gate passed.
    Success = 0,
    /// `--fail-on-budget` tripped.
    GateFailed = 1,
    /// Bad input, bad usage, I/O failure; nothing was published.
    Error = 2,
}

/// What a command achieved.
#[derive(Debug)]
pub struct Outcome {
    /// Exit status.
    pub status: Status,
    /// Lines for stderr (summary, warnings), already formatted.
    pub messages: Vec<String>,
}

/// Run the parsed command line.
///
/// # Errors
/// Any error, to be printed one line per problem with exit status 2.
pub fn run(cli: &Cli) -> Result<Outcome, Error> {
    match &cli.command {
        Command::Build(args) => build(args, cli.quiet, cli.verbose),
        Command::Export(args) => export(args),
        Command::Inspect(args) => inspect(args),
    }
}

/// Inputs, config and its folder, resolved from the arguments.
struct Resolved {
    inputs: Vec<PathBuf>,
    config: Config,
    config_path: Option<PathBuf>,
}

fn resolve(args: &InputArgs) -> Result<Resolved, Error> {
    let inputs = if args.inputs.is_empty() {
        vec![PathBuf::from("data")]
    } else {
        args.inputs.clone()
    };
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => inputs
            .first()
            .filter(|p| p.is_dir())
            .map(|d| d.join("bench-report.toml"))
            .filter(|p| p.is_file()),
    };
    let config = match &config_path {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    if let Some(f) = &args.format {
        if ingest::parser_by_name(f).is_none() {
            return Err(ConfigError::Usage(format!(
                "unknown --format {f:?}; known formats: {}",
                ingest::parser_names().join(", ")
            ))
            .into());
        }
    }
    Ok(Resolved {
        inputs,
        config,
        config_path,
    })
}

/// Discover and ingest; apply `--on-bad-file`.
fn read_inputs(r: &Resolved, args: &InputArgs, never: Vec<PathBuf>) -> Result<Ingested, Error> {
    let opts = DiscoverOptions {
        include: r.config.inputs.include.clone(),
        exclude: r.config.inputs.exclude.clone(),
        never,
    };
    let (found, skipped) = ingest::discover(&r.inputs, &opts)?;
    let mut ingested = ingest::ingest_all(&found, &r.config, args.format.as_deref());
    ingested.skipped.extend(skipped);
    if !ingested.problems.is_empty() {
        match args.on_bad_file {
            OnBadFile::Fail => {
                return Err(Error::BadInputs(std::mem::take(&mut ingested.problems)))
            }
            OnBadFile::Skip => {
                for p in std::mem::take(&mut ingested.problems) {
                    let (path, reason) = problem_path_and_reason(&p, &found);
                    ingested.skipped.push(ingest::Skipped { path, reason });
                }
            }
        }
    }
    ingested.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ingested)
}

/// The relative path a problem is about, and the message without the path prefix.
fn problem_path_and_reason(p: &IngestError, found: &[ingest::Found]) -> (String, String) {
    let msg = p.to_string();
    for f in found {
        let shown = f.path.display().to_string();
        if let Some(rest) = msg.strip_prefix(&shown) {
            let rest = rest.trim_start_matches(':').trim();
            let rest = rest
                .split_once(": ")
                .filter(|(loc, _)| loc.starts_with('/') || loc.starts_with("line "))
                .map_or_else(
                    || rest.to_string(),
                    |(loc, why)| format!("{why} (at {loc})"),
                );
            return (f.rel.clone(), format!("bad file: {rest}"));
        }
    }
    (String::new(), format!("bad file: {msg}"))
}

/// Evaluate: metrics, prices, budgets, recommendations.
///
/// # Errors
/// A configured price table that cannot be read.
pub fn evaluate(
    ingested: Ingested,
    config: &Config,
    config_path: Option<&Path>,
) -> Result<Evaluation, Error> {
    let base = config_path
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let global = pricing::load_global_tables(&config.pricing.tables, &base)?;
    let book = pricing::PriceBook {
        scoped: ingested.prices,
        scoped_tokens: ingested.token_prices,
        global,
        aliases: config.pricing.aliases.clone(),
        region: config.pricing.region.clone(),
        pricing_model: config.pricing.pricing_model.clone(),
    };
    let parsed: Vec<&model::ParsedRun> = ingested.runs.iter().map(|r| &r.parsed).collect();
    let summaries = metrics::summarize(&parsed, &config.metrics, &config.slo)
        .map_err(|e| ConfigError::Usage(format!("metrics: {e}")))?;
    let mut warnings = Vec::new();
    let mut runs: Vec<EvaluatedRun> = Vec::new();
    for (ir, summary) in ingested.runs.into_iter().zip(summaries) {
        let rates = pricing::Rates {
            request_throughput_rps: summary
                .values
                .get("request_throughput_rps")
                .and_then(|a| a.value),
            output_token_throughput_tps: summary
                .values
                .get("output_token_throughput_tps")
                .and_then(|a| a.value),
            total_token_throughput_tps: summary
                .values
                .get("total_token_throughput_tps")
                .and_then(|a| a.value),
            input_tokens_mean: summary
                .values
                .get("input_tokens.mean")
                .and_then(|a| a.value),
            output_tokens_mean: summary
                .values
                .get("output_tokens.mean")
                .and_then(|a| a.value),
        };
        let cost = book.cost(&ir.parsed.run, &ir.root, &rates);
        warnings.extend(summary.warnings.iter().map(|w| {
            format!(
                "{} ({}): {w}",
                ir.parsed.run.source_file, ir.parsed.run.run_id
            )
        }));
        let mut er = EvaluatedRun {
            run: ir.parsed.run,
            root: ir.root,
            summary,
            cost,
            verdicts: Vec::new(),
            status: None,
        };
        er.verdicts = budget::evaluate(&config.budget, &|m| er.value(m));
        er.status = budget::overall(&er.verdicts);
        runs.push(er);
    }
    runs.sort_by(|a, b| {
        display_order(a)
            .partial_cmp(&display_order(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let latency_budget = config
        .budget
        .iter()
        .find(|b| {
            b.max.is_some()
                && b.metric
                    .split_once('.')
                    .is_some_and(|(m, _)| model::LATENCY_METRICS.contains(&m))
        })
        .and_then(|b| b.max.map(|m| (b.metric.clone(), m)));
    let ctx = recommend::Context {
        objective: config.recommend.objective,
        cost_metric: config.recommend.cost_metric.clone(),
        latency_budget: latency_budget.clone(),
    };
    // A warmup step (inference-benchmarker) is shown but is not a benchmark point to recommend.
    let candidates: Vec<recommend::Candidate> = runs
        .iter()
        .enumerate()
        .filter(|(_, er)| er.run.labels.get("warmup").is_none_or(|w| w != "true"))
        .map(|(i, er)| recommend::Candidate {
            index: i,
            run_id: er.run.run_id.clone(),
            group: config
                .recommend
                .group_by
                .iter()
                .map(|f| (f.clone(), group_value(&er.run, f)))
                .collect(),
            concurrency: er.run.concurrency,
            request_rate: er.run.request_rate_rps.map(model::RequestRate::sort_value),
            load_label: load_sentence(&er.run),
            status: er.status,
            verdicts: er.verdicts.clone(),
            request_throughput_rps: er.number("request_throughput_rps"),
            cost: er.cost.get(&config.recommend.cost_metric),
            latency: latency_budget.as_ref().and_then(|(m, _)| er.number(m)),
        })
        .collect();
    let recommendations = recommend::recommend(&candidates, &ctx);
    let best = recommend::best_per_dataset(&recommendations, &candidates, &ctx);
    let title = config
        .title
        .clone()
        .unwrap_or_else(|| "Benchmark report".to_string());
    Ok(Evaluation {
        title,
        config_path: config_path.map(|p| p.display().to_string()),
        config: config.clone(),
        runs,
        inputs: ingested.inputs,
        skipped: ingested.skipped,
        warnings,
        recommendations,
        best,
    })
}

/// Display order: model, instance, dataset, engine, load, then file and index.
fn display_order(er: &EvaluatedRun) -> (String, String, String, String, u32, f64, String, usize) {
    let r = &er.run;
    (
        r.model.clone().unwrap_or_default(),
        r.instance_type.clone().unwrap_or_default(),
        r.dataset.clone().unwrap_or_default(),
        r.engine.clone().unwrap_or_default(),
        r.concurrency.unwrap_or(0),
        r.request_rate_rps
            .map_or(-1.0, model::RequestRate::sort_value),
        r.source_file.clone(),
        r.index_in_file,
    )
}

fn group_value(run: &model::Run, field: &str) -> String {
    let s = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    let n = |v: Option<u32>| v.map_or_else(|| "(none)".into(), |x| x.to_string());
    match field {
        "model" => s(&run.model),
        "engine" => s(&run.engine),
        "engine_version" => s(&run.engine_version),
        "instance_type" => s(&run.instance_type),
        "accelerator" => s(&run.accelerator),
        "dataset" => s(&run.dataset),
        "source_format" => run.source_format.clone(),
        "source_file" => run.source_file.clone(),
        "input_len" => run
            .input_len
            .map_or_else(|| "(none)".into(), |x| x.to_string()),
        "output_len" => run
            .output_len
            .map_or_else(|| "(none)".into(), |x| x.to_string()),
        "tp" => n(run.tp),
        "pp" => n(run.pp),
        "batch_size" => n(run.batch_size),
        _ => "(none)".into(),
    }
}

fn load_sentence(run: &model::Run) -> String {
    match (run.concurrency, run.request_rate_rps) {
        (Some(c), Some(model::RequestRate::Finite(r))) => {
            format!("concurrency {c} at {} req/s", format::float(r))
        }
        (Some(c), _) => format!("concurrency {c}"),
        (None, Some(model::RequestRate::Infinite)) => "an unlimited request rate".into(),
        (None, Some(model::RequestRate::Finite(r))) => format!("{} req/s", format::float(r)),
        (None, None) => String::new(),
    }
}

/// `build`: pages and exports into a staged output folder.
///
/// # Errors
/// Bad inputs (under `--on-bad-file fail`), config, template or output errors.
pub fn build(args: &BuildArgs, quiet: bool, verbose: bool) -> Result<Outcome, Error> {
    let r = resolve(&args.input)?;
    let mut renderers = Vec::new();
    for f in &args.formats {
        match render::renderer_by_name(f) {
            Some(rd) => renderers.push(rd),
            None => {
                let known: Vec<&str> = render::RENDERERS.iter().map(|r| r.name()).collect();
                return Err(ConfigError::Usage(format!(
                    "unknown page format {f:?}; known: {}",
                    known.join(", ")
                ))
                .into());
            }
        }
    }
    output::check_destination(&args.output, &r.inputs, args.force)?;
    let never = vec![output::absolute(&args.output)];
    let ingested = read_inputs(&r, &args.input, never)?;
    let mut messages = Vec::new();
    if verbose {
        if let Some(c) = &r.config_path {
            messages.push(format!("config: {}", c.display()));
        }
        for i in &ingested.inputs {
            messages.push(format!(
                "read {} as {} ({} run(s))",
                i.path, i.format, i.runs
            ));
        }
        for s in &ingested.skipped {
            messages.push(format!("skipped {}: {}", s.path, s.reason));
        }
    }
    let ev = evaluate(ingested, &r.config, r.config_path.as_deref())?;
    let view = View::build(&ev);
    let staging = output::Staging::new(&args.output)?;
    for rd in renderers {
        for (name, text) in render::render(rd, &view, args.templates.as_deref())? {
            staging.write(&name, text.as_bytes())?;
        }
    }
    let csv = export::runs_csv(&ev).map_err(|e| error::OutputError::Io {
        path: args.output.join("data/runs.csv"),
        source: std::io::Error::other(e.to_string()),
    })?;
    staging.write("data/runs.csv", &csv)?;
    let json = export::summary_json_bytes(&ev).map_err(|e| error::OutputError::Io {
        path: args.output.join("data/summary.json"),
        source: std::io::Error::other(e.to_string()),
    })?;
    staging.write("data/summary.json", &json)?;
    staging.commit()?;
    let failing = ev
        .runs
        .iter()
        .filter(|e| e.status == Some(budget::Status::Fail))
        .count();
    if !quiet {
        messages.push(format!(
            "built {}: {} run(s) from {} file(s), {} skipped, {} failing a budget",
            args.output.display(),
            ev.runs.len(),
            ev.inputs.len(),
            ev.skipped.len(),
            failing
        ));
        for w in &ev.warnings {
            messages.push(format!("warning: {w}"));
        }
    }
    let unknown = ev
        .runs
        .iter()
        .filter(|e| e.status == Some(budget::Status::Unknown))
        .count();
    // An unknown verdict (e.g. an unpriced run against a cost budget) is not a pass, so it
    // trips the gate too: CI must not go green on a number nobody could check.
    let status = if args.fail_on_budget && failing + unknown > 0 {
        messages.push(format!(
            "error: {} run(s) do not pass every budget ({failing} fail, {unknown} unknown) (--fail-on-budget)",
            failing + unknown
        ));
        Status::GateFailed
    } else {
        Status::Success
    };
    Ok(Outcome { status, messages })
}

/// `export`: runs.csv or summary.json to stdout or a file.
///
/// # Errors
/// As `build`; a broken pipe is `Error::BrokenPipe` (exit 0).
pub fn export(args: &ExportArgs) -> Result<Outcome, Error> {
    let r = resolve(&args.input)?;
    let never = args.output.iter().map(|p| output::absolute(p)).collect();
    let ingested = read_inputs(&r, &args.input, never)?;
    let ev = evaluate(ingested, &r.config, r.config_path.as_deref())?;
    let bytes = match args.to {
        ExportFormat::Csv => {
            export::runs_csv(&ev).map_err(|e| ConfigError::Usage(e.to_string()))?
        }
        ExportFormat::Json => {
            export::summary_json_bytes(&ev).map_err(|e| ConfigError::Usage(e.to_string()))?
        }
    };
    write_out(args.output.as_deref(), &bytes)?;
    Ok(Outcome {
        status: Status::Success,
        messages: Vec::new(),
    })
}

fn write_out(path: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    match path {
        Some(p) => {
            // Write beside and rename, so a failed export never leaves half a file.
            let tmp = p.with_file_name(format!(
                ".{}.tmp-{}",
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                std::process::id()
            ));
            std::fs::write(&tmp, bytes).map_err(|e| error::OutputError::Io {
                path: tmp.clone(),
                source: e,
            })?;
            std::fs::rename(&tmp, p).map_err(|e| error::OutputError::Io {
                path: p.to_path_buf(),
                source: e,
            })?;
            Ok(())
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::BrokenPipe),
                Err(e) => Err(error::OutputError::Io {
                    path: PathBuf::from("<stdout>"),
                    source: e,
                }
                .into()),
            }
        }
    }
}

/// `inspect`: per file, every parser's verdict, the chosen format, runs and columns, problems.
///
/// # Errors
/// Only writing to stdout; problems with the files are part of the report (exit 2 at the end
/// when any file has one).
pub fn inspect(args: &InspectArgs) -> Result<Outcome, Error> {
    let mut text = String::new();
    let mut bad = 0usize;
    for path in &args.files {
        text.push_str(&format!("{}\n", path.display()));
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                bad += 1;
                text.push_str(&format!("  error: {e}\n\n"));
                continue;
            }
        };
        let rel = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let probe = ingest::make_probe(path, &rel, &bytes);
        let verdicts = ingest::verdicts(&probe);
        text.push_str("  verdicts:\n");
        for (p, s) in &verdicts {
            let word = match s.confidence {
                ingest::Confidence::Certain => "certain",
                ingest::Confidence::Plausible => "plausible",
                ingest::Confidence::No => "no",
            };
            text.push_str(&format!("    {:<22} {:<9} {}\n", p.name(), word, s.why));
        }
        let chosen = match &args.format {
            Some(f) => ingest::parser_by_name(f).ok_or_else(|| {
                ConfigError::Usage(format!(
                    "unknown --format {f:?}; known: {}",
                    ingest::parser_names().join(", ")
                ))
            }),
            None => Ok(()).and_then(|()| {
                ingest::choose(path, &verdicts).map_err(|e| ConfigError::Usage(e.to_string()))
            }),
        };
        let parser = match chosen {
            Ok(p) => p,
            Err(e) => {
                bad += 1;
                text.push_str(&format!("  error: {e}\n\n"));
                continue;
            }
        };
        text.push_str(&format!(
            "  format: {} ({}){}\n",
            parser.name(),
            parser.describe(),
            if args.format.is_some() {
                ", forced"
            } else {
                ""
            }
        ));
        let mapping = ingest::Mapping::default();
        let source = ingest::Source {
            path,
            rel: &rel,
            bytes: &bytes,
            mapping: &mapping,
        };
        match parser.parse(&source) {
            Ok(parsed) => {
                if let Some(reason) = &parsed.not_input {
                    text.push_str(&format!("  not input: {reason}\n"));
                }
                for n in &parsed.notes {
                    text.push_str(&format!("  note: {n}\n"));
                }
                if !parsed.prices.is_empty() {
                    text.push_str(&format!("  price rows: {}\n", parsed.prices.len()));
                    for p in &parsed.prices {
                        text.push_str(&format!(
                            "    {} {} {} $/h\n",
                            p.instance_type, p.pricing_model, p.price_per_hour_usd
                        ));
                    }
                }
                if !parsed.token_prices.is_empty() {
                    text.push_str(&format!(
                        "  token price rows: {}\n",
                        parsed.token_prices.len()
                    ));
                }
                text.push_str(&format!("  runs: {}\n", parsed.runs.len()));
                for (i, pr) in parsed.runs.iter().enumerate() {
                    let r = &pr.run;
                    let rows = pr.requests.as_ref().map_or(0, model::RequestColumns::len);
                    text.push_str(&format!(
                        "    [{i}] {} | model {} | instance {} | load {} | {} request row(s) | reported: {}\n",
                        r.name.clone().unwrap_or_default(),
                        r.model.clone().unwrap_or_else(|| "?".into()),
                        r.instance_type.clone().unwrap_or_else(|| "?".into()),
                        r.load_label(),
                        rows,
                        r.reported.keys().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            Err(e) => {
                bad += 1;
                text.push_str(&format!("  error: {e}\n"));
            }
        }
        text.push('\n');
    }
    write_out(None, text.as_bytes())?;
    Ok(Outcome {
        status: if bad > 0 {
            Status::Error
        } else {
            Status::Success
        },
        messages: Vec::new(),
    })
}
