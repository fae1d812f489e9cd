//! How a page was made (README "Outputs"): the inputs behind it with the tool and tool
//! version that wrote each and its SHA-256, the price tables used with their dates, the
//! bench-report version and the resolved options of the command, so a reader can rebuild it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::evaluate::{EvaluatedRun, Evaluation};

use super::table::{Cell, Table};

/// The build options a page cites (resolved: defaults filled in, paths relative to the
/// input root where they lie under it).
#[derive(Debug, Clone, Serialize)]
pub struct Options {
    /// Page formats (`-f`), in order.
    pub formats: Vec<String>,
    /// `--on-bad-file`: `fail` or `skip`.
    pub on_bad_file: String,
    /// The config file used, relative to the input root when it lies under it.
    pub config: Option<String>,
    /// `--templates DIR`, as given.
    pub templates: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            formats: vec!["md".into()],
            on_bad_file: "fail".into(),
            config: None,
            templates: None,
        }
    }
}

/// One resolved setting: `name = value`.
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    /// `-f`, `--on-bad-file`, `--config`, `[site] page_by`, …
    pub name: String,
    /// Its value as the build used it.
    pub value: String,
}

/// The footer of every page.
#[derive(Debug, Clone, Serialize)]
pub struct Made {
    /// `env!("CARGO_PKG_VERSION")`.
    pub version: String,
    /// The command that rebuilds it, with the input root written `INPUT`.
    pub command: String,
    /// Every resolved setting.
    pub settings: Vec<Setting>,
    /// The inputs behind the page: per file on a group page (path relative to the input
    /// root, tool, tool version, runs, SHA-256); per tool on the index.
    pub inputs: Table,
    /// The price tables used, with their dates and SHA-256 when the table is an input.
    pub price_tables: Table,
}

impl Made {
    /// The footer of a page showing `runs`; `per_file` lists each input file (group
    /// pages), otherwise one row per tool (the index: every file is on its group's page
    /// and in `data/summary.json`).
    #[must_use]
    pub fn build(ev: &Evaluation, opts: &Options, runs: &[&EvaluatedRun], per_file: bool) -> Made {
        Made {
            version: env!("CARGO_PKG_VERSION").to_string(),
            command: command(opts),
            settings: settings(ev, opts),
            inputs: if per_file {
                files_table(ev, runs)
            } else {
                tools_table(ev)
            },
            price_tables: price_tables(ev, runs),
        }
    }
}

fn command(opts: &Options) -> String {
    let mut c = format!("bench-report build INPUT -f {}", opts.formats.join(","));
    if opts.on_bad_file != "fail" {
        c.push_str(&format!(" --on-bad-file {}", opts.on_bad_file));
    }
    if let Some(p) = &opts.config {
        c.push_str(&format!(" --config INPUT/{p}"));
    }
    if let Some(t) = &opts.templates {
        c.push_str(&format!(" --templates {t}"));
    }
    c
}

fn settings(ev: &Evaluation, opts: &Options) -> Vec<Setting> {
    let s = |name: &str, value: String| Setting {
        name: name.into(),
        value,
    };
    vec![
        s("-f (formats)", opts.formats.join(", ")),
        s("--on-bad-file", opts.on_bad_file.clone()),
        s(
            "--config",
            opts.config
                .clone()
                .unwrap_or_else(|| "none (defaults)".into()),
        ),
        s(
            "--templates",
            opts.templates
                .clone()
                .unwrap_or_else(|| "none (built-in)".into()),
        ),
        s("[site] page_by", ev.config.site.page_by.join(", ")),
        s(
            "[recommend] group_by",
            ev.config.recommend.group_by.join(", "),
        ),
        s(
            "[recommend] objective",
            ev.config.recommend.objective.name().to_string(),
        ),
    ]
}

/// Tool versions of the runs read from each file.
fn versions(ev: &Evaluation) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for er in &ev.runs {
        let v = out.entry(er.run.source_file.as_str()).or_default();
        if let Some(tv) = er.run.source_tool_version.as_deref() {
            v.insert(tv);
        }
    }
    out
}

fn files_table(ev: &Evaluation, runs: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[
        ("File", false),
        ("Tool", false),
        ("Tool version", false),
        ("Runs", true),
        ("SHA-256", false),
    ]);
    let versions = versions(ev);
    let files: BTreeSet<&str> = runs.iter().map(|er| er.run.source_file.as_str()).collect();
    for f in files {
        let input = ev.inputs.iter().find(|i| i.path == f);
        let here = runs.iter().filter(|er| er.run.source_file == f).count();
        let tool = input.map_or_else(
            || {
                runs.iter()
                    .find(|er| er.run.source_file == f)
                    .map(|er| er.run.source_format.clone())
                    .unwrap_or_default()
            },
            |i| i.format.clone(),
        );
        table.rows.push(vec![
            Cell::text(f),
            Cell::text(tool),
            Cell::text(join_versions(versions.get(f))),
            Cell::count(here),
            Cell::text(input.map(|i| i.sha256.clone()).unwrap_or_default()),
        ]);
    }
    table
}

fn join_versions(v: Option<&BTreeSet<&str>>) -> String {
    match v {
        Some(v) if !v.is_empty() => v.iter().copied().collect::<Vec<_>>().join(", "),
        _ => "not stated".into(),
    }
}

fn tools_table(ev: &Evaluation) -> Table {
    let mut table = Table::new(&[
        ("Tool", false),
        ("Tool versions", false),
        ("Files", true),
        ("Runs", true),
    ]);
    let versions = versions(ev);
    let mut per: BTreeMap<&str, (BTreeSet<&str>, usize, usize)> = BTreeMap::new();
    for i in &ev.inputs {
        let e = per.entry(i.format.as_str()).or_default();
        e.1 += 1;
        e.2 += i.runs;
        if let Some(v) = versions.get(i.path.as_str()) {
            e.0.extend(v.iter().copied());
        }
    }
    for (tool, (v, files, runs)) in per {
        table.rows.push(vec![
            Cell::text(tool),
            Cell::text(join_versions(Some(&v))),
            Cell::count(files),
            Cell::count(runs),
        ]);
    }
    table
}

fn price_tables(ev: &Evaluation, runs: &[&EvaluatedRun]) -> Table {
    let mut table = Table::new(&[
        ("Price table", false),
        ("As of", false),
        ("Runs priced", true),
        ("SHA-256", false),
    ]);
    let mut per: BTreeMap<&str, (BTreeSet<String>, usize)> = BTreeMap::new();
    for m in runs.iter().filter_map(|er| er.cost.price.as_ref()) {
        let e = per.entry(m.table.as_str()).or_default();
        e.0.insert(m.row.as_of.clone().unwrap_or_else(|| "not stated".into()));
        e.1 += 1;
    }
    for (t, (dates, n)) in per {
        let sha = ev
            .inputs
            .iter()
            .find(|i| i.path == t)
            .map(|i| i.sha256.clone())
            .unwrap_or_default();
        table.rows.push(vec![
            Cell::text(t),
            Cell::text(dates.into_iter().collect::<Vec<_>>().join(", ")),
            Cell::count(n),
            Cell::text(sha),
        ]);
    }
    table
}
