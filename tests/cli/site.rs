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
