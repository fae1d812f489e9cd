//! HTML pages: one self-contained file per page (its CSS in a `<style>` element, charts as
//! inline SVG, a small inline script that makes tables sortable), readable without JavaScript
//! and without any network request: a Content-Security-Policy in every page forbids loading
//! anything but the page itself and its one script, known by its SHA-256.
//!
//! The template engine auto-escapes every `{{ value }}`; the `table`, `escape_text`,
//! `markdown` and `inline_svg` filters return safe strings, escaped once, here.

use minijinja::{AutoEscape, Environment, Value};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use sha2::{Digest, Sha256};

use super::{escape, Renderer};
use crate::view::{Number, Table};

/// The `html` renderer.
pub struct Html;

impl Renderer for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn extension(&self) -> &'static str {
        "html"
    }

    fn escape(&self, text: &str) -> String {
        escape::html_text(text)
    }

    /// A `<table class="sortable">` in a scrolling wrapper; numeric columns carry `class="num"`
    /// (right-aligned) and each numeric cell its number in `data-v`, which the sorting script
    /// reads instead of the display text (`$1.2120`, `12.35†`).
    fn table(&self, table: &Table) -> String {
        let mut out =
            String::from("<div class=\"table-wrap\"><table class=\"sortable\">\n<thead><tr>");
        for c in &table.columns {
            let class = if c.numeric { " class=\"num\"" } else { "" };
            out.push_str(&format!(
                "<th scope=\"col\"{class}>{}</th>",
                escape::html_text(&c.header)
            ));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &table.rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let numeric = table.columns.get(i).is_some_and(|c| c.numeric);
                let mut attrs = String::new();
                if numeric {
                    attrs.push_str(" class=\"num\"");
                    if let Some(v) = &cell.value {
                        let v = match v {
                            Number::Float(f) => f.to_string(),
                            Number::Money(d) => d.to_string(),
                        };
                        attrs.push_str(&format!(" data-v=\"{}\"", escape::html_text(&v)));
                    }
                }
                if cell.is_reported() {
                    attrs.push_str(" title=\"reported by the tool\"");
                }
                let content = match &cell.link {
                    Some(path) => self.link(&cell.text, &format!("{path}.html")),
                    None => cell_html(&cell.text),
                };
                out.push_str(&format!("<td{attrs}>{content}</td>"));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table></div>\n");
        out
    }

    fn link(&self, text: &str, target: &str) -> String {
        format!(
            "<a href=\"{}\">{}</a>",
            escape::html_text(target),
            escape::html_text(text)
        )
    }

    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "_made.html.j2",
                include_str!("../../templates/html/_made.html.j2"),
            ),
            (
                "group.html.j2",
                include_str!("../../templates/html/group.html.j2"),
            ),
            (
                "_base.html.j2",
                include_str!("../../templates/html/_base.html.j2"),
            ),
            (
                "_macros.html.j2",
                include_str!("../../templates/html/_macros.html.j2"),
            ),
            (
                "_style.css",
                include_str!("../../templates/html/_style.css"),
            ),
            ("_sort.js", include_str!("../../templates/html/_sort.js")),
            (
                "index.html.j2",
                include_str!("../../templates/html/index.html.j2"),
            ),
        ]
    }

    fn auto_escape(&self) -> AutoEscape {
        AutoEscape::Html
    }

    fn add_filters(&self, env: &mut Environment<'static>) {
        env.add_filter("markdown", |t: String| {
            Value::from_safe_string(markdown_html(&t))
        });
        env.add_filter("inline_svg", |svg: String, alt: String| {
            Value::from_safe_string(inline_svg(&svg, &alt))
        });
        env.add_filter("csp_hash", |t: String| {
            Value::from_safe_string(csp_hash(&t))
        });
    }
}

/// A cell's text, escaped; each `http(s)` URL in it (a price table's source) becomes a plain
/// link, which the reader may follow and the page never loads.
fn cell_html(text: &str) -> String {
    let words: Vec<String> = text
        .split(' ')
        .map(|word| {
            let is_url = word.starts_with("https://") || word.starts_with("http://");
            let url = word.trim_end_matches(['.', ',', ';', ')']);
            if is_url && url.len() > "https://".len() {
                let tail = &word[url.len()..];
                let url = escape::html_text(url);
                format!(
                    "<a href=\"{url}\" rel=\"noreferrer\">{url}</a>{}",
                    escape::html_text(tail)
                )
            } else {
                escape::html_text(word)
            }
        })
        .collect();
    words.join(" ")
}

