//! The folder a file sits in: its siblings decide which file yields the runs and supply the
//! config, prices and FMBench's printed summaries.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::rules::{RuleSet, SummaryRow};
use super::table::FmbenchCsv;
use super::{
    kind_of, yaml, Kind, PriceRow, TokenPrice, ALL_METRICS_CSV, BEST_CSV, PER_REQUEST_CSV,
    PRICES_CSV, SCORED_CSV, SUMMARY_CSV,
};
use crate::error::{IngestError, Location};
use crate::ingest::{Sidecar, Source};

/// Sibling files of one FMBench results folder.
#[derive(Default)]
pub(super) struct Folder {
    pub(super) names: Vec<String>,
    pub(super) per_inference_files: Vec<String>,
    pub(super) config: Option<yaml::FmbenchConfig>,
    pub(super) config_name: Option<String>,
    pub(super) hourly: BTreeMap<String, f64>,
    pub(super) tokens: BTreeMap<String, (f64, f64)>,
    pub(super) price_source: Option<String>,
    pub(super) summary: Option<Vec<SummaryRow>>,
    pub(super) scored: Option<Vec<SummaryRow>>,
    pub(super) date: Option<(String, String)>,
    pub(super) version: Option<String>,
}

/// The results folder as seen from the file being parsed: `base` is `""` (the file is in
/// it) or `"../"` (a `per_inference/` file). Every read goes through [`Source::beside`].
struct Beside<'s, 'a> {
    source: &'s Source<'a>,
    base: &'s str,
}

impl Beside<'_, '_> {
    fn name(&self, name: &str) -> String {
        format!("{}{name}", self.base)
    }
    fn read(&self, name: &str) -> Option<Sidecar> {
        self.source.beside(&self.name(name)).ok().flatten()
    }
    fn text(&self, name: &str) -> Option<(String, PathBuf)> {
        let Sidecar { path, bytes } = self.read(name)?;
        String::from_utf8(bytes).ok().map(|t| (t, path))
    }
    /// A sibling's path relative to the input root (`run-1/../pricing.yml` →
    /// `pricing.yml`), as pages show it: never the absolute path, so the same files give the
    /// same page from any folder.
    fn shown(&self, name: &str) -> String {
        let dir = self.source.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = format!("{dir}/{}", self.name(name));
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        parts.join("/")
    }
}

impl Folder {
    /// The results folder of `source`: its own folder, or the one above for `base` `"../"`.
    pub(super) fn load(source: &Source<'_>, base: &str) -> Folder {
        let at = Beside { source, base };
        let names = source.list_beside(base);
        let mut per_inference_files = source.list_beside(&at.name("per_inference"));
        per_inference_files.retain(|n| n.ends_with(".json"));
        let mut f = Folder {
            names,
            per_inference_files,
            ..Folder::default()
        };
        f.load_config(&at);
        f.load_prices(&at);
        f.summary = f.read_rows(&at, SUMMARY_CSV);
        f.scored = f
            .read_rows(&at, SCORED_CSV)
            .filter(|r| !r.is_empty())
            .or_else(|| f.read_rows(&at, BEST_CSV));
        let rel = source.rel;
        let rel = if base.is_empty() {
            rel
        } else {
            rel.rsplit_once('/').map_or("", |(d, _)| d)
        };
        f.load_date(&at, rel);
        f
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    fn read_rows(&self, at: &Beside<'_, '_>, name: &str) -> Option<Vec<SummaryRow>> {
        if !self.has(name) {
            return None;
        }
        let Sidecar { path, bytes } = at.read(name)?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Some(Vec::new());
        }
        FmbenchCsv::read(&bytes, &path)
            .and_then(|t| t.summary_rows())
            .ok()
    }

    fn load_config(&mut self, at: &Beside<'_, '_>) {
        for name in &self.names {
            if !(name.ends_with(".yml") || name.ends_with(".yaml")) || name == "pricing.yml" {
                continue;
            }
            let Some((text, path)) = at.text(name) else {
                continue;
            };
            if kind_of(name, "yml", &text) != Some(Kind::Config) {
                continue;
            }
            if let Ok(cfg) = yaml::read_config(&text, &path, name) {
                self.config = Some(cfg);
                self.config_name = Some(name.clone());
                return;
            }
        }
    }

