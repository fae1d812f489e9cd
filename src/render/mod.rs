//! Pages from the view model (README "Outputs", ARCHITECTURE.md). The shared work happens here once: one
//! minijinja environment per renderer with strict undefined, `--templates DIR` overrides by
//! name, and the two filters through which every format escapes: `table` (a [`Table`] laid
//! out by the renderer, cells escaped by it) and `escape_text` (running text). Each renderer
//! only says how its syntax looks, in its own file.
//!
//! Escaping happens once: both filters return strings marked safe, so a template engine's
//! auto-escape (HTML's, when a renderer turns it on) never escapes them a second time.
//! Tables reach the templates as objects over the typed [`Table`], never as data to be
//! serialized and read back.

pub mod escape;
pub mod html;
pub mod markdown;
pub mod rst;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

use minijinja::value::{merge_maps, Enumerator, Object};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior, Value};

use crate::error::OutputError;
use crate::view::{Page, Table, View};

/// One page format. Each implementation lives in its own file in `render/` and has its
/// templates in `templates/<name>/`.
pub trait Renderer: Sync {
    /// The `-f` value and template folder: "md".
    fn name(&self) -> &'static str;
    /// File extension of the pages it writes.
    fn extension(&self) -> &'static str;
    /// Makes running text taken from input files inert in this format.
    fn escape(&self, text: &str) -> String;
    /// A table in this syntax, every cell escaped for it.
    fn table(&self, table: &Table) -> String;
    /// Built-in templates: (name, source), embedded with include_str!. A page of kind `index`
    /// uses `index.<extension>.j2`; names starting with `_` are partials.
    fn templates(&self) -> &'static [(&'static str, &'static str)];
    /// The template engine's own escaping of every `{{ value }}`: none for markdown, whose
    /// escaping depends on where the text goes (a cell, running text, a code span), so its
    /// templates choose with the filters; HTML would turn it on.
    fn auto_escape(&self) -> AutoEscape {
        AutoEscape::None
    }
    /// A link to another page of the site: `text` unescaped, `target` the page's path
    /// relative to the current page with this renderer's extension (`groups/a.md`). The
    /// default writes the text only; each format overrides it with its link syntax.
    fn link(&self, text: &str, target: &str) -> String {
        let _ = target;
        self.escape(text)
    }
    /// Filters of this format beyond `table` and `escape_text` (RST's `heading`).
    fn add_filters(&self, _env: &mut Environment<'static>) {}
}

/// Every page format, in `-f` order.
pub static RENDERERS: &[&dyn Renderer] = &[&markdown::Markdown, &rst::Rst, &html::Html];

/// Look a renderer up by `-f` name.
#[must_use]
pub fn renderer_by_name(name: &str) -> Option<&'static dyn Renderer> {
    RENDERERS.iter().copied().find(|r| r.name() == name)
}

/// A [`Table`] as templates see it: `headers`, `numeric` and `rows` (display text, as
/// before the view was typed), and `cells` (the typed cells: `text`, `value`, `unit`,
/// `source`). The `table` filter lays it out from the typed value.
#[derive(Debug)]
struct TableValue(Table);

impl Object for TableValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let t = &self.0;
        Some(match key.as_str()? {
            "headers" => Value::from_serialize(t.headers()),
            "numeric" => {
                Value::from_serialize(t.columns.iter().map(|c| c.numeric).collect::<Vec<_>>())
            }
            "rows" => Value::from_serialize(t.texts()),
            "cells" => Value::from_serialize(&t.rows),
            "columns" => Value::from_serialize(&t.columns),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["headers", "numeric", "rows", "cells", "columns"])
    }
}

fn table_value(t: &Table) -> Value {
    Value::from_object(TableValue(t.clone()))
}

