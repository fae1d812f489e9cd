//! Bad input: one clear line per problem, exit 2, nothing written; or, with
//! `--on-bad-file skip`, the file listed as skipped with its reason.

use crate::util::{stderr, TestDir};

#[test]
fn bad_file_fails_the_build_naming_file_line_and_column() {
    let t = TestDir::with_set("with_bad_file");
    // A previous good site must survive a failed build.
    std::fs::create_dir_all(t.path("site")).expect("mkdir");
    std::fs::write(t.path("site/.bench-report"), "").expect("marker");
    std::fs::write(t.path("site/index.md"), "previous").expect("write");
    let out = t.run(&["build", "with_bad_file", "-o", "site"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("with_bad_file/harness.csv: line 3, column \"ttft_ms\": expected a number, found \"n/a\""),
        "stderr: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(t.read("site/index.md"), "previous", "old site intact");
}

#[test]
fn skip_lists_the_bad_file_on_the_page_and_in_summary() {
    let t = TestDir::with_set("with_bad_file");
    let out = t.run(&[
        "build",
        "with_bad_file",
        "-o",
        "site",
        "--on-bad-file",
        "skip",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = t.read("site/index.md");
    assert!(page.contains("harness.csv"), "{page}");
    assert!(page.contains("line 3, column \"ttft\\_ms\""), "{page}");
    let summary: serde_json::Value =
        serde_json::from_str(&t.read("site/data/summary.json")).expect("json");
    let skipped = summary["skipped"].as_array().expect("skipped");
    assert!(
        skipped.iter().any(|s| s["path"] == "harness.csv"
            && s["reason"]
                .as_str()
                .unwrap_or("")
                .contains("expected a number")),
        "{skipped:?}"
    );
    assert_eq!(
        summary["runs"].as_array().map(Vec::len),
        Some(1),
        "good.csv still read"
    );
}

#[test]
fn missing_input_and_unknown_format_are_usage_errors() {
    let t = TestDir::with_set("mini");
    let out = t.run(&["build", "nope", "-o", "site"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: nope"), "{}", stderr(&out));
    let out = t.run(&["build", "mini", "--format", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown --format \"nosuch\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn config_typo_is_an_error_with_the_key() {
    let t = TestDir::with_set("mini");
    std::fs::write(t.path("mini/bench-report.toml"), "titel = \"x\"\n").expect("write");
    let out = t.run(&["build", "mini", "-o", "site"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("titel"), "{}", stderr(&out));
}
