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

    fn table(&self, table: &Table) -> String {
        let row = |cells: &mut dyn Iterator<Item = &str>| {
            let cells: Vec<String> = cells.map(escape::markdown_cell).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        let mut out = row(&mut table.columns.iter().map(|c| c.header.as_str()));
        let aligns: Vec<&str> = table
            .columns
            .iter()
            .map(|c| if c.numeric { "---:" } else { "---" })
            .collect();
        out.push_str(&format!("| {} |\n", aligns.join(" | ")));
        for r in &table.rows {
            out.push_str(&row(&mut r.iter().map(|c| c.text.as_str())));
        }
        out
    }

    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "index.md.j2",
            include_str!("../../templates/md/index.md.j2"),
        )]
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
