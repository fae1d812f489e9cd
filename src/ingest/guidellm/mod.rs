//! GuideLLM reports (`formats/guidellm.md`): every generation of its JSON/YAML report.
//!
//! - G1, guidellm 0.1.x "GuidanceReport": `{"benchmarks":[{"benchmarks":[{mode, results,
//!   errors, concurrencies}], "args"}]}`. No summaries are stored; every request is.
//! - G2, 0.2.x/0.3.x "GenerativeBenchmarksReport": `benchmarks[]` with `args.strategy`,
//!   `metrics`, `request_totals`, `requests`, `request_samples`, `worker`, `request_loader`
//!   (JSON, or YAML from `yaml.dump`).
//! - G3 (0.4.x), G4 (`metadata.version == 1`, 0.5–0.6) and G5 (`metadata.version == 2`,
//!   0.7+): `benchmarks[]` with `config`, `scheduler_metrics` (the measurement window),
//!   `metrics`, `requests`.
//!
//! Upstream: vllm-project/guidellm (formerly neuralmagic/guidellm) at tags v0.1.0 … v0.7.3,
//! as the format note records (`core/result.py` for G1, `objects/statistics.py` and
//! `benchmark/benchmark.py` for G2, `schemas/statistics.py` and `schemas/request_stats.py`
//! for G3+).
//!
//! One benchmark object is one run. The summaries GuideLLM stored (`metrics.*.successful`)
//! are kept as `Reported` values with the tool's label and method (weighted nearest-rank
//! percentiles, weighted population std, token-weighted ITL). Where the per-request lists are
//! the whole population the summaries were computed from, they become request rows. This file
//! never computes a summary statistic, and it drops the prompt/output texts.
//! The CSV output (G2+) is not read: no public file exists to check it against.

mod g1;
mod g2;
mod g3;
mod summaries;
#[cfg(test)]
mod tests;

use std::path::Path;

use serde_json::Value;

use super::json::{self, Obj};
use super::{Parsed, Parser, Probe, Sniff, Source};
use crate::error::{IngestError, Location};
use crate::model::{RequestRate, Run};

use g1::g1_runs;
use g2::g2_runs;
use g3::g3_runs;

/// The `guidellm` parser.
pub struct Guidellm;

/// The report generation (format note §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generation {
    /// 0.1.x GuidanceReport.
    G1,
    /// 0.2.x / 0.3.x GenerativeBenchmarksReport.
    G2,
    /// 0.4.x: G4's benchmark objects without `metadata`.
    G3,
    /// `metadata.version == 1` (0.5–0.6).
    G4,
    /// `metadata.version == 2` (0.7+), `config` instead of `args`.
    G5,
}

/// The signature that makes a file certainly GuideLLM, or `None`.
fn signature(probe: &Probe<'_>) -> Option<&'static str> {
    let text = probe.text();
    match probe.extension.as_str() {
        "json" => {
            let has = |k: &str| text.contains(&format!("\"{k}\""));
            if has("guidellm_version") && has("benchmarks") {
                Some("has \"metadata\".\"guidellm_version\" and \"benchmarks\" (GuideLLM 0.5+)")
            } else if has("generative_benchmark") && has("benchmarks") {
                Some("has \"benchmarks\" of type \"generative_benchmark\" (GuideLLM 0.2+)")
            } else if has("benchmarks")
                && has("request_totals")
                && has("inter_token_latency_ms")
                && has("time_per_output_token_ms")
            {
                // A benchmark whose `type_` sits past the probe still carries GuideLLM's metric names.
                Some("has \"benchmarks\", \"request_totals\" and GuideLLM's metric names (GuideLLM 0.2+)")
            } else if has("decode_times") && has("first_token_set") && has("benchmarks") {
                Some("has \"benchmarks\" with \"decode_times\" and \"first_token_set\" (GuideLLM 0.1)")
            } else {
                None
            }
        }
        "yaml" | "yml" => {
            let has = |k: &str| text.contains(&format!("{k}:"));
            if !has("benchmarks") {
                None
            } else if has("guidellm_version") || text.contains("generative_benchmark") {
                Some("YAML with \"benchmarks\" of type generative_benchmark (GuideLLM 0.2+)")
            } else if has("inter_token_latency_ms")
                && has("time_per_output_token_ms")
                && has("request_totals")
            {
                // yaml.dump sorts keys, so `type_` may sit past the probe in a large file.
                Some("YAML with \"benchmarks\", \"request_totals\" and GuideLLM's metric names")
            } else if has("decode_times") && has("first_token_set") {
                Some("YAML with \"benchmarks\", \"decode_times\" and \"first_token_set\" (GuideLLM 0.1)")
            } else {
                None
            }
        }
        _ => None,
    }
}

impl Parser for Guidellm {
    fn name(&self) -> &'static str {
        "guidellm"
    }

    fn describe(&self) -> &'static str {
        "GuideLLM reports (JSON/YAML, 0.1 GuidanceReport through 0.7 metadata v2)"
    }

    fn sniff(&self, probe: &Probe<'_>) -> Sniff {
        match signature(probe) {
            Some(why) => Sniff::certain(why),
            None => Sniff::no("no GuideLLM report signature"),
        }
    }

    fn parse(&self, source: &Source<'_>) -> Result<Parsed, IngestError> {
        let path = source.path;
        let value = load(source)?;
        let root = Node::root(&value, path);
        let generation = generation(&root)?;
        let runs = match generation {
            Generation::G1 => g1_runs(&root)?,
            Generation::G2 => g2_runs(&root)?,
            Generation::G3 | Generation::G4 | Generation::G5 => g3_runs(&root, generation)?,
        };
        let mut parsed = Parsed {
            runs,
            ..Parsed::default()
        };
        parsed
            .notes
            .push(format!("GuideLLM report, generation {generation:?}"));
        Ok(parsed)
    }
}

