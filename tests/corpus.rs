//! Whole-corpus checks (issue 10 "Done when"): every file of the real corpus is detected as the
//! right format, and a build over all of it reads every data file, lists the notes and rendered
//! reports as skipped with a reason, and never panics. Skipped (with a printed reason) when
//! `BENCH_REPORT_CORPUS` is not set; fails when it is set to a missing folder.

use std::path::PathBuf;

use bench_report::ingest;
use common::{corpus, files_under};

mod common;

/// Corpus families (every family of the corpus has a parser).
const FAMILIES: &[&str] = &[
    "vllm",
    "neuron",
    "llmperf",
    "tgi",
    "guidellm",
    "fmbench",
    "genai-perf",
];

/// The format each corpus file must be detected as, from where it sits.
fn expected_format(rel: &str) -> &'static str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "PROVENANCE.md" || name == "page-recipe.json" {
        return "notes";
    }
    match rel.split('/').next().unwrap_or("") {
        "vllm" => "vllm",
        "tgi" if rel.contains("inference-benchmarker") => "inference_benchmarker",
        "tgi" => "tgi",
        "guidellm" => "guidellm",
        "neuron" => "neuron",
        "fmbench" => "fmbench",
        "llmperf" => "llmperf",
        "genai-perf" => "genai_perf",
        other => panic!("unexpected corpus family {other}"),
    }
}

#[test]
fn corpus_every_file_is_detected_as_its_format() {
    let Some(root) = corpus() else { return };
    let mut wrong = Vec::new();
    let all: Vec<PathBuf> = FAMILIES
        .iter()
        .flat_map(|f| files_under(&root.join(f)))
        .collect();
    for path in &all {
        let rel = ingest::relative(path, &root);
        let bytes = std::fs::read(path).expect("read");
        let probe = ingest::make_probe(path, &rel, &bytes);
        let got = ingest::choose(path, &ingest::verdicts(&probe)).map(|p| p.name());
        let want = expected_format(&rel);
        match got {
            Ok(name) if name == want => {}
            Ok(name) => wrong.push(format!("{rel}: detected {name}, expected {want}")),
            Err(e) => wrong.push(format!("{rel}: {e} (expected {want})")),
        }
    }
    assert!(
        all.len() > 80,
        "the corpus families have {} files",
        all.len()
    );
    assert!(
        wrong.is_empty(),
        "{} of {} files misdetected:\n{}",
        wrong.len(),
        all.len(),
        wrong.join("\n")
    );
}

#[test]
fn corpus_build_reads_every_data_file_and_lists_the_rest_with_reasons() {
    let Some(root) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_bench-report"));
    cmd.arg("build");
    for f in FAMILIES {
        cmd.arg(root.join(f));
    }
    let out = cmd
        .args(["--on-bad-file", "skip", "-o"])
        .arg(tmp.path().join("site"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("site/data/summary.json")).expect("summary"),
    )
    .expect("json");
    let inputs: Vec<&str> = summary["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|i| i["path"].as_str())
        .collect();
    let skipped: Vec<(&str, &str)> = summary["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .filter_map(|s| Some((s["path"].as_str()?, s["reason"].as_str()?)))
        .collect();
    let bad: Vec<String> = skipped
        .iter()
        .filter(|(_, r)| r.starts_with("bad file"))
        .map(|(p, r)| format!("{p}: {r}"))
        .collect();
    assert!(
        bad.is_empty(),
        "files that failed to parse:\n{}",
        bad.join("\n")
    );
    for path in FAMILIES.iter().flat_map(|f| files_under(&root.join(f))) {
        // Each family folder is its own input root, so paths are relative to it.
        let family_root = root.join(
            ingest::relative(&path, &root)
                .split('/')
                .next()
                .unwrap_or(""),
        );
        let rel = ingest::relative(&path, &family_root);
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let is_data =
            matches!(ext, "json" | "jsonl" | "csv" | "yml" | "yaml") && name != "page-recipe.json";
        if is_data {
            assert!(
                inputs.contains(&rel.as_str()),
                "{rel} was not read (inputs)"
            );
        } else if name == "PROVENANCE.md"
            || name == "page-recipe.json"
            || (path.starts_with(root.join("fmbench"))
                && (name == "report.md" || name == "results.md"))
        {
            let reason = skipped.iter().find(|(p, _)| *p == rel).map(|(_, r)| *r);
            assert!(
                reason.is_some_and(|r| r.contains("not")),
                "{rel} must be listed as skipped with a reason, got {reason:?}"
            );
        } else {
            assert!(
                inputs.contains(&rel.as_str()) || skipped.iter().any(|(p, _)| *p == rel),
                "{rel} vanished: neither read nor skipped"
            );
        }
    }
    // The definitions are on the group pages of the tools' runs: read every page.
    let mut page = std::fs::read_to_string(tmp.path().join("site/index.md")).expect("page");
    let mut groups: Vec<_> = std::fs::read_dir(tmp.path().join("site/groups"))
        .expect("group pages")
        .map(|e| e.expect("entry").path())
        .collect();
    groups.sort();
    for g in groups {
        page.push_str(&std::fs::read_to_string(g).expect("group page"));
    }
    assert!(
        page.contains("## Where tools define metrics differently"),
        "definitions table on a group page"
    );
    for tool in [
        "vllm",
        "neuron",
        "llmperf",
        "inference_benchmarker",
        "tgi",
        "guidellm",
    ] {
        assert!(
            page.contains(&format!("| {} |", tool.replace('_', "\\_"))),
            "definitions table names {tool}"
        );
    }
}