/// Markdown (a config description) as HTML, inert: raw HTML in it is shown as text, links keep
/// only `http`, `https`, `mailto` and relative targets (others become their text), and images
/// become their alt text, so the page never loads anything.
#[must_use]
pub fn markdown_html(text: &str) -> String {
    let safe_url = |u: &str| {
        let scheme = u.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        match scheme {
            None => true,
            Some(s) if s.contains(['/', '?', '#']) => true,
            Some(s) => matches!(s.as_str(), "http" | "https" | "mailto"),
        }
    };
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .filter_map(|ev| match ev {
            Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                let keep = safe_url(dest_url);
                dropped.push(!keep);
                keep.then_some(ev)
            }
            Event::End(TagEnd::Link) => (!dropped.pop().unwrap_or(false)).then_some(ev),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
            Event::FootnoteReference(r) => Some(Event::Text(CowStr::from(format!("[^{r}]")))),
            ev => Some(ev),
        });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// A chart's SVG, inline, or its alt text when the SVG carries anything that could run or
/// load (a script, an event handler, an external reference): charts are drawn by
/// bench-report, but their labels come from input files.
#[must_use]
pub fn inline_svg(svg: &str, alt: &str) -> String {
    let body = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => return format!("<p>{}</p>", escape::html_text(alt)),
    };
    // Only the markup can load or run anything: text between tags (a legend naming a model
    // `](javascript:…)`, escaped by the chart's SVG writer) is left out of the check.
    let mut in_tag = false;
    let markup: String = body
        .chars()
        .filter(|c| {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    return true;
                }
                _ => {}
            }
            in_tag
        })
        .collect();
    let lower = markup.to_ascii_lowercase();
    let risky = [
        "<script",
        "javascript:",
        "<foreignobject",
        "href=\"http",
        "url(http",
    ]
    .iter()
    .any(|p| lower.contains(p))
        || has_event_handler(&lower);
    if risky {
        return format!("<p>{}</p>", escape::html_text(alt));
    }
    body.to_string()
}

/// True when some ` on<letters>=` (an event-handler attribute) appears.
fn has_event_handler(lower: &str) -> bool {
    lower.match_indices("on").any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let name_len = lower[i + 2..]
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .count();
        before.is_some_and(char::is_whitespace)
            && name_len > 0
            && lower[i + 2 + name_len..].trim_start().starts_with('=')
    })
}

/// `'sha256-…'` of a script's text, for the page's Content-Security-Policy.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

/// Standard base64 with padding (RFC 4648), as CSP hashes are written.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Cell;

    #[test]
    fn table_escapes_cells_and_marks_numbers() {
        let mut t = Table::new(&[("Model", false), ("req/s", true)]);
        t.rows
            .push(vec![Cell::text("<script>x</script>"), Cell::count(2)]);
        let html = Html.table(&t);
        assert!(
            html.contains("<td>&lt;script&gt;x&lt;/script&gt;</td>"),
            "{html}"
        );
        assert!(
            html.contains("<td class=\"num\" data-v=\"2\">2</td>"),
            "{html}"
        );
        assert!(
            html.contains("<th scope=\"col\" class=\"num\">req/s</th>"),
            "{html}"
        );
    }

    #[test]
    fn markdown_is_rendered_and_inert() {
        let html = markdown_html(
            "*a* <script>x</script> [j](javascript:alert(1)) [ok](https://e.org) ![i](http://x/i.png)",
        );
        assert!(html.contains("<em>a</em>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<a href=\"https://e.org\">ok</a>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn svg_with_anything_active_falls_back_to_its_alt_text() {
        assert_eq!(
            inline_svg("<?xml?>\n<svg><text>a</text></svg>", "x"),
            "<svg><text>a</text></svg>"
        );
        assert_eq!(
            inline_svg("<svg onload=\"x\"></svg>", "a<b"),
            "<p>a&lt;b</p>"
        );
        assert_eq!(inline_svg("<svg><script>x</script></svg>", "a"), "<p>a</p>");
        // A model named `](javascript:x)` in a legend is text, not markup: the chart stays.
        let legend = "<svg><text>m](javascript:x) onclick=y</text></svg>";
        assert_eq!(inline_svg(legend, "a"), legend);
        assert_eq!(
            inline_svg("<svg><a href=\"javascript:x\">t</a></svg>", "a"),
            "<p>a</p>"
        );
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }
}
