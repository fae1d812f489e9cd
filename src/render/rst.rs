//! reStructuredText pages, for Sphinx and docutils: tables as `list-table` directives, every
//! cell and sentence escaped by [`escape::rst_text`], titles underlined by the `heading` filter
//! (long enough however the title is written), links between pages as anonymous hyperlinks to
//! `<stem>.html`, which both `rst2html` and Sphinx's HTML builder produce.

use minijinja::{Environment, Value};

use super::{escape, Renderer};
use crate::view::Table;

/// The `rst` renderer.
pub struct Rst;

/// `{{ title | heading("=") }}`: the escaped title and its underline, which docutils requires
/// to be at least as wide as the title.
fn heading(text: &str, mark: Option<String>) -> Value {
    let text = escape::rst_text(text);
    let mark = mark
        .and_then(|m| m.chars().next())
        .filter(char::is_ascii_punctuation)
        .unwrap_or('=');
    let line: String = std::iter::repeat_n(mark, escape::rst_width(&text).max(1)).collect();
    Value::from_safe_string(format!("{text}\n{line}"))
}

/// `{{ alt | rst_option }}`: a directive option's value (`:alt:`), which docutils keeps as
/// written: one line, trimmed, control characters dropped.
fn rst_option(text: &str) -> Value {
    let line: Vec<&str> = text.split_whitespace().collect();
    Value::from_safe_string(line.join(" ").chars().filter(|c| !c.is_control()).collect())
}

impl Renderer for Rst {
    fn name(&self) -> &'static str {
        "rst"
    }

    fn extension(&self) -> &'static str {
        "rst"
    }

    fn escape(&self, text: &str) -> String {
        escape::rst_text(text)
    }

    /// A `list-table` with one header row, without a final line break (the template's ends it). A table without rows is said in words: docutils
    /// refuses a list-table whose header is all it has.
    fn table(&self, table: &Table) -> String {
        if table.rows.is_empty() {
            return "(no rows)".into();
        }
        let mut out = String::from(".. list-table::\n   :header-rows: 1\n   :widths: auto\n");
        out.push_str("   :class: bench-report\n\n");
        let mut row = |cells: &mut dyn Iterator<Item = &str>| {
            for (i, c) in cells.enumerate() {
                let bullet = if i == 0 { "   * -" } else { "     -" };
                let text = c;
                if text.is_empty() {
                    out.push_str(bullet);
                    out.push('\n');
                } else {
                    out.push_str(&format!("{bullet} {text}\n"));
                }
            }
        };
        let headers: Vec<String> = table
            .columns
            .iter()
            .map(|c| escape::rst_text(&c.header))
            .collect();
        row(&mut headers.iter().map(String::as_str));
        for r in &table.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match &c.link {
                    Some(path) => self.link(&c.text, &format!("{path}.rst")),
                    None => escape::rst_text(&c.text),
                })
                .collect();
            row(&mut cells.iter().map(String::as_str));
        }
        // The template's line break ends the directive; its blank line separates what follows.
        out.pop();
        out
    }

    /// An anonymous hyperlink to the page's HTML, which rst2html and Sphinx's HTML builder
    /// both write beside the source (a link to `.rst` works in neither).
    fn link(&self, text: &str, target: &str) -> String {
        let stem = target.strip_suffix(".rst").unwrap_or(target);
        format!("`{} <{stem}.html>`__", escape::rst_text(text))
    }

    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "_made.rst.j2",
                include_str!("../../templates/rst/_made.rst.j2"),
            ),
            (
                "group.rst.j2",
                include_str!("../../templates/rst/group.rst.j2"),
            ),
            (
                "_macros.rst.j2",
                include_str!("../../templates/rst/_macros.rst.j2"),
            ),
            (
                "index.rst.j2",
                include_str!("../../templates/rst/index.rst.j2"),
            ),
        ]
    }

    fn add_filters(&self, env: &mut Environment<'static>) {
        env.add_filter("heading", |t: String, m: Option<String>| heading(&t, m));
        env.add_filter("rst_option", |t: String| rst_option(&t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Cell;

    #[test]
    fn list_table_escapes_cells_and_keeps_empty_ones() {
        let mut t = Table::new(&[("Model", false), ("req/s", true)]);
        t.rows.push(vec![Cell::text("*a*|b"), Cell::text("")]);
        assert_eq!(
            Rst.table(&t),
            ".. list-table::\n   :header-rows: 1\n   :widths: auto\n   :class: bench-report\n\n   \
             * - Model\n     - req/s\n   * - \\*a\\*\\|b\n     -"
        );
        assert_eq!(Rst.table(&Table::default()), "(no rows)");
    }

    #[test]
    fn headings_are_underlined_as_wide_as_their_escaped_text() {
        assert_eq!(
            heading("a_b 模", Some("-".into())).to_string(),
            "a\\_b 模\n-------"
        );
    }
}