/// Read the whole document as JSON values; YAML goes through serde-saphyr into the same tree.
fn load(source: &Source<'_>) -> Result<Value, IngestError> {
    let path = source.path;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "yaml" || ext == "yml" {
        let text = std::str::from_utf8(source.bytes).map_err(|e| {
            IngestError::syntax(Location::file(path), format!("not UTF-8 text ({e})"))
        })?;
        serde_saphyr::from_str::<Value>(text)
            .map_err(|e| IngestError::syntax(Location::file(path), format!("invalid YAML: {e}")))
    } else {
        json::parse(source.bytes, path)
    }
}

/// A JSON value with its pointer, so every accessor error names the place.
#[derive(Clone)]
struct Node<'a> {
    value: &'a Value,
    ptr: String,
    path: &'a Path,
}

impl<'a> Node<'a> {
    fn root(value: &'a Value, path: &'a Path) -> Self {
        Node {
            value,
            ptr: String::new(),
            path,
        }
    }

    fn obj(&self) -> Result<Obj<'_>, IngestError> {
        Obj::new(self.value, &self.ptr, self.path)
    }

    fn loc(&self) -> Location {
        Location::pointer(self.path, self.ptr.clone())
    }

    /// A child that is present and not null.
    fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value {
            Value::Object(map) => match map.get(key) {
                None | Some(Value::Null) => None,
                Some(v) => Some(Node {
                    value: v,
                    ptr: format!("{}/{}", self.ptr, json::escape_pointer(key)),
                    path: self.path,
                }),
            },
            _ => None,
        }
    }

    /// A child that must be present.
    fn req(&self, key: &str) -> Result<Node<'a>, IngestError> {
        self.obj()?;
        self.get(key).ok_or_else(|| {
            IngestError::missing(self.obj().map_or_else(|_| self.loc(), |o| o.loc(key)), key)
        })
    }

    fn has(&self, key: &str) -> bool {
        matches!(self.value, Value::Object(map) if map.contains_key(key))
    }

    fn f64(&self, key: &str) -> Result<Option<f64>, IngestError> {
        self.obj()?.f64(key)
    }

    fn u64(&self, key: &str) -> Result<Option<u64>, IngestError> {
        self.obj()?.u64(key)
    }

    fn str(&self, key: &str) -> Result<Option<String>, IngestError> {
        self.obj()?.str(key)
    }

    /// The items of an array child; absent or null is empty.
    fn items(&self, key: &str) -> Result<Vec<Node<'a>>, IngestError> {
        let obj = self.obj()?;
        let base = obj.child_pointer(key);
        // Checked for type by the accessor; walk the value itself to keep lifetime 'a.
        obj.array(key)?;
        let path = self.path;
        Ok(match self.value.get(key) {
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| Node {
                    value: v,
                    ptr: format!("{base}/{i}"),
                    path,
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// The items of a required array child.
    fn req_items(&self, key: &str) -> Result<Vec<Node<'a>>, IngestError> {
        let obj = self.obj()?;
        if obj.array(key)?.is_none() {
            return Err(IngestError::missing(obj.loc(key), key));
        }
        self.items(key)
    }
}

/// Which generation a document is (format note §0).
fn generation(root: &Node<'_>) -> Result<Generation, IngestError> {
    if let Some(meta) = root.get("metadata") {
        return match meta.u64("version")? {
            Some(1) => Ok(Generation::G4),
            Some(2) => Ok(Generation::G5),
            other => Err(IngestError::invalid(
                meta.obj()?.loc("version"),
                format!("unknown GuideLLM report metadata version {other:?} (known: 1, 2)"),
            )),
        };
    }
    let benchmarks = root.req_items("benchmarks")?;
    let Some(first) = benchmarks.first() else {
        // An empty report: nothing to tell the generations apart by; G2 reads it as zero runs.
        return Ok(Generation::G2);
    };
    if first.has("benchmarks") && !first.has("type_") {
        Ok(Generation::G1)
    } else if first.has("scheduler_metrics") || first.has("config") {
        Ok(Generation::G3)
    } else if first.has("run_stats") || first.has("request_totals") || first.has("args") {
        Ok(Generation::G2)
    } else {
        Err(IngestError::invalid(
            first.loc(),
            "a GuideLLM benchmark object of no known generation (expected 0.1 \"benchmarks\", 0.2–0.3 \"run_stats\"/\"request_totals\" or 0.4+ \"scheduler_metrics\")",
        ))
    }
}

/// Unix seconds → `YYYY-MM-DD` (UTC), by the civil-from-days algorithm.
fn unix_date(ts: f64) -> Option<String> {
    if !(0.0..=1.0e11).contains(&ts) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, reason = "checked range above")]
    let days = (ts / 86_400.0).floor() as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn to_u32(v: Option<u64>) -> Option<u32> {
    v.and_then(|x| u32::try_from(x).ok())
}

