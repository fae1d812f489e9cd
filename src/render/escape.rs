//! Per-format escaping, in one place: text from input files must stay inert in every page
//! format (README "Outputs").

/// Markdown table cell: every character CommonMark or GFM gives a meaning inline is
/// backslash-escaped (`\`, backquote, `*`, `_`, `[`, `]`, `#`, `~`, `&`, `|`), `<`/`>` are
/// entities (so raw HTML from an input file never reaches a renderer), newlines fold to
/// spaces and other control characters are dropped.
#[must_use]
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '&' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown running text (a sentence, a list item, a title): like a cell, and what could
/// start a block at the beginning of a line is made inert too: leading spaces (an indented
/// code block) become `&#32;`, a leading `-`, `+` or `=` (a list, a heading underline) and
/// the `.` or `)` of a leading number (an ordered list) are escaped.
#[must_use]
pub fn markdown_text(text: &str) -> String {
    let cell = markdown_cell(text);
    let body = cell.trim_start_matches(' ');
    let mut out = "&#32;".repeat(cell.len() - body.len());
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    match body.chars().nth(digits) {
        Some('.' | ')') if digits > 0 => {
            out.push_str(&body[..digits]);
            out.push('\\');
            out.push_str(&body[digits..]);
        }
        Some('-' | '+' | '=') if digits == 0 => {
            out.push('\\');
            out.push_str(body);
        }
        _ => out.push_str(body),
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
        assert_eq!(markdown_cell("*y* _z_"), "\\*y\\* \\_z\\_");
        assert_eq!(markdown_text("*bold* [x](y)"), "\\*bold\\* \\[x\\](y)");
    }

    #[test]
    fn running_text_never_starts_a_block() {
        assert_eq!(markdown_text("  code"), "&#32;&#32;code");
        assert_eq!(markdown_text("- item"), "\\- item");
        assert_eq!(markdown_text("1. first"), "1\\. first");
        assert_eq!(markdown_text("# title"), "\\# title");
        assert_eq!(markdown_text("a - b"), "a - b");
    }
}
