//! Neuron inference tables (language, encoder, vision, LLM, decoder): one run per row.

use std::fmt::Write as _;

use super::table::{family, label, require_model, slug, table_tab, NeuronCsv, Row};
use super::{Throughput, INST_TYPE, LABEL_COST_METRIC};
use crate::error::{IngestError, Location};
use crate::ingest::{Parsed, Source};
use crate::metric::Metric;
use crate::model::{ParsedRun, Reported, Run};

/// What the page's cost column is per, for a throughput column (formats/neuron.md §3).
pub(super) fn cost_unit(tput: Throughput, vision: bool) -> &'static str {
    match tput {
        Throughput::InferencesPerSecond | Throughput::InferencesPerSec if vision => "1M images",
        Throughput::InferencesPerSecond | Throughput::InferencesPerSec => {
            "1M inferences (sequences)"
        }
        Throughput::TotalTokens => {
            "1M tokens (input + output; the page labels it \"per 1M inferences\")"
        }
        Throughput::OutputTokens => "1M generated tokens",
    }
}

/// Definitions that differ from docs/metrics.md, per throughput family.
pub(super) fn inference_definitions(run: &mut Run, tput: Throughput, vision: bool) {
    let d = &mut run.definitions;
    let unit = if vision { "image" } else { "sequence" };
    match tput {
        Throughput::InferencesPerSecond | Throughput::InferencesPerSec => {
            d.insert(
                Metric::RequestThroughputRps.run_value().into(),
                format!("Neuron's inferences per second, one inference = one {unit} of a batch: a call with Batch Size N counts N, so this is {unit}s per second, not requests per second."),
            );
        }
        Throughput::TotalTokens => {
            d.insert(
                Metric::TotalTokenThroughputTps.run_value().into(),
                "Neuron's Throughput (tokens/second) counts input and output tokens of the whole batch (page note), measured by Neuron at the configured lengths, not summed from requests.".into(),
            );
        }
        Throughput::OutputTokens => {
            d.insert(
                Metric::OutputTokenThroughputTps.run_value().into(),
                "Neuron's Output Token Throughput: generated tokens per second of the whole batch at the configured lengths.".into(),
            );
        }
    }
}

pub(super) fn parse_inference(
    source: &Source<'_>,
    table: &NeuronCsv,
    tput: Throughput,
) -> Result<Parsed, IngestError> {
    let vision = table.index("Image Size").is_some();
    let family_name = family(
        source.rel,
        match tput {
            Throughput::InferencesPerSecond | Throughput::InferencesPerSec if vision => "vision",
            Throughput::InferencesPerSecond | Throughput::InferencesPerSec => "language",
            Throughput::TotalTokens => "LLM",
            Throughput::OutputTokens => "decoder",
        },
    );
    let unit = cost_unit(tput, vision);
    let mut runs = Vec::new();
    for (line, rec) in &table.rows {
        let row = table.row(source.path, *line, rec);
        let mut run = Run::default();
        run.labels.insert("kind".into(), "inference".into());
        run.labels
            .insert("neuron.family".into(), family_name.clone());
        if let Some(tab) = table_tab(source.rel) {
            run.labels.insert("neuron.table".into(), tab.into());
        }
        run.labels.insert("neuron.cost_unit".into(), unit.into());
        run.labels
            .insert("neuron.cost_throughput_column".into(), tput.column().into());
        inference_definitions(&mut run, tput, vision);
        let mut sequence_length: Option<u64> = None;
        for (i, header) in table.headers.names().iter().enumerate() {
            inference_cell(&mut run, &row, i, header.trim(), tput, &mut sequence_length)?;
        }
        // An encoder reads one sequence of `Sequence Length` tokens and generates none; LLM
        // and decoder rows have their own Input/Output Length (and encoder-decoder rows do not
        // satisfy Sequence = Input + Output), so only encoders take it as input_len.
        if !vision
            && matches!(
                tput,
                Throughput::InferencesPerSecond | Throughput::InferencesPerSec
            )
            && run.input_len.is_none()
        {
            if let Some(len) = sequence_length {
                run.input_len = Some(len);
                run.notes.push(
                    "input_len is the encoder's `Sequence Length` (tokens per sequence)".into(),
                );
            }
        }
        if run.reported.contains_key(&tput.metric().to_string()) {
            run.labels
                .insert(LABEL_COST_METRIC.into(), tput.metric().into());
        }
        run.notes.push(format!(
            "Neuron {family_name} table: the page's cost column divides the hourly rate by `{}`, so it is per {unit}",
            tput.column()
        ));
        if run.engine_version.is_some() {
            run.notes.push("engine_version is the Neuron SDK release (`Neuron Version`); the framework and its version are in `engine`".into());
        }
        run.name = Some(run_name(&run));
        require_model(&run, source.path, *line)?;
        if run.instance_type.is_none() {
            return Err(IngestError::missing(
                Location::line(source.path, *line, Some(INST_TYPE)),
                INST_TYPE,
            ));
        }
        runs.push(ParsedRun {
            run,
            requests: None,
        });
    }
    let summary = format!(
        "Neuron {family_name} table, {} row(s); throughput `{}`, cost per {unit}",
        runs.len(),
        tput.column()
    );
    Ok(table.finish(runs, summary))
}

