//! The commands in-process, on the fixture sets (`tests/fixtures/sets/`): what `run` returns
//! and what it writes. The binary's own tests are in `tests/cli/`.

use std::path::{Path, PathBuf};

use clap::Parser as _;

use super::*;

fn set(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sets")
        .join(name)
}

fn run_args(args: &[&str]) -> Result<Outcome, Error> {
    let argv = std::iter::once("bench-report").chain(args.iter().copied());
    run(&Cli::try_parse_from(argv).expect("valid command line"))
}

/// `build` of the `mini` set into `<out>/site` with `extra` flags: the site folder and what
/// `run` returned.
fn build_mini(out: &Path, extra: &[&str]) -> (PathBuf, Result<Outcome, Error>) {
    let site = out.join("site");
    let mini = set("mini");
    let mut args = vec![
        "build",
        mini.to_str().expect("utf-8"),
        "-o",
        site.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    let outcome = run_args(&args);
    (site, outcome)
}

#[test]
fn build_reports_runs_files_and_budget_failures() {
    let out = tempfile::tempdir().expect("tempdir");
    let (site, outcome) = build_mini(out.path(), &[]);
    let outcome = outcome.expect("builds");
    assert_eq!(outcome.status, ExitStatus::Success);
    // mini: harness.csv holds two runs (g5.2xlarge fails e2e_ms.p99 ≤ 2000 and error_rate ≤ 0.1;
    // inf2.xlarge has no price, so its cost budget is unknown), prices.csv holds prices only.
    assert_eq!(
        outcome.messages[0],
        format!(
            "built {}: 2 run(s) from 2 file(s), 0 skipped, 1 failing a budget",
            site.display()
        )
    );
    assert!(site.join("index.md").is_file());
    assert!(site.join("data/runs.csv").is_file());
    assert!(site.join("data/summary.json").is_file());
}

#[test]
fn fail_on_budget_counts_unknown_verdicts_as_not_passing() {
    let out = tempfile::tempdir().expect("tempdir");
    let (_, outcome) = build_mini(out.path(), &["--fail-on-budget", "--quiet"]);
    let outcome = outcome.expect("builds");
    assert_eq!(outcome.status, ExitStatus::GateFailed);
    assert_eq!(
        outcome.messages,
        vec!["error: 2 run(s) do not pass every budget (1 fail, 1 unknown) (--fail-on-budget)"]
    );
}

#[test]
fn a_bad_file_fails_the_build_or_is_listed_as_skipped_with_its_place() {
    let bad = set("with_bad_file");
    let bad = bad.to_str().expect("utf-8");
    let Err(Error::BadInputs(problems)) =
        run_args(&["export", bad, "--to", "csv", "-o", "/nonexistent/x"])
    else {
        panic!("expected BadInputs");
    };
    assert_eq!(problems.len(), 1);
    assert!(problems[0].path().ends_with("harness.csv"));

    let out = tempfile::tempdir().expect("tempdir");
    let json = out.path().join("summary.json");
    let outcome = run_args(&[
        "export",
        bad,
        "--to",
        "json",
        "--on-bad-file",
        "skip",
        "-o",
        json.to_str().expect("utf-8"),
    ])
    .expect("exports");
    assert_eq!(outcome.status, ExitStatus::Success);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("written")).expect("json");
    assert_eq!(summary["skipped"][0]["path"], "harness.csv");
    assert_eq!(
        summary["skipped"][0]["reason"],
        "bad file: expected a number, found \"n/a\" (at line 3, column \"ttft_ms\")"
    );
    assert_eq!(summary["runs"].as_array().map(Vec::len), Some(1));
}

#[test]
fn unknown_format_names_are_usage_errors_listing_the_known_ones() {
    let mini = set("mini");
    let err = run_args(&[
        "export",
        mini.to_str().expect("utf-8"),
        "--to",
        "csv",
        "--format",
        "nope",
    ])
    .expect_err("unknown format");
    assert_eq!(err.exit_status(), ExitStatus::Error);
    let line = err.lines().join("\n");
    assert!(
        line.starts_with("error: unknown --format \"nope\"; known formats: vllm, "),
        "{line}"
    );
    let err = run_args(&["build", mini.to_str().expect("utf-8"), "-f", "pdf"])
        .expect_err("unknown page format");
    assert!(
        err.to_string()
            .starts_with("unknown page format \"pdf\"; known: md"),
        "{err}"
    );
}
