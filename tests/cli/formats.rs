//! The RST and HTML pages in the real renderers: every RST page through docutils with
//! `--halt=warning` and a minimal Sphinx project with `-W`; the HTML index in headless Chromium,
//! its tables and charts read back from the rendered DOM, with no request leaving the machine.
//! The hostile fixture's names (`<script>`, `|`, backquotes, `*`, `_`, `](javascript:`, RST
//! roles, leading spaces) must stay text in both.
//!
//! docutils, Sphinx and Chromium come from .ci/run. Without them these tests print why they
//! skip, unless `BENCH_REPORT_REQUIRE_TOOLS=1` (CI), where a missing tool fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{stderr, TestDir};

/// True when `probe` runs and succeeds; otherwise skip with a reason, or fail under
/// `BENCH_REPORT_REQUIRE_TOOLS=1`.
fn tool(name: &str, probe: &mut Command) -> bool {
    let ok = probe.output().is_ok_and(|o| o.status.success());
    if !ok {
        let reason = format!("{name} is not installed (.ci/run installs it)");
        assert!(
            std::env::var("BENCH_REPORT_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "BENCH_REPORT_REQUIRE_TOOLS=1 but {reason}"
        );
        eprintln!("skipping: {reason}");
    }
    ok
}

fn python_tools() -> bool {
    tool(
        "python3 with docutils and sphinx",
        Command::new("python3").args(["-c", "import docutils, sphinx"]),
    )
}

fn chromium() -> bool {
    tool("chromium", Command::new("chromium").arg("--version"))
}

/// Build fixture set `set` with `-f formats` into `<tmp>/out`.
fn build(set: &str, formats: &str) -> TestDir {
    let t = TestDir::with_set(set);
    let out = t.run(&["build", set, "-o", "out", "-f", formats]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    t
}

/// Pages with this extension in `dir` and its `groups/` folder (the site's two levels).
fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for d in [dir.to_path_buf(), dir.join("groups")] {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        v.extend(
            entries
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == ext)),
        );
    }
    v.sort();
    v
}

/// Every .rst page passes docutils with --halt=warning; the pages in a minimal Sphinx project
/// (a root document whose toctree globs them, as README "Publishing" says) pass `sphinx-build -W`.
/// Returns the HTML Sphinx wrote for `index`.
fn check_rst(out: &Path) -> String {
    let pages = files_with(out, "rst");
    assert!(!pages.is_empty(), "no .rst page in {}", out.display());
    for page in &pages {
        let o = Command::new("python3")
            .args(["-m", "docutils", "--halt=warning", "--report=warning"])
            .arg(page)
            .arg(page.with_extension("docutils.html"))
            .output()
            .expect("docutils runs");
        assert!(
            o.status.success() && o.stderr.is_empty(),
            "docutils on {}: {}",
            page.display(),
            stderr(&o)
        );
    }
    let project = out.with_file_name("sphinx");
    crate::util::copy_dir(out, &project);
    for p in files_with(&project, "html") {
        std::fs::remove_file(p).expect("rm");
    }
    std::fs::write(
        project.join("conf.py"),
        "project = 'bench-report'\nroot_doc = 'contents'\nexclude_patterns = ['_build']\n",
    )
    .expect("conf.py");
    std::fs::write(
        project.join("contents.rst"),
        "Benchmarks\n==========\n\n.. toctree::\n   :glob:\n\n   *\n   groups/*\n",
    )
    .expect("contents.rst");
    let o = Command::new("python3")
        .args(["-m", "sphinx", "-W", "-q", "-b", "html"])
        .arg(&project)
        .arg(project.join("_build"))
        .output()
        .expect("sphinx runs");
    assert!(o.status.success(), "sphinx-build -W: {}", stderr(&o));
    std::fs::read_to_string(project.join("_build/index.html")).expect("sphinx index.html")
}

#[test]
fn rst_pages_pass_docutils_and_sphinx() {
    if !python_tools() {
        return;
    }
    let t = build("mini", "rst");
    let html = check_rst(&t.path("out"));
    assert!(html.contains("<table"), "a table in Sphinx's page");
}

