//! The one integration-test binary (ARCHITECTURE.md): runs the real `bench-report` on fixture sets
//! copied into temporary folders, and checks exit codes, stderr, files on disk and the pages.

mod util;

mod bad_inputs;
mod build;
mod export_inspect;
mod formats;
mod site;
