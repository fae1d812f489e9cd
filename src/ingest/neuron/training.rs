//! Neuron training tables: one run per row, shown verbatim and never priced.

use std::collections::BTreeMap;

use super::table::{family, label, require_model, slug, NeuronCsv};
use crate::error::IngestError;
use crate::ingest::{Parsed, Source};
use crate::model::{ParsedRun, Reported, Run};

pub(super) fn parse_training(
    source: &Source<'_>,
    table: &NeuronCsv,
) -> Result<Parsed, IngestError> {
    let family_name = family(source.rel, "training");
    let mut runs = Vec::new();
    for (line, rec) in &table.rows {
        let row = table.row(source.path, *line, rec);
        let mut run = Run::default();
        run.labels.insert("kind".into(), "training".into());
        run.labels
            .insert("neuron.family".into(), format!("training {family_name}"));
        let mut trimmed_cells = false;
        for (i, header) in table.headers.names().iter().enumerate() {
            let name = header.trim();
            if rec.get(i).is_some_and(|c| c != c.trim()) {
                trimmed_cells = true;
            }
            match name {
                "Model" => run.model = row.cell(i).map(str::to_string),
                // `trn1.32xlarge/trn1n.32xlarge`: two types in one cell, kept as written, so it
                // joins no price row (the page shows no cost for training).
                "Instance-Type" => run.instance_type = row.cell(i).map(str::to_string),
                "Nodes" | "# Nodes" => {
                    run.instance_count = row.integer(i)?;
                    label(&mut run, "nodes", row.cell(i));
                }
                "Neuron Version" => {
                    run.engine_version = row.cell(i).map(str::to_string);
                    label(&mut run, "neuron_version", row.cell(i));
                }
                "Performance [seq/sec]" => {
                    if let Some(v) = row.number(i)? {
                        run.report("neuron.performance_seq_per_s", Reported::new(v, name));
                        run.definitions.insert(
                            "neuron.performance_seq_per_s".into(),
                            "Neuron's training Performance [seq/sec]: training sequences (samples) per second over all Nodes.".into(),
                        );
                    }
                }
                "Topology" => {
                    label(&mut run, "topology", row.cell(i));
                    if let Some(t) = row.cell(i) {
                        topology_degrees(&mut run, t);
                    }
                }
                "Pytorch Neuron(torch-neuronx) Version" => {
                    label(&mut run, "torch_neuronx_version", row.cell(i))
                }
                "MFU[%]" => label(&mut run, "mfu_percent", row.cell(i)),
                "OS Type." => label(&mut run, "os_type", row.cell(i)),
                _ => label(&mut run, &slug(name), row.cell(i)),
            }
        }
        if trimmed_cells {
            run.notes
                .push("cells with leading/trailing spaces (` U20`) were trimmed".into());
        }
        run.notes.push(
            "Neuron training table: shown verbatim on the page, never priced; instance_type is kept as written and instance_count is `Nodes`".into(),
        );
        run.name.clone_from(&run.model);
        require_model(&run, source.path, *line)?;
        runs.push(ParsedRun {
            run,
            requests: None,
        });
    }
    let summary = format!(
        "Neuron training table ({family_name}), {} row(s); no price, no cost",
        runs.len()
    );
    Ok(table.finish(runs, summary))
}

/// `TP=8 DP=32 PP=4` → tp, dp, pp (other topology texts, `[32xNC(DP)] x 16Nodes(DP)`, stay a
/// label only).
pub(super) fn topology_degrees(run: &mut Run, topology: &str) {
    let mut found: BTreeMap<&str, u32> = BTreeMap::new();
    for part in topology.split_whitespace() {
        if let Some((k, v)) = part.split_once('=') {
            if let Ok(n) = v.parse::<u32>() {
                found.insert(k, n);
            }
        }
    }
    if found.is_empty() {
        return;
    }
    run.tp = found.get("TP").copied();
    run.dp = found.get("DP").copied();
    run.pp = found.get("PP").copied();
    run.notes
        .push(format!("tp/dp/pp read from Topology {topology:?}"));
}