    /// Prices FMBench used: `pricing.yml` in this folder or up to two folders above (the
    /// corpus keeps it beside the `run-*` folders), else the config's inline map, else
    /// `instance_pricing_per_hour.csv`.
    fn load_prices(&mut self, at: &Beside<'_, '_>) {
        for up in ["", "../", "../../"] {
            let name = format!("{up}pricing.yml");
            let Some((text, p)) = at.text(&name) else {
                continue;
            };
            if let Ok((hourly, tokens)) = yaml::read_pricing(&text, &p, "pricing.yml") {
                self.absorb_prices(&hourly, &tokens, at.shown(&name));
                return;
            }
        }
        if let Some(cfg) = &self.config {
            if !cfg.prices.is_empty() || !cfg.token_prices.is_empty() {
                let (h, t) = (cfg.prices.clone(), cfg.token_prices.clone());
                let src = self
                    .config_name
                    .as_deref()
                    .map(|n| at.shown(n))
                    .unwrap_or_default();
                self.absorb_prices(&h, &t, src);
                return;
            }
        }
        if let Some(Sidecar { path, bytes }) = at.read(PRICES_CSV) {
            if let Ok((h, t)) =
                FmbenchCsv::read(&bytes, &path).and_then(|t| instance_prices(&t, PRICES_CSV))
            {
                self.absorb_prices(&h, &t, at.shown(PRICES_CSV));
            }
        }
    }

    pub(super) fn absorb_prices(
        &mut self,
        hourly: &[PriceRow],
        tokens: &[TokenPrice],
        source: String,
    ) {
        for r in hourly {
            if let Ok(v) = r.price_per_hour_usd.to_string().parse::<f64>() {
                self.hourly.insert(r.instance_type.clone(), v);
            }
        }
        for t in tokens {
            let i = t.input_per_1k_tokens_usd.to_string().parse::<f64>();
            let o = t.output_per_1k_tokens_usd.to_string().parse::<f64>();
            if let (Ok(i), Ok(o)) = (i, o) {
                self.tokens.insert(t.key.clone(), (i, o));
            }
        }
        self.price_source = Some(source);
    }

    /// Run date: the `yyyy=/mm=/dd=` partition of the path, else the earliest `per_inference`
    /// file name (`time.time()`), else the "Last modified (UTC)" line of the report beside it.
    fn load_date(&mut self, at: &Beside<'_, '_>, rel: &str) {
        let parts: Vec<&str> = rel.split('/').collect();
        let part = |prefix: &str, from: usize| {
            parts
                .iter()
                .skip(from)
                .position(|p| p.starts_with(prefix))
                .map(|i| i + from)
        };
        if let Some(y) = part("yyyy=", 0) {
            if let (Some(m), Some(d)) = (parts.get(y + 1), parts.get(y + 2)) {
                if let (Some(m), Some(d)) = (m.strip_prefix("mm="), d.strip_prefix("dd=")) {
                    let year = parts
                        .get(y)
                        .and_then(|p| p.strip_prefix("yyyy="))
                        .unwrap_or_default();
                    self.date = Some((
                        format!("{year}-{m}-{d}"),
                        "the yyyy=/mm=/dd= folder names".into(),
                    ));
                }
            }
        }
        if self.date.is_none() {
            let epoch = self
                .per_inference_files
                .first()
                .and_then(|n| n.trim_end_matches(".json").parse::<f64>().ok());
            if let Some(e) = epoch {
                self.date = Some((
                    date_from_epoch(e),
                    "the earliest per_inference file name (epoch seconds)".into(),
                ));
            }
        }
        for name in ["report.md", "results.md"] {
            let Some((text, _)) = at.text(name) else {
                continue;
            };
            let (date, version) = report_header(&text);
            self.version = self.version.take().or(version);
            if self.date.is_none() {
                if let Some(d) = date {
                    self.date = Some((d, format!("the \"Last modified (UTC)\" line of {name} (report time, not measurement time)")));
                }
            }
        }
    }

