//! `export` prints the same contract as `build` writes; `inspect` explains detection.

use crate::util::{stderr, stdout, TestDir};

#[test]
fn export_csv_equals_the_built_runs_csv() {
    let t = TestDir::with_set("mini");
    assert_eq!(
        t.run(&["build", "mini", "-o", "site"]).status.code(),
        Some(0)
    );
    let out = t.run(&["export", "mini", "--to", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), t.read("site/data/runs.csv"));
    let out = t.run(&["export", "mini", "--to", "json", "-o", "s.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(t.read("s.json"), t.read("site/data/summary.json"));
}

#[test]
fn inspect_names_the_format_and_every_verdict() {
    let t = TestDir::with_set("mini");
    let out = t.run(&["inspect", "mini/harness.csv", "mini/prices.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("format: generic_csv"), "{text}");
    assert!(text.contains("format: price_table"), "{text}");
    assert!(text.contains("runs: 2"), "{text}");
    for name in ["vllm", "neuron", "fmbench", "llmperf", "guidellm"] {
        assert!(
            text.contains(&format!("    {name} ")),
            "verdict of {name} listed:\n{text}"
        );
    }
}
