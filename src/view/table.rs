//! Tables of the view model: columns, and cells that keep their number, unit and provenance
//! beside the display text, so a chart or another page format reads the same values the
//! markdown table shows. Text here is never escaped: each renderer escapes its own syntax.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::format;
use crate::metric::Metric;
use crate::model::Provenance;

/// A table: columns and rows of cells. Renderers escape and lay it out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Table {
    /// Column headers and alignment.
    pub columns: Vec<Column>,
    /// One cell per column, per row.
    pub rows: Vec<Vec<Cell>>,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// The header text.
    pub header: String,
    /// True for numeric columns (right-aligned).
    pub numeric: bool,
}

/// A number as the evaluation holds it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Number {
    /// A measured quantity or a count.
    Float(f64),
    /// Money, exact (serialized as its decimal text, as in `summary.json`).
    Money(Decimal),
}

/// Where a cell's number comes from (docs/metrics.md "Provenance").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The tool whose file gave the run (`vllm`, `genai_perf`, …).
    pub tool: String,
    /// Computed from request rows, derived from run fields, or reported by the tool (with the
    /// tool's label and, when it differs from docs/metrics.md, its method).
    pub provenance: Provenance,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// What the page shows, unescaped (`12.35†`, `$1.2120`, `unknown`, `` for unknown).
    pub text: String,
    /// The number behind the text, when the cell shows one. `None`: text only, or unknown.
    pub value: Option<Number>,
    /// The number's unit (`ms`, `req/s`, `ratio`, `USD/h`).
    pub unit: Option<&'static str>,
    /// Where the number comes from, when the evaluation says.
    pub source: Option<Source>,
    /// Another page this cell links to: its path relative to the page the table is on,
    /// without extension (`groups/llama`, `../index`); each renderer writes the link in its
    /// syntax and adds its extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl Cell {
    /// A text-only cell.
    #[must_use]
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            value: None,
            unit: None,
            source: None,
            link: None,
        }
    }

    /// A text cell linking to another page (`link`: relative path without extension).
    #[must_use]
    pub fn link(text: impl Into<String>, link: impl Into<String>) -> Cell {
        Cell {
            link: Some(link.into()),
            ..Cell::text(text)
        }
    }

    /// A count (runs per file, runs per price row).
    #[must_use]
    pub fn count(n: usize) -> Cell {
        Cell {
            value: Some(Number::Float(n as f64)),
            ..Cell::text(n.to_string())
        }
    }

    /// Money rounded for display (`$1.2120`); unknown money reads `unknown`, never 0.
    #[must_use]
    pub fn money(d: Option<Decimal>, places: u32, metric: Metric) -> Cell {
        match d {
            Some(d) => Cell {
                text: format::money(d, places),
                value: Some(Number::Money(d)),
                unit: Some(metric.unit()),
                source: None,
                link: None,
            },
            None => Cell {
                unit: Some(metric.unit()),
                ..Cell::text("unknown")
            },
        }
    }

    /// True when the number was copied from the tool's own summary.
    #[must_use]
    pub fn is_reported(&self) -> bool {
        matches!(
            self.source,
            Some(Source {
                provenance: Provenance::Reported { .. },
                ..
            })
        )
    }
}

impl Table {
    /// An empty table with these (header, numeric) columns.
    #[must_use]
    pub fn new(columns: &[(&str, bool)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|(h, n)| Column {
                    header: (*h).to_string(),
                    numeric: *n,
                })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// A row of text-only cells.
    pub fn push_text(&mut self, cells: impl IntoIterator<Item = String>) {
        self.rows.push(cells.into_iter().map(Cell::text).collect());
    }

    /// True when the table has no rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The headers, in column order.
    #[must_use]
    pub fn headers(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.header.as_str()).collect()
    }

    /// The display text of every row.
    #[must_use]
    pub fn texts(&self) -> Vec<Vec<&str>> {
        self.rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }
}
