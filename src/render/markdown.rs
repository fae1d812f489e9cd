//! Markdown pages (GitHub-flavoured pipe tables).

use super::{escape, Renderer};
use crate::view::Table;

/// The `md` renderer.
pub struct Markdown;

impl Renderer for Markdown {
    fn name(&self) -> &'static str {
        "md"
    }

    fn extension(&self) -> &'static str {
        "md"
    }

    fn escape(&self, text: &str) -> String {
        escape::markdown_text(text)
    }

    fn link(&self, text: &str, target: &str) -> String {
        format!("[{}]({target})", escape::markdown_cell(text))
    }

    fn table(&self, table: &Table) -> String {
        let header: Vec<String> = table
            .columns
            .iter()
            .map(|c| escape::markdown_cell(&c.header))
            .collect();
        let mut out = format!("| {} |\n", header.join(" | "));
        let aligns: Vec<&str> = table
            .columns
            .iter()
            .map(|c| if c.numeric { "---:" } else { "---" })
            .collect();
        out.push_str(&format!("| {} |\n", aligns.join(" | ")));
        for r in &table.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match &c.link {
                    Some(path) => self.link(&c.text, &format!("{path}.md")),
                    None => escape::markdown_cell(&c.text),
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }

    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "index.md.j2",
                include_str!("../../templates/md/index.md.j2"),
            ),
            (
                "group.md.j2",
                include_str!("../../templates/md/group.md.j2"),
            ),
            (
                "_made.md.j2",
                include_str!("../../templates/md/_made.md.j2"),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Cell;

    #[test]
    fn markdown_table_aligns_numbers_and_escapes_cells() {
        let mut t = Table::new(&[("Model", false), ("req/s", true)]);
        t.rows.push(vec![Cell::text("a|b"), Cell::count(2)]);
        assert_eq!(
            Markdown.table(&t),
            "| Model | req/s |\n| --- | ---: |\n| a\\|b | 2 |\n"
        );
    }
}
