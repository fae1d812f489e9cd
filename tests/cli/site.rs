//! The committed `site/` is exactly what `bench-report build data/` writes.

use std::path::Path;

use crate::util::tree;

#[test]
fn committed_site_matches_a_fresh_build_of_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bench-report"))
        .args(["build", "data/", "-o"])
        .arg(tmp.path().join("site"))
        .current_dir(root)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = tree(&tmp.path().join("site"));
    let committed = tree(&root.join("site"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&committed), names(&fresh), "same files");
    for ((name, a), (_, b)) in committed.iter().zip(&fresh) {
        assert!(a == b, "site/{name} differs from a fresh build: run `cargo run -- build data/` and commit site/");
    }
}

/// Every `](target.md)` link of every page under `root`, resolved against its page's folder.
fn links(root: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    for (name, bytes) in tree(root) {
        if !name.ends_with(".md") {
            continue;
        }
        let text = String::from_utf8(bytes).expect("utf-8");
        let dir = root.join(&name).parent().expect("folder").to_path_buf();
        for part in text.split("](").skip(1) {
            if let Some(target) = part.split(')').next().filter(|t| t.ends_with(".md")) {
                out.push((name.clone(), dir.join(target)));
            }
        }
    }
    out
}

#[test]
fn index_and_group_pages_link_to_files_that_exist_and_builds_are_byte_identical() {
    let t = crate::util::TestDir::with_set("mini");
    let run = |args: &[&str]| {
        let out = t.run(args);
        assert_eq!(out.status.code(), Some(0), "{}", crate::util::stderr(&out));
    };
    run(&["build", "mini", "-o", "a"]);
    run(&["build", "mini", "-o", "b"]);
    assert!(t.path("a/index.md").is_file());
    let found = links(&t.path("a"));
    assert!(found.iter().any(|(p, _)| p == "index.md"), "{found:?}");
    assert!(
        found.iter().any(|(p, _)| p.starts_with("groups/")),
        "{found:?}"
    );
    for (page, target) in &found {
        assert!(
            target.is_file(),
            "{page} links to missing {}",
            target.display()
        );
    }
    assert!(
        tree(&t.path("a")) == tree(&t.path("b")),
        "two builds differ"
    );
    // The same inputs in another folder, given by an absolute path, give the same bytes.
    let other = tempfile::tempdir().expect("tempdir");
    crate::util::copy_dir(&t.path("mini"), &other.path().join("elsewhere"));
    let abs = other.path().join("elsewhere");
    run(&["build", abs.to_str().expect("utf-8"), "-o", "c"]);
    assert!(
        tree(&t.path("a")) == tree(&t.path("c")),
        "output depends on where the inputs are"
    );
}

#[test]
fn hostile_strings_stay_inert_in_every_markdown_table_and_sentence() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let t = crate::util::TestDir::with_set("hostile");
    let out = t.run(&["build", "hostile", "-o", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::util::stderr(&out));
    for (name, bytes) in tree(&t.path("site")) {
        if !name.ends_with(".md") {
            continue;
        }
        let text = String::from_utf8(bytes).expect("utf-8");
        let mut header = 0;
        let mut cells = 0;
        let mut in_head = false;
        for ev in Parser::new_ext(&text, Options::ENABLE_TABLES) {
            match ev {
                Event::Start(Tag::TableHead) => {
                    in_head = true;
                    header = 0;
                }
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => cells = 0,
                Event::Start(Tag::TableCell) if in_head => header += 1,
                Event::Start(Tag::TableCell) => cells += 1,
                Event::End(TagEnd::TableRow) => assert_eq!(cells, header, "{name}"),
                Event::Start(Tag::Emphasis | Tag::Strong) => panic!("{name}: emphasis"),
                Event::Start(Tag::CodeBlock(_)) => {}
                Event::Html(h) | Event::InlineHtml(h) => panic!("{name}: raw HTML {h}"),
                Event::Start(Tag::Link { dest_url, .. }) => assert!(
                    dest_url.ends_with(".md") && !dest_url.contains(':'),
                    "{name}: link to {dest_url}"
                ),
                _ => {}
            }
        }
    }
}