    /// Which file of the folder yields the runs.
    pub(super) fn run_source(&self) -> Option<Kind> {
        if self.has(PER_REQUEST_CSV) {
            Some(Kind::PerRequestCsv)
        } else if !self.per_inference_files.is_empty() {
            Some(Kind::PerInferenceJson)
        } else if self.has(SUMMARY_CSV) {
            Some(Kind::Summary)
        } else if self.has(ALL_METRICS_CSV) {
            Some(Kind::AllMetrics)
        } else if self.scored.as_ref().is_some_and(|r| !r.is_empty()) && self.has(SCORED_CSV) {
            Some(Kind::Scored)
        } else {
            None
        }
    }

    pub(super) fn rule_set(&self, rows: &[SummaryRow]) -> RuleSet {
        if rows.iter().any(|r| r.measures.latency_p95_s.is_some()) {
            RuleSet::V2
        } else if self.config.as_ref().is_some_and(|c| c.budgets.is_some()) {
            RuleSet::Apr2024
        } else {
            RuleSet::Jan2024
        }
    }
}

/// `(date, version)` from a report's header: 2.0.x `|2024-09-27 21:57:47.663450|2.0.8|`, or
/// January/March `**Last modified (UTC): 2024-03-23 16:04:07.799341**`.
pub(super) fn report_header(text: &str) -> (Option<String>, Option<String>) {
    for line in text.lines().take(20) {
        if let Some(rest) = line.split("Last modified (UTC):").nth(1) {
            let d = rest.trim().get(..10).map(str::to_string);
            return (d, None);
        }
        let cells: Vec<&str> = line
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if let [ts, ver] = cells.as_slice() {
            let is_date = ts.len() >= 10 && ts.get(4..5) == Some("-") && ts.get(7..8) == Some("-");
            if is_date {
                return (ts.get(..10).map(str::to_string), Some((*ver).to_string()));
            }
        }
    }
    (None, None)
}

/// UTC calendar date of a Unix time (Howard Hinnant's days-to-civil).
pub(super) fn date_from_epoch(epoch_s: f64) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "epoch seconds fit i64 days"
    )]
    let days = (epoch_s / 86400.0).floor() as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

pub(super) fn instance_prices(
    t: &FmbenchCsv,
    rel: &str,
) -> Result<(Vec<PriceRow>, Vec<TokenPrice>), IngestError> {
    use std::str::FromStr;
    let mut prices = Vec::new();
    let mut tokens = Vec::new();
    for (line, row) in &t.rows {
        let key = t.req_text(*line, row, "instance_type")?;
        let text = t.req_text(*line, row, "price_per_hour")?;
        let loc = || Location::line(&t.path, *line, Some("price_per_hour"));
        if text.trim_start().starts_with('[') {
            // Python repr of [{'input-per-1k-tokens': x}, {'output-per-1k-tokens': y}].
            let find = |name: &str| -> Result<rust_decimal::Decimal, IngestError> {
                let at = text
                    .find(name)
                    .ok_or_else(|| IngestError::missing(loc(), name.to_string()))?;
                let rest = text.get(at + name.len()..).unwrap_or_default();
                let num: String = rest
                    .trim_start_matches(['\'', '"', ':', ' '])
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
                    .collect();
                rust_decimal::Decimal::from_str(&num)
                    .or_else(|_| rust_decimal::Decimal::from_scientific(&num))
                    .map_err(|_| {
                        IngestError::wrong_type(loc(), "a per-1k-token price", format!("{num:?}"))
                    })
            };
            tokens.push(TokenPrice {
                key,
                input_per_1k_tokens_usd: find("input-per-1k-tokens")?,
                output_per_1k_tokens_usd: find("output-per-1k-tokens")?,
                source: rel.to_string(),
            });
        } else {
            let price = rust_decimal::Decimal::from_str(text.trim())
                .or_else(|_| rust_decimal::Decimal::from_scientific(text.trim()))
                .map_err(|_| {
                    IngestError::wrong_type(loc(), "a price per hour", format!("{text:?}"))
                })?;
            prices.push(PriceRow {
                instance_type: key,
                region: None,
                pricing_model: "on_demand".into(),
                price_per_hour_usd: price,
                source: rel.to_string(),
                as_of: None,
            });
        }
    }
    Ok((prices, tokens))
}
