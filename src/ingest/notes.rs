//! Files that sit among benchmark results but are not benchmark input: provenance notes,
//! READMEs, the Neuron `page-recipe.json` notes and other prose. They are listed on the page
//! as skipped with the reason, never read as runs and never treated as errors.
//!
//! Markdown is claimed only when no results parser recognises it: `Plausible` for any `.md`
//! (so the `tgi` and `vllm` markdown parsers, which say `Certain` on their tables, win), and
//! `Certain` for the well-known note names.

use super::{Confidence, Parsed, Parser, Probe, Sniff, Source};
use crate::error::IngestError;

/// The `notes` parser.
pub struct Notes;

/// File names that are always notes.
const NOTE_NAMES: &[&str] = &[
    "PROVENANCE.md",
    "README.md",
    "README",
    "CHANGELOG.md",
    "LICENSE",
    "NOTES.md",
];

impl Notes {
    fn reason(probe: &Probe<'_>) -> Option<(Confidence, String)> {
        let name = probe.file_name;
        if NOTE_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return Some((
                Confidence::Certain,
                format!("not a benchmark file: {name} is a note"),
            ));
        }
        if name == "page-recipe.json"
            || (probe.extension == "json" && probe.text().contains("\"order_of_operations\""))
        {
            return Some((
                Confidence::Certain,
                "not a benchmark file: a page recipe (a description of the published page's tables)".into(),
            ));
        }
        if probe.extension == "md" || probe.extension == "txt" || probe.extension == "rst" {
            return Some((
                Confidence::Plausible,
                "not a benchmark file: text without a results table bench-report knows".into(),
            ));
        }
        None
    }
}

impl Parser for Notes {
    fn name(&self) -> &'static str {
        "notes"
    }

    fn describe(&self) -> &'static str {
        "files that are not benchmark input (provenance notes, READMEs, page recipes, prose)"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        match Self::reason(probe) {
            Some((Confidence::Certain, why)) => Sniff::certain(why),
            Some((_, why)) => Sniff::plausible(why),
            None => Sniff::no("not a note or prose file"),
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let reason = if source.sniff.confidence == Confidence::No {
            "not a benchmark file (forced as a note)".to_string()
        } else {
            source.sniff.why.clone()
        };
        Ok(Parsed {
            not_input: Some(reason),
            ..Parsed::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sniff(name: &str, body: &str) -> Confidence {
        let probe = super::super::make_probe(Path::new(name), name, body.as_bytes());
        Notes.sniff(&probe).confidence
    }

    #[test]
    fn notes_recognises_provenance_and_recipes() {
        assert_eq!(sniff("PROVENANCE.md", "# x"), Confidence::Certain);
        assert_eq!(sniff("page-recipe.json", "{}"), Confidence::Certain);
        assert_eq!(sniff("some.md", "hello"), Confidence::Plausible);
        assert_eq!(sniff("a.json", "{\"date\": 1}"), Confidence::No);
    }

    #[test]
    fn notes_parse_is_not_input_with_reason() {
        let parsed = crate::ingest::testing::parse_bytes(
            &Notes,
            Path::new("x/PROVENANCE.md"),
            "x/PROVENANCE.md",
            b"# provenance",
            &super::super::Mapping::default(),
        )
        .expect("notes never fail");
        assert!(parsed.runs.is_empty());
        assert!(parsed.not_input.expect("reason").contains("note"));
    }
}