#[test]
fn hostile_names_stay_text_in_rst() {
    if !python_tools() {
        return;
    }
    let t = build("hostile_formats", "rst");
    let out = t.path("out");
    let rst = t.read("out/index.rst");
    assert!(rst.contains("\\<script\\>alert(1)\\</script\\>"), "{rst}");
    for html in [
        check_rst(&out),
        std::fs::read_to_string(out.join("index.docutils.html")).expect("docutils html"),
    ] {
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script>alert"), "a script from input");
        assert!(!lower.contains("href=\"javascript:"), "a javascript: link");
        assert!(!lower.contains("<img src=\"x\""), "an image from input");
        assert!(!lower.contains("<b>x</b>"), "raw HTML through a role");
        assert!(
            !lower.contains("example.com/p.png\""),
            "an image directive from input"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "the name as text"
        );
    }
}

/// Chromium with its own profile and no name resolution: nothing it asks for can leave the
/// machine, and its net log says what the page asked for.
fn chromium_run(dir: &Path, page: &Path, args: &[&str]) -> (String, String) {
    let profile = dir.join("chromium-profile");
    let netlog = dir.join("netlog.json");
    let o = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(o.status.success(), "chromium: {}", stderr(&o));
    let log = std::fs::read_to_string(&netlog).unwrap_or_default();
    (String::from_utf8_lossy(&o.stdout).into_owned(), log)
}

/// URLs the page itself requested, from Chromium's net log: everything but the page's own
/// file and the browser's background services (which the resolver rules stop anyway).
fn page_requests(netlog: &str) -> Vec<String> {
    netlog
        .split("\"url\":\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|u| !u.starts_with("file://") && !u.starts_with("data:"))
        .filter(|u| {
            let host = u
                .split("://")
                .nth(1)
                .unwrap_or("")
                .split(['/', ':', '?'])
                .next();
            !host.is_some_and(|h| {
                ["google.com", "googleapis.com", "gstatic.com", "gvt1.com"]
                    .iter()
                    .any(|d| h == *d || h.ends_with(&format!(".{d}")))
            })
        })
        .map(str::to_string)
        .collect()
}

/// Every `src`, `href` and `url(` target in the page is inside it (a fragment, a relative path
/// or `data:`), except plain `<a href>` links to http(s) pages, which a reader follows and the
/// page never loads; nothing is `javascript:`.
fn assert_no_external_reference(html: &str) {
    for attr in ["src=\"", "href=\"", "url("] {
        for (i, _) in html.match_indices(attr) {
            let target = html[i + attr.len()..].trim_start_matches(['"', '\'']);
            let target = target.to_ascii_lowercase();
            let tag = html[..i].rsplit('<').next().unwrap_or("");
            let plain_link = attr == "href=\"" && tag.starts_with("a ");
            let internal = !(target.starts_with("http:")
                || target.starts_with("https:")
                || target.starts_with("//"));
            assert!(
                !target.starts_with("javascript:") && (internal || plain_link),
                "external or active reference: {}",
                &html[i..(i + 80).min(html.len())]
            );
        }
    }
    assert!(
        html.contains("Content-Security-Policy\" content=\"default-src 'none';"),
        "the page forbids network loads"
    );
}

/// The `<tbody>` rows of the table under the section with this id, from a DOM dump.
fn body_rows(dom: &str, section: &str) -> usize {
    let start = dom
        .find(&format!("id=\"{section}\""))
        .unwrap_or_else(|| panic!("no section {section}"));
    let rest = &dom[start..];
    let body = &rest[rest.find("<tbody>").expect("tbody")..rest.find("</tbody>").expect("/tbody")];
    body.matches("<tr").count()
}

fn check_html(t: &TestDir, rel: &str) -> String {
    let out = t.path("out");
    let page = out.join(rel);
    let html = t.read(&format!("out/{rel}"));
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "HTML5 document"
    );
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("name=\"viewport\""));
    assert_no_external_reference(&html);
    let (dom, netlog) = chromium_run(t.dir.path(), &page, &["--dump-dom"]);
    assert!(
        page_requests(&netlog).is_empty(),
        "requests left the page: {:?}",
        page_requests(&netlog)
    );
    // The one script ran (its hash is in the page's policy): headers became sort buttons.
    assert_eq!(dom.matches("<script").count(), 1, "only the sort script");
    assert!(
        dom.contains("<th scope=\"col\"><button type=\"button\">"),
        "sortable"
    );
    let figures = html.matches("<figure class=\"chart\">").count();
    assert!(dom.matches("<svg").count() >= figures, "every chart inline");
    if let Ok(dir) = std::env::var("BENCH_REPORT_SCREENSHOT_DIR") {
        let shot = Path::new(&dir).join(rel.replace('/', "-").replace(".html", ".png"));
        let arg = format!("--screenshot={}", shot.display());
        chromium_run(t.dir.path(), &page, &[&arg, "--window-size=1280,2000"]);
    }
    dom
}

