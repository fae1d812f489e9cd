//! bench-report: turns LLM-inference benchmark results into priced, budgeted report pages.
//!
//! ```text
//! discover (glob, config)  →  sniff format  →  ingest (one parser per format)
//!   →  normalized model (runs + per-request rows)  →  join prices  →  aggregate metrics
//!   →  evaluate budgets  →  recommend  →  view model  →  render (md, exports)
//!   →  staged output directory, renamed into place when everything succeeded
//! ```

pub mod config;
pub mod error;
pub mod format;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod pricing;
pub mod stats;
pub mod units;
