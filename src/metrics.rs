use std::collections::BTreeMap;
use crate::model::{ParsedRun, Provenance};
use crate::config::{MetricsConfig, Slo};
#[derive(Debug, Clone)]
pub struct Aggregate { pub value: Option<f64>, pub provenance: Provenance, pub reported: Option<f64> }
#[derive(Debug, Clone, Default)]
pub struct RunSummary { pub values: BTreeMap<String, Aggregate>, pub warnings: Vec<String> }
pub fn summarize(runs: &[&ParsedRun], _c: &MetricsConfig, _s: &Slo) -> Vec<RunSummary> { runs.iter().map(|_| RunSummary::default()).collect() }