/// Load described by a strategy: its label, concurrency and rate.
struct Strategy {
    label: String,
    concurrency: Option<u32>,
    rate: Option<RequestRate>,
}

/// A G2+ `strategy` object (`{type_: synchronous|concurrent|throughput|constant|poisson, …}`).
fn strategy(node: &Node<'_>) -> Result<Strategy, IngestError> {
    let kind = node.str("type_")?.unwrap_or_else(|| "unknown".into());
    let max_concurrency = to_u32(node.u64("max_concurrency")?);
    Ok(match kind.as_str() {
        "synchronous" => Strategy {
            label: kind,
            concurrency: Some(1),
            rate: None,
        },
        "concurrent" => {
            let streams = to_u32(node.u64("streams")?).or(max_concurrency);
            let label = streams.map_or_else(|| kind.clone(), |s| format!("concurrent@{s}"));
            Strategy {
                label,
                concurrency: streams,
                rate: None,
            }
        }
        // Throughput sends everything at once, capped only by max_concurrency when set.
        "throughput" => Strategy {
            label: kind,
            concurrency: max_concurrency,
            rate: Some(RequestRate::Infinite),
        },
        _ => {
            let rate = node.f64("rate")?;
            let label = rate.map_or_else(
                || kind.clone(),
                |r| format!("{kind}@{}", crate::format::float(r)),
            );
            Strategy {
                label,
                concurrency: max_concurrency,
                rate: rate.map(RequestRate::Finite),
            }
        }
    })
}

/// Name, load and profile of a G2+ benchmark from its `args` (G2) or `config` (G3+) block:
/// `<strategy>-<index>`, the index from `index_key`, else the benchmark's place in the file.
fn apply_strategy(
    run: &mut Run,
    block: &Node<'_>,
    index_key: &str,
    index: usize,
) -> Result<(), IngestError> {
    let strat = match block.get("strategy") {
        Some(s) => strategy(&s)?,
        None => Strategy {
            label: "unknown".into(),
            concurrency: None,
            rate: None,
        },
    };
    run.name = Some(format!(
        "{}-{}",
        strat.label,
        block.u64(index_key)?.unwrap_or(index as u64)
    ));
    run.concurrency = strat.concurrency;
    run.request_rate_rps = strat.rate;
    if let Some(profile) = block.get("profile") {
        if let Some(p) = profile.str("type_")? {
            run.labels.insert("guidellm.profile".into(), p);
        }
    }
    Ok(())
}

/// Date and duration of a G2+ benchmark (`start_time`, `duration`).
fn apply_window(run: &mut Run, bench: &Node<'_>) -> Result<(), IngestError> {
    run.date = bench.f64("start_time")?.and_then(unix_date);
    run.duration_s = bench.f64("duration")?;
    Ok(())
}

/// `prompt_tokens=1500,…,generated_tokens=250` (G1 emulated data) → (input, output) lengths.
fn emulated_lengths_g1(data: &str) -> (Option<u64>, Option<u64>) {
    let mut input = None;
    let mut output = None;
    for part in data.split(',') {
        if let Some((k, v)) = part.split_once('=') {
            match k.trim() {
                "prompt_tokens" => input = v.trim().parse().ok(),
                "generated_tokens" | "output_tokens" => output = v.trim().parse().ok(),
                _ => {}
            }
        }
    }
    (input, output)
}