/// One cell of an inference row → run field, reported value or label.
pub(super) fn inference_cell(
    run: &mut Run,
    row: &Row<'_>,
    i: usize,
    name: &str,
    tput: Throughput,
    sequence_length: &mut Option<u64>,
) -> Result<(), IngestError> {
    match name {
        "Model" => run.model = row.cell(i).map(str::to_string),
        // Exactly as written: `Inf2.xlarge` is not `inf2.xlarge`; aliases are the user's.
        INST_TYPE => run.instance_type = row.cell(i).map(str::to_string),
        "Framework" => {
            run.engine = row.cell(i).map(str::to_string);
            label(run, "framework", row.cell(i));
        }
        "Task" => {
            run.dataset = row.cell(i).map(str::to_string);
            label(run, "task", row.cell(i));
        }
        "Neuron Version" => {
            run.engine_version = row.cell(i).map(str::to_string);
            label(run, "neuron_version", row.cell(i));
        }
        "Batch Size" => run.batch_size = row.integer(i)?,
        "TP Degree" => run.tp = row.integer(i)?,
        "DP Degree" => run.dp = row.integer(i)?,
        "Input Length" => run.input_len = row.integer(i)?,
        "Output Length" => run.output_len = row.integer(i)?,
        "Sequence Length" => {
            *sequence_length = row.integer(i)?;
            label(run, "sequence_length", row.cell(i));
        }
        _ if name == tput.column() => match row.number(i)? {
            // The f64 of the CSV text: its shortest round-trip text is that text, so
            // pricing's Decimal equals the page's input exactly.
            Some(v) => run.report(tput.metric(), Reported::new(v, name)),
            None => run.notes.push(format!(
                "`{name}` is empty: the page's cost for this row would be $nan"
            )),
        },
        "Latency P50 (ms)" => report_latency(run, row, i, Metric::E2eMs.key(), "p50")?,
        "Latency P99 (ms)" => report_latency(run, row, i, Metric::E2eMs.key(), "p99")?,
        "TTFT Latency P50 (ms)" => report_latency(run, row, i, Metric::TtftMs.key(), "p50")?,
        "TTFT Latency P99 (ms)" => report_latency(run, row, i, Metric::TtftMs.key(), "p99")?,
        "TPOT Latency P50 (ms)" => report_latency(run, row, i, Metric::TpotMs.key(), "p50")?,
        "TPOT Latency P99 (ms)" => report_latency(run, row, i, Metric::TpotMs.key(), "p99")?,
        "Latency per Token P50 (ms)" => {
            report_latency(run, row, i, "neuron.latency_per_token_ms", "p50")?
        }
        "Latency per Token P99 (ms)" => {
            report_latency(run, row, i, "neuron.latency_per_token_ms", "p99")?
        }
        _ => {
            if name == "Compilation Autocast Data Type" && row.cell(i) == Some("None") {
                run.notes.push(
                    "`Compilation Autocast Data Type` is the word None (no autocast): kept as text, as the pandas 1.3.1 pages show it; pandas 2.x pages show an empty cell".into(),
                );
            }
            label(run, &slug(name), row.cell(i));
        }
    }
    Ok(())
}

/// Record one latency percentile (ms, as the file has it). p50 is also the median, kept under
/// both keys so the median column and a `*.p50` budget both find it.
pub(super) fn report_latency(
    run: &mut Run,
    row: &Row<'_>,
    i: usize,
    metric: &str,
    stat: &str,
) -> Result<(), IngestError> {
    let Some(v) = row.number(i)? else {
        return Ok(());
    };
    let label = row.headers.name(i).unwrap_or("").to_string();
    let method =
        "Neuron records neither the percentile method nor how many calls it was taken over";
    run.report(
        format!("{metric}.{stat}"),
        Reported::with_method(v, label.clone(), method),
    );
    if stat == "p50" && !metric.starts_with("neuron.") {
        run.report(
            format!("{metric}.median"),
            Reported::with_method(v, label, method),
        );
    }
    let definition = match metric {
        "e2e_ms" => Some("Neuron's Latency P50/P99 is the time of one batched inference call of one worker (Batch Size sequences or images at once), not a request's send-to-last-token time."),
        "ttft_ms" => Some("Neuron's TTFT Latency: time to the first token of a batched call of Batch Size sequences; the page defines it no further."),
        "tpot_ms" => Some("Neuron's TPOT Latency: time per output token of a batched call of Batch Size sequences; the page defines it no further (not necessarily (e2e − ttft)/(output − 1) per request)."),
        "neuron.latency_per_token_ms" => Some("Neuron's Latency per Token counts input and output tokens both (page note): it is neither tpot_ms nor itl_ms."),
        _ => None,
    };
    if let Some(text) = definition {
        run.definitions
            .entry(metric.to_string())
            .or_insert_with(|| text.to_string());
    }
    Ok(())
}

/// `opt-13b, Inf2.48xlarge, TP 8, batch 256` (vision: `resnet18 224x224, …`).
pub(super) fn run_name(run: &Run) -> String {
    let mut name = run.model.clone().unwrap_or_default();
    if let Some(size) = run.labels.get("image_size") {
        name.push(' ');
        name.push_str(size);
    }
    if let Some(inst) = &run.instance_type {
        name.push_str(", ");
        name.push_str(inst);
    }
    if let Some(tp) = run.tp {
        let _ = write!(name, ", TP {tp}");
    }
    if let Some(b) = run.batch_size {
        let _ = write!(name, ", batch {b}");
    }
    name
}
