//! The renderer on its own: escaping of input text, tables laid out from the typed value,
//! templates that see tables as objects, and auto-escape that never escapes twice.

use super::*;
use crate::view::{Cell, GroupCounts, GroupPage, Link, Made, PageContent};

/// A minimal renderer whose engine auto-escapes HTML (not `html.rs`: its templates are
/// the test's own), to check the filters are not escaped again.
struct AutoEscaping;

impl Renderer for AutoEscaping {
    fn name(&self) -> &'static str {
        "html"
    }
    fn extension(&self) -> &'static str {
        "html"
    }
    fn escape(&self, text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    fn table(&self, table: &Table) -> String {
        let cells: Vec<String> = table
            .rows
            .iter()
            .flatten()
            .map(|c| format!("<td>{}</td>", self.escape(&c.text)))
            .collect();
        format!("<table>{}</table>", cells.join(""))
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "group.html.j2",
            "<h1>{{ title | escape_text }}</h1>{{ runs | table }}{% if failed.rows %}x{% endif %}",
        )]
    }
    fn auto_escape(&self) -> AutoEscape {
        AutoEscape::Html
    }
}

/// A group page showing `runs` (the page kind whose tables the tests exercise).
fn page(title: &str, runs: Table) -> View {
    let content = GroupPage {
        title: title.into(),
        report_title: "R".into(),
        index: Link {
            text: "R".into(),
            path: "../index".into(),
        },
        group: Vec::new(),
        part: None,
        counts: GroupCounts {
            runs: runs.rows.len(),
            passing: 0,
            failing: 0,
            unpriced: 0,
        },
        budgets: Vec::new(),
        recommendations: vec!["use *this* one".into()],
        runs,
        has_reported: false,
        failed: Table::default(),
        prices: Table::default(),
        unpriced: Table::default(),
        definitions: Table::default(),
        notes: Table::default(),
        warnings: Vec::new(),
        charts: Vec::new(),
        made: Made {
            version: "0".into(),
            command: "bench-report build INPUT".into(),
            settings: Vec::new(),
            inputs: Table::default(),
            price_tables: Table::default(),
        },
    };
    View {
        pages: vec![Page {
            name: "groups/g".into(),
            content: PageContent::Group(content),
        }],
    }
}

fn hostile_table() -> Table {
    let mut t = Table::new(&[("Run", false), ("req/s", true)]);
    t.rows
        .push(vec![Cell::text("a|b <i>*x*</i> `code`"), Cell::count(3)]);
    t
}

#[test]
fn markdown_escapes_pipes_html_stars_and_backquotes() {
    assert_eq!(escape::markdown_cell("a|b"), "a\\|b");
    assert_eq!(escape::markdown_cell("<b>"), "&lt;b&gt;");
    assert_eq!(escape::markdown_cell("`x`"), "\\`x\\`");
    assert_eq!(escape::markdown_text("*x* <b>"), "\\*x\\* &lt;b&gt;");
}

#[test]
fn markdown_table_is_laid_out_from_the_typed_value() {
    let text = markdown::Markdown.table(&hostile_table());
    assert_eq!(
        text,
        "| Run | req/s |\n| --- | ---: |\n| a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; \\`code\\` | 3 |\n"
    );
}

#[test]
fn built_in_markdown_page_renders_tables_and_escapes_text() {
    let pages =
        render(&markdown::Markdown, &page("T <x>", hostile_table()), None).expect("renders");
    assert_eq!(pages.len(), 1);
    let (name, text) = &pages[0];
    assert_eq!(name, "groups/g.md");
    assert!(text.starts_with("# T &lt;x&gt;\n"), "{text}");
    assert!(text.contains("- use \\*this\\* one\n"), "{text}");
    assert!(
        text.contains("| a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; \\`code\\` | 3 |\n"),
        "{text}"
    );
}

#[test]
fn auto_escape_never_escapes_the_filters_twice() {
    static HTML: AutoEscaping = AutoEscaping;
    let pages = render(&HTML, &page("a < b & c", hostile_table()), None).expect("renders");
    assert_eq!(
        pages[0].1,
        "<h1>a &lt; b &amp; c</h1><table><td>a|b &lt;i&gt;*x*&lt;/i&gt; `code`</td><td>3</td></table>"
    );
}

/// Render a page with one markdown template overridden by `--templates DIR`.
fn render_with_md_override(
    name: &str,
    source: &str,
    runs: Table,
) -> Result<Vec<(String, String)>, OutputError> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("md")).expect("mkdir");
    std::fs::write(dir.path().join("md").join(name), source).expect("write");
    render(&markdown::Markdown, &page("t", runs), Some(dir.path()))
}

#[test]
fn templates_see_tables_as_objects_with_text_and_typed_cells() {
    let pages = render_with_md_override(
        "group.md.j2",
        "{{ runs.headers | join(',') }};{% for r in runs.rows %}{{ r[1] }}{% endfor %};\
         {% for r in runs.cells %}{{ r[1].value }}{% endfor %};{{ failed.rows | length }}",
        hostile_table(),
    )
    .expect("renders");
    assert_eq!(pages[0].1, "Run,req/s;3;3.0;0");
}

#[test]
fn a_non_table_given_to_the_table_filter_is_an_error_naming_the_template() {
    let err = render_with_md_override("group.md.j2", "{{ title | table }}", Table::default())
        .expect_err("not a table");
    assert!(err.to_string().contains("group.md.j2"), "{err}");
    assert!(err.to_string().contains("not a table"), "{err}");
}

#[test]
fn a_partial_is_overridden_by_name_too() {
    let pages =
        render_with_md_override("_made.md.j2", "MADE {{ made.version }}\n", hostile_table())
            .expect("renders");
    assert!(pages[0].1.ends_with("MADE 0\n"), "{}", pages[0].1);
    assert!(
        pages[0].1.contains("Part of [R](../index.md)."),
        "{}",
        pages[0].1
    );
}
