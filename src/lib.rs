//! bench-report: turns LLM-inference benchmark results into priced, budgeted report pages.
//!
//! ```text
//! settings (CLI + bench-report.toml)  →  ingest (discover, sniff, one parser per format)
//!   →  evaluate (metrics, prices, budgets, recommendations)  →  view model
//!   →  render (pages) and export (runs.csv, summary.json)  →  output (staged, atomic)
//! ```
//!
//! One function per command; `run` dispatches from the parsed command line and returns an
//! [`Outcome`] whose status `main.rs` turns into the exit code. ARCHITECTURE.md says which
//! file owns what.

pub mod budget;
pub mod charts;
pub mod cli;
pub mod config;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod format;
pub mod ingest;
pub mod inspect;
pub mod metric;
pub mod metrics;
pub mod model;
pub mod output;
pub mod pricing;
pub mod recommend;
pub mod render;
pub mod settings;
pub mod stats;
pub mod units;
pub mod view;

use cli::{Cli, Command};
use error::{Error, ExitStatus};
use settings::{BuildSettings, ExportKind, ExportSettings, InspectSettings};

/// What a command achieved.
#[derive(Debug)]
pub struct Outcome {
    /// Exit status.
    pub status: ExitStatus,
    /// Lines for stderr (summary, warnings), already formatted.
    pub messages: Vec<String>,
}

/// Run the parsed command line.
///
/// # Errors
/// Any error, to be printed one line per problem with exit status 2.
pub fn run(cli: &Cli) -> Result<Outcome, Error> {
    match &cli.command {
        Command::Build(args) => build(&BuildSettings::resolve(args, cli.quiet, cli.verbose)?),
        Command::Export(args) => export(&ExportSettings::resolve(args)?),
        Command::Inspect(args) => inspect(&InspectSettings::resolve(args)?),
    }
}

/// `build`: pages and exports into a staged output folder.
///
/// # Errors
/// Bad inputs (under `--on-bad-file fail`), config, template or output errors.
pub fn build(s: &BuildSettings) -> Result<Outcome, Error> {
    if !s.check {
        output::check_destination(&s.output, &s.input.inputs, s.force)?;
    }
    let ingested = s.input.read_inputs(vec![output::absolute(&s.output)])?;
    let mut messages = if s.verbose {
        s.input.reading_log(&ingested)
    } else {
        Vec::new()
    };
    let ev = evaluate::evaluate(ingested, &s.input.config, s.input.config_path.as_deref())?;
    let mut view = view::View::build_with(&ev, &view_options(s));
    let staging = output::Staging::new(&s.output)?;
    let mut refs: Vec<&mut view::ChartRef> = view.charts_mut().collect();
    let drawn = charts::draw_all(&refs.iter().map(|c| &c.spec).collect::<Vec<_>>())?;
    for (chart, drawn) in refs.iter_mut().zip(drawn) {
        staging.write(&format!("charts/{}.png", chart.stem), &drawn.png)?;
        staging.write(&format!("charts/{}.svg", chart.stem), drawn.svg.as_bytes())?;
        chart.svg = drawn.svg;
    }
    for renderer in &s.renderers {
        for (name, text) in render::render(*renderer, &view, s.templates.as_deref())? {
            staging.write(&name, text.as_bytes())?;
        }
    }
    if s.dump_context {
        for (name, bytes) in render::dump_context(&view)? {
            staging.write(&name, &bytes)?;
        }
    }
    staging.write("data/runs.csv", &export::runs_csv(&ev)?)?;
    staging.write("data/summary.json", &export::summary_json_bytes(&ev)?)?;
    if s.check {
        // Dropping the staging folder removes it: a check never touches the destination.
        let stale = staging.differences_from_destination()?;
        return Ok(check_outcome(&s.output, &stale));
    }
    staging.commit()?;
    let gate = evaluate::budget_gate(&ev, s.fail_on_budget);
    if !s.quiet {
        messages.extend(evaluate::build_summary(&ev, &s.output));
    }
    messages.extend(gate.message);
    Ok(Outcome {
        status: gate.status,
        messages,
    })
}

/// `build --check`: exit 1 with one line per stale file, 0 when the committed output is current.
fn check_outcome(dest: &std::path::Path, stale: &[output::Difference]) -> Outcome {
    if stale.is_empty() {
        return Outcome {
            status: ExitStatus::Success,
            messages: vec![format!("{} is up to date", dest.display())],
        };
    }
    let mut messages = vec![format!(
        "{} is out of date: {} file(s) differ from a fresh build (run the build without --check)",
        dest.display(),
        stale.len()
    )];
    messages.extend(stale.iter().map(|d| format!("  {d}")));
    Outcome {
        status: ExitStatus::GateFailed,
        messages,
    }
}

/// The build's resolved options as pages cite them: the config path relative to the first
/// input folder when it lies under it (so the page is the same from any folder).
fn view_options(s: &BuildSettings) -> view::Options {
    let config = s.input.config_path.as_ref().map(|p| {
        s.input
            .inputs
            .first()
            .and_then(|root| p.strip_prefix(root).ok())
            .filter(|rel| !rel.as_os_str().is_empty())
            .map_or_else(|| p.display().to_string(), |rel| rel.display().to_string())
            .replace('\\', "/")
    });
    view::Options {
        formats: s.format_names.clone(),
        on_bad_file: match s.input.on_bad_file {
            settings::BadFilePolicy::Fail => "fail".into(),
            settings::BadFilePolicy::Skip => "skip".into(),
        },
        config,
        templates: s.templates.as_ref().map(|p| p.display().to_string()),
    }
}

/// `export`: runs.csv or summary.json to stdout or a file.
///
/// # Errors
/// As `build`; a broken pipe exits 0.
pub fn export(s: &ExportSettings) -> Result<Outcome, Error> {
    let never = s.output.iter().map(|p| output::absolute(p)).collect();
    let ingested = s.input.read_inputs(never)?;
    let ev = evaluate::evaluate(ingested, &s.input.config, s.input.config_path.as_deref())?;
    let bytes = match s.kind {
        ExportKind::RunsCsv => export::runs_csv(&ev)?,
        ExportKind::SummaryJson => export::summary_json_bytes(&ev)?,
    };
    output::write_file_or_stdout(s.output.as_deref(), &bytes)?;
    Ok(Outcome {
        status: ExitStatus::Success,
        messages: Vec::new(),
    })
}

/// `inspect`: per file, every parser's verdict, the chosen format, runs and problems.
///
/// # Errors
/// Only writing to stdout; problems with the files are part of the report (exit 2 at the end
/// when any file has one).
pub fn inspect(s: &InspectSettings) -> Result<Outcome, Error> {
    let (text, bad) = inspect::report(&s.files, s.forced);
    output::write_file_or_stdout(None, text.as_bytes())?;
    Ok(Outcome {
        status: if bad > 0 {
            ExitStatus::Error
        } else {
            ExitStatus::Success
        },
        messages: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
