//! `build` on the `mini` set: numbers computed by hand from tests/fixtures/sets/mini.
//!
//! g5.2xlarge run (concurrency 1): 3 completed + 1 failed; start_s 0,1,2,3 and e2e 1.1 s,
//! 1.2 s, 2.3 s → duration = max(start + e2e) − min(start) = 4.3 s.
//!   request throughput 3 / 4.3 = 0.6976744186046512 req/s; output tokens 11+11+21 = 43 → 10 tok/s
//!   TTFT 100, 200, 300 ms: p99 = 200 + (300 − 200) × 0.98 = 298 (h = 2 × 0.99 = 1.98)
//!   E2E 1100, 1200, 2300 ms: p99 = 1200 + 1100 × 0.98 = 2278 > 2000 budget → fail
//!   TPOT (1100−100)/10 = (1200−200)/10 = (2300−300)/20 = 100 ms
//!   error rate 1/4 = 0.25 > 0.1 → fail
//!   $1.212/h: per 1M output tokens 1.212 / 3600 / 10 × 1e6 = 33.6666… → $33.667 (within 100)
//!   per 1M requests 1.212 × 4.3 / 3 / 3600 × 1e6 = 482.5555… → $482.556
//! inf2.xlarge run (concurrency 2): no price in the table → unknown; e2e p99 = 550 + 510 × 0.99
//!   = 1054.9 ≤ 2000; error rate 0; cost budget unknown → overall unknown, not a pass.

use crate::util::{stderr, tree, TestDir};