#[test]
fn html_index_has_its_tables_and_charts_and_loads_nothing() {
    if !chromium() {
        return;
    }
    let t = build("mini", "html");
    let index = check_html(&t, "index.html");
    // mini has one model, so one group page, linked from the index's groups table.
    assert_eq!(body_rows(&index, "groups"), 1, "one row per group page");
    assert!(
        index.contains("href=\"groups/m.html\""),
        "the index links its group"
    );
    let group = check_html(&t, "groups/m.html");
    let runs = t.read("out/data/runs.csv").lines().count() - 1;
    assert_eq!(body_rows(&group, "runs"), runs, "one row per run");
    assert!(
        group.contains("href=\"../index.html\""),
        "the group links back"
    );
    assert!(
        group.contains("class=\"num\" data-v="),
        "numbers right-aligned and sortable"
    );
}

#[test]
fn hostile_names_stay_text_in_html() {
    if !chromium() {
        return;
    }
    let t = build("hostile_formats", "html");
    let mut dom = check_html(&t, "index.html");
    let out = t.path("out");
    for page in files_with(&out, "html")
        .iter()
        .filter(|p| p.parent() != Some(&out))
    {
        let rel = format!(
            "groups/{}",
            page.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
        dom.push_str(&check_html(&t, &rel));
    }
    let lower = dom.to_ascii_lowercase();
    assert!(!lower.contains("<img"), "an image from input");
    assert!(!lower.contains("href=\"javascript:"), "a javascript: link");
    assert!(!lower.contains("<b>x</b>"), "raw HTML from input");
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the name as text"
    );
    assert!(
        dom.contains("<title>&lt;script&gt;alert('t')"),
        "the title as text"
    );
}

#[test]
fn md_rst_and_html_in_one_build() {
    let t = build("mini", "md,rst,html");
    for name in ["index.md", "index.rst", "index.html"] {
        assert!(t.path("out").join(name).is_file(), "{name}");
    }
    let md_alone = build("mini", "md");
    // The same page but for the footer, which records the command's formats.
    let body = |s: String| {
        s.split("## How this page was made")
            .next()
            .map(str::to_string)
    };
    assert_eq!(
        body(t.read("out/index.md")),
        body(md_alone.read("out/index.md"))
    );
    assert!(t.read("out/index.md").contains("-f md,rst,html"));
}

/// `description` in bench-report.toml is the author's markdown: kept as markdown in `.md`,
/// rendered by pulldown-cmark in `.html` with raw HTML shown as text, plain text in `.rst`.
#[test]
fn the_config_description_is_markdown_in_each_format() {
    let t = TestDir::with_set("mini");
    let config = t.path("mini/bench-report.toml");
    let old = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        format!("description = \"Runs by **the perf team**; see <script>x</script>.\"\n{old}"),
    )
    .expect("write config");
    let out = t.run(&["build", "mini", "-o", "out", "-f", "md,rst,html"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(t
        .read("out/index.md")
        .contains("\nRuns by **the perf team**; see <script>x</script>.\n"));
    let html = t.read("out/index.html");
    assert!(
        html.contains("<strong>the perf team</strong>"),
        "markdown rendered"
    );
    assert!(
        html.contains("&lt;script&gt;x&lt;/script&gt;"),
        "raw HTML shown as text"
    );
    assert_eq!(html.matches("<script").count(), 1, "only the sort script");
    assert!(t
        .read("out/index.rst")
        .contains("Runs by \\*\\*the perf team\\*\\*; see \\<script\\>x\\</script\\>."));
}
