//! The site's pages: runs split by `[site] page_by` (README "Configuration"), a group too
//! large for one readable table split again by a second key and then into numbered parts,
//! each page named by a stable, readable slug, and the relative links between pages.

use std::collections::{BTreeMap, BTreeSet};

use crate::evaluate::{group_value, Evaluation};

/// At most this many runs on one page: a group with more is split by a second key, then
/// into equal numbered parts.
pub const MAX_RUNS_PER_PAGE: usize = 40;

/// Keys tried, in order, to split a group that is too large (the first not in `page_by`).
const SPLIT_KEYS: [&str; 4] = ["instance_type", "dataset", "engine", "source_file"];

/// One field of a group's key and the runs' value (`None`: the runs do not say).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct GroupKey {
    /// The run field (`model`).
    pub field: String,
    /// Its value, `None` when unknown.
    pub value: Option<String>,
}

impl GroupKey {
    /// How the page names it: the value, or `unknown model`.
    #[must_use]
    pub fn text(&self) -> String {
        match &self.value {
            Some(v) => v.clone(),
            None => format!("unknown {}", self.field.replace('_', " ")),
        }
    }
}

/// One group page before it is filled: its name, key, part and runs (indices into
/// `ev.runs`, in display order).
#[derive(Debug, Clone)]
pub struct Plan {
    /// Page name: `groups/<slug>`.
    pub name: String,
    /// The group's key: the `page_by` fields, then the split key when there is one.
    pub key: Vec<GroupKey>,
    /// `(n, of)` when the group is paginated.
    pub part: Option<(usize, usize)>,
    /// Runs on the page.
    pub runs: Vec<usize>,
}

impl Plan {
    /// The page title: `Llama-2-70b · instance type Inf2.48xlarge · part 1 of 2`.
    #[must_use]
    pub fn title(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (i, k) in self.key.iter().enumerate() {
            if i == 0 || k.value.is_none() {
                parts.push(k.text());
            } else {
                parts.push(format!("{} {}", k.field.replace('_', " "), k.text()));
            }
        }
        if let Some((n, of)) = self.part {
            parts.push(format!("part {n} of {of}"));
        }
        parts.join(" · ")
    }
}

/// Split the runs into group pages, in the order of their keys.
#[must_use]
pub fn plan(ev: &Evaluation, page_by: &[String]) -> Vec<Plan> {
    let key_of = |i: usize, fields: &[&str]| -> Vec<GroupKey> {
        fields
            .iter()
            .map(|f| GroupKey {
                field: (*f).to_string(),
                value: group_value(&ev.runs[i].run, f),
            })
            .collect()
    };
    let fields: Vec<&str> = page_by.iter().map(String::as_str).collect();
    let mut groups: BTreeMap<Vec<GroupKey>, Vec<usize>> = BTreeMap::new();
    for i in 0..ev.runs.len() {
        groups.entry(key_of(i, &fields)).or_default().push(i);
    }
    let split = SPLIT_KEYS.iter().find(|k| !fields.contains(k)).copied();
    let mut pages: Vec<(Vec<GroupKey>, Vec<usize>)> = Vec::new();
    for (key, runs) in groups {
        match split {
            Some(s) if runs.len() > MAX_RUNS_PER_PAGE => {
                let mut sub: BTreeMap<Vec<GroupKey>, Vec<usize>> = BTreeMap::new();
                for i in runs {
                    let mut k = key.clone();
                    k.extend(key_of(i, &[s]));
                    sub.entry(k).or_default().push(i);
                }
                pages.extend(sub);
            }
            _ => pages.push((key, runs)),
        }
    }
    let mut out = Vec::new();
    let mut taken = BTreeSet::new();
    for (key, runs) in pages {
        let parts = runs.len().div_ceil(MAX_RUNS_PER_PAGE).max(1);
        let size = runs.len().div_ceil(parts).max(1);
        let base = slug(&key.iter().map(|k| k.text()).collect::<Vec<_>>().join(" "));
        for (n, chunk) in runs.chunks(size).enumerate() {
            let stem = if parts > 1 {
                format!("{base}-part-{}", n + 1)
            } else {
                base.clone()
            };
            out.push(Plan {
                name: format!("groups/{}", unique(&stem, &mut taken)),
                key: key.clone(),
                part: (parts > 1).then_some((n + 1, parts)),
                runs: chunk.to_vec(),
            });
        }
    }
    out
}

/// A readable file-name slug: lower-case ASCII letters and digits, every other run of
/// characters one `-`, at most 60 characters, never empty (`Llama 3.1 8B` → `llama-3-1-8b`).
#[must_use]
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut s: String = out.trim_matches('-').chars().take(60).collect();
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() {
        "group".into()
    } else {
        s
    }
}

/// `stem`, or `stem-2`, `stem-3`, … when taken (pages are planned in key order, so the
/// same inputs always give the same names).
fn unique(stem: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = stem.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{stem}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The path of page `to` as seen from page `from` (both page names, `/`-separated, no
/// extension): `index` → `groups/a` is `groups/a`; `groups/a` → `index` is `../index`.
#[must_use]
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_and_never_empty() {
        assert_eq!(slug("Llama 3.1 8B"), "llama-3-1-8b");
        assert_eq!(
            slug("meta-llama/Llama-2-70b-chat-hf"),
            "meta-llama-llama-2-70b-chat-hf"
        );
        assert_eq!(slug("<script>*y*</script>"), "script-y-script");
        assert_eq!(slug("…"), "group");
        assert_eq!(slug(&"a".repeat(100)).len(), 60);
    }

    #[test]
    fn slugs_are_made_unique_in_order() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique("a", &mut taken), "a");
        assert_eq!(unique("a", &mut taken), "a-2");
        assert_eq!(unique("a", &mut taken), "a-3");
    }

    #[test]
    fn links_are_relative_to_the_page() {
        assert_eq!(relative("index", "groups/a"), "groups/a");
        assert_eq!(relative("groups/a", "index"), "../index");
        assert_eq!(relative("groups/a", "groups/b"), "b");
    }

    #[test]
    fn unknown_values_are_named_by_their_field() {
        let k = GroupKey {
            field: "instance_type".into(),
            value: None,
        };
        assert_eq!(k.text(), "unknown instance type");
    }
}
