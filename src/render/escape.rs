//! Per-format escaping, in one place: text from input files must stay inert in every page
//! format (README "Outputs").

/// Markdown table cell: `|` and backquotes escaped, `<`/`>` as entities (so raw HTML from an
/// input file never reaches a renderer), newlines folded to spaces.
#[must_use]
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '`' => out.push_str("\\`"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown running text: like a cell, and also `*`, `_`, `[` and `]` so input text cannot
/// start emphasis or links.
#[must_use]
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in markdown_cell(text).chars() {
        match c {
            '*' | '_' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_in_their_column_and_html_is_inert() {
        assert_eq!(markdown_cell("a|b"), "a\\|b");
        assert_eq!(
            markdown_cell("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(markdown_cell("two\nlines"), "two lines");
        assert_eq!(markdown_cell("`code`"), "\\`code\\`");
        assert_eq!(markdown_text("*bold* [x](y)"), "\\*bold\\* \\[x\\](y)");
    }
}
