//! The command line (README "Commands"), with clap derive. Doc comments are the help text;
//! each subcommand shows a real example. Clap types stop at `lib.rs`, which turns them into
//! plain settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns LLM-inference benchmark results (vLLM, TGI, GuideLLM, Neuron, FMBench, LLMPerf,
/// GenAI-Perf, per-request CSVs) into priced, budgeted report pages and exports.
#[derive(Debug, Parser)]
#[command(name = "bench-report", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print what is read and why.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the report pages and data exports from benchmark result files.
    #[command(
        after_help = "Examples:\n  bench-report build data/\n  bench-report build results/ -o docs/perf --on-bad-file skip\n  bench-report build data/ --fail-on-budget   # exit 1 when a run fails a budget"
    )]
    Build(BuildArgs),
    /// Print the normalized runs as JSON or CSV (the same contract as site/data/).
    #[command(
        after_help = "Examples:\n  bench-report export data/ --to csv > runs.csv\n  bench-report export data/ --to json -o summary.json"
    )]
    Export(ExportArgs),
    /// Show, per file, the detected format and why, the runs it holds and any problem.
    #[command(
        after_help = "Examples:\n  bench-report inspect data/vllm/run.json\n  bench-report inspect results/*.csv --format generic_csv"
    )]
    Inspect(InspectArgs),
}

/// What to do with a bad input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OnBadFile {
    /// Stop with exit 2 after listing every bad file (nothing is written).
    #[default]
    Fail,
    /// Build without it and list it in the report as skipped, with the reason.
    Skip,
}

/// Inputs, config and bad-file handling shared by build and export.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Folders, files or globs to read (default: the config's `[inputs] paths`, else data/).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Config file (default: bench-report.toml in the first input folder, when present).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do with a file that cannot be read.
    #[arg(long, value_enum, default_value_t = OnBadFile::Fail)]
    pub on_bad_file: OnBadFile,
    /// Read every input with this parser instead of detecting the format.
    #[arg(long, value_name = "NAME")]
    pub format: Option<String>,
}

/// `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Inputs and config.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder (default: the config's `[site] output`, else site/).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Page formats, comma separated (default: the config's `[site] formats`, else md).
    #[arg(long, short = 'f', value_delimiter = ',')]
    pub formats: Vec<String>,
    /// Folder with templates that override the built-in ones by name (DIR/md/index.md.j2;
    /// default: the config's `[site] templates`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Replace an output folder that bench-report did not create.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 when any run fails a budget (after writing the report).
    #[arg(long)]
    pub fail_on_budget: bool,
    /// Write nothing: build into a temporary folder and exit 1, listing the files that differ,
    /// when the output folder is not exactly what this build writes (the docs-CI step).
    #[arg(long, conflicts_with_all = ["force", "fail_on_budget"])]
    pub check: bool,
    /// Also write the template context of every page as JSON, to OUTPUT/context/<page>.json
    /// (to write a template against real data).
    #[arg(long)]
    pub dump_context: bool,
}

/// Export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// summary.json.
    Json,
    /// runs.csv.
    Csv,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Inputs and config.
    #[command(flatten)]
    pub input: InputArgs,
    /// Format.
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// Output file (default: stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files to inspect.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Parse with this parser instead of detecting the format.
    #[arg(long, value_name = "NAME")]
    pub format: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
