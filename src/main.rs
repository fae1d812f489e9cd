//! bench-report: turns benchmark result files into priced, budgeted report pages.
//! All behaviour lives in the library; this file only maps results to exit codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = bench_report::cli::Cli::parse();
    match bench_report::run(&cli) {
        Ok(outcome) => {
            for m in &outcome.messages {
                eprintln!("{m}");
            }
            ExitCode::from(outcome.status as u8)
        }
        Err(err) => {
            for line in err.lines() {
                eprintln!("{line}");
            }
            ExitCode::from(err.exit_status() as u8)
        }
    }
}
