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

/// reStructuredText running text and table cells, inert (docutils "Escaping Mechanism"): one
/// line, trimmed (leading spaces would start a block quote), every character of inline markup
/// backslash-escaped (`*`, backquotes, `_`, `|`, `:` for roles and URIs such as `javascript:`,
/// `[`, `]`, `<`, `>`, `\\`), and whatever could open a block at the start of a line (`..`,
/// bullets, `#.`, `>>>`, an enumerator such as `1.` or `a)`) escaped too.
#[must_use]
pub fn rst_text(text: &str) -> String {
    let folded: Vec<&str> = text.split_whitespace().collect();
    let folded = folded.join(" ");
    let first_token = folded.split(' ').next().unwrap_or("");
    // `1.`, `iv)`, `A.`: an enumerated list item when it starts a paragraph.
    let enumerator = first_token.len() > 1
        && first_token.ends_with(['.', ')'])
        && first_token[..first_token.len() - 1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric());
    let mut out = String::with_capacity(folded.len() + 8);
    for (i, c) in folded.chars().enumerate() {
        let starts_block = i == 0 && (c.is_ascii_punctuation() || matches!(c, '•' | '‣' | '⁃'));
        let ends_enumerator = enumerator && i + 1 == first_token.chars().count();
        if starts_block
            || ends_enumerator
            || matches!(
                c,
                '\\' | '*' | '`' | '_' | '|' | ':' | '[' | ']' | '<' | '>'
            )
        {
            out.push('\\');
        }
        if !c.is_control() {
            out.push(c);
        }
    }
    out
}

/// Columns a line of text takes as docutils measures a title (East Asian wide and fullwidth
/// characters count two), never less: a title underline at least this long is never short.
#[must_use]
pub fn rst_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let u = u32::from(c);
            let wide = matches!(u,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F
                | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// HTML text and attribute values: `&`, `<`, `>`, `"` and `'` as entities, control
/// characters dropped.
#[must_use]
pub fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if c.is_control() => {}
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

    #[test]
    fn rst_text_is_inert() {
        assert_eq!(rst_text("a*b*_c|d"), "a\\*b\\*\\_c\\|d");
        assert_eq!(rst_text(":raw:`<b>`"), "\\:raw\\:\\`\\<b\\>\\`");
        assert_eq!(rst_text("  .. x::\n y"), "\\.. x\\:\\: y");
        assert_eq!(rst_text("- item"), "\\- item");
        assert_eq!(rst_text("1. first"), "1\\. first");
        assert_eq!(rst_text("1.5 req/s"), "1.5 req/s");
        assert_eq!(rst_text("javascript:x"), "javascript\\:x");
        assert_eq!(rst_width("ab·"), 3);
        assert_eq!(rst_width("模型"), 4);
    }

    #[test]
    fn html_text_escapes_markup_and_quotes() {
        assert_eq!(
            html_text("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