/// The template context of a page: its fields, with its tables as [`TableValue`]s (the
/// last map given to `merge_maps` wins), also the tables inside `made` and `groups`, and
/// `page` (the page's name) and `kind` (its template kind).
pub fn page_context(page: &Page) -> Value {
    let made = page.content.made();
    let made = merge_maps([
        Value::from_serialize(made),
        Value::from_iter([
            ("inputs", table_value(&made.inputs)),
            ("price_tables", table_value(&made.price_tables)),
        ]),
    ]);
    let mut extra: Vec<(&str, Value)> = page
        .content
        .tables()
        .into_iter()
        .map(|(name, t)| (name, table_value(t)))
        .collect();
    extra.push(("made", made));
    if let crate::view::PageContent::Index(_) = &page.content {
        let groups: Vec<Value> = page
            .content
            .group_sections()
            .iter()
            .map(|g| {
                Value::from_iter([
                    ("title", Value::from(g.title.clone())),
                    ("table", table_value(&g.table)),
                ])
            })
            .collect();
        extra.push(("groups", Value::from(groups)));
    }
    extra.push(("page", Value::from(page.name.clone())));
    extra.push(("kind", Value::from(page.content.template())));
    merge_maps([
        Value::from_serialize(&page.content),
        extra.into_iter().collect(),
    ])
}

/// The template context of every page as JSON (`build --dump-context`): what a template
/// sees, to write one against real data. Returns (`context/<page>.json`, bytes).
///
/// # Errors
/// A context that cannot be serialized (never, for the view's types).
pub fn dump_context(view: &View) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    let mut out = Vec::new();
    for page in &view.pages {
        let mut bytes =
            serde_json::to_vec_pretty(&page_context(page)).map_err(|e| OutputError::Template {
                name: format!("context/{}.json", page.name),
                message: e.to_string(),
            })?;
        bytes.push(b'\n');
        out.push((format!("context/{}.json", page.name), bytes));
    }
    Ok(out)
}

/// Render every page of one format: returns (file name, contents).
///
/// # Errors
/// A template that fails to load or render, named with its file and line.
pub fn render(
    renderer: &'static dyn Renderer,
    view: &View,
    overrides: Option<&Path>,
) -> Result<Vec<(String, String)>, OutputError> {
    let env = environment(renderer, overrides)?;
    let mut out = Vec::new();
    for page in &view.pages {
        let name = format!("{}.{}.j2", page.content.template(), renderer.extension());
        let tmpl = env
            .get_template(&name)
            .map_err(|e| template_error(&name, &e))?;
        let text = tmpl
            .render(page_context(page))
            .map_err(|e| template_error(&name, &e))?;
        out.push((format!("{}.{}", page.name, renderer.extension()), text));
    }
    Ok(out)
}

/// The environment of one renderer: its templates (or the user's, by name), its filters.
fn environment(
    renderer: &'static dyn Renderer,
    overrides: Option<&Path>,
) -> Result<Environment<'static>, OutputError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(move |_| renderer.auto_escape());
    for (name, source) in renderer.templates() {
        let user = overrides
            .map(|d| d.join(renderer.name()).join(name))
            .filter(|p| p.is_file());
        match user {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| OutputError::Io {
                    path: path.clone(),
                    source: e,
                })?;
                env.add_template_owned(name.to_string(), text)
                    .map_err(|e| template_error(&path.display().to_string(), &e))?;
            }
            None => env
                .add_template(name, source)
                .map_err(|e| template_error(name, &e))?,
        }
    }
    env.add_filter(
        "table",
        move |t: Value| -> Result<Value, minijinja::Error> {
            let table = t.downcast_object_ref::<TableValue>().ok_or_else(|| {
                minijinja::Error::new(
                    ErrorKind::InvalidOperation,
                    format!("not a table: {}", t.kind()),
                )
            })?;
            Ok(Value::from_safe_string(renderer.table(&table.0)))
        },
    );
    env.add_filter("escape_text", move |s: String| {
        Value::from_safe_string(renderer.escape(&s))
    });
    // `{{ index | link }}`: a view `Link` ({ text, path }) in the format's link syntax.
    env.add_filter("link", move |l: Value| -> Result<Value, minijinja::Error> {
        let field = |k: &str| -> Result<String, minijinja::Error> {
            l.get_attr(k)?.as_str().map(str::to_string).ok_or_else(|| {
                minijinja::Error::new(
                    ErrorKind::InvalidOperation,
                    format!("not a link (no `{k}`): {l}"),
                )
            })
        };
        let target = format!("{}.{}", field("path")?, renderer.extension());
        Ok(Value::from_safe_string(
            renderer.link(&field("text")?, &target),
        ))
    });
    renderer.add_filters(&mut env);
    Ok(env)
}

fn template_error(name: &str, e: &minijinja::Error) -> OutputError {
    let line = e.line().map(|l| format!(" line {l}")).unwrap_or_default();
    OutputError::Template {
        name: format!("{name}{line}"),
        message: e.to_string(),
    }
}
