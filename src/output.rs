//! The staged, atomic output directory (README "Exit status"): everything is written into a hidden
//! staging folder beside the destination and renamed into place only when the whole build
//! succeeded. A destination that bench-report did not create (no marker file) is not
//! replaced without `--force`, and an output folder that would contain or equal an input is
//! refused, so a build can never delete its own inputs.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::OutputError;

/// Marker file that says bench-report created the folder.
pub const MARKER: &str = ".bench-report";

/// A staging folder that becomes the destination on [`Staging::commit`]; dropped without
/// commit, it is removed and the destination is untouched.
#[derive(Debug)]
pub struct Staging {
    dest: PathBuf,
    dir: PathBuf,
    committed: bool,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Check that `dest` may be (re)placed: refuse a folder bench-report did not create unless
/// `force`, and any destination that equals or contains an input.
///
/// # Errors
/// `NotOurs` or `Unsafe`.
pub fn check_destination(dest: &Path, inputs: &[PathBuf], force: bool) -> Result<(), OutputError> {
    let dest_abs = absolute(dest);
    for input in inputs {
        let input_abs = absolute(input);
        if input_abs.starts_with(&dest_abs) {
            return Err(OutputError::Unsafe {
                path: dest.to_path_buf(),
                message: format!(
                    "the output folder contains the input {}; choose another -o",
                    input.display()
                ),
            });
        }
    }
    if dest.exists() {
        if !dest.is_dir() {
            return Err(OutputError::Unsafe {
                path: dest.to_path_buf(),
                message: "exists and is not a folder".into(),
            });
        }
        let ours = dest.join(MARKER).is_file();
        let empty = fs::read_dir(dest).map_err(io(dest))?.next().is_none();
        if !ours && !empty && !force {
            return Err(OutputError::NotOurs {
                path: dest.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Absolute, normalised form of a path that may not exist yet (no symlink resolution for
/// the missing part).
#[must_use]
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(c) = path.canonicalize() {
        return c;
    }
    let base = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = PathBuf::new();
    for comp in base.join(path).components() {
        match comp {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

impl Staging {
    /// Create the staging folder beside `dest`.
    ///
    /// # Errors
    /// When the parent folder cannot be created or written.
    pub fn new(dest: &Path) -> Result<Staging, OutputError> {
        let dest_abs = absolute(dest);
        let parent = dest_abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        let name = dest_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Staging {
            dest: dest_abs,
            dir,
            committed: false,
        })
    }

    /// The staging folder (files written here are published on commit).
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write a file at `rel` inside the staging folder.
    ///
    /// # Errors
    /// I/O failures.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(io(p))?;
        }
        fs::write(&path, bytes).map_err(io(&path))
    }

    /// Publish: write the marker, move the old destination aside, rename the staging folder
    /// into place, then remove the old one.
    ///
    /// # Errors
    /// I/O failures; the old destination is restored when the final rename fails.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.write(
            MARKER,
            b"This folder was written by bench-report; it is replaced on every build.\n",
        )?;
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.dest
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.dest.exists();
        if had_old {
            fs::rename(&self.dest, &old).map_err(io(&self.dest))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.dest) {
            if had_old {
                let _ = fs::rename(&old, &self.dest);
            }
            return Err(OutputError::Io {
                path: self.dest.clone(),
                source: e,
            });
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        Ok(())
    }
}

/// A file whose committed copy is not what a fresh build writes (`build --check`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The fresh build writes it; the destination lacks it.
    Missing(String),
    /// The destination has it; the fresh build does not write it.
    Extra(String),
    /// Both have it, with different bytes.
    Changed(String),
}

impl Difference {
    /// The file's path relative to the output folder.
    #[must_use]
    pub fn path(&self) -> &str {
        match self {
            Difference::Missing(p) | Difference::Extra(p) | Difference::Changed(p) => p,
        }
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Missing(p) => write!(f, "missing: {p}"),
            Difference::Extra(p) => write!(f, "not written by this build: {p}"),
            Difference::Changed(p) => write!(f, "changed: {p}"),
        }
    }
}

impl Staging {
    /// Compare the staged files with the destination, file by file (the marker aside), in
    /// path order.
    ///
    /// # Errors
    /// I/O failures while reading either folder.
    pub fn differences_from_destination(&self) -> Result<Vec<Difference>, OutputError> {
        let fresh = files_under(&self.dir)?;
        let committed = if self.dest.is_dir() {
            files_under(&self.dest)?
        } else {
            Vec::new()
        };
        let mut out = Vec::new();
        for rel in &fresh {
            if committed.binary_search(rel).is_err() {
                out.push(Difference::Missing(rel.clone()));
            } else {
                let a = fs::read(self.dir.join(rel)).map_err(io(&self.dir))?;
                let b = fs::read(self.dest.join(rel)).map_err(io(&self.dest))?;
                if a != b {
                    out.push(Difference::Changed(rel.clone()));
                }
            }
        }
        for rel in committed {
            if fresh.binary_search(&rel).is_err() {
                out.push(Difference::Extra(rel));
            }
        }
        out.sort_by(|a, b| a.path().cmp(b.path()));
        Ok(out)
    }
}

/// Every file below `root` as a sorted `/`-separated relative path, the marker left out.
fn files_under(root: &Path) -> Result<Vec<String>, OutputError> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            let path = entry.map_err(io(&dir))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel != MARKER {
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Write one file (`export -o FILE`) beside its destination and rename it into place, so a
/// failed export never leaves half a file; without a path, write to stdout.
///
/// # Errors
/// `Io`; `BrokenPipe` when the reader of stdout went away (the command then exits 0, as
/// ripgrep and xsv do).
pub fn write_file_or_stdout(path: Option<&Path>, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;
    let Some(p) = path else {
        let mut out = std::io::stdout().lock();
        return match out.write_all(bytes).and_then(|()| out.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(OutputError::BrokenPipe),
            Err(e) => Err(io(Path::new("<stdout>"))(e)),
        };
    };
    let tmp = p.with_file_name(format!(
        ".{}.tmp-{}",
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    fs::write(&tmp, bytes).map_err(io(&tmp))?;
    fs::rename(&tmp, p).map_err(io(p))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_our_folder_and_drop_leaves_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("site");
        let s = Staging::new(&dest).expect("staging");
        s.write("index.md", b"one").expect("write");
        s.commit().expect("commit");
        assert_eq!(fs::read(dest.join("index.md")).expect("read"), b"one");
        // A failed build (dropped staging) leaves the previous site intact.
        let s = Staging::new(&dest).expect("staging");
        s.write("index.md", b"two").expect("write");
        drop(s);
        assert_eq!(fs::read(dest.join("index.md")).expect("read"), b"one");
        // Nothing but the destination remains beside it.
        let names: Vec<_> = fs::read_dir(tmp.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("site")]);
    }

    #[test]
    fn refuses_foreign_folder_and_input_containing_destination() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("docs");
        fs::create_dir_all(&dest).expect("mkdir");
        fs::write(dest.join("mine.txt"), b"user file").expect("write");
        assert!(matches!(
            check_destination(&dest, &[], false),
            Err(OutputError::NotOurs { .. })
        ));
        assert!(check_destination(&dest, &[], true).is_ok());
        let input = tmp.path().join("docs/data");
        assert!(matches!(
            check_destination(&dest, &[input], true),
            Err(OutputError::Unsafe { .. })
        ));
        assert!(matches!(
            check_destination(tmp.path(), std::slice::from_ref(&dest), true),
            Err(OutputError::Unsafe { .. })
        ));
    }
}