#[test]
fn build_mini_set_writes_page_and_exports_with_hand_computed_numbers() {
    let t = TestDir::with_set("mini");
    let out = t.run(&["build", "mini", "-o", "site"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let page = t.read("site/index.md");
    assert!(
        page.starts_with("# Mini \\| fixture\n"),
        "title escaped: {}",
        &page[..60.min(page.len())]
    );
    // The runs are on the model's page; the index links it.
    assert!(page.contains("](groups/m.md)"), "{page}");
    let page = t.read("site/groups/m.md");
    assert!(
        page.contains("$33.667"),
        "cost per 1M output tokens on the page"
    );
    assert!(
        page.contains("$482.556"),
        "cost per 1M requests on the page"
    );
    assert!(
        page.contains("| 2278 |") || page.contains("| 2278.0 |"),
        "e2e p99 on the page:\n{page}"
    );
    assert!(
        page.contains("✗ e2e\\_ms.p99 = 2278"),
        "failing value marked:\n{page}"
    );
    assert!(
        page.contains("no price for inf2.xlarge"),
        "unpriced run listed with reason"
    );

    let csv = t.read("site/data/runs.csv");
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let headers = rdr.headers().expect("header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 2);
    let g5 = rows
        .iter()
        .find(|r| &r[col("instance_type")] == "g5.2xlarge")
        .expect("g5 run");
    let f = |name: &str| {
        g5[col(name)]
            .parse::<f64>()
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    // max(start_s + e2e_ms/1000) − min(start_s) in binary floats: 4.3 to the last bit or two.
    assert!((f("duration_s") - 4.3).abs() < 1e-12, "{}", f("duration_s"));
    assert!((f("output_token_throughput_tps") - 10.0).abs() < 1e-12);
    assert!((f("request_throughput_rps") - 3.0 / 4.3).abs() < 1e-12);
    assert_eq!(&g5[col("error_rate")], "0.25");
    assert_eq!(&g5[col("ttft_ms_p99")], "298");
    assert_eq!(&g5[col("tpot_ms_mean")], "100");
    assert_eq!(&g5[col("price_per_hour_usd")], "1.212");
    assert!(
        g5[col("cost_per_1m_output_tokens_usd")].starts_with("33.66666666"),
        "{}",
        &g5[col("cost_per_1m_output_tokens_usd")]
    );
    assert_eq!(&g5[col("budget_status")], "fail");
    assert_eq!(&g5[col("failed_budgets")], "e2e_ms.p99 error_rate");
    let inf2 = rows
        .iter()
        .find(|r| &r[col("instance_type")] == "inf2.xlarge")
        .expect("inf2 run");
    assert_eq!(
        &inf2[col("price_per_hour_usd")],
        "",
        "unknown is empty, never 0"
    );
    assert_eq!(&inf2[col("cost_per_1m_requests_usd")], "");
    assert_eq!(&inf2[col("budget_status")], "unknown");

    let summary: serde_json::Value =
        serde_json::from_str(&t.read("site/data/summary.json")).expect("json");
    assert_eq!(summary["schema_version"], 2);
    assert_eq!(
        summary["inputs"].as_array().map(Vec::len),
        Some(2),
        "harness.csv and prices.csv"
    );
    let runs = summary["runs"].as_array().expect("runs");
    let g5 = runs
        .iter()
        .find(|r| r["instance_type"] == "g5.2xlarge")
        .expect("g5");
    assert_eq!(
        g5["cost"]["price_per_hour_usd"], "1.212",
        "money is a string"
    );
    assert_eq!(g5["metrics"]["ttft_ms"]["p99"], 298.0);
    assert_eq!(g5["metrics"]["ttft_ms"]["provenance"]["p99"], "computed");
}

#[test]
fn building_twice_is_byte_identical() {
    let t = TestDir::with_set("mini");
    assert_eq!(t.run(&["build", "mini", "-o", "a"]).status.code(), Some(0));
    assert_eq!(t.run(&["build", "mini", "-o", "b"]).status.code(), Some(0));
    assert_eq!(tree(&t.path("a")), tree(&t.path("b")));
}

#[test]
fn fail_on_budget_exits_1_after_writing() {
    let t = TestDir::with_set("mini");
    let out = t.run(&["build", "mini", "-o", "site", "--fail-on-budget"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert!(t.path("site/index.md").is_file());
    assert!(
        stderr(&out).contains("do not pass every budget (1 fail, 1 unknown)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let t = TestDir::with_set("mini");
    std::fs::create_dir_all(t.path("docs")).expect("mkdir");
    std::fs::write(t.path("docs/handwritten.md"), "mine").expect("write");
    let out = t.run(&["build", "mini", "-o", "docs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("docs: exists and was not created by bench-report"),
        "{}",
        stderr(&out)
    );
    assert_eq!(t.read("docs/handwritten.md"), "mine");
    let out = t.run(&["build", "mini", "-o", "docs", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(t.path("docs/index.md").is_file());
}

#[test]
fn output_inside_input_is_not_read_and_input_inside_output_is_refused() {
    let t = TestDir::with_set("mini");
    assert_eq!(
        t.run(&["build", "mini", "-o", "mini/site"]).status.code(),
        Some(0)
    );
    // Second build: mini/site exists inside the input and must not be read as input.
    let out = t.run(&["build", "mini", "-o", "mini/site"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value =
        serde_json::from_str(&t.read("mini/site/data/summary.json")).expect("json");
    assert!(summary["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .all(|i| !i["path"].as_str().unwrap_or("").starts_with("site/")));
    assert!(summary["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .all(|i| !i["path"].as_str().unwrap_or("").starts_with("site/")));
    let out = t.run(&["build", "mini", "-o", ".", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("contains the input"),
        "{}",
        stderr(&out)
    );
    assert!(t.path("mini/harness.csv").is_file(), "inputs untouched");
}

#[test]
fn a_config_elsewhere_names_inputs_output_and_formats_relative_to_itself() {
    let t = TestDir::with_set("mini");
    // The config lives in example/, the inputs in mini/: as an examples/ folder points at a corpus.
    std::fs::create_dir(t.path("example")).expect("mkdir");
    std::fs::write(
        t.path("example/bench-report.toml"),
        "[inputs]\npaths = [\"../mini\"]\n[site]\noutput = \"out\"\nformats = [\"md\", \"html\"]\n",
    )
    .expect("write config");
    let o = t.run(&["build", "-c", "example/bench-report.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(t.path("example/out/index.md").is_file());
    assert!(t.path("example/out/index.html").is_file());
    // The same inputs named on the command line, with the same config, give the same page.
    let direct = [
        "build",
        "mini",
        "-c",
        "example/bench-report.toml",
        "-o",
        "direct",
    ];
    assert_eq!(t.run(&direct).status.code(), Some(0));
    assert_eq!(t.read("example/out/index.md"), t.read("direct/index.md"));
}

#[test]
fn check_exits_1_listing_each_stale_file_and_writes_nothing() {
    let t = TestDir::with_set("mini");
    assert_eq!(
        t.run(&["build", "mini", "-o", "out"]).status.code(),
        Some(0)
    );
    let check = ["build", "mini", "-o", "out", "--check"];
    let o = t.run(&check);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // One byte changed in a page, one file removed, one file added.
    let mut page = std::fs::read(t.path("out/index.md")).expect("read page");
    page[0] ^= 1;
    std::fs::write(t.path("out/index.md"), &page).expect("write page");
    std::fs::remove_file(t.path("out/data/runs.csv")).expect("remove");
    std::fs::write(t.path("out/notes.txt"), "hand-written").expect("write extra");
    let before = tree(&t.path("out"));
    let o = t.run(&check);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("3 file(s) differ"), "{err}");
    assert!(err.contains("changed: index.md"), "{err}");
    assert!(err.contains("missing: data/runs.csv"), "{err}");
    assert!(
        err.contains("not written by this build: notes.txt"),
        "{err}"
    );
    // Nothing written: the folder is as it was and no staging folder is left beside it.
    assert_eq!(tree(&t.path("out")), before);
    let left: Vec<_> = std::fs::read_dir(t.dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
