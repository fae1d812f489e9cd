//! Pages from the view model (DESIGN §8, STYLE §4). The shared work happens here once: one
//! minijinja environment per renderer with strict undefined, the `table` filter built from
//! the renderer's own table syntax, `--templates DIR` overrides by name. Each renderer only
//! says how its syntax looks.

pub mod escape;
pub mod markdown;

use std::path::Path;

use minijinja::{Environment, UndefinedBehavior};

use crate::error::OutputError;
use crate::report::{Table, View};

/// One page format. Each implementation lives in its own file in `render/` and has its
/// templates in `templates/<name>/`.
pub trait Renderer: Sync {
    /// The `-f` value and template folder: "md".
    fn name(&self) -> &'static str;
    /// File extension of the pages it writes.
    fn extension(&self) -> &'static str;
    /// Makes text taken from input files inert in this format.
    fn escape(&self, text: &str) -> String;
    /// A table in this syntax.
    fn table(&self, table: &Table) -> String;
    /// Built-in templates: (name, source), embedded with include_str!.
    fn templates(&self) -> &'static [(&'static str, &'static str)];
}

/// Every page format, in `-f` order.
pub static RENDERERS: &[&dyn Renderer] = &[&markdown::Markdown];

/// Look a renderer up by `-f` name.
#[must_use]
pub fn renderer_by_name(name: &str) -> Option<&'static dyn Renderer> {
    RENDERERS.iter().copied().find(|r| r.name() == name)
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
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let mut names = Vec::new();
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
        names.push(*name);
    }
    env.add_filter(
        "table",
        move |t: minijinja::Value| -> Result<String, minijinja::Error> {
            let table: Table = serde_json::from_value(serde_json::to_value(&t).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
            })?)
            .map_err(|e| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("not a table: {e}"),
                )
            })?;
            Ok(renderer.table(&table))
        },
    );
    env.add_filter("escape_text", move |s: String| renderer.escape(&s));
    let ctx = minijinja::Value::from_serialize(view);
    let mut out = Vec::new();
    for name in names {
        if name.starts_with('_') {
            continue;
        }
        let tmpl = env
            .get_template(name)
            .map_err(|e| template_error(name, &e))?;
        let text = tmpl.render(&ctx).map_err(|e| template_error(name, &e))?;
        let file = format!(
            "{}.{}",
            name.trim_end_matches(".j2")
                .trim_end_matches(&format!(".{}", renderer.extension())),
            renderer.extension()
        );
        out.push((file, text));
    }
    Ok(out)
}

fn template_error(name: &str, e: &minijinja::Error) -> OutputError {
    let line = e.line().map(|l| format!(" line {l}")).unwrap_or_default();
    OutputError::Template {
        name: format!("{name}{line}"),
        message: e.to_string(),
    }
}
