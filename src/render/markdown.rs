//! Markdown pages (GitHub-flavoured pipe tables).

use super::{escape, Renderer};
use crate::report::Table;

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
        let mut out = String::new();
        let row = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| escape::markdown_cell(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&row(&table.headers));
        let aligns: Vec<String> = table
            .numeric
            .iter()
            .map(|n| {
                if *n {
                    "---:".to_string()
                } else {
                    "---".to_string()
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", aligns.join(" | ")));
        for r in &table.rows {
            out.push_str(&row(r));
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

    #[test]
    fn markdown_table_aligns_numbers_and_escapes_cells() {
        let t = Table {
            headers: vec!["Model".into(), "req/s".into()],
            numeric: vec![false, true],
            rows: vec![vec!["a|b".into(), "1.5".into()]],
        };
        assert_eq!(
            Markdown.table(&t),
            "| Model | req/s |\n| --- | ---: |\n| a\\|b | 1.5 |\n"
        );
    }
}
